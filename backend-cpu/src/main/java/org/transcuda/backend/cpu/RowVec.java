package org.transcuda.backend.cpu;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.transcuda.ir.FloatMode;
import org.transcuda.ir.Inst;
import org.transcuda.ir.Reg;
import org.transcuda.ir.ScalarType;
import org.transcuda.ir.Value;

/**
 * A grid-row loop ({@link GridRows}) of an f32 path run as vectors directly on device memory: instead of copying
 * each load's row into a per-worker array ({@link VecMem}), running the arithmetic as a loop over the arrays and
 * copying the stored arrays back, the generated method {@code rK} walks the loop's lanes {@code VL} at a time
 * ({@code jdk.incubator.vector}'s preferred species, 16 floats with AVX-512): each load is one
 * {@code FloatVector.fromMemorySegment} at its lanes' addresses (stencil's neighbours {@code in[i±1]} are loads at
 * shifted addresses, no shifted copies), each statement one lane-wise operation, each store one
 * {@code intoMemorySegment}; the last {@code vn mod VL} lanes then run in the array form as a loop of their own
 * (stencil's one-lane border loops entirely; one masked vector instead measured no better). At most
 * {@link #MAX_STATEMENTS} loads, operations and stores per path. 32-bit integer paths and block-uniform loads
 * (scan_add): {@link RowVecInt}.
 *
 * <h2>Which paths</h2>
 * A vector-form path ({@link VectorPaths.Plan}) whose statements that run are block-uniform ones, f32 loads and
 * stores of per-thread registers, and {@code add/sub/mul/fma.f32} in round to nearest (no {@code .ftz/.sat}) and
 * f32 {@code mov}s over registers that the path's loads and operations define, block-uniform registers and
 * constants (saxpy's path, stencil's interior and border paths). Per loop ({@link #ok}), every load and store of the
 * path must have the element size as its {@code tid.x} coefficient (lane {@code l} at {@code base + 4·l}) and no
 * block-uniform load ({@link Exec#rowAcx}); and every store's address range over the loop's lanes must either miss
 * every other access's range, or have the same address per lane (saxpy's {@code y} load and store), or be a load's
 * shifted by whole elements such that no lane's load can see another lane's store in one order and not in the other:
 * the load before the store in the path reading ahead (what later lanes store), or after it reading behind. Otherwise
 * the loop runs as before ({@link RowChunks}, {@link VecMem}).
 *
 * <h2>Why this is exact</h2>
 * Each lane computes its own statements in program order with the operations the scalar code uses (IEEE binary32,
 * fused for {@code fma}); the order between lanes changes (a vector of lanes runs the whole path before the next
 * vector; the last lanes' array form is one more such step: all its loads, then its stores), which only memory could
 * show: with the ranges above, checked over all the loop's lanes, no lane overwrites what another lane of the loop
 * stores, a lane that loads and stores one address does so in path order, and a load that reads another lane's
 * store sees it in both orders (the store's lane earlier, the store first in the path: an earlier vector, or the same
 * one before the load) or in neither (the store's lane later, the load first in the path: the same vector after the
 * load, or a later one), so every load sees what it saw in the array form and memory ends the same. The loop's
 * accesses were checked over its lanes before anything ran (the piece's plan), so no access faults, and the vectors
 * touch exactly those addresses. NaNs: the array form
 * canonicalizes, after its loop, the deferred f32 results ({@link VectorPaths#deferredNaN}) that outlive their run
 * (the plan's arrays); here such a result is canonicalized in the vector, as it is made ({@code blend} of NVIDIA's
 * canonical NaN where {@code test(IS_NAN)}); the raw NaNs of the others are only read by deferred f32 operations,
 * whose NaN result is then canonicalized, so the bits are the same. Loaded values are not canonicalized (nor are
 * they in the scalar code). Not used with {@code -Dtranscuda.cpu.javaNaNs=true}.
 *
 * <p>Needs the JVM started with {@code --add-modules jdk.incubator.vector}; without it the array form runs.
 * {@code -Dtranscuda.cpu.rowVec=false}: the array form (A/B); {@code -Dtranscuda.cpu.stats=true} prints the loops run
 * so ("as vectors on memory").
 */
final class RowVec {
    /** {@code -Dtranscuda.cpu.rowVec=false}: grid-row loops always copy rows into arrays. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.rowVec"));
    /** Whether the vector module is there (readable by this class's module) with vectors of at least 4 floats. */
    static final boolean AVAILABLE = available();

    private RowVec() {
    }

    private static boolean available() {
        try {
            java.util.Optional<Module> m = ModuleLayer.boot().findModule("jdk.incubator.vector");
            if (m.isEmpty() || !RowVec.class.getModule().canRead(m.get())) return false;
            return LaneVecOps.length() >= 4;
        } catch (LinkageError | RuntimeException e) {
            return false;
        }
    }

