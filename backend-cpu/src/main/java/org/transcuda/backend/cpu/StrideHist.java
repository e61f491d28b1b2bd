package org.transcuda.backend.cpu;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import org.transcuda.ir.AddressSpace;
import org.transcuda.ir.Const;
import org.transcuda.ir.Inst;
import org.transcuda.ir.Memory;
import org.transcuda.ir.Opcode;
import org.transcuda.ir.Reg;
import org.transcuda.ir.ScalarType;
import org.transcuda.ir.Stmt;
import org.transcuda.ir.SymbolAddr;
import org.transcuda.ir.Value;

/**
 * A {@link StrideLoop} whose body is a byte histogram in shared memory, run as one tight loop over the data ({@code
 * -Dtranscuda.cpu.strideHist=false} turns this off): histogram's {@code atomicAdd(&h[data[i]], 1)}.
 *
 * <p>The shape, proven when the kernel is compiled ({@link #plan}): the loop's per-thread statements, besides the
 * index's advance and compare, are one {@code ld.global.u8 v} of {@link StrideLoop}'s index form with scale 1 (the
 * load {@link LoopBulk} copies), one {@code atom.shared.add} (or {@code red}) of 32 bits with a block-uniform operand,
 * whose result the block does not read, at {@code x + off} with {@code x} a 32-bit register that is {@code U + 4·v}
 * by the block's own definitions ({@code mul.wide.u16}, {@code shl}, {@code mul.lo}/{@code mad.lo} by constants,
 * {@code add}/{@code sub}, {@code mov}, zero-extending {@code cvt}; {@code U} block-uniform registers and constants,
 * shared variables' addresses), and otherwise integer register arithmetic without effects. Every statement reads
 * only registers defined earlier in the same iteration, the index, or registers the block does not define, so none
 * carries a value from one iteration to the next: the registers' values after the loop are those of its last
 * iteration, which always runs in the general code ({@link StrideLoop}), and the skipped statements change nothing
 * else.
 *
 * <p>At run time ({@link #window}) the words {@code (U + off)/4 .. (U + off)/4 + 255} must lie inside the block's shared
 * window with {@code U + 4·255} not wrapping and {@code U + off} a multiple of 4, so that every one of the 256 byte
 * values gives an access that {@code Mem.sh} accepts; otherwise StrideLoop's own fast loop runs. Then {@link #run}
 * runs StrideLoop's fast iterations itself, with the same checks in the same order ({@link StrideLoop#stay}, {@link
 * StrideLoop#fits}, {@link StrideTouch#lines}); per iteration, instead of LoopBulk's copy and a lane loop, it reads the
 * iteration's bytes from device memory 8 at a time (one unaligned 64-bit load; thread {@code t}'s byte first) and
 * counts them per byte value in a fresh 256-entry array; after the last of its iterations it adds {@code operand ·
 * count} to word {@code (U + off)/4 + byte} of the shared array. That is the memory the lane loop left: between the
 * first and the last fast iteration nothing reads or writes the shared array but these atomics, whose old values no
 * statement reads, and 32-bit addition is exact in any order (modulo 2^32). An iteration whose checks fail is left to
 * StrideLoop's general code, whose per-access checks fault at the thread and instruction they always did; the
 * counts of the iterations before it are in the shared array by then.
 */
final class StrideHist {
    /** On unless {@code -Dtranscuda.cpu.strideHist=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.strideHist"));

    /** Native byte order big-endian: the 64-bit reads are byte-reversed so that thread {@code t}'s byte comes first. */
    private static final boolean BIG = ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN;

    private StrideHist() {
    }

    /**
     * The shape found: the byte load and the atomic (statements of the block), the atomic's address as {@code U + 4·v
     * + off} ({@code terms}: block-uniform values times their factors, {@code constant}: the rest of {@code U}, both
     * modulo 2^32) and its operand.
     */
    record Plan(Stmt load, Stmt atomic, List<Term> terms, int constant, long off, Value operand) {
    }

    /** A block-uniform value (a register or a shared variable's address) times a factor, 32 bits. */
    record Term(Value value, int factor) {
    }

    /** {@code k·v + constant + Σ terms}, modulo 2^32 ({@code v}: the loaded byte). */
    private record Form(int k, int constant, List<Term> terms) {
        Form plus(Form o) {
            List<Term> t = new ArrayList<>(terms);
            t.addAll(o.terms);
            return new Form(k + o.k, constant + o.constant, t);
        }

