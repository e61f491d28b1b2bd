package org.transcuda.backend.cpu;

import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link LaneVec#COPY}'s per-group test that a row's global pointers are consecutive 32-bit words, as vector compares
 * of the pointer registers' array ({@code -Dtranscuda.cpu.vecConsecutive=false}: the scalar loop
 * {@link LaneVecOps#consecutive}). Before each group of VL threads of a row is copied with one vector read per load
 * (matmul's tile loads {@code As[ty][tx] = A[...]}, {@code Bs[ty][tx] = B[...]}: two loads, 16 rows, every tile of
 * every block), the generated code asks, per load, whether {@code a[t + i] = a[t] + 4·i} for {@code i < VL}. The scalar
 * loop (a compare, an AND and a 64-bit add per thread, C2 does not vectorize it) took about a sixth of matmul's time
 * (docs/benchmarks.md); here the same predicate is, per {@code L} longs (8 with AVX-512), one vector load of the
 * array, the expected addresses {@code a[t] + 4·(i + lane)} (broadcast plus {@code addIndex(4)}, wrapping exactly as
 * the scalar {@code long} arithmetic does) and one lane-wise equality, all lanes true; the threads past the last
 * whole vector of longs are compared one by one. Same answer as the scalar loop for every input, so the copy runs for
 * the same groups and the plain loop takes over at the same thread.
 *
 * <p>Called only from code that {@link LaneVec} emits, so only when the vector module is there; the switch is read
 * when a kernel is compiled.
 */
final class VecConsecutive {
    /** On unless {@code -Dtranscuda.cpu.vecConsecutive=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.vecConsecutive"));

    private static final VectorSpecies<Long> L = LongVector.SPECIES_PREFERRED;

    private VecConsecutive() {
    }

    /** Whether {@code a[t + i] = a[t] + 4·i} for {@code i < n}: consecutive 32-bit words. */
    static boolean consecutive(long[] a, int t, int n) {
        long a0 = a[t];
        int l = L.length();
        int i = 0;
        for (; i + l <= n; i += l) {
            LongVector want = LongVector.broadcast(L, a0 + 4L * i).addIndex(4);
            if (!LongVector.fromArray(L, a, t + i).eq(want).allTrue()) return false;
        }
        for (; i < n; i++) if (a[t + i] != a0 + 4L * i) return false;
        return true;
    }
}
