package org.transcuda.backend.cpu;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.transcuda.ir.AddressSpace;
import org.transcuda.ir.Block;
import org.transcuda.ir.Const;
import org.transcuda.ir.Function;
import org.transcuda.ir.Inst;
import org.transcuda.ir.Reg;
import org.transcuda.ir.ScalarType;
import org.transcuda.ir.Stmt;
import org.transcuda.ir.Value;

/**
 * Shared-memory addresses that are affine in the thread index, for the lockstep engine's checked-once lane loops
 * ({@link Lockstep}, {@code -Dtranscuda.cpu.simd=false} turns them off).
 *
 * <p>A 32-bit register has an affine {@link Form} {@code u + cx·tid.x + cy·tid.y + cz·tid.z} (modulo 2^32), with
 * {@code u} a sum of block-uniform registers times constants plus a constant and {@code cx, cy, cz} constants, when
 * it has exactly one definition in the kernel, unguarded, and that definition is {@code tid.x/y/z}, a constant, a
 * {@code mov} of such a register, or {@code add/sub/neg/not/shl/mul.lo/mad.lo} of such registers where every
 * product has a constant factor (matmul's {@code &Bs + 4·tid.x}, reduce's {@code &s + 4·tid.x}). A block-uniform register (one
 * definition from parameters, {@code %ctaid}, constants: the compiler's {@code uniformRegs}) is a form of its own.
 * With one definition the register's value is the same function of the thread index whenever it is read by a thread
 * that has executed the definition, which every thread that reads it has (a read before any definition is undefined
 * in PTX).
 *
 * <p>While every thread of the block is active, a run of lane statements whose shared accesses have such addresses
 * (or constant ones) first checks, for each of them, the whole range over the block's threads ({@link #fits}: in
 * the shared window, aligned, no 32-bit wrap); when all pass, the run is one loop nest over {@code tid.z, tid.y,
 * tid.x} (the identity thread order) whose shared accesses index the window array directly, without per-access
 * checks; otherwise the ordinary loop with per-access checks runs, which has executed nothing of the run yet, so a
 * bad address faults at the same thread and instruction as without this path.
 *
 * <p>The same forms find the threads of an if-converted arm ({@link #predRange}): when the branch predicate is a
 * 32-bit integer comparison (order, or equality when its threads are one range) of a value affine in {@code tid.x}
 * with a block-uniform one and the block is one-dimensional, the arm's threads are one range of {@code tid.x}, and
 * the compiled code runs the arm over that range only (its shared accesses checked once for the range, {@link #fitsRange}).
 */
final class SharedAffine {
    /** On unless {@code -Dtranscuda.cpu.simd=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.simd"));

    /**
     * {@code c + Σ coef[i]·reg uni[i] + cx·tid.x + cy·tid.y + cz·tid.z}, every number modulo 2^32 (kept as int).
     */
    record Form(int c, int[] uni, int[] coef, int cx, int cy, int cz) {
        static final Form ZERO = new Form(0, new int[0], new int[0], 0, 0, 0);

        Form plus(Form o, int sign) {
            Map<Integer, Integer> terms = new java.util.TreeMap<>();
            for (int i = 0; i < uni.length; i++) terms.merge(uni[i], coef[i], Integer::sum);
            for (int i = 0; i < o.uni.length; i++) terms.merge(o.uni[i], sign * o.coef[i], Integer::sum);
            terms.values().removeIf(v -> v == 0);
            int[] u = new int[terms.size()];
            int[] k = new int[terms.size()];
            int j = 0;
            for (var en : terms.entrySet()) {
                u[j] = en.getKey();
                k[j++] = en.getValue();
            }
            return new Form(c + sign * o.c, u, k, cx + sign * o.cx, cy + sign * o.cy, cz + sign * o.cz);
        }

        Form times(int m) {
            int[] k = coef.clone();
            for (int i = 0; i < k.length; i++) k[i] *= m;
            return new Form(c * m, uni.clone(), k, cx * m, cy * m, cz * m).plus(ZERO, 1);
        }

        /** True when no thread index appears (a block-uniform value). */
        boolean uniform() {
            return cx == 0 && cy == 0 && cz == 0;
        }

