package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.Dim3;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;

/**
 * Lockstep lane loops that run several threads' statement chains interleaved ({@link LaneJam}): matmul's segment
 * between its barriers (16 chained {@code fma.rn.f32} per thread over shared tiles) in blocks of many shapes (row
 * widths that are multiples of the interleaving width, odd ones with a remainder, narrower than it; several rows and
 * layers), with 0, 1 and 3 tile iterations, every output bit for bit against a Java reference (NaN payloads,
 * signalling NaNs, infinities, -0.0 and fma-sensitive values among the inputs); the number of threads × runs that ran
 * interleaved against the count computed from the block shapes; blocks in which not every thread is active
 * (none interleaved, same results); and a shared load past the window in the interleaved run, which faults at its
 * thread and instruction. Kernel: {@code src/test/resources/kernels/lanejam.cu}.
 */
class LaneJamTest {
    /** The interleaved loops themselves: without LaneVec's vectors, which would take the rows' threads first. */
    @org.junit.jupiter.api.BeforeEach
    void scalarOnly() {
        LaneVec.offForTests = true;
    }

    @org.junit.jupiter.api.AfterEach
    void restoreVectors() {
        LaneVec.offForTests = false;
    }

    private static Gpu gpu() throws BackendException {
        Gpu g = new Gpu(2);
        g.device.engine(CpuDevice.Engine.LOCKSTEP);
        return g;
    }

    /** The kernel for tile × tile tiles (16 or 20). */
    private static BackendFunction kernel(Gpu gpu, int tile) throws Exception {
        return SchedulingTest.kernel(gpu, "lanejam.ptx", tile == 16 ? "jam_tiles" : "jam_tiles" + tile);
    }

    /** NVIDIA's canonical NaN for any NaN result of an f32 operation. */
    private static float cf(float x) {
        return Float.isNaN(x) ? Float.intBitsToFloat(0x7fffffff) : x;
    }

    private static float value(int i, int salt) {
        return switch ((i * 7 + salt) % 1009) {
            case 0 -> Float.intBitsToFloat(0x7fc00123); // quiet NaN with a payload
            case 1 -> Float.intBitsToFloat(0xff800005); // negative signalling NaN
            case 2 -> Float.POSITIVE_INFINITY;
            case 3 -> Float.NEGATIVE_INFINITY;
            case 4, 5, 6, 7, 8, 9, 10, 11, 12, 13 -> -0.0f;
            case 14, 15, 16, 17, 18, 19, 20, 21, 22, 23 -> 0.0f;
            default -> switch ((i * 13 + salt) % 5) {
                // fma-sensitive: a*b + c rounds differently fused than as two operations
                case 0 -> 1.0f + 0x1p-12f;
                case 1 -> 1.0f - 0x1p-12f;
                case 2 -> -1.0f - 0x1p-11f;
                default -> ((i * 31 + salt * 17) % 61 - 30) * 0.1f;
            };
        };
    }

    /** The reference: thread (tx, ty, tz) of block blk, live threads only; 0 for threads that exited. */
    private static int[] reference(int tile, float[] a, float[] b, float[] init, int grid, int nx, int ny, int nz,
            int iters, int live) {
        int n = nx * ny * nz;
        int[] out = new int[grid * n];
        for (int blk = 0; blk < grid; blk++) {
            for (int tz = 0; tz < nz; tz++) {
                for (int ty = 0; ty < ny; ty++) {
                    for (int tx = 0; tx < nx; tx++) {
                        int t = (tz * ny + ty) * nx + tx;
                        if (t >= live) continue;
                        float acc = init[blk * n + t];
                        for (int it = 0; it < iters; it++) {
                            int base = (blk * iters + it) * tile * tile;
                            for (int k = 0; k < tile; k++) {
                                acc = cf(Math.fma(a[base + ty * tile + k], b[base + k * tile + tx], acc));
                            }
                        }
                        out[blk * n + t] = Float.floatToRawIntBits(acc);
                    }
                }
            }
        }
        return out;
    }

