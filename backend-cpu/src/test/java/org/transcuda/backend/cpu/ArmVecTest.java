package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.transcuda.cuda.Dim3;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;

/**
 * {@link ArmVec}: if-converted arms over a thread range whose loop is f32 arithmetic between shared loads and shared
 * stores at consecutive words, run as vectors of threads. Kernel {@code arms} ({@code src/test/resources/kernels/
 * armvec.cu}): blocks of 256 threads, 512 shared words per block, then a {@code mul} arm over {@code t < r1}, a
 * {@code sub} arm storing above its other load's window over {@code t < r2}, reduce's tree steps
 * {@code s[t] += s[t + stride]} (stride 128 .. 1), and an arm {@code s[t + 3] = s[t] + s[t + 3]} over
 * {@code t < r3} whose store another thread of the same vector reads (must stay scalar: its thread-by-thread result
 * differs from a vector one); all 512 words written out.
 * Every output word bit for bit against a thread-by-thread Java reference (NVIDIA's canonical NaN for every computed
 * NaN, from NaN operands with payloads, signalling NaNs and {@code inf - inf}; loaded words untouched), ranges
 * {@code r1, r2, r3} that are whole vectors, not whole vectors, shorter than a vector, empty and past the block,
 * and the threads run as vectors ({@link CpuDevice#armVecLanes}) equal to the count from the ranges and the vector
 * length: every arm whose store is at least a vector's length from the other threads' accesses, its range (at most
 * 256) rounded down to a multiple of the vector length, per block. (A block-stride loop before the arms, as in
 * {@code for (k = t; k < 512; k += blockDim.x)}, keeps the lockstep engine off its range paths altogether, so the
 * block size is fixed here and the ranges vary.) With {@code -Dtranscuda.cpu.armVec=false} the count is 0 and the count test fails.
 */
class ArmVecTest {
    /** The tree steps' arms themselves: without {@link ArmChain}, which would run them as one chain. */
    @org.junit.jupiter.api.BeforeEach
    void withoutArmChain() {
        ArmChain.offForTests = true;
    }

    @org.junit.jupiter.api.AfterEach
    void restoreArmChain() {
        ArmChain.offForTests = false;
    }

    private static final int CANONICAL = 0x7fffffff;

    private static Gpu gpu() throws BackendException {
        Gpu g = new Gpu(2);
        g.device.engine(CpuDevice.Engine.LOCKSTEP);
        return g;
    }

    private static float cf(float x) {
        return Float.isNaN(x) ? Float.intBitsToFloat(CANONICAL) : x;
    }

    private static float value(int i, int salt) {
        return switch ((i * 11 + salt) % 331) {
            case 0 -> Float.intBitsToFloat(0x7fc00123); // quiet NaN with a payload
            case 1 -> Float.intBitsToFloat(0xff800005); // negative signalling NaN
            case 2, 3 -> Float.POSITIVE_INFINITY;
            case 4, 5 -> Float.NEGATIVE_INFINITY;
            case 6, 7, 8 -> -0.0f;
            case 9, 10 -> 0.0f;
            default -> ((i * 37 + salt * 13) % 201 - 100) * 0.013f + ((i % 3) == 0 ? 0x1p-20f : -0x1p-22f);
        };
    }

    /** The kernel's result, thread by thread in thread order within each arm, for ranges r1, r2, r3. */
    private static int[] reference(float[] in, int grid, int r1, int r2, int r3) {
        int n = 256;
        int[] out = new int[grid * 512];
        for (int blk = 0; blk < grid; blk++) {
            float[] s = new float[512];
            System.arraycopy(in, blk * 512, s, 0, 512);
            for (int t = 0; t < Math.min(r1, n); t++) s[t] = cf(s[t + 256] * s[t]);
            for (int t = 0; t < Math.min(r2, n); t++) s[t + 300] = cf(s[t + 300] - s[t + 150]);
            for (int stride = 128; stride > 0; stride >>= 1) {
                for (int t = 0; t < Math.min(stride, n); t++) s[t] = cf(s[t] + s[t + stride]);
            }
            for (int t = 0; t < Math.min(r3, n); t++) s[t + 3] = cf(s[t] + s[t + 3]);
            for (int k = 0; k < 512; k++) out[blk * 512 + k] = Float.floatToRawIntBits(s[k]);
        }
        return out;
    }

