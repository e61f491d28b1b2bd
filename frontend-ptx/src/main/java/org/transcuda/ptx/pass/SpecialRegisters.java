package org.transcuda.ptx.pass;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.transcuda.ir.Block;
import org.transcuda.ir.FloatMode;
import org.transcuda.ir.Function;
import org.transcuda.ir.Inst;
import org.transcuda.ir.Insts;
import org.transcuda.ir.Module;
import org.transcuda.ir.Reg;
import org.transcuda.ir.ScalarType;
import org.transcuda.ir.Special;
import org.transcuda.ir.Stmt;
import org.transcuda.ir.Terminator;
import org.transcuda.ir.Value;
import org.transcuda.ptx.lower.PtxTypes;
import org.transcuda.ptx.lower.SpecialNames;

/**
 * Pass {@code special-registers}: reads of PTX special registers (the pseudo-registers {@code %tid.x}, ... that
 * instruction selection leaves) become {@link Inst.ReadSpecial}. A {@code mov} from one becomes the read itself
 * (with a conversion when the destination has another width); any other use reads the register into a temporary
 * right before the instruction, under the same guard. The pseudo-registers are then removed.
 */
public final class SpecialRegisters {
    private SpecialRegisters() {
    }

    public static Module run(Module m) {
        return PassSupport.perFunction(m, "special-registers", SpecialRegisters::function);
    }

    static Function function(Function f) {
        Map<Integer, Special> pseudo = new HashMap<>();
        for (Reg r : f.regs()) {
            Special s = SpecialNames.special(r.name());
            if (s != null) pseudo.put(r.id(), s);
        }
        if (pseudo.isEmpty()) return f;
        FunctionEditor ed = new FunctionEditor(f);
        List<Block> blocks = new ArrayList<>();
        for (Block b : f.blocks()) {
            List<Stmt> out = new ArrayList<>(b.stmts().size() + 4);
            for (Stmt s : b.stmts()) {
                for (Reg d : s.inst().defs()) {
                    if (pseudo.containsKey(d.id())) {
                        throw PassSupport.Failure.at(s.loc(), f.name(), "special register %" + d.name()
                                + " is read-only");
                    }
                }
                if (s.inst() instanceof Inst.Mov mv && mv.src() instanceof Reg src && pseudo.containsKey(src.id())) {
                    Special sp = pseudo.get(src.id());
                    read(ed, sp, mv.dst(), s, out);
                    continue;
                }
                Inst i = Insts.mapUses(s.inst(), v -> replace(ed, pseudo, v, s, out));
                out.add(new Stmt(i, s.guard(), s.negateGuard(), s.loc()));
            }
            Terminator t = b.terminator();
            Stmt at = new Stmt(new Inst.Fence(null, null), null, false, null);
            t = Insts.mapUses(t, v -> replace(ed, pseudo, v, at, out));
            blocks.add(new Block(b.label(), out, t));
        }
        return Registers.compact(ed.build(blocks));
    }

    private static Value replace(FunctionEditor ed, Map<Integer, Special> pseudo, Value v, Stmt s, List<Stmt> out) {
        if (v instanceof Reg r && pseudo.containsKey(r.id())) {
            Special sp = pseudo.get(r.id());
            Reg t = ed.temp(sp.type());
            out.add(new Stmt(new Inst.ReadSpecial(sp, t), s.guard(), s.negateGuard(), s.loc()));
            return t;
        }
        return v;
    }

    /** dst = special, converting when dst has another width. */
    private static void read(FunctionEditor ed, Special sp, Reg dst, Stmt s, List<Stmt> out) {
        ScalarType st = sp.type();
        if (dst.type().bits() == st.bits() && (dst.type() == st || PtxTypes.isIntLike(dst.type()))) {
            out.add(new Stmt(new Inst.ReadSpecial(sp, dst), s.guard(), s.negateGuard(), s.loc()));
            return;
        }
        Reg t = ed.temp(st);
        out.add(new Stmt(new Inst.ReadSpecial(sp, t), s.guard(), s.negateGuard(), s.loc()));
        if (dst.type().bits() == st.bits()) {
            out.add(new Stmt(new Inst.Mov(dst, t), s.guard(), s.negateGuard(), s.loc()));
        } else if (PtxTypes.isIntLike(dst.type()) && st != ScalarType.PRED) {
            ScalarType to = PtxTypes.intType(dst.type().bits(), false);
            out.add(new Stmt(new Inst.Convert(to, st, FloatMode.NONE, dst, t), s.guard(), s.negateGuard(), s.loc()));
        } else {
            throw PassSupport.Failure.at(s.loc(), ed.f.name(), "cannot move %" + SpecialNames.name(sp) + " ("
                    + st.ptxName() + ") into " + dst + dst.type().ptxName());
        }
    }
}
