package org.transcuda.backend.cpu;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.transcuda.ir.AddressSpace;
import org.transcuda.ir.Block;
import org.transcuda.ir.Function;
import org.transcuda.ir.Inst;
import org.transcuda.ir.Memory;
import org.transcuda.ir.ScalarType;
import org.transcuda.ir.Stmt;
import org.transcuda.ir.Terminator;

/**
 * Straight-line kernels run path by path: the thread engine's block loop for kernels whose threads, in most blocks,
 * all take the same path through an acyclic kernel (the {@code if (i < n)} guard of CUDA code, a border test).
 *
 * <h2>Which kernels</h2>
 * Acyclic control flow of {@code bra}, {@code @p bra}, {@code ret} and {@code exit}; no guarded statements;
 * statements: moves, arithmetic, comparisons, conversions, {@code cvta}, the thread/block index and size registers,
 * kernel parameters, and weak global/const loads and stores that {@link AffineSites} checks per block; no
 * memory access in the <em>branching region</em> (the blocks from which a conditional branch can be reached),
 * so every branch condition is pure arithmetic on indices and parameters. At most {@link #MAX_PATHS} paths.
 *
 * <h2>How a block runs</h2>
 * When the per-block check passed for every site, {@code vecBlock} runs the branching region for every thread
 * (its statements are pure) and numbers the path each thread takes (Ball–Larus edge increments: the sum along a
 * path from the entry to an exit is unique in {@code [0, paths)}). When all threads of the block take the same
 * path, the path's method runs the statements of all its blocks, in order and without branches, in one loop over
 * {@code x} (nested in loops over {@code y} and {@code z}): the kind of loop the JIT unrolls, with no per-access
 * checks. When the threads diverge (a partial last block, a border), nothing has been written yet and the block
 * runs the ordinary thread loop; so does a block whose check failed for some site.
 *
 * <p>A path that has a vector form ({@link VectorPaths}) runs it instead of that loop: its method {@code vK} runs the
 * path one statement at a time over the whole block. The branch conditions' comparisons (like {@link AffineSites}'
 * address programs) are evaluated once per launch in the block index where that is exact ({@link LaunchForms}).
 * Launches whose forms allow it run pieces of grid rows instead, the paths decided per range of lanes
 * ({@link GridRows}, {@link #walkRun}).
 */
final class UniformPaths {
    static final int MAX_PATHS = 16;
    private static final int MAX_BLOCKS = 32;
    /** {@code -Dtranscuda.cpu.paths=false}: no path methods (A/B measurements). */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.paths"));

    /** Each path: its blocks from the entry to a {@code ret}/{@code exit}, numbered by their Ball–Larus sum. */
    final List<List<Block>> paths;
    /** Whether each path stores (a path without stores has nothing to do). */
    final boolean[] stores;
    /** Blocks from which a conditional branch can be reached (run by the path decision loop). */
    final java.util.Set<String> region;
    /** Ball–Larus increment of each edge, by source label and successor index. */
    final Map<String, long[]> increment;
    /** The vector forms of the paths (null: none); set by the compiler before the kernel's class is defined. */
    VectorPaths vector;

    /** Per block (in function order): its successors' block indices, increments, branch condition (or null). */
    private final int[][] succIndex;
    private final long[][] succInc;
    private final Pred[] cond;

    /** The comparisons of the branch conditions, by their index (see {@link LaunchForms}). */
    private final List<Cmp> cmps;

