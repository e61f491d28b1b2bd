package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.transcuda.cuda.Dim3;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;

/**
 * {@link VecIntrinsic}: {@link ArmVec}'s vector loops (reduce's tree steps) as helper methods of the kernel class.
 * Kernel {@code arms} ({@code src/test/resources/kernels/armvec.cu}, blocks of 256 threads, 512 shared words): a
 * {@code mul} arm over {@code t < r1} (its store 256 words from its other load), a {@code sub} arm over
 * {@code t < r2} (150 words), the tree steps {@code s[t] += s[t + stride]} for stride 128 .. 1 and an arm
 * {@code s[t + 3] = s[t] + s[t + 3]} over {@code t < r3} (3 words: never as vectors). Every output word bit for bit
 * against a thread-by-thread Java reference computed here (NVIDIA's canonical NaN for every computed NaN; NaN
 * operands with payloads, signalling NaNs, infinities, signed zeros), launched many times so that the helpers run
 * interpreted, C1- and (on a quiet machine) C2-compiled; and the new shape counted: one helper call per block for each
 * arm whose stores are at least a vector's length from the other threads' accesses (the mul and sub arms and the
 * tree steps with stride at least VL), {@link CpuDevice#vecHelperCalls}; the threads run as vectors
 * ({@link CpuDevice#armVecLanes}) as without the helpers. With {@code -Dtranscuda.cpu.vecIntrinsic=false} the
 * helper count is 0 and {@link #helpersCalledOncePerBlockAndArm} fails.
 */
