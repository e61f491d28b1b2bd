package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.Dim3;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;
import org.transcuda.spi.BackendStream;
import org.transcuda.spi.LaunchConfig;

/**
 * {@link ExecKeep}: a worker's site caches kept across launches of the same kernel ({@code
 * -Dtranscuda.cpu.execKeep=false} turns it off; the counts here then fail). The suite's reduce (lockstep), saxpy
 * (thread engine, grid rows) and histogram (lockstep, deferred atomic adds) launched in turn with other sizes, grids and
 * buffers, one and two workers, every result against a Java reference; an allocation freed and a smaller one made at
 * the same address between launches, whose accesses past its end must fault as with fresh caches; a faulting launch
 * with kept caches (block, thread, instruction, CUDA error, the sticky error after it); two streams launching the same
 * kernel at once; at most {@link ExecKeep#KEEP} sets per kernel, never one set taken twice.
 */
class ExecKeepTest {
    private static final String SUITE = "suite.ptx";

    private static BackendFunction fn(Gpu gpu, String name) throws Exception {
        return gpu.ctx.loadModule(Gpu.suiteModule()).function(name);
    }

    private static float[] saxpyX(int n, int seed) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = i % 7 == 0 ? -0.0f : (i + seed) * 0.37f - 11 + 0x1p-20f * (i % 3);
        return x;
    }

    /** Bytes packed little-endian into words (as the histogram kernel reads them). */
    private static int[] pack(byte[] b) {
        int[] w = new int[(b.length + 3) / 4];
        for (int i = 0; i < b.length; i++) w[i / 4] |= (b[i] & 0xff) << (8 * (i % 4));
        return w;
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) ((i * 31 + seed * 7 + (i >> 5)) % 251);
        return b;
    }

    private static int[] hist(byte[] b, int n) {
        int[] h = new int[256];
        for (int i = 0; i < n; i++) h[b[i] & 0xff]++;
        return h;
    }

    private static void saxpyCheck(Gpu gpu, BackendFunction saxpy, int n, int bs, float a, int seed, String at)
            throws Exception {
        float[] x = saxpyX(n, seed), y = new float[n];
        for (int i = 0; i < n; i++) y[i] = 5 - i * 0.011f + seed;
        long dx = gpu.upload(x), dy = gpu.upload(y);
        gpu.launch(saxpy, (n + bs - 1) / bs, bs, n, a, dx, dy);
        gpu.sync();
        float[] want = new float[n];
        for (int i = 0; i < n; i++) want[i] = Math.fma(a, x[i], y[i]);
        assertArrayEquals(want, gpu.floats(dy, n), at);
        gpu.ctx.free(dx);
        gpu.ctx.free(dy);
    }

    @Test
    void kernelsInTurnWithOtherShapesAndBuffers() throws Exception {
        for (int workers : new int[] {1, 2}) {
            try (Gpu gpu = new Gpu(workers)) {
                BackendFunction reduce = fn(gpu, "reduce"), saxpy = fn(gpu, "saxpy"), histo = fn(gpu, "histogram");
                long launches = 0;
                for (int round = 0; round < 3; round++) {
                    int grid = 5 + round;
                    float[] in = ArmChainTest.input(grid * 512, 512);
                    long din = gpu.upload(in);
                    long dout = gpu.upload(new int[grid]);
                    // same buffers, other n: the caches of the launch before are kept with their contents
                    for (int n : new int[] {grid * 512, grid * 512 - 300 - round, 700 + round, grid * 512}) {
                        gpu.launch(reduce, Dim3.of(grid), Dim3.of(256), 0, n, din, dout);
                        gpu.sync();
                        launches++;
                        assertArrayEquals(SuiteReduce.reference(in, n, grid), gpu.ints(dout, grid),
                                workers + " workers, round " + round + ", reduce n=" + n);
                    }
                    for (int bs : new int[] {128, 256}) {
                        saxpyCheck(gpu, saxpy, 1000 + round * 77, bs, 1.75f - round, round, workers + " workers, saxpy " + bs);
                        launches++;
                    }
                    int nb = 40_000 + round * 1001;
                    byte[] data = bytes(nb, round);
                    long dd = gpu.upload(pack(data)), dbins = gpu.upload(new int[256]);
                    for (int g : new int[] {16, 7, 16}) {
                        gpu.launch(histo, Dim3.of(g), Dim3.of(256), 0, nb, dd, dbins);
                        gpu.sync();
                        launches++;
                    }
                    int[] want = hist(data, nb);
                    for (int i = 0; i < 256; i++) want[i] *= 3;
                    assertArrayEquals(want, gpu.ints(dbins, 256), workers + " workers, histogram round " + round);
                    gpu.ctx.free(din);
                    gpu.ctx.free(dout);
                    gpu.ctx.free(dd);
                    gpu.ctx.free(dbins);
                }
                long kept = gpu.device.keptSites.sum(), reset = gpu.device.resetSites.sum();
                // every launch but each kernel's first takes a set; reduce's 2nd-4th launches of a round keep contents
                assertTrue(kept >= 9, "workers with kept caches: " + kept + " of " + launches + " launches");
                assertTrue(reset >= 1, "workers with reset caches: " + reset);
            }
        }
    }

    @Test
    void freedAndReallocatedAtTheSameAddress() throws Exception {
        for (String which : new String[] {"reduce/thread", "saxpy", "reduce"}) {
            for (int workers : new int[] {1, 2}) {
                try (Gpu gpu = new Gpu(workers)) {
                    String kernel = which.split("/")[0];
                    // reduce on both engines: the thread engine checks a block's accesses through the site caches
                    if (which.endsWith("/thread")) gpu.device.engine(CpuDevice.Engine.THREAD);
                    BackendFunction f = fn(gpu, kernel);
                    int grid = 8, n = grid * 512;
                    float[] in = ArmChainTest.input(n, 512);
                    long din = gpu.upload(in), dout = gpu.upload(new int[n]);
                    String at = which + ", " + workers + " workers";
                    for (int i = 0; i < 2; i++) {
                        if (kernel.equals("reduce")) {
                            gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, n, din, dout);
                            gpu.sync();
                            assertArrayEquals(SuiteReduce.reference(in, n, grid), gpu.ints(dout, grid), at);
                        } else {
                            gpu.launch(f, Dim3.of(n / 256), Dim3.of(256), 0, n, 2.0f, din, dout);
                            gpu.sync();
                        }
                    }
                    assertTrue(gpu.device.keptSites.sum() >= 1, at + ": caches kept before the free");
                    // the input freed, and an allocation of the same size: the allocator may hand out the same address
                    gpu.ctx.free(din);
                    long again = gpu.alloc(4L * n);
                    float[] in2 = new float[n];
                    for (int i = 0; i < n; i++) in2[i] = in[n - 1 - i] * 3 - 1;
                    gpu.seg(again, 4L * n).copyFrom(MemorySegment.ofArray(in2));
                    if (kernel.equals("reduce")) {
                        gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, n, again, dout);
                        gpu.sync();
                        assertArrayEquals(SuiteReduce.reference(in2, n, grid), gpu.ints(dout, grid), at + ", after");
                    } else {
                        float[] y0 = gpu.floats(dout, n);
                        gpu.launch(f, Dim3.of(n / 256), Dim3.of(256), 0, n, 2.0f, again, dout);
                        gpu.sync();
                        float[] want = new float[n];
                        for (int i = 0; i < n; i++) want[i] = Math.fma(2.0f, in2[i], y0[i]);
                        assertArrayEquals(want, gpu.floats(dout, n), at + ", after");
                    }
                    // that one freed too: the kernel reading the freed address must fault as with fresh caches
                    // (a cache kept with its contents would still hold the freed allocation)
                    gpu.ctx.free(again);
                    long resetBefore = gpu.device.resetSites.sum();
                    BackendException e = assertThrows(BackendException.class, () -> {
                        if (kernel.equals("reduce")) gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, n, again, dout);
                        else gpu.launch(f, Dim3.of(n / 256), Dim3.of(256), 0, n, 2.0f, again, dout);
                        gpu.sync();
                    }, at + ": reads of a freed allocation fault");
                    assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result(), e.getMessage());
                    assertTrue(e.getMessage().contains("ld.global"), e.getMessage());
                    assertTrue(gpu.device.resetSites.sum() > resetBefore, at + ": the taken caches were reset");
                }
            }
        }
    }

    @Test
    void faultWithKeptCachesThenSticky() throws Exception {
        for (int workers : new int[] {1, 2}) {
            int grid = 6;
            try (Gpu gpu = ArmChainTest.gpu(workers)) {
                BackendFunction f = ArmChainTest.reduce(gpu);
                float[] in = ArmChainTest.input(grid * 512, 512);
                // the input ends inside block 5 (thread 40 reads the first word past it); short launches first
                float[] shortIn = new float[5 * 512 + 40];
                System.arraycopy(in, 0, shortIn, 0, shortIn.length);
                long dshort = gpu.upload(shortIn);
                long dout = gpu.upload(new int[grid]);
                for (int i = 0; i < 2; i++) {
                    gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, shortIn.length, dshort, dout);
                    gpu.sync();
                    assertArrayEquals(SuiteReduce.reference(shortIn, shortIn.length, grid), gpu.ints(dout, grid));
                }
                long kept = gpu.device.keptSites.sum();
                assertTrue(kept >= 1, "kept before the fault");
                long dout2 = dout;
                gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, grid * 512, dshort, dout2);
                BackendException e = assertThrows(BackendException.class, gpu::sync);
                assertTrue(gpu.device.keptSites.sum() > kept, "the faulting launch ran with kept caches");
                assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result(), e.getMessage());
                assertTrue(e.getMessage().contains("block (5,0,0), thread (40,0,0)"), e.getMessage());
                assertTrue(e.getMessage().contains("ld.global"), e.getMessage());
                int[] want = SuiteReduce.reference(in, grid * 512, grid);
                int[] got = gpu.ints(dout2, grid);
                // blocks 0-4 read inside the input: the same values with n = 2600 (the launches before) and 3072
                for (int b = 0; b < 5; b++) assertEquals(want[b], got[b], workers + " workers, partial[" + b + "]");
                BackendException s = assertThrows(BackendException.class, () -> {
                    gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, shortIn.length, dshort, dout);
                    gpu.sync();
                });
                assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, s.result(), s.getMessage());
            }
        }
    }

    private static void launchOn(BackendStream st, BackendFunction f, int grid, int n, long a, long b)
            throws BackendException {
        var ps = f.ir().params();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(Math.max(8, f.ir().paramBufferSize()), 8);
            buf.set(ValueLayout.JAVA_INT_UNALIGNED, ps.get(0).offset(), n);
            buf.set(ValueLayout.JAVA_LONG_UNALIGNED, ps.get(1).offset(), a);
            buf.set(ValueLayout.JAVA_LONG_UNALIGNED, ps.get(2).offset(), b);
            st.launch(f, new LaunchConfig(Dim3.of(grid), Dim3.of(256), 0), buf);
        }
    }

    @Test
    void twoStreamsLaunchTheSameKernelAtOnce() throws Exception {
        try (Gpu gpu = new Gpu(2)) {
            BackendFunction histo = fn(gpu, "histogram"), reduce = fn(gpu, "reduce");
            BackendStream s2 = gpu.ctx.createStream();
            int nb = 30_000;
            byte[] d1 = bytes(nb, 1), d2 = bytes(nb, 2);
            long a1 = gpu.upload(pack(d1)), a2 = gpu.upload(pack(d2));
            long b1 = gpu.upload(new int[256]), b2 = gpu.upload(new int[256]);
            int grid = 9;
            float[] r1 = ArmChainTest.input(grid * 512, 512), r2 = new float[grid * 512];
            for (int i = 0; i < r2.length; i++) r2[i] = r1[(i * 5 + 1) % r1.length] * 0.5f - 3;
            long i1 = gpu.upload(r1), i2 = gpu.upload(r2), o1 = gpu.upload(new int[grid]), o2 = gpu.upload(new int[grid]);
            AtomicReference<Throwable> err = new AtomicReference<>();
            int rounds = 40;
            Thread t = new Thread(() -> {
                try {
                    for (int i = 0; i < rounds; i++) {
                        launchOn(s2, histo, 8, nb, a2, b2);
                        launchOn(s2, reduce, grid, grid * 512 - i, i2, o2);
                        s2.synchronize();
                        assertArrayEquals(SuiteReduce.reference(r2, grid * 512 - i, grid), gpu.ints(o2, grid), "stream 2");
                    }
                } catch (Throwable x) {
                    err.set(x);
                }
            });
            t.start();
            for (int i = 0; i < rounds; i++) {
                launchOn(gpu.stream, histo, 8, nb, a1, b1);
                launchOn(gpu.stream, reduce, grid, grid * 512 - 2 * i, i1, o1);
                gpu.sync();
                assertArrayEquals(SuiteReduce.reference(r1, grid * 512 - 2 * i, grid), gpu.ints(o1, grid), "stream 1");
            }
            t.join();
            if (err.get() != null) throw new AssertionError(err.get());
            int[] w1 = hist(d1, nb), w2 = hist(d2, nb);
            for (int i = 0; i < 256; i++) {
                w1[i] *= rounds;
                w2[i] *= rounds;
            }
            assertArrayEquals(w1, gpu.ints(b1, 256), "histogram, stream 1");
            assertArrayEquals(w2, gpu.ints(b2, 256), "histogram, stream 2");
            assertTrue(gpu.device.keptSites.sum() > 0, "caches kept");
        }
    }

    @Test
    void boundedAndNeverSharedAndDroppedWithTheModule() throws Exception {
        try (Gpu gpu = Gpu.lockstep(2)) {
            CpuFunction f = (CpuFunction) fn(gpu, "reduce");
            CompiledKernel k = f.kernel;
            LaunchConfig c = new LaunchConfig(Dim3.of(3), Dim3.of(256), 0);
            Launch l = new Launch(k, c, new long[8], f.ir.paramBufferSize(), gpu.ctx.memory(), 2, gpu.device.engine());
            Exec[] es = new Exec[ExecKeep.KEEP + 2];
            for (int i = 0; i < es.length; i++) es[i] = new Exec(l, i);
            for (Exec e : es) ExecKeep.give(e);
            int n = 0;
            for (ExecKeep.Kept x : k.keptSites) if (x != null) n++;
            assertEquals(ExecKeep.KEEP, n, "sets kept per kernel");
            // two workers set up at once never get the same set; each cache is bound to its new worker
            Exec a = new Exec(l, 0), b = new Exec(l, 1);
            assertNotSame(a.sites, b.sites);
            assertEquals(1, a.sitesKept);
            for (int i = 0; i < a.sites.length; i++) {
                assertSame(a, a.sites[i].exec, "site " + i);
                assertSame(b, b.sites[i].exec, "site " + i);
            }
            for (ExecKeep.Kept x : k.keptSites) {
                if (x != null) assertTrue(x.sites() != a.sites && x.sites() != b.sites, "a taken set left the kernel");
            }
        }
    }
}
