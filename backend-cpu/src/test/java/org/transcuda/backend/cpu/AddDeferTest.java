package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.transcuda.cuda.CUresult;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;

/**
 * {@link AddDefer}: unread 32-bit global atomic adds summed per worker and made once per word when the worker
 * leaves the launch. Results against Java: the suite's histogram and {@code strideloop.cu}'s {@code hist} at
 * several n (with a partial last block and blocks with no data), grids and block sizes (128: two adds per thread),
 * bins starting nonzero and near 2^32 (wrapping), 1 and 2 workers; {@code adddefer.cu}'s {@code add_indexed}
 * (signed values, arbitrary indices, the thread engine and the lockstep engine); every add counted as summed
 * ({@code deferAdds}) and the words made from the sums counted ({@code deferFlushed}: on one worker exactly the
 * words whose sum is not 0). Kernels that read the words they add to: {@code add_then_read} (a block adds, then
 * reads) — on one worker each block reads exactly the adds of the blocks before it and its own (the deferring stops
 * at the first read, after block 0's adds); {@code read_then_add} (a block reads, then adds) — never deferred. Not
 * deferred at all: a kernel reading an add's old value ({@code add_old}), a kernel with global stores ({@code
 * hist_old}). A fault in an add: the same error, block, thread and instruction, and the adds of the threads before
 * it in memory. With {@code -Dtranscuda.cpu.addDefer=false} the results are checked the same and the counters 0.
 */
class AddDeferTest {
    private static final boolean ON = AddDefer.ENABLED;

    private static BackendFunction kernel(Gpu gpu, String file, String name) throws Exception {
        return SchedulingTest.kernel(gpu, file, name);
    }

    /** The histogram kernel ({@code suite} or {@code strideloop.ptx}'s hist) against a Java count. */
    private static void histogram(boolean suite, int workers, int n, int grid, int nt, int initBase) throws Exception {
        byte[] data = HistConstTest.bytes(n, 1234 + n);
        int[] init = new int[256];
        for (int b = 0; b < 256; b++) init[b] = initBase + 7 * b;
        int[] want = init.clone();
        for (byte x : data) want[x & 0xff]++;
        try (Gpu gpu = Gpu.lockstep(workers)) {
            long dd = gpu.alloc(Math.max(8, n));
            MemorySegment.copy(data, 0, gpu.seg(dd, n), ValueLayout.JAVA_BYTE, 0, n);
            long dbins = gpu.upload(init);
            BackendFunction f = suite ? gpu.suite("histogram") : kernel(gpu, "strideloop.ptx", "hist");
            gpu.launch(f, grid, nt, n, dd, dbins);
            gpu.sync();
            String what = (suite ? "suite" : "strideloop") + " histogram, " + workers + " workers, n " + n + ", grid "
                    + grid + ", block of " + nt + ", bins from " + initBase;
            assertArrayEquals(want, gpu.ints(dbins, 256), what);
            // every block adds each of the 256 shared bins to its global bin
            assertEquals(ON ? 256L * grid : 0, gpu.device.deferAdds.sum(), what + ": adds summed");
            int nonzero = 0;
            for (int b = 0; b < 256; b++) if (want[b] != init[b]) nonzero++;
            long flushed = gpu.device.deferFlushed.sum();
            if (!ON) assertEquals(0, flushed, what);
            else if (workers == 1) assertEquals(nonzero, flushed, what + ": words made from the sums");
            else assertTrue(flushed >= nonzero && flushed <= 2L * nonzero, what + ": words made " + flushed);
        }
    }

    @Test
    void histogramMatchesJava() throws Exception {
        // {n, grid, block}: a partial last block (1000 over 4 x 256), blocks without data (50 over 2 x 256), two
        // adds per thread (blocks of 128), large grids
        int[][] cases = {{200_003, 7, 256}, {1000, 4, 256}, {50, 2, 256}, {100_001, 5, 128}, {1 << 20, 16, 256},
            {3 * 256 * 9 + 2, 3, 256}};
        for (int workers : new int[] {1, 2}) {
            for (int[] c : cases) {
                histogram(true, workers, c[0], c[1], c[2], 1000);
                histogram(false, workers, c[0], c[1], c[2], 0);
            }
            // sums that wrap past 2^32 when made
            histogram(true, workers, 200_003, 7, 256, -3000);
        }
    }

