package org.transcuda.backend.cpu;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.transcuda.ir.AddressSpace;
import org.transcuda.ir.Block;
import org.transcuda.ir.Const;
import org.transcuda.ir.FloatMode;
import org.transcuda.ir.Function;
import org.transcuda.ir.Inst;
import org.transcuda.ir.Memory;
import org.transcuda.ir.Param;
import org.transcuda.ir.Reg;
import org.transcuda.ir.ScalarType;
import org.transcuda.ir.Stmt;
import org.transcuda.ir.SymbolAddr;
import org.transcuda.ir.Value;

/**
 * Global memory accesses whose address is affine in the thread index, checked once per block instead of once per
 * access (the thread engine's {@code runBlock}).
 *
 * <h2>Which accesses</h2>
 * A weak (non-ordered) {@code ld/st.global} or {@code .const} whose address register is computed, through registers
 * that each have exactly one unguarded definition in the kernel and are not live at its entry (so every use sees
 * that definition's value, on every path), from kernel parameters ({@code ld.param}), {@code %tid}, {@code %ntid},
 * {@code %ctaid}, {@code %nctaid} and constants by integer {@code mov}, {@code add}, {@code sub}, {@code mul.lo},
 * {@code mul.wide}, {@code mad.lo}, {@code mad.wide} (one factor without thread index), {@code shl} by a constant,
 * integer widening/narrowing {@code cvt} and {@code cvta} of global addresses: the usual {@code ctaid*ntid+tid} →
 * {@code mul.wide} → {@code add} shape of CUDA code, in one, two or three dimensions. For such an access the address
 * of thread {@code (x, y, z)} is {@code u + ax*x + ay*y + az*z} with block-uniform {@code u, ax, ay, az}.
 *
 * <h2>The per-block check</h2>
 * Before the block's threads run, {@link #check} evaluates each such address's coefficients for the block (exact
 * integer arithmetic: every 32-bit intermediate is tracked as the exact integer whose low 32 bits the code computes,
 * and where the code sign- or zero-extends it, the whole block's range must lie in one window of 2^32 values, else
 * the extension is not affine and the block is not hoisted; any 64-bit overflow likewise), then its range over all
 * threads of the block, and sets the site's bit when that whole range lies inside one live allocation and every
 * thread's address is aligned to the access size. The range is a superset of the addresses the block really uses
 * (threads that skip the access by a branch or a guard are counted too), so a set bit proves every access of the
 * site in this block valid; the compiled code then accesses memory without its per-access check. A clear bit (a
 * block partly outside the data, an address that wraps, a misaligned base) means the ordinary checked access, which
 * faults at the right thread and instruction: hoisting never changes what a kernel does, only how often it checks.
 *
 * <p>Used for the kernels that {@link UniformPaths} runs path by path (the check alone, with per-access flags in
 * the thread loop, measured no faster than per-access checks: docs/benchmarks.md), and by the lockstep engine for every
 * kernel it runs: its first segment checks the block once and the lane loops test the site's bit instead of each
 * address ({@code KernelCompiler}'s {@code lockGlobalFlags}; {@code -Dtranscuda.cpu.lockglob=false}: off).
 */
final class AffineSites {
    /** At most this many hoisted sites per kernel (one bit of a long each). */
    static final int MAX_SITES = 64;
    /** Longest address program (postfix operations) considered. */
    static final int MAX_OPS = 48;
    /** {@code -Dtranscuda.cpu.hoist=false}: no hoisting (A/B measurements). */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.hoist"));

    // postfix operations of an address program
    static final int CONST = 0, PARAM32 = 1, PARAM64 = 2, SPECIAL = 3, ADD = 4, SUB = 5, MUL = 6, SHL = 7,
            NORM_S32 = 8, NORM_U32 = 9;
    static final int TX = 0, TY = 1, TZ = 2, NTX = 3, NTY = 4, NTZ = 5, CX = 6, CY = 7, CZ = 8, NCX = 9,
            NCY = 10, NCZ = 11;