    /**
     * Whether path methods {@code rK} are generated (the vector module is there); the switch is per launch
     * ({@link CpuDevice#rowVec}).
     */
    static boolean compiled() {
        return AVAILABLE && KernelCompiler.CANONICAL_NANS;
    }

    /**
     * Most statements of a path's vector loop (loads, operations, stores): a larger {@code rK} method, with the
     * vector API inlined, can exceed C1's virtual registers ("COMPILE SKIPPED: out of virtual registers in LIR
     * generator"), which leaves it in tier 2 without intrinsics (a loop of 27 vector statements was 15x slower than
     * the array form; 18, stencil's 9 plain and 9 masked, reached C2; docs/benchmarks.md).
     */
    static final int MAX_STATEMENTS = 16;

    /** Lanes per vector ({@code LaneVecOps.F}); only when {@link #AVAILABLE}. */
    static int lanes() {
        return LaneVecOps.length();
    }

    /** The default of {@link CpuDevice#rowVec}: on unless switched off. */
    static boolean defaultOn() {
        return ENABLED;
    }

    /** Whether {@code plan} (a path's vector form) has the direct form described above. */
    static boolean qualifies(VectorPaths.Plan plan, AffineSites a) {
        return form(plan, a) > 0;
    }

    /**
     * The direct form of {@code plan}: 0 none, 1 f32 only ({@link RowVec}'s first form), 2 with 32-bit integer
     * loads, stores or operations or block-uniform loads ({@link RowVecInt}).
     */
    static int form(VectorPaths.Plan plan, AffineSites a) {
        if (plan == null || a == null || !compiled()) return 0;
        BitSet uni = new BitSet(), vec = new BitSet();
        boolean stored = false, any = false, ints = false;
        int count = 0;
        for (int i = 0; i < plan.stmts().size(); i++) {
            int kind = plan.kind()[i];
            if (kind == VectorPaths.DEAD) continue;
            if (kind != VectorPaths.UNIFORM && ++count > MAX_STATEMENTS) return 0;
            Inst in = plan.stmts().get(i).stmt().inst();
            switch (kind) {
                case VectorPaths.UNIFORM -> {
                    if (stored) return 0; // run before the loop: only where no store comes before it
                    for (Reg d : in.defs()) {
                        if (vec.get(d.id())) return 0;
                        uni.set(d.id());
                    }
                }
                case VectorPaths.LOAD -> {
                    Inst.Load l = (Inst.Load) in;
                    boolean f = l.type() == ScalarType.F32 && l.dst().type() == ScalarType.F32;
                    boolean n = RowVecInt.int32(l.type()) && RowVecInt.int32(l.dst().type());
                    if (!f && !n || uni.get(l.dst().id())) return 0;
                    ints |= n || RowVecInt.blockUniform(a, plan.arg()[i]);
                    vec.set(l.dst().id());
                }
                case VectorPaths.STORE -> {
                    Inst.Store st = (Inst.Store) in;
                    if (!(st.src() instanceof Reg r) || !vec.get(r.id())) return 0;
                    if (RowVecInt.blockUniform(a, plan.arg()[i])) return 0;
                    if (st.type() == ScalarType.F32 && r.type() == ScalarType.F32) {
                        stored = any = true;
                    } else if (RowVecInt.int32(st.type()) && RowVecInt.int32(r.type())) {
                        stored = any = ints = true;
                    } else {
                        return 0;
                    }
                }
                case VectorPaths.LANE -> {
                    Reg d;
                    List<Value> srcs;
                    boolean n;
                    if (in instanceof Inst.Compute c && op(c)) {
                        d = c.dst();
                        srcs = c.srcs();
                        n = false;
                    } else if (in instanceof Inst.Mov m && m.dst().type() == ScalarType.F32) {
                        d = m.dst();
                        srcs = List.of(m.src());
                        n = false;
                    } else if (in instanceof Inst.Compute c && RowVecInt.op(c)) {
                        d = c.dst();
                        srcs = RowVecInt.vectorSources(c);
                        n = true;
                    } else if (in instanceof Inst.Mov m && RowVecInt.int32(m.dst().type())) {
                        d = m.dst();
                        srcs = List.of(m.src());
                        n = true;
                    } else {
                        return 0;
                    }
                    for (Value v : srcs) {
                        if (v instanceof org.transcuda.ir.Const) continue;
                        if (!(v instanceof Reg r)) return 0;
                        if (n ? !RowVecInt.int32(r.type()) : r.type() != ScalarType.F32) return 0;
                        if (!vec.get(r.id()) && !uni.get(r.id())) return 0;
                    }
                    if (uni.get(d.id())) return 0;
                    if (n ? !RowVecInt.int32(d.type()) : d.type() != ScalarType.F32) return 0;
                    ints |= n;
                    vec.set(d.id());
                }
                default -> {
                    return 0;
                }
            }
        }
        return !any ? 0 : ints ? 2 : 1;
    }

