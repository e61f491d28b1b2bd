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
 * {@link ScanTail}: suite.ptx's {@code scan_block} after its second barrier ({@code v += warpSums[warp - 1]},
 * {@code out[i] = v}, {@code sums[blockIdx.x] = v}) as one pass. Results against the Java block scan
 * ({@link SuiteScanBlock}) and, for variants, Java models; the count of blocks run this way
 * ({@link CpuDevice#scanTails}): every full block, never the partial last one (its {@code out} site's block check
 * fails: the allocation ends at n), at several n, one and two workers. A variant that reads {@code v} after the chain
 * (thread 0 stores {@code 2·v} to {@code sums} afterwards) still runs it (v is updated in place) and is right; a
 * variant whose {@code out} store is to a non-affine address ({@code out[in[i]]}) is not taken; an {@code out} that
 * ends before the last full block: that block declines and the general path faults at its first thread past the end.
 */
class ScanTailTest {
    private static Gpu gpu(int workers) throws BackendException {
        Gpu g = new Gpu(workers);
        g.device.engine(CpuDevice.Engine.LOCKSTEP);
        return g;
    }

    /** Blocks expected through the fused pass ({@code ScanTail.fused}) when {@code chains} ran: all, with vectors. */
    private static long fused(long chains) {
        return ScanTail.ENABLED && ScanTail.FUSE && LaneVec.AVAILABLE && ConstRunsVec.ENABLED ? chains : 0;
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

    /** The Java inclusive scan of each block of 256 (elements past n count as 0): {out, sums}. */
    private static int[][] blockScan(int[] in, int n) {
        int grid = (n + 255) / 256;
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
        return new int[][] {out, sums};
    }

    @ParameterizedTest
    @CsvSource({"2304,1", "1613,2", "256,1", "300,2", "100,1", "31,1", "65536,2"})
    void scanBlock(int n, int workers) throws Exception {
        int full = n / 256;
        try (Gpu gpu = gpu(workers)) {
            SuiteScanBlock.runAndCheck(gpu, random(n, 17L * n));
            assertEquals(ScanTail.ENABLED ? full : 0, gpu.device.scanTails.sum(), "chains run, n = " + n);
            assertEquals(fused(full), gpu.device.scanTailFused.sum(), "add and store fused, n = " + n);
            // scan's runs are whole warps (32 threads), whole vectors of any species: every fused pass from a plan
            assertEquals(ScanTail.PLAN ? fused(full) : 0, gpu.device.scanTailPlans.sum(), "from a plan, n = " + n);
        }
    }

    private static BackendFunction load(Gpu gpu, String ptx) throws Exception {
        var module = PtxTranslator.translate("suite-variant.ptx", ptx);
        return gpu.ctx.loadModule(module).function("scan_block");
    }

    /**
     * After the chain, thread 0 of each block stores {@code 2·v} to {@code sums[blockIdx.x]} (after thread 255's
     * store): {@code v} is read after the chain. The chain still runs (three arms; the fourth, whose stored value is
     * computed in the arm, ends it), and {@code v} must be the scanned value there.
     */
    @Test
    void valueReadAfterTheChain() throws Exception {
        String v = suite();
        int start = v.indexOf(".visible .entry scan_block(");
        int end = v.indexOf("\n}\n", start);
        String k = v.substring(start, end);
        String k2 = k;
        k2 = replace(k2, ".reg .b32 \t%r<62>;", ".reg .b32 \t%r<63>;");
        k2 = replace(k2, ".reg .b64 \t%rd<13>;", ".reg .b64 \t%rd<16>;");
        k2 = replace(k2, "$L__BB5_15:\n\tret;", "$L__BB5_15:\n"
                + "\tsetp.ne.s32 \t%p23, %r2, 0;\n"
                + "\t@%p23 bra \t$L__BB5_17;\n\n"
                + "\tshl.b32 \t%r62, %r61, 1;\n"
                + "\tcvta.to.global.u64 \t%rd13, %rd3;\n"
                + "\tmul.wide.u32 \t%rd14, %r1, 4;\n"
                + "\tadd.s64 \t%rd15, %rd13, %rd14;\n"
                + "\tst.global.u32 \t[%rd15], %r62;\n\n"
                + "$L__BB5_17:\n\tret;");
        String ptx = v.substring(0, start) + k2 + v.substring(end);
        int n = 1500;
        int grid = (n + 255) / 256;
        int[] in = random(n, 5);
        try (Gpu gpu = gpu(1)) {
            BackendFunction f = load(gpu, ptx);
            long din = gpu.upload(in);
            long dout = gpu.upload(new int[n]);
            long dsums = gpu.upload(new int[grid]);
            gpu.launch(f, grid, 256, n, din, dout, dsums);
            gpu.sync();
            int[][] want = blockScan(in, n);
            for (int b = 0; b < grid; b++) want[1][b] = 2 * in[b * 256];
            assertArrayEquals(want[0], gpu.ints(dout, n), "out");
            assertArrayEquals(want[1], gpu.ints(dsums, grid), "sums");
            assertEquals(ScanTail.ENABLED ? n / 256 : 0, gpu.device.scanTails.sum(), "chains run");
            assertEquals(fused(n / 256), gpu.device.scanTailFused.sum(), "add and store fused");
            assertEquals(ScanTail.PLAN ? fused(n / 256) : 0, gpu.device.scanTailPlans.sum(), "from a plan");
        }
    }

    /** {@code out[in[i]] = v}: the store's address is not affine in the thread index; the chain is not taken. */
    @Test
    void nonAffineStoreDeclines() throws Exception {
        String ptx = replace(suite(), "mul.wide.s32 \t%rd8, %r3, 4;", "mul.wide.s32 \t%rd8, %r59, 4;");
        int n = 1024;
        int[] in = new int[n];
        for (int i = 0; i < n; i++) in[i] = (i * 389 + 7) % n;  // a permutation of 0..n-1
        try (Gpu gpu = gpu(2)) {
            BackendFunction f = load(gpu, ptx);
            long din = gpu.upload(in);
            long dout = gpu.upload(new int[n]);
            long dsums = gpu.upload(new int[n / 256]);
            gpu.launch(f, n / 256, 256, n, din, dout, dsums);
            gpu.sync();
            int[][] scan = blockScan(in, n);
            int[] want = new int[n];
            for (int i = 0; i < n; i++) want[in[i]] = scan[0][i];
            assertArrayEquals(want, gpu.ints(dout, n), "out");
            assertArrayEquals(scan[1], gpu.ints(dsums, n / 256), "sums");
            assertEquals(0, gpu.device.scanTails.sum(), "chains run");
        }
    }

    /**
     * {@code out} holds 500 elements of n = 512: block 0 runs the chain, block 1's check fails, nothing of the
     * chain is done there and the general path's stores fault at thread 244 (element 500).
     */
    @Test
    void storePastTheAllocationFaultsAtItsThread() throws Exception {
        try (Gpu gpu = gpu(1)) {
            BackendFunction f = load(gpu, suite());
            int n = 512;
            long din = gpu.upload(random(n, 9));
            long dout = gpu.upload(new int[500]);
            long dsums = gpu.upload(new int[2]);
            gpu.launch(f, 2, 256, n, din, dout, dsums);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result(), e.getMessage());
            assertTrue(e.getMessage().contains("block (1,0,0), thread (244,0,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("st.global"), e.getMessage());
            assertEquals(ScanTail.ENABLED ? 1 : 0, gpu.device.scanTails.sum(), "chains run");
            assertEquals(fused(1), gpu.device.scanTailFused.sum(), "add and store fused");
        }
    }
}
