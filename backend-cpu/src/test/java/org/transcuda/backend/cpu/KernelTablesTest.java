package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import java.lang.reflect.Modifier;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.transcuda.cuda.Dim3;
import org.transcuda.ir.Module;
import org.transcuda.spi.BackendFunction;
import org.transcuda.spi.BackendModule;

/**
 * The lockstep fast paths' tables ({@link ArmChain}'s chains, {@link Warp0Chain}'s and {@link InputFuse}'s regions)
 * belong to each compiled kernel ({@link CompiledKernel#armChains}, {@link CompiledKernel#warp0Regions},
 * {@link CompiledKernel#inputFuses}), not to a process-wide registry that only grows: suite.ptx's {@code reduce} and
 * {@code scan_block} loaded and unloaded 50 times in one context keep the same table sizes (their generated code's ids
 * start at 0 every time), also when the class is generated twice ({@code transcuda.cpu.visibleClasses}); the three
 * classes hold no static table. Two kernels compiled one after the other, in one context and in two, run interleaved
 * and each gives the Java reference's result (reduce bit for bit at a few n, scan_block, and inputfuse_hand.ptx's
 * {@code one_arm}, whose input region also has id 0 but is not reduce's), their fast paths counted.
 */
class KernelTablesTest {

    private static CompiledKernel kernel(BackendFunction f) {
        return ((CpuFunction) f).kernel;
    }

    /** Whether each fast path is compiled in (its switch and its preconditions). */
    private static boolean chainsOn() {
        return ArmChain.ENABLED && KernelCompiler.CANONICAL_NANS && SharedAffine.ENABLED;
    }

    private static boolean fuseOn() {
        return InputFuse.ENABLED && KernelCompiler.CANONICAL_NANS;
    }

    private static boolean warp0On() {
        return Warp0Chain.ENABLED && WarpScan.ENABLED;
    }

    /** {reduce's chains, reduce's input regions, scan_block's warp-0 regions, scan_block's other two tables}. */
    private static int[] sizes(CompiledKernel reduce, CompiledKernel scan) {
        return new int[] {reduce.armChains.length, reduce.inputFuses.length, reduce.warp0Regions.length,
            scan.warp0Regions.length, scan.armChains.length + scan.inputFuses.length};
    }

    @Test
    void loadUnloadFiftyTimesKeepsTheTables() throws Exception {
        int[] want = {chainsOn() ? 1 : 0, fuseOn() ? 1 : 0, 0, warp0On() ? 1 : 0, 0};
        Module suite = Gpu.suiteModule();
        try (Gpu gpu = Gpu.lockstep(1)) {
            for (int k = 0; k < 50; k++) {
                BackendModule m = gpu.ctx.loadModule(suite);
                BackendFunction reduce = m.function("reduce");
                BackendFunction scan = m.function("scan_block");
                assertArrayEquals(want, sizes(kernel(reduce), kernel(scan)), "tables of load " + k);
                if (k % 10 == 9) {
                    // the code of a late load still finds its entries at ids 0
                    checkReduce(gpu, reduce, 5, 5 * 512 - 37, k);
                    SuiteScanBlock.runAndCheck(gpu, random(1000, k));
                }
                m.close();
            }
            assertEquals(chainsOn() ? 5 * 5 : 0, gpu.device.armChains.sum(), "chains run");
            assertEquals(warp0On() ? 5 * 4 : 0, gpu.device.warp0Chains.sum(), "warp-0 regions run");
        }
    }

    /** The class generated twice (the visible class after the hidden one's bytes): one generation's entries. */
    @Test
    void secondGenerationDoesNotAppend() throws Exception {
        int[] want = {chainsOn() ? 1 : 0, fuseOn() ? 1 : 0, 0, warp0On() ? 1 : 0, 0};
        String old = System.getProperty("transcuda.cpu.visibleClasses");
        System.setProperty("transcuda.cpu.visibleClasses", "true");
        try (Gpu gpu = Gpu.lockstep(1)) {
            BackendModule m = gpu.ctx.loadModule(Gpu.suiteModule());
            BackendFunction reduce = m.function("reduce");
            BackendFunction scan = m.function("scan_block");
            assertArrayEquals(want, sizes(kernel(reduce), kernel(scan)), "tables");
            checkReduce(gpu, reduce, 4, 4 * 512, 0);
            assertEquals(chainsOn() ? 4 : 0, gpu.device.armChains.sum(), "chains run");
        } finally {
            if (old == null) System.clearProperty("transcuda.cpu.visibleClasses");
            else System.setProperty("transcuda.cpu.visibleClasses", old);
        }
    }

