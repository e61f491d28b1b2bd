package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.Dim3;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;

/**
 * {@link SiteMaskOnce}: where the launch forms prove every global site of a launch inside its allocation for the
 * whole grid, a block's site check is the launch's mask plus each program's {@code u}. Results bit for bit against
 * Java references, blocks counted ({@link CpuDevice#siteMaskOnce}) and the unchecked sites counted as before
 * ({@link CpuDevice#hoistedSiteBlocks}): reduce's loads ({@code pair_sum} of {@code armdefer.cu}, lockstep engine,
 * 1D grid: {@code u} per block read by {@link LaneBulk}'s copies), {@code stencil} of {@code affine.cu} (thread
 * engine, 2D grid and blocks, neighbour loads inside a padded input); where a site is not proved (an input shorter
 * than the grid, a too-short output that faults) no block takes the launch's mask and the fault is the same.
 */
class SiteMaskOnceTest {
    private static final int CANONICAL = 0x7fffffff;

    private static Gpu gpu(CpuDevice.Engine engine, int workers) throws BackendException {
        Gpu g = new Gpu(workers);
        g.device.engine(engine);
        g.device.gridRows = false;
        return g;
    }

    private static float value(int i) {
        return switch (i % 97) {
            case 0 -> Float.intBitsToFloat(0x7fc00123);
            case 1 -> Float.intBitsToFloat(0xff800005);
            case 2 -> Float.POSITIVE_INFINITY;
            case 3 -> Float.NEGATIVE_INFINITY;
            case 4 -> -0.0f;
            default -> (i % 41 - 20) * 0.125f + 0x1p-21f * (i % 7);
        };
    }

