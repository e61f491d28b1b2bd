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
import org.transcuda.cuda.Dim3;
import org.transcuda.ptx.PtxTranslator;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;

/**
 * {@link SegChain}: a segment whose next segment, with every thread active, is a constant further down calls that
 * segment directly. Results against Java references and the segments entered by such a call ({@link
 * CpuDevice#segChains}) against counts derived from each kernel's segments:
 * <ul>
 * <li>suite.ptx's {@code reduce}: a block runs 21 segments in a straight line (0, 2, 4; then 8 × (barrier, tree
 * step); then 29, 31), all but the first entered by a call: 20 per block;</li>
 * <li>suite.ptx's {@code matmul}: per tile iteration the load segment is entered from the dispatcher (the loop's
 * back edge, or the preheader's call), the fma segment and the loop's end by calls (2 per iteration); the entry's
 * jump to the loop's preheader, the preheader's into the loop and the loop's exit to the store are calls too:
 * 3 + 2 × (n / 16) per block;</li>
 * <li>{@code chain} (segchain_hand.ptx): a loop with barriers (its back edge returns to the dispatcher) and a branch
 * on {@code t < k} whose sides run barriers: with k = 0 or k ≥ n every thread goes one way and the chain runs on
 * through that side (2 × iters + 7 calls per block), with the threads split the sides run from the dispatcher and
 * only the join's barrier chains again (2 × iters + 4);</li>
 * <li>a fault in a segment entered by a call ({@code chain}'s last store, out too short) names its block, thread and
 * {@code st.global}.</li>
 * </ul>
 * With {@code -Dtranscuda.cpu.segChain=false} the counts are 0 (and the results the same).
 */
class SegChainTest {
    private static Gpu gpu(int workers) throws BackendException {
        Gpu g = new Gpu(workers);
        g.device.engine(CpuDevice.Engine.LOCKSTEP);
        return g;
    }

    private static long expect(long count) {
        return SegChain.ENABLED ? count : 0;
    }

    private static BackendFunction suite(Gpu gpu, String name) throws Exception {
        Path ptx = Path.of(System.getProperty("user.dir")).resolve("../bench/kernels/suite.ptx");
        var m = PtxTranslator.translate("suite.ptx", Files.readString(ptx, StandardCharsets.UTF_8));
        return gpu.ctx.loadModule(m).function(name);
    }

    private static float[] values(int n, long seed) {
        Random r = new Random(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = switch (r.nextInt(40)) {
                case 0 -> -0.0f;
                case 1 -> 0x1p-140f * r.nextInt(1000); // subnormals
                default -> (r.nextFloat() - 0.5f) * (1 << r.nextInt(12));
            };
        }
        return a;
    }

    /** reduce's partial sums, bit for bit: s[t] = in[i] + in[i + 256], then the tree, in the kernel's order. */
    @ParameterizedTest
    @CsvSource({"3584,1", "2860,2", "512,2"})
    void reduceBitForBit(int n, int workers) throws Exception {
        int grid = (n + 511) / 512;
        float[] in = values(n, n);
        try (Gpu gpu = gpu(workers)) {
            BackendFunction f = suite(gpu, "reduce");
            long din = gpu.upload(in);
            long dout = gpu.upload(new float[grid]);
            gpu.launch(f, grid, 256, n, din, dout);
            gpu.sync();
            int[] want = new int[grid];
            for (int b = 0; b < grid; b++) {
                float[] s = new float[256];
                for (int t = 0; t < 256; t++) {
                    int i = b * 512 + t;
                    float v = i < n ? in[i] : 0.0f;
                    if (i + 256 < n) v = v + in[i + 256];
                    s[t] = v;
                }
                for (int stride = 128; stride > 0; stride >>= 1) {
                    for (int t = 0; t < stride; t++) s[t] = s[t + stride] + s[t];
                }
                want[b] = Float.floatToRawIntBits(s[0]);
            }
            assertArrayEquals(want, gpu.ints(dout, grid), "n = " + n);
            assertEquals(expect(20L * grid), gpu.device.segChains.sum(), "segments entered by a call, n = " + n);
        }
    }

