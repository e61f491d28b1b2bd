package org.transcuda.backend.cpu;

import java.nio.ByteOrder;
import java.util.Map;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Lockstep engine: a block's input pass and its whole halving tree as one straight method with the values in vector
 * registers ({@code -Dtranscuda.cpu.inputTree=false} turns it off). In reduce, {@link InputFuse} runs the input phase
 * ({@code v = in[i] + in[i + 256]}, canonical, {@code s[t] = v}) from {@code ls0} and returns the segment after
 * {@code ls4}'s {@code bar.sync}, whose method starts with {@link ArmChain#run}; the chain's plan
 * ({@link ArmChainPlan}) is {@link TreeRegs}' ladder (steps 128..16) and {@link TailLine}'s tail (8..1). Each of the
 * three reads back from the shared window what the one before just stored (the copy stub's words, the add loop's
 * vectors, the ladder's last vector as 16 scalars). Here, per block, {@link Vec#block} reads the 16 pairs of input
 * vectors from device memory, adds them, runs the ladder's four levels and the tail's four levels on the values in
 * registers, and then stores the window's final state (every word once, with the value the kernel's steps leave in it),
 * and the segment after the chain is returned. The plain-Java micro-benchmark {@code bench/micro/ReduceIdeal.java}
 * (forms {@code engine} and {@code regsFinalV}) is this change outside the engine.
 *
 * <p>Applies (linked when the kernel is compiled: the segment after InputFuse's barrier is the one whose method starts
 * with an {@link ArmChain} chain, looked up on first use from the compiler's per-segment map of the chains it
 * registered) to a block where InputFuse's pass runs (all its run-time checks passed: every thread active in a
 * one-dimensional block, the device sites checked for the block with consecutive elements, the window words inside the
 * window) with two arms, a LOAD then an ADD, both over all {@code n} threads; where the chain would run for this block
 * from its plan ({@link ArmChain#planFor}: the ranges checked and the plan built for this launch and worker); the plan
 * is exactly a {@link ArmChainPlan#LADDER} and a {@link ArmChainPlan#TAIL} (each followed by its three
 * {@link ArmChainPlan#SKIP}s, nothing else), both at the pass's first word {@code B}; the vectors have 16 lanes and
 * {@code n = 256}. Then the pass stores words {@code B .. B+255}, the ladder halves them (128, 64, 32, 16 threads from
 * {@code B}) and the tail (8, 4, 2, 1) completes the tree over the same words. Otherwise InputFuse's own pass runs and
 * returns as before (the chain then runs, or not, from its segment).
 *
 * <p>Why the barrier and the segment transition may be skipped: InputFuse already returns the segment after the
 * barrier (with every thread active a complete {@code bar.sync} does nothing), and the dispatcher goes from a
 * segment's result straight to that segment's method, whose first action is the chain; between the pass and the chain
 * no thread runs any statement, and the window belongs to this block alone (one worker runs a block), so nothing can
 * observe the window between the steps: only its state after the chain can be read (by the block's later segments).
 * Why the bits are the same: each value is the one the steps compute — the pass's {@code canon(in0 + in1)} in its
 * operand order (the LOAD's raw float first), each ladder level's {@code canon(s[B+t] + s[B+n+t])} as
 * {@link LaneVecOps#treeLadder} computes it, each tail level's sum as {@link TailLine#run} computes it (the tail's
 * operands are the ladder's last vector's lanes, the words it would load; the locals keep the sums before
 * canonicalization as TailLine's do: a NaN operand gives a NaN sum either way and every stored NaN is
 * {@link Fp#CANON_F32}) — and each window word is stored once with the last value the steps store into it (words
 * {@code B+128..} the pass's, {@code B+64..} the first level's, {@code B+32..}, {@code B+16..}, {@code B+8..} the
 * later levels', {@code B+4..B+7}, {@code B+2..}, {@code B+1}, {@code B} the tail's). The counters count what the
 * replaced paths count (InputFuse's pass, the chain, its plan, its kept predicates, the ladder, the tail) plus
 * {@link Exec#inputTrees}. Nothing here can fault: InputFuse checked the device sites and the window, the chain's plan
 * its words.
 */
final class InputTree {
    /** On unless {@code -Dtranscuda.cpu.inputTree=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.inputTree"));

    private InputTree() {
    }

    /**
     * The link from an InputFuse region to the chain whose method is the segment after its barrier: the compiler's
     * map of chains by segment (filled as it emits the segment methods, after the region), resolved on first use.
     */
    static final class Link {
        private final Map<Integer, Integer> chainAt;
        private final int seg;
        /** The chain's id in the kernel's table; -2 until looked up, -1: none. */
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
        return ENABLED && LaneVec.length() == 16 ? new Link(chainAt, seg) : null;
    }

    /** Whether plan {@code p} is exactly the ladder and the tail over words from {@code b}. */
    static boolean shape(int[] p, int b) {
        int h = ArmChainPlan.H, w = ArmChainPlan.W;
        if (p.length != h + 8 * w) return false;
        for (int k = 0; k < 8; k++) {
            int want = k == 0 ? ArmChainPlan.LADDER : k == 4 ? ArmChainPlan.TAIL : ArmChainPlan.SKIP;
            if (p[h + w * k] != want) return false;
        }
        return p[h + 3] == b && p[h + 4 * w + 3] == b;
    }

    /**
     * InputFuse's pass (first arm LOAD at device address {@code a0}, second arm ADD at {@code a1}, both over all
     * {@code n} threads, words {@code w0 ..} of {@code sh}) with the chain after its barrier: the segment after the
     * chain, or -1 (nothing written; the caller runs its own pass).
     */
    static int run(Exec e, Link l, long a0, long a1, int[] sh, int w0, int n) {
        int id = l.chain();
        if (id < 0 || n != 256) return -1;
        int[] p = ArmChain.planFor(e, id);
        if (p == null || !shape(p, w0)) return -1;
        Vec.block(sh, w0, a0, a1);
        e.treeRegs++;
        e.tailLines++;
        e.armChainPreds += p[0];
        e.armChainPlans++;
        e.armChains++;
        e.inputTrees++;
        return e.armChainTable[id].next();
    }

    /** The straight method, in its own class so that the vector module is only loaded where it is present. */
    static final class Vec {
        private static final VectorSpecies<Float> F = LaneVecOps.F;
        private static final ByteOrder ORDER = ByteOrder.nativeOrder();

        private Vec() {
        }

        private static int bits(float z) {
            return z != z ? Fp.CANON_F32 : Float.floatToRawIntBits(z);
        }

        /**
         * Words {@code b .. b+255} of {@code sh}: the pass {@code canon(f32 at p0 + 4·t + f32 at p1 + 4·t)}, the
         * ladder's levels 128, 64, 32, 16 and the tail's 8, 4, 2, 1 in registers, then the window's final state.
         * Straight code, 16-lane vectors, the NaN blends written out (C2 did not inline a helper taking vectors). The
         * caller has checked the device ranges and the words inside {@code sh}.
         */
        static void block(int[] sh, int b, long p0, long p1) {
            FloatVector z0 = FloatVector.fromMemorySegment(F, Mem.ALL, p0 + 0L, ORDER)
                    .add(FloatVector.fromMemorySegment(F, Mem.ALL, p1 + 0L, ORDER));
            FloatVector v0 = z0.blend(Fp.NAN_F32, z0.test(VectorOperators.IS_NAN));
            FloatVector z1 = FloatVector.fromMemorySegment(F, Mem.ALL, p0 + 64L, ORDER)
                    .add(FloatVector.fromMemorySegment(F, Mem.ALL, p1 + 64L, ORDER));
            FloatVector v1 = z1.blend(Fp.NAN_F32, z1.test(VectorOperators.IS_NAN));
            FloatVector z2 = FloatVector.fromMemorySegment(F, Mem.ALL, p0 + 128L, ORDER)
                    .add(FloatVector.fromMemorySegment(F, Mem.ALL, p1 + 128L, ORDER));
            FloatVector v2 = z2.blend(Fp.NAN_F32, z2.test(VectorOperators.IS_NAN));
            FloatVector z3 = FloatVector.fromMemorySegment(F, Mem.ALL, p0 + 192L, ORDER)
                    .add(FloatVector.fromMemorySegment(F, Mem.ALL, p1 + 192L, ORDER));
            FloatVector v3 = z3.blend(Fp.NAN_F32, z3.test(VectorOperators.IS_NAN));
            FloatVector z4 = FloatVector.fromMemorySegment(F, Mem.ALL, p0 + 256L, ORDER)
                    .add(FloatVector.fromMemorySegment(F, Mem.ALL, p1 + 256L, ORDER));
            FloatVector v4 = z4.blend(Fp.NAN_F32, z4.test(VectorOperators.IS_NAN));
            FloatVector z5 = FloatVector.fromMemorySegment(F, Mem.ALL, p0 + 320L, ORDER)
                    .add(FloatVector.fromMemorySegment(F, Mem.ALL, p1 + 320L, ORDER));
            FloatVector v5 = z5.blend(Fp.NAN_F32, z5.test(VectorOperators.IS_NAN));
            FloatVector z6 = FloatVector.fromMemorySegment(F, Mem.ALL, p0 + 384L, ORDER)
                    .add(FloatVector.fromMemorySegment(F, Mem.ALL, p1 + 384L, ORDER));
            FloatVector v6 = z6.blend(Fp.NAN_F32, z6.test(VectorOperators.IS_NAN));
            FloatVector z7 = FloatVector.fromMemorySegment(F, Mem.ALL, p0 + 448L, ORDER)
                    .add(FloatVector.fromMemorySegment(F, Mem.ALL, p1 + 448L, ORDER));
            FloatVector v7 = z7.blend(Fp.NAN_F32, z7.test(VectorOperators.IS_NAN));
            FloatVector z8 = FloatVector.fromMemorySegment(F, Mem.ALL, p0 + 512L, ORDER)
                    .add(FloatVector.fromMemorySegment(F, Mem.ALL, p1 + 512L, ORDER));
            FloatVector v8 = z8.blend(Fp.NAN_F32, z8.test(VectorOperators.IS_NAN));
            FloatVector z9 = FloatVector.fromMemorySegment(F, Mem.ALL, p0 + 576L, ORDER)
                    .add(FloatVector.fromMemorySegment(F, Mem.ALL, p1 + 576L, ORDER));
            FloatVector v9 = z9.blend(Fp.NAN_F32, z9.test(VectorOperators.IS_NAN));
            FloatVector z10 = FloatVector.fromMemorySegment(F, Mem.ALL, p0 + 640L, ORDER)
                    .add(FloatVector.fromMemorySegment(F, Mem.ALL, p1 + 640L, ORDER));
            FloatVector v10 = z10.blend(Fp.NAN_F32, z10.test(VectorOperators.IS_NAN));
            FloatVector z11 = FloatVector.fromMemorySegment(F, Mem.ALL, p0 + 704L, ORDER)
                    .add(FloatVector.fromMemorySegment(F, Mem.ALL, p1 + 704L, ORDER));
            FloatVector v11 = z11.blend(Fp.NAN_F32, z11.test(VectorOperators.IS_NAN));
            FloatVector z12 = FloatVector.fromMemorySegment(F, Mem.ALL, p0 + 768L, ORDER)
                    .add(FloatVector.fromMemorySegment(F, Mem.ALL, p1 + 768L, ORDER));
            FloatVector v12 = z12.blend(Fp.NAN_F32, z12.test(VectorOperators.IS_NAN));
            FloatVector z13 = FloatVector.fromMemorySegment(F, Mem.ALL, p0 + 832L, ORDER)
                    .add(FloatVector.fromMemorySegment(F, Mem.ALL, p1 + 832L, ORDER));
            FloatVector v13 = z13.blend(Fp.NAN_F32, z13.test(VectorOperators.IS_NAN));
            FloatVector z14 = FloatVector.fromMemorySegment(F, Mem.ALL, p0 + 896L, ORDER)
                    .add(FloatVector.fromMemorySegment(F, Mem.ALL, p1 + 896L, ORDER));
            FloatVector v14 = z14.blend(Fp.NAN_F32, z14.test(VectorOperators.IS_NAN));
            FloatVector z15 = FloatVector.fromMemorySegment(F, Mem.ALL, p0 + 960L, ORDER)
                    .add(FloatVector.fromMemorySegment(F, Mem.ALL, p1 + 960L, ORDER));
            FloatVector v15 = z15.blend(Fp.NAN_F32, z15.test(VectorOperators.IS_NAN));
            FloatVector za0 = v0.add(v8);
            FloatVector a0 = za0.blend(Fp.NAN_F32, za0.test(VectorOperators.IS_NAN));
            FloatVector za1 = v1.add(v9);
            FloatVector a1 = za1.blend(Fp.NAN_F32, za1.test(VectorOperators.IS_NAN));
            FloatVector za2 = v2.add(v10);
            FloatVector a2 = za2.blend(Fp.NAN_F32, za2.test(VectorOperators.IS_NAN));
            FloatVector za3 = v3.add(v11);
            FloatVector a3 = za3.blend(Fp.NAN_F32, za3.test(VectorOperators.IS_NAN));
            FloatVector za4 = v4.add(v12);
            FloatVector a4 = za4.blend(Fp.NAN_F32, za4.test(VectorOperators.IS_NAN));
            FloatVector za5 = v5.add(v13);
            FloatVector a5 = za5.blend(Fp.NAN_F32, za5.test(VectorOperators.IS_NAN));
            FloatVector za6 = v6.add(v14);
            FloatVector a6 = za6.blend(Fp.NAN_F32, za6.test(VectorOperators.IS_NAN));
            FloatVector za7 = v7.add(v15);
            FloatVector a7 = za7.blend(Fp.NAN_F32, za7.test(VectorOperators.IS_NAN));
            FloatVector zc0 = a0.add(a4);
            FloatVector c0 = zc0.blend(Fp.NAN_F32, zc0.test(VectorOperators.IS_NAN));
            FloatVector zc1 = a1.add(a5);
            FloatVector c1 = zc1.blend(Fp.NAN_F32, zc1.test(VectorOperators.IS_NAN));
            FloatVector zc2 = a2.add(a6);
            FloatVector c2 = zc2.blend(Fp.NAN_F32, zc2.test(VectorOperators.IS_NAN));
            FloatVector zc3 = a3.add(a7);
            FloatVector c3 = zc3.blend(Fp.NAN_F32, zc3.test(VectorOperators.IS_NAN));
            FloatVector zd0 = c0.add(c2);
            FloatVector d0 = zd0.blend(Fp.NAN_F32, zd0.test(VectorOperators.IS_NAN));
            FloatVector zd1 = c1.add(c3);
            FloatVector d1 = zd1.blend(Fp.NAN_F32, zd1.test(VectorOperators.IS_NAN));
            FloatVector ze0 = d0.add(d1);
            FloatVector e0 = ze0.blend(Fp.NAN_F32, ze0.test(VectorOperators.IS_NAN));
            // the tail (TailLine's steps) from the last vector's lanes
            float x0 = e0.lane(0), x1 = e0.lane(1), x2 = e0.lane(2), x3 = e0.lane(3), x4 = e0.lane(4);
            float x5 = e0.lane(5), x6 = e0.lane(6), x7 = e0.lane(7), x8 = e0.lane(8), x9 = e0.lane(9);
            float x10 = e0.lane(10), x11 = e0.lane(11), x12 = e0.lane(12), x13 = e0.lane(13);
            float x14 = e0.lane(14), x15 = e0.lane(15);
            float t0 = x0 + x8, t1 = x1 + x9, t2 = x2 + x10, t3 = x3 + x11;
            float t4 = x4 + x12, t5 = x5 + x13, t6 = x6 + x14, t7 = x7 + x15;
            float u0 = t0 + t4, u1 = t1 + t5, u2 = t2 + t6, u3 = t3 + t7;
            float q0 = u0 + u2, q1 = u1 + u3;
            float r0 = q0 + q1;
            // the window's final state: each word once, the last value the steps store into it
            v8.reinterpretAsInts().intoArray(sh, b + 128);
            v9.reinterpretAsInts().intoArray(sh, b + 144);
            v10.reinterpretAsInts().intoArray(sh, b + 160);
            v11.reinterpretAsInts().intoArray(sh, b + 176);
            v12.reinterpretAsInts().intoArray(sh, b + 192);
            v13.reinterpretAsInts().intoArray(sh, b + 208);
            v14.reinterpretAsInts().intoArray(sh, b + 224);
            v15.reinterpretAsInts().intoArray(sh, b + 240);
            a4.reinterpretAsInts().intoArray(sh, b + 64);
            a5.reinterpretAsInts().intoArray(sh, b + 80);
            a6.reinterpretAsInts().intoArray(sh, b + 96);
            a7.reinterpretAsInts().intoArray(sh, b + 112);
            c2.reinterpretAsInts().intoArray(sh, b + 32);
            c3.reinterpretAsInts().intoArray(sh, b + 48);
            d1.reinterpretAsInts().intoArray(sh, b + 16);
            e0.reinterpretAsInts().intoArray(sh, b);
            sh[b + 7] = bits(t7);
            sh[b + 6] = bits(t6);
            sh[b + 5] = bits(t5);
            sh[b + 4] = bits(t4);
            sh[b + 3] = bits(u3);
            sh[b + 2] = bits(u2);
            sh[b + 1] = bits(q1);
            sh[b] = bits(r0);
        }
    }
}
