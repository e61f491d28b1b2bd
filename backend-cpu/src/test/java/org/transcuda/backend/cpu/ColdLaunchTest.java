package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.Dim3;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;
import org.transcuda.spi.LaunchConfig;

/**
 * {@link ColdLaunch}: a worker's site caches made in runs, lockstep registers made in one loop, thread-index tables
 * kept per kernel and block shape, and the statistics rolled up in one pass ({@code -Dtranscuda.cpu.coldLaunch=false}
 * turns it off; these tests then fail on their counts). The suite's kernels launched in turn with changing shapes —
 * {@code reduce} (lockstep) at several {@code n} and two block sizes, {@code scan_block} (lockstep) and {@code saxpy}
 * (thread engine) — on one and two workers, every result bit for bit a Java reference's, and every launch's workers
 * set up and rolled up by ColdLaunch. The thread tables against {@code i % ntx}, {@code (i / ntx) % nty},
 * {@code i / (ntx · nty)} for 3-D blocks, shared only between equal shapes. The one-pass roll-up against the sums the
 * test makes of distinct per-worker counter values, and against the per-counter roll-up. A faulting launch keeps its
 * error, block, thread and instruction, and is rolled up too. Launch forms taken from an earlier launch only with
 * the same grid, block, parameter words and allocation table (an input pointer, a grid size or a free in between
 * computes them again), from another worker of the same launch always; every result against the Java reference.
 */
class ColdLaunchTest {
    private static float[] saxpyX(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = i % 7 == 0 ? -0.0f : i * 0.37f - 11 + 0x1p-20f * (i % 3);
        return x;
    }

    @Test
    void kernelsAndShapesInTurn() throws Exception {
        for (int workers : new int[] {1, 2}) {
            try (Gpu gpu = new Gpu(workers)) {
                BackendFunction reduce = gpu.suite("reduce");
                BackendFunction scan = gpu.suite("scan_block");
                BackendFunction saxpy = gpu.suite("saxpy");
                int launches = 0;
                for (int round = 0; round < 3; round++) {
                    // reduce, block 256 (its shared array's size; smaller blocks leave words unwritten)
                    int grid = 5 + round;
                    float[] in = ArmChainTest.input(grid * 512, 512);
                    long din = gpu.upload(in);
                    for (int n : new int[] {grid * 512, grid * 512 - 300 - round, 700 + round}) {
                        long dout = gpu.upload(new int[grid]);
                        gpu.launch(reduce, Dim3.of(grid), Dim3.of(256), 0, n, din, dout);
                        gpu.sync();
                        launches++;
                        assertArrayEquals(SuiteReduce.reference(in, n, grid), gpu.ints(dout, grid),
                                workers + " workers, round " + round + ", reduce n=" + n);
                    }
                    // scan_block (lockstep), then saxpy (thread engine) at two block sizes
                    int[] sin = new int[1000 + 300 * round];
                    for (int i = 0; i < sin.length; i++) sin[i] = (i * 37 + round) % 101 - 50;
                    SuiteScanBlock.runAndCheck(gpu, sin);
                    launches++;
                    for (int bs : new int[] {128, 256}) {
                        int n = 1000 + round * 77;
                        float a = 1.75f - round;
                        float[] x = saxpyX(n), y = new float[n];
                        for (int i = 0; i < n; i++) y[i] = 5 - i * 0.011f;
                        long dx = gpu.upload(x), dy = gpu.upload(y);
                        gpu.launch(saxpy, (n + bs - 1) / bs, bs, n, a, dx, dy);
                        gpu.sync();
                        launches++;
                        float[] want = new float[n];
                        for (int i = 0; i < n; i++) want[i] = Math.fma(a, x[i], y[i]);
                        assertArrayEquals(want, gpu.floats(dy, n), workers + " workers, saxpy block " + bs);
                    }
                    assertEquals(launches, gpu.device.coldRollUps.sum(), "launches rolled up in one pass");
                    long execs = gpu.device.coldExecs.sum();
                    if (workers == 1) assertEquals(launches, execs, "one worker set up per launch");
                    else assertTrue(execs >= launches && execs <= 2L * launches, "workers set up: " + execs);
                }
            }
        }
    }

