package org.transcuda.backend.cpu;

import java.util.Arrays;

/**
 * {@link LoopNaN}'s test, after a lockstep lane loop over a thread range, and the thread engine's vector form's test
 * after one of its loops over the lanes ({@code KernelCompiler.vecRun}, then {@link VecMem#canonical}), of whether a
 * deferred f32 result was a NaN, without a
 * {@code Math.max} reduction: each thread's result {@code x} also stores {@code x - x} into a per-worker scratch array
 * ({@link Exec#nanScratch}; with more than one deferred result in the loop, their differences are added), and after
 * the loop one {@link Arrays#mismatch} compares the range with zeros. {@code x - x} is {@code +0.0} for every finite
 * {@code x} (round to nearest; {@code -0.0 - -0.0} included) and NaN for a NaN or an infinity, and a sum of
 * {@code +0.0}s is {@code +0.0}, so a mismatch means a NaN or an infinity among the results; then {@link
 * LoopNaN#canonical} rewrites the range's NaNs, as the reduction's NaN did (an infinity alone makes it scan and change
 * nothing). The scratch stores vectorize with the loop and have no dependency from one thread to the next, where
 * C2's float {@code Math.max} reduction is a chain of blends, a {@code vmaxps} and an unordered compare per vector,
 * and its scalar pre-loop a chain of branches (reduce's {@code v += in[i + 256]} arm: about half of that segment's
 * samples, docs/benchmarks.md). {@code -Dtranscuda.cpu.nanZeros=false}: the {@code Math.max} reduction in lane loops,
 * {@code -Dtranscuda.cpu.nanZerosVec=false} in the vector form.
 */
final class NaNZeros {
    /** {@code -Dtranscuda.cpu.nanZeros=false}: LoopNaN's test is the {@code Math.max} reduction of before. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.nanZeros"));
    /**
     * {@code -Dtranscuda.cpu.nanZerosVec=false}: the vector form's test is the {@code Math.max} reduction of before
     * (saxpy gains, stencil, whose loop reads five values per lane, does not: docs/benchmarks.md).
     */
    static final boolean VECTOR = !"false".equals(System.getProperty("transcuda.cpu.nanZerosVec"));

    private NaNZeros() {
    }

    /**
     * The worker's scratch array for the differences, at least {@code n} long (a lane loop's threads, or the vector
     * form's lanes), made or grown when asked for more.
     */
    static float[] scratch(Exec e, int n) {
        float[] s = e.nanScratch;
        if (s == null || s.length < n) {
            int len = Math.max(Math.max(1, n), e.nthreads);
            s = e.nanScratch = new float[len];
            e.nanZeros = new float[len];
        }
        return s;
    }

    /** Whether some difference of {@code [lo, hi)} is not {@code +0.0}: a NaN or an infinity was among the results. */
    static boolean seen(Exec e, int lo, int hi) {
        return lo < hi && Arrays.mismatch(e.nanScratch, lo, hi, e.nanZeros, lo, hi) >= 0;
    }
}
