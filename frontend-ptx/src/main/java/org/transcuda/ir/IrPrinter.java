package org.transcuda.ir;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The textual dump of the IR, for golden tests, {@code transcuda translate} and debugging. */
public final class IrPrinter {
    private IrPrinter() {
    }

    public static String print(Module m) {
        StringBuilder sb = new StringBuilder();
        sb.append("module ").append(m.name()).append('\n');
        for (Variable v : m.variables()) sb.append(variable(v)).append('\n');
        for (Module.Problem p : m.problems()) {
            sb.append("untranslatable ").append(p.function()).append(": ").append(p.message()).append('\n');
        }
        for (Function f : m.functions()) sb.append('\n').append(print(f));
        return sb.toString();
    }

    static String variable(Variable v) {
        StringBuilder sb = new StringBuilder();
        sb.append(v.external() ? "extern " : "").append(space(v.space())).append(' ')
                .append(v.elementType().ptxName()).append(' ').append(v.name()).append('[').append(v.count())
                .append("] align ").append(v.alignment());
        if (v.init() != null) {
            sb.append(" = ").append(v.init().length).append(" bytes");
            for (Variable.Relocation r : v.relocations()) {
                sb.append(" +reloc(").append(r.offset()).append(": &").append(r.symbol());
                if (r.addend() != 0) sb.append('+').append(r.addend());
                sb.append(')');
            }
        }
        return sb.toString();
    }

    static String space(AddressSpace s) {
        return "." + s.name().toLowerCase(Locale.ROOT);
    }

    private static String params(List<Param> ps) {
        return ps.stream().map(p -> p.type().ptxName() + (p.count() > 1 ? "[" + p.count() + "]" : "") + " "
                + p.name() + " @" + p.offset()).collect(Collectors.joining(", "));
    }

