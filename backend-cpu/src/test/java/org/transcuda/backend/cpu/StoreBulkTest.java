package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.transcuda.cuda.CUresult;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;

/**
 * {@link StoreBulk}: an if-converted arm over a thread range whose lane loop does nothing but one global store of a
 * per-thread register (scan's {@code if (i < n) out[i] = v}) written with one copy when the store's addresses were
 * checked for the block. Results against Java references, the elements past {@code n} (in the allocation, no thread
 * stores them) unchanged, the copies counted ({@link CpuDevice#storeBulk}); an allocation that ends inside a block:
 * that block's check fails, the loop's checked stores run and fault at the first thread past the end. Kernels:
 * {@code src/test/resources/kernels/storebulk.cu}.
 */
class StoreBulkTest {
    private static Gpu gpu() throws BackendException {
        Gpu g = new Gpu(2);
        g.device.engine(CpuDevice.Engine.LOCKSTEP);
        return g;
    }

    @Test
    void armStoresOfCheckedBlocksAreOneCopyEach() throws Exception {
        for (int nt : new int[] {256, 100, 33, 1}) {
            for (int n0 : new int[] {nt * 4, nt * 3 + nt / 2 + 1}) {
                int n = n0;
                try (Gpu gpu = gpu()) {
                    BackendFunction f = SchedulingTest.kernel(gpu, "storebulk.ptx", "store_arm");
                    int grid = (n + nt - 1) / nt;
                    n = (grid - 1) * 256 + (n - (grid - 1) * nt);  // block b holds elements [256 b, 256 b + nt)
                    Random r = new Random(n * 31L + nt);
                    int[] in = new int[grid * 256];
                    for (int i = 0; i < in.length; i++) in[i] = r.nextInt();
                    // the allocation covers whole blocks of 256: every block's check passes; no thread stores past
                    // n, nor between nt and 256 in a block
                    int[] before = new int[grid * 256];
                    Arrays.fill(before, 0x5a5a5a5a);
                    long din = gpu.upload(in);
                    long dout = gpu.upload(before);
                    long dlast = gpu.upload(new int[grid]);
                    gpu.launch(f, grid, nt, n, din, dout, dlast);
                    gpu.sync();
                    int[] want = before.clone();
                    int[] last = new int[grid];
                    for (int b = 0; b < grid; b++) {
                        for (int t = 0; t < nt; t++) {
                            int i = b * 256 + t;
                            int v = i < n ? in[i] : 0;
                            if (t != 0) v = v * 3 + (i - 1 < n ? in[i - 1] : 0);
                            if (i < n) want[i] = v;
                            if (t == nt - 1) last[b] = v;
                        }
                    }
                    assertArrayEquals(want, gpu.ints(dout, grid * 256), nt + " threads, n = " + n);
                    assertArrayEquals(last, gpu.ints(dlast, grid), nt + " threads, n = " + n);
                    // one copy per block (out[i]); in a block of one thread last[blockIdx.x] is "consecutive" too
                    long copies = nt == 1 ? 2L * grid : grid;
                    assertEquals(StoreBulk.ENABLED ? copies : 0, gpu.device.storeBulk.sum(), nt + " threads, n = " + n);
                }
            }
        }
    }

    @Test
    void sixtyFourBitStores() throws Exception {
        int nt = 128, grid = 3, n = 2 * 256 + nt - 5;
        try (Gpu gpu = gpu()) {
            BackendFunction f = SchedulingTest.kernel(gpu, "storebulk.ptx", "store_arm64");
            Random r = new Random(64);
            long[] in = new long[grid * 256];
            for (int i = 0; i < in.length; i++) in[i] = r.nextLong();
            long[] before = new long[grid * 256];
            Arrays.fill(before, -7L);
            long din = gpu.upload(in);
            long dout = gpu.upload(before);
            long dlast = gpu.upload(new long[grid]);
            gpu.launch(f, grid, nt, n, din, dout, dlast);
            gpu.sync();
            long[] want = before.clone();
            long[] last = new long[grid];
            for (int b = 0; b < grid; b++) {
                for (int t = 0; t < nt; t++) {
                    int i = b * 256 + t;
                    long v = i < n ? in[i] : 0;
                    if (t != 0) v = v * 5 - (i - 1 < n ? in[i - 1] : 0);
                    if (i < n) want[i] = v;
                    if (t == nt - 1) last[b] = v;
                }
            }
            assertArrayEquals(want, gpu.longs(dout, grid * 256));
            assertArrayEquals(last, gpu.longs(dlast, grid));
            assertEquals(StoreBulk.ENABLED ? grid : 0, gpu.device.storeBulk.sum());
        }
    }

    /**
     * The output allocation ends at element 100 of a block of 256 threads that all store (n = 256): the block's check
     * fails, no copy is made, and the loop's checked stores fault at thread 100, the first past the end.
     */
    @Test
    void aStorePastTheAllocationFaultsAtItsThread() throws Exception {
        try (Gpu gpu = gpu()) {
            BackendFunction f = SchedulingTest.kernel(gpu, "storebulk.ptx", "store_arm");
            int nt = 256;
            long din = gpu.upload(new int[nt]);
            long dout = gpu.upload(new int[100]);
            long dlast = gpu.upload(new int[1]);
            gpu.launch(f, 1, nt, nt, din, dout, dlast);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result(), e.getMessage());
            assertTrue(e.getMessage().contains("block (0,0,0), thread (100,0,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("st.global"), e.getMessage());
            assertEquals(0, gpu.device.storeBulk.sum(), "the check failed: no copy");
        }
    }
}
