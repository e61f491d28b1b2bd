package org.transcuda.ptx.pass;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import org.transcuda.ir.SrcLoc;
import org.transcuda.ir.Stmt;
import org.transcuda.ir.SymbolAddr;
import org.transcuda.ir.Terminator;
import org.transcuda.ir.Value;
import org.transcuda.ir.Variable;
import org.transcuda.ptx.lower.FunctionUnit;
import org.transcuda.ptx.lower.LOp;
import org.transcuda.ptx.lower.LStmt;
import org.transcuda.ptx.lower.Literals;
import org.transcuda.ptx.lower.Prototype;
import org.transcuda.ptx.lower.PtxTypes;
import org.transcuda.ptx.lower.PtxUnit;
import org.transcuda.ptx.lower.SpecialNames;

/**
 * Pass {@code select}: instruction selection, from resolved PTX to the IR. Builds the control-flow graph (a block
 * per label; {@code bra}, {@code brx.idx}, {@code ret}, {@code exit}, {@code trap} end blocks; a guarded one becomes
 * a conditional branch) and translates every instruction into IR instructions with PTX's exact semantics, several
 * where the IR has no single equivalent ({@code lop3}, {@code setp} with a boolean operation, {@code set},
 * {@code selp}-based {@code min/max.NaN}, {@code mov} pack/unpack, {@code mul24}, integer {@code add.sat},
 * {@code cvt.rna.tf32.f32}, {@code cp.async}, ...). A guard applies to every IR instruction of its PTX instruction.
 *
 * <p>The output is IR in a relaxed form the next passes tighten:
 * <ul>
 * <li>operand registers keep their declared types (a {@code .b32} register in {@code add.f32}, a 64-bit register
 * loaded by {@code ld.s32}); {@link ImplicitConversions} makes the conversions explicit;</li>
 * <li>special registers are read through pseudo-registers ({@code %tid.x}); {@link SpecialRegisters} replaces them;</li>
 * <li>every carry instruction uses the one pseudo-register {@code %cc}; {@link CarryFlags} splits it;</li>
 * <li>parameters of device functions are still in the {@code .param} space, and a call passes values: scalar
 * arguments are loaded from the caller's {@code .param} variables, an aggregate is passed as the {@code .param}
 * address of the caller's variable, and returned values are stored into the caller's return variables (aggregates
 * in the chunks of {@link CallingConvention}); {@link LowerCalls} moves all of it into registers.</li>
 * </ul>
 */
public final class SelectInstructions {
    private final PtxUnit unit;
    private final Map<String, String> problems = new LinkedHashMap<>();

    private SelectInstructions(PtxUnit unit) {
        this.unit = unit;
    }

    /** Translates every function; those that fail (or depend on one that does) land in the module's problems. */
    public static Module run(PtxUnit unit) {
        SelectInstructions s = new SelectInstructions(unit);
        List<Function> functions = new ArrayList<>();
        for (FunctionUnit fu : unit.functions.values()) {
            if (fu.problem != null) {
                s.problems.put(fu.name, fu.problem);
                continue;
            }
            Function f = s.new FunctionSelector(fu).run();
            if (fu.problem != null) {
                s.problems.put(fu.name, fu.problem);
            } else {
                functions.add(f);
            }
        }
        Module m = new Module(unit.file, unit.variables, functions, List.of());
        return Problems.drop(m, s.problems);
    }

