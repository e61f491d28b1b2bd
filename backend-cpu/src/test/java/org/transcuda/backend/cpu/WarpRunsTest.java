package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.transcuda.cuda.CUresult;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;

/**
 * {@link WarpRuns}: {@link ConstRuns}' run loop with {@link ConstRunsVec}'s add as one call per block. Results against
 * Java references: suite.ptx's {@code scan_block} ({@code v += warpSums[warp - 1]}, seven runs of 32) at sizes with
 * full, partial last and single blocks (n below 256) on one and two workers against {@link SuiteScanBlock}'s block
 * scan; threadconst_hand.ptx's {@code tc_prev_hand} ({@code v += s[warp - 1]}) in blocks of 256, 96 and 40 (the last
 * run 8 threads: {@link ConstRunsVec}'s loop inside the call), with block 0's threads from k exiting (that block runs
 * the general loop, not counted); blocks of 320, whose warp 9 reads {@code s[8]} past the array: the load's check
 * fails for the arm, so the segment's run loop runs and faults at block (0,0,0), thread (288,0,0), {@code ld.shared},
 * {@code CUDA_ERROR_ILLEGAL_ADDRESS}, with no call counted. {@link CpuDevice#warpRuns} counts the calls (one per block
 * that took the path; 0 with {@code -Dtranscuda.cpu.warpRuns=false}).
 */
class WarpRunsTest {
    private static Gpu gpu(int workers) throws BackendException {
        Gpu g = new Gpu(workers);
        g.device.engine(CpuDevice.Engine.LOCKSTEP);
        return g;
    }

    /** ConstRuns' run loop taken (one load per run), with or without this class. */
    private static boolean runsOn() {
        return ConstRuns.ENABLED && ConstRange.ENABLED && ThreadConst.ENABLED;
    }

    private static boolean on() {
        return WarpRuns.ENABLED && ConstRunsVec.ENABLED && LaneVec.AVAILABLE && ArmShared.ENABLED && runsOn();
    }

    @ParameterizedTest
    @CsvSource({"2304,2", "2304,1", "1613,2", "1567,1", "256,2", "255,1", "200,2", "77,1", "1,2"})
    void scanBlock(int n, int workers) throws Exception {
        int grid = (n + 255) / 256;
        int[] in = new int[n];
        Random r = new Random(n * 31L + workers);
        for (int i = 0; i < n; i++) in[i] = r.nextInt();
        try (Gpu gpu = gpu(workers)) {
            SuiteScanBlock.runAndCheck(gpu, in);
            assertEquals(on() ? grid : 0, gpu.device.warpRuns.sum(), "run loops as one call, n = " + n);
            assertEquals(runsOn() ? 7L * grid : 0, gpu.device.constRunLoads.sum(), "one load per warp 1..7, n = " + n);
        }
    }

    /** Java reference of tc_prev_hand: s[w] = in[first thread of warp w] * 3 + w; block 0's threads from k exit. */
    private static int[] prev(int[] in, int grid, int nt, int k) {
        int[] want = new int[grid * nt];
        for (int b = 0; b < grid; b++) {
            int[] s = new int[8];
            for (int w = 0; w < 8 && 32 * w < nt; w++) s[w] = in[b * nt + 32 * w] * 3 + w;
            for (int t = 0; t < nt; t++) {
                int w = t >> 5;
                int i = b * nt + t;
                want[i] = b == 0 && t >= k ? (w != 0 ? 1 : 0) : in[i] + (w != 0 ? s[w - 1] : 0);
            }
        }
        return want;
    }

    @ParameterizedTest
    @CsvSource({"256,256,1", "256,64,2", "96,96,2", "40,40,1", "40,20,2"})
    void previousWarpsValue(int nt, int k, int workers) throws Exception {
        int grid = 5, n = grid * nt;
        int[] in = new int[n];
        Random r = new Random(nt + 17L * k);
        for (int i = 0; i < n; i++) in[i] = r.nextInt();
        try (Gpu gpu = gpu(workers)) {
            BackendFunction f = SchedulingTest.kernel(gpu, "threadconst_hand.ptx", "tc_prev_hand");
            long din = gpu.upload(in);
            long dout = gpu.upload(new int[n]);
            gpu.launch(f, grid, nt, k, din, dout);
            gpu.sync();
            assertArrayEquals(prev(in, grid, nt, k), gpu.ints(dout, n), "block of " + nt + ", k = " + k);
            long blocks = k >= nt ? grid : grid - 1;
            assertEquals(on() ? blocks : 0, gpu.device.warpRuns.sum(), "block of " + nt + ", k = " + k);
        }
    }

    @Test
    void aReadPastTheArrayFaultsAtTheRunsFirstThread() throws Exception {
        int grid = 2, nt = 320, n = grid * nt;
        int[] in = new int[n];
        try (Gpu gpu = gpu(1)) {
            BackendFunction f = SchedulingTest.kernel(gpu, "threadconst_hand.ptx", "tc_prev_hand");
            long din = gpu.upload(in);
            long dout = gpu.upload(new int[n]);
            gpu.launch(f, grid, nt, nt, din, dout);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result(), e.getMessage());
            assertTrue(e.getMessage().contains("block (0,0,0), thread (288,0,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("ld.shared"), e.getMessage());
            assertEquals(0, gpu.device.warpRuns.sum(), "no call for a block whose load check failed");
        }
    }
}