    /** add_indexed: bins[k[i]] += v[i] (wrapping), engine and workers as given. */
    @Test
    void indexedSignedAddsMatchJava() throws Exception {
        Random r = new Random(99);
        for (CpuDevice.Engine engine : new CpuDevice.Engine[] {CpuDevice.Engine.THREAD, CpuDevice.Engine.LOCKSTEP}) {
            for (int workers : new int[] {1, 2}) {
                int n = 5000 + r.nextInt(3000), words = 300;
                int[] k = new int[n], v = new int[n], init = new int[words];
                for (int i = 0; i < n; i++) {
                    k[i] = r.nextInt(8) == 0 ? 7 : r.nextInt(words);
                    v[i] = switch (r.nextInt(5)) {
                        case 0 -> Integer.MAX_VALUE;
                        case 1 -> Integer.MIN_VALUE;
                        case 2 -> -r.nextInt(1000);
                        default -> r.nextInt();
                    };
                }
                for (int j = 0; j < words; j++) init[j] = r.nextInt();
                int[] want = init.clone();
                for (int i = 0; i < n; i++) want[k[i]] += v[i];
                try (Gpu gpu = new Gpu(workers)) {
                    gpu.device.engine(engine);
                    long dk = gpu.upload(k), dv = gpu.upload(v), db = gpu.upload(init);
                    int nt = 128, grid = (n + nt - 1) / nt;
                    gpu.launch(kernel(gpu, "adddefer.ptx", "add_indexed"), grid, nt, n, dk, dv, db);
                    gpu.sync();
                    String what = engine + ", " + workers + " workers, n " + n;
                    assertArrayEquals(want, gpu.ints(db, words), what);
                    assertEquals(ON ? n : 0, gpu.device.deferAdds.sum(), what + ": adds summed");
                }
            }
        }
    }

    /** add_then_read on one worker: block b reads bins after its own adds and those of blocks 0..b-1. */
    @Test
    void readsAfterAddsSeeEveryEarlierAdd() throws Exception {
        for (CpuDevice.Engine engine : new CpuDevice.Engine[] {CpuDevice.Engine.THREAD, CpuDevice.Engine.LOCKSTEP}) {
            for (int workers : new int[] {1, 2}) {
                int nt = 256, n = 6 * nt + 100, grid = 7;
                int[] init = new int[256];
                for (int b = 0; b < 256; b++) init[b] = 5 * b;
                int[] bins = init.clone(), out = new int[n];
                for (int blk = 0; blk < grid; blk++) {
                    for (int i = blk * nt; i < Math.min(n, (blk + 1) * nt); i++) bins[i & 255]++;
                    for (int i = blk * nt; i < Math.min(n, (blk + 1) * nt); i++) out[i] = bins[i & 255];
                }
                try (Gpu gpu = new Gpu(workers)) {
                    gpu.device.engine(engine);
                    long db = gpu.upload(init), dout = gpu.upload(new int[n]);
                    gpu.launch(kernel(gpu, "adddefer.ptx", "add_then_read"), grid, nt, n, db, dout);
                    gpu.sync();
                    String what = engine + ", " + workers + " workers";
                    assertArrayEquals(bins, gpu.ints(db, 256), what + ": bins");
                    int[] got = gpu.ints(dout, n);
                    if (workers == 1) {
                        assertArrayEquals(out, got, what + ": what each block read");
                        // block 0's adds were summed; its reads stopped the deferring, everything after is direct
                        assertEquals(ON ? nt : 0, gpu.device.deferAdds.sum(), what + ": adds summed");
                    } else {
                        // the other worker's blocks run at any time, but each read sees at least its own block's add
                        for (int i = 0; i < n; i++) {
                            assertTrue(got[i] - init[i & 255] >= 1 && got[i] <= bins[i & 255], what + " at " + i);
                        }
                        assertTrue(gpu.device.deferAdds.sum() <= 2L * nt, what + ": adds summed");
                    }
                }
            }
        }
    }

    /**
     * add_then_read_affine on one worker, launched three times with the same arguments: its read is checked once
     * per launch through the launch's forms, which later launches may reuse (ColdLaunch) — each launch's reads must
     * still stop the deferring and see every earlier add.
     */
    @Test
    void affineReadsSeeEveryEarlierAddInEveryLaunch() throws Exception {
        for (CpuDevice.Engine engine : new CpuDevice.Engine[] {CpuDevice.Engine.THREAD, CpuDevice.Engine.LOCKSTEP}) {
            int nt = 256, grid = 5, n = grid * nt - 40;
            int[] init = new int[256];
            for (int b = 0; b < 256; b++) init[b] = 11 * b + 2;
            int[] bins = init.clone(), out = new int[n];
            try (Gpu gpu = new Gpu(1)) {
                gpu.device.engine(engine);
                long db = gpu.upload(init), dout = gpu.upload(new int[n]);
                var f = kernel(gpu, "adddefer.ptx", "add_then_read_affine");
                for (int launch = 0; launch < 3; launch++) {
                    for (int blk = 0; blk < grid; blk++) {
                        int lo = blk * nt, hi = Math.min(n, (blk + 1) * nt);
                        for (int i = lo; i < hi; i++) bins[(7 * i) & 255]++;
                        for (int i = lo; i < hi; i++) out[i] += bins[i - lo];
                    }
                    gpu.launch(f, grid, nt, n, db, dout);
                    gpu.sync();
                    String what = engine + ", launch " + launch;
                    assertArrayEquals(bins, gpu.ints(db, 256), what + ": bins");
                    assertArrayEquals(out, gpu.ints(dout, n), what + ": what each block read");
                }
            }
        }
    }

