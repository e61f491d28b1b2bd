package org.transcuda.backend.cpu;

import java.util.List;
import java.util.function.Predicate;
import org.transcuda.ir.Inst;
import org.transcuda.ir.Opcode;
import org.transcuda.ir.Reg;
import org.transcuda.ir.ScalarType;
import org.transcuda.ir.Stmt;
import org.transcuda.ir.Terminator;
import org.transcuda.ir.Value;

/**
 * The lockstep engine's grid-stride loops with the index kept as one number per block ({@code
 * -Dtranscuda.cpu.strideLoop=false} turns this off): histogram's {@code for (i = blk*nt + t; i < n; i += grid*nt)}.
 *
 * <p>The shape: a segment that is a whole block looping to itself ({@code @p bra self}), one run of per-thread
 * statements, whose 32-bit index register {@code I} is advanced once by {@code I = add I, S} and tested once by
 * {@code p = setp.lt.s32 I, N} after it ({@code S}, {@code N} block-uniform), every other statement of the block
 * that mentions {@code I} reading it before the advance, {@code p} mentioned in the block only by that compare and the
 * branch, the block's block-uniform definitions register moves and arithmetic of values the block does not define
 * (the same on every iteration), and the loop writes no memory a global load can see ({@code KernelCompiler.bulkSafe},
 * the condition of {@link LoopBulk}'s copies). In the general lockstep loop each iteration reads and writes {@code I}
 * and {@code p} per thread (two arrays), prescans the index for the loop check and compares the index array with
 * thread order for the copy.
 *
 * <p>Here, when the segment starts with every thread active and {@code I[t] == I[0] + t} for every thread (one
 * compare loop, once per entry, not per iteration), the segment first runs the iterations after which every thread
 * stays in the loop ({@link #stay}: the advanced indices {@code base + S + t} do not wrap and are all below {@code N})
 * as a loop over {@code base}: per iteration the {@link LoopChecks.Index} loads on {@code I} are checked for the
 * range {@code base .. base + nt − 1} ({@link #fits}) and copied with {@link LoopBulk} (no per-thread compare: the
 * order is known), then one lane loop runs the block's statements except the advance and the compare, with {@code I}
 * a JVM local set to {@code base + t}. Then {@code I[t] = base + t} is written back and the ordinary code runs the
 * next iteration (at least one: the last one, where threads leave the loop, always runs there), which computes
 * {@code p} and every register the block defines, so the registers after the loop are what they always were.
 * Threads run in the same order as in the general loop (iteration by iteration, thread by thread) and execute the same
 * statements, so the memory and every fault are the same; an iteration whose range check fails (or that would wrap)
 * runs in the general loop, whose per-access checks fault at the thread and instruction they always did.
 */
final class StrideLoop {
    /** On unless {@code -Dtranscuda.cpu.strideLoop=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.strideLoop"));

    private StrideLoop() {
    }

    /**
     * A grid-stride loop of the shape above: the index register, the step and the bound (block-uniform registers or
     * constants), the advance and the compare (statements of the block, skipped by the fast iterations).
     */
    record Plan(Reg idx, Value step, Value bound, Stmt inc, Stmt cmp) {
    }

