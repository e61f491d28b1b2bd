package org.transcuda.ptx.pass;

import java.util.ArrayList;
import java.util.List;
import org.transcuda.ir.Block;
import org.transcuda.ir.Const;
import org.transcuda.ir.FloatMode;
import org.transcuda.ir.Function;
import org.transcuda.ir.Inst;
import org.transcuda.ir.Module;
import org.transcuda.ir.Reg;
import org.transcuda.ir.ScalarType;
import org.transcuda.ir.Stmt;
import org.transcuda.ir.SymbolAddr;
import org.transcuda.ir.Terminator;
import org.transcuda.ir.Value;
import org.transcuda.ptx.lower.PtxTypes;

/**
 * Pass {@code implicit-conversions}: PTX's relaxed type rules made explicit. After it, every operand has the type the
 * instruction reads or writes, up to one freedom: {@code .b}, {@code .u} and {@code .s} types of the same width
 * stand for each other (an integer register is bits; the instruction's type says how it reads them). Concretely:
 * <ul>
 * <li>A register of another family but the same width (a {@code .b32} register in {@code add.f32}, an {@code .f32}
 * register in {@code and.b32}, a {@code .b16} register in {@code add.f16}) is bit-cast with a {@code mov} through a
 * temporary of the instruction's type, before a read or after a write.</li>
 * <li>{@code ld}, {@code st} and {@code cvt} may use registers wider than their type (PTX's "operand size exceeding
 * instruction-type size"): a wider source is truncated to the type's width; a wider destination receives the value
 * sign-extended for signed types and zero-extended otherwise ({@code ld.s32} into a 64-bit register, {@code cvt.s32.s8}
 * of a 32-bit register, {@code cvt.u16.u32} into a 32-bit register). These become {@code cvt}s (and moves for float
 * registers).</li>
 * <li>Constants get exactly the operand's type; symbol addresses the width of the integer they stand for.</li>
 * </ul>
 * Anything else PTX does not allow either (a 64-bit register in a 32-bit add) makes the function untranslatable.
 */
public final class ImplicitConversions {
    private ImplicitConversions() {
    }

    public static Module run(Module m) {
        return PassSupport.perFunction(m, "implicit-conversions", ImplicitConversions::function);
    }

    static Function function(Function f) {
        FunctionEditor ed = new FunctionEditor(f);
        List<Block> blocks = new ArrayList<>();
        for (Block b : f.blocks()) {
            List<Stmt> out = new ArrayList<>(b.stmts().size() + 8);
            for (Stmt s : b.stmts()) {
                Fixer fx = new Fixer(ed, s);
                Inst i = fx.fix(s.inst());
                Reg g = s.guard();
                if (g != null && !fx.after.isEmpty() && i.defs().contains(g)) {
                    Reg snap = ed.temp(ScalarType.PRED);
                    out.add(new Stmt(new Inst.Mov(snap, g), null, false, s.loc()));
                    g = snap;
                }
                for (Inst x : fx.before) out.add(new Stmt(x, g, s.negateGuard(), s.loc()));
                out.add(new Stmt(i, g, s.negateGuard(), s.loc()));
                for (Inst x : fx.after) out.add(new Stmt(x, g, s.negateGuard(), s.loc()));
            }
            Fixer fx = new Fixer(ed, null);
            Terminator t = b.terminator();
            if (t instanceof Terminator.Switch sw) {
                t = new Terminator.Switch(fx.use(sw.index(), ScalarType.U32, false), sw.targets());
                for (Inst x : fx.before) out.add(new Stmt(x, null, false, null));
            }
            blocks.add(new Block(b.label(), out, t));
        }
        return ed.build(blocks);
    }

    /** Whether a value of type {@code have} may stand where {@code want} is read or written. */
    static boolean compatible(ScalarType have, ScalarType want) {
        return have == want || (PtxTypes.isIntLike(have) && PtxTypes.isIntLike(want) && have.bits() == want.bits());
    }

    private static final class Fixer {
        final FunctionEditor ed;
        final Stmt s;
        final List<Inst> before = new ArrayList<>();
        final List<Inst> after = new ArrayList<>();

        Fixer(FunctionEditor ed, Stmt s) {
            this.ed = ed;
            this.s = s;
        }

