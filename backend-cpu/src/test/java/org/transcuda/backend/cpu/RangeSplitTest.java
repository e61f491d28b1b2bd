package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.transcuda.cuda.CUresult;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;

/**
 * {@link RangeSplit}: divergent branches whose predicate selects a range of {@code tid.x}, split without a loop over
 * the threads. Results against Java references for regions of whole warps (scan's {@code warp == 0} block scan, a
 * {@code tid.x >> 5} predicate) and of ranges that are not whole warps (a shuffle among the active lanes of a
 * partial warp), empty and full ranges, a range that starts inside the block (the active list from {@code k}),
 * a branch whose threads are two ranges (the loop decides), the splits counted ({@link CpuDevice#rangeSplits});
 * a fault inside a region at its thread. Kernels: {@code src/test/resources/kernels/rangesplit.cu}.
 */
class RangeSplitTest {
    private static Gpu gpu() throws BackendException {
        Gpu g = new Gpu(2);
        g.device.engine(CpuDevice.Engine.LOCKSTEP);
        return g;
    }

    private static int[] random(int n, long seed) {
        Random r = new Random(seed);
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = r.nextInt(1 << 20) - (1 << 19);
        return a;
    }

    private static long splits(long perBlock, int grid) {
        return RangeSplit.ENABLED ? perBlock * grid : 0;
    }

    /** Scan's block scan of the warps' first values: the {@code warp == 0} region, whole warps. */
    @Test
    void warpZeroRegion() throws Exception {
        for (int nt : new int[] {256, 100, 64, 33, 32, 16}) {
            int grid = 3;
            int nw = (nt + 31) / 32;
            int[] in = random(grid * nt, nt);
            try (Gpu gpu = gpu()) {
                BackendFunction f = SchedulingTest.kernel(gpu, "rangesplit.ptx", "warp0");
                long din = gpu.upload(in);
                long dout = gpu.alloc(grid * nt * 4L);
                gpu.launch(f, grid, nt, din, dout, nw);
                gpu.sync();
                int[] want = new int[grid * nt];
                for (int b = 0; b < grid; b++) {
                    int[] s = new int[nw];
                    int acc = 0;
                    for (int w = 0; w < nw; w++) s[w] = acc += in[b * nt + w * 32];
                    for (int t = 0; t < nt; t++) want[b * nt + t] = in[b * nt + t] + (t >= 32 ? s[t / 32 - 1] : 0);
                }
                assertArrayEquals(want, gpu.ints(dout, grid * nt), nt + " threads");
                // one split per block where warp 0 is not the whole block
                assertEquals(splits(nt > 32 ? 1 : 0, grid), gpu.device.rangeSplits.sum(), nt + " threads");
            }
        }
    }

    /**
     * {@code if (t < k)} with a shuffle among the region's active lanes ({@code __activemask()}): k a whole number
     * of warps or not, 0 (empty: no split) and the whole block (no split).
     */
    @Test
    void threadsBelowK() throws Exception {
        for (int nt : new int[] {256, 100}) {
            for (int k : new int[] {0, 1, 20, 31, 32, 33, 64, 99, nt - 1, nt}) {
                if (k > nt) continue;
                int grid = 2;
                int[] in = random(grid * nt, nt * 1000L + k);
                try (Gpu gpu = gpu()) {
                    BackendFunction f = SchedulingTest.kernel(gpu, "rangesplit.ptx", "below");
                    long din = gpu.upload(in);
                    long dout = gpu.alloc(grid * nt * 4L);
                    gpu.launch(f, grid, nt, din, dout, k);
                    gpu.sync();
                    int[] want = new int[grid * nt];
                    for (int b = 0; b < grid; b++) {
                        int[] v = java.util.Arrays.copyOfRange(in, b * nt, b * nt + nt);
                        int[] w = new int[nt];
                        for (int t = 0; t < k; t++) {
                            w[t] = v[t] * 3 + v[k - 1 - t];
                            if ((t & 3) == 0) w[t] += v[t + 1 < nt ? t + 1 : 0];
                        }
                        for (int t = 0; t < nt; t++) {
                            want[b * nt + t] = t < k ? w[t] + ((t & 31) >= 1 ? w[t - 1] : 0) : -v[t];
                        }
                    }
                    assertArrayEquals(want, gpu.ints(dout, grid * nt), nt + " threads, k = " + k);
                    assertEquals(splits(k > 0 && k < nt ? 1 : 0, grid), gpu.device.rangeSplits.sum(),
                            nt + " threads, k = " + k);
                }
            }
        }
    }