    @Test
    void threadTablesPerShape() throws Exception {
        try (Gpu gpu = Gpu.lockstep(2)) {
            CpuFunction f = (CpuFunction) gpu.suite("scan_block");
            CompiledKernel k = f.kernel;
            assertNull(k.tids, "no table before the first launch");
            Exec first = null;
            for (int[] s : new int[][] {{8, 4, 3}, {8, 4, 3}, {5, 7, 2}, {32, 1, 1}, {1, 9, 7}, {1, 9, 7}}) {
                LaunchConfig c = new LaunchConfig(Dim3.of(3), new Dim3(s[0], s[1], s[2]), 0);
                Launch l = new Launch(k, c, new long[8], f.ir.paramBufferSize(), gpu.ctx.memory(), 2, gpu.device.engine());
                assertTrue(l.lockstep);
                Exec a = new Exec(l, 0), b = new Exec(l, 1);
                int n = s[0] * s[1] * s[2];
                assertEquals(n, a.tidX.length);
                for (int i = 0; i < n; i++) {
                    String at = "block " + s[0] + "x" + s[1] + "x" + s[2] + ", thread " + i;
                    assertEquals(i % s[0], a.tidX[i], at);
                    assertEquals(i / s[0] % s[1], a.tidY[i], at);
                    assertEquals(i / (s[0] * s[1]), a.tidZ[i], at);
                }
                assertSame(a.tidX, b.tidX, "workers of a launch share the tables");
                assertTrue(a.coldSetup && b.coldSetup);
                if (first != null) {
                    boolean same = first.ntx == a.ntx && first.nty == a.nty && first.ntz == a.ntz;
                    if (same) assertSame(first.tidY, a.tidY, "same shape again");
                    else assertNotSame(first.tidY, a.tidY, "another shape");
                }
                first = a;
                // every site has its own cache, for its own size
                for (int i = 0; i < a.sites.length; i++) {
                    assertTrue(a.sites[i] != null && a.sites[i] != b.sites[i], "site " + i);
                }
            }
        }
    }

    /** Exec counter → device counter, as {@link CpuContext}'s roll-up maps them (lockstep ones first). */
    private static final String[] LOCKSTEP = {"sharedRuns", "sharedCopies", "loopNaN", "loopChecked", "loopTouched",
        "ptrSteps", "jamLanes", "vecLanes", "armVecLanes", "armDefers", "blockRanges", "rangeFillPreds", "rangeFills",
        "armLoadAdds", "inputFuses", "armChains", "warp0Chains", "armChainPreds", "armChainPlans", "treeRegs",
        "tailLines", "vecCopies", "vecConsecutive", "laneBulk", "warpScans", "armShared", "storeBulk", "rangeSplits",
        "constSkips", "constChecks", "partialConst", "rangeLanes", "scanWindows", "warpScanVecs", "constRanges",
        "constRunLoads", "constRunVecs", "warpRuns", "strideArms", "strideLoops", "strideTouched", "strideHist",
        "histConst", "histLoop"};
    /** Counters rolled up for every launch. */
    private static final String[] ALWAYS = {"nanZeroLoops", "deferAdds", "deferFlushed"};
    private static final String[] AFFINE = {"affineHits:hoistedSiteBlocks", "siteMaskOnce", "pathBlocks",
        "rangeDecided", "vecBlocks", "vecShared", "rowRuns", "rowBlocks", "rowChunks", "rowVecs", "rowVecTails",
        "rowRects", "leanDecided", "rowLanes", "claims:rowClaimCount"};

    private static long adder(CpuDevice d, String name) throws Exception {
        Field f = CpuDevice.class.getDeclaredField(name);
        return ((LongAdder) f.get(d)).sum();
    }

    /** Every LongAdder of the device but ColdLaunch's own, by name. */
    private static Map<String, Long> adders(CpuDevice d) throws Exception {
        Map<String, Long> m = new LinkedHashMap<>();
        for (Field f : CpuDevice.class.getDeclaredFields()) {
            if (f.getType() == LongAdder.class && !f.getName().startsWith("cold")) {
                m.put(f.getName(), ((LongAdder) f.get(d)).sum());
            }
        }
        return m;
    }

    /**
     * Every per-worker counter of {@link Exec} that has a device counter of the same name (or the mapped one) is in
     * the lists {@link #rollUpInOnePass} checks, so a counter the one-pass roll-up leaves out fails there.
     */
    @Test
    void everyWorkerCounterIsChecked() throws Exception {
        java.util.Set<String> listed = new java.util.HashSet<>();
        for (String[] group : new String[][] {LOCKSTEP, AFFINE, ALWAYS}) {
            for (String s : group) listed.add(s.split(":")[0]);
        }
        for (Field f : CpuDevice.class.getDeclaredFields()) {
            if (f.getType() != LongAdder.class || f.getName().startsWith("cold")) continue;
            Field ef;
            try {
                ef = Exec.class.getDeclaredField(f.getName());
            } catch (NoSuchFieldException x) {
                continue;
            }
            if (ef.getType() == long.class) assertTrue(listed.contains(f.getName()), f.getName() + " is not checked");
        }
    }

