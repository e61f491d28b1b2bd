package org.transcuda.backend.cpu;

/**
 * A block's index from its linear number without divisions when the grid's x extent holds it ({@code b < gridDim.x}:
 * every block of a 1-D grid, the first row of others): {@code ctaid = (b, 0, 0)}. {@link Exec#block} computes the same
 * with two 64-bit divisions and two remainders per block ({@code b % ncx}, {@code b / ncx}, then by {@code ncy}), on
 * the path from {@link Launch#runOne} into the block's first segment, whose site mask ({@link SiteMaskOnce}) reads
 * {@code cx} at once. Exact: for {@code 0 <= b < ncx}, {@code b % ncx == b} and {@code b / ncx == 0}. Applies to every
 * block {@link Launch#runOne} runs (both engines; not grid rows, which set their blocks themselves). Counted in
 * {@link Exec#blockIndexFast}; {@code -Dtranscuda.cpu.blockIndex=false} turns it off.
 */
final class BlockIndex {
    /** On unless {@code -Dtranscuda.cpu.blockIndex=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.blockIndex"));

    private BlockIndex() {
    }

    /** Sets {@code e}'s block to linear block {@code b} (as {@link Exec#block}). */
    static void set(Exec e, long b) {
        if (ENABLED && b < e.ncx) {
            e.blockLinear = b;
            e.cx = (int) b;
            e.cy = 0;
            e.cz = 0;
            e.blockIndexFast++;
        } else {
            e.block(b);
        }
    }
}
