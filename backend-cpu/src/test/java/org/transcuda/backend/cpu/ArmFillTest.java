package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.Dim3;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;

/**
 * {@link ArmFill}: an if-converted arm's prefix constant ({@code v = 0.0f} before {@code if (i < n) v = in[i]})
 * that the arm overwrites over its thread range is stored only for the threads outside the range. Kernel
 * {@code pair_sum} of {@code src/test/resources/kernels/armdefer.cu} (reduce's loads: {@code v = in[i]} where
 * {@code i < n}, {@code v += in[i + 256]} where {@code i + 256 < n}, threads {@code t >= live} return first). Every
 * output word bit for bit against a Java reference, with {@code n} a multiple of 512 and last blocks whose first arm
 * covers all, part (the threads with {@code i >= n} must keep the zero, not the worker's register value of the block
 * before) or none of their threads; the arm loops with the fill counted ({@link CpuDevice#armFills}): one per block
 * (the first arm only: the second reads {@code v}) while every thread is active, none when not (the general path).
 * A load past the data in the first arm (the bulk copy refused, the checked loop) faults at its block and thread.
 */
class ArmFillTest {
    private static final int CANONICAL = 0x7fffffff;

    private static Gpu gpu() throws BackendException {
        Gpu g = new Gpu(2);
        g.device.engine(CpuDevice.Engine.LOCKSTEP);
        return g;
    }

    private static float value(int i) {
        return switch (i % 97) {
            case 0 -> Float.intBitsToFloat(0x7fc00321);
            case 1 -> Float.intBitsToFloat(0xff800009);
            case 2 -> Float.POSITIVE_INFINITY;
            case 3 -> -0.0f;
            default -> (i % 41 - 20) * 0.5f + 0x1p-18f * (i % 7) + 1.0f;
        };
    }

    /** out[block * 256 + t]: in[i] (i < n, else 0) plus in[i + 256] where i + 256 < n; the sentinel for t >= live. */
    private static int[] reference(float[] in, int n, int grid, int live, int sentinel) {
        int[] out = new int[grid * 256];
        for (int b = 0; b < grid; b++) {
            for (int t = 0; t < 256; t++) {
                if (t >= live) {
                    out[b * 256 + t] = sentinel;
                    continue;
                }
                long i = b * 512L + t;
                float v = i < n ? in[(int) i] : 0.0f;
                if (i + 256 < n) {
                    v = v + in[(int) i + 256];
                    if (Float.isNaN(v)) v = Float.intBitsToFloat(CANONICAL);
                }
                out[b * 256 + t] = Float.floatToRawIntBits(v);
            }
        }
        return out;
    }

    private static void run(Gpu gpu, int grid, int n, int live) throws Exception {
        float[] in = new float[grid * 512];
        for (int i = 0; i < in.length; i++) in[i] = value(i);
        int sentinel = 0x2468ace0;
        int[] init = new int[grid * 256];
        java.util.Arrays.fill(init, sentinel);
        long din = gpu.upload(in), dout = gpu.upload(init);
        BackendFunction f = SchedulingTest.kernel(gpu, "armdefer.ptx", "pair_sum");
        gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, n, din, dout, live);
        gpu.sync();
        int[] want = reference(in, n, grid, live, sentinel);
        int[] got = gpu.ints(dout, grid * 256);
        for (int k = 0; k < want.length; k++) {
            assertEquals(want[k], got[k], "n=" + n + " live=" + live + ": out[" + k + "] want "
                    + Float.intBitsToFloat(want[k]) + ", got " + Float.intBitsToFloat(got[k]));
        }
    }

    @Test
    void constantFilledOutsideTheRangeBitForBit() throws Exception {
        int grid = 7;
        long expected = 0;
        try (Gpu gpu = gpu()) {
            // first arm of the last block over all, 212, 112, 1 and 0 of its threads
            for (int n : new int[] {grid * 512, grid * 512 - 100, grid * 512 - 300, grid * 512 - 400,
                    grid * 512 - 511, grid * 512 - 512}) {
                run(gpu, grid, n, 256);
                expected += grid;
                assertEquals(expected, gpu.device.armFills.sum(), "arm loops with the constant filled, n=" + n);
            }
        }
    }

    @Test
    void notEveryThreadActiveRunsThePrefix() throws Exception {
        try (Gpu gpu = gpu()) {
            run(gpu, 5, 5 * 512 - 330, 200);
            assertEquals(0, gpu.device.armFills.sum());
        }
    }

    @Test
    void aLoadPastTheDataInTheArmFaultsAtItsThread() throws Exception {
        int grid = 4;
        int n = grid * 512;
        // the data ends 300 floats short: thread 212 of the last block is the first to read past it, in the arm
        // whose constant was filled outside the range (the block's bulk copy is refused, the checked loop runs)
        float[] in = new float[n - 300];
        for (int i = 0; i < in.length; i++) in[i] = value(i);
        try (Gpu gpu = gpu()) {
            long din = gpu.upload(in), dout = gpu.alloc(4L * grid * 256);
            BackendFunction f = SchedulingTest.kernel(gpu, "armdefer.ptx", "pair_sum");
            gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, n, din, dout, 256);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result());
            assertTrue(e.getMessage().contains("block (3,0,0), thread (212,0,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("ld.global"), e.getMessage());
        }
    }
}