    /** Address programs (one per distinct address register): operations and their arguments. */
    private final int[][] ops;
    private final long[][] args;
    /** Per hoisted site: its program, constant offset, log2 of its access size, site number. */
    final int[] prog;
    final long[] offset;
    final int[] log2;
    final int[] site;
    /** The hoisted load/store instructions. */
    private final java.util.Set<Inst> insts;
    /**
     * The instruction of each site {@code j} ({@link #site} holds its site number in the method that analyzed it;
     * every generated method numbers its sites anew, so other methods find their own number by this instruction).
     */
    final Inst[] inst;

    private AffineSites(List<int[]> ops, List<long[]> args, int[] prog, long[] offset, int[] log2, int[] site,
            List<Inst> inst) {
        this.inst = inst.toArray(Inst[]::new);
        this.insts = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        this.insts.addAll(inst);
        this.ops = ops.toArray(int[][]::new);
        this.args = args.toArray(long[][]::new);
        this.prog = prog;
        this.offset = offset;
        this.log2 = log2;
        this.site = site;
    }

    /** The hoisted load/store instructions (identity set). */
    java.util.Set<Inst> instructions() {
        return insts;
    }

    /** Number of address programs. */
    int programs() {
        return ops.length;
    }

    /** The operations of program {@code p}. */
    int[] ops(int p) {
        return ops[p];
    }

    /** The arguments of program {@code p}'s operations. */
    long[] args(int p) {
        return args[p];
    }

    /** Number of hoisted sites. */
    int count() {
        return site.length;
    }

    // ---- analysis (when the kernel is compiled) ---------------------------------------------------------

    /**
     * The hoistable sites of {@code kernel}, in site order; {@code sites} numbers its memory instructions,
     * {@code params} its parameters by name. Null when none.
     */
    static AffineSites analyze(Function kernel, Map<Inst, Integer> sites, Map<String, Param> params) {
        if (!ENABLED || kernel.blocks().isEmpty()) return null;
        Analysis a = new Analysis(kernel, params);
        List<int[]> ops = new ArrayList<>();
        List<long[]> args = new ArrayList<>();
        Map<Integer, Integer> progOfReg = new HashMap<>();
        List<Integer> prog = new ArrayList<>();
        List<Long> offsets = new ArrayList<>();
        List<Integer> log2 = new ArrayList<>();
        List<Integer> ids = new ArrayList<>();
        List<Inst> insts = new ArrayList<>();
        for (Block b : kernel.blocks()) {
            for (Stmt s : b.stmts()) {
                org.transcuda.ir.Address addr;
                AddressSpace space;
                ScalarType type;
                Memory.Order order;
                if (s.inst() instanceof Inst.Load l) {
                    addr = l.address();
                    space = l.space();
                    type = l.type();
                    order = l.order();
                } else if (s.inst() instanceof Inst.Store st) {
                    addr = st.address();
                    space = st.space();
                    type = st.type();
                    order = st.order();
                } else {
                    continue;
                }
                if (space != AddressSpace.GLOBAL && space != AddressSpace.CONST) continue;
                if (order != Memory.Order.WEAK || !(addr.base() instanceof Reg r) || r.type().bits() != 64) continue;
                Integer id = sites.get(s.inst());
                if (id == null || ids.size() == MAX_SITES) continue;
                Integer p = progOfReg.get(r.id());
                if (p == null) {
                    a.ops.clear();
                    a.args.clear();
                    if (!a.value(r, 64, 0) || a.ops.size() > MAX_OPS) {
                        progOfReg.put(r.id(), -1);
                        continue;
                    }
                    p = ops.size();
                    ops.add(a.ops.stream().mapToInt(Integer::intValue).toArray());
                    args.add(a.args.stream().mapToLong(Long::longValue).toArray());
                    progOfReg.put(r.id(), p);
                }
                if (p < 0) continue;
                prog.add(p);
                offsets.add(addr.offset());
                log2.add(Integer.numberOfTrailingZeros(type.bytes()));
                ids.add(id);
                insts.add(s.inst());
            }
        }
        if (ids.isEmpty()) return null;
        return new AffineSites(ops, args, prog.stream().mapToInt(Integer::intValue).toArray(),
                offsets.stream().mapToLong(Long::longValue).toArray(), log2.stream().mapToInt(Integer::intValue).toArray(),
                ids.stream().mapToInt(Integer::intValue).toArray(), insts);
    }

