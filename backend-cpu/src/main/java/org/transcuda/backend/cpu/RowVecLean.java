package org.transcuda.backend.cpu;

/**
 * Grid-row vector loops ({@link RowVec}'s generated {@code rK}) without the register arrays in their prologue: an
 * {@code rK} keeps every per-thread value in vector locals and never reads {@code Exec.vregs}, but the shared VEC
 * prologue loaded each register array of the path ({@code vregs[i]}, {@code checkcast float[]}), which reads each
 * array's header: with stencil's 4096-lane arrays (16 KiB each) that is one more 4-KiB page per array touched between
 * two row loops. Here the locals start as {@code null} instead.
 *
 * <p>Exact: the arrays are never read in {@code rK} (a {@code null} local that were read would throw, and the tests
 * run every {@code rK}); nothing else changes. {@code -Dtranscuda.cpu.rowVecLean=false}: the old prologue (A/B).
 */
final class RowVecLean {
    /** {@code -Dtranscuda.cpu.rowVecLean=false}: {@code rK} loads its path's register arrays as before. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.rowVecLean"));

    private RowVecLean() {
    }
}
