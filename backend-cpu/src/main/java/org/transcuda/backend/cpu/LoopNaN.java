package org.transcuda.backend.cpu;

/**
 * The lockstep engine's f32 NaN canonicalization per lane loop: in a lane loop over a range of threads
 * ({@code lo <= t < hi}, every thread of the range running every statement: an if-converted arm over a thread
 * range, {@code KernelCompiler}'s {@code rangeLoop} and its checked-once form), an unguarded round-to-nearest f32
 * {@code add/sub/mul/div/fma/mad} ({@link VectorPaths#deferredNaN}) whose destination is a per-thread register's
 * array, that no other statement of the loop defines and none after it reads (its result ends the loop's chain; one
 * before it may read the register's value from before the loop, as reduce's {@code v += x} does), stores its raw IEEE
 * result; a test after the loop ({@link NaNZeros}: the results' differences {@code x - x} compared with zeros; with
 * {@code -Dtranscuda.cpu.nanZeros=false} a {@code Math.max} reduction over the results, through which NaN propagates)
 * tells whether {@link #canonical} must rewrite the NaNs of the range to CUDA's canonical NaN
 * {@code 0x7fffffff}. Without it the per-element {@code Fp.cf} keeps the loop scalar (reduce's arm
 * {@code v += in[i + 256]}: about 2.5 times the vector loop, docs/benchmarks.md).
 *
 * <p>Why it is the same as canonicalizing each result: the raw NaN is in the register's array only between the
 * statement and the end of the loop, where nothing of the loop reads that register (each thread touches its own
 * element only, and what reads it runs before the statement); every thread of {@code [lo, hi)} wrote its element, so every NaN of the range
 * after the loop is one of these results, and a NaN result is canonical in CUDA whatever the operands' payloads (for
 * these operations). A fault of another statement ends the launch, and its registers with it. Infinities, signed
 * zeros and rounding are Java's float arithmetic as before. {@code -Dtranscuda.cpu.loopNaN=false}: off (each result
 * canonicalized in the loop).
 */
final class LoopNaN {
    /** {@code -Dtranscuda.cpu.loopNaN=false}: each f32 result canonicalized in its lane loop. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.loopNaN"));

    private static final float NAN = Float.intBitsToFloat(0x7fff_ffff);

    private LoopNaN() {
    }

    /** Rewrites each NaN of {@code a[lo..hi)} to the canonical NaN; called only when a NaN was seen. */
    static void canonical(float[] a, int lo, int hi) {
        for (int t = lo; t < hi; t++) {
            if (a[t] != a[t]) a[t] = NAN;
        }
    }
}
