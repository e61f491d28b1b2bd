package org.transcuda.ptx.pass;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.transcuda.ir.Block;
import org.transcuda.ir.Function;
import org.transcuda.ir.Insts;
import org.transcuda.ir.Module;
import org.transcuda.ir.Reg;
import org.transcuda.ir.Stmt;
import org.transcuda.ir.Value;

/**
 * Pass {@code dead-code}: branches to an empty block that only branches on go straight to its target (such blocks
 * come from the fall-through after a guarded {@code bra}); then blocks unreachable from the entry go, then, until
 * nothing changes, instructions without side effects ({@link Insts#pure}) none of whose results is read anywhere in
 * the function, and finally registers nothing mentions (renumbering the rest).
 */
public final class DeadCode {
    private DeadCode() {
    }

    public static Module run(Module m) {
        return PassSupport.perFunction(m, "dead-code", DeadCode::function);
    }

    static Function function(Function f) {
        List<Block> blocks = reachable(bypassEmpty(f.blocks()));
        boolean changed = true;
        while (changed) {
            changed = false;
            boolean[] read = new boolean[f.regs().size()];
            for (Reg r : f.returnRegs()) read[r.id()] = true;
            for (Block b : blocks) {
                for (Stmt s : b.stmts()) {
                    if (s.guard() != null) read[s.guard().id()] = true;
                    for (Value v : s.inst().uses()) if (v instanceof Reg r) read[r.id()] = true;
                }
                for (Value v : b.terminator().uses()) if (v instanceof Reg r) read[r.id()] = true;
            }
            List<Block> out = new ArrayList<>(blocks.size());
            for (Block b : blocks) {
                List<Stmt> keep = new ArrayList<>(b.stmts().size());
                for (Stmt s : b.stmts()) {
                    boolean dead = Insts.pure(s.inst()) && !s.inst().defs().isEmpty();
                    for (Reg d : s.inst().defs()) dead &= !read[d.id()];
                    if (dead) {
                        changed = true;
                    } else {
                        keep.add(s);
                    }
                }
                out.add(keep.size() == b.stmts().size() ? b : new Block(b.label(), keep, b.terminator()));
            }
            blocks = out;
        }
        return Registers.compact(f.withBody(f.regs(), f.locals(), blocks));
    }

    /** Retargets branches to empty blocks that just branch on (not the entry, not cycles of them). */
    static List<Block> bypassEmpty(List<Block> blocks) {
        if (blocks.isEmpty()) return blocks;
        Map<String, String> fwd = new HashMap<>();
        for (int i = 1; i < blocks.size(); i++) {
            Block b = blocks.get(i);
            if (b.stmts().isEmpty() && b.terminator() instanceof org.transcuda.ir.Terminator.Branch br
                    && !br.target().equals(b.label())) {
                fwd.put(b.label(), br.target());
            }
        }
        if (fwd.isEmpty()) return blocks;
        Map<String, String> resolved = new HashMap<>();
        for (String l : fwd.keySet()) {
            String x = l;
            Set<String> seen = new HashSet<>();
            while (fwd.containsKey(x) && seen.add(x)) x = fwd.get(x);
            if (!fwd.containsKey(x)) resolved.put(l, x); // a cycle of empty blocks stays as it is
        }
        List<Block> out = new ArrayList<>(blocks.size());
        for (Block b : blocks) {
            org.transcuda.ir.Terminator t = Insts.mapTargets(b.terminator(), l -> resolved.getOrDefault(l, l));
            out.add(t.equals(b.terminator()) ? b : new Block(b.label(), b.stmts(), t));
        }
        return out;
    }

    /** The blocks reachable from the first, in their original order. */
    static List<Block> reachable(List<Block> blocks) {
        if (blocks.isEmpty()) return blocks;
        Map<String, Block> byLabel = new HashMap<>();
        for (Block b : blocks) byLabel.put(b.label(), b);
        Set<String> seen = new HashSet<>();
        ArrayDeque<Block> work = new ArrayDeque<>();
        work.add(blocks.getFirst());
        seen.add(blocks.getFirst().label());
        while (!work.isEmpty()) {
            Block b = work.poll();
            for (String s : b.terminator().successors()) {
                Block t = byLabel.get(s);
                if (t != null && seen.add(s)) work.add(t);
            }
        }
        if (seen.size() == blocks.size()) return blocks;
        List<Block> out = new ArrayList<>();
        for (Block b : blocks) if (seen.contains(b.label())) out.add(b);
        return out;
    }
}