    /** Builds an address program by walking the unique definitions back to their sources. */
    static final class Analysis {
        final Map<String, Param> params;
        final Map<Integer, Stmt> def = new HashMap<>();
        final BitSet bad = new BitSet();
        final BitSet liveAtEntry;
        final List<Integer> ops = new ArrayList<>();
        final List<Long> args = new ArrayList<>();

        /**
         * The program of {@code v} as a {@code width}-bit integer (32-bit values then extended as {@code norm}:
         * {@link #NORM_S32} or {@link #NORM_U32}; 0: none), as {operations, arguments}; null when not affine.
         */
        Object[] program(Value v, int width, int norm) {
            ops.clear();
            args.clear();
            if (!value(v, width, 0) || ops.size() > MAX_OPS - 1) return null;
            if (norm != 0) op(norm, 0);
            return new Object[] {ops.stream().mapToInt(Integer::intValue).toArray(),
                    args.stream().mapToLong(Long::longValue).toArray()};
        }

        /** The unique, unguarded definition of {@code r} that every use sees, or null. */
        Stmt uniqueDef(Reg r) {
            return bad.get(r.id()) || liveAtEntry.get(r.id()) ? null : def.get(r.id());
        }

        Analysis(Function f, Map<String, Param> params) {
            this.params = params;
            for (Reg p : f.paramRegs()) bad.set(p.id());
            IdentityHashMap<Stmt, Boolean> seen = new IdentityHashMap<>();
            for (Block b : f.blocks()) {
                for (Stmt s : b.stmts()) {
                    if (seen.put(s, Boolean.TRUE) != null) continue;
                    for (Reg d : s.inst().defs()) {
                        if (s.guard() != null || def.containsKey(d.id())) bad.set(d.id());
                        def.put(d.id(), s);
                    }
                }
            }
            liveAtEntry = new Liveness(f).liveAfter(f.blocks().get(0), -1);
        }

        private void op(int op, long arg) {
            ops.add(op);
            args.add(arg);
        }

        /**
         * Appends the program of {@code v} used as a {@code width}-bit integer; false when it is not affine in the
         * thread index by the rules above.
         */
        boolean value(Value v, int width, int depth) {
            if (depth > 24 || ops.size() > MAX_OPS) return false;
            if (v instanceof Const c) {
                if (!integer(c.type()) && c.type() != ScalarType.B32 && c.type() != ScalarType.B64) return false;
                long bits = c.type() == ScalarType.S32 || c.type() == ScalarType.S64 ? c.signed() : c.bits();
                op(CONST, width == 32 ? (int) bits : bits);
                return true;
            }
            if (!(v instanceof Reg r) || bad.get(r.id()) || liveAtEntry.get(r.id())) return false;
            if (r.type().bits() != width || !integer(r.type())) return false;
            Stmt s = def.get(r.id());
            if (s == null) return false;
            return switch (s.inst()) {
                case Inst.Mov m -> value(m.src(), width, depth + 1);
                case Inst.ReadSpecial rs -> special(rs);
                case Inst.Cvta c -> c.space() == AddressSpace.GLOBAL && width == 64 && value(c.src(), 64, depth + 1);
                case Inst.Load l -> param(l, width);
                case Inst.Convert c -> convert(c, width, depth);
                case Inst.Compute c -> compute(c, width, depth);
                default -> false;
            };
        }

        private boolean special(Inst.ReadSpecial rs) {
            int w = switch (rs.which()) {
                case TID_X -> TX;
                case TID_Y -> TY;
                case TID_Z -> TZ;
                case NTID_X -> NTX;
                case NTID_Y -> NTY;
                case NTID_Z -> NTZ;
                case CTAID_X -> CX;
                case CTAID_Y -> CY;
                case CTAID_Z -> CZ;
                case NCTAID_X -> NCX;
                case NCTAID_Y -> NCY;
                case NCTAID_Z -> NCZ;
                default -> -1;
            };
            if (w < 0) return false;
            op(SPECIAL, w);
            return true;
        }

