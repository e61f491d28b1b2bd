package org.transcuda.backend.cpu;

/**
 * A grid-row loop that runs as vectors on device memory ({@link RowVec}) with its store at an address that is not a
 * multiple of the vector's size runs its first vector where it starts, then its other vectors from the first lane
 * whose store address is a multiple of {@code 4·VL} bytes (64 with AVX-512), so that every store of the loop after
 * the first writes one whole cache line instead of parts of two: stencil's interior loops start at {@code x = 1}
 * (4 bytes past a row's first element, a 256-byte aligned allocation and rows of 4096 floats), so each of their
 * 64-byte stores, and the {@code in[i]}-aligned loads {@code in[i ± nx]}, span two lines; with this only the
 * {@code in[i ± 1]} loads do.
 *
 * <h2>When</h2>
 * A loop that {@link RowVec#ok} lets run as vectors, whose first store (in path order) has a lane-0 address that is a
 * multiple of 4 but not of {@code 4·VL}, whose lanes after the first such aligned lane still hold a whole vector, and
 * for which {@link RowVecTail#ok} holds: no block-uniform load, and every store's address range over all the loop's
 * lanes misses the range of every other access (stencil's {@code out} against its four {@code in} loads). saxpy's
 * loops (256-byte aligned blocks, and its {@code y} store at its load's addresses) never qualify.
 *
 * <h2>Why this is exact</h2>
 * The loop's lanes {@code lo .. hi-1} run as: one vector {@code lo .. lo+VL-1}, then the vectors from
 * {@code lo + k} ({@code 0 < k < VL}, the first aligned lane) as {@link RowVec}'s loop over {@code lo+k .. hi-1}
 * (its last lanes as {@link RowVecTail}'s overlapping vector or the array form, as before). Lanes
 * {@code lo+k .. lo+VL-1} run twice. As for {@link RowVecTail}: every address a lane of the loop loads lies outside
 * every range the loop stores to, so the second run of a lane loads the same values as the first, computes the same
 * results with the same method ({@code rK}: same operations, same NaN canonicalization) and stores them at the same
 * addresses; memory ends bit for bit as without. Only lanes inside the loop run, whose accesses were all checked
 * over the loop's lanes before anything ran ({@link GridRows#plan}), so no new fault can arise; a piece that fails
 * its checks runs block by block as before. With several workers a second store of an unchanged value is visible
 * only to a block that reads those addresses while another block writes them (a data race, which CUDA leaves
 * unordered).
 *
 * <p>{@code -Dtranscuda.cpu.rowVecAlign=false}: the vectors from the loop's first lane (A/B); counted as "loops
 * realigned to their store" in {@code -Dtranscuda.cpu.stats=true}.
 */
final class RowVecAlign {
    /** {@code -Dtranscuda.cpu.rowVecAlign=false}: a vector loop's vectors always start at its first lane. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.rowVecAlign"));

    private RowVecAlign() {
    }

    /** The default of {@link CpuDevice#rowVecAlign}: on unless switched off. */
    static boolean defaultOn() {
        return ENABLED;
    }

    /**
     * The lanes {@code k} (0 &lt; k &lt; VL) from the current loop's first lane ({@link Exec#vn} lanes, coefficients
     * as {@link GridRows} sets them for all its lanes; {@link RowVec#ok} already true) to the first lane whose first
     * store's address is a multiple of {@code 4·VL}; 0 when the store is already there, its address is not a
     * multiple of 4, fewer than a whole vector would follow, or {@link RowVecTail#ok} does not hold.
     */
    static int skip(Exec e, int[] acc) {
        int vl = RowVec.lanes();
        for (int x : acc) {
            if (x >= 0) continue;
            long sb = RowVec.base(e, ~x);
            if ((sb & 3) != 0) return 0;
            int mis = (int) ((sb >>> 2) & (vl - 1));
            if (mis == 0) return 0;
            int k = vl - mis;
            if (e.vn - k < vl || !RowVecTail.ok(e, acc)) return 0;
            return k;
        }
        return 0;
    }
}
