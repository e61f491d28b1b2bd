package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;
import org.transcuda.cuda.CUresult;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;

/**
 * Global accesses of lockstep lane loops checked once per loop ({@link LoopChecks}): grid-stride loops (a byte
 * histogram with shared atomics, an f32 load/load/store loop with NaN, -0.0 and fma-sensitive values, partial last
 * warps), a pointer advanced per iteration before or after the load through it, and an out-of-range store in one
 * thread of one iteration: the fault names that thread and the instruction, and everything before it has run. Each
 * test counts how many (lane loop, site) pairs one check covered ({@code CpuDevice.loopChecked}), computed here from
 * the loops' trip counts. Kernels: {@code src/test/resources/kernels/loopchecks.cu} (nvcc) and
 * {@code loopchecks_hand.ptx}.
 */
class LoopChecksTest {
    private static Gpu gpu(int workers) throws BackendException {
        Gpu g = new Gpu(workers);
        g.device.engine(CpuDevice.Engine.LOCKSTEP);
        return g;
    }

    private static BackendFunction kernel(Gpu gpu, String file, String name) throws Exception {
        return SchedulingTest.kernel(gpu, file, name);
    }

    private static long checked(Gpu gpu) {
        return gpu.device.loopChecked.sum();
    }

    /**
     * Lane loops of a grid-stride loop {@code for (i = blk*nt + t; i < n; i += grid*nt)} over all blocks: a block
     * runs its loop body once per iteration of its thread 0 (the one with the most), one lane loop each.
     */
    private static long strideLoops(int n, int grid, int nt) {
        long loops = 0;
        long stride = (long) grid * nt;
        for (int blk = 0; blk < grid; blk++) {
            long first = (long) blk * nt;
            if (first < n) loops += (n - first + stride - 1) / stride;
        }
        return loops;
    }

    private static long upload(Gpu gpu, byte[] data) throws BackendException {
        long a = gpu.alloc(Math.max(8, data.length));
        MemorySegment.copy(data, 0, gpu.seg(a, data.length), ValueLayout.JAVA_BYTE, 0, data.length);
        return a;
    }

    @Test
    void histogramGridStrideChecksEachIterationOnce() throws Exception {
        for (int nt : new int[] {256, 80}) {
            try (Gpu gpu = gpu(2)) {
                int n = 200_003, grid = 7;
                byte[] data = new byte[n];
                long x = 12345;
                for (int i = 0; i < n; i++) {
                    x = x * 6364136223846793005L + 1442695040888963407L;
                    data[i] = (byte) (x >>> 56);
                }
                int[] want = new int[256];
                for (byte b : data) want[b & 0xff]++;
                long dd = upload(gpu, data);
                long dbins = gpu.upload(new int[256]);
                gpu.launch(kernel(gpu, "loopchecks.ptx", "hist_stride"), grid, nt, n, dd, dbins);
                gpu.sync();
                assertArrayEquals(want, gpu.ints(dbins, 256), "block of " + nt);
                // the byte load, once per iteration of each block's loop
                assertEquals(strideLoops(n, grid, nt), checked(gpu), "block of " + nt);
            }
        }
    }

    /** {@code fma(in, s, t)} with NVIDIA's canonical NaN for NaN results, as raw bits. */
    private static int ref(float in, float s, float t) {
        float r = Math.fma(in, s, t);
        return Float.isNaN(r) ? 0x7fffffff : Float.floatToRawIntBits(r);
    }

    private static float[] inputs(int n) {
        float[] in = new float[n];
        for (int i = 0; i < n; i++) {
            in[i] = switch (i % 9) {
                case 0 -> Float.NaN;
                case 1 -> -0.0f;
                case 2 -> 1.0f + 0x1p-12f;
                case 3 -> Float.intBitsToFloat(0x7fa00001); // a signalling NaN with a payload
                case 4 -> Float.POSITIVE_INFINITY;
                default -> (i * 37 % 101 - 50) * 0.0625f;
            };
        }
        return in;
    }

    @Test
    void strideLoadsAndStoreBitForBit() throws Exception {
        for (int nt : new int[] {128, 80}) {
            try (Gpu gpu = gpu(2)) {
                int n = 10_007, grid = 5;
                float s = 1.0f + 0x1p-12f;
                float[] in = inputs(n);
                // t: -0.0 (with -0.0 * s: -0.0 + -0.0), -inf (inf - inf: NaN), and -(1 + 2^-11) against
                // in[i] * s = (1 + 2^-12)^2 = 1 + 2^-11 + 2^-24: fused 2^-24, unfused 0
                float[] t = {-1.0f, -0.0f, 0.5f, Float.NEGATIVE_INFINITY, 3.0f, -(1.0f + 0x1p-11f), 0.0f};
                long din = gpu.upload(in);
                long dt = gpu.upload(t);
                long dout = gpu.alloc(4L * n);
                gpu.launch(kernel(gpu, "loopchecks.ptx", "scale_stride"), grid, nt, n, s, din, dt, dout);
                gpu.sync();
                int[] got = gpu.ints(dout, n);
                boolean fusedMatters = false;
                for (int i = 0; i < n; i++) {
                    assertEquals(ref(in[i], s, t[i % 7]), got[i], "out[" + i + "], block of " + nt);
                    float unfused = in[i] * s + t[i % 7];
                    fusedMatters |= !Float.isNaN(unfused) && unfused != Math.fma(in[i], s, t[i % 7]);
                }
                assertTrue(fusedMatters, "the inputs must tell fused from unfused");
                // in[i], t[i % 7] (its index through mul.hi) and out[i], once per iteration of each block's loop
                assertEquals(3 * strideLoops(n, grid, nt), checked(gpu), "block of " + nt);
            }
        }
    }

