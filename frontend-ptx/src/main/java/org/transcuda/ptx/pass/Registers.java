package org.transcuda.ptx.pass;

import java.util.ArrayList;
import java.util.List;
import org.transcuda.ir.Block;
import org.transcuda.ir.Function;
import org.transcuda.ir.Inst;
import org.transcuda.ir.Insts;
import org.transcuda.ir.Reg;
import org.transcuda.ir.Stmt;
import org.transcuda.ir.Terminator;
import org.transcuda.ir.Value;

/** Register bookkeeping shared by passes. */
final class Registers {
    private Registers() {
    }

    /** The function without registers nothing references, the rest renumbered in order. */
    static Function compact(Function f) {
        boolean[] used = new boolean[f.regs().size()];
        for (Reg r : f.paramRegs()) used[r.id()] = true;
        for (Reg r : f.returnRegs()) used[r.id()] = true;
        for (Block b : f.blocks()) {
            for (Stmt s : b.stmts()) {
                if (s.guard() != null) used[s.guard().id()] = true;
                for (Reg r : s.inst().defs()) used[r.id()] = true;
                for (Value v : s.inst().uses()) if (v instanceof Reg r) used[r.id()] = true;
            }
            for (Value v : b.terminator().uses()) if (v instanceof Reg r) used[r.id()] = true;
        }
        boolean all = true;
        for (boolean u : used) all &= u;
        if (all) return f;
        Reg[] map = new Reg[used.length];
        List<Reg> regs = new ArrayList<>();
        for (Reg r : f.regs()) {
            if (used[r.id()]) {
                Reg n = new Reg(regs.size(), r.type(), r.name());
                regs.add(n);
                map[r.id()] = n;
            }
        }
        java.util.function.UnaryOperator<Reg> rr = r -> map[r.id()];
        java.util.function.UnaryOperator<Value> rv = v -> v instanceof Reg r ? map[r.id()] : v;
        List<Block> blocks = new ArrayList<>();
        for (Block b : f.blocks()) {
            List<Stmt> stmts = new ArrayList<>(b.stmts().size());
            for (Stmt s : b.stmts()) {
                Inst i = Insts.mapDefs(Insts.mapUses(s.inst(), rv), rr);
                stmts.add(new Stmt(i, s.guard() == null ? null : map[s.guard().id()], s.negateGuard(), s.loc()));
            }
            Terminator t = Insts.mapUses(b.terminator(), rv);
            blocks.add(new Block(b.label(), stmts, t));
        }
        List<Reg> pr = f.paramRegs().stream().map(rr).toList();
        List<Reg> rt = f.returnRegs().stream().map(rr).toList();
        return new Function(f.name(), f.kernel(), f.params(), f.returns(), regs, f.locals(), blocks, f.directives(),
                pr, rt);
    }
}
