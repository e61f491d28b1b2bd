package org.transcuda.ptx.pass;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.transcuda.ir.Block;
import org.transcuda.ir.Function;
import org.transcuda.ir.Inst;
import org.transcuda.ir.Module;
import org.transcuda.ir.Stmt;
import org.transcuda.ir.SymbolAddr;
import org.transcuda.ir.Value;

/**
 * Removes functions that could not be translated from a module, recording why in {@link Module#problems()}, and
 * with them every function that calls one or takes its address (it could not run either).
 */
public final class Problems {
    private Problems() {
    }

    /** The module without the failed functions ({@code name -> file:line:col: message}) and their dependents. */
    public static Module drop(Module m, Map<String, String> failed) {
        if (failed.isEmpty()) return m;
        Map<String, String> all = new LinkedHashMap<>(failed);
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Function f : m.functions()) {
                if (all.containsKey(f.name())) continue;
                String[] dep = dependency(m, f, all.keySet());
                if (dep != null) {
                    all.put(f.name(), dep[1] + ": uses " + dep[0] + ", which cannot be translated (" + all.get(dep[0])
                            + ")");
                    changed = true;
                }
            }
        }
        List<Function> keep = new ArrayList<>();
        for (Function f : m.functions()) {
            if (!all.containsKey(f.name())) keep.add(f);
        }
        List<Module.Problem> problems = new ArrayList<>(m.problems());
        Set<String> known = new HashSet<>();
        for (Module.Problem p : problems) known.add(p.function());
        for (Map.Entry<String, String> e : all.entrySet()) {
            if (known.add(e.getKey())) problems.add(new Module.Problem(e.getKey(), e.getValue()));
        }
        return new Module(m.name(), m.variables(), keep, problems);
    }

    /** The failed function f uses and where ({@code file:line:col}), or null. */
    private static String[] dependency(Module m, Function f, Set<String> failed) {
        for (Block b : f.blocks()) {
            for (Stmt s : b.stmts()) {
                String hit = null;
                if (s.inst() instanceof Inst.Call c && c.callee() != null && failed.contains(c.callee())) {
                    hit = c.callee();
                }
                for (Value v : s.inst().uses()) {
                    if (hit == null && v instanceof SymbolAddr a && failed.contains(a.symbol())) hit = a.symbol();
                }
                if (hit != null) {
                    String where = s.loc() != null ? s.loc().file() + ":" + s.loc().line() + ":" + s.loc().column()
                            : PassSupport.firstLoc(m, f);
                    return new String[] {hit, where};
                }
            }
        }
        return null;
    }
}
