package org.transcuda.backend.cpu;

import org.transcuda.ir.Block;
import org.transcuda.ir.Const;
import org.transcuda.ir.Function;
import org.transcuda.ir.Inst;
import org.transcuda.ir.Opcode;
import org.transcuda.ir.Reg;
import org.transcuda.ir.ScalarType;
import org.transcuda.ir.Special;
import org.transcuda.ir.Stmt;
import org.transcuda.ir.Value;

/**
 * Lockstep engine: a one-arm if-converted branch taken where {@code (tid.x & m) == c} ({@code m + 1} a power of two,
 * {@code 0 <= c <= m}) runs its arm over the threads {@code c, c + m + 1, c + 2 (m + 1), ...} instead of a loop over
 * every thread that tests the predicate: scan's {@code if (lane == 31) warpSums[warp] = v}, 8 of 256 threads.
 *
 * <p>Taken ({@link #of}) when the branch's predicate has one definition, unguarded, an integer {@code setp.eq} or
 * {@code setp.ne} on 32 bits of a register against a constant {@code c}, the arm running where it says equal; that
 * register has one definition, unguarded, {@code and.b32} of a register and the constant {@code m}; and that one has
 * one definition, a read of {@code %tid.x}. At run time the stride loop runs only while every thread of the block is
 * active and the block is one-dimensional ({@code ntid.x} is the block's size: the thread's index in the lane arrays
 * is {@code tid.x}); else the general loop. Each thread's predicate is then exactly the comparison of its
 * {@code tid.x & m}, and the stride loop visits the threads where it selects the arm, in the same increasing order as
 * the general loop, which does nothing for the others: same statements, same values, same first fault. A predicate
 * read where its definition has not run is undefined in PTX (any value is allowed). Off with
 * {@code -Dtranscuda.cpu.laneStride=false}.
 */
final class LaneStride {
    /** {@code -Dtranscuda.cpu.laneStride}: arms of {@code (tid.x & m) == c} over every m + 1-th thread (default on). */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.laneStride"));

    /** The arm's threads {@code first, first + step, ...} of a one-dimensional block. */
    record Stride(int first, int step, Reg pred, Reg masked, Reg tid) {
    }

    private LaneStride() {
    }

    /**
     * The stride of the arm that runs where {@code pred} is {@code onTrue}, or null when its threads are not of the
     * form {@code (tid.x & m) == c} by the definitions (see the class comment).
     */
    static Stride of(Function f, Reg pred, boolean onTrue) {
        if (!(def(f, pred) instanceof Inst.Compare cmp) || cmp.type().bits() != 32
                || cmp.type().kind() == ScalarType.Kind.FLOAT) {
            return null;
        }
        boolean eq = switch (cmp.op()) {
            case EQ -> onTrue;
            case NE -> !onTrue;
            default -> false;
        };
        if (!eq) return null;
        Reg x;
        Const k;
        if (cmp.a() instanceof Reg r && cmp.b() instanceof Const c) {
            x = r;
            k = c;
        } else if (cmp.b() instanceof Reg r && cmp.a() instanceof Const c) {
            x = r;
            k = c;
        } else {
            return null;
        }
        if (!(def(f, x) instanceof Inst.Compute and) || and.op() != Opcode.AND || and.type().bits() != 32
                || and.srcs().size() != 2) {
            return null;
        }
        Reg y = null;
        Const mc = null;
        for (Value v : and.srcs()) {
            if (v instanceof Reg r) y = r;
            if (v instanceof Const c) mc = c;
        }
        if (y == null || mc == null) return null;
        int m = (int) mc.bits();
        int c = (int) k.bits();
        // m + 1 a power of two, small enough that t + m + 1 does not overflow; c one of the values of tid.x & m
        if (m < 0 || m > 0xffff || (m & (m + 1)) != 0 || c < 0 || c > m) return null;
        if (!(def(f, y) instanceof Inst.ReadSpecial rs) || rs.which() != Special.TID_X) return null;
        return new Stride(c, m + 1, pred, x, y);
    }

    /** The single unguarded definition of {@code r} in {@code f}, or null. */
    private static Inst def(Function f, Reg r) {
        Stmt def = null;
        int n = 0;
        for (Block b : f.blocks()) {
            for (Stmt st : b.stmts()) {
                for (Reg d : st.inst().defs()) {
                    if (d.id() == r.id()) {
                        n++;
                        def = st;
                    }
                }
            }
        }
        if (n != 1 || def.guard() != null || def.inst().defs().size() != 1) return null;
        return def.inst();
    }
}
