package org.transcuda.backend.cpu;

import java.util.Arrays;
import java.util.function.Function;
import org.transcuda.ir.Inst;
import org.transcuda.ir.Opcode;
import org.transcuda.ir.Reg;
import org.transcuda.ir.ScalarType;
import org.transcuda.ir.Stmt;
import org.transcuda.ir.Value;

/**
 * Lockstep engine: a divergent branch whose predicate selects a range of {@code tid.x}, split without a loop over the
 * threads. While every thread of a one-dimensional block is active, a conditional branch that splits the threads
 * normally runs a loop over all of them that stores each one's next segment in {@link Exec#lnb} and lists the
 * threads of the lower target in {@link Exec#lidx} (scan's {@code if (warp == 0)}: 256 iterations for a region of 32
 * threads, about 7 % of scan's profile). When the predicate is a thread-range predicate, the threads where it holds
 * are one range {@code [lo, hi)} found in closed form ({@link SharedAffine#predRange}, memoized per launch), and the
 * split becomes three {@code Arrays.fill}s of {@link Exec#lnb} and, for the active list, nothing (the lower target's
 * threads are {@code [0, k)}: {@link Exec#lidx} is already the identity while every thread is active) or one
 * ascending fill of the part after the gap. The state afterwards is the one the loop leaves (same {@code lnb}, same
 * active list in thread order, same {@code lcount/lfull/llive/lnext/lrest}), so everything after it, the
 * region's lane loops, warp collectives, faults, the rejoin, is unchanged.
 * <p>
 * Predicates taken ({@link #of}): the branch's predicate has one unguarded definition in the branch's own block, an
 * integer {@code setp eq..hs} on 32 bits of either a value affine in {@code tid.x} alone against a block-uniform one
 * (as an if-converted arm's, {@code KernelCompiler.armCompare}), or {@code (x >> k) op c} with {@code x} affine in
 * {@code tid.x}, a logical shift by a constant {@code 1 <= k <= 31} and a constant {@code c} (nvcc's
 * {@code warp == 0}: {@code setp.ne.s32 %p, %r5, 0} with {@code %r5 = shr.u32 %tid.x, 5}), rewritten as an unsigned
 * comparison of {@code x} with {@code c << k} (exact: {@code x >> k < c} iff {@code x < c·2^k} for unsigned
 * {@code x} when {@code c·2^k} fits in 32 bits). When the block is not one-dimensional or the threads are not one
 * range ({@code predRange} answers -1), the loop runs as before. {@code -Dtranscuda.cpu.rangeSplit=false}: always
 * the loop. Statistics: {@link Exec#rangeSplits}.
 */
final class RangeSplit {
    /** {@code -Dtranscuda.cpu.rangeSplit=false}: every split of all threads loops over them. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.rangeSplit"));

    /** {@link #split}'s answers besides a segment: not one range (loop); every thread takes the branch; none does. */
    static final int LOOP = -3, ALL = -4, NONE = -5;

    private RangeSplit() {
    }

    /**
     * The predicate {@code (thread op bound)}, {@code thread} affine in {@code tid.x} alone ({@code cx != 0}),
     * {@code bound} block-uniform, {@code op} an ordinal of {@link Inst.CmpOp} {@code eq..hs} compared as
     * {@code unsigned} or signed, as {@link SharedAffine#predRange} takes it.
     */
    record Pred(SharedAffine.Form thread, SharedAffine.Form bound, int op, boolean unsigned) {
    }

    /**
     * The range form of a branch predicate defined by {@code cmp} (the predicate's single unguarded definition, in the
     * branch's block), or null. {@code singleDef}: a register's single unguarded definition, or null.
     */
    static Pred of(Inst.Compare cmp, SharedAffine aff, Function<Reg, Stmt> singleDef) {
        if (cmp.type().bits() != 32 || cmp.type().kind() == ScalarType.Kind.FLOAT
                || cmp.op().ordinal() > Inst.CmpOp.HS.ordinal()) {
            return null;
        }
        int op = cmp.op().ordinal();
        boolean unsigned = cmp.type().kind() != ScalarType.Kind.SIGNED || (op >= 6 && op <= 9);
        Value va = cmp.a(), vb = cmp.b();
        SharedAffine.Form a = aff.of(va), b = aff.of(vb);
        if (a != null && b != null) {
            if (a.uniform() && thread(b)) return new Pred(b, a, mirror(op), unsigned);
            if (b.uniform() && thread(a)) return new Pred(a, b, op, unsigned);
            return null;
        }
        // (x >> k) op c, either side
        if (b != null && b.constant()) return shifted(va, b.c(), op, aff, singleDef);
        if (a != null && a.constant()) return shifted(vb, a.c(), mirror(op), aff, singleDef);
        return null;
    }