        Form times(int m) {
            List<Term> t = new ArrayList<>();
            for (Term x : terms) t.add(new Term(x.value(), x.factor() * m));
            return new Form(k * m, constant * m, t);
        }

        boolean constantOnly() {
            return k == 0 && terms.isEmpty();
        }
    }

    /**
     * The plan for StrideLoop {@code loop} over block {@code stmts} ({@code lanes}: its per-thread statements) with
     * {@code load} the one index load on the loop's index that StrideLoop copies; null when the shape does not match.
     * {@code uniform}: block-uniform registers; {@code sharedOffset}: a shared variable's address, or null.
     */
    static Plan plan(List<Stmt> stmts, List<Integer> lanes, StrideLoop.Plan loop, Stmt load, int scale,
            Predicate<Reg> uniform, Function<SymbolAddr, Long> sharedOffset) {
        if (!(load.inst() instanceof Inst.Load l) || l.type() != ScalarType.U8 || l.space() != AddressSpace.GLOBAL
                || scale != 1 || load.guard() != null) {
            return null;
        }
        Reg v = l.dst();
        Set<Stmt> per = new HashSet<>();
        for (int j : lanes) per.add(stmts.get(j));
        // the block's definitions: each register at most once; where (statement index) it is defined
        Map<Integer, Integer> defAt = new HashMap<>();
        for (int j = 0; j < stmts.size(); j++) {
            for (Reg d : stmts.get(j).inst().defs()) {
                if (defAt.put(d.id(), j) != null) return null;
            }
        }
        Stmt atomic = null;
        for (int j : lanes) {
            Stmt st = stmts.get(j);
            if (st == loop.inc() || st == loop.cmp()) continue;
            if (st.guard() != null) return null;
            // no value carried from one iteration to the next: every register read is defined earlier in the block
            // (this iteration), is the index, or is not defined in the block
            for (Value u : st.inst().uses()) {
                if (u instanceof Reg r && !r.equals(loop.idx()) && defAt.containsKey(r.id()) && defAt.get(r.id()) >= j) {
                    return null;
                }
            }
            if (st == load) continue;
            switch (st.inst()) {
                case Inst.Atomic a -> {
                    if (atomic != null) return null;
                    atomic = st;
                }
                case Inst.Mov m -> {
                    if (!intType(m.dst().type())) return null;
                }
                case Inst.Convert c -> {
                    if (!intType(c.to()) || !intType(c.from()) || c.mode().sat()) return null;
                }
                case Inst.Compute c -> {
                    if (!intType(c.type()) || !PURE.contains(c.op())) return null;
                }
                default -> {
                    return null;
                }
            }
        }
        if (atomic == null || !(atomic.inst() instanceof Inst.Atomic a)) return null;
        if (a.op() != Memory.AtomicOp.ADD || a.space() != AddressSpace.SHARED || a.type().bits() != 32
                || a.type().kind() == ScalarType.Kind.FLOAT) {
            return null;
        }
        // the atomic's result: read nowhere in the block (the general code's last iteration writes it)
        if (a.dst() != null) {
            for (Stmt st : stmts) {
                if (a.dst().equals(st.guard())) return null;
                for (Value u : st.inst().uses()) if (a.dst().equals(u)) return null;
            }
        }
        Value operand = a.a();
        if (!(operand instanceof Const c && c.type().bits() <= 32) && !(operand instanceof Reg r && uniform.test(r)
                && r.type().bits() == 32 && !per.contains(defStmt(stmts, defAt, r)))) {
            return null;
        }
        if (!(a.address().base() instanceof Reg x) || x.type().bits() != 32) return null;
        Form f = form(x, stmts, defAt, per, v, uniform, sharedOffset, 0);
        if (f == null || f.k() != 4) return null;
        return new Plan(load, atomic, f.terms(), f.constant(), a.address().offset(), operand);
    }

    private static Stmt defStmt(List<Stmt> stmts, Map<Integer, Integer> defAt, Reg r) {
        Integer j = defAt.get(r.id());
        return j == null ? null : stmts.get(j);
    }

    private static final Set<Opcode> PURE = Set.of(Opcode.ADD, Opcode.SUB, Opcode.MUL, Opcode.MUL_HI,
            Opcode.MUL_WIDE, Opcode.MAD, Opcode.MIN, Opcode.MAX, Opcode.AND, Opcode.OR, Opcode.XOR, Opcode.NOT,
            Opcode.SHL, Opcode.SHR, Opcode.SELP, Opcode.NEG, Opcode.ABS);