    /** A translation failure of the current instruction. */
    private static final class SelectError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SelectError(String message) {
            super(message, null, false, false);
        }
    }

    private final class FunctionSelector {
        final FunctionUnit fu;
        final List<Block> blocks = new ArrayList<>();
        String curLabel;
        List<Stmt> cur;
        /** Statements of the instruction being translated, unguarded until flushed. */
        final List<Inst> pending = new ArrayList<>();
        LStmt.Ins in;
        SrcLoc loc;
        Reg carry;
        final Set<String> branchTargets = new HashSet<>();

        FunctionSelector(FunctionUnit fu) {
            this.fu = fu;
        }

        Function run() {
            if (!fu.defined) {
                return new Function(fu.name, fu.kernel, fu.params, fu.returns, fu.regs, fu.locals, List.of(),
                        fu.directives, fu.paramRegs, fu.returnRegs);
            }
            for (LStmt s : fu.body) {
                if (s instanceof LStmt.Ins i) {
                    for (LOp o : i.ops()) {
                        if (o instanceof LOp.Label l) branchTargets.add(l.label());
                        if (o instanceof LOp.Targets t) branchTargets.addAll(t.labels());
                    }
                }
            }
            // The entry block: the body's first label when nothing branches to it, else a fresh one.
            if (!fu.body.isEmpty() && fu.body.getFirst() instanceof LStmt.Lbl l && !branchTargets.contains(l.label())) {
                curLabel = l.label();
            } else {
                curLabel = fu.uniqueLabel("bb.entry");
            }
            cur = new ArrayList<>();
            boolean first = true;
            for (LStmt s : fu.body) {
                switch (s) {
                    case LStmt.Lbl l -> {
                        if (first && l.label().equals(curLabel)) break;
                        endBlock(new Terminator.Branch(l.label()));
                        startBlock(l.label());
                    }
                    case LStmt.Ins i -> {
                        in = i;
                        loc = i.loc();
                        try {
                            select();
                            flush();
                        } catch (SelectError e) {
                            fu.fail(i.pos(), i.full() + ": " + e.getMessage());
                            pending.clear();
                            return null;
                        } catch (RuntimeException e) {
                            fu.fail(i.pos(), i.full() + ": cannot translate (" + e + ")");
                            pending.clear();
                            return null;
                        }
                    }
                }
                first = false;
            }
            in = null;
            endBlock(new Terminator.Return());
            return new Function(fu.name, fu.kernel, fu.params, fu.returns, fu.regs, fu.locals, blocks,
                    fu.directives, fu.paramRegs, fu.returnRegs);
        }

        // ---------------------------------------------------------------------------------------- blocks

        void startBlock(String label) {
            curLabel = label;
            cur = new ArrayList<>();
        }

        void endBlock(Terminator t) {
            blocks.add(new Block(curLabel, cur, t));
        }

        /** Ends the current block with {@code t}; following statements go to a fresh (unreachable) block. */
        void terminate(Terminator t) {
            flush();
            endBlock(t);
            startBlock(fu.uniqueLabel("bb"));
        }

        /**
         * Ends the block with a terminator that runs only under the guard: a conditional branch to a block holding
         * {@code t}, falling through to a fresh block otherwise.
         */
        void guardedTerminate(Terminator t) {
            flush();
            if (in.guard() == null) {
                endBlock(t);
                startBlock(fu.uniqueLabel("bb"));
                return;
            }
            String next = fu.uniqueLabel("bb");
            String target;
            if (t instanceof Terminator.Branch b) {
                target = b.target();
            } else {
                target = fu.uniqueLabel("bb");
            }
            endBlock(in.negate() ? new Terminator.CondBranch(in.guard(), next, target)
                    : new Terminator.CondBranch(in.guard(), target, next));
            if (!(t instanceof Terminator.Branch)) {
                startBlock(target);
                endBlock(t);
            }
            startBlock(next);
        }

        void flush() {
            if (pending.isEmpty()) return;
            Reg g = in == null ? null : in.guard();
            boolean neg = in != null && in.negate();
            if (g != null && pending.size() > 1) {
                boolean clobbered = false;
                for (int i = 0; i < pending.size() - 1; i++) clobbered |= pending.get(i).defs().contains(g);
                if (clobbered) {
                    Reg snap = fu.temp(ScalarType.PRED);
                    cur.add(new Stmt(new Inst.Mov(snap, g), null, false, loc));
                    g = snap;
                }
            }
            for (Inst i : pending) cur.add(new Stmt(i, g, neg, loc));
            pending.clear();
        }

        // ---------------------------------------------------------------------------------------- helpers

        SelectError error(String message) {
            return new SelectError(message);
        }

        void emit(Inst i) {
            pending.add(i);
        }

        Reg tmp(ScalarType t) {
            return fu.temp(t);
        }

        int nops() {
            return in.ops().size();
        }

        LOp op(int i) {
            if (i >= in.ops().size()) throw error("expected at least " + (i + 1) + " operands");
            return in.ops().get(i);
        }

        void operands(int min, int max) {
            if (nops() < min || nops() > max) {
                throw error(min == max ? "expected " + min + " operands, found " + nops()
                        : "expected " + min + " to " + max + " operands, found " + nops());
            }
        }

        /** The instruction's (last) type modifier. */
        ScalarType type() {
            ScalarType t = null;
            for (String m : in.mods()) {
                if (PtxTypes.isType(m)) {
                    t = PtxTypes.scalar(m);
                    if (t == null) throw error("type " + m + " has no IR form");
                }
            }
            if (t == null) throw error("missing type modifier");
            return t;
        }

        /** The type modifiers in order. */
        List<ScalarType> types() {
            List<ScalarType> out = new ArrayList<>();
            for (String m : in.mods()) {
                if (PtxTypes.isType(m)) {
                    ScalarType t = PtxTypes.scalar(m);
                    if (t == null) throw error("type " + m + " has no IR form");
                    out.add(t);
                }
            }
            return out;
        }

        boolean has(String m) {
            return in.has(m);
        }

        /** Fails on any modifier that is not a type and not listed ({@code .L2::*} style prefixes end in *). */
        void only(String... allowed) {
            for (String m : in.mods()) {
                if (PtxTypes.isType(m)) continue;
                boolean ok = false;
                for (String a : allowed) {
                    if (a.endsWith("*") ? m.startsWith(a.substring(0, a.length() - 1)) : a.equals(m)) {
                        ok = true;
                        break;
                    }
                }
                if (!ok) throw error("modifier " + m + " is not supported");
            }
        }

        FloatMode.Rounding rounding() {
            FloatMode.Rounding r = FloatMode.Rounding.DEFAULT;
            for (String m : in.mods()) {
                FloatMode.Rounding x = switch (m) {
                    case ".rn" -> FloatMode.Rounding.RN;
                    case ".rz" -> FloatMode.Rounding.RZ;
                    case ".rm" -> FloatMode.Rounding.RM;
                    case ".rp" -> FloatMode.Rounding.RP;
                    case ".rna" -> FloatMode.Rounding.RNA;
                    case ".rni" -> FloatMode.Rounding.RNI;
                    case ".rzi" -> FloatMode.Rounding.RZI;
                    case ".rmi" -> FloatMode.Rounding.RMI;
                    case ".rpi" -> FloatMode.Rounding.RPI;
                    default -> null;
                };
                if (x != null) r = x;
            }
            return r;
        }

        FloatMode mode() {
            return new FloatMode(rounding(), has(".ftz"), has(".sat"), has(".approx") || has(".full"));
        }

        Reg dst(int i) {
            LOp o = op(i);
            if (o instanceof LOp.R r) return r.reg();
            throw error("destination " + o + " is not a register");
        }

        /** A destination that may be a sink {@code _} (then a scratch register of type t). */
        Reg dstOrSink(LOp o, ScalarType t) {
            if (o instanceof LOp.Sink) return tmp(t);
            if (o instanceof LOp.R r) return r.reg();
            throw error("destination " + o + " is not a register");
        }

        Value val(int i, ScalarType t) {
            return val(op(i), t);
        }

        /** A source value of type t: a register (as declared), a typed constant, or a symbol's address. */
        Value val(LOp o, ScalarType t) {
            switch (o) {
                case LOp.R r -> {
                    return r.reg();
                }
                case LOp.K k -> {
                    Const c = Literals.constant(k, t);
                    if (c == null) throw error("constant " + k + " cannot be a " + t.ptxName() + " operand");
                    return c;
                }
                case LOp.Int i -> {
                    Const c = Literals.constant(i, t);
                    if (c == null) throw error("integer literal " + i + " cannot be a " + t.ptxName() + " operand");
                    return c;
                }
                case LOp.Flt f -> {
                    Const c = Literals.constant(f, t);
                    if (c == null) throw error("literal " + f + " cannot be a " + t.ptxName() + " operand");
                    return c;
                }
                case LOp.Not n -> {
                    if (t != ScalarType.PRED) throw error("'!' applies to predicates only");
                    Value v = val(n.op(), ScalarType.PRED);
                    Reg r = tmp(ScalarType.PRED);
                    emit(new Inst.Compute(Opcode.NOT, ScalarType.PRED, FloatMode.NONE, r, List.of(v)));
                    return r;
                }
                case LOp.Sym s -> {
                    if (s.offset() != 0) throw error("symbol offset left in " + s);
                    return symbol(s, t.bits() == 32 ? ScalarType.U32 : ScalarType.U64, null);
                }
                default -> throw error("operand " + o + " is not a " + t.ptxName() + " value");
            }
        }

        /** The address of a symbol, in {@code space} when given (an instruction's state space), else its own. */
        SymbolAddr symbol(LOp.Sym s, ScalarType addrType, AddressSpace space) {
            AddressSpace sp = s.generic() ? AddressSpace.GENERIC : s.space();
            if (space != null && space != sp) {
                if (space == AddressSpace.GENERIC && s.kind() != LOp.SymKind.FUNCTION) {
                    sp = AddressSpace.GENERIC; // a variable named in a generic access: its generic address
                } else if (s.kind() != LOp.SymKind.FUNCTION) {
                    throw error(s.name() + " is in " + space(sp) + ", not " + space(space));
                }
            }
            if (addrType != ScalarType.U32 && addrType != ScalarType.U64) addrType = unit.addressType();
            return new SymbolAddr(s.name(), sp, addrType);
        }

        String space(AddressSpace s) {
            return "." + s.name().toLowerCase(java.util.Locale.ROOT);
        }

        Reg compute(Opcode op, ScalarType t, FloatMode m, Value... srcs) {
            Reg r = tmp(op == Opcode.MUL_WIDE || op == Opcode.MAD_WIDE ? PtxTypes.wide(t)
                    : op == Opcode.POPC || op == Opcode.CLZ || op == Opcode.BFIND || op == Opcode.BFIND_SHIFTAMT
                    ? ScalarType.U32 : op.name().startsWith("TESTP") ? ScalarType.PRED : t);
            emit(new Inst.Compute(op, t, m, r, List.of(srcs)));
            return r;
        }

        Reg compute(Opcode op, ScalarType t, Value... srcs) {
            return compute(op, t, FloatMode.NONE, srcs);
        }

        Reg convert(ScalarType to, ScalarType from, Value v) {
            Reg r = tmp(to);
            emit(new Inst.Convert(to, from, FloatMode.NONE, r, v));
            return r;
        }

        Reg compare(Inst.CmpOp op, ScalarType t, boolean ftz, Value a, Value b) {
            Reg r = tmp(ScalarType.PRED);
            emit(new Inst.Compare(op, t, ftz, r, a, b));
            return r;
        }

        Reg carry() {
            if (carry == null) carry = fu.namedReg(ScalarType.PRED, SpecialNames.CARRY);
            return carry;
        }

        /** A memory operand as an IR address in {@code space}. */
        Address address(LOp o, AddressSpace space) {
            if (!(o instanceof LOp.Mem m)) throw error("expected an address [...], found " + o);
            return switch (m.base()) {
                case LOp.R r -> new Address(r.reg(), m.offset());
                case LOp.Sym s -> new Address(symbol(s, unit.addressType(), space), m.offset() + s.offset());
                case LOp.Int i -> {
                    Reg r = tmp(unit.addressType());
                    emit(new Inst.Mov(r, Const.of(unit.addressType(), i.value())));
                    yield new Address(r, m.offset());
                }
                case LOp.K k -> {
                    Reg r = tmp(unit.addressType());
                    emit(new Inst.Mov(r, Const.of(unit.addressType(), k.value().bits())));
                    yield new Address(r, m.offset());
                }
                default -> throw error("address base " + m.base() + " is not a register or variable");
            };
        }

        AddressSpace stateSpace() {
            AddressSpace s = AddressSpace.GENERIC;
            for (String m : in.mods()) {
                AddressSpace x = PtxTypes.spaceModifier(m);
                if (x != null) s = x;
            }
            return s;
        }

        Memory.Scope scope() {
            for (String m : in.mods()) {
                switch (m) {
                    case ".cta":
                        return Memory.Scope.CTA;
                    case ".cluster":
                        return Memory.Scope.CLUSTER;
                    case ".gpu":
                        return Memory.Scope.GPU;
                    case ".sys":
                        return Memory.Scope.SYS;
                    default:
                        break;
                }
            }
            return null;
        }

        // ---------------------------------------------------------------------------------------- dispatch

        void select() {
            switch (in.opcode()) {
                case "add", "sub" -> addSub();
                case "addc", "subc" -> addcSubc();
                case "mul" -> mul();
                case "mad" -> mad();
                case "madc" -> madc();
                case "mul24", "mad24" -> mul24();
                case "div" -> simple(Opcode.DIV, 2, ".rn", ".rz", ".rm", ".rp", ".approx", ".full", ".ftz");
                case "rem" -> simple(Opcode.REM, 2);
                case "abs" -> simple(Opcode.ABS, 1, ".ftz");
                case "neg" -> simple(Opcode.NEG, 1, ".ftz");
                case "min", "max" -> minMax();
                case "copysign" -> simple(Opcode.COPYSIGN, 2);
                case "sqrt" -> simple(Opcode.SQRT, 1, ".rn", ".rz", ".rm", ".rp", ".approx", ".ftz");
                case "rsqrt" -> simple(Opcode.RSQRT, 1, ".approx", ".ftz");
                case "rcp" -> simple(Opcode.RCP, 1, ".rn", ".rz", ".rm", ".rp", ".approx", ".ftz");
                case "sin" -> simple(Opcode.SIN, 1, ".approx", ".ftz");
                case "cos" -> simple(Opcode.COS, 1, ".approx", ".ftz");
                case "lg2" -> simple(Opcode.LG2, 1, ".approx", ".ftz");
                case "ex2" -> simple(Opcode.EX2, 1, ".approx", ".ftz");
                case "tanh" -> simple(Opcode.TANH, 1, ".approx");
                case "fma" -> simple(Opcode.FMA, 3, ".rn", ".rz", ".rm", ".rp", ".ftz", ".sat");
                case "and" -> simple(Opcode.AND, 2);
                case "or" -> simple(Opcode.OR, 2);
                case "xor" -> simple(Opcode.XOR, 2);
                case "not" -> simple(Opcode.NOT, 1);
                case "cnot" -> simple(Opcode.CNOT, 1);
                case "shl" -> shift(Opcode.SHL);
                case "shr" -> shift(Opcode.SHR);
                case "shf" -> shf();
                case "popc" -> simple(Opcode.POPC, 1);
                case "clz" -> simple(Opcode.CLZ, 1);
                case "brev" -> simple(Opcode.BREV, 1);
                case "bfind" -> bfind();
                case "bfe" -> bfe();
                case "bfi" -> bfi();
                case "szext" -> szext();
                case "prmt" -> prmt();
                case "lop3" -> lop3();
                case "sad" -> simple(Opcode.SAD, 3);
                case "dp4a" -> dp4a();
                case "testp" -> testp();
                case "selp" -> selp();
                case "slct" -> slct();
                case "setp" -> setp();
                case "set" -> set();
                case "cvt" -> cvt();
                case "cvta" -> cvta();
                case "isspacep" -> isspacep();
                case "mov" -> mov();
                case "ld", "ldu" -> load();
                case "st" -> store();
                case "atom", "red" -> atomic();
                case "bar", "barrier" -> barrier();
                case "membar", "fence" -> fence();
                case "shfl" -> shfl();
                case "vote" -> vote();
                case "match" -> match();
                case "redux" -> redux();
                case "activemask" -> {
                    operands(1, 1);
                    emit(new Inst.ActiveMask(dst(0)));
                }
                case "bra" -> bra();
                case "brx" -> brx();
                case "call" -> call();
                case "ret" -> {
                    only(".uni");
                    guardedTerminate(new Terminator.Return());
                }
                case "exit" -> guardedTerminate(new Terminator.Exit());
                case "trap" -> guardedTerminate(new Terminator.Trap());
                case "nanosleep", "prefetch", "prefetchu", "pmevent", "brkpt", "discard", "applypriority" -> {
                    // no effect on the program's results: sleeping, cache and profiler hints, breakpoints
                }
                case "createpolicy" -> {
                    // a cache policy only cache hints read, and those are ignored
                    emit(new Inst.Mov(dst(0), Const.of(ScalarType.B64, 0)));
                }
                case "cp" -> cpAsync();
                default -> throw error("no translation for '" + in.opcode() + "'");
            }
        }

        // ---------------------------------------------------------------------------------------- arithmetic

        /** {@code op.type d, a[, b[, c]]} as one Compute. */
        void simple(Opcode op, int arity, String... allowed) {
            only(allowed);
            operands(arity + 1, arity + 1);
            ScalarType t = type();
            List<Value> srcs = new ArrayList<>();
            for (int i = 1; i <= arity; i++) srcs.add(val(i, t));
            FloatMode m = PtxTypes.isFloat(t) ? mode() : FloatMode.NONE;
            if (op == Opcode.FMA && m.rounding() == FloatMode.Rounding.DEFAULT) {
                throw error("fma needs a rounding modifier");
            }
            if ((op == Opcode.DIV || op == Opcode.SQRT || op == Opcode.RCP) && (t == ScalarType.F32
                    || t == ScalarType.F64) && m.rounding() == FloatMode.Rounding.DEFAULT && !m.approx()) {
                // PTX ISA 1.4+: one of .approx, .full or a rounding modifier is required
                throw error(in.opcode() + t.ptxName() + " needs .approx or a rounding modifier");
            }
            boolean approxOnly = op == Opcode.SIN || op == Opcode.COS || op == Opcode.LG2 || op == Opcode.EX2
                    || op == Opcode.TANH || op == Opcode.RSQRT;
            if (approxOnly && !m.approx()) throw error(in.opcode() + " needs .approx");
            emit(new Inst.Compute(op, t, m, dst(0), srcs));
        }

        void addSub() {
            Opcode op = in.opcode().equals("add") ? Opcode.ADD : Opcode.SUB;
            ScalarType t = type();
            operands(3, 3);
            if (has(".cc")) {
                only(".cc");
                emit(new Inst.CarryArith(op, t, dst(0), carry(), List.of(val(1, t), val(2, t)), null));
                return;
            }
            if (PtxTypes.isFloat(t)) {
                only(".rn", ".rz", ".rm", ".rp", ".ftz", ".sat");
                emit(new Inst.Compute(op, t, mode(), dst(0), List.of(val(1, t), val(2, t))));
                return;
            }
            only(".sat");
            if (has(".sat")) {
                if (t != ScalarType.S32) throw error(".sat applies to .s32 only");
                Reg a = convert(ScalarType.S64, ScalarType.S32, val(1, t));
                Reg b = convert(ScalarType.S64, ScalarType.S32, val(2, t));
                Reg s = compute(op, ScalarType.S64, a, b);
                emit(new Inst.Convert(ScalarType.S32, ScalarType.S64, new FloatMode(FloatMode.Rounding.DEFAULT, false,
                        true, false), dst(0), s));
                return;
            }
            emit(new Inst.Compute(op, t, FloatMode.NONE, dst(0), List.of(val(1, t), val(2, t))));
        }

        void addcSubc() {
            only(".cc");
            operands(3, 3);
            ScalarType t = type();
            Opcode op = in.opcode().equals("addc") ? Opcode.ADD : Opcode.SUB;
            Reg cc = carry();
            emit(new Inst.CarryArith(op, t, dst(0), has(".cc") ? cc : null, List.of(val(1, t), val(2, t)), cc));
        }

        void mul() {
            operands(3, 3);
            ScalarType t = type();
            if (PtxTypes.isFloat(t)) {
                only(".rn", ".rz", ".rm", ".rp", ".ftz", ".sat");
                emit(new Inst.Compute(Opcode.MUL, t, mode(), dst(0), List.of(val(1, t), val(2, t))));
                return;
            }
            only(".lo", ".hi", ".wide");
            Opcode op = has(".hi") ? Opcode.MUL_HI : has(".wide") ? Opcode.MUL_WIDE : Opcode.MUL;
            emit(new Inst.Compute(op, t, FloatMode.NONE, dst(0), List.of(val(1, t), val(2, t))));
        }

        void mad() {
            operands(4, 4);
            ScalarType t = type();
            if (PtxTypes.isFloat(t)) {
                // mad.rnd.f32/.f64 is fma.rnd (a single rounding) on every target the IR serves
                only(".rn", ".rz", ".rm", ".rp", ".ftz", ".sat");
                FloatMode m = mode();
                if (m.rounding() == FloatMode.Rounding.DEFAULT) {
                    m = new FloatMode(FloatMode.Rounding.RN, m.ftz(), m.sat(), false);
                }
                emit(new Inst.Compute(Opcode.FMA, t, m, dst(0), List.of(val(1, t), val(2, t), val(3, t))));
                return;
            }
            if (has(".cc")) {
                only(".lo", ".hi", ".cc");
                Opcode op = has(".hi") ? Opcode.MAD_HI : Opcode.MAD;
                emit(new Inst.CarryArith(op, t, dst(0), carry(), List.of(val(1, t), val(2, t), val(3, t)), null));
                return;
            }
            only(".lo", ".hi", ".wide", ".sat");
            if (has(".sat")) throw error("mad.hi.sat has no IR form");
            Opcode op = has(".hi") ? Opcode.MAD_HI : has(".wide") ? Opcode.MAD_WIDE : Opcode.MAD;
            ScalarType ct = op == Opcode.MAD_WIDE ? PtxTypes.wide(t) : t;
            emit(new Inst.Compute(op, t, FloatMode.NONE, dst(0), List.of(val(1, t), val(2, t), val(3, ct))));
        }

        void madc() {
            only(".lo", ".hi", ".cc");
            operands(4, 4);
            ScalarType t = type();
            Opcode op = has(".hi") ? Opcode.MAD_HI : Opcode.MAD;
            Reg cc = carry();
            emit(new Inst.CarryArith(op, t, dst(0), has(".cc") ? cc : null,
                    List.of(val(1, t), val(2, t), val(3, t)), cc));
        }

        /** mul24/mad24: products of the low 24 bits (sign- or zero-extended). */
        void mul24() {
            only(".lo", ".hi", ".sat");
            boolean mad = in.opcode().equals("mad24");
            operands(mad ? 4 : 3, mad ? 4 : 3);
            ScalarType t = type();
            if (has(".sat")) throw error("mad24.hi.sat has no IR form");
            Reg a = compute(Opcode.BFE, t, val(1, t), Const.of(ScalarType.U32, 0), Const.of(ScalarType.U32, 24));
            Reg b = compute(Opcode.BFE, t, val(2, t), Const.of(ScalarType.U32, 0), Const.of(ScalarType.U32, 24));
            Value product;
            if (has(".hi")) {
                Reg w = compute(Opcode.MUL_WIDE, t, a, b);
                ScalarType wt = PtxTypes.wide(t);
                Reg sh = compute(Opcode.SHR, wt, w, Const.of(ScalarType.U32, 16));
                product = convert(t, wt, sh);
            } else {
                product = compute(Opcode.MUL, t, a, b);
            }
            if (mad) {
                emit(new Inst.Compute(Opcode.ADD, t, FloatMode.NONE, dst(0), List.of(product, val(3, t))));
            } else {
                emit(new Inst.Mov(dst(0), product));
            }
        }

        void minMax() {
            Opcode op = in.opcode().equals("min") ? Opcode.MIN : Opcode.MAX;
            operands(3, 3);
            ScalarType t = type();
            if (!PtxTypes.isFloat(t)) {
                only(".relu");
                if (has(".relu")) {
                    if (t != ScalarType.S32) throw error(".relu applies to .s32 here");
                    Reg m = compute(op, t, val(1, t), val(2, t));
                    emit(new Inst.Compute(Opcode.MAX, t, FloatMode.NONE, dst(0), List.of(m, Const.of(t, 0))));
                    return;
                }
                emit(new Inst.Compute(op, t, FloatMode.NONE, dst(0), List.of(val(1, t), val(2, t))));
                return;
            }
            only(".ftz", ".NaN");
            FloatMode m = new FloatMode(FloatMode.Rounding.DEFAULT, has(".ftz"), false, false);
            if (!has(".NaN")) {
                emit(new Inst.Compute(op, t, m, dst(0), List.of(val(1, t), val(2, t))));
                return;
            }
            if (t != ScalarType.F32 && t != ScalarType.F16 && t != ScalarType.BF16 && t != ScalarType.F64) {
                throw error(".NaN with " + t.ptxName() + " has no IR form");
            }
            // min/max.NaN: the canonical NaN when either input is NaN, else min/max
            Value a = val(1, t);
            Value b = val(2, t);
            Reg r = compute(op, t, m, a, b);
            Reg nan = compare(Inst.CmpOp.NAN, t, false, a, b);
            Const canon = switch (t) {
                case F32 -> Const.of(t, 0x7fffffffL);
                case F64 -> Const.of(t, 0x7fffffffffffffffL);
                case F16 -> Const.of(t, 0x7fff);
                default -> Const.of(t, 0x7fff);
            };
            emit(new Inst.Compute(Opcode.SELP, t, FloatMode.NONE, dst(0), List.of(canon, r, nan)));
        }

        void shift(Opcode op) {
            only();
            operands(3, 3);
            ScalarType t = type();
            emit(new Inst.Compute(op, t, FloatMode.NONE, dst(0), List.of(val(1, t), val(2, ScalarType.U32))));
        }

        void shf() {
            only(".l", ".r", ".wrap", ".clamp");
            operands(4, 4);
            boolean left = has(".l");
            boolean wrap = has(".wrap");
            if (left == has(".r") || wrap == has(".clamp")) throw error("shf needs .l or .r and .wrap or .clamp");
            Opcode op = left ? (wrap ? Opcode.SHF_L_WRAP : Opcode.SHF_L_CLAMP)
                    : (wrap ? Opcode.SHF_R_WRAP : Opcode.SHF_R_CLAMP);
            emit(new Inst.Compute(op, ScalarType.B32, FloatMode.NONE, dst(0),
                    List.of(val(1, ScalarType.B32), val(2, ScalarType.B32), val(3, ScalarType.U32))));
        }

        void bfind() {
            only(".shiftamt");
            operands(2, 2);
            ScalarType t = type();
            emit(new Inst.Compute(has(".shiftamt") ? Opcode.BFIND_SHIFTAMT : Opcode.BFIND, t, FloatMode.NONE, dst(0),
                    List.of(val(1, t))));
        }

        void bfe() {
            only();
            operands(4, 4);
            ScalarType t = type();
            emit(new Inst.Compute(Opcode.BFE, t, FloatMode.NONE, dst(0),
                    List.of(val(1, t), val(2, ScalarType.U32), val(3, ScalarType.U32))));
        }

        void bfi() {
            only();
            operands(5, 5);
            ScalarType t = type();
            emit(new Inst.Compute(Opcode.BFI, t, FloatMode.NONE, dst(0),
                    List.of(val(1, t), val(2, t), val(3, ScalarType.U32), val(4, ScalarType.U32))));
        }

        /** szext.mode.type d, a, b: the low b bits of a, sign- or zero-extended (bfe from bit 0). */
        void szext() {
            only(".wrap", ".clamp");
            operands(3, 3);
            ScalarType t = type();
            Value len = val(2, ScalarType.U32);
            if (has(".wrap")) len = compute(Opcode.AND, ScalarType.U32, len, Const.of(ScalarType.U32, 31));
            emit(new Inst.Compute(Opcode.BFE, t, FloatMode.NONE, dst(0), List.of(val(1, t), Const.of(ScalarType.U32, 0),
                    len)));
        }

        void prmt() {
            only(".f4e", ".b4e", ".rc8", ".ecl", ".ecr", ".rc16");
            operands(4, 4);
            Opcode op = has(".f4e") ? Opcode.PRMT_F4E : has(".b4e") ? Opcode.PRMT_B4E : has(".rc8") ? Opcode.PRMT_RC8
                    : has(".ecl") ? Opcode.PRMT_ECL : has(".ecr") ? Opcode.PRMT_ECR
                    : has(".rc16") ? Opcode.PRMT_RC16 : Opcode.PRMT;
            emit(new Inst.Compute(op, ScalarType.B32, FloatMode.NONE, dst(0),
                    List.of(val(1, ScalarType.B32), val(2, ScalarType.B32), val(3, ScalarType.B32))));
        }

        void dp4a() {
            only();
            operands(4, 4);
            List<ScalarType> ts = types();
            if (ts.size() != 2 || ts.get(0) != ts.get(1)) throw error("dp4a with mixed signedness has no IR form");
            ScalarType t = ts.getFirst();
            emit(new Inst.Compute(Opcode.DP4A, t, FloatMode.NONE, dst(0),
                    List.of(val(1, ScalarType.B32), val(2, ScalarType.B32), val(3, t))));
        }

        void testp() {
            only(".finite", ".infinite", ".number", ".notanumber", ".normal", ".subnormal");
            operands(2, 2);
            ScalarType t = type();
            Opcode op = has(".finite") ? Opcode.TESTP_FINITE : has(".infinite") ? Opcode.TESTP_INFINITE
                    : has(".number") ? Opcode.TESTP_NUMBER : has(".notanumber") ? Opcode.TESTP_NAN
                    : has(".normal") ? Opcode.TESTP_NORMAL : has(".subnormal") ? Opcode.TESTP_SUBNORMAL : null;
            if (op == null) throw error("testp needs a test");
            emit(new Inst.Compute(op, t, FloatMode.NONE, dst(0), List.of(val(1, t))));
        }

        // ---------------------------------------------------------------------------------------- lop3

        /** lop3.b32 d, a, b, c, immLut: the truth table as and/or/xor/not (Shannon decomposition). */
        void lop3() {
            only(".and", ".or");
            boolean boolOp = has(".and") || has(".or");
            operands(boolOp ? 6 : 5, boolOp ? 6 : 5);
            LOp lutOp = op(4);
            long lut;
            if (lutOp instanceof LOp.K k) {
                lut = k.value().bits();
            } else if (lutOp instanceof LOp.Int i) {
                lut = i.value();
            } else {
                throw error("immLut must be a constant");
            }
            if (lut < 0 || lut > 255) throw error("immLut " + lut + " is not in 0..255");
            Value[] vars = {val(1, ScalarType.B32), val(2, ScalarType.B32), val(3, ScalarType.B32)};
            LOp d = op(0);
            LOp pd = null;
            if (d instanceof LOp.Pair p) {
                d = p.first();
                pd = p.second();
            }
            Value result = lutExpr((int) lut, vars, 0);
            Reg dr = dstOrSink(d, ScalarType.B32);
            emit(new Inst.Mov(dr, result));
            if (boolOp) {
                if (pd == null) throw error("lop3." + (has(".and") ? "and" : "or") + " needs d|p");
                Reg nz = compare(Inst.CmpOp.NE, ScalarType.U32, false, dr, Const.of(ScalarType.U32, 0));
                emit(new Inst.Compute(has(".and") ? Opcode.AND : Opcode.OR, ScalarType.PRED, FloatMode.NONE,
                        dstOrSink(pd, ScalarType.PRED), List.of(nz, val(5, ScalarType.PRED))));
            }
        }

        private static final int[] VAR_MASK = {0xF0, 0xCC, 0xAA};
        private static final int[] VAR_SHIFT = {4, 2, 1};

        Value lutExpr(int tt, Value[] vars, int from) {
            if (tt == 0) return Const.of(ScalarType.B32, 0);
            if (tt == 0xFF) return Const.of(ScalarType.B32, 0xffffffffL);
            for (int v = 0; v < 3; v++) {
                if (tt == VAR_MASK[v]) return vars[v];
                if (tt == (~VAR_MASK[v] & 0xFF)) return compute(Opcode.NOT, ScalarType.B32, vars[v]);
            }
            for (int v = from; v < 3; v++) {
                int m = VAR_MASK[v];
                int s = VAR_SHIFT[v];
                int f1 = ((tt & m) | ((tt & m) >>> s)) & 0xFF;
                int f0 = ((tt & ~m) | ((tt & ~m) << s)) & 0xFF;
                if (f1 == f0) continue; // does not depend on this variable
                Value x = vars[v];
                if (f1 == 0) return compute(Opcode.AND, ScalarType.B32, not(x), lutExpr(f0, vars, v + 1));
                if (f0 == 0) return compute(Opcode.AND, ScalarType.B32, x, lutExpr(f1, vars, v + 1));
                if (f1 == 0xFF) return compute(Opcode.OR, ScalarType.B32, x, lutExpr(f0, vars, v + 1));
                if (f0 == 0xFF) return compute(Opcode.OR, ScalarType.B32, not(x), lutExpr(f1, vars, v + 1));
                if (f1 == (~f0 & 0xFF)) return compute(Opcode.XOR, ScalarType.B32, x, lutExpr(f0, vars, v + 1));
                Value e0 = lutExpr(f0, vars, v + 1);
                Value diff = lutExpr(f0 ^ f1, vars, v + 1);
                return compute(Opcode.XOR, ScalarType.B32, e0, compute(Opcode.AND, ScalarType.B32, x, diff));
            }
            throw new IllegalStateException("lop3 table " + tt);
        }

        Value not(Value x) {
            return compute(Opcode.NOT, ScalarType.B32, x);
        }

        // ---------------------------------------------------------------------------------------- compare/select

        void selp() {
            only();
            operands(4, 4);
            ScalarType t = type();
            emit(new Inst.Compute(Opcode.SELP, t, FloatMode.NONE, dst(0),
                    List.of(val(1, t), val(2, t), val(3, ScalarType.PRED))));
        }

        /** slct.dtype.ctype d, a, b, c: d = c >= 0 ? a : b. */
        void slct() {
            only(".ftz");
            operands(4, 4);
            List<ScalarType> ts = types();
            if (ts.size() != 2) throw error("slct needs two types");
            ScalarType t = ts.get(0);
            ScalarType ct = ts.get(1);
            Reg p = compare(Inst.CmpOp.GE, ct, has(".ftz"), val(3, ct),
                    ct == ScalarType.F32 ? Const.f32(0f) : Const.of(ct, 0));
            emit(new Inst.Compute(Opcode.SELP, t, FloatMode.NONE, dst(0), List.of(val(1, t), val(2, t), p)));
        }

        Inst.CmpOp cmpOp(ScalarType t) {
            for (String m : in.mods()) {
                Inst.CmpOp c = switch (m) {
                    case ".eq" -> Inst.CmpOp.EQ;
                    case ".ne" -> Inst.CmpOp.NE;
                    case ".lt" -> Inst.CmpOp.LT;
                    case ".le" -> Inst.CmpOp.LE;
                    case ".gt" -> Inst.CmpOp.GT;
                    case ".ge" -> Inst.CmpOp.GE;
                    case ".lo" -> Inst.CmpOp.LT;
                    case ".ls" -> Inst.CmpOp.LE;
                    case ".hi" -> Inst.CmpOp.GT;
                    case ".hs" -> Inst.CmpOp.GE;
                    case ".equ" -> Inst.CmpOp.EQU;
                    case ".neu" -> Inst.CmpOp.NEU;
                    case ".ltu" -> Inst.CmpOp.LTU;
                    case ".leu" -> Inst.CmpOp.LEU;
                    case ".gtu" -> Inst.CmpOp.GTU;
                    case ".geu" -> Inst.CmpOp.GEU;
                    case ".num" -> Inst.CmpOp.NUM;
                    case ".nan" -> Inst.CmpOp.NAN;
                    default -> null;
                };
                if (c != null) {
                    boolean unsignedOnly = m.equals(".lo") || m.equals(".ls") || m.equals(".hi") || m.equals(".hs");
                    if (unsignedOnly && t.kind() == ScalarType.Kind.SIGNED) throw error(m + " compares unsigned values");
                    boolean floatOnly = c.ordinal() >= Inst.CmpOp.EQU.ordinal();
                    if (floatOnly && !PtxTypes.isFloat(t)) throw error(m + " compares floating-point values");
                    return c;
                }
            }
            throw error("missing comparison operator");
        }

        /** The comparison type: bit-size types compare as unsigned integers. */
        ScalarType cmpType(ScalarType t) {
            return t.kind() == ScalarType.Kind.BITS ? PtxTypes.intType(t.bits(), false) : t;
        }

        Opcode boolOp() {
            return has(".and") ? Opcode.AND : has(".or") ? Opcode.OR : has(".xor") ? Opcode.XOR : null;
        }

        static final String[] CMP_MODS = {".eq", ".ne", ".lt", ".le", ".gt", ".ge", ".lo", ".ls", ".hi", ".hs",
                ".equ", ".neu", ".ltu", ".leu", ".gtu", ".geu", ".num", ".nan", ".and", ".or", ".xor", ".ftz"};

        /** setp.cmp[.bool][.ftz].type p[|q], a, b[, [!]c]: p = (a cmp b) bool c, q = !(a cmp b) bool c. */
        void setp() {
            only(CMP_MODS);
            ScalarType t = cmpType(type());
            Inst.CmpOp c = cmpOp(t);
            Opcode bop = boolOp();
            operands(bop == null ? 3 : 4, bop == null ? 3 : 4);
            LOp d = op(0);
            LOp qd = null;
            if (d instanceof LOp.Pair p) {
                d = p.first();
                qd = p.second();
            }
            Value cv = bop == null ? null : val(3, ScalarType.PRED);
            if (t == ScalarType.F16X2 || t == ScalarType.BF16X2) {
                // per half: p gets the low half's result, q the high half's
                ScalarType h = t == ScalarType.F16X2 ? ScalarType.F16 : ScalarType.BF16;
                Value a = val(1, t);
                Value b = val(2, t);
                Reg lo = compare(c, h, has(".ftz"), half(a, h, false), half(b, h, false));
                Reg hi = compare(c, h, has(".ftz"), half(a, h, true), half(b, h, true));
                setResult(d, lo, bop, cv);
                if (qd != null) setResult(qd, hi, bop, cv);
                return;
            }
            Value a = val(1, t);
            Value b = val(2, t);
            if (bop == null && qd == null) {
                emit(new Inst.Compare(c, t, has(".ftz"), dstOrSink(d, ScalarType.PRED), a, b));
                return;
            }
            Reg r = compare(c, t, has(".ftz"), a, b);
            setResult(d, r, bop, cv);
            if (qd != null) {
                Reg nr = compute(Opcode.NOT, ScalarType.PRED, r);
                setResult(qd, nr, bop, cv);
            }
        }

        void setResult(LOp d, Reg r, Opcode bop, Value c) {
            Reg dr = dstOrSink(d, ScalarType.PRED);
            if (bop == null) {
                emit(new Inst.Mov(dr, r));
            } else {
                emit(new Inst.Compute(bop, ScalarType.PRED, FloatMode.NONE, dr, List.of(r, c)));
            }
        }

        /** The low or high 16-bit half of a packed value, as type h. */
        Value half(Value v, ScalarType h, boolean high) {
            Value w = v;
            if (high) w = compute(Opcode.SHR, ScalarType.U32, bits32(v), Const.of(ScalarType.U32, 16));
            Reg lo = convert(ScalarType.U16, ScalarType.U32, high ? w : bits32(v));
            Reg r = tmp(h);
            emit(new Inst.Mov(r, lo));
            return r;
        }

        /** A 32-bit value viewed as u32 (a move when it is not an integer register). */
        Value bits32(Value v) {
            if (PtxTypes.isIntLike(v.type())) return v;
            Reg r = tmp(ScalarType.U32);
            emit(new Inst.Mov(r, v));
            return r;
        }

        /** set.cmp[.bool][.ftz].dtype.stype d, a, b[, [!]c]: d = all ones / 1.0 when true, else 0. */
        void set() {
            only(CMP_MODS);
            List<ScalarType> ts = types();
            if (ts.size() != 2) throw error("set needs a destination and a source type");
            ScalarType dt = ts.get(0);
            ScalarType st = cmpType(ts.get(1));
            Inst.CmpOp c = cmpOp(st);
            Opcode bop = boolOp();
            operands(bop == null ? 3 : 4, bop == null ? 3 : 4);
            if (st == ScalarType.F16X2 || st == ScalarType.BF16X2 || dt == ScalarType.F16X2
                    || dt == ScalarType.BF16X2) {
                throw error("set with packed halves has no IR form yet");
            }
            Reg r = compare(c, st, has(".ftz"), val(1, st), val(2, st));
            Value p = r;
            if (bop != null) p = compute(bop, ScalarType.PRED, r, val(3, ScalarType.PRED));
            Const one = switch (dt) {
                case U32, S32, B32 -> Const.of(dt, 0xffffffffL);
                case F32 -> Const.f32(1f);
                case F16 -> Const.of(dt, 0x3c00);
                case BF16 -> Const.of(dt, 0x3f80);
                default -> throw error("set with destination " + dt.ptxName() + " has no IR form");
            };
            emit(new Inst.Compute(Opcode.SELP, dt, FloatMode.NONE, dst(0), List.of(one, Const.of(dt, 0), p)));
        }

        // ---------------------------------------------------------------------------------------- conversions

        void cvt() {
            only(".rn", ".rz", ".rm", ".rp", ".rna", ".rni", ".rzi", ".rmi", ".rpi", ".ftz", ".sat");
            List<String> typeMods = new ArrayList<>();
            for (String m : in.mods()) if (PtxTypes.isType(m)) typeMods.add(m);
            if (typeMods.size() != 2) throw error("cvt needs a destination and a source type");
            if (typeMods.get(0).equals(".tf32")) {
                tf32(typeMods.get(1));
                return;
            }
            List<ScalarType> ts = types();
            ScalarType to = ts.get(0);
            ScalarType from = ts.get(1);
            FloatMode m = new FloatMode(rounding(), has(".ftz"), has(".sat"), false);
            if ((to == ScalarType.F16X2 || to == ScalarType.BF16X2) && from == ScalarType.F32) {
                // cvt.rn.f16x2.f32 d, a, b: a to the upper half, b to the lower
                operands(3, 3);
                ScalarType h = to == ScalarType.F16X2 ? ScalarType.F16 : ScalarType.BF16;
                Reg hi = tmp(h);
                emit(new Inst.Convert(h, from, m, hi, val(1, from)));
                Reg lo = tmp(h);
                emit(new Inst.Convert(h, from, m, lo, val(2, from)));
                Reg hiBits = tmp(ScalarType.U16);
                emit(new Inst.Mov(hiBits, hi));
                Reg loBits = tmp(ScalarType.U16);
                emit(new Inst.Mov(loBits, lo));
                Reg hi32 = convert(ScalarType.U32, ScalarType.U16, hiBits);
                Reg lo32 = convert(ScalarType.U32, ScalarType.U16, loBits);
                Reg sh = compute(Opcode.SHL, ScalarType.U32, hi32, Const.of(ScalarType.U32, 16));
                Reg packed = compute(Opcode.OR, ScalarType.U32, sh, lo32);
                emit(new Inst.Mov(dst(0), packed));
                return;
            }
            if (to == ScalarType.F16X2 || to == ScalarType.BF16X2 || from == ScalarType.F16X2
                    || from == ScalarType.BF16X2 || to == ScalarType.B128 || from == ScalarType.B128
                    || to == ScalarType.PRED || from == ScalarType.PRED) {
                throw error("conversion " + to.ptxName() + from.ptxName() + " has no IR form");
            }
            operands(2, 2);
            if (to.kind() == ScalarType.Kind.BITS || from.kind() == ScalarType.Kind.BITS) {
                throw error("cvt does not take bit-size types");
            }
            // the ISA requires a rounding modifier for float-to-int, int-to-float and narrowing float conversions
            boolean fto = PtxTypes.isFloat(to);
            boolean ffrom = PtxTypes.isFloat(from);
            FloatMode.Rounding rnd = m.rounding();
            boolean integral = rnd == FloatMode.Rounding.RNI || rnd == FloatMode.Rounding.RZI
                    || rnd == FloatMode.Rounding.RMI || rnd == FloatMode.Rounding.RPI;
            if (ffrom && !fto && !integral) throw error("a float-to-integer cvt needs .rni, .rzi, .rmi or .rpi");
            if (!ffrom && fto && (rnd == FloatMode.Rounding.DEFAULT || integral)) {
                throw error("an integer-to-float cvt needs .rn, .rz, .rm or .rp");
            }
            if (ffrom && fto && to.bits() < from.bits() && (rnd == FloatMode.Rounding.DEFAULT || integral)) {
                throw error("a narrowing float cvt needs .rn, .rz, .rm, .rp or .rna");
            }
            emit(new Inst.Convert(to, from, m, dst(0), val(1, from)));
        }

        /**
         * cvt.{rna,rn,rz}.tf32.f32 d, a: the IR has no tf32, but the result is an f32 bit pattern whose low 13 bits
         * are zero, rounded as asked (.rna: ties away from zero), computed with integer operations. With .rn/.rz a
         * NaN input stays a (quiet) NaN with its sign and high payload bits. With .rna a NaN is rounded like any bit
         * pattern ((bits + 0x1000) & 0xffffe000: sNaN 0x7f800001 gives 0x7f800000), as an NVIDIA H100 80GB HBM3 does
         * (driver 580.159.04, CUDA 13.0, corpus/gpucheck cvt_tf32, 2026-11-26); .rn/.rz NaNs were not observed.
         */
        void tf32(String fromMod) {
            operands(2, 2);
            if (!fromMod.equals(".f32")) throw error("tf32 conversion from " + fromMod + " has no IR form");
            FloatMode.Rounding r = rounding();
            Value a = val(1, ScalarType.F32);
            Reg bits = tmp(ScalarType.U32);
            emit(new Inst.Mov(bits, a));
            Value rounded;
            Const mask = Const.of(ScalarType.U32, 0xffffe000L);
            switch (r) {
                case RNA -> rounded = compute(Opcode.ADD, ScalarType.U32, bits, Const.of(ScalarType.U32, 0x1000));
                case RN -> {
                    Reg lsb = compute(Opcode.BFE, ScalarType.U32, bits, Const.of(ScalarType.U32, 13),
                            Const.of(ScalarType.U32, 1));
                    Reg bias = compute(Opcode.ADD, ScalarType.U32, lsb, Const.of(ScalarType.U32, 0xfff));
                    rounded = compute(Opcode.ADD, ScalarType.U32, bits, bias);
                }
                case RZ -> rounded = bits;
                default -> throw error("tf32 conversion needs .rna, .rn or .rz");
            }
            if (r == FloatMode.Rounding.RNA) {
                emit(new Inst.Compute(Opcode.AND, ScalarType.U32, FloatMode.NONE, dst(0), List.of(rounded, mask)));
                return;
            }
            Reg finite = compute(Opcode.AND, ScalarType.U32, rounded, mask);
            Reg quiet = compute(Opcode.OR, ScalarType.U32, bits, Const.of(ScalarType.U32, 0x00400000));
            Reg nanBits = compute(Opcode.AND, ScalarType.U32, quiet, mask);
            Reg isNan = compare(Inst.CmpOp.NAN, ScalarType.F32, false, a, a);
            emit(new Inst.Compute(Opcode.SELP, ScalarType.U32, FloatMode.NONE, dst(0), List.of(nanBits, finite, isNan)));
        }

        AddressSpace cvtaSpace() {
            for (String m : in.mods()) {
                AddressSpace s = PtxTypes.spaceModifier(m);
                if (s != null) return s;
            }
            throw error("missing state space");
        }

        void cvta() {
            only(".to", ".global", ".shared", ".shared::cta", ".local", ".const", ".param", ".param::entry");
            operands(2, 2);
            AddressSpace s = cvtaSpace();
            ScalarType t = type();
            boolean to = has(".to");
            Value src;
            if (op(1) instanceof LOp.Sym sym) {
                // cvta.space d, var: the generic address of var
                src = symbol(sym, t, to ? AddressSpace.GENERIC : s);
            } else {
                src = val(1, t);
            }
            emit(new Inst.Cvta(s, !to, dst(0), src));
        }

        void isspacep() {
            only(".global", ".shared", ".shared::cta", ".local", ".const", ".param", ".param::entry");
            operands(2, 2);
            emit(new Inst.IsSpace(cvtaSpace(), dst(0), val(1, unit.addressType())));
        }

        // ---------------------------------------------------------------------------------------- mov

        void mov() {
            only();
            operands(2, 2);
            ScalarType t = type();
            LOp d = op(0);
            LOp s = op(1);
            if (d instanceof LOp.Vec dv) {
                if (s instanceof LOp.Vec) throw error("vector to vector mov");
                unpack(t, dv, val(s, t));
                return;
            }
            if (s instanceof LOp.Vec sv) {
                Reg r = dst(0);
                Value packed = pack(t, sv);
                emit(new Inst.Mov(r, packed));
                return;
            }
            if (s instanceof LOp.Sym sym) {
                emit(new Inst.Mov(dst(0), symbol(sym, t, null)));
                return;
            }
            Value v = val(1, t);
            Reg dr = dst(0);
            if (v.type().bits() != dr.type().bits()) {
                if (v instanceof Reg r && SpecialNames.special(r.name()) != null && PtxTypes.isIntLike(dr.type())) {
                    // mov.u16 %rs, %tid.x: the special register's value, truncated
                    emit(new Inst.Convert(PtxTypes.intType(dr.type().bits(), false), r.type(), FloatMode.NONE, dr, v));
                    return;
                }
                throw error("mov between " + v.type().ptxName() + " and " + dr.type().ptxName() + " registers");
            }
            emit(new Inst.Mov(dr, v));
        }

        /** mov.bW d, {e0, e1, ...}: element i at bits [i*w, (i+1)*w). */
        Value pack(ScalarType t, LOp.Vec v) {
            int n = v.elems().size();
            if (t.bits() > 64 || t.bits() % n != 0) throw error("cannot pack " + n + " elements into " + t.ptxName());
            int ew = t.bits() / n;
            if (ew < 8) throw error("cannot pack " + n + " elements into " + t.ptxName());
            ScalarType wt = PtxTypes.intType(t.bits(), false);
            ScalarType et = PtxTypes.intType(ew, false);
            Value acc = null;
            for (int i = 0; i < n; i++) {
                LOp e = v.elems().get(i);
                if (e instanceof LOp.Sink) throw error("a packed source element cannot be '_'");
                Value ev = val(e, et);
                Value wide;
                if (ev instanceof Const c) {
                    wide = Const.of(wt, c.bits() << (ew * i));
                } else {
                    Value ebits = ev;
                    if (!PtxTypes.isIntLike(ev.type())) {
                        Reg b = tmp(et);
                        emit(new Inst.Mov(b, ev));
                        ebits = b;
                    }
                    wide = ew == t.bits() ? ebits : convert(wt, et, ebits);
                    if (i > 0) wide = compute(Opcode.SHL, wt, wide, Const.of(ScalarType.U32, (long) ew * i));
                }
                acc = acc == null ? wide : compute(Opcode.OR, wt, acc, wide);
            }
            return acc;
        }

        /** mov.bW {e0, e1, ...}, s: element i gets bits [i*w, (i+1)*w) of s. */
        void unpack(ScalarType t, LOp.Vec v, Value s) {
            if (s == null) throw error("vector to vector mov");
            int n = v.elems().size();
            if (t.bits() > 64 || t.bits() % n != 0 || t.bits() / n < 8) {
                throw error("cannot unpack " + t.ptxName() + " into " + n + " elements");
            }
            int ew = t.bits() / n;
            ScalarType wt = PtxTypes.intType(t.bits(), false);
            ScalarType et = PtxTypes.intType(ew, false);
            Value src = s;
            if (!PtxTypes.isIntLike(s.type()) || s instanceof Const) {
                Reg b = tmp(wt);
                emit(new Inst.Mov(b, s));
                src = b;
            } else if (s instanceof Reg r && v.elems().stream().anyMatch(e -> e instanceof LOp.R er
                    && er.reg().equals(r))) {
                Reg b = tmp(wt); // the source is also a destination: read it first
                emit(new Inst.Mov(b, s));
                src = b;
            }
            for (int i = 0; i < n; i++) {
                LOp e = v.elems().get(i);
                if (e instanceof LOp.Sink) continue;
                if (!(e instanceof LOp.R er)) throw error("unpack destination " + e + " is not a register");
                Value part = i == 0 ? src : compute(Opcode.SHR, wt, src, Const.of(ScalarType.U32, (long) ew * i));
                emit(new Inst.Convert(et, wt, FloatMode.NONE, er.reg(), part));
            }
        }

        // ---------------------------------------------------------------------------------------- memory

        static final String[] CACHE_MODS = {".ca", ".cg", ".cs", ".lu", ".cv", ".wb", ".wt", ".nc", ".L1::*",
                ".L2::*", ".level::*", ".unified", ".weak", ".volatile", ".relaxed", ".acquire", ".release", ".cta",
                ".cluster", ".gpu", ".sys", ".global", ".shared", ".shared::cta", ".local", ".const", ".param",
                ".param::entry", ".param::func"};

        Memory.Order order(boolean load) {
            if (has(".mmio")) throw error(".mmio has no IR form");
            if (has(".volatile")) return Memory.Order.VOLATILE;
            if (has(".relaxed")) return Memory.Order.RELAXED;
            if (has(".acquire")) {
                if (!load) throw error("st cannot be .acquire");
                return Memory.Order.ACQUIRE;
            }
            if (has(".release")) {
                if (load) throw error("ld cannot be .release");
                return Memory.Order.RELEASE;
            }
            return Memory.Order.WEAK;
        }

        Memory.Scope orderScope(Memory.Order o) {
            Memory.Scope s = scope();
            if (o == Memory.Order.RELAXED || o == Memory.Order.ACQUIRE || o == Memory.Order.RELEASE) {
                if (s == null) throw error("." + o.name().toLowerCase(java.util.Locale.ROOT) + " needs a scope");
                return s;
            }
            if (s != null) throw error("a scope needs .relaxed, .acquire or .release");
            return null;
        }

        void load() {
            only(CACHE_MODS);
            if (nops() < 2 || nops() > 3) throw error("expected ld d, [a] (and an optional cache policy)");
            ScalarType t = type();
            AddressSpace space = stateSpace();
            Memory.Order o = order(true);
            Memory.Scope sc = orderScope(o);
            Memory.Cache cache = has(".nc") || in.opcode().equals("ldu") ? Memory.Cache.NON_COHERENT
                    : Memory.Cache.DEFAULT;
            if (cache == Memory.Cache.NON_COHERENT && space != AddressSpace.GLOBAL
                    && !(in.opcode().equals("ldu") && space == AddressSpace.GENERIC)) {
                throw error(".nc applies to .global loads");
            }
            LOp d = op(0);
            if (d instanceof LOp.Sink) return;
            emit(new Inst.Load(space, t, o, sc, cache, dst(0), address(op(1), space)));
        }

        void store() {
            only(CACHE_MODS);
            if (nops() < 2 || nops() > 3) throw error("expected st [a], b (and an optional cache policy)");
            ScalarType t = type();
            AddressSpace space = stateSpace();
            Memory.Order o = order(false);
            Memory.Scope sc = orderScope(o);
            if (has(".nc")) throw error("st cannot be .nc");
            Address a = address(op(0), space);
            emit(new Inst.Store(space, t, o, sc, a, val(1, t)));
        }

        void atomic() {
            only(".global", ".shared", ".shared::cta", ".relaxed", ".acquire", ".release", ".acq_rel", ".cta",
                    ".cluster", ".gpu", ".sys", ".and", ".or", ".xor", ".cas", ".exch", ".add", ".inc", ".dec", ".min",
                    ".max", ".noftz", ".L2::*");
            boolean red = in.opcode().equals("red");
            ScalarType t = type();
            AddressSpace space = stateSpace();
            Memory.AtomicOp op = null;
            for (String m : in.mods()) {
                Memory.AtomicOp x = switch (m) {
                    case ".and" -> Memory.AtomicOp.AND;
                    case ".or" -> Memory.AtomicOp.OR;
                    case ".xor" -> Memory.AtomicOp.XOR;
                    case ".cas" -> Memory.AtomicOp.CAS;
                    case ".exch" -> Memory.AtomicOp.EXCH;
                    case ".add" -> Memory.AtomicOp.ADD;
                    case ".inc" -> Memory.AtomicOp.INC;
                    case ".dec" -> Memory.AtomicOp.DEC;
                    case ".min" -> Memory.AtomicOp.MIN;
                    case ".max" -> Memory.AtomicOp.MAX;
                    default -> null;
                };
                if (x != null) op = x;
            }
            if (op == null) throw error("missing atomic operation");
            if (red && (op == Memory.AtomicOp.CAS || op == Memory.AtomicOp.EXCH)) throw error("red cannot " + op);
            // the ISA's defaults: .relaxed and .gpu
            Memory.Order o = has(".acquire") ? Memory.Order.ACQUIRE : has(".release") ? Memory.Order.RELEASE
                    : has(".acq_rel") ? Memory.Order.ACQ_REL : Memory.Order.RELAXED;
            Memory.Scope sc = scope();
            if (sc == null) sc = Memory.Scope.GPU;
            int base = red ? 0 : 1;
            boolean cas = op == Memory.AtomicOp.CAS;
            int want = base + 2 + (cas ? 1 : 0);
            if (nops() != want && nops() != want + 1) throw error("expected " + want + " operands");
            Reg d = red ? null : dstOrSink(op(0), t);
            Address a = address(op(base), space);
            Value x = val(base + 1, t);
            Value y = cas ? val(base + 2, t) : null;
            emit(new Inst.Atomic(op, space, t, o, sc, d, a, x, y));
        }

        void cpAsync() {
            if (has(".commit_group") || has(".wait_group") || has(".wait_all")) {
                // copies complete at once here, so there is never a group to wait for
                return;
            }
            only(".async", ".ca", ".cg", ".shared", ".shared::cta", ".global", ".L2::*");
            if (!has(".async") || !(has(".shared") || has(".shared::cta")) || !has(".global")) {
                throw error("expected cp.async.{ca,cg}.shared.global");
            }
            if (nops() < 3 || nops() > 5) throw error("expected cp.async [dst], [src], cp-size[, src-size]");
            long size = constant(op(2));
            long srcSize = size;
            if (nops() >= 4 && !has(".L2::cache_hint")) {
                srcSize = constant(op(3));
            } else if (nops() == 5) {
                srcSize = constant(op(3));
            }
            if (size != 4 && size != 8 && size != 16) throw error("cp-size must be 4, 8 or 16");
            if (srcSize < 0 || srcSize > size) throw error("src-size must be in 0..cp-size");
            // a synchronous copy is a valid completion of an asynchronous one
            Address d = address(op(0), AddressSpace.SHARED);
            Address s = address(op(1), AddressSpace.GLOBAL);
            int chunk = srcSize == size ? (int) Math.min(size, 8) : 1;
            ScalarType ct = chunk == 8 ? ScalarType.B64 : chunk == 4 ? ScalarType.B32 : ScalarType.B8;
            for (long off = 0; off < size; off += chunk) {
                Value v;
                if (off < srcSize) {
                    Reg r = tmp(ct);
                    emit(new Inst.Load(AddressSpace.GLOBAL, ct, Memory.Order.WEAK, null, Memory.Cache.DEFAULT, r,
                            new Address(s.base(), s.offset() + off)));
                    v = r;
                } else {
                    v = Const.of(ct, 0);
                }
                emit(new Inst.Store(AddressSpace.SHARED, ct, Memory.Order.WEAK, null,
                        new Address(d.base(), d.offset() + off), v));
            }
        }

        long constant(LOp o) {
            return switch (o) {
                case LOp.K k -> k.value().bits();
                case LOp.Int i -> i.value();
                default -> throw error("expected a constant, found " + o);
            };
        }

        // ---------------------------------------------------------------------------------------- synchronization

        void barrier() {
            if (has(".warp")) {
                only(".warp", ".sync");
                operands(1, 1);
                emit(new Inst.WarpSync(val(0, ScalarType.B32)));
                return;
            }
            only(".sync", ".arrive", ".red", ".popc", ".and", ".or", ".aligned", ".cta");
            if (has(".red")) {
                Inst.BarrierKind k = has(".popc") ? Inst.BarrierKind.RED_POPC : has(".and") ? Inst.BarrierKind.RED_AND
                        : has(".or") ? Inst.BarrierKind.RED_OR : null;
                if (k == null) throw error("bar.red needs .popc, .and or .or");
                operands(3, 4);
                ScalarType dt = k == Inst.BarrierKind.RED_POPC ? ScalarType.U32 : ScalarType.PRED;
                Value threads = nops() == 4 ? val(2, ScalarType.U32) : null;
                LOp p = op(nops() - 1);
                boolean neg = false;
                if (p instanceof LOp.Not n) {
                    neg = true;
                    p = n.op();
                }
                emit(new Inst.Barrier(k, val(1, ScalarType.U32), threads, dstOrSink(op(0), dt), val(p, ScalarType.PRED),
                        neg));
                return;
            }
            Inst.BarrierKind k = has(".arrive") ? Inst.BarrierKind.ARRIVE : Inst.BarrierKind.SYNC;
            if (!has(".sync") && !has(".arrive")) {
                // bar without .sync/.arrive (older PTX) is bar.sync
                k = Inst.BarrierKind.SYNC;
            }
            operands(k == Inst.BarrierKind.ARRIVE ? 2 : 1, 2);
            emit(new Inst.Barrier(k, val(0, ScalarType.U32), nops() == 2 ? val(1, ScalarType.U32) : null, null, null,
                    false));
        }

        void fence() {
            if (in.opcode().equals("membar")) {
                only(".cta", ".gl", ".sys");
                operands(0, 0);
                Memory.Scope s = has(".cta") ? Memory.Scope.CTA : has(".gl") ? Memory.Scope.GPU
                        : has(".sys") ? Memory.Scope.SYS : null;
                if (s == null) throw error("membar needs .cta, .gl or .sys");
                // membar.level has the semantics of fence.sc.level
                emit(new Inst.Fence(Memory.Order.SC, s));
                return;
            }
            only(".sc", ".acq_rel", ".acquire", ".release", ".cta", ".cluster", ".gpu", ".sys");
            operands(0, 0);
            Memory.Order o = has(".sc") ? Memory.Order.SC : has(".acquire") ? Memory.Order.ACQUIRE
                    : has(".release") ? Memory.Order.RELEASE : Memory.Order.ACQ_REL;
            Memory.Scope s = scope();
            if (s == null) throw error("fence needs a scope");
            emit(new Inst.Fence(o, s));
        }

        void shfl() {
            only(".sync", ".up", ".down", ".bfly", ".idx");
            Inst.ShuffleMode m = has(".up") ? Inst.ShuffleMode.UP : has(".down") ? Inst.ShuffleMode.DOWN
                    : has(".bfly") ? Inst.ShuffleMode.BFLY : has(".idx") ? Inst.ShuffleMode.IDX : null;
            if (m == null) throw error("shfl needs a mode");
            boolean sync = has(".sync");
            operands(sync ? 5 : 4, sync ? 5 : 4);
            LOp d = op(0);
            Reg valid = null;
            if (d instanceof LOp.Pair p) {
                d = p.first();
                valid = dstOrSink(p.second(), ScalarType.PRED);
            }
            Value mask = sync ? val(4, ScalarType.B32) : activeMask();
            emit(new Inst.Shuffle(m, dstOrSink(d, ScalarType.B32), valid, val(1, ScalarType.B32),
                    val(2, ScalarType.U32), val(3, ScalarType.U32), mask));
        }

        void vote() {
            only(".sync", ".all", ".any", ".uni", ".ballot");
            Inst.VoteMode m = has(".all") ? Inst.VoteMode.ALL : has(".any") ? Inst.VoteMode.ANY
                    : has(".uni") ? Inst.VoteMode.UNI : has(".ballot") ? Inst.VoteMode.BALLOT : null;
            if (m == null) throw error("vote needs a mode");
            boolean sync = has(".sync");
            operands(sync ? 3 : 2, sync ? 3 : 2);
            LOp p = op(1);
            boolean neg = false;
            if (p instanceof LOp.Not n) {
                neg = true;
                p = n.op();
            }
            Value mask = sync ? val(2, ScalarType.B32) : activeMask();
            emit(new Inst.Vote(m, dstOrSink(op(0), m == Inst.VoteMode.BALLOT ? ScalarType.B32 : ScalarType.PRED),
                    val(p, ScalarType.PRED), neg, mask));
        }

        /** The deprecated non-.sync shfl/vote act among the threads active now. */
        Reg activeMask() {
            Reg r = tmp(ScalarType.B32);
            emit(new Inst.ActiveMask(r));
            return r;
        }

        void match() {
            only(".sync", ".any", ".all");
            operands(3, 3);
            ScalarType t = type();
            boolean all = has(".all");
            if (all == has(".any")) throw error("match needs .any or .all");
            LOp d = op(0);
            Reg pred = null;
            if (d instanceof LOp.Pair p) {
                if (!all) throw error("match.any has no predicate result");
                d = p.first();
                pred = dstOrSink(p.second(), ScalarType.PRED);
            }
            emit(new Inst.Match(all, t, dstOrSink(d, ScalarType.B32), pred, val(1, t), val(2, ScalarType.B32)));
        }

        void redux() {
            only(".sync", ".add", ".min", ".max", ".and", ".or", ".xor");
            operands(3, 3);
            ScalarType t = type();
            Opcode op = has(".add") ? Opcode.ADD : has(".min") ? Opcode.MIN : has(".max") ? Opcode.MAX
                    : has(".and") ? Opcode.AND : has(".or") ? Opcode.OR : has(".xor") ? Opcode.XOR : null;
            if (op == null) throw error("redux needs an operation");
            emit(new Inst.Redux(op, t, dst(0), val(1, t), val(2, ScalarType.B32)));
        }

        // ---------------------------------------------------------------------------------------- control flow

        void bra() {
            only(".uni");
            operands(1, 1);
            if (!(op(0) instanceof LOp.Label l)) throw error("branch target " + op(0) + " is not a label");
            guardedTerminate(new Terminator.Branch(l.label()));
        }

        void brx() {
            only(".idx", ".uni");
            if (!has(".idx")) throw error("expected brx.idx");
            operands(2, 2);
            if (!(op(1) instanceof LOp.Targets t)) throw error(op(1) + " is not a .branchtargets list");
            if (t.labels().isEmpty()) throw error("empty .branchtargets list");
            Value idx = val(0, ScalarType.U32);
            guardedTerminate(new Terminator.Switch(idx, t.labels()));
        }

        void call() {
            only(".uni");
            List<LOp> ops = in.ops();
            int i = 0;
            List<LOp> rets = List.of();
            if (i < ops.size() && ops.get(i) instanceof LOp.Args a) {
                rets = a.elems();
                i++;
            }
            if (i >= ops.size()) throw error("missing call target");
            LOp target = ops.get(i++);
            List<LOp> args = List.of();
            if (i < ops.size() && ops.get(i) instanceof LOp.Args a) {
                args = a.elems();
                i++;
            }
            Prototype proto = null;
            if (i < ops.size()) {
                LOp p = ops.get(i++);
                if (p instanceof LOp.Proto pr) {
                    proto = pr.prototype();
                } else if (p instanceof LOp.Targets) {
                    proto = null; // candidate list: the signature comes from the first candidate below
                } else {
                    throw error("expected a call prototype, found " + p);
                }
            }
            if (i != ops.size()) throw error("unexpected operands after the call");
            String callee = null;
            Value fptr = null;
            if (target instanceof LOp.Sym s && s.kind() == LOp.SymKind.FUNCTION) {
                callee = s.name();
                FunctionUnit cu = unit.functions.get(callee);
                proto = new Prototype(callee, cu.returns, cu.params, cu.directives.noreturn(), cu.regAbi);
            } else if (target instanceof LOp.R r) {
                fptr = r.reg();
                if (proto == null) {
                    LOp last = ops.get(ops.size() - 1);
                    if (last instanceof LOp.Targets) {
                        throw error("indirect calls through a .calltargets list have no IR form yet");
                    }
                    throw error("an indirect call needs a prototype");
                }
            } else {
                throw error("call target " + target + " is not a function or register");
            }
            if (args.size() != proto.params().size()) {
                throw error("call passes " + args.size() + " arguments, " + proto.name() + " takes "
                        + proto.params().size());
            }
            if (rets.size() != proto.returns().size()) {
                throw error("call takes " + rets.size() + " results, " + proto.name() + " returns "
                        + proto.returns().size());
            }
            List<Value> argValues = new ArrayList<>();
            for (int k = 0; k < args.size(); k++) argValues.add(argument(args.get(k), proto.params().get(k)));
            List<Reg> results = new ArrayList<>();
            List<Runnable> after = new ArrayList<>();
            for (int k = 0; k < rets.size(); k++) result(rets.get(k), proto.returns().get(k), results, after);
            emit(new Inst.Call(callee, fptr, results, argValues));
            for (Runnable r : after) r.run();
            if (proto.noreturn()) {
                if (in.guard() != null) {
                    guardedTerminate(new Terminator.Unreachable());
                } else {
                    terminate(new Terminator.Unreachable());
                }
            }
        }

        Variable paramLocal(LOp.Sym s) {
            if (s.kind() != LOp.SymKind.LOCAL || s.space() != AddressSpace.PARAM) return null;
            for (Variable v : fu.locals) {
                if (v.name().equals(s.name())) return v;
            }
            return null;
        }

        /** The value passed for one parameter (see the class comment for the pre-lowering form). */
        Value argument(LOp a, Param p) {
            if (a instanceof LOp.Sym s && paramLocal(s) != null) {
                Variable v = paramLocal(s);
                if (s.offset() != 0) throw error("argument " + s + " must be a whole .param variable");
                if (CallingConvention.aggregate(p)) {
                    if (v.size() < p.size()) throw error("argument " + s.name() + " is smaller than " + p.name());
                    return new SymbolAddr(v.name(), AddressSpace.PARAM, unit.addressType());
                }
                if (v.size() < p.size()) throw error("argument " + s.name() + " is smaller than " + p.name());
                Reg r = tmp(p.type());
                emit(new Inst.Load(AddressSpace.PARAM, p.type(), Memory.Order.WEAK, null, Memory.Cache.DEFAULT, r,
                        new Address(new SymbolAddr(v.name(), AddressSpace.PARAM, unit.addressType()), 0)));
                return r;
            }
            if (CallingConvention.aggregate(p)) throw error("aggregate argument " + a + " must be a .param variable");
            Value v = val(a, p.type());
            if (v instanceof Reg r && r.type().bits() != p.type().bits()) {
                throw error("argument " + a + " has " + r.type().bits() + " bits, " + p.name() + " has "
                        + p.type().bits());
            }
            if (v instanceof Reg r && r.type() != p.type()) {
                Reg t = tmp(p.type());
                emit(new Inst.Mov(t, r));
                return t;
            }
            return v;
        }

        void result(LOp r, Param p, List<Reg> results, List<Runnable> after) {
            if (r instanceof LOp.Sym s && paramLocal(s) != null) {
                Variable v = paramLocal(s);
                if (v.size() < p.size()) throw error("result " + s.name() + " is smaller than " + p.name());
                SymbolAddr at = new SymbolAddr(v.name(), AddressSpace.PARAM, unit.addressType());
                if (CallingConvention.aggregate(p)) {
                    for (CallingConvention.Chunk c : CallingConvention.chunks(p)) {
                        Reg cr = tmp(c.type());
                        results.add(cr);
                        after.add(() -> emit(new Inst.Store(AddressSpace.PARAM, c.type(), Memory.Order.WEAK, null,
                                new Address(at, c.offset()), cr)));
                    }
                } else {
                    Reg cr = tmp(p.type());
                    results.add(cr);
                    after.add(() -> emit(new Inst.Store(AddressSpace.PARAM, p.type(), Memory.Order.WEAK, null,
                            new Address(at, 0), cr)));
                }
                return;
            }
            if (CallingConvention.aggregate(p)) throw error("aggregate result " + r + " must be a .param variable");
            if (r instanceof LOp.Sink) {
                results.add(tmp(p.type()));
                return;
            }
            if (!(r instanceof LOp.R rr)) throw error("result " + r + " must be a register or .param variable");
            if (rr.reg().type().bits() != p.type().bits()) {
                throw error("result " + r + " has " + rr.reg().type().bits() + " bits, " + p.name() + " has "
                        + p.type().bits());
            }
            if (rr.reg().type() == p.type()) {
                results.add(rr.reg());
            } else {
                Reg t = tmp(p.type());
                results.add(t);
                after.add(() -> emit(new Inst.Mov(rr.reg(), t)));
            }
        }
    }
}
