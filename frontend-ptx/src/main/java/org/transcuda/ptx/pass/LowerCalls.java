package org.transcuda.ptx.pass;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.transcuda.ir.Address;
import org.transcuda.ir.AddressSpace;
import org.transcuda.ir.Block;
import org.transcuda.ir.Const;
import org.transcuda.ir.FloatMode;
import org.transcuda.ir.Function;
import org.transcuda.ir.Inst;
import org.transcuda.ir.Memory;
import org.transcuda.ir.Module;
import org.transcuda.ir.Opcode;
import org.transcuda.ir.Param;
import org.transcuda.ir.Reg;
import org.transcuda.ir.ScalarType;
import org.transcuda.ir.Stmt;
import org.transcuda.ir.SymbolAddr;
import org.transcuda.ir.Terminator;
import org.transcuda.ir.Value;
import org.transcuda.ir.Variable;
import org.transcuda.ptx.lower.PtxTypes;

/**
 * Pass {@code lower-calls}: the {@code .param} space of device functions and call sites moves into registers, per
 * {@link CallingConvention}.
 * <ul>
 * <li>A device function gets {@code paramRegs}: one register per scalar parameter ({@code ld.param} of it becomes a
 * {@code mov}, or a shift and truncation for a part of it), a generic address per aggregate parameter
 * ({@code ld.param [p+8]} becomes a generic {@code ld [%p+8]}).</li>
 * <li>It gets {@code returnRegs}: a scalar return written whole by {@code st.param} becomes a register; any other
 * return (aggregates, partial writes) is a {@code .local} copy, loaded into the return registers (chunks for
 * aggregates) before each {@code ret}.</li>
 * <li>At call sites, a {@code .param} variable of the caller that is only written and read whole becomes a register;
 * any other (aggregates) becomes a {@code .local} variable, passed by its generic address.</li>
 * </ul>
 * Kernels keep reading their own parameters with {@code ld.param}. Taking the address of a device function's
 * parameter makes the function untranslatable.
 */
public final class LowerCalls {
    private LowerCalls() {
    }

    public static Module run(Module m) {
        return PassSupport.perFunction(m, "lower-calls", LowerCalls::function);
    }

    /** How one .param symbol of the function is rewritten. */
    private sealed interface Plan {
    }

    /** A scalar parameter of this function, in a register. */
    private record ParamReg(Param p, Reg reg) implements Plan {
    }

    /** An aggregate parameter of this function: the register holds its generic address. */
    private record ParamAddr(Param p, Reg reg) implements Plan {
    }

    /** A return value or caller variable in a register. */
    private record InReg(Reg reg, ScalarType type) implements Plan {
    }

    /** A return value or caller variable in a .local variable. */
    private record InLocal(String local) implements Plan {
    }

