package org.transcuda.backend.cpu;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ConstRuns}' vector form: a run whose rest of the arm is one wrapping 32-bit integer {@code add} of the run's
 * loaded value to a per-thread register ({@code d[t] = x + s[t]}, scan's {@code v += warpSums[warp - 1]}) as adds of
 * the broadcast value over the run's threads, a vector's length at a time, the last threads scalar; the same values
 * as the scalar loop (integer addition wraps in both). Used when the JVM has the vector module ({@link
 * LaneVec#AVAILABLE}); off with {@code -Dtranscuda.cpu.constRunsVec=false} (the scalar loop over the run).
 */
final class ConstRunsVec {
    /** On unless {@code -Dtranscuda.cpu.constRunsVec=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.constRunsVec"));
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;

    private ConstRunsVec() {
    }

    /** {@code d[t] = x + s[t]} for {@code lo <= t < hi}. */
    static void add(int[] d, int[] s, int x, int lo, int hi) {
        int t = lo;
        int n = I.length();
        if (hi - lo >= n) {
            IntVector vx = IntVector.broadcast(I, x);
            for (; t <= hi - n; t += n) IntVector.fromArray(I, s, t).add(vx).intoArray(d, t);
        }
        for (; t < hi; t++) d[t] = x + s[t];
    }
}
