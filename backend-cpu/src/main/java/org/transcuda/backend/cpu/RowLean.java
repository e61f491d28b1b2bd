package org.transcuda.backend.cpu;

/**
 * The per-loop work around a grid-row piece's vector loops ({@link GridRows}) cut together: (a) a piece whose lanes
 * {@link RowRect} split once for all thread rows decides {@link RowVec#ok} and {@link RowVecTail#ok} for each of its
 * parts at the first thread row and runs the other thread rows' loops of that part without deciding again (one
 * {@link GridRows} extent per loop, the overlapping last vector by shifting the bases, {@link Exec#block} only when
 * the loop's block changes); (b) a loop of one lane of an f32 path ({@link #lanePath}: stencil's left and right
 * border columns, {@code out[i] = in[i]}) runs the path's generated scalar method {@code sK} on device memory
 * instead of the array form (row copies into per-worker arrays, a one-iteration loop, NaN test, copy back); and the
 * direct methods {@code rK}/{@code sK} leave the path's register arrays unread in their prologue (they keep every
 * per-lane value in locals).
 *
 * <h2>When</h2>
 * (a) the piece's loops come from a {@link RowRect} split (the same parts, lanes {@code [lo, hi)} and path, for every
 * thread row, in thread-row order), the part's path runs as vectors on memory ({@link RowVec}) and every access of
 * it has an address program with the same {@code tid.y} and {@code tid.z} coefficients ({@link #shiftPaths}: stencil's
 * four {@code in} loads and its {@code out} store, all {@code y·nx + x}). (b) a loop of exactly one lane of a path
 * whose direct form is f32 only without block-uniform loads ({@link RowVec#form} 1) while the launch runs
 * {@link RowVec} loops.
 *
 * <h2>Why this is exact</h2>
 * (a) {@link RowVec#ok} and {@link RowVecTail#ok} read the loop's lane count, first lane, the accesses' {@code tid.x}
 * and {@code ctaid.x} coefficients, and the differences between their lane-0 addresses. Across the thread rows of one
 * part only the {@code tid.y}/{@code tid.z} terms of the addresses change; with equal coefficients in every access
 * of the path they add the same amount to every address, so every difference, and so every answer, is the one of
 * the first thread row: the loops run exactly as {@link GridRows}' per-loop decision would run them (same methods,
 * same extents: the shifted bases are {@link GridRows}' extent of the last vector's lanes). The plan's access checks
 * are untouched (each loop was checked over its own lanes before anything ran); a part decided for the array form, and
 * every loop of a piece not split by {@link RowRect}, takes {@link GridRows}' per-loop path. Nothing in a loop
 * changes the block fields that {@link Exec#block} sets, so setting them once per change of block is the same.
 * (b) One lane is one thread: {@code sK} runs its statements in program order, each f32 operation the same IEEE
 * binary32 operation as {@code rK}'s lanes (and so as the array form, {@link RowVec}), the results {@code rK}
 * canonicalizes canonicalized, loaded values not (a border copy keeps its NaN payload); its accesses are the loop's,
 * which the plan checked (alignment, one live allocation) before anything ran, as for the array form, so a fault
 * still sends the piece to the block-by-block path with its block, thread and instruction. (c) The prologue's arrays
 * are never read in {@code rK}/{@code sK} (a null that were read would throw in every test that runs them).
 *
 * <p>{@code -Dtranscuda.cpu.rowLean=false}: per-loop decisions, the array form for one-lane loops and the arrays
 * loaded in {@code rK}'s prologue as before (A/B); counted in {@code -Dtranscuda.cpu.stats=true} as "loops decided
 * once per piece" and "one-lane loops as scalar code"; {@code -Dtranscuda.cpu.rowLeanLanes=false} leaves only (b) out.
 */
final class RowLean {
    /** {@code -Dtranscuda.cpu.rowLean=false}: the per-loop work as before. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.rowLean"));

    /** {@code -Dtranscuda.cpu.rowLeanLanes=false}: only (b) off, one-lane loops in the array form (bisect). */
    static final boolean LANES = !"false".equals(System.getProperty("transcuda.cpu.rowLeanLanes"));

    /** A part's decision, per piece ({@link Exec#leanDec}): per loop / vectors. */
    static final int GENERAL = 1, VECTORS = 2;

    private RowLean() {
    }

    /** The default of {@link CpuDevice#rowLean}: on unless switched off. */
    static boolean defaultOn() {
        return ENABLED;
    }

    /** Whether {@code plan} gets a one-lane scalar method {@code sK}: an f32-only direct form ({@link RowVec}). */
    static boolean lanePath(VectorPaths.Plan plan, AffineSites a) {
        return RowVec.form(plan, a) == 1;
    }

    /**
     * Per path of {@code e}'s launch with {@link RowVec} accesses ({@code acc}): whether all its accesses' address
     * programs have the same {@code tid.y} and {@code tid.z} coefficients (a thread row shifts all of them alike).
     */
    static boolean[] shiftPaths(Exec e, int[][] acc) {
        if (acc == null) return null;
        LaunchForms lf = LaunchForms.of(e);
        AffineSites a = e.launch.kernel.affine;
        boolean[] on = new boolean[acc.length];
        for (int p = 0; p < acc.length; p++) {
            if (acc[p] == null || acc[p].length == 0) continue;
            boolean same = true;
            long cy = 0, cz = 0;
            for (int i = 0; i < acc[p].length && same; i++) {
                int x = acc[p][i];
                int j = x < 0 ? ~x : x & ~RowVecInt.UNIFORM;
                int o = LaunchForms.W * a.prog[j];
                if (i == 0) {
                    cy = lf.programs[o + 2];
                    cz = lf.programs[o + 3];
                } else {
                    same = lf.programs[o + 2] == cy && lf.programs[o + 3] == cz;
                }
            }
            on[p] = same;
        }
        return on;
    }

    /** Per path: whether its one-lane loops run {@code sK} ({@code acc}: the launch's {@link RowVec} accesses). */
    static boolean[] lanePaths(CompiledKernel k, int[][] acc) {
        if (acc == null) return null;
        boolean[] on = new boolean[acc.length];
        for (int p = 0; p < acc.length; p++) on[p] = acc[p] != null && lanePath(k.paths.vector.plans[p], k.affine);
        return on;
    }

    /**
     * Moves the current loop's extent ({@link GridRows}' extent of lanes {@code [vx0, vx0 + vn)}) by {@code d} lanes to
     * {@code n} lanes: the row-affine programs' lane-0 addresses by {@code d} times their {@code tid.x} coefficient
     * (block-uniform ones, whose address is their block's, stay).
     */
    static void shift(Exec e, int d, int n) {
        long[] res = e.affineResult;
        long[] acx = e.rowAcx;
        int nprog = LaunchForms.of(e).programOk.length;
        for (int q = 0; q < nprog; q++) if (acx[q] == 0) res[4 * q] += res[4 * q + 1] * d;
        e.vx0 += d;
        e.vnx = e.vn = n;
    }

    /** {@code sK}: an f32 load at device address {@code a} (checked by the plan). */
    static float ld(long a) {
        return Mem.ALL.get(Mem.F32, a);
    }

    /** {@code sK}: an f32 store at device address {@code a} (checked by the plan). */
    static void st(long a, float v) {
        Mem.ALL.set(Mem.F32, a, v);
    }
}
