package org.transcuda.backend.cpu;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Lockstep engine: {@link WarpScan}'s full-warp sum (a chain of five steps, window 32: every lane's result is the
 * running sum {@code P[l] = in[0] + ... + in[l]} of its warp; scan's per-warp scan) as an {@link IntVector} prefix sum
 * instead of the scalar running sum, whose one add per lane is a dependence chain through the whole warp.
 *
 * <p>Per warp of 32 lanes, {@code 32 / VL} vectors of {@code VL} consecutive lanes ({@code VL} the preferred species'
 * int lanes, 8 or 16): within each vector {@code log2(VL)} log-steps {@code x += x} shifted up by {@code d = 1, 2, 4,
 * ...} lanes with zeros shifted in (a two-table {@code selectFrom} of a zero vector and the vector: lanes below
 * {@code d} get 0), which leaves each lane the sum of its vector's lanes up to it; then each vector after the first
 * adds the last lane of the one before (already carried), broadcast. Integer addition wraps and is associative and commutative, so every lane gets the
 * bits of the scalar running sum. All lanes of a warp are loaded before any is stored, so {@code in} may be {@code
 * out}. Only for whole warps of 32 active lanes: a partial last warp and windows below 32 ({@link ScanWindow}) keep
 * the scalar forms. Used when the JVM has the vector module ({@link LaneVec#AVAILABLE}) and the preferred int
 * species has 8 or 16 lanes; off with {@code -Dtranscuda.cpu.warpScanVec=false}; {@code -Dtranscuda.cpu.stats=true}
 * counts the warps summed this way ({@link Exec#warpScanVecs}).
 */
final class WarpScanVec {
    /** On unless {@code -Dtranscuda.cpu.warpScanVec=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.warpScanVec"));
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    private static final int VL = I.length();
    private static final IntVector ZERO = IntVector.zero(I);
    /**
     * Shift {@code d} as a two-table {@code selectFrom(ZERO, x)}: lane {@code l} takes {@code x}'s lane {@code l - d}
     * (index {@code VL + l - d}) from {@code l >= d} on, else a lane of {@code ZERO}.
     */
    private static final IntVector S1 = shift(1), S2 = shift(2), S4 = shift(4), S8 = shift(8);
    /** Every lane takes the last lane. */
    private static final IntVector LAST = IntVector.broadcast(I, VL - 1);

    private static IntVector shift(int d) {
        int[] idx = new int[VL];
        for (int l = 0; l < VL; l++) idx[l] = l >= d ? VL + l - d : 0;
        return IntVector.fromArray(I, idx, 0);
    }

    private WarpScanVec() {
    }

    /** Whether the species fits: 8 or 16 int lanes (a warp is 4 or 2 vectors). */
    static boolean fits() {
        return VL == 8 || VL == 16;
    }

    /**
     * {@link WarpScan#scan} of a five-step chain ({@code steps} is 5: window 32, each lane's result its warp's running
     * sum): the same threads and declines, each whole warp of 32 active lanes as vectors ({@link #warp}), a partial
     * last warp by {@link WarpScan}'s scalar running sum.
     */
    static boolean scan(Exec e, int[] in, int[] out, int steps, boolean tidLane) {
        if (steps != 5) return WarpScan.scan(e, in, out, steps, tidLane);
        if (tidLane && (e.ntx & 31) != 0 && e.nty * e.ntz != 1) return false;
        int n = e.nthreads;
        if (e.lfull != 0) {
            int end = n & ~31;
            for (int w = 0; w < end; w += 32) warp(in, out, w);
            if (end < n) WarpScan.warp(e, in, out, end, n - end, 32);
            e.warpScans += (n + 31) >>> 5;
            e.warpScanVecs += end >>> 5;
            return true;
        }
        int count = e.lcount;
        if (!WarpShuffle.wholeWarps(e)) return false;
        int[] idx = e.lidx;
        for (int i = 0; i < count; i += 32) warp(in, out, idx[i]);
        e.warpScans += count >>> 5;
        e.warpScanVecs += count >>> 5;
        return true;
    }

    /** The running sum of the 32 lanes of the warp at {@code w}. */
    static void warp(int[] in, int[] out, int w) {
        if (VL == 16) {
            IntVector a = scan(IntVector.fromArray(I, in, w));
            IntVector b = scan(IntVector.fromArray(I, in, w + 16));
            b = b.add(LAST.selectFrom(a));
            a.intoArray(out, w);
            b.intoArray(out, w + 16);
        } else {
            IntVector a = scan(IntVector.fromArray(I, in, w));
            IntVector b = scan(IntVector.fromArray(I, in, w + 8));
            IntVector c = scan(IntVector.fromArray(I, in, w + 16));
            IntVector d = scan(IntVector.fromArray(I, in, w + 24));
            b = b.add(LAST.selectFrom(a));
            c = c.add(LAST.selectFrom(b));
            d = d.add(LAST.selectFrom(c));
            a.intoArray(out, w);
            b.intoArray(out, w + 8);
            c.intoArray(out, w + 16);
            d.intoArray(out, w + 24);
        }
    }

    /** The inclusive prefix sum of one vector's lanes (wrapping). */
    private static IntVector scan(IntVector x) {
        x = x.add(S1.selectFrom(ZERO, x));
        x = x.add(S2.selectFrom(ZERO, x));
        x = x.add(S4.selectFrom(ZERO, x));
        if (VL == 16) x = x.add(S8.selectFrom(ZERO, x));
        return x;
    }
}
