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
 * called function exists, with as many arguments and results as it has parameters and return values (of
 * the right sizes once calls are lowered to registers); operand and result sizes agree with each
 * instruction's type (the wide forms, shift amounts, bit-field positions, counts and warp operands as PTX
 * defines them; float {@code mad} must have become {@link Opcode#FMA}); memory addresses are 32 or 64 bits
 * wide; and, when {@code noGuards} is asked, that no guard is left (predication lowered).
 */
public final class IrVerifier {
    /** Functions every backend provides (CUDA's device runtime entry points). */
    public static final Set<String> BUILTINS = Set.of("vprintf", "__assertfail", "malloc", "free");

    private final Module module;
    private final List<String> problems = new ArrayList<>();
    private final boolean noGuards;
    private final Stage stage;
    private Function function;
    private String block;
    private Inst current;

    /**
     * How far translation has come, which decides what is checked: PTX's relaxed type rules hold until the
     * front end makes conversions explicit, and calls keep PTX's {@code .param} form until they are lowered.
     */
    public enum Stage {
        /** Instructions selected: structure, registers, symbols, operand counts and predicates are checked. */
        SELECTED,
        /** Conversions explicit: also every operand and result size against the instruction's type. */
        TYPED,
        /** Calls lowered to registers (the front end's output, what backends consume): also call signatures. */
        LOWERED
    }

    private IrVerifier(Module module, boolean noGuards, Stage stage) {
        this.module = module;
        this.noGuards = noGuards;
        this.stage = stage;
    }

    /** Problems of a translated module ({@link Stage#LOWERED}); empty when it is well formed. */
    public static List<String> verify(Module module) {
        return verify(module, false);
    }

    /** As {@link #verify(Module)}; with {@code noGuards}, a guarded statement is also a problem. */
    public static List<String> verify(Module module, boolean noGuards) {
        return verify(module, noGuards, Stage.LOWERED);
    }

    /** Problems of a module at the given stage of translation. */
    public static List<String> verify(Module module, boolean noGuards, Stage stage) {
        IrVerifier v = new IrVerifier(module, noGuards, stage);
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
        current = inst;
        switch (inst) {
            case Inst.Mov m -> {
                if (m.dst().type().bits() != m.src().type().bits()) problem("mov changes size: " + IrPrinter.inst(current));
            }
            case Inst.Compute c -> compute(c);
            case Inst.CarryArith c -> {
                bits(c.dst(), c.type().bits(), "result");
                for (Value v : c.srcs()) bits(v, c.type().bits(), "operand");
                if (c.carryOut() != null) pred(c.carryOut(), "carry out");
                if (c.carryIn() != null) pred(c.carryIn(), "carry in");
            }
            case Inst.Compare c -> {
                pred(c.dst(), "comparison result");
                bits(c.a(), c.type().bits(), "operand");
                bits(c.b(), c.type().bits(), "operand");
            }
            case Inst.Convert c -> {
                bits(c.dst(), c.to().bits(), "result");
                bits(c.src(), c.from().bits(), "operand");
            }
            case Inst.Cvta c -> {
                address(c.dst());
                address(c.src());
            }
            case Inst.IsSpace s -> {
                pred(s.dst(), "isspacep result");
                address(s.address());
            }
            case Inst.Load l -> {
                bits(l.dst(), l.type().bits(), "result");
                address(l.address().base());
            }
            case Inst.Store st -> {
                bits(st.src(), st.type().bits(), "stored value");
                address(st.address().base());
            }
            case Inst.Atomic a -> {
                if ((a.op() == Memory.AtomicOp.CAS) != (a.b() != null)) problem("cas takes two operands, others one");
                if (a.dst() != null) bits(a.dst(), a.type().bits(), "result");
                bits(a.a(), a.type().bits(), "operand");
                if (a.b() != null) bits(a.b(), a.type().bits(), "operand");
                address(a.address().base());
            }
            case Inst.ReadSpecial r -> bits(r.dst(), r.which().type().bits(), "result");
            case Inst.Vote v -> {
                pred(v.pred(), "vote operand");
                if (v.mode() != Inst.VoteMode.BALLOT) pred(v.dst(), "vote result");
                else bits(v.dst(), 32, "ballot result");
                bits(v.memberMask(), 32, "member mask");
            }
            case Inst.Shuffle sh -> {
                bits(sh.dst(), 32, "result");
                if (sh.valid() != null) pred(sh.valid(), "shuffle validity");
                for (Value v : List.of(sh.a(), sh.b(), sh.c(), sh.memberMask())) bits(v, 32, "operand");
            }
            case Inst.Match m -> {
                bits(m.dst(), 32, "result");
                if (m.allEqual() != null) pred(m.allEqual(), "match.all predicate");
                bits(m.value(), m.type().bits(), "operand");
                bits(m.memberMask(), 32, "member mask");
            }
            case Inst.Redux r -> {
                bits(r.dst(), 32, "result");
                bits(r.value(), 32, "operand");
                bits(r.memberMask(), 32, "member mask");
            }
            case Inst.ActiveMask a -> bits(a.dst(), 32, "result");
            case Inst.WarpSync w -> bits(w.memberMask(), 32, "member mask");
            case Inst.Barrier b -> {
                if (b.pred() != null) pred(b.pred(), "bar.red operand");
                boolean red = b.kind() == Inst.BarrierKind.RED_AND || b.kind() == Inst.BarrierKind.RED_OR
                        || b.kind() == Inst.BarrierKind.RED_POPC;
                if (red != (b.dst() != null)) problem("bar.red needs a result; other barriers have none");
                if (b.dst() != null) {
                    if (b.kind() == Inst.BarrierKind.RED_POPC) bits(b.dst(), 32, "result");
                    else pred(b.dst(), "bar.red result");
                }
                bits(b.id(), 32, "barrier id");
                if (b.threads() != null) bits(b.threads(), 32, "thread count");
            }
            case Inst.Call c -> call(c);
            case Inst.Fence f -> {
            }
            case Inst.Unsupported u -> {
            }
        }
    }

    private void compute(Inst.Compute c) {
        if (c.srcs().size() != c.op().arity()) {
            problem(c.op() + " takes " + c.op().arity() + " operands, has " + c.srcs().size());
            return;
        }
        int w = c.type().bits();
        List<Value> s = c.srcs();
        switch (c.op()) {
            case MUL_WIDE -> {
                all(s, w);
                bits(c.dst(), 2 * w, "result");
            }
            case MAD_WIDE -> {
                all(s.subList(0, 2), w);
                bits(s.get(2), 2 * w, "addend");
                bits(c.dst(), 2 * w, "result");
            }
            case SHL, SHR -> {
                bits(s.get(0), w, "operand");
                bits(s.get(1), 32, "shift amount");
                bits(c.dst(), w, "result");
            }
            case SHF_L_CLAMP, SHF_L_WRAP, SHF_R_CLAMP, SHF_R_WRAP, DP4A -> {
                all(s, 32);
                bits(c.dst(), 32, "result");
            }
            case BFE -> {
                bits(s.get(0), w, "operand");
                all(s.subList(1, 3), 32);
                bits(c.dst(), w, "result");
            }
            case BFI -> {
                all(s.subList(0, 2), w);
                all(s.subList(2, 4), 32);
                bits(c.dst(), w, "result");
            }
            case POPC, CLZ, BFIND, BFIND_SHIFTAMT -> {
                all(s, w);
                bits(c.dst(), 32, "result");
            }
            case SELP -> {
                all(s.subList(0, 2), w);
                pred(s.get(2), "selp condition");
                bits(c.dst(), w, "result");
            }
            case TESTP_FINITE, TESTP_INFINITE, TESTP_NUMBER, TESTP_NAN, TESTP_NORMAL, TESTP_SUBNORMAL -> {
                all(s, w);
                pred(c.dst(), "testp result");
            }
            default -> {
                if (c.op() == Opcode.MAD && c.type().kind() == ScalarType.Kind.FLOAT) {
                    problem("float mad must be FMA (PTX's mad.f32/.f64 is fused): " + IrPrinter.inst(current));
                }
                all(s, w);
                bits(c.dst(), w, "result");
            }
        }
    }

    private void call(Inst.Call c) {
        if (c.callee() == null) return; // indirect: the prototype is not in the IR
        var callee = module.function(c.callee());
        if (callee.isEmpty()) {
            if (!BUILTINS.contains(c.callee())) problem("call of unknown function " + c.callee());
            return;
        }
        Function f = callee.get();
        if (stage != Stage.LOWERED) return;
        if (c.args().size() != f.params().size()) {
            problem("call of " + f.name() + " with " + c.args().size() + " arguments, it has " + f.params().size()
                    + " parameters: " + IrPrinter.inst(current));
        }
        // after call lowering an aggregate return comes back as several registers (returnRegs)
        int results = f.returnRegs().isEmpty() ? f.returns().size() : f.returnRegs().size();
        if (c.results().size() != results) {
            problem("call of " + f.name() + " with " + c.results().size() + " results, it returns " + results + ": "
                    + IrPrinter.inst(current));
        }
        if (!f.paramRegs().isEmpty() && c.args().size() == f.paramRegs().size()) {
            for (int i = 0; i < c.args().size(); i++) {
                bits(c.args().get(i), f.paramRegs().get(i).type().bits(), "argument " + i);
            }
        }
        if (!f.returnRegs().isEmpty() && c.results().size() == f.returnRegs().size()) {
            for (int i = 0; i < c.results().size(); i++) {
                bits(c.results().get(i), f.returnRegs().get(i).type().bits(), "result " + i);
            }
        }
    }

    private void all(List<Value> values, int bits) {
        for (Value v : values) bits(v, bits, "operand");
    }

    private void bits(Value v, int bits, String what) {
        if (stage != Stage.SELECTED && v.type().bits() != bits) {
            problem(what + " " + v + " has " + v.type().bits() + " bits, expected " + bits + ": " + IrPrinter.inst(current));
        }
    }

    private void address(Value v) {
        int b = v.type().bits();
        if (stage != Stage.SELECTED && b != 32 && b != 64) problem("address " + v + " has " + b + " bits: " + IrPrinter.inst(current));
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
