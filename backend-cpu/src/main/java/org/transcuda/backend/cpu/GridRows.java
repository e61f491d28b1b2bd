package org.transcuda.backend.cpu;

import static org.transcuda.backend.cpu.AffineSites.add;
import static org.transcuda.backend.cpu.AffineSites.mul;

import org.transcuda.ir.Inst;

/**
 * Straight-line kernels run a grid row at a time: for a piece of a grid row (blocks {@code [a, end)} with the same
 * {@code ctaid.y, ctaid.z}) and each thread row {@code (tid.y, tid.z)}, a path's vector form ({@link VectorPaths}) runs
 * once as one lane loop over {@code X = ctaid.x·ntid.x + tid.x} across all those blocks instead of once per block
 * (stencil: a whole 4096-wide row of the grid as one loop of 4094 interior lanes and two one-lane border loops;
 * saxpy: 16 blocks of 256 threads as one loop of 4096).
 *
 * <h2>Why this is exact</h2>
 * Such a kernel has no barriers, shared memory or warp collectives ({@link UniformPaths}), so CUDA leaves the order
 * of its blocks and threads free; every thread still runs its own statements in program order (the vector form's
 * argument, {@link VectorPaths}, holds for any set of threads). The lanes of a thread row have the addresses
 * {@code u + ax·X} when every address program's launch form ({@link LaunchForms}) has the {@code ctaid.x}
 * coefficient {@code ntid.x·ax} (the {@code blockIdx.x * blockDim.x + threadIdx.x} of CUDA code), so {@link VecMem}
 * moves a row with one copy; a lane's {@code %tid.x} is {@code X mod ntid.x}. A path qualifies only when nothing it
 * computes reads {@code %ctaid.x} (not uniform over the lanes). A load whose address program has no {@code tid.x}
 * term but a {@code ctaid.x} one ({@code offsets[blockIdx.x]}, the suite's scan_add) is block-uniform: its launch form
 * qualifies when every site of that program is a load; the row loop's {@link VecMem} load reads it once per block of
 * its lanes and fills that block's run of lanes ({@link Exec#rowAcx}); the check below covers its addresses over the
 * piece's blocks (the {@code ctaid.x} coefficient aligned too), and a failed check runs the piece block by block as
 * for any other site. {@code -Dtranscuda.cpu.blockLoads=false}: such a launch runs block by block (A/B).
 *
 * <h2>Which launches</h2>
 * Every address program has such a launch form, every branch condition is made of comparisons with launch forms
 * (so the path of any single thread, and of any range of lanes whose range decides it, follows from the forms:
 * {@link UniformPaths#walkRun}), and every path that stores has a vector form that qualifies. Otherwise the launch
 * runs block by block ({@code runBlock}).
 *
 * <h2>A piece</h2>
 * {@link #plan} first splits each thread row's lanes where their paths differ (the whole row when the conditions'
 * ranges decide it, else its first and last lane apart, else halves; lanes of a path without stores need no loop;
 * once for all the piece's thread rows where that decides every part: {@link RowRect})
 * and checks the accesses: when every site's range over all threads of the piece's blocks lies inside one live
 * allocation (aligned), nothing else; otherwise each planned loop's own path's sites over its own lanes (a stencil's
 * first row of blocks, whose {@code in[i - nx]} leaves the data only for the border lanes, which do not load it; a
 * partial last block). Nothing runs while planning. A planned piece runs its loops ({@link #rows}); a piece that does
 * not pass is split (its first and last blocks apart, else halves) down to single blocks, which run as before
 * ({@link Launch#runOne}: the per-block check, a path, or the checked thread loop). Pieces run in block order, so a
 * fault is raised by the same block, thread and instruction as without rows, after the same earlier blocks. Rows
 * are cut into loops of at most {@link #lanes} lanes (whole blocks); workers take chunks of up to one such loop's
 * blocks ({@code Launch.runGrid}). {@code -Dtranscuda.cpu.gridRows=false}: block by block only (A/B measurements);
 * {@code -Dtranscuda.cpu.stats=true} prints the lane loops and the blocks they covered (not counted as path-by-path
 * or vector-form blocks, which count the block-by-block form).
 */
