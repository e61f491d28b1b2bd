package org.transcuda.ptx.pass;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.transcuda.ir.AddressSpace;
import org.transcuda.ir.Block;
import org.transcuda.ir.Function;
import org.transcuda.ir.Insts;
import org.transcuda.ir.Module;
import org.transcuda.ir.Stmt;
import org.transcuda.ir.SymbolAddr;
import org.transcuda.ir.Value;
import org.transcuda.ir.Variable;

/**
 * Pass {@code hoist-shared}: function-scope {@code .shared} variables become module variables (shared memory is per
 * CTA, not per call), keeping their name when it is free in the module and else taking {@code function.name}. Uses
 * are renamed accordingly.
 */
public final class HoistShared {
    private HoistShared() {
    }

    public static Module run(Module m) {
        Set<String> taken = new HashSet<>();
        for (Variable v : m.variables()) taken.add(v.name());
        for (Function f : m.functions()) taken.add(f.name());
        List<Variable> vars = new ArrayList<>(m.variables());
        List<Function> fns = new ArrayList<>();
        for (Function f : m.functions()) {
            Map<String, String> renames = new HashMap<>();
            List<Variable> locals = new ArrayList<>();
            for (Variable v : f.locals()) {
                if (v.space() != AddressSpace.SHARED) {
                    locals.add(v);
                    continue;
                }
                String n = v.name();
                if (taken.contains(n)) n = f.name() + "." + v.name();
                String base = n;
                for (int i = 1; taken.contains(n); i++) n = base + "." + i;
                taken.add(n);
                renames.put(v.name(), n);
                vars.add(new Variable(n, v.space(), v.elementType(), v.count(), v.alignment(), v.init(),
                        v.relocations(), v.external()));
            }
            if (renames.isEmpty()) {
                fns.add(f);
                continue;
            }
            java.util.function.UnaryOperator<Value> ren = x -> x instanceof SymbolAddr a && renames.containsKey(a.symbol())
                    ? new SymbolAddr(renames.get(a.symbol()), a.space(), a.type()) : x;
            List<Block> blocks = new ArrayList<>();
            for (Block b : f.blocks()) {
                List<Stmt> out = new ArrayList<>();
                for (Stmt s : b.stmts()) {
                    out.add(new Stmt(Insts.mapUses(s.inst(), ren), s.guard(), s.negateGuard(), s.loc()));
                }
                blocks.add(new Block(b.label(), out, Insts.mapUses(b.terminator(), ren)));
            }
            fns.add(new Function(f.name(), f.kernel(), f.params(), f.returns(), f.regs(), locals, blocks, f.directives(),
                    f.paramRegs(), f.returnRegs()));
        }
        return new Module(m.name(), vars, fns, m.problems());
    }
}
