package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.transcuda.cuda.CUresult;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;

/**
 * If-converted arms whose predicate is an equality ({@code if (t == 0)}, {@code if (3t + 5 == k)}, {@code if (t != j)})
 * on the lockstep engine: the arm runs over the one thread where the value is equal, or over the other threads
 * when they are one range ({@link SharedAffine#predRange}, off with {@code -Dtranscuda.cpu.predEquality=false}).
 * Results against Java references (full and partial blocks, the thread at either end, in the middle, none), the
 * number of lane loops that ran with their shared accesses checked once (counted from the kernels' structure: with
 * the switch off the equality arms run predicated and these counts fail), a shared access past the array in the one
 * thread of an arm (fault at that thread and instruction), and a block's f32 sum whose last steps are such arms,
 * bit for bit with NaN and rounding-sensitive inputs. Kernels: {@code src/test/resources/kernels/armeq.cu}.
 */
class ArmEqualityTest {
    private static BackendFunction kernel(Gpu gpu, String name) throws Exception {
        return SchedulingTest.kernel(gpu, "armeq.ptx", name);
    }

    private static Gpu gpu() throws BackendException {
        Gpu g = new Gpu(2);
        g.device.engine(CpuDevice.Engine.LOCKSTEP);
        return g;
    }

    private static int[] armEq(int[] in, int[] before, int grid, int nt, int k, int j, int extra) {
        int[] want = before.clone();
        for (int blk = 0; blk < grid; blk++) {
            for (int t = 0; t < nt; t++) {
                int i = blk * nt + t;
                if (3 * t + 5 == k) want[i] = in[blk * nt + t + extra] + 1000;
                if (t != j) want[i] += 7 * in[i];
            }
        }
        return want;
    }

    @Test
    void oneThreadAndTheOthers() throws Exception {
        // {block size, k (3t + 5 == k), j (t != j)}
        int[][] cases = {
            {256, 5, 0}, {256, 3 * 255 + 5, 255}, {256, 3 * 100 + 5, 100}, {256, 6, 300}, {256, 4, -1},
            {80, 3 * 79 + 5, 79}, {80, 3 * 40 + 5, 0}, {80, 3 * 80 + 5, 40}, {1, 5, 0}, {33, 3 * 32 + 5, 32},
        };
        for (int[] c : cases) {
            int nt = c[0], k = c[1], j = c[2];
            try (Gpu gpu = gpu()) {
                int grid = 3, n = grid * nt;
                int[] in = new int[n];
                int[] before = new int[n];
                for (int i = 0; i < n; i++) {
                    in[i] = i * 37 - 5000;
                    before[i] = 11 * i + 1;
                }
                long din = gpu.upload(in);
                long dout = gpu.upload(before);
                gpu.launch(kernel(gpu, "arm_eq"), grid, nt, din, dout, k, j, 0);
                gpu.sync();
                String what = "block of " + nt + ", k " + k + ", j " + j;
                assertArrayEquals(armEq(in, before, grid, nt, k, j, 0), gpu.ints(dout, n), what);
                // per block: the store of s[t]; the arm 3t + 5 == k (one thread or none); the arm t != j when its
                // threads are one range (j first, last or outside the block)
                boolean oneRange = j <= 0 || j >= nt - 1;
                assertEquals((long) grid * (oneRange ? 3 : 2), gpu.device.sharedRuns.sum(), what);
            }
        }
    }