final class GridRows {
    /** {@code -Dtranscuda.cpu.gridRows=false}: no grid rows. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.gridRows"));
    /** Most lanes of one row loop (the register arrays' length; whole blocks, at least one). */
    static final int MAX_LANES = Integer.getInteger("transcuda.cpu.rowLanes", 4096);
    /**
     * {@code -Dtranscuda.cpu.blockLoads=false}: no block-uniform loads in rows (an address program with a
     * {@code ctaid.x} term and no {@code tid.x} term keeps the launch block by block; A/B measurements).
     */
    static final boolean BLOCK_LOADS = !"false".equals(System.getProperty("transcuda.cpu.blockLoads"));

    private GridRows() {
    }

    /** Lanes of one row loop for {@code e}'s launch (0 when rows cannot apply). */
    static int lanes(Exec e) {
        if (!e.launch.gridRows || e.ncx < 2) return 0;
        long blocks = Math.max(1, Math.min(e.ncx, MAX_LANES / e.ntx));
        return (int) (blocks * e.ntx);
    }

    /** Whether {@code e}'s launch runs grid rows (decided at the worker's first use). */
    static boolean enabled(Exec e) {
        if (e.rowMode == 0) {
            e.rowMode = decide(e) ? 1 : 2;
            if (e.rowMode == 1) {
                e.rowChunkPaths = RowChunks.paths(e.launch.kernel);
                e.rowVecAcc = null;
                if (e.launch.rowVec) {
                    VectorPaths v = e.launch.kernel.paths.vector;
                    boolean[] on = RowVec.paths(e.launch.kernel, e.launch.rowVecInt);
                    for (int p = 0; p < on.length; p++) {
                        if (!on[p]) continue;
                        if (e.rowVecAcc == null) e.rowVecAcc = new int[on.length][];
                        e.rowVecAcc[p] = RowVec.accesses(v.plans[p], e.launch.kernel.affine);
                    }
                }
                // RowLean: the paths whose RowVec decisions hold for every thread row, those with a one-lane form
                e.leanShift = e.launch.rowLean ? RowLean.shiftPaths(e, e.rowVecAcc) : null;
                e.leanLanes = e.launch.rowLean && RowLean.LANES ? RowLean.lanePaths(e.launch.kernel, e.rowVecAcc) : null;
            }
        }
        return e.rowMode == 1;
    }

    private static boolean decide(Exec e) {
        Launch l = e.launch;
        CompiledKernel k = l.kernel;
        if (lanes(e) == 0 || l.lockstep || k.suspends || k.paths == null || k.paths.vector == null
                || k.affine == null || e.vregs == null) {
            return false;
        }
        LaunchForms lf = LaunchForms.of(e);
        int W = LaunchForms.W;
        for (int p = 0; p < lf.programOk.length; p++) {
            if (!lf.programOk[p]) return false;
            // the ctaid.x coefficient is ntid.x times the tid.x coefficient: affine in X across the row
            long ax = lf.programs[W * p + 1];
            long want = mul(ax, e.ntx);
            if (want == Long.MIN_VALUE) return false;
            if (lf.programs[W * p + 4] != want && !(BLOCK_LOADS && ax == 0 && onlyLoads(k.affine, p))) return false;
        }
        // every thread's path decided from the launch forms; every path that stores has a vector form for rows
        if (!k.paths.decidesEveryThread(lf)) return false;
        VectorPaths v = k.paths.vector;
        for (int p = 0; p < k.paths.paths.size(); p++) {
            if (k.paths.stores[p] && (v.plans[p] == null || !rowSafe(v.plans[p]))) return false;
        }
        return true;
    }

    /**
     * Whether every hoisted site of address program {@code p} is a load: a program with no {@code tid.x} term is
     * block-uniform over a row's lanes, which only a load can take ({@link VecMem}: once per block of the loop).
     */
    private static boolean onlyLoads(AffineSites a, int p) {
        for (int j = 0; j < a.count(); j++) if (a.prog[j] == p && !(a.inst[j] instanceof Inst.Load)) return false;
        return true;
    }