    /** read_then_add: the bins are read before any add, so no add is deferred. */
    @Test
    void readsBeforeAddsNeverDefer() throws Exception {
        for (int workers : new int[] {1, 2}) {
            int nt = 256, n = 5 * nt + 17, grid = 6;
            int[] init = new int[256];
            for (int b = 0; b < 256; b++) init[b] = 3 * b + 1;
            int[] bins = init.clone();
            for (int blk = 0; blk < grid; blk++) {
                int lo = blk * nt, hi = Math.min(n, (blk + 1) * nt);
                int[] v = new int[Math.max(0, hi - lo)];
                for (int i = lo; i < hi; i++) v[i - lo] = bins[i & 255];
                for (int i = lo; i < hi; i++) bins[(i + 1) & 255] += v[i - lo] + 1;
            }
            try (Gpu gpu = Gpu.lockstep(workers)) {
                long db = gpu.upload(init);
                gpu.launch(kernel(gpu, "adddefer.ptx", "read_then_add"), grid, nt, n, db);
                gpu.sync();
                if (workers == 1) assertArrayEquals(bins, gpu.ints(db, 256));
                assertEquals(0, gpu.device.deferAdds.sum(), workers + " workers: adds summed");
            }
        }
    }

    /** A read old value and global stores keep every atomic as it is. */
    @Test
    void kernelsOutsideTheRuleAreNotDeferred() throws Exception {
        try (Gpu gpu = Gpu.lockstep(1)) {
            int n = 1000;
            long db = gpu.upload(new int[256]), dout = gpu.upload(new int[n]);
            gpu.launch(kernel(gpu, "adddefer.ptx", "add_old"), 4, 256, n, db, dout);
            gpu.sync();
            int[] out = gpu.ints(dout, n);
            for (int i = 0; i < n; i++) assertEquals(i >> 8, out[i], "old value at " + i);
            assertEquals(0, gpu.device.deferAdds.sum());
        }
        try (Gpu gpu = Gpu.lockstep(1)) {
            int n = 20_000, grid = 3, nt = 256;
            byte[] data = HistConstTest.bytes(n, 5);
            long dd = gpu.alloc(n);
            MemorySegment.copy(data, 0, gpu.seg(dd, n), ValueLayout.JAVA_BYTE, 0, n);
            long db = gpu.upload(new int[256]), ds = gpu.upload(new int[grid * nt]), dl = gpu.upload(new int[grid * nt]);
            gpu.launch(kernel(gpu, "strideloop.ptx", "hist_old"), grid, nt, n, dd, db, ds, dl);
            gpu.sync();
            int[] want = new int[256];
            for (byte x : data) want[x & 0xff]++;
            assertArrayEquals(want, gpu.ints(db, 256));
            assertEquals(0, gpu.device.deferAdds.sum());
        }
    }

    /** An add outside bins faults at its block, thread and instruction; every add before it is in memory. */
    @Test
    void faultKeepsItsLocationAndTheAddsBeforeIt() throws Exception {
        for (CpuDevice.Engine engine : new CpuDevice.Engine[] {CpuDevice.Engine.THREAD, CpuDevice.Engine.LOCKSTEP}) {
            int n = 1500, nt = 256, grid = 6, bad = 2 * nt + 188;
            int[] k = new int[n], v = new int[n];
            Random r = new Random(5);
            for (int i = 0; i < n; i++) {
                k[i] = r.nextInt(256);
                v[i] = r.nextInt(1000) - 300;
            }
            k[bad] = 256;
            int[] want = new int[256];
            for (int i = 0; i < bad; i++) want[k[i]] += v[i];
            try (Gpu gpu = new Gpu(1)) {
                gpu.device.engine(engine);
                long dk = gpu.upload(k), dv = gpu.upload(v), db = gpu.upload(new int[256]);
                gpu.launch(kernel(gpu, "adddefer.ptx", "add_indexed"), grid, nt, n, dk, dv, db);
                BackendException e = assertThrows(BackendException.class, gpu::sync);
                assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result(), engine.toString());
                assertTrue(e.getMessage().contains("block (2,0,0), thread (188,0,0)"), e.getMessage());
                assertTrue(e.getMessage().contains("atom.global"), e.getMessage());
                assertArrayEquals(want, gpu.ints(db, 256), engine + ": the adds before the fault");
                assertEquals(ON ? bad : 0, gpu.device.deferAdds.sum(), engine + ": adds summed");
            }
        }
    }
}
