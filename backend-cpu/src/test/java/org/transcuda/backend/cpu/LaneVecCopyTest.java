package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.Dim3;
import org.transcuda.spi.BackendException;

/**
 * Lockstep runs that only copy global words to shared memory, as vectors of a row's threads ({@link LaneVec#COPY}):
 * LoopTouchTest's matmul (tile loads through pointers that the {@code k0} loop advances) for 16 × 16 tiles (n = 64, 48,
 * 16) and 5 × 5 tiles, 1 and 2 workers, C bit for bit against a Java reference (NaN inputs with payloads, signalling
 * NaNs, -0.0, infinities), and the threads × runs copied as vectors against the count from the shapes and the vector
 * length; {@code vec_copy} (lanevec.cu), words copied through a pointer with stride 1 (vectors) and 2 (not consecutive:
 * no vectors), every word as loaded; two stores per thread whose words overlap between threads (kept in thread order:
 * no vectors); not every thread active (no vectors); A 3 floats short (the check fails for the
 * last tile: no vectors there, the fault at its thread as before). Needs the JVM's vector module.
 */
class LaneVecCopyTest {
    private static Gpu gpu(int workers) throws BackendException {
        Gpu g = new Gpu(workers);
        g.device.engine(CpuDevice.Engine.LOCKSTEP);
        return g;
    }

    private static int[] matrix(int n, long seed, boolean specials) {
        java.util.Random rnd = new java.util.Random(seed);
        int[] m = new int[n * n];
        for (int i = 0; i < m.length; i++) m[i] = Float.floatToRawIntBits(rnd.nextFloat() * 2 - 1);
        if (specials) {
            int[] sp = {0x7fc0_1234, 0xff80_0001, 0x8000_0000, 0x7f80_0000, 0xff80_0000,
                Float.floatToRawIntBits(1 + 0x1p-12f), Float.floatToRawIntBits(1 - 0x1p-12f), 0x8000_0000};
            for (int k = 0; k < sp.length; k++) m[(int) ((k * 7919L + seed) % m.length)] = sp[k];
        }
        return m;
    }

    private static int[] reference(int n, int[] a, int[] b) {
        int[] c = new int[n * n];
        for (int r = 0; r < n; r++) {
            for (int col = 0; col < n; col++) {
                float acc = 0f;
                for (int k = 0; k < n; k++) {
                    acc = Math.fma(Float.intBitsToFloat(a[r * n + k]), Float.intBitsToFloat(b[k * n + col]), acc);
                }
                c[r * n + col] = acc != acc ? 0x7fff_ffff : Float.floatToRawIntBits(acc);
            }
        }
        return c;
    }

    @Test
    void tileLoadsCopiedAsVectorsBitForBit() throws Exception {
        Assumptions.assumeTrue(LaneVec.AVAILABLE, "the JVM has no vector module");
        int vl = LaneVec.length();
        for (int[] s : new int[][] {{16, 64}, {16, 48}, {16, 16}, {5, 35}}) {
            int t = s[0], n = s[1];
            for (int workers : new int[] {1, 2}) {
                try (Gpu gpu = gpu(workers)) {
                    int[] a = matrix(n, 11 + n, true), b = matrix(n, 23 + n, true);
                    long da = gpu.upload(a), db = gpu.upload(b), dc = gpu.alloc(4L * n * n);
                    gpu.launch(SchedulingTest.kernel(gpu, "looptouch.ptx", "touch_mm" + t), Dim3.of(n / t, n / t),
                            Dim3.of(t, t), 0, n, da, db, dc, t * t);
                    gpu.sync();
                    String what = t + "x" + t + " tiles, n = " + n + ", " + workers + " workers";
                    assertArrayEquals(reference(n, a, b), gpu.ints(dc, n * n), what);
                    // per block and tile, one run of both loads: every row's threads in whole vectors
                    long blocks = (long) (n / t) * (n / t);
                    assertEquals(blocks * (n / t) * t * (t - t % vl), gpu.device.vecCopies.sum(), what);
                }
            }
        }
    }

