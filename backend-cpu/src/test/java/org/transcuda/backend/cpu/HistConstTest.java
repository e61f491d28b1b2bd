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

/**
 * {@link HistConst}: {@link StrideHist}'s count of an iteration of 256 threads with the trip count a constant (off
 * with {@code -Dtranscuda.cpu.histConst=false}). Results against Java counts ({@code strideloop.cu}'s {@code hist},
 * the suite's histogram): blocks of 256 threads with n not a multiple of 256 or of 8, a whole number of iterations,
 * the grid not a power of two, random bytes, every byte 0xFF (the top byte of each 64-bit read) or 0x00, 1 and 2
 * workers; every StrideHist iteration of a 256-thread block counted by it ({@code histConst} equals StrideHist's
 * count and the fast iterations computed here, nonzero; so these tests fail with the switch off). Blocks of 128 and
 * 264 threads: StrideHist's general count only ({@code histConst} 0), same results. Data that ends inside an
 * iteration the fast loop would run: the fault at its block, thread and the load, as without the change.
 */
class HistConstTest {
    /** StrideLoop's fast iterations of {@code for (i = blk*nt + t; i < n; i += grid*nt)} (as StrideHistTest). */
    static long fastIterations(int n, int grid, int nt) {
        long fast = 0;
        long stride = (long) grid * nt;
        for (int blk = 0; blk < grid; blk++) {
            long first = (long) blk * nt;
            if (first + nt <= n) fast += (n - first - nt) / stride;
        }
        return fast;
    }

    static byte[] bytes(int n, long seed) {
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

    private static void check(int workers, int n, int grid, int nt, int fill, boolean constExpected) throws Exception {
        byte[] data = bytes(n, 91 + n + nt);
        if (fill >= 0) Arrays.fill(data, (byte) fill);
        int[] want = new int[256];
        for (byte b : data) want[b & 0xff]++;
        try (Gpu gpu = Gpu.lockstep(workers)) {
            long dd = upload(gpu, data);
            long dbins = gpu.upload(new int[256]);
            gpu.launch(SchedulingTest.kernel(gpu, "strideloop.ptx", "hist"), grid, nt, n, dd, dbins);
            gpu.sync();
            String what = workers + " workers, n " + n + ", grid " + grid + ", block of " + nt + ", fill " + fill;
            assertArrayEquals(want, gpu.ints(dbins, 256), what);
            long fast = fastIterations(n, grid, nt);
            assertTrue(fast > 0, what);
            assertEquals(fast, gpu.device.strideHist.sum(), what);
            assertEquals(constExpected ? fast : 0, gpu.device.histConst.sum(), what);
        }
    }

    @Test
    void blocksOf256CountedByTheFixedLoop() throws Exception {
        // {n, grid, fill (-1: random)}
        int[][] cases = {{200_003, 7, -1}, {7 * 256 * 5, 7, -1}, {100_001, 5, 0xFF}, {100_001, 5, 0},
            {5 * 256 * 6 + 255, 5, -1}, {1 << 20, 16, -1}, {3 * 256 * 4 + 1, 3, -1}};
        for (int workers : new int[] {1, 2}) {
            for (int[] c : cases) check(workers, c[0], c[1], 256, c[2], true);
        }
    }

    @Test
    void otherBlockSizesUseTheGeneralCount() throws Exception {
        for (int workers : new int[] {1, 2}) {
            check(workers, 200_003, 7, 128, -1, false);
            check(workers, 200_003, 7, 264, -1, false);
        }
    }

    @Test
    void dataEndingInsideAFastIterationFaultsAtItsThread() throws Exception {
        try (Gpu gpu = Gpu.lockstep(1)) {
            // blocks of 256, grid 4: stride 1024; the data ends at 10 * 1024 + 77: block 0's eleventh iteration
            // (k = 10, which the fast loop would run) reads past it from thread 77 on
            int n = 16_384, grid = 4, nt = 256;
            long dd = upload(gpu, bytes(10 * 1024 + 77, 3));
            long dbins = gpu.upload(new int[256]);
            gpu.launch(SchedulingTest.kernel(gpu, "strideloop.ptx", "hist"), grid, nt, n, dd, dbins);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result());
            assertTrue(e.getMessage().contains("block (0,0,0), thread (77,0,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("ld.global"), e.getMessage());
            assertEquals(10, gpu.device.strideHist.sum());
            assertEquals(10, gpu.device.histConst.sum());
            assertArrayEquals(new int[256], gpu.ints(dbins, 256));
        }
    }
}
