package org.transcuda.backend.cpu;

/**
 * Lockstep engine: an if-converted arm run over a thread range ({@link SharedAffine#predRange}) whose prefix (the
 * statements of the branch's block before it, run for every thread) sets a register to a constant that the arm then
 * overwrites: the constant is stored only for the threads outside the range, since every thread of the range has it
 * overwritten by the arm's loop before anything reads it ({@code -Dtranscuda.cpu.armFill=false} turns it off).
 * reduce's {@code %f33 = 0} before {@code if (i < n) %f33 = in[i]}: for a full block the range is every thread and
 * the prefix's lane loop is left with {@code %r3 = %r7 + %r2} alone; the threads of a partial last block with
 * {@code i >= n} still get the zero.
 *
 * <p>Applies (decided when the kernel is compiled, {@code KernelCompiler.fillOutside}) to an unguarded register-only
 * statement of the prefix that reads no register (a {@code mov} of a constant), defines one register that is not
 * block-uniform or thread-constant, and whose register no later statement of the prefix, no statement moved into the
 * arm ({@link ArmDefer}), the range's compare and the branch mention, when the arm's first statement that mentions
 * the register (every statement of the arm that does is in the arm's loop) is an unguarded definition that does not
 * read it. The arm's loop (or its bulk copy, {@link LaneBulk}, or the checked loop when the copy is refused) then
 * writes the register of every thread of the range; if one of them faults, the launch ends with that fault and no
 * register is read again. The constant is stored by two loops, threads {@code [0, lo)} and {@code [hi, n)}, after
 * the prefix's lane loop. Where the range is not taken (not every thread active, a range the closed form cannot
 * give) the general path runs the prefix as before. Counted in {@link Exec#armFills}.
 */
final class ArmFill {
    /** On unless {@code -Dtranscuda.cpu.armFill=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.armFill"));

    private ArmFill() {
    }
}
