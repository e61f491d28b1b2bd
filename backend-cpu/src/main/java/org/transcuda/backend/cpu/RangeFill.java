package org.transcuda.backend.cpu;

/**
 * Lockstep engine: the prefix of an if-converted arm run over a thread range ({@link SharedAffine#predRange}, every
 * thread of a one-dimensional block active) without its per-thread lane loop where the range already says the
 * answer ({@code -Dtranscuda.cpu.rangeFill=false} turns it off). scan_block's and reduce's head, {@code i =
 * ctaid·256 + t; p = i >= n; v = 0; if (!p) v = in[i]}: the lane loop computed {@code p} per thread in 64 bits and
 * stored it, and stored {@code v = 0} for every thread, before the arm's copy overwrote {@code v} for the whole range
 * (scan's {@code ls0}: about 40 % of the segment's own samples, steady state; docs/benchmarks.md).
 *
 * <p>Two parts, both decided when the kernel is compiled ({@code KernelCompiler.lockArmRange}):
 * <ul>
 * <li>The branch predicate, when its compare must still be stored (a later segment reads it: scan's
 * {@code if (i < n) out[i] = v}): not computed per thread; {@link #pred} stores {@code want} for the threads of the
 * range and {@code !want} for the others. The range is exactly the set of threads whose compare gives {@code want}
 * (the closed form the arm already runs on; {@link SharedAffine#predRange} gives -1 when it cannot say, and then the
 * general path runs), the compare is the predicate's only definition and unguarded ({@code armCompare}), and no
 * other statement of the prefix mentions it, so every element gets the bit the compare would have stored.</li>
 * <li>A prefix statement that sets a per-thread register to a block-uniform value (a constant, or block-uniform
 * registers that nothing in the prefix or the arm redefines), when no later prefix statement, the compare and the
 * branch read it and the arm's first statement that mentions it is an unguarded definition that does not read it
 * (every arm statement that mentions it is in the arm's loop): stored only for threads {@code [0, lo)} and
 * {@code [hi, n)} after the prefix's loop. The arm's loop (its bulk copy {@link LaneBulk}, or the checked loop when
 * the copy is refused) writes it for every thread of the range before anything reads it; if one of those threads
 * faults the launch ends with that fault, at the same block, thread and instruction, and no register is read again.
 * (The same rule as the measured-and-dropped {@code ArmFill} of tag {@code exp/h-armFill}, which allowed constants
 * only: scan's {@code v = %r17} reads a block-uniform zero.)</li>
 * </ul>
 * When what stays in the prefix's lane loop only defines {@link AffineRegs} registers (stores that are pops: scan's
 * and reduce's {@code i}), the loop is not emitted. For a full block of scan_block or reduce the prefix's lane loop
 * is then gone. Where the range is not taken (not
 * every thread active, a range the closed form cannot give) the general path runs the prefix as before. Counted in
 * {@link Exec#rangeFillPreds} and {@link Exec#rangeFills} (arm range loops with a predicate stored from the range, with
 * a constant filled outside it).
 */
final class RangeFill {
    /** On unless {@code -Dtranscuda.cpu.rangeFill=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.rangeFill"));

    private RangeFill() {
    }

    /**
     * Predicate register {@code p} of threads {@code [0, n)} from the arm's range {@code [lo, hi)}: 1 where the arm
     * runs when the predicate is {@code want}, i.e. {@code want} inside the range and {@code !want} outside.
     */
    static void pred(int[] p, int lo, int hi, int n, boolean want) {
        int in = want ? 1 : 0;
        int out = in ^ 1;
        for (int t = 0; t < lo; t++) p[t] = out;
        for (int t = lo; t < hi; t++) p[t] = in;
        for (int t = hi; t < n; t++) p[t] = out;
    }
}
