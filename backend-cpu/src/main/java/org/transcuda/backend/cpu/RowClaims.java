package org.transcuda.backend.cpu;

/**
 * How many blocks a worker claims at a time in a grid-row launch ({@link GridRows}): about an eighth of its share of
 * the grid ({@code blocks / (8 · workers)}) instead of at most 64 blocks (or one grid-row loop's blocks). Each claim
 * starts new access streams at addresses far from the worker's last ones; with saxpy's 65536 blocks of 256 threads and
 * two workers the old rule made 1024 claims of 64 blocks (64 KiB per array), the two workers' streams interleaved
 * claim by claim, and the launch took about 1.13x the CPU time it takes in claims of 4096 blocks (docs/benchmarks.md,
 * "where saxpy's extra CPU goes"); one worker loses nothing (it runs its claims in grid order either way).
 * Eight claims per worker keep the load balanced when a worker is descheduled on a shared machine.
 *
 * <p>Applies where {@link Launch}'s grid-row claim rule applies: thread engine, grid rows on, the kernel has a
 * vector-form path. Exact: which worker runs which blocks, and in which claims, does not change what a block computes
 * (blocks of one launch are independent in CUDA; within a claim blocks still run in grid order, and
 * {@link GridRows#run} splits a claim at grid-row ends as before); a fault stops the launch as before, with the
 * faulting block, thread and instruction.
 *
 * <p>{@code -Dtranscuda.cpu.rowClaims=false}: the old rule (A/B; per launch from {@link CpuDevice#rowClaims});
 * {@code -Dtranscuda.cpu.stats=true} prints the launch's claims and blocks per claim.
 */
final class RowClaims {
    /** {@code -Dtranscuda.cpu.rowClaims=false}: grid-row launches claim at most 64 blocks (or a loop's) at a time. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.rowClaims"));
    /** Claims per worker that the grid is cut into (at least; the last may be shorter). */
    static final int PER_WORKER = 8;

    private RowClaims() {
    }

    /** Blocks per claim of a grid-row launch of {@code blocks} blocks on {@code workers}, given the old rule's {@code c}. */
    static long claim(long blocks, int workers, long c) {
        return Math.max(c, blocks / ((long) workers * PER_WORKER));
    }
}