    /**
     * {@code if (t >= k) {region} else {-v}} with a shuffle down among the region's active lanes: nvcc's layout (the
     * branch on {@code t < k} to the else side, the region the rest of the threads) and the hand-edited one
     * ({@code rangesplit_hand.ptx}: the branch on {@code t >= k} to the region laid out first, a range from k that
     * runs as the lower segment, its active list {@code k, k + 1, ...}).
     */
    @Test
    void regionFromKBothLayouts() throws Exception {
        for (String[] kernel : new String[][] {{"rangesplit.ptx", "above"}, {"rangesplit_hand.ptx", "above_hand"}}) {
            for (int nt : new int[] {256, 100}) {
                for (int k : new int[] {0, 1, 20, 32, 45, 64, 99, nt - 1, nt}) {
                    int grid = 2;
                    int[] in = random(grid * nt, nt * 7L + k);
                    try (Gpu gpu = gpu()) {
                        BackendFunction f = SchedulingTest.kernel(gpu, kernel[0], kernel[1]);
                        long din = gpu.upload(in);
                        long dout = gpu.alloc(grid * nt * 4L);
                        gpu.launch(f, grid, nt, din, dout, k);
                        gpu.sync();
                        int[] want = new int[grid * nt];
                        for (int b = 0; b < grid; b++) {
                            int[] v = java.util.Arrays.copyOfRange(in, b * nt, b * nt + nt);
                            int[] w = new int[nt];
                            for (int t = k; t < nt; t++) w[t] = v[t] * 3 + v[t - k];
                            for (int t = 0; t < nt; t++) {
                                want[b * nt + t] = t >= k
                                        ? w[t] + ((t & 31) != 31 && t + 1 < nt ? w[t + 1] : 0) : -v[t];
                            }
                        }
                        String what = kernel[1] + ", " + nt + " threads, k = " + k;
                        assertArrayEquals(want, gpu.ints(dout, grid * nt), what);
                        assertEquals(splits(k > 0 && k < nt ? 1 : 0, grid), gpu.device.rangeSplits.sum(), what);
                    }
                }
            }
        }
    }

    /** {@code if (t >= k)}: the region's threads start at k (the active list from k on), stores through an index. */
    @Test
    void threadsFromK() throws Exception {
        int nt = 256, grid = 2;
        for (int k : new int[] {0, 1, 5, 32, 77, 255, 256}) {
            int[] in = random(grid * nt, k);
            int[] idx = new int[grid * nt];
            for (int i = 0; i < idx.length; i++) idx[i] = idx.length - 1 - i;
            try (Gpu gpu = gpu()) {
                BackendFunction f = SchedulingTest.kernel(gpu, "rangesplit.ptx", "from");
                long din = gpu.upload(in);
                long didx = gpu.upload(idx);
                int[] before = new int[grid * nt];
                java.util.Arrays.fill(before, 0x5a5a5a5a);
                long dout = gpu.upload(before);
                gpu.launch(f, grid, nt, din, didx, dout, k);
                gpu.sync();
                int[] want = before.clone();
                for (int b = 0; b < grid; b++) {
                    for (int t = k; t < nt; t++) want[idx[b * nt + t]] = in[b * nt + t] + in[b * nt + t - k];
                }
                assertArrayEquals(want, gpu.ints(dout, grid * nt), "k = " + k);
                assertEquals(splits(k > 0 && k < nt ? 1 : 0, grid), gpu.device.rangeSplits.sum(), "k = " + k);
            }
        }
    }

    /**
     * {@code if (t != k)}: the branch around the region is taken by thread k alone (one range; the rest, two pieces,
     * runs the region), by none when k is past the block.
     */
    @Test
    void oneThreadSkipped() throws Exception {
        oneThread("skip", (t, k) -> t != k, new int[] {0, 5, 64, 127, 128}, k -> k < 128);
    }

    /**
     * {@code if (t == k)}: the branch around the region is taken by every thread but k, two ranges unless k is the
     * first or the last thread: then the loop splits, and no split is counted.
     */
    @Test
    void oneThreadRuns() throws Exception {
        oneThread("only", (t, k) -> t == k, new int[] {0, 5, 64, 127, 128}, k -> k == 0 || k == 127);
    }

    private static void oneThread(String kernel, java.util.function.BiPredicate<Integer, Integer> region, int[] ks,
            java.util.function.IntPredicate split) throws Exception {
        int nt = 128, grid = 2;
        for (int k : ks) {
            int[] in = random(grid * nt, 77 + k);
            try (Gpu gpu = gpu()) {
                BackendFunction f = SchedulingTest.kernel(gpu, "rangesplit.ptx", kernel);
                long din = gpu.upload(in);
                long dout = gpu.alloc(grid * nt * 4L);
                gpu.launch(f, grid, nt, din, dout, k);
                gpu.sync();
                int[] want = new int[grid * nt];
                for (int b = 0; b < grid; b++) {
                    for (int t = 0; t < nt; t++) {
                        int v = in[b * nt + t];
                        if (region.test(t, k)) v = (v + in[b * nt + nt - 1 - t] * 5) ^ t;
                        want[b * nt + t] = v;
                    }
                }
                assertArrayEquals(want, gpu.ints(dout, grid * nt), kernel + ", k = " + k);
                assertEquals(splits(split.test(k) ? 1 : 0, grid), gpu.device.rangeSplits.sum(), kernel + ", k = " + k);
            }
        }
    }

    /**
     * A bad index inside the region {@code t >= 20}: the fault names thread 37 and {@code st.global}; thread 5
     * also has a bad index but is not in the region (a region that wrongly took it would fault there first).
     */
    @Test
    void aFaultInsideTheRegionNamesItsThread() throws Exception {
        int nt = 256;
        int[] idx = new int[nt];
        for (int i = 0; i < nt; i++) idx[i] = i;
        idx[5] = 1 << 24;
        idx[37] = 1 << 24;
        idx[200] = -1 << 20;
        try (Gpu gpu = gpu()) {
            BackendFunction f = SchedulingTest.kernel(gpu, "rangesplit.ptx", "from");
            long din = gpu.upload(new int[nt]);
            long didx = gpu.upload(idx);
            long dout = gpu.upload(new int[nt]);
            gpu.launch(f, 1, nt, din, didx, dout, 20);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result(), e.getMessage());
            assertTrue(e.getMessage().contains("block (0,0,0), thread (37,0,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("st.global"), e.getMessage());
        }
    }
}
