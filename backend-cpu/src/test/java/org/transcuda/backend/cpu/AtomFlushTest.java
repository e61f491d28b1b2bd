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
 * {@link AtomFlush}: a block-stride loop adding a block's shared words to global words with atomics (histogram's last
 * loop) run as one pass (off with {@code -Dtranscuda.cpu.atomFlush=false}). Results against sums computed here: the
 * suite's histogram at several sizes (a grid-stride tail, blocks of 256, 128 and 80 threads, so one, two and a partial
 * third pass of the last loop; 1 and 2 workers), {@code flush} with bounds that are and are not multiples of the block
 * (many blocks adding to the same words on two workers: no lost update). The passes run are counted ({@code
 * atomFlush}: one per block; 0 with the switch off, so these tests fail then). Where it must not run: blocks whose
 * threads do not all enter the loop (512-thread histogram blocks, a bound below the block size), the atomic's old value
 * read after the loop ({@code flush_old}: its values from a Java model of the block order on one worker). A global
 * array too short for the bound faults at the same block, thread and instruction as the general loop, with the words
 * before it added. Kernels: {@code src/test/resources/kernels/atomflush.cu}, {@code strideloop.cu}'s {@code hist}.
 */
class AtomFlushTest {
    private static Gpu gpu(int workers) throws BackendException {
        Gpu g = new Gpu(workers);
        g.device.engine(CpuDevice.Engine.LOCKSTEP);
        return g;
    }

