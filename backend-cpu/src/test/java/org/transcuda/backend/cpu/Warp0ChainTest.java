package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
 * {@link Warp0Chain}: warp 0's load–scan–store region of suite.ptx's {@code scan_block} run as one call. Results against
 * Java references (the plain block scan; for variants, a Java model of the kernel's steps): n not a multiple of 256 and
 * small n; warp 0's fill 7 instead of 0; K = 5 loaded lanes instead of 8; a two-step chain (window 4 < K = 8); each run
 * counted once per block in {@link CpuDevice#warp0Chains}. A variant that reads the region's scan result after the
 * rejoin is not taken (count 0) and still right; K = 9 reads past the 32-byte shared array: the fast path declines
 * and the general path's fault names thread 8's {@code ld.shared}.
 */
class Warp0ChainTest {
    /** The region is taken: the switch, and {@link WarpScan} (the general path's chain as a sum) on. */
    private static boolean on() {
        return Warp0Chain.ENABLED && WarpScan.ENABLED;
    }

    private static int[] random(int n, long seed) {
        Random r = new Random(seed);
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = r.nextInt();
        return a;
    }

    private static String suite() throws Exception {
        Path ptx = Path.of(System.getProperty("user.dir")).resolve("../bench/kernels/suite.ptx");
        return Files.readString(ptx, StandardCharsets.UTF_8);
    }

    private static String replace(String text, String from, String to) {
        assertTrue(text.contains(from), from);
        return text.replace(from, to);
    }

    @ParameterizedTest
    @CsvSource({"2304,1", "1613,2", "256,1", "300,2", "100,1", "31,1"})
    void scanBlock(int n, int workers) throws Exception {
        int grid = (n + 255) / 256;
        try (Gpu gpu = Gpu.lockstep(workers)) {
            SuiteScanBlock.runAndCheck(gpu, random(n, 13L * n));
            assertEquals(on() ? grid : 0, gpu.device.warp0Chains.sum(), "regions run, n = " + n);
        }
    }

    /**
     * The kernel's steps in Java: per-warp inclusive sums, warp 0 with {@code w = lane < k ? warpSums[lane] : fill}
     * and a {@code steps}-step {@code shfl.up} scan, lanes below k storing; then {@code v += warpSums[warp - 1]}.
     * {@code sumsLane >= 0}: {@code sums[b]} is that lane's scan value (the region's register read after the rejoin).
     */
    private static int[][] model(int[] in, int n, int grid, int fill, int k, int steps, int sumsLane) {
        int[] out = new int[n];
        int[] sums = new int[grid];
        for (int b = 0; b < grid; b++) {
            int[] v = new int[256];
            for (int t = 0; t < 256; t++) v[t] = b * 256 + t < n ? in[b * 256 + t] : 0;
            for (int d = 1; d < 32; d <<= 1) {
                int[] o = v.clone();
                for (int t = 0; t < 256; t++) if ((t & 31) >= d) v[t] += o[t - d];
            }
            int[] s = new int[8];
            for (int w = 0; w < 8; w++) s[w] = v[w * 32 + 31];
            int[] w = new int[32];
            for (int l = 0; l < 32; l++) w[l] = l < k ? s[l] : fill;
            for (int st = 0, d = 1; st < steps; st++, d <<= 1) {
                int[] o = w.clone();
                for (int l = d; l < 32; l++) w[l] += o[l - d];
            }
            for (int l = 0; l < k; l++) s[l] = w[l];
            for (int t = 0; t < 256; t++) {
                int r = v[t] + (t >= 32 ? s[(t >> 5) - 1] : 0);
                if (b * 256 + t < n) out[b * 256 + t] = r;
                if (t == 255 && sumsLane < 0) sums[b] = r;
            }
            if (sumsLane >= 0) sums[b] = w[sumsLane];
        }
        return new int[][] {out, sums};
    }

    private static void runVariant(String variant, int n, int fill, int k, int steps, int sumsLane, long regions)
            throws Exception {
        var module = PtxTranslator.translate("suite-variant.ptx", variant);
        int grid = (n + 255) / 256;
        int[] in = random(n, 31L * n + k);
        try (Gpu gpu = Gpu.lockstep(1)) {
            BackendFunction f = gpu.ctx.loadModule(module).function("scan_block");
            long din = gpu.upload(in);
            long dout = gpu.upload(new int[n]);
            long dsums = gpu.upload(new int[grid]);
            gpu.launch(f, grid, 256, n, din, dout, dsums);
            gpu.sync();
            int[][] want = model(in, n, grid, fill, k, steps, sumsLane);
            assertArrayEquals(want[0], gpu.ints(dout, n), "out");
            assertArrayEquals(want[1], gpu.ints(dsums, grid), "sums");
            assertEquals(regions, gpu.device.warp0Chains.sum(), "regions run");
        }
    }

    /** The model agrees with the plain block scan on the unchanged kernel (so it models the steps, not the result). */
    @Test
    void modelIsTheBlockScan() {
        int n = 700;
        int[] in = random(n, 3);
        int[][] m = model(in, n, 3, 0, 8, 3, -1);
        for (int b = 0, i = 0; b < 3; b++) {
            int acc = 0;
            for (int t = 0; t < 256; t++, i++) {
                if (i < n) assertEquals(acc += in[i], m[0][i]);
            }
            assertEquals(acc, m[1][b]);
        }
    }

    @Test
    void fillSeven() throws Exception {
        String v = replace(suite(), "mov.u32 \t%r60, %r42;", "mov.u32 \t%r60, 7;");
        runVariant(v, 1000, 7, 8, 3, -1, on() ? 4 : 0);
    }

    @Test
    void fiveLanes() throws Exception {
        String v = replace(suite(), "setp.gt.u32 \t%p14, %r4, 7;", "setp.gt.u32 \t%p14, %r4, 4;");
        runVariant(v, 1500, 0, 5, 3, -1, on() ? 6 : 0);
        String v7 = replace(v, "mov.u32 \t%r60, %r42;", "mov.u32 \t%r60, 7;");
        runVariant(v7, 777, 7, 5, 3, -1, on() ? 4 : 0);
    }

    /** Two steps (deltas 1, 2: window 4) for 8 lanes: the windowed sum. */
    @Test
    void windowBelowK() throws Exception {
        String v = suite();
        v = replace(v, "add.s32 \t%r54, %r53, %r50;", "add.s32 \t%r13, %r53, %r50;");
        v = replace(v, "shfl.sync.up.b32 \t%r56|%p19, %r54, %r55, %r42, %r47;\n", "");
        v = replace(v, "selp.b32 \t%r57, 0, %r56, %p7;\n", "");
        v = replace(v, "add.s32 \t%r13, %r57, %r54;\n", "");
        runVariant(v, 2000, 0, 8, 2, -1, on() ? 8 : 0);
    }

    /** Thread 3 stores its region result {@code %r13} into sums after the rejoin: the region is not taken. */
    @Test
    void regionRegisterReadLater() throws Exception {
        String v = suite();
        v = replace(v, "setp.ne.s32 \t%p24, %r2, 255;", "setp.ne.s32 \t%p24, %r2, 3;");
        v = replace(v, "st.global.u32 \t[%rd12], %r61;", "st.global.u32 \t[%rd12], %r13;");
        runVariant(v, 1100, 0, 8, 3, 3, 0);
    }

    /** K = 9: lane 8 reads byte 32 of a 32-byte shared array; the general path's fault, thread 8's ld.shared. */
    @Test
    void badSharedAddress() throws Exception {
        String v = replace(suite(), "setp.gt.u32 \t%p14, %r4, 7;", "setp.gt.u32 \t%p14, %r4, 8;");
        var module = PtxTranslator.translate("suite-k9.ptx", v);
        try (Gpu gpu = Gpu.lockstep(1)) {
            BackendFunction f = gpu.ctx.loadModule(module).function("scan_block");
            long din = gpu.upload(random(512, 9));
            long dout = gpu.upload(new int[512]);
            long dsums = gpu.upload(new int[2]);
            gpu.launch(f, 2, 256, 512, din, dout, dsums);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertNotEquals(CUresult.CUDA_SUCCESS, e.result(), e.getMessage());
            assertTrue(e.getMessage().contains("block (0,0,0), thread (8,0,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("ld.shared"), e.getMessage());
            assertEquals(0, gpu.device.warp0Chains.sum(), "regions run");
        }
    }
}
