package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.Dim3;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;

/**
 * {@link ExecReuse}: lockstep workers' register arrays kept from one launch of a kernel for the next (off with
 * {@code -Dtranscuda.cpu.execReuse=false}). The suite's {@code reduce} launched again and again with different
 * {@code n} (partial last blocks, NaNs, -0) on 1 and 2 workers: every partial sum bit for bit a Java reference's
 * ({@link SuiteReduce}), and every launch after the first ran with kept arrays ({@code execReuses} grows; so these
 * tests fail with the switch off). {@code strideloop.ptx}'s {@code hist} with the block size changing between
 * launches (256, 128, 264, 264, 256): counts equal to Java's, no kept set taken when the size changed, one taken when
 * it did not. A faulting launch after launches that kept arrays: the same fault (block, thread, instruction).
 */
class ExecReuseTest {
    @Test
    void reduceAgainAndAgain() throws Exception {
        for (int workers : new int[] {1, 2}) {
            int grid = 9;
            try (Gpu gpu = Gpu.lockstep(workers)) {
                BackendFunction f = ArmChainTest.reduce(gpu);
                float[] in = ArmChainTest.input(grid * 512, 512);
                long din = gpu.upload(in);
                int launches = 0;
                for (int n : new int[] {grid * 512, grid * 512 - 100, 1000, grid * 512 - 511, grid * 512, 77}) {
                    long dout = gpu.upload(new int[grid]);
                    gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, n, din, dout);
                    gpu.sync();
                    launches++;
                    assertArrayEquals(SuiteReduce.reference(in, n, grid), gpu.ints(dout, grid),
                            workers + " workers, n=" + n);
                    long reused = gpu.device.execReuses.sum();
                    if (launches == 1) assertEquals(0, reused, "first launch: nothing kept yet");
                    else assertTrue(reused >= launches - 1, "launch " + launches + ": kept arrays used " + reused);
                }
            }
        }
    }

    private static byte[] bytes(int n, long seed) {
        byte[] data = new byte[n];
        long x = seed;
        for (int i = 0; i < n; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            data[i] = (byte) (x >>> 56);
        }
        return data;
    }

    @Test
    void blockSizeChangesBetweenLaunches() throws Exception {
        int n = 50_000, grid = 7;
        byte[] data = bytes(n, 5);
        int[] want = new int[256];
        for (byte b : data) want[b & 0xff]++;
        try (Gpu gpu = Gpu.lockstep(2)) {
            BackendFunction f = SchedulingTest.kernel(gpu, "strideloop.ptx", "hist");
            long dd = gpu.alloc(n);
            MemorySegment.copy(data, 0, gpu.seg(dd, n), ValueLayout.JAVA_BYTE, 0, n);
            int prev = -1;
            for (int nt : new int[] {256, 128, 264, 264, 256, 256}) {
                long dbins = gpu.upload(new int[256]);
                long before = gpu.device.execReuses.sum();
                gpu.launch(f, grid, nt, n, dd, dbins);
                gpu.sync();
                assertArrayEquals(want, gpu.ints(dbins, 256), "block of " + nt);
                long took = gpu.device.execReuses.sum() - before;
                if (nt == prev) assertTrue(took > 0, "block of " + nt + " again: kept arrays used");
                else if (prev != 256 || nt != 256) assertEquals(0, took, "block of " + nt + " after " + prev);
                prev = nt;
            }
        }
    }

    @Test
    void faultAfterReusedLaunches() throws Exception {
        try (Gpu gpu = Gpu.lockstep(1)) {
            BackendFunction f = SchedulingTest.kernel(gpu, "strideloop.ptx", "hist");
            // as HistConstTest: data of 10 * 1024 + 77 bytes; n = 16384 reads past it from block 0, thread 77 on
            int len = 10 * 1024 + 77;
            byte[] data = bytes(len, 9);
            long dd = gpu.alloc(len);
            MemorySegment.copy(data, 0, gpu.seg(dd, len), ValueLayout.JAVA_BYTE, 0, len);
            int[] want = new int[256];
            for (byte b : data) want[b & 0xff]++;
            for (int i = 0; i < 3; i++) {
                long dbins = gpu.upload(new int[256]);
                gpu.launch(f, 4, 256, len, dd, dbins);
                gpu.sync();
                assertArrayEquals(want, gpu.ints(dbins, 256));
            }
            assertEquals(2, gpu.device.execReuses.sum());
            long dbins = gpu.upload(new int[256]);
            gpu.launch(f, 4, 256, 16_384, dd, dbins);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result());
            assertTrue(e.getMessage().contains("block (0,0,0), thread (77,0,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("ld.global"), e.getMessage());
            assertEquals(3, gpu.device.execReuses.sum());
        }
    }
}