    @Test
    void rollUpInOnePass() throws Exception {
        for (boolean threadEngine : new boolean[] {false, true}) {
            for (boolean rows : new boolean[] {true, false}) {
                try (Gpu gpu = new Gpu(2)) {
                    gpu.device.engine(threadEngine ? CpuDevice.Engine.THREAD : CpuDevice.Engine.LOCKSTEP);
                    CpuFunction f = (CpuFunction) gpu.suite("reduce");
                    assertTrue(f.kernel.affine != null);
                    LaunchConfig c = new LaunchConfig(Dim3.of(4), Dim3.of(256), 0);
                    Launch l = new Launch(f.kernel, c, new long[8], f.ir.paramBufferSize(), gpu.ctx.memory(), 2,
                            gpu.device.engine());
                    assertEquals(!threadEngine, l.lockstep);
                    l.claimBlocks = 37;
                    List<Exec> execs = new ArrayList<>();
                    long v = 1;
                    Map<String, Long> want = new LinkedHashMap<>();
                    for (int w = 0; w < 3; w++) {
                        Exec e = new Exec(l, w);
                        execs.add(e);
                        for (String[] group : new String[][] {LOCKSTEP, AFFINE, ALWAYS}) {
                            for (String s : group) {
                                String from = s.split(":")[0], to = s.contains(":") ? s.split(":")[1] : from;
                                long x = from.equals("rowRuns") && !rows ? 0 : w == 1 && v % 3 == 0 ? 0 : v * 1000 + w;
                                v++;
                                Exec.class.getDeclaredField(from).setLong(e, x);
                                boolean counted = group != LOCKSTEP || !threadEngine;
                                if (to.equals("rowClaimCount") && !rows) counted = false;
                                if (counted) want.merge(to, x, Long::sum);
                            }
                        }
                    }
                    Field ef = Launch.class.getDeclaredField("execs");
                    ef.setAccessible(true);
                    @SuppressWarnings("unchecked")
                    List<Exec> le = (List<Exec>) ef.get(l);
                    le.addAll(execs);
                    CpuDevice one = new CpuDevice(CpuBackend.describeHost(), 2);
                    one.lastClaimBlocks = -5;
                    l.rollUp(one);
                    String at = (threadEngine ? "thread" : "lockstep") + " engine, rows " + rows;
                    for (Map.Entry<String, Long> x : want.entrySet()) {
                        assertEquals(x.getValue(), adder(one, x.getKey()), at + ": " + x.getKey());
                    }
                    // nothing else moved
                    for (Map.Entry<String, Long> x : adders(one).entrySet()) {
                        if (!want.containsKey(x.getKey())) assertEquals(0L, x.getValue(), at + ": " + x.getKey());
                    }
                    assertEquals(rows ? 37 : -5, one.lastClaimBlocks, at);
                    assertEquals(1, one.coldRollUps.sum());
                    assertEquals(3, one.coldExecs.sum());
                }
            }
        }
    }