        PassSupport.Failure fail(String message) {
            return PassSupport.Failure.at(s == null ? null : s.loc(), ed.f.name(), message);
        }

        Value use(Value v, ScalarType e, boolean relaxed) {
            switch (v) {
                case Const c -> {
                    if (c.type() == e) return c;
                    if (e == ScalarType.PRED || c.type() == ScalarType.PRED) {
                        if (e == c.type()) return c;
                        throw fail("constant " + c + " used as " + e.ptxName());
                    }
                    if (c.type().bits() == e.bits() || PtxTypes.isIntLike(c.type()) && PtxTypes.isIntLike(e)) {
                        return Const.of(e, c.type().kind() == ScalarType.Kind.SIGNED ? c.signed() : c.bits());
                    }
                    throw fail("constant " + c + " used as " + e.ptxName());
                }
                case SymbolAddr a -> {
                    if (!PtxTypes.isIntLike(e) || (e.bits() != 32 && e.bits() != 64)) {
                        throw fail("address " + a + " used as " + e.ptxName());
                    }
                    ScalarType at = e.bits() == 32 ? ScalarType.U32 : ScalarType.U64;
                    return at == a.type() ? a : new SymbolAddr(a.symbol(), a.space(), at);
                }
                case Reg r -> {
                    ScalarType h = r.type();
                    if (compatible(h, e)) return r;
                    if ((h == ScalarType.PRED) != (e == ScalarType.PRED)) {
                        throw fail("operand " + r + h.ptxName() + " used as " + e.ptxName());
                    }
                    if (h.bits() == e.bits()) {
                        Reg t = ed.temp(e);
                        before.add(new Inst.Mov(t, r));
                        return t;
                    }
                    if (relaxed && h.bits() > e.bits() && e.bits() >= 8) {
                        // truncate to the instruction's width
                        Value src = r;
                        ScalarType hu = PtxTypes.intType(h.bits(), false);
                        if (!PtxTypes.isIntLike(h)) {
                            Reg t0 = ed.temp(hu);
                            before.add(new Inst.Mov(t0, r));
                            src = t0;
                        }
                        ScalarType eu = PtxTypes.intType(e.bits(), false);
                        Reg t1 = ed.temp(PtxTypes.isIntLike(e) ? e : eu);
                        before.add(new Inst.Convert(eu, hu, FloatMode.NONE, t1, src));
                        if (PtxTypes.isIntLike(e)) return t1;
                        Reg t2 = ed.temp(e);
                        before.add(new Inst.Mov(t2, t1));
                        return t2;
                    }
                    throw fail("operand " + r + " has " + h.bits() + " bits (" + h.ptxName() + "), the instruction reads "
                            + e.ptxName());
                }
            }
        }

        Reg def(Reg d, ScalarType e, boolean relaxed) {
            if (d == null) return null;
            ScalarType h = d.type();
            if (compatible(h, e)) return d;
            if ((h == ScalarType.PRED) != (e == ScalarType.PRED)) {
                throw fail("destination " + d + h.ptxName() + " written as " + e.ptxName());
            }
            if (h.bits() == e.bits()) {
                Reg t = ed.temp(e);
                after.add(new Inst.Mov(d, t));
                return t;
            }
            if (relaxed && h.bits() > e.bits() && e.bits() >= 8) {
                Reg t = ed.temp(e);
                Value src = t;
                boolean signed = e.kind() == ScalarType.Kind.SIGNED;
                ScalarType from = PtxTypes.intType(e.bits(), signed);
                if (!PtxTypes.isIntLike(e)) {
                    Reg t2 = ed.temp(from);
                    after.add(new Inst.Mov(t2, t));
                    src = t2;
                }
                ScalarType to = PtxTypes.intType(h.bits(), signed);
                if (PtxTypes.isIntLike(h)) {
                    after.add(new Inst.Convert(to, from, FloatMode.NONE, d, src));
                } else {
                    Reg t3 = ed.temp(to);
                    after.add(new Inst.Convert(to, from, FloatMode.NONE, t3, src));
                    after.add(new Inst.Mov(d, t3));
                }
                return t;
            }
            throw fail("destination " + d + " has " + h.bits() + " bits (" + h.ptxName() + "), the instruction writes "
                    + e.ptxName());
        }

        Reg pred(Reg r) {
            if (r != null && r.type() != ScalarType.PRED) throw fail(r + " is not a predicate");
            return r;
        }

