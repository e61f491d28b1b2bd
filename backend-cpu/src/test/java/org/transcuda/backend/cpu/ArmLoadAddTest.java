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
 * {@link ArmLoadAdd}: an arm over a thread range whose loop is {@code d += in[k]} (one f32 global load added to a
 * per-thread register) run as vectors on device memory. Every output word bit for bit against Java references
 * computed here (NaN payloads, infinities whose sum is a NaN, overflow, subnormals, signed zeros among the inputs):
 * suite.ptx's {@code reduce} (the partial sums of the whole tree) with {@code n} a multiple of 512, not a multiple of
 * 512 (a last block whose second arm covers part of its threads, one whose second arm covers none) and {@code n} =
 * -1 (unsigned: every element counts); {@code pair_sum} of {@code armdefer.cu} (each thread's {@code v} itself:
 * a computed NaN canonical, a loaded one kept) with second arms of 256, 156, 7 and 0 threads in the last block. The
 * vector path is counted ({@link CpuDevice#armLoadAdds}) once per block whose second arm has threads. An input
 * allocation that ends inside the last block's second arm (the site's block check fails there): that block runs the
 * checked loop and faults at the first thread past the allocation with {@code CUDA_ERROR_ILLEGAL_ADDRESS} in
 * {@code ld.global}, the blocks before it counted and their sums stored. Not every thread active ({@code pair_sum}
 * with threads {@code t >= 200} returned): the general path, nothing counted, the same words.
 */
class ArmLoadAddTest {
    /** The arm loops themselves: without {@link InputFuse}, which would take reduce's whole input chain over. */
    @org.junit.jupiter.api.BeforeEach
    void withoutInputFuse() {
        InputFuse.offForTests = true;
    }

    @org.junit.jupiter.api.AfterEach
    void restoreInputFuse() {
        InputFuse.offForTests = false;
    }

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

    private static float value(int i) {
        return switch (i % 97) {
            case 0 -> Float.intBitsToFloat(0x7fc00123);
            case 1 -> Float.intBitsToFloat(0xff800005);
            case 2 -> Float.POSITIVE_INFINITY;
            case 3 -> Float.NEGATIVE_INFINITY;
            case 4 -> -0.0f;
            case 5 -> 3.0e38f;
            case 6 -> Float.MIN_VALUE * (i % 7 + 1);
            default -> (i % 37 - 18) * 0.25f + 0x1p-20f * (i % 5);
        };
    }

    private static float[] input(int count) {
        float[] in = new float[count];
        for (int i = 0; i < count; i++) in[i] = value(i * 7 + 3);
        return in;
    }

    /**
     * reduce's input: block 0 with NaN payloads and infinities, block 1 with +inf and -inf only in its second half
     * (a NaN made by the second arm's add), block 2 overflowing, the others finite (subnormals, signed zeros), so
     * that most partial sums are numbers that a missing or wrong element changes.
     */
    private static float[] reduceInput(int count) {
        float[] in = new float[count];
        for (int i = 0; i < count; i++) {
            int b = i / 512, k = i % 512;
            in[i] = switch (b) {
                case 0 -> value(i * 7 + 3);
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

    /** Thread t of block b's {@code v} (n unsigned, as the kernels compare it). */
    private static float pair(float[] in, int n, int b, int t) {
        long un = n & 0xffff_ffffL;
        long i = b * 512L + t;
        float v = i < un ? in[(int) i] : 0.0f;
        if (i + 256 < un) v = add(v, in[(int) i + 256]);
        return v;
    }

    private static int[] reduceReference(float[] in, int n, int grid) {
        int[] out = new int[grid];
        float[] s = new float[256];
        for (int b = 0; b < grid; b++) {
            for (int t = 0; t < 256; t++) s[t] = pair(in, n, b, t);
            for (int stride = 128; stride > 0; stride >>= 1) {
                for (int t = 0; t < stride; t++) s[t] = add(s[t + stride], s[t]);
            }
            out[b] = Float.floatToRawIntBits(s[0]);
        }
        return out;
    }

    /** Blocks whose second arm ({@code i + 256 < n}) has threads. */
    private static long secondArms(int n, int grid) {
        long un = n & 0xffff_ffffL, k = 0;
        for (int b = 0; b < grid; b++) if (b * 512L + 256 < un) k++;
        return k;
    }

    @Test
    void reduceBitForBit() throws Exception {
        int grid = 9;
        try (Gpu gpu = gpu(2)) {
            BackendFunction f = reduce(gpu);
            float[] in = reduceInput(grid * 512);
            long din = gpu.upload(in);
            long expected = 0;
            for (int n : new int[] {grid * 512, grid * 512 - 100, grid * 512 - 249, grid * 512 - 300,
                    grid * 512 - 511, -1}) {
                long dout = gpu.upload(new int[grid]);
                gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, n, din, dout);
                gpu.sync();
                int[] want = reduceReference(in, n, grid);
                int[] got = gpu.ints(dout, grid);
                for (int b = 0; b < grid; b++) {
                    assertEquals(want[b], got[b], "reduce n=" + n + ": partial[" + b + "] want "
                            + Float.intBitsToFloat(want[b]) + ", got " + Float.intBitsToFloat(got[b]));
                }
                expected += secondArms(n, grid);
                assertEquals(expected, gpu.device.armLoadAdds.sum(), "arm loops as vectors on memory, n=" + n);
            }
        }
    }

    @Test
    void pairSumEachThreadBitForBit() throws Exception {
        int grid = 7;
        try (Gpu gpu = gpu(2)) {
            BackendFunction f = SchedulingTest.kernel(gpu, "armdefer.ptx", "pair_sum");
            float[] in = input(grid * 512);
            long din = gpu.upload(in);
            long expected = 0;
            // the last block's second arm: 256, 156, 7 and 0 threads (a scalar tail after the vectors, none at all)
            for (int n : new int[] {grid * 512, grid * 512 - 100, grid * 512 - 249, grid * 512 - 256}) {
                long dout = gpu.upload(new int[grid * 256]);
                gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, n, din, dout, 256);
                gpu.sync();
                int[] got = gpu.ints(dout, grid * 256);
                for (int b = 0; b < grid; b++) {
                    for (int t = 0; t < 256; t++) {
                        int want = Float.floatToRawIntBits(pair(in, n, b, t));
                        int g = got[b * 256 + t];
                        assertEquals(want, g, "pair_sum n=" + n + ": block " + b + " thread " + t + " want "
                                + Float.intBitsToFloat(want) + ", got " + Float.intBitsToFloat(g));
                    }
                }
                expected += secondArms(n, grid);
                assertEquals(expected, gpu.device.armLoadAdds.sum(), "arm loops as vectors on memory, n=" + n);
            }
        }
    }

    @Test
    void notEveryThreadActiveRunsTheLoop() throws Exception {
        // threads t >= 200 return first: the arms run their general path, not this one
        int grid = 5, n = grid * 512 - 70, live = 200, sentinel = 0x12345678;
        try (Gpu gpu = gpu(2)) {
            BackendFunction f = SchedulingTest.kernel(gpu, "armdefer.ptx", "pair_sum");
            float[] in = input(grid * 512);
            long din = gpu.upload(in);
            int[] init = new int[grid * 256];
            java.util.Arrays.fill(init, sentinel);
            long dout = gpu.upload(init);
            gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, n, din, dout, live);
            gpu.sync();
            int[] got = gpu.ints(dout, grid * 256);
            for (int b = 0; b < grid; b++) {
                for (int t = 0; t < 256; t++) {
                    int want = t < live ? Float.floatToRawIntBits(pair(in, n, b, t)) : sentinel;
                    assertEquals(want, got[b * 256 + t], "block " + b + " thread " + t);
                }
            }
            assertEquals(0L, gpu.device.armLoadAdds.sum(), "arm loops as vectors on memory");
        }
    }

    @Test
    void inputEndingInTheLastArmFaultsAsBefore() throws Exception {
        // one worker: blocks in order; block 5's second arm reads 5·512 + 256 + t, past the 5·512 + 296 floats
        // at t = 40
        int grid = 6, have = 5 * 512 + 296, n = grid * 512;
        try (Gpu gpu = gpu(1)) {
            BackendFunction f = reduce(gpu);
            float[] in = reduceInput(have);
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
            float[] full = reduceInput(grid * 512);
            int[] want = reduceReference(full, n, grid);
            int[] got = gpu.ints(dout, grid);
            for (int b = 0; b < 5; b++) assertEquals(want[b], got[b], "partial[" + b + "]");
            assertEquals(sentinel, got[5], "partial[5]");
            assertEquals(5L, gpu.device.armLoadAdds.sum(), "arm loops as vectors on memory");
        }
    }
}