    /** Runs the kernel, compares every output with the reference; returns how many are NaN. */
    static int run(Gpu gpu, int tile, int grid, int nx, int ny, int nz, int iters, int live, int salt)
            throws Exception {
        int n = nx * ny * nz;
        int tiles = Math.max(1, grid * iters) * tile * tile;
        float[] a = new float[tiles], b = new float[tiles], init = new float[grid * n];
        for (int i = 0; i < tiles; i++) {
            a[i] = value(i, salt);
            b[i] = value(i / 3, salt + 5);
        }
        for (int i = 0; i < init.length; i++) init[i] = value(i * 5, salt + 11);
        long da = gpu.upload(a), db = gpu.upload(b), di = gpu.upload(init);
        long dout = gpu.upload(new float[grid * n]);
        gpu.launch(kernel(gpu, tile), Dim3.of(grid), new Dim3(nx, ny, nz), 0, iters, da, db, di, dout, 0, live);
        gpu.sync();
        int[] want = reference(tile, a, b, init, grid, nx, ny, nz, iters, live);
        int[] got = gpu.ints(dout, grid * n);
        int nans = 0;
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], "out[" + i + "] of block " + nx + "x" + ny + "x" + nz + ", " + iters
                    + " iterations, " + live + " live: want " + Float.intBitsToFloat(want[i]) + ", got "
                    + Float.intBitsToFloat(got[i]));
            if (Float.isNaN(Float.intBitsToFloat(want[i]))) nans++;
        }
        return nans;
    }

    @Test
    void everyBlockShapeAndTripCountBitForBit() throws Exception {
        int w = LaneJam.WIDTH;
        int[][] shapes = {{16, 16, 1}, {13, 7, 1}, {4, 4, 1}, {5, 3, 2}, {3, 5, 1}, {1, 16, 1}, {9, 1, 3}, {16, 1, 1}};
        try (Gpu gpu = gpu()) {
            long expected = 0, outputs = 0, nans = 0;
            int grid = 5;
            for (int[] s : shapes) {
                for (int iters : new int[] {0, 1, 3}) {
                    int n = s[0] * s[1] * s[2];
                    nans += run(gpu, 16, grid, s[0], s[1], s[2], iters, n, iters + s[0]);
                    if (iters > 0) outputs += (long) grid * n;
                    // each block runs the fma segment once per iteration; in it, every row of the block runs
                    // ntx - ntx % WIDTH threads interleaved
                    expected += (long) grid * iters * s[1] * s[2] * (s[0] - s[0] % w);
                    assertEquals(expected, gpu.device.jamLanes.sum(),
                            "threads x runs interleaved after " + s[0] + "x" + s[1] + "x" + s[2] + ", " + iters);
                }
            }
            assertTrue(expected > 0);
            assertTrue(nans > 0 && nans < outputs / 2, "some NaN results, not only: " + nans + " of " + outputs);
        }
    }

    @Test
    void notEveryThreadActiveRunsThePlainLoop() throws Exception {
        try (Gpu gpu = gpu()) {
            // 200 of 256 threads live: the fma segment runs on the active list, never interleaved
            run(gpu, 16, 3, 16, 16, 1, 3, 200, 7);
            assertEquals(0, gpu.device.jamLanes.sum());
        }
    }

    @Test
    void aSharedLoadPastTheWindowFaultsAtItsThread() throws Exception {
        try (Gpu gpu = gpu()) {
            int nx = 16, ny = 16, n = nx * ny, grid = 1;
            long da = gpu.upload(new float[16 * 16]), db = gpu.upload(new float[16 * 16]);
            long di = gpu.upload(new float[n]), dout = gpu.upload(new float[n]);
            // As[ty * 16 + k + shift] with shift 257: As and Bs are the 512 floats of the window (As first), so only
            // threads of row 15 read past it (index 512 at k = 15), and thread (0, 15) is the first of them in thread
            // order. The once-per-block check of the run fails, so the plain checked loop runs (nothing interleaved)
            // and faults there, as without LaneJam.
            int shift = 257;
            gpu.launch(kernel(gpu, 16), Dim3.of(grid), new Dim3(nx, ny, 1), 0, 1, da, db, di, dout, shift, n);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result());
            assertTrue(e.getMessage().contains("block (0,0,0), thread (0,15,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("ld.shared"), e.getMessage());
            assertEquals(0, gpu.device.jamLanes.sum());
        }
    }

    /**
     * 20 × 20 tiles: 20 chained {@code fma} per thread, whose segment method would pass HotSpot's 8000 bytes with 4
     * threads per interleaved step, so it is generated with 2 (the default width, 4, assumed).
     */
    @Test
    void aRunTooLongForFourThreadsInterleavesTwo() throws Exception {
        int[][] shapes = {{20, 20, 1}, {7, 5, 1}, {1, 3, 1}};
        try (Gpu gpu = gpu()) {
            long expected = 0;
            int nans = 0, grid = 3;
            for (int[] s : shapes) {
                for (int iters : new int[] {1, 2}) {
                    nans += run(gpu, 20, grid, s[0], s[1], s[2], iters, s[0] * s[1] * s[2], iters + 3);
                    // the smaller shapes' methods fit with 4 threads per step when the segment entries are lean
                    // (LeanPrologue: less bytecode per segment method); 20 × 20 needs 2 either way
                    int w = s[0] == 20 || !LeanPrologue.ENABLED ? 2 : 4;
                    expected += (long) grid * iters * s[1] * s[2] * (s[0] - s[0] % w);
                    assertEquals(expected, gpu.device.jamLanes.sum(), "after " + s[0] + "x" + s[1] + ", " + iters);
                }
            }
            assertTrue(nans > 0, "some NaN results");
        }
    }
}
