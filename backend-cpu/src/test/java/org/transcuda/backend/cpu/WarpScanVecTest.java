package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;

/**
 * {@link WarpScanVec}: five-step warp scan chains (window 32) over whole warps as vector prefix sums. Expected values
 * from a Java reference that adds, per lane, the inputs of lanes {@code 0..lane} of its warp one by one (no running
 * sum, no log-steps), with inputs over the full int range so that the sums wrap: warpscan.ptx's {@code scan5} in
 * blocks of 256, 96, 64 (whole warps), 33, 40, 70 (a partial last warp: scalar there) and 1 thread; {@code scan_some},
 * where a divergent region of whole warps scans (the active-list form); suite.ptx's {@code scan_block} on one and two
 * workers (its own Java block scan). {@link CpuDevice#warpScanVecs} counts the warps summed as vectors: every whole
 * warp, none of a partial one, none with {@code -Dtranscuda.cpu.warpScanVec=false} (or without the vector module).
 */
class WarpScanVecTest {
    private static Gpu gpu(int workers) throws BackendException {
        Gpu g = new Gpu(workers);
        g.device.engine(CpuDevice.Engine.LOCKSTEP);
        return g;
    }

    private static boolean on() {
        return WarpScan.ENABLED && WarpScan.VEC;
    }

    private static int[] random(int n, long seed) {
        Random r = new Random(seed);
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = r.nextInt();
        return a;
    }

    /** Per thread of blocks of {@code nt} (one-dimensional): the sum of its warp's inputs at lanes 0..lane. */
    private static int[] warpPrefix(int[] in, int nt) {
        int[] out = new int[in.length];
        for (int i = 0; i < in.length; i++) {
            int t = i % nt;
            int first = i - (t & 31);
            int sum = 0;
            for (int j = first; j <= i; j++) sum += in[j];
            out[i] = sum;
        }
        return out;
    }

    @ParameterizedTest
    @CsvSource({"256,1", "96,2", "64,1", "33,1", "40,2", "70,1", "1,1"})
    void fullWarpChains(int nt, int workers) throws Exception {
        int grid = 5;
        int n = grid * nt;
        int[] in = random(n, nt * 13L + workers);
        try (Gpu gpu = gpu(workers)) {
            BackendFunction f = SchedulingTest.kernel(gpu, "warpscan.ptx", "scan5");
            long din = gpu.upload(in);
            long dout = gpu.alloc(n * 4L);
            gpu.launch(f, grid, nt, n, din, dout);
            gpu.sync();
            assertArrayEquals(warpPrefix(in, nt), gpu.ints(dout, n), "scan5, block " + nt);
            assertEquals(WarpScan.ENABLED ? (long) grid * ((nt + 31) / 32) : 0, gpu.device.warpScans.sum(),
                    "warps summed");
            assertEquals(on() ? (long) grid * (nt / 32) : 0, gpu.device.warpScanVecs.sum(),
                    "whole warps summed as vectors, block " + nt);
        }
    }

    /** {@code scan_some}: threads below {@code limit} (whole warps) scan and add 1; the others keep their input. */
    @ParameterizedTest
    @CsvSource({"96,64", "96,32", "256,160", "256,256", "64,0"})
    void divergentWholeWarps(int nt, int limit) throws Exception {
        int grid = 3, n = grid * nt;
        int[] in = random(n, nt * 7L + limit);
        int[] want = new int[n];
        int[] scanned = warpPrefix(in, nt);
        for (int i = 0; i < n; i++) want[i] = i % nt < limit ? scanned[i] + 1 : in[i];
        try (Gpu gpu = gpu(2)) {
            BackendFunction f = SchedulingTest.kernel(gpu, "warpscan.ptx", "scan_some");
            long din = gpu.upload(in);
            long dout = gpu.alloc(n * 4L);
            gpu.launch(f, grid, nt, n, limit, din, dout);
            gpu.sync();
            assertArrayEquals(want, gpu.ints(dout, n), "scan_some, block " + nt + ", limit " + limit);
            assertEquals(on() ? (long) grid * (limit / 32) : 0, gpu.device.warpScanVecs.sum(),
                    "whole warps summed as vectors, limit " + limit);
        }
    }

    /** suite.ptx's scan_block: its eight per-warp chains per block as vectors (warp 0's 3-step chain is not one). */
    @ParameterizedTest
    @CsvSource({"2304,1", "1613,2", "256,1"})
    void scanBlock(int n, int workers) throws Exception {
        int grid = (n + 255) / 256;
        try (Gpu gpu = gpu(workers)) {
            SuiteScanBlock.runAndCheck(gpu, random(n, n + workers));
            assertEquals(on() ? 8L * grid : 0, gpu.device.warpScanVecs.sum(), "whole warps as vectors, n = " + n);
        }
    }
}
