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
 * Loads of the vector form taken from an earlier load's array ({@link VecMem#share}: stencil neighbours): results
 * against Java references bit for bit (raw NaN payloads copied through), how many loads were shared (counted here
 * from the kernels' shapes), no sharing across a store, and the fault of a neighbour load that leaves its allocation
 * at the right thread. Kernels: {@code src/test/resources/kernels/sharedloads.cu}.
 */
class SharedLoadsTest {
    private static BackendFunction kernel(Gpu gpu, String name) throws Exception {
        return SchedulingTest.kernel(gpu, "sharedloads.ptx", name);
    }

    private static Gpu gpu(int workers) throws BackendException {
        Gpu g = new Gpu(workers);
        g.device.engine(CpuDevice.Engine.THREAD);
        // sharing within a block's rows is what this test counts; grid rows (GridRowsTest) share differently
        g.device.gridRows = false;
        return g;
    }

    /** Blocks of an (nx, ny) grid of (bx, by) blocks whose threads are all interior cells. */
    private static long interiorBlocks(int nx, int ny, int bx, int by) {
        long n = 0;
        for (int cy = 0; cy < (ny + by - 1) / by; cy++) {
            for (int cx = 0; cx < (nx + bx - 1) / bx; cx++) {
                if (cx * bx >= 1 && cx * bx + bx - 1 <= nx - 2 && cy * by >= 1 && cy * by + by - 1 <= ny - 2) n++;
            }
        }
        return n;
    }

    /** f32 values with NaN payloads (quiet, signalling, negative), infinities, signed zeros, subnormals. */
    private static int[] awkward(int n, long seed) {
        int[] special = {0x7fc01234, 0xffc00001, 0x7f800001, 0x7f800000, 0xff800000, 0, 0x80000000, 1, 0x807fffff};
        java.util.Random rnd = new java.util.Random(seed);
        int[] v = new int[n];
        for (int i = 0; i < n; i++) v[i] = i % 5 == 0 ? special[rnd.nextInt(special.length)] : rnd.nextInt();
        return v;
    }

    private static long nanAsOne(long bits) {
        return Double.isNaN(Double.longBitsToDouble(bits)) ? -1L : bits;
    }

    @Test
    void neighboursAreCopiedBitForBit() throws Exception {
        int nx = 70, ny = 69, bx = 16, by = 8;
        try (Gpu gpu = gpu(2)) {
            int[] in = awkward(nx * ny, 7);
            int[] other = awkward(nx * ny, 8);
            long din = gpu.upload(in);
            long dother = gpu.upload(other);
            long[] outs = new long[5];
            for (int k = 0; k < 5; k++) outs[k] = gpu.upload(new int[nx * ny]);
            int gx = (nx + bx - 1) / bx, gy = (ny + by - 1) / by;
            gpu.launch(kernel(gpu, "neighbours"), Dim3.of(gx, gy), Dim3.of(bx, by), 0, nx, ny, din, dother, outs[0],
                    outs[1], outs[2], outs[3], outs[4]);
            gpu.sync();
            int[] shift = {1, -1, -nx, nx - 1};
            for (int k = 0; k < 5; k++) {
                int[] want = new int[nx * ny];
                for (int y = 1; y < ny - 1; y++) {
                    for (int x = 1; x < nx - 1; x++) {
                        int i = y * nx + x;
                        want[i] = k < 4 ? in[i + shift[k]] : other[i];
                    }
                }
                assertArrayEquals(want, gpu.ints(outs[k], nx * ny), "output " + k);
            }
            long interior = interiorBlocks(nx, ny, bx, by);
            assertTrue(interior >= 4, "test geometry: " + interior);
            assertEquals(interior, gpu.device.vecBlocks.sum());
            // in[i-1], in[i-nx], in[i+nx-1] from in[i+1]'s array; other[i] is not related to it
            assertEquals(3 * interior, gpu.device.vecShared.sum());
        }
    }

    @Test
    void doublesAndArithmeticOnSharedLoads() throws Exception {
        int nx = 45, ny = 37, bx = 8, by = 8;
        try (Gpu gpu = gpu(2)) {
            double[] in = new double[nx * ny];
            java.util.Random rnd = new java.util.Random(3);
            for (int i = 0; i < in.length; i++) {
                in[i] = i % 7 == 0 ? Double.longBitsToDouble(0x7ff0000000000001L + i) : rnd.nextGaussian() * 1e3;
            }
            long din = gpu.upload(in);
            long du = gpu.upload(new double[nx * ny]);
            long dd = gpu.upload(new double[nx * ny]);
            long ds = gpu.upload(new double[nx * ny]);
            int gx = (nx + bx - 1) / bx, gy = (ny + by - 1) / by;
            gpu.launch(kernel(gpu, "neighbours64"), Dim3.of(gx, gy), Dim3.of(bx, by), 0, nx, ny, din, du, dd, ds);
            gpu.sync();
            long[] wu = new long[nx * ny], wd = new long[nx * ny], ws = new long[nx * ny];
            for (int y = 1; y < ny - 1; y++) {
                for (int x = 1; x < nx - 1; x++) {
                    int i = y * nx + x;
                    wu[i] = Double.doubleToRawLongBits(in[i - nx]);
                    wd[i] = Double.doubleToRawLongBits(in[i + nx]);
                    double s = in[i] * 0.5 + (in[i - 1] + in[i + 1] + in[i - nx] + in[i + nx]);
                    ws[i] = nanAsOne(Double.doubleToRawLongBits(s));
                }
            }
            assertArrayEquals(wu, gpu.longs(du, nx * ny));
            assertArrayEquals(wd, gpu.longs(dd, nx * ny));
            // f64 NaNs keep the JVM's payload (Fp), which is not specified: any NaN counts as one value there
            long[] gs = gpu.longs(ds, nx * ny);
            for (int i = 0; i < gs.length; i++) gs[i] = nanAsOne(gs[i]);
            assertArrayEquals(ws, gs);
            long interior = interiorBlocks(nx, ny, bx, by);
            assertTrue(interior >= 4, "test geometry: " + interior);
            assertEquals(interior, gpu.device.vecBlocks.sum());
            // in[i-nx] and in[i+nx] from in[i]'s array; in[i+1] after the two stores loads from memory, in[i-1]
            // from in[i+1]'s array
            assertEquals(3 * interior, gpu.device.vecShared.sum());
        }
    }

    @Test
    void neighbourLeavingTheAllocationFaultsAtItsThread() throws Exception {
        // one worker: blocks run in order; in = element 1 of a 1025-int allocation, so in[-1] is inside and only
        // the last thread's in[i + 1] (element 1025) is outside
        try (Gpu gpu = gpu(1)) {
            int n = 1024;
            int[] all = new int[n + 1];
            for (int i = 0; i < all.length; i++) all[i] = i * 37 - 9000;
            long din = gpu.upload(all);
            long dout = gpu.upload(new int[n]);
            gpu.launch(kernel(gpu, "blur1d"), 8, 128, din + 4, dout);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result());
            assertTrue(e.getMessage().contains("block (7,0,0), thread (127,0,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("ld.global"), e.getMessage());
            int[] want = new int[n];
            for (int i = 0; i < n - 1; i++) want[i] = all[i] + 2 * all[i + 2];
            assertArrayEquals(want, gpu.ints(dout, n));
            // blocks 0-6 ran the vector form, in[i + 1] from in[i - 1]'s array; block 7 the checked thread loop
            assertEquals(7, gpu.device.vecBlocks.sum());
            assertEquals(7, gpu.device.vecShared.sum());
        }
    }

    @Test
    void noSharingAcrossAStore() throws Exception {
        // p and q alias: out[i] = q[i] must be the thread's own store p[i] = q[i + nx] + 1
        int nx = 32, ny = 16, bx = 16, by = 8;
        try (Gpu gpu = gpu(1)) {
            float[] p = new float[nx * (ny + 1)];
            for (int i = 0; i < p.length; i++) p[i] = i * 0.25f - 40;
            long dp = gpu.upload(p);
            long dout = gpu.alloc(4L * nx * ny);
            gpu.launch(kernel(gpu, "storeBetween"), Dim3.of(nx / bx, ny / by), Dim3.of(bx, by), 0, nx, dp, dp, dout);
            gpu.sync();
            float[] want = new float[nx * ny];
            for (int i = 0; i < nx * ny; i++) want[i] = p[i + nx] + 1.0f;
            assertArrayEquals(want, gpu.floats(dout, nx * ny));
            assertEquals((nx / bx) * (ny / by), gpu.device.vecBlocks.sum());
            assertEquals(0, gpu.device.vecShared.sum());
        }
    }
}
