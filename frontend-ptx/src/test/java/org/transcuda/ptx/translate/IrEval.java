package org.transcuda.ptx.translate;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.transcuda.ir.Address;
import org.transcuda.ir.Block;
import org.transcuda.ir.Const;
import org.transcuda.ir.Function;
import org.transcuda.ir.Inst;
import org.transcuda.ir.Module;
import org.transcuda.ir.Param;
import org.transcuda.ir.Reg;
import org.transcuda.ir.ScalarType;
import org.transcuda.ir.Stmt;
import org.transcuda.ir.SymbolAddr;
import org.transcuda.ir.Terminator;
import org.transcuda.ir.Value;

/**
 * A small interpreter for one thread of a translated kernel, enough to check the semantics of instruction
 * selection's multi-instruction expansions against PTX's definitions. Global memory is a byte array addressed from
 * 0; kernel parameters come from a value per parameter. Supports the instructions those expansions use.
 */
final class IrEval {
    final byte[] global;
    private final Map<Integer, Long> regs = new HashMap<>();
    private final Map<String, Long> params = new HashMap<>();
    private final Function f;

    IrEval(Module m, String kernel, byte[] global, Map<String, Long> paramValues) {
        this.f = m.function(kernel).orElseThrow();
        this.global = global;
        this.params.putAll(paramValues);
    }

    void run() {
        Map<String, Block> byLabel = new HashMap<>();
        for (Block b : f.blocks()) byLabel.put(b.label(), b);
        Block b = f.blocks().getFirst();
        for (int steps = 0; steps < 100_000; steps++) {
            for (Stmt s : b.stmts()) {
                if (s.guard() != null && (get(s.guard()) != 0) == s.negateGuard()) continue;
                exec(s.inst());
            }
            String next = switch (b.terminator()) {
                case Terminator.Branch br -> br.target();
                case Terminator.CondBranch c -> get(c.pred()) != 0 ? c.ifTrue() : c.ifFalse();
                case Terminator.Return r -> null;
                case Terminator.Exit e -> null;
                default -> throw new AssertionError("unsupported " + b.terminator());
            };
            if (next == null) return;
            b = byLabel.get(next);
        }
        throw new AssertionError("does not terminate");
    }

    long get(Value v) {
        return switch (v) {
            case Const c -> c.bits();
            case Reg r -> regs.getOrDefault(r.id(), 0L);
            case SymbolAddr a -> throw new AssertionError("address of " + a.symbol());
        };
    }

    private void set(Reg r, long bits) {
        int w = r.type().bits();
        regs.put(r.id(), w >= 64 ? bits : w == 1 ? bits & 1 : bits & ((1L << w) - 1));
    }

    private static long sext(long v, int bits) {
        return bits >= 64 ? v : (v << (64 - bits)) >> (64 - bits);
    }

    private static long mask(long v, int bits) {
        return bits >= 64 ? v : v & ((1L << bits) - 1);
    }

    private long read(ScalarType t, Address a) {
        if (a.base() instanceof SymbolAddr s) {
            Param p = f.params().stream().filter(x -> x.name().equals(s.symbol())).findFirst().orElseThrow();
            if (a.offset() != 0) throw new AssertionError("param offset");
            return mask(params.get(p.name()), t.bits());
        }
        long addr = get(a.base()) + a.offset();
        long v = 0;
        for (int i = 0; i < t.bytes(); i++) v |= (global[(int) addr + i] & 0xffL) << (8 * i);
        return v;
    }

    private void write(ScalarType t, Address a, long v) {
        long addr = get(a.base()) + a.offset();
        for (int i = 0; i < t.bytes(); i++) global[(int) addr + i] = (byte) (v >>> (8 * i));
    }

    private static float f32(long bits) {
        return Float.intBitsToFloat((int) bits);
    }

    private void exec(Inst i) {
        switch (i) {
            case Inst.Mov m -> set(m.dst(), get(m.src()));
            case Inst.Load l -> set(l.dst(), read(l.type(), l.address()));
            case Inst.Store s -> write(s.type(), s.address(), get(s.src()));
            case Inst.Cvta c -> set(c.dst(), get(c.src()));
            case Inst.Convert c -> set(c.dst(), convert(c, get(c.src())));
            case Inst.Compare c -> set(c.dst(), compare(c) ? 1 : 0);
            case Inst.Compute c -> set(c.dst(), compute(c));
            default -> throw new AssertionError("unsupported " + i);
        }
    }

