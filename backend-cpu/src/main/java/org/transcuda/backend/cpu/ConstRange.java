package org.transcuda.backend.cpu;

/**
 * Lockstep engine: a one-arm if-converted branch whose predicate is a {@link ThreadConst} register (scan's
 * {@code if (warp > 0) v += warpSums[warp - 1]}: the predicate {@code warp == 0}, the arm where it is false) run over
 * the range of threads the predicate selects, without reading the predicate per thread.
 *
 * <p>While every thread of a one-dimensional block is active and the predicate's loop bit of {@link Exec#lconst} is
 * set (every thread's value present, the same in every block of the launch), the threads for which the arm runs are
 * the same in every block: {@link #range} finds them once per launch and worker from the predicate's array and keeps
 * the result in a bit of {@link Exec#lconst} and {@link Exec#constRange}. When they are one range {@code [lo, hi)},
 * the arm's loop runs over {@code lo <= t < hi} in increasing order, the threads and the order of the general loop,
 * with the arm's checks made for that range as for {@link KernelCompiler}'s other range loops; otherwise (no thread,
 * several ranges, a block of more than one dimension, not every thread active, the bit not set) the general loop
 * runs. The branch needs no other statement in the loop (no prefix). Off with
 * {@code -Dtranscuda.cpu.constRange=false}; {@code -Dtranscuda.cpu.stats=true} counts the arms run this way
 * ({@link Exec#constRanges}).
 */
final class ConstRange {
    /** On unless {@code -Dtranscuda.cpu.constRange=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.constRange"));

    private ConstRange() {
    }

    /**
     * The threads {@code t} of the block with {@code (pred[t] != 0) == onTrue} as {@code (lo << 32) | hi} when they are
     * one non-empty range {@code [lo, hi)} of a one-dimensional block, else -1; found once per launch (bit {@code bit}
     * of {@link Exec#lconst}).
     */
    static long range(Exec e, int[] pred, boolean onTrue, int bit) {
        long mask = 1L << bit;
        if ((e.lconst & mask) != 0) return e.constRange[bit];
        long r = find(pred, e.nthreads, onTrue);
        if (e.nty * e.ntz != 1) r = -1;
        e.constRange[bit] = r;
        e.lconst |= mask;
        return r;
    }

    private static long find(int[] pred, int n, boolean onTrue) {
        int lo = 0;
        while (lo < n && (pred[lo] != 0) != onTrue) lo++;
        if (lo == n) return -1;
        int hi = lo;
        while (hi < n && (pred[hi] != 0) == onTrue) hi++;
        for (int t = hi; t < n; t++) if ((pred[t] != 0) == onTrue) return -1;
        return ((long) lo << 32) | hi;
    }
}