    @Test
    void anAccessPastTheArrayInTheOneThreadFaultsThere() throws Exception {
        try (Gpu gpu = gpu()) {
            int nt = 256;
            int[] in = new int[nt];
            int[] before = new int[nt];
            for (int i = 0; i < nt; i++) {
                in[i] = i * 3;
                before[i] = -1;
            }
            long din = gpu.upload(in);
            long dout = gpu.upload(before);
            // thread 200 alone takes the arm and reads s[200 + 60], past the 256 elements
            gpu.launch(kernel(gpu, "arm_eq"), 1, nt, din, dout, 3 * 200 + 5, 0, 60);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result());
            assertTrue(e.getMessage().contains("block (0,0,0), thread (200,0,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("ld.shared"), e.getMessage());
            assertArrayEquals(before, gpu.ints(dout, nt));
        }
    }

    @Test
    void armsBoundedPerBlock() throws Exception {
        // 40 blocks of 64 (more distinct questions than predRange's per-launch memo has slots, the compared base
        // differing in every block): n ends inside block 23,
        // m is one thread of block 9; then n past the grid and m = 0
        int[][] cases = {{23 * 64 + 17, 9 * 64 + 50}, {40 * 64 + 5, 0}, {0, 40 * 64 - 1}};
        for (int[] c : cases) {
            int n = c[0], m = c[1];
            try (Gpu gpu = gpu()) {
                int grid = 40, nt = 64, total = grid * nt;
                int[] in = new int[total];
                int[] before = new int[total];
                for (int i = 0; i < total; i++) {
                    in[i] = i * 5 - 3000;
                    before[i] = -7 * i;
                }
                long din = gpu.upload(in);
                long dout = gpu.upload(before);
                gpu.launch(kernel(gpu, "bounded"), grid, nt, din, dout, n, m);
                gpu.sync();
                int[] want = before.clone();
                for (int i = 0; i < total; i++) {
                    if (Integer.compareUnsigned(i, n) < 0) want[i] = in[i] * 2 + i / nt;
                    if (i == m) want[i] += in[i / nt * nt];
                }
                assertArrayEquals(want, gpu.ints(dout, total), "n " + n + ", m " + m);
                // per block: the store of s[t] and the arm i < n over its range (empty or whole in most blocks);
                // nvcc compares i == m through a 64-bit copy of i (cvt.u32.u64), which has no affine form: that arm
                // runs predicated
                assertEquals(2L * grid, gpu.device.sharedRuns.sum(), "n " + n + ", m " + m);
            }
        }
    }

    /** Inputs whose sums round differently in another order, a NaN in one block, -0.0 and infinities. */
    private static float input(int i) {
        return switch (i % 13) {
            case 0 -> 0x1p24f;
            case 1 -> 1.0f;
            case 2 -> -0x1p24f;
            case 3 -> 0x1p-3f + i * 0x1p-20f;
            case 4 -> -0.0f;
            default -> (i % 101 - 50) * 0.1f;
        };
    }

    @Test
    void blockSumsEndingWithThreadZero() throws Exception {
        for (int nt : new int[] {256, 64, 8, 2}) {
            try (Gpu gpu = gpu()) {
                int grid = 6, n = grid * nt;
                float[] in = new float[n];
                for (int i = 0; i < n; i++) in[i] = input(i);
                in[2 * nt + nt / 2] = Float.NaN;
                in[4 * nt] = Float.POSITIVE_INFINITY;
                in[5 * nt + nt - 1] = Float.NEGATIVE_INFINITY;
                in[5 * nt] = Float.POSITIVE_INFINITY;
                long din = gpu.upload(in);
                long dout = gpu.alloc(4L * grid);
                gpu.launch(kernel(gpu, "sum_tail"), grid, nt, din, dout);
                gpu.sync();
                float[] out = gpu.floats(dout, grid);
                for (int blk = 0; blk < grid; blk++) {
                    float[] s = java.util.Arrays.copyOfRange(in, blk * nt, blk * nt + nt);
                    for (int stride = nt / 2; stride > 1; stride >>= 1) {
                        for (int t = 0; t < stride; t++) s[t] += s[t + stride];
                    }
                    s[0] += s[1];
                    int want = Float.isNaN(s[0]) ? 0x7fffffff : Float.floatToRawIntBits(s[0]);
                    assertEquals(want, Float.floatToRawIntBits(out[blk]), "block " + blk + " of " + nt);
                }
                assertTrue(Float.isNaN(out[2]) && Float.isNaN(out[5]), "NaN and inf - inf");
            }
        }
    }
}
