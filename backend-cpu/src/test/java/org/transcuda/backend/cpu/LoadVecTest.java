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
 * {@link LoadVec}: an arm over a thread range whose loop is {@code v = in[i]} (one 32-bit global load into a
 * per-thread register) read as vectors from device memory into the register's array. Every output word bit for bit
 * against Java references computed here: suite.ptx's {@code reduce} (partial sums of the whole tree) at {@code n} a
 * multiple of 512, not a multiple (last blocks whose first arm covers 99 or 295 threads: vectors and a scalar tail),
 * a partial block of 300 and {@code n} = -1 (unsigned: everything counts); {@code pair_sum} of {@code armdefer.cu}
 * (each thread's {@code v} itself: loaded NaN payloads, signalling NaNs, {@code -0} and subnormals kept where no add
 * follows, computed NaNs canonical); {@code copy_i32} of {@code loadvec_hand.ptx} (the integer form, {@code v} read
 * after the arm). The path is counted ({@link CpuDevice#loadVecs}) once per block whose first arm has threads. An
 * input that ends inside a block's first arm: that block runs the checked loop and faults at the first thread past
 * the allocation ({@code CUDA_ERROR_ILLEGAL_ADDRESS}, {@code ld.global}), the blocks before it counted and stored.
 * Not every thread active: the general path, nothing counted, the same words.
 */
class LoadVecTest {
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

    /** Raw-bit inputs: quiet and signalling NaNs with payloads, infinities, -0, subnormals, numbers. */
    private static float value(int i) {
        return switch (i % 53) {
            case 0 -> Float.intBitsToFloat(0x7fc00123);
            case 1 -> Float.intBitsToFloat(0xff800005); // signalling, negative
            case 2 -> Float.intBitsToFloat(0x7f800001); // signalling
            case 3 -> Float.intBitsToFloat(0xffc0abcd);
            case 4 -> Float.POSITIVE_INFINITY;
            case 5 -> Float.NEGATIVE_INFINITY;
            case 6 -> -0.0f;
            case 7 -> Float.MIN_VALUE * (i % 7 + 1);
            case 8 -> -Float.MIN_VALUE * (i % 5 + 2);
            default -> (i % 37 - 18) * 0.25f + 0x1p-20f * (i % 5);
        };
    }

    private static float[] input(int count) {
        float[] in = new float[count];
        for (int i = 0; i < count; i++) in[i] = value(i * 11 + 5);
        return in;
    }

    /** reduce's input: NaNs only in block 0, so the other blocks' sums are numbers a wrong element changes. */
    private static float[] reduceInput(int count) {
        float[] in = new float[count];
        for (int i = 0; i < count; i++) {
            int b = i / 512, k = i % 512;
            in[i] = b == 0 ? value(i * 11 + 5) : k % 11 == 0 ? -0.0f : k % 13 == 0 ? Float.MIN_VALUE * k
                    : (k % 29 - 14) * 0.375f + 0x1p-18f * (i % 9) + b;
        }
        return in;
    }

    private static float add(float a, float b) {
        float v = a + b;
        return v != v ? Float.intBitsToFloat(CANONICAL) : v;
    }

    /** Thread t of block b's {@code v} (n unsigned): the loaded element itself when no add follows. */
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

    /** Blocks of {@code per} elements' stride whose first arm ({@code i < n}) has threads. */
    private static long firstArms(int n, int grid, int per) {
        long un = n & 0xffff_ffffL, k = 0;
        for (int b = 0; b < grid; b++) if ((long) b * per < un) k++;
        return k;
    }

    @Test
    void reduceBitForBit() throws Exception {
        int grid = 9;
        for (int workers : new int[] {1, 2}) {
            try (Gpu gpu = gpu(workers)) {
                BackendFunction f = reduce(gpu);
                float[] in = reduceInput(grid * 512);
                long din = gpu.upload(in);
                long expected = 0;
                for (int n : new int[] {grid * 512, grid * 512 - 413, grid * 512 - 217, grid * 512 - 511,
                        8 * 512 + 300, grid * 512 - 512, 1000, -1}) {
                    long dout = gpu.upload(new int[grid]);
                    gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, n, din, dout);
                    gpu.sync();
                    int[] want = reduceReference(in, n, grid);
                    int[] got = gpu.ints(dout, grid);
                    for (int b = 0; b < grid; b++) {
                        assertEquals(want[b], got[b], "reduce n=" + n + ": partial[" + b + "] want "
                                + Float.intBitsToFloat(want[b]) + ", got " + Float.intBitsToFloat(got[b]));
                    }
                    expected += firstArms(n, grid, 512);
                    assertEquals(expected, gpu.device.loadVecs.sum(), "arm loads as vectors, n=" + n);
                }
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
            // the last block's first arm: 256 threads (second arm 0), 100 (6 vectors and 4 threads), 7, 1
            for (int n : new int[] {grid * 512, grid * 512 - 256, grid * 512 - 412, grid * 512 - 505,
                    grid * 512 - 511, 6 * 512}) {
                long dout = gpu.upload(new int[grid * 256]);
                gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, n, din, dout, 256);
                gpu.sync();
                int[] got = gpu.ints(dout, grid * 256);
                for (int b = 0; b < grid; b++) {
                    for (int t = 0; t < 256; t++) {
                        int want = Float.floatToRawIntBits(pair(in, n, b, t));
                        int g = got[b * 256 + t];
                        assertEquals(want, g, "pair_sum n=" + n + ": block " + b + " thread " + t + " want "
                                + Integer.toHexString(want) + ", got " + Integer.toHexString(g));
                    }
                }
                expected += firstArms(n, grid, 512);
                assertEquals(expected, gpu.device.loadVecs.sum(), "arm loads as vectors, n=" + n);
            }
        }
    }

    @Test
    void integerLoadBitForBit() throws Exception {
        int grid = 6;
        try (Gpu gpu = gpu(2)) {
            BackendFunction f = SchedulingTest.kernel(gpu, "loadvec_hand.ptx", "copy_i32");
            int[] in = new int[grid * 256];
            for (int i = 0; i < in.length; i++) in[i] = i * 0x9e3779b1 ^ (i << 7);
            long din = gpu.upload(in);
            long expected = 0;
            for (int n : new int[] {grid * 256, grid * 256 - 1, grid * 256 - 100, grid * 256 - 255, 3 * 256 + 17}) {
                long dout = gpu.upload(new int[grid * 256]);
                gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, n, din, dout);
                gpu.sync();
                int[] got = gpu.ints(dout, grid * 256);
                for (int i = 0; i < grid * 256; i++) {
                    int want = (i < n ? in[i] : -7) ^ (i % 256);
                    assertEquals(want, got[i], "copy_i32 n=" + n + ": [" + i + "]");
                }
                expected += firstArms(n, grid, 256);
                assertEquals(expected, gpu.device.loadVecs.sum(), "arm loads as vectors, n=" + n);
            }
        }
    }

    @Test
    void notEveryThreadActiveRunsTheLoop() throws Exception {
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
            assertEquals(0L, gpu.device.loadVecs.sum(), "arm loads as vectors");
        }
    }

    @Test
    void inputEndingInTheFirstArmFaultsAsBefore() throws Exception {
        // one worker: blocks in order; block 4's first arm reads 4·512 + t, past the 4·512 + 40 floats at t = 40
        int grid = 6, have = 4 * 512 + 40, n = grid * 512;
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
            assertTrue(e.getMessage().contains("block (4,0,0), thread (40,0,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("ld.global"), e.getMessage());
            int[] want = reduceReference(reduceInput(grid * 512), n, grid);
            int[] got = gpu.ints(dout, grid);
            for (int b = 0; b < 4; b++) assertEquals(want[b], got[b], "partial[" + b + "]");
            for (int b = 4; b < grid; b++) assertEquals(sentinel, got[b], "partial[" + b + "]");
            assertEquals(4L, gpu.device.loadVecs.sum(), "arm loads as vectors");
        }
    }
}
