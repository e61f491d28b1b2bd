package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.Dim3;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;

/**
 * Lockstep lane loops whose shared accesses are checked once per run ({@link SharedAffine}): results against Java
 * references (f32 and f64 tiles with NaN and fma-sensitive values, integers with a negative coefficient and a
 * constant address, 8- and 16-bit accesses, partial last warps), how many runs took the checked-once path (counted
 * here from the kernels' structure), a divergent region that runs with per-access checks between two that do not,
 * and a shared access past the array in one thread of an otherwise checked-once run: the fault names that thread and
 * the instruction, and the threads before it have stored. Kernels: {@code src/test/resources/kernels/sharedlanes.cu}.
 */
class SharedLanesTest {
    /** The tree steps' arms themselves: without {@link ArmChain}, which would run them as one chain. */
    @org.junit.jupiter.api.BeforeEach
    void withoutArmChain() {
        ArmChain.offForTests = true;
    }

    @org.junit.jupiter.api.AfterEach
    void restoreArmChain() {
        ArmChain.offForTests = false;
    }

    private static final int TILE = 16;

    private static BackendFunction kernel(Gpu gpu, String name) throws Exception {
        return SchedulingTest.kernel(gpu, "sharedlanes.ptx", name);
    }

    private static Gpu gpu() throws BackendException {
        Gpu g = new Gpu(2);
        g.device.engine(CpuDevice.Engine.LOCKSTEP);
        return g;
    }

    private static long runs(Gpu gpu) {
        return gpu.device.sharedRuns.sum();
    }

    /** Inputs with exact products, NaNs, and pairs where a fused multiply-add differs from mul then add. */
    private static float input(int i, int salt) {
        return switch ((i * 31 + salt) % 11) {
            case 0 -> 1.0f + 0x1p-12f;
            case 1 -> 1.0f - 0x1p-12f;
            case 2 -> -1.0f;
            case 3 -> 0.5f;
            default -> ((i * 7 + salt * 13) % 97 - 48) * 0.03125f;
        };
    }

    @Test
    void f32TilesWithNaNAndFusedProducts() throws Exception {
        try (Gpu gpu = gpu()) {
            int n = 48;
            float[] a = new float[n * n];
            float[] b = new float[n * n];
            for (int i = 0; i < n * n; i++) {
                a[i] = input(i, 1);
                b[i] = input(i, 2);
            }
            a[77] = Float.NaN;
            long da = gpu.upload(a);
            long db = gpu.upload(b);
            long dc = gpu.alloc(4L * n * n);
            gpu.launch(kernel(gpu, "tile_f32"), Dim3.of(n / TILE, n / TILE), Dim3.of(TILE, TILE), 0, n, da, db,
                    dc);
            gpu.sync();
            float[] c = gpu.floats(dc, n * n);
            boolean fusedMatters = false;
            for (int r = 0; r < n; r++) {
                for (int col = 0; col < n; col++) {
                    float acc = 0, unfused = 0;
                    for (int k = 0; k < n; k++) {
                        acc = Math.fma(a[r * n + k], b[k * n + col], acc);
                        unfused = unfused + a[r * n + k] * b[k * n + col];
                    }
                    // NaN results are NVIDIA's canonical NaN
                    int want = Float.isNaN(acc) ? 0x7fffffff : Float.floatToRawIntBits(acc);
                    assertEquals(want, Float.floatToRawIntBits(c[r * n + col]), "C[" + r + "][" + col + "]");
                    fusedMatters |= !Float.isNaN(acc) && acc != unfused;
                }
            }
            assertTrue(fusedMatters, "the inputs must tell fma from mul+add");
            assertTrue(Float.isNaN(c[(77 / n) * n]), "a NaN of A reaches its row");
            // per block and tile: the run storing both tiles and the run of the 16 products
            assertEquals(9 * 3 * 2, runs(gpu));
        }
    }

