package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.Dim3;
import org.transcuda.spi.BackendException;

/**
 * The cache lines of checked-once global loads touched before the lockstep lane loop ({@link LoopTouch}), on the
 * suite's matmul with T × T tiles ({@code src/test/resources/kernels/looptouch.cu}): C bit for bit against a Java
 * reference (one {@code Math.fma} chain per element, NaN canonicalized) with NaN inputs with payloads, -0.0,
 * infinities and fma-sensitive values; the number of lines touched ({@code CpuDevice.loopTouched}) computed here
 * from the shapes (per block, tile and load, one per 16 threads: 16 for 256 threads, 2 for 25, a count not a
 * multiple of the step); none while not every thread is active (the early-exit threads' pointers are 0: touching
 * them would read address 0); and a tile load past the end of A that faults at its thread and instruction, the
 * lines touched counted up to there (the failed check touches nothing). LoopTouch is off by default: the counts are
 * then 0 (results the same); the surefire execution {@code loop-touch} runs this class with
 * {@code -Dtranscuda.cpu.loopTouch=true}, where the counts must be the ones computed here.
 */
class LoopTouchTest {
    private static Gpu gpu(int workers) throws BackendException {
        Gpu g = new Gpu(workers);
        g.device.engine(CpuDevice.Engine.LOCKSTEP);
        return g;
    }

    /** n × n floats, random in [-1, 1) with the special values spread over them (raw bits). */
    private static int[] matrix(int n, long seed, boolean specials) {
        java.util.Random rnd = new java.util.Random(seed);
        int[] m = new int[n * n];
        for (int i = 0; i < m.length; i++) m[i] = Float.floatToRawIntBits(rnd.nextFloat() * 2 - 1);
        if (specials) {
            int[] sp = {0x7fc0_1234, 0xff80_0001, 0x8000_0000, 0x7f80_0000, 0xff80_0000,
                Float.floatToRawIntBits(1 + 0x1p-12f), Float.floatToRawIntBits(1 - 0x1p-12f), 0x8000_0000};
            for (int k = 0; k < sp.length; k++) m[(int) ((k * 7919L + seed) % m.length)] = sp[k];
        }
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

    @Test
    void tileLoadsTouchOneLinePerSixteenThreads() throws Exception {
        for (int[] s : new int[][] {{16, 64}, {16, 16}, {5, 35}}) {
            int t = s[0], n = s[1];
            for (int workers : new int[] {1, 2}) {
                try (Gpu gpu = gpu(workers)) {
                    int[] a = matrix(n, 11 + n, true), b = matrix(n, 23 + n, true);
                    long da = gpu.upload(a), db = gpu.upload(b), dc = gpu.alloc(4L * n * n);
                    gpu.launch(SchedulingTest.kernel(gpu, "looptouch.ptx", "touch_mm" + t), Dim3.of(n / t, n / t),
                            Dim3.of(t, t), 0, n, da, db, dc, t * t);
                    gpu.sync();
                    String what = t + "x" + t + " tiles, n = " + n + ", " + workers + " workers";
                    assertArrayEquals(reference(n, a, b), gpu.ints(dc, n * n), what);
                    long blocks = (long) (n / t) * (n / t);
                    // per block, tile and load (A and B): one line per 16 threads
                    long lines = blocks * (n / t) * 2 * ((t * t + 15) / 16);
                    assertEquals(LoopTouch.ENABLED ? lines : 0, gpu.device.loopTouched.sum(), what);
                    assertEquals(blocks * (n / t) * 2, gpu.device.loopChecked.sum(), what);
                }
            }
        }
    }

    /**
     * Threads {@code t >= live} return at once: the tile loads' lane loops run over the active threads only, and
     * nothing is touched (the exited threads' pointer registers hold 0). A's tile columns {@code k >= live / 16} are 0,
     * so the live threads' results do not depend on the {@code Bs} rows that no thread loads.
     */
    @Test
    void notEveryThreadActiveTouchesNothing() throws Exception {
        int t = 16, n = 32, rows = 5, live = rows * t;
        try (Gpu gpu = gpu(2)) {
            int[] a = matrix(n, 5, false), b = matrix(n, 6, false);
            for (int i = 0; i < n * n; i++) if (i % n % t >= rows) a[i] = 0;
            long da = gpu.upload(a), db = gpu.upload(b), dc = gpu.upload(new int[n * n]);
            gpu.launch(SchedulingTest.kernel(gpu, "looptouch.ptx", "touch_mm16"), Dim3.of(n / t, n / t),
                    Dim3.of(t, t), 0, n, da, db, dc, live);
            gpu.sync();
            int[] want = reference(n, a, b);
            int[] got = gpu.ints(dc, n * n);
            for (int r = 0; r < n; r++) {
                for (int c = 0; c < n; c++) {
                    int i = r * n + c;
                    assertEquals(r % t < rows ? want[i] : 0, got[i], "C[" + r + "][" + c + "]");
                }
            }
            assertEquals(0, gpu.device.loopTouched.sum());
            assertTrue(gpu.device.loopChecked.sum() > 0);
        }
    }

    /**
     * A 3 floats short: in the last tile of the last block row, thread (13, 15) reads past the allocation. Its
     * block's last A check fails (nothing touched for it), B's passes; the fault names that thread and {@code
     * ld.global}; with one worker the blocks run in order, so the lines touched before are counted exactly.
     */
    @Test
    void loadPastTheEndFaultsAtItsThread() throws Exception {
        int t = 16, n = 48, g = n / t;
        try (Gpu gpu = gpu(1)) {
            int[] a = matrix(n, 7, false), b = matrix(n, 8, false);
            long da = gpu.upload(java.util.Arrays.copyOf(a, n * n - 3)), db = gpu.upload(b);
            long dc = gpu.alloc(4L * n * n);
            gpu.launch(SchedulingTest.kernel(gpu, "looptouch.ptx", "touch_mm16"), Dim3.of(g, g), Dim3.of(t, t), 0,
                    n, da, db, dc, t * t);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result());
            assertTrue(e.getMessage().contains("block (0," + (g - 1) + ",0), thread (13,15,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("ld.global"), e.getMessage());
            // blocks before (0, g-1): every tile, both loads; then its first g-1 tiles, then B's of the last one
            long lines = (long) (g - 1) * g * g * 2 * 16 + (g - 1) * 2 * 16 + 16;
            assertEquals(LoopTouch.ENABLED ? lines : 0, gpu.device.loopTouched.sum());
        }
    }
}
