package org.transcuda.backend.cpu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * {@link HistConst}'s count of an iteration of 256 threads as byte loads, 32 per trip, from a slice of constant length
 * 256 with an int index, in a method of its own that C2 compiles apart from {@link StrideHist#run} ({@code
 * -Dtranscuda.cpu.histLoop=false} turns this off, leaving HistConst's 64-bit reads inlined into the run).
 *
 * <p>Why this shape (C2's code read for each form, docs/benchmarks.md, HistLoop's subsection): HistConst's loop over
 * 64-bit words of {@link Mem#ALL}, inlined into {@code run}, is ~4 instructions per byte (a copy, a shift, a 32-bit
 * move and a zero extension to extract each byte, the count array and the address reloaded from the stack, the long
 * index's loop nest). Inlined byte loads over the slice lose the checks and unroll, but C2 then issues 8 or 16 loads
 * ahead of their increments with spills, and measured no faster. This method's body ({@value #PER_TRIP} bytes per trip
 * written out, ~830 bytes of bytecode) is above C2's size limit for inlining a hot call ({@code FreqInlineSize},
 * 325), so C2 compiles it on its own: per byte one {@code movzbl} from the slice, a compare with {@code h}'s length
 * (the array is a parameter here) and one {@code incl}, each increment right after its load, the loop's registers
 * free of {@code run}'s live values: histogram measured ~0.8x the CPU time with HistConst's count in the engine.
 * Were it inlined after all (other JVM flags), it computes the same counts (but measured slower).
 *
 * <p>Applies where HistConst's count does (the iteration's byte count is {@link HistConst#N}, StrideHist's checks
 * passed for it, so {@code a .. a + 255} lies inside a checked allocation and {@code asSlice} cannot throw): {@link
 * #count} adds 1 to {@code h[b]} for each of the 256 bytes {@code b} at {@code a}, the same bytes to the same counts
 * as HistConst's count (32-bit additions; their order does not matter); touch, counters and flush are StrideHist's,
 * so results and faults are StrideHist's.
 */
final class HistLoop {
    /** On unless {@code -Dtranscuda.cpu.histLoop=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.histLoop"));

    /** Bytes counted per trip of the loop, written out. */
    static final int PER_TRIP = 32;

    private HistLoop() {
    }

    /** Adds 1 to {@code h[b]} for each of the {@link HistConst#N} bytes {@code b} at device address {@code a}. */
    static void count(long a, int[] h) {
        MemorySegment s = Mem.ALL.asSlice(a, HistConst.N);
        for (int j = 0; j < HistConst.N; j += PER_TRIP) {
            h[s.get(ValueLayout.JAVA_BYTE, j + 0) & 0xff]++;
            h[s.get(ValueLayout.JAVA_BYTE, j + 1) & 0xff]++;
            h[s.get(ValueLayout.JAVA_BYTE, j + 2) & 0xff]++;
            h[s.get(ValueLayout.JAVA_BYTE, j + 3) & 0xff]++;
            h[s.get(ValueLayout.JAVA_BYTE, j + 4) & 0xff]++;
            h[s.get(ValueLayout.JAVA_BYTE, j + 5) & 0xff]++;
            h[s.get(ValueLayout.JAVA_BYTE, j + 6) & 0xff]++;
            h[s.get(ValueLayout.JAVA_BYTE, j + 7) & 0xff]++;
            h[s.get(ValueLayout.JAVA_BYTE, j + 8) & 0xff]++;
            h[s.get(ValueLayout.JAVA_BYTE, j + 9) & 0xff]++;
            h[s.get(ValueLayout.JAVA_BYTE, j + 10) & 0xff]++;
            h[s.get(ValueLayout.JAVA_BYTE, j + 11) & 0xff]++;
            h[s.get(ValueLayout.JAVA_BYTE, j + 12) & 0xff]++;
            h[s.get(ValueLayout.JAVA_BYTE, j + 13) & 0xff]++;
            h[s.get(ValueLayout.JAVA_BYTE, j + 14) & 0xff]++;
            h[s.get(ValueLayout.JAVA_BYTE, j + 15) & 0xff]++;
            h[s.get(ValueLayout.JAVA_BYTE, j + 16) & 0xff]++;
            h[s.get(ValueLayout.JAVA_BYTE, j + 17) & 0xff]++;
            h[s.get(ValueLayout.JAVA_BYTE, j + 18) & 0xff]++;
            h[s.get(ValueLayout.JAVA_BYTE, j + 19) & 0xff]++;
            h[s.get(ValueLayout.JAVA_BYTE, j + 20) & 0xff]++;
            h[s.get(ValueLayout.JAVA_BYTE, j + 21) & 0xff]++;
            h[s.get(ValueLayout.JAVA_BYTE, j + 22) & 0xff]++;
            h[s.get(ValueLayout.JAVA_BYTE, j + 23) & 0xff]++;
            h[s.get(ValueLayout.JAVA_BYTE, j + 24) & 0xff]++;
            h[s.get(ValueLayout.JAVA_BYTE, j + 25) & 0xff]++;
            h[s.get(ValueLayout.JAVA_BYTE, j + 26) & 0xff]++;
            h[s.get(ValueLayout.JAVA_BYTE, j + 27) & 0xff]++;
            h[s.get(ValueLayout.JAVA_BYTE, j + 28) & 0xff]++;
            h[s.get(ValueLayout.JAVA_BYTE, j + 29) & 0xff]++;
            h[s.get(ValueLayout.JAVA_BYTE, j + 30) & 0xff]++;
            h[s.get(ValueLayout.JAVA_BYTE, j + 31) & 0xff]++;
        }
    }
}
