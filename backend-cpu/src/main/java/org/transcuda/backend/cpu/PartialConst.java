package org.transcuda.backend.cpu;

/**
 * Lockstep engine: {@link ThreadConst}'s loops and kept {@link ArmShared} checks also from a block in which not every
 * thread is active (scan's warp-0 region: {@code if (warp == 0) { w = lane < 8 ? warpSums[lane] : 0; ... }}, which
 * runs with 32 of 256 threads active in every block, so that its {@code lane > 7}, {@code 4 * lane},
 * {@code warpSums + 4 * lane} loop and its arm's prescan ran in every block).
 *
 * <p>A thread-constant loop whose bit of {@link Exec#lconst} is not set, entered with not every thread active, runs
 * for every thread of the block instead of the active ones, and then sets its bit, when every register its statements
 * read is block-uniform, or thread-constant and defined by an earlier statement of the loop, or thread-constant with
 * its own loop's bit already set (every thread's value present: checked when the loop is entered; otherwise, and when
 * a read register's loop is not known when the segment is compiled, the loop runs over the active threads as before).
 * Each thread's value of such a register is a function of its thread index and the launch's constants alone, and
 * nothing else writes its array: writing it for a thread that is not active here (one that exited, or waits
 * elsewhere) writes the value that thread computes whenever it runs the definition. The statements are register-only
 * and cannot fault.
 *
 * <p>Likewise an {@link ArmShared} 32-bit prescan whose predicate and load address registers are thread-constant with
 * their loops' bits set, entered with not every thread active: it first runs over every thread of the block (the
 * predicate selecting as for an active thread); when every load's check passes there, it passes for every subset of
 * the threads in this block and every later block of the launch: its bit is set (later blocks skip the prescan, as
 * {@link ThreadConst} does after a full block) and the loads read unchecked. When a check fails over every thread the
 * prescan runs again over the active threads only, as before, and nothing is kept (a thread that is not active here
 * may fault when it is active in a later block: that block checks for itself).
 *
 * <p>Off with {@code -Dtranscuda.cpu.partialConst=false} (then, as before, only a loop or prescan that ran with every
 * thread active is kept); {@code -Dtranscuda.cpu.stats=true} counts the loops and prescans run for every thread of a
 * partial block ({@link Exec#partialConst}).
 */
final class PartialConst {
    /** On unless {@code -Dtranscuda.cpu.partialConst=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.partialConst"));

    private PartialConst() {
    }
}
