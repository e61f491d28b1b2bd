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
 * The lockstep engine's global accesses checked once per block ({@link AffineSites} reused by the segment methods,
 * {@code KernelCompiler.Emitter.lockGlobalFlags}): results against Java references, how many (block, site) pairs
 * ran without per-access checks (counted here from the kernels' index ranges; 0 with
 * {@code -Dtranscuda.cpu.lockglob=false}, which this test does not set), accesses in an if-converted arm that only
 * thread 0 takes, and faults in blocks whose check failed: the first bad thread and its instruction are reported, and
 * the earlier blocks and threads have run. Kernels: {@code src/test/resources/kernels/sharedlanes.cu}, which all
 * have barriers (the thread engine does not check their global accesses per block).
 */
class LockGlobalTest {
    private static BackendFunction kernel(Gpu gpu, String name) throws Exception {
        return SchedulingTest.kernel(gpu, "sharedlanes.ptx", name);
    }

    private static Gpu gpu(int workers) throws BackendException {
        Gpu g = new Gpu(workers);
        g.device.engine(CpuDevice.Engine.LOCKSTEP);
        return g;
    }

    private static long unchecked(Gpu gpu) {
        return gpu.device.hoistedSiteBlocks.sum();
    }

    /** reverse_int's reference: out[i] = 3 * s[nt - 1 - t] + (s[t] ^ s[0]) with s the block's slice of in. */
    private static int[] reverse(int[] in, int grid, int nt) {
        int[] want = new int[grid * nt];
        for (int blk = 0; blk < grid; blk++) {
            for (int t = 0; t < nt; t++) {
                int i = blk * nt + t;
                want[i] = 3 * in[blk * nt + nt - 1 - t] + (in[i] ^ in[blk * nt]);
            }
        }
        return want;
    }

    @Test
    void loadAndStoreUncheckedInEveryBlock() throws Exception {
        for (int nt : new int[] {256, 80, 33}) {
            try (Gpu gpu = gpu(2)) {
                int grid = 5;
                int n = grid * nt;
                int[] in = new int[n];
                for (int i = 0; i < n; i++) in[i] = i * 0x9E3779B1 - 977;
                long din = gpu.upload(in);
                long dout = gpu.alloc(4L * n);
                gpu.launch(kernel(gpu, "reverse_int"), grid, nt, din, dout);
                gpu.sync();
                assertArrayEquals(reverse(in, grid, nt), gpu.ints(dout, n), "nt " + nt);
                // per block: the load in[i] and the store out[i]
                assertEquals(2L * grid, unchecked(gpu), "nt " + nt);
            }
        }
    }

    @Test
    void storeInAnArmOfThreadZero() throws Exception {
        try (Gpu gpu = gpu(2)) {
            int grid = 6, nt = 256;
            float[] in = new float[grid * nt];
            for (int i = 0; i < in.length; i++) in[i] = (i * 37 % 101 - 50) * 0.125f + i * 0x1p-20f;
            long din = gpu.upload(in);
            long dout = gpu.alloc(4L * grid);
            gpu.launch(kernel(gpu, "tree"), grid, nt, din, dout);
            gpu.sync();
            float[] out = gpu.floats(dout, grid);
            for (int blk = 0; blk < grid; blk++) {
                float[] sh = java.util.Arrays.copyOfRange(in, blk * nt, blk * nt + nt);
                for (int stride = 128; stride > 0; stride >>= 1) {
                    for (int t = 0; t < stride; t++) sh[t] = sh[t + stride] + sh[t];
                }
                assertEquals(Float.floatToRawIntBits(sh[0]), Float.floatToRawIntBits(out[blk]), "block " + blk);
            }
            // per block: the load in[blockIdx.x * 256 + t] and thread 0's store out[blockIdx.x]
            assertEquals(2L * grid, unchecked(gpu));
        }
    }

    @Test
    void aLoadPastTheArrayFaultsAtItsThread() throws Exception {
        // one worker: blocks in order; block 3's load range ends 10 elements past in, so its check fails and the
        // checked loop runs: threads 0..117 load, thread 118 faults at the ld.global
        try (Gpu gpu = gpu(1)) {
            int grid = 4, nt = 128, n = grid * nt;
            int[] in = new int[n - 10];
            for (int i = 0; i < in.length; i++) in[i] = i * 131 + 7;
            long din = gpu.upload(in);
            long dout = gpu.upload(new int[n]);
            gpu.launch(kernel(gpu, "reverse_int"), grid, nt, din, dout);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result());
            assertTrue(e.getMessage().contains("block (3,0,0), thread (118,0,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("ld.global"), e.getMessage());
            int[] full = java.util.Arrays.copyOf(in, n);
            int[] want = reverse(full, 3, nt);
            assertArrayEquals(want, java.util.Arrays.copyOf(gpu.ints(dout, n), 3 * nt));
            // blocks 0-2: both sites; block 3: the store only (out is whole), which it never reached
            assertArrayEquals(new int[nt], java.util.Arrays.copyOfRange(gpu.ints(dout, n), 3 * nt, n));
            assertEquals(3 * 2 + 1, unchecked(gpu));
        }
    }

    @Test
    void aMisalignedStoreFaultsAtThreadZero() throws Exception {
        try (Gpu gpu = gpu(1)) {
            int nt = 64;
            long din = gpu.upload(new int[nt]);
            long dout = gpu.alloc(4L * nt + 16);
            gpu.launch(kernel(gpu, "reverse_int"), 1, nt, din, dout + 2);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_MISALIGNED_ADDRESS, e.result());
            assertTrue(e.getMessage().contains("block (0,0,0), thread (0,0,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("st.global"), e.getMessage());
            // the aligned load ran unchecked, the misaligned store did not
            assertEquals(1, unchecked(gpu));
        }
    }
}