    @Test
    void storePastTheEndFaultsAtItsThreadAndIteration() throws Exception {
        try (Gpu gpu = gpu(1)) {
            int n = 5000, grid = 4, nt = 128, m = n - 3;
            float s = 2.0f;
            float[] in = inputs(n);
            float[] t = {1, 2, 3, 4, 5, 6, 7};
            long din = gpu.upload(in);
            long dt = gpu.upload(t);
            long dout = gpu.alloc(4L * m);
            gpu.launch(kernel(gpu, "loopchecks.ptx", "scale_stride"), grid, nt, n, s, din, dt, dout);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result());
            // i = 4997 = 9 * 512 + 3 * 128 + 5: block 3, thread 5, in its loop's tenth iteration
            assertTrue(e.getMessage().contains("block (3,0,0), thread (5,0,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("st.global"), e.getMessage());
            int[] got = gpu.ints(dout, m);
            for (int i = 0; i < m; i++) assertEquals(ref(in[i], s, t[i % 7]), got[i], "out[" + i + "]");
            // every site of every iteration checked once, except the store in block 3's last iteration
            assertEquals(3 * strideLoops(n, grid, nt) - 1, checked(gpu));
        }
    }

    @Test
    void unsignedIndexAndWrappedIndex() throws Exception {
        try (Gpu gpu = gpu(2)) {
            int n = 3001, grid = 3, nt = 96, d = 2;
            int[] in = new int[n + d];
            for (int i = 0; i < in.length; i++) in[i] = i * 0x9E3779B1;
            long din = gpu.upload(in);
            long dout = gpu.alloc(4L * n);
            gpu.launch(kernel(gpu, "loopchecks.ptx", "shift_u32"), grid, nt, n, d, din, dout);
            gpu.sync();
            int[] want = new int[n];
            for (int i = 0; i < n; i++) want[i] = in[i + d] + 5;
            assertArrayEquals(want, gpu.ints(dout, n));
            // in[i + d] (its index computed in the run) and out[i] (a zero-extended index), every iteration
            assertEquals(2 * strideLoops(n, grid, nt), checked(gpu));
        }
        try (Gpu gpu = gpu(1)) {
            int n = 3001, grid = 3, nt = 96, d = -3;
            long din = gpu.upload(new int[n]);
            long dout = gpu.alloc(4L * n);
            gpu.launch(kernel(gpu, "loopchecks.ptx", "shift_u32"), grid, nt, n, d, din, dout);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            // i + d wraps to 0xfffffffd for thread 0: in + 4 * 0xfffffffd, far past the allocation
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result());
            assertTrue(e.getMessage().contains("block (0,0,0), thread (0,0,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("ld.global"), e.getMessage());
            // the one lane loop that ran checked out[i] once; in[i + d] failed its check
            assertEquals(1, checked(gpu));
        }
    }

    @Test
    void pointerAdvancedBeforeItsLoadKeepsItsChecks() throws Exception {
        for (String k : new String[] {"bump_then_load", "load_then_bump"}) {
            try (Gpu gpu = gpu(2)) {
                int iters = 9, nt = 80;
                float[] in = new float[iters * nt];
                for (int i = 0; i < in.length; i++) in[i] = (i * 13 % 29) * 0.25f - 3;
                float[] want = new float[nt];
                for (int j = 0; j < nt; j++) {
                    float acc = 0;
                    for (int q = 0; q < iters; q++) acc += in[q * nt + j];
                    want[j] = acc;
                }
                long din = gpu.upload(in);
                long dout = gpu.alloc(4L * nt);
                gpu.launch(kernel(gpu, "loopchecks_hand.ptx", k), 1, nt, iters, din, dout);
                gpu.sync();
                assertArrayEquals(want, gpu.floats(dout, nt), k);
                // bump_then_load: the load's slice reads and writes %rd4, none; load_then_bump: the load per
                // iteration. The final store is checked once per block (AffineSites) in both.
                assertEquals(k.equals("bump_then_load") ? 0 : iters, checked(gpu), k);
            }
        }
    }

    /**
     * load_then_bump's pointer (an access through a register's value as the run starts) running 5 elements past the
     * input in its last iteration: the last iteration's check fails and the per-access check faults at the first
     * thread past the end (thread 75 of 80), after the earlier iterations were each checked once.
     */
    @Test
    void advancedPointerPastTheEndFaultsAtItsThread() throws Exception {
        try (Gpu gpu = gpu(2)) {
            int iters = 9, nt = 80;
            long din = gpu.upload(new float[iters * nt - 5]);
            long dout = gpu.alloc(4L * nt);
            gpu.launch(kernel(gpu, "loopchecks_hand.ptx", "load_then_bump"), 1, nt, iters, din, dout);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result());
            assertTrue(e.getMessage().contains("block (0,0,0), thread (75,0,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("ld.global"), e.getMessage());
            assertEquals(iters - 1, checked(gpu));
        }
    }

    /**
     * The same pointer 2 bytes into the input: every address is misaligned, so no loop is checked once and thread 0's
     * first load faults as misaligned.
     */
    @Test
    void misalignedAdvancedPointerFaultsAtThreadZero() throws Exception {
        try (Gpu gpu = gpu(2)) {
            int iters = 3, nt = 64;
            long din = gpu.upload(new float[iters * nt + 1]);
            long dout = gpu.alloc(4L * nt);
            gpu.launch(kernel(gpu, "loopchecks_hand.ptx", "load_then_bump"), 1, nt, iters, din + 2, dout);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_MISALIGNED_ADDRESS, e.result());
            assertTrue(e.getMessage().contains("block (0,0,0), thread (0,0,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("ld.global"), e.getMessage());
            assertEquals(0, checked(gpu));
        }
    }
}
