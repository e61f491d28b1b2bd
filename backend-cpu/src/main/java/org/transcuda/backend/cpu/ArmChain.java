package org.transcuda.backend.cpu;

/**
 * Lockstep engine: a chain of consecutive barrier-separated tree steps run as one call
 * ({@code -Dtranscuda.cpu.armChain=false} turns it off). reduce's unrolled
 * {@code for (stride = 128; stride > 0; stride >>= 1) { if (t < stride) s[t] += s[t + stride]; __syncthreads(); }}
 * is, per step, a segment {@code setp p, tid, K; @p bra join}, an arm of two {@code ld.shared.f32}, one
 * {@code add.f32} and one {@code st.shared}, and a join block that starts with {@code bar.sync}. Each step run
 * alone ({@link ArmVec}) pays a segment method's prologue, {@link SharedAffine#predRange} with its memo, the range's
 * shared check and the vector loop's set-up; the arithmetic is a few vector adds.
 *
 * <p>Applies (decided when the kernel is compiled, {@code KernelCompiler.armChainSteps}) to a maximal run of at least
 * two such steps where each step is: a segment that is exactly one unguarded 32-bit integer {@code setp eq..hs}
 * between a value {@code a0 + cx·tid.x} ({@code cx != 0}, {@code a0} a constant) and a constant, and the branch on its
 * predicate (mentioned nowhere else); the branch's other target an arm block of exactly
 * {@code x = ld.shared.f32 [A]; y = ld.shared.f32 [B]; z = op.f32 (x, y or y, x); st.shared.f32/b32 [C], z}
 * (unguarded, {@code op} an {@code add/sub/mul} rounding to nearest without {@code .ftz/.sat/.approx}, {@code x, y, z}
 * mentioned nowhere else, every address a constant plus {@code 4·tid.x} by {@link SharedAffine#sharedAddress}) that
 * branches to the join block; the join block's first statement an unguarded {@code bar.sync} of all threads; the next
 * step (if any) the segment after that barrier. f32 NaNs must be canonical (not {@code -Dtranscuda.cpu.javaNaNs=true}).
 * The first step's segment method calls {@link #run} with the chain's index in the kernel's own table
 * ({@link CompiledKernel#armChains}, read through {@link Exec#armChainTable}) before anything else and returns the
 * segment after the last step's barrier when it ran; otherwise the segments run as before.
 *
 * <p>At run time {@link #run} applies while every thread is active ({@link Exec#lfull}: the barriers are then
 * complete and a segment ending at one goes straight to the next), the block is one-dimensional, and, for every step
 * (checked once for all steps and memoized per launch and worker): its thread range by {@link SharedAffine#predRange}
 * exists, and each access's words over that range are inside the shared window, 4-aligned and do not wrap. Nothing
 * has run when it declines, so the general path then runs from the first step as before (faults and all).
 *
 * <p>Why the result is the same bits: the segments with every thread active run the compare (its predicate is dead
 * after the branch), then the arm for the range's threads in thread order (or as {@link ArmVec}'s vectors where that
 * gives the same), then the barrier, which with every thread active does nothing; each step fully before the next.
 * Here each step runs in the same order: threads in order, each with its two loads, the same IEEE binary32 operation
 * on the same operands in the same order (Java has no flush-to-zero), a NaN result stored as {@link Fp#CANON_F32}
 * as the scalar code stores it, and the same store; the registers {@code x, y, z} are dead after the arm. Whole vectors
 * of {@link LaneVec#length()} threads (when the vector module is there) are used only where no thread of a group
 * stores a word another thread of the same group reads or stores: for the store's word delta {@code dS} and each load's
 * {@code dm}, {@code dm == dS} or {@code |dm - dS| >= min(VL, hi - lo)} (two threads of one range closer than that
 * never pair up). Counted in {@link Exec#armChains} (chains run).
 *
 * <p>With {@link #PRED_OUT} ({@code -Dtranscuda.cpu.armChainPred=false} turns it off) a step may also (reduce's last
 * step, {@code t < 1}): have a predicate that is read again elsewhere, if it is a per-thread register
 * ({@link Exec#lregs}, not block-uniform); the chain then leaves in its array what the segment with every thread active
 * leaves, {@code want} inside the step's range and {@code !want} outside, for every thread of the block (a
 * {@link ThreadConst} predicate, whose one definition is this compare of {@code tid.x} with constants, holds the same
 * values in every block and is written once per launch and worker when the ranges are checked; any other at every
 * run; counted in {@link Exec#armChainPreds}); and load one fixed shared word (a shared symbol plus a constant, stride 0
 * per thread, checked like the others), such a step running in thread order, never as vectors.
 *
 * <p>With {@link ArmChainPlan} on (the default) the steps run from a flat plan built once per launch and worker with the
 * ranges; this class's loop is then the path of {@code -Dtranscuda.cpu.armChainPlan=false}.
 */
