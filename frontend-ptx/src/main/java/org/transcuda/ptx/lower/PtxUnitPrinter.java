package org.transcuda.ptx.lower;

import java.util.List;
import java.util.stream.Collectors;
import org.transcuda.ir.Function;
import org.transcuda.ir.IrPrinter;
import org.transcuda.ir.Module;
import org.transcuda.ir.Reg;
import org.transcuda.ir.Variable;

/** The textual dump of a {@link PtxUnit}: the IR dump's layout with PTX-level instruction bodies. */
public final class PtxUnitPrinter {
    private PtxUnitPrinter() {
    }

    public static String print(PtxUnit u) {
        StringBuilder sb = new StringBuilder();
        // Module variables print exactly as in the IR dump.
        sb.append(IrPrinter.print(new Module(u.file, u.variables, List.of(), List.of())));
        for (String n : u.notes) sb.append("note ").append(n).append('\n');
        for (FunctionUnit f : u.functions.values()) {
            sb.append('\n').append(print(f));
        }
        return sb.toString();
    }

    public static String print(FunctionUnit f) {
        StringBuilder sb = new StringBuilder();
        if (f.problem != null) {
            sb.append("untranslatable ").append(f.name).append(": ").append(f.problem).append('\n');
        }
        // The signature line as the IR prints it.
        String sig = IrPrinter.print(new Function(f.name, f.kernel, f.params, f.returns, List.of(), List.of(),
                List.of(), f.directives));
        sb.append(sig, 0, sig.length() - 2); // drop ";\n"
        if (!f.paramRegs.isEmpty() || !f.returnRegs.isEmpty()) {
            sb.append(" reg-abi(").append(names(f.returnRegs)).append(") <- (").append(names(f.paramRegs))
                    .append(')');
        }
        if (!f.defined) return sb.append(";\n").toString();
        sb.append(" {\n");
        if (!f.regs.isEmpty()) {
            sb.append("  regs");
            for (Reg r : f.regs) sb.append(' ').append(r).append(r.type().ptxName());
            sb.append('\n');
        }
        for (Variable v : f.locals) {
            String line = IrPrinter.print(new Module("m", List.of(v), List.of(), List.of()));
            sb.append("  ").append(line.substring(line.indexOf('\n') + 1));
        }
        for (LStmt s : f.body) {
            switch (s) {
                case LStmt.Lbl l -> sb.append(l.label()).append(":\n");
                case LStmt.Ins i -> sb.append("  ").append(i).append('\n');
            }
        }
        return sb.append("}\n").toString();
    }

    private static String names(List<Reg> rs) {
        return rs.stream().map(r -> r + r.type().ptxName()).collect(Collectors.joining(", "));
    }
}
