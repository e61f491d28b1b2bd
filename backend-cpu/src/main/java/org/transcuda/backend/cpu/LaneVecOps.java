package org.transcuda.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The species of {@link LaneVec}'s generated lane loops (constants to the JIT; the loops call the vector API's
 * methods directly, which the JIT inlines however large the segment method is, so the vectors stay in registers).
 * Loaded only when the vector module is there.
 */
final class LaneVecOps {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;

    private LaneVecOps() {
    }

    static final java.nio.ByteOrder ORDER = java.nio.ByteOrder.nativeOrder();

    /** Whether {@code a[t + i] = a[t] + 4·i} for {@code i < n}: consecutive 32-bit words (LaneVec.COPY). */
    static boolean consecutive(long[] a, int t, int n) {
        long a0 = a[t];
        boolean ok = true;
        for (int i = 1; i < n; i++) ok &= a[t + i] == a0 + 4L * i;
        return ok;
    }

    static int length() {
        return F.length() == I.length() ? F.length() : 0;
    }
}