    /**
     * The plan of block {@code stmts} (all in the segment; {@code lanes}: the indices of its per-thread statements,
     * the others are block-uniform definitions), ending with {@code c} whose taken target is the block itself
     * ({@code self}); null when the shape does not match.
     */
    static Plan plan(List<Stmt> stmts, List<Integer> lanes, Terminator.CondBranch c, String self,
            Predicate<Reg> uniform) {
        if (!self.equals(c.ifTrue()) || self.equals(c.ifFalse()) || !(c.pred() instanceof Reg p)) return null;
        // the compare: p = setp.lt.s32 I, N, the block's only mention of p
        int cmpAt = -1;
        for (int j = 0; j < stmts.size(); j++) {
            if (mentions(stmts.get(j), p)) {
                if (cmpAt >= 0) return null;
                cmpAt = j;
            }
        }
        if (cmpAt < 0) return null;
        Stmt cmp = stmts.get(cmpAt);
        if (cmp.guard() != null || !(cmp.inst() instanceof Inst.Compare k) || k.op() != Inst.CmpOp.LT
                || k.type() != ScalarType.S32 || !(k.a() instanceof Reg idx) || !k.dst().equals(p)
                || uniform.test(idx) || uniform.test(p) || !uniformValue(k.b(), uniform) || k.b().equals(idx)) {
            return null;
        }
        // the advance: I = add I, S (32-bit, unguarded), the block's only definition of I, before the compare
        int incAt = -1;
        for (int j = 0; j < stmts.size(); j++) {
            if (stmts.get(j).inst().defs().contains(idx)) {
                if (incAt >= 0) return null;
                incAt = j;
            }
        }
        if (incAt < 0 || incAt > cmpAt) return null;
        Stmt inc = stmts.get(incAt);
        // a wrapping 32-bit integer add (not add.sat: the fast iterations' indices wrap as the general loop's do)
        if (inc.guard() != null || !(inc.inst() instanceof Inst.Compute a) || a.op() != Opcode.ADD
                || (a.type() != ScalarType.S32 && a.type() != ScalarType.U32 && a.type() != ScalarType.B32)
                || a.mode().sat() || a.srcs().size() != 2) {
            return null;
        }
        Value step;
        if (a.srcs().get(0).equals(idx)) step = a.srcs().get(1);
        else if (a.srcs().get(1).equals(idx)) step = a.srcs().get(0);
        else return null;
        if (step.equals(idx) || !uniformValue(step, uniform)) return null;
        // every other mention of I reads it before the advance
        for (int j = incAt + 1; j < stmts.size(); j++) {
            if (j != cmpAt && mentions(stmts.get(j), idx)) return null;
        }
        // block-uniform definitions: the same value on every iteration (moves and arithmetic of registers that the
        // block does not define), so running them once before the fast iterations is running them every time
        java.util.Set<Integer> per = new java.util.HashSet<>(lanes);
        java.util.BitSet defined = new java.util.BitSet();
        for (Stmt st : stmts) for (Reg d : st.inst().defs()) defined.set(d.id());
        for (int j = 0; j < stmts.size(); j++) {
            if (per.contains(j)) continue;
            Stmt st = stmts.get(j);
            if (st.guard() != null) return null;
            switch (st.inst()) {
                case Inst.Mov m -> { }
                case Inst.Compute m -> { }
                case Inst.Convert m -> { }
                case Inst.Cvta m -> { }
                default -> {
                    return null;
                }
            }
            for (Value v : st.inst().uses()) if (v instanceof Reg r && defined.get(r.id())) return null;
        }
        if (!per.contains(incAt) || !per.contains(cmpAt)) return null;
        return new Plan(idx, step, k.b(), inc, cmp);
    }

    private static boolean uniformValue(Value v, Predicate<Reg> uniform) {
        return v instanceof Reg r ? uniform.test(r) && r.type().bytes() == 4 : v instanceof org.transcuda.ir.Const;
    }

    private static boolean mentions(Stmt st, Reg r) {
        if (r.equals(st.guard())) return true;
        if (st.inst().defs().contains(r)) return true;
        for (Value v : st.inst().uses()) if (r.equals(v)) return true;
        return false;
    }

    // ---- at run time ----

    /** True when {@code idx[t] == idx[0] + t} for every thread {@code t < n} (32-bit arithmetic). */
    static boolean consecutive(int[] idx, int n) {
        int d = idx[0];
        for (int t = 1; t < n; t++) if (idx[t] != d + t) return false;
        return true;
    }

    /**
     * True when every thread stays in the loop after the iteration at {@code base}: its advanced index
     * {@code base + step + t} (32-bit) is below {@code bound} (signed) for every {@code t < n}; false also when those
     * indices would wrap (the general loop decides then).
     */
    static boolean stay(int base, int step, int n, int bound) {
        int next = base + step;
        long last = (long) next + n - 1;
        return last <= Integer.MAX_VALUE && last < bound;
    }

    /**
     * {@link LoopChecks#fitsIndex} for the indices {@code first .. first + n − 1} of an iteration: false when they
     * wrap (in the order of their extension), else the check of their range, with their exact OR.
     */
    static boolean fits(Exec e, int site, long base, int first, int n, boolean signed, int scale, int k) {
        long lo = signed ? first : Integer.toUnsignedLong(first);
        long hi = lo + n - 1;
        if (hi > (signed ? Integer.MAX_VALUE : 0xFFFF_FFFFL)) return false;
        int last = (int) hi;
        int or = Integer.compareUnsigned(first, last) <= 0 ? orRange(first, last) : -1;
        int min = signed ? first : first ^ Integer.MIN_VALUE;
        int max = signed ? last : last ^ Integer.MIN_VALUE;
        return LoopChecks.fitsIndex(e, site, base, min, max, or, signed, scale, k);
    }

    /** The OR of every 32-bit value from {@code a} to {@code b} (unsigned, {@code a <= b}). */
    static int orRange(int a, int b) {
        int d = a ^ b;
        return d == 0 ? a : a | b | (Integer.highestOneBit(d) - 1);
    }
}
