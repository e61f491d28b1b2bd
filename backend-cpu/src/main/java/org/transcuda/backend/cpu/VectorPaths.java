package org.transcuda.backend.cpu;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import org.transcuda.ir.AddressSpace;
import org.transcuda.ir.Block;
import org.transcuda.ir.FloatMode;
import org.transcuda.ir.Inst;
import org.transcuda.ir.Reg;
import org.transcuda.ir.ScalarType;
import org.transcuda.ir.Stmt;
import org.transcuda.ir.Value;

/**
 * The vector form of {@link UniformPaths}' path methods: a path run one statement at a time over the whole block
 * ("SIMT order"), each per-thread register an array of the block's size, block-uniform registers scalars.
 *
 * <h2>Why this order is exact</h2>
 * The threads of a block are unordered between barriers (a straight-line path has none), and every thread still
 * runs its own statements in program order: a statement runs for threads 0..n-1, then the next statement. A
 * thread's register values are only its own; a thread's load that follows its own store to the same address (an
 * earlier statement) sees that store. Only what CUDA leaves racy — one thread reading what another thread of the
 * block wrote earlier in the path — can differ from the thread-by-thread order.
 *
 * <h2>Statements</h2>
 * After dead-code elimination over the path (the address registers of the affine global accesses are dead: the
 * access takes its address from {@link AffineSites}' per-block coefficients; branch conditions are dead: the path
 * is already decided), each statement is one of
 * <ul>
 * <li>{@link #UNIFORM}: its operands are block-uniform (kernel parameters, {@code %ntid/%ctaid/%nctaid}, constants
 * and registers computed only from these): run once, into a JVM local;</li>
 * <li>{@link #LOAD}/{@link #STORE}: an affine 32/64-bit global access: per x-run of the block (a row of
 * {@code ntx} threads; the whole block when the rows are contiguous) one {@code MemorySegment.copy} between
 * {@link Mem#ALL} and the register's array when the x-stride equals the element size, else a gather/scatter loop
 * ({@link VecMem}); a load whose addresses are an earlier load's shifted by whole elements and rows (stencil
 * neighbours) copies that load's array instead, reading from memory only what lies outside it
 * ({@link VecMem#share});</li>
 * <li>{@link #STORE_UNIFORM}: such a store of a block-uniform value or constant ({@code out[i] = v}): a fill loop;</li>
 * <li>{@link #TID}: {@code %tid.x/y/z} into an int array;</li>
 * <li>{@link #LANE}: anything else, one counted loop over the threads with the statement's ordinary code on array
 * elements (the loop shape C2's SuperWord vectorizes for primitive arrays). An f32 add/sub/mul/div/fma in round to
 * nearest computes the raw IEEE result in the loop and folds a {@code Math.max} reduction over it (vectorized with
 * the loop); only when that is NaN does a second loop rewrite NaNs to NVIDIA's canonical NaN, as the scalar code
 * does per result. The results are the scalar code's, bit for bit.</li>
 * </ul>
 * The statements run in program order except that each LOAD moves up past the register statements before it that
 * do not mention its destination ({@link LoadHoist}: loads never pass another access), so the arithmetic after
 * several loads becomes one loop (stencil's interior path: four loads, then one fused loop of three additions and
 * a multiplication, then the store).
 * A path has no vector form (its scalar method runs) when a register is read before the path defines it, a store's
 * per-thread value is a register of another kind than the store, or a load's destination register is of another
 * kind or size than the load. {@code -Dtranscuda.cpu.vector=false}: no vector forms (A/B measurements).
 *
 * <h2>Extent</h2>
 * A path method runs over {@link Exec#vnx}{@code ×}{@link Exec#vny}{@code ×}{@link Exec#vnz} threads ({@link Exec#vn}
 * in all), with the sites' coefficients in {@link Exec#affineResult}: the block, or, for {@link GridRows}, one thread
 * row of lanes across several blocks of a grid row ({@code vny = vnz = 1}, the per-thread arrays as long as the
 * longest row loop). The argument above holds for any set of threads of a kernel without barriers; a path that reads
 * {@code %ctaid.x} (not uniform over a row's lanes) is not run as rows ({@link GridRows#rowSafe}).
 */
