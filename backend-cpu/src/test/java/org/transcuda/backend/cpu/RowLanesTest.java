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
 * Grid-row loops of fewer lanes than a vector as the path's scalar code ({@link RowLanes}): the stencil on several
 * grids (its first and last column one-lane loops), bit for bit against a Java reference (NaN payloads, infinities,
 * signed zeros, subnormals), one and two workers, on and off, the loops that ran so counted (one worker, two blocks
 * per grid row: exactly two per interior grid row); a fault whose first faulting store is a border lane's reports
 * the same error and leaves the same memory with and without. Kernels: {@code src/test/resources/kernels/gridrows.cu}.
 */
class RowLanesTest {
    private static final int CANONICAL_NAN = 0x7fffffff;

    private static BackendFunction kernel(Gpu gpu, String name) throws Exception {
        return SchedulingTest.kernel(gpu, "gridrows.ptx", name);
    }

    private static Gpu gpu(int workers, boolean on) throws BackendException {
        Gpu g = new Gpu(workers);
        g.device.engine(CpuDevice.Engine.THREAD);
        g.device.gridRows = true;
        g.device.rowVec = true;
        g.device.rowLanes = on;
        return g;
    }

    private static int[] awkward(int n, long seed) {
        int[] special = {0x7fc01234, 0xffc00001, 0x7f800001, 0x7f800000, 0xff800000, 0, 0x80000000, 1, 0x807fffff};
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

    /** The stencil in Java: border cells copied (a NaN keeps its payload), interior cells averaged, NaN canonical. */
    private static int[] stencil(int[] in, int nx, int ny) {
        int[] want = new int[nx * ny];
        for (int y = 0; y < ny; y++) {
            for (int x = 0; x < nx; x++) {
                int i = y * nx + x;
                if (x == 0 || y == 0 || x == nx - 1 || y == ny - 1) {
                    want[i] = in[i];
                } else {
                    float s = f(in[i - 1]) + f(in[i + 1]);
                    s = s + f(in[i - nx]);
                    s = s + f(in[i + nx]);
                    float r = 0.25f * s;
                    want[i] = Float.isNaN(r) ? CANONICAL_NAN : Float.floatToRawIntBits(r);
                }
            }
        }
        return want;
    }

    @Test
    void stencilBordersMatchJava() throws Exception {
        Assumptions.assumeTrue(RowVec.AVAILABLE, "the JVM has no vector module");
        int vl = RowVec.lanes();
        // {nx, ny, bx, by}: two blocks per grid row (one worker: one piece per row, border columns one lane each),
        // then wider grids of several blocks and thread rows
        int[][] shapes = {{2 * vl + 6, 17, vl + 3, 1}, {4 * vl, 16, 2 * vl, 1}, {vl + 3, 16, (vl + 3 + 1) / 2, 1},
                {203, 37, 16, 4}, {256, 40, 16, 16}};
        for (int s = 0; s < shapes.length; s++) {
            int nx = shapes[s][0], ny = shapes[s][1], bx = shapes[s][2], by = shapes[s][3];
            int[] in = awkward(nx * ny, 70 + s);
            int[] want = stencil(in, nx, ny);
            boolean exact = nx == 2 * bx && by == 1 && ny >= 16;
            for (boolean on : new boolean[] {true, false}) {
                for (int workers : new int[] {1, 2}) {
                    String what = nx + " x " + ny + " (" + bx + " x " + by + "), rowLanes " + on + ", " + workers
                            + " workers";
                    try (Gpu gpu = gpu(workers, on)) {
                        long din = gpu.upload(in);
                        long dout = gpu.upload(new int[nx * ny]);
                        gpu.launch(kernel(gpu, "stencil"), Dim3.of((nx + bx - 1) / bx, (ny + by - 1) / by),
                                Dim3.of(bx, by), 0, nx, ny, din, dout);
                        gpu.sync();
                        assertArrayEquals(want, gpu.ints(dout, nx * ny), what);
                        long loops = gpu.device.rowLaneLoops.sum();
                        if (!on) {
                            assertEquals(0, loops, what);
                        } else if (exact && workers == 1) {
                            assertEquals(2L * (ny - 2), loops, what);
                        } else {
                            assertTrue(loops > 0, what);
                        }
                    }
                }
            }
        }
    }

    @Test
    void faultInABorderLaneIsTheFaultWithout() throws Exception {
        // two blocks per grid row; out one row and one element short: the first store out of range is grid row
        // ny-2's last column (a one-lane loop), in block (1, ny-2), before every store of grid row ny-1
        int nx = 150, ny = 24, bx = 75, by = 1;
        Object[][] r = new Object[2][];
        for (int c = 0; c < 2; c++) {
            try (Gpu gpu = gpu(1, c == 0)) {
                int[] in = awkward(nx * ny, 90);
                long din = gpu.upload(in);
                long dout = gpu.upload(new int[nx * ny - nx - 1]);
                gpu.launch(kernel(gpu, "stencil"), Dim3.of((nx + bx - 1) / bx, (ny + by - 1) / by), Dim3.of(bx, by),
                        0, nx, ny, din, dout);
                BackendException e = assertThrows(BackendException.class, gpu::sync);
                String m = e.getMessage().replaceFirst("0x[0-9a-f]+", "ADDR");
                r[c] = new Object[] {e.result(), m, gpu.ints(dout, nx * ny - nx - 1), gpu.device.rowLaneLoops.sum()};
            }
        }
        assertEquals(r[1][0], r[0][0]);
        assertEquals(r[1][1], r[0][1]);
        assertTrue(((String) r[0][1]).contains("block (1,22,0), thread (74,0,0)"), (String) r[0][1]);
        assertArrayEquals((int[]) r[1][2], (int[]) r[0][2]);
        if (RowVec.AVAILABLE) assertTrue((long) r[0][3] > 0, "border loops ran as scalar code before the fault");
        assertEquals(0L, r[1][3]);
    }
}
