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
 * {@link StrideHist}: StrideLoop's fast iterations of a byte histogram in shared memory as one tight loop (off with
 * {@code -Dtranscuda.cpu.strideHist=false}). Results against Java counts: the suite's histogram (random data, every
 * byte equal, a tail inside a block, a whole number of iterations, blocks of 80 threads, whose 80 bytes are not a
 * multiple of the 8 read at once, blocks without a full iteration; 1 and 2 workers); bins at an offset inside a larger
 * shared array after another one, with an operand other than 1 ({@code hist_off}); the iterations run by the tight loop
 * counted ({@code strideHist}: every StrideLoop fast iteration, from the loops' trip counts; 0 with the switch off, so
 * these tests fail then). Where it must not run: bins whose 256 words do not all fit the shared window
 * ({@code hist_off} with an offset one word too large and data that never reaches past it: no tight loop, same results;
 * {@code hist_small}, 64 bins: one byte past them faults at its block, thread and the {@code atom.shared}, as without
 * the change); a per-thread value carried across iterations ({@code hist_count}). Data that ends inside an iteration
 * the fast loop would run: the tight loop stops before it, the general loop faults at the first bad thread and the
 * load. Kernels: {@code src/test/resources/kernels/stridehist.cu}, {@code strideloop.cu}'s {@code hist}.
 */
class StrideHistTest {
    private static Gpu gpu(int workers) throws BackendException {
        Gpu g = new Gpu(workers);
        g.device.engine(CpuDevice.Engine.LOCKSTEP);
        return g;
    }

    private static BackendFunction kernel(Gpu gpu, String file, String name) throws Exception {
        return SchedulingTest.kernel(gpu, file, name);
    }

