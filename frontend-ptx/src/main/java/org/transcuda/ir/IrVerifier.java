package org.transcuda.ir;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks the IR's invariants; every pass's output is verified in tests. Problems are reported as
 * {@code function: block: message} lines; an empty list means the module is well formed.
 *
 * <p>Checked: unique function, variable, block and register names; every successor label exists; every
 * register used belongs to the function (same id, type and name); destinations are registers of the right
 * kind (predicates for comparisons, guards and branch conditions); operand counts match opcodes; moves
 * keep the bit size; every symbol address names a variable, parameter or function of the module; every
 * called function exists; and, when {@code structured} is asked, that no guard is left (predication
 * lowered).
 */
public final class IrVerifier {
    /** Functions every backend provides (CUDA's device runtime entry points). */
    public static final Set<String> BUILTINS = Set.of("vprintf", "__assertfail", "malloc", "free");

    private final Module module;
    private final List<String> problems = new ArrayList<>();
    private final boolean noGuards;
    private Function function;
    private String block;

    private IrVerifier(Module module, boolean noGuards) {
        this.module = module;
        this.noGuards = noGuards;
    }

    /** Problems of the module; empty when it is well formed. */
    public static List<String> verify(Module module) {
        return verify(module, false);
    }

    /** As {@link #verify(Module)}; with {@code noGuards}, a guarded statement is also a problem. */
    public static List<String> verify(Module module, boolean noGuards) {
        IrVerifier v = new IrVerifier(module, noGuards);
        v.run();
        return List.copyOf(v.problems);
    }

    /** Throws {@link IllegalStateException} listing the problems, if any. */
    public static void check(Module module) {
        List<String> p = verify(module);
        if (!p.isEmpty()) throw new IllegalStateException("invalid IR:\n  " + String.join("\n  ", p));
    }

    private void problem(String message) {
        problems.add((function == null ? module.name() : function.name()) + (block == null ? "" : ": " + block)
                + ": " + message);
    }

    private void run() {
        Set<String> names = new HashSet<>();
        for (Variable v : module.variables()) {
            if (!names.add(v.name())) problem("duplicate symbol " + v.name());
        }
        for (Function f : module.functions()) {
            if (!names.add(f.name()) && f.isDefined()) problem("duplicate symbol " + f.name());
        }
        for (Function f : module.functions()) {
            function = f;
            block = null;
            checkFunction(f);
        }
    }

    private void checkFunction(Function f) {
        for (int i = 0; i < f.regs().size(); i++) {
            if (f.regs().get(i).id() != i) problem("register " + f.regs().get(i) + " has id != its index " + i);
        }
        Set<String> labels = new HashSet<>();
        for (Block b : f.blocks()) {
            if (!labels.add(b.label())) problem("duplicate block " + b.label());
        }
        if (f.kernel() && !f.returns().isEmpty()) problem("a kernel cannot return values");
        if (f.kernel() && !f.paramRegs().isEmpty()) problem("kernels read their parameters with ld.param");
        for (Reg r : f.paramRegs()) reg(r);
        for (Reg r : f.returnRegs()) reg(r);
        for (Block b : f.blocks()) {
            block = b.label();
            for (Stmt s : b.stmts()) {
                if (s.guard() != null) {
                    reg(s.guard());
                    if (noGuards) problem("guarded statement left: " + IrPrinter.inst(s.inst()));
                }
                checkInst(s.inst());
            }
            Terminator t = b.terminator();
            for (String succ : t.successors()) {
                if (!labels.contains(succ)) problem("branch to unknown block " + succ);
            }
            for (Value v : t.uses()) value(v);
            if (t instanceof Terminator.CondBranch c) pred(c.pred(), "branch condition");
            if (t instanceof Terminator.Switch s && s.targets().isEmpty()) problem("switch without targets");
        }
        block = null;
    }

    private void checkInst(Inst inst) {
        for (Reg d : inst.defs()) reg(d);
        for (Value v : inst.uses()) value(v);
        switch (inst) {
            case Inst.Mov m -> {
                if (m.dst().type().bits() != m.src().type().bits()) {
                    problem("mov changes size: " + IrPrinter.inst(m));
                }
            }
            case Inst.Compute c -> {
                if (c.srcs().size() != c.op().arity()) {
                    problem(c.op() + " takes " + c.op().arity() + " operands, has " + c.srcs().size());
                }
            }
            case Inst.Compare c -> pred(c.dst(), "comparison result");
            case Inst.IsSpace s -> pred(s.dst(), "isspacep result");
            case Inst.Vote v -> {
                pred(v.pred(), "vote operand");
                if (v.mode() != Inst.VoteMode.BALLOT) pred(v.dst(), "vote result");
            }
            case Inst.Barrier b -> {
                if (b.pred() != null) pred(b.pred(), "bar.red operand");
                boolean red = b.kind() == Inst.BarrierKind.RED_AND || b.kind() == Inst.BarrierKind.RED_OR
                        || b.kind() == Inst.BarrierKind.RED_POPC;
                if (red != (b.dst() != null)) problem("bar.red needs a result; other barriers have none");
            }
            case Inst.Atomic a -> {
                if ((a.op() == Memory.AtomicOp.CAS) != (a.b() != null)) problem("cas takes two operands, others one");
            }
            case Inst.Call c -> {
                if (c.callee() != null && module.function(c.callee()).isEmpty() && !BUILTINS.contains(c.callee())) {
                    problem("call of unknown function " + c.callee());
                }
            }
            default -> {
            }
        }
    }

    private void pred(Value v, String what) {
        if (v.type() != ScalarType.PRED) problem(what + " " + v + " is not a predicate");
    }

    private void reg(Reg r) {
        List<Reg> regs = function.regs();
        if (r.id() >= regs.size() || !regs.get(r.id()).equals(r)) {
            problem("register " + r + r.type().ptxName() + " is not declared in the function");
        }
    }

    private void value(Value v) {
        switch (v) {
            case Reg r -> reg(r);
            case Const c -> {
            }
            case SymbolAddr s -> {
                boolean known = module.variable(s.symbol()).isPresent() || module.function(s.symbol()).isPresent()
                        || function.locals().stream().anyMatch(l -> l.name().equals(s.symbol()))
                        || function.params().stream().anyMatch(p -> p.name().equals(s.symbol()))
                        || function.returns().stream().anyMatch(p -> p.name().equals(s.symbol()));
                if (!known) problem("address of unknown symbol " + s.symbol());
            }
        }
    }
}
