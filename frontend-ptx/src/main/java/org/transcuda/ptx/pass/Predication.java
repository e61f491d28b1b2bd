package org.transcuda.ptx.pass;

import java.util.ArrayList;
import java.util.List;
import org.transcuda.ir.Block;
import org.transcuda.ir.Function;
import org.transcuda.ir.Module;
import org.transcuda.ir.Reg;
import org.transcuda.ir.Stmt;
import org.transcuda.ir.Terminator;

/**
 * Pass {@code predication} (run when a backend asks): guards become control flow. A run of consecutive statements
 * under the same guard (ending at one that rewrites the guard register) moves into a block of its own, entered by a
 * conditional branch on the guard and leaving to the rest of the original block. Afterwards no statement is guarded
 * ({@code IrVerifier.verify(m, true)} holds).
 */
public final class Predication {
    private Predication() {
    }

    public static Module run(Module m) {
        return PassSupport.perFunction(m, "predication", Predication::function);
    }

    static Function function(Function f) {
        boolean any = false;
        for (Block b : f.blocks()) for (Stmt s : b.stmts()) any |= s.guard() != null;
        if (!any) return f;
        FunctionEditor ed = new FunctionEditor(f);
        List<Block> out = new ArrayList<>();
        for (Block b : f.blocks()) {
            String label = b.label();
            List<Stmt> cur = new ArrayList<>();
            List<Stmt> stmts = b.stmts();
            int i = 0;
            while (i < stmts.size()) {
                Stmt s = stmts.get(i);
                if (s.guard() == null) {
                    cur.add(s);
                    i++;
                    continue;
                }
                Reg g = s.guard();
                boolean neg = s.negateGuard();
                List<Stmt> run = new ArrayList<>();
                while (i < stmts.size() && g.equals(stmts.get(i).guard()) && stmts.get(i).negateGuard() == neg) {
                    Stmt x = stmts.get(i++);
                    run.add(new Stmt(x.inst(), null, false, x.loc()));
                    if (x.inst().defs().contains(g)) break;
                }
                String then = ed.label(b.label() + ".guarded");
                String cont = ed.label(b.label() + ".cont");
                out.add(new Block(label, cur, neg ? new Terminator.CondBranch(g, cont, then)
                        : new Terminator.CondBranch(g, then, cont)));
                out.add(new Block(then, run, new Terminator.Branch(cont)));
                label = cont;
                cur = new ArrayList<>();
            }
            out.add(new Block(label, cur, b.terminator()));
        }
        return ed.build(out);
    }
}
