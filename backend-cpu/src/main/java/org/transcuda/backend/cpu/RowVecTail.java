package org.transcuda.backend.cpu;

/**
 * The last lanes of a grid-row loop that runs as vectors on device memory ({@link RowVec}) as one more whole vector
 * that ends at the loop's last lane and overlaps the vector before it, instead of a run of the array form: stencil's
 * interior loops (lanes 1..4094 of a 4096-wide grid row: 255 vectors and 14 lanes) then run no array form at all
 * (no row copies, no shared shifted copy, no lane loop and NaN test over 14 lanes), 4094 array-form runs fewer per
 * launch.
 *
 * <h2>When</h2>
 * A loop that {@link RowVec#ok} lets run as vectors, that has at least one whole vector and a remainder
 * ({@code VL < n}, {@code n mod VL != 0}), none of whose accesses is a block-uniform load ({@link RowVecInt}), and
 * every one of whose stores has, over all the loop's lanes, an address range that misses the range of every other
 * access of the path (loads and the other stores): stencil's {@code out} apart from its four {@code in} loads. A
 * loop whose store reads back at its own addresses (saxpy's {@code y}) or overlaps a load's range anywhere keeps
 * the array form for its last lanes ({@link GridRows}).
 *
 * <h2>Why this is exact</h2>
 * The overlapping vector runs lanes {@code n-VL .. n-1}: the remainder once, and up to {@code VL-1} lanes that the
 * vectors before it already ran, again. Every address a lane of the loop loads lies outside every range the loop
 * stores to, so the second run of a lane loads the same values as its first (nothing this loop did changed them; on
 * one worker nothing else ran in between), computes the same results with the same operations (NaN canonicalization
 * included: {@code rK} is the same method) and stores them at the same addresses: memory ends bit for bit as with
 * the array form's last lanes, which are themselves one more step of all loads, then all stores, of lanes no other
 * lane of the loop reads. Only lanes inside the loop run (all its accesses were checked over its lanes before
 * anything ran, {@link GridRows#plan}), so no new fault can arise. With several workers a second store of an
 * unchanged value is visible only to a block that reads those addresses while another block writes them (a data
 * race, for which CUDA gives no order).
 *
 * <p>{@code -Dtranscuda.cpu.rowVecTail=false}: the last lanes in the array form as before (A/B); counted as "last
 * lanes as an overlapping vector" in {@code -Dtranscuda.cpu.stats=true}.
 */
final class RowVecTail {
    /** {@code -Dtranscuda.cpu.rowVecTail=false}: a vector loop's last lanes always run in the array form. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.rowVecTail"));

    private RowVecTail() {
    }

    /** The default of {@link CpuDevice#rowVecTail}: on unless switched off. */
    static boolean defaultOn() {
        return ENABLED;
    }

    /**
     * Whether the current loop ({@link Exec#vn} lanes, coefficients as {@link GridRows} sets them for all its lanes;
     * {@link RowVec#ok} already true) may run its last lanes as an overlapping vector: no block-uniform load, every
     * store's range apart from every other access's range.
     */
    static boolean ok(Exec e, int[] acc) {
        long bytes = 4L * e.vn;
        for (int x : acc) if (x >= 0 && (x & RowVecInt.UNIFORM) != 0) return false;
        for (int is = 0; is < acc.length; is++) {
            if (acc[is] >= 0) continue;
            long bs = RowVec.base(e, ~acc[is]);
            for (int it = 0; it < acc.length; it++) {
                if (it == is) continue;
                long bt = RowVec.base(e, acc[it] < 0 ? ~acc[it] : acc[it]);
                if (bt < bs + bytes && bs < bt + bytes) return false;
            }
        }
        return true;
    }
}
