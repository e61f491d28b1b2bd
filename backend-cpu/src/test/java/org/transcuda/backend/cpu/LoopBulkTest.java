package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;
import org.transcuda.cuda.CUresult;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;

/**
 * The lockstep engine's bulk copies of global loads checked once per lane loop ({@link LoopBulk}, off with {@code
 * -Dtranscuda.cpu.loopBulk=false}): grid-stride loops whose thread {@code t} reads element {@code i0 + t} are read
 * with one copy per lane loop while every thread of the block is active. Results against Java references (byte
 * histograms with whole and partial blocks and a grid-stride tail, signed bytes and unsigned shorts in one loop,
 * 32-bit sums), the number of copies counted from the loops' trip counts (0 with the switch off, so these tests fail
 * then), a loop whose threads read their elements in reverse order (no copy), and a load past the end of the data in
 * the last iteration of one block (its loop check fails: no copy, the fault names the first bad thread and the
 * load). Kernels: {@code src/test/resources/kernels/loopbulk.cu} and {@code loopchecks.cu}'s {@code hist_stride}.
 */
class LoopBulkTest {
    private static Gpu gpu(int workers) throws BackendException {
        Gpu g = new Gpu(workers);
        g.device.engine(CpuDevice.Engine.LOCKSTEP);
        return g;
    }

    private static BackendFunction kernel(Gpu gpu, String file, String name) throws Exception {
        return SchedulingTest.kernel(gpu, file, name);
    }

    private static long copies(Gpu gpu) {
        return gpu.device.laneBulk.sum();
    }

    /**
     * Lane loops of a grid-stride loop {@code for (i = blk*nt + t; i < n; i += grid*nt)} in which every thread of the
     * block is active: iterations {@code k} with {@code blk*nt + k*grid*nt + nt <= n}.
     */
    private static long fullLoops(int n, int grid, int nt) {
        long loops = 0;
        long stride = (long) grid * nt;
        for (int blk = 0; blk < grid; blk++) {
            long first = (long) blk * nt;
            if (first + nt <= n) loops += (n - first - nt) / stride + 1;
        }
        return loops;
    }

