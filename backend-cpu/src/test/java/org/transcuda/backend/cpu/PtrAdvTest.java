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
 * Lane loops that only advance per-thread pointers by a block-uniform amount, run as one loop per register
 * ({@link PtrAdv}): matmul with T × T tiles ({@code ptrstep.cu}'s step_mm16/step_mm5) and a loop whose advanced pointer
 * is also stored and read at a non-affine offset ({@code ptradv.cu}'s adv_store): results bit for bit against Java
 * references computed here, the loops run as one loop per register ({@code CpuDevice.ptrAdvs}) counted from the shapes
 * (one per block and iteration with every thread active, none otherwise), a load past the end faulting at its block,
 * thread and instruction. With {@code -Dtranscuda.cpu.ptrAdv=false} the counts are 0 and everything else the same.
 */
class PtrAdvTest {
    private static org.transcuda.spi.BackendFunction suiteMatmul(Gpu gpu) throws Exception {
        java.nio.file.Path ptx = java.nio.file.Path.of(System.getProperty("user.dir")).resolve("../bench/kernels/suite.ptx");
        var suite = org.transcuda.ptx.PtxTranslator.translate("suite.ptx",
                java.nio.file.Files.readString(ptx, java.nio.charset.StandardCharsets.UTF_8));
        return gpu.ctx.loadModule(suite).function("matmul");
    }

    private static Gpu gpu(int workers) throws BackendException {
        Gpu g = new Gpu(workers);
        g.device.engine(CpuDevice.Engine.LOCKSTEP);
        return g;
    }

    private static long expect(long n) {
        return PtrAdv.ENABLED ? n : 0;
    }

    /** n × n floats, random in [-1, 1) with special values spread over them (raw bits). */
    private static int[] matrix(int n, long seed, boolean specials) {
        java.util.Random rnd = new java.util.Random(seed);
        int[] m = new int[n * n];
        for (int i = 0; i < m.length; i++) m[i] = Float.floatToRawIntBits(rnd.nextFloat() * 2 - 1);
        if (!specials) return m;
        int[] sp = {0x7fc0_1234, 0xff80_0001, 0x8000_0000, 0x7f80_0000, 0xff80_0000,
            Float.floatToRawIntBits(1 + 0x1p-12f), Float.floatToRawIntBits(1 - 0x1p-12f)};
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

    /**
     * The suite's matmul (its tile counter block-uniform, MultiDefUniform: the advances alone in their run) at
     * n = 64, 48, 16: one loop per register per block and tile; ptrstep.cu's step_mm16/step_mm5 (an early return
     * makes their counter per thread, in the advances' run): the lane loop, no count; all bit for bit.
     */
    @Test
    void matmulAdvancesAsOneLoopPerRegister() throws Exception {
        for (int[] s : new int[][] {{0, 64}, {0, 48}, {0, 16}, {16, 64}, {5, 35}, {5, 10}}) {
            int t = s[0] == 0 ? 16 : s[0], n = s[1];
            for (int workers : new int[] {1, 2}) {
                try (Gpu gpu = gpu(workers)) {
                    int[] a = matrix(n, 31 + n, true), b = matrix(n, 47 + n, true);
                    long da = gpu.upload(a), db = gpu.upload(b), dc = gpu.alloc(4L * n * n);
                    if (s[0] == 0) {
                        gpu.launch(suiteMatmul(gpu), Dim3.of(n / t, n / t),
                                Dim3.of(t, t), 0, n, da, db, dc);
                    } else {
                        gpu.launch(SchedulingTest.kernel(gpu, "ptrstep.ptx", "step_mm" + t), Dim3.of(n / t, n / t),
                                Dim3.of(t, t), 0, n, da, db, dc, t * t);
                    }
                    gpu.sync();
                    String what = (s[0] == 0 ? "suite matmul" : t + "x" + t + " step_mm") + ", n = " + n + ", "
                            + workers + " workers";
                    assertArrayEquals(reference(n, a, b), gpu.ints(dc, n * n), what);
                    // suite: every tile of every block, the two pointer advances as one loop each, one count
                    long want = s[0] == 0 ? expect((long) (n / t) * (n / t) * (n / t)) : 0;
                    assertEquals(want, gpu.device.ptrAdvs.sum(), what);
                }
            }
        }
    }

    /** Threads {@code t >= live} returned: the advances run in the lane loop; results as the reference's rows. */
    @Test
    void notEveryThreadActiveRunsTheLaneLoop() throws Exception {
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
            assertEquals(0, gpu.device.ptrAdvs.sum());
        }
    }

    /** adv_store's stored pointers and sums as the kernel computes them ({@code da}: A's device address). */
    private static void storeReference(float[] h, long da, int base, int blocks, int n, int live, int steps,
            long stride, long[] ptrs, int[] out) {
        int threads = live > 0 ? live : n, mod = Math.abs(live);
        for (int bx = 0; bx < blocks; bx++) {
            float[] acc = new float[n];
            for (int k = 0; k < steps; k++) {
                float[] s = new float[n];
                for (int t = 0; t < threads; t++) {
                    long w = base + 256L * bx + t + k * stride;
                    ptrs[(bx * steps + k) * n + t] = da + 4 * w;
                    s[t] = h[(int) (w + (t * t) % 3)];
                }
                for (int t = 0; t < threads; t++) acc[t] += s[(t + 1) % mod];
            }
            for (int t = 0; t < threads; t++) {
                out[bx * n + t] = acc[t] != acc[t] ? 0x7fff_ffff : Float.floatToRawIntBits(acc[t]);
            }
        }
    }

    /**
     * The advanced pointer also stored (its bits) and read at {@code (t·t) % 3} floats past it: strides of either
     * sign and 0, every thread active (one loop per register per iteration) or not (none).
     */
    @Test
    void advancedPointerStoredAndReadNonAffinely() throws Exception {
        int blocks = 3, n = 256, steps = 6, base = 1024;
        float[] h = new float[base + 256 * blocks + 2048];
        java.util.Random rnd = new java.util.Random(9);
        for (int i = 0; i < h.length; i++) h[i] = rnd.nextFloat() * 2 - 1;
        h[base + 300] = Float.intBitsToFloat(0x7fc0_0042);
        for (long stride : new long[] {0, 1, -1, 64, -7, 33}) {
            for (int live : new int[] {n, 100, -100}) {
                for (int workers : new int[] {1, 2}) {
                    try (Gpu gpu = gpu(workers)) {
                        long da = gpu.upload(h), dptrs = gpu.upload(new long[blocks * steps * n]);
                        long dout = gpu.upload(new int[blocks * n]);
                        // live > 0: adv_store_live with that many threads; -100: adv_store, (t + 1) % 100 read
                        String k = live > 0 ? "adv_store_live" : "adv_store";
                        gpu.launch(SchedulingTest.kernel(gpu, "ptradv.ptx", k), Dim3.of(blocks),
                                Dim3.of(n), 0, da + 4L * base, dptrs, dout, steps, stride, Math.abs(live));
                        gpu.sync();
                        String what = "stride " + stride + " live " + live + ", " + workers + " workers";
                        long[] ptrs = new long[blocks * steps * n];
                        int[] out = new int[blocks * n];
                        storeReference(h, da, base, blocks, n, live, steps, stride, ptrs, out);
                        if (live > 0) assertEquals(0, gpu.device.ptrAdvs.sum(), what);
                        assertArrayEquals(ptrs, gpu.longs(dptrs, ptrs.length), what);
                        assertArrayEquals(out, gpu.ints(dout, out.length), what);
                        // three registers advanced per iteration (the store's address, p, p + (t·t) % 3), one run
                        assertEquals(live > 0 ? 0 : expect((long) blocks * steps), gpu.device.ptrAdvs.sum(), what);
                    }
                }
            }
        }
    }

    /**
     * The allocation ends one float before the last iteration's farthest word (256·2 + 255 + 5·stride, read by
     * threads 254 and 255): thread 254 of block 2 faults at its {@code ld.global}, after the earlier advances ran
     * as loops (one worker: blocks in order).
     */
    @Test
    void loadPastTheEndFaultsAtItsThread() throws Exception {
        int blocks = 3, n = 256, steps = 6;
        long stride = 10;
        int len = (int) (256 * 2 + 255 + (steps - 1) * stride);
        float[] h = new float[len];
        try (Gpu gpu = gpu(1)) {
            long da = gpu.upload(h), dptrs = gpu.alloc(8L * blocks * steps * n), dout = gpu.alloc(4L * blocks * n);
            gpu.launch(SchedulingTest.kernel(gpu, "ptradv.ptx", "adv_store"), Dim3.of(blocks), Dim3.of(n), 0, da,
                    dptrs, dout, steps, stride, 100);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result());
            assertTrue(e.getMessage().contains("block (2,0,0), thread (254,0,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("ld.global"), e.getMessage());
            assertEquals(expect(2L * steps + (steps - 1)), gpu.device.ptrAdvs.sum());
        }
    }
}
