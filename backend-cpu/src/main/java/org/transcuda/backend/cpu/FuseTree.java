package org.transcuda.backend.cpu;

import java.nio.ByteOrder;
import java.util.Map;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Lockstep engine: {@link InputFuse}'s pass handing its vectors straight to {@link TreeRegs}' ladder
 * ({@code -Dtranscuda.cpu.fuseTree=false} turns it off). In reduce, InputFuse runs the input phase
 * ({@code v = in[i] + in[i + 256]}, canonical, {@code s[t] = v}) as one pass from {@code ls0} and returns the segment
 * after {@code ls4}'s {@code bar.sync}; that segment's method starts with {@link ArmChain#run}, whose plan
 * ({@link ArmChainPlan}) starts with the ladder: the 256 words the pass just stored are loaded again into 16 vectors.
 * Here, per block, one straight method ({@link Vec#passLadder}) computes the pass's 16 vectors, stores them into the
 * window as the pass does, and runs the ladder's four levels on them in registers (each level's words stored as the
 * ladder stores them); then the rest of the chain's plan runs ({@link ArmChainPlan#runFrom}) and the segment after the
 * chain is returned: the return to the dispatcher, the chain segment's entry and the ladder's 16 reloads are gone.
 *
 * <p>Applies (linked when the kernel is compiled: the segment after InputFuse's barrier is the one whose method starts
 * with an {@link ArmChain} chain, looked up on first use from the compiler's per-segment map of registered chains) to
 * a block where InputFuse's pass runs (all its run-time checks passed) with two arms, the first a LOAD and the second
 * an ADD, both over every thread of the block ({@code n} threads), and where the chain would run for this block
 * ({@link ArmChain#planFor}: every thread active, the ranges checked and the plan built for this launch and worker)
 * with a plan whose first entry is {@link ArmChainPlan#LADDER} over exactly the pass's words: base word == the pass's
 * first word and {@code 16·VL == n}. Otherwise InputFuse's own pass runs and returns as before (the chain then runs,
 * or not, from its segment).
 *
 * <p>Why the barrier between them may be skipped, and why the result is the same bits: InputFuse already returns the
 * segment after the barrier (with every thread active a complete {@code bar.sync} does nothing: everything before it
 * has run for every thread), and the dispatcher ({@code lockBlock}) goes from a segment's result straight to that
 * segment's method, whose first action is {@code ArmChain.run}; between the pass and the chain no thread runs any
 * statement, and the shared window belongs to this block alone (one worker runs the block), so nothing can observe
 * the window between them. Here the same things happen in the same order: the pass's 256 words are stored with the
 * same bits (a LOAD's raw float plus the ADD's float, IEEE binary32 rounding to nearest in the pass's operand order,
 * a NaN result {@link Fp#CANON_F32}); the ladder's first level uses those stored vectors instead of reloading them,
 * which holds exactly the bits it would load (the reinterpretation between int and float lanes is raw); each ladder
 * level is {@link LaneVecOps#treeLadder}'s, with every word it stores stored with the same value; the remaining plan
 * entries run as {@link ArmChainPlan#run} runs them; the counters (InputFuse's, the ladder's, the chain's) count what
 * they counted. Nothing here can fault: InputFuse checked the device sites and the window, the chain's plan its words.
 * Counted in {@link Exec#fuseTrees}.
 */
final class FuseTree {
    /** On unless {@code -Dtranscuda.cpu.fuseTree=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.fuseTree"));

    private FuseTree() {
    }

    /**
     * The link from an InputFuse region to the chain whose method is the segment after its barrier: the compiler's
     * map of chains by segment (filled as it emits the segment methods), resolved on first use.
     */
    static final class Link {
        private final Map<Integer, Integer> chainAt;
        private final int seg;
        /** The chain's id; -2 until looked up, -1: none. */
        private volatile int chain = -2;

        Link(Map<Integer, Integer> chainAt, int seg) {
            this.chainAt = chainAt;
            this.seg = seg;
        }

        int chain() {
            int c = chain;
            if (c != -2) return c;
            Integer id = chainAt.get(seg);
            c = id == null ? -1 : id;
            chain = c;
            return c;
        }
    }

    /** The link for InputFuse's region whose barrier is followed by segment {@code seg}; null when off. */
    static Link link(Map<Integer, Integer> chainAt, int seg) {
        return ENABLED ? new Link(chainAt, seg) : null;
    }

    /**
     * InputFuse's pass (first arm LOAD at device address {@code a0}, second arm ADD at {@code a1}, both over all
     * {@code n} threads, words {@code w0 ..} of {@code sh}) with the chain's ladder and the rest of its plan: the
     * segment after the chain, or -1 (nothing written; the caller runs its own pass).
     */
    static int run(Exec e, Link l, long a0, long a1, int[] sh, int w0, int n) {
        int id = l.chain();
        if (id < 0) return -1;
        int[] p = ArmChain.planFor(e, id);
        int o = ArmChainPlan.H;
        int after = o + 4 * ArmChainPlan.W;
        if (p == null || p.length < after || p[o] != ArmChainPlan.LADDER || p[o + 3] != w0
                || 16 * LaneVec.length() != n) {
            return -1;
        }
        Vec.passLadder(sh, w0, a0, a1);
        e.treeRegs++;
        e.fuseTrees++;
        return ArmChainPlan.runFrom(e, ArmChain.chain(id), e.armChainRanges, p, after, 4);
    }

    /** The straight method, in its own class so that the vector module is only loaded where it is present. */
    static final class Vec {
        private static final VectorSpecies<Float> F = LaneVecOps.F;
        private static final VectorSpecies<Integer> I = LaneVecOps.I;
        private static final ByteOrder ORDER = ByteOrder.nativeOrder();
        /** Temporary: the first arm's words copied into the window first, then added in registers. */
        static final boolean COPY = "1".equals(System.getProperty("transcuda.cpu.fuseTreeForm"));

        private Vec() {
        }

        /**
         * Words {@code b .. b+16·VL-1}: {@code sh[b + t] = bits(canonical(f32 at a0 + 4·t + f32 at a1 + 4·t))}, then
         * {@link LaneVecOps#treeLadder}'s four levels on those 16 vectors without reloading them. Straight code, the
         * NaN blends written out (a helper method taking vectors was not inlined by C2 and boxed them). The caller has
         * checked the words inside {@code sh} and the device ranges.
         */
        static void passLadder(int[] sh, int b, long a0, long a1) {
            int vl = F.length();
            long d = 4L * vl;
            if (COPY) java.lang.foreign.MemorySegment.copy(Mem.ALL, Mem.I32, a0, sh, b, 16 * vl);
            FloatVector z0 = (COPY ? IntVector.fromArray(I, sh, b + 0 * vl).reinterpretAsFloats()
                    : FloatVector.fromMemorySegment(F, Mem.ALL, a0, ORDER))
                    .add(FloatVector.fromMemorySegment(F, Mem.ALL, a1, ORDER));
            FloatVector v0 = z0.blend(Fp.NAN_F32, z0.test(VectorOperators.IS_NAN));
            FloatVector z1 = (COPY ? IntVector.fromArray(I, sh, b + 1 * vl).reinterpretAsFloats()
                    : FloatVector.fromMemorySegment(F, Mem.ALL, a0 + d, ORDER))
                    .add(FloatVector.fromMemorySegment(F, Mem.ALL, a1 + d, ORDER));
            FloatVector v1 = z1.blend(Fp.NAN_F32, z1.test(VectorOperators.IS_NAN));
            FloatVector z2 = (COPY ? IntVector.fromArray(I, sh, b + 2 * vl).reinterpretAsFloats()
                    : FloatVector.fromMemorySegment(F, Mem.ALL, a0 + 2 * d, ORDER))
                    .add(FloatVector.fromMemorySegment(F, Mem.ALL, a1 + 2 * d, ORDER));
            FloatVector v2 = z2.blend(Fp.NAN_F32, z2.test(VectorOperators.IS_NAN));
            FloatVector z3 = (COPY ? IntVector.fromArray(I, sh, b + 3 * vl).reinterpretAsFloats()
                    : FloatVector.fromMemorySegment(F, Mem.ALL, a0 + 3 * d, ORDER))
                    .add(FloatVector.fromMemorySegment(F, Mem.ALL, a1 + 3 * d, ORDER));
            FloatVector v3 = z3.blend(Fp.NAN_F32, z3.test(VectorOperators.IS_NAN));
            FloatVector z4 = (COPY ? IntVector.fromArray(I, sh, b + 4 * vl).reinterpretAsFloats()
                    : FloatVector.fromMemorySegment(F, Mem.ALL, a0 + 4 * d, ORDER))
                    .add(FloatVector.fromMemorySegment(F, Mem.ALL, a1 + 4 * d, ORDER));
            FloatVector v4 = z4.blend(Fp.NAN_F32, z4.test(VectorOperators.IS_NAN));
            FloatVector z5 = (COPY ? IntVector.fromArray(I, sh, b + 5 * vl).reinterpretAsFloats()
                    : FloatVector.fromMemorySegment(F, Mem.ALL, a0 + 5 * d, ORDER))
                    .add(FloatVector.fromMemorySegment(F, Mem.ALL, a1 + 5 * d, ORDER));
            FloatVector v5 = z5.blend(Fp.NAN_F32, z5.test(VectorOperators.IS_NAN));
            FloatVector z6 = (COPY ? IntVector.fromArray(I, sh, b + 6 * vl).reinterpretAsFloats()
                    : FloatVector.fromMemorySegment(F, Mem.ALL, a0 + 6 * d, ORDER))
                    .add(FloatVector.fromMemorySegment(F, Mem.ALL, a1 + 6 * d, ORDER));
            FloatVector v6 = z6.blend(Fp.NAN_F32, z6.test(VectorOperators.IS_NAN));
            FloatVector z7 = (COPY ? IntVector.fromArray(I, sh, b + 7 * vl).reinterpretAsFloats()
                    : FloatVector.fromMemorySegment(F, Mem.ALL, a0 + 7 * d, ORDER))
                    .add(FloatVector.fromMemorySegment(F, Mem.ALL, a1 + 7 * d, ORDER));
            FloatVector v7 = z7.blend(Fp.NAN_F32, z7.test(VectorOperators.IS_NAN));
            FloatVector z8 = (COPY ? IntVector.fromArray(I, sh, b + 8 * vl).reinterpretAsFloats()
                    : FloatVector.fromMemorySegment(F, Mem.ALL, a0 + 8 * d, ORDER))
                    .add(FloatVector.fromMemorySegment(F, Mem.ALL, a1 + 8 * d, ORDER));
            FloatVector v8 = z8.blend(Fp.NAN_F32, z8.test(VectorOperators.IS_NAN));
            FloatVector z9 = (COPY ? IntVector.fromArray(I, sh, b + 9 * vl).reinterpretAsFloats()
                    : FloatVector.fromMemorySegment(F, Mem.ALL, a0 + 9 * d, ORDER))
                    .add(FloatVector.fromMemorySegment(F, Mem.ALL, a1 + 9 * d, ORDER));
            FloatVector v9 = z9.blend(Fp.NAN_F32, z9.test(VectorOperators.IS_NAN));
            FloatVector z10 = (COPY ? IntVector.fromArray(I, sh, b + 10 * vl).reinterpretAsFloats()
                    : FloatVector.fromMemorySegment(F, Mem.ALL, a0 + 10 * d, ORDER))
                    .add(FloatVector.fromMemorySegment(F, Mem.ALL, a1 + 10 * d, ORDER));
            FloatVector v10 = z10.blend(Fp.NAN_F32, z10.test(VectorOperators.IS_NAN));
            FloatVector z11 = (COPY ? IntVector.fromArray(I, sh, b + 11 * vl).reinterpretAsFloats()
                    : FloatVector.fromMemorySegment(F, Mem.ALL, a0 + 11 * d, ORDER))
                    .add(FloatVector.fromMemorySegment(F, Mem.ALL, a1 + 11 * d, ORDER));
            FloatVector v11 = z11.blend(Fp.NAN_F32, z11.test(VectorOperators.IS_NAN));
            FloatVector z12 = (COPY ? IntVector.fromArray(I, sh, b + 12 * vl).reinterpretAsFloats()
                    : FloatVector.fromMemorySegment(F, Mem.ALL, a0 + 12 * d, ORDER))
                    .add(FloatVector.fromMemorySegment(F, Mem.ALL, a1 + 12 * d, ORDER));
            FloatVector v12 = z12.blend(Fp.NAN_F32, z12.test(VectorOperators.IS_NAN));
            FloatVector z13 = (COPY ? IntVector.fromArray(I, sh, b + 13 * vl).reinterpretAsFloats()
                    : FloatVector.fromMemorySegment(F, Mem.ALL, a0 + 13 * d, ORDER))
                    .add(FloatVector.fromMemorySegment(F, Mem.ALL, a1 + 13 * d, ORDER));
            FloatVector v13 = z13.blend(Fp.NAN_F32, z13.test(VectorOperators.IS_NAN));
            FloatVector z14 = (COPY ? IntVector.fromArray(I, sh, b + 14 * vl).reinterpretAsFloats()
                    : FloatVector.fromMemorySegment(F, Mem.ALL, a0 + 14 * d, ORDER))
                    .add(FloatVector.fromMemorySegment(F, Mem.ALL, a1 + 14 * d, ORDER));
            FloatVector v14 = z14.blend(Fp.NAN_F32, z14.test(VectorOperators.IS_NAN));
            FloatVector z15 = (COPY ? IntVector.fromArray(I, sh, b + 15 * vl).reinterpretAsFloats()
                    : FloatVector.fromMemorySegment(F, Mem.ALL, a0 + 15 * d, ORDER))
                    .add(FloatVector.fromMemorySegment(F, Mem.ALL, a1 + 15 * d, ORDER));
            FloatVector v15 = z15.blend(Fp.NAN_F32, z15.test(VectorOperators.IS_NAN));
            v0.reinterpretAsInts().intoArray(sh, b + 0 * vl);
            v1.reinterpretAsInts().intoArray(sh, b + 1 * vl);
            v2.reinterpretAsInts().intoArray(sh, b + 2 * vl);
            v3.reinterpretAsInts().intoArray(sh, b + 3 * vl);
            v4.reinterpretAsInts().intoArray(sh, b + 4 * vl);
            v5.reinterpretAsInts().intoArray(sh, b + 5 * vl);
            v6.reinterpretAsInts().intoArray(sh, b + 6 * vl);
            v7.reinterpretAsInts().intoArray(sh, b + 7 * vl);
            v8.reinterpretAsInts().intoArray(sh, b + 8 * vl);
            v9.reinterpretAsInts().intoArray(sh, b + 9 * vl);
            v10.reinterpretAsInts().intoArray(sh, b + 10 * vl);
            v11.reinterpretAsInts().intoArray(sh, b + 11 * vl);
            v12.reinterpretAsInts().intoArray(sh, b + 12 * vl);
            v13.reinterpretAsInts().intoArray(sh, b + 13 * vl);
            v14.reinterpretAsInts().intoArray(sh, b + 14 * vl);
            v15.reinterpretAsInts().intoArray(sh, b + 15 * vl);
            // the ladder (LaneVecOps.treeLadder) from the vectors just stored
            FloatVector za0 = v0.add(v8);
            FloatVector a0v = za0.blend(Fp.NAN_F32, za0.test(VectorOperators.IS_NAN));
            FloatVector za1 = v1.add(v9);
            FloatVector a1v = za1.blend(Fp.NAN_F32, za1.test(VectorOperators.IS_NAN));
            FloatVector za2 = v2.add(v10);
            FloatVector a2v = za2.blend(Fp.NAN_F32, za2.test(VectorOperators.IS_NAN));
            FloatVector za3 = v3.add(v11);
            FloatVector a3v = za3.blend(Fp.NAN_F32, za3.test(VectorOperators.IS_NAN));
            FloatVector za4 = v4.add(v12);
            FloatVector a4v = za4.blend(Fp.NAN_F32, za4.test(VectorOperators.IS_NAN));
            FloatVector za5 = v5.add(v13);
            FloatVector a5v = za5.blend(Fp.NAN_F32, za5.test(VectorOperators.IS_NAN));
            FloatVector za6 = v6.add(v14);
            FloatVector a6v = za6.blend(Fp.NAN_F32, za6.test(VectorOperators.IS_NAN));
            FloatVector za7 = v7.add(v15);
            FloatVector a7v = za7.blend(Fp.NAN_F32, za7.test(VectorOperators.IS_NAN));
            a0v.reinterpretAsInts().intoArray(sh, b + 0 * vl);
            a1v.reinterpretAsInts().intoArray(sh, b + 1 * vl);
            a2v.reinterpretAsInts().intoArray(sh, b + 2 * vl);
            a3v.reinterpretAsInts().intoArray(sh, b + 3 * vl);
            a4v.reinterpretAsInts().intoArray(sh, b + 4 * vl);
            a5v.reinterpretAsInts().intoArray(sh, b + 5 * vl);
            a6v.reinterpretAsInts().intoArray(sh, b + 6 * vl);
            a7v.reinterpretAsInts().intoArray(sh, b + 7 * vl);
            FloatVector zc0 = a0v.add(a4v);
            FloatVector c0 = zc0.blend(Fp.NAN_F32, zc0.test(VectorOperators.IS_NAN));
            FloatVector zc1 = a1v.add(a5v);
            FloatVector c1 = zc1.blend(Fp.NAN_F32, zc1.test(VectorOperators.IS_NAN));
            FloatVector zc2 = a2v.add(a6v);
            FloatVector c2 = zc2.blend(Fp.NAN_F32, zc2.test(VectorOperators.IS_NAN));
            FloatVector zc3 = a3v.add(a7v);
            FloatVector c3 = zc3.blend(Fp.NAN_F32, zc3.test(VectorOperators.IS_NAN));
            c0.reinterpretAsInts().intoArray(sh, b + 0 * vl);
            c1.reinterpretAsInts().intoArray(sh, b + 1 * vl);
            c2.reinterpretAsInts().intoArray(sh, b + 2 * vl);
            c3.reinterpretAsInts().intoArray(sh, b + 3 * vl);
            FloatVector zd0 = c0.add(c2);
            FloatVector d0 = zd0.blend(Fp.NAN_F32, zd0.test(VectorOperators.IS_NAN));
            FloatVector zd1 = c1.add(c3);
            FloatVector d1 = zd1.blend(Fp.NAN_F32, zd1.test(VectorOperators.IS_NAN));
            d0.reinterpretAsInts().intoArray(sh, b + 0 * vl);
            d1.reinterpretAsInts().intoArray(sh, b + 1 * vl);
            FloatVector ze0 = d0.add(d1);
            FloatVector e0 = ze0.blend(Fp.NAN_F32, ze0.test(VectorOperators.IS_NAN));
            e0.reinterpretAsInts().intoArray(sh, b + 0 * vl);
        }
    }
}