        /** True when this is the constant {@code c} alone. */
        boolean constant() {
            return uniform() && uni.length == 0;
        }
    }

    private final Map<Integer, Stmt> def = new HashMap<>();
    private final Map<Integer, Integer> defs = new HashMap<>();
    private final BitSet uniformRegs;
    private final Map<Integer, Form> forms = new HashMap<>();
    private final BitSet visiting = new BitSet();

    /** The constant value of a symbol address (shared variables), or null. */
    private final java.util.function.Function<org.transcuda.ir.SymbolAddr, Long> symbols;

    private SharedAffine(Function f, BitSet uniformRegs,
            java.util.function.Function<org.transcuda.ir.SymbolAddr, Long> symbols) {
        this.uniformRegs = uniformRegs;
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

    /** The analysis of {@code f}'s registers; {@code uniformRegs}: the block-uniform registers (32-bit ones used). */
    static SharedAffine of(Function f, BitSet uniformRegs,
            java.util.function.Function<org.transcuda.ir.SymbolAddr, Long> symbols) {
        return new SharedAffine(f, uniformRegs, symbols);
    }

    /** The affine form of 32-bit register {@code r}, or null. */
    Form form(Reg r) {
        if (!is32(r.type())) return null;
        int id = r.id();
        if (forms.containsKey(id)) return forms.get(id);
        if (uniformRegs.get(id)) {
            // a constant (a shared variable's address, say) folds; other block-uniform values stay registers
            Form u = defs.getOrDefault(id, 0) == 1 && def.get(id).inst() instanceof Inst.Mov m
                    && constant(m.src()) instanceof Form k ? k : new Form(0, new int[] {id}, new int[] {1}, 0, 0, 0);
            forms.put(id, u);
            return u;
        }
        if (defs.getOrDefault(id, 0) != 1 || visiting.get(id)) return null;
        visiting.set(id);
        Form fm = compute(def.get(id));
        visiting.clear(id);
        forms.put(id, fm);
        return fm;
    }

    private static boolean is32(ScalarType t) {
        return t.bits() == 32 && t != ScalarType.F32;
    }

    /** The affine form of a 32-bit integer operand (register or constant), or null. */
    Form of(Value v) {
        return value(v);
    }

    private Form constant(Value v) {
        return switch (v) {
            case Const c -> value(c);
            case org.transcuda.ir.SymbolAddr sa when symbols.apply(sa) instanceof Long x ->
                    new Form((int) (long) x, new int[0], new int[0], 0, 0, 0);
            default -> null;
        };
    }

    private Form value(Value v) {
        return switch (v) {
            case Reg r -> form(r);
            case org.transcuda.ir.SymbolAddr sa -> constant(sa);
            case Const c -> c.type() == ScalarType.F32 || c.type() == ScalarType.F64 || c.type() == ScalarType.PRED
                    ? null : new Form((int) c.bits(), new int[0], new int[0], 0, 0, 0);
            default -> null;
        };
    }

    private Form compute(Stmt st) {
        if (st.guard() != null || st.inst().defs().size() != 1) return null;
        switch (st.inst()) {
            case Inst.ReadSpecial rs -> {
                return switch (rs.which()) {
                    case TID_X -> new Form(0, new int[0], new int[0], 1, 0, 0);
                    case TID_Y -> new Form(0, new int[0], new int[0], 0, 1, 0);
                    case TID_Z -> new Form(0, new int[0], new int[0], 0, 0, 1);
                    default -> null;
                };
            }
            case Inst.Mov m -> {
                return is32(m.dst().type()) ? value(m.src()) : null;
            }
            case Inst.Compute c -> {
                if (!is32(c.type()) || !is32(c.dst().type())) return null;
                List<Form> s = new ArrayList<>();
                for (Value v : c.srcs()) {
                    Form x = value(v);
                    if (x == null) return null;
                    s.add(x);
                }
                return switch (c.op()) {
                    case ADD -> s.get(0).plus(s.get(1), 1);
                    case SUB -> s.get(0).plus(s.get(1), -1);
                    case SHL -> s.get(1).constant() && Integer.compareUnsigned(s.get(1).c(), 32) < 0
                            ? s.get(0).times(1 << s.get(1).c()) : null;
                    case MUL -> product(s.get(0), s.get(1));
                    case NEG -> s.get(0).times(-1);
                    // not x = -x - 1 (two's complement)
                    case NOT -> s.get(0).times(-1).plus(new Form(1, new int[0], new int[0], 0, 0, 0), -1);
                    case MAD -> {
                        Form p = product(s.get(0), s.get(1));
                        yield p == null ? null : p.plus(s.get(2), 1);
                    }
                    default -> null;
                };
            }
            default -> {
                return null;
            }
        }
    }

    private static Form product(Form a, Form b) {
        if (b.constant()) return a.times(b.c());
        if (a.constant()) return b.times(a.c());
        return null;
    }

    /**
     * The form of a shared access's address register when the lane loop can index the window directly: affine, and
     * every thread-index coefficient a multiple of the access size (then one check of the base's alignment covers
     * every thread); else null.
     */
    Form sharedAddress(Reg base, int bytes) {
        Form f = form(base);
        if (f == null || f.cx % bytes != 0 || f.cy % bytes != 0 || f.cz % bytes != 0) return null;
        return f;
    }

    /**
     * True when the accesses of {@code bytes} bytes at {@code zext(base + cx·x + cy·y + cz·z mod 2^32) + off}, for
     * every thread {@code (x, y, z)} of the block and every offset {@code off} of a group in {@code [offLo, offHi]}
     * (all congruent modulo {@code bytes}), are inside the shared window and aligned, and the 32-bit sum does not
     * wrap for any thread (so the address is {@code zext(base) + off + cx·x + cy·y + cz·z} exactly, which the lane
     * loop computes).
     */
    /**
     * {@link #fits} for the threads {@code txLo <= tid.x < txHi} of a one-dimensional block (an if-converted arm's
     * threads, {@link #predRange}); true for an empty range.
     */
    static boolean fitsRange(Exec e, int base, long offLo, long offHi, int cx, int txLo, int txHi, int bytes) {
        if (txLo >= txHi) return true;
        long b = Integer.toUnsignedLong(base);
        long d0 = (long) cx * txLo, d1 = (long) cx * (txHi - 1);
        long lo = b + Math.min(d0, d1), hi = b + Math.max(d0, d1);
        if (lo < 0 || hi > 0xffff_ffffL) return false;
        long start = b + (long) cx * txLo;
        return lo + offLo >= 0 && hi + offHi <= e.sharedSize - bytes && ((start + offLo) & (bytes - 1)) == 0;
    }

    /**
     * The threads of a one-dimensional block for which the 32-bit integer comparison {@code (a0 + cx·tid.x) op b}
     * (op: the ordinal of {@code Inst.CmpOp} {@code eq..hs}) is {@code want}, as {@code lo << 32 | hi}
     * (the range {@code lo <= tid.x < hi}), or -1 when the block is not one-dimensional, the compared value wraps
     * within the block, or the threads are not one range (its 32-bit value, read signed or unsigned as the
     * comparison does, is {@code a0 + cx·tid.x} exactly over the whole block, so an order comparison changes at most
     * once, found in closed form by {@link #change}; an equality holds at one thread at most, and its negation is one
     * range only when that thread is the first or the last or none).
     */
    static long predRange(Exec e, int site, int a0, int cx, int b, int op, boolean unsigned, boolean want) {
        if (!MEMO) return predRange(e.ntx, e.nty, e.ntz, a0, cx, b, op, unsigned, want);
        return predRangeMemo(e.predKeys, e.predVals, site, e.ntx, e.nty, e.ntz, a0, cx, b, op, unsigned, want);
    }

    /**
     * {@link #predRange(int, int, int, int, int, int, int, boolean, boolean)} through a direct-mapped memo of
     * {@link #PRED_MEMO} slots ({@link Exec#predKeys}, {@link Exec#predVals}; one memo per launch and worker: the
     * block shape is fixed per launch). The same arm asks the same question in every block (reduce: 9 per block).
     * The slot is the arm's {@code site} (numbered by the compiler, per function), so the arms of a function with
     * at most {@link #PRED_MEMO} of them never evict one another; the key (a0, cx, b, op) is still compared in full,
     * so a slot shared by two arms (or an arm whose question changes per block, {@code i = 64·ctaid + t < n}) costs
     * a recomputation, never a wrong range.
     * <p>
     * {@code -Dtranscuda.cpu.predMemoSite=false}: the slot from a hash of the key (the memo before 2026-11-26 10:00,
     * kept for A/B). That hash, {@code ((a0·31 + cx)·31 + b)·31 + k} on 32 slots, put reduce's tree steps
     * {@code t < 128}, {@code t < 64} and {@code t < 32} (b = 127, 63, 31, all {@code ≡ 31 (mod 32)}, and
     * {@code 31 ≡ -1}) into one slot: three misses in every block.
     */
    static long predRangeMemo(int[] keys, long[] vals, int site, int ntx, int nty, int ntz, int a0, int cx, int b,
            int op, boolean unsigned, boolean want) {
        int k = op | (unsigned ? 16 : 0) | (want ? 32 : 0);
        int slot;
        if (SITE_SLOTS) {
            slot = site & (PRED_MEMO - 1);
        } else {
            int h = ((a0 * 31 + cx) * 31 + b) * 31 + k;
            h ^= h >>> 15;
            slot = h & 31;
        }
        int i = slot << 2;
        if (keys[i + 3] == k && keys[i] == a0 && keys[i + 1] == cx && keys[i + 2] == b) return vals[slot];
        long r = predRange(ntx, nty, ntz, a0, cx, b, op, unsigned, want);
        keys[i] = a0;
        keys[i + 1] = cx;
        keys[i + 2] = b;
        keys[i + 3] = k;
        vals[slot] = r;
        return r;
    }

    /** Slots of {@link Exec#predKeys}; a power of two, at least 32 (the hashed form's slots). */
    static final int PRED_MEMO = 64;
    /** {@link #predRange}'s per-launch memo, on unless {@code -Dtranscuda.cpu.predMemo=false}. */
    static final boolean MEMO = !"false".equals(System.getProperty("transcuda.cpu.predMemo"));
    /**
     * {@link #predRangeMemo}: the slot is the arm's site, unless {@code -Dtranscuda.cpu.predMemoSite=false} (a hash of
     * the question, the memo of before, for A/B).
     */
    static final boolean SITE_SLOTS = !"false".equals(System.getProperty("transcuda.cpu.predMemoSite"));

    static int[] emptyPredKeys() {
        int[] k = new int[PRED_MEMO * 4];
        for (int i = 3; i < k.length; i += 4) k[i] = -1;
        return k;
    }

    /** {@link #predRange(Exec, int, int, int, int, boolean, boolean)} for a block of {@code ntx × nty × ntz}. */
    static long predRange(int ntx, int nty, int ntz, int a0, int cx, int b, int op, boolean unsigned, boolean want) {
        if (nty != 1 || ntz != 1 || op <= 1 && !EQUALITY) return -1;
        int n = ntx;
        // the values as the comparison reads them, exact while they stay in its 32-bit range (then monotone in x)
        long a = unsigned ? Integer.toUnsignedLong(a0) : a0;
        long last = a + (long) cx * (n - 1);
        long min = unsigned ? 0 : Integer.MIN_VALUE, max = unsigned ? 0xffff_ffffL : Integer.MAX_VALUE;
        if (Math.min(a, last) < min || Math.max(a, last) > max) return -1;
        long bb = unsigned ? Integer.toUnsignedLong(b) : b;
        if (op <= 1) {
            // eq/ne: the value equals b at one thread x0 at most (cx != 0), or at all threads or none (cx == 0)
            boolean one = (op == 0) == want;  // the arm's threads are those where the value equals b
            long x0;
            if (cx == 0) x0 = a == bb ? -2 : -1;  // -2: every thread, -1: none
            else x0 = (bb - a) % cx == 0 && (bb - a) / cx >= 0 && (bb - a) / cx < n ? (bb - a) / cx : -1;
            if (x0 == -2) return one ? n : 0;
            if (one) return x0 < 0 ? 0 : x0 << 32 | (x0 + 1);
            if (x0 < 0) return n;
            if (x0 == 0) return 1L << 32 | n;
            return x0 == n - 1 ? x0 : -1;  // the threads on both sides of x0 are two ranges
        }
        boolean first = holds(a, bb, op);
        if (first == holds(last, bb, op)) return first == want ? n : 0;
        // the predicate changes once: the first x where it differs from x = 0
        int hi = BISECT ? bisect(a, cx, bb, op, n, first) : change(a, cx, bb, op);
        return first == want ? hi : ((long) hi << 32) | n;
    }

    /**
     * {@link #predRange} takes eq/ne comparisons ({@code if (t == 0)}: an arm of one thread) unless
     * {@code -Dtranscuda.cpu.predEquality=false}.
     */
    static final boolean EQUALITY = !"false".equals(System.getProperty("transcuda.cpu.predEquality"));

    /**
     * {@link #predRange}'s search by bisection instead of {@link #change} ({@code -Dtranscuda.cpu.predBisect=true};
     * the form before 2026-11-26 06:30, kept for A/B and as a second reference in the tests).
     */
    static final boolean BISECT = Boolean.getBoolean("transcuda.cpu.predBisect");

    static int bisect(long a, int cx, long bb, int op, int n, boolean first) {
        int lo = 0, hi = n - 1;
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (holds(a + (long) cx * mid, bb, op) == first) lo = mid;
            else hi = mid;
        }
        return hi;
    }