final class ArmChain {
    /** On unless {@code -Dtranscuda.cpu.armChain=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.armChain"));

    /**
     * Steps whose predicate is read again later (their array written by the chain) and loads of one fixed shared word:
     * reduce's last step; off with {@code -Dtranscuda.cpu.armChainPred=false} (then such a step ends the chain).
     */
    static final boolean PRED_OUT = !"false".equals(System.getProperty("transcuda.cpu.armChainPred"));

    /** Tests: kernels compiled from now on without chains. */
    static volatile boolean offForTests;

    static final int ADD = 0, SUB = 1, MUL = 2;

    /** {@link Exec#armChainRanges} of a chain that does not apply to this launch. */
    private static final int[] NONE = new int[0];

    /**
     * One step: the compare {@code (a0 + cx·tid.x) op b} (op the ordinal of {@code Inst.CmpOp}, already mirrored so
     * that the thread's value is the first operand) whose result {@code want} selects the arm; for the first load,
     * the second load and the store ({@code k = 0, 1, 2}) the address register's value {@code base[k] + 4·tid.x}
     * (32 bits) and the constant {@code off[k]} added to it; {@code z = arith(first, second)}, or
     * {@code arith(second, first)} when {@code swap}.
     */
    record Step(int a0, int cx, int b, int op, boolean unsigned, boolean want, int[] base, long[] off, int arith,
            boolean swap, int[] stride, int pred, boolean predConst) {
        /** Whether every access moves one word per thread. */
        boolean consecutive() {
            return stride[0] == 1 && stride[1] == 1 && stride[2] == 1;
        }
    }

    /** A chain: its steps, the segment to return after it, whether vectors may be used. */
    record Chain(Step[] steps, int next, boolean vec) {
    }

    private ArmChain() {
    }

    /**
     * Runs chain {@code id} for the current block: the segment to continue with, or -1 (nothing done) when it does
     * not apply to this block.
     */
    static int run(Exec e, int id) {
        if (e.lfull == 0) return -1;
        Chain c = e.armChainTable[id];
        int[] r = e.armChainId == id ? e.armChainRanges : ranges(e, id, c);
        if (r == NONE) return -1;
        if (ArmChainPlan.ENABLED) return ArmChainPlan.run(e, c, r, e.armChainPlan);
        Step[] steps = c.steps;
        for (int k = 0; k < steps.length; k++) step(e, c, steps[k], r, k);
        e.armChains++;
        return c.next;
    }

    /**
     * Step {@code k} of chain {@code c} for the current block, its ranges in {@code r} ({@link #check}): each step
     * of {@link #run}'s loop without the plan, and {@link ArmChainPlan}'s general steps.
     */
    static void step(Exec e, Chain c, Step s, int[] r, int k) {
        int[] sh = e.shared;
        int lo = r[5 * k], hi = r[5 * k + 1];
        int w0 = r[5 * k + 2], w1 = r[5 * k + 3], ws = r[5 * k + 4];
        if (s.pred >= 0) {
            if (!s.predConst) writePred(e, s, lo, hi);
            e.armChainPreds++;
        }
        if (lo >= hi) return;
        if (!s.consecutive()) {
            int s0 = s.stride[0], s1 = s.stride[1], s2 = s.stride[2];
            for (int t = lo; t < hi; t++) {
                float x = Float.intBitsToFloat(sh[w0 + s0 * t]);
                float y = Float.intBitsToFloat(sh[w1 + s1 * t]);
                float a = s.swap ? y : x, b = s.swap ? x : y;
                float z = switch (s.arith) {
                    case ADD -> a + b;
                    case SUB -> a - b;
                    default -> a * b;
                };
                sh[ws + s2 * t] = z != z ? Fp.CANON_F32 : Float.floatToRawIntBits(z);
            }
            return;
        }
        int t = lo;
        if (c.vec) {
            int span = Math.min(LaneVec.length(), hi - lo);
            if (apart(w0, ws, span) && apart(w1, ws, span)) {
                t = LaneVecOps.chainStep(sh, w0, w1, ws, lo, hi, s.arith, s.swap);
            }
        }
        for (; t < hi; t++) {
            float x = Float.intBitsToFloat(sh[w0 + t]);
            float y = Float.intBitsToFloat(sh[w1 + t]);
            float a = s.swap ? y : x, b = s.swap ? x : y;
            float z = switch (s.arith) {
                case ADD -> a + b;
                case SUB -> a - b;
                default -> a * b;
            };
            sh[ws + t] = z != z ? Fp.CANON_F32 : Float.floatToRawIntBits(z);
        }
    }

