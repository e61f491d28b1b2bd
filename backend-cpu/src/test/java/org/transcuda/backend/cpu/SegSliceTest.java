package org.transcuda.backend.cpu;

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
 * {@link SegSlice}: {@link InputFuse}'s ADD arm read through a per-block slice of device memory. Every output word
 * bit for bit against Java references computed here (NaN payloads kept by the LOAD arm, NaNs made by the add
 * canonical, infinities, overflow, subnormals, signed zeros), suite.ptx's {@code reduce} at {@code n} that leave the
 * second arm all threads, part of them or none, and inputfuse_hand.ptx's {@code pair_window} (each thread's window
 * word written out); the path's counter {@code segSlices} is checked to equal the blocks whose both arms are whole
 * (one worker; block 0 of {@code reduce} runs the segments). An input ending inside block 5's second arm: the fault
 * keeps its block, thread and instruction.
 */
class SegSliceTest {
    private static final int CANONICAL = 0x7fffffff;

    private static Gpu gpu(int workers) throws BackendException {
        Gpu g = new Gpu(workers);
        g.device.engine(CpuDevice.Engine.LOCKSTEP);
        return g;
    }

    private static BackendFunction reduce(Gpu gpu) throws Exception {
        Path ptx = Path.of(System.getProperty("user.dir")).resolve("../bench/kernels/suite.ptx");
        var suite = PtxTranslator.translate("suite.ptx", Files.readString(ptx, StandardCharsets.UTF_8));
        return gpu.ctx.loadModule(suite).function("reduce");
    }

    /** Words with NaN payloads, infinities (whose sums are NaNs), overflow, subnormals and signed zeros. */
    private static float[] input(int count) {
        float[] in = new float[count];
        for (int i = 0; i < count; i++) {
            // NaNs and infinities only in every third block (a NaN anywhere makes a block's sum NaN)
            int k = (i / 512) % 3 == 1 ? i % 37 : i % 23 == 0 ? 6 : i % 19 == 0 ? 4 : 9 + i % 5;
            in[i] = switch (k) {
                case 0 -> Float.intBitsToFloat(0x7fc0_0000 | (i & 0xffff));
                case 1 -> Float.intBitsToFloat(0xff80_0001 + (i & 0xff));
                case 2 -> Float.POSITIVE_INFINITY;
                case 3 -> Float.NEGATIVE_INFINITY;
                case 4 -> -0.0f;
                case 5 -> 0.0f;
                case 6 -> Float.MIN_VALUE * (i % 7 + 1);
                case 7, 8 -> 3.0e38f;
                default -> (i % 101 - 50) * 0.375f + 0x1p-20f * (i % 13);
            };
        }
        return in;
    }

    private static float add(float a, float b) {
        float v = a + b;
        return v != v ? Float.intBitsToFloat(CANONICAL) : v;
    }

    /** Thread t of block b's {@code v}: {@code in[i]} (raw) and, where {@code i + 256 < n}, plus {@code in[i+256]}. */
    private static float v(float[] in, long un, int b, int t) {
        long i = b * 512L + t;
        float v = i < un ? in[(int) i] : 0.0f;
        if (i + 256 < un) v = add(v, in[(int) i + 256]);
        return v;
    }

    private static int[] reduceReference(float[] in, int n, int grid) {
        long un = n & 0xffff_ffffL;
        int[] out = new int[grid];
        float[] s = new float[256];
        for (int b = 0; b < grid; b++) {
            for (int t = 0; t < 256; t++) s[t] = v(in, un, b, t);
            for (int stride = 128; stride > 0; stride >>= 1) {
                for (int t = 0; t < stride; t++) s[t] = add(s[t + stride], s[t]);
            }
            out[b] = Float.floatToRawIntBits(s[0]);
        }
        return out;
    }

