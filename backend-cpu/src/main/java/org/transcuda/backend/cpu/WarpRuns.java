package org.transcuda.backend.cpu;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Lockstep engine: {@link ConstRuns}' run loop with {@link ConstRunsVec}'s add (scan's {@code v += warpSums[warp -
 * 1]} over threads 32..255: seven runs of 32 threads) as one call per block instead of a loop in the segment whose
 * every run sets up the vector loop of {@link ConstRunsVec#add} (range checks, strip-mining, a safepoint poll) around
 * its two vector iterations: per run the run's shared word read straight from {@link Exec#shared} and, when the run is
 * 32 threads, the add over it as {@code 32 / VL} straight-line vector adds ({@code VL} 8 or 16), else {@link
 * ConstRunsVec#add}'s loop.
 *
 * <p>Only while the arm's shared load was proven inside the window for all the arm's threads ({@link ArmShared}'s
 * flag: its load is then {@code e.shared[(int) (o >>> 2)]}, {@link ArmShared#lds32}), so no run's load can fault;
 * with the flag false the segment's run loop runs as before (its checked load faults at the run's first thread).
 * Each run's value is the word the run loop would read (the address register's value at the run's first thread,
 * widened as the compiler widens it, plus the constant) and each thread's result the same wrapping 32-bit add, so
 * registers are bit for bit the run loop's. Off with {@code -Dtranscuda.cpu.warpRuns=false};
 * {@code -Dtranscuda.cpu.stats=true} counts the calls ({@link Exec#warpRuns}).
 */
final class WarpRuns {
    /** On unless {@code -Dtranscuda.cpu.warpRuns=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.warpRuns"));
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    private static final int VL = I.length();

    private WarpRuns() {
    }

    /**
     * For each run {@code [runs[k], runs[k + 1])}: {@code x = e.shared[(int) ((widen(addr[runs[k]]) + off) >>> 2)]},
     * then {@code d[t] = x + s[t]} over the run; {@code widen} sign-extends when {@code signed}, else zero-extends.
     * Counts the call and the runs' vector adds.
     */
    static void add(Exec e, int[] d, int[] s, int[] addr, long off, boolean signed, int[] runs) {
        int[] sh = e.shared;
        int last = runs.length - 1;
        for (int k = 0; k < last; k++) {
            int lo = runs[k];
            int hi = runs[k + 1];
            int a = addr[lo];
            long o = (signed ? (long) a : a & 0xFFFF_FFFFL) + off;
            int x = sh[(int) (o >>> 2)];
            if (hi - lo == 32 && VL == 16) {
                IntVector vx = IntVector.broadcast(I, x);
                IntVector.fromArray(I, s, lo).add(vx).intoArray(d, lo);
                IntVector.fromArray(I, s, lo + 16).add(vx).intoArray(d, lo + 16);
            } else if (hi - lo == 32 && VL == 8) {
                IntVector vx = IntVector.broadcast(I, x);
                IntVector.fromArray(I, s, lo).add(vx).intoArray(d, lo);
                IntVector.fromArray(I, s, lo + 8).add(vx).intoArray(d, lo + 8);
                IntVector.fromArray(I, s, lo + 16).add(vx).intoArray(d, lo + 16);
                IntVector.fromArray(I, s, lo + 24).add(vx).intoArray(d, lo + 24);
            } else {
                ConstRunsVec.add(d, s, x, lo, hi);
            }
        }
        e.constRunVecs += last;
        e.warpRuns++;
    }
}
