package org.transcuda.backend.cpu;

/**
 * A grid-row loop ({@link GridRows}) of fewer lanes than a vector ({@link RowVec#lanes}; stencil's one-lane border
 * loops, the grid's first and last column: 8188 per launch) run as the path's scalar code over its lanes instead of
 * the array form: the generated method {@code sK} is the path method {@code pK}'s statements (the code a block whose
 * threads all take path K runs, {@link UniformPaths}) in a loop over {@code tid.x} from {@link Exec#vx0} for
 * {@link Exec#vn} lanes at {@code tid.y = vty}, {@code tid.z = vtz}: no per-worker row arrays, no copies in and out,
 * no NaN pass over the arrays.
 *
 * <h2>When</h2>
 * Every grid-row loop of a path that stores, with {@code 0 < vn < VL} lanes, when the vector module is there (so
 * that {@code VL} is defined) and the launch's switch is on; any other loop runs as before ({@link RowVec},
 * {@link RowChunks}, {@link VecMem}).
 *
 * <h2>Why this is exact</h2>
 * {@code pK} is the scalar code of the path's statements: each thread runs them in program order with the thread
 * engine's operations (IEEE binary32/64, NaN results canonicalized as the scalar code does: the bits the array form
 * gives, which is itself exact with respect to it), one thread after another in lane order: the order the array
 * form is exact against. Its accesses do not check (the {@code PATH} shape): {@link GridRows#plan} checked every
 * access of the loop over exactly these lanes before anything of the piece ran, as for the array form, so a lane
 * that would fault leaves the piece to the general path before any store, and the fault is reported from there with
 * its block, thread and instruction, as with the switch off.
 *
 * <p>{@code -Dtranscuda.cpu.rowLanes=false}: such loops in the array form (A/B); counted as "few-lane loops as
 * scalar code" in {@code -Dtranscuda.cpu.stats=true}.
 */
final class RowLanes {
    /** {@code -Dtranscuda.cpu.rowLanes=false}: loops of fewer lanes than a vector run in the array form. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.rowLanes"));

    private RowLanes() {
    }

    /** Whether a loop of {@code n} lanes of path {@code p} runs as {@code sK}. */
    static boolean applies(Exec e, int p, int n) {
        return e.launch.rowLanes && RowVec.AVAILABLE && n < RowVec.lanes() && e.launch.kernel.paths.stores[p];
    }

    /** Runs path {@code p}'s scalar code over lanes {@code [lo, hi)} of thread row {@code (y, z)} of block {@code e.cx}. */
    static void run(Exec e, int p, int y, int z, int lo, int hi) {
        e.rowLaneLoops++;
        e.vnx = e.vn = hi - lo;
        e.vny = e.vnz = 1;
        e.vty = y;
        e.vtz = z;
        e.vx0 = lo;
        e.launch.kernel.code.runRowLanes(e, p);
    }
}