        private boolean param(Inst.Load l, int width) {
            if (l.space() != AddressSpace.PARAM || l.order() != Memory.Order.WEAK
                    || !(l.address().base() instanceof SymbolAddr sa) || !params.containsKey(sa.symbol())
                    || l.type().bits() != width || !integer(l.type())) {
                return false;
            }
            long off = params.get(sa.symbol()).offset() + l.address().offset();
            if (off < 0 || (off & (width / 8 - 1)) != 0) return false;
            op(width == 32 ? PARAM32 : PARAM64, off);
            return true;
        }

        private boolean convert(Inst.Convert c, int width, int depth) {
            if (!FloatMode.NONE.equals(c.mode()) || !integer(c.to()) || !integer(c.from())) return false;
            int from = c.from().bits();
            if (c.to().bits() != width || (from != 32 && from != 64)) return false;
            if (!value(c.src(), from, depth + 1)) return false;
            if (from == 32 && width == 64) op(signed(c.from()) ? NORM_S32 : NORM_U32, 0);
            return true;
        }

        private boolean compute(Inst.Compute c, int width, int depth) {
            ScalarType t = c.type();
            if (!integer(t) || !FloatMode.NONE.equals(c.mode())) return false;
            List<Value> s = c.srcs();
            switch (c.op()) {
                case ADD, SUB -> {
                    if (t.bits() != width || !value(s.get(0), width, depth + 1) || !value(s.get(1), width, depth + 1)) {
                        return false;
                    }
                    op(c.op() == org.transcuda.ir.Opcode.ADD ? ADD : SUB, 0);
                    return true;
                }
                case MUL, MAD -> {
                    if (t.bits() != width || !value(s.get(0), width, depth + 1) || !value(s.get(1), width, depth + 1)) {
                        return false;
                    }
                    op(MUL, 0);
                    if (c.op() == org.transcuda.ir.Opcode.MAD) {
                        if (!value(s.get(2), width, depth + 1)) return false;
                        op(ADD, 0);
                    }
                    return true;
                }
                case MUL_WIDE, MAD_WIDE -> {
                    if (t.bits() != 32 || width != 64) return false;
                    int norm = signed(t) ? NORM_S32 : NORM_U32;
                    if (!value(s.get(0), 32, depth + 1)) return false;
                    op(norm, 0);
                    if (!value(s.get(1), 32, depth + 1)) return false;
                    op(norm, 0);
                    op(MUL, 0);
                    if (c.op() == org.transcuda.ir.Opcode.MAD_WIDE) {
                        if (!value(s.get(2), 64, depth + 1)) return false;
                        op(ADD, 0);
                    }
                    return true;
                }
                case SHL -> {
                    if (t.bits() != width || !(s.get(1) instanceof Const k)) return false;
                    long n = k.bits() & 0xffff_ffffL;
                    if (n >= width || !value(s.get(0), width, depth + 1)) return false;
                    op(SHL, n);
                    return true;
                }
                default -> {
                    return false;
                }
            }
        }

        private static boolean integer(ScalarType t) {
            return switch (t) {
                case S32, U32, B32, S64, U64, B64 -> true;
                default -> false;
            };
        }

        private static boolean signed(ScalarType t) {
            return t == ScalarType.S32 || t == ScalarType.S64;
        }
    }

    // ---- the per-block check (when a block starts) -----------------------------------------------------

    /**
     * For the current block of {@code e}: bit {@code j} set when every access of hoisted site {@code j} by any
     * thread of the block is inside one live allocation and aligned (then the compiled code skips its check).
     */
    static long check(Exec e) {
        return e.launch.kernel.affine.checkBlock(e);
    }

