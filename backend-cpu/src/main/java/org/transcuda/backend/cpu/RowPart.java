package org.transcuda.backend.cpu;

import org.transcuda.ir.Inst;

/**
 * A {@link RowRect} piece of a grid row run part by part instead of thread row by thread row: each part decided for
 * vectors on memory ({@link RowVec}) whose lanes are whole vectors or end in {@link RowVecTail}'s overlapping
 * vector runs all the piece's thread rows in one call of its
 * generated method {@code qK} ({@code rK}'s loop inside a loop over the thread rows that steps the lane-0 addresses
 * by the accesses' common {@code tid.y} coefficient), instead of one {@code rK} call per thread row that loads its
 * sites and parameters and computes its bases again; the other parts (stencil's one-lane border columns) run their
 * thread rows' loops one after another as {@link RowLean} runs them. stencil's interior pieces: 3 parts × 16 thread rows, one
 * {@code qK} call instead of 16 {@code rK} calls (32 with the overlapping last vector).
 *
 * <h2>When</h2>
 * A run of the piece's plan that {@link RowRect} split (every thread row the same parts, lanes {@code [lo, hi)} and
 * paths, thread rows in order, checked here entry by entry), one {@code tid.z} row ({@code ntid.z = 1}), at least
 * two thread rows, {@link RowLean} on; every part's path has a direct form without block-uniform loads whose
 * block-uniform statements touch no memory ({@link #compiled}), and its accesses have the same {@code tid.y}
 * coefficient as those of every other part ({@code c}); and no part stores, in any thread row, to an address that
 * another part accesses in any thread row ({@link #apart}). Otherwise the run takes {@link RowLean}'s loops.
 *
 * <h2>Why this is exact</h2>
 * The kernel has no barriers, shared memory or warp collectives ({@link GridRows}), so CUDA leaves the threads'
 * order free; what must stay is memory. Within one part the order is unchanged: thread rows in order, each as
 * {@link RowLean} runs it (same vectors in the same order, the overlapping last vector last: {@code qK}'s lane loop
 * is {@code rK}'s over the whole vectors, then one vector at {@code hi − lo − VL} when {@link RowVecTail} allows it,
 * exactly {@code rK}'s two calls), with the decision {@link RowLean} takes at the first thread row (valid for every
 * thread row by {@link RowLean#shiftPaths}), and thread row {@code y}'s lane-0 addresses are row 0's plus
 * {@code c·y} (the {@code tid.y} term of the launch forms; {@code ntid.z = 1}). Between parts the order changes (part
 * A's later thread rows before part B's first): the accesses of one part then commute with those of another because
 * no store of one meets any access of the other ({@link #apart}, checked exactly over the lattice of thread rows, not
 * over a hull: stencil's interior {@code out} stores lie between, not on, the border columns' stores). Block-uniform
 * statements are pure register code ({@link #compiled}) and give the same values once per part as once per loop. All
 * accesses were checked by the piece's plan before anything ran, so no loop faults; a piece that fails its plan runs
 * block by block as before, so faults keep their block, thread and instruction.
 *
 * <p>{@code -Dtranscuda.cpu.rowPart=false}: {@link RowLean}'s per-loop calls (A/B); counted as "parts run as one call
 * over their thread rows" in {@code -Dtranscuda.cpu.stats=true}.
 */
final class RowPart {
    /** {@code -Dtranscuda.cpu.rowPart=false}: one call per loop as before. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.rowPart"));

    private RowPart() {
    }

    /** The default of {@link CpuDevice#rowPart}: on unless switched off. */
    static boolean defaultOn() {
        return ENABLED;
    }

    /**
     * Whether path {@code plan} gets a method {@code qK}: a direct form ({@link RowVec#qualifies}) with no
     * block-uniform load ({@link RowVecInt}) and no block-uniform statement that touches memory or has effects.
     */
    static boolean compiled(VectorPaths.Plan plan, AffineSites a) {
        if (!RowVec.qualifies(plan, a)) return false;
        for (int i = 0; i < plan.stmts().size(); i++) {
            int kind = plan.kind()[i];
            Inst in = plan.stmts().get(i).stmt().inst();
            if (kind == VectorPaths.LOAD && RowVecInt.blockUniform(a, plan.arg()[i])) return false;
            if (kind == VectorPaths.UNIFORM && !(in instanceof Inst.Mov || in instanceof Inst.Compute
                    || in instanceof Inst.CarryArith || in instanceof Inst.Compare || in instanceof Inst.Convert
                    || in instanceof Inst.Cvta || in instanceof Inst.ReadSpecial)) {
                return false;
            }
        }
        return true;
    }

    /** Per path of {@code k}: whether it has {@code qK} ({@code acc}: the launch's {@link RowVec} accesses). */
    static boolean[] paths(CompiledKernel k, int[][] acc) {
        if (acc == null) return null;
        boolean[] on = new boolean[acc.length];
        boolean any = false;
        for (int p = 0; p < acc.length; p++) {
            on[p] = acc[p] != null && compiled(k.paths.vector.plans[p], k.affine);
            any |= on[p];
        }
        return any ? on : null;
    }

