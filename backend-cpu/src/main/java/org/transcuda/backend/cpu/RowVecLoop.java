package org.transcuda.backend.cpu;

/**
 * {@link RowVec}'s generated loop {@code rK} (without block-uniform loads) as a canonical counted loop: the lanes'
 * bound {@code t + VL <= vn} turned into {@code t < vn - (VL - 1)} once before the loop, the test at the bottom
 * ({@code for (t = 0; t < m; t += VL)} as javac emits it) instead of {@code t + VL > vn} at its top. Machine code of
 * saxpy's {@code r1} in the top-tested form (C2, AVX-512; docs/benchmarks.md): one vector per iteration with a
 * safepoint poll, and the three {@code Mem.ALL} index checks ({@code checkFromIndexSize} of each
 * {@code fromMemorySegment}/{@code intoMemorySegment}) compared per vector: C2 had not made it a counted loop, so
 * neither range-check elimination nor unrolling applied.
 *
 * <h2>Why this is exact</h2>
 * For {@code vn >= 0} (a lane count) and {@code t >= 0}, {@code t + VL <= vn} holds exactly when
 * {@code t < vn - VL + 1} (no overflow either side: {@code VL <= 64}), so the loop runs the same vectors in the same
 * order with the same body; only the branch shape differs.
 *
 * <p>{@code -Dtranscuda.cpu.rowVecLoop=false}: the top-tested loop as before (read when kernels are compiled). Each
 * {@code rK} call in this form adds one to {@link Exec#rowVecLoops} ("vector loops counted" in
 * {@code -Dtranscuda.cpu.stats=true}).
 */
final class RowVecLoop {
    /** {@code -Dtranscuda.cpu.rowVecLoop=false}: {@code rK}'s loop tested at its top as before. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.rowVecLoop"));

    private RowVecLoop() {
    }
}
