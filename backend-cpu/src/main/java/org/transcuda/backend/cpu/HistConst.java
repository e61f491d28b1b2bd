package org.transcuda.backend.cpu;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * {@link StrideHist}'s count of one iteration's bytes with the trip count a constant, for blocks of 256 threads
 * ({@code -Dtranscuda.cpu.histConst=false} turns this off): histogram's blocks are 256 threads, and StrideHist's loop
 * over the iteration's {@code n} bytes (8 at a time, then a tail of {@code n mod 8}) takes its bound from the block's
 * size at run time; the plain-Java model ({@code bench/micro/HistOrder.java}, {@code kernelN} against {@code kernel})
 * ran it markedly slower than the same loop with the bound 256 known to the JIT.
 *
 * <p>Applies when the iteration's byte count {@code n} (the block's threads) is exactly {@link #N}: {@link #count}
 * reads the 256 bytes at {@code a} 8 at a time (one unaligned 64-bit load; thread {@code t}'s byte first) and adds 1
 * per byte to {@code h[byte]}, exactly what StrideHist's general count does for {@code n = 256} (which has no tail).
 * StrideHist's checks ({@link StrideLoop#stay}, {@link StrideLoop#fits}) have passed for the iteration before it is
 * called, and its touch, counters and flush are unchanged, so results and faults are StrideHist's.
 */
final class HistConst {
    /** On unless {@code -Dtranscuda.cpu.histConst=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.histConst"));

    /** The iteration length this count is compiled for: 256 threads, 256 bytes. */
    static final int N = 256;

    private static final boolean BIG = ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN;

    private HistConst() {
    }

    /** Adds 1 to {@code h[b]} for each of the {@link #N} bytes {@code b} at device address {@code a}. */
    static void count(long a, int[] h) {
        for (int t = 0; t < N; t += 8) {
            long x = Mem.ALL.get(ValueLayout.JAVA_LONG_UNALIGNED, a + t);
            if (BIG) x = Long.reverseBytes(x);
            h[(int) x & 0xff]++;
            h[(int) (x >>> 8) & 0xff]++;
            h[(int) (x >>> 16) & 0xff]++;
            h[(int) (x >>> 24) & 0xff]++;
            h[(int) (x >>> 32) & 0xff]++;
            h[(int) (x >>> 40) & 0xff]++;
            h[(int) (x >>> 48) & 0xff]++;
            h[(int) (x >>> 56) & 0xff]++;
        }
    }
}