    static Function function(Function f) {
        if (f.kernel()) checkKernelParams(f);
        FunctionEditor ed = new FunctionEditor(f);
        ScalarType at = ScalarType.U64;
        Map<String, Plan> plans = new HashMap<>();
        List<Reg> paramRegs = new ArrayList<>(f.paramRegs());
        List<Reg> returnRegs = new ArrayList<>(f.returnRegs());
        Map<String, List<Reg>> memoryReturns = new java.util.LinkedHashMap<>();
        boolean callee = !f.kernel() && f.paramRegs().isEmpty() && f.returnRegs().isEmpty();
        if (callee) {
            for (Param p : f.params()) {
                if (CallingConvention.aggregate(p)) {
                    Reg r = ed.newReg(at, p.name());
                    paramRegs.add(r);
                    plans.put(p.name(), new ParamAddr(p, r));
                } else {
                    Reg r = ed.newReg(p.type(), p.name());
                    paramRegs.add(r);
                    plans.put(p.name(), new ParamReg(p, r));
                }
            }
            for (Param r : f.returns()) {
                if (!CallingConvention.aggregate(r) && wholeOnly(f, r.name(), r.type(), false)) {
                    Reg reg = ed.newReg(r.type(), r.name());
                    returnRegs.add(reg);
                    plans.put(r.name(), new InReg(reg, r.type()));
                } else {
                    String local = uniqueLocal(f, ed, r.name());
                    ed.locals.add(new Variable(local, AddressSpace.LOCAL, r.type(), r.count(), r.alignment(), null,
                            List.of(), false));
                    plans.put(r.name(), new InLocal(local));
                    List<Reg> regs = new ArrayList<>();
                    if (CallingConvention.aggregate(r)) {
                        for (CallingConvention.Chunk c : CallingConvention.chunks(r)) {
                            regs.add(ed.newReg(c.type(), r.name()));
                        }
                    } else {
                        regs.add(ed.newReg(r.type(), r.name()));
                    }
                    returnRegs.addAll(regs);
                    memoryReturns.put(local, regs);
                }
            }
        }
        // the caller's .param variables
        List<Variable> locals = new ArrayList<>();
        for (Variable v : ed.locals) {
            if (v.space() != AddressSpace.PARAM) {
                locals.add(v);
                continue;
            }
            if (v.count() == 1 && wholeOnly(f, v.name(), v.elementType(), true)) {
                plans.put(v.name(), new InReg(ed.newReg(v.elementType(), v.name()), v.elementType()));
            } else {
                locals.add(new Variable(v.name(), AddressSpace.LOCAL, v.elementType(), v.count(), v.alignment(), null,
                        List.of(), false));
                plans.put(v.name(), new InLocal(v.name()));
            }
        }
        ed.locals.clear();
        ed.locals.addAll(locals);
        if (plans.isEmpty()) return f;

        List<Block> blocks = new ArrayList<>();
        for (Block b : f.blocks()) {
            List<Stmt> out = new ArrayList<>(b.stmts().size());
            for (Stmt s : b.stmts()) rewrite(f, ed, plans, s, out);
            if (b.terminator() instanceof Terminator.Return) {
                for (Map.Entry<String, List<Reg>> e : memoryReturns.entrySet()) {
                    Param r = returnParam(f, e.getKey(), plans);
                    List<Reg> regs = e.getValue();
                    List<CallingConvention.Chunk> chunks = CallingConvention.aggregate(r) ? CallingConvention.chunks(r)
                            : List.of(new CallingConvention.Chunk(r.type(), 0));
                    for (int k = 0; k < chunks.size(); k++) {
                        CallingConvention.Chunk c = chunks.get(k);
                        out.add(new Stmt(new Inst.Load(AddressSpace.LOCAL, c.type(), Memory.Order.WEAK, null,
                                Memory.Cache.DEFAULT, regs.get(k), new Address(new SymbolAddr(e.getKey(),
                                AddressSpace.LOCAL), c.offset())), null, false, null));
                    }
                }
            }
            blocks.add(new Block(b.label(), out, b.terminator()));
        }
        ed.paramRegs = paramRegs;
        ed.returnRegs = returnRegs;
        return ed.build(blocks);
    }

    /**
     * Kernels read their parameters only as {@code ld.param [param+offset]} (the contract backends rely on); any
     * other use of a parameter's address, or an {@code ld.param} through a register, is untranslatable.
     */
    private static void checkKernelParams(Function f) {
        java.util.Set<String> names = new java.util.HashSet<>();
        for (Param p : f.params()) names.add(p.name());
        for (Block b : f.blocks()) {
            for (Stmt s : b.stmts()) {
                Inst i = s.inst();
                if (i instanceof Inst.Load l && l.space() == AddressSpace.PARAM) {
                    if (l.address().base() instanceof SymbolAddr a && names.contains(a.symbol())) continue;
                    if (l.address().base() instanceof SymbolAddr) continue; // a call-site .param variable
                    throw PassSupport.Failure.at(s.loc(), f.name(), "ld.param through a register has no IR form in a "
                            + "kernel");
                }
                for (Value v : i.uses()) {
                    if (v instanceof SymbolAddr a && a.space() == AddressSpace.PARAM && names.contains(a.symbol())) {
                        throw PassSupport.Failure.at(s.loc(), f.name(), "the address of kernel parameter " + a.symbol()
                                + " is taken; that has no IR form");
                    }
                }
                if (i instanceof Inst.Cvta c && c.space() == AddressSpace.PARAM) {
                    throw PassSupport.Failure.at(s.loc(), f.name(), "cvta of the .param space has no IR form");
                }
            }
        }
    }

