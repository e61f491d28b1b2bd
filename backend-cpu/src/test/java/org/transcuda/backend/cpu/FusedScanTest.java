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
 * {@link FusedScan}: suite.ptx's {@code scan_block} with its {@code v = in[i]} arm deferred to the warp scan chain,
 * which reads whole warps straight from device memory. Expected values from a Java block scan written here (each
 * thread's value the sum of the block's inputs {@code 0..t} added one by one, 0 for {@code i >= n}), inputs over the
 * full int range (the sums wrap). The input buffer is either exactly {@code n} ints (a partial last block fails the
 * site's block check: the arm's loop, nothing deferred there) or padded to whole blocks with random ints past
 * {@code n} (the last block defers: its whole warps below {@code n} from memory, the warp that crosses {@code n} and
 * the rest from the array; the padding must not leak in). {@link CpuDevice#fusedScans} counts the warps read from
 * memory. A bad input pointer (an allocation ending inside block 5) faults at its first thread past the end, with
 * {@code CUDA_ERROR_ILLEGAL_ADDRESS} at the global load, the blocks before it complete.
 */
class FusedScanTest {
    private static Gpu gpu(int workers) throws BackendException {
        Gpu g = new Gpu(workers);
        g.device.engine(CpuDevice.Engine.LOCKSTEP);
        return g;
    }

    private static boolean on() {
        return FusedScan.usable() && WarpScan.ENABLED && WarpScan.VEC && LaneBulk.ENABLED;
    }

    private static int[] random(int n, long seed) {
        Random r = new Random(seed);
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = r.nextInt();
        return a;
    }

    private static BackendFunction scanBlock(Gpu gpu) throws Exception {
        Path ptx = Path.of(System.getProperty("user.dir")).resolve("../bench/kernels/suite.ptx");
        var suite = PtxTranslator.translate("suite.ptx", Files.readString(ptx, StandardCharsets.UTF_8));
        return gpu.ctx.loadModule(suite).function("scan_block");
    }

    /** Per element {@code i < n}: the sum of its block's inputs up to it; per block: the sum of its inputs below n. */
    private static int[][] reference(int[] in, int n, int grid) {
        int[] out = new int[n];
        int[] sums = new int[grid];
        for (int b = 0; b < grid; b++) {
            for (int t = 0; t < 256; t++) {
                int s = 0;
                for (int u = 0; u <= t; u++) {
                    int i = b * 256 + u;
                    s += i < n ? in[i] : 0;
                }
                int i = b * 256 + t;
                if (i < n) out[i] = s;
                if (t == 255) sums[b] = s;
            }
        }
        return new int[][] {out, sums};
    }

    private static void run(int n, int workers, boolean padded, long wantFused) throws Exception {
        int grid = (n + 255) / 256;
        try (Gpu gpu = gpu(workers)) {
            BackendFunction f = scanBlock(gpu);
            int[] in = random(padded ? grid * 256 : n, 31L * n + workers);
            long din = gpu.upload(in);
            long dout = gpu.upload(new int[n]);
            long dsums = gpu.upload(new int[grid]);
            gpu.launch(f, grid, 256, n, din, dout, dsums);
            gpu.sync();
            int[][] want = reference(in, n, grid);
            String what = "n = " + n + ", workers " + workers + (padded ? ", padded" : "");
            assertArrayEquals(want[0], gpu.ints(dout, n), what);
            assertArrayEquals(want[1], gpu.ints(dsums, grid), what);
            assertEquals(on() ? wantFused : 0, gpu.device.fusedScans.sum(), "warps read from memory, " + what);
            assertEquals(WarpScan.ENABLED && WarpScan.VEC ? 8L * grid : 0, gpu.device.warpScanVecs.sum(), "whole warps as vectors, " + what);
        }
    }

    /** Whole blocks: every warp of every block from memory. */
    @ParameterizedTest
    @CsvSource({"2304,1", "4096,2", "256,1"})
    void wholeBlocks(int n, int workers) throws Exception {
        run(n, workers, false, 8L * (n / 256));
    }

    /**
     * A partial last block whose input buffer ends at {@code n}: the site's check fails there (the arm's loop and the
     * array), the other blocks from memory.
     */
    @ParameterizedTest
    @CsvSource({"1613,1", "1613,2", "1537,1", "1791,2", "100,1"})
    void partialLastBlockUnpadded(int n, int workers) throws Exception {
        run(n, workers, false, 8L * (n / 256));
    }

    /**
     * A partial last block over a padded buffer: its whole warps below {@code n} from memory ({@code (n % 256) / 32}
     * of them), the warp that crosses {@code n} filled from memory up to {@code n} with the rest 0, the warps above
     * it the array's zeros.
     */
    @ParameterizedTest
    @CsvSource({"1613,1", "1613,2", "1537,1", "1568,1", "1791,2", "1567,1", "100,1", "31,1", "32,2"})
    void partialLastBlockPadded(int n, int workers) throws Exception {
        run(n, workers, true, 8L * (n / 256) + (n % 256) / 32);
    }

    /** Blocks in order on one worker; the allocation ends inside block 5: its load faults as without the fusion. */
    @Test
    void badInputPointerFaultsAsBefore() throws Exception {
        int grid = 6, n = grid * 256, have = 5 * 256 + 100;
        try (Gpu gpu = gpu(1)) {
            BackendFunction f = scanBlock(gpu);
            int[] in = random(have, 7);
            long din = gpu.upload(in);
            long dout = gpu.upload(new int[n]);
            long dsums = gpu.upload(new int[grid]);
            gpu.launch(f, grid, 256, n, din, dout, dsums);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result());
            assertTrue(e.getMessage().contains("block (5,0,0), thread (100,0,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("ld.global"), e.getMessage());
            int[] full = java.util.Arrays.copyOf(in, n);
            int[][] want = reference(full, n, grid);
            int[] got = gpu.ints(dout, n);
            for (int i = 0; i < 5 * 256; i++) assertEquals(want[0][i], got[i], "out[" + i + "]");
            assertEquals(on() ? 40L : 0, gpu.device.fusedScans.sum(), "warps read from memory");
        }
    }
}
