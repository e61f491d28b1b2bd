package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.transcuda.ptx.PtxTranslator;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;

/**
 * {@link ScanWindow}: windowed warp scan chains as sliding sums. Expected values from a Java reference that adds, for
 * each lane, the inputs of the lanes {@code (lane - window, lane]} of its warp one by one (neither the literal
 * Hillis–Steele steps nor a running sum), with inputs over the full int range (the sums wrap): warpscan.ptx's
 * {@code scan3} (window 8) in blocks of 256, 96, 33 (a partial last warp), 8 and 1 thread, the three-step chain of
 * suite.ptx's {@code scan_block} (warp 0 over the 8 warp totals); {@link CpuDevice#scanWindows} counts the warps
 * summed this way (none for the five-step {@code scan5}, whose window is the whole warp).
 */
class ScanWindowTest {
    /** scan_block's warp-0 region itself (its lane loops, checks, chain): without {@link Warp0Chain}, which skips it. */
    @org.junit.jupiter.api.BeforeEach
    void withoutWarp0Chain() {
        Warp0Chain.offForTests = true;
    }

    @org.junit.jupiter.api.AfterEach
    void restoreWarp0Chain() {
        Warp0Chain.offForTests = false;
    }

    private static Gpu gpu() throws BackendException {
        Gpu g = new Gpu(2);
        g.device.engine(CpuDevice.Engine.LOCKSTEP);
        return g;
    }

    /** Per thread of a one-dimensional block of {@code nt}: the inputs of its warp's lanes (lane - window, lane]. */
    static int[] windowed(int[] in, int nt, int window) {
        int[] out = new int[in.length];
        for (int i = 0; i < in.length; i++) {
            int t = i % nt;
            int lane = t & 31;
            int sum = 0;
            for (int l = Math.max(0, lane - window + 1); l <= lane; l++) sum += in[i - lane + l];
            out[i] = sum;
        }
        return out;
    }

    @ParameterizedTest
    @CsvSource({"scan3,8,256", "scan3,8,96", "scan3,8,33", "scan3,8,8", "scan3,8,1", "scan5,32,256", "scan5,32,33"})
    void windowedChains(String kernel, int window, int nt) throws Exception {
        int grid = 3;
        int n = grid * nt;
        Random r = new Random(nt * 7L + window);
        int[] in = new int[n];
        for (int i = 0; i < n; i++) in[i] = r.nextInt();
        try (Gpu gpu = gpu()) {
            BackendFunction f = SchedulingTest.kernel(gpu, "warpscan.ptx", kernel);
            long din = gpu.upload(in);
            long dout = gpu.alloc(n * 4L);
            gpu.launch(f, grid, nt, n, din, dout);
            gpu.sync();
            assertArrayEquals(windowed(in, nt, window), gpu.ints(dout, n), kernel + " block " + nt);
            long warps = (long) grid * ((nt + 31) / 32);
            assertEquals(WarpScan.ENABLED ? warps : 0, gpu.device.warpScans.sum(), "warps summed");
            boolean slide = WarpScan.ENABLED && ScanWindow.ENABLED && window < 32;
            assertEquals(slide ? warps : 0, gpu.device.scanWindows.sum(), "warps summed by a sliding sum");
        }
    }

    @ParameterizedTest
    @CsvSource({"2304", "1357"})
    void scanBlocksWarpZeroChain(int n) throws Exception {
        Path ptx = Path.of(System.getProperty("user.dir")).resolve("../bench/kernels/suite.ptx");
        var suite = PtxTranslator.translate("suite.ptx", Files.readString(ptx, StandardCharsets.UTF_8));
        int grid = (n + 255) / 256;
        int[] in = new int[n];
        Random r = new Random(n);
        for (int i = 0; i < n; i++) in[i] = r.nextInt();
        try (Gpu gpu = gpu()) {
            BackendFunction f = gpu.ctx.loadModule(suite).function("scan_block");
            long din = gpu.upload(in);
            long dout = gpu.upload(new int[n]);
            long dsums = gpu.upload(new int[grid]);
            gpu.launch(f, grid, 256, n, din, dout, dsums);
            gpu.sync();
            int[] out = new int[n];
            int[] sums = new int[grid];
            for (int b = 0; b < grid; b++) {
                // per warp the full-warp scan, then the windowed (8) scan of the 8 warp totals added to later warps
                int[] v = new int[256];
                for (int t = 0; t < 256; t++) v[t] = b * 256 + t < n ? in[b * 256 + t] : 0;
                int[] lanes = windowed(v, 256, 32);
                int[] totals = new int[32];
                for (int w = 0; w < 8; w++) totals[w] = lanes[32 * w + 31];
                int[] scanned = windowed(totals, 32, 8);
                for (int t = 0; t < 256; t++) {
                    int x = lanes[t] + (t >= 32 ? scanned[(t >> 5) - 1] : 0);
                    if (b * 256 + t < n) out[b * 256 + t] = x;
                    if (t == 255) sums[b] = x;
                }
            }
            assertArrayEquals(out, gpu.ints(dout, n), "n = " + n);
            assertArrayEquals(sums, gpu.ints(dsums, grid), "n = " + n);
            boolean slide = WarpScan.ENABLED && ScanWindow.ENABLED;
            assertEquals(slide ? grid : 0, gpu.device.scanWindows.sum(), "warp 0's chain, once per block");
        }
    }
}
