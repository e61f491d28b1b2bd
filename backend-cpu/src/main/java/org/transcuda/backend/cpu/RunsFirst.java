package org.transcuda.backend.cpu;

/**
 * Lockstep engine: a {@link ConstRange} arm that {@link ConstRuns} takes (scan's {@code if (warp > 0) v +=
 * warpSums[warp - 1]}: 7 runs of 32 threads, one shared load per run) is emitted before {@link ArmShared}'s prescan,
 * so the prescan (a loop over every thread of the block, the arm's predicate and load address per thread) runs only on
 * the general path, where the arm's loop loads per thread. On the range path the run loads are the ordinary checked
 * shared loads, made once per run: a bad address faults at the run's first thread with the same instruction and CUDA
 * error as when the prescan's bit is clear (which ConstRuns already handles), and a good one reads the same word, so
 * results are bit for bit the same; only the per-block prescan goes (its result, 7 loads' worth of checks, is
 * replaced by those 7 checks). Applies only where the arm's static shape passes ConstRange's and ConstRuns' checks;
 * every other arm keeps the prescan first. Off with {@code -Dtranscuda.cpu.runsFirst=false}. Seen in the statistics
 * as one fewer "arm loops with shared loads checked once" ({@link Exec#armShared}) per block that ran the range.
 */
final class RunsFirst {
    /** On unless {@code -Dtranscuda.cpu.runsFirst=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.runsFirst"));

    private RunsFirst() {
    }
}
