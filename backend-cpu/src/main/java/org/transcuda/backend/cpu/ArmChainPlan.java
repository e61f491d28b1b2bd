package org.transcuda.backend.cpu;

/**
 * Lockstep engine: {@link ArmChain}'s steps run from a flat per-launch plan ({@code -Dtranscuda.cpu.armChainPlan=false}
 * turns it off). A chain's thread ranges and word offsets are the same for every block of a launch (they depend only
 * on the block shape and the shared window, {@link ArmChain#check}); without the plan each run re-reads, per step, the
 * step record, its stride array, its predicate fields and the chain's vector flag, and re-decides the vector/scalar
 * split (the hazard rule {@code apart}), a chain of dependent loads and branches that a machine-code profile put at
 * ~40% of {@code ArmChain.run}'s samples in reduce (8 steps per block).
 *
 * <p>The plan, built once per launch and worker next to the ranges ({@link ArmChain}'s memo), holds per step
 * {@link #W} ints: the kind ({@link #SKIP}: an empty range and nothing to write; {@link #FLAT}: every access one word
 * per thread; {@link #STRIDED}: an access with stride 0, a fixed word; {@link #GENERAL}: a predicate to write at every
 * run, run by {@link ArmChain#step} exactly as without the plan), the range {@code lo, hi}, the three word offsets,
 * the first thread after the whole vectors ({@code lo} when vectors are not used: no vector module, or the hazard rule
 * fails), the operation ({@code ArmChain.ADD/SUB/MUL}) and the three strides; for a step whose operands are swapped
 * the two loads' offsets (and strides) are exchanged, so the first is always the operation's first operand (the same
 * operand order as the step). The header ({@link #H} int) holds the number of kept-predicate steps that are not
 * {@link #GENERAL} (their count added once per run, as the steps would).
 *
 * <p>Why the result is the same bits: each step still runs fully before the next, with the same range, words, vector
 * split (the same rule evaluated on the same values, once instead of per block), operation, operand order and NaN
 * canonicalization ({@link Fp#CANON_F32}); the thread-constant predicates are written when the ranges are checked,
 * as before. Counted in {@link Exec#armChainPlans} (chains run from a plan).
 *
 * <p>A step with a fixed-word access (stride 0, reduce's last step {@code s[0] += s[1]} with its load at
 * {@code [s+4]}) whose predicate needs no per-run write is run from the plan too (a scalar loop with the strides), not
 * through {@link ArmChain#step}: the call made the compiled loop save its values around it at every step.
 */
final class ArmChainPlan {
    /** On unless {@code -Dtranscuda.cpu.armChainPlan=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.armChainPlan"));

    /** Ints per step. */
    static final int W = 11;
    static final int SKIP = 0, FLAT = 1, GENERAL = 2, STRIDED = 3;
    /** {@link TreeRegs}: four halving steps with the words in registers (the next three steps then {@link #SKIP}). */
    static final int LADDER = 4;
    /** {@link TailLine}: the halving steps 8, 4, 2, 1 as straight code (the next three steps then {@link #SKIP}). */
    static final int TAIL = 5;
    /** Header: kept-predicate steps counted per run. */
    static final int H = 1;

    private ArmChainPlan() {
    }

    /** The plan of chain {@code c} for the checked ranges {@code r} ({@link ArmChain#check}). */
    static int[] build(ArmChain.Chain c, int[] r) {
        ArmChain.Step[] steps = c.steps();
        int end = H + W * steps.length;
        int[] p = new int[end];
        int preds = 0;
        for (int k = 0; k < steps.length; k++) {
            ArmChain.Step s = steps[k];
            int lo = r[5 * k], hi = r[5 * k + 1];
            int w0 = r[5 * k + 2], w1 = r[5 * k + 3], ws = r[5 * k + 4];
            int o = H + W * k;
            int kind;
            if (s.pred() >= 0 && !s.predConst()) kind = GENERAL;
            else if (lo >= hi) kind = SKIP;
            else if (!s.consecutive()) kind = STRIDED;
            else kind = FLAT;
            if (kind != GENERAL && s.pred() >= 0) preds++;
            int vend = lo;
            if (kind == FLAT && c.vec()) {
                int vl = LaneVec.length();
                int span = Math.min(vl, hi - lo);
                if (ArmChain.apart(w0, ws, span) && ArmChain.apart(w1, ws, span)) vend = lo + (hi - lo) / vl * vl;
            }
            int[] st = s.stride();
            p[o] = kind;
            p[o + 1] = lo;
            p[o + 2] = hi;
            p[o + 3] = s.swap() ? w1 : w0;   // the operation's first operand's words
            p[o + 4] = s.swap() ? w0 : w1;
            p[o + 5] = ws;
            p[o + 6] = vend;
            p[o + 7] = s.arith();
            p[o + 8] = s.swap() ? st[1] : st[0];
            p[o + 9] = s.swap() ? st[0] : st[1];
            p[o + 10] = st[2];
        }
        p[0] = preds;
        if (TreeRegs.ENABLED && c.vec()) TreeRegs.mark(p, steps.length, LaneVec.length());
        if (TailLine.ENABLED) TailLine.mark(p, steps.length);
        return p;
    }

