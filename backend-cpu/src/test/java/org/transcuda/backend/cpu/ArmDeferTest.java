package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.transcuda.cuda.Dim3;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;

/**
 * {@link ArmDefer}: an if-converted arm's prefix statement whose register only the arm and the range's compare read
 * runs in the arm's range loop instead of for every thread. Kernels ({@code src/test/resources/kernels/armdefer.cu}):
 * {@code pair_sum}, reduce's loads ({@code v = in[i]} where {@code i < n}, {@code v += in[i + 256]} where
 * {@code i + 256 < n}, {@code i + 256} the moved register) with an early return for threads {@code t >= live}, and
 * {@code pair_sum_kept} (hand-edited PTX, {@code armdefer_hand.ptx}), which also stores that register (read outside
 * the arm: not moved). Every output word bit
 * for bit against a Java reference (loaded NaN payloads kept where nothing is added, computed NaNs canonical), with
 * {@code n} a multiple of 512, a last block whose second arm covers part of its threads, and one whose second arm
 * covers none; the arm loops run with moved statements counted ({@link CpuDevice#armDefers}): one per block when
 * every thread is active, none when not every thread is active (the general path), none for {@code pair_sum_kept}.
 */
class ArmDeferTest {
    private static final int CANONICAL = 0x7fffffff;

    private static Gpu gpu() throws BackendException {
        Gpu g = new Gpu(2);
        g.device.engine(CpuDevice.Engine.LOCKSTEP);
        return g;
    }

    private static float value(int i) {
        return switch (i % 101) {
            case 0 -> Float.intBitsToFloat(0x7fc00123);
            case 1 -> Float.intBitsToFloat(0xff800005);
            case 2 -> Float.POSITIVE_INFINITY;
            case 3 -> Float.NEGATIVE_INFINITY;
            case 4 -> -0.0f;
            default -> (i % 37 - 18) * 0.25f + 0x1p-20f * (i % 5);
        };
    }

    /** out[block * 256 + t] for threads t < live; the sentinel elsewhere. */
    private static int[] reference(float[] in, int n, int grid, int live, int sentinel) {
        int[] out = new int[grid * 256];
        for (int b = 0; b < grid; b++) {
            for (int t = 0; t < 256; t++) {
                if (t >= live) {
                    out[b * 256 + t] = sentinel;
                    continue;
                }
                long i = b * 512L + t;
                float v = i < n ? in[(int) i] : 0.0f;
                if (i + 256 < n) {
                    v = v + in[(int) i + 256];
                    if (Float.isNaN(v)) v = Float.intBitsToFloat(CANONICAL);
                }
                out[b * 256 + t] = Float.floatToRawIntBits(v);
            }
        }
        return out;
    }

    private static void run(Gpu gpu, String kernel, int grid, int n, int live) throws Exception {
        float[] in = new float[grid * 512];
        for (int i = 0; i < in.length; i++) in[i] = value(i);
        int sentinel = 0x12345678;
        int[] init = new int[grid * 256];
        java.util.Arrays.fill(init, sentinel);
        long din = gpu.upload(in), dout = gpu.upload(init), didx = gpu.upload(new int[grid * 256]);
        BackendFunction f = SchedulingTest.kernel(gpu, kernel.equals("pair_sum") ? "armdefer.ptx" : "armdefer_hand.ptx", kernel);
        if (kernel.equals("pair_sum")) gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, n, din, dout, live);
        else gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, n, din, dout, didx);
        gpu.sync();
        int[] want = reference(in, n, grid, live, sentinel);
        int[] got = gpu.ints(dout, grid * 256);
        for (int k = 0; k < want.length; k++) {
            assertEquals(want[k], got[k], kernel + " n=" + n + " live=" + live + ": out[" + k + "] want "
                    + Float.intBitsToFloat(want[k]) + ", got " + Float.intBitsToFloat(got[k]));
        }
        if (!kernel.equals("pair_sum")) {
            int[] idx = gpu.ints(didx, grid * 256);
            for (int k = 0; k < idx.length; k++) assertEquals((k / 256) * 512 + k % 256 + 256, idx[k], "idx[" + k + "]");
        }
    }

    @Test
    void movedIntoTheArmBitForBit() throws Exception {
        int grid = 9;
        long expected = 0;
        try (Gpu gpu = gpu()) {
            for (int n : new int[] {grid * 512, grid * 512 - 100, grid * 512 - 300, grid * 512 - 511}) {
                run(gpu, "pair_sum", grid, n, 256);
                expected += grid;
                assertEquals(expected, gpu.device.armDefers.sum(), "arm loops with moved statements, n=" + n);
            }
        }
    }

    @Test
    void notEveryThreadActiveRunsThePrefix() throws Exception {
        try (Gpu gpu = gpu()) {
            run(gpu, "pair_sum", 5, 5 * 512 - 70, 200);
            assertEquals(0, gpu.device.armDefers.sum());
        }
    }

    @Test
    void aRegisterReadOutsideTheArmStays() throws Exception {
        try (Gpu gpu = gpu()) {
            run(gpu, "pair_sum_kept", 6, 6 * 512 - 130, 256);
            assertEquals(0, gpu.device.armDefers.sum());
        }
    }
}