    private static boolean thread(SharedAffine.Form f) {
        return f.cx() != 0 && f.cy() == 0 && f.cz() == 0;
    }

    /** The order comparison with its operands swapped (eq/ne stay). */
    static int mirror(int op) {
        return switch (op) {
            case 2 -> 4;
            case 3 -> 5;
            case 4 -> 2;
            case 5 -> 3;
            case 6 -> 8;
            case 7 -> 9;
            case 8 -> 6;
            case 9 -> 7;
            default -> op;
        };
    }

    /**
     * {@code (x >> k) op c} for {@code v = x >> k} (logical, constant k in 1..31): {@code v} is in
     * {@code [0, 2^(32-k))}, so signed and unsigned orders agree on it. As an unsigned comparison of {@code x}:
     * {@code v < c} iff {@code x < c << k}, {@code v <= c} iff {@code x < (c + 1) << k}, their negations {@code >=};
     * {@code v == 0} iff {@code x < 2^k}. Only bounds {@code c << k} in {@code (0, 2^32)} (else the predicate is
     * constant or the rewrite would not be exact: null, the loop decides).
     */
    private static Pred shifted(Value v, int c, int op, SharedAffine aff, Function<Reg, Stmt> singleDef) {
        if (!(v instanceof Reg r)) return null;
        Stmt d = singleDef.apply(r);
        if (d == null || !(d.inst() instanceof Inst.Compute sh) || sh.op() != Opcode.SHR || sh.type().bits() != 32
                || sh.type().kind() == ScalarType.Kind.SIGNED) {
            return null;
        }
        SharedAffine.Form x = aff.of(sh.srcs().get(0));
        SharedAffine.Form k = aff.of(sh.srcs().get(1));
        if (x == null || !thread(x) || k == null || !k.constant() || k.c() < 1 || k.c() > 31) return null;
        int s = k.c();
        // signed or unsigned, the same on v >= 0; a negative signed c makes v < c never true: not taken here
        long cc = op >= 6 ? Integer.toUnsignedLong(c) : c;
        if (cc < 0) return null;
        long bound;
        boolean below;  // the predicate is x < bound (true) or x >= bound (false)
        switch (op) {
            case 0, 1 -> {  // eq, ne: only against 0
                if (cc != 0) return null;
                bound = 1L << s;
                below = op == 0;
            }
            case 2, 6 -> {  // v < c
                bound = cc << s;
                below = true;
            }
            case 5, 9 -> {  // v >= c
                bound = cc << s;
                below = false;
            }
            case 3, 7 -> {  // v <= c
                bound = (cc + 1) << s;
                below = true;
            }
            case 4, 8 -> {  // v > c
                bound = (cc + 1) << s;
                below = false;
            }
            default -> {
                return null;
            }
        }
        if (bound <= 0 || bound > 0xffff_ffffL) return null;
        SharedAffine.Form b = new SharedAffine.Form((int) bound, new int[0], new int[0], 0, 0, 0);
        return new Pred(x, b, below ? 6 : 9, true);  // lo / hs
    }

    /**
     * The split of every thread of the block (all active) at a branch to {@code segT} (where the predicate holds)
     * or {@code segF}: {@link #ALL} or {@link #NONE} when every thread or none takes it, {@link #LOOP} when the
     * threads that take it are not one range of a one-dimensional block (the caller loops over the threads), else
     * the lower segment, with the state that the loop would leave: {@code lnb} of every thread, the lower segment's
     * threads listed in order, the other segment as {@code lnext} with every other thread waiting there.
     */
    static int split(Exec e, int site, int a0, int cx, int b, int op, boolean unsigned, int segT, int segF) {
        long r = SharedAffine.predRange(e, site, a0, cx, b, op, unsigned, true);
        if (r < 0) return LOOP;
        int lo = (int) (r >>> 32), hi = (int) r;
        int n = e.nthreads;
        if (hi - lo == n) return ALL;
        if (hi <= lo) return NONE;
        int[] nb = e.lnb;
        Arrays.fill(nb, 0, lo, segF);
        Arrays.fill(nb, lo, hi, segT);
        Arrays.fill(nb, hi, n, segF);
        int[] idx = e.lidx;  // the identity: every thread was active
        int count;
        if (segT < segF) {
            // the range runs: [lo, hi)
            count = hi - lo;
            if (lo != 0) for (int i = 0; i < count; i++) idx[i] = lo + i;
        } else {
            // the rest runs: [0, lo) then [hi, n)
            count = n - (hi - lo);
            for (int i = lo; i < count; i++) idx[i] = i + (hi - lo);
        }
        e.lcount = count;
        e.lfull = 0;
        e.llive = n;
        e.lnext = Math.max(segT, segF);
        e.lrest = 1;
        e.rangeSplits++;
        return Math.min(segT, segF);
    }
}
