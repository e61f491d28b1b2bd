package org.transcuda.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
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

    /**
     * Whether the words {@code b + tx + cy·ty + cz·tz} of one store and {@code b2 + tx + cy2·ty + cz2·tz} of another,
     * over the block's threads, lie in disjoint ranges (LaneVec.COPY runs a group's stores one after the other).
     */
    static boolean apart(int b, int cy, int cz, int b2, int cy2, int cz2, int ntx, int nty, int ntz) {
        long lo = b + Math.min(0L, (long) cy * (nty - 1)) + Math.min(0L, (long) cz * (ntz - 1));
        long hi = b + (ntx - 1L) + Math.max(0L, (long) cy * (nty - 1)) + Math.max(0L, (long) cz * (ntz - 1));
        long lo2 = b2 + Math.min(0L, (long) cy2 * (nty - 1)) + Math.min(0L, (long) cz2 * (ntz - 1));
        long hi2 = b2 + (ntx - 1L) + Math.max(0L, (long) cy2 * (nty - 1)) + Math.max(0L, (long) cz2 * (ntz - 1));
        return hi < lo2 || hi2 < lo;
    }

    /**
     * {@link ArmLoadAdd}: {@code d[t] = canonical(d[t] + f32 at base + 4·t)} for whole vectors of threads from
     * {@code lo} while they end by {@code hi} (device memory read with {@code fromMemorySegment}, NaN lanes to
     * {@link Fp#CANON_F32}); returns the first thread not done.
     */
    static int addLoadF32(float[] d, int lo, int hi, long base) {
        int vl = F.length();
        int t = lo;
        for (; t + vl <= hi; t += vl) {
            FloatVector v = FloatVector.fromArray(F, d, t)
                    .add(FloatVector.fromMemorySegment(F, Mem.ALL, base + 4L * t, ORDER));
            v.blend(Fp.NAN_F32, v.test(VectorOperators.IS_NAN)).intoArray(d, t);
        }
        return t;
    }

    /**
     * {@link ArmChain}: one step's {@code sh[ws + t] = canonical(op(sh[w0 + t], sh[w1 + t]))} (operands swapped when
     * {@code swap}; op {@link ArmChain#ADD}, {@code SUB} or {@code MUL}) for whole vectors of threads from {@code lo}
     * while they end by {@code hi}; returns the first thread not done.
     */
    static int chainStep(int[] sh, int w0, int w1, int ws, int lo, int hi, int arith, boolean swap) {
        int vl = I.length();
        int t = lo;
        for (; t + vl <= hi; t += vl) {
            FloatVector x = IntVector.fromArray(I, sh, w0 + t).reinterpretAsFloats();
            FloatVector y = IntVector.fromArray(I, sh, w1 + t).reinterpretAsFloats();
            FloatVector a = swap ? y : x, b = swap ? x : y;
            FloatVector z = arith == ArmChain.ADD ? a.add(b) : arith == ArmChain.SUB ? a.sub(b) : a.mul(b);
            z.blend(Fp.NAN_F32, z.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, ws + t);
        }
        return t;
    }

    /**
     * {@link TreeRegs}: the four halving steps {@code n = 8·VL, 4·VL, 2·VL, VL} of a tree over words {@code b ..
     * b+16·VL-1}: {@code sh[b + t] = canonical(sh[b + t] + sh[b + n + t])} for {@code t < n}, each step fully after the
     * one before, the 16 vectors loaded once and every step's results kept in registers and stored (straight code: the
     * vectors stay in registers; the NaN blends written out, not a helper method, which C2 did not inline). The caller has checked the words inside {@code sh}.
     */
    static void treeLadder(int[] sh, int b) {
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
        a0.reinterpretAsInts().intoArray(sh, b + 0 * vl);
        a1.reinterpretAsInts().intoArray(sh, b + 1 * vl);
        a2.reinterpretAsInts().intoArray(sh, b + 2 * vl);
        a3.reinterpretAsInts().intoArray(sh, b + 3 * vl);
        a4.reinterpretAsInts().intoArray(sh, b + 4 * vl);
        a5.reinterpretAsInts().intoArray(sh, b + 5 * vl);
        a6.reinterpretAsInts().intoArray(sh, b + 6 * vl);
        a7.reinterpretAsInts().intoArray(sh, b + 7 * vl);
        FloatVector zc0 = a0.add(a4);
        FloatVector c0 = zc0.blend(Fp.NAN_F32, zc0.test(VectorOperators.IS_NAN));
        FloatVector zc1 = a1.add(a5);
        FloatVector c1 = zc1.blend(Fp.NAN_F32, zc1.test(VectorOperators.IS_NAN));
        FloatVector zc2 = a2.add(a6);
        FloatVector c2 = zc2.blend(Fp.NAN_F32, zc2.test(VectorOperators.IS_NAN));
        FloatVector zc3 = a3.add(a7);
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


    static int length() {
        return F.length() == I.length() ? F.length() : 0;
    }
}