    private static boolean intType(ScalarType t) {
        return t.kind() != ScalarType.Kind.FLOAT && t != ScalarType.PRED && t.bits() <= 64;
    }

    /** The form of 32-bit value {@code val} as the block computes it, or null. */
    private static Form form(Value val, List<Stmt> stmts, Map<Integer, Integer> defAt, Set<Stmt> per, Reg v,
            Predicate<Reg> uniform, Function<SymbolAddr, Long> sharedOffset, int depth) {
        if (depth > 16) return null;
        switch (val) {
            case Const c -> {
                if (c.type().kind() == ScalarType.Kind.FLOAT || c.type() == ScalarType.PRED) return null;
                return new Form(0, (int) c.bits(), List.of());
            }
            case SymbolAddr sa -> {
                Long o = sa.space() == AddressSpace.SHARED ? sharedOffset.apply(sa) : null;
                if (o == null || o < 0 || o > Integer.MAX_VALUE) return null;
                return new Form(0, (int) (long) o, List.of());
            }
            case Reg r -> {
                // the byte itself, or a copy of it: directly only in a 32-bit register (else through a widening)
                if (isByte(r, stmts, defAt, per, v, depth)) {
                    return r.type().bits() == 32 ? new Form(1, 0, List.of()) : null;
                }
                Stmt d = defStmt(stmts, defAt, r);
                if (d == null || !per.contains(d)) {
                    // not defined by the block's per-thread statements: block-uniform, the same every iteration
                    if (!uniform.test(r) || r.type().bits() != 32) return null;
                    return new Form(0, 0, List.of(new Term(r, 1)));
                }
                return def(d, r, stmts, defAt, per, v, uniform, sharedOffset, depth + 1);
            }
            default -> {
                return null;
            }
        }
    }

    /**
     * True when {@code val} holds the loaded byte's value (0..255): the load's destination, or a {@code mov} or a
     * zero-extending {@code cvt} (from an unsigned type of at least 8 bits to an integer type of at least 16 bits)
     * of such a register, by the block's per-thread statements.
     */
    private static boolean isByte(Value val, List<Stmt> stmts, Map<Integer, Integer> defAt, Set<Stmt> per, Reg v,
            int depth) {
        if (!(val instanceof Reg r)) return false;
        if (r.equals(v)) return true;
        Stmt d = defStmt(stmts, defAt, r);
        if (d == null || !per.contains(d) || d.guard() != null || depth > 16) return false;
        return switch (d.inst()) {
            case Inst.Mov m -> m.dst().type().bits() >= 8 && isByte(m.src(), stmts, defAt, per, v, depth + 1);
            case Inst.Convert c -> c.from().kind() == ScalarType.Kind.UNSIGNED && c.from().bits() >= 8
                    && intType(c.to()) && c.to().bits() >= 16 && !c.mode().sat()
                    && isByte(c.src(), stmts, defAt, per, v, depth + 1);
            default -> false;
        };
    }

    /** The form of register {@code r} (32 bits) from its definition {@code d}. */
    private static Form def(Stmt d, Reg r, List<Stmt> stmts, Map<Integer, Integer> defAt, Set<Stmt> per, Reg v,
            Predicate<Reg> uniform, Function<SymbolAddr, Long> sharedOffset, int depth) {
        if (r.type().bits() != 32 || d.guard() != null) return null;
        switch (d.inst()) {
            case Inst.Mov m -> {
                return form(m.src(), stmts, defAt, per, v, uniform, sharedOffset, depth);
            }
            case Inst.Convert c -> {
                if (c.to().bits() != 32 || c.mode().sat()) return null;
                // the byte, zero-extended from an unsigned type of 8 or 16 bits: its value
                if (isByte(c.src(), stmts, defAt, per, v, depth) && c.from().kind() == ScalarType.Kind.UNSIGNED
                        && (c.from().bits() == 8 || c.from().bits() == 16)) {
                    return new Form(1, 0, List.of());
                }
                if (c.from().bits() != 32) return null;
                return form(c.src(), stmts, defAt, per, v, uniform, sharedOffset, depth);
            }
            case Inst.Compute c -> {
                List<Value> s = c.srcs();
                if (c.op() == Opcode.MUL_WIDE) {
                    // mul.wide.u16 of the byte and a constant: a 32-bit product, exact
                    if (c.type() != ScalarType.U16) return null;
                    Value other = isByte(s.get(0), stmts, defAt, per, v, depth) ? s.get(1)
                            : isByte(s.get(1), stmts, defAt, per, v, depth) ? s.get(0) : null;
                    if (!(other instanceof Const k) || k.bits() < 0 || k.bits() > 0xFFFF) return null;
                    return new Form((int) k.bits(), 0, List.of());
                }
                if (c.type().bits() != 32) return null;
                Form[] f = new Form[s.size()];
                for (int i = 0; i < f.length; i++) {
                    f[i] = form(s.get(i), stmts, defAt, per, v, uniform, sharedOffset, depth);
                    if (f[i] == null) return null;
                }
                return switch (c.op()) {
                    case ADD -> f[0].plus(f[1]);
                    case SUB -> f[0].plus(f[1].times(-1));
                    case MUL -> f[1].constantOnly() ? f[0].times(f[1].constant())
                            : f[0].constantOnly() ? f[1].times(f[0].constant()) : null;
                    case MAD -> f[1].constantOnly() ? f[0].times(f[1].constant()).plus(f[2])
                            : f[0].constantOnly() ? f[1].times(f[0].constant()).plus(f[2]) : null;
                    case SHL -> f[1].constantOnly() && f[1].constant() >= 0 && f[1].constant() < 32
                            ? f[0].times(1 << f[1].constant()) : null;
                    default -> null;
                };
            }
            default -> {
                return null;
            }
        }
    }

