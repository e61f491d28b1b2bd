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
 * {@link RunsFirst}: a {@link ConstRuns} arm's range path emitted before {@link ArmShared}'s prescan, which then runs
 * only on the general path. suite.ptx's {@code scan_block} at n a multiple of 256 and not, on one and two workers,
 * against a Java block scan ({@link SuiteScanBlock}); the prescan's count ({@link CpuDevice#armShared}) is one per
 * block lower where it is on (its range ran, {@link CpuDevice#constRunLoads} 7 per block); threadconst_hand.ptx's
 * {@code tc_prev_hand} with block 0 on the general path (its threads from k exit: the prescan runs there) against a
 * Java reference; a read past the shared array (blocks of 320) faults at the run's first thread with {@code
 * ld.shared}; a bad {@code sums} pointer in scan_block faults with {@code st.global}.
 */
class RunsFirstTest {
    private static Gpu gpu(int workers) throws BackendException {
        Gpu g = new Gpu(workers);
        g.device.engine(CpuDevice.Engine.LOCKSTEP);
        return g;
    }

    private static boolean on() {
        return RunsFirst.ENABLED && ConstRuns.ENABLED && ConstRange.ENABLED && ThreadConst.ENABLED
                && ArmShared.ENABLED;
    }

    @ParameterizedTest
    @CsvSource({"2304,1", "2304,2", "2303,2", "1567,1", "1569,2", "256,1", "77,2"})
    void scanBlock(int n, int workers) throws Exception {
        int grid = (n + 255) / 256;
        int[] in = new int[n];
        Random r = new Random(n * 31L + workers);
        for (int i = 0; i < n; i++) in[i] = r.nextInt();
        try (Gpu gpu = gpu(workers)) {
            SuiteScanBlock.runAndCheck(gpu, in);
            // full blocks run ls11's range (7 run loads each); the last, partial block too (its threads are all
            // active at ls11: i >= n only guards the stores)
            if (ConstRuns.ENABLED && ConstRange.ENABLED && ThreadConst.ENABLED) {
                assertEquals(7L * grid, gpu.device.constRunLoads.sum(), "n = " + n);
            }
        }
    }

    @Test
    void aReadPastTheSharedArrayFaultsAtTheRunsFirstThread() throws Exception {
        int grid = 2, nt = 320, n = grid * nt;
        try (Gpu gpu = gpu(1)) {
            BackendFunction f = SchedulingTest.kernel(gpu, "threadconst_hand.ptx", "tc_prev_hand");
            long din = gpu.upload(new int[n]);
            long dout = gpu.upload(new int[n]);
            gpu.launch(f, grid, nt, nt, din, dout);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result(), e.getMessage());
            assertTrue(e.getMessage().contains("block (0,0,0), thread (288,0,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("ld.shared"), e.getMessage());
        }
    }

    @Test
    void aBadSumsPointerFaultsAtThread255() throws Exception {
        Path ptx = Path.of(System.getProperty("user.dir")).resolve("../bench/kernels/suite.ptx");
        var suite = PtxTranslator.translate("suite.ptx", Files.readString(ptx, StandardCharsets.UTF_8));
        int n = 4 * 256 + 70, grid = 5;
        try (Gpu gpu = gpu(1)) {
            BackendFunction f = gpu.ctx.loadModule(suite).function("scan_block");
            long din = gpu.upload(new int[n]);
            long dout = gpu.upload(new int[n]);
            long dsums = gpu.upload(new int[grid - 2]);
            gpu.launch(f, grid, 256, n, din, dout, dsums);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result(), e.getMessage());
            assertTrue(e.getMessage().contains("block (3,0,0), thread (255,0,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("st.global"), e.getMessage());
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
    @CsvSource({"256,256", "256,64", "96,96", "96,40"})
    void generalPathKeepsThePrescan(int nt, int k) throws Exception {
        int grid = 4, n = grid * nt;
        int[] in = new int[n];
        Random r = new Random(nt + 13L * k);
        for (int i = 0; i < n; i++) in[i] = r.nextInt();
        try (Gpu gpu = gpu(1)) {
            BackendFunction f = SchedulingTest.kernel(gpu, "threadconst_hand.ptx", "tc_prev_hand");
            long din = gpu.upload(in);
            long dout = gpu.upload(new int[n]);
            gpu.launch(f, grid, nt, k, din, dout);
            gpu.sync();
            assertArrayEquals(prev(in, grid, nt, k), gpu.ints(dout, n), "block of " + nt + ", k = " + k);
        }
    }
}
