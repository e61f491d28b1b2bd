package org.transcuda.ptx.pass;

import java.util.ArrayList;
import java.util.List;
import org.transcuda.ir.Block;
import org.transcuda.ir.Function;
import org.transcuda.ir.Inst;
import org.transcuda.ir.Insts;
import org.transcuda.ir.Module;
import org.transcuda.ir.Reg;
import org.transcuda.ir.ScalarType;
import org.transcuda.ir.Stmt;
import org.transcuda.ir.Value;
import org.transcuda.ptx.lower.SpecialNames;

/**
 * Pass {@code carry}: PTX's single implicit carry flag (the pseudo-register {@code %cc} instruction selection uses
 * for every {@code .cc}/{@code addc}-style instruction) becomes one predicate register per carry link: each write
 * gets a fresh {@code %cc.N}, and each read the one written last before it in the block. Where a carry flows from
 * one block into another, or a carry instruction is guarded (so a write may not happen), the function keeps the one
 * flag register, which is equally explicit and correct.
 */
public final class CarryFlags {
    private CarryFlags() {
    }

    public static Module run(Module m) {
        return PassSupport.perFunction(m, "carry", CarryFlags::function);
    }

    static Function function(Function f) {
        Reg cc = null;
        for (Reg r : f.regs()) {
            if (r.name().equals(SpecialNames.CARRY) && r.type() == ScalarType.PRED) cc = r;
        }
        if (cc == null) return f;
        // Can every read be matched with a write earlier in its block, all unguarded?
        for (Block b : f.blocks()) {
            boolean written = false;
            for (Stmt s : b.stmts()) {
                boolean reads = s.inst().uses().contains(cc) || cc.equals(s.guard());
                boolean writes = s.inst().defs().contains(cc);
                if ((reads && !written) || (writes && s.guard() != null) || (reads && !(s.inst()
                        instanceof Inst.CarryArith))) {
                    return f;
                }
                written |= writes;
            }
            if (b.terminator().uses().contains(cc)) return f;
        }
        FunctionEditor ed = new FunctionEditor(f);
        final Reg flag = cc;
        List<Block> blocks = new ArrayList<>();
        for (Block b : f.blocks()) {
            List<Stmt> out = new ArrayList<>();
            Reg[] current = {null};
            for (Stmt s : b.stmts()) {
                Inst i = Insts.mapUses(s.inst(), (Value v) -> flag.equals(v) ? current[0] : v);
                if (i.defs().contains(flag)) {
                    Reg fresh = ed.newReg(ScalarType.PRED, SpecialNames.CARRY);
                    i = Insts.mapDefs(i, r -> r.equals(flag) ? fresh : r);
                    current[0] = fresh;
                }
                out.add(new Stmt(i, s.guard(), s.negateGuard(), s.loc()));
            }
            blocks.add(new Block(b.label(), out, b.terminator()));
        }
        return Registers.compact(ed.build(blocks));
    }
}
