package org.transcuda.ptx.lower;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.transcuda.ir.Function;
import org.transcuda.ir.Param;
import org.transcuda.ir.Reg;
import org.transcuda.ir.ScalarType;
import org.transcuda.ir.Variable;
import org.transcuda.ptx.ast.SourcePos;

/**
 * One kernel or device function between name resolution and instruction selection: its signature in IR terms,
 * its registers and memory variables, and its body as a flat list of {@link LStmt}s (nested scopes are gone; names
 * that scopes made distinct are made unique).
 */
public final class FunctionUnit {
    public final String name;
    public final boolean kernel;
    public final SourcePos pos;
    public final List<Param> params;
    public final List<Param> returns;
    public final Function.Directives directives;
    /** For {@code .reg} parameters and returns (the {@code .reg} ABI), their registers; else empty. */
    public final List<Reg> paramRegs = new ArrayList<>();
    public final List<Reg> returnRegs = new ArrayList<>();
    /** Whether the parameters are {@code .reg} values. */
    public boolean regAbi;
    public final boolean defined;
    public final List<Reg> regs = new ArrayList<>();
    public final List<Variable> locals = new ArrayList<>();
    public List<LStmt> body = new ArrayList<>();
    /** The first reason this function cannot be translated ({@code file:line:col: message}), or null. */
    public String problem;
    private final Set<String> regNames = new HashSet<>();
    private final Set<String> labelNames = new HashSet<>();
    private int temps;

    public FunctionUnit(String name, boolean kernel, SourcePos pos, List<Param> params, List<Param> returns,
            Function.Directives directives, boolean defined) {
        this.name = name;
        this.kernel = kernel;
        this.pos = pos;
        this.params = List.copyOf(params);
        this.returns = List.copyOf(returns);
        this.directives = directives;
        this.defined = defined;
    }

    /** A new register named {@code base}, or {@code base.N} when that name is taken or reserved. */
    public Reg newReg(ScalarType type, String base) {
        String n = base;
        if (regNames.contains(n) || SpecialNames.reserved(n)) {
            int i = 1;
            while (regNames.contains(base + "." + i)) i++;
            n = base + "." + i;
        }
        return addReg(type, n);
    }

    /** A register with exactly this name (used for the pseudo-registers of special registers and the carry flag). */
    public Reg namedReg(ScalarType type, String exact) {
        for (Reg r : regs) {
            if (r.name().equals(exact)) return r;
        }
        return addReg(type, exact);
    }

    private Reg addReg(ScalarType type, String n) {
        Reg r = new Reg(regs.size(), type, n);
        regs.add(r);
        regNames.add(n);
        return r;
    }

    /** A fresh temporary register ({@code t.N}). */
    public Reg temp(ScalarType type) {
        return newReg(type, "t." + (++temps));
    }

    /** A label unique in this function: {@code base}, or {@code base.N}. */
    public String uniqueLabel(String base) {
        String n = base;
        int i = 1;
        while (labelNames.contains(n)) n = base + "." + (i++);
        labelNames.add(n);
        return n;
    }

    /** Records the first problem; later ones are dropped. */
    public void fail(String message) {
        if (problem == null) problem = message;
    }

    public void fail(SourcePos at, String message) {
        fail(at + ": " + message);
    }
}
