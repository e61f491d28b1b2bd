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

    static int length() {
        return F.length() == I.length() ? F.length() : 0;
    }
}