    /** Whether no statement that runs reads {@code %ctaid.x} (it would not be uniform over a row's lanes). */
    static boolean rowSafe(VectorPaths.Plan plan) {
        for (int i = 0; i < plan.stmts().size(); i++) {
            if (plan.kind()[i] == VectorPaths.DEAD) continue;
            if (plan.stmts().get(i).stmt().inst() instanceof Inst.ReadSpecial rs
                    && rs.which() == org.transcuda.ir.Special.CTAID_X) {
                return false;
            }
        }
        return true;
    }

    /**
     * Runs blocks {@code [b0, b1)} of {@code e}'s launch (a worker's chunk): pieces of grid rows whose accesses are
     * all valid as row loops, the other blocks one by one ({@link Launch#runOne}), in block order; stops at a fault.
     */
    static void run(Exec e, long b0, long b1) {
        Launch l = e.launch;
        long b = b0;
        while (b < b1 && !l.failed()) {
            e.block(b);
            int a = e.cx;
            int end = (int) Math.min(e.ncx, a + (b1 - b));
            piece(e, e.blockLinear - a, a, end);
            b += end - a;
        }
    }

    /**
     * Blocks {@code [a, end)} of the row whose block 0 has number {@code base}: as row loops when {@link #plan}
     * succeeds for them, else split (the first and last block apart, else halves) down to single blocks, which run
     * block by block; always in block order.
     */
    private static void piece(Exec e, long base, int a, int end) {
        if (e.launch.failed()) return;
        if (plan(e, a, end)) {
            rows(e, base, a, end);
            return;
        }
        if (end - a == 1) {
            e.launch.runOne(e, base + a);
            return;
        }
        if (end - a > 2 && plan(e, a + 1, end - 1)) {
            // a row's first and last blocks apart (the data's edges); the middle planned again after the first
            piece(e, base, a, a + 1);
            if (e.launch.failed()) return;
            plan(e, a + 1, end - 1);
            rows(e, base, a + 1, end - 1);
            piece(e, base, end - 1, end);
            return;
        }
        int mid = (a + end) >>> 1;
        piece(e, base, a, mid);
        piece(e, base, mid, end);
    }

    /** Whether every access of every hoisted site by every thread of blocks {@code [a, end)} is valid. */
    private static boolean sitesValid(Exec e, int a, int end) {
        e.rlanes = false;
        e.ra = a;
        e.rend = end;
        LaunchForms lf = LaunchForms.of(e);
        int n = e.launch.kernel.affine.count();
        for (int j = 0; j < n; j++) if (!lf.siteAlways[j] && !siteOk(e, j)) return false;
        return true;
    }

    /**
     * Whether every access of hoisted site {@code j} by the threads that {@code e}'s {@code rlanes, ra, rend, rty,
     * rtz} name ({@link #range}) is inside one live allocation and aligned.
     */
    private static boolean siteOk(Exec e, int j) {
        AffineSites s = e.launch.kernel.affine;
        LaunchForms lf = LaunchForms.of(e);
        if (lf.siteAlways[j]) return true;
        long[] st = e.affineStack;
        int off = LaunchForms.W * s.prog[j];
        long size = 1L << s.log2[j];
        long[] f = lf.programs;
        // alignment: every coefficient that varies (the first address below)
        boolean many = e.rlanes ? e.rend - e.ra > 1 : true;
        if (many && (e.ntx > 1 || e.rlanes) && (f[off + 1] & (size - 1)) != 0) return false;
        // lanes across blocks: a block-uniform load's addresses step by its ctaid.x coefficient
        if (e.rlanes && e.ra / e.ntx != (e.rend - 1) / e.ntx && (f[off + 4] & (size - 1)) != 0) return false;
        if (!e.rlanes && (e.nty > 1 && (f[off + 2] & (size - 1)) != 0 || e.ntz > 1 && (f[off + 3] & (size - 1)) != 0
                || e.rend - e.ra > 1 && (f[off + 4] & (size - 1)) != 0)) {
            return false;
        }
        if (!range(e, f, off, st)) return false;
        long lo = add(st[0], s.offset[j]), hi = add(st[1], s.offset[j]);
        if (lo == Long.MIN_VALUE || hi == Long.MIN_VALUE || lo < 0 || hi > Long.MAX_VALUE - size) return false;
        // the lowest address is one of the accesses: with the varying coefficients aligned, all are
        if ((lo & (size - 1)) != 0) return false;
        return e.sites[s.site[j]].covers(e, lo, hi, s.log2[j]);
    }