    /** No static array or collection left in the three classes (their tables are the kernel's). */
    @Test
    void noStaticTables() {
        for (Class<?> c : new Class<?>[] {ArmChain.class, Warp0Chain.class, InputFuse.class}) {
            for (var f : c.getDeclaredFields()) {
                if (!Modifier.isStatic(f.getModifiers())) continue;
                Class<?> t = f.getType();
                boolean table = t.isArray() && !t.getComponentType().isPrimitive()
                        || java.util.Collection.class.isAssignableFrom(t) || java.util.Map.class.isAssignableFrom(t);
                assertFalse(table, c.getSimpleName() + "." + f.getName());
            }
        }
    }

    @Test
    void twoKernelsInOneContext() throws Exception {
        try (Gpu gpu = Gpu.lockstep(1)) {
            BackendFunction reduce = gpu.ctx.loadModule(Gpu.suiteModule()).function("reduce");
            BackendFunction oneArm = SchedulingTest.kernel(gpu, "inputfuse_hand.ptx", "one_arm");
            BackendFunction scan = gpu.ctx.loadModule(Gpu.suiteModule()).function("scan_block");
            assertNotSame(kernel(reduce).inputFuses, kernel(oneArm).inputFuses);
            long fusedWant = 0, scanBlocks = 0;
            int[] ns = {6 * 512, 6 * 512 - 256, 6 * 512 - 300, 2000};
            for (int k = 0; k < ns.length; k++) {
                fusedWant += checkReduce(gpu, reduce, 6, ns[k], k);
                fusedWant += checkOneArm(gpu, oneArm, 5, 5 * 256 - 100 * k);
                int n = 300 + 700 * k;
                scanBlocks += runScan(gpu, scan, n, k);
                assertEquals(fuseOn() ? fusedWant : 0, gpu.device.inputFuses.sum(), "input regions run, k=" + k);
                assertEquals(chainsOn() ? 6L * (k + 1) : 0, gpu.device.armChains.sum(), "chains run, k=" + k);
            }
            assertEquals(warp0On() ? scanBlocks : 0, gpu.device.warp0Chains.sum(), "warp-0 regions run");
        }
    }

    @Test
    void twoKernelsInTwoContexts() throws Exception {
        try (Gpu a = Gpu.lockstep(2); Gpu b = Gpu.lockstep(1)) {
            BackendFunction reduceA = a.ctx.loadModule(Gpu.suiteModule()).function("reduce");
            BackendFunction scanB = b.ctx.loadModule(Gpu.suiteModule()).function("scan_block");
            BackendFunction scanA = a.ctx.loadModule(Gpu.suiteModule()).function("scan_block");
            BackendFunction reduceB = b.ctx.loadModule(Gpu.suiteModule()).function("reduce");
            long scanA0 = 0, scanB0 = 0;
            for (int k = 0; k < 3; k++) {
                int n = 7 * 512 - 111 * k;
                checkReduce(a, reduceA, 7, n, k);
                scanB0 += runScan(b, scanB, 2304 - 500 * k, k);
                scanA0 += runScan(a, scanA, 1613 + 100 * k, k);
                checkReduce(b, reduceB, 7, n, k);
            }
            for (Gpu g : new Gpu[] {a, b}) {
                assertEquals(chainsOn() ? 3 * 7 : 0, g.device.armChains.sum(), "chains run");
                assertEquals(warp0On() ? (g == a ? scanA0 : scanB0) : 0, g.device.warp0Chains.sum(),
                        "warp-0 regions run");
            }
            // with one worker every block but the first runs its input region as one pass
            long fusedB = 0;
            for (int k = 0; k < 3; k++) fusedB += fused(7 * 512 - 111 * k, 7);
            assertEquals(fuseOn() ? fusedB : 0, b.device.inputFuses.sum(), "input regions run (one worker)");
        }
    }

