package org.transcuda.ptx.pass;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.transcuda.ir.Block;
import org.transcuda.ir.Function;
import org.transcuda.ir.Module;
import org.transcuda.ir.SrcLoc;
import org.transcuda.ir.Stmt;

/** Running a pass function by function, turning a failure into a problem of that function only. */
final class PassSupport {
    private PassSupport() {
    }

    /** A function the pass cannot translate; the message starts with {@code file:line:col: }. */
    static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Failure(String message) {
            super(message, null, false, false);
        }

        static Failure at(SrcLoc loc, String fallbackFile, String message) {
            String where = loc == null ? fallbackFile + ":1:1" : loc.file() + ":" + loc.line() + ":" + loc.column();
            return new Failure(where + ": " + message);
        }
    }

    /** Applies {@code pass} to every defined function. */
    static Module perFunction(Module m, String passName, UnaryOperator<Function> pass) {
        List<Function> out = new ArrayList<>(m.functions().size());
        Map<String, String> failed = new LinkedHashMap<>();
        for (Function f : m.functions()) {
            if (!f.isDefined()) {
                out.add(f);
                continue;
            }
            try {
                out.add(pass.apply(f));
            } catch (Failure e) {
                failed.put(f.name(), e.getMessage());
            } catch (RuntimeException | StackOverflowError e) {
                failed.put(f.name(), firstLoc(m, f) + ": internal error in pass " + passName + ": " + e);
            }
        }
        return Problems.drop(new Module(m.name(), m.variables(), out, m.problems()), failed);
    }

    static String firstLoc(Module m, Function f) {
        for (Block b : f.blocks()) {
            for (Stmt s : b.stmts()) {
                if (s.loc() != null) return s.loc().file() + ":" + s.loc().line() + ":" + s.loc().column();
            }
        }
        return m.name() + ":1:1";
    }
}