    /**
     * The range {lo, hi} into {@code out[0..1]} of launch form {@code off} of {@code form} over the threads that
     * {@code e}'s {@code rlanes, ra, rend, rty, rtz} name in the current row ({@code e.cy, e.cz}); false on
     * overflow. Over lanes that span blocks the range is that of the blocks' whole thread rows unless the form is
     * affine in the lane ({@code ctaid.x} coefficient {@code ntid.x} times the {@code tid.x} one): a superset, so a
     * condition decided from it holds for every lane.
     */
    static boolean range(Exec e, long[] form, int off, long[] out) {
        long c0 = add(form[off], add(mul(form[off + 5], e.cy), mul(form[off + 6], e.cz)));
        long lo, hi;
        if (!e.rlanes) {
            lo = hi = add(c0, mul(form[off + 4], e.ra));
            long[] d = {mul(form[off + 1], e.ntx - 1), mul(form[off + 2], e.nty - 1), mul(form[off + 3], e.ntz - 1),
                    mul(form[off + 4], e.rend - 1 - e.ra)};
            for (long v : d) {
                if (v == Long.MIN_VALUE) return false;
                lo = add(lo, Math.min(0, v));
                hi = add(hi, Math.max(0, v));
            }
        } else {
            int ntx = e.ntx;
            long base = add(c0, add(mul(form[off + 2], e.rty), mul(form[off + 3], e.rtz)));
            int b0 = e.ra / ntx, b1 = (e.rend - 1) / ntx;
            long ax = form[off + 1], acx = form[off + 4];
            long dx, dc;
            if (b0 == b1 || acx == mul(ax, ntx)) {
                // exact: the lanes' own x (and block) range
                int x0 = b0 == b1 ? e.ra - b0 * ntx : e.ra, x1 = b0 == b1 ? e.rend - 1 - b0 * ntx : e.rend - 1;
                long first = add(base, b0 == b1 ? add(mul(acx, b0), mul(ax, x0)) : mul(ax, x0));
                lo = hi = first;
                dx = mul(ax, x1 - x0);
                dc = 0;
            } else {
                lo = hi = add(base, mul(acx, b0));
                dx = mul(ax, ntx - 1);
                dc = mul(acx, b1 - b0);
            }
            for (long v : new long[] {dx, dc}) {
                if (v == Long.MIN_VALUE) return false;
                lo = add(lo, Math.min(0, v));
                hi = add(hi, Math.max(0, v));
            }
            if (e.rrect) {
                // RowRect: every thread row of the rectangle
                for (long v : new long[] {mul(form[off + 2], e.rty1 - e.rty), mul(form[off + 3], e.rtz1 - e.rtz)}) {
                    if (v == Long.MIN_VALUE) return false;
                    lo = add(lo, Math.min(0, v));
                    hi = add(hi, Math.max(0, v));
                }
            }
        }
        if (lo == Long.MIN_VALUE || hi == Long.MIN_VALUE) return false;
        out[0] = lo;
        out[1] = hi;
        return true;
    }