final class VectorPaths {
    /** {@code -Dtranscuda.cpu.vector=false}: the scalar path methods only. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.vector"));
    /** {@code -Dtranscuda.cpu.vecFuse=false}: one loop per statement (A/B measurements). */
    static final boolean FUSE = !"false".equals(System.getProperty("transcuda.cpu.vecFuse"));
    /** {@code -Dtranscuda.cpu.vecShare=false}: every load copies from memory (A/B measurements). */
    static final boolean SHARE = !"false".equals(System.getProperty("transcuda.cpu.vecShare"));

    static final int DEAD = 0, UNIFORM = 1, LANE = 2, LOAD = 3, STORE = 4, TID = 5, STORE_UNIFORM = 6;

    /** One statement of a path: its block, index in the block, the statement. */
    record At(Block block, int index, Stmt stmt) {
    }

    /**
     * The vector form of one path: its statements in order, each statement's kind, for LOAD/STORE the hoisted
     * site's index in {@link AffineSites} (for TID the dimension), for LANE statements the loop ("run") they belong
     * to, and the registers held in per-thread arrays (the other per-thread registers live only inside one run: JVM
     * locals of its loop).
     */
    record Plan(List<At> stmts, int[] kind, int[] arg, int[] run, BitSet arrays, int[] from) {
    }

    /** Per path of {@link UniformPaths#paths}: its plan, or null (no vector form, or no stores). */
    final Plan[] plans;
    /** Per register of the kernel: the kind of its per-thread array ('I', 'J', 'F', 'D'), 0 when none. */
    final char[] arrayKinds;
    /** Per path: why it has no vector form (null when it has one, or when it stores nothing; logged at debug). */
    final String[] refusals;
    /**
     * Per path: the hoisted sites ({@link AffineSites} indices) of every global access on it, dead ones included
     * (what {@link GridRows} checks over a loop's lanes: no less than the per-block check covers).
     */
    final int[][] pathSites;

    private VectorPaths(Plan[] plans, char[] arrayKinds, String[] refusals, int[][] pathSites) {
        this.plans = plans;
        this.arrayKinds = arrayKinds;
        this.refusals = refusals;
        this.pathSites = pathSites;
    }

    /**
     * The vector forms of {@code up}'s paths ({@code affine}: the kernel's hoisted sites, {@code sites}: the site
     * number of each memory instruction, {@code regKinds}: each register's JVM kind); null when disabled or when no
     * path has one.
     */
    static VectorPaths analyze(UniformPaths up, AffineSites affine, Map<Inst, Integer> sites, char[] regKinds) {
        if (!ENABLED || up == null || affine == null) return null;
        int n = up.paths.size();
        Plan[] plans = new Plan[n];
        String[] refusals = new String[n];
        char[] kinds = new char[regKinds.length];
        boolean any = false;
        // each hoisted instruction's index in AffineSites (by its site number)
        java.util.IdentityHashMap<Inst, Integer> siteIndex = new java.util.IdentityHashMap<>();
        for (Inst in : affine.instructions()) {
            Integer number = sites.get(in);
            for (int j = 0; number != null && j < affine.count(); j++) {
                if (affine.site[j] == number) {
                    siteIndex.put(in, j);
                    break;
                }
            }
        }
        for (int k = 0; k < n; k++) {
            if (!up.stores[k]) continue;
            Object r = plan(up.paths.get(k), affine, siteIndex, regKinds);
            if (r instanceof String why) {
                refusals[k] = why;
                continue;
            }
            Plan p = (Plan) r;
            plans[k] = p;
            any = true;
            for (int id = p.arrays.nextSetBit(0); id >= 0; id = p.arrays.nextSetBit(id + 1)) kinds[id] = regKinds[id];
        }
        int[][] pathSites = new int[n][];
        for (int k = 0; k < n; k++) {
            BitSet on = new BitSet();
            for (Block b : up.paths.get(k)) {
                for (Stmt st : b.stmts()) {
                    Integer j = siteIndex.get(st.inst());
                    if (j != null) on.set(j);
                }
            }
            pathSites[k] = on.stream().toArray();
        }
        return any ? new VectorPaths(plans, kinds, refusals, pathSites) : null;
    }