    /** matmul, bit for bit: acc = fma(A[row][k], B[k][col], acc) over k in order. */
    @ParameterizedTest
    @CsvSource({"64,2", "48,1", "16,1"})
    void matmulBitForBit(int n, int workers) throws Exception {
        float[] a = values(n * n, 7 * n);
        float[] b = values(n * n, 11 * n);
        try (Gpu gpu = gpu(workers)) {
            BackendFunction f = suite(gpu, "matmul");
            long da = gpu.upload(a), db = gpu.upload(b), dc = gpu.upload(new float[n * n]);
            gpu.launch(f, Dim3.of(n / 16, n / 16), Dim3.of(16, 16), 0, n, da, db, dc);
            gpu.sync();
            int[] want = new int[n * n];
            for (int r = 0; r < n; r++) {
                for (int c = 0; c < n; c++) {
                    float acc = 0.0f;
                    for (int k = 0; k < n; k++) acc = Math.fma(a[r * n + k], b[k * n + c], acc);
                    want[r * n + c] = Float.floatToRawIntBits(acc);
                }
            }
            assertArrayEquals(want, gpu.ints(dc, n * n), "n = " + n);
            long blocks = (long) (n / 16) * (n / 16);
            assertEquals(expect(blocks * (3 + 2L * (n / 16))), gpu.device.segChains.sum(),
                    "segments entered by a call, n = " + n);
        }
    }

    /** {@code chain}'s output for one block of {@code nt} threads (see segchain_hand.ptx). */
    private static int[] chainReference(int[] in, int grid, int nt, int k, int iters) {
        int[] out = new int[grid * nt];
        for (int b = 0; b < grid; b++) {
            int[] s = new int[nt];
            System.arraycopy(in, b * nt, s, 0, nt);
            int j = 0;
            do {
                int[] next = new int[nt];
                for (int t = 0; t < nt; t++) next[t] = s[t] + s[(t + 1) % nt];
                s = next;
                j++;
            } while (Integer.compareUnsigned(j, iters) < 0);
            for (int t = 0; t < nt; t++) s[t] = Integer.compareUnsigned(t, k) < 0 ? s[t] + 7 : s[t] * 3;
            for (int t = 0; t < nt; t++) out[b * nt + t] = s[(t + 3) % nt];
        }
        return out;
    }

    /**
     * The loop's back edge and a split at a branch whose sides run barriers stop the chain; the sides chain when
     * every thread takes one of them.
     */
    @ParameterizedTest
    @CsvSource({"256,0,3", "256,256,3", "256,100,3", "256,1,1", "96,95,4", "96,40,0", "64,300,2", "160,0,1"})
    void loopAndDivergentBarriersStopTheChain(int nt, int k, int iters) throws Exception {
        int grid = 5;
        Random r = new Random(nt * 31L + k * 7L + iters);
        int[] in = new int[grid * nt];
        for (int i = 0; i < in.length; i++) in[i] = r.nextInt();
        try (Gpu gpu = gpu(2)) {
            BackendFunction f = SchedulingTest.kernel(gpu, "segchain_hand.ptx", "chain");
            long din = gpu.upload(in);
            long dout = gpu.upload(new int[grid * nt]);
            gpu.launch(f, grid, nt, din, dout, k, iters);
            gpu.sync();
            assertArrayEquals(chainReference(in, grid, nt, k, iters), gpu.ints(dout, grid * nt),
                    "nt = " + nt + ", k = " + k + ", iters = " + iters);
            int steps = Math.max(iters, 1);
            boolean split = k > 0 && k < nt;
            long perBlock = 2L * steps + (split ? 4 : 7);
            assertEquals(expect(grid * perBlock), gpu.device.segChains.sum(),
                    "segments entered by a call, nt = " + nt + ", k = " + k + ", iters = " + iters);
        }
    }

    /**
     * {@code chain}'s last segment (entered by a call from the join's barrier) stores past a too-short {@code out}:
     * the fault names block 2, thread 250 (the first thread past the end) and {@code st.global}; the words before it
     * are stored.
     */
    @Test
    void aFaultInAChainedSegmentNamesItsThread() throws Exception {
        int nt = 256, grid = 3;
        int[] in = new int[grid * nt];
        for (int i = 0; i < in.length; i++) in[i] = i * 3 + 1;
        int len = grid * nt - 6;
        try (Gpu gpu = gpu(1)) {
            BackendFunction f = SchedulingTest.kernel(gpu, "segchain_hand.ptx", "chain");
            long din = gpu.upload(in);
            long dout = gpu.upload(new int[len]);
            gpu.launch(f, grid, nt, din, dout, 0, 2);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result(), e.getMessage());
            assertTrue(e.getMessage().contains("block (2,0,0), thread (250,0,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("st.global"), e.getMessage());
            assertTrue(gpu.device.segChains.sum() >= expect(2L * (2 * 2 + 7)), "the blocks before chained");
        }
    }
}
