package org.transcuda.ptx.pass;

import java.util.ArrayList;
import java.util.List;
import org.transcuda.ir.Const;
import org.transcuda.ir.Reg;
import org.transcuda.ir.ScalarType;
import org.transcuda.ptx.lower.FunctionUnit;
import org.transcuda.ptx.lower.LOp;
import org.transcuda.ptx.lower.LStmt;
import org.transcuda.ptx.lower.Literals;
import org.transcuda.ptx.lower.OperandTypes;
import org.transcuda.ptx.lower.PtxTypes;
import org.transcuda.ptx.lower.PtxUnit;

/**
 * Pass {@code expand-operands}: after it, every operand instruction selection sees is scalar and typed.
 * <ul>
 * <li>Vector loads and stores ({@code ld/st/ldu .v2/.v4/.v8}) become one scalar access per element at consecutive
 * offsets (sinks {@code _} skipped; when a destination is also the address register, the elements are loaded into
 * temporaries first). Vector-to-vector {@code mov} becomes element moves through temporaries.</li>
 * <li>Addresses are {@code [base+offset]} with the whole offset outside the base: {@code [var+8]} is
 * {@code [var]+8}.</li>
 * <li>A symbol with an offset used as a value ({@code mov.u64 %rd, arr+8}) becomes a {@code mov} of its address
 * and an {@code add}.</li>
 * <li>Immediates get the type PTX gives their operand ({@link OperandTypes}).</li>
 * </ul>
 * The vector operands of {@code mov} pack/unpack ({@code mov.b64 %rd, {%r1, %r2}}) stay: instruction selection
 * expresses them with shifts and conversions.
 */
public final class ExpandOperands {
    private ExpandOperands() {
    }

    public static PtxUnit run(PtxUnit unit) {
        for (FunctionUnit fu : unit.functions.values()) {
            if (fu.problem != null || !fu.defined) continue;
            List<LStmt> out = new ArrayList<>(fu.body.size() + 16);
            for (LStmt s : fu.body) {
                try {
                    if (s instanceof LStmt.Ins in) {
                        expand(unit, fu, in, out);
                    } else {
                        out.add(s);
                    }
                } catch (RuntimeException e) {
                    fu.fail(s.pos(), "internal error in pass expand-operands: " + e);
                }
                if (fu.problem != null) break;
            }
            fu.body = out;
        }
        return unit;
    }

    private static void expand(PtxUnit unit, FunctionUnit fu, LStmt.Ins in, List<LStmt> out) {
        List<LOp> ops = new ArrayList<>(in.ops().size());
        for (int i = 0; i < in.ops().size(); i++) {
            LOp op = in.ops().get(i);
            ops.add(normalize(unit, fu, in, op, out));
        }
        in = in.withOps(ops);
        // type literals
        List<LOp> typed = new ArrayList<>(ops.size());
        for (int i = 0; i < ops.size(); i++) typed.add(type(in, i, ops.get(i)));
        in = in.withOps(typed);
        String op = in.opcode();
        if ((op.equals("ld") || op.equals("ldu") || op.equals("st")) && vectorWidth(in) > 1) {
            splitMemory(fu, in, out);
        } else if (op.equals("mov") && in.ops().size() == 2 && in.ops().get(0) instanceof LOp.Vec d
                && in.ops().get(1) instanceof LOp.Vec s) {
            splitMov(fu, in, d, s, out);
        } else {
            out.add(in);
        }
    }

    /** Moves symbol offsets into memory offsets, and materializes symbol+offset values. */
    private static LOp normalize(PtxUnit unit, FunctionUnit fu, LStmt.Ins in, LOp op, List<LStmt> out) {
        return switch (op) {
            case LOp.Mem m when m.base() instanceof LOp.Sym s && s.offset() != 0 ->
                    new LOp.Mem(s.withOffset(0), m.offset() + s.offset());
            case LOp.Sym s when s.offset() != 0 && !isCallOrBranch(in) -> {
                ScalarType at = unit.addressType();
                Reg base = fu.temp(at);
                Reg sum = fu.temp(at);
                String tm = at == ScalarType.U32 ? ".u32" : ".u64";
                out.add(new LStmt.Ins("mov", List.of(tm), null, false,
                        List.of(new LOp.R(base), s.withOffset(0)), in.loc(), in.pos()));
                out.add(new LStmt.Ins("add", List.of(tm), null, false,
                        List.of(new LOp.R(sum), new LOp.R(base), new LOp.K(Const.of(at, s.offset()))), in.loc(),
                        in.pos()));
                yield new LOp.R(sum);
            }
            case LOp.Vec v -> {
                List<LOp> es = new ArrayList<>();
                for (LOp e : v.elems()) es.add(normalize(unit, fu, in, e, out));
                yield new LOp.Vec(es);
            }
            default -> op;
        };
    }

    private static boolean isCallOrBranch(LStmt.Ins in) {
        return in.opcode().equals("call") || in.opcode().equals("bra") || in.opcode().equals("brx");
    }