    /** An {@code add/sub/mul/fma.f32} in round to nearest, no {@code .ftz/.sat/.approx}, f32 result. */
    private static boolean op(Inst.Compute c) {
        if (c.type() != ScalarType.F32 || c.dst().type() != ScalarType.F32) return false;
        FloatMode m = c.mode();
        boolean rn = switch (m.rounding()) {
            case DEFAULT, RN -> true;
            default -> false;
        };
        if (!rn || m.ftz() || m.sat() || m.approx()) return false;
        return switch (c.op()) {
            case ADD, SUB, MUL -> c.srcs().size() == 2;
            case FMA -> c.srcs().size() == 3;
            default -> false;
        };
    }

    /**
     * Per path of {@code k}: whether it has a method {@code rK} ({@link #qualifies}) that this launch may run
     * ({@code ints}: the launch's {@link RowVecInt} switch).
     */
    static boolean[] paths(CompiledKernel k, boolean ints) {
        VectorPaths v = k.paths.vector;
        boolean[] on = new boolean[v.plans.length];
        for (int p = 0; p < on.length; p++) {
            int form = form(v.plans[p], k.affine);
            on[p] = form == 1 || form == 2 && ints;
        }
        return on;
    }

    /**
     * The hoisted sites of the LOADs and STOREs that run on {@code plan}, in order, a STORE's as {@code ~j}, a
     * block-uniform LOAD's ({@link RowVecInt}) as {@code j | }{@link RowVecInt#UNIFORM}.
     */
    static int[] accesses(VectorPaths.Plan plan, AffineSites a) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < plan.stmts().size(); i++) {
            if (plan.kind()[i] == VectorPaths.LOAD) {
                int j = plan.arg()[i];
                out.add(RowVecInt.blockUniform(a, j) ? j | RowVecInt.UNIFORM : j);
            }
            else if (plan.kind()[i] == VectorPaths.STORE) out.add(~plan.arg()[i]);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Whether the current loop (lanes {@code 0..vn-1}, coefficients in {@link Exec#affineResult} as {@link GridRows}
     * sets them) of path {@code p} may run as vectors on memory: every access's lanes consecutive 4-byte words, or a
     * block-uniform load ({@link RowVecInt}: no {@code tid.x} term, no vector spanning two blocks, its words apart
     * from every store's range), every store's range apart from every other access's range or at the same addresses.
     */
    static boolean ok(Exec e, int[] acc) {
        AffineSites a = e.launch.kernel.affine;
        long[] res = e.affineResult;
        long[] acx = e.rowAcx;
        long bytes = 4L * e.vn;
        boolean uniform = false;
        for (int x : acc) {
            if (x >= 0 && (x & RowVecInt.UNIFORM) != 0) {
                // block-uniform: no tid.x term; its vectors must not span blocks
                if (res[4 * a.prog[x & ~RowVecInt.UNIFORM] + 1] != 0) return false;
                uniform = true;
                continue;
            }
            int j = x < 0 ? ~x : x;
            int q = a.prog[j];
            if (acx[q] != 0 || res[4 * q + 1] != 4) return false;
        }
        int vl = lanes();
        if (uniform && (e.ntx % vl != 0 || e.vx0 % vl != 0)) return false;
        for (int is = 0; is < acc.length; is++) {
            if (acc[is] >= 0) continue;
            long bs = base(e, ~acc[is]);
            for (int it = 0; it < acc.length; it++) {
                if (it == is) continue;
                if (acc[it] >= 0 && (acc[it] & RowVecInt.UNIFORM) != 0) {
                    // read once per block before that block's vectors: its words must miss every store's
                    if (!RowVecInt.apart(e, acc[it] & ~RowVecInt.UNIFORM, bs, bytes)) return false;
                    continue;
                }
                long bt = base(e, acc[it] < 0 ? ~acc[it] : acc[it]);
                if (bt == bs || bt >= bs + bytes || bs >= bt + bytes) continue;
                // overlapping at other addresses: only a load, by whole elements, that reads what a later lane
                // stores before the store in the path, or what an earlier lane stored after it
                boolean load = acc[it] >= 0, ahead = bt > bs;
                if (!load || (bt - bs) % 4 != 0 || ahead != (it < is)) return false;
            }
        }
        return true;
    }

    /** The address of lane 0 of site {@code j} in the current loop. */
    static long base(Exec e, int j) {
        AffineSites a = e.launch.kernel.affine;
        return e.affineResult[4 * a.prog[j]] + a.offset[j];
    }
}