    /**
     * The step's compare value for every thread of the block (all active): {@code want} inside its range, {@code !want}
     * outside, into the predicate's array.
     */
    private static void writePred(Exec e, Step s, int lo, int hi) {
        int[] p = (int[]) e.lregs[s.pred];
        int in = s.want ? 1 : 0;
        java.util.Arrays.fill(p, 0, lo, 1 - in);
        java.util.Arrays.fill(p, lo, hi, in);
        java.util.Arrays.fill(p, hi, e.ntx, 1 - in);
    }

    /** Whether a load at word delta {@code dm} and the store at {@code ds} never pair two threads of one group. */
    static boolean apart(int dm, int ds, int span) {
        return dm == ds || Math.abs((long) dm - ds) >= span;
    }

    /**
     * Every step's range and access check for this launch's block shape and shared window, memoized in {@code e}
     * ({@link #NONE} when a step's range is not one range or an access leaves the window).
     */
    private static int[] ranges(Exec e, int id, Chain c) {
        int[] r = check(e, c);
        if (r != null) {
            // a thread-constant predicate ({@link ThreadConst}: its one definition is the step's compare of tid.x
            // with constants) is the same in every block of the launch: written once here, before the chain runs
            for (int k = 0; k < c.steps.length; k++) {
                Step s = c.steps[k];
                if (s.pred >= 0 && s.predConst) writePred(e, s, r[5 * k], r[5 * k + 1]);
            }
        }
        e.armChainId = id;
        e.armChainRanges = r == null ? NONE : r;
        e.armChainPlan = r != null && ArmChainPlan.ENABLED ? ArmChainPlan.build(c, r) : null;
        return e.armChainRanges;
    }

    /**
     * Per step {@code lo, hi} (its thread range) and the word index of thread 0 of its first load, second load and
     * store, or null when a step's range or accesses do not check: the address register's value
     * {@code base + 4·t} must not wrap over the range and {@code base + 4·t + off} must be an aligned word inside the
     * shared window ({@link SharedAffine#fitsRange}'s rule).
     */
    static int[] check(Exec e, Chain c) {
        if (e.nty != 1 || e.ntz != 1) return null;
        Step[] steps = c.steps;
        int[] r = new int[5 * steps.length];
        for (int k = 0; k < steps.length; k++) {
            Step s = steps[k];
            long range = SharedAffine.predRange(e.ntx, 1, 1, s.a0, s.cx, s.b, s.op, s.unsigned, s.want);
            if (range < 0) return null;
            int lo = (int) (range >>> 32), hi = (int) range;
            r[5 * k] = lo;
            r[5 * k + 1] = hi;
            if (lo >= hi) continue;
            for (int j = 0; j < 3; j++) {
                long b = Integer.toUnsignedLong(s.base[j]);
                int d = 4 * s.stride[j];
                if (b + (long) d * (hi - 1) > 0xffff_ffffL) return null;
                long a0 = b + s.off[j];
                if ((a0 & 3) != 0 || a0 + (long) d * lo < 0 || a0 + (long) d * (hi - 1) > e.sharedSize - 4) {
                    return null;
                }
                r[5 * k + 2 + j] = (int) (a0 >> 2);
            }
        }
        return r;
    }
}
