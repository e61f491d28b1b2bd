package org.transcuda.backend.cpu;

/**
 * Lockstep engine: an if-converted arm run over a thread range ({@link SharedAffine#predRange}) whose prefix (the
 * statements of the branch's block before it, run for every thread) defines registers that only the arm reads: those
 * definitions run in the arm's range loop, for the arm's threads, instead of in a lane loop over every thread
 * ({@code -Dtranscuda.cpu.armDefer=false} turns it off). reduce's {@code %r4 = %r3 + 256}: read by the compare
 * {@code %p2 = %r4 >= n} (replaced by the range's closed form) and by the arm's address {@code in + 4 * %r4}, which
 * the arm's bulk copy ({@link LaneBulk}) serves, so the lane loop of all 256 threads is gone.
 *
 * <p>Applies (decided when the kernel is compiled, {@code KernelCompiler.deferToArm}) to an unguarded register-only
 * statement of the prefix, not a special-register read, defining one register that is not block-uniform or
 * thread-constant, when every statement or terminator of the function that mentions that register is such a moved
 * statement, the compare the range replaced, or a statement of the arm, and no prefix statement after it that stays
 * in the prefix redefines one of its sources. A register with no other reader is not needed by the threads outside
 * the range; in the arm's loop it is a JVM local. Where the range is not taken (not every thread active, a range the
 * closed form cannot give), the general path runs the prefix as before. Counted in {@link Exec#armDefers}.
 */
final class ArmDefer {
    /** On unless {@code -Dtranscuda.cpu.armDefer=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.armDefer"));

    private ArmDefer() {
    }
}
