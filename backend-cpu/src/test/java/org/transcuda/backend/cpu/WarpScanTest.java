package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.transcuda.cuda.Dim3;
import org.transcuda.ir.Function;
import org.transcuda.ir.Module;
import org.transcuda.ptx.PtxTranslator;
import org.transcuda.spi.BackendFunction;

/**
 * Shuffle scan chains as sequential sums ({@link WarpScan}): nvcc's unrolled Hillis–Steele warp scans
 * (kernels/warpscan.cu) of five and three steps, with values that overflow 32 bits, in blocks of 256, 96, 33 (a
 * partial last warp) and 1 thread, in a divergent region of whole warps, in a two-dimensional block whose
 * {@code tid.x & 31} is not the hardware lane (the steps then run literally), and a chain whose first sum is also
 * stored (not a chain). Expected values come from a Java reference that runs the Hillis–Steele steps literally with
 * CUDA's {@code shfl.sync.up} semantics; {@link CpuDevice#warpScans} counts the warps summed.
 */
class WarpScanTest {
    private static final Module IR = ir();

    private static Module ir() {
        try {
            return SchedulingTest.ptx("warpscan.ptx");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The lockstep engine, whatever -Dtranscuda.cpu.engine says (the chains are its compilation). */
    private static Gpu gpu() throws Exception {
        Gpu g = new Gpu(2);
        g.device.engine(CpuDevice.Engine.LOCKSTEP);
        return g;
    }

    private static List<Integer> chains(Module m, String kernel) {
        Function f = m.function(kernel).orElseThrow();
        List<Integer> steps = new ArrayList<>();
        for (var b : f.blocks()) {
            for (var st : b.stmts()) {
                WarpScan.Chain c = WarpScan.find(f).first().get(st);
                if (c != null) steps.add(c.steps());
            }
        }
        return steps;
    }

    @Test
    void matchedChains() throws Exception {
        assertEquals(List.of(5), chains(IR, "scan5"));
        assertEquals(List.of(3), chains(IR, "scan3"));
        assertEquals(List.of(5), chains(IR, "scan_some"));
        assertEquals(List.of(5), chains(IR, "scan5_2d"));
        // the first sum is stored: the remaining steps start at delta 2, no chain
        assertEquals(List.of(), chains(IR, "scan_stored"));
        Path ptx = Path.of(System.getProperty("user.dir")).resolve("../bench/kernels/suite.ptx");
        Module suite = PtxTranslator.translate("suite.ptx", Files.readString(ptx, StandardCharsets.UTF_8));
        // scan_block: the five-step scan of every warp, then warp 0's three steps over the warp totals
        assertEquals(List.of(5, 3), chains(suite, "scan_block"));
    }

    /**
     * The literal Hillis–Steele steps over the block's threads (linear index t, hardware lane t & 31, warp t >> 5):
     * {@code v += shfl_up(v, d)} where the lane register {@code tid.x & 31} is at least d; the source lane
     * {@code lane - d} exists (lower lanes of a partial warp exist), so it is valid whenever {@code lane >= d}.
     */
    static int[] reference(int[] v0, int nx, int ny, int steps, int limit) {
        int n = nx * ny;
        int[] v = v0.clone();
        for (int s = 0; s < steps; s++) {
            int d = 1 << s;
            int[] next = v.clone();
            for (int t = 0; t < n; t++) {
                if (t % nx >= limit) continue;
                int hw = t & 31;
                int o = hw >= d ? v[t - d] : v[t];
                if (((t % nx) & 31) >= d) next[t] = v[t] + o;
            }
            v = next;
        }
        return v;
    }

    private static int[] values(int n, long seed) {
        Random r = new Random(seed);
        int[] in = new int[n];
        for (int i = 0; i < n; i++) in[i] = r.nextInt(); // full range: the sums wrap
        return in;
    }

    @ParameterizedTest
    @CsvSource({"scan5,5,256", "scan5,5,96", "scan5,5,33", "scan5,5,1", "scan3,3,256", "scan3,3,96", "scan3,3,33",
        "scan3,3,1"})
    void chainsAgainstTheLiteralSteps(String kernel, int steps, int block) throws Exception {
        int grid = 3;
        int n = grid * block;
        int[] in = values(n, block * 31L + steps);
        int[] want = new int[n];
        for (int b = 0; b < grid; b++) {
            int[] part = java.util.Arrays.copyOfRange(in, b * block, b * block + block);
            System.arraycopy(reference(part, block, 1, steps, block), 0, want, b * block, block);
        }
        try (Gpu gpu = gpu()) {
            BackendFunction f = SchedulingTest.kernel(gpu, "warpscan.ptx", kernel);
            long din = gpu.upload(in);
            long dout = gpu.alloc(n * 4L);
            gpu.launch(f, grid, block, n, din, dout);
            gpu.sync();
            assertArrayEquals(want, gpu.ints(dout, n), kernel + " block " + block);
            assertEquals(1, gpu.device.lockstepLaunches.sum());
            assertEquals((long) grid * ((block + 31) / 32), gpu.device.warpScans.sum(), "warps summed");
        }
    }

    /**
     * Two-dimensional blocks: with 8 x 4 threads {@code tid.x & 31} is not the hardware lane, so the steps run
     * literally (no warp summed); with 32 x 3 it is (every warp summed).
     */
    @ParameterizedTest
    @CsvSource({"8,4,0", "32,3,3", "40,2,0", "16,1,1"})
    void twoDimensionalBlocks(int nx, int ny, int summedPerBlock) throws Exception {
        int grid = 2;
        int block = nx * ny;
        int n = grid * block;
        int[] in = values(n, 77 + nx);
        int[] want = new int[n];
        for (int b = 0; b < grid; b++) {
            int[] part = java.util.Arrays.copyOfRange(in, b * block, b * block + block);
            System.arraycopy(reference(part, nx, ny, 5, nx), 0, want, b * block, block);
        }
        try (Gpu gpu = gpu()) {
            BackendFunction f = SchedulingTest.kernel(gpu, "warpscan.ptx", "scan5_2d");
            long din = gpu.upload(in);
            long dout = gpu.alloc(n * 4L);
            gpu.launch(f, Dim3.of(grid), new Dim3(nx, ny, 1), 0, n, din, dout);
            gpu.sync();
            assertArrayEquals(want, gpu.ints(dout, n), nx + "x" + ny);
            assertEquals((long) grid * summedPerBlock, gpu.device.warpScans.sum(), "warps summed");
        }
    }

    /** The first sum also stored: the steps run as shuffles; the stored value and the result both exact. */
    @Test
    void storedIntermediateIsNoChain() throws Exception {
        int grid = 3, block = 96, n = grid * block;
        int[] in = values(n, 5);
        int[] want = new int[n], wantMid = new int[n];
        for (int b = 0; b < grid; b++) {
            int[] part = java.util.Arrays.copyOfRange(in, b * block, b * block + block);
            System.arraycopy(reference(part, block, 1, 5, block), 0, want, b * block, block);
            System.arraycopy(reference(part, block, 1, 1, block), 0, wantMid, b * block, block);
        }
        try (Gpu gpu = gpu()) {
            BackendFunction f = SchedulingTest.kernel(gpu, "warpscan.ptx", "scan_stored");
            long din = gpu.upload(in);
            long dout = gpu.alloc(n * 4L), dmid = gpu.alloc(n * 4L);
            gpu.launch(f, grid, block, n, din, dout, dmid);
            gpu.sync();
            assertArrayEquals(want, gpu.ints(dout, n));
            assertArrayEquals(wantMid, gpu.ints(dmid, n));
            assertEquals(0, gpu.device.warpScans.sum(), "warps summed");
        }
    }

    /** A divergent region of whole warps (threads below {@code limit}) scans; the others keep their value. */
    @ParameterizedTest
    @CsvSource({"96,64", "96,32", "256,256", "64,0"})
    void divergentWholeWarps(int block, int limit) throws Exception {
        int grid = 2, n = grid * block;
        int[] in = values(n, block + limit);
        int[] want = new int[n];
        for (int b = 0; b < grid; b++) {
            int[] part = java.util.Arrays.copyOfRange(in, b * block, b * block + block);
            int[] r = reference(part, block, 1, 5, limit);
            for (int t = 0; t < limit; t++) r[t] += 1;
            System.arraycopy(r, 0, want, b * block, block);
        }
        try (Gpu gpu = gpu()) {
            BackendFunction f = SchedulingTest.kernel(gpu, "warpscan.ptx", "scan_some");
            long din = gpu.upload(in);
            long dout = gpu.alloc(n * 4L);
            gpu.launch(f, grid, block, n, limit, din, dout);
            gpu.sync();
            assertArrayEquals(want, gpu.ints(dout, n));
            assertEquals((long) grid * (limit / 32), gpu.device.warpScans.sum(), "warps summed");
        }
    }

    /** The predicates whose comparisons {@link ScanPreds#unread} leaves out, by name, over all chains of a kernel. */
    private static java.util.Set<String> unread(Module m, String kernel) {
        Function f = m.function(kernel).orElseThrow();
        WarpScan.Found all = WarpScan.find(f);
        java.util.Set<String> names = new java.util.TreeSet<>();
        for (var st : ScanPreds.unread(f, all.first(), all.skip())) names.add(st.inst().defs().get(0).name());
        return names;
    }

    /**
     * The lane comparisons that only the chains' selects read: scan_block's five (the second chain reuses the first
     * three), scan5's five; in scan_twice the first one is kept (nvcc reuses {@code lane == 0} for another
     * condition), scan_stored has no chain.
     */
    @Test
    void unreadLaneComparisons() throws Exception {
        Path ptx = Path.of(System.getProperty("user.dir")).resolve("../bench/kernels/suite.ptx");
        Module suite = PtxTranslator.translate("suite.ptx", Files.readString(ptx, StandardCharsets.UTF_8));
        assertEquals(java.util.Set.of("p3", "p5", "p7", "p9", "p11"), unread(suite, "scan_block"));
        assertEquals(java.util.Set.of("p3", "p5", "p7", "p9", "p11"), unread(IR, "scan5"));
        assertEquals(java.util.Set.of("p5", "p7", "p9", "p11"), unread(IR, "scan_twice"));
        assertEquals(java.util.Set.of(), unread(IR, "scan_stored"));
    }

    /**
     * Two chains, the second over a value of the first after a barrier and reading the first chain's lane
     * comparisons (scan_twice): in one-dimensional blocks both run as sums; in two-dimensional blocks whose
     * {@code tid.x & 31} is not the hardware lane the steps run literally, their selects from the lane register
     * while the comparisons are left out ({@link ScanPreds}). {@code extra}: lane 0 adds 7 through the kept
     * comparison.
     */
    @ParameterizedTest
    @CsvSource({"256,1,0,16", "256,1,1,16", "33,1,0,4", "48,2,0,0", "48,2,1,0", "8,4,1,0", "40,3,0,0", "32,3,1,6"})
    void twoChainsSharingLaneComparisons(int nx, int ny, int extra, int summedPerBlock) throws Exception {
        twoChains("warpscan.ptx", "scan_twice", nx, ny, extra, summedPerBlock, true);
    }

    /**
     * scan_twice hand-edited ({@code warpscan_hand.ptx}): the comparisons turned around ({@code lane != 0},
     * {@code lane >= 2}, {@code lane >= 4}) and the selects' arms swapped, the same scans. The kept comparison
     * ({@code extra && lane != 0}) is read by the second chain's literal steps, which must not take it for
     * {@code lane < 1}.
     */
    @ParameterizedTest
    @CsvSource({"256,1,1,16", "48,2,1,0", "40,3,1,0", "8,4,0,0"})
    void turnedAroundComparisons(int nx, int ny, int extra, int summedPerBlock) throws Exception {
        Module hand = SchedulingTest.ptx("warpscan_hand.ptx");
        assertEquals(List.of(5, 3), chains(hand, "scan_twice_ge"));
        assertEquals(java.util.Set.of("p5", "p7", "p9", "p11"), unread(hand, "scan_twice_ge"));
        twoChains("warpscan_hand.ptx", "scan_twice_ge", nx, ny, extra, summedPerBlock, false);
    }

    /** scan_twice or its hand-edited form against the literal steps; 7 added where lane == 0 (or != 0) with extra. */
    private static void twoChains(String file, String kernel, int nx, int ny, int extra, int summedPerBlock,
            boolean extraOnLaneZero) throws Exception {
        int grid = 3;
        int block = nx * ny;
        int n = grid * block;
        int[] in = values(n, 1000L * nx + 10L * ny + extra);
        int[] want = new int[n];
        for (int b = 0; b < grid; b++) {
            int[] part = java.util.Arrays.copyOfRange(in, b * block, b * block + block);
            int[] v = reference(part, nx, ny, 5, nx);
            int[] w = new int[block];
            for (int t = 0; t < block; t++) w[t] = v[t] * 3 + 1;
            w = reference(w, nx, ny, 3, nx);
            for (int t = 0; t < block; t++) {
                int r = v[t] ^ w[t];
                if (extra != 0 && (((t % nx) & 31) == 0) == extraOnLaneZero) r += 7;
                want[b * block + t] = r;
            }
        }
        try (Gpu gpu = gpu()) {
            BackendFunction f = SchedulingTest.kernel(gpu, file, kernel);
            long din = gpu.upload(in);
            long dout = gpu.alloc(n * 4L);
            gpu.launch(f, Dim3.of(grid), new Dim3(nx, ny, 1), 0, n, extra, din, dout);
            gpu.sync();
            assertArrayEquals(want, gpu.ints(dout, n), kernel + " " + nx + "x" + ny + " extra " + extra);
            assertEquals((long) grid * summedPerBlock, gpu.device.warpScans.sum(), "warps summed");
        }
    }
}
