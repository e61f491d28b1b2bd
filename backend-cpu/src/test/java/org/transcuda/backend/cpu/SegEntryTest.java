package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.Dim3;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;

/**
 * {@link SegEntry}: {@link LaneBulk#start}'s site tables read from the worker's {@link Exec}. suite.ptx's
 * {@code reduce} (partial last blocks, n = 1) and {@code scan_block} (partial last blocks) bit for bit against Java
 * references ({@link SuiteReduce#reference}, {@link SuiteScanBlock}), on 1 and 2 workers; the barrier kernels
 * {@code bar4}/{@code bar16} ({@code src/test/resources/kernels/segbar.cu}: K steps of {@code s[t] += 1;
 * __syncthreads()}) against a Java formula, full and partial blocks; faults: reduce's input short (block 2, thread
 * 40, {@code ld.global}, where {@code LaneBulk.start} refuses the block and the threads load one by one) and bar16's
 * {@code out} short (the store after the 17th barrier, block 3, thread 3). Observable: {@link CpuDevice#segEntry}
 * counts the lookups (> 0 for reduce and scan_block with the switch on, 0 with
 * {@code -Dtranscuda.cpu.segEntry=false}, same results).
 */
class SegEntryTest {

    private static void assertCounted(Gpu gpu, String what) {
        long c = gpu.device.segEntry.sum();
        if (SegEntry.ENABLED) {
            assertTrue(c > 0, what + ": site lookups from the worker's tables " + c);
        } else {
            assertEquals(0, c, what);
        }
    }

    private static float[] input(int count) {
        float[] in = new float[count];
        for (int i = 0; i < count; i++) {
            in[i] = switch (i % 193) {
                case 0 -> Float.intBitsToFloat(0x7fc0_0abc);
                case 1 -> Float.POSITIVE_INFINITY;
                case 2 -> -0.0f;
                case 3 -> Float.MIN_VALUE * 3;
                default -> (i % 41 - 20) * 0.125f + 0x1p-21f * (i % 13);
            };
        }
        return in;
    }

    @Test
    void reduceBitForBit() throws Exception {
        int grid = 7;
        for (int workers : new int[] {1, 2}) {
            try (Gpu gpu = Gpu.lockstep(workers)) {
                BackendFunction f = gpu.suite("reduce");
                float[] in = input(grid * 512);
                long din = gpu.upload(in);
                for (int n : new int[] {grid * 512, grid * 512 - 1, grid * 512 - 256, grid * 512 - 301, 3 * 512 + 5,
                        255, 1}) {
                    long dout = gpu.upload(new int[grid]);
                    gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, n, din, dout);
                    gpu.sync();
                    String what = "reduce n = " + n + ", " + workers + " workers";
                    assertArrayEquals(SuiteReduce.reference(in, n, grid), gpu.ints(dout, grid), what);
                }
                assertCounted(gpu, "reduce, " + workers + " workers");
            }
        }
    }

    /** Block 2's first load reads past an input of 2·512 + 40 floats at thread 40 (one worker). */
    @Test
    void reduceShortInputFaultsAsBefore() throws Exception {
        int grid = 4;
        try (Gpu gpu = Gpu.lockstep(1)) {
            BackendFunction f = gpu.suite("reduce");
            long din = gpu.upload(input(2 * 512 + 40));
            long dout = gpu.upload(new int[grid]);
            gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, grid * 512, din, dout);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result());
            assertTrue(e.getMessage().contains("block (2,0,0), thread (40,0,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("ld.global"), e.getMessage());
        }
    }

    @Test
    void scanBlockBitForBit() throws Exception {
        for (int n : new int[] {256 * 6, 256 * 6 - 1, 256 * 2 + 77, 31}) {
            for (int workers : new int[] {1, 2}) {
                try (Gpu gpu = Gpu.lockstep(workers)) {
                    int[] in = new int[n];
                    java.util.Random rnd = new java.util.Random(n * 17L + workers);
                    for (int i = 0; i < n; i++) in[i] = rnd.nextInt();
                    SuiteScanBlock.runAndCheck(gpu, in);
                    assertCounted(gpu, "scan_block n = " + n + ", " + workers + " workers");
                }
            }
        }
    }

    /** bar K: out[i] = (t + K) + ((t + 1) mod bs + K) for i = block·bs + t < n. */
    private static int[] barReference(int k, int grid, int bs, int n, int sentinel) {
        int[] out = new int[grid * bs];
        for (int b = 0; b < grid; b++) {
            for (int t = 0; t < bs; t++) {
                int i = b * bs + t;
                out[i] = i < n ? (t + k) + ((t + 1) % bs + k) : sentinel;
            }
        }
        return out;
    }

    @Test
    void barrierKernelsBitForBit() throws Exception {
        for (int workers : new int[] {1, 2}) {
            try (Gpu gpu = Gpu.lockstep(workers)) {
                for (int k : new int[] {4, 16}) {
                    BackendFunction f = SchedulingTest.kernel(gpu, "segbar.ptx", "bar" + k);
                    for (int bs : new int[] {256, 96, 1}) {
                        int grid = 5;
                        for (int n : new int[] {grid * bs, grid * bs - 7, bs + 1}) {
                            if (n <= 0) continue;
                            int sentinel = 0x5eed_0000 + n;
                            int[] init = new int[grid * bs];
                            java.util.Arrays.fill(init, sentinel);
                            long dout = gpu.upload(init);
                            gpu.launch(f, Dim3.of(grid), Dim3.of(bs), 0, dout, n);
                            gpu.sync();
                            assertArrayEquals(barReference(k, grid, bs, n, sentinel), gpu.ints(dout, grid * bs),
                                    "bar" + k + " bs = " + bs + " n = " + n + ", " + workers + " workers");
                        }
                    }
                }
            }
        }
    }

    /** out holds 3·256 + 3 words: block 3's store after the last barrier faults at thread 3 (one worker). */
    @Test
    void barrierKernelStoreInLastSegmentFaults() throws Exception {
        try (Gpu gpu = Gpu.lockstep(1)) {
            BackendFunction f = SchedulingTest.kernel(gpu, "segbar.ptx", "bar16");
            long dout = gpu.alloc(4L * (3 * 256 + 3));
            gpu.launch(f, Dim3.of(5), Dim3.of(256), 0, dout, 5 * 256);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result());
            assertTrue(e.getMessage().contains("block (3,0,0), thread (3,0,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("st.global"), e.getMessage());
        }
    }
}