    /** Blocks from {@code first} on whose two arms both cover all 256 threads. */
    private static long sliced(int n, int grid, int first) {
        long un = n & 0xffff_ffffL, k = 0;
        for (int b = first; b < grid; b++) if (b * 512L + 511 < un) k++;
        return k;
    }

    @Test
    void reduceBitForBitThroughTheSlice() throws Exception {
        int grid = 9;
        try (Gpu gpu = gpu(1)) {
            BackendFunction f = reduce(gpu);
            float[] in = input(grid * 512);
            long din = gpu.upload(in);
            long expected = 0;
            for (int n : new int[] {grid * 512, grid * 512 - 100, grid * 512 - 256, grid * 512 - 300, 3 * 512}) {
                long dout = gpu.upload(new int[grid]);
                gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, n, din, dout);
                gpu.sync();
                int[] want = reduceReference(in, n, grid);
                int[] got = gpu.ints(dout, grid);
                for (int b = 0; b < grid; b++) {
                    assertEquals(want[b], got[b], "reduce n=" + n + ": partial[" + b + "] want "
                            + Integer.toHexString(want[b]) + ", got " + Integer.toHexString(got[b]));
                }
                expected += sliced(n, grid, 1);
                assertEquals(SegSlice.ENABLED ? expected : 0, gpu.device.segSlices.sum(),
                        "ADD arms through the slice, n=" + n);
            }
            assertTrue(!SegSlice.ENABLED || expected > 0);
        }
    }

    @Test
    void everyWindowWordBitForBit() throws Exception {
        int grid = 6;
        try (Gpu gpu = gpu(1)) {
            BackendFunction f = SchedulingTest.kernel(gpu, "inputfuse_hand.ptx", "pair_window");
            float[] in = input(grid * 512);
            long din = gpu.upload(in);
            long expected = 0;
            for (int n : new int[] {grid * 512, grid * 512 - 256, grid * 512 - 100, 2 * 512 + 256}) {
                long dout = gpu.upload(new int[grid * 256]);
                gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, n, din, dout);
                gpu.sync();
                int[] got = gpu.ints(dout, grid * 256);
                for (int b = 0; b < grid; b++) {
                    for (int t = 0; t < 256; t++) {
                        int want = Float.floatToRawIntBits(v(in, n, b, 255 - t));
                        assertEquals(want, got[b * 256 + t], "pair_window n=" + n + ": block " + b + " thread "
                                + t + " want " + Integer.toHexString(want) + ", got "
                                + Integer.toHexString(got[b * 256 + t]));
                    }
                }
                // block 0 takes InputFuse here too (InputFuseTest)
                expected += sliced(n, grid, 0);
                assertEquals(SegSlice.ENABLED ? expected : 0, gpu.device.segSlices.sum(),
                        "ADD arms through the slice, n=" + n);
            }
        }
    }

    @Test
    void inputEndingInTheSecondArmFaultsAsBefore() throws Exception {
        int grid = 6, have = 5 * 512 + 296, n = grid * 512;
        try (Gpu gpu = gpu(1)) {
            BackendFunction f = reduce(gpu);
            float[] in = input(have);
            long din = gpu.upload(in);
            int sentinel = 0x5eed5eed;
            int[] init = new int[grid];
            java.util.Arrays.fill(init, sentinel);
            long dout = gpu.upload(init);
            gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, n, din, dout);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result());
            assertTrue(e.getMessage().contains("block (5,0,0), thread (40,0,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("ld.global"), e.getMessage());
            float[] full = new float[grid * 512];
            System.arraycopy(in, 0, full, 0, have);
            int[] want = reduceReference(full, n, grid);
            int[] got = gpu.ints(dout, grid);
            for (int b = 0; b < 5; b++) assertEquals(want[b], got[b], "partial[" + b + "]");
            assertEquals(sentinel, got[5], "partial[5]");
            assertEquals(SegSlice.ENABLED ? 4L : 0L, gpu.device.segSlices.sum(), "blocks 1..4 through the slice");
        }
    }
}
