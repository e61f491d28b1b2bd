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
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.Dim3;
import org.transcuda.ptx.PtxTranslator;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;

/**
 * Predicates comparing an unmaterialized affine register with a block-uniform value left without their arrays
 * ({@link AffinePreds}): suite.ptx's {@code scan_block} ({@code %p1 = i >= n}) at {@code n} not a multiple of 256
 * (partial last blocks, partial warps) against a Java block scan, and {@code reduce} ({@code %p1 = i >= n}, unsigned)
 * against a Java tree, one predicate counted per kernel ({@link AffinePreds#SKIPPED}); {@code ap_div} of
 * {@code affinepreds_hand.ptx}: the predicate read by guarded stores and a {@code selp} inside a divergent branch (not
 * every thread active) and after a barrier, into an output of exactly {@code n} words (a wrong bit stores past it and
 * faults), against Java; scan_block with a short {@code out} (the fault's block, thread and {@code st.global}). With
 * {@code -Dtranscuda.cpu.affinePreds=false} every count is 0 and the results the same.
 */
class AffinePredsTest {
    private static Gpu gpu(int workers) throws BackendException {
        Gpu g = new Gpu(workers);
        g.device.engine(CpuDevice.Engine.LOCKSTEP);
        return g;
    }

    private static int expectedCount(int n) {
        return AffinePreds.ENABLED && AffineRegs.ENABLED && KernelCompiler.INLINE_ICMP ? n : 0;
    }

    private static BackendFunction suite(Gpu gpu, String name) throws Exception {
        Path ptx = Path.of(System.getProperty("user.dir")).resolve("../bench/kernels/suite.ptx");
        var m = PtxTranslator.translate("suite.ptx", Files.readString(ptx, StandardCharsets.UTF_8));
        return gpu.ctx.loadModule(m).function(name);
    }

    @Test
    void scanBlockBitForBit() throws Exception {
        for (int n : new int[] {256 * 9, 256 * 9 - 1, 256 * 6 + 31, 256 * 6 + 33, 256 * 4 + 200, 256, 77, 5}) {
            for (int workers : new int[] {1, 2}) {
                try (Gpu gpu = gpu(workers)) {
                    int[] in = new int[n];
                    Random rnd = new Random(n * 31L + workers);
                    for (int i = 0; i < n; i++) in[i] = rnd.nextInt();
                    SuiteScanBlock.runAndCheck(gpu, in);
                    assertEquals(expectedCount(1), AffinePreds.SKIPPED.get("scan_block"), "scan_block's %p1, n=" + n);
                    assertTrue(gpu.device.lockstepLaunches.sum() > 0);
                }
            }
        }
    }

    /** reduce: v = in[i] (0 past n) + in[i + 256] (when inside), then the tree s[t] = s[t + d] + s[t]; float bits. */
    private static int[] reduceReference(float[] in, int n, int grid) {
        long un = n & 0xffff_ffffL;
        int[] out = new int[grid];
        float[] s = new float[256];
        for (int b = 0; b < grid; b++) {
            for (int t = 0; t < 256; t++) {
                long i = b * 512L + t;
                float v = i < un ? in[(int) i] : 0.0f;
                if (i + 256 < un) v = add(v, in[(int) i + 256]);
                s[t] = v;
            }
            for (int d = 128; d > 0; d >>= 1) for (int t = 0; t < d; t++) s[t] = add(s[t + d], s[t]);
            out[b] = Float.floatToRawIntBits(s[0]);
        }
        return out;
    }

    private static float add(float a, float b) {
        float r = a + b;
        return r != r ? Float.intBitsToFloat(0x7fffffff) : r;
    }

    @Test
    void reduceBitForBit() throws Exception {
        int grid = 6;
        try (Gpu gpu = gpu(2)) {
            BackendFunction f = suite(gpu, "reduce");
            float[] in = new float[grid * 512];
            for (int i = 0; i < in.length; i++) in[i] = (i % 37 - 18) * 0.25f + 0x1p-20f * (i % 5);
            long din = gpu.upload(in);
            for (int n : new int[] {grid * 512, grid * 512 - 1, grid * 512 - 300, 5 * 512 + 256, 700, 1}) {
                long dout = gpu.upload(new int[grid]);
                gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, n, din, dout);
                gpu.sync();
                assertArrayEquals(reduceReference(in, n, grid), gpu.ints(dout, grid), "reduce n=" + n);
                assertEquals(expectedCount(1), AffinePreds.SKIPPED.get("reduce"), "reduce's %p1");
            }
        }
    }

    /** ap_div: out[i] = (tid odd ? i ^ 7 : 100) for i < n; vals[b·256 + t] = i < n ? 3 : 5. */
    @Test
    void divergentReadersBitForBit() throws Exception {
        int grid = 5;
        for (int n : new int[] {grid * 256, grid * 256 - 1, 3 * 256 + 17, 256 + 32, 1}) {
            for (int workers : new int[] {1, 2}) {
                try (Gpu gpu = gpu(workers)) {
                    BackendFunction f = SchedulingTest.kernel(gpu, "affinepreds_hand.ptx", "ap_div");
                    long out = gpu.upload(new int[n]);
                    long vals = gpu.upload(new int[grid * 256]);
                    gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, n, out, vals);
                    gpu.sync();
                    int[] wantOut = new int[n], wantVals = new int[grid * 256];
                    for (int b = 0; b < grid; b++) {
                        for (int t = 0; t < 256; t++) {
                            int i = b * 256 + t;
                            if (i < n) wantOut[i] = (t & 1) == 1 ? i ^ 7 : 100;
                            wantVals[i] = i < n ? 3 : 5;
                        }
                    }
                    assertArrayEquals(wantOut, gpu.ints(out, n), "out, n=" + n);
                    assertArrayEquals(wantVals, gpu.ints(vals, grid * 256), "vals, n=" + n);
                    assertEquals(expectedCount(1), AffinePreds.SKIPPED.get("ap_div"), "ap_div's %p1");
                }
            }
        }
    }

    /** scan_block with an out of 3·256 + 70 words: block (3,0,0), thread (70,0,0), st.global (one worker). */
    @Test
    void shortOutFaultsAsBefore() throws Exception {
        int grid = 5, n = grid * 256;
        try (Gpu gpu = gpu(1)) {
            BackendFunction f = suite(gpu, "scan_block");
            long din = gpu.upload(new int[n]);
            long dout = gpu.upload(new int[3 * 256 + 70]);
            long dsums = gpu.upload(new int[grid]);
            gpu.launch(f, grid, 256, n, din, dout, dsums);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result());
            assertTrue(e.getMessage().contains("block (3,0,0), thread (70,0,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("st.global"), e.getMessage());
            assertEquals(expectedCount(1), AffinePreds.SKIPPED.get("scan_block"));
        }
    }
}
