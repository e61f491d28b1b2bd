package org.transcuda.backend.cpu;

/**
 * Lockstep engine: a tree's four halving steps {@code 8·VL, 4·VL, 2·VL, VL} over one base run with the words in vector
 * registers ({@code -Dtranscuda.cpu.treeRegs=false} turns it off). reduce's {@code if (t < stride) s[t] += s[t + stride];
 * __syncthreads();} for strides 128, 64, 32, 16 (VL = 16 floats per 512-bit vector) is, in {@link ArmChainPlan}'s flat
 * plan, four vector steps where each step's loads read what the step before just stored: one dependency chain through
 * memory (store-to-load forwarding) of four levels. Here the {@code 16·VL} words are loaded once into 16 vectors and
 * the four steps are 8 + 4 + 2 + 1 register operations ({@link LaneVecOps#treeLadder}, straight code so the vectors
 * stay in registers), each result stored to the window as the step stores it (the stores are off the chain).
 *
 * <p>Applies (decided when the plan is built, once per launch and worker, {@link #mark}) to four consecutive plan steps
 * that are each {@link ArmChainPlan#FLAT} with operation {@link ArmChain#ADD}, whole vectors over the entire range
 * ({@code vend == hi}: the hazard rule held), ranges of {@code n = 8·VL, 4·VL, 2·VL, VL} threads from {@code lo}, the
 * store's words {@code B .. B+n-1} ({@code B = ws + lo}) the same {@code B} in all four, and the two loads' words
 * {@code B .. B+n-1} and {@code B+n .. B+2n-1} (in either operand order); needs the vector module ({@code Chain.vec}).
 * The plan's range check ({@link ArmChain#check}) already put every word of the four steps inside the shared window;
 * the run declines nothing at run time.
 *
 * <p>Why the result is the same bits: step {@code n} computes, for {@code t < n}, {@code w[B+t] = canon(w[B+t] +
 * w[B+n+t])} over words the earlier steps of the ladder either stored or left alone; the ladder's vectors hold exactly
 * those words (the first step's inputs are loaded from the window; each later step reads only words {@code B ..
 * B+2n-1}, all stored by the step before, whose results it has in registers). Each result is the same IEEE binary32
 * addition of the same two values: the operands' order may differ from the step's ({@code s[t+n] + s[t]} in reduce), but
 * binary32 addition rounding to nearest is commutative for every non-NaN result (the exact sum is symmetric, and so is
 * the sign rule for a zero sum), and a NaN result is stored as {@link Fp#CANON_F32} whatever its payload, as the step
 * stores it. Every word a step stores is stored, with the same value; the window's final contents are the same. Counted
 * in {@link Exec#treeRegs} (ladders run).
 */
final class TreeRegs {
    /** On unless {@code -Dtranscuda.cpu.treeRegs=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.treeRegs"));

    private TreeRegs() {
    }

    /**
     * Marks in plan {@code p} ({@link ArmChainPlan#build}'s layout) every run of four steps that form a ladder: the first
     * becomes {@link ArmChainPlan#LADDER} with its base word {@code B} at offset 3, the other three
     * {@link ArmChainPlan#SKIP}.
     */
    static void mark(int[] p, int steps, int vl) {
        if (vl <= 0) return;
        for (int k = 0; k + 4 <= steps; k++) {
            int b = -1;
            boolean ok = true;
            for (int j = 0; j < 4 && ok; j++) {
                int o = ArmChainPlan.H + ArmChainPlan.W * (k + j);
                int lo = p[o + 1], hi = p[o + 2], w0 = p[o + 3], w1 = p[o + 4], ws = p[o + 5], vend = p[o + 6];
                long n = (long) (8 >> j) * vl;
                ok = p[o] == ArmChainPlan.FLAT && p[o + 7] == ArmChain.ADD && vend == hi && (long) hi - lo == n;
                if (!ok) break;
                long base = (long) ws + lo, a = (long) w0 + lo, c = (long) w1 + lo;
                if (j == 0) b = (int) base;
                ok = base == b && (a == base && c == base + n || c == base && a == base + n);
            }
            if (!ok) continue;
            int o = ArmChainPlan.H + ArmChainPlan.W * k;
            p[o] = ArmChainPlan.LADDER;
            p[o + 3] = b;
            for (int j = 1; j < 4; j++) p[ArmChainPlan.H + ArmChainPlan.W * (k + j)] = ArmChainPlan.SKIP;
            k += 3;
        }
    }
}
