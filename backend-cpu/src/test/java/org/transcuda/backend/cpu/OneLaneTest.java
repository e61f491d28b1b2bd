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
 * {@link OneLane}: an if-converted arm of one constant thread ({@code if (tid.x == C) p[ctaid] = v}) run once with
 * its range decided inline. Kernels of {@code onelane_hand.ptx} (C = 0, 5, 31, 255, 300 as {@code ne} with the arm
 * where it is false; C = 7, 64 as unsigned {@code eq}; {@code 2·tid + 1 == 11}) at block sizes 1, 6, 32, 96, 256,
 * 300, 512 (C inside and outside the block) on one and two workers, against a Java reference (the word of each
 * block from the named thread's {@code 3·in + tid}, the sentinel where no thread is named); suite.ptx's
 * {@code scan_block} ({@code threadIdx.x == 255}) at full grids, partial last blocks, {@code n < 256} and
 * {@code n} not a multiple of 32 against the Java block scan; the arms counted (one per block and launch, 0 with
 * {@code -Dtranscuda.cpu.oneLane=false}); a short {@code p} or {@code sums} faults at the same block, thread and
 * instruction.
 */
class OneLaneTest {
    private static long expected(long n) {
        return OneLane.ENABLED ? n : 0;
    }

    private static final int SENTINEL = 0x5a5a5a5a;

    /** {kernel, the thread it names} */
    private static final Object[][] KERNELS = {
        {"ol_ne_0", 0}, {"ol_ne_5", 5}, {"ol_ne_31", 31}, {"ol_ne_255", 255}, {"ol_ne_300", 300},
        {"ol_eq_u_7", 7}, {"ol_eq_u_64", 64}, {"ol_expr", 5},
    };

    @Test
    void oneThreadInsideAndOutsideTheBlock() throws Exception {
        for (int workers : new int[] {1, 2}) {
            for (int nt : new int[] {1, 6, 32, 96, 256, 300, 512}) {
                for (Object[] k : KERNELS) {
                    String name = (String) k[0];
                    int c = (Integer) k[1];
                    try (Gpu gpu = Gpu.lockstep(workers)) {
                        int grid = 7;
                        int[] in = new int[grid * nt];
                        java.util.Random rnd = new java.util.Random(nt * 31L + c);
                        for (int i = 0; i < in.length; i++) in[i] = rnd.nextInt();
                        int[] before = new int[grid];
                        java.util.Arrays.fill(before, SENTINEL);
                        long din = gpu.upload(in);
                        long dp = gpu.upload(before);
                        BackendFunction f = SchedulingTest.kernel(gpu, "onelane_hand.ptx", name);
                        gpu.launch(f, grid, nt, din, dp);
                        gpu.sync();
                        int[] want = before.clone();
                        for (int b = 0; b < grid; b++) if (c < nt) want[b] = 3 * in[b * nt + c] + c;
                        String what = name + ", block of " + nt + ", " + workers + " workers";
                        assertArrayEquals(want, gpu.ints(dp, grid), what);
                        assertEquals(expected(grid), gpu.device.oneLanes.sum(), "one-thread arms, " + what);
                    }
                }
            }
        }
    }

    @Test
    void scanBlockBitForBit() throws Exception {
        for (int workers : new int[] {1, 2}) {
            for (int n : new int[] {256 * 6, 256 * 6 - 1, 256 * 5 + 31, 1567, 1569, 512, 256, 255, 200, 77, 5, 1}) {
                try (Gpu gpu = Gpu.lockstep(workers)) {
                    int[] in = new int[n];
                    java.util.Random rnd = new java.util.Random(n * 13L + workers);
                    for (int i = 0; i < n; i++) in[i] = rnd.nextInt();
                    SuiteScanBlock.runAndCheck(gpu, in);
                    int grid = (n + 255) / 256;
                    assertEquals(expected(grid), gpu.device.oneLanes.sum(),
                            "one-thread arms, scan_block n=" + n + ", " + workers + " workers");
                }
            }
        }
    }

    /** p has 2 words, the grid 4 blocks: block 2's thread C faults in its store. */
    @Test
    void aShortPointerFaultsAtTheNamedThread() throws Exception {
        for (Object[] k : new Object[][] {{"ol_ne_5", 5}, {"ol_eq_u_64", 64}, {"ol_expr", 5}}) {
            try (Gpu gpu = Gpu.lockstep(1)) {
                int nt = 96, grid = 4;
                long din = gpu.upload(new int[grid * nt]);
                long dp = gpu.upload(new int[2]);
                gpu.launch(SchedulingTest.kernel(gpu, "onelane_hand.ptx", (String) k[0]), grid, nt, din, dp);
                BackendException e = assertThrows(BackendException.class, gpu::sync);
                assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result());
                assertTrue(e.getMessage().contains("block (2,0,0), thread (" + k[1] + ",0,0)"), e.getMessage());
                assertTrue(e.getMessage().contains("st.global"), e.getMessage());
                assertEquals(expected(3), gpu.device.oneLanes.sum(), "one-thread arms");
            }
        }
    }

    /** scan_block with 5 blocks but a {@code sums} of 3 words: block 3's thread 255 faults in its store. */
    @Test
    void aShortSumsFaultsAsBefore() throws Exception {
        int grid = 5, n = grid * 256;
        try (Gpu gpu = Gpu.lockstep(1)) {
            BackendFunction f = gpu.suite("scan_block");
            long din = gpu.upload(new int[n]);
            long dout = gpu.upload(new int[n]);
            long dsums = gpu.upload(new int[3]);
            gpu.launch(f, grid, 256, n, din, dout, dsums);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result());
            assertTrue(e.getMessage().contains("block (3,0,0), thread (255,0,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("st.global"), e.getMessage());
            assertEquals(expected(4), gpu.device.oneLanes.sum(), "one-thread arms");
        }
    }
}
