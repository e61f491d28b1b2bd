package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.Dim3;
import org.transcuda.spi.BackendException;

/**
 * {@link TileCopy}: a lane loop of the copy form run as one copy per store for the whole block, the rows'
 * consecutiveness decided once per block. LoopTouchTest's matmul ({@code looptouch.ptx}, the suite's kernel with T × T
 * tiles) at n = 64, 48, 16 (16 × 16 tiles) and n = 35 (5 × 5: a row shorter than a vector, not this form), 1 and 2
 * workers: C bit for bit against a Java reference (one {@code Math.fma} chain per element, NaN canonicalized) with NaN
 * payloads, a signalling NaN, -0.0, infinities and fma-sensitive values; the whole-block copies counted
 * ({@code CpuDevice.tileCopies} = blocks · tiles · 2) and the row tests answered by the kept mark
 * ({@code tileRowsKept} = blocks · (tiles − 1) · 2, with PtrStep). A 3 floats short faults in the last tile of the
 * last block row at the same thread and instruction as the per-row form, with the copies before it counted exactly.
 * {@code vec_copy_skip} (vecconsecutive.ptx, a row's pointers with a gap after thread {@code skip - 1}, or spaced
 * {@code stride} words apart): every word as loaded, whole-block copies only where every row is consecutive. With
 * {@code -Dtranscuda.cpu.tileCopy=false} the results are the same and the counts 0.
 */
class TileCopyTest {
    private static Gpu gpu(int workers) throws BackendException {
        Gpu g = new Gpu(workers);
        g.device.engine(CpuDevice.Engine.LOCKSTEP);
        return g;
    }

    /** n × n floats, random in [-1, 1) with the special values spread over them (raw bits). */
    private static int[] matrix(int n, long seed) {
        java.util.Random rnd = new java.util.Random(seed);
        int[] m = new int[n * n];
        for (int i = 0; i < m.length; i++) m[i] = Float.floatToRawIntBits(rnd.nextFloat() * 2 - 1);
        int[] sp = {0x7fc0_1234, 0xff80_0001, 0x8000_0000, 0x7f80_0000, 0xff80_0000,
            Float.floatToRawIntBits(1 + 0x1p-12f), Float.floatToRawIntBits(1 - 0x1p-12f), 0x7f80_0abc};
        for (int k = 0; k < sp.length; k++) m[(int) ((k * 7919L + seed) % m.length)] = sp[k];
        return m;
    }