        Value predUse(Value v) {
            if (v == null) return null;
            return use(v, ScalarType.PRED, false);
        }

        Value addressBase(Value b) {
            if (b instanceof Reg r && !(PtxTypes.isIntLike(r.type()) && (r.type().bits() == 32 || r.type().bits() == 64))) {
                throw fail("address register " + r + r.type().ptxName() + " is not a 32- or 64-bit integer");
            }
            return b;
        }

        org.transcuda.ir.Address address(org.transcuda.ir.Address a) {
            Value b = addressBase(a.base());
            return b == a.base() ? a : new org.transcuda.ir.Address(b, a.offset());
        }

        Inst fix(Inst inst) {
            return switch (inst) {
                case Inst.Mov m -> {
                    Value src = m.src();
                    if (src instanceof Const) src = use(src, m.dst().type(), false);
                    if (src instanceof SymbolAddr a) {
                        src = use(a, PtxTypes.isIntLike(m.dst().type()) ? m.dst().type() : a.type(), false);
                    }
                    if (src.type().bits() != m.dst().type().bits()) {
                        throw fail("mov between " + src.type().ptxName() + " and " + m.dst().type().ptxName());
                    }
                    yield new Inst.Mov(m.dst(), src);
                }
                case Inst.Compute c -> {
                    ScalarType[] ts = computeTypes(c);
                    List<Value> srcs = new ArrayList<>();
                    for (int k = 0; k < c.srcs().size(); k++) srcs.add(use(c.srcs().get(k), ts[k], false));
                    Reg d = def(c.dst(), ts[ts.length - 1], false);
                    yield new Inst.Compute(c.op(), c.type(), c.mode(), d, srcs);
                }
                case Inst.CarryArith c -> {
                    List<Value> srcs = new ArrayList<>();
                    for (Value v : c.srcs()) srcs.add(use(v, c.type(), false));
                    yield new Inst.CarryArith(c.op(), c.type(), def(c.dst(), c.type(), false), pred(c.carryOut()), srcs,
                            pred(c.carryIn()));
                }
                case Inst.Compare c -> new Inst.Compare(c.op(), c.type(), c.ftz(), pred(c.dst()),
                        use(c.a(), c.type(), false), use(c.b(), c.type(), false));
                case Inst.Convert c -> {
                    Value src = use(c.src(), c.from(), true);
                    yield new Inst.Convert(c.to(), c.from(), c.mode(), def(c.dst(), c.to(), true), src);
                }
                case Inst.Cvta c -> {
                    ScalarType at = c.dst().type().bits() == 32 ? ScalarType.U32 : ScalarType.U64;
                    Value src = use(c.src(), at, false);
                    yield new Inst.Cvta(c.space(), c.toGeneric(), def(c.dst(), at, false), src);
                }
                case Inst.IsSpace i -> {
                    ScalarType at = i.address().type().bits() == 32 ? ScalarType.U32 : ScalarType.U64;
                    yield new Inst.IsSpace(i.space(), pred(i.dst()), use(i.address(), at, false));
                }
                case Inst.Load l -> {
                    org.transcuda.ir.Address a = address(l.address());
                    yield new Inst.Load(l.space(), l.type(), l.order(), l.scope(), l.cache(), def(l.dst(), l.type(), true),
                            a);
                }
                case Inst.Store st -> new Inst.Store(st.space(), st.type(), st.order(), st.scope(), address(st.address()),
                        use(st.src(), st.type(), true));
                case Inst.Atomic a -> {
                    org.transcuda.ir.Address ad = address(a.address());
                    Value x = use(a.a(), a.type(), false);
                    Value y = a.b() == null ? null : use(a.b(), a.type(), false);
                    yield new Inst.Atomic(a.op(), a.space(), a.type(), a.order(), a.scope(), def(a.dst(), a.type(), false),
                            ad, x, y);
                }
                case Inst.ReadSpecial r -> new Inst.ReadSpecial(r.which(), def(r.dst(), r.which().type(), false));
                case Inst.Barrier b -> {
                    Value id = use(b.id(), ScalarType.U32, false);
                    Value th = b.threads() == null ? null : use(b.threads(), ScalarType.U32, false);
                    Value p = predUse(b.pred());
                    Reg d = b.dst() == null ? null : def(b.dst(), b.kind() == Inst.BarrierKind.RED_POPC ? ScalarType.U32
                            : ScalarType.PRED, false);
                    yield new Inst.Barrier(b.kind(), id, th, d, p, b.negatePred());
                }
                case Inst.Fence fe -> fe;
                case Inst.Shuffle sh -> {
                    Value a = use(sh.a(), ScalarType.B32, false);
                    Value b = use(sh.b(), ScalarType.U32, false);
                    Value c = use(sh.c(), ScalarType.U32, false);
                    Value m = use(sh.memberMask(), ScalarType.B32, false);
                    yield new Inst.Shuffle(sh.mode(), def(sh.dst(), ScalarType.B32, false), pred(sh.valid()), a, b, c, m);
                }
                case Inst.Vote v -> {
                    Value p = predUse(v.pred());
                    Value m = use(v.memberMask(), ScalarType.B32, false);
                    Reg d = def(v.dst(), v.mode() == Inst.VoteMode.BALLOT ? ScalarType.B32 : ScalarType.PRED, false);
                    yield new Inst.Vote(v.mode(), d, p, v.negate(), m);
                }
                case Inst.Match m -> {
                    Value val = use(m.value(), m.type(), false);
                    Value mask = use(m.memberMask(), ScalarType.B32, false);
                    yield new Inst.Match(m.all(), m.type(), def(m.dst(), ScalarType.B32, false), pred(m.allEqual()), val,
                            mask);
                }
                case Inst.Redux r -> {
                    Value val = use(r.value(), r.type(), false);
                    Value mask = use(r.memberMask(), ScalarType.B32, false);
                    yield new Inst.Redux(r.op(), r.type(), def(r.dst(), r.type(), false), val, mask);
                }
                case Inst.ActiveMask a -> new Inst.ActiveMask(def(a.dst(), ScalarType.B32, false));
                case Inst.WarpSync w -> new Inst.WarpSync(use(w.memberMask(), ScalarType.B32, false));
                case Inst.Call c -> c;
                case Inst.Unsupported u -> u;
            };
        }
    }