    private long checkBlock(Exec e) {
        long[] st = e.affineStack;
        long[] res = e.affineResult;
        int nprog = ops.length;
        LaunchForms lf = LaunchForms.of(e);
        SiteMaskOnce once = lf.siteMaskOnce;
        if (once != null) return once.block(e, res);
        for (int p = 0; p < nprog; p++) {
            if (lf.programOk[p]) {
                // the program's launch form: three multiply-adds for this block
                LaunchForms.block(e, lf.programs, LaunchForms.W * p, st);
            } else if (!eval(e, ops[p], args[p], st)) {
                res[4 * p] = Long.MIN_VALUE;
                continue;
            }
            res[4 * p] = st[0];
            res[4 * p + 1] = st[1];
            res[4 * p + 2] = st[2];
            res[4 * p + 3] = st[3];
        }
        long mask = 0;
        int n = site.length;
        for (int j = 0; j < n; j++) {
            if (lf.siteAlways[j]) {
                // inside its allocation for the whole grid (LaunchForms)
                mask |= 1L << j;
                continue;
            }
            int p = prog[j];
            long u = res[4 * p];
            if (u != Long.MIN_VALUE && inRange(e, j, u, res[4 * p + 1], res[4 * p + 2], res[4 * p + 3])) {
                mask |= 1L << j;
            }
        }
        if (mask != 0) e.affineHits += Long.bitCount(mask);
        return mask;
    }

    private boolean inRange(Exec e, int j, long u, long ax, long ay, long az) {
        int k = log2[j];
        long size = 1L << k;
        long a0 = u + offset[j];
        if (((u ^ a0) & (offset[j] ^ a0)) < 0) return false;
        if ((a0 & (size - 1)) != 0) return false;
        if (e.ntx > 1 && (ax & (size - 1)) != 0 || e.nty > 1 && (ay & (size - 1)) != 0
                || e.ntz > 1 && (az & (size - 1)) != 0) {
            return false;
        }
        long lo = a0, hi = a0;
        long dx = mul(ax, e.ntx - 1), dy = mul(ay, e.nty - 1), dz = mul(az, e.ntz - 1);
        if (dx == Long.MIN_VALUE || dy == Long.MIN_VALUE || dz == Long.MIN_VALUE) return false;
        lo = add(add(add(lo, Math.min(0, dx)), Math.min(0, dy)), Math.min(0, dz));
        hi = add(add(add(hi, Math.max(0, dx)), Math.max(0, dy)), Math.max(0, dz));
        if (lo == Long.MIN_VALUE || hi == Long.MIN_VALUE || lo < 0 || hi > Long.MAX_VALUE - size) return false;
        return e.sites[site[j]].covers(e, lo, hi, k);
    }