    @Test
    void f64Tiles() throws Exception {
        try (Gpu gpu = gpu()) {
            int n = 32;
            double[] a = new double[n * n];
            double[] b = new double[n * n];
            for (int i = 0; i < n * n; i++) {
                a[i] = input(i, 1) + i * 0x1p-40;
                b[i] = i == 100 ? Double.NaN : input(i, 2) - i * 0x1p-41;
            }
            long da = gpu.upload(a);
            long db = gpu.upload(b);
            long dc = gpu.alloc(8L * n * n);
            gpu.launch(kernel(gpu, "tile_f64"), Dim3.of(n / TILE, n / TILE), Dim3.of(TILE, TILE), 0, n, da, db,
                    dc);
            gpu.sync();
            double[] c = gpu.doubles(dc, n * n);
            for (int r = 0; r < n; r++) {
                for (int col = 0; col < n; col++) {
                    double acc = 0;
                    for (int k = 0; k < n; k++) acc = Math.fma(a[r * n + k], b[k * n + col], acc);
                    double got = c[r * n + col];
                    if (Double.isNaN(acc)) {
                        assertTrue(Double.isNaN(got), "C[" + r + "][" + col + "]");
                    } else {
                        assertEquals(Double.doubleToRawLongBits(acc), Double.doubleToRawLongBits(got),
                                "C[" + r + "][" + col + "]");
                    }
                }
            }
            assertEquals(4 * 2 * 2, runs(gpu));
        }
    }

    @Test
    void integersWithANegativeCoefficientAndPartialWarps() throws Exception {
        for (int nt : new int[] {256, 80, 33, 1}) {
            try (Gpu gpu = gpu()) {
                int grid = 3;
                int n = grid * nt;
                int[] in = new int[n];
                for (int i = 0; i < n; i++) in[i] = i * 0x9E3779B1 + 12345;
                long din = gpu.upload(in);
                long dout = gpu.alloc(4L * n);
                gpu.launch(kernel(gpu, "reverse_int"), grid, nt, din, dout);
                gpu.sync();
                int[] want = new int[n];
                for (int blk = 0; blk < grid; blk++) {
                    for (int t = 0; t < nt; t++) {
                        int i = blk * nt + t;
                        want[i] = 3 * in[blk * nt + nt - 1 - t] + (in[i] ^ in[blk * nt]);
                    }
                }
                assertArrayEquals(want, gpu.ints(dout, n), "block of " + nt);
                // per block: the run storing s[t], the run loading s[nt-1-t], s[t] and s[0]
                assertEquals(2L * grid, runs(gpu), "block of " + nt);
            }
        }
    }

    @Test
    void byteAndHalfWordAccesses() throws Exception {
        for (int nt : new int[] {256, 50}) {
            try (Gpu gpu = gpu()) {
                int grid = 2;
                int n = grid * nt;
                int[] words = new int[(n + 3) / 4];
                byte[] bytes = new byte[n];
                for (int i = 0; i < n; i++) bytes[i] = (byte) (i * 37 + 5);
                for (int i = 0; i < n; i++) words[i / 4] |= (bytes[i] & 0xff) << (8 * (i % 4));
                long din = gpu.upload(words);
                long dout = gpu.alloc(4L * n);
                gpu.launch(kernel(gpu, "narrow"), grid, nt, din, dout);
                gpu.sync();
                int[] want = new int[n];
                for (int blk = 0; blk < grid; blk++) {
                    for (int t = 0; t < nt; t++) {
                        int i = blk * nt + t;
                        int next = t + 1 < nt ? bytes[i + 1] & 0xff : 7;
                        int h = ((bytes[i] & 0xff) * 257 + t) & 0xffff;
                        want[i] = ((bytes[i] & 0xff) + next) | (h << 8);
                    }
                }
                assertArrayEquals(want, gpu.ints(dout, n), "block of " + nt);
                assertTrue(runs(gpu) >= 2L * grid, "block of " + nt + ": " + runs(gpu));
            }
        }
    }

    @Test
    void aBlockUniformOffsetInTheAddress() throws Exception {
        try (Gpu gpu = gpu()) {
            int nt = 128, grid = 2, n = nt * grid;
            float[] in = new float[n];
            for (int i = 0; i < n; i++) in[i] = i * 0.25f - 7;
            long din = gpu.upload(in);
            long dout = gpu.alloc(4L * n);
            // off = 0: every thread reads its own element
            gpu.launch(kernel(gpu, "shifted"), grid, nt, din, dout, 0);
            gpu.sync();
            float[] want = new float[n];
            for (int i = 0; i < n; i++) want[i] = in[i] * 2;
            assertArrayEquals(want, gpu.floats(dout, n));
            assertEquals(2L * grid, runs(gpu));
        }
    }