    private static Param returnParam(Function f, String local, Map<String, Plan> plans) {
        for (Param r : f.returns()) {
            if (plans.get(r.name()) instanceof InLocal l && l.local().equals(local)) return r;
        }
        throw new IllegalStateException("no return for " + local);
    }

    private static String uniqueLocal(Function f, FunctionEditor ed, String base) {
        String n = base + ".copy";
        int i = 1;
        while (true) {
            String cand = n;
            boolean taken = ed.locals.stream().anyMatch(v -> v.name().equals(cand))
                    || f.params().stream().anyMatch(p -> p.name().equals(cand));
            if (!taken) return n;
            n = base + ".copy" + (i++);
        }
    }

    /**
     * Whether every use of symbol {@code name} is a whole {@code ld.param}/{@code st.param} at offset 0 of a type as
     * wide as {@code t} ({@code loads} allowed or not).
     */
    private static boolean wholeOnly(Function f, String name, ScalarType t, boolean loads) {
        for (Block b : f.blocks()) {
            for (Stmt s : b.stmts()) {
                switch (s.inst()) {
                    case Inst.Store st when st.space() == AddressSpace.PARAM && isSym(st.address().base(), name) -> {
                        if (st.address().offset() != 0 || st.type().bits() != t.bits() || mentions(st.src(), name)) {
                            return false;
                        }
                    }
                    case Inst.Load l when l.space() == AddressSpace.PARAM && isSym(l.address().base(), name) -> {
                        if (!loads || l.address().offset() != 0 || l.type().bits() != t.bits()) return false;
                    }
                    default -> {
                        for (Value v : s.inst().uses()) if (isSym(v, name)) return false;
                    }
                }
            }
            for (Value v : b.terminator().uses()) if (isSym(v, name)) return false;
        }
        return true;
    }

    private static boolean mentions(Value v, String name) {
        return isSym(v, name);
    }

    private static boolean isSym(Value v, String name) {
        return v instanceof SymbolAddr a && a.symbol().equals(name) && a.space() == AddressSpace.PARAM;
    }

    private static Plan planOf(Map<String, Plan> plans, Value v) {
        if (v instanceof SymbolAddr a && a.space() == AddressSpace.PARAM) return plans.get(a.symbol());
        return null;
    }

