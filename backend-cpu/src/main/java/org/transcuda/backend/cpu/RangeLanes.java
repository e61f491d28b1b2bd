package org.transcuda.backend.cpu;

/**
 * Lockstep engine: lane loops over an active set that is one range of threads run as a counted loop over that range,
 * without the active-thread index list (scan's warp-0 region: {@link RangeSplit} splits the block at
 * {@code warp == 0}, and segments 6 and 8 then run with threads 0–31 of 256 active, every lane loop of theirs
 * reading {@code t = idx[i]} per thread).
 *
 * <p>Applies to every segment entered with not every thread active: the active list {@link Exec#lidx}
 * {@code [0, lcount)} is always strictly increasing ({@link Lockstep#run}, {@link Lockstep#rejoin} write the identity,
 * {@link Lockstep#schedule}, {@link RangeSplit#split} and the compiled split list the threads in index order), so it
 * is the range {@code [idx[0], idx[0] + count)} exactly when {@code idx[count - 1] - idx[0] == count - 1}. That is
 * tested before each lane loop over the active list ({@link #lo}; not in the segment's prologue, which would push
 * reduce's barrier-only segments past C2's 325-byte inlining limit into {@code lockBlock}), which then takes
 * {@code t = lo + i} instead of {@code t = idx[i]} (a loop-invariant test in the loop, which C2 unswitches: the range
 * version is a counted loop over {@code t}): the same threads in the same order as the list, so a fault names the same
 * thread. A list that is not one range (or is empty) reads the list as before; segments entered with every thread
 * active keep their own loop over every thread.
 *
 * <p>Off with {@code -Dtranscuda.cpu.rangeLanes=false}; {@code -Dtranscuda.cpu.stats=true} counts the lane loops run
 * over a partial active set that is one range ({@link Exec#rangeLanes}).
 */
final class RangeLanes {
    /** On unless {@code -Dtranscuda.cpu.rangeLanes=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.rangeLanes"));

    private RangeLanes() {
    }

    /**
     * The first thread of the active list {@code idx[0, count)} (strictly increasing) when it is one range of threads
     * (counted in {@link Exec#rangeLanes}), else -1.
     */
    static int lo(Exec e, int[] idx, int count) {
        if (count <= 0) return -1;
        int lo = idx[0];
        if (idx[count - 1] - lo != count - 1) return -1;
        e.rangeLanes++;
        return lo;
    }
}