    /** C = A·B as the kernel computes it: per element one fma chain over k in order, a NaN result canonical. */
    private static int[] reference(int n, int[] a, int[] b) {
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

    /** Whether the form can apply to rows of {@code ntx} threads on this JVM. */
    private static boolean applies(int ntx) {
        return TileCopy.ENABLED && LaneVec.on() && LaneVec.COPY && ntx % LaneVecOps.I.length() == 0;
    }

    @Test
    void matmulTilesCopiedOncePerBlock() throws Exception {
        for (int[] s : new int[][] {{16, 64}, {16, 48}, {16, 16}, {5, 35}}) {
            int t = s[0], n = s[1];
            for (int workers : new int[] {1, 2}) {
                try (Gpu gpu = gpu(workers)) {
                    int[] a = matrix(n, 11 + n), b = matrix(n, 23 + n);
                    long da = gpu.upload(a), db = gpu.upload(b), dc = gpu.alloc(4L * n * n);
                    gpu.launch(SchedulingTest.kernel(gpu, "looptouch.ptx", "touch_mm" + t), Dim3.of(n / t, n / t),
                            Dim3.of(t, t), 0, n, da, db, dc, t * t);
                    gpu.sync();
                    String what = t + "x" + t + " tiles, n = " + n + ", " + workers + " workers";
                    assertArrayEquals(reference(n, a, b), gpu.ints(dc, n * n), what);
                    long blocks = (long) (n / t) * (n / t), tiles = n / t;
                    boolean on = applies(t);
                    assertEquals(on ? blocks * tiles * 2 : 0, gpu.device.tileCopies.sum(), what);
                    assertEquals(on && PtrStep.ENABLED ? blocks * (tiles - 1) * 2 : 0,
                            gpu.device.tileRowsKept.sum(), what);
                }
            }
        }
    }

    /**
     * A 3 floats short: in the last tile of the last block row, thread (13, 15) reads past the allocation. That tile's
     * A check fails, so the loop runs in the checked per-thread form and faults at that thread and {@code ld.global};
     * one worker runs the blocks in order, so the whole-block copies before it are counted exactly.
     */
    @Test
    void loadPastTheEndInALaterTileFaultsAtItsThread() throws Exception {
        int t = 16, n = 48, g = n / t;
        try (Gpu gpu = gpu(1)) {
            int[] a = matrix(n, 7), b = matrix(n, 8);
            long da = gpu.upload(java.util.Arrays.copyOf(a, n * n - 3)), db = gpu.upload(b);
            long dc = gpu.alloc(4L * n * n);
            gpu.launch(SchedulingTest.kernel(gpu, "looptouch.ptx", "touch_mm16"), Dim3.of(g, g), Dim3.of(t, t), 0,
                    n, da, db, dc, t * t);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result());
            assertTrue(e.getMessage().contains("block (0," + (g - 1) + ",0), thread (13,15,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("ld.global"), e.getMessage());
            boolean on = applies(t);
            // blocks before (0, g-1): every tile; then its first g-1 tiles; the last one not (its A check failed)
            long before = (long) (g - 1) * g;
            assertEquals(on ? (before * g + (g - 1)) * 2 : 0, gpu.device.tileCopies.sum());
            assertEquals(on && PtrStep.ENABLED ? (before * (g - 1) + (g - 2)) * 2 : 0,
                    gpu.device.tileRowsKept.sum());
        }
    }

    /**
     * vec_copy_skip: thread (tx, ty)'s pointer is {@code a + 4·stride·(idx + (tx >= skip ? 1 : 0))}; out[t] is the word
     * that thread 255 − t loaded. Rows are consecutive only for stride 1 with no gap inside a row (skip 0 or ≥ 16).
     */
    @Test
    void rowsWithAGapOrAStrideUseThePerRowForm() throws Exception {
        Assumptions.assumeTrue(LaneVec.on(), "no vector module");
        int grid = 2, iters = 3;
        for (int stride : new int[] {1, 2}) {
            for (int skip : new int[] {0, 1, 3, 8, 15, 16, 40}) {
                int words = (grid * iters * 256 + 1) * stride;
                int[] a = new int[words];
                java.util.Random rnd = new java.util.Random(skip * 31L + stride);
                for (int i = 0; i < words; i++) a[i] = rnd.nextInt();
                a[7] = 0x7fc0_1234;
                a[300] = 0xff80_0001;
                a[2 * 300] = 0x7f80_0001;
                String what = "stride " + stride + " skip " + skip;
                try (Gpu gpu = gpu(2)) {
                    long da = gpu.upload(a), dout = gpu.alloc(4L * grid * iters * 256);
                    gpu.launch(SchedulingTest.kernel(gpu, "vecconsecutive.ptx", "vec_copy_skip"), Dim3.of(grid),
                            Dim3.of(16, 16), 0, iters, da, stride, dout, skip);
                    gpu.sync();
                    int[] want = new int[grid * iters * 256];
                    for (int blk = 0; blk < grid; blk++) {
                        for (int it = 0; it < iters; it++) {
                            for (int t = 0; t < 256; t++) {
                                int src = 255 - t;
                                int gap = src % 16 >= skip ? 1 : 0;
                                want[(blk * iters + it) * 256 + t] = a[((blk * iters + it) * 256 + src + gap) * stride];
                            }
                        }
                    }
                    assertArrayEquals(want, gpu.ints(dout, want.length), what);
                    boolean rows = stride == 1 && (skip == 0 || skip >= 16);
                    assertEquals(rows && applies(16) ? (long) grid * iters : 0, gpu.device.tileCopies.sum(), what);
                }
            }
        }
    }
}
