package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
 * {@link SkipFill}: a range split whose region ends in a rejoin leaves {@link Exec#lnb} unwritten when the range is
 * whole warps. Results against Java references: suite.ptx's {@code scan_block} (warp 0's region: one skipped fill per
 * block, {@link CpuDevice#fillsSkipped}); rangesplit.ptx's {@code from} ({@code if (t >= k)}, a region with a warp
 * collective, {@code activemask} and {@code bar.warp.sync}, that ends in a rejoin): skipped for k = 32, 64, 224, filled
 * for k = 1, 20, 77 (the range is not whole warps, the collective reads the inactive lanes' {@code lnb}); a fault
 * inside a skipped region names its thread.
 */
class SkipFillTest {
    private static Gpu gpu(int workers) throws BackendException {
        Gpu g = new Gpu(workers);
        g.device.engine(CpuDevice.Engine.LOCKSTEP);
        return g;
    }

    private static boolean on() {
        return SkipFill.ENABLED && RangeSplit.ENABLED && SharedAffine.ENABLED;
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
        Path ptx = Path.of(System.getProperty("user.dir")).resolve("../bench/kernels/suite.ptx");
        var suite = PtxTranslator.translate("suite.ptx", Files.readString(ptx, StandardCharsets.UTF_8));
        int grid = (n + 255) / 256;
        int[] in = random(n, n);
        try (Gpu gpu = gpu(workers)) {
            BackendFunction f = gpu.ctx.loadModule(suite).function("scan_block");
            long din = gpu.upload(in);
            long dout = gpu.upload(new int[n]);
            long dsums = gpu.upload(new int[grid]);
            gpu.launch(f, grid, 256, n, din, dout, dsums);
            gpu.sync();
            int[] out = new int[n];
            int[] sums = new int[grid];
            for (int b = 0; b < grid; b++) {
                int acc = 0;
                for (int t = 0; t < 256; t++) {
                    int i = b * 256 + t;
                    if (i < n) out[i] = acc += in[i];
                }
                sums[b] = acc;
            }
            assertArrayEquals(out, gpu.ints(dout, n), "n = " + n);
            assertArrayEquals(sums, gpu.ints(dsums, grid), "n = " + n);
            assertEquals(on() ? grid : 0, gpu.device.fillsSkipped.sum(), "warp 0's split, n = " + n);
        }
    }

    /** {@code if (t >= k)}: the region [k, n) runs a warp collective and rejoins. */
    @Test
    void regionFromK() throws Exception {
        int nt = 256, grid = 3;
        for (int k : new int[] {1, 20, 32, 64, 77, 224}) {
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
                long skipped = on() && k % 32 == 0 ? grid : 0;
                assertEquals(skipped, gpu.device.fillsSkipped.sum(), "k = " + k);
            }
        }
    }

    /** A bad index at thread 37 inside the region {@code t >= 32} (whole warps, fill skipped): the fault names it. */
    @Test
    void aFaultInsideTheRegionNamesItsThread() throws Exception {
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
            gpu.launch(f, 1, nt, din, didx, dout, 32);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result(), e.getMessage());
            assertTrue(e.getMessage().contains("block (0,0,0), thread (37,0,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("st.global"), e.getMessage());
        }
    }

    /** {@link SkipFill#wholeWarps}. */
    @Test
    void wholeWarps() {
        assertTrue(SkipFill.wholeWarps(0, 32, 256));
        assertTrue(SkipFill.wholeWarps(32, 256, 256));
        assertTrue(SkipFill.wholeWarps(64, 100, 100));
        assertFalse(SkipFill.wholeWarps(0, 20, 256));
        assertFalse(SkipFill.wholeWarps(20, 256, 256));
        assertFalse(SkipFill.wholeWarps(32, 100, 256));
    }
}
