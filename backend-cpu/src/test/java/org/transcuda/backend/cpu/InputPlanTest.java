package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.Dim3;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;

/**
 * {@link InputPlan}: {@link InputFuse}'s per-block entry from a per-launch, per-worker memo. suite.ptx's
 * {@code reduce} bit for bit against {@link SuiteReduce#reference} (inputs with NaN payloads, infinities, overflow,
 * subnormals, signed zeros from {@link ArmChainTest#input}) at {@code n} multiples of 512 and not (a last block whose
 * second arm covers part of its threads, none of them, whose first arm covers part), one element and none, with one
 * worker (the blocks that run from the memo are known: see {@link #plans}) and two (counted within bounds). An input
 * allocation that ends inside block 5 of 6 (after blocks that ran from the memo): the fault at block 5, thread 40, in
 * {@code ld.global}, blocks 0..4's sums written and block 5's not, with one worker and two. Counted in
 * {@link CpuDevice#inputPlans}; 0 with {@code -Dtranscuda.cpu.inputPlan=false}.
 */
class InputPlanTest {
    private static boolean on() {
        return InputPlan.ENABLED && InputFuse.ENABLED;
    }

    /** An arm of block b starting at element {@code first}: 1 all threads in range, 0 none, -1 some. */
    private static int arm(long first, long un) {
        return first + 255 < un ? 1 : first >= un ? 0 : -1;
    }

    /**
     * One worker, blocks in order: block 0 runs the segments (its thread-constant register not yet set), a block
     * whose arms are each all or none runs the pass — from the memo when its arms' states are the memo's, else the
     * general entry, which makes the memo. The blocks that ran from the memo.
     */
    static long plans(int n, int grid) {
        long un = n & 0xffff_ffffL, k = 0;
        int memo = -1;
        for (int b = 1; b < grid; b++) {
            int x = arm(b * 512L, un), y = arm(b * 512L + 256, un);
            if (x < 0 || y < 0) continue;
            int key = 2 * x + y;
            if (key == memo) k++;
            else memo = key;
        }
        return on() ? k : 0;
    }

    private static void check(Gpu gpu, BackendFunction f, float[] in, int n, int grid, String what) throws Exception {
        long dout = gpu.upload(new int[grid]);
        gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, n, gpu.upload(in), dout);
        gpu.sync();
        int[] want = SuiteReduce.reference(in, n, grid);
        int[] got = gpu.ints(dout, grid);
        for (int b = 0; b < grid; b++) {
            assertEquals(want[b], got[b], what + " n=" + n + ": partial[" + b + "] want " + Float.intBitsToFloat(want[b])
                    + ", got " + Float.intBitsToFloat(got[b]));
        }
    }

    private static int[] sizes(int grid) {
        return new int[] {grid * 512, grid * 512 - 100, grid * 512 - 256, grid * 512 - 300, grid * 512 - 512,
            grid * 512 - 700, 1000, 1, -1};
    }

    @Test
    void reduceOneWorker() throws Exception {
        int grid = 11;
        float[] in = ArmChainTest.input(grid * 512, 512);
        try (Gpu gpu = Gpu.lockstep(1)) {
            BackendFunction f = ArmChainTest.reduce(gpu);
            long expected = 0;
            for (int n : sizes(grid)) {
                check(gpu, f, in, n, grid, "one worker");
                expected += plans(n, grid);
                assertEquals(expected, gpu.device.inputPlans.sum(), "blocks from the memo, n=" + n);
            }
            if (on()) assertTrue(expected >= 8, "memo runs expected: " + expected);
        }
    }

    @Test
    void reduceTwoWorkers() throws Exception {
        int grid = 40;
        float[] in = ArmChainTest.input(grid * 512, 512);
        try (Gpu gpu = Gpu.lockstep(2)) {
            BackendFunction f = ArmChainTest.reduce(gpu);
            for (int n : sizes(grid)) {
                long fuses = gpu.device.inputFuses.sum(), before = gpu.device.inputPlans.sum();
                check(gpu, f, in, n, grid, "two workers");
                long dp = gpu.device.inputPlans.sum() - before, df = gpu.device.inputFuses.sum() - fuses;
                if (!on()) {
                    assertEquals(0L, dp, "blocks from the memo, n=" + n);
                    continue;
                }
                // every pass but each worker's first (and a last block whose arms differ) from the memo
                assertTrue(dp <= df && df - dp <= 3, "n=" + n + ": passes " + df + ", from the memo " + dp);
                if (n == grid * 512) assertTrue(dp >= grid - 5, "n=" + n + ": from the memo " + dp);
            }
        }
    }

    private static void fault(int workers) throws Exception {
        // block 5's second arm reads 5·512 + 256 + t, past the 5·512 + 296 floats at t = 40
        int grid = 6, have = 5 * 512 + 296, n = grid * 512;
        float[] full = ArmChainTest.input(grid * 512, 512);
        float[] in = java.util.Arrays.copyOf(full, have);
        try (Gpu gpu = Gpu.lockstep(workers)) {
            BackendFunction f = ArmChainTest.reduce(gpu);
            int sentinel = 0x5eed5eed;
            int[] init = new int[grid];
            java.util.Arrays.fill(init, sentinel);
            long dout = gpu.upload(init);
            gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, n, gpu.upload(in), dout);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result(), e.getMessage());
            assertTrue(e.getMessage().contains("block (5,0,0), thread (40,0,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("ld.global"), e.getMessage());
            int[] want = SuiteReduce.reference(full, n, grid);
            int[] got = gpu.ints(dout, grid);
            for (int b = 0; b < 5; b++) assertEquals(want[b], got[b], "workers=" + workers + " partial[" + b + "]");
            assertEquals(sentinel, got[5], "partial[5]");
            if (workers == 1) assertEquals(on() ? 3L : 0L, gpu.device.inputPlans.sum(), "blocks from the memo");
        }
    }

    @Test
    void inputEndingInABlockFaultsAsBeforeOneWorker() throws Exception {
        fault(1);
    }

    @Test
    void inputEndingInABlockFaultsAsBeforeTwoWorkers() throws Exception {
        fault(2);
    }
}
