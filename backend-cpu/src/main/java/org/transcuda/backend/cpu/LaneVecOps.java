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

    static int length() {
        return F.length() == I.length() ? F.length() : 0;
    }
}