    /**
     * The first {@code x > 0} at which the comparison {@code (a + cx·x) op b} differs from its value at
     * {@code x = 0}, in closed form (a division instead of bisection; 9 calls per block in reduce). The caller has
     * established that it changes within the block, so {@code cx != 0} and the values are exact longs. Every
     * comparison is {@code v < t} or its negation ({@code t = b} for lt/ge, {@code b + 1} for le/gt): for
     * {@code cx > 0}, {@code v < t} holds at {@code x = 0} and first fails at {@code ceil((t - a) / cx)}; for
     * {@code cx < 0} it fails at {@code x = 0} and first holds at {@code floor((a - t) / -cx) + 1}.
     */
    static int change(long a, int cx, long bb, int op) {
        long t = switch (op) {
            case 3, 7, 4, 8 -> bb + 1;
            default -> bb;
        };
        return (int) (cx > 0 ? Math.ceilDiv(t - a, cx) : Math.floorDiv(a - t, -(long) cx) + 1);
    }

    /** {@code v op b} for the order comparisons (the ordinals of {@code Inst.CmpOp} lt, le, gt, ge and unsigned). */
    static boolean holds(long v, long b, int op) {
        return switch (op) {
            case 2, 6 -> v < b;
            case 3, 7 -> v <= b;
            case 4, 8 -> v > b;
            default -> v >= b;
        };
    }

