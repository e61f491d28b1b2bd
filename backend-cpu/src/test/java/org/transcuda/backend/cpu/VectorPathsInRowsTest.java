package org.transcuda.backend.cpu;

/**
 * {@link VectorPathsTest}'s kernels and Java references with grid rows on ({@link GridRows}): the same results bit
 * for bit (the block counters, which count block-mode blocks, are not checked here).
 */
class VectorPathsInRowsTest extends VectorPathsTest {
    @Override
    boolean rows() {
        return true;
    }
}
