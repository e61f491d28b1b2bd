package org.transcuda.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Lockstep engine: {@link TreeRegs}' ladder (four halving add steps of {@code 8·VL, 4·VL, 2·VL, VL} threads over one
 * base, reduce's steps 128..16) with each level adding the previous level's raw sums, the NaN canonicalization only on
 * the words stored ({@code -Dtranscuda.cpu.ladderRaw=false} turns it off: {@link LaneVecOps#treeLadder}). In
 * {@code treeLadder} every level adds the canonicalized vectors of the level before, so each level's
 * {@code add → test(IS_NAN) → blend} is on the dependent chain from the first loads to the last store; here the next
 * level's add reads the sum itself and the test and blend only feed the level's stores, off the chain. The plain-Java
 * micro-benchmark {@code bench/micro/ReduceIdeal.java} put the tree at 31.5–32.5 ns per block with the blends on the
 * chain and 25.0–27.5 without (forms {@code tree}, {@code treeRaw}; one thread, window in cache).
 *
 * <p>Applies wherever {@link ArmChainPlan} runs a {@link ArmChainPlan#LADDER} entry (marked by {@link TreeRegs#mark}
 * when the plan is built; nothing is decided at run time beyond that).
 *
 * <p>Why the result is the same bits: a level's sum {@code z = x + y} and its canonical form {@code c = canon(z)}
 * differ only when {@code z} is a NaN (then {@code c} is {@link Fp#CANON_F32}); the next level adds {@code z} where the
 * steps add {@code c}: if neither operand is a NaN the two additions are the same IEEE binary32 round-to-nearest
 * addition of the same values; if one is a NaN both results are NaNs (any NaN operand gives a NaN sum), and every stored
 * word is canonicalized, so a stored NaN is {@link Fp#CANON_F32} either way. Every word the ladder stores is stored with
 * the same value, in the same level order, as {@code treeLadder} stores it. Counted in {@link Exec#ladderRaws}.
 */
final class LadderRaw {
    /** On unless {@code -Dtranscuda.cpu.ladderRaw=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.ladderRaw"));

    private LadderRaw() {
    }

    /** The vector code, in its own class so that the vector module is only loaded where it is present. */
    static final class Vec {
        private static final VectorSpecies<Integer> I = LaneVecOps.I;

        private Vec() {
        }

        /**
         * The four halving steps {@code n = 8·VL, 4·VL, 2·VL, VL} over words {@code b .. b+16·VL-1}: {@code sh[b + t] =
         * canonical(sh[b + t] + sh[b + n + t])} for {@code t < n}, each level fully after the one before (as
         * {@link LaneVecOps#treeLadder}), the levels chained on the raw sums. Straight code; the caller has checked the
         * words inside {@code sh}.
         */
        static void run(int[] sh, int b) {
            int vl = I.length();
            FloatVector v0 = IntVector.fromArray(I, sh, b + 0 * vl).reinterpretAsFloats();
            FloatVector v1 = IntVector.fromArray(I, sh, b + 1 * vl).reinterpretAsFloats();
            FloatVector v2 = IntVector.fromArray(I, sh, b + 2 * vl).reinterpretAsFloats();
            FloatVector v3 = IntVector.fromArray(I, sh, b + 3 * vl).reinterpretAsFloats();
            FloatVector v4 = IntVector.fromArray(I, sh, b + 4 * vl).reinterpretAsFloats();
            FloatVector v5 = IntVector.fromArray(I, sh, b + 5 * vl).reinterpretAsFloats();
            FloatVector v6 = IntVector.fromArray(I, sh, b + 6 * vl).reinterpretAsFloats();
            FloatVector v7 = IntVector.fromArray(I, sh, b + 7 * vl).reinterpretAsFloats();
            FloatVector v8 = IntVector.fromArray(I, sh, b + 8 * vl).reinterpretAsFloats();
            FloatVector v9 = IntVector.fromArray(I, sh, b + 9 * vl).reinterpretAsFloats();
            FloatVector v10 = IntVector.fromArray(I, sh, b + 10 * vl).reinterpretAsFloats();
            FloatVector v11 = IntVector.fromArray(I, sh, b + 11 * vl).reinterpretAsFloats();
            FloatVector v12 = IntVector.fromArray(I, sh, b + 12 * vl).reinterpretAsFloats();
            FloatVector v13 = IntVector.fromArray(I, sh, b + 13 * vl).reinterpretAsFloats();
            FloatVector v14 = IntVector.fromArray(I, sh, b + 14 * vl).reinterpretAsFloats();
            FloatVector v15 = IntVector.fromArray(I, sh, b + 15 * vl).reinterpretAsFloats();
            // level 8·VL: the sums z; each stored canonical, the next level adds the raw sums
            FloatVector za0 = v0.add(v8);
            FloatVector za1 = v1.add(v9);
            FloatVector za2 = v2.add(v10);
            FloatVector za3 = v3.add(v11);
            FloatVector za4 = v4.add(v12);
            FloatVector za5 = v5.add(v13);
            FloatVector za6 = v6.add(v14);
            FloatVector za7 = v7.add(v15);
            za0.blend(Fp.NAN_F32, za0.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, b + 0 * vl);
            za1.blend(Fp.NAN_F32, za1.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, b + 1 * vl);
            za2.blend(Fp.NAN_F32, za2.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, b + 2 * vl);
            za3.blend(Fp.NAN_F32, za3.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, b + 3 * vl);
            za4.blend(Fp.NAN_F32, za4.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, b + 4 * vl);
            za5.blend(Fp.NAN_F32, za5.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, b + 5 * vl);
            za6.blend(Fp.NAN_F32, za6.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, b + 6 * vl);
            za7.blend(Fp.NAN_F32, za7.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, b + 7 * vl);
            FloatVector zc0 = za0.add(za4);
            FloatVector zc1 = za1.add(za5);
            FloatVector zc2 = za2.add(za6);
            FloatVector zc3 = za3.add(za7);
            zc0.blend(Fp.NAN_F32, zc0.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, b + 0 * vl);
            zc1.blend(Fp.NAN_F32, zc1.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, b + 1 * vl);
            zc2.blend(Fp.NAN_F32, zc2.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, b + 2 * vl);
            zc3.blend(Fp.NAN_F32, zc3.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, b + 3 * vl);
            FloatVector zd0 = zc0.add(zc2);
            FloatVector zd1 = zc1.add(zc3);
            zd0.blend(Fp.NAN_F32, zd0.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, b + 0 * vl);
            zd1.blend(Fp.NAN_F32, zd1.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, b + 1 * vl);
            FloatVector ze0 = zd0.add(zd1);
            ze0.blend(Fp.NAN_F32, ze0.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, b);
        }
    }
}
