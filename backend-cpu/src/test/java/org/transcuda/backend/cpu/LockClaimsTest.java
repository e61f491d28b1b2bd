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
 * {@link LockClaims}: lockstep launches claim {@code blocks / (8 · workers)} blocks at a time when that is more than the
 * old rule's {@code max(1, min(64, blocks / (8 · workers)))}. suite.ptx's {@code reduce} (3000 blocks, partial last
 * blocks) and {@code scan_block} (2100 blocks) bit for bit against Java references ({@link SuiteReduce#reference},
 * {@link SuiteScanBlock}) with the rule on and off, on 1 and 2 workers; the blocks per claim and the number of claims
 * the workers made checked against the rule written out here; a small grid keeps its claims; faults — the last block's
 * second load past a short input, and three faulting blocks on one worker (the first in grid order is reported) — the
 * same error, message, memory written before it and sticky error with either rule.
 */
class LockClaimsTest {

    private static Gpu gpu(int workers, boolean on) throws BackendException {
        Gpu g = Gpu.lockstep(workers);
        g.device.lockClaims = on;
        return g;
    }

    /** The rule written out: old = max(1, min(64, share)), new = max(old, share), share = blocks / (8 workers). */
    private static long expectedClaim(long blocks, int workers, boolean on) {
        long share = blocks / (8L * workers);
        long old = Math.max(1, Math.min(64, share));
        return on ? Math.max(old, share) : old;
    }

    private static void assertClaims(Gpu gpu, long blocks, int workers, boolean on, String what) {
        long claim = expectedClaim(blocks, workers, on);
        assertEquals(claim, gpu.device.lastLockClaimBlocks, what + ": blocks per claim");
        assertEquals((blocks + claim - 1) / claim, gpu.device.lockClaimCount.sum(), what + ": claims");
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
    void reduceInLargeClaimsMatchesJava() throws Exception {
        int grid = 3000;
        float[] in = input(grid * 512);
        for (int n : new int[] {grid * 512, grid * 512 - 301}) {
            int[] want = SuiteReduce.reference(in, n, grid);
            for (boolean on : new boolean[] {true, false}) {
                for (int workers : new int[] {1, 2}) {
                    String what = "reduce n = " + n + ", lockClaims " + on + ", " + workers + " workers";
                    try (Gpu gpu = gpu(workers, on)) {
                        BackendFunction f = gpu.suite("reduce");
                        long din = gpu.upload(in);
                        long dout = gpu.upload(new int[grid]);
                        gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, n, din, dout);
                        gpu.sync();
                        assertArrayEquals(want, gpu.ints(dout, grid), what);
                        assertClaims(gpu, grid, workers, on, what);
                        if (on) assertEquals(grid / (8L * workers), gpu.device.lastLockClaimBlocks, what);
                        else assertEquals(64L, gpu.device.lastLockClaimBlocks, what); // the rules differ here
                    }
                }
            }
        }
    }

    @Test
    void scanBlockInLargeClaimsMatchesJava() throws Exception {
        int n = 256 * 2100 - 77;
        int grid = 2100;
        int[] in = new int[n];
        java.util.Random rnd = new java.util.Random(7);
        for (int i = 0; i < n; i++) in[i] = rnd.nextInt();
        for (boolean on : new boolean[] {true, false}) {
            for (int workers : new int[] {1, 2}) {
                try (Gpu gpu = gpu(workers, on)) {
                    SuiteScanBlock.runAndCheck(gpu, in);
                    assertClaims(gpu, grid, workers, on, "scan_block, lockClaims " + on + ", " + workers + " workers");
                }
            }
        }
    }

    @Test
    void smallGridKeepsItsClaims() throws Exception {
        int grid = 300;
        float[] in = input(grid * 512);
        for (int workers : new int[] {1, 2}) {
            try (Gpu gpu = gpu(workers, true)) {
                BackendFunction f = gpu.suite("reduce");
                long din = gpu.upload(in);
                long dout = gpu.upload(new int[grid]);
                gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, grid * 512, din, dout);
                gpu.sync();
                assertArrayEquals(SuiteReduce.reference(in, grid * 512, grid), gpu.ints(dout, grid));
                assertEquals(expectedClaim(grid, workers, false), gpu.device.lastLockClaimBlocks);
                assertClaims(gpu, grid, workers, true, "reduce grid 300, " + workers + " workers");
            }
        }
    }

    /**
     * Runs reduce on an input {@code shortBy} floats short of {@code grid · 512}; gives the error, its message, the
     * output and the sticky error of the next launch.
     */
    private static Object[] faulting(int workers, boolean on, int grid, int shortBy) throws Exception {
        try (Gpu gpu = gpu(workers, on)) {
            BackendFunction f = gpu.suite("reduce");
            long din = gpu.upload(input(grid * 512 - shortBy));
            int[] init = new int[grid];
            java.util.Arrays.fill(init, 0x5eed);
            long dout = gpu.upload(init);
            gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, grid * 512, din, dout);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(expectedClaim(grid, workers, on), gpu.device.lastLockClaimBlocks);
            BackendException sticky = assertThrows(BackendException.class, () -> {
                gpu.launch(f, Dim3.of(1), Dim3.of(256), 0, 256, din, dout);
                gpu.sync();
            });
            return new Object[] {e.result(), e.getMessage().replaceAll("0x[0-9a-f]+", "ADDR"),
                    gpu.ints(dout, grid), sticky.result(), sticky.getMessage().replaceAll("0x[0-9a-f]+", "ADDR")};
        }
    }

    /** Only the last block faults (its second load, {@code in[i + 256]}, past the input at thread 216). */
    @Test
    void lastBlockFaultIsTheFaultWithout() throws Exception {
        int grid = 2500;
        for (int workers : new int[] {1, 2}) {
            Object[] on = faulting(workers, true, grid, 40);
            Object[] off = faulting(workers, false, grid, 40);
            String what = workers + " workers";
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, on[0], what);
            assertEquals(off[0], on[0], what);
            assertEquals(off[1], on[1], what);
            assertTrue(((String) on[1]).contains("block (2499,0,0), thread (216,0,0)"), what + ": " + on[1]);
            assertTrue(((String) on[1]).contains("ld.global"), what + ": " + on[1]);
            assertEquals(off[3], on[3], what);
            assertEquals(off[4], on[4], what);
            assertTrue(((String) on[4]).contains("earlier kernel fault"), what + ": " + on[4]);
            if (workers == 1) {
                int[] want = SuiteReduce.reference(input(grid * 512 - 40), grid * 512 - 40, grid - 1);
                int[] got = (int[]) on[2];
                assertArrayEquals(want, java.util.Arrays.copyOf(got, grid - 1), what);
                assertEquals(0x5eed, got[grid - 1], what);
                assertArrayEquals((int[]) off[2], got, what);
            }
        }
    }

    /** Blocks 2497–2499 all fault; one worker reports the first in grid order, block 2497, with either rule. */
    @Test
    void firstOfSeveralFaultingBlocksOnOneWorker() throws Exception {
        int grid = 2500;
        Object[] on = faulting(1, true, grid, 2 * 512 + 300);
        Object[] off = faulting(1, false, grid, 2 * 512 + 300);
        assertEquals(off[0], on[0]);
        assertEquals(off[1], on[1]);
        assertTrue(((String) on[1]).contains("block (2497,0,0)"), (String) on[1]);
        assertArrayEquals((int[]) off[2], (int[]) on[2]);
        assertEquals(off[4], on[4]);
    }
}