    @Test
    void aSharedAccessPastTheArrayFaultsAtItsThread() throws Exception {
        try (Gpu gpu = gpu()) {
            int nt = 256;
            float[] in = new float[nt];
            for (int i = 0; i < nt; i++) in[i] = i + 0.5f;
            long din = gpu.upload(in);
            long dout = gpu.upload(new float[nt]);
            // s[t + 1]: thread 255 reads s[256], past the 1024-byte window; threads 0..254 run first and store
            gpu.launch(kernel(gpu, "shifted"), 1, nt, din, dout, 1);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result());
            assertTrue(e.getMessage().contains("block (0,0,0), thread (255,0,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("ld.shared"), e.getMessage());
            assertTrue(e.getMessage().contains("0x400"), e.getMessage());
            float[] out = gpu.floats(dout, nt);
            for (int t = 0; t < nt - 1; t++) assertEquals(in[t + 1] * 2, out[t], "thread " + t);
            assertEquals(0f, out[nt - 1]);
            // the run that stores s[t] passed its check; the run reading s[t + 1] did not
            assertEquals(1, runs(gpu));
        }
    }

    @Test
    void aNegativeOffsetFaultsAtThreadZero() throws Exception {
        try (Gpu gpu = gpu()) {
            int nt = 64;
            long din = gpu.upload(new float[nt]);
            long dout = gpu.upload(new float[nt]);
            gpu.launch(kernel(gpu, "shifted"), 1, nt, din, dout, -1);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result());
            assertTrue(e.getMessage().contains("thread (0,0,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("ld.shared"), e.getMessage());
        }
    }

    @Test
    void checkedOnceWhileAllActiveAndPerAccessInsideADivergentLoop() throws Exception {
        for (int nt : new int[] {256, 96}) {
            try (Gpu gpu = gpu()) {
                int grid = 2, n = grid * nt, reps = 3;
                int[] in = new int[n];
                for (int i = 0; i < n; i++) in[i] = i * 11 - 500;
                long din = gpu.upload(in);
                long dout = gpu.alloc(4L * n);
                gpu.launch(kernel(gpu, "diverge"), grid, nt, din, dout, reps);
                gpu.sync();
                int[] s = new int[n];
                for (int i = 0; i < n; i++) {
                    s[i] = in[i];
                    if ((i % nt & 1) != 0) for (int k = 0; k < reps; k++) s[i] = s[i] * 3 + k;
                }
                int[] want = new int[n];
                for (int blk = 0; blk < grid; blk++) {
                    for (int t = 0; t < nt; t++) want[blk * nt + t] = s[blk * nt + t] - s[blk * nt + (t ^ 1)];
                }
                assertArrayEquals(want, gpu.ints(dout, n), "block of " + nt);
                // per block: the store of s[t] and the final run (every thread active); the odd threads' loop runs
                // with per-access checks
                assertEquals(2L * grid, runs(gpu), "block of " + nt);
            }
        }
    }

    @Test
    void reduceTreeArmsOverThreadRanges() throws Exception {
        try (Gpu gpu = gpu()) {
            int grid = 5, nt = 256, n = grid * nt;
            float[] in = new float[n];
            for (int i = 0; i < n; i++) in[i] = input(i, 3) + i * 0x1p-20f;
            in[3 * nt + 77] = Float.NaN;
            long din = gpu.upload(in);
            long dout = gpu.alloc(4L * grid);
            gpu.launch(kernel(gpu, "tree"), grid, nt, din, dout);
            gpu.sync();
            float[] out = gpu.floats(dout, grid);
            for (int blk = 0; blk < grid; blk++) {
                float[] sh = java.util.Arrays.copyOfRange(in, blk * nt, blk * nt + nt);
                for (int stride = 128; stride > 0; stride >>= 1) {
                    for (int t = 0; t < stride; t++) sh[t] = sh[t + stride] + sh[t];
                }
                int want = Float.isNaN(sh[0]) ? 0x7fffffff : Float.floatToRawIntBits(sh[0]);
                assertEquals(want, Float.floatToRawIntBits(out[blk]), "block " + blk);
            }
            assertTrue(Float.isNaN(out[3]));
            // per block: the store of s[t], the arms of strides 128..2, and the two arms of thread 0 alone (t < 1
            // is compiled as t != 0, as is the final if (t == 0) that reads s[0]): equalities run over that one
            // thread (-Dtranscuda.cpu.predEquality=false: 8, both run predicated)
            assertEquals((SharedAffine.EQUALITY ? 10L : 8L) * grid, runs(gpu));
        }
    }

    /** The kernel arm_from's reference: out[i] = s[t + extra] + 1 for t >= lo, else unchanged. */
    private static int[] armFrom(int[] in, int[] before, int grid, int nt, int lo, int extra) {
        int[] want = before.clone();
        for (int blk = 0; blk < grid; blk++) {
            for (int t = lo < 0 ? 0 : lo; t < nt; t++) want[blk * nt + t] = in[blk * nt + t + extra] + 1;
        }
        return want;
    }

    @Test
    void anArmFromAParameterBound() throws Exception {
        for (int lo : new int[] {100, 0, -5, 256, 300}) {
            try (Gpu gpu = gpu()) {
                int grid = 2, nt = 256, n = grid * nt;
                int[] in = new int[n];
                int[] before = new int[n];
                for (int i = 0; i < n; i++) {
                    in[i] = i * 13 - 900;
                    before[i] = -i;
                }
                long din = gpu.upload(in);
                long dout = gpu.upload(before);
                gpu.launch(kernel(gpu, "arm_from"), grid, nt, din, dout, lo, 0);
                gpu.sync();
                assertArrayEquals(armFrom(in, before, grid, nt, lo, 0), gpu.ints(dout, n), "lo " + lo);
                // per block: the store of s[t], the arm's run over its range (empty for lo >= 256)
                assertEquals(2L * grid, runs(gpu), "lo " + lo);
            }
        }
    }

    @Test
    void aTwoDimensionalBlockKeepsTheFusedArm() throws Exception {
        try (Gpu gpu = gpu()) {
            int n = 16;
            int[] in = new int[n];
            int[] before = new int[n];
            for (int i = 0; i < n; i++) {
                in[i] = 1000 + i;
                before[i] = 7;
            }
            long din = gpu.upload(in);
            long dout = gpu.upload(before);
            // blocks of 8 x 4: the rows compute the same values (the kernel reads tid.x only)
            gpu.launch(kernel(gpu, "arm_from"), Dim3.of(2), Dim3.of(8, 4), 0, din, dout, 3, 0);
            gpu.sync();
            assertArrayEquals(armFrom(in, before, 2, 8, 3, 0), gpu.ints(dout, n));
            // per block only the store of s[t] (whole block); the arm runs predicated, checked per access
            assertEquals(2, runs(gpu));
        }
    }

    @Test
    void anArmAccessPastTheArrayFaultsAtItsThread() throws Exception {
        try (Gpu gpu = gpu()) {
            int nt = 256;
            int[] in = new int[nt];
            int[] before = new int[nt];
            for (int i = 0; i < nt; i++) {
                in[i] = i * 3;
                before[i] = -1;
            }
            long din = gpu.upload(in);
            long dout = gpu.upload(before);
            // the arm's threads 150..255 read s[t + 60]: 196 is the first past the 256 elements
            gpu.launch(kernel(gpu, "arm_from"), 1, nt, din, dout, 150, 60);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result());
            assertTrue(e.getMessage().contains("block (0,0,0), thread (196,0,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("ld.shared"), e.getMessage());
            int[] out = gpu.ints(dout, nt);
            for (int t = 0; t < nt; t++) {
                assertEquals(t >= 150 && t < 196 ? in[t + 60] + 1 : -1, out[t], "thread " + t);
            }
        }
    }
}
