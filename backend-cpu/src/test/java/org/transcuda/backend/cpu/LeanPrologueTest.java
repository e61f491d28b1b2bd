package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;


import org.junit.jupiter.api.Test;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.Dim3;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;

/**
 * Lockstep segment methods with the lean entry ({@link LeanPrologue}): suite.ptx's {@code matmul} (n = 64, 48, 16),
 * {@code reduce} (several n, partial last blocks) and {@code scan_block} (several n) bit for bit against Java
 * references computed here, on 1 and 2 workers; faults (matmul's A short, reduce's input short) at the same block,
 * thread and instruction. Observable: {@link LeanPrologue#STATS} has an entry per segment of the kernel (matmul: 6),
 * with typed array loads, unset locals and site/parameter loads left out counted; with
 * {@code -Dtranscuda.cpu.leanPrologue=false} no entries and the same results.
 */
class LeanPrologueTest {

    /** The kernel's segments compiled lean (entries of STATS), and their sums. */
    private static void assertLean(String kernel, int segments, String what) {
        long keys = LeanPrologue.STATS.keySet().stream().filter(k -> k.startsWith(kernel + ":")).count();
        long[] t = LeanPrologue.totals(kernel);
        if (!LeanPrologue.ENABLED) {
            assertEquals(0, keys, what);
            assertNull(t, what);
            return;
        }
        if (segments > 0) assertEquals(segments, keys, what + ": lean segments");
        assertTrue(keys > 0, what);
        assertTrue(t[0] > 0, what + ": unset locals " + t[0]);
        assertTrue(t[1] > 0, what + ": typed array loads " + t[1]);
        assertTrue(t[2] > 0, what + ": loads left out " + t[2]);
    }

    /** n × n floats in [-1, 1) with a NaN payload, -0.0, an infinity and 1 + 2^-12 (raw bits). */
    private static int[] matrix(int n, long seed) {
        java.util.Random rnd = new java.util.Random(seed);
        int[] m = new int[n * n];
        for (int i = 0; i < m.length; i++) m[i] = Float.floatToRawIntBits(rnd.nextFloat() * 2 - 1);
        int[] sp = {0x7fc0_1234, 0x8000_0000, 0x7f80_0000, Float.floatToRawIntBits(1 + 0x1p-12f)};
        for (int k = 0; k < sp.length; k++) m[(int) ((k * 7919L + seed) % m.length)] = sp[k];
        return m;
    }

    /** One fma chain over k in order per element; a NaN result canonical. */
    private static int[] matmulReference(int n, int[] a, int[] b) {
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
    void matmulBitForBit() throws Exception {
        for (int n : new int[] {64, 48, 16}) {
            for (int workers : new int[] {1, 2}) {
                try (Gpu gpu = Gpu.lockstep(workers)) {
                    int[] a = matrix(n, 11 + n), b = matrix(n, 13 + n);
                    long da = gpu.upload(a), db = gpu.upload(b), dc = gpu.alloc(4L * n * n);
                    gpu.launch(gpu.suite("matmul"), Dim3.of(n / 16, n / 16), Dim3.of(16, 16), 0, n, da, db, dc);
                    gpu.sync();
                    String what = "matmul n = " + n + ", " + workers + " workers";
                    assertArrayEquals(matmulReference(n, a, b), gpu.ints(dc, n * n), what);
                    assertTrue(gpu.device.lockstepLaunches.sum() > 0, what);
                    assertLean("matmul", 6, what);
                }
            }
        }
    }

    /** A 3 floats short: the last tile of the last block row reads past it at thread (13, 15), ld.global. */
    @Test
    void matmulShortAFaultsAsBefore() throws Exception {
        int n = 48, g = n / 16;
        try (Gpu gpu = Gpu.lockstep(1)) {
            int[] a = matrix(n, 7), b = matrix(n, 8);
            long da = gpu.upload(java.util.Arrays.copyOf(a, n * n - 3)), db = gpu.upload(b);
            long dc = gpu.alloc(4L * n * n);
            gpu.launch(gpu.suite("matmul"), Dim3.of(g, g), Dim3.of(16, 16), 0, n, da, db, dc);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result());
            assertTrue(e.getMessage().contains("block (0," + (g - 1) + ",0), thread (13,15,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("ld.global"), e.getMessage());
            assertLean("matmul", 6, "matmul, short A");
        }
    }

    /** Finite values, signed zeros, subnormals, infinities and NaN payloads. */
    private static float[] input(int count) {
        float[] in = new float[count];
        for (int i = 0; i < count; i++) {
            in[i] = switch (i % 197) {
                case 0 -> Float.intBitsToFloat(0x7fc0_0def);
                case 1 -> Float.NEGATIVE_INFINITY;
                case 2 -> -0.0f;
                case 3 -> Float.MIN_VALUE * 5;
                default -> (i % 37 - 18) * 0.25f + 0x1p-20f * (i % 11);
            };
        }
        return in;
    }

    @Test
    void reduceBitForBit() throws Exception {
        int grid = 6;
        for (int workers : new int[] {1, 2}) {
            try (Gpu gpu = Gpu.lockstep(workers)) {
                BackendFunction f = gpu.suite("reduce");
                float[] in = input(grid * 512);
                long din = gpu.upload(in);
                for (int n : new int[] {grid * 512, grid * 512 - 1, grid * 512 - 256, grid * 512 - 300,
                        4 * 512 + 17, 700, 1}) {
                    long dout = gpu.upload(new int[grid]);
                    gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, n, din, dout);
                    gpu.sync();
                    String what = "reduce n = " + n + ", " + workers + " workers";
                    assertArrayEquals(SuiteReduce.reference(in, n, grid), gpu.ints(dout, grid), what);
                    assertLean("reduce", -1, what);
                }
            }
        }
    }

    /** Block 2's first load reads past an input of 2·512 + 40 floats at thread 40 (one worker). */
    @Test
    void reduceShortInputFaultsAsBefore() throws Exception {
        int grid = 4;
        try (Gpu gpu = Gpu.lockstep(1)) {
            BackendFunction f = gpu.suite("reduce");
            long din = gpu.upload(input(2 * 512 + 40));
            long dout = gpu.upload(new int[grid]);
            gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, grid * 512, din, dout);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result());
            assertTrue(e.getMessage().contains("block (2,0,0), thread (40,0,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("ld.global"), e.getMessage());
        }
    }

    @Test
    void scanBlockBitForBit() throws Exception {
        for (int n : new int[] {256 * 5, 256 * 5 - 1, 256 * 3 + 33, 100}) {
            for (int workers : new int[] {1, 2}) {
                try (Gpu gpu = Gpu.lockstep(workers)) {
                    int[] in = new int[n];
                    java.util.Random rnd = new java.util.Random(n * 31L + workers);
                    for (int i = 0; i < n; i++) in[i] = rnd.nextInt();
                    SuiteScanBlock.runAndCheck(gpu, in);
                    assertLean("scan_block", -1, "scan_block n = " + n + ", " + workers + " workers");
                }
            }
        }
    }
}
