package org.transcuda.backend.cpu;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import org.transcuda.ir.Address;
import org.transcuda.ir.AddressSpace;
import org.transcuda.ir.Block;
import org.transcuda.ir.Const;
import org.transcuda.ir.Function;
import org.transcuda.ir.Inst;
import org.transcuda.ir.Reg;
import org.transcuda.ir.ScalarType;
import org.transcuda.ir.Stmt;
import org.transcuda.ir.SymbolAddr;
import org.transcuda.ir.Value;

/**
 * Shared accesses whose address is inside the kernel's static shared variables for every value its registers can
 * hold, compiled without the shared window check ({@code Mem.sh}) and indexing the window array by a 32-bit word
 * index (both engines; off with {@code -Dtranscuda.cpu.sharedRange=false}). Histogram's {@code atomicAdd(&h[data[i]],
 * 1u)}: the address is {@code &h + 4·zext(byte)}, at most {@code &h + 1020}, inside the 1024 bytes of {@code h}.
 *
 * <p>Each integer register of at most 32 bits with exactly one definition in the function, unguarded, gets a
 * {@link Range}: its value lies in {@code [0, hi]} and is a multiple of {@code 2^tz}. The definitions that give one
 * (all others give none): a non-negative constant or a shared variable's address (a {@code mov}, or an operand); a
 * zero-extending load ({@code ld.u8}, {@code ld.u16}: the loaded value is normalized to the type); a widening
 * {@code cvt} between unsigned types of a register that has a range; {@code add}, {@code mul.lo}, {@code mad.lo},
 * {@code shl} by a constant, {@code and} (bounded by its smaller known operand), and {@code mul.wide.u16} (16-bit
 * operands, 32-bit product) of operands that have ranges. Every bound is computed exactly in 64 bits and must stay
 * at most the largest value of the result's type that its normalization leaves unchanged ({@code 2^bits - 1}
 * for 8- and 16-bit unsigned and bit types, which the engine zero-extends, {@code 2^(bits-1) - 1} otherwise), so
 * the register holds exactly the value. As in {@link SharedAffine}, one definition means every thread that reads the
 * register after executing the definition reads that definition's value; a register read before any definition
 * holds 0 (fresh register arrays and locals) or a value an earlier block's thread computed with the same
 * definition, and 0 lies in every range (that is why the ranges start at 0).
 *
 * <p>A shared load, store or 32-bit atomic of {@code bytes} bytes at {@code zext(r) + off}, {@code r} a 32-bit
 * register with range {@code [0, hi]} (or a shared variable's address), is proven when {@code off >= 0}, {@code off}
 * and every value of {@code r} are multiples of {@code bytes}, and {@code hi + off + bytes <= staticShared}: the
 * window always covers the static variables ({@code Exec.sharedSize >= dynamicSharedOffset >= staticShared}), so
 * the check it replaces could never fail. The compiled code pushes {@code (r + off) >>> log2(bytes)} as an int (no
 * 32-bit wrap: {@code hi + off < 2^31}), which C2 sees through (histogram's {@code (b << 2) >>> 2} is {@code b}).
 * Only 4-byte accesses use it (32-bit loads and stores of integers and f32, 32-bit integer atomics); the others keep
 * the check. Statistics: "shared sites inside the static window, unchecked" (sites per launch; histogram 1).
 */
final class SharedRange {
    /** On unless {@code -Dtranscuda.cpu.sharedRange=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.sharedRange"));

    /** Values in {@code [0, hi]}, every one a multiple of {@code 2^tz} ({@code tz} at most 32). */
    record Range(long hi, int tz) {
        static Range constant(long v) {
            return new Range(v, v == 0 ? 32 : Long.numberOfTrailingZeros(v));
        }
    }

    private final Map<Integer, Stmt> def = new HashMap<>();
    private final Map<Integer, Integer> defs = new HashMap<>();
    private final Map<Integer, Range> ranges = new HashMap<>();
    private final BitSet done = new BitSet();
    private final BitSet visiting = new BitSet();
    private final java.util.function.Function<SymbolAddr, Long> symbols;

    private SharedRange(Function f, java.util.function.Function<SymbolAddr, Long> symbols) {
        this.symbols = symbols;
        for (Block b : f.blocks()) {
            for (Stmt st : b.stmts()) {
                for (Reg d : st.inst().defs()) {
                    defs.merge(d.id(), 1, Integer::sum);
                    def.put(d.id(), st);
                }
            }
        }
    }

    /** The analysis of {@code f}'s registers; {@code symbols}: a shared variable's offset in the window, or null. */
    static SharedRange of(Function f, java.util.function.Function<SymbolAddr, Long> symbols) {
        return new SharedRange(f, symbols);
    }

    /** An integer type of 8, 16 or 32 bits (registers the analysis follows). */
    private static boolean intType(ScalarType t) {
        return (t.bits() == 8 || t.bits() == 16 || t.bits() == 32) && t.kind() != ScalarType.Kind.FLOAT
                && t.kind() != ScalarType.Kind.PREDICATE;
    }

    /** {@code r}'s range, or null. */
    Range range(Reg r) {
        if (!intType(r.type())) return null;
        int id = r.id();
        if (done.get(id)) return ranges.get(id);
        if (defs.getOrDefault(id, 0) != 1 || visiting.get(id)) return null;
        visiting.set(id);
        Range x = compute(def.get(id), r.type());
        visiting.clear(id);
        done.set(id);
        if (x != null) ranges.put(id, x);
        return x;
    }

