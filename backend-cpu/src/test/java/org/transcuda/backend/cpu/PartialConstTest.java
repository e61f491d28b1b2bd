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
 * {@link PartialConst}: thread-constant loops and kept arm checks from a block in which not every thread is active.
 * Results against Java references: suite.ptx's {@code scan_block} (warp 0's region: its {@code lane > 7},
 * {@code warpSums + 4 * lane} loop and its {@code lane < 8} arm's prescan, run for every thread in the first block,
 * then skipped: the counts of {@link CpuDevice#partialConst}, {@link CpuDevice#constSkips} and
 * {@link CpuDevice#constChecks} on one worker); {@code pc_region} ({@code partialconst_hand.ptx}): a region of the
 * threads below {@code k + blockIdx.x * step} with a thread-constant shared index {@code (t & 7) * 8 + (t >> 3)} under
 * {@code (t & 3) != 0}, in blocks of 64 threads (every thread's index inside the array: the prescan over every thread
 * passes and is kept) and of 256 (indices past the array from thread 71: the prescan over every thread fails, the
 * active threads' prescan runs and nothing is kept), and with {@code step = 64}, where block 1's thread 71 is active
 * and reads past the array: {@code CUDA_ERROR_ILLEGAL_ADDRESS} at block (1,0,0), thread (71,0,0), {@code ld.shared}.
 */
class PartialConstTest {
    /** scan_block's warp-0 region itself (its lane loops, checks, chain): without {@link Warp0Chain}, which skips it. */
    @org.junit.jupiter.api.BeforeEach
    void withoutWarp0Chain() {
        Warp0Chain.offForTests = true;
    }

    @org.junit.jupiter.api.AfterEach
    void restoreWarp0Chain() {
        Warp0Chain.offForTests = false;
    }

    private static Gpu gpu(int workers) throws BackendException {
        Gpu g = new Gpu(workers);
        g.device.engine(CpuDevice.Engine.LOCKSTEP);
        return g;
    }

    private static boolean on() {
        return PartialConst.ENABLED && ThreadConst.ENABLED;
    }

    @Test
    void scanBlockKeepsWarpZerosLoopAndCheck() throws Exception {
        Path ptx = Path.of(System.getProperty("user.dir")).resolve("../bench/kernels/suite.ptx");
        var suite = PtxTranslator.translate("suite.ptx", Files.readString(ptx, StandardCharsets.UTF_8));
        Random r = new Random(23);
        for (int n : new int[] {256 * 7, 256 * 5 + 77, 256}) {
            try (Gpu gpu = gpu(1)) {
                BackendFunction f = gpu.ctx.loadModule(suite).function("scan_block");
                int grid = (n + 255) / 256;
                int[] in = new int[n];
                for (int i = 0; i < n; i++) in[i] = r.nextInt();
                long din = gpu.upload(in);
                long dout = gpu.upload(new int[n]);
                long dsums = gpu.upload(new int[grid]);
                gpu.launch(f, grid, 256, n, din, dout, dsums);
                gpu.sync();
                int[] out = new int[n];
                int[] sums = new int[grid];
                for (int b = 0; b < grid; b++) {
                    int acc = 0;
                    for (int t = 0; t < 256; t++) {
                        int i = b * 256 + t;
                        acc += i < n ? in[i] : 0;
                        if (i < n) out[i] = acc;
                    }
                    sums[b] = acc;
                }
                assertArrayEquals(out, gpu.ints(dout, n), "n = " + n);
                assertArrayEquals(sums, gpu.ints(dsums, grid), "n = " + n);
                long partial = gpu.device.partialConst.sum();
                long skips = gpu.device.constSkips.sum();
                long checks = gpu.device.constChecks.sum();
                if (on() && ThreadConst.PRESCAN && ArmShared.ENABLED) {
                    // block 0: warp 0's loop and its arm's prescan run for all 256 threads (2), then kept
                    assertEquals(2, partial, "n = " + n);
                    // every later block skips ThreadConst's 4 loops and warp 0's loop, and both arms' prescans
                    assertEquals(5L * (grid - 1), skips, "n = " + n);
                    assertEquals(2L * (grid - 1), checks, "n = " + n);
                } else if (!on()) {
                    assertEquals(0, partial);
                    if (ThreadConst.ENABLED) assertEquals(4L * (grid - 1), skips, "n = " + n);
                }
            }
        }
    }

    /** Java reference of pc_region. */
    private static int[] region(int[] in, int grid, int nt, int k, int step) {
        int[] out = new int[grid * nt];
        for (int b = 0; b < grid; b++) {
            int[] s = new int[64];
            for (int t = 0; t < Math.min(nt, 64); t++) s[t] = in[b * nt + t] * 2;
            for (int t = 0; t < nt; t++) {
                int v = 0;
                if (Integer.compareUnsigned(t, k + b * step) < 0) {
                    int j = (t & 7) * 8 + (t >> 3);
                    v = (t & 3) != 0 ? s[j] : -1;
                }
                out[b * nt + t] = v;
            }
        }
        return out;
    }

    /**
     * One worker, step 0: every block runs the region with the threads below k. Blocks of 64: the loop and the
     * prescan run for every thread in block 0 and are kept (later blocks skip both); blocks of 256: the loop is kept,
     * the prescan over every thread fails (thread 71 on), so each block runs the active threads' prescan.
     */
    @ParameterizedTest
    @CsvSource({"64,32", "64,1", "64,63", "256,32", "256,64", "256,5"})
    void regionOfTheThreadsBelowK(int nt, int k) throws Exception {
        int grid = 4;
        int n = grid * nt;
        int[] in = new int[n];
        Random r = new Random(nt * 100L + k);
        for (int i = 0; i < n; i++) in[i] = r.nextInt(1 << 24);
        try (Gpu gpu = gpu(1)) {
            BackendFunction f = SchedulingTest.kernel(gpu, "partialconst_hand.ptx", "pc_region");
            long din = gpu.upload(in);
            long dout = gpu.upload(new int[n]);
            gpu.launch(f, grid, nt, k, 0, din, dout);
            gpu.sync();
            assertArrayEquals(region(in, grid, nt, k, 0), gpu.ints(dout, n), "block of " + nt + ", k = " + k);
            long partial = gpu.device.partialConst.sum();
            long checks = gpu.device.constChecks.sum();
            if (on() && ThreadConst.PRESCAN && ArmShared.ENABLED) {
                boolean kept = nt == 64;
                assertEquals(kept ? 2 : 1, partial, "block of " + nt + ", k = " + k);
                assertEquals(kept ? grid - 1 : 0, checks, "block of " + nt + ", k = " + k);
                // every block's arm loop counts as checked once, whichever prescan passed
                assertEquals(grid, gpu.device.armShared.sum());
                assertTrue(gpu.device.constSkips.sum() >= grid - 1, "the region's loop skipped");
            } else if (!on()) {
                assertEquals(0, partial);
                assertEquals(0, checks);
            }
        }
    }

    /**
     * Step 64: block 0 runs the region with threads 0..31 (the prescan over every thread fails, the active threads'
     * passes: nothing kept), block 1 with threads 0..95, whose thread 71 reads s[64], past the array: the fault keeps
     * its block, thread and instruction.
     */
    @Test
    void aThreadInactiveInBlockZeroFaultsInBlockOne() throws Exception {
        int grid = 3, nt = 256, n = grid * nt;
        int[] in = new int[n];
        for (int i = 0; i < n; i++) in[i] = i;
        try (Gpu gpu = gpu(1)) {
            BackendFunction f = SchedulingTest.kernel(gpu, "partialconst_hand.ptx", "pc_region");
            long din = gpu.upload(in);
            long dout = gpu.upload(new int[n]);
            gpu.launch(f, grid, nt, 32, 64, din, dout);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result(), e.getMessage());
            assertTrue(e.getMessage().contains("block (1,0,0), thread (71,0,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("ld.shared"), e.getMessage());
        }
    }
}
