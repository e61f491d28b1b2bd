package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * {@link ConstRange}: one-arm branches whose thread-constant predicate selects one range of threads, run over that
 * range. Results against Java references: suite.ptx's {@code scan_block} ({@code if (warp > 0) v += warpSums[warp -
 * 1]}: threads 32..255, every block); threadconst_hand.ptx's {@code tc_prev_hand} ({@code if (warp != 0) v +=
 * s[warp - 1]}, the predicate computed before the barrier by every thread) with no thread exiting (every block), with
 * block 0's threads from 64 exiting (block 0 runs the general loop), and in blocks of 320, where warp 9 reads
 * {@code s[8]}, past the array: {@code CUDA_ERROR_ILLEGAL_ADDRESS} at block (0,0,0), thread (288,0,0),
 * {@code ld.shared}, from the range loop's per-access check. {@link CpuDevice#constRanges} counts the arms run so.
 */
class ConstRangeTest {
    private static Gpu gpu(int workers) throws BackendException {
        Gpu g = new Gpu(workers);
        g.device.engine(CpuDevice.Engine.LOCKSTEP);
        return g;
    }

    private static boolean on() {
        return ConstRange.ENABLED && ThreadConst.ENABLED;
    }

    @ParameterizedTest
    @CsvSource({"2304", "1613", "256"})
    void scanBlock(int n) throws Exception {
        int grid = (n + 255) / 256;
        int[] in = new int[n];
        Random r = new Random(n + 1);
        for (int i = 0; i < n; i++) in[i] = r.nextInt();
        try (Gpu gpu = gpu(2)) {
            SuiteScanBlock.runAndCheck(gpu, in);
            assertEquals(on() ? grid : 0, gpu.device.constRanges.sum(), "the warp > 0 arm over threads 32..255");
        }
    }

    /** Java reference of tc_prev_hand: block 0's threads from k exited after writing warp != 0. */
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
    @CsvSource({"256,256", "256,64", "96,96", "64,0"})
    void previousWarpsValue(int nt, int k) throws Exception {
        int grid = 4, n = grid * nt;
        int[] in = new int[n];
        Random r = new Random(nt + 31L * k);
        for (int i = 0; i < n; i++) in[i] = r.nextInt(1 << 20);
        try (Gpu gpu = gpu(1)) {
            BackendFunction f = SchedulingTest.kernel(gpu, "threadconst_hand.ptx", "tc_prev_hand");
            long din = gpu.upload(in);
            long dout = gpu.upload(new int[n]);
            gpu.launch(f, grid, nt, k, din, dout);
            gpu.sync();
            assertArrayEquals(prev(in, grid, nt, k), gpu.ints(dout, n), "block of " + nt + ", k = " + k);
            // block 0 runs the arm with every thread active only when no thread exited
            long ranged = on() ? (k >= nt ? grid : grid - 1) : 0;
            assertEquals(ranged, gpu.device.constRanges.sum(), "block of " + nt + ", k = " + k);
        }
    }

    @Test
    void aReadPastTheArrayInTheRangeFaults() throws Exception {
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
}