    public static String print(Function f) {
        StringBuilder sb = new StringBuilder();
        sb.append(f.kernel() ? ".entry " : ".func ");
        if (!f.returns().isEmpty()) sb.append('(').append(params(f.returns())).append(") ");
        sb.append(f.name()).append('(').append(params(f.params())).append(')');
        Function.Directives d = f.directives();
        if (!d.maxntid().isEmpty()) sb.append(" .maxntid ").append(d.maxntid());
        if (!d.reqntid().isEmpty()) sb.append(" .reqntid ").append(d.reqntid());
        if (d.minnctapersm() > 0) sb.append(" .minnctapersm ").append(d.minnctapersm());
        if (d.maxnreg() > 0) sb.append(" .maxnreg ").append(d.maxnreg());
        if (d.noreturn()) sb.append(" .noreturn");
        if (!f.isDefined()) return sb.append(";\n").toString();
        sb.append(" {\n");
        if (!f.regs().isEmpty()) {
            sb.append("  regs");
            for (Reg r : f.regs()) sb.append(' ').append(r).append(r.type().ptxName());
            sb.append('\n');
        }
        for (Variable v : f.locals()) sb.append("  ").append(variable(v)).append('\n');
        for (Block b : f.blocks()) {
            sb.append(b.label()).append(":\n");
            for (Stmt s : b.stmts()) {
                sb.append("  ");
                if (s.guard() != null) sb.append('@').append(s.negateGuard() ? "!" : "").append(s.guard()).append(' ');
                sb.append(inst(s.inst())).append('\n');
            }
            sb.append("  ").append(terminator(b.terminator())).append('\n');
        }
        return sb.append("}\n").toString();
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    private static String vals(List<? extends Value> vs) {
        return vs.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    private static String mem(Memory.Order order, Memory.Scope scope) {
        if (order == Memory.Order.WEAK) return "";
        return "." + lower(order) + (scope == null ? "" : "." + lower(scope));
    }

    public static String inst(Inst i) {
        return switch (i) {
            case Inst.Mov m -> m.dst() + " = mov " + m.src();
            case Inst.Compute c -> c.dst() + " = " + lower(c.op()) + c.mode() + c.type().ptxName() + " " + vals(c.srcs());
            case Inst.CarryArith c -> c.dst() + (c.carryOut() == null ? "" : ", cf:" + c.carryOut()) + " = "
                    + lower(c.op()) + ".carry" + c.type().ptxName() + " " + vals(c.srcs())
                    + (c.carryIn() == null ? "" : ", cf:" + c.carryIn());
            case Inst.Compare c -> c.dst() + " = setp." + lower(c.op()) + (c.ftz() ? ".ftz" : "") + c.type().ptxName()
                    + " " + c.a() + ", " + c.b();
            case Inst.Convert c -> c.dst() + " = cvt" + c.mode() + c.to().ptxName() + c.from().ptxName() + " " + c.src();
            case Inst.Cvta c -> c.dst() + " = cvta" + (c.toGeneric() ? "" : ".to") + space(c.space()) + " " + c.src();
            case Inst.IsSpace s -> s.dst() + " = isspacep" + space(s.space()) + " " + s.address();
            case Inst.Load l -> l.dst() + " = ld" + space(l.space()) + mem(l.order(), l.scope())
                    + (l.cache() == Memory.Cache.NON_COHERENT ? ".nc" : "") + l.type().ptxName() + " " + l.address();
            case Inst.Store s -> "st" + space(s.space()) + mem(s.order(), s.scope()) + s.type().ptxName() + " "
                    + s.address() + ", " + s.src();
            case Inst.Atomic a -> (a.dst() == null ? "red" : a.dst() + " = atom") + space(a.space())
                    + mem(a.order(), a.scope()) + "." + lower(a.op()) + a.type().ptxName() + " " + a.address() + ", "
                    + a.a() + (a.b() == null ? "" : ", " + a.b());
            case Inst.ReadSpecial r -> r.dst() + " = special " + lower(r.which());
            case Inst.Barrier b -> (b.dst() == null ? "" : b.dst() + " = ") + "bar." + lower(b.kind()) + " " + b.id()
                    + (b.threads() == null ? "" : ", " + b.threads())
                    + (b.pred() == null ? "" : ", " + (b.negatePred() ? "!" : "") + b.pred());
            case Inst.Fence f -> "fence" + mem(f.order(), f.scope());
            case Inst.Shuffle s -> s.dst() + (s.valid() == null ? "" : "|" + s.valid()) + " = shfl.sync."
                    + lower(s.mode()) + " " + vals(List.of(s.a(), s.b(), s.c(), s.memberMask()));
            case Inst.Vote v -> v.dst() + " = vote.sync." + lower(v.mode()) + " " + (v.negate() ? "!" : "") + v.pred()
                    + ", " + v.memberMask();
            case Inst.Match m -> m.dst() + (m.allEqual() == null ? "" : "|" + m.allEqual()) + " = match."
                    + (m.all() ? "all" : "any") + ".sync" + m.type().ptxName() + " " + m.value() + ", " + m.memberMask();
            case Inst.Redux r -> r.dst() + " = redux.sync." + lower(r.op()) + r.type().ptxName() + " " + r.value()
                    + ", " + r.memberMask();
            case Inst.ActiveMask a -> a.dst() + " = activemask";
            case Inst.WarpSync w -> "bar.warp.sync " + w.memberMask();
            case Inst.Call c -> (c.results().isEmpty() ? "" : vals(c.results()) + " = ") + "call "
                    + (c.callee() != null ? c.callee() : "*" + c.target()) + "(" + vals(c.args()) + ")";
            case Inst.Unsupported u -> "unsupported " + u.opcode() + ": " + u.message();
        };
    }

    public static String terminator(Terminator t) {
        return switch (t) {
            case Terminator.Branch b -> "br " + b.target();
            case Terminator.CondBranch c -> "br " + c.pred() + " ? " + c.ifTrue() + " : " + c.ifFalse();
            case Terminator.Switch s -> "switch " + s.index() + " [" + String.join(", ", s.targets()) + "]";
            case Terminator.Return r -> "ret";
            case Terminator.Exit e -> "exit";
            case Terminator.Trap tr -> "trap";
            case Terminator.Unreachable u -> "unreachable";
        };
    }
}