    private Range value(Value v) {
        return switch (v) {
            case Reg r -> range(r);
            case Const c -> c.type().kind() == ScalarType.Kind.FLOAT || c.type() == ScalarType.PRED
                    || c.type().bits() > 32 || c.bits() < 0 || c.bits() > Integer.MAX_VALUE ? null
                            : Range.constant(c.bits());
            case SymbolAddr sa -> sa.space() == AddressSpace.SHARED && symbols.apply(sa) instanceof Long x
                    && x >= 0 && x <= Integer.MAX_VALUE ? Range.constant(x) : null;
            default -> null;
        };
    }

    /**
     * {@code x} when its bound fits a non-negative value of {@code t} that the engine's normalization of {@code t}
     * leaves unchanged (8- and 16-bit unsigned and bit types are zero-extended, signed ones sign-extended, 32-bit
     * values must stay below 2^31), else null.
     */
    private static Range fit(Range x, ScalarType t) {
        boolean zext = t.bits() < 32 && t.kind() != ScalarType.Kind.SIGNED;
        long max = zext ? (1L << t.bits()) - 1 : (1L << (t.bits() - 1)) - 1;
        if (x == null || x.hi() < 0 || x.hi() > max) return null;
        return new Range(x.hi(), Math.min(32, x.tz()));
    }

    private Range compute(Stmt st, ScalarType dstType) {
        if (st.guard() != null || st.inst().defs().size() != 1) return null;
        switch (st.inst()) {
            case Inst.Mov m -> {
                return fit(value(m.src()), dstType);
            }
            case Inst.Load l -> {
                if (l.space() == AddressSpace.PARAM) return null;
                return switch (l.type()) {
                    case U8 -> fit(new Range(255, 0), dstType);
                    case U16 -> fit(new Range(65535, 0), dstType);
                    default -> null;
                };
            }
            case Inst.Convert cv -> {
                if (cv.from().kind() != ScalarType.Kind.UNSIGNED || cv.to().kind() != ScalarType.Kind.UNSIGNED
                        || cv.to().bits() < cv.from().bits()) {
                    return null;
                }
                return fit(fit(value(cv.src()), cv.to()), dstType);
            }
            case Inst.Compute c -> {
                ScalarType t = c.type();
                if (t.kind() == ScalarType.Kind.FLOAT || t == ScalarType.PRED) return null;
                boolean wide16 = c.op() == org.transcuda.ir.Opcode.MUL_WIDE && t == ScalarType.U16;
                if (!wide16 && !intType(t)) return null;
                Range[] s = new Range[c.srcs().size()];
                for (int i = 0; i < s.length; i++) s[i] = value(c.srcs().get(i));
                Range x = switch (c.op()) {
                    case ADD -> s[0] == null || s[1] == null ? null
                            : new Range(s[0].hi() + s[1].hi(), Math.min(s[0].tz(), s[1].tz()));
                    case MUL -> s[0] == null || s[1] == null ? null
                            : new Range(s[0].hi() * s[1].hi(), s[0].tz() + s[1].tz());
                    case MUL_WIDE -> !wide16 || s[0] == null || s[1] == null || s[0].hi() > 65535
                            || s[1].hi() > 65535 ? null : new Range(s[0].hi() * s[1].hi(), s[0].tz() + s[1].tz());
                    case MAD -> s[0] == null || s[1] == null || s[2] == null ? null
                            : new Range(s[0].hi() * s[1].hi() + s[2].hi(),
                                    Math.min(s[0].tz() + s[1].tz(), s[2].tz()));
                    case SHL -> s[0] == null || !(c.srcs().get(1) instanceof Const k) || k.bits() >= 31 ? null
                            : new Range(s[0].hi() << k.bits(), s[0].tz() + (int) k.bits());
                    case AND -> s[0] == null && s[1] == null ? null
                            : s[0] == null ? s[1] : s[1] == null ? s[0]
                                    : new Range(Math.min(s[0].hi(), s[1].hi()), Math.max(s[0].tz(), s[1].tz()));
                    default -> null;
                };
                // the operation's own type first (its result is normalized to it), then the register's
                return fit(wide16 ? x : fit(x, t), dstType);
            }
            default -> {
                return null;
            }
        }
    }

    /**
     * True when every access of {@code bytes} bytes at address {@code a} (a 32-bit register or a shared variable,
     * plus the offset) lies inside the first {@code staticShared} bytes of the window and is aligned.
     */
    boolean inWindow(Address a, int bytes, long staticShared) {
        Range r;
        if (a.base() instanceof Reg reg) {
            if (reg.type().bits() != 32) return false;
            r = range(reg);
        } else {
            r = value(a.base());
        }
        long off = a.offset();
        if (r == null || off < 0 || off % bytes != 0) return false;
        if (r.hi() != 0 && r.tz() < Integer.numberOfTrailingZeros(bytes)) return false;
        return r.hi() + off + bytes <= staticShared;
    }

    // ---- what the compiled code calls: w is the shared window, i the proven word index ----

    static int s32(int[] w, int i, int op, int a, int b) {
        int old = w[i];
        w[i] = Atom.apply32(op, old, a, b);
        return old;
    }
}