    private static LOp type(LStmt.Ins in, int index, LOp op) {
        if (op instanceof LOp.Int || op instanceof LOp.Flt) {
            ScalarType t = OperandTypes.of(in, index);
            if (t == null) return op;
            Const c = Literals.constant(op, t);
            return c == null ? op : new LOp.K(c);
        }
        if (op instanceof LOp.Vec v) {
            ScalarType t = OperandTypes.of(in, index);
            if (t == null) return op;
            // the elements of a vector operand have the element type (or a part of the packed type for mov)
            int n = v.elems().size();
            ScalarType et = t;
            if (in.opcode().equals("mov") && n > 1 && t.bits() % n == 0 && t.bits() / n >= 8) {
                et = PtxTypes.bitsType(t.bits() / n);
            }
            List<LOp> es = new ArrayList<>();
            for (LOp e : v.elems()) {
                Const c = (e instanceof LOp.Int || e instanceof LOp.Flt) ? Literals.constant(e, et) : null;
                es.add(c == null ? e : new LOp.K(c));
            }
            return new LOp.Vec(es);
        }
        return op;
    }

    private static int vectorWidth(LStmt.Ins in) {
        for (String m : in.mods()) {
            switch (m) {
                case ".v2":
                    return 2;
                case ".v4":
                    return 4;
                case ".v8":
                    return 8;
                default:
                    break;
            }
        }
        return 1;
    }

    private static void splitMemory(FunctionUnit fu, LStmt.Ins in, List<LStmt> out) {
        boolean load = !in.opcode().equals("st");
        int n = vectorWidth(in);
        List<String> mods = new ArrayList<>(in.mods());
        mods.removeIf(m -> m.equals(".v2") || m.equals(".v4") || m.equals(".v8"));
        List<ScalarType> ts = OperandTypes.types(in);
        if (ts.isEmpty() || in.ops().size() < 2) {
            fu.fail(in.pos(), in.full() + ": vector access without a type the IR has");
            return;
        }
        ScalarType et = ts.getLast();
        int size = Math.max(1, et.bytes());
        LOp vecOp = in.ops().get(load ? 0 : 1);
        LOp addrOp = in.ops().get(load ? 1 : 0);
        if (!(vecOp instanceof LOp.Vec vec) || vec.elems().size() != n || !(addrOp instanceof LOp.Mem mem)) {
            fu.fail(in.pos(), in.full() + ": expected a " + n + "-element vector and an address");
            return;
        }
        List<LOp> extra = in.ops().subList(2, in.ops().size()); // cache policy operands, kept
        boolean clash = false;
        if (load && mem.base() instanceof LOp.R base) {
            for (LOp e : vec.elems()) clash |= e instanceof LOp.R r && r.reg().equals(base.reg());
        }
        List<LOp[]> moves = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            LOp e = vec.elems().get(i);
            if (e instanceof LOp.Sink) continue;
            LOp.Mem at = new LOp.Mem(mem.base(), mem.offset() + (long) i * size);
            List<LOp> ops = new ArrayList<>();
            if (load) {
                LOp dst = e;
                if (clash && e instanceof LOp.R r) {
                    dst = new LOp.R(fu.temp(r.reg().type()));
                    moves.add(new LOp[] {e, dst});
                }
                ops.add(dst);
                ops.add(at);
            } else {
                ops.add(at);
                ops.add(e);
            }
            ops.addAll(extra);
            out.add(in.with(mods, ops));
        }
        for (LOp[] m : moves) {
            ScalarType t = ((LOp.R) m[0]).reg().type();
            out.add(new LStmt.Ins("mov", List.of(PtxTypes.bitsType(t.bits()).ptxName()), in.guard(), in.negate(),
                    List.of(m[0], m[1]), in.loc(), in.pos()));
        }
    }

    private static void splitMov(FunctionUnit fu, LStmt.Ins in, LOp.Vec d, LOp.Vec s, List<LStmt> out) {
        if (d.elems().size() != s.elems().size()) {
            fu.fail(in.pos(), "mov between vectors of different lengths");
            return;
        }
        List<String> mods = new ArrayList<>(in.mods());
        mods.removeIf(m -> m.equals(".v2") || m.equals(".v4") || m.equals(".v8"));
        List<LOp[]> pending = new ArrayList<>();
        for (int i = 0; i < d.elems().size(); i++) {
            LOp de = d.elems().get(i);
            LOp se = s.elems().get(i);
            if (de instanceof LOp.Sink) continue;
            if (!(de instanceof LOp.R dr)) {
                fu.fail(in.pos(), "mov destination element " + de + " is not a register");
                return;
            }
            Reg t = fu.temp(dr.reg().type());
            out.add(in.with(mods, List.of(new LOp.R(t), se)));
            pending.add(new LOp[] {de, new LOp.R(t)});
        }
        for (LOp[] p : pending) out.add(in.with(mods, List.of(p[0], p[1])));
    }
}