    /** Evaluates one program; the result (u, ax, ay, az) in st[0..3]; false when not affine for this block. */
    static boolean eval(Exec e, int[] ops, long[] args, long[] st) {
        int sp = 0;
        for (int i = 0; i < ops.length; i++) {
            long arg = args[i];
            switch (ops[i]) {
                case CONST -> {
                    st[sp] = arg;
                    st[sp + 1] = st[sp + 2] = st[sp + 3] = 0;
                    sp += 4;
                }
                case PARAM32 -> {
                    st[sp] = Mem.get32(e.params, arg);
                    st[sp + 1] = st[sp + 2] = st[sp + 3] = 0;
                    sp += 4;
                }
                case PARAM64 -> {
                    st[sp] = Mem.get64(e.params, arg);
                    st[sp + 1] = st[sp + 2] = st[sp + 3] = 0;
                    sp += 4;
                }
                case SPECIAL -> {
                    st[sp] = st[sp + 1] = st[sp + 2] = st[sp + 3] = 0;
                    switch ((int) arg) {
                        case TX -> st[sp + 1] = 1;
                        case TY -> st[sp + 2] = 1;
                        case TZ -> st[sp + 3] = 1;
                        case NTX -> st[sp] = e.ntx;
                        case NTY -> st[sp] = e.nty;
                        case NTZ -> st[sp] = e.ntz;
                        case CX -> st[sp] = e.cx;
                        case CY -> st[sp] = e.cy;
                        case CZ -> st[sp] = e.cz;
                        case NCX -> st[sp] = e.ncx;
                        case NCY -> st[sp] = e.ncy;
                        default -> st[sp] = e.ncz;
                    }
                    sp += 4;
                }
                case ADD, SUB -> {
                    sp -= 4;
                    int a = sp - 4;
                    boolean sub = ops[i] == SUB;
                    for (int c = 0; c < 4; c++) {
                        long r = sub ? sub(st[a + c], st[sp + c]) : add(st[a + c], st[sp + c]);
                        if (r == Long.MIN_VALUE) return false;
                        st[a + c] = r;
                    }
                }
                case MUL -> {
                    sp -= 4;
                    int a = sp - 4;
                    long f;
                    int v;
                    if (st[sp + 1] == 0 && st[sp + 2] == 0 && st[sp + 3] == 0) {
                        f = st[sp];
                        v = a;
                    } else if (st[a + 1] == 0 && st[a + 2] == 0 && st[a + 3] == 0) {
                        f = st[a];
                        v = sp;
                    } else {
                        return false;
                    }
                    for (int c = 0; c < 4; c++) {
                        long r = mul(st[v + c], f);
                        if (r == Long.MIN_VALUE) return false;
                        st[a + c] = r;
                    }
                }
                case SHL -> {
                    int a = sp - 4;
                    for (int c = 0; c < 4; c++) {
                        long r = mul(st[a + c], 1L << arg);
                        if (r == Long.MIN_VALUE) return false;
                        st[a + c] = r;
                    }
                }
                default -> {
                    // NORM_S32 / NORM_U32: the exact value of the 32-bit result, sign- or zero-extended
                    int a = sp - 4;
                    long lo = st[a], hi = st[a];
                    long dx = mul(st[a + 1], e.ntx - 1), dy = mul(st[a + 2], e.nty - 1), dz = mul(st[a + 3], e.ntz - 1);
                    if (dx == Long.MIN_VALUE || dy == Long.MIN_VALUE || dz == Long.MIN_VALUE) return false;
                    lo = add(add(add(lo, Math.min(0, dx)), Math.min(0, dy)), Math.min(0, dz));
                    hi = add(add(add(hi, Math.max(0, dx)), Math.max(0, dy)), Math.max(0, dz));
                    if (lo == Long.MIN_VALUE || hi == Long.MIN_VALUE || lo > Long.MAX_VALUE - (1L << 32)) return false;
                    long bias = ops[i] == NORM_S32 ? 1L << 31 : 0;
                    long shift = Math.floorDiv(lo + bias, 1L << 32) << 32;
                    if (hi - shift + bias >= 1L << 32) return false;
                    st[a] -= shift;
                }
            }
        }
        st[0] = st[sp - 4];
        st[1] = st[sp - 3];
        st[2] = st[sp - 2];
        st[3] = st[sp - 1];
        return true;
    }

    /**
     * The range over the block's threads of the affine value in {@code st[0..3]}: {lo, hi} into {@code st[4..5]};
     * false on overflow.
     */
    static boolean range(Exec e, long[] st) {
        long dx = mul(st[1], e.ntx - 1), dy = mul(st[2], e.nty - 1), dz = mul(st[3], e.ntz - 1);
        long lo = add(add(add(st[0], Math.min(0, dx)), Math.min(0, dy)), Math.min(0, dz));
        long hi = add(add(add(st[0], Math.max(0, dx)), Math.max(0, dy)), Math.max(0, dz));
        if (lo == Long.MIN_VALUE || hi == Long.MIN_VALUE) return false;
        st[4] = lo;
        st[5] = hi;
        return true;
    }

    // exact arithmetic (also LaunchForms'); Long.MIN_VALUE stands for "overflow" (no address computation needs it)

    static long add(long a, long b) {
        if (a == Long.MIN_VALUE || b == Long.MIN_VALUE) return Long.MIN_VALUE;
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MIN_VALUE : r;
    }

    static long sub(long a, long b) {
        if (a == Long.MIN_VALUE || b == Long.MIN_VALUE) return Long.MIN_VALUE;
        long r = a - b;
        return ((a ^ b) & (a ^ r)) < 0 ? Long.MIN_VALUE : r;
    }

    static long mul(long a, long b) {
        if (a == Long.MIN_VALUE || b == Long.MIN_VALUE) return Long.MIN_VALUE;
        long r = a * b;
        return Math.multiplyHigh(a, b) != (r >> 63) ? Long.MIN_VALUE : r;
    }
}