    private static BackendFunction kernel(Gpu gpu, String file, String name) throws Exception {
        return SchedulingTest.kernel(gpu, file, name);
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

    private static int[] ints(int n, long seed) {
        int[] v = new int[n];
        long x = seed;
        for (int i = 0; i < n; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            v[i] = (int) (x >>> 32);
        }
        return v;
    }

    private static long upload(Gpu gpu, byte[] data) throws BackendException {
        long a = gpu.alloc(Math.max(8, data.length));
        MemorySegment.copy(data, 0, gpu.seg(a, data.length), ValueLayout.JAVA_BYTE, 0, data.length);
        return a;
    }

    @Test
    void suiteHistogramMatchesWithEveryBlockFlushedInOnePass() throws Exception {
        // {n, grid, block size}; 512-thread blocks: threads 256 .. 511 skip the last loop, not every thread enters
        int[][] cases = {{200_003, 7, 256}, {7 * 256 * 5, 7, 256}, {200_003, 7, 80}, {300, 4, 96},
            {100_001, 5, 128}, {1 << 20, 16, 256}, {50_001, 6, 512}};
        for (int workers : new int[] {1, 2}) {
            for (int[] c : cases) {
                int n = c[0], grid = c[1], nt = c[2];
                byte[] data = bytes(n, 91 + n);
                int[] want = new int[256];
                for (byte b : data) want[b & 0xff]++;
                try (Gpu gpu = gpu(workers)) {
                    long dd = upload(gpu, data);
                    long dbins = gpu.upload(new int[256]);
                    gpu.launch(kernel(gpu, "strideloop.ptx", "hist"), grid, nt, n, dd, dbins);
                    gpu.sync();
                    String what = workers + " workers, n " + n + ", grid " + grid + ", block of " + nt;
                    assertArrayEquals(want, gpu.ints(dbins, 256), what);
                    assertEquals(nt <= 256 ? grid : 0, gpu.device.atomFlush.sum(), what);
                }
            }
        }
    }

    @Test
    void blocksAddingToTheSameWordsConcurrently() throws Exception {
        // {nb, grid, block size}: bounds a multiple of the block, with a tail, below the block (not every thread
        // enters: not taken); the same words from every block, two workers
        int[][] cases = {{256, 400, 256}, {1000, 97, 128}, {300, 64, 96}, {1024, 33, 1024}, {777, 50, 64},
            {50, 20, 64}};
        for (int round = 0; round < 3; round++) {
            for (int[] c : cases) {
                int nb = c[0], grid = c[1], nt = c[2];
                int[] vals = ints(nb * grid, 5 + nb + round);
                if (round == 2) java.util.Arrays.fill(vals, 1);
                int[] want = new int[nb];
                for (int blk = 0; blk < grid; blk++) for (int b = 0; b < nb; b++) want[b] += vals[blk * nb + b];
                try (Gpu gpu = gpu(2)) {
                    long dv = gpu.upload(vals);
                    long dbins = gpu.upload(new int[nb]);
                    gpu.launch(kernel(gpu, "atomflush.ptx", "flush"), grid, nt, nb, dv, dbins);
                    gpu.sync();
                    String what = "round " + round + ", nb " + nb + ", grid " + grid + ", block of " + nt;
                    assertArrayEquals(want, gpu.ints(dbins, nb), what);
                    assertEquals(nb >= nt ? grid : 0, gpu.device.atomFlush.sum(), what);
                }
            }
        }
    }

    @Test
    void theOldValueReadAfterTheLoopIsNotTheShape() throws Exception {
        int nb = 300, grid = 5, nt = 128;
        int[] vals = ints(nb * grid, 17);
        int[] bins = new int[nb];
        int[] olds = new int[grid * nt];
        // one worker: blocks in order; thread t's last iteration is its old value
        for (int blk = 0; blk < grid; blk++) {
            for (int b = 0; b < nb; b++) {
                int old = bins[b];
                bins[b] += vals[blk * nb + b];
                olds[blk * nt + b % nt] = old;
            }
        }
        try (Gpu gpu = gpu(1)) {
            long dv = gpu.upload(vals);
            long dbins = gpu.upload(new int[nb]);
            long dolds = gpu.alloc(4L * grid * nt);
            gpu.launch(kernel(gpu, "atomflush_hand.ptx", "flush_old_hand"), grid, nt, nb, dv, dbins, dolds);
            gpu.sync();
            assertArrayEquals(bins, gpu.ints(dbins, nb));
            assertArrayEquals(olds, gpu.ints(dolds, grid * nt));
            assertEquals(0, gpu.device.atomFlush.sum());
        }
    }

    @Test
    void eachThreadLeavesTheLoopWithItsIndex() throws Exception {
        // {nb, grid, block size}: one, two and a partial third pass per thread; two workers
        int[][] cases = {{256, 9, 256}, {256, 9, 128}, {300, 9, 128}, {1000, 5, 96}};
        for (int[] c : cases) {
            int nb = c[0], grid = c[1], nt = c[2];
            int[] vals = ints(nb * grid, 41 + nb);
            int[] want = new int[nb];
            for (int blk = 0; blk < grid; blk++) for (int b = 0; b < nb; b++) want[b] += vals[blk * nb + b];
            int[] idx = new int[grid * nt];
            for (int blk = 0; blk < grid; blk++) {
                for (int t = 0; t < nt; t++) {
                    int j = t;
                    while (j + nt < nb) j += nt;
                    idx[blk * nt + t] = j + nt;
                }
            }
            try (Gpu gpu = gpu(2)) {
                long dv = gpu.upload(vals);
                long dbins = gpu.upload(new int[nb]);
                long didx = gpu.alloc(4L * grid * nt);
                gpu.launch(kernel(gpu, "atomflush_hand.ptx", "flush_idx_hand"), grid, nt, nb, dv, dbins, didx);
                gpu.sync();
                String what = "nb " + nb + ", block of " + nt;
                assertArrayEquals(want, gpu.ints(dbins, nb), what);
                assertArrayEquals(idx, gpu.ints(didx, grid * nt), what);
                assertEquals(grid, gpu.device.atomFlush.sum(), what);
            }
        }
    }

    @Test
    void aShortGlobalArrayFaultsAtItsThread() throws Exception {
        // bins has 100 words, the bound 256: block 0's thread 100 is the first access past the allocation
        int nb = 256, grid = 3, nt = 256;
        int[] vals = ints(nb * grid, 23);
        try (Gpu gpu = gpu(1)) {
            long dv = gpu.upload(vals);
            long dbins = gpu.upload(new int[100]);
            gpu.launch(kernel(gpu, "atomflush.ptx", "flush"), grid, nt, nb, dv, dbins);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result());
            assertTrue(e.getMessage().contains("block (0,0,0), thread (100,0,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("atom.global"), e.getMessage());
            assertEquals(0, gpu.device.atomFlush.sum());
            int[] want = new int[100];
            System.arraycopy(vals, 0, want, 0, 100);
            assertArrayEquals(want, gpu.ints(dbins, 100));
        }
    }
}