    /**
     * Plans blocks {@code [a, end)} of the current row as row loops into {@link Exec#rowPlan}: per piece of at most
     * {@link #lanes} lanes and per thread row, the lanes split where their paths differ ({@link #segments}); true
     * when every access of every planned loop is valid (all sites over all threads of the blocks, else each loop's
     * own path's sites over its lanes). Nothing runs here: a piece that fails runs otherwise, from the start.
     */
    private static boolean plan(Exec e, int a, int end) {
        boolean all = sitesValid(e, a, end);
        e.rowPlanN = 0;
        int step = Math.max(1, lanes(e) / e.ntx);
        int cx = e.cx;
        try {
            for (int s = a; s < end; s += step) {
                int t = Math.min(end, s + step);
                e.cx = s;
                e.rlanes = true;
                if (e.launch.rowRect && e.nty * e.ntz > 1 && RowRect.split(e, (t - s) * e.ntx)) {
                    // RowRect: one split of the lanes, decided for all thread rows
                    e.rowRects++;
                    int[] seg = e.rectSeg;
                    int k = e.rectSegN;
                    for (int z = 0; z < e.ntz; z++) {
                        for (int y = 0; y < e.nty; y++) {
                            e.rty = y;
                            e.rtz = z;
                            for (int i = 0; i < k; i += 3) {
                                if (!addLoop(e, s, seg[i], seg[i + 1], seg[i + 2], all, i / 3)) return false;
                            }
                        }
                    }
                    continue;
                }
                for (int z = 0; z < e.ntz; z++) {
                    for (int y = 0; y < e.nty; y++) {
                        e.rty = y;
                        e.rtz = z;
                        if (!segments(e, s, 0, (t - s) * e.ntx, all)) return false;
                    }
                }
            }
            return true;
        } finally {
            e.cx = cx;
        }
    }

    /** Runs the loops that {@link #plan} planned for blocks {@code [a, end)} (of the row whose block 0 is {@code base}). */
    private static void rows(Exec e, long base, int a, int end) {
        int blocks = end - a;
        e.rowBlocks += blocks;
        e.affineHits += (long) blocks * e.launch.kernel.affine.count();
        int[] plan = e.rowPlan;
        try {
            e.vrow = true;
            if (e.leanShift != null) {
                // RowLean: the block set when it changes; a RowRect part's RowVec decisions taken at the first thread
                // row and kept for the others
                long cur = -1;
                for (int i = 0; i < e.rowPlanN; i += STRIDE) {
                    long b = base + plan[i];
                    if (b != cur) {
                        e.block(b);
                        cur = b;
                    }
                    int part = plan[i + 6], p = plan[i + 5];
                    if (part < 0 || !e.leanShift[p]) {
                        loop(e, p, plan[i + 1], plan[i + 2], plan[i + 3], plan[i + 4]);
                    } else {
                        leanLoop(e, p, plan[i + 1], plan[i + 2], plan[i + 3], plan[i + 4], part);
                    }
                }
                return;
            }
            for (int i = 0; i < e.rowPlanN; i += STRIDE) {
                e.block(base + plan[i]);
                loop(e, plan[i + 5], plan[i + 1], plan[i + 2], plan[i + 3], plan[i + 4]);
            }
        } finally {
            e.vrow = false;
            e.vnx = e.ntx;
            e.vny = e.nty;
            e.vnz = e.ntz;
            e.vn = e.nthreads;
            e.vty = e.vtz = e.vx0 = 0;
            e.block(base + end - 1);
        }
    }

    /**
     * Plans lanes {@code [lo, hi)} of the current thread row (relative to block {@code s}, the current {@code e.cx}):
     * one loop when the branch conditions decide one path for all of them, else the first and last lane apart (a
     * data edge), else halves; a single lane is always decided ({@link UniformPaths#decidesEveryThread}). Lanes of
     * a path that stores nothing need no loop. False when a loop's accesses are not all valid ({@code all}: known
     * valid).
     */
    private static boolean segments(Exec e, int s, int lo, int hi, boolean all) {
        int p = path(e, lo, hi);
        if (p >= 0) return addLoop(e, s, lo, hi, p, all, -1);
        if (hi - lo == 1) return false; // not expected (decidesEveryThread): the piece then runs block by block
        if (hi - lo > 2) {
            p = path(e, lo + 1, hi - 1);
            if (p >= 0) {
                return segments(e, s, lo, lo + 1, all) && addLoop(e, s, lo + 1, hi - 1, p, all, -1)
                        && segments(e, s, hi - 1, hi, all);
            }
        }
        int mid = (lo + hi) >>> 1;
        return segments(e, s, lo, mid, all) && segments(e, s, mid, hi, all);
    }

