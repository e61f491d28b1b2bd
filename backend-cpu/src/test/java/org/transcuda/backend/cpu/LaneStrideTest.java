package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.Dim3;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;

/**
 * {@link LaneStride}: one-arm branches taken where {@code (tid.x & m) == c} run over every (m + 1)-th thread.
 * Results against a Java reference for {@code (tid.x & 31) == 31} (scan's warp totals) and {@code (tid.x & 7) == 3},
 * in one-dimensional blocks of 256, 100, 33 and 1 threads (the arms counted, {@link CpuDevice#strideArms}) and
 * two-dimensional blocks, where {@code tid.x} is not the thread's index and the general loop runs (none counted); the
 * complement {@code != 5} (not one stride: the general loop); stores through an index array, so a bad index at a
 * selected thread faults there (block, thread, {@code st.global}) and one at an unselected thread does not.
 * Kernels: {@code src/test/resources/kernels/lanestride.cu}.
 */
class LaneStrideTest {
    private static Gpu gpu() throws BackendException {
        Gpu g = new Gpu(2);
        g.device.engine(CpuDevice.Engine.LOCKSTEP);
        return g;
    }

    private static int[] run(Gpu gpu, String kernel, int grid, int bx, int by, int[] in, int[] idx, int outLen)
            throws Exception {
        BackendFunction f = SchedulingTest.kernel(gpu, "lanestride.ptx", kernel);
        int[] init = new int[outLen];
        Arrays.fill(init, -1);
        long din = gpu.upload(in);
        long dout = gpu.upload(init);
        long didx = gpu.upload(idx);
        gpu.launch(f, Dim3.of(grid), new Dim3(bx, by, 1), 0, din, dout, didx);
        gpu.sync();
        return gpu.ints(dout, outLen);
    }

    /** The reference: thread (x, y) of block b stores in[i] * 3 + lin at out[idx[i]] where sel(x). */
    private static int[] want(int grid, int bx, int by, int[] in, int[] idx, int outLen,
            java.util.function.IntPredicate sel) {
        int[] out = new int[outLen];
        Arrays.fill(out, -1);
        int nt = bx * by;
        for (int b = 0; b < grid; b++) {
            for (int lin = 0; lin < nt; lin++) {
                int i = b * nt + lin;
                if (sel.test(lin % bx)) out[idx[i]] = in[i] * 3 + lin;
            }
        }
        return out;
    }

    @Test
    void strideArmsInOneAndTwoDimensions() throws Exception {
        int[][] shapes = {{256, 1}, {100, 1}, {33, 1}, {1, 1}, {48, 2}, {40, 3}, {8, 4}};
        for (String k : new String[] {"stride31", "stride7", "stride_ne"}) {
            java.util.function.IntPredicate sel = switch (k) {
                case "stride31" -> x -> (x & 31) == 31;
                case "stride7" -> x -> (x & 7) == 3;
                default -> x -> (x & 31) != 5;
            };
            for (int[] sh : shapes) {
                int grid = 5, n = grid * sh[0] * sh[1];
                Random r = new Random(n);
                int[] in = new int[n];
                for (int i = 0; i < n; i++) in[i] = r.nextInt();
                // a permutation: every selected thread's store lands in its own element
                int[] idx = new int[n];
                for (int i = 0; i < n; i++) idx[i] = i;
                for (int i = n - 1; i > 0; i--) {
                    int j = r.nextInt(i + 1);
                    int t = idx[i];
                    idx[i] = idx[j];
                    idx[j] = t;
                }
                try (Gpu gpu = gpu()) {
                    int[] got = run(gpu, k, grid, sh[0], sh[1], in, idx, n);
                    String what = k + " in blocks of " + sh[0] + " x " + sh[1];
                    assertArrayEquals(want(grid, sh[0], sh[1], in, idx, n, sel), got, what);
                    boolean strided = LaneStride.ENABLED && !k.equals("stride_ne") && sh[1] == 1;
                    assertEquals(strided ? grid : 0, gpu.device.strideArms.sum(), what);
                }
            }
        }
    }

    @Test
    void aBadIndexFaultsOnlyAtASelectedThread() throws Exception {
        int grid = 3, nt = 256, n = grid * nt;
        int[] in = new int[n];
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        // unselected threads' indices are never read: block 0 thread 94, block 2 thread 30
        idx[94] = 1 << 30;
        idx[2 * nt + 30] = -1;
        try (Gpu gpu = gpu()) {
            int[] got = run(gpu, "stride31", grid, nt, 1, in, idx, n);
            assertArrayEquals(want(grid, nt, 1, in, idx, n, x -> (x & 31) == 31), got);
        }
        // a selected thread's: block 1, thread 95
        idx[nt + 95] = -7;
        try (Gpu gpu = gpu()) {
            BackendException e = assertThrows(BackendException.class,
                    () -> run(gpu, "stride31", grid, nt, 1, in, idx, n));
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result(), e.getMessage());
            assertTrue(e.getMessage().contains("block (1,0,0), thread (95,0,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("st.global"), e.getMessage());
        }
    }
}