    /** vec_copy: out[blk][it][t] = A[(blk * iters + it) * 256 * stride + (255 - t) * stride], as loaded. */
    private static void copyKernel(int stride, boolean copied) throws Exception {
        int grid = 3, iters = 4, words = grid * iters * 256 * stride;
        int[] a = new int[words];
        java.util.Random rnd = new java.util.Random(stride);
        for (int i = 0; i < words; i++) a[i] = rnd.nextInt();
        a[5 * stride] = 0x7fc0_1234;
        a[300 * stride] = 0xff80_0001;
        try (Gpu gpu = gpu(2)) {
            long da = gpu.upload(a), dout = gpu.alloc(4L * grid * iters * 256);
            gpu.launch(SchedulingTest.kernel(gpu, "lanevec.ptx", "vec_copy"), Dim3.of(grid), Dim3.of(16, 16), 0,
                    iters, da, stride, dout);
            gpu.sync();
            int[] want = new int[grid * iters * 256];
            for (int blk = 0; blk < grid; blk++) {
                for (int it = 0; it < iters; it++) {
                    for (int t = 0; t < 256; t++) {
                        want[(blk * iters + it) * 256 + t] = a[((blk * iters + it) * 256 + 255 - t) * stride];
                    }
                }
            }
            assertArrayEquals(want, gpu.ints(dout, want.length), "stride " + stride);
            int vl = LaneVec.length();
            assertEquals(copied ? (long) grid * iters * 16 * (16 - 16 % vl) : 0, gpu.device.vecCopies.sum(),
                    "stride " + stride);
        }
    }

    @Test
    void consecutiveWordsAreCopiedOthersNot() throws Exception {
        Assumptions.assumeTrue(LaneVec.AVAILABLE, "the JVM has no vector module");
        copyKernel(1, true);
        copyKernel(2, false);
    }

    /** vec_copy_overlap: thread t's second store and thread t+1's first write one word, so they stay in thread order. */
    @Test
    void storesThatOverlapBetweenThreadsStayInThreadOrder() throws Exception {
        int iters = 3;
        int[] a = new int[iters * 512];
        java.util.Random rnd = new java.util.Random(3);
        for (int i = 0; i < a.length; i++) a[i] = rnd.nextInt();
        try (Gpu gpu = gpu(2)) {
            long da = gpu.upload(a), dout = gpu.alloc(4L * iters * 257);
            gpu.launch(SchedulingTest.kernel(gpu, "lanevec.ptx", "vec_copy_overlap"), Dim3.of(1), Dim3.of(16, 16), 0,
                    iters, da, dout);
            gpu.sync();
            int[] want = new int[iters * 257];
            for (int it = 0; it < iters; it++) {
                for (int i = 0; i < 256; i++) want[it * 257 + i] = a[it * 512 + i];
                want[it * 257 + 256] = a[it * 512 + 255 + 256];
            }
            assertArrayEquals(want, gpu.ints(dout, want.length));
            assertEquals(0, gpu.device.vecCopies.sum());
        }
    }

    @Test
    void notEveryThreadActiveCopiesNothing() throws Exception {
        int t = 16, n = 32, rows = 5, live = rows * t;
        try (Gpu gpu = gpu(2)) {
            int[] a = matrix(n, 5, false), b = matrix(n, 6, false);
            for (int i = 0; i < n * n; i++) if (i % n % t >= rows) a[i] = 0;
            long da = gpu.upload(a), db = gpu.upload(b), dc = gpu.upload(new int[n * n]);
            gpu.launch(SchedulingTest.kernel(gpu, "looptouch.ptx", "touch_mm16"), Dim3.of(n / t, n / t),
                    Dim3.of(t, t), 0, n, da, db, dc, live);
            gpu.sync();
            int[] want = reference(n, a, b);
            int[] got = gpu.ints(dc, n * n);
            for (int r = 0; r < n; r++) {
                for (int c = 0; c < n; c++) {
                    assertEquals(r % t < rows ? want[r * n + c] : 0, got[r * n + c], "C[" + r + "][" + c + "]");
                }
            }
            assertEquals(0, gpu.device.vecCopies.sum());
        }
    }

    /**
     * A 3 floats short: in the last tile of the last block row thread (13, 15) reads past the allocation; that tile's
     * A check fails, so no vectors run for it and the plain loop faults at the thread, as without LaneVec; with one
     * worker the blocks run in order, so the rows copied before are counted exactly.
     */
    @Test
    void loadPastTheEndFaultsAtItsThread() throws Exception {
        Assumptions.assumeTrue(LaneVec.AVAILABLE, "the JVM has no vector module");
        int t = 16, n = 48, g = n / t, vl = LaneVec.length();
        try (Gpu gpu = gpu(1)) {
            int[] a = matrix(n, 7, false), b = matrix(n, 8, false);
            long da = gpu.upload(java.util.Arrays.copyOf(a, n * n - 3)), db = gpu.upload(b);
            long dc = gpu.alloc(4L * n * n);
            gpu.launch(SchedulingTest.kernel(gpu, "looptouch.ptx", "touch_mm16"), Dim3.of(g, g), Dim3.of(t, t), 0,
                    n, da, db, dc, t * t);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result());
            assertTrue(e.getMessage().contains("block (0," + (g - 1) + ",0), thread (13,15,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("ld.global"), e.getMessage());
            // every tile of the blocks before (0, g-1), then its first g-1 tiles
            long tiles = (long) (g - 1) * g * g + (g - 1);
            assertEquals(tiles * t * (t - t % vl), gpu.device.vecCopies.sum());
        }
    }
}
