package org.transcuda.backend.cpu;

/**
 * Lockstep engine: shuffles whose source lanes are a compile-time shift ({@code shfl.sync.up/down} with constant
 * delta over whole 32-lane warps, what nvcc emits for {@code __shfl_up_sync(m, v, d)} and {@code __shfl_down_sync})
 * as block-wide array copies between the register arrays instead of a per-thread table loop.
 *
 * <p>Such a shuffle's source table ({@link CompiledKernel.SuspendPoint#shuffleSource}) is one run: lanes
 * {@code [lo, hi)} read lane {@code lane + k} (predicate true), every other lane keeps its own value (predicate
 * false) — {@link #shiftOf}. {@link #shift} does it for the threads that are active when every active warp is
 * whole: every thread of the block (a block whose size is a multiple of 32), or an active list that is whole warps
 * (a divergent region such as scan's {@code if (warp == 0)}, where the member mask then cannot name a lane on
 * another path, so {@link Lockstep#collective}'s check has nothing to find). Otherwise it returns false and the
 * caller takes its other path (the table loop while every thread is active, else {@link Lockstep#collective}).
 * Off with {@code -Dtranscuda.cpu.warpVec=false}.
 */
final class WarpShuffle {
    /** {@code -Dtranscuda.cpu.warpVec}: shifted shuffles as array copies (default on). */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.warpVec"));

    private WarpShuffle() {
    }

    /**
     * The shift of a source table: {@code {lo, hi, k}} when lanes {@code [lo, hi)} (non-empty) read lane
     * {@code lane + k} with {@code k != 0} and every other lane is out of range (-1), else null.
     */
    static int[] shiftOf(int[] src) {
        if (src == null || src.length != 32) return null;
        int lo = -1, hi = -1, k = 0;
        for (int l = 0; l < 32; l++) {
            int j = src[l];
            if (j < 0) {
                if (lo >= 0 && hi < 0) hi = l;
                continue;
            }
            if (lo < 0) {
                lo = l;
                k = j - l;
            } else if (hi >= 0 || j - l != k) {
                return null; // a second run, or another offset
            }
        }
        if (lo < 0 || k == 0) return null;
        if (hi < 0) hi = 32;
        return new int[] {lo, hi, k};
    }

    /**
     * The shuffle {@code dst[t] = lane(t) in [lo, hi) ? a[t + k] : a[t]}, {@code valid[t] = lane(t) in [lo, hi)}
     * (valid may be null) over the active threads of {@code e}, when they are whole warps; {@code a != dst}.
     * Returns false, having written nothing, when the active threads are not whole warps.
     */
    static boolean shift(Exec e, int[] a, int[] dst, int[] valid, int lo, int hi, int k) {
        int n = e.nthreads;
        if (e.lfull != 0) {
            if ((n & 31) != 0) return false;
            // the whole block shifted at once (a source index stays inside its warp for the lanes [lo, hi)); the
            // lanes outside [lo, hi) of each warp got a neighbour warp's value or none: their own value
            int from = Math.max(0, -k);
            int to = Math.min(n, n - k);
            System.arraycopy(a, from + k, dst, from, to - from);
            for (int w = 0; w < n; w += 32) own(a, dst, w, lo, hi);
            if (valid != null) validity(valid, 0, n, lo, hi);
            return true;
        }
        int count = e.lcount;
        if (!wholeWarps(e)) return false;
        int[] idx = e.lidx;
        for (int i = 0; i < count; i += 32) {
            int w = idx[i];
            System.arraycopy(a, w + lo + k, dst, w + lo, hi - lo);
            own(a, dst, w, lo, hi);
            if (valid != null) validity(valid, w, w + 32, lo, hi);
        }
        return true;
    }

    /**
     * {@code shfl.sync.up} ({@code up} = 1) or {@code .down} with block-uniform {@code b} and {@code c} (a delta
     * computed in a loop, {@code for (d = 1; d < 32; d <<= 1)}), whose source table is then a shift, over the
     * active threads when they are whole warps: the source lanes as {@link BlockScheduler#shuffleSources} computes
     * them, with a segment mask {@code c[12:8]} of 0 (whole-warp segments); returns false (nothing written) for other
     * segment masks or active sets.
     */
    static boolean shiftUniform(Exec e, int[] a, int[] dst, int[] valid, int up, int b, int c) {
        if (((c >>> 8) & 0x1f) != 0) return false;
        int bval = b & 0x1f;
        int cval = c & 0x1f;
        int lo, hi, k;
        if (up != 0) {
            // j = lane - b, in range when j >= c
            lo = Math.min(32, bval + cval);
            hi = 32;
            k = -bval;
        } else {
            // j = lane + b, in range when j <= c
            lo = 0;
            hi = Math.max(0, cval - bval + 1);
            k = bval;
        }
        if (lo >= hi) {
            lo = 0;
            hi = 0;
            k = 0;
        }
        return shift(e, a, dst, valid, lo, hi, k);
    }

    /**
     * {@link #shiftUniform} where {@code b} and/or {@code c} are per-thread registers ({@code bs}, {@code cs}; null
     * for the value passed in {@code b}, {@code c}): a loop-carried delta ({@code d <<= 1}: two definitions, so not
     * block-uniform at compile time) that holds the same value in every active thread, checked here.
     */
    static boolean shiftVarying(Exec e, int[] a, int[] dst, int[] valid, int up, int[] bs, int b, int[] cs, int c) {
        int first;
        if (e.lfull != 0) first = 0;
        else if (e.lcount > 0) first = e.lidx[0];
        else return false;
        if (bs != null) {
            b = bs[first];
            if (!same(e, bs, b)) return false;
        }
        if (cs != null) {
            c = cs[first];
            if (!same(e, cs, c)) return false;
        }
        return shiftUniform(e, a, dst, valid, up, b, c);
    }

    /** True when every active thread's element of {@code v} is {@code x}. */
    private static boolean same(Exec e, int[] v, int x) {
        if (e.lfull != 0) {
            int n = e.nthreads;
            for (int t = 0; t < n; t++) if (v[t] != x) return false;
        } else {
            int[] idx = e.lidx;
            int count = e.lcount;
            for (int i = 0; i < count; i++) if (v[idx[i]] != x) return false;
        }
        return true;
    }

    /** Lanes outside [lo, hi) of the warp at {@code w} keep their own value. */
    private static void own(int[] a, int[] dst, int w, int lo, int hi) {
        for (int l = 0; l < lo; l++) dst[w + l] = a[w + l];
        for (int l = hi; l < 32; l++) dst[w + l] = a[w + l];
    }

    /** {@code valid[t] = (t & 31) in [lo, hi)} for t in [from, to) (branch-free: C2 vectorizes it). */
    private static void validity(int[] valid, int from, int to, int lo, int hi) {
        int last = hi - 1;
        for (int t = from; t < to; t++) {
            int l = t & 31;
            valid[t] = (((l - lo) | (last - l)) >>> 31) ^ 1;
        }
    }

    /**
     * Whether the active threads of {@code e} (its active list {@code lidx[0, lcount)}, not every thread) are whole
     * warps, each in lane order: every run of 32 starts at a multiple of 32 and counts up by one.
     */
    static boolean wholeWarps(Exec e) {
        int count = e.lcount;
        if ((count & 31) != 0) return false;
        int[] idx = e.lidx;
        for (int i = 0; i < count; i += 32) {
            int w = idx[i];
            if ((w & 31) != 0 || idx[i + 31] != w + 31) return false;
            for (int l = 1; l < 31; l++) if (idx[i + l] != w + l) return false;
        }
        return true;
    }
}