    /**
     * {@link #fits} for a group whose address has no block-uniform register ({@code base} a constant): the answer
     * depends only on the launch's block size and shared size, so each worker computes it once per launch.
     */
    static boolean fitsCached(Exec e, int group, int base, long offLo, long offHi, int cx, int cy, int cz, int bytes) {
        byte known = e.sharedOk[group];
        if (known != 0) return known == 1;
        boolean ok = fits(e, base, offLo, offHi, cx, cy, cz, bytes);
        e.sharedOk[group] = ok ? (byte) 1 : (byte) 2;
        return ok;
    }

    static boolean fits(Exec e, int base, long offLo, long offHi, int cx, int cy, int cz, int bytes) {
        long b = Integer.toUnsignedLong(base);
        long lo = b, hi = b;
        long dx = (long) cx * (e.ntx - 1), dy = (long) cy * (e.nty - 1), dz = (long) cz * (e.ntz - 1);
        lo += Math.min(0, dx) + Math.min(0, dy) + Math.min(0, dz);
        hi += Math.max(0, dx) + Math.max(0, dy) + Math.max(0, dz);
        if (lo < 0 || hi > 0xffff_ffffL) return false;
        return lo + offLo >= 0 && hi + offHi <= e.sharedSize - bytes && ((b + offLo) & (bytes - 1)) == 0;
    }
}
