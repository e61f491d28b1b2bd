package org.transcuda.ptx.pass;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.transcuda.ir.Block;
import org.transcuda.ir.Function;
import org.transcuda.ir.Reg;
import org.transcuda.ir.ScalarType;
import org.transcuda.ir.Variable;

/** A mutable copy of a function's registers, locals and labels, for passes that add to them. */
final class FunctionEditor {
    final Function f;
    final List<Reg> regs;
    final List<Variable> locals;
    List<Reg> paramRegs;
    List<Reg> returnRegs;
    private final Set<String> regNames = new HashSet<>();
    private final Set<String> labels = new HashSet<>();
    private int temps;

    FunctionEditor(Function f) {
        this.f = f;
        this.regs = new ArrayList<>(f.regs());
        this.locals = new ArrayList<>(f.locals());
        this.paramRegs = f.paramRegs();
        this.returnRegs = f.returnRegs();
        for (Reg r : regs) {
            regNames.add(r.name());
            if (r.name().startsWith("t.")) {
                try {
                    temps = Math.max(temps, Integer.parseInt(r.name().substring(2)));
                } catch (NumberFormatException e) {
                    // a t.N.M name: not a plain temporary
                }
            }
        }
        for (Block b : f.blocks()) labels.add(b.label());
    }

    Reg newReg(ScalarType type, String base) {
        String n = base;
        int i = 1;
        while (regNames.contains(n)) n = base + "." + (i++);
        Reg r = new Reg(regs.size(), type, n);
        regs.add(r);
        regNames.add(n);
        return r;
    }

    Reg temp(ScalarType type) {
        String n;
        do {
            n = "t." + (++temps);
        } while (regNames.contains(n));
        return newReg(type, n);
    }

    String label(String base) {
        String n = base;
        int i = 1;
        while (labels.contains(n)) n = base + "." + (i++);
        labels.add(n);
        return n;
    }

    Function build(List<Block> blocks) {
        return new Function(f.name(), f.kernel(), f.params(), f.returns(), regs, locals, blocks, f.directives(),
                paramRegs, returnRegs);
    }
}
