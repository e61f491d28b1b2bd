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
 * The lockstep engine's bulk global loads ({@link LaneBulk}, off with {@code -Dtranscuda.cpu.laneBulk=false}): loads
 * of a lane loop whose per-block check passed and whose addresses are consecutive in thread order, read with one
 * copy before the loop. Results against Java references (f32 block sums bit for bit with NaN, infinities, -0.0 and
 * rounding-sensitive inputs, whole and partial blocks; 32-bit, 64-bit and f64 loads in 2-D blocks; a strided load),
 * the number of copies counted from the kernels' structure and the allocation sizes (0 with the switch off, so these
 * tests fail then), a store before the load in the same run (no copy: each thread reads what the thread before it
 * stored, as thread by thread) and a load past the end of the data (the block's check fails: fault at the first bad
 * thread and instruction). Kernels: {@code src/test/resources/kernels/lanebulk.cu}.
 */
class LaneBulkTest {
    /**
     * The arms' {@code v += in[k]} loops themselves: without {@link ArmLoadAdd} and {@link InputFuse}, which would take
     * them over.
     */
    @org.junit.jupiter.api.BeforeEach
    void withoutArmLoadAdd() {
        ArmLoadAdd.offForTests = true;
        InputFuse.offForTests = true;
    }

    @org.junit.jupiter.api.AfterEach
    void restoreArmLoadAdd() {
        ArmLoadAdd.offForTests = false;
        InputFuse.offForTests = false;
    }

    private static BackendFunction kernel(Gpu gpu, String name) throws Exception {
        return SchedulingTest.kernel(gpu, "lanebulk.ptx", name);
    }

    private static Gpu gpu() throws BackendException {
        Gpu g = new Gpu(2);
        g.device.engine(CpuDevice.Engine.LOCKSTEP);
        return g;
    }

    private static float input(int i) {
        return switch (i % 11) {
            case 0 -> 0x1p24f;
            case 1 -> 1.0f;
            case 2 -> -0x1p24f;
            case 3 -> 0x1p-3f + i * 0x1p-20f;
            case 4 -> -0.0f;
            default -> (i % 97 - 48) * 0.1f;
        };
    }

    @Test
    void blockSumsWholeAndPartialBlocks() throws Exception {
        // {block size, n, 1: bsum256}: n inside the last block's first half, in its second half, a whole number of
        // blocks
        int[][] cases = {{256, 5 * 512 + 100, 0}, {256, 5 * 512 + 300, 0}, {64, 9 * 128, 0}, {80, 4 * 160 + 81, 0},
            {1, 7, 0}, {256, 5 * 512 + 100, 1}, {256, 5 * 512 + 300, 1}, {256, 6 * 512, 1}, {256, 100, 1}};
        for (int[] c : cases) {
            int nt = c[0], n = c[1];
            String name = c[2] == 1 ? "bsum256" : "bsum";
            int grid = (n + 2 * nt - 1) / (2 * nt);
            try (Gpu gpu = gpu()) {
                float[] in = new float[n];
                for (int i = 0; i < n; i++) in[i] = input(i);
                in[n / 3] = Float.NaN;
                in[n / 2] = Float.POSITIVE_INFINITY;
                long din = gpu.upload(in);
                long dout = gpu.alloc(4L * grid);
                gpu.launch(kernel(gpu, name), grid, nt, n, din, dout);
                gpu.sync();
                float[] out = gpu.floats(dout, grid);
                String what = name + ", block of " + nt + ", n " + n;
                long copies = 0;
                for (int b = 0; b < grid; b++) {
                    float[] s = new float[nt];
                    for (int t = 0; t < nt; t++) {
                        int i = b * 2 * nt + t;
                        float v = 0.0f;
                        if (i < n) v = in[i];
                        if (i + nt < n) v += in[i + nt];
                        s[t] = v;
                    }
                    for (int stride = nt / 2; stride > 0; stride >>= 1) {
                        for (int t = 0; t < stride; t++) s[t] += s[t + stride];
                    }
                    int want = Float.isNaN(s[0]) ? 0x7fffffff : Float.floatToRawIntBits(s[0]);
                    assertEquals(want, Float.floatToRawIntBits(out[b]), what + ", block " + b);
                    // a site's copy when its whole block range lies inside the n floats
                    if (b * 2 * nt + nt <= n) copies++;
                    if (b * 2 * nt + 2 * nt <= n) copies++;
                }
                assertEquals(copies, gpu.device.laneBulk.sum(), what);
            }
        }
    }