    private static void rewrite(Function f, FunctionEditor ed, Map<String, Plan> plans, Stmt s, List<Stmt> out) {
        Inst i = s.inst();
        switch (i) {
            case Inst.Load l when l.space() == AddressSpace.PARAM && planOf(plans, l.address().base()) != null -> {
                Plan p = planOf(plans, l.address().base());
                long off = l.address().offset();
                switch (p) {
                    case ParamReg pr -> extract(f, ed, s, pr, l, out);
                    case ParamAddr pa -> emit(out, s, new Inst.Load(AddressSpace.GENERIC, l.type(), l.order(), l.scope(),
                            l.cache(), l.dst(), new Address(pa.reg(), off)));
                    case InReg r -> emit(out, s, new Inst.Mov(l.dst(), r.reg()));
                    case InLocal loc -> emit(out, s, new Inst.Load(AddressSpace.LOCAL, l.type(), l.order(), l.scope(),
                            l.cache(), l.dst(), new Address(new SymbolAddr(loc.local(), AddressSpace.LOCAL), off)));
                }
                return;
            }
            case Inst.Store st when st.space() == AddressSpace.PARAM && planOf(plans, st.address().base()) != null -> {
                Plan p = planOf(plans, st.address().base());
                switch (p) {
                    case InReg r -> emit(out, s, new Inst.Mov(r.reg(), retyped(st.src(), r.reg().type())));
                    case InLocal loc -> emit(out, s, new Inst.Store(AddressSpace.LOCAL, st.type(), st.order(), st.scope(),
                            new Address(new SymbolAddr(loc.local(), AddressSpace.LOCAL), st.address().offset()),
                            st.src()));
                    default -> throw PassSupport.Failure.at(s.loc(), f.name(), "st.param to the input parameter "
                            + ((SymbolAddr) st.address().base()).symbol() + " has no IR form");
                }
                return;
            }
            case Inst.Call c -> {
                List<Value> args = new ArrayList<>();
                for (Value a : c.args()) {
                    Plan p = planOf(plans, a);
                    if (p instanceof InLocal loc) {
                        Reg t = ed.temp(ScalarType.U64);
                        emit(out, s, new Inst.Cvta(AddressSpace.LOCAL, true, t,
                                new SymbolAddr(loc.local(), AddressSpace.LOCAL)));
                        args.add(t);
                    } else if (p != null) {
                        throw PassSupport.Failure.at(s.loc(), f.name(), "argument " + a + " cannot be passed");
                    } else {
                        args.add(a);
                    }
                }
                emit(out, s, new Inst.Call(c.callee(), c.target(), c.results(), args));
                return;
            }
            default -> {
                for (Value v : i.uses()) {
                    if (planOf(plans, v) != null) {
                        throw PassSupport.Failure.at(s.loc(), f.name(), "the address of parameter "
                                + ((SymbolAddr) v).symbol() + " is taken; that has no IR form");
                    }
                }
                out.add(s);
            }
        }
    }

    /** A constant moved into a register of another type of the same width keeps its bits, typed as the register. */
    private static Value retyped(Value v, ScalarType t) {
        if (v instanceof Const c && c.type() != t && c.type().bits() == t.bits()) return Const.of(t, c.bits());
        if (v instanceof SymbolAddr a && a.type().bits() != t.bits() && PtxTypes.isIntLike(t)) {
            return new SymbolAddr(a.symbol(), a.space(), t.bits() == 32 ? ScalarType.U32 : ScalarType.U64);
        }
        return v;
    }

    private static void emit(List<Stmt> out, Stmt s, Inst i) {
        out.add(new Stmt(i, s.guard(), s.negateGuard(), s.loc()));
    }

    /** ld.param of (a part of) a scalar parameter held in a register. */
    private static void extract(Function f, FunctionEditor ed, Stmt s, ParamReg pr, Inst.Load l, List<Stmt> out) {
        ScalarType pt = pr.reg().type();
        long off = l.address().offset();
        int tb = l.type().bits();
        if (off < 0 || off * 8 + tb > pt.bits()) {
            throw PassSupport.Failure.at(s.loc(), f.name(), "ld.param reads past parameter " + pr.p().name());
        }
        if (off == 0 && tb == pt.bits()) {
            emit(out, s, new Inst.Mov(l.dst(), pr.reg()));
            return;
        }
        ScalarType pu = PtxTypes.intType(pt.bits(), false);
        Value src = pr.reg();
        if (!PtxTypes.isIntLike(pt)) {
            Reg t0 = ed.temp(pu);
            emit(out, s, new Inst.Mov(t0, src));
            src = t0;
        }
        if (off > 0) {
            Reg t1 = ed.temp(pu);
            emit(out, s, new Inst.Compute(Opcode.SHR, pu, FloatMode.NONE, t1, List.of(src,
                    Const.of(ScalarType.U32, off * 8))));
            src = t1;
        }
        ScalarType tu = PtxTypes.intType(tb, false);
        Reg t2 = ed.temp(tu);
        emit(out, s, new Inst.Convert(tu, pu, FloatMode.NONE, t2, src));
        emit(out, s, new Inst.Mov(l.dst(), t2));
    }
}
