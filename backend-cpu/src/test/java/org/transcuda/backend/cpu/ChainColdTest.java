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
import org.transcuda.cuda.Dim3;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;

/**
 * {@link ChainCold}: the arrays only a shuffle scan chain's literal steps read are loaded in those steps. Checked
 * against Java references: suite.ptx's {@code scan_block} (the chain taken by {@link WarpScanVec}, the literal steps
 * never run) at full, partial last and single blocks (n below 256) on one and two workers against
 * {@link SuiteScanBlock}'s block scan, with the vector warps counted; warpscan.ptx's {@code scan5_2d} in blocks whose
 * {@code tid.x & 31} is not the hardware lane (8 x 4, 40 x 2: {@link WarpScan#scan} declines and the literal steps
 * run with the arrays they load) and in blocks where it is (32 x 3, 16 x 1), against {@link WarpScanTest#reference}'s
 * literal Hillis–Steele steps; scan_block with an input too short for block 3: {@code CUDA_ERROR_ILLEGAL_ADDRESS} at
 * block (3,0,0), thread (70,0,0), {@code ld.global}, as before. {@link ChainCold#STATS} gives the arrays moved per
 * kernel (0 with {@code -Dtranscuda.cpu.chainCold=false}).
 */
class ChainColdTest {
    /**
     * scan_block's arrays moved: 19 of the five-step chain's segment (shuffle results and their predicates, selects,
     * intermediate sums, the lane compares inside the chain), 11 of warp 0's three-step chain's.
     */
    private static final long SCAN_BLOCK_MOVED = 30;
    /** scan5_2d's arrays moved. */
    private static final long SCAN5_2D_MOVED = 19;

    private static boolean on() {
        return ChainCold.ENABLED && WarpScan.ENABLED && LeanPrologue.ENABLED;
    }

    @ParameterizedTest
    @CsvSource({"2304,2", "2304,1", "1613,2", "1567,1", "256,2", "255,1", "200,2", "77,1", "1,2"})
    void scanBlock(int n, int workers) throws Exception {
        int grid = (n + 255) / 256;
        int[] in = new int[n];
        Random r = new Random(n * 37L + workers);
        for (int i = 0; i < n; i++) in[i] = r.nextInt(); // full range: the sums wrap
        try (Gpu gpu = Gpu.lockstep(workers)) {
            SuiteScanBlock.runAndCheck(gpu, in);
            assertEquals(on() ? SCAN_BLOCK_MOVED : 0, ChainCold.total("scan_block"), "arrays moved, n = " + n);
            if (WarpScan.ENABLED && WarpScan.VEC) {
                assertEquals(8L * grid, gpu.device.warpScanVecs.sum(), "warps as vectors, n = " + n);
            }
        }
    }

    /** With 8 x 4 and 40 x 2 threads the chain's literal steps run (no warp summed), with 32 x 3 and 16 x 1 not. */
    @ParameterizedTest
    @CsvSource({"8,4,0,1", "40,2,0,2", "32,3,3,1", "16,1,1,2", "8,4,0,2", "40,2,0,1"})
    void literalSteps(int nx, int ny, int summedPerBlock, int workers) throws Exception {
        int grid = 3;
        int block = nx * ny;
        int n = grid * block;
        Random r = new Random(nx * 131L + ny);
        int[] in = new int[n];
        for (int i = 0; i < n; i++) in[i] = r.nextInt();
        int[] want = new int[n];
        for (int b = 0; b < grid; b++) {
            int[] part = java.util.Arrays.copyOfRange(in, b * block, b * block + block);
            System.arraycopy(WarpScanTest.reference(part, nx, ny, 5, nx), 0, want, b * block, block);
        }
        try (Gpu gpu = Gpu.lockstep(workers)) {
            BackendFunction f = SchedulingTest.kernel(gpu, "warpscan.ptx", "scan5_2d");
            long din = gpu.upload(in);
            long dout = gpu.alloc(n * 4L);
            gpu.launch(f, Dim3.of(grid), new Dim3(nx, ny, 1), 0, n, din, dout);
            gpu.sync();
            String what = nx + "x" + ny + ", " + workers + " workers";
            assertArrayEquals(want, gpu.ints(dout, n), what);
            if (WarpScan.ENABLED) {
                assertEquals((long) grid * summedPerBlock, gpu.device.warpScans.sum(), "warps summed, " + what);
            }
            assertEquals(on() ? SCAN5_2D_MOVED : 0, ChainCold.total("scan5_2d"), "arrays moved, " + what);
        }
    }

    /** scan_block with n = 5·256 but an input of 3·256 + 70 words: block 3's load faults at thread 70. */
    @Test
    void shortInputFaultsAsBefore() throws Exception {
        int grid = 5, n = grid * 256;
        try (Gpu gpu = Gpu.lockstep(1)) {
            BackendFunction f = gpu.suite("scan_block");
            long din = gpu.upload(new int[3 * 256 + 70]);
            long dout = gpu.upload(new int[n]);
            long dsums = gpu.upload(new int[grid]);
            gpu.launch(f, grid, 256, n, din, dout, dsums);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result());
            assertTrue(e.getMessage().contains("block (3,0,0), thread (70,0,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("ld.global"), e.getMessage());
            assertEquals(on() ? SCAN_BLOCK_MOVED : 0, ChainCold.total("scan_block"), "arrays moved");
            if (WarpScan.ENABLED && WarpScan.VEC) {
                assertEquals(8L * 3, gpu.device.warpScanVecs.sum(), "blocks 0-2 scanned as vectors");
            }
        }
    }
}
