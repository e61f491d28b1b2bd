package org.transcuda.ptx.translate;

import java.util.ArrayList;
import java.util.List;
import org.transcuda.ir.Block;
import org.transcuda.ir.Const;
import org.transcuda.ir.Function;
import org.transcuda.ir.Inst;
import org.transcuda.ir.IrPrinter;
import org.transcuda.ir.Module;
import org.transcuda.ir.Reg;
import org.transcuda.ir.ScalarType;
import org.transcuda.ir.Stmt;
import org.transcuda.ir.SymbolAddr;
import org.transcuda.ir.Terminator;
import org.transcuda.ir.Value;
import org.transcuda.ptx.pass.ImplicitConversions;

/**
 * The operand-type contract of translated IR (what ImplicitConversions promises backends), checked independently
 * of the pass: every operand has the type its instruction reads and every destination the type it writes, where
 * .b/.u/.s types of one width stand for each other; constants have exactly the type read; moves keep the width.
 */
final class TypeContract {
    private TypeContract() {
    }

    static boolean compatible(ScalarType have, ScalarType want) {
        if (have == want) return true;
        boolean hi = have.kind() == ScalarType.Kind.BITS || have.kind() == ScalarType.Kind.UNSIGNED
                || have.kind() == ScalarType.Kind.SIGNED;
        boolean wi = want.kind() == ScalarType.Kind.BITS || want.kind() == ScalarType.Kind.UNSIGNED
                || want.kind() == ScalarType.Kind.SIGNED;
        return hi && wi && have.bits() == want.bits();
    }

    static List<String> check(Module m) {
        List<String> out = new ArrayList<>();
        for (Function f : m.functions()) {
            for (Block b : f.blocks()) {
                for (Stmt s : b.stmts()) {
                    String p = problem(s.inst());
                    if (p != null) out.add(f.name() + ": " + IrPrinter.inst(s.inst()) + ": " + p);
                }
                if (b.terminator() instanceof Terminator.Switch sw) {
                    String p = use(sw.index(), ScalarType.U32);
                    if (p != null) out.add(f.name() + ": switch: " + p);
                }
            }
        }
        return out;
    }

    private static String use(Value v, ScalarType want) {
        if (v == null) return null;
        if (v instanceof Const c) return c.type() == want ? null : "constant " + c + " is not " + want.ptxName();
        if (v instanceof SymbolAddr a) return compatible(a.type(), want) ? null : a + " is not " + want.ptxName();
        return compatible(v.type(), want) ? null : v + v.type().ptxName() + " read as " + want.ptxName();
    }

    private static String def(Reg r, ScalarType want) {
        if (r == null) return null;
        return compatible(r.type(), want) ? null : r + r.type().ptxName() + " written as " + want.ptxName();
    }

    private static String first(String... ps) {
        for (String p : ps) if (p != null) return p;
        return null;
    }

    private static String problem(Inst i) {
        return switch (i) {
            case Inst.Mov mv -> mv.src().type().bits() != mv.dst().type().bits() ? "mov changes width"
                    : mv.src() instanceof Const c && c.type() != mv.dst().type() ? "constant not of the destination type"
                    : null;
            case Inst.Compute c -> {
                ScalarType[] ts = ImplicitConversions.operandTypes(c);
                String p = def(c.dst(), ts[ts.length - 1]);
                for (int k = 0; k < c.srcs().size() && p == null; k++) p = use(c.srcs().get(k), ts[k]);
                yield p;
            }
            case Inst.CarryArith c -> {
                String p = def(c.dst(), c.type());
                for (Value v : c.srcs()) p = p == null ? use(v, c.type()) : p;
                yield first(p, def(c.carryOut(), ScalarType.PRED), use(c.carryIn(), ScalarType.PRED));
            }
            case Inst.Compare c -> first(def(c.dst(), ScalarType.PRED), use(c.a(), c.type()), use(c.b(), c.type()));
            case Inst.Convert c -> first(def(c.dst(), c.to()), use(c.src(), c.from()));
            case Inst.Cvta c -> first(use(c.src(), c.dst().type()));
            case Inst.Load l -> first(def(l.dst(), l.type()), address(l.address().base()));
            case Inst.Store st -> first(use(st.src(), st.type()), address(st.address().base()));
            case Inst.Atomic a -> first(def(a.dst(), a.type()), use(a.a(), a.type()), use(a.b(), a.type()),
                    address(a.address().base()));
            case Inst.ReadSpecial r -> def(r.dst(), r.which().type());
            case Inst.Barrier b -> first(use(b.id(), ScalarType.U32), use(b.threads(), ScalarType.U32),
                    use(b.pred(), ScalarType.PRED));
            case Inst.Shuffle s -> first(def(s.dst(), ScalarType.B32), use(s.a(), ScalarType.B32),
                    use(s.b(), ScalarType.U32), use(s.c(), ScalarType.U32), use(s.memberMask(), ScalarType.B32));
            case Inst.Vote v -> first(use(v.pred(), ScalarType.PRED), use(v.memberMask(), ScalarType.B32));
            case Inst.Match mt -> first(def(mt.dst(), ScalarType.B32), use(mt.value(), mt.type()),
                    use(mt.memberMask(), ScalarType.B32));
            case Inst.Redux r -> first(def(r.dst(), r.type()), use(r.value(), r.type()),
                    use(r.memberMask(), ScalarType.B32));
            case Inst.ActiveMask a -> def(a.dst(), ScalarType.B32);
            case Inst.WarpSync w -> use(w.memberMask(), ScalarType.B32);
            default -> null;
        };
    }

    private static String address(Value base) {
        if (base instanceof Reg r && !(compatible(r.type(), ScalarType.U64) || compatible(r.type(), ScalarType.U32))) {
            return "address " + r + r.type().ptxName() + " is not an integer";
        }
        return null;
    }
}