    // ---- at run time ----

    /**
     * The first shared word of the bins, {@code (u + off)/4}, when words {@code (u + off)/4 + b} for every byte
     * {@code b} are inside the block's shared window and {@code u + 4·255} does not wrap; else -1.
     */
    static int window(Exec e, int u, long off) {
        if (u < 0 || u > Integer.MAX_VALUE - 4 * 255) return -1;
        long a = u + off;
        if (a < 0 || (a & 3) != 0) return -1;
        long w = a >>> 2;
        if (w + 256 > e.sharedSlots2 || w + 256 > e.shared.length) return -1;
        return (int) w;
    }

    /**
     * StrideLoop's fast iterations from the one at {@code base}: while every thread stays in the loop and the
     * iteration's bytes pass the check, each byte {@code b} (thread order) adds {@code c} to {@code shared[w0 + b]};
     * returns the base of the first iteration not run here.
     */
    static int run(Exec e, int site, long uni, int base, int step, int n, int bound, boolean signed, int w0, int c) {
        // the counts of this call's iterations per byte value, added to the window at the end (nothing else reads or
        // writes it meanwhile: the loop's only effect is the atomic); a fresh array, its length known to the JIT
        int[] h = new int[256];
        int b0 = base;
        while (StrideLoop.stay(base, step, n, bound) && StrideLoop.fits(e, site, uni, base, n, signed, 1, 0)) {
            long a = uni + (signed ? (long) base : Integer.toUnsignedLong(base));
            if (HistConst.ENABLED && n == HistConst.N) {
                if (HistLoop.ENABLED) {
                    HistLoop.count(a, h);
                    e.histLoop++;
                } else {
                    HistConst.count(a, h);
                }
                e.histConst++;
                if (StrideTouch.ENABLED) StrideTouch.lines(e, site, uni, base + StrideTouch.AHEAD * step, n, signed, 0);
                base += step;
                e.strideLoops++;
                e.strideHist++;
                continue;
            }
            int t = 0;
            for (; t + 8 <= n; t += 8) {
                long x = Mem.ALL.get(ValueLayout.JAVA_LONG_UNALIGNED, a + t);
                if (BIG) x = Long.reverseBytes(x);
                h[(int) x & 0xff]++;
                h[(int) (x >>> 8) & 0xff]++;
                h[(int) (x >>> 16) & 0xff]++;
                h[(int) (x >>> 24) & 0xff]++;
                h[(int) (x >>> 32) & 0xff]++;
                h[(int) (x >>> 40) & 0xff]++;
                h[(int) (x >>> 48) & 0xff]++;
                h[(int) (x >>> 56) & 0xff]++;
            }
            for (; t < n; t++) h[Mem.ALL.get(Mem.I8, a + t) & 0xff]++;
            if (StrideTouch.ENABLED) StrideTouch.lines(e, site, uni, base + StrideTouch.AHEAD * step, n, signed, 0);
            base += step;
            e.strideLoops++;
            e.strideHist++;
        }
        if (base != b0) {
            int[] w = e.shared;
            for (int k = 0; k < 256; k++) w[w0 + k] += c * h[k];
        }
        return base;
    }
}
