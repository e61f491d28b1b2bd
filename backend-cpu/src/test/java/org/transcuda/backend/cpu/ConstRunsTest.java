package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.transcuda.cuda.CUresult;
import org.transcuda.ptx.PtxTranslator;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;

/**
 * {@link ConstRuns}: a {@link ConstRange} arm's shared load from a thread-constant address made once per run of
 * threads with the same address. Results against Java references: suite.ptx's {@code scan_block} ({@code v +=
 * warpSums[warp - 1]} over threads 32..255: 7 runs of 32 per block); threadconst_hand.ptx's {@code tc_prev_hand}
 * ({@code v += s[warp - 1]}) in blocks of 256, 96 and 40 (the last run 8 threads), with block 0's threads from 64
 * exiting (block 0 runs the general loop), and in blocks of 320, where warp 9's run reads {@code s[8]}, past the
 * array: {@code CUDA_ERROR_ILLEGAL_ADDRESS} at block (0,0,0), thread (288,0,0) (the run's first thread), {@code
 * ld.shared}. {@link CpuDevice#constRunLoads} counts the runs; {@link ConstRuns#find}'s boundaries and its refusal of
 * short runs checked directly; {@link CpuDevice#constRunVecs} counts the runs whose {@code v += x} ran as vector adds
 * ({@link ConstRunsVec}: every run here when the vector module is there; blocks of 40 give a run of 8, below a vector
 * of 16 ints, the scalar tail alone).
 */
class ConstRunsTest {
    private static Gpu gpu(int workers) throws BackendException {
        Gpu g = new Gpu(workers);
        g.device.engine(CpuDevice.Engine.LOCKSTEP);
        return g;
    }

    private static boolean on() {
        return ConstRuns.ENABLED && ConstRange.ENABLED && ThreadConst.ENABLED;
    }

    /** The runs whose add ran as vectors ({@link ConstRunsVec}): every run where it is on. */
    private static long vec(long runs) {
        return ConstRunsVec.ENABLED && LaneVec.AVAILABLE ? runs : 0;
    }

    @ParameterizedTest
    @CsvSource({"2304", "1613", "256"})
    void scanBlock(int n) throws Exception {
        int grid = (n + 255) / 256;
        int[] in = new int[n];
        Random r = new Random(n + 7);
        for (int i = 0; i < n; i++) in[i] = r.nextInt();
        try (Gpu gpu = gpu(2)) {
            SuiteScanBlock.runAndCheck(gpu, in);
            assertEquals(on() ? 7L * grid : 0, gpu.device.constRunLoads.sum(), "one load per warp 1..7");
            assertEquals(vec(on() ? 7L * grid : 0), gpu.device.constRunVecs.sum(), "v += x as vector adds");
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
    @CsvSource({"256,256", "256,64", "96,96", "40,40"})
    void previousWarpsValue(int nt, int k) throws Exception {
        int grid = 4, n = grid * nt;
        int[] in = new int[n];
        Random r = new Random(nt + 17L * k);
        for (int i = 0; i < n; i++) in[i] = r.nextInt();
        try (Gpu gpu = gpu(1)) {
            BackendFunction f = SchedulingTest.kernel(gpu, "threadconst_hand.ptx", "tc_prev_hand");
            long din = gpu.upload(in);
            long dout = gpu.upload(new int[n]);
            gpu.launch(f, grid, nt, k, din, dout);
            gpu.sync();
            assertArrayEquals(prev(in, grid, nt, k), gpu.ints(dout, n), "block of " + nt + ", k = " + k);
            int runsPerBlock = (nt + 31) / 32 - 1;
            long blocks = k >= nt ? grid : grid - 1;
            assertEquals(on() ? runsPerBlock * blocks : 0, gpu.device.constRunLoads.sum(),
                    "block of " + nt + ", k = " + k);
            assertEquals(vec(on() ? runsPerBlock * blocks : 0), gpu.device.constRunVecs.sum(),
                    "vector adds, block of " + nt + ", k = " + k);
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
        }
    }

    @Test
    void runBoundaries() {
        int[] a = new int[64];
        for (int t = 0; t < 64; t++) a[t] = 4 * (t >> 4);
        assertArrayEquals(new int[] {16, 32, 48, 64}, ConstRuns.find(a, 16, 64));
        assertArrayEquals(new int[] {20, 32, 48, 50}, ConstRuns.find(a, 20, 50));
        a[40] = -1; // a run of one inside a long run: 5 runs over 48 threads, still long on average
        assertArrayEquals(new int[] {16, 32, 40, 41, 48, 64}, ConstRuns.find(a, 16, 64));
        int[] each = new int[64];
        for (int t = 0; t < 64; t++) each[t] = t >> 1; // runs of 2: short, refused
        assertNull(ConstRuns.find(each, 0, 64));
        assertNull(ConstRuns.find(each, 5, 5));
    }
}
