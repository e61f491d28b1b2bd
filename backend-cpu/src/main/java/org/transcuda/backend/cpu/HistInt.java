package org.transcuda.backend.cpu;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * {@link HistConst}'s count of an iteration of 256 threads from 32-bit reads instead of 64-bit ones ({@code
 * -Dtranscuda.cpu.histInt=false} turns this off): in {@link StrideHist#run} the count loop is ~80% of the method's
 * samples (its per-iteration checks ~2%), and C2 extracts each byte of a 64-bit word as a shift, a 32-bit move and a
 * zero extension; from a 32-bit word the top byte needs no mask ({@code x >>> 24}) and the others one shift and a
 * zero extension, fewer instructions per byte for the same loads and increments.
 *
 * <p>Applies where HistConst's count does (the iteration's byte count is {@link HistConst#N}, StrideHist's checks
 * passed for it): {@link #count} reads the 256 bytes at {@code a} 4 at a time (one unaligned 32-bit load; thread
 * {@code t}'s byte first) and adds 1 per byte to {@code h[byte]}, the same bytes to the same counts as HistConst's
 * count; touch, counters and flush are StrideHist's, so results and faults are StrideHist's.
 */
final class HistInt {
    /** On unless {@code -Dtranscuda.cpu.histInt=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.histInt"));

    private static final boolean BIG = ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN;

    private HistInt() {
    }

    /** Adds 1 to {@code h[b]} for each of the {@link HistConst#N} bytes {@code b} at device address {@code a}. */
    static void count(long a, int[] h) {
        for (int t = 0; t < HistConst.N; t += 4) {
            int x = Mem.ALL.get(ValueLayout.JAVA_INT_UNALIGNED, a + t);
            if (BIG) x = Integer.reverseBytes(x);
            h[x & 0xff]++;
            h[(x >>> 8) & 0xff]++;
            h[(x >>> 16) & 0xff]++;
            h[x >>> 24]++;
        }
    }
}