    /** pair_sum: out[b * 256 + t] = in[i] (+ in[i + 256]) where below n, i = 512 b + t; NaN sums canonical. */
    private static int[] pairSum(float[] in, int n, int grid) {
        int[] out = new int[grid * 256];
        for (int b = 0; b < grid; b++) {
            for (int t = 0; t < 256; t++) {
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

    /** Runs pair_sum with an input allocation of {@code have} floats; returns blocks with the launch's mask. */
    private static long runPairSum(Gpu gpu, int grid, int n, int have) throws Exception {
        float[] in = new float[have];
        for (int i = 0; i < have; i++) in[i] = value(i);
        long before = gpu.device.siteMaskOnce.sum();
        long din = gpu.upload(in), dout = gpu.upload(new int[grid * 256]);
        BackendFunction f = SchedulingTest.kernel(gpu, "armdefer.ptx", "pair_sum");
        gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, n, din, dout, 256);
        gpu.sync();
        float[] padded = java.util.Arrays.copyOf(in, Math.max(have, grid * 512));
        int[] want = pairSum(padded, n, grid);
        int[] got = gpu.ints(dout, grid * 256);
        for (int k = 0; k < want.length; k++) {
            assertEquals(want[k], got[k], "pair_sum n=" + n + " have=" + have + ": out[" + k + "] want "
                    + Float.intBitsToFloat(want[k]) + ", got " + Float.intBitsToFloat(got[k]));
        }
        return gpu.device.siteMaskOnce.sum() - before;
    }

    @Test
    void reduceLoadsWithTheLaunchMaskBitForBit() throws Exception {
        int grid = 11;
        try (Gpu gpu = gpu(CpuDevice.Engine.LOCKSTEP, 2)) {
            long hoisted = 0;
            for (int n : new int[] {grid * 512, grid * 512 - 1, grid * 512 - 300, grid * 512 - 700}) {
                // the input holds the whole grid's 512 floats per block: every site inside for every block
                assertEquals(grid, runPairSum(gpu, grid, n, grid * 512), "blocks with the launch's mask, n=" + n);
                hoisted += 3L * grid;
                assertEquals(hoisted, gpu.device.hoistedSiteBlocks.sum(), "blocks x sites unchecked, n=" + n);
            }
        }
    }

    @Test
    void inputShorterThanTheGridRunsThePerBlockCheck() throws Exception {
        int grid = 7;
        try (Gpu gpu = gpu(CpuDevice.Engine.LOCKSTEP, 2)) {
            for (int n : new int[] {grid * 512 - 1, grid * 512 - 300}) {
                assertEquals(0, runPairSum(gpu, grid, n, n), "blocks with the launch's mask, n=" + n);
            }
            assertTrue(gpu.device.hoistedSiteBlocks.sum() > 0);
        }
    }

    @Test
    void stencil2dInsideAPaddedInput() throws Exception {
        int nx = 64, ny = 48, bx = 16, by = 8;
        try (Gpu gpu = gpu(CpuDevice.Engine.THREAD, 2)) {
            // nx floats of padding on either side: in[i - nx] and in[i + nx] stay inside for every thread
            float[] buf = new float[nx * ny + 2 * nx];
            for (int i = 0; i < buf.length; i++) buf[i] = (i * 7919 % 1000) * 0.01f - 3.0f;
            long din = gpu.upload(buf);
            long dout = gpu.alloc(4L * nx * ny);
            int gx = nx / bx, gy = ny / by;
            BackendFunction f = SchedulingTest.kernel(gpu, "affine.ptx", "stencil");
            gpu.launch(f, Dim3.of(gx, gy), Dim3.of(bx, by), 0, nx, ny, din + 4L * nx, dout);
            gpu.sync();
            float[] want = new float[nx * ny];
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    int i = y * nx + x, p = i + nx;
                    want[i] = x == 0 || y == 0 || x == nx - 1 || y == ny - 1 ? buf[p]
                            : 0.25f * (buf[p - 1] + buf[p + 1] + buf[p - nx] + buf[p + nx]);
                }
            }
            float[] got = gpu.floats(dout, nx * ny);
            for (int i = 0; i < want.length; i++) {
                assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(got[i]), "out[" + i + "]");
            }
            assertEquals((long) gx * gy, gpu.device.siteMaskOnce.sum());
            assertEquals(7L * gx * gy, gpu.device.hoistedSiteBlocks.sum());
        }
    }

    @Test
    void tooShortOutputFaultsAsBefore() throws Exception {
        // one worker: blocks in order; the store of block 7's thread 104 is the first outside out
        try (Gpu gpu = gpu(CpuDevice.Engine.THREAD, 1)) {
            int n = 1024, have = 1000;
            int[] in = new int[n];
            for (int i = 0; i < n; i++) in[i] = i * 31 - 5000;
            long din = gpu.upload(in);
            long dout = gpu.alloc(4L * have);
            gpu.launch(SchedulingTest.kernel(gpu, "affine.ptx", "copy"), 8, 128, din, dout);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result());
            assertTrue(e.getMessage().contains("block (7,0,0), thread (104,0,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("st.global"), e.getMessage());
            int[] want = new int[have];
            for (int i = 0; i < have; i++) want[i] = in[i] * 2 + 1;
            assertArrayEquals(want, gpu.ints(dout, have));
            assertEquals(0, gpu.device.siteMaskOnce.sum());
        }
    }

    @Test
    void copyWithTheLaunchMask() throws Exception {
        try (Gpu gpu = gpu(CpuDevice.Engine.THREAD, 2)) {
            int n = 1024;
            int[] in = new int[n];
            for (int i = 0; i < n; i++) in[i] = i * 31 - 5000;
            long din = gpu.upload(in);
            long dout = gpu.alloc(4L * n);
            gpu.launch(SchedulingTest.kernel(gpu, "affine.ptx", "copy"), 8, 128, din, dout);
            gpu.sync();
            int[] want = new int[n];
            for (int i = 0; i < n; i++) want[i] = in[i] * 2 + 1;
            assertArrayEquals(want, gpu.ints(dout, n));
            assertEquals(8, gpu.device.siteMaskOnce.sum());
            assertEquals(16, gpu.device.hoistedSiteBlocks.sum());
        }
    }
}