    // ---- the kernels and their Java references ----

    private static int[] random(int n, long seed) {
        Random r = new Random(seed);
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = r.nextInt();
        return a;
    }

    /** Floats with NaN payloads, infinities, signed zeros and subnormals among them. */
    private static float[] floats(int n, long seed) {
        Random r = new Random(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = switch (r.nextInt(40)) {
                case 0 -> Float.intBitsToFloat(0x7fc00000 | r.nextInt(1 << 20));
                case 1 -> Float.POSITIVE_INFINITY;
                case 2 -> Float.NEGATIVE_INFINITY;
                case 3 -> -0.0f;
                case 4 -> Float.MIN_VALUE * r.nextInt(100);
                default -> (r.nextFloat() - 0.5f) * 1000;
            };
        }
        return a;
    }

    /** Blocks after the first whose two arms each cover all of the block's threads or none (one worker). */
    private static long fused(int n, int grid) {
        long k = 0;
        for (int b = 1; b < grid; b++) {
            long f0 = b * 512L, f1 = f0 + 256;
            if ((f0 + 255 < n || f0 >= n) && (f1 + 255 < n || f1 >= n)) k++;
        }
        return k;
    }

    /** Runs reduce and checks it bit for bit; the blocks that one worker would run as one input pass. */
    private static long checkReduce(Gpu gpu, BackendFunction f, int grid, int n, long seed) throws Exception {
        float[] in = floats(grid * 512, 77 + seed);
        long din = gpu.upload(in);
        long dout = gpu.upload(new int[grid]);
        gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, n, din, dout);
        gpu.sync();
        int[] want = SuiteReduce.reference(in, n, grid);
        int[] got = gpu.ints(dout, grid);
        for (int b = 0; b < grid; b++) {
            assertEquals(want[b], got[b], "reduce n=" + n + ": partial[" + b + "] want "
                    + Integer.toHexString(want[b]) + ", got " + Integer.toHexString(got[b]));
        }
        return fused(n, grid);
    }

    /** inputfuse_hand.ptx's one_arm: thread t of block b stores in[b·256 + 255 - t] if below n, else -1.0. */
    private static long checkOneArm(Gpu gpu, BackendFunction f, int grid, int n) throws Exception {
        float[] in = floats(grid * 256, n);
        long din = gpu.upload(in);
        long dout = gpu.upload(new int[grid * 256]);
        gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, n, din, dout);
        gpu.sync();
        int[] got = gpu.ints(dout, grid * 256);
        long fused = 0;
        for (int b = 0; b < grid; b++) {
            for (int t = 0; t < 256; t++) {
                int src = b * 256 + 255 - t;
                int want = Float.floatToRawIntBits(src < n ? in[src] : -1.0f);
                assertEquals(want, got[b * 256 + t], "one_arm n=" + n + ": block " + b + " thread " + t);
            }
            long first = b * 256L;
            if (first + 255 < n || first >= n) fused++;
        }
        return fused;
    }

    /** scan_block: each block's inclusive scan and its total, against a Java scan; the blocks launched. */
    private static int runScan(Gpu gpu, BackendFunction f, int n, long seed) throws Exception {
        int[] in = random(n, 1000 + seed);
        int grid = (n + 255) / 256;
        long din = gpu.upload(in);
        long dout = gpu.upload(new int[n]);
        long dsums = gpu.upload(new int[grid]);
        gpu.launch(f, grid, 256, n, din, dout, dsums);
        gpu.sync();
        int[] out = new int[n];
        int[] sums = new int[grid];
        for (int b = 0; b < grid; b++) {
            int acc = 0;
            for (int t = 0; t < 256 && b * 256 + t < n; t++) out[b * 256 + t] = acc += in[b * 256 + t];
            sums[b] = acc;
        }
        assertArrayEquals(out, gpu.ints(dout, n), "scan_block n=" + n);
        assertArrayEquals(sums, gpu.ints(dsums, grid), "scan_block sums n=" + n);
        return grid;
    }
}