    /**
     * StrideLoop's fast iterations of {@code for (i = blk*nt + t; i < n; i += grid*nt)}: in a block whose threads all
     * enter the loop, iteration {@code k} is fast when every thread's next index is below n.
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
    void suiteHistogramMatchesAndRunsEveryFastIterationTight() throws Exception {
        // {n, grid, block size, every byte equal}
        int[][] cases = {{200_003, 7, 256, 0}, {7 * 256 * 5, 7, 256, 0}, {200_003, 7, 80, 0}, {300, 4, 96, 0},
            {100_001, 5, 128, 1}, {5 * 128 * 6 + 127, 5, 128, 0}, {1 << 20, 16, 256, 0}};
        for (int workers : new int[] {1, 2}) {
            for (int[] c : cases) {
                int n = c[0], grid = c[1], nt = c[2];
                byte[] data = bytes(n, 777 + n);
                if (c[3] == 1) Arrays.fill(data, (byte) 0xC3);
                int[] want = new int[256];
                for (byte b : data) want[b & 0xff]++;
                try (Gpu gpu = gpu(workers)) {
                    long dd = upload(gpu, data);
                    long dbins = gpu.upload(new int[256]);
                    gpu.launch(kernel(gpu, "strideloop.ptx", "hist"), grid, nt, n, dd, dbins);
                    gpu.sync();
                    String what = workers + " workers, n " + n + ", grid " + grid + ", block of " + nt;
                    assertArrayEquals(want, gpu.ints(dbins, 256), what);
                    assertEquals(fastIterations(n, grid, nt), gpu.device.strideHist.sum(), what);
                    assertEquals(fastIterations(n, grid, nt), gpu.device.strideLoops.sum(), what);
                }
            }
        }
        assertTrue(fastIterations(200_003, 7, 80) > 100);
    }

    @Test
    void binsAtAnOffsetWithAnOperand() throws Exception {
        // {n, grid, block size, off, add}
        int[][] cases = {{150_001, 6, 256, 17, 3}, {150_001, 6, 80, 256, 1}, {6 * 128 * 9, 6, 128, 0, -7}};
        for (int[] c : cases) {
            int n = c[0], grid = c[1], nt = c[2], off = c[3], add = c[4];
            byte[] data = bytes(n, 31 + off);
            int[] want = new int[512 + 48];
            for (byte b : data) want[(b & 0xff) + off] += add;
            try (Gpu gpu = gpu(2)) {
                long dd = upload(gpu, data);
                long dbins = gpu.upload(new int[512 + 48]);
                gpu.launch(kernel(gpu, "stridehist.ptx", "hist_off"), grid, nt, n, off, add, dd, dbins);
                gpu.sync();
                String what = "n " + n + ", block of " + nt + ", off " + off + ", add " + add;
                assertArrayEquals(want, gpu.ints(dbins, 512 + 48), what);
                assertEquals(fastIterations(n, grid, nt), gpu.device.strideHist.sum(), what);
            }
        }
    }

    @Test
    void binsPastTheWindowRunTheGeneralLoop() throws Exception {
        // pad is words 0 .. 47 of the 560 words of shared memory, h words 48 .. 559: with off 257 byte 255's word
        // (48 + 257 + 255 = 560) is the first past them (off 256, above, fits exactly); the data's bytes stay below
        // 100, so every access is inside (no fault), but the tight loop cannot prove it for every byte: not run
        int n = 60_000, grid = 5, nt = 128, off = 257;
        byte[] data = bytes(n, 5);
        for (int i = 0; i < n; i++) data[i] = (byte) ((data[i] & 0xff) % 100);
        int[] want = new int[512 + 48];
        for (byte b : data) want[(b & 0xff) + off] += 1;
        try (Gpu gpu = gpu(2)) {
            long dd = upload(gpu, data);
            long dbins = gpu.upload(new int[512 + 48]);
            gpu.launch(kernel(gpu, "stridehist.ptx", "hist_off"), grid, nt, n, off, 1, dd, dbins);
            gpu.sync();
            assertArrayEquals(want, gpu.ints(dbins, 512 + 48));
            assertEquals(0, gpu.device.strideHist.sum());
            assertEquals(fastIterations(n, grid, nt), gpu.device.strideLoops.sum());
        }
    }

    @Test
    void aBinPastSharedMemoryFaultsAtItsThread() throws Exception {
        // 64 bins: bytes below 64 everywhere except block 1, thread 9, first iteration (i = 128 + 9)
        int n = 20_000, grid = 4, nt = 128;
        byte[] data = bytes(n, 9);
        for (int i = 0; i < n; i++) data[i] = (byte) ((data[i] & 0xff) % 64);
        int[] want = new int[64];
        for (byte b : data) want[b & 0xff]++;
        try (Gpu gpu = gpu(2)) {
            long dd = upload(gpu, data);
            long dbins = gpu.upload(new int[64]);
            gpu.launch(kernel(gpu, "stridehist.ptx", "hist_small"), grid, nt, n, dd, dbins);
            gpu.sync();
            assertArrayEquals(want, gpu.ints(dbins, 64));
            assertEquals(0, gpu.device.strideHist.sum());
        }
        data[128 + 9] = (byte) 200;
        try (Gpu gpu = gpu(1)) {
            long dd = upload(gpu, data);
            long dbins = gpu.upload(new int[64]);
            gpu.launch(kernel(gpu, "stridehist.ptx", "hist_small"), grid, nt, n, dd, dbins);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result());
            assertTrue(e.getMessage().contains("block (1,0,0), thread (9,0,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("atom.shared"), e.getMessage());
            assertEquals(0, gpu.device.strideHist.sum());
        }
    }

    @Test
    void aValueCarriedAcrossIterationsIsNotTheShape() throws Exception {
        int n = 90_001, grid = 6, nt = 128;
        byte[] data = bytes(n, 44);
        int[] want = new int[256];
        int[] wantCounts = new int[grid * nt];
        for (int i = 0; i < n; i++) {
            want[data[i] & 0xff]++;
            wantCounts[i % (grid * nt)] += data[i] & 1;
        }
        try (Gpu gpu = gpu(2)) {
            long dd = upload(gpu, data);
            long dbins = gpu.upload(new int[256]);
            long dcounts = gpu.alloc(4L * grid * nt);
            gpu.launch(kernel(gpu, "stridehist.ptx", "hist_count"), grid, nt, n, dd, dbins, dcounts);
            gpu.sync();
            assertArrayEquals(want, gpu.ints(dbins, 256));
            assertArrayEquals(wantCounts, gpu.ints(dcounts, grid * nt));
            assertEquals(0, gpu.device.strideHist.sum());
            assertEquals(fastIterations(n, grid, nt), gpu.device.strideLoops.sum());
        }
    }

    @Test
    void dataEndingInsideAFastIterationFaultsAtItsThread() throws Exception {
        try (Gpu gpu = gpu(1)) {
            // 12 iterations per block; the data ends at 5197 = 10 * 512 + 77: block 0's eleventh iteration (k = 10,
            // which the fast loop would run) reads past it from thread 77 on
            int n = 6144, grid = 4, nt = 128;
            long dd = upload(gpu, bytes(5197, 3));
            long dbins = gpu.upload(new int[256]);
            gpu.launch(kernel(gpu, "strideloop.ptx", "hist"), grid, nt, n, dd, dbins);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result());
            assertTrue(e.getMessage().contains("block (0,0,0), thread (77,0,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("ld.global"), e.getMessage());
            // block 0's first ten iterations ran in the tight loop, then the launch failed
            assertEquals(10, gpu.device.strideHist.sum());
            assertEquals(10, gpu.device.strideLoops.sum());
            assertArrayEquals(new int[256], gpu.ints(dbins, 256));
        }
    }
}
