package org.transcuda.backend.cpu;

/**
 * The cache lines of a lockstep lane loop's checked-once global loads touched before the loop, one read per line,
 * so that their misses overlap. <b>Off by default</b> since 2026-11-27 ({@code -Dtranscuda.cpu.loopTouch=true} turns it
 * on): on a host whose caches hold the inputs (the AMD EPYC with AVX-512 of docs/benchmarks.md, matmul's three 1 MiB matrices) the
 * touch reads only cost (matmul CONTROL 0.92x with it off, 6 of 6 pairs); it helped on the earlier host whose inputs did
 * not fit in its cache. matmul's tile loads
 * {@code As[ty][tx] = A[...]; Bs[ty][tx] = B[...]} read, per row of 16 threads, one 64-byte line of each matrix
 * through pointers that the {@code k0} loop advances; the rows of a {@code B} tile are {@code 4·n} bytes apart. In the
 * lane loop a new line is needed once per 16 threads, and with about 15 instructions per thread the next row's miss
 * lies beyond what the processor runs ahead, so each miss waited for the one before (measured: about two thirds of
 * the tile-load segment's samples on the {@code B} load, docs/benchmarks.md).
 *
 * <p>For a load that {@link LoopChecks} checked once for the loop (its flag set: every thread's address aligned and
 * inside one live allocation) whose address is a per-thread 64-bit register's value as the run starts plus a
 * constant, and while every thread of the block is active, {@link #lines} reads one byte at the address of every
 * {@code 64 / size}-th thread (for threads reading consecutive elements: each line once) in a short loop whose reads
 * are independent, so their misses are in flight together; the lane loop then finds the lines in the cache. The bytes
 * are read only to be discarded (their sum goes to {@link Exec#touchSink} so the JIT keeps the reads). The reads are
 * of addresses the check covered, so they cannot fault; they have no effect a thread can see (memory is not
 * written), and when the check failed nothing is touched and the per-access checks fault where they always did.
 */
final class LoopTouch {
    /** Off unless {@code -Dtranscuda.cpu.loopTouch=true}. */
    static final boolean ENABLED = "true".equals(System.getProperty("transcuda.cpu.loopTouch"));
    /** The cache line size assumed (bytes). */
    static final int LINE = 64;

    private LoopTouch() {
    }

    /**
     * Reads a byte at {@code a[t] + off} for {@code t = 0, step, 2·step, ...} below {@code e.nthreads}, when {@code ok}
     * (the access's {@link LoopChecks#fits} flag) is set; counts the reads in {@link Exec#loopTouched}.
     */
    static void lines(Exec e, long[] a, long off, int step, int ok) {
        if (ok == 0) return;
        int n = e.nthreads;
        int x = 0;
        int k = 0;
        for (int t = 0; t < n; t += step) {
            x += Mem.ALL.get(Mem.I8, a[t] + off);
            k++;
        }
        e.touchSink += x;
        e.loopTouched += k;
    }

    /** The thread step for accesses of {@code 2^log2} bytes: one read per {@link #LINE} bytes of consecutive ones. */
    static int step(int log2) {
        return Math.max(1, LINE >> log2);
    }
}
