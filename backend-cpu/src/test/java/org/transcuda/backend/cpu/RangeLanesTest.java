package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.transcuda.cuda.CUresult;
import org.transcuda.ptx.PtxTranslator;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;

/**
 * {@link RangeLanes}: the lane loops of a segment entered with an active set that is one range of threads run over
 * that range. Results against Java references: suite.ptx's {@code scan_block} (warp 0's region, threads 0–31 of
 * 256: its three lane loops per block counted, {@link CpuDevice#rangeLanes}); rangesplit.ptx's {@code from} (the region
 * {@code t >= k}, a range that starts inside the block), {@code skip} (the region run by every thread but k: two
 * pieces, the index-list loop) and {@code only}; a fault inside a region that starts at thread 20 names thread 37.
 */
class RangeLanesTest {
    /** scan_block's warp-0 region itself (its lane loops, checks, chain): without {@link Warp0Chain}, which skips it. */
    @org.junit.jupiter.api.BeforeEach
    void withoutWarp0Chain() {
        Warp0Chain.offForTests = true;
    }

    @org.junit.jupiter.api.AfterEach
    void restoreWarp0Chain() {
        Warp0Chain.offForTests = false;
    }

    private static Gpu gpu(int workers) throws BackendException {
        Gpu g = new Gpu(workers);
        g.device.engine(CpuDevice.Engine.LOCKSTEP);
        return g;
    }

    private static boolean on() {
        return RangeLanes.ENABLED && KernelCompiler.DENSE;
    }

    private static int[] random(int n, long seed) {
        Random r = new Random(seed);
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = r.nextInt();
        return a;
    }

    @ParameterizedTest
    @CsvSource({"2304,1", "1613,2", "256,1"})
    void scanBlock(int n, int workers) throws Exception {
        int grid = (n + 255) / 256;
        int[] in = random(n, n);
        try (Gpu gpu = gpu(workers)) {
            SuiteScanBlock.runAndCheck(gpu, in);
            // warp 0's region after RangeSplit (threads 0..31 active): its three lane loops per block, and with
            // WarpScan off (-Dtranscuda.cpu.warpScan=false) its three shfl.up steps as lane loops too
            long perBlock = WarpScan.ENABLED ? 3 : 6;
            long want = on() && RangeSplit.ENABLED && SharedAffine.ENABLED ? perBlock * grid : 0;
            assertEquals(want, gpu.device.rangeLanes.sum(), "lane loops with threads 0..31 active, n = " + n);
        }
    }

    /** {@code if (t >= k)}: the region's threads are the range [k, n), stores through an index. */
    @Test
    void regionFromK() throws Exception {
        int nt = 256, grid = 3;
        for (int k : new int[] {1, 20, 77, 200, 255}) {
            int[] in = random(grid * nt, k);
            int[] idx = new int[grid * nt];
            for (int i = 0; i < idx.length; i++) idx[i] = (i * 7 + 3) % idx.length;
            try (Gpu gpu = gpu(1)) {
                BackendFunction f = SchedulingTest.kernel(gpu, "rangesplit.ptx", "from");
                long din = gpu.upload(in);
                long didx = gpu.upload(idx);
                int[] before = new int[grid * nt];
                java.util.Arrays.fill(before, 0x3c3c3c3c);
                long dout = gpu.upload(before);
                gpu.launch(f, grid, nt, din, didx, dout, k);
                gpu.sync();
                int[] want = before.clone();
                for (int b = 0; b < grid; b++) {
                    for (int t = k; t < nt; t++) want[idx[b * nt + t]] = in[b * nt + t] + in[b * nt + t - k];
                }
                assertArrayEquals(want, gpu.ints(dout, grid * nt), "k = " + k);
                if (on() && RangeSplit.ENABLED && SharedAffine.ENABLED) {
                    assertTrue(gpu.device.rangeLanes.sum() >= grid, "the region [k, n) ran as a range, k = " + k);
                } else {
                    assertEquals(0, gpu.device.rangeLanes.sum(), "k = " + k);
                }
            }
        }
    }

    /**
     * {@code if (t != k)} and {@code if (t == k)}: the threads in the region are two pieces (the index-list loop) or
     * one thread (a range of one).
     */
    @Test
    void twoPiecesAndOneThread() throws Exception {
        int nt = 128, grid = 2;
        for (String kernel : new String[] {"skip", "only"}) {
            for (int k : new int[] {0, 5, 64, 127}) {
                int[] in = random(grid * nt, 31 + k);
                try (Gpu gpu = gpu(1)) {
                    BackendFunction f = SchedulingTest.kernel(gpu, "rangesplit.ptx", kernel);
                    long din = gpu.upload(in);
                    long dout = gpu.alloc(grid * nt * 4L);
                    gpu.launch(f, grid, nt, din, dout, k);
                    gpu.sync();
                    int[] want = new int[grid * nt];
                    for (int b = 0; b < grid; b++) {
                        for (int t = 0; t < nt; t++) {
                            int v = in[b * nt + t];
                            boolean region = kernel.equals("skip") ? t != k : t == k;
                            if (region) v = (v + in[b * nt + nt - 1 - t] * 5) ^ t;
                            want[b * nt + t] = v;
                        }
                    }
                    assertArrayEquals(want, gpu.ints(dout, grid * nt), kernel + ", k = " + k);
                }
            }
        }
    }

    /**
     * A bad index inside the region {@code t >= 20} (a range from thread 20): the fault names thread 37 and
     * {@code st.global}; thread 5 has a bad index too but is not in the region, thread 200 is after 37.
     */
    @Test
    void aFaultInsideTheRangeNamesItsThread() throws Exception {
        int nt = 256;
        int[] idx = new int[nt];
        for (int i = 0; i < nt; i++) idx[i] = i;
        idx[5] = 1 << 24;
        idx[37] = 1 << 24;
        idx[200] = -1 << 20;
        try (Gpu gpu = gpu(1)) {
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

    /** {@link RangeLanes#lo}: a range, a range of one, an empty list, lists with a gap. */
    @Test
    void lo() {
        Exec e = null;
        assertEquals(-1, RangeLanes.lo(e, new int[] {3, 4, 6}, 3));
        assertEquals(-1, RangeLanes.lo(e, new int[] {0}, 0));
        assertEquals(-1, RangeLanes.lo(e, new int[] {0, 2, 3, 4}, 4));
    }
}