    @Test
    void intsLongsDoublesInTwoDimensionalBlocks() throws Exception {
        int[][] shapes = {{16, 8}, {8, 4}, {32, 1}, {1, 16}};
        for (int[] sh : shapes) {
            int bx = sh[0], by = sh[1], nt = bx * by, grid = 5, n = grid * nt;
            try (Gpu gpu = gpu()) {
                int[] a = new int[n];
                long[] b = new long[n];
                double[] c = new double[n];
                int[] d = new int[2 * n];
                for (int i = 0; i < n; i++) {
                    a[i] = i * 0x9E3779B1;
                    b[i] = (long) i * 0x1234_5678_9ABCL - 77;
                    c[i] = i % 5 == 0 ? -0.0 : i * 1.25 - 100;
                }
                for (int i = 0; i < 2 * n; i++) d[i] = 3 * i + 1;
                long da = gpu.upload(a), db = gpu.upload(b), dc = gpu.upload(c), dd = gpu.upload(d);
                long dout = gpu.alloc(8L * n), doutd = gpu.alloc(8L * n);
                gpu.launch(kernel(gpu, "mixed"), Dim3.of(grid), new Dim3(bx, by, 1), 0, da, db, dc, dd, dout, doutd);
                gpu.sync();
                long[] want = new long[n];
                double[] wantd = new double[n];
                for (int blk = 0; blk < grid; blk++) {
                    for (int t = 0; t < nt; t++) {
                        int i = blk * nt + t;
                        int u = blk * nt + (t + 1) % nt;
                        want[i] = b[i] * 3 + (a[u] ^ d[2 * u]);
                        wantd[i] = c[i] * 0.5 + d[2 * i];
                    }
                }
                String what = bx + " x " + by;
                assertArrayEquals(want, gpu.longs(dout, n), what);
                assertArrayEquals(wantd, gpu.doubles(doutd, n), what);
                // a, b and c: one copy each per block; d[2i] is two elements apart (per-thread loads)
                assertEquals(3L * grid, gpu.device.laneBulk.sum(), what);
            }
        }
    }

    @Test
    void anArmThatLoadsAndComputesMore() throws Exception {
        for (int[] c : new int[][] {{256, 3 * 256 + 77}, {64, 6 * 64}}) {
            int nt = c[0], n = c[1], grid = (n + nt - 1) / nt + 1;
            try (Gpu gpu = gpu()) {
                int[] in = new int[n];
                for (int i = 0; i < n; i++) in[i] = i * 7919 - 40000;
                long din = gpu.upload(in);
                long dout = gpu.alloc(4L * grid * nt);
                gpu.launch(kernel(gpu, "armtwo"), grid, nt, n, din, dout);
                gpu.sync();
                int[] want = new int[grid * nt];
                for (int b = 0; b < grid; b++) {
                    for (int t = 0; t < nt; t++) {
                        int i = b * nt + t, k = b * nt + nt - 1 - t;
                        int w = i < n ? in[i] * 3 + i : -2;
                        want[i] = (k < n ? in[k] : -1) + w;
                    }
                }
                assertArrayEquals(want, gpu.ints(dout, grid * nt), "block of " + nt + ", n " + n);
            }
        }
    }

    @Test
    void aStoreBeforeTheLoadInTheRunKeepsThreadOrder() throws Exception {
        for (int nt : new int[] {256, 80}) {
            try (Gpu gpu = gpu()) {
                int[] p = new int[nt + 1];
                for (int i = 0; i <= nt; i++) p[i] = 1000 + i;
                long dp = gpu.upload(p);
                long dq = gpu.alloc(4L * nt);
                gpu.launch(kernel(gpu, "ahead"), 1, nt, dp, dq);
                gpu.sync();
                // thread t stores p[t + 1] = -t before thread t + 1 loads p[t + 1]
                int[] v = new int[nt];
                for (int t = 0; t < nt; t++) v[t] = t == 0 ? 1000 : -(t - 1);
                int[] want = new int[nt];
                for (int t = 0; t < nt; t++) want[t] = v[t] + v[(t + 1) % nt];
                assertArrayEquals(want, gpu.ints(dq, nt), "block of " + nt);
                assertEquals(0L, gpu.device.laneBulk.sum(), "block of " + nt);
            }
        }
    }

    @Test
    void aLoadPastTheDataFaultsAtItsThread() throws Exception {
        int nt = 256, grid = 3, n = 2 * nt + 100;
        float[] in = new float[n];
        for (int i = 0; i < n; i++) in[i] = input(i);
        try (Gpu gpu = gpu()) {
            long din = gpu.upload(in);
            long dout = gpu.alloc(4L * grid * nt);
            gpu.launch(kernel(gpu, "past"), grid, nt, n, 0, din, dout);
            gpu.sync();
            float[] out = gpu.floats(dout, grid * nt);
            for (int blk = 0; blk < grid; blk++) {
                for (int t = 0; t < nt; t++) {
                    int i = blk * nt + t, k = blk * nt + nt - 1 - t;
                    float want = (i < n ? in[i] : 0.0f) + (k < n ? in[k] : 0.0f);
                    assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(out[i]), "element " + i);
                }
            }
            // blocks 0 and 1 lie inside the data; block 2 runs its arm over threads 0..99 thread by thread
            assertEquals(2L, gpu.device.laneBulk.sum());
        }
        try (Gpu gpu = gpu()) {
            long din = gpu.upload(in);
            long dout = gpu.alloc(4L * grid * nt);
            // in[i + 3] for i < n: threads 97..99 of block 2 read past the n floats
            gpu.launch(kernel(gpu, "past"), grid, nt, n, 3, din, dout);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result());
            assertTrue(e.getMessage().contains("block (2,0,0), thread (97,0,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("ld.global"), e.getMessage());
        }
    }
}
