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
 * {@link HistLoop}: {@link HistConst}'s count of an iteration of 256 threads as byte loads from a 256-byte slice
 * (off with {@code -Dtranscuda.cpu.histLoop=false}). Results against Java counts ({@code strideloop.cu}'s {@code
 * hist}, the suite's histogram): blocks of 256 threads, n not a multiple of 256, 8 or 4, whole iterations, grids of
 * several sizes (not powers of two), random bytes, bytes whose every position in an iteration differs ({@code i mod
 * 256}, {@code 255 − i mod 256}), every byte 0xFF, 0x80 or 0x00 (the sign of the byte load), data at an address that
 * is not a multiple of 4, 1 and 2 workers; every fixed-length iteration counted by it ({@code histLoop} equals {@code
 * histConst}, StrideHist's count and the fast iterations computed here, nonzero; so these tests fail with the switch
 * off). Blocks of 128 threads: the general count ({@code histLoop} 0). Data that ends inside an iteration the fast
 * loop would run: the fault at its block, thread and the load after the same counted iterations.
 */
class HistLoopTest {
    /** fill: -1 random, -2 {@code i mod 256}, -3 {@code 255 − i mod 256}, else that byte everywhere. */
    private static byte[] data(int n, int fill) {
        byte[] data = HistConstTest.bytes(n, 77 + n);
        for (int i = 0; i < n; i++) {
            if (fill == -2) data[i] = (byte) i;
            else if (fill == -3) data[i] = (byte) (255 - i);
            else if (fill >= 0) data[i] = (byte) fill;
        }
        return data;
    }

    private static void check(int workers, int n, int grid, int nt, int fill, int skew, boolean expected)
            throws Exception {
        byte[] data = data(n, fill);
        int[] want = new int[256];
        for (byte b : data) want[b & 0xff]++;
        try (Gpu gpu = Gpu.lockstep(workers)) {
            // skew: the data starts that many bytes into its allocation (the slices unaligned)
            long base = gpu.alloc(Math.max(8, n + skew));
            MemorySegment.copy(data, 0, gpu.seg(base + skew, n), ValueLayout.JAVA_BYTE, 0, n);
            long dbins = gpu.upload(new int[256]);
            gpu.launch(SchedulingTest.kernel(gpu, "strideloop.ptx", "hist"), grid, nt, n, base + skew, dbins);
            gpu.sync();
            String what = workers + " workers, n " + n + ", grid " + grid + ", block of " + nt + ", fill " + fill
                    + ", skew " + skew;
            assertArrayEquals(want, gpu.ints(dbins, 256), what);
            long fast = HistConstTest.fastIterations(n, grid, nt);
            assertTrue(fast > 0, what);
            assertEquals(fast, gpu.device.strideHist.sum(), what);
            assertEquals(expected ? fast : 0, gpu.device.histConst.sum(), what);
            assertEquals(expected ? fast : 0, gpu.device.histLoop.sum(), what);
        }
    }

    @Test
    void blocksOf256CountedByByteLoadsFromASlice() throws Exception {
        // {n, grid, fill, skew}
        int[][] cases = {{200_003, 7, -1, 0}, {6 * 256 * 5, 6, -1, 0}, {100_001, 5, 0xFF, 0}, {100_001, 5, 0, 0},
            {100_001, 5, 0x80, 0}, {5 * 256 * 6 + 255, 5, -2, 0}, {3 * 256 * 9 + 2, 3, -3, 0}, {1 << 20, 16, -1, 0},
            {150_006, 11, -1, 1}, {150_006, 11, -2, 3}, {70_001, 9, -1, 2}};
        for (int workers : new int[] {1, 2}) {
            for (int[] c : cases) check(workers, c[0], c[1], 256, c[2], c[3], true);
        }
    }

    @Test
    void otherBlockSizesUseTheGeneralCount() throws Exception {
        for (int workers : new int[] {1, 2}) check(workers, 200_003, 7, 128, -1, 0, false);
    }

    @Test
    void dataEndingInsideAFastIterationFaultsAtItsThread() throws Exception {
        try (Gpu gpu = Gpu.lockstep(1)) {
            // blocks of 256, grid 3: stride 768; the data ends at 12 * 768 + 200: block 0's thirteenth iteration
            // (k = 12, which the fast loop would run) reads past it from thread 200 on
            int n = 20_000, grid = 3, nt = 256;
            byte[] data = HistConstTest.bytes(12 * 768 + 200, 5);
            long dd = gpu.alloc(data.length);
            MemorySegment.copy(data, 0, gpu.seg(dd, data.length), ValueLayout.JAVA_BYTE, 0, data.length);
            long dbins = gpu.upload(new int[256]);
            gpu.launch(SchedulingTest.kernel(gpu, "strideloop.ptx", "hist"), grid, nt, n, dd, dbins);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result());
            assertTrue(e.getMessage().contains("block (0,0,0), thread (200,0,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("ld.global"), e.getMessage());
            assertEquals(12, gpu.device.strideHist.sum());
            assertEquals(12, gpu.device.histLoop.sum());
            assertArrayEquals(new int[256], gpu.ints(dbins, 256));
        }
    }
}
