package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.transcuda.cuda.Dim3;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;

/**
 * A {@link RowRect} piece run part by part, each vector part's thread rows in one {@code qK} call ({@link RowPart}):
 * the stencil on grids whose widths are not multiples of 16 or of the vector length, 2D blocks (16 × 16 among them),
 * 1 × N blocks and N × 1 blocks (no RowRect), one and two workers, on and off, bit for bit against a Java reference
 * (NaN payloads, signaling NaNs, infinities, signed zeros, subnormals), the parts run so counted, and the same loops
 * as off; the stencil writing into its own input one row ahead (parts that meet: refused, the same memory as off); faults in a border and an interior lane: the same error, message and memory
 * as off; {@link RowPart#apart} against a brute-force count. Kernels: {@code src/test/resources/kernels/gridrows.cu}.
 */
class RowPartTest {
    private static BackendFunction kernel(Gpu gpu, String name) throws Exception {
        return SchedulingTest.kernel(gpu, "gridrows.ptx", name);
    }

    private static Gpu gpu(int workers, boolean part) throws BackendException {
        return gpu(workers, part, true);
    }

    private static Gpu gpu(int workers, boolean part, boolean tail) throws BackendException {
        Gpu g = new Gpu(workers);
        g.device.engine(CpuDevice.Engine.THREAD);
        g.device.gridRows = true;
        g.device.rowVec = true;
        g.device.rowVecTail = tail;
        g.device.rowRect = true;
        g.device.rowLean = true;
        g.device.rowPart = part;
        return g;
    }

