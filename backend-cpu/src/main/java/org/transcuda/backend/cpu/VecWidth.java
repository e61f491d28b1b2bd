package org.transcuda.backend.cpu;

import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector width of every lockstep and grid-row vector path ({@link LaneVecOps#F}/{@link LaneVecOps#I}: LaneVec's
 * fma rows and tile loads, ArmVec, ArmLoadAdd, ArmChain, RowVec, RowVecInt; {@link WarpScanVec}, {@link ConstRunsVec},
 * {@link VecConsecutive}). By default the preferred species (512-bit with AVX-512); with {@code
 * -Dtranscuda.cpu.vec256=true} the 256-bit species where the preferred one is wider (the register arrays and the
 * shared window are heap arrays whose element 0 sits 16 bytes past a 64-byte boundary at best, so a 64-byte vector
 * always spans two cache lines; a 32-byte one half the time). Only the number of lanes per vector step changes: every
 * path computes each lane's value on its own (or, WarpScanVec, with wrapping integer adds), so results are the same
 * bits at either width. Read once, when the class loads.
 */
final class VecWidth {
    /** 256-bit vectors instead of the preferred species when {@code -Dtranscuda.cpu.vec256=true}. */
    static final boolean NARROW = "true".equals(System.getProperty("transcuda.cpu.vec256"));

    private VecWidth() {
    }

    static VectorShape shape() {
        VectorShape p = VectorShape.preferredShape();
        return NARROW && p.vectorBitSize() > 256 ? VectorShape.S_256_BIT : p;
    }

    static VectorSpecies<Float> f() {
        return VectorSpecies.of(float.class, shape());
    }

    static VectorSpecies<Integer> i() {
        return VectorSpecies.of(int.class, shape());
    }

    static VectorSpecies<Long> l() {
        return VectorSpecies.of(long.class, shape());
    }

    /** The bits per vector in effect. */
    static int bits() {
        return shape().vectorBitSize();
    }
}
