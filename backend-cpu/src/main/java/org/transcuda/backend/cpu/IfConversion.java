package org.transcuda.backend.cpu;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.transcuda.ir.Block;
import org.transcuda.ir.Function;
import org.transcuda.ir.Inst;
import org.transcuda.ir.Terminator;

/**
 * If-conversion for the lockstep engine ({@link Lockstep}): finds the conditional branches whose one or two arms are
 * short blocks that rejoin at once, so that the segment ending in the branch can run the arms itself as one loop over
 * its active threads with a per-thread test of the predicate (predicated execution), and all its threads then go on
 * to the join together. Without it each such branch splits the threads: a pass that records every thread's next
 * segment, the arm run for its threads, and a scheduler pass over the block to reconverge (reduce's
 * {@code if (tid < s) s[tid] += s[tid + s];} tree, scan's {@code if (lane == 31) warpSums[warp] = v;}).
 *
 * <p>A branch {@code A: @p bra T, F} is converted when
 * <ul>
 * <li>(triangle) {@code T} is an arm and ends with {@code bra F}, or {@code F} is an arm and ends with {@code bra T};
 * or (diamond) both are arms and end with a {@code bra} to the same block;</li>
 * <li>an arm is a block other than {@code A} and the entry block whose only predecessor is {@code A} (so nothing else
 * can reach it, and running it inside {@code A}'s segment loses no reconvergence), with at most {@link #MAX_ARM}
 * statements and no barrier or warp collective (those need the threads to meet: they stay on the scheduler's
 * path).</li>
 * </ul>
 * Exactness: inside one segment each thread runs its arm before the next thread starts it, which is one of the
 * schedules the unconverted code could take (threads of a block only interact through barriers, warp collectives
 * and memory, races excepted); the threads reconverge at the join exactly as before.
 */
final class IfConversion {
    /** The most statements an arm may have (its code is emitted into the branching segment's method). */
    static final int MAX_ARM = 24;

    /**
     * A converted branch: the arm run when the predicate holds ({@code ifTrue}) and the one run when it does not
     * ({@code ifFalse}), either null (a triangle), and the label of the join.
     */
    record Arms(Block ifTrue, Block ifFalse, String join) {
    }

    private IfConversion() {
    }

    /** The converted branches of {@code f}, by the label of the block that ends with the branch. */
    static Map<String, Arms> find(Function f) {
        Map<String, Block> byLabel = new HashMap<>();
        Map<String, Integer> preds = new HashMap<>();
        List<Block> blocks = f.blocks();
        if (blocks.isEmpty()) return Map.of();
        preds.merge(blocks.get(0).label(), 1, Integer::sum); // the entry is reached from outside
        for (Block b : blocks) {
            byLabel.put(b.label(), b);
            // a branch with both targets equal reaches it once per edge: counted twice, so it is no arm
            for (String s : b.terminator().successors()) preds.merge(s, 1, Integer::sum);
        }
        Map<String, Arms> out = new HashMap<>();
        for (Block a : blocks) {
            if (!(a.terminator() instanceof Terminator.CondBranch c) || c.ifTrue().equals(c.ifFalse())) continue;
            Block t = byLabel.get(c.ifTrue());
            Block e = byLabel.get(c.ifFalse());
            if (t == null || e == null) continue;
            boolean armT = arm(a, t, preds);
            boolean armF = arm(a, e, preds);
            String joinT = armT ? jump(t) : null;
            String joinF = armF ? jump(e) : null;
            if (joinT != null && joinT.equals(e.label())) {
                out.put(a.label(), new Arms(t, null, e.label()));
            } else if (joinF != null && joinF.equals(t.label())) {
                out.put(a.label(), new Arms(null, e, t.label()));
            } else if (joinT != null && joinT.equals(joinF)) {
                out.put(a.label(), new Arms(t, e, joinT));
            }
        }
        return out;
    }

    private static boolean arm(Block a, Block b, Map<String, Integer> preds) {
        if (b == a || preds.getOrDefault(b.label(), 0) != 1 || b.stmts().size() > MAX_ARM) return false;
        for (var st : b.stmts()) {
            Inst i = st.inst();
            if (i instanceof Inst.Barrier || i instanceof Inst.Shuffle || i instanceof Inst.Vote
                    || i instanceof Inst.Match || i instanceof Inst.Redux || i instanceof Inst.ActiveMask
                    || i instanceof Inst.WarpSync) {
                return false;
            }
        }
        return true;
    }

    /** The target of the block's unconditional branch, or null. */
    private static String jump(Block b) {
        return b.terminator() instanceof Terminator.Branch br ? br.target() : null;
    }
}
