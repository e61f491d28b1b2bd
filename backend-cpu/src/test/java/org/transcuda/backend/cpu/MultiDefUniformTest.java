package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.Dim3;
import org.transcuda.ptx.PtxTranslator;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;

/**
 * Block-uniform registers with several definitions ({@link MultiDefUniform}): the suite's matmul (its tile counter
 * and the back edge's predicate made uniform: {@link MultiDefUniform#ADDED} counts 2) at two sizes and one tile, and
 * kernels where the proof fails and nothing changes ({@code src/test/resources/kernels/multidefuniform_hand.ptx}: a
 * barrier-free loop whose trip count depends on {@code %tid.x}; a counter set under a divergent branch; a
 * uniform counter whose value is stored), all bit for bit against Java references computed here, and a tile load
 * past the end faulting at its block, thread and instruction. With {@code -Dtranscuda.cpu.multiDefUniform=false}
 * the counts are 0 and the results the same.
 */
class MultiDefUniformTest {
    private static Gpu gpu(int workers) throws BackendException {
        Gpu g = new Gpu(workers);
        g.device.engine(CpuDevice.Engine.LOCKSTEP);
        return g;
    }

    private static BackendFunction matmul(Gpu gpu) throws Exception {
        Path ptx = Path.of(System.getProperty("user.dir")).resolve("../bench/kernels/suite.ptx");
        var suite = PtxTranslator.translate("suite.ptx", Files.readString(ptx, StandardCharsets.UTF_8));
        return gpu.ctx.loadModule(suite).function("matmul");
    }

    /** n × n floats in [-1, 1) with a few special values (raw bits). */
    private static int[] matrix(int n, long seed) {
        java.util.Random rnd = new java.util.Random(seed);
        int[] m = new int[n * n];
        for (int i = 0; i < m.length; i++) m[i] = Float.floatToRawIntBits(rnd.nextFloat() * 2 - 1);
        int[] sp = {0x7fc0_1234, 0x8000_0000, 0x7f80_0000, Float.floatToRawIntBits(1 + 0x1p-12f)};
        for (int k = 0; k < sp.length; k++) m[(int) ((k * 7919L + seed) % m.length)] = sp[k];
        return m;
    }

    /** C = A·B as the kernel computes it: one fma chain over k in order per element, a NaN result canonical. */
    private static int[] reference(int n, int[] a, int[] b) {
        int[] c = new int[n * n];
        for (int r = 0; r < n; r++) {
            for (int col = 0; col < n; col++) {
                float acc = 0f;
                for (int k = 0; k < n; k++) {
                    acc = Math.fma(Float.intBitsToFloat(a[r * n + k]), Float.intBitsToFloat(b[k * n + col]), acc);
                }
                c[r * n + col] = acc != acc ? 0x7fff_ffff : Float.floatToRawIntBits(acc);
            }
        }
        return c;
    }

    @Test
    void matmulCounterIsUniform() throws Exception {
        for (int n : new int[] {64, 48, 16}) {
            for (int workers : new int[] {1, 2}) {
                try (Gpu gpu = gpu(workers)) {
                    int[] a = matrix(n, 3 + n), b = matrix(n, 5 + n);
                    long da = gpu.upload(a), db = gpu.upload(b), dc = gpu.alloc(4L * n * n);
                    gpu.launch(matmul(gpu), Dim3.of(n / 16, n / 16), Dim3.of(16, 16), 0, n, da, db, dc);
                    gpu.sync();
                    String what = "n = " + n + ", " + workers + " workers";
                    assertArrayEquals(reference(n, a, b), gpu.ints(dc, n * n), what);
                    assertEquals(MultiDefUniform.ENABLED ? 2 : 0, MultiDefUniform.ADDED.get("matmul"), what);
                    assertTrue(gpu.device.lockstepLaunches.sum() > 0, what);
                }
            }
        }
    }

    /** A short: the last tile of the last block row reads past it, at thread (13, 15) and {@code ld.global}. */
    @Test
    void matmulTileLoadPastTheEndFaults() throws Exception {
        int n = 48, g = n / 16;
        try (Gpu gpu = gpu(1)) {
            int[] a = matrix(n, 7), b = matrix(n, 8);
            long da = gpu.upload(java.util.Arrays.copyOf(a, n * n - 3)), db = gpu.upload(b);
            long dc = gpu.alloc(4L * n * n);
            gpu.launch(matmul(gpu), Dim3.of(g, g), Dim3.of(16, 16), 0, n, da, db, dc);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result());
            assertTrue(e.getMessage().contains("block (0," + (g - 1) + ",0), thread (13,15,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("ld.global"), e.getMessage());
        }
    }

    /** md_tid: thread t sums 3·i for i = 0..t (a do-while: at least i = 0). */
    @Test
    void tidDependentTripCountStaysPerThread() throws Exception {
        for (int threads : new int[] {256, 100}) {
            try (Gpu gpu = gpu(2)) {
                long out = gpu.alloc(4L * threads);
                gpu.launch(SchedulingTest.kernel(gpu, "multidefuniform_hand.ptx", "md_tid"), 1, threads, out);
                gpu.sync();
                int[] want = new int[threads];
                for (int t = 0; t < threads; t++) {
                    int s = 0, i = 0;
                    do {
                        s += i * 3;
                        i++;
                    } while (i <= t);
                    want[t] = s;
                }
                assertArrayEquals(want, gpu.ints(out, threads), threads + " threads");
                assertEquals(0, MultiDefUniform.ADDED.get("md_tid"));
            }
        }
    }

    /** md_diverge: threads below k count 4 → 10, the others 1 → 10, each adding tid + 1 per iteration. */
    @Test
    void counterSetUnderDivergentBranchStaysPerThread() throws Exception {
        for (int k : new int[] {37, 0, 256, 1000}) {
            try (Gpu gpu = gpu(2)) {
                int threads = 256;
                long out = gpu.alloc(4L * threads);
                gpu.launch(SchedulingTest.kernel(gpu, "multidefuniform_hand.ptx", "md_diverge"), 1, threads, k, out);
                gpu.sync();
                int[] want = new int[threads];
                for (int t = 0; t < threads; t++) {
                    int r = t < k ? 4 : 1, s = 0;
                    do {
                        s += t + 1;
                        r++;
                    } while (r < 10);
                    want[t] = s;
                }
                assertArrayEquals(want, gpu.ints(out, threads), "k = " + k);
                assertEquals(0, MultiDefUniform.ADDED.get("md_diverge"), "k = " + k);
            }
        }
    }

    /** md_stored: the counter (0, 7, 14, ... below n, at least once) summed through shared memory, plus tid. */
    @Test
    void storedCounterStaysPerThread() throws Exception {
        for (int n : new int[] {1, 50, 70}) {
            try (Gpu gpu = gpu(2)) {
                int threads = 128, blocks = 3;
                long out = gpu.alloc(4L * threads);
                gpu.launch(SchedulingTest.kernel(gpu, "multidefuniform_hand.ptx", "md_stored"), blocks, threads, n,
                        out);
                gpu.sync();
                int sum = 0, i = 0;
                do {
                    sum += i;
                    i += 7;
                } while (i < n);
                int[] want = new int[threads];
                for (int t = 0; t < threads; t++) want[t] = sum + t;
                assertArrayEquals(want, gpu.ints(out, threads), "n = " + n);
                assertEquals(0, MultiDefUniform.ADDED.get("md_stored"));
            }
        }
    }
}