    /** f32 values with NaN payloads (quiet and signaling), infinities, signed zeros, subnormals. */
    private static int[] awkward(int n, long seed) {
        int[] special = {0x7fc01234, 0xffc00001, 0x7f800001, 0xff812345, 0x7f800000, 0xff800000, 0, 0x80000000, 1,
                0x807fffff};
        java.util.Random rnd = new java.util.Random(seed);
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
            v[i] = i % 7 == 0 ? special[rnd.nextInt(special.length)]
                    : Float.floatToRawIntBits((rnd.nextFloat() - 0.5f) * 1000);
        }
        return v;
    }

    private static float f(int bits) {
        return Float.intBitsToFloat(bits);
    }

    /** One stencil cell in Java: a border cell copied bit for bit, an interior one averaged, a NaN canonical. */
    private static int cell(int[] in, int o, int nx, int ny, int x, int y) {
        int i = o + y * nx + x;
        if (x == 0 || y == 0 || x == nx - 1 || y == ny - 1) return in[i];
        float v = 0.25f * (((f(in[i - 1]) + f(in[i + 1])) + f(in[i - nx])) + f(in[i + nx]));
        return Float.isNaN(v) ? 0x7fffffff : Float.floatToRawIntBits(v);
    }

    @Test
    void stencilMatchesJava() throws Exception {
        Assumptions.assumeTrue(RowVec.AVAILABLE, "the JVM has no vector module");
        int vl = RowVec.lanes();
        // {nx, ny, bx, by}
        int[][] shapes = {{203, 37, 16, 4}, {64, 40, 16, 16}, {261, 50, 16, 16}, {100, 33, 8, 8},
                {3 * vl + 5, 29, vl + 3, 3}, {4 * vl + 2, 20, 2 * vl + 1, 5}, {37, 21, 1, 7}, {50, 18, 25, 1},
                {vl - 3, 18, 4, 6}};
        for (int s = 0; s < shapes.length; s++) {
            int nx = shapes[s][0], ny = shapes[s][1], bx = shapes[s][2], by = shapes[s][3];
            int[] in = awkward(nx * ny, 300 + s);
            int[] want = new int[nx * ny];
            for (int y = 0; y < ny; y++) for (int x = 0; x < nx; x++) want[y * nx + x] = cell(in, 0, nx, ny, x, y);
            // a middle row of blocks with a part of a whole vector and more than one thread row
            boolean runs = by > 1 && bx - 2 >= vl && ny >= 3 * by;
            for (int workers : new int[] {1, 2}) {
                long[][] counts = new long[2][];
                for (int c = 0; c < 2; c++) {
                    boolean on = c == 0;
                    String what = nx + " x " + ny + " (blocks " + bx + " x " + by + "), rowPart " + on + ", "
                            + workers + " workers";
                    try (Gpu gpu = gpu(workers, on)) {
                        long din = gpu.upload(in);
                        long dout = gpu.upload(new int[nx * ny]);
                        gpu.launch(kernel(gpu, "stencil"), Dim3.of((nx + bx - 1) / bx, (ny + by - 1) / by),
                                Dim3.of(bx, by), 0, nx, ny, din, dout);
                        gpu.sync();
                        assertArrayEquals(want, gpu.ints(dout, nx * ny), what);
                        CpuDevice d = gpu.device;
                        long parts = d.rowParts.sum();
                        counts[c] = new long[] {d.rowRuns.sum(), d.rowVecs.sum(), d.rowVecTails.sum(),
                                d.leanDecided.sum(), d.rowLanes.sum()};
                        if (!on || by == 1) assertEquals(0, parts, what);
                        if (on && runs) assertTrue(parts > 0, what + ": parts run as one call");
                        if (on && workers == 1 && runs && nx % bx == 0 && (ny / by) * by == ny) {
                            // every middle row of blocks (one piece each) runs its interior part as one call
                            assertTrue(parts >= ny / by - 2, what + ": " + parts);
                        }
                    }
                }
                // one worker: the same loops, vectors, overlapping last vectors, decisions and one-lane loops
                if (workers == 1) assertArrayEquals(counts[1], counts[0], "the same loops, " + nx + " x " + ny);
            }
        }
    }

    /**
     * Without {@link RowVecTail}: a part whose last lanes run in the array form keeps {@link RowLean}'s per-row
     * loops (its rows' vectors and last lanes in thread-row order); one whose lanes are whole vectors still runs as
     * one call; the same loops, vectors and decisions as off.
     */
    @Test
    void stencilWithoutTailsMatchesJava() throws Exception {
        Assumptions.assumeTrue(RowVec.AVAILABLE, "the JVM has no vector module");
        int vl = RowVec.lanes();
        int[][] shapes = {{203, 37, 16, 4}, {4 * vl + 2, 48, 2 * vl + 1, 8}, {261, 50, 16, 16}};
        for (int s = 0; s < shapes.length; s++) {
            int nx = shapes[s][0], ny = shapes[s][1], bx = shapes[s][2], by = shapes[s][3];
            int[] in = awkward(nx * ny, 500 + s);
            int[] want = new int[nx * ny];
            for (int y = 0; y < ny; y++) for (int x = 0; x < nx; x++) want[y * nx + x] = cell(in, 0, nx, ny, x, y);
            long[][] counts = new long[2][];
            for (boolean on : new boolean[] {true, false}) {
                String what = nx + " x " + ny + ", no tails, rowPart " + on;
                try (Gpu gpu = gpu(1, on, false)) {
                    long din = gpu.upload(in);
                    long dout = gpu.upload(new int[nx * ny]);
                    gpu.launch(kernel(gpu, "stencil"), Dim3.of((nx + bx - 1) / bx, (ny + by - 1) / by),
                            Dim3.of(bx, by), 0, nx, ny, din, dout);
                    gpu.sync();
                    assertArrayEquals(want, gpu.ints(dout, nx * ny), what);
                    assertEquals(0, gpu.device.rowVecTails.sum(), what);
                    if (on && s == 0) assertTrue(gpu.device.rowParts.sum() > 0, what + ": whole-vector parts");
                    CpuDevice d = gpu.device;
                    counts[on ? 0 : 1] = new long[] {d.rowRuns.sum(), d.rowVecs.sum(), d.leanDecided.sum(),
                            d.rowLanes.sum()};
                }
            }
            assertArrayEquals(counts[1], counts[0], nx + " x " + ny + ": the same loops, no tails");
        }
    }

    /**
     * The stencil with {@code out = in + nx} (one allocation): every thread stores into the input row below its own,
     * which the next thread row of its own and of the neighbouring parts reads — the right border column's stores
     * are read by the interior part's next thread row, so running the interior part's rows before the border's would
     * change the result: {@link RowPart#apart} refuses, and the memory is bit for bit the memory off (a racy kernel:
     * the reference is the engine's order without RowPart, not a Java loop).
     */
    @Test
    void partsThatMeetAreRefused() throws Exception {
        Assumptions.assumeTrue(RowVec.AVAILABLE, "the JVM has no vector module");
        int vl = RowVec.lanes();
        int[][] shapes = {{4 * vl + 3, 48, 16, 16}, {203, 37, 16, 4}};
        for (int[] sh : shapes) {
            int nx = sh[0], ny = sh[1], bx = sh[2], by = sh[3];
            int len = (ny + 1) * nx;
            int[] init = awkward(len, 41);
            int[][] mem = new int[2][];
            for (int c = 0; c < 2; c++) {
                String what = nx + " x " + ny + ", rowPart " + (c == 0);
                try (Gpu gpu = gpu(1, c == 0)) {
                    long din = gpu.upload(init);
                    gpu.launch(kernel(gpu, "stencil"), Dim3.of((nx + bx - 1) / bx, (ny + by - 1) / by),
                            Dim3.of(bx, by), 0, nx, ny, din, din + 4L * nx);
                    gpu.sync();
                    mem[c] = gpu.ints(din, len);
                    assertTrue(gpu.device.leanDecided.sum() > 0, what + ": RowLean's loops ran");
                }
            }
            assertArrayEquals(mem[1], mem[0], nx + " x " + ny + ": on against off");
        }
    }

    /** The same error, message and memory (one worker) with and without; returns the message of the "on" run. */
    private static String sameFault(int nx, int ny, int bx, int by, int outLen, int inLen, int workers)
            throws Exception {
        Object[][] r = new Object[2][];
        int[] in = awkward(inLen, 7);
        for (int c = 0; c < 2; c++) {
            try (Gpu gpu = gpu(workers, c == 0)) {
                long din = gpu.upload(in);
                long dout = gpu.upload(new int[outLen]);
                gpu.launch(kernel(gpu, "stencil"), Dim3.of((nx + bx - 1) / bx, (ny + by - 1) / by), Dim3.of(bx, by),
                        0, nx, ny, din, dout);
                BackendException e = assertThrows(BackendException.class, gpu::sync);
                String m = e.getMessage().replaceAll("0x[0-9a-f]+", "ADDR");
                r[c] = new Object[] {e.result(), m, gpu.ints(dout, outLen), gpu.device.rowParts.sum()};
            }
        }
        assertEquals(r[1][0], r[0][0]);
        assertEquals(r[1][1], r[0][1]);
        if (workers == 1) assertArrayEquals((int[]) r[1][2], (int[]) r[0][2]);
        assertEquals(0L, r[1][3]);
        if (workers == 1 && RowVec.AVAILABLE) assertTrue((long) r[0][3] > 0, "parts ran as one call before the fault");
        return (String) r[0][1];
    }

    @Test
    void faultsAreTheFaultsWithout() throws Exception {
        int vl = RowVec.AVAILABLE ? RowVec.lanes() : 16;
        int bx = 16, by = 4, nx = Math.max(4 * bx + 3, 2 * vl + 5), ny = 24, ncx = (nx + bx - 1) / bx;
        // the last thread row of block row 3 (y0 = 15): its right border lane's store is the first outside out
        int y0 = 4 * by - 1;
        String m = sameFault(nx, ny, bx, by, y0 * nx + nx - 1, nx * ny, 1);
        int tx = nx - 1 - (ncx - 1) * bx;
        assertTrue(m.contains("block (" + (ncx - 1) + ",3,0), thread (" + tx + "," + (by - 1) + ",0)"), m);
        // the same row's interior lane x = 5
        m = sameFault(nx, ny, bx, by, y0 * nx + 5, nx * ny, 1);
        assertTrue(m.contains("block (0,3,0), thread (5," + (by - 1) + ",0)"), m);
        // two workers, one faulting thread (out one element short: the last cell's store)
        int lastRow = (ny - 1) / by;
        m = sameFault(nx, ny, bx, by, nx * ny - 1, nx * ny, 2);
        assertTrue(m.contains("block (" + (ncx - 1) + "," + lastRow + ",0), thread (" + tx + "," + (ny - 1) % by
                + ",0)"), m);
    }

    @Test
    void apartMatchesBruteForce() {
        java.util.Random rnd = new java.util.Random(5);
        for (int it = 0; it < 200_000; it++) {
            int rows = 1 + rnd.nextInt(6);
            long c = rnd.nextInt(41) - 20;
            long u0 = rnd.nextInt(120), v0 = rnd.nextInt(120);
            long u1 = u0 + 1 + rnd.nextInt(30), v1 = v0 + 1 + rnd.nextInt(30);
            boolean meet = false;
            for (int y = 0; y < rows; y++) {
                for (int y2 = 0; y2 < rows; y2++) {
                    long a0 = u0 + c * y, a1 = u1 + c * y, b0 = v0 + c * y2, b1 = v1 + c * y2;
                    if (a0 < b1 && b0 < a1) meet = true;
                }
            }
            assertEquals(!meet, RowPart.apart(u0, u1, v0, v1, c, rows),
                    "[" + u0 + "," + u1 + ") [" + v0 + "," + v1 + ") c " + c + " rows " + rows);
        }
    }
}