    /** The plan of one path, or the reason it has none. */
    private static Object plan(List<Block> path, AffineSites affine, java.util.IdentityHashMap<Inst, Integer> site,
            char[] regKinds) {
        List<At> stmts = new ArrayList<>();
        for (Block b : path) {
            for (int i = 0; i < b.stmts().size(); i++) stmts.add(new At(b, i, b.stmts().get(i)));
        }
        int m = stmts.size();
        int[] kind = new int[m];
        int[] arg = new int[m];
        // dead code: backward over the path; nothing is live after its end (a ret/exit)
        BitSet live = new BitSet();
        boolean[] needed = new boolean[m];
        for (int i = m - 1; i >= 0; i--) {
            Inst in = stmts.get(i).stmt().inst();
            boolean hoisted = site.containsKey(in);
            if (in instanceof Inst.Store st) {
                if (!hoisted) return "a store that is not an affine global access";
                needed[i] = true;
                if (st.src() instanceof Reg r) live.set(r.id());
                continue;
            }
            boolean need = false;
            for (Reg d : in.defs()) need |= live.get(d.id());
            if (!need) continue;
            needed[i] = true;
            for (Reg d : in.defs()) live.clear(d.id());
            if (in instanceof Inst.Load l && hoisted) continue; // the address comes from AffineSites
            for (Value v : in.uses()) if (v instanceof Reg r) live.set(r.id());
        }
        if (!live.isEmpty()) return "register %" + live.nextSetBit(0) + " is read before the path defines it";
        // block-uniform registers: every needed definition is uniform (fixpoint: remove registers with a
        // per-thread definition until nothing changes)
        BitSet uniform = new BitSet();
        for (int i = 0; i < m; i++) {
            if (needed[i]) for (Reg d : stmts.get(i).stmt().inst().defs()) uniform.set(d.id());
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int i = 0; i < m; i++) {
                if (!needed[i]) continue;
                Inst in = stmts.get(i).stmt().inst();
                if (uniformInst(in, uniform, site)) continue;
                for (Reg d : in.defs()) {
                    if (uniform.get(d.id())) {
                        uniform.clear(d.id());
                        changed = true;
                    }
                }
            }
        }
        BitSet arrays = new BitSet();
        for (int i = 0; i < m; i++) {
            if (!needed[i]) {
                kind[i] = DEAD;
                continue;
            }
            Inst in = stmts.get(i).stmt().inst();
            for (Reg d : in.defs()) if (!uniform.get(d.id())) arrays.set(d.id());
            if (in instanceof Inst.Load l && site.containsKey(in)) {
                if (!bulkType(l.type()) || regKinds[l.dst().id()] != kindOf(l.type())) {
                    return "load of " + l.type().ptxName() + " into a register of another kind";
                }
                kind[i] = LOAD;
                arg[i] = site.get(in);
            } else if (in instanceof Inst.Store st) {
                if (!bulkType(st.type())) return "store of " + st.type().ptxName();
                if (st.src() instanceof Reg r && !uniform.get(r.id())) {
                    if (regKinds[r.id()] != kindOf(st.type())) return "store of a register of another kind";
                    kind[i] = STORE;
                } else if (st.src() instanceof Reg || st.src() instanceof org.transcuda.ir.Const) {
                    kind[i] = STORE_UNIFORM;
                } else {
                    return "store of a symbol address";
                }
                arg[i] = site.get(in);
            } else if (in instanceof Inst.ReadSpecial rs && !uniform.get(rs.dst().id())) {
                if (regKinds[rs.dst().id()] != 'I') return "thread index into a 64-bit register";
                kind[i] = TID;
                arg[i] = switch (rs.which()) {
                    case TID_X -> 0;
                    case TID_Y -> 1;
                    case TID_Z -> 2;
                    default -> throw new IllegalStateException("per-thread special register " + rs.which());
                };
            } else {
                boolean u = true;
                for (Reg d : in.defs()) u &= uniform.get(d.id());
                kind[i] = u ? UNIFORM : LANE;
            }
        }
        // loads first where nothing between reads or writes their registers or memory (LoadHoist): longer loops
        int[] order = LoadHoist.order(stmts, kind);
        List<At> moved = new ArrayList<>(m);
        int[] kind2 = new int[m], arg2 = new int[m];
        for (int k = 0; k < m; k++) {
            moved.add(stmts.get(order[k]));
            kind2[k] = kind[order[k]];
            arg2[k] = arg[order[k]];
        }
        stmts = moved;
        kind = kind2;
        arg = arg2;
        int[] run = runs(stmts, kind);
        // registers that live inside one run (every mention there, the first a definition): JVM locals
        int[] runOf = new int[regKinds.length];
        java.util.Arrays.fill(runOf, -1);
        BitSet notLocal = new BitSet();
        for (int i = 0; i < m; i++) {
            if (kind[i] == DEAD) continue;
            Inst in = stmts.get(i).stmt().inst();
            List<Reg> uses = new ArrayList<>();
            if (kind[i] == STORE || kind[i] == STORE_UNIFORM) {
                if (((Inst.Store) in).src() instanceof Reg r) uses.add(r);
            } else if (kind[i] != LOAD) {
                for (Value v : in.uses()) if (v instanceof Reg r) uses.add(r);
            }
            for (Reg r : uses) mention(r.id(), run[i], false, runOf, notLocal);
            for (Reg d : in.defs()) mention(d.id(), run[i], true, runOf, notLocal);
        }
        for (int id = arrays.nextSetBit(0); id >= 0; id = arrays.nextSetBit(id + 1)) {
            if (runOf[id] >= 0 && !notLocal.get(id)) arrays.clear(id);
        }
        return new Plan(List.copyOf(stmts), kind, arg, run, arrays, shared(stmts, kind, regKinds));
    }

    /**
     * Per statement: for a LOAD that may take its values from an earlier load's array ({@link VecMem#share}), the
     * index of that load's statement, else -1. The earlier load is the first one of the path with the same element
     * size and register kind into another register that no statement between the two redefines, with nothing
     * between them that writes memory (only loads and register arithmetic): its array then still holds what memory
     * holds at the later load for the addresses the two share. Whether their addresses do relate is decided per
     * block from the coefficients. {@code -Dtranscuda.cpu.vecShare=false}: none (A/B measurements).
     */
    private static int[] shared(List<At> stmts, int[] kind, char[] regKinds) {
        int[] from = new int[stmts.size()];
        java.util.Arrays.fill(from, -1);
        if (!SHARE) return from;
        for (int i = 0; i < stmts.size(); i++) {
            if (kind[i] != LOAD) continue;
            Inst.Load li = (Inst.Load) stmts.get(i).stmt().inst();
            for (int k = 0; k < i && from[i] < 0; k++) {
                if (kind[k] != LOAD) continue;
                Inst.Load lk = (Inst.Load) stmts.get(k).stmt().inst();
                if (lk.type().bits() != li.type().bits() || lk.dst().id() == li.dst().id()
                        || regKinds[lk.dst().id()] != regKinds[li.dst().id()]) {
                    continue;
                }
                boolean ok = true;
                for (int m = k + 1; m < i && ok; m++) {
                    if (kind[m] == DEAD) continue;
                    Inst in = stmts.get(m).stmt().inst();
                    ok = readsOnly(in);
                    for (Reg d : in.defs()) ok &= d.id() != lk.dst().id();
                }
                if (ok) from[i] = k;
            }
        }
        return from;
    }

    /** Whether {@code in} writes no memory (a load or register arithmetic). */
    private static boolean readsOnly(Inst in) {
        return switch (in) {
            case Inst.Load x -> true;
            case Inst.Mov x -> true;
            case Inst.Compute x -> true;
            case Inst.CarryArith x -> true;
            case Inst.Compare x -> true;
            case Inst.Convert x -> true;
            case Inst.Cvta x -> true;
            case Inst.IsSpace x -> true;
            case Inst.ReadSpecial x -> true;
            default -> false;
        };
    }

    /** Records a mention of register {@code id} by a statement of run {@code run} (-1: not a LANE statement). */
    private static void mention(int id, int run, boolean def, int[] runOf, BitSet notLocal) {
        if (runOf[id] == -1) {
            // the first mention: a local starts with its definition, in a run
            if (!def || run < 0) notLocal.set(id);
            runOf[id] = run;
        } else if (runOf[id] != run || run < 0) {
            notLocal.set(id);
        }
    }

    /**
     * Groups consecutive LANE statements into loops. A loop ends at any other statement that runs, and before a
     * statement that is not an f32 operation with deferred NaN canonicalization ({@link #deferredNaN}) but mentions
     * a register that such an operation defined earlier in the loop (its raw NaN must not be observed: the loop's
     * canonicalization runs after it). An f32 arithmetic operation propagates a NaN operand to its NaN result, so a
     * raw NaN read by another deferred operation ends up in a result that is canonicalized.
     */
    private static int[] runs(List<At> stmts, int[] kind) {
        int[] run = new int[stmts.size()];
        java.util.Arrays.fill(run, -1);
        int cur = -1, runs = 0;
        BitSet raw = new BitSet();
        for (int i = 0; i < stmts.size(); i++) {
            if (kind[i] == DEAD) continue;
            if (kind[i] != LANE) {
                cur = -1;
                continue;
            }
            Inst in = stmts.get(i).stmt().inst();
            boolean deferred = KernelCompiler.CANONICAL_NANS && deferredNaN(in);
            boolean touchesRaw = false;
            for (Value v : in.uses()) if (v instanceof Reg r && raw.get(r.id())) touchesRaw = true;
            for (Reg d : in.defs()) if (raw.get(d.id())) touchesRaw = true;
            if (cur < 0 || !FUSE || touchesRaw && !deferred) {
                cur = runs++;
                raw.clear();
            }
            run[i] = cur;
            if (deferred) raw.set(((Inst.Compute) in).dst().id());
        }
        return run;
    }

    /** Whether {@code in} computes a block-uniform value when the registers in {@code uniform} are uniform. */
    private static boolean uniformInst(Inst in, BitSet uniform, java.util.Map<Inst, Integer> site) {
        switch (in) {
            case Inst.Load l -> {
                return l.space() == AddressSpace.PARAM;
            }
            case Inst.ReadSpecial rs -> {
                return switch (rs.which()) {
                    case TID_X, TID_Y, TID_Z -> false;
                    default -> true;
                };
            }
            case Inst.Mov x -> {
            }
            case Inst.Compute x -> {
            }
            case Inst.Compare x -> {
            }
            case Inst.Convert x -> {
            }
            case Inst.Cvta x -> {
            }
            default -> {
                return false;
            }
        }
        for (Value v : in.uses()) if (v instanceof Reg r && !uniform.get(r.id())) return false;
        return true;
    }

    private static boolean bulkType(ScalarType t) {
        return t.bits() == 32 || t.bits() == 64;
    }

    /** The JVM kind of a 32/64-bit type, as in {@code KernelCompiler.kind}. */
    static char kindOf(ScalarType t) {
        return switch (t) {
            case F32 -> 'F';
            case F64 -> 'D';
            default -> t.bits() == 64 ? 'J' : 'I';
        };
    }

    /**
     * Whether a LANE statement is an f32 operation whose scalar code canonicalizes its NaN result after plain Java
     * arithmetic (round to nearest, no ftz: {@code add/sub/mul/div/fma/mad}); its vector loop defers that.
     */
    static boolean deferredNaN(Inst in) {
        if (!(in instanceof Inst.Compute c) || c.type() != ScalarType.F32 || c.dst().type() != ScalarType.F32) {
            return false;
        }
        FloatMode m = c.mode();
        boolean rn = switch (m.rounding()) {
            case DEFAULT, RN, RNI -> true;
            default -> false;
        };
        if (!rn || m.ftz() || m.sat()) return false;
        return switch (c.op()) {
            case ADD, SUB, MUL, DIV, FMA, MAD -> true;
            default -> false;
        };
    }
}