    /** Ints per planned loop in {@link Exec#rowPlan}: block, tid.y, tid.z, lo, hi, path, RowRect part (or -1). */
    private static final int STRIDE = 7;

    /**
     * Adds the loop of path {@code p} over lanes {@code [lo, hi)} to the plan ({@code part}: its index in a
     * {@link RowRect} split, else -1); false when an access is invalid.
     */
    private static boolean addLoop(Exec e, int s, int lo, int hi, int p, boolean all, int part) {
        if (!e.launch.kernel.paths.stores[p]) return true;
        if (!all) {
            e.ra = lo + e.cx * e.ntx;
            e.rend = hi + e.cx * e.ntx;
            for (int j : e.launch.kernel.paths.vector.pathSites[p]) if (!siteOk(e, j)) return false;
        }
        int n = e.rowPlanN;
        if (n + STRIDE > e.rowPlan.length) e.rowPlan = java.util.Arrays.copyOf(e.rowPlan, 2 * e.rowPlan.length);
        int[] plan = e.rowPlan;
        plan[n] = s;
        plan[n + 1] = e.rty;
        plan[n + 2] = e.rtz;
        plan[n + 3] = lo;
        plan[n + 4] = hi;
        plan[n + 5] = p;
        plan[n + 6] = part;
        e.rowPlanN = n + STRIDE;
        return true;
    }

    static int path(Exec e, int lo, int hi) {
        // absolute lanes X of the row for range()
        e.ra = lo + e.cx * e.ntx;
        e.rend = hi + e.cx * e.ntx;
        return e.launch.kernel.paths.walkRun(e);
    }

    /**
     * {@link RowLean}: loop {@code part} of a {@link RowRect} piece (path {@code p}, every access shifted alike by the
     * thread row): at the first thread row decided as {@link #loop} decides it and the decision kept
     * ({@link Exec#leanDec}); at the others a part decided for vectors runs its vectors and last lanes without
     * deciding again, any other as {@link #loop}.
     */
    private static void leanLoop(Exec e, int p, int y, int z, int lo, int hi, int part) {
        int[] dec = e.leanDec;
        if (part >= dec.length) e.leanDec = dec = java.util.Arrays.copyOf(dec, Math.max(2 * dec.length, part + 1));
        boolean first = y == 0 && z == 0;
        if (first) {
            // the part's first thread row (RowRect adds the loops thread row by thread row, (0, 0) first)
            dec[part] = RowLean.GENERAL;
            int[] acc = e.rowVecAcc[p];
            int full = acc == null ? 0 : (hi - lo) - (hi - lo) % RowVec.lanes();
            if (full > 0) {
                extent(e, y, z, lo, hi);
                if (RowVec.ok(e, acc)) {
                    boolean tail = lo + full < hi && e.launch.rowVecTail && RowVecTail.ok(e, acc);
                    dec[part] = RowLean.VECTORS | (tail ? 4 : 0);
                }
            }
        }
        int d = dec[part];
        if ((d & 3) != RowLean.VECTORS) {
            loop(e, p, y, z, lo, hi);
            return;
        }
        if (!first) e.leanDecided++;
        e.rowRuns++;
        e.rowVecs++;
        int vl = RowVec.lanes();
        int full = (hi - lo) - (hi - lo) % vl;
        extent(e, y, z, lo, lo + full);
        e.launch.kernel.code.runRowVec(e, p);
        if ((d & 4) != 0) {
            e.rowVecTails++;
            RowLean.shift(e, hi - vl - lo, vl);
            e.launch.kernel.code.runRowVec(e, p);
        } else if (lo + full < hi) {
            chunk(e, p, y, z, lo + full, hi);
        }
    }

