package org.transcuda.backend.cpu;

/**
 * Lockstep lane loops whose run is f32 arithmetic over checked shared loads, run as vectors of {@link #length()}
 * consecutive threads of a row ({@code -Dtranscuda.cpu.laneVec=false} turns this off). matmul's segment between its
 * barriers is, per thread, 16 chained {@code fma.rn.f32} of {@code As[ty][k]} (the same for a row of threads) and
 * {@code Bs[k][tx]} (consecutive words along {@code tid.x}); {@link LaneJam} runs 4 threads' chains interleaved as
 * scalar code. Here the threads {@code tx .. tx+VL-1} of a row run the run once, each statement for all of them in
 * one vector operation (jdk.incubator.vector, {@link LaneVecOps}): a shared load whose address advances by one word
 * per {@code tid.x} is one vector load of the window, a row-invariant statement ({@link LaneJam#rowInvariant}) runs
 * once as scalar code and is broadcast, {@code add/sub/mul/fma.rn.f32} (no {@code .ftz/.sat}) are lane-wise vector
 * operations, which round exactly as the scalar ones (IEEE binary32, fused for {@code fma}); an f32 result is
 * canonicalized (NaN lanes to NVIDIA's canonical NaN) where the scalar code canonicalizes it, and registers of the
 * thread arrays are read and written as vectors of their lane arrays. Each thread computes exactly its own operations
 * in its own order; only the order between threads changes, which no thread can observe in such a run (it writes no
 * memory and cannot fault: its shared accesses were checked for the whole block, every thread is active).
 *
 * <p>Needs the JVM started with {@code --add-modules jdk.incubator.vector} (as {@code ./transcuda},
 * bench/cpu-suite.sh and the tests do); without it, or with a vector shorter than 4 floats, nothing changes. The
 * threads of a row past the last full vector run as before ({@link LaneJam}, then the plain loop).
 */
final class LaneVec {
    /** On unless {@code -Dtranscuda.cpu.laneVec=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.laneVec"));
    /**
     * The copy form ({@code -Dtranscuda.cpu.laneVecCopy=false} turns it off): a run that only copies 32-bit global
     * words, checked once for the loop, to shared memory at consecutive words (matmul's tile loads), per VL threads
     * whose global addresses are consecutive as one vector read and one vector write of the window.
     */
    static final boolean COPY = !"false".equals(System.getProperty("transcuda.cpu.laneVecCopy"));
    /** Whether the vector module is there (readable by this class's module). */
    static final boolean AVAILABLE = available();
    /** Tests: kernels compiled from now on without vector lane loops. */
    static volatile boolean offForTests;

    private LaneVec() {
    }

    private static boolean available() {
        if (!ENABLED) return false;
        try {
            java.util.Optional<Module> m = ModuleLayer.boot().findModule("jdk.incubator.vector");
            if (m.isEmpty() || !LaneVec.class.getModule().canRead(m.get())) return false;
            return LaneVecOps.length() >= 4;
        } catch (LinkageError | RuntimeException e) {
            return false;
        }
    }

    /** Whether kernels compiled now use vector lane loops. */
    static boolean on() {
        return AVAILABLE && !offForTests;
    }

    /** Threads per vector (floats in the preferred species); only when {@link #AVAILABLE}. */
    static int length() {
        return LaneVecOps.length();
    }
}
