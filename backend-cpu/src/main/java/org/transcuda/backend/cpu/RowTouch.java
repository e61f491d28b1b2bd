package org.transcuda.backend.cpu;

/**
 * A grid-row loop run as vectors on device memory ({@link RowVec}, the generated {@code rK}) reads, per vector, one
 * byte of its leading load stream {@link #AHEAD} vectors ahead, so that the cache line is on its way before the
 * vector load needs it. The leading stream is the path's load whose lane-0 address is the highest (stencil's
 * {@code in[i + nx]}, the grid row below, which the loads of the two rows above it find in the cache already: a
 * per-instruction profile of {@code r2} puts about two thirds of its samples on that load). The bytes read are summed
 * into {@link Exec#touchSink} after the loop so that the JIT keeps the reads.
 *
 * <h2>Why this is exact</h2>
 * A touch reads lane {@code min(t + AHEAD·VL, n - 1)} of the leading load's site, a lane of the loop, whose accesses
 * were all checked over the loop's lanes before anything ran ({@link GridRows#plan}); it is a plain read of memory
 * the loop reads anyway, its value goes only to the sink: no result, no store, no fault changes; loops of no lanes
 * touch nothing.
 *
 * <p>{@code -Dtranscuda.cpu.rowTouch=false}: {@code rK} without touches (read when a kernel is compiled; A/B);
 * {@code -Dtranscuda.cpu.stats=true} counts the calls of {@code rK} that touched ("vector loops with touches").
 */
final class RowTouch {
    /** {@code -Dtranscuda.cpu.rowTouch=false}: no touches in {@code rK}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.rowTouch"));
    /** Vectors ahead of the current one that a touch reads ({@code -Dtranscuda.cpu.rowTouchAhead}, default 8). */
    static final int AHEAD = Math.max(1, Integer.getInteger("transcuda.cpu.rowTouchAhead", 8));

    private RowTouch() {
    }

    /** After {@code rK}'s loop: the touched bytes' sum to the sink, the call counted. */
    static void done(Exec e, int sum) {
        e.touchSink += sum;
        e.rowTouches++;
    }
}
