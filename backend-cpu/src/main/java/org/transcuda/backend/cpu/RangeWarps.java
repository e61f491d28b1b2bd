package org.transcuda.backend.cpu;

/**
 * Lockstep engine: {@link WarpShuffle#wholeWarps} (are the active threads whole warps, each in lane order?) answered
 * from the active list's two ends when the list is one range of threads, instead of comparing every entry (scan's
 * warp-0 region: threads 0–31 of 256 active after {@link RangeSplit}; its windowed scan chain asks once per block, and
 * the general test compared 32 entries there).
 *
 * <p>Applies to every call with not every thread active. The active list {@link Exec#lidx} {@code [0, lcount)} is
 * always strictly increasing (the invariant {@link RangeLanes} relies on: {@link Lockstep#run}, {@link Lockstep#rejoin}
 * write the identity, {@link Lockstep#schedule}, {@link RangeSplit#split} and the compiled split list the threads in
 * index order), so {@code idx[count - 1] - idx[0] == count - 1} means {@code idx[i] = idx[0] + i} for every {@code i};
 * such a list is whole warps in lane order exactly when {@code count} and {@code idx[0]} are multiples of 32. A list
 * that is not one range (or is empty) takes the entry-by-entry test as before; the answer is the same either way.
 *
 * <p>Off with {@code -Dtranscuda.cpu.rangeWarps=false}; {@code -Dtranscuda.cpu.stats=true} counts the questions
 * answered this way ({@link Exec#rangeWarps}).
 */
final class RangeWarps {
    /** On unless {@code -Dtranscuda.cpu.rangeWarps=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.rangeWarps"));

    private RangeWarps() {
    }

    /**
     * For a strictly increasing active list {@code idx[0, count)} with {@code count} a positive multiple of 32: 1 when
     * it is one range starting at a multiple of 32 (whole warps), 0 when it is one range starting elsewhere, -1 when
     * it is not one range (or when off): the caller then tests every entry.
     */
    static int test(Exec e, int[] idx, int count) {
        if (!ENABLED) return -1;
        int r = answer(idx, count);
        if (r >= 0) e.rangeWarps++;
        return r;
    }

    /** {@link #test} without the switch and the count. */
    static int answer(int[] idx, int count) {
        if (count <= 0) return -1;
        int lo = idx[0];
        if (idx[count - 1] - lo != count - 1) return -1;
        return (lo & 31) == 0 ? 1 : 0;
    }
}