    /** The types a Compute reads (in order) and, last, the type it writes. */
    static ScalarType[] computeTypes(Inst.Compute c) {
        ScalarType t = c.type();
        return switch (c.op()) {
            case MUL_WIDE -> new ScalarType[] {t, t, PtxTypes.wide(t)};
            case MAD_WIDE -> new ScalarType[] {t, t, PtxTypes.wide(t), PtxTypes.wide(t)};
            case SHL, SHR -> new ScalarType[] {t, ScalarType.U32, t};
            case SHF_L_CLAMP, SHF_L_WRAP, SHF_R_CLAMP, SHF_R_WRAP ->
                    new ScalarType[] {ScalarType.B32, ScalarType.B32, ScalarType.U32, ScalarType.B32};
            case BFE -> new ScalarType[] {t, ScalarType.U32, ScalarType.U32, t};
            case BFI -> new ScalarType[] {t, t, ScalarType.U32, ScalarType.U32, t};
            case PRMT, PRMT_F4E, PRMT_B4E, PRMT_RC8, PRMT_ECL, PRMT_ECR, PRMT_RC16 ->
                    new ScalarType[] {ScalarType.B32, ScalarType.B32, ScalarType.B32, ScalarType.B32};
            case SELP -> new ScalarType[] {t, t, ScalarType.PRED, t};
            case POPC, CLZ, BFIND, BFIND_SHIFTAMT -> new ScalarType[] {t, ScalarType.U32};
            case TESTP_FINITE, TESTP_INFINITE, TESTP_NUMBER, TESTP_NAN, TESTP_NORMAL, TESTP_SUBNORMAL ->
                    new ScalarType[] {t, ScalarType.PRED};
            case DP4A -> new ScalarType[] {ScalarType.B32, ScalarType.B32, t, t};
            default -> {
                ScalarType[] ts = new ScalarType[c.op().arity() + 1];
                java.util.Arrays.fill(ts, t);
                yield ts;
            }
        };
    }

    /** For the type checker of the tests: the types a Compute reads and writes (see {@link #computeTypes}). */
    public static ScalarType[] operandTypes(Inst.Compute c) {
        return computeTypes(c);
    }
}