    /** All lane loops of the same grid-stride loop (those with at least one active thread). */
    private static long strideLoops(int n, int grid, int nt) {
        long loops = 0;
        long stride = (long) grid * nt;
        for (int blk = 0; blk < grid; blk++) {
            long first = (long) blk * nt;
            if (first < n) loops += (n - first + stride - 1) / stride;
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

    private static long upload(Gpu gpu, short[] data) throws BackendException {
        long a = gpu.alloc(Math.max(8, 2L * data.length));
        MemorySegment.copy(data, 0, gpu.seg(a, 2L * data.length), ValueLayout.JAVA_SHORT, 0, data.length);
        return a;
    }

    @Test
    void histogramCopiesEachFullLoopOnce() throws Exception {
        // {n, grid, block size}: a tail in the middle of a block, a whole number of iterations, a block size that is
        // not a multiple of the warp, blocks with no full loop at all
        int[][] cases = {{200_003, 7, 256}, {7 * 256 * 5, 7, 256}, {200_003, 7, 80}, {300, 4, 96}};
        for (int[] c : cases) {
            int n = c[0], grid = c[1], nt = c[2];
            try (Gpu gpu = gpu(2)) {
                byte[] data = bytes(n, 12345 + n);
                int[] want = new int[256];
                for (byte b : data) want[b & 0xff]++;
                long dd = upload(gpu, data);
                long dbins = gpu.upload(new int[256]);
                gpu.launch(kernel(gpu, "loopchecks.ptx", "hist_stride"), grid, nt, n, dd, dbins);
                gpu.sync();
                String what = "n " + n + ", grid " + grid + ", block of " + nt;
                assertArrayEquals(want, gpu.ints(dbins, 256), what);
                // the iterations that StrideHist runs read their bytes without a copy
                assertEquals(fullLoops(n, grid, nt) - gpu.device.strideHist.sum(), copies(gpu), what);
                assertEquals(strideLoops(n, grid, nt), gpu.device.loopChecked.sum(), what);
            }
        }
    }

    @Test
    void signedBytesAndShortsInOneLoop() throws Exception {
        for (int nt : new int[] {128, 80}) {
            int n = 50_037, grid = 5;
            try (Gpu gpu = gpu(2)) {
                byte[] a = bytes(n, 777);
                short[] b = new short[n];
                for (int i = 0; i < n; i++) b[i] = (short) (i * 40503 + (a[i] << 3));
                int[] want = new int[512];
                for (int i = 0; i < n; i++) {
                    want[a[i] + 128]++;
                    want[256 + ((b[i] & 0xffff) >> 7 & 255)]++;
                }
                long da = upload(gpu, a), db = upload(gpu, b);
                long dbins = gpu.upload(new int[512]);
                gpu.launch(kernel(gpu, "loopbulk.ptx", "hist_s8_u16"), grid, nt, n, da, db, dbins);
                gpu.sync();
                assertArrayEquals(want, gpu.ints(dbins, 512), "block of " + nt);
                // a[i] and b[i]: one copy each per full loop
                assertEquals(2 * fullLoops(n, grid, nt), copies(gpu), "block of " + nt);
            }
        }
    }

    @Test
    void reverseThreadOrderIsReadThreadByThread() throws Exception {
        int n = 40_000, grid = 6, nt = 128;
        try (Gpu gpu = gpu(2)) {
            byte[] data = bytes(n, 99);
            int[] want = new int[256];
            for (byte b : data) want[b & 0xff]++;
            long dd = upload(gpu, data);
            long dbins = gpu.upload(new int[256]);
            gpu.launch(kernel(gpu, "loopbulk.ptx", "hist_reverse"), grid, nt, n, dd, dbins);
            gpu.sync();
            assertArrayEquals(want, gpu.ints(dbins, 256));
            // consecutive addresses, but thread t reads i0 + nt - 1 - t: checked once per loop, never copied
            assertEquals(0, copies(gpu));
            assertTrue(gpu.device.loopChecked.sum() > 0);
        }
    }

    @Test
    void wordSumsPerThreadSlot() throws Exception {
        for (int[] c : new int[][] {{10_001, 3, 96}, {3 * 256 * 8, 3, 256}}) {
            int n = c[0], grid = c[1], nt = c[2];
            try (Gpu gpu = gpu(2)) {
                int[] in = new int[n];
                for (int i = 0; i < n; i++) in[i] = i * 0x9E3779B1 + 17;
                long din = gpu.upload(in);
                long dout = gpu.alloc(4L * grid * nt);
                gpu.launch(kernel(gpu, "loopbulk.ptx", "slot_sums"), grid, nt, n, din, dout);
                gpu.sync();
                int[] want = new int[grid * nt];
                for (int i = 0; i < n; i++) want[i % (grid * nt)] += in[i];
                String what = "n " + n + ", block of " + nt;
                assertArrayEquals(want, gpu.ints(dout, grid * nt), what);
                assertEquals(fullLoops(n, grid, nt), copies(gpu), what);
            }
        }
    }

    @Test
    void loadPastTheEndFaultsAtItsThread() throws Exception {
        try (Gpu gpu = gpu(1)) {
            // every loop full; the data ends 3 bytes early: i = 5117 = 9 * 512 + 3 * 128 + 125 is block 3, thread
            // 125, in its loop's tenth iteration
            int n = 5120, grid = 4, nt = 128;
            long dd = upload(gpu, bytes(n - 3, 5));
            long dbins = gpu.upload(new int[256]);
            gpu.launch(kernel(gpu, "loopchecks.ptx", "hist_stride"), grid, nt, n, dd, dbins);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result());
            assertTrue(e.getMessage().contains("block (3,0,0), thread (125,0,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("ld.global"), e.getMessage());
            // every loop copied except block 3's last, whose check failed (and those StrideHist ran, without a copy)
            assertEquals(4 * 10 - 1 - gpu.device.strideHist.sum(), copies(gpu));
        }
    }
}