    private long convert(Inst.Convert c, long v) {
        ScalarType from = c.from();
        ScalarType to = c.to();
        if (from.kind() == ScalarType.Kind.FLOAT || to.kind() == ScalarType.Kind.FLOAT) {
            throw new AssertionError("float conversion " + c);
        }
        long x = from.kind() == ScalarType.Kind.SIGNED ? sext(v, from.bits()) : mask(v, from.bits());
        if (c.mode().sat()) {
            long lo = to.kind() == ScalarType.Kind.SIGNED ? -(1L << (to.bits() - 1)) : 0;
            long hi = to.kind() == ScalarType.Kind.SIGNED ? (1L << (to.bits() - 1)) - 1 : (1L << to.bits()) - 1;
            x = Math.max(lo, Math.min(hi, x));
        }
        return mask(x, to.bits());
    }

    private boolean compare(Inst.Compare c) {
        ScalarType t = c.type();
        long a = get(c.a());
        long b = get(c.b());
        if (t == ScalarType.F32) {
            float x = f32(a);
            float y = f32(b);
            return switch (c.op()) {
                case NAN -> Float.isNaN(x) || Float.isNaN(y);
                case NUM -> !Float.isNaN(x) && !Float.isNaN(y);
                case LT -> x < y;
                case GT -> x > y;
                case EQ -> x == y;
                case GTU -> !(x <= y);
                default -> throw new AssertionError("unsupported " + c);
            };
        }
        boolean signed = t.kind() == ScalarType.Kind.SIGNED;
        long x = signed ? sext(a, t.bits()) : mask(a, t.bits());
        long y = signed ? sext(b, t.bits()) : mask(b, t.bits());
        int cmp = signed ? Long.compare(x, y) : Long.compareUnsigned(x, y);
        return switch (c.op()) {
            case EQ -> cmp == 0;
            case NE -> cmp != 0;
            case LT -> cmp < 0;
            case LE -> cmp <= 0;
            case GT -> cmp > 0;
            case GE -> cmp >= 0;
            default -> throw new AssertionError("unsupported " + c);
        };
    }

    private long compute(Inst.Compute c) {
        ScalarType t = c.type();
        List<Value> s = c.srcs();
        long a = get(s.get(0));
        long b = s.size() > 1 ? get(s.get(1)) : 0;
        boolean signed = t.kind() == ScalarType.Kind.SIGNED;
        int w = t.bits();
        return switch (c.op()) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case AND -> a & b;
            case OR -> a | b;
            case XOR -> a ^ b;
            case NOT -> ~a;
            case SHL -> b >= w ? 0 : a << b;
            case SHR -> signed ? sext(a, w) >> Math.min(b, w - 1) : (b >= w ? 0 : mask(a, w) >>> b);
            case SELP -> get(s.get(2)) != 0 ? a : b;
            case MUL_WIDE -> signed ? sext(a, w) * sext(b, w) : mask(a, w) * mask(b, w);
            case BFE -> {
                int pos = (int) Math.min(mask(b, 8), 255);
                int len = (int) Math.min(mask(get(s.get(2)), 8), 255);
                long x = mask(a, w);
                long r = 0;
                boolean sbit = signed && len > 0 && ((x >>> Math.min(pos + len - 1, w - 1)) & 1) != 0;
                for (int k = 0; k < w; k++) {
                    boolean bit = k < len && pos + k < w ? ((x >>> (pos + k)) & 1) != 0 : sbit;
                    if (bit) r |= 1L << k;
                }
                yield r;
            }
            case MIN, MAX -> {
                if (t == ScalarType.F32) {
                    float x = f32(a);
                    float y = f32(b);
                    float r = Float.isNaN(x) ? y : Float.isNaN(y) ? x : c.op() == org.transcuda.ir.Opcode.MIN
                            ? Math.min(x, y) : Math.max(x, y);
                    yield Float.floatToRawIntBits(r) & 0xffffffffL;
                }
                long x = signed ? sext(a, w) : mask(a, w);
                long y = signed ? sext(b, w) : mask(b, w);
                boolean less = signed ? x < y : Long.compareUnsigned(x, y) < 0;
                yield c.op() == org.transcuda.ir.Opcode.MIN ? (less ? x : y) : (less ? y : x);
            }
            default -> throw new AssertionError("unsupported " + c);
        };
    }
}
