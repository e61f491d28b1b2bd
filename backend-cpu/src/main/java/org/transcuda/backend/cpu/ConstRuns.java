package org.transcuda.backend.cpu;

/**
 * Lockstep engine: inside a {@link ConstRange} arm (an if-converted arm run over the thread range {@code [lo, hi)} of
 * its thread-constant predicate), an arm that begins with a 32-bit shared load whose address is a {@link ThreadConst}
 * register (plus a constant) and otherwise holds only register statements (scan's {@code v += warpSums[warp - 1]}:
 * the address is the same for each warp of 32 threads) loads once per run of consecutive threads with the same
 * address and runs the rest of the arm over the run's threads with that value (C2 makes the rest a vector loop).
 *
 * <p>The arm writes no memory, so every thread of a run would load the same value; the load is made for the run's
 * first thread with its usual check, so a bad address faults at the first thread that would read it, with the same
 * instruction (only register values of that faulting thread, never observed after the fault, differ). The runs are
 * found once per launch and worker from the address register's array ({@link #runs}, kept in a bit of {@link
 * Exec#lconst} and {@link Exec#constRuns}) while the address register's loop bit is set; when the runs are short
 * (below {@link #MIN_RUN} threads on average) or the bit is not set, the arm runs thread by thread as before. Off with
 * {@code -Dtranscuda.cpu.constRuns=false}; {@code -Dtranscuda.cpu.stats=true} counts the runs
 * ({@link Exec#constRunLoads}).
 */
final class ConstRuns {
    /** On unless {@code -Dtranscuda.cpu.constRuns=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.constRuns"));
    /** The shortest average run worth the split. */
    static final int MIN_RUN = 4;

    private ConstRuns() {
    }

    /**
     * The run boundaries {@code lo = b[0] < b[1] < ... < b[k] = hi} of {@code addr} over {@code [lo, hi)} (equal values
     * within each run), or null when the runs are short; found once per launch (bit {@code bit} of
     * {@link Exec#lconst}).
     */
    static int[] runs(Exec e, int[] addr, int lo, int hi, int bit) {
        long mask = 1L << bit;
        if ((e.lconst & mask) != 0) return e.constRuns[bit];
        int[] r = find(addr, lo, hi);
        e.constRuns[bit] = r;
        e.lconst |= mask;
        return r;
    }

    static int[] find(int[] addr, int lo, int hi) {
        if (hi <= lo) return null;
        int n = 1;
        for (int t = lo + 1; t < hi; t++) if (addr[t] != addr[t - 1]) n++;
        if ((long) n * MIN_RUN > hi - lo) return null;
        int[] b = new int[n + 1];
        int k = 0;
        b[k++] = lo;
        for (int t = lo + 1; t < hi; t++) if (addr[t] != addr[t - 1]) b[k++] = t;
        b[k] = hi;
        return b;
    }
}
