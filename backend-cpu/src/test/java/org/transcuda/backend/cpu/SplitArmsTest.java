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
 * An if-converted triangle after a register-only run on the lockstep engine, run as two lane loops (the prefix for
 * every thread, then the arm where the predicate selects it: {@code KernelCompiler.splitArm}, off with
 * {@code -Dtranscuda.cpu.splitArms=false}): scan's {@code if (lane == 31) warpSums[warp] = v}. Here the arm is the
 * branch's target (nvcc's {@code @%p bra}); scan's own shape, the arm on the fall-through, is in {@link
 * WarpShuffleTest}. Results against a Java reference in full and partial blocks, and a store past the shared array in
 * one thread of the arm, which faults at that thread and instruction. Kernels: {@code
 * src/test/resources/kernels/splitarms.cu}.
 */
class SplitArmsTest {
    private static BackendFunction kernel(Gpu gpu) throws Exception {
        return SchedulingTest.kernel(gpu, "splitarms.ptx", "split_store");
    }

    private static Gpu gpu() throws BackendException {
        Gpu g = new Gpu(2);
        g.device.engine(CpuDevice.Engine.LOCKSTEP);
        return g;
    }

    /** Java reference of split_store for blocks of nt threads (at most 4 warps). */
    private static int[] splitStore(int[] in, int grid, int nt, int k) {
        int[] out = new int[grid * nt];
        for (int b = 0; b < grid; b++) {
            int[] s = new int[4];
            for (int t = 0; t < nt; t++) {
                int w = in[b * nt + t] * 5 + (t ^ k);
                if ((t & 31) == 31 || t == nt - 1) s[t >> 5] = w;
            }
            for (int t = 0; t < nt; t++) {
                int w = in[b * nt + t] * 5 + (t ^ k);
                out[b * nt + t] = w + s[t >> 5];
            }
        }
        return out;
    }

    @Test
    void lastLaneOfEachWarpStores() throws Exception {
        for (int nt : new int[] {128, 96, 80, 33, 32, 1}) {
            try (Gpu gpu = gpu()) {
                int grid = 3, n = grid * nt, k = 0x5a5;
                int[] in = new int[n];
                for (int i = 0; i < n; i++) in[i] = i * 7919 - 100_000;
                long din = gpu.upload(in);
                long dout = gpu.upload(new int[n]);
                gpu.launch(kernel(gpu), grid, nt, din, dout, k);
                gpu.sync();
                assertArrayEquals(splitStore(in, grid, nt, k), gpu.ints(dout, n), "block of " + nt);
            }
        }
    }

    @Test
    void aStorePastTheArrayFaultsAtItsThread() throws Exception {
        try (Gpu gpu = gpu()) {
            int nt = 256;
            int[] in = new int[nt];
            int[] before = new int[nt];
            java.util.Arrays.fill(before, -1);
            long din = gpu.upload(in);
            long dout = gpu.upload(before);
            // warps 0-3 store into s[0..3]; lane 31 of warp 4 (thread 159) is the first to store past s[4]
            gpu.launch(kernel(gpu), 1, nt, din, dout, 0);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result());
            assertTrue(e.getMessage().contains("block (0,0,0), thread (159,0,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("st.shared"), e.getMessage());
            assertArrayEquals(before, gpu.ints(dout, nt));
        }
    }
}
