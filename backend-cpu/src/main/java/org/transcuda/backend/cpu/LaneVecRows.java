package org.transcuda.backend.cpu;

/**
 * {@link LaneVec}'s vector loop for two rows of threads at once ({@code -Dtranscuda.cpu.laneVecRows=false} turns it
 * off). matmul's segment is, per thread, 16 chained {@code fma}; as vectors of a row's threads the 16 fmas still
 * depend on each other, so one row's step waits on the fma latency. Here the rows {@code ty} (even) and {@code ty+1}
 * of the same {@code tid.z} run each vector step together: first the row-invariant statements
 * ({@link LaneJam#rowInvariant}, e.g. {@code As[ty][k]}) for the first row, their values kept as broadcast vectors,
 * then for the second row into their own vectors, then each vector statement for the first row and at once for the
 * second, each row with its own vectors (independent chains the CPU overlaps). Each thread still computes exactly its
 * own operations in its own order, with the NaN canonicalization of the single-row loop; only the order between
 * threads changes, which such a run cannot show (it writes no memory and cannot fault, see {@link LaneVec}). The odd
 * row then skips its vectors (already run) and runs its remaining threads as before; the last row of an odd number
 * of rows runs alone, as before. Counted per paired step in {@link Exec#vecRowPairs}.
 */
final class LaneVecRows {
    /** On unless {@code -Dtranscuda.cpu.laneVecRows=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.laneVecRows"));

    /** Tests (breaking it on purpose): whether a load without a {@code tid.y} term is shared by the two rows. */
    static boolean SHARE_LOADS = true;

    private LaneVecRows() {
    }
}
