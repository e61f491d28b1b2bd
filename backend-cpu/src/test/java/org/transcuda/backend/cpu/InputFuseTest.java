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
 * {@link InputFuse}: the input chain before a shared-memory reduction ({@code v = 0; if (i < n) v = in[i]; if (i +
 * 256 < n) v += in[i + 256]; s[t] = v; bar.sync}) run as one pass per block into the shared window. Every output word
 * bit for bit against Java references computed here (NaN payloads, infinities whose sum is a NaN, overflow,
 * subnormals, signed zeros): suite.ptx's {@code reduce} at {@code n} multiples of 512 and not (a last block whose
 * second arm covers part of its threads, one whose first arm does, one whose second arm covers none) and {@code n} =
 * -1. One worker, so the blocks that take the path are known: every block whose arms' ranges are each all threads
 * or none, except block 0 (the worker's first block runs the segments and fills the thread-constant {@code %r5}).
 * {@code reduce_vlive} (inputfuse_hand.ptx: thread 0's {@code v} read after the barrier) must not take it and gives
 * the right sums; {@code one_arm} (one LOAD arm, the words stored as loaded, {@code -1.0} past {@code n}) takes it,
 * block 0 included (no thread-constant register of its chain is read after the barrier); {@code pair_window}
 * (reduce's chain, then every thread's window word written out) takes it, each word bit for bit.
 * An input allocation that ends inside block 5: that block's site check fails, it runs the segments and faults at
 * the first thread past the allocation.
 */
class InputFuseTest {
    private static final int CANONICAL = 0x7fffffff;

    private static BackendFunction reduce(Gpu gpu) throws Exception {
        Path ptx = Path.of(System.getProperty("user.dir")).resolve("../bench/kernels/suite.ptx");
        var suite = PtxTranslator.translate("suite.ptx", Files.readString(ptx, StandardCharsets.UTF_8));
        return gpu.ctx.loadModule(suite).function("reduce");
    }

    /** Block 0 NaN payloads and infinities, block 1 +inf/-inf in its two halves, block 2 overflowing, then mixed. */
    private static float[] input(int count) {
        float[] in = new float[count];
        for (int i = 0; i < count; i++) {
            int b = i / 512, k = i % 512;
            in[i] = switch (b) {
                case 0 -> switch (k % 11) {
                    case 0 -> Float.intBitsToFloat(0x7fc00123);
                    case 1 -> Float.intBitsToFloat(0xff800005);
                    case 2 -> Float.POSITIVE_INFINITY;
                    case 3 -> -0.0f;
                    case 4 -> Float.MIN_VALUE * (k + 1);
                    default -> k * 0.125f - 20;
                };
                case 1 -> k == 300 ? Float.POSITIVE_INFINITY : k == 44 ? Float.NEGATIVE_INFINITY : k * 0.5f;
                case 2 -> k % 3 == 0 ? 3.0e38f : -1.0f;
                default -> k % 11 == 0 ? -0.0f : k % 13 == 0 ? Float.MIN_VALUE * k : (k % 29 - 14) * 0.375f
                        + 0x1p-18f * (i % 9);
            };
        }
        return in;
    }

    private static float add(float a, float b) {
        float v = a + b;
        return v != v ? Float.intBitsToFloat(CANONICAL) : v;
    }

    /** Thread t of block b's {@code v} (n unsigned, as the kernel compares it). */
    private static float v(float[] in, int n, int b, int t) {
        long un = n & 0xffff_ffffL;
        long i = b * 512L + t;
        float v = i < un ? in[(int) i] : 0.0f;
        if (i + 256 < un) v = add(v, in[(int) i + 256]);
        return v;
    }

    private static int[] reduceReference(float[] in, int n, int grid, boolean vlive) {
        int[] out = new int[grid];
        float[] s = new float[256];
        for (int b = 0; b < grid; b++) {
            for (int t = 0; t < 256; t++) s[t] = v(in, n, b, t);
            for (int stride = 128; stride > 0; stride >>= 1) {
                for (int t = 0; t < stride; t++) s[t] = add(s[t + stride], s[t]);
            }
            float r = s[0];
            if (vlive) r = add(r, v(in, n, b, 0));
            out[b] = Float.floatToRawIntBits(r);
        }
        return out;
    }

    /** Whether a range of the block's threads [lo, hi) clipped to 256 threads is all of them or none. */
    private static boolean allOrNone(long first, long un) {
        return first + 255 < un || first >= un;
    }

    /** Blocks that one worker runs as one pass: both arms' ranges all threads or none, block 0 excepted. */
    private static long fused(int n, int grid) {
        long un = n & 0xffff_ffffL, k = 0;
        for (int b = 1; b < grid; b++) {
            if (allOrNone(b * 512L, un) && allOrNone(b * 512L + 256, un)) k++;
        }
        return k;
    }

    @Test
    void reduceBitForBit() throws Exception {
        int grid = 9;
        try (Gpu gpu = Gpu.lockstep(1)) {
            BackendFunction f = reduce(gpu);
            float[] in = input(grid * 512);
            long din = gpu.upload(in);
            long expected = 0;
            for (int n : new int[] {grid * 512, grid * 512 - 100, grid * 512 - 256, grid * 512 - 300,
                    grid * 512 - 512, grid * 512 - 700, -1}) {
                long dout = gpu.upload(new int[grid]);
                gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, n, din, dout);
                gpu.sync();
                int[] want = reduceReference(in, n, grid, false);
                int[] got = gpu.ints(dout, grid);
                for (int b = 0; b < grid; b++) {
                    assertEquals(want[b], got[b], "reduce n=" + n + ": partial[" + b + "] want "
                            + Float.intBitsToFloat(want[b]) + ", got " + Float.intBitsToFloat(got[b]));
                }
                expected += fused(n, grid);
                assertEquals(expected, gpu.device.inputFuses.sum(), "input chains as one pass, n=" + n);
            }
        }
    }

    @Test
    void twoWorkersBitForBit() throws Exception {
        int grid = 40;
        try (Gpu gpu = Gpu.lockstep(2)) {
            BackendFunction f = reduce(gpu);
            float[] in = input(grid * 512);
            long din = gpu.upload(in);
            for (int n : new int[] {grid * 512, grid * 512 - 77}) {
                long dout = gpu.upload(new int[grid]);
                gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, n, din, dout);
                gpu.sync();
                int[] want = reduceReference(in, n, grid, false);
                int[] got = gpu.ints(dout, grid);
                for (int b = 0; b < grid; b++) assertEquals(want[b], got[b], "n=" + n + " partial[" + b + "]");
            }
            // at most each worker's first block runs the segments
            assertTrue(gpu.device.inputFuses.sum() >= 2 * (grid - 2) - 1, "fused " + gpu.device.inputFuses.sum());
        }
    }

    @Test
    void valueReadAfterTheBarrierKeepsTheSegments() throws Exception {
        int grid = 6;
        try (Gpu gpu = Gpu.lockstep(1)) {
            BackendFunction f = SchedulingTest.kernel(gpu, "inputfuse_hand.ptx", "reduce_vlive");
            float[] in = input(grid * 512);
            long din = gpu.upload(in);
            for (int n : new int[] {grid * 512, grid * 512 - 300}) {
                long dout = gpu.upload(new int[grid]);
                gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, n, din, dout);
                gpu.sync();
                int[] want = reduceReference(in, n, grid, true);
                int[] got = gpu.ints(dout, grid);
                for (int b = 0; b < grid; b++) {
                    assertEquals(want[b], got[b], "reduce_vlive n=" + n + ": partial[" + b + "] want "
                            + Float.intBitsToFloat(want[b]) + ", got " + Float.intBitsToFloat(got[b]));
                }
            }
            assertEquals(0L, gpu.device.inputFuses.sum(), "input chains as one pass");
        }
    }

    @Test
    void oneLoadArmKeepsTheWords() throws Exception {
        int grid = 7;
        try (Gpu gpu = Gpu.lockstep(1)) {
            BackendFunction f = SchedulingTest.kernel(gpu, "inputfuse_hand.ptx", "one_arm");
            float[] in = input(grid * 256);
            long din = gpu.upload(in);
            long expected = 0;
            for (int n : new int[] {grid * 256, grid * 256 - 1, grid * 256 - 256, grid * 256 - 400}) {
                long dout = gpu.upload(new int[grid * 256]);
                gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, n, din, dout);
                gpu.sync();
                int[] got = gpu.ints(dout, grid * 256);
                for (int b = 0; b < grid; b++) {
                    for (int t = 0; t < 256; t++) {
                        int src = b * 256 + 255 - t;
                        int want = src < n ? Float.floatToRawIntBits(in[src]) : Float.floatToRawIntBits(-1.0f);
                        assertEquals(want, got[b * 256 + t], "one_arm n=" + n + ": block " + b + " thread " + t);
                    }
                }
                // no thread-constant register is live after its barrier: block 0 takes the path too
                for (int b = 0; b < grid; b++) if (allOrNone(b * 256L, n)) expected++;
                assertEquals(expected, gpu.device.inputFuses.sum(), "input chains as one pass, n=" + n);
            }
        }
    }

    @Test
    void everyThreadsWindowWordBitForBit() throws Exception {
        // pair_window: each thread's v as stored (loaded NaN payloads kept where no add follows, a NaN made by an
        // add canonical: block 1's thread 44 adds +inf to -inf, signed zeros, subnormals)
        int grid = 6;
        try (Gpu gpu = Gpu.lockstep(1)) {
            BackendFunction f = SchedulingTest.kernel(gpu, "inputfuse_hand.ptx", "pair_window");
            float[] in = input(grid * 512);
            long din = gpu.upload(in);
            long expected = 0;
            for (int n : new int[] {grid * 512, grid * 512 - 256, grid * 512 - 100, 2 * 512 + 256, 512 + 300}) {
                long dout = gpu.upload(new int[grid * 256]);
                gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, n, din, dout);
                gpu.sync();
                int[] got = gpu.ints(dout, grid * 256);
                for (int b = 0; b < grid; b++) {
                    for (int t = 0; t < 256; t++) {
                        int want = Float.floatToRawIntBits(v(in, n, b, 255 - t));
                        int g = got[b * 256 + t];
                        assertEquals(want, g, "pair_window n=" + n + ": block " + b + " thread " + t + " want "
                                + Integer.toHexString(want) + ", got " + Integer.toHexString(g));
                    }
                }
                // no thread-constant register is live after its barrier: block 0 takes the path too
                for (int b = 0; b < grid; b++) {
                    if (allOrNone(b * 512L, n) && allOrNone(b * 512L + 256, n)) expected++;
                }
                assertEquals(expected, gpu.device.inputFuses.sum(), "input chains as one pass, n=" + n);
            }
        }
    }

    @Test
    void inputEndingInABlockFaultsAsBefore() throws Exception {
        // one worker: blocks in order; block 5's second arm reads 5·512 + 256 + t, past the 5·512 + 296 floats at
        // t = 40
        int grid = 6, have = 5 * 512 + 296, n = grid * 512;
        try (Gpu gpu = Gpu.lockstep(1)) {
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
            int[] want = reduceReference(input(grid * 512), n, grid, false);
            int[] got = gpu.ints(dout, grid);
            for (int b = 0; b < 5; b++) assertEquals(want[b], got[b], "partial[" + b + "]");
            assertEquals(sentinel, got[5], "partial[5]");
            assertEquals(4L, gpu.device.inputFuses.sum(), "input chains as one pass");
        }
    }
}