    /**
     * Path {@code p}'s vector form over lanes {@code [lo, hi)} of thread row {@code (y, z)} of block {@code e.cx}: in
     * chunks of at most {@link Launch#rowChunk} lanes when the launch has them ({@link RowChunks}), else as one run.
     */
    private static void loop(Exec e, int p, int y, int z, int lo, int hi) {
        e.rowRuns++;
        if (hi - lo == 1 && e.leanLanes != null && e.leanLanes[p]) {
            // RowLean: one lane of an f32 path as its scalar code on device memory (checked by the plan)
            e.rowLanes++;
            extent(e, y, z, lo, hi);
            e.launch.kernel.code.runRowLane(e, p);
            return;
        }
        int[] acc = e.rowVecAcc == null ? null : e.rowVecAcc[p];
        int full = acc == null ? 0 : (hi - lo) - (hi - lo) % RowVec.lanes();
        if (full > 0) {
            // RowVec: the loop's whole vectors on device memory when its accesses allow it (checked over all its
            // lanes), then the last lanes, fewer than a vector, in the array form
            extent(e, y, z, lo, hi);
            if (RowVec.ok(e, acc)) {
                e.rowVecs++;
                // RowVecTail: the last lanes as one more vector ending at hi, when no store meets another access
                boolean tail = lo + full < hi && e.launch.rowVecTail && RowVecTail.ok(e, acc);
                extent(e, y, z, lo, lo + full);
                e.launch.kernel.code.runRowVec(e, p);
                if (tail) {
                    e.rowVecTails++;
                    extent(e, y, z, hi - RowVec.lanes(), hi);
                    e.launch.kernel.code.runRowVec(e, p);
                } else if (lo + full < hi) {
                    chunk(e, p, y, z, lo + full, hi);
                }
                return;
            }
        }
        int chunk = e.launch.rowChunk;
        if (chunk <= 0 || hi - lo <= chunk || !e.rowChunkPaths[p]) {
            chunk(e, p, y, z, lo, hi);
            return;
        }
        for (int c = lo; c < hi; c += chunk) {
            chunk(e, p, y, z, c, Math.min(hi, c + chunk));
            e.rowChunks++;
        }
    }

    /** One run of path {@code p}'s vector form over lanes {@code [lo, hi)} of thread row {@code (y, z)} of block {@code e.cx}. */
    private static void chunk(Exec e, int p, int y, int z, int lo, int hi) {
        extent(e, y, z, lo, hi);
        e.launch.kernel.code.runPath(e, p);
    }

    /** Sets {@code e}'s vector extent and the sites' coefficients for lanes {@code [lo, hi)} of thread row {@code (y, z)}. */
    private static void extent(Exec e, int y, int z, int lo, int hi) {
        LaunchForms lf = LaunchForms.of(e);
        long[] f = lf.programs;
        long[] res = e.affineResult;
        int W = LaunchForms.W;
        int nprog = lf.programOk.length;
        long x0 = (long) e.cx * e.ntx + lo;
        if (e.rowAcx == null || e.rowAcx.length < nprog) e.rowAcx = new long[nprog];
        long[] acx = e.rowAcx;
        for (int q = 0; q < nprog; q++) {
            int o = W * q;
            long rest = f[o] + f[o + 2] * y + f[o + 3] * z + f[o + 5] * e.cy + f[o + 6] * e.cz;
            if (f[o + 1] == 0 && f[o + 4] != 0) {
                // block-uniform (loads only, decide): block e.cx's address; VecMem steps it per block of the lanes
                res[4 * q] = rest + f[o + 4] * e.cx;
                acx[q] = f[o + 4];
            } else {
                // inside the checked range (row-affine: the ctaid.x coefficient is ntx times the tid.x one)
                res[4 * q] = rest + f[o + 1] * x0;
                acx[q] = 0;
            }
            res[4 * q + 1] = f[o + 1];
            res[4 * q + 2] = 0;
            res[4 * q + 3] = 0;
        }
        e.vnx = e.vn = hi - lo;
        e.vny = e.vnz = 1;
        e.vty = y;
        e.vtz = z;
        e.vx0 = lo;
    }
}
