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
 * A grid-row piece's vector loops decided once for all its thread rows and its one-lane loops as scalar code
 * ({@link RowLean}): the stencil on grids whose widths are not multiples of 16 or of the vector length, with 2D
 * blocks, 1 × N blocks (every lane a block: one-lane interior loops, the arithmetic in {@code sK}) and N × 1 blocks
 * (no RowRect), one and two workers, on and off, bit for bit against a Java reference (NaN payloads, signaling NaNs,
 * infinities, signed zeros, subnormals), the loops run so counted; {@code index3d} (3D blocks, an integer path); a
 * fault in a border lane, in an interior lane and in a load: the same error, message (block, thread, instruction) and
 * memory as off. Kernels: {@code src/test/resources/kernels/gridrows.cu}.
 */
class RowLeanTest {
    private static final int CANONICAL_NAN = 0x7fffffff;

    private static BackendFunction kernel(Gpu gpu, String name) throws Exception {
        return SchedulingTest.kernel(gpu, "gridrows.ptx", name);
    }

    private static Gpu gpu(int workers, boolean lean) throws BackendException {
        Gpu g = new Gpu(workers);
        g.device.engine(CpuDevice.Engine.THREAD);
        g.device.gridRows = true;
        g.device.rowVec = true;
        g.device.rowVecTail = true;
        g.device.rowRect = true;
        g.device.rowLean = lean;
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

    /** The stencil in Java: border cells copied bit for bit, interior cells averaged, a NaN result canonical. */
    static int[] stencil(int[] in, int nx, int ny) {
        int[] want = new int[nx * ny];
        for (int y = 0; y < ny; y++) {
            for (int x = 0; x < nx; x++) {
                int i = y * nx + x;
                if (x == 0 || y == 0 || x == nx - 1 || y == ny - 1) {
                    want[i] = in[i];
                } else {
                    float v = 0.25f * (((f(in[i - 1]) + f(in[i + 1])) + f(in[i - nx])) + f(in[i + nx]));
                    want[i] = Float.isNaN(v) ? CANONICAL_NAN : Float.floatToRawIntBits(v);
                }
            }
        }
        return want;
    }

    @Test
    void stencilMatchesJava() throws Exception {
        Assumptions.assumeTrue(RowVec.AVAILABLE, "the JVM has no vector module");
        int vl = RowVec.lanes();
        // {nx, ny, bx, by}
        int[][] shapes = {{203, 37, 16, 4}, {64, 40, 16, 16}, {100, 33, 8, 8}, {3 * vl + 5, 29, vl + 3, 3},
                {4 * vl + 2, 20, 2 * vl + 1, 5}, {37, 21, 1, 7}, {50, 18, 25, 1}, {vl - 3, 18, 4, 6}};
        for (int s = 0; s < shapes.length; s++) {
            int nx = shapes[s][0], ny = shapes[s][1], bx = shapes[s][2], by = shapes[s][3];
            int[] in = awkward(nx * ny, 90 + s);
            int[] want = stencil(in, nx, ny);
            // a middle row of blocks has an interior part with a whole vector and more than one thread row, even
            // in a piece of one block (one worker's claims may be single blocks)
            boolean decides = by > 1 && bx - 2 >= vl && ny >= 3 * by;
            for (int workers : new int[] {1, 2}) {
                long[] loops = new long[2];
                for (int c = 0; c < 2; c++) {
                    boolean on = c == 0;
                    String what = nx + " x " + ny + " (blocks " + bx + " x " + by + "), rowLean " + on + ", "
                            + workers + " workers";
                    try (Gpu gpu = gpu(workers, on)) {
                        long din = gpu.upload(in);
                        long dout = gpu.upload(new int[nx * ny]);
                        gpu.launch(kernel(gpu, "stencil"), Dim3.of((nx + bx - 1) / bx, (ny + by - 1) / by),
                                Dim3.of(bx, by), 0, nx, ny, din, dout);
                        gpu.sync();
                        assertArrayEquals(want, gpu.ints(dout, nx * ny), what);
                        loops[c] = gpu.device.rowRuns.sum();
                        long lanes = gpu.device.rowLanes.sum(), decided = gpu.device.leanDecided.sum();
                        if (!on) {
                            assertEquals(0, lanes, what);
                            assertEquals(0, decided, what);
                            continue;
                        }
                        // the left and right border lanes of every interior grid row; more where a plan splits a
                        // piece's first or last lane apart (an interior lane next to a partial block or a cut)
                        // exact with one worker on whole rows of whole blocks of one thread row (whole rows per chunk)
                        if (workers == 1 && by == 1 && nx % bx == 0 && ny >= 16) {
                            assertEquals(2L * (ny - 2), lanes, what);
                        } else {
                            assertTrue(lanes >= 2L * (ny - 2), what + ": " + lanes);
                        }
                        if (decides) assertTrue(decided > 0, what);
                        if (by == 1) assertEquals(0, decided, what + " (no RowRect)");
                    }
                }
                if (workers == 1) assertEquals(loops[1], loops[0], "the same loops, " + nx + " x " + ny);
            }
        }
    }

    @Test
    void threeDimensionalGridMatchesJava() throws Exception {
        int nx = 45, ny = 13, nz = 7, bx = 8, by = 4, bz = 2;
        int n = nx * ny * nz;
        int[] in = new int[n];
        java.util.Random rnd = new java.util.Random(13);
        for (int i = 0; i < n; i++) in[i] = rnd.nextInt();
        int[] want = GridRowsTest.index3dReference(in, nx, ny, nz, bx, by, bz);
        Dim3 grid = new Dim3((nx + bx - 1) / bx, (ny + by - 1) / by, (nz + bz - 1) / bz);
        for (boolean on : new boolean[] {true, false}) {
            for (int workers : new int[] {1, 2}) {
                String what = "rowLean " + on + ", " + workers + " workers";
                try (Gpu gpu = gpu(workers, on)) {
                    long din = gpu.upload(in);
                    long dout = gpu.upload(new int[n]);
                    gpu.launch(kernel(gpu, "index3d"), grid, new Dim3(bx, by, bz), 0, nx, ny, nz, din, dout);
                    gpu.sync();
                    assertArrayEquals(want, gpu.ints(dout, n), what);
                    assertEquals((long) grid.x() * grid.y() * grid.z(), gpu.device.rowBlocks.sum(), what);
                    if (!on) assertEquals(0, gpu.device.leanDecided.sum() + gpu.device.rowLanes.sum(), what);
                }
            }
        }
    }

    /**
     * The stencil with {@code out} (or {@code in}) {@code limit} elements long: the same error, message and memory
     * with and without; returns the message of the "on" run.
     */
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
                r[c] = new Object[] {e.result(), m, gpu.ints(dout, outLen), gpu.device.rowLanes.sum(),
                        gpu.device.leanDecided.sum()};
            }
        }
        assertEquals(r[1][0], r[0][0]);
        assertEquals(r[1][1], r[0][1]);
        if (workers == 1) assertArrayEquals((int[]) r[1][2], (int[]) r[0][2]);
        assertEquals(0L, r[1][3]);
        assertEquals(0L, r[1][4]);
        if (workers == 1 && RowVec.AVAILABLE) {
            assertTrue((long) r[0][3] > 0, "one-lane loops ran as scalar code before the fault");
            assertTrue((long) r[0][4] > 0, "loops ran on their piece's decision before the fault");
        }
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
        // in one element short: the last cell's (a border lane's) load
        m = sameFault(nx, ny, bx, by, nx * ny, nx * ny - 1, 1);
        tx = nx - 1 - (ncx - 1) * bx;
        int lastRow = (ny - 1) / by;
        assertTrue(m.contains("block (" + (ncx - 1) + "," + lastRow + ",0), thread (" + tx + "," + (ny - 1) % by
                + ",0)"), m);
        // two workers: the same error and message. Only one thread faults (out one element short: the last cell's
        // store) — with several faulting blocks, which worker's fault comes first depends on timing
        m = sameFault(nx, ny, bx, by, nx * ny - 1, nx * ny, 2);
        assertTrue(m.contains("block (" + (ncx - 1) + "," + lastRow + ",0), thread (" + tx + "," + (ny - 1) % by
                + ",0)"), m);
    }
}