    /** Runs chain {@code c} for the current block from its plan {@code p}; the segment to continue with. */
    static int run(Exec e, ArmChain.Chain c, int[] r, int[] p) {
        int[] sh = e.shared;
        for (int o = H, k = 0; o < p.length; o += W, k++) {
            int kind = p[o];
            if (kind == SKIP) continue;
            if (kind == LADDER) {
                LaneVecOps.treeLadder(sh, p[o + 3]);
                e.treeRegs++;
                continue;
            }
            if (kind == TAIL) {
                TailLine.run(sh, p[o + 3]);
                e.tailLines++;
                continue;
            }
            if (kind == GENERAL) {
                ArmChain.step(e, c, c.steps()[k], r, k);
                continue;
            }
            int lo = p[o + 1], hi = p[o + 2], w0 = p[o + 3], w1 = p[o + 4], ws = p[o + 5], vend = p[o + 6];
            int op = p[o + 7];
            if (kind == STRIDED) {
                strided(sh, lo, hi, w0, w1, ws, op, p[o + 8], p[o + 9], p[o + 10]);
                continue;
            }
            int t = lo;
            if (vend > lo) t = LaneVecOps.chainStep(sh, w0, w1, ws, lo, vend, op, false);
            if (t < hi) scalar(sh, t, hi, w0, w1, ws, op);
        }
        e.armChainPreds += p[0];
        e.armChainPlans++;
        e.armChains++;
        return c.next();
    }

    /** {@code sh[ws + t] = canonical(op(sh[w0 + t], sh[w1 + t]))} for {@code t} in {@code [t, hi)}. */
    private static void scalar(int[] sh, int t, int hi, int w0, int w1, int ws, int op) {
        switch (op) {
            case ArmChain.ADD -> {
                for (; t < hi; t++) {
                    float z = Float.intBitsToFloat(sh[w0 + t]) + Float.intBitsToFloat(sh[w1 + t]);
                    sh[ws + t] = z != z ? Fp.CANON_F32 : Float.floatToRawIntBits(z);
                }
            }
            case ArmChain.SUB -> {
                for (; t < hi; t++) {
                    float z = Float.intBitsToFloat(sh[w0 + t]) - Float.intBitsToFloat(sh[w1 + t]);
                    sh[ws + t] = z != z ? Fp.CANON_F32 : Float.floatToRawIntBits(z);
                }
            }
            default -> {
                for (; t < hi; t++) {
                    float z = Float.intBitsToFloat(sh[w0 + t]) * Float.intBitsToFloat(sh[w1 + t]);
                    sh[ws + t] = z != z ? Fp.CANON_F32 : Float.floatToRawIntBits(z);
                }
            }
        }
    }

    /** A step with a fixed word (stride 0) among its accesses, in thread order. */
    private static void strided(int[] sh, int lo, int hi, int w0, int w1, int ws, int op, int s0, int s1, int s2) {
        for (int t = lo; t < hi; t++) {
            float x = Float.intBitsToFloat(sh[w0 + s0 * t]), y = Float.intBitsToFloat(sh[w1 + s1 * t]);
            float z = op == ArmChain.ADD ? x + y : op == ArmChain.SUB ? x - y : x * y;
            sh[ws + s2 * t] = z == z ? Float.floatToRawIntBits(z) : Fp.CANON_F32;
        }
    }
}
