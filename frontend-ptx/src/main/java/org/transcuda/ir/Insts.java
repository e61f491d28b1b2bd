package org.transcuda.ir;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Generic rewriting of IR instructions and terminators: replace the values they read, the registers they write or
 * the labels they branch to. Shared by the front end's passes and by backends that transform the IR (inlining).
 */
public final class Insts {
    private Insts() {
    }

    private static List<Value> map(List<Value> vs, UnaryOperator<Value> f) {
        List<Value> out = new ArrayList<>(vs.size());
        for (Value v : vs) out.add(f.apply(v));
        return out;
    }

    private static Value opt(Value v, UnaryOperator<Value> f) {
        return v == null ? null : f.apply(v);
    }

    private static Address addr(Address a, UnaryOperator<Value> f) {
        Value b = f.apply(a.base());
        return b == a.base() ? a : new Address(b, a.offset());
    }

    private static Reg reg(Reg r, UnaryOperator<Reg> f) {
        return r == null ? null : f.apply(r);
    }

    /** The instruction with every value it reads (address bases included) replaced by {@code f}. */
    public static Inst mapUses(Inst i, UnaryOperator<Value> f) {
        return switch (i) {
            case Inst.Mov m -> new Inst.Mov(m.dst(), f.apply(m.src()));
            case Inst.Compute c -> new Inst.Compute(c.op(), c.type(), c.mode(), c.dst(), map(c.srcs(), f));
            case Inst.CarryArith c -> new Inst.CarryArith(c.op(), c.type(), c.dst(), c.carryOut(), map(c.srcs(), f),
                    c.carryIn() == null ? null : (Reg) f.apply(c.carryIn()));
            case Inst.Compare c -> new Inst.Compare(c.op(), c.type(), c.ftz(), c.dst(), f.apply(c.a()), f.apply(c.b()));
            case Inst.Convert c -> new Inst.Convert(c.to(), c.from(), c.mode(), c.dst(), f.apply(c.src()));
            case Inst.Cvta c -> new Inst.Cvta(c.space(), c.toGeneric(), c.dst(), f.apply(c.src()));
            case Inst.IsSpace s -> new Inst.IsSpace(s.space(), s.dst(), f.apply(s.address()));
            case Inst.Load l -> new Inst.Load(l.space(), l.type(), l.order(), l.scope(), l.cache(), l.dst(),
                    addr(l.address(), f));
            case Inst.Store s -> new Inst.Store(s.space(), s.type(), s.order(), s.scope(), addr(s.address(), f),
                    f.apply(s.src()));
            case Inst.Atomic a -> new Inst.Atomic(a.op(), a.space(), a.type(), a.order(), a.scope(), a.dst(),
                    addr(a.address(), f), f.apply(a.a()), opt(a.b(), f));
            case Inst.ReadSpecial r -> r;
            case Inst.Barrier b -> new Inst.Barrier(b.kind(), f.apply(b.id()), opt(b.threads(), f), b.dst(),
                    opt(b.pred(), f), b.negatePred());
            case Inst.Fence fe -> fe;
            case Inst.Shuffle s -> new Inst.Shuffle(s.mode(), s.dst(), s.valid(), f.apply(s.a()), f.apply(s.b()),
                    f.apply(s.c()), f.apply(s.memberMask()));
            case Inst.Vote v -> new Inst.Vote(v.mode(), v.dst(), f.apply(v.pred()), v.negate(), f.apply(v.memberMask()));
            case Inst.Match m -> new Inst.Match(m.all(), m.type(), m.dst(), m.allEqual(), f.apply(m.value()),
                    f.apply(m.memberMask()));
            case Inst.Redux r -> new Inst.Redux(r.op(), r.type(), r.dst(), f.apply(r.value()), f.apply(r.memberMask()));
            case Inst.ActiveMask a -> a;
            case Inst.WarpSync w -> new Inst.WarpSync(f.apply(w.memberMask()));
            case Inst.Call c -> new Inst.Call(c.callee(), opt(c.target(), f), c.results(), map(c.args(), f));
            case Inst.Unsupported u -> u;
        };
    }

