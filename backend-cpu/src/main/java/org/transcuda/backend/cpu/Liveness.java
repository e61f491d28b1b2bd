package org.transcuda.backend.cpu;

import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.transcuda.ir.Block;
import org.transcuda.ir.Function;
import org.transcuda.ir.Reg;
import org.transcuda.ir.Stmt;
import org.transcuda.ir.Terminator;
import org.transcuda.ir.Value;

/**
 * Backward liveness of a function's registers over its control-flow graph (registers are mutable, not SSA;
 * a guarded statement does not kill what it writes, since it may not execute). Used to spill only the live
 * registers at a suspension point.
 */
final class Liveness {
    private final Function f;
    private final Map<String, Integer> index = new HashMap<>();
    private final BitSet[] liveOut;

    Liveness(Function f) {
        this.f = f;
        List<Block> blocks = f.blocks();
        for (int i = 0; i < blocks.size(); i++) index.put(blocks.get(i).label(), i);
        int n = blocks.size();
        BitSet[] liveIn = new BitSet[n];
        liveOut = new BitSet[n];
        for (int i = 0; i < n; i++) {
            liveIn[i] = new BitSet();
            liveOut[i] = new BitSet();
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int i = n - 1; i >= 0; i--) {
                Block b = blocks.get(i);
                BitSet out = new BitSet();
                for (String s : b.terminator().successors()) {
                    Integer j = index.get(s);
                    if (j != null) out.or(liveIn[j]);
                }
                BitSet in = transferBlock(b, out);
                if (!out.equals(liveOut[i]) || !in.equals(liveIn[i])) {
                    liveOut[i] = out;
                    liveIn[i] = in;
                    changed = true;
                }
            }
        }
    }

    private static BitSet transferBlock(Block b, BitSet out) {
        BitSet live = (BitSet) out.clone();
        uses(live, b.terminator().uses());
        for (int k = b.stmts().size() - 1; k >= 0; k--) transfer(b.stmts().get(k), live);
        return live;
    }

    static void transfer(Stmt s, BitSet live) {
        if (s.guard() == null) {
            for (Reg d : s.inst().defs()) live.clear(d.id());
        }
        uses(live, s.inst().uses());
        if (s.guard() != null) live.set(s.guard().id());
    }

    private static void uses(BitSet live, List<Value> values) {
        for (Value v : values) {
            if (v instanceof Reg r) live.set(r.id());
        }
    }

    /** Registers live right after statement {@code stmtIndex} of {@code block}. */
    BitSet liveAfter(Block block, int stmtIndex) {
        BitSet live = (BitSet) liveOut[index.get(block.label())].clone();
        if (!(block.terminator() instanceof Terminator.Return) && !(block.terminator() instanceof Terminator.Exit)) {
            uses(live, block.terminator().uses());
        }
        for (int k = block.stmts().size() - 1; k > stmtIndex; k--) transfer(block.stmts().get(k), live);
        return live;
    }

    Function function() {
        return f;
    }
}
