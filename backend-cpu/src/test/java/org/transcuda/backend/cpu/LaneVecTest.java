package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.Dim3;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;

/**
 * Lockstep lane loops run as vectors of a row's threads ({@link LaneVec}): matmul's segment between its barriers
 * with a second chain of {@code sub/mul/add.rn.f32} (a per-thread value from before the loop, a uniform parameter, a
 * constant) and a shared value kept as loaded, and LaneJamTest's 20 × 20 tiles (a segment that only fits without
 * interleaving: vectors, then the plain loop), in blocks of many shapes (rows of one or two vectors, rows with a
 * remainder, rows narrower than a vector, several rows and layers), 0, 1 and 3 tile iterations; every output bit for
 * bit against a Java reference (NaN payloads kept where a value is only loaded, NVIDIA's canonical NaN where it is
 * computed; signalling NaNs, infinities, -0.0 and fma-sensitive values among the inputs); the threads × runs that ran
 * as vectors against the count from the block shapes and the vector length; blocks in which not every thread is
 * active, and a run with integer and f64 operations (no vectors, same results); and a shared load past the window,
 * which faults at its thread and instruction. Kernels: {@code src/test/resources/kernels/lanevec.cu} and
 * {@code jamreuse.cu}. Needs the JVM's vector module (the surefire configuration adds it).
 */
class LaneVecTest {
    private static Gpu gpu() throws BackendException {
        Gpu g = new Gpu(2);
        g.device.engine(CpuDevice.Engine.LOCKSTEP);
        return g;
    }

    private static float cf(float x) {
        return Float.isNaN(x) ? Float.intBitsToFloat(0x7fffffff) : x;
    }

    private static float value(int i, int salt) {
        return switch ((i * 7 + salt) % 709) {
            case 0 -> Float.intBitsToFloat(0x7fc00123); // quiet NaN with a payload
            case 1 -> Float.intBitsToFloat(0xff800005); // negative signalling NaN
            case 2 -> Float.POSITIVE_INFINITY;
            case 3 -> Float.NEGATIVE_INFINITY;
            case 4, 5, 6, 7, 8, 9, 10, 11, 12, 13 -> -0.0f;
            case 14, 15, 16, 17, 18, 19, 20, 21, 22, 23 -> 0.0f;
            default -> switch ((i * 13 + salt) % 5) {
                case 0 -> 1.0f + 0x1p-12f;
                case 1 -> 1.0f - 0x1p-12f;
                case 2 -> -1.0f - 0x1p-11f;
                default -> ((i * 31 + salt * 17) % 61 - 30) * 0.1f;
            };
        };
    }

    /** The reference, three words per thread (acc, s, last); 0 for threads that exited. */
    private static int[] reference(float[] a, float[] b, float[] init, float scale, int grid, int nx, int ny, int nz,
            int iters, int live) {
        int n = nx * ny * nz;
        int[] out = new int[3 * grid * n];
        for (int blk = 0; blk < grid; blk++) {
            for (int t = 0; t < Math.min(n, live); t++) {
                int tx = t % nx, ty = t / nx % ny;
                float acc = init[blk * n + t];
                float bias = init[(blk * n + t + 1) % (grid * n)];
                float s = 0.0f, last = 0.0f;
                for (int it = 0; it < iters; it++) {
                    int base = (blk * iters + it) * 256;
                    for (int k = 0; k < 16; k++) {
                        float x = b[base + k * 16 + tx];
                        acc = cf(Math.fma(a[base + ty * 16 + k], x, acc));
                        if (k % 4 == 3) s = cf(s + cf(cf(x - bias) * scale));
                    }
                    last = b[base + 15 * 16 + tx];
                    s = cf(s + 0.25f);
                }
                int i = 3 * (blk * n + t);
                out[i] = Float.floatToRawIntBits(acc);
                out[i + 1] = Float.floatToRawIntBits(s);
                out[i + 2] = Float.floatToRawIntBits(last);
            }
        }
        return out;
    }