class VecIntrinsicTest {
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
        return switch ((i * 7 + salt) % 257) {
            case 0 -> Float.intBitsToFloat(0x7fc0abcd); // quiet NaN with a payload
            case 1 -> Float.intBitsToFloat(0xff800001); // negative signalling NaN
            case 2, 3 -> Float.POSITIVE_INFINITY;
            case 4 -> Float.NEGATIVE_INFINITY;
            case 5, 6 -> -0.0f;
            case 7 -> 0.0f;
            default -> ((i * 29 + salt * 5) % 173 - 86) * 0.017f + ((i & 1) == 0 ? 0x1p-21f : -0x1p-23f);
        };
    }

    /** The kernel's words, thread by thread in thread order within each arm, for ranges r1, r2, r3. */
    private static int[] reference(float[] in, int grid, int r1, int r2, int r3) {
        int[] out = new int[grid * 512];
        for (int blk = 0; blk < grid; blk++) {
            float[] s = new float[512];
            System.arraycopy(in, blk * 512, s, 0, 512);
            for (int t = 0; t < Math.min(r1, 256); t++) s[t] = cf(s[t + 256] * s[t]);
            for (int t = 0; t < Math.min(r2, 256); t++) s[t + 300] = cf(s[t + 300] - s[t + 150]);
            for (int stride = 128; stride > 0; stride >>= 1) {
                for (int t = 0; t < stride; t++) s[t] = cf(s[t] + s[t + stride]);
            }
            for (int t = 0; t < Math.min(r3, 256); t++) s[t + 3] = cf(s[t] + s[t + 3]);
            for (int k = 0; k < 512; k++) out[blk * 512 + k] = Float.floatToRawIntBits(s[k]);
        }
        return out;
    }

    /** Launches arms once; compares every word with the reference; returns how many are NaN. */
    private static int run(Gpu gpu, BackendFunction f, int grid, int r1, int r2, int r3, int salt) throws Exception {
        float[] in = new float[grid * 512];
        for (int i = 0; i < in.length; i++) in[i] = value(i, salt);
        long din = gpu.upload(in), dout = gpu.upload(new float[grid * 512]);
        gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, din, dout, r1, r2, r3);
        gpu.sync();
        int[] want = reference(in, grid, r1, r2, r3);
        int[] got = gpu.ints(dout, grid * 512);
        int nans = 0;
        for (int i = 0; i < want.length; i++) {
            if (want[i] != got[i]) {
                assertEquals(want[i], got[i], "word " + i % 512 + " of block " + i / 512 + " (r " + r1 + ", " + r2
                        + ", " + r3 + "): want " + Float.intBitsToFloat(want[i]) + ", got "
                        + Float.intBitsToFloat(got[i]));
            }
            if (Float.isNaN(Float.intBitsToFloat(want[i]))) nans++;
        }
        gpu.ctx.free(din);
        gpu.ctx.free(dout);
        return nans;
    }

    @Test
    void helpersCalledOncePerBlockAndArm() throws Exception {
        Assumptions.assumeTrue(LaneVec.AVAILABLE, "the JVM has no vector module");
        int vl = LaneVec.length();
        try (Gpu gpu = gpu()) {
            BackendFunction f = SchedulingTest.kernel(gpu, "armvec.ptx", "arms");
            // arms as vectors per block: mul (256 words apart), sub (150), the tree steps with stride >= VL
            int arms = (256 >= vl ? 1 : 0) + (150 >= vl ? 1 : 0);
            for (int stride = 128; stride > 0; stride >>= 1) if (stride >= vl) arms++;
            int grid = 9;
            long lanes0 = gpu.device.armVecLanes.sum();
            run(gpu, f, grid, 200, 100, 64, 1);
            assertEquals((long) grid * arms, gpu.device.vecHelperCalls.sum(),
                    "helper calls: one per block and vectorized arm (" + arms + " arms, VL " + vl + ")");
            long lanes = 200 - 200 % vl + 100 - 100 % vl;
            for (int stride = 128; stride >= vl; stride >>= 1) lanes += stride - stride % vl;
            assertEquals(grid * lanes, gpu.device.armVecLanes.sum() - lanes0, "threads run as vectors");
        }
    }

    @Test
    void resultsBitForBitOverManyLaunches() throws Exception {
        Assumptions.assumeTrue(LaneVec.AVAILABLE, "the JVM has no vector module");
        try (Gpu gpu = gpu()) {
            BackendFunction f = SchedulingTest.kernel(gpu, "armvec.ptx", "arms");
            int[][] ranges = {{200, 100, 64}, {256, 212, 17}, {5, 37, 250}, {16, 16, 1}, {300, 1, 509}, {17, 150, 3}};
            int nans = 0, words = 0;
            for (int rep = 0; rep < 40; rep++) {
                int[] r = ranges[rep % ranges.length];
                int grid = 64 + rep % 5;
                nans += run(gpu, f, grid, r[0], r[1], r[2], rep);
                words += grid * 512;
            }
            assertTrue(gpu.device.vecHelperCalls.sum() > 0, "the helpers ran");
            assertTrue(nans > 0 && nans < words / 2, "some NaN results, not only: " + nans + " of " + words);
        }
    }

    /** A NaN made in a helper's tree step is NVIDIA's canonical NaN; loaded NaNs never stored keep their bits. */
    @Test
    void computedNaNsAreCanonical() throws Exception {
        Assumptions.assumeTrue(LaneVec.AVAILABLE, "the JVM has no vector module");
        try (Gpu gpu = gpu()) {
            BackendFunction f = SchedulingTest.kernel(gpu, "armvec.ptx", "arms");
            int grid = 2;
            float[] in = new float[grid * 512];
            for (int i = 0; i < in.length; i++) in[i] = (i % 5) * 0.25f;
            in[100 + 128] = Float.intBitsToFloat(0x7fc00077); // block 0: stride 128 step, thread 100 (payload)
            in[512 + 40] = Float.POSITIVE_INFINITY;            // block 1: stride 128, thread 40: inf + -inf
            in[512 + 168] = Float.NEGATIVE_INFINITY;
            long din = gpu.upload(in), dout = gpu.upload(new float[grid * 512]);
            gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, din, dout, 0, 0, 0);
            gpu.sync();
            int[] got = gpu.ints(dout, grid * 512);
            assertEquals(CANONICAL, got[100], "block 0, thread 100's first tree step");
            assertEquals(0x7fc00077, got[228], "loaded, never stored");
            assertEquals(CANONICAL, got[512 + 40], "inf + -inf");
            assertEquals(CANONICAL, got[0], "block 0's sum");
            assertEquals(CANONICAL, got[512], "block 1's sum");
            org.junit.jupiter.api.Assertions.assertArrayEquals(reference(in, grid, 0, 0, 0), got);
        }
    }
}
