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
 * {@link ArrayShare}: a five-step shuffle scan chain whose input is dead after it writes its result into the input's
 * register array. Checked against Java references: suite.ptx's {@code scan_block} (the chain as {@link WarpScanVec}
 * vectors) at full, partial last and single blocks on one and two workers against {@link SuiteScanBlock}, one
 * register shared and the shared {@link Exec}s counted; warpscan.ptx's {@code scan5_2d} in 8 x 4 and 40 x 2 blocks
 * (the literal steps run on the shared array) and 32 x 3 (the sequential sum) against {@link WarpScanTest#reference};
 * the hand-written {@code scan_plain} (shared) and {@code scan_keep}, whose even threads store the chain's input
 * after the chain on their side of a divergent branch (the input interferes with the result: nothing shared, and
 * sharing would store the scan there); suite.ptx's {@code reduce} (no chain: nothing shared) against
 * {@link SuiteReduce}; and scan_block's fault at block (3,0,0), thread (70,0,0), as before.
 */
class ArrayShareTest {
    private static boolean on() {
        return ArrayShare.ENABLED && WarpScan.ENABLED;
    }

    @ParameterizedTest
    @CsvSource({"2304,2", "2304,1", "1613,2", "1567,1", "256,2", "255,1", "200,2", "77,1", "1,2"})
    void scanBlock(int n, int workers) throws Exception {
        int grid = (n + 255) / 256;
        int[] in = new int[n];
        Random r = new Random(n * 41L + workers);
        for (int i = 0; i < n; i++) in[i] = r.nextInt(); // full range: the sums wrap
        long execs = ArrayShare.EXECS.sum();
        try (Gpu gpu = Gpu.lockstep(workers)) {
            SuiteScanBlock.runAndCheck(gpu, in);
            assertEquals(on() ? 1 : 0, ArrayShare.total("scan_block"), "registers sharing, n = " + n);
            if (on()) assertTrue(ArrayShare.EXECS.sum() > execs, "an Exec with a shared array, n = " + n);
            if (WarpScan.ENABLED && WarpScan.VEC) {
                assertEquals(8L * grid, gpu.device.warpScanVecs.sum(), "warps as vectors, n = " + n);
            }
        }
    }

    /** 8 x 4 and 40 x 2: the literal steps (no warp summed); 32 x 3 and 16 x 1: summed per warp. */
    @ParameterizedTest
    @CsvSource({"8,4,0,1", "40,2,0,2", "32,3,3,1", "16,1,1,2", "8,4,0,2", "40,2,0,1"})
    void literalSteps(int nx, int ny, int summedPerBlock, int workers) throws Exception {
        int grid = 3;
        int block = nx * ny;
        int n = grid * block - 5; // a partial last block
        Random r = new Random(nx * 137L + ny);
        int[] in = new int[n];
        for (int i = 0; i < n; i++) in[i] = r.nextInt();
        int[] want = new int[n];
        for (int b = 0; b < grid; b++) {
            int[] part = new int[block];
            for (int t = 0; t < block; t++) part[t] = b * block + t < n ? in[b * block + t] : 0;
            int[] got = WarpScanTest.reference(part, nx, ny, 5, nx);
            for (int t = 0; t < block && b * block + t < n; t++) want[b * block + t] = got[t];
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
            assertEquals(on() ? 1 : 0, ArrayShare.total("scan5_2d"), "registers sharing, " + what);
        }
    }

    /**
     * The hand-written kernels in 1D blocks: {@code scan_plain} stores each lane's warp scan (shared),
     * {@code scan_keep} the scan on odd threads and the input on even ones (not shared: the input is read after the
     * chain on one path).
     */
    @ParameterizedTest
    @CsvSource({"scan_plain,256,1", "scan_plain,96,2", "scan_plain,40,1", "scan_keep,256,1", "scan_keep,256,2",
            "scan_keep,96,2", "scan_keep,40,1"})
    void handKernels(String name, int bs, int workers) throws Exception {
        int grid = 4;
        int n = grid * bs - 19;
        Random r = new Random(bs * 7L + workers);
        int[] in = new int[n];
        for (int i = 0; i < n; i++) in[i] = r.nextInt();
        int[] want = new int[n];
        for (int b = 0; b < grid; b++) {
            for (int w = 0; w < bs; w += 32) {
                int sum = 0;
                for (int l = 0; l < 32 && w + l < bs; l++) {
                    int i = b * bs + w + l;
                    int v = i < n ? in[i] : 0;
                    sum += v;
                    if (i < n) want[i] = name.equals("scan_keep") && (l & 1) == 0 ? v : sum;
                }
            }
        }
        try (Gpu gpu = Gpu.lockstep(workers)) {
            BackendFunction f = SchedulingTest.kernel(gpu, "arrayshare_hand.ptx", name);
            long din = gpu.upload(in);
            long dout = gpu.alloc(n * 4L);
            gpu.launch(f, Dim3.of(grid), Dim3.of(bs), 0, n, din, dout);
            gpu.sync();
            String what = name + ", " + bs + " threads, " + workers + " workers";
            assertArrayEquals(want, gpu.ints(dout, n), what);
            int expect = on() && name.equals("scan_plain") ? 1 : 0;
            assertEquals(expect, ArrayShare.total(name), "registers sharing, " + what);
        }
    }

    /** reduce has no scan chain: nothing shared, results as before. */
    @Test
    void reduceUnchanged() throws Exception {
        int grid = 6;
        for (int workers : new int[] {1, 2}) {
            try (Gpu gpu = Gpu.lockstep(workers)) {
                BackendFunction f = gpu.suite("reduce");
                float[] in = new float[grid * 512];
                Random r = new Random(5);
                for (int i = 0; i < in.length; i++) in[i] = r.nextFloat() * 100 - 50;
                in[77] = Float.NaN;
                long din = gpu.upload(in);
                for (int n : new int[] {grid * 512, grid * 512 - 1, grid * 512 - 300, 700, 1}) {
                    long dout = gpu.upload(new int[grid]);
                    gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, n, din, dout);
                    gpu.sync();
                    String what = "reduce n = " + n + ", " + workers + " workers";
                    assertArrayEquals(SuiteReduce.reference(in, n, grid), gpu.ints(dout, grid), what);
                    assertEquals(0, ArrayShare.total("reduce"), what);
                }
            }
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
            assertEquals(on() ? 1 : 0, ArrayShare.total("scan_block"), "registers sharing");
        }
    }
}
