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

    /** Temporary: "B" — InputFuse's own pass, then the whole plan from memory; else the ladder's first level fused. */
    static final String FORM = System.getProperty("transcuda.cpu.fuseTreeForm", "E");

    /**
     * InputFuse's pass (first arm LOAD at device address {@code a0}, second arm ADD at {@code a1}, both over all
     * {@code n} threads, words {@code w0 ..} of {@code sh}) with the chain after it: the segment after the chain, or
     * -1 (nothing written; the caller runs its own pass).
     */
    static int run(Exec e, Link l, long a0, long a1, int[] sh, int w0, int n) {
        int id = l.chain();
        if (id < 0) return -1;
        int[] p = ArmChain.planFor(e, id);
        if (p == null) return -1;
        int o = ArmChainPlan.H;
        if ("B".equals(FORM)) {
            InputFuse.pass2(a0, a1, sh, w0, n);
            e.fuseTrees++;
            return ArmChainPlan.runFrom(e, ArmChain.chain(id), e.armChainRanges, p, o, 0);
        }
        int after = o + 4 * ArmChainPlan.W;
        if (p.length < after || p[o] != ArmChainPlan.LADDER || p[o + 3] != w0 || 16 * LaneVec.length() != n) {
            return -1;
        }
        Vec.passLevel1(sh, w0, a0, a1, n / (2 * LaneVec.length()));
        Vec.ladderRest(sh, w0);
        e.treeRegs++;
        e.fuseTrees++;
        return ArmChainPlan.runFrom(e, ArmChain.chain(id), e.armChainRanges, p, after, 4);
    }

    /** The straight method, in its own class so that the vector module is only loaded where it is present. */
    static final class Vec {
        private static final VectorSpecies<Float> F = LaneVecOps.F;
        private static final VectorSpecies<Integer> I = LaneVecOps.I;
        private static final ByteOrder ORDER = ByteOrder.nativeOrder();

        private Vec() {
        }

        /**
         * The pass and the ladder's first level, one loop over {@code k < 8} (one instruction per device stream, so
         * the hardware's stride prefetch follows them): {@code x = canonical(in_0 + in_1)} at words {@code b + k·VL}
         * and {@code y} likewise at {@code b + (k+8)·VL}, both stored, then {@code canonical(x + y)} stored at words
         * {@code b + k·VL} (the first level's store of the same words, later in program order).
         */
        static void passLevel1(int[] sh, int b, long a0, long a1, int m) {
            int vl = F.length();
            int h = m * vl;
            long dh = 4L * h;
            for (int k = 0; k < m; k++) {
                int w = b + k * vl;
                long o = 4L * k * vl;
                FloatVector zx = FloatVector.fromMemorySegment(F, Mem.ALL, a0 + o, ORDER)
                        .add(FloatVector.fromMemorySegment(F, Mem.ALL, a1 + o, ORDER));
                FloatVector x = zx.blend(Fp.NAN_F32, zx.test(VectorOperators.IS_NAN));
                FloatVector zy = FloatVector.fromMemorySegment(F, Mem.ALL, a0 + dh + o, ORDER)
                        .add(FloatVector.fromMemorySegment(F, Mem.ALL, a1 + dh + o, ORDER));
                FloatVector y = zy.blend(Fp.NAN_F32, zy.test(VectorOperators.IS_NAN));
                y.reinterpretAsInts().intoArray(sh, w + h);
                x.reinterpretAsInts().intoArray(sh, w);
                FloatVector za = x.add(y);
                za.blend(Fp.NAN_F32, za.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, w);
            }
        }

        /** {@link LaneVecOps#treeLadder}'s levels 2, 3, 4 from the first level's 8 vectors at words {@code b ..}. */
        static void ladderRest(int[] sh, int b) {
            int vl = I.length();
            FloatVector a0v = IntVector.fromArray(I, sh, b + 0 * vl).reinterpretAsFloats();
            FloatVector a1v = IntVector.fromArray(I, sh, b + 1 * vl).reinterpretAsFloats();
            FloatVector a2v = IntVector.fromArray(I, sh, b + 2 * vl).reinterpretAsFloats();
            FloatVector a3v = IntVector.fromArray(I, sh, b + 3 * vl).reinterpretAsFloats();
            FloatVector a4v = IntVector.fromArray(I, sh, b + 4 * vl).reinterpretAsFloats();
            FloatVector a5v = IntVector.fromArray(I, sh, b + 5 * vl).reinterpretAsFloats();
            FloatVector a6v = IntVector.fromArray(I, sh, b + 6 * vl).reinterpretAsFloats();
            FloatVector a7v = IntVector.fromArray(I, sh, b + 7 * vl).reinterpretAsFloats();
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
