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
 * {@link RangeWarps}: {@link WarpShuffle#wholeWarps} answered from a one-range active list's two ends. Results against
 * Java references: suite.ptx's {@code scan_block} (warp 0's region, threads 0–31 of 256: one question per block,
 * counted in {@link CpuDevice#rangeWarps}) at n not a multiple of 256, a variant whose warp-0 fill value is 7 instead
 * of 0, a bad input pointer (the fault keeps its block, thread and instruction); rangesplit.ptx's {@code above} (a
 * shuffle down in the region {@code t >= k}) with regions of whole warps (k = 32, 64: answered yes) and a region that
 * is one range of a multiple of 32 threads starting inside a warp (240 threads, k = 16: answered no, the shuffle's
 * general path); and {@link WarpShuffle#wholeWarps} itself on lists against an entry-by-entry Java reference.
 */
class RangeWarpsTest {
    private static Gpu gpu(int workers) throws BackendException {
        Gpu g = new Gpu(workers);
        g.device.engine(CpuDevice.Engine.LOCKSTEP);
        return g;
    }

    /** scan_block's warp-0 region reaches the whole-warp test: the split, the scan chain, dense segments. */
    private static boolean scanOn() {
        return RangeWarps.ENABLED && RangeSplit.ENABLED && SharedAffine.ENABLED && WarpScan.ENABLED
                && KernelCompiler.DENSE;
    }

    private static int[] random(int n, long seed) {
        Random r = new Random(seed);
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = r.nextInt();
        return a;
    }

    @ParameterizedTest
    @CsvSource({"2304,1", "1613,2", "256,1", "300,2"})
    void scanBlock(int n, int workers) throws Exception {
        int grid = (n + 255) / 256;
        try (Gpu gpu = gpu(workers)) {
            SuiteScanBlock.runAndCheck(gpu, random(n, 11L * n));
            assertEquals(scanOn() ? grid : 0, gpu.device.rangeWarps.sum(), "whole-warp tests from a range, n = " + n);
        }
    }

    private static String suite() throws Exception {
        Path ptx = Path.of(System.getProperty("user.dir")).resolve("../bench/kernels/suite.ptx");
        return Files.readString(ptx, StandardCharsets.UTF_8);
    }

    /**
     * scan_block with warp 0's lanes 8..31 starting from 7 instead of 0 ({@code mov.u32 %r60, 7}): those lanes'
     * values change, the 8 stored ones do not (a lane below 8 reads lanes below it only); Java reference.
     */
    @Test
    void scanBlockFillSeven() throws Exception {
        String text = suite();
        String variant = text.replace("mov.u32 \t%r60, %r42;", "mov.u32 \t%r60, 7;");
        assertTrue(!variant.equals(text), "the variant's fill");
        var module = PtxTranslator.translate("suite7.ptx", variant);
        int n = 1000, grid = 4;
        int[] in = random(n, 77);
        try (Gpu gpu = gpu(1)) {
            BackendFunction f = gpu.ctx.loadModule(module).function("scan_block");
            long din = gpu.upload(in);
            long dout = gpu.upload(new int[n]);
            long dsums = gpu.upload(new int[grid]);
            gpu.launch(f, grid, 256, n, din, dout, dsums);
            gpu.sync();
            // the kernel's steps literally: per-warp inclusive sums, warp 0's scan of the 8 totals with fill 7
            int[] out = new int[n];
            int[] sums = new int[grid];
            for (int b = 0; b < grid; b++) {
                int[] v = new int[256];
                for (int t = 0; t < 256; t++) v[t] = b * 256 + t < n ? in[b * 256 + t] : 0;
                for (int d = 1; d < 32; d <<= 1) {
                    int[] o = v.clone();
                    for (int t = 0; t < 256; t++) if ((t & 31) >= d) v[t] += o[t - d];
                }
                int[] w = new int[32];
                for (int l = 0; l < 32; l++) w[l] = l < 8 ? v[l * 32 + 31] : 7;
                for (int d = 1; d < 8; d <<= 1) {
                    int[] o = w.clone();
                    for (int l = d; l < 32; l++) w[l] += o[l - d];
                }
                for (int t = 0; t < 256; t++) {
                    int r = v[t] + (t >= 32 ? w[(t >> 5) - 1] : 0);
                    if (b * 256 + t < n) out[b * 256 + t] = r;
                    if (t == 255) sums[b] = r;
                }
            }
            assertArrayEquals(out, gpu.ints(dout, n));
            assertArrayEquals(sums, gpu.ints(dsums, grid));
            assertEquals(scanOn() ? grid : 0, gpu.device.rangeWarps.sum(), "whole-warp tests from a range");
        }
    }

    /** A bad {@code in}: the fault is the first thread's {@code ld.global} of block 0, as without the change. */
    @Test
    void badPointer() throws Exception {
        var module = PtxTranslator.translate("suite.ptx", suite());
        try (Gpu gpu = gpu(1)) {
            BackendFunction f = gpu.ctx.loadModule(module).function("scan_block");
            long dout = gpu.upload(new int[512]);
            long dsums = gpu.upload(new int[2]);
            gpu.launch(f, 2, 256, 512, 1L << 40, dout, dsums);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result(), e.getMessage());
            assertTrue(e.getMessage().contains("block (0,0,0), thread (0,0,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("ld.global"), e.getMessage());
        }
    }

    /**
     * {@code above}: {@code if (t >= k)} a shuffle down among the region's lanes; regions of whole warps (k = 32, 64)
     * and one range of 224 threads from thread 16 of 240 (not whole warps: the general path), against Java.
     */
    @Test
    void regionFromK() throws Exception {
        int[][] cases = {{256, 32}, {256, 64}, {240, 16}, {256, 20}};
        for (int[] c : cases) {
            int nt = c[0], k = c[1], grid = 2;
            int[] in = random(grid * nt, nt * 7L + k);
            try (Gpu gpu = gpu(1)) {
                BackendFunction f = SchedulingTest.kernel(gpu, "rangesplit.ptx", "above");
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
                        want[b * nt + t] = t >= k ? w[t] + ((t & 31) != 31 && t + 1 < nt ? w[t + 1] : 0) : -v[t];
                    }
                }
                String what = nt + " threads, k = " + k;
                assertArrayEquals(want, gpu.ints(dout, grid * nt), what);
                boolean asked = (nt - k) % 32 == 0;  // a count not a multiple of 32 is answered before the list
                if (RangeWarps.ENABLED && RangeSplit.ENABLED && SharedAffine.ENABLED && asked) {
                    assertTrue(gpu.device.rangeWarps.sum() >= grid, what);
                } else {
                    assertEquals(0, gpu.device.rangeWarps.sum(), what);
                }
            }
        }
    }

    /** The entry-by-entry definition: every run of 32 starts at a multiple of 32 and counts up by one. */
    private static boolean reference(int[] idx, int count) {
        if (count % 32 != 0) return false;
        for (int i = 0; i < count; i += 32) {
            if (idx[i] % 32 != 0) return false;
            for (int l = 1; l < 32; l++) if (idx[i + l] != idx[i] + l) return false;
        }
        return true;
    }

    /**
     * {@link RangeWarps#answer} on strictly increasing lists (ranges aligned or not, lists with gaps) against the
     * entry-by-entry definition, and {@link WarpShuffle#wholeWarps(int[], int)} (the general test) too.
     */
    @Test
    void answerOnLists() {
        Random r = new Random(5);
        int ranges = 0;
        for (int iter = 0; iter < 4000; iter++) {
            int n = 256;
            boolean[] in = new boolean[n];
            if (iter % 2 == 0) {
                int lo = r.nextInt(n), len = r.nextInt(n - lo + 1);
                if (iter % 4 == 0) {
                    lo &= ~31;
                    len = Math.min(len & ~31, n - lo);
                } else {
                    len = Math.min(len & ~31, n - lo) & ~31;
                }
                for (int t = lo; t < lo + len; t++) in[t] = true;
            } else {
                int w = r.nextInt(8);
                for (int t = 0; t < n; t++) in[t] = (t >> 5) % (w + 1) == 0 || r.nextInt(50) == 0;
            }
            int[] idx = new int[n];
            int count = 0;
            for (int t = 0; t < n; t++) if (in[t]) idx[count++] = t;
            if (count == 0 || count % 32 != 0) continue;
            boolean want = reference(idx, count);
            boolean range = idx[count - 1] - idx[0] == count - 1;
            String what = "count " + count + " from " + idx[0];
            assertEquals(range ? (want ? 1 : 0) : -1, RangeWarps.answer(idx, count), what);
            assertEquals(want, WarpShuffle.wholeWarps(idx, count), what);
            if (range) ranges++;
        }
        assertTrue(ranges > 200, "ranges tested: " + ranges);
        assertEquals(-1, RangeWarps.answer(new int[] {0}, 0));
    }
}
