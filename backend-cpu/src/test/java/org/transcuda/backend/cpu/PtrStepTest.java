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
 * A {@link LoopChecks} prescan of a pointer register kept across block-uniform advances ({@link PtrStep}), on the
 * suite's matmul with T × T tiles and on a loop that sets its pointer again in each outer iteration
 * ({@code src/test/resources/kernels/ptrstep.cu}): results bit for bit against Java references computed here, the
 * prescans read from the record ({@code CpuDevice.ptrSteps}) counted from the shapes (every tile but a block's first,
 * per load; none while not every thread is active; none right after the pointer is set again), and tile loads that
 * leave their allocation fault at their block, thread and instruction. With {@code -Dtranscuda.cpu.ptrStep=false}
 * the counts fail.
 */
class PtrStepTest {
    private static Gpu gpu(int workers) throws BackendException {
        Gpu g = new Gpu(workers);
        g.device.engine(CpuDevice.Engine.LOCKSTEP);
        return g;
    }

    /** n × n floats, random in [-1, 1) with special values spread over them (raw bits). */
    private static int[] matrix(int n, long seed, boolean specials) {
        java.util.Random rnd = new java.util.Random(seed);
        int[] m = new int[n * n];
        for (int i = 0; i < m.length; i++) m[i] = Float.floatToRawIntBits(rnd.nextFloat() * 2 - 1);
        if (specials) {
            int[] sp = {0x7fc0_1234, 0xff80_0001, 0x8000_0000, 0x7f80_0000, 0xff80_0000,
                Float.floatToRawIntBits(1 + 0x1p-12f), Float.floatToRawIntBits(1 - 0x1p-12f)};
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
    void tileLoadsAfterTheFirstReadTheRecord() throws Exception {
        for (int[] s : new int[][] {{16, 64}, {16, 48}, {16, 16}, {5, 35}, {5, 10}}) {
            int t = s[0], n = s[1];
            for (int workers : new int[] {1, 2}) {
                try (Gpu gpu = gpu(workers)) {
                    int[] a = matrix(n, 11 + n, true), b = matrix(n, 23 + n, true);
                    long da = gpu.upload(a), db = gpu.upload(b), dc = gpu.alloc(4L * n * n);
                    gpu.launch(SchedulingTest.kernel(gpu, "ptrstep.ptx", "step_mm" + t), Dim3.of(n / t, n / t),
                            Dim3.of(t, t), 0, n, da, db, dc, t * t);
                    gpu.sync();
                    String what = t + "x" + t + " tiles, n = " + n + ", " + workers + " workers";
                    assertArrayEquals(reference(n, a, b), gpu.ints(dc, n * n), what);
                    long blocks = (long) (n / t) * (n / t), tiles = n / t;
                    assertEquals(blocks * tiles * 2, gpu.device.loopChecked.sum(), what);
                    // the first tile of each block prescans both pointers; each later tile reads both records
                    assertEquals(blocks * (tiles - 1) * 2, gpu.device.ptrSteps.sum(), what);
                }
            }
        }
    }

    /** Threads {@code t >= live} return at once: no record is kept or read; results as the reference's rows. */
    @Test
    void notEveryThreadActiveKeepsNoRecord() throws Exception {
        int t = 16, n = 32, rows = 5, live = rows * t;
        try (Gpu gpu = gpu(2)) {
            int[] a = matrix(n, 5, false), b = matrix(n, 6, false);
            for (int i = 0; i < n * n; i++) if (i % n % t >= rows) a[i] = 0;
            long da = gpu.upload(a), db = gpu.upload(b), dc = gpu.upload(new int[n * n]);
            gpu.launch(SchedulingTest.kernel(gpu, "ptrstep.ptx", "step_mm16"), Dim3.of(n / t, n / t),
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
            assertEquals(0, gpu.device.ptrSteps.sum());
            assertTrue(gpu.device.loopChecked.sum() > 0);
        }
    }

    /**
     * A 3 floats short: in the last tile of the last block row, thread (13, 15) reads past the allocation. That
     * tile's A record says so (its maximum moved with the pointers), the per-access checks run and fault at that
     * thread and {@code ld.global}; one worker runs the blocks in order, so the records read before are counted.
     */
    @Test
    void tileLoadPastTheEndFaultsAtItsThread() throws Exception {
        int t = 16, n = 48, g = n / t;
        try (Gpu gpu = gpu(1)) {
            int[] a = matrix(n, 7, false), b = matrix(n, 8, false);
            long da = gpu.upload(java.util.Arrays.copyOf(a, n * n - 3)), db = gpu.upload(b);
            long dc = gpu.alloc(4L * n * n);
            gpu.launch(SchedulingTest.kernel(gpu, "ptrstep.ptx", "step_mm16"), Dim3.of(g, g), Dim3.of(t, t), 0, n,
                    da, db, dc, t * t);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result());
            assertTrue(e.getMessage().contains("block (0," + (g - 1) + ",0), thread (13,15,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("ld.global"), e.getMessage());
            // blocks before (0, g-1): tiles 2..g, two records each; then the same in the faulting block
            assertEquals((long) (g - 1) * g * (g - 1) * 2 + (g - 1) * 2, gpu.device.ptrSteps.sum());
        }
    }

    /** step_rewind's sums as the kernel adds them, in order; {@code base}: the word A points at. */
    private static int[] rewindReference(float[] h, int base, int blocks, int n, int reps, int steps, long stride,
            int rewind) {
        int[] out = new int[blocks * n];
        for (int bx = 0; bx < blocks; bx++) {
            for (int t = 0; t < n; t++) {
                int u = (t + 1) % n;
                float acc = 0f;
                for (int r = 0; r < reps; r++) {
                    for (int k = 0; k < steps; k++) acc += h[(int) (base + 256L * bx + (long) r * rewind + u + k * stride)];
                }
                out[bx * n + t] = Float.floatToRawIntBits(acc);
            }
        }
        return out;
    }

    /**
     * The pointer set again in each outer iteration, by a rewind of either sign, advanced by strides of either sign
     * (0, ±1 floats, a row): each rep's first load prescans, its later ones read the record.
     */
    @Test
    void pointerSetAgainPrescansAgain() throws Exception {
        int blocks = 3, n = 64, reps = 3, steps = 5, base = 1024;
        float[] h = new float[base + 256 * blocks + 2048];
        java.util.Random rnd = new java.util.Random(3);
        for (int i = 0; i < h.length; i++) h[i] = rnd.nextFloat() * 2 - 1;
        for (long stride : new long[] {0, 1, -1, 64, -7}) {
            for (int rewind : new int[] {3, -40, 0}) {
                for (int workers : new int[] {1, 2}) {
                    try (Gpu gpu = gpu(workers)) {
                        long da = gpu.upload(h), dout = gpu.alloc(4L * blocks * n);
                        gpu.launch(SchedulingTest.kernel(gpu, "ptrstep.ptx", "step_rewind"), Dim3.of(blocks),
                                Dim3.of(n), 0, da + 4L * base, dout, reps, steps, stride, rewind);
                        gpu.sync();
                        String what = "stride " + stride + " rewind " + rewind + ", " + workers + " workers";
                        assertArrayEquals(rewindReference(h, base, blocks, n, reps, steps, stride, rewind),
                                gpu.ints(dout, blocks * n), what);
                        assertEquals((long) blocks * reps * steps, gpu.device.loopChecked.sum(), what);
                        assertEquals((long) blocks * reps * (steps - 1), gpu.device.ptrSteps.sum(), what);
                    }
                }
            }
        }
    }

    /**
     * The third rep's pointers start below the allocation (rewind −40 from word 50 of the allocation: thread t reads
     * word 50 − 80 + t): a record of the second rep must not stand for them. Thread 0 faults at its first load.
     */
    @Test
    void pointerSetAgainOutsideFaultsAtItsThread() throws Exception {
        int n = 64, reps = 3, steps = 4;
        float[] h = new float[200];
        for (int i = 0; i < h.length; i++) h[i] = i;
        try (Gpu gpu = gpu(1)) {
            long da = gpu.upload(h), dout = gpu.alloc(4L * n);
            gpu.launch(SchedulingTest.kernel(gpu, "ptrstep.ptx", "step_rewind"), Dim3.of(1), Dim3.of(n), 0,
                    da + 4L * 50, dout, reps, steps, 1L, -40);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result());
            assertTrue(e.getMessage().contains("block (0,0,0), thread (0,0,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("ld.global"), e.getMessage());
            // reps 0 and 1: 3 records each; rep 2 faults at its first load (a prescan)
            assertEquals(2L * (steps - 1), gpu.device.ptrSteps.sum());
        }
    }

    /**
     * step_bytes: a stride in bytes. Multiples of 4 (either sign, 0): sums bit for bit, every load after each
     * block's first read from the record. 2 or 6 bytes: the record's OR takes the stride's low bits, so the second
     * iteration's prescan runs, finds the misaligned addresses and leaves the per-access check to fault at thread 0.
     */
    @Test
    void strideInBytesKeepsTheAlignmentCheck() throws Exception {
        int blocks = 2, n = 32, steps = 4, base = 64;
        float[] h = new float[base + 256 * blocks + 256];
        java.util.Random rnd = new java.util.Random(5);
        for (int i = 0; i < h.length; i++) h[i] = rnd.nextFloat() * 2 - 1;
        for (long stride : new long[] {8, 4, 0, -4, 12}) {
            try (Gpu gpu = gpu(2)) {
                long da = gpu.upload(h), dout = gpu.alloc(4L * blocks * n);
                gpu.launch(SchedulingTest.kernel(gpu, "ptrstep.ptx", "step_bytes"), Dim3.of(blocks), Dim3.of(n), 0,
                        da + 4L * base, dout, steps, stride);
                gpu.sync();
                int[] want = new int[blocks * n];
                for (int bx = 0; bx < blocks; bx++) {
                    for (int t = 0; t < n; t++) {
                        float acc = 0f;
                        for (int k = 0; k < steps; k++) acc += h[(int) (base + 256 * bx + (t + 1) % n + k * stride / 4)];
                        want[bx * n + t] = Float.floatToRawIntBits(acc);
                    }
                }
                assertArrayEquals(want, gpu.ints(dout, blocks * n), "stride " + stride);
                assertEquals((long) blocks * (steps - 1), gpu.device.ptrSteps.sum(), "stride " + stride);
            }
        }
        for (long stride : new long[] {2, 6, -2}) {
            try (Gpu gpu = gpu(1)) {
                long da = gpu.upload(h), dout = gpu.alloc(4L * blocks * n);
                gpu.launch(SchedulingTest.kernel(gpu, "ptrstep.ptx", "step_bytes"), Dim3.of(blocks), Dim3.of(n), 0,
                        da + 4L * base, dout, steps, stride);
                BackendException e = assertThrows(BackendException.class, gpu::sync, "stride " + stride);
                assertEquals(CUresult.CUDA_ERROR_MISALIGNED_ADDRESS, e.result(), "stride " + stride);
                assertTrue(e.getMessage().contains("block (0,0,0), thread (0,0,0)"), e.getMessage());
                assertTrue(e.getMessage().contains("ld.global"), e.getMessage());
                assertEquals(0, gpu.device.ptrSteps.sum(), "stride " + stride);
            }
        }
    }
}
