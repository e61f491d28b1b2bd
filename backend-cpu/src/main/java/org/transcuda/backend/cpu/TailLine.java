package org.transcuda.backend.cpu;

/**
 * Lockstep engine: a tree's last four halving steps {@code 8, 4, 2, 1} over one base as straight-line scalar code
 * ({@code -Dtranscuda.cpu.tailLine=false} turns it off). reduce's {@code if (t < stride) s[t] += s[t + stride];
 * __syncthreads();} for strides 8, 4, 2, 1 are, in {@link ArmChainPlan}'s flat plan after {@link TreeRegs}' ladder,
 * three scalar add loops of 8, 4 and 2 threads (fewer threads than one vector) and the fixed-word step {@code s[0] +=
 * s[1]}. A machine-code profile put ~58% of {@code ArmChainPlan.run}'s own samples (~20 ns per block) on those loops
 * (C2's pre-loop range checks, pre/main/post loops with strip-mining and a safepoint poll) around 15 adds. Here
 * the 16 words are read once into locals and the 15 adds, their NaN canonicalizations and their 15 stores are one
 * straight block of code without a loop ({@link #run}).
 *
 * <p>Applies (decided when the plan is built, once per launch and worker, {@link #mark}) to four consecutive plan steps
 * that are each {@link ArmChainPlan#FLAT} or {@link ArmChainPlan#STRIDED} with operation {@link ArmChain#ADD}, ranges of
 * {@code n = 8, 4, 2, 1} threads from their {@code lo}, whose store's word for thread {@code lo + t} is {@code B + t}
 * with the same {@code B} in all four, and whose two loads' words are {@code B + t} and {@code B + n + t} (either
 * operand order); each access's word is {@code w + stride·thread} (the plan's word and stride). The plan's range check
 * ({@link ArmChain#check}) already put every word of the four steps inside the shared window; the run declines nothing.
 *
 * <p>Why the result is the same bits: step {@code n} computes, for {@code t < n} in thread order, {@code w[B+t] =
 * canon(w[B+t] + w[B+n+t])}; a thread's store (word {@code B+t}) is never read by a later thread of the same step
 * (those read {@code B+t'}, {@code t' > t}, and {@code B+n+t' >= B+n}), so the step's results do not depend on its
 * threads' order. The locals hold exactly the words the loads would read (the first step's from the window; each later
 * step reads only words the step before stored; the locals hold the sums before canonicalization, which differ from the
stored words only for NaNs, and a NaN operand gives a NaN sum either way). Each
 * result is the same IEEE binary32 round-to-nearest addition of the same two values; the operands' order may differ
 * from the step's ({@code s[t+n] + s[t]} in reduce), but that addition is commutative for every non-NaN result, and a
 * NaN result is stored as {@link Fp#CANON_F32} whatever its payload, as the step stores it. Every word a step stores is
 * stored with the same value, in the same step order. Counted in {@link Exec#tailLines}.
 */
final class TailLine {
    /** On unless {@code -Dtranscuda.cpu.tailLine=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.tailLine"));

    private TailLine() {
    }

    /**
     * Marks in plan {@code p} ({@link ArmChainPlan#build}'s layout) every run of four steps that form the tail: the
     * first becomes {@link ArmChainPlan#TAIL} with its base word {@code B} at offset 3, the other three
     * {@link ArmChainPlan#SKIP}.
     */
    static void mark(int[] p, int steps) {
        for (int k = 0; k + 4 <= steps; k++) {
            long b = Long.MIN_VALUE;
            boolean ok = true;
            for (int j = 0; j < 4 && ok; j++) {
                int o = ArmChainPlan.H + ArmChainPlan.W * (k + j);
                int kind = p[o];
                int lo = p[o + 1], hi = p[o + 2];
                long n = 8 >> j;
                ok = (kind == ArmChainPlan.FLAT || kind == ArmChainPlan.STRIDED) && p[o + 7] == ArmChain.ADD
                        && (long) hi - lo == n;
                if (!ok) break;
                // words of thread lo: w + stride·lo; each access must move one word per thread unless n == 1
                long a = p[o + 3] + (long) p[o + 8] * lo, c = p[o + 4] + (long) p[o + 9] * lo;
                long s = p[o + 5] + (long) p[o + 10] * lo;
                if (n > 1) ok = p[o + 8] == 1 && p[o + 9] == 1 && p[o + 10] == 1;
                if (j == 0) b = s;
                ok = ok && s == b && (a == s && c == s + n || c == s && a == s + n);
            }
            if (!ok) continue;
            int o = ArmChainPlan.H + ArmChainPlan.W * k;
            p[o] = ArmChainPlan.TAIL;
            p[o + 3] = (int) b;
            for (int j = 1; j < 4; j++) p[ArmChainPlan.H + ArmChainPlan.W * (k + j)] = ArmChainPlan.SKIP;
            k += 3;
        }
    }

    /** The stored form of a sum: a NaN as {@link Fp#CANON_F32}. */
    private static int bits(float z) {
        return z != z ? Fp.CANON_F32 : Float.floatToRawIntBits(z);
    }

    /**
     * The steps 8, 4, 2, 1 over words {@code b .. b+15} of {@code sh}: {@code sh[b + t] = canonical(sh[b + t] +
     * sh[b + n + t])} for {@code t < n}, each step fully after the one before. The caller has checked the words.
     */
    static void run(int[] sh, int b) {
        if (b < 0 || b + 16 > sh.length) throw new ArrayIndexOutOfBoundsException(b);
        float x0 = Float.intBitsToFloat(sh[b]), x1 = Float.intBitsToFloat(sh[b + 1]);
        float x2 = Float.intBitsToFloat(sh[b + 2]), x3 = Float.intBitsToFloat(sh[b + 3]);
        float x4 = Float.intBitsToFloat(sh[b + 4]), x5 = Float.intBitsToFloat(sh[b + 5]);
        float x6 = Float.intBitsToFloat(sh[b + 6]), x7 = Float.intBitsToFloat(sh[b + 7]);
        float x8 = Float.intBitsToFloat(sh[b + 8]), x9 = Float.intBitsToFloat(sh[b + 9]);
        float x10 = Float.intBitsToFloat(sh[b + 10]), x11 = Float.intBitsToFloat(sh[b + 11]);
        float x12 = Float.intBitsToFloat(sh[b + 12]), x13 = Float.intBitsToFloat(sh[b + 13]);
        float x14 = Float.intBitsToFloat(sh[b + 14]), x15 = Float.intBitsToFloat(sh[b + 15]);
        // step 8
        float a0 = x0 + x8, a1 = x1 + x9, a2 = x2 + x10, a3 = x3 + x11;
        float a4 = x4 + x12, a5 = x5 + x13, a6 = x6 + x14, a7 = x7 + x15;
        sh[b] = bits(a0);
        sh[b + 1] = bits(a1);
        sh[b + 2] = bits(a2);
        sh[b + 3] = bits(a3);
        sh[b + 4] = bits(a4);
        sh[b + 5] = bits(a5);
        sh[b + 6] = bits(a6);
        sh[b + 7] = bits(a7);
        // step 4
        float c0 = a0 + a4, c1 = a1 + a5, c2 = a2 + a6, c3 = a3 + a7;
        sh[b] = bits(c0);
        sh[b + 1] = bits(c1);
        sh[b + 2] = bits(c2);
        sh[b + 3] = bits(c3);
        // step 2
        float d0 = c0 + c2, d1 = c1 + c3;
        sh[b] = bits(d0);
        sh[b + 1] = bits(d1);
        // step 1
        float e0 = d0 + d1;
        sh[b] = bits(e0);
    }
}
