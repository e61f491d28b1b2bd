package org.transcuda.backend.cpu;

/**
 * Lockstep lane loops that only advance per-thread 64-bit registers by a block-uniform amount, run as one tight loop
 * per register ({@code -Dtranscuda.cpu.ptrAdv=false} turns this off). matmul's segment after the tile loop's second
 * barrier is, per thread, {@code %rd19 = add.s64 %rd19, %rd2} and {@code %rd18 = add.s64 %rd18, 64} (a register
 * with several definitions advanced by a constant or a block-uniform register, {@code KernelCompiler.ptrStepOf});
 * the ordinary lane loop runs both adds for thread 0, then thread 1, ..., reading and writing two arrays in one loop.
 * Here, when every statement of the run is such an advance and every thread of the block is active, each statement
 * becomes {@link #add}: {@code a[t] += u} for every thread {@code t}, one register after the other in the run's
 * order — a single-array loop that C2 vectorizes. Each thread's register gets the same additions in the same order
 * (64-bit wrapping adds, no rounding, no faults, no memory access), and no statement of the run reads another
 * thread's register or another statement's result (the step reads only its own register and a block-uniform value),
 * so the values are bit for bit those of the lane loop. With a partial active set the lane loop runs as before.
 */
final class PtrAdv {
    /** On unless {@code -Dtranscuda.cpu.ptrAdv=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.ptrAdv"));

    private PtrAdv() {
    }

    /** {@code a[t] += u} for {@code 0 <= t < n} (a register's array, every thread of the block active). */
    static void add(long[] a, int n, long u) {
        for (int t = 0; t < n; t++) a[t] += u;
    }
}
