package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.transcuda.cuda.CUresult;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;

/**
 * The lockstep engine's grid-stride loops with the index kept as one number per block ({@link StrideLoop}, off with
 * {@code -Dtranscuda.cpu.strideLoop=false}). Results against Java references: byte histograms (random data, every
 * byte equal so that every thread hits one bin, n a whole number of iterations, a tail inside a block, blocks of 80
 * threads, blocks without a full iteration); the shared atomic's old value used (each thread's hash of the old values
 * it saw, which depends on the order of the block's atomics: the reference runs the lockstep engine's order, iteration
 * by iteration, thread by thread in each, which the general loop keeps and the fast iterations must keep) with the
 * loop index read after the loop; the number of fast iterations counted from the loops' trip counts (every iteration
 * after which all of a block's threads stay in the loop: 0 with the switch off, so these tests fail then); the
 * copies of {@link LoopBulk} unchanged; data that ends inside an iteration that is not a block's last (the fast
 * iteration's range check fails, the general loop runs it and faults at the first bad thread and the load); a loop
 * whose threads read in reverse order (no fast iteration). Kernels: {@code src/test/resources/kernels/strideloop.cu},
 * {@code loopbulk.cu}'s {@code hist_reverse}.
 */
class StrideLoopTest {
    private static Gpu gpu(int workers) throws BackendException {
        Gpu g = new Gpu(workers);
        g.device.engine(CpuDevice.Engine.LOCKSTEP);
        return g;
    }

    private static BackendFunction kernel(Gpu gpu, String name) throws Exception {
        return SchedulingTest.kernel(gpu, "strideloop.ptx", name);
    }

    /**
     * Fast iterations of {@code for (i = blk*nt + t; i < n; i += grid*nt)}: in a block whose threads all enter the
     * loop ({@code blk*nt + nt <= n}), iteration {@code k} is fast when every thread's next index is below n:
     * {@code blk*nt + (k+1)*grid*nt + nt <= n}.
     */
    private static long fastIterations(int n, int grid, int nt) {
        long fast = 0;
        long stride = (long) grid * nt;
        for (int blk = 0; blk < grid; blk++) {
            long first = (long) blk * nt;
            if (first + nt <= n) fast += (n - first - nt) / stride;
        }
        return fast;
    }

    /** Iterations in which every thread of the block is active (LoopBulk copies each one's loads once). */
    private static long fullLoops(int n, int grid, int nt) {
        long loops = 0;
        long stride = (long) grid * nt;
        for (int blk = 0; blk < grid; blk++) {
            long first = (long) blk * nt;
            if (first + nt <= n) loops += (n - first - nt) / stride + 1;
        }
        return loops;
    }

    private static byte[] bytes(int n, long seed) {
        byte[] data = new byte[n];
        long x = seed;
        for (int i = 0; i < n; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            data[i] = (byte) (x >>> 56);
        }
        return data;
    }

    private static long upload(Gpu gpu, byte[] data) throws BackendException {
        long a = gpu.alloc(Math.max(8, data.length));
        MemorySegment.copy(data, 0, gpu.seg(a, data.length), ValueLayout.JAVA_BYTE, 0, data.length);
        return a;
    }

    @Test
    void histogramsMatchAndCountFastIterations() throws Exception {
        // {n, grid, block size, skewed}: a tail inside a block, a whole number of iterations, 80-thread blocks, no
        // block with a full iteration, every byte equal (all threads on one bin), and n where block 0's last thread
        // alone leaves the loop first (its next index is n: the iteration before is not fast)
        int[][] cases = {{200_003, 7, 256, 0}, {7 * 256 * 5, 7, 256, 0}, {200_003, 7, 80, 0}, {300, 4, 96, 0},
            {100_001, 5, 128, 1}, {5 * 128 * 12, 5, 128, 1}, {5 * 128 * 6 + 127, 5, 128, 0}};
        for (int[] c : cases) {
            int n = c[0], grid = c[1], nt = c[2];
            byte[] data = bytes(n, 4242 + n);
            if (c[3] == 1) Arrays.fill(data, (byte) 0xAB);
            int[] want = new int[256];
            for (byte b : data) want[b & 0xff]++;
            try (Gpu gpu = gpu(2)) {
                long dd = upload(gpu, data);
                long dbins = gpu.upload(new int[256]);
                gpu.launch(kernel(gpu, "hist"), grid, nt, n, dd, dbins);
                gpu.sync();
                String what = "n " + n + ", grid " + grid + ", block of " + nt + (c[3] == 1 ? ", one bin" : "");
                assertArrayEquals(want, gpu.ints(dbins, 256), what);
                assertEquals(fastIterations(n, grid, nt), gpu.device.strideLoops.sum(), what);
                // the fast iterations that StrideHist runs read their bytes without a copy
                assertEquals(fullLoops(n, grid, nt) - gpu.device.strideHist.sum(), gpu.device.laneBulk.sum(), what);
            }
        }
        assertTrue(fastIterations(200_003, 7, 256) > 100);
    }

