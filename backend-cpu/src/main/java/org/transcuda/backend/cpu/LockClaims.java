package org.transcuda.backend.cpu;

/**
 * How many blocks a worker claims at a time in a lockstep launch: about an eighth of its share of the grid
 * ({@code blocks / (8 · workers)}) instead of at most 64 blocks. With reduce's 32768 blocks and two workers the old
 * rule made 512 claims of 64 blocks (128 KiB of input each), the two workers alternating claim by claim, each claim
 * starting new access streams far from the worker's last ones; like {@link RowClaims} for grid-row launches.
 * Launches of at most {@code 64 · 8 · workers} blocks (histogram's 256, matmul's 1024 on two workers) keep their claims:
 * the rule only ever makes claims larger, never smaller than the old rule's.
 *
 * <p>Applies to lockstep launches ({@link Launch#lockstep}). Exact: which worker runs which blocks, and in which claims,
 * does not change what a block computes (blocks of one launch are independent in CUDA; within a claim blocks still run
 * in grid order); a fault stops the launch as before, with the faulting block, thread and instruction.
 *
 * <p>{@code -Dtranscuda.cpu.lockClaims=false}: the old rule (A/B; per launch from {@link CpuDevice#lockClaims});
 * {@code -Dtranscuda.cpu.stats=true} prints the launch's claims and blocks per claim.
 */
final class LockClaims {
    /** {@code -Dtranscuda.cpu.lockClaims=false}: lockstep launches claim at most 64 blocks at a time. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.lockClaims"));
    /** Claims per worker that the grid is cut into (at least; the last may be shorter). */
    static final int PER_WORKER = 8;
    /** Experiment only: a fixed claim size for lockstep launches (0: the rule). */
    static final long FIXED = Long.getLong("transcuda.cpu.lockClaimFixed", 0);

    private LockClaims() {
    }

    /** Blocks per claim of a lockstep launch of {@code blocks} blocks on {@code workers}, given the old rule's {@code c}. */
    static long claim(long blocks, int workers, long c) {
        if (FIXED > 0) return FIXED;
        return Math.max(c, blocks / ((long) workers * PER_WORKER));
    }
}