    /** Threads run as vectors per block: the arms whose stores are apart enough. */
    private static long vectorLanes(int r1, int r2, int r3, int vl) {
        int n = 256;
        // {range, the smallest distance in words between a store and another thread's access}
        int[][] arms = {{r1, 256}, {r2, 150}, {128, 128}, {64, 64}, {32, 32}, {16, 16}, {8, 8}, {4, 4}, {2, 2},
            {r3, 3}};
        long lanes = 0;
        for (int[] a : arms) {
            if (a[1] < vl) continue;
            int r = Math.min(a[0], n);
            lanes += r - r % vl;
        }
        return lanes;
    }

    /** Runs arms; compares every word with the reference; returns how many are NaN. */
    private static int run(Gpu gpu, int grid, int r1, int r2, int r3, int salt) throws Exception {
        float[] in = new float[grid * 512];
        for (int i = 0; i < in.length; i++) in[i] = value(i, salt);
        long din = gpu.upload(in), dout = gpu.upload(new float[grid * 512]);
        BackendFunction f = SchedulingTest.kernel(gpu, "armvec.ptx", "arms");
        gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, din, dout, r1, r2, r3);
        gpu.sync();
        int[] want = reference(in, grid, r1, r2, r3);
        int[] got = gpu.ints(dout, grid * 512);
        int nans = 0;
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], "word " + (i % 512) + " of block " + i / 512 + " (r " + r1 + ", " + r2 + ", " + r3 + "): want "
                    + Float.intBitsToFloat(want[i]) + ", got " + Float.intBitsToFloat(got[i]));
            if (Float.isNaN(Float.intBitsToFloat(want[i]))) nans++;
        }
        return nans;
    }

    @Test
    void treeStepsAndOtherArmsBitForBitAsVectors() throws Exception {
        Assumptions.assumeTrue(LaneVec.AVAILABLE, "the JVM has no vector module");
        int vl = LaneVec.length();
        try (Gpu gpu = gpu()) {
            long expected = 0;
            int nans = 0, words = 0;
            int[][] ranges = {{200, 100, 64}, {256, 212, 17}, {5, 37, 250}, {0, 16, 1}, {300, 0, 509}, {17, 150, 0}};
            for (int[] r : ranges) {
                int grid = 7;
                nans += run(gpu, grid, r[0], r[1], r[2], r[0] + r[1]);
                words += grid * 512;
                expected += grid * vectorLanes(r[0], r[1], r[2], vl);
                assertEquals(expected, gpu.device.armVecLanes.sum(),
                        "threads run as vectors after ranges " + java.util.Arrays.toString(r));
            }
            assertTrue(expected > 0, "some arms as vectors (vector length " + vl + ")");
            assertTrue(nans > 0 && nans < words / 2, "some NaN results, not only: " + nans + " of " + words);
        }
    }

    /** NaNs in a block's tree steps: each computed NaN is the canonical one, whatever the operands' payloads. */
    @Test
    void computedNaNsAreCanonical() throws Exception {
        Assumptions.assumeTrue(LaneVec.AVAILABLE, "the JVM has no vector module");
        try (Gpu gpu = gpu()) {
            int grid = 3;
            float[] in = new float[grid * 512];
            for (int i = 0; i < in.length; i++) in[i] = (i % 7) * 0.5f;
            in[256 + 5] = Float.intBitsToFloat(0x7fc00123); // block 0: mul arm, thread 5 (payload NaN operand)
            in[512 + 300 + 17] = Float.POSITIVE_INFINITY;   // block 1: sub arm thread 17: inf - inf
            in[512 + 150 + 17] = Float.POSITIVE_INFINITY;
            in[1024 + 255] = Float.intBitsToFloat(0xff800005); // block 2: the first tree step, thread 127
            long din = gpu.upload(in), dout = gpu.upload(new float[grid * 512]);
            BackendFunction f = SchedulingTest.kernel(gpu, "armvec.ptx", "arms");
            gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, din, dout, 200, 100, 64);
            gpu.sync();
            int[] got = gpu.ints(dout, grid * 512);
            assertEquals(0x7fc00123, got[256 + 5], "a loaded word the arms do not store keeps its payload");
            assertEquals(CANONICAL, got[0], "block 0's sum");
            assertEquals(CANONICAL, got[512 + 317], "inf - inf");
            assertEquals(0xff800005, got[1024 + 255], "loaded, never stored");
            assertEquals(CANONICAL, got[1024 + 127], "block 2's first tree step at thread 127");
            assertEquals(CANONICAL, got[1024], "block 2's sum");
            assertTrue(gpu.device.armVecLanes.sum() > 0);
            org.junit.jupiter.api.Assertions.assertArrayEquals(reference(in, grid, 200, 100, 64), got);
        }
    }
}