    private UniformPaths(Function f, List<List<Block>> paths, boolean[] stores, java.util.Set<String> region,
            Map<String, long[]> increment, Map<String, Pred> conds, List<Cmp> cmps) {
        this.cmps = cmps;
        List<Block> blocks = f.blocks();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < blocks.size(); i++) index.put(blocks.get(i).label(), i);
        succIndex = new int[blocks.size()][];
        succInc = new long[blocks.size()][];
        cond = new Pred[blocks.size()];
        for (int i = 0; i < blocks.size(); i++) {
            Block b = blocks.get(i);
            List<String> succ = successors(b.terminator());
            succIndex[i] = succ.stream().mapToInt(index::get).toArray();
            succInc[i] = increment.getOrDefault(b.label(), new long[succ.size()]);
            cond[i] = conds.get(b.label());
        }
        this.paths = paths;
        this.stores = stores;
        this.region = region;
        this.increment = increment;
    }

    /** The successors of a terminator, in the order the increments use (true target first). */
    static List<String> successors(Terminator t) {
        return switch (t) {
            case Terminator.Branch b -> List.of(b.target());
            case Terminator.CondBranch c -> List.of(c.ifTrue(), c.ifFalse());
            default -> List.of();
        };
    }

    /** The paths of {@code f} (a kernel without suspension points) when it qualifies, else null. */
    static UniformPaths analyze(Function f, AffineSites affine, Map<String, org.transcuda.ir.Param> params) {
        if (!ENABLED || affine == null || f.blocks().isEmpty() || f.blocks().size() > MAX_BLOCKS) return null;
        Map<String, Block> byLabel = new HashMap<>();
        for (Block b : f.blocks()) byLabel.put(b.label(), b);
        java.util.Set<Inst> hoisted = affine.instructions();
        for (Block b : f.blocks()) {
            Terminator t = b.terminator();
            if (!(t instanceof Terminator.Branch || t instanceof Terminator.CondBranch || t instanceof Terminator.Return
                    || t instanceof Terminator.Exit)) {
                return null;
            }
            if (t instanceof Terminator.CondBranch c && c.ifTrue().equals(c.ifFalse())) return null;
            for (String s : successors(t)) if (!byLabel.containsKey(s)) return null;
            for (Stmt s : b.stmts()) {
                if (s.guard() != null || !allowed(s.inst(), hoisted)) return null;
            }
        }
        // acyclic: topological order by depth-first search from the entry
        List<Block> post = new ArrayList<>();
        Map<String, Integer> state = new HashMap<>();
        if (!dfs(f.blocks().get(0), byLabel, state, post)) return null;
        // number of paths from each block to an exit, and the branching region
        Map<String, Long> count = new HashMap<>();
        java.util.Set<String> region = new java.util.HashSet<>();
        for (Block b : post) {
            List<String> succ = successors(b.terminator());
            long n = succ.isEmpty() ? 1 : 0;
            boolean branching = b.terminator() instanceof Terminator.CondBranch;
            for (String s : succ) {
                n += count.get(s);
                if (region.contains(s)) branching = true;
            }
            if (n > MAX_PATHS) return null;
            count.put(b.label(), n);
            if (branching) region.add(b.label());
        }
        Map<String, long[]> increment = new HashMap<>();
        for (Block b : post) {
            List<String> succ = successors(b.terminator());
            long[] inc = new long[succ.size()];
            long sum = 0;
            for (int i = 0; i < succ.size(); i++) {
                inc[i] = sum;
                sum += count.get(succ.get(i));
            }
            increment.put(b.label(), inc);
            // memory accesses only outside the branching region (branch conditions never depend on memory)
            if (region.contains(b.label())) {
                for (Stmt s : b.stmts()) {
                    if (s.inst() instanceof Inst.Load l && l.space() != AddressSpace.PARAM || s.inst() instanceof Inst.Store) {
                        return null;
                    }
                }
            }
        }
        int n = (int) (long) count.get(f.blocks().get(0).label());
        List<List<Block>> paths = new ArrayList<>();
        for (int i = 0; i < n; i++) paths.add(null);
        enumerate(f.blocks().get(0), byLabel, increment, 0, new ArrayList<>(), paths);
        boolean[] stores = new boolean[n];
        for (int i = 0; i < n; i++) {
            for (Block b : paths.get(i)) {
                for (Stmt s : b.stmts()) if (s.inst() instanceof Inst.Store) stores[i] = true;
            }
        }
        AffineSites.Analysis a = new AffineSites.Analysis(f, params);
        Map<String, Pred> conds = new HashMap<>();
        List<Cmp> cmps = new ArrayList<>();
        for (Block b : f.blocks()) {
            if (b.terminator() instanceof Terminator.CondBranch c) {
                Pred p = pred(a, c.pred(), 0, cmps);
                if (p != null) conds.put(b.label(), p);
            }
        }
        return new UniformPaths(f, paths, stores, region, increment, conds, cmps);
    }

    /** Number of comparisons in the branch conditions. */
    int comparisons() {
        return cmps.size();
    }

    /** The operations of comparison {@code c}'s two programs. */
    int[][] comparisonOps(int c) {
        return new int[][] {cmps.get(c).opsA(), cmps.get(c).opsB()};
    }

    /** The arguments of comparison {@code c}'s two programs. */
    long[][] comparisonArgs(int c) {
        return new long[][] {cmps.get(c).argsA(), cmps.get(c).argsB()};
    }

    // ---- branch conditions decided per block by ranges ---------------------------------------------------

    private static final int FALSE = 0, TRUE = 1, MIXED = 2;

    /** A branch condition over a whole block: {@link #FALSE}, {@link #TRUE} for every thread, or {@link #MIXED}. */
    private sealed interface Pred permits Cmp, Not, Both, Either, Fixed {
        int eval(Exec e);

        /** The condition over {@link GridRows}' current set of threads ({@link GridRows#range}). */
        int evalRun(Exec e);
    }

    private record Fixed(int value) implements Pred {
        public int eval(Exec e) {
            return value;
        }

        public int evalRun(Exec e) {
            return value;
        }
    }

    private record Not(Pred p) implements Pred {
        public int eval(Exec e) {
            int v = p.eval(e);
            return v == MIXED ? MIXED : 1 - v;
        }

        public int evalRun(Exec e) {
            int v = p.evalRun(e);
            return v == MIXED ? MIXED : 1 - v;
        }
    }

    private record Both(Pred p, Pred q) implements Pred {
        public int eval(Exec e) {
            int a = p.eval(e);
            if (a == FALSE) return FALSE;
            int b = q.eval(e);
            return b == FALSE ? FALSE : a == TRUE && b == TRUE ? TRUE : MIXED;
        }

        public int evalRun(Exec e) {
            int a = p.evalRun(e);
            if (a == FALSE) return FALSE;
            int b = q.evalRun(e);
            return b == FALSE ? FALSE : a == TRUE && b == TRUE ? TRUE : MIXED;
        }
    }

    private record Either(Pred p, Pred q) implements Pred {
        public int eval(Exec e) {
            int a = p.eval(e);
            if (a == TRUE) return TRUE;
            int b = q.eval(e);
            return b == TRUE ? TRUE : a == FALSE && b == FALSE ? FALSE : MIXED;
        }

        public int evalRun(Exec e) {
            int a = p.evalRun(e);
            if (a == TRUE) return TRUE;
            int b = q.evalRun(e);
            return b == TRUE ? TRUE : a == FALSE && b == FALSE ? FALSE : MIXED;
        }
    }

    /**
     * An integer comparison of two affine values, decided from the range of their exact difference over the
     * block's threads (32-bit operands extended as the comparison reads them; 64-bit unsigned comparisons only of
     * operands that are never negative).
     */
    private record Cmp(int index, Inst.CmpOp op, int[] opsA, long[] argsA, int[] opsB, long[] argsB,
            boolean unsigned64) implements Pred {
        public int eval(Exec e) {
            long[] st = e.affineStack;
            LaunchForms lf = LaunchForms.of(e);
            if (lf.cmpOk[index]) {
                // launch forms: the difference a - b for this block by three multiply-adds
                int off = LaunchForms.W * index;
                if (unsigned64) {
                    LaunchForms.block(e, lf.cmpA, off, st);
                    AffineSites.range(e, st);
                    if (st[4] < 0) return MIXED;
                    LaunchForms.block(e, lf.cmpB, off, st);
                    AffineSites.range(e, st);
                    if (st[4] < 0) return MIXED;
                }
                LaunchForms.block(e, lf.cmpDiff, off, st);
                AffineSites.range(e, st);
                return decide(op, st[4], st[5]);
            }
            if (!AffineSites.eval(e, opsA, argsA, st) || !AffineSites.range(e, st)) return MIXED;
            long u = st[0], ax = st[1], ay = st[2], az = st[3], loA = st[4];
            if (!AffineSites.eval(e, opsB, argsB, st) || !AffineSites.range(e, st)) return MIXED;
            if (unsigned64 && (loA < 0 || st[4] < 0)) return MIXED;
            st[0] = sub(u, st[0]);
            st[1] = sub(ax, st[1]);
            st[2] = sub(ay, st[2]);
            st[3] = sub(az, st[3]);
            if (st[0] == Long.MIN_VALUE || st[1] == Long.MIN_VALUE || st[2] == Long.MIN_VALUE
                    || st[3] == Long.MIN_VALUE || !AffineSites.range(e, st)) {
                return MIXED;
            }
            return decide(op, st[4], st[5]);
        }

        /** Over {@link GridRows}' current set of threads: only from launch forms (else MIXED). */
        public int evalRun(Exec e) {
            LaunchForms lf = LaunchForms.of(e);
            if (!lf.cmpOk[index]) return MIXED;
            long[] st = e.affineStack;
            int off = LaunchForms.W * index;
            if (unsigned64) {
                if (!GridRows.range(e, lf.cmpA, off, st) || st[0] < 0) return MIXED;
                if (!GridRows.range(e, lf.cmpB, off, st) || st[0] < 0) return MIXED;
            }
            if (!GridRows.range(e, lf.cmpDiff, off, st)) return MIXED;
            return decide(op, st[0], st[1]);
        }

        /** The comparison for every thread of the block, from the range {@code [lo, hi]} of a - b. */
        private static int decide(Inst.CmpOp op, long lo, long hi) {
            return switch (op) {
                case EQ -> lo == 0 && hi == 0 ? TRUE : lo > 0 || hi < 0 ? FALSE : MIXED;
                case NE -> lo == 0 && hi == 0 ? FALSE : lo > 0 || hi < 0 ? TRUE : MIXED;
                case LT, LO -> hi < 0 ? TRUE : lo >= 0 ? FALSE : MIXED;
                case LE, LS -> hi <= 0 ? TRUE : lo > 0 ? FALSE : MIXED;
                case GT, HI -> lo > 0 ? TRUE : hi <= 0 ? FALSE : MIXED;
                case GE, HS -> lo >= 0 ? TRUE : hi < 0 ? FALSE : MIXED;
                default -> MIXED;
            };
        }

        private static long sub(long a, long b) {
            if (a == Long.MIN_VALUE || b == Long.MIN_VALUE) return Long.MIN_VALUE;
            long r = a - b;
            return ((a ^ b) & (a ^ r)) < 0 ? Long.MIN_VALUE : r;
        }
    }

    /** The block-wide form of predicate {@code v}, or null when it has none. */
    private static Pred pred(AffineSites.Analysis a, org.transcuda.ir.Value v, int depth, List<Cmp> cmps) {
        if (depth > 8) return null;
        if (v instanceof org.transcuda.ir.Const c) return new Fixed(c.bits() != 0 ? TRUE : FALSE);
        if (!(v instanceof org.transcuda.ir.Reg r) || r.type() != ScalarType.PRED) return null;
        Stmt s = a.uniqueDef(r);
        if (s == null) return null;
        switch (s.inst()) {
            case Inst.Mov m -> {
                return pred(a, m.src(), depth + 1, cmps);
            }
            case Inst.Compute c when c.type() == ScalarType.PRED -> {
                List<org.transcuda.ir.Value> x = c.srcs();
                Pred p = pred(a, x.get(0), depth + 1, cmps);
                if (p == null) return null;
                if (c.op() == org.transcuda.ir.Opcode.NOT) return new Not(p);
                if (x.size() < 2) return null;
                Pred q = pred(a, x.get(1), depth + 1, cmps);
                if (q == null) return null;
                return switch (c.op()) {
                    case AND -> new Both(p, q);
                    case OR -> new Either(p, q);
                    default -> null;
                };
            }
            case Inst.Compare c -> {
                ScalarType t = c.type();
                int bits = t.bits();
                if (t.kind() == ScalarType.Kind.FLOAT || bits != 32 && bits != 64) return null;
                boolean unsigned = !(t == ScalarType.S32 || t == ScalarType.S64) || c.op().ordinal() >= 6;
                int norm = bits == 64 ? 0 : unsigned ? AffineSites.NORM_U32 : AffineSites.NORM_S32;
                Object[] pa = a.program(c.a(), bits, norm);
                if (pa == null) return null;
                Object[] pb = a.program(c.b(), bits, norm);
                if (pb == null) return null;
                return switch (c.op()) {
                    case EQ, NE, LT, LE, GT, GE, LO, LS, HI, HS -> {
                        Cmp cmp = new Cmp(cmps.size(), c.op(), (int[]) pa[0], (long[]) pa[1], (int[]) pb[0],
                                (long[]) pb[1], bits == 64 && unsigned);
                        cmps.add(cmp);
                        yield cmp;
                    }
                    default -> null;
                };
            }
            default -> {
                return null;
            }
        }
    }

    /**
     * The path every thread of {@code e}'s current block takes when the branch conditions decide it for the whole
     * block, else -1 (the threads may diverge: {@code vecBlock} then looks at each thread).
     */
    static int decide(Exec e) {
        int p = e.launch.kernel.paths.walk(e, false);
        if (p >= 0) e.rangeDecided++;
        return p;
    }

    /**
     * Whether {@link #walkRun} decides the path of every single thread of a launch with launch forms {@code lf}:
     * every branch condition is made of comparisons that have launch forms, none of them an unsigned 64-bit one
     * (which needs its operands' signs).
     */
    boolean decidesEveryThread(LaunchForms lf) {
        for (Pred p : cond) if (p != null && !decides(p, lf)) return false;
        for (int b = 0; b < cond.length; b++) if (succIndex[b].length > 1 && cond[b] == null) return false;
        return true;
    }

    private static boolean decides(Pred p, LaunchForms lf) {
        return switch (p) {
            case Fixed f -> true;
            case Not n -> decides(n.p(), lf);
            case Both b -> decides(b.p(), lf) && decides(b.q(), lf);
            case Either x -> decides(x.p(), lf) && decides(x.q(), lf);
            case Cmp c -> lf.cmpOk[c.index()] && !c.unsigned64();
        };
    }

    /**
     * The path every thread of {@link GridRows}' current set of threads ({@link GridRows#range}) takes when the
     * branch conditions' launch forms decide it for all of them, else -1.
     */
    int walkRun(Exec e) {
        return walk(e, true);
    }

    /**
     * The path every thread takes, by the branch conditions: over the current block ({@code run} false) or over
     * {@link GridRows}' current set of threads ({@code run} true); -1 when some condition does not decide it.
     */
    private int walk(Exec e, boolean run) {
        int b = 0;
        long w = 0;
        for (int steps = 0; steps <= MAX_BLOCKS; steps++) {
            int[] succ = succIndex[b];
            if (succ.length == 0) return (int) w;
            if (succ.length == 1) {
                w += succInc[b][0];
                b = succ[0];
                continue;
            }
            Pred p = cond[b];
            int v = p == null ? MIXED : run ? p.evalRun(e) : p.eval(e);
            if (v == MIXED) return -1;
            int k = v == TRUE ? 0 : 1;
            w += succInc[b][k];
            b = succ[k];
        }
        return -1;
    }

    private static boolean allowed(Inst i, java.util.Set<Inst> hoisted) {
        return switch (i) {
            case Inst.Mov m -> true;
            case Inst.Compute c -> true;
            case Inst.Compare c -> true;
            case Inst.Convert c -> true;
            case Inst.Cvta c -> true;
            case Inst.ReadSpecial r -> switch (r.which()) {
                case TID_X, TID_Y, TID_Z, NTID_X, NTID_Y, NTID_Z, CTAID_X, CTAID_Y, CTAID_Z, NCTAID_X, NCTAID_Y,
                        NCTAID_Z -> true;
                default -> false;
            };
            case Inst.Load l -> l.space() == AddressSpace.PARAM ? l.order() == Memory.Order.WEAK : hoisted.contains(i);
            case Inst.Store s -> hoisted.contains(i);
            default -> false;
        };
    }

    /** Post-order (reverse topological) of the blocks reachable from {@code b}; false on a cycle. */
    private static boolean dfs(Block b, Map<String, Block> byLabel, Map<String, Integer> state, List<Block> post) {
        state.put(b.label(), 1);
        for (String s : successors(b.terminator())) {
            Integer st = state.get(s);
            if (st != null && st == 1) return false;
            if (st == null && !dfs(byLabel.get(s), byLabel, state, post)) return false;
        }
        state.put(b.label(), 2);
        post.add(b);
        return true;
    }

    private static void enumerate(Block b, Map<String, Block> byLabel, Map<String, long[]> increment, long sum,
            List<Block> prefix, List<List<Block>> paths) {
        prefix.add(b);
        List<String> succ = successors(b.terminator());
        if (succ.isEmpty()) {
            paths.set((int) sum, List.copyOf(prefix));
        } else {
            long[] inc = increment.get(b.label());
            for (int i = 0; i < succ.size(); i++) {
                enumerate(byLabel.get(succ.get(i)), byLabel, increment, sum + inc[i], prefix, paths);
            }
        }
        prefix.remove(prefix.size() - 1);
    }
}
