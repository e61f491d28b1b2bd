package org.transcuda.backend.cpu;

/**
 * Lockstep engine: an if-converted arm's thread range ({@link SharedAffine#predRange}) decided inline when the block's
 * answer is all threads or none ({@code -Dtranscuda.cpu.blockRange=false} turns it off). scan_block asks
 * {@code i = 256·ctaid + tid < n} twice per block (its head's guarded load and its guarded {@code out[i] = v}), and
 * reduce's head {@code i = 512·ctaid + tid < n}: the compared value's base changes with the block, so the per-launch
 * memo ({@link SharedAffine#predRangeMemo}) missed in every block and the out-of-line call recomputed the range.
 *
 * <p>{@link #range} takes the same arguments as {@link SharedAffine#predRange(Exec, int, int, int, int, int, boolean,
 * boolean)} and is called in its place by the generated segment code ({@code KernelCompiler.lockArmRange} and the
 * {@link InputFuse} entry); small, so C2 inlines it with the call site's constant {@code op}, {@code unsigned},
 * {@code want}. For an order comparison ({@code lt..hs}) in a one-dimensional block whose compared values
 * {@code a0 + cx·x} stay inside the comparison's 32-bit range over the whole block (then they are monotone in x), the
 * comparison at the first and at the last thread decides: equal answers mean every thread or none, the range
 * {@code [0, ntx)} or the empty one — exactly what {@code predRange} gives in that case (the same two tests, the
 * same result). Anything else (the block's boundary inside it: one partial block per launch; eq/ne; values that
 * wrap; two- or three-dimensional blocks) calls {@code predRange} with its memo as before. Counted in
 * {@link Exec#blockRanges} (ranges decided inline).
 */
final class BlockRange {
    /** On unless {@code -Dtranscuda.cpu.blockRange=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.blockRange"));

    private BlockRange() {
    }

    /** {@link SharedAffine#predRange(Exec, int, int, int, int, int, boolean, boolean)}, whole blocks inline. */
    static long range(Exec e, int site, int a0, int cx, int b, int op, boolean unsigned, boolean want) {
        int n = e.ntx;
        if (op >= 2 && (e.nty | e.ntz) == 1) {
            long a = unsigned ? Integer.toUnsignedLong(a0) : a0;
            long last = a + (long) cx * (n - 1);
            long bb = unsigned ? Integer.toUnsignedLong(b) : b;
            long min = unsigned ? 0 : Integer.MIN_VALUE, max = unsigned ? 0xffff_ffffL : Integer.MAX_VALUE;
            if (Math.min(a, last) >= min && Math.max(a, last) <= max) {
                boolean first = SharedAffine.holds(a, bb, op);
                if (first == SharedAffine.holds(last, bb, op)) {
                    e.blockRanges++;
                    return first == want ? n : 0;
                }
            }
        }
        return SharedAffine.predRange(e, site, a0, cx, b, op, unsigned, want);
    }
}