    /** Runs vec_ops, compares every output with the reference; returns how many are NaN. */
    private static int run(Gpu gpu, int grid, int nx, int ny, int nz, int iters, int live, int salt)
            throws Exception {
        int n = nx * ny * nz;
        int tiles = Math.max(1, grid * iters) * 256;
        float[] a = new float[tiles], b = new float[tiles], init = new float[grid * n];
        for (int i = 0; i < tiles; i++) {
            a[i] = value(i, salt);
            b[i] = value(i / 3, salt + 5);
        }
        for (int i = 0; i < init.length; i++) init[i] = value(i * 5, salt + 11);
        float scale = salt % 2 == 0 ? 0.75f : -3.0f;
        long da = gpu.upload(a), db = gpu.upload(b), di = gpu.upload(init);
        long dout = gpu.upload(new float[3 * grid * n]);
        BackendFunction f = SchedulingTest.kernel(gpu, "lanevec.ptx", "vec_ops");
        gpu.launch(f, Dim3.of(grid), new Dim3(nx, ny, nz), 0, iters, da, db, di, dout, scale, live);
        gpu.sync();
        int[] want = reference(a, b, init, scale, grid, nx, ny, nz, iters, live);
        int[] got = gpu.ints(dout, 3 * grid * n);
        int nans = 0;
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], "out[" + i + "] (" + "acc s last".split(" ")[i % 3] + ") of block " + nx
                    + "x" + ny + "x" + nz + ", " + iters + " iterations, " + live + " live: want "
                    + Float.intBitsToFloat(want[i]) + ", got " + Float.intBitsToFloat(got[i]));
            if (Float.isNaN(Float.intBitsToFloat(want[i]))) nans++;
        }
        return nans;
    }

    @Test
    void everyBlockShapeAndTripCountBitForBit() throws Exception {
        Assumptions.assumeTrue(LaneVec.AVAILABLE, "the JVM has no vector module");
        int vl = LaneVec.length();
        int[][] shapes = {{16, 16, 1}, {16, 4, 3}, {13, 7, 1}, {8, 8, 2}, {4, 4, 1}, {5, 3, 2}, {1, 16, 1},
            {16, 1, 1}};
        try (Gpu gpu = gpu()) {
            long expected = 0, outputs = 0, nans = 0, payloads = 0;
            int grid = 5;
            for (int[] s : shapes) {
                for (int iters : new int[] {0, 1, 3}) {
                    int n = s[0] * s[1] * s[2];
                    nans += run(gpu, grid, s[0], s[1], s[2], iters, n, iters + s[0]);
                    if (iters > 0) outputs += 3L * grid * n;
                    // each block runs the segment once per iteration; in it, every row runs ntx - ntx % VL
                    // threads as vectors
                    expected += (long) grid * iters * s[1] * s[2] * (s[0] - s[0] % vl);
                    assertEquals(expected, gpu.device.vecLanes.sum(),
                            "threads x runs as vectors after " + s[0] + "x" + s[1] + "x" + s[2] + ", " + iters);
                }
            }
            assertTrue(expected > 0, "some rows as vectors (vector length " + vl + ")");
            assertTrue(nans > 0 && nans < outputs / 2, "some NaN results, not only: " + nans + " of " + outputs);
        }
    }

    /**
     * 24 × 24 tiles: too big with interleaved copies even at 2 threads per step (with lean segment entries too), so the
     * segment has vectors only, the rest of a row plain. (The 20 × 20 kernel fits at 2 threads per step once segment
     * entries are lean, so it no longer shows this.)
     */
    @Test
    void aSegmentTooBigToInterleaveStillRunsVectors() throws Exception {
        Assumptions.assumeTrue(LaneVec.AVAILABLE, "the JVM has no vector module");
        int vl = LaneVec.length();
        try (Gpu gpu = gpu()) {
            long expected = 0;
            int nans = 0, grid = 3;
            for (int[] s : new int[][] {{20, 20}, {7, 5}, {16, 3}}) {
                for (int iters : new int[] {1, 2}) {
                    nans += LaneJamTest.run(gpu, 24, grid, s[0], s[1], 1, iters, s[0] * s[1], iters + 3);
                    expected += (long) grid * iters * s[1] * (s[0] - s[0] % vl);
                    assertEquals(expected, gpu.device.vecLanes.sum(), "after " + s[0] + "x" + s[1] + ", " + iters);
                }
                assertEquals(0, gpu.device.jamLanes.sum(), s[0] + "x" + s[1]);
            }
            assertTrue(expected > 0);
            assertTrue(nans > 0, "some NaN results");
        }
    }

    @Test
    void loadedNaNsKeepTheirPayloads() throws Exception {
        Assumptions.assumeTrue(LaneVec.AVAILABLE, "the JVM has no vector module");
        try (Gpu gpu = gpu()) {
            // `last` is a shared value as loaded: a quiet NaN with payload and a signalling NaN stay as they are
            int grid = 4, n = 256;
            float[] a = new float[grid * 256], b = new float[grid * 256], init = new float[grid * n];
            for (int i = 0; i < b.length; i++) b[i] = (i % 16) * 0.5f;
            b[15 * 16 + 3] = Float.intBitsToFloat(0x7fc00123);
            b[256 + 15 * 16 + 7] = Float.intBitsToFloat(0xff800005);
            long da = gpu.upload(a), db = gpu.upload(b), di = gpu.upload(init);
            long dout = gpu.upload(new float[3 * grid * n]);
            BackendFunction f = SchedulingTest.kernel(gpu, "lanevec.ptx", "vec_ops");
            gpu.launch(f, Dim3.of(grid), new Dim3(16, 16, 1), 0, 1, da, db, di, dout, 1.0f, n);
            gpu.sync();
            int[] got = gpu.ints(dout, 3 * grid * n);
            assertEquals(0x7fc00123, got[3 * 3 + 2]);
            assertEquals(0xff800005, got[3 * (n + 16 * 5 + 7) + 2]);
            // its sums are computed: canonical
            assertEquals(0x7fffffff, got[3 * 3 + 1]);
            assertEquals(0x7fffffff, got[3 * (n + 7) + 1]);
            assertEquals(grid * 256L, gpu.device.vecLanes.sum());
        }
    }

    @Test
    void notEveryThreadActiveRunsThePlainLoop() throws Exception {
        try (Gpu gpu = gpu()) {
            run(gpu, 3, 16, 16, 1, 3, 200, 7);
            assertEquals(0, gpu.device.vecLanes.sum());
        }
    }

    /** jam_reuse's run has integer and f64 operations: no vector form, the interleaved loop runs it. */
    @Test
    void aRunWithOtherOperationsIsNotVectorized() throws Exception {
        try (Gpu gpu = gpu()) {
            LaneJamReuseTest.run(gpu, 3, 16, 16, 1, 3, 256, 5);
            assertEquals(0, gpu.device.vecLanes.sum());
            assertTrue(gpu.device.jamLanes.sum() > 0);
        }
    }

    @Test
    void aSharedLoadPastTheWindowFaultsAtItsThread() throws Exception {
        try (Gpu gpu = gpu()) {
            int nx = 16, ny = 16, n = nx * ny;
            long da = gpu.upload(new float[256]), db = gpu.upload(new float[256]);
            long di = gpu.upload(new float[n]), dout = gpu.upload(new float[n]);
            // LaneJamTest's kernel, whose run has a vector form: As[ty * 16 + k + 257] reads past the window in
            // row 15 only, so the once-per-block check fails and the plain checked loop runs (no vectors) and
            // faults at thread (0, 15), as without LaneVec
            BackendFunction f = SchedulingTest.kernel(gpu, "lanejam.ptx", "jam_tiles");
            gpu.launch(f, Dim3.of(1), new Dim3(nx, ny, 1), 0, 1, da, db, di, dout, 257, n);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result());
            assertTrue(e.getMessage().contains("block (0,0,0), thread (0,15,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("ld.shared"), e.getMessage());
            assertEquals(0, gpu.device.vecLanes.sum());
        }
    }
}
