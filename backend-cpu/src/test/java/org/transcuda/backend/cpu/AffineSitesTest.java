package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.Dim3;
import org.junit.jupiter.api.Test;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;

/**
 * Global accesses checked once per block ({@link AffineSites}): results against Java references, how many
 * (block, site) pairs ran without per-access checks (the expected count computed here from the kernel's index
 * ranges), and faults from threads of blocks whose check failed: the first bad thread and instruction are
 * reported, and the threads before it have stored. Kernels: {@code src/test/resources/kernels/affine.cu}.
 */
class AffineSitesTest {
    private static BackendFunction kernel(Gpu gpu, String name) throws Exception {
        return SchedulingTest.kernel(gpu, "affine.ptx", name);
    }

    /** The thread engine (whatever -Dtranscuda.cpu.engine says): the per-block check is its {@code runBlock}'s. */
    private static Gpu gpu(int workers) throws BackendException {
        Gpu g = new Gpu(workers);
        g.device.engine(CpuDevice.Engine.THREAD);
        // the per-block check is what this test counts; grid rows (GridRowsTest) check pieces of rows
        g.device.gridRows = false;
        return g;
    }

    private static long hoisted(Gpu gpu) {
        return gpu.device.hoistedSiteBlocks.sum();
    }

    @Test
    void saxpyPartialLastBlock() throws Exception {
        try (Gpu gpu = gpu(2)) {
            int n = 1000;
            float a = 1.75f;
            float[] x = new float[n];
            float[] y = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = i * 0.37f - 11;
                y[i] = 5 - i * 0.011f;
            }
            long dx = gpu.upload(x);
            long dy = gpu.upload(y);
            gpu.launch(kernel(gpu, "saxpy"), 8, 128, n, a, dx, dy);
            gpu.sync();
            float[] want = new float[n];
            for (int i = 0; i < n; i++) want[i] = Math.fma(a, x[i], y[i]);
            assertArrayEquals(want, gpu.floats(dy, n));
            // 7 full blocks x 3 sites (load x, load y, store y); the last block reaches past both arrays
            assertEquals(7 * 3, hoisted(gpu));
            // the 7 full blocks: every thread on the guarded path, run path by path (decided from the range of i
            // against n); the last one's check fails
            assertEquals(7, gpu.device.pathBlocks.sum());
            assertEquals(7, gpu.device.rangeDecided.sum());
        }
    }

    @Test
    void saxpyGuardInsideTheAllocation() throws Exception {
        // the arrays are longer than n: the last block passes the memory check, but its threads past n must skip
        try (Gpu gpu = gpu(2)) {
            int n = 1000, len = 1024;
            float a = -0.5f;
            float[] x = new float[len];
            float[] y = new float[len];
            for (int i = 0; i < len; i++) {
                x[i] = i * 0.25f;
                y[i] = 100 - i;
            }
            long dx = gpu.upload(x);
            long dy = gpu.upload(y);
            gpu.launch(kernel(gpu, "saxpy"), 8, 128, n, a, dx, dy);
            gpu.sync();
            float[] want = y.clone();
            for (int i = 0; i < n; i++) want[i] = Math.fma(a, x[i], y[i]);
            assertArrayEquals(want, gpu.floats(dy, len));
            assertEquals(8 * 3, hoisted(gpu));
            // blocks 0-6 decided by ranges; block 7 mixed: its threads are looked at one by one, diverge, and the
            // block runs the thread loop
            assertEquals(7, gpu.device.pathBlocks.sum());
            assertEquals(7, gpu.device.rangeDecided.sum());
        }
    }

    @Test
    void guardThatIsNotAffineIsDecidedThreadByThread() throws Exception {
        try (Gpu gpu = gpu(2)) {
            int len = 512;
            int[] in = new int[len];
            for (int i = 0; i < len; i++) in[i] = i * i - 77;
            long din = gpu.upload(in);
            // i % 64 < 100 holds for every thread: every block runs path by path after the per-thread decision
            long dout = gpu.upload(new int[len]);
            gpu.launch(kernel(gpu, "modguard"), 4, 128, 100, din, dout);
            gpu.sync();
            int[] want = new int[len];
            for (int i = 0; i < len; i++) want[i] = in[i] + 1;
            assertArrayEquals(want, gpu.ints(dout, len));
            assertEquals(4, gpu.device.pathBlocks.sum());
            assertEquals(0, gpu.device.rangeDecided.sum());
            // i % 64 < 10: every block diverges and runs the thread loop
            long dout2 = gpu.upload(new int[len]);
            gpu.launch(kernel(gpu, "modguard"), 4, 128, 10, din, dout2);
            gpu.sync();
            int[] want2 = new int[len];
            for (int i = 0; i < len; i++) want2[i] = i % 64 < 10 ? in[i] + 1 : 0;
            assertArrayEquals(want2, gpu.ints(dout2, len));
            assertEquals(4, gpu.device.pathBlocks.sum());
        }
    }

    @Test
    void stencil2dNeighbourLoads() throws Exception {
        int nx = 70, ny = 69, bx = 16, by = 16;
        try (Gpu gpu = gpu(2)) {
            float[] in = new float[nx * ny];
            for (int i = 0; i < in.length; i++) in[i] = (i * 7919 % 1000) * 0.01f;
            long din = gpu.upload(in);
            long dout = gpu.alloc(4L * nx * ny);
            int gx = (nx + bx - 1) / bx, gy = (ny + by - 1) / by;
            gpu.launch(kernel(gpu, "stencil"), Dim3.of(gx, gy), Dim3.of(bx, by), 0, nx, ny, din, dout);
            gpu.sync();
            float[] want = new float[nx * ny];
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    int i = y * nx + x;
                    want[i] = x == 0 || y == 0 || x == nx - 1 || y == ny - 1 ? in[i]
                            : 0.25f * (in[i - 1] + in[i + 1] + in[i - nx] + in[i + nx]);
                }
            }
            assertArrayEquals(want, gpu.floats(dout, nx * ny));
            // sites: border load in[i], border store out[i], in[i+1], in[i-1], in[i-nx], in[i+nx], store out[i];
            // a site is unchecked in a block when its index over the whole 16x16 box of threads stays in the array
            long[] offsets = {0, 0, 1, -1, -nx, nx, 0};
            long expect = 0;
            for (int cy = 0; cy < gy; cy++) {
                for (int cx = 0; cx < gx; cx++) {
                    long lo = (long) cy * by * nx + (long) cx * bx;
                    long hi = (long) (cy * by + by - 1) * nx + cx * bx + bx - 1;
                    for (long o : offsets) if (lo + o >= 0 && hi + o < (long) nx * ny) expect++;
                }
            }
            assertTrue(expect > 0 && expect < 7L * gx * gy, "test geometry: " + expect);
            assertEquals(expect, hoisted(gpu));
            // path by path: the blocks whose threads are all interior cells (x and y in [16, 63]: 3 x 3 blocks)
            long interior = 0;
            for (int cy = 0; cy < gy; cy++) {
                for (int cx = 0; cx < gx; cx++) {
                    if (cx * bx >= 1 && cx * bx + bx - 1 <= nx - 2 && cy * by >= 1 && cy * by + by - 1 <= ny - 2) interior++;
                }
            }
            assertEquals(9, interior);
            assertEquals(interior, gpu.device.pathBlocks.sum());
            assertEquals(interior, gpu.device.rangeDecided.sum());
        }
    }

    @Test
    void outOfBoundsThreadInsideABlock() throws Exception {
        // one worker: blocks run in order, so the fault is block 7's thread 104 and everything before it is stored
        try (Gpu gpu = gpu(1)) {
            int n = 1024, have = 1000;
            int[] in = new int[n];
            for (int i = 0; i < n; i++) in[i] = i * 31 - 5000;
            long din = gpu.upload(in);
            long dout = gpu.alloc(4L * have);
            gpu.launch(kernel(gpu, "copy"), 8, 128, din, dout);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result());
            assertTrue(e.getMessage().contains("block (7,0,0), thread (104,0,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("st.global"), e.getMessage());
            assertTrue(e.getMessage().contains("affine.ptx:"), e.getMessage());
            int[] want = new int[have];
            for (int i = 0; i < have; i++) want[i] = in[i] * 2 + 1;
            assertArrayEquals(want, gpu.ints(dout, have));
            // blocks 0-6: both sites unchecked; block 7: the load (in has 1024 elements) but not the store
            assertEquals(7 * 2 + 1, hoisted(gpu));
            // blocks 0-6 ran path by path (one path, no branch), block 7 in the checked thread loop
            assertEquals(7, gpu.device.pathBlocks.sum());
        }
    }

    @Test
    void misalignedBaseFaultsAtTheFirstThread() throws Exception {
        try (Gpu gpu = gpu(1)) {
            long din = gpu.upload(new int[256]);
            long dout = gpu.alloc(4L * 256 + 16);
            gpu.launch(kernel(gpu, "copy"), 2, 128, din, dout + 2);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_MISALIGNED_ADDRESS, e.result());
            assertTrue(e.getMessage().contains("block (0,0,0), thread (0,0,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("st.global"), e.getMessage());
            // the aligned load of block 0 ran unchecked, the misaligned store did not
            assertEquals(1, hoisted(gpu));
        }
    }

    @Test
    void wrappingUnsignedIndexIsNotHoisted() throws Exception {
        Dim3 block = new Dim3(8, 4, 2);
        try (Gpu gpu = gpu(1)) {
            // no wrap: out[i + 16] = i over 4 blocks of 8x4x2 threads (linear index x fastest), all unchecked
            long buf = gpu.upload(new int[256 + 16]);
            gpu.launch(kernel(gpu, "wrap"), Dim3.of(4), block, 0, 16, buf);
            gpu.sync();
            int[] want = new int[256 + 16];
            for (int i = 0; i < 256; i++) want[i + 16] = i;
            assertArrayEquals(want, gpu.ints(buf, 256 + 16));
            assertEquals(4, hoisted(gpu));
            assertEquals(4, gpu.device.pathBlocks.sum());
        }
        try (Gpu gpu = gpu(1)) {
            // off = -16 as u32: threads 0-15 index 2^32 - 16 + i (zero-extended, 16 GiB past out) and fault; read as a
            // signed index, their addresses would lie inside buf: an unchecked store would corrupt it silently
            long buf = gpu.upload(new int[512]);
            long out = buf + 4 * 64;
            gpu.launch(kernel(gpu, "wrap"), Dim3.of(4), block, 0, -16, out);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result());
            assertTrue(e.getMessage().contains("block (0,0,0), thread (0,0,0)"), e.getMessage());
            assertArrayEquals(new int[512], gpu.ints(buf, 512));
            assertEquals(0, hoisted(gpu));
            assertEquals(0, gpu.device.pathBlocks.sum());
        }
    }

    @Test
    void pitched64BitAccesses() throws Exception {
        int width = 32, height = 24, pitch = 40;
        try (Gpu gpu = gpu(2)) {
            long[] in = new long[pitch * height];
            for (int i = 0; i < in.length; i++) in[i] = 1_000_000_007L * i;
            long din = gpu.upload(in);
            long dout = gpu.upload(new long[pitch * height]);
            gpu.launch(kernel(gpu, "pitched"), Dim3.of(width / 16, height / 8), Dim3.of(16, 8), 0, (long) pitch, din,
                    dout);
            gpu.sync();
            long[] want = new long[pitch * height];
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) want[y * pitch + x] = in[y * pitch + x] + y;
            }
            assertArrayEquals(want, gpu.longs(dout, pitch * height));
            assertEquals(2 * 3 * 2, hoisted(gpu));
            assertEquals(2 * 3, gpu.device.pathBlocks.sum());
        }
    }
}
