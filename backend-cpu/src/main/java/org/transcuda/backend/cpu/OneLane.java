package org.transcuda.backend.cpu;

/**
 * Lockstep engine: an if-converted arm of one thread, {@code if (tid.x == C) ...} with {@code C} and the compared
 * thread form {@code a0 + cx·tid.x} constants of the kernel (scan_block's {@code if (threadIdx.x == BLOCK - 1)
 * sums[blockIdx.x] = v}), run without {@link SharedAffine#predRange} and without a range loop
 * ({@code -Dtranscuda.cpu.oneLane=false} turns it off).
 *
 * <p>The thread is known at compile time: {@code x0 = (b - a0) / cx} when that divides exactly and is not negative
 * ({@link #x0}; -1 otherwise). At run time only the block's shape is left to check ({@link #range}): a
 * one-dimensional block whose compared values {@code a0 + cx·x} stay inside the comparison's 32-bit range over the
 * block (else the general path, as {@code predRange} answers -1 there), then {@code [x0, x0 + 1)} when
 * {@code x0 < ntx}, else the empty range — the same answer {@code predRange} gives for an equality whose arm is the
 * thread where the values are equal. {@code KernelCompiler.lockArmRange} calls it in place of the out-of-line
 * {@code predRange} (small: C2 inlines it with the site's constants; no memo) and runs the arm's statements once, as
 * scalar code for thread {@code lo} (the lane loop's body with its per-access checks, so a bad address faults at the
 * same block, thread and instruction), instead of the range loop with its bulk copy ({@link StoreBulk}) set-up for
 * one word. Applies only when the arm has no shared access that the range loop would check for the range as a group
 * ({@code affineShared}); otherwise the range loop runs as before. Counted in {@link Exec#oneLanes}.
 */
final class OneLane {
    /** On unless {@code -Dtranscuda.cpu.oneLane=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.oneLane"));

    private OneLane() {
    }

    /**
     * Whether an arm's compare qualifies: eq/ne ({@code op} 0/1) whose arm is the threads where the values are
     * equal ({@code (op == eq) == want}), thread form {@code a0 + cx·x} with {@code cx != 0} and no register terms,
     * the other side a constant; {@code predRange}'s equality answers on.
     */
    static boolean applies(int op, boolean want, int cx, boolean constThread, boolean constOther) {
        return ENABLED && SharedAffine.EQUALITY && op <= 1 && (op == 0) == want && cx != 0 && constThread
                && constOther;
    }

    /** The thread index where {@code a0 + cx·x == b} as the comparison reads them (exact longs), or -1 if none. */
    static long x0(int a0, int cx, int b, boolean unsigned) {
        long a = unsigned ? Integer.toUnsignedLong(a0) : a0;
        long bb = unsigned ? Integer.toUnsignedLong(b) : b;
        return (bb - a) % cx == 0 && (bb - a) / cx >= 0 ? (bb - a) / cx : -1;
    }

    /**
     * The arm's range as {@link SharedAffine#predRange} encodes it ({@code lo << 32 | hi}; -1: not decided here,
     * the general path): {@code a} the thread form's value at thread 0 as the comparison reads it, {@code x0} from
     * {@link #x0}.
     */
    static long range(Exec e, long a, int cx, long x0, boolean unsigned) {
        int n = e.ntx;
        if ((e.nty | e.ntz) != 1) return -1;
        long last = a + (long) cx * (n - 1);
        long min = unsigned ? 0 : Integer.MIN_VALUE, max = unsigned ? 0xffff_ffffL : Integer.MAX_VALUE;
        if (Math.min(a, last) < min || Math.max(a, last) > max) return -1;
        e.oneLanes++;
        return x0 >= 0 && x0 < n ? x0 << 32 | (x0 + 1) : 0;
    }
}