    /**
     * Runs the {@link RowRect} run of {@code e.rowPlan} that starts at entry {@code i} (thread row 0 of block
     * {@code plan[i]}, already set by {@link Exec#block}) part by part; returns the entry after it, or {@code i} when
     * its conditions do not hold (nothing ran).
     */
    static int run(Exec e, int i) {
        int[] plan = e.rowPlan;
        int n = e.rowPlanN, S = GridRows.STRIDE, nty = e.nty;
        if (e.ntz != 1 || nty < 2 || plan[i + 1] != 0 || plan[i + 2] != 0 || plan[i + 6] < 0) return i;
        int s = plan[i];
        int m = 0;
        while (i + m * S < n && plan[i + m * S] == s && plan[i + m * S + 1] == 0 && plan[i + m * S + 2] == 0
                && plan[i + m * S + 6] >= 0) {
            m++;
        }
        int end = i + m * nty * S;
        if (end > n) return i;
        // every thread row the first's parts, in order
        for (int r = 1; r < nty; r++) {
            for (int k = 0; k < m; k++) {
                int a = i + (r * m + k) * S, b = i + k * S;
                if (plan[a] != s || plan[a + 1] != r || plan[a + 2] != 0 || plan[a + 3] != plan[b + 3]
                        || plan[a + 4] != plan[b + 4] || plan[a + 5] != plan[b + 5] || plan[a + 6] != plan[b + 6]) {
                    return i;
                }
            }
        }
        LaunchForms lf = LaunchForms.of(e);
        AffineSites as = e.launch.kernel.affine;
        long c = 0;
        boolean first = true;
        int na = 0;
        for (int k = 0; k < m; k++) {
            int p = plan[i + k * S + 5];
            if (!e.partPaths[p] || !e.leanShift[p]) return i;
            for (int x : e.rowVecAcc[p]) {
                int j = x < 0 ? ~x : x;
                long cy = lf.programs[LaunchForms.W * as.prog[j] + 2];
                if (first) c = cy;
                else if (cy != c) return i;
                first = false;
                na++;
            }
        }
        // each access's bytes in thread row 0: [lo, hi) per access, its part, whether it stores
        if (e.partLo == null || e.partLo.length < na) {
            e.partLo = new long[na];
            e.partHi = new long[na];
            e.partOf = new int[na];
        }
        long[] alo = e.partLo, ahi = e.partHi;
        int[] of = e.partOf;
        int vl = RowVec.lanes();
        if (e.partDec == null || e.partDec.length < m) e.partDec = new int[m];
        int[] dec = e.partDec;
        long[] res = e.affineResult;
        int q = 0;
        for (int k = 0; k < m; k++) {
            int b = i + k * S, p = plan[b + 5], lo = plan[b + 3], hi = plan[b + 4];
            int[] acc = e.rowVecAcc[p];
            GridRows.extent(e, 0, 0, lo, hi);
            for (int x : acc) {
                int j = x < 0 ? ~x : x;
                long a0 = RowVec.base(e, j), ax = res[4 * as.prog[j] + 1], size = 1L << as.log2[j];
                long span;
                try {
                    span = Math.multiplyExact(ax, (long) (hi - lo - 1));
                } catch (ArithmeticException ex) {
                    return i;
                }
                long l = Math.min(a0, a0 + span), h = Math.max(a0, a0 + span) + size;
                alo[q] = l;
                ahi[q] = h;
                of[q] = x < 0 ? ~k : k; // a store's part as ~k
                q++;
            }
            // RowLean's first-row decision
            int full = (hi - lo) - (hi - lo) % vl;
            dec[k] = 0;
            if (full > 0 && RowVec.ok(e, acc)) {
                boolean tail = lo + full < hi && e.launch.rowVecTail && RowVecTail.ok(e, acc);
                // last lanes in the array form (no overlapping vector): per thread row as before, in its order
                dec[k] = tail ? 2 : lo + full == hi ? 1 : 0;
            }
        }
        for (int u = 0; u < na; u++) {
            if (of[u] >= 0) continue;
            int pu = ~of[u];
            for (int v = 0; v < na; v++) {
                int pv = of[v] < 0 ? ~of[v] : of[v];
                if (pv == pu) continue;
                if (!apart(alo[u], ahi[u], alo[v], ahi[v], c, nty)) return i;
            }
        }
        // run: part by part
        for (int k = 0; k < m; k++) {
            int b = i + k * S, p = plan[b + 5], lo = plan[b + 3], hi = plan[b + 4];
            if (dec[k] == 0) {
                // RowLean's loops for this part's thread rows, as without RowPart
                for (int r = 0; r < nty; r++) GridRows.leanLoop(e, p, r, 0, lo, hi, plan[b + 6]);
                continue;
            }
            int full = (hi - lo) - (hi - lo) % vl;
            GridRows.extent(e, 0, 0, lo, lo + full);
            e.partRows = nty;
            e.partStep = c;
            e.partLast = dec[k] == 2 ? hi - lo - vl : -1;
            e.launch.kernel.code.runRowPart(e, p);
            e.rowParts++;
            e.rowRuns += nty;
            e.rowVecs += nty;
            e.leanDecided += nty - 1;
            if (dec[k] == 2) e.rowVecTails += nty;
        }
        return end;
    }

    /**
     * Whether the bytes {@code [u0, u1) + c·y} and {@code [v0, v1) + c·y'} are disjoint for all thread rows
     * {@code y, y'} in {@code [0, rows)}: they meet iff {@code v0 − u1 < c·d < v1 − u0} for some {@code d = y − y'}
     * with {@code |d| < rows}. False on overflow.
     */
    static boolean apart(long u0, long u1, long v0, long v1, long c, int rows) {
        try {
            long a = Math.subtractExact(v0, u1), b = Math.subtractExact(v1, u0);
            if (c == 0) return !(a < 0 && 0 < b);
            long cc = Math.absExact(c);
            // integers d with a < cc·d < b (the range of d is symmetric, so the sign of c does not matter)
            long dLo = Math.floorDiv(a, cc) + 1, dHi = -Math.floorDiv(-b, cc) - 1;
            return Math.max(dLo, -(rows - 1L)) > Math.min(dHi, rows - 1L);
        } catch (ArithmeticException ex) {
            return false;
        }
    }
}