    @Test
    void oldValuesInTheEngineOrderAndTheFinalIndex() throws Exception {
        int[][] cases = {{100_003, 5, 128, 0}, {5 * 128 * 9, 5, 128, 0}, {50_000, 3, 256, 1}, {20_011, 4, 80, 0},
            {5 * 128 * 6 + 127, 5, 128, 0}};
        for (int[] c : cases) {
            int n = c[0], grid = c[1], nt = c[2];
            byte[] data = bytes(n, 99 + n);
            if (c[3] == 1) Arrays.fill(data, (byte) 7);
            int threads = grid * nt;
            int[] wantBins = new int[256], wantSums = new int[threads], wantLast = new int[threads];
            // each block's shared histogram on its own, in the lockstep order: iteration k of every active thread,
            // in thread order, before iteration k + 1
            for (int blk = 0; blk < grid; blk++) {
                int[] h = new int[256];
                int[] s = new int[nt];
                for (long k = 0; ; k++) {
                    boolean any = false;
                    for (int t = 0; t < nt; t++) {
                        long i = (long) blk * nt + t + k * threads;
                        if (i >= n) continue;
                        any = true;
                        s[t] = s[t] * 31 + h[data[(int) i] & 0xff]++;
                    }
                    if (!any) break;
                }
                for (int t = 0; t < nt; t++) {
                    int g = blk * nt + t;
                    wantSums[g] = s[t];
                    int i = g;
                    while (i < n) i += threads;
                    wantLast[g] = i;
                }
                for (int b = 0; b < 256; b++) wantBins[b] += h[b];
            }
            try (Gpu gpu = gpu(2)) {
                long dd = upload(gpu, data);
                long dbins = gpu.upload(new int[256]);
                long dsums = gpu.alloc(4L * threads), dlast = gpu.alloc(4L * threads);
                gpu.launch(kernel(gpu, "hist_old"), grid, nt, n, dd, dbins, dsums, dlast);
                gpu.sync();
                String what = "n " + n + ", grid " + grid + ", block of " + nt + (c[3] == 1 ? ", one bin" : "");
                assertArrayEquals(wantBins, gpu.ints(dbins, 256), what);
                assertArrayEquals(wantSums, gpu.ints(dsums, threads), what);
                assertArrayEquals(wantLast, gpu.ints(dlast, threads), what);
                assertEquals(fastIterations(n, grid, nt), gpu.device.strideLoops.sum(), what);
            }
        }
    }

    @Test
    void reverseThreadOrderRunsTheGeneralLoop() throws Exception {
        // loopbulk.cu's hist_reverse: thread t reads i0 + nt - 1 - t, so I[t] != I[0] + t: no fast iteration
        int n = 40_000, grid = 6, nt = 128;
        try (Gpu gpu = gpu(2)) {
            byte[] data = bytes(n, 17);
            int[] want = new int[256];
            for (byte b : data) want[b & 0xff]++;
            long dd = upload(gpu, data);
            long dbins = gpu.upload(new int[256]);
            gpu.launch(SchedulingTest.kernel(gpu, "loopbulk.ptx", "hist_reverse"), grid, nt, n, dd, dbins);
            gpu.sync();
            assertArrayEquals(want, gpu.ints(dbins, 256));
            assertEquals(0, gpu.device.strideLoops.sum());
        }
    }

    @Test
    void dataEndingInsideAFastIterationFaultsAtItsThread() throws Exception {
        try (Gpu gpu = gpu(1)) {
            // 12 iterations per block; the data ends at 5197 = 10 * 512 + 77: block 0's eleventh iteration (k = 10,
            // which the fast loop would run: every next index is below n) reads past it from thread 77 on
            int n = 6144, grid = 4, nt = 128;
            long dd = upload(gpu, bytes(5197, 3));
            long dbins = gpu.upload(new int[256]);
            gpu.launch(kernel(gpu, "hist"), grid, nt, n, dd, dbins);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result());
            assertTrue(e.getMessage().contains("block (0,0,0), thread (77,0,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("ld.global"), e.getMessage());
            // block 0's first ten iterations ran fast
            assertTrue(gpu.device.strideLoops.sum() >= 10, "fast iterations: " + gpu.device.strideLoops.sum());
            // the launch failed before the block's final atomics: bins untouched
            assertArrayEquals(new int[256], gpu.ints(dbins, 256));
        }
    }
}