    /** The instruction with every register it writes replaced by {@code f}. */
    public static Inst mapDefs(Inst i, UnaryOperator<Reg> f) {
        return switch (i) {
            case Inst.Mov m -> new Inst.Mov(f.apply(m.dst()), m.src());
            case Inst.Compute c -> new Inst.Compute(c.op(), c.type(), c.mode(), f.apply(c.dst()), c.srcs());
            case Inst.CarryArith c -> new Inst.CarryArith(c.op(), c.type(), f.apply(c.dst()), reg(c.carryOut(), f),
                    c.srcs(), c.carryIn());
            case Inst.Compare c -> new Inst.Compare(c.op(), c.type(), c.ftz(), f.apply(c.dst()), c.a(), c.b());
            case Inst.Convert c -> new Inst.Convert(c.to(), c.from(), c.mode(), f.apply(c.dst()), c.src());
            case Inst.Cvta c -> new Inst.Cvta(c.space(), c.toGeneric(), f.apply(c.dst()), c.src());
            case Inst.IsSpace s -> new Inst.IsSpace(s.space(), f.apply(s.dst()), s.address());
            case Inst.Load l -> new Inst.Load(l.space(), l.type(), l.order(), l.scope(), l.cache(), f.apply(l.dst()),
                    l.address());
            case Inst.Store s -> s;
            case Inst.Atomic a -> new Inst.Atomic(a.op(), a.space(), a.type(), a.order(), a.scope(), reg(a.dst(), f),
                    a.address(), a.a(), a.b());
            case Inst.ReadSpecial r -> new Inst.ReadSpecial(r.which(), f.apply(r.dst()));
            case Inst.Barrier b -> new Inst.Barrier(b.kind(), b.id(), b.threads(), reg(b.dst(), f), b.pred(),
                    b.negatePred());
            case Inst.Fence fe -> fe;
            case Inst.Shuffle s -> new Inst.Shuffle(s.mode(), f.apply(s.dst()), reg(s.valid(), f), s.a(), s.b(), s.c(),
                    s.memberMask());
            case Inst.Vote v -> new Inst.Vote(v.mode(), f.apply(v.dst()), v.pred(), v.negate(), v.memberMask());
            case Inst.Match m -> new Inst.Match(m.all(), m.type(), f.apply(m.dst()), reg(m.allEqual(), f), m.value(),
                    m.memberMask());
            case Inst.Redux r -> new Inst.Redux(r.op(), r.type(), f.apply(r.dst()), r.value(), r.memberMask());
            case Inst.ActiveMask a -> new Inst.ActiveMask(f.apply(a.dst()));
            case Inst.WarpSync w -> w;
            case Inst.Call c -> {
                List<Reg> rs = new ArrayList<>();
                for (Reg r : c.results()) rs.add(f.apply(r));
                yield new Inst.Call(c.callee(), c.target(), rs, c.args());
            }
            case Inst.Unsupported u -> u;
        };
    }

    /** The terminator with the values it reads replaced. */
    public static Terminator mapUses(Terminator t, UnaryOperator<Value> f) {
        return switch (t) {
            case Terminator.CondBranch c -> new Terminator.CondBranch(f.apply(c.pred()), c.ifTrue(), c.ifFalse());
            case Terminator.Switch s -> new Terminator.Switch(f.apply(s.index()), s.targets());
            default -> t;
        };
    }

    /** The terminator with its successor labels replaced. */
    public static Terminator mapTargets(Terminator t, UnaryOperator<String> f) {
        return switch (t) {
            case Terminator.Branch b -> new Terminator.Branch(f.apply(b.target()));
            case Terminator.CondBranch c -> new Terminator.CondBranch(c.pred(), f.apply(c.ifTrue()), f.apply(c.ifFalse()));
            case Terminator.Switch s -> {
                List<String> ts = new ArrayList<>();
                for (String x : s.targets()) ts.add(f.apply(x));
                yield new Terminator.Switch(s.index(), ts);
            }
            default -> t;
        };
    }

    /**
     * Whether {@code i}'s result may differ between the threads of a block whatever its operands: per-thread special
     * registers, loads other than kernel parameters and constant memory, atomics, warp collectives, calls and
     * unsupported instructions (the seed of a block-uniformity analysis; {@code kernel}: {@code i} is in a kernel,
     * whose parameters are the same for every thread).
     */
    public static boolean perThread(Inst i, boolean kernel) {
        return switch (i) {
            case Inst.ReadSpecial rs -> !rs.which().blockUniform();
            case Inst.Load l -> !(l.space() == AddressSpace.PARAM && kernel) && l.space() != AddressSpace.CONST;
            case Inst.Atomic a -> true;
            case Inst.Shuffle s -> true;
            case Inst.Vote v -> true;
            case Inst.Match m -> true;
            case Inst.Redux r -> true;
            case Inst.ActiveMask a -> true;
            case Inst.Call c -> true;
            case Inst.Unsupported u -> true;
            default -> false;
        };
    }

    /** Whether the instruction only computes its destinations (no memory, synchronization or control effects). */
    public static boolean pure(Inst i) {
        return switch (i) {
            case Inst.Mov m -> true;
            case Inst.Compute c -> true;
            case Inst.CarryArith c -> true;
            case Inst.Compare c -> true;
            case Inst.Convert c -> true;
            case Inst.Cvta c -> true;
            case Inst.IsSpace s -> true;
            case Inst.ReadSpecial r -> true;
            case Inst.ActiveMask a -> false; // convergence-dependent: keep where written
            default -> false;
        };
    }
}