    @Test
    void formsKeptWhileArgumentsAndTableStay() throws Exception {
        int grid = 7, n = grid * 512 - 129;
        try (Gpu gpu = ArmChainTest.gpu(1)) {
            BackendFunction f = ArmChainTest.reduce(gpu);
            float[] a = ArmChainTest.input(grid * 512, 512);
            float[] b = new float[a.length];
            for (int i = 0; i < b.length; i++) b[i] = a[(i * 7 + 3) % a.length] * -1.5f + 1;
            long da = gpu.upload(a), db = gpu.upload(b), spare = gpu.alloc(4096);
            long[] kept = new long[1];
            // one output buffer for all launches (an allocation between launches would be a new table)
            long dout = gpu.upload(new int[grid]);
            int[] launchesKept = new int[3];
            for (int i = 0; i < 3; i++) {
                kept[0] = gpu.device.coldForms.sum();
                gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, n, da, dout);
                gpu.sync();
                assertArrayEquals(SuiteReduce.reference(a, n, grid), gpu.ints(dout, grid), "launch " + i);
                launchesKept[i] = (int) (gpu.device.coldForms.sum() - kept[0]);
            }
            assertArrayEquals(new int[] {0, 1, 1}, launchesKept, "the first launch computes, the next take its forms");
            gpu.ctx.free(spare); // a free: the table changes, the forms are computed again
            kept[0] = gpu.device.coldForms.sum();
            gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, n, da, dout);
            gpu.sync();
            assertEquals(0, gpu.device.coldForms.sum() - kept[0], "after a free");
            assertArrayEquals(SuiteReduce.reference(a, n, grid), gpu.ints(dout, grid));
            // another input pointer: not the same parameter words
            kept[0] = gpu.device.coldForms.sum();
            gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, n, db, dout);
            gpu.sync();
            assertArrayEquals(SuiteReduce.reference(b, n, grid), gpu.ints(dout, grid), "input b");
            assertEquals(0, gpu.device.coldForms.sum() - kept[0], "input b");
            // back to a: its forms are still kept
            kept[0] = gpu.device.coldForms.sum();
            gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, n, da, dout);
            gpu.sync();
            assertArrayEquals(SuiteReduce.reference(a, n, grid), gpu.ints(dout, grid), "input a again");
            assertEquals(1, gpu.device.coldForms.sum() - kept[0], "input a again");
            // a new shape (grid) is not the same launch either
            kept[0] = gpu.device.coldForms.sum();
            gpu.launch(f, Dim3.of(grid - 2), Dim3.of(256), 0, n, da, dout);
            gpu.sync();
            assertArrayEquals(SuiteReduce.reference(a, n, grid - 2), gpu.ints(dout, grid - 2), "grid " + (grid - 2));
            assertEquals(0, gpu.device.coldForms.sum() - kept[0], "grid " + (grid - 2));
        }
        // two workers: the second takes the first's forms within a launch
        try (Gpu gpu = ArmChainTest.gpu(2)) {
            BackendFunction f = ArmChainTest.reduce(gpu);
            float[] a = ArmChainTest.input(64 * 512, 512);
            long da = gpu.upload(a), dout = gpu.upload(new int[64]);
            for (int i = 0; i < 3; i++) {
                gpu.launch(f, Dim3.of(64), Dim3.of(256), 0, 64 * 512, da, dout);
                gpu.sync();
                assertArrayEquals(SuiteReduce.reference(a, 64 * 512, 64), gpu.ints(dout, 64));
            }
            long workers = gpu.device.coldExecs.sum();
            long got = gpu.device.coldForms.sum();
            // the first launch's workers may both compute (neither had published yet); every later one takes them
            assertTrue(got >= workers - 2 && got <= workers - 1, "forms kept " + got + " of " + workers + " workers");
        }
    }

    @Test
    void faultThenCountsAndError() throws Exception {
        for (int workers : new int[] {1, 2}) {
            int grid = 6;
            try (Gpu gpu = ArmChainTest.gpu(workers)) {
                BackendFunction f = ArmChainTest.reduce(gpu);
                float[] in = ArmChainTest.input(grid * 512, 512);
                long din = gpu.upload(in);
                long dout = gpu.upload(new int[grid]);
                gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, grid * 512, din, dout);
                gpu.sync();
                assertArrayEquals(SuiteReduce.reference(in, grid * 512, grid), gpu.ints(dout, grid));
                // an input allocation ending inside block 5: its thread 40 reads the first word past it
                float[] shortIn = new float[5 * 512 + 40];
                System.arraycopy(in, 0, shortIn, 0, shortIn.length);
                long dshort = gpu.upload(shortIn);
                long dout2 = gpu.upload(new int[grid]);
                gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, grid * 512, dshort, dout2);
                BackendException e = assertThrows(BackendException.class, gpu::sync);
                assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result(), e.getMessage());
                assertTrue(e.getMessage().contains("block (5,0,0), thread (40,0,0)"), e.getMessage());
                assertTrue(e.getMessage().contains("ld.global"), e.getMessage());
                int[] want = SuiteReduce.reference(in, grid * 512, grid);
                int[] got = gpu.ints(dout2, grid);
                for (int b = 0; b < 5; b++) {
                    // one worker runs blocks 0-4 before 5; with two, the other may stop before a block it had not begun
                    if (workers == 1 || got[b] != 0) assertEquals(want[b], got[b], workers + " workers, partial[" + b + "]");
                }
                assertEquals(0, got[5], "block 5 wrote nothing");
                assertEquals(2, gpu.device.coldRollUps.sum(), "the faulting launch rolled up too");
                // sticky: the next launch fails with the same error
                BackendException s = assertThrows(BackendException.class, () -> {
                    gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, grid * 512, din, dout);
                    gpu.sync();
                });
                assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, s.result(), s.getMessage());
            }
        }
    }
}
