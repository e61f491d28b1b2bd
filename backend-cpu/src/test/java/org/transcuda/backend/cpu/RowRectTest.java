package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.transcuda.cuda.Dim3;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;

/**
 * Grid-row plans whose split of the lanes by path is decided once for all thread rows of a piece ({@link RowRect}):
 * the stencil (whose first and last rows of blocks split their thread rows by {@code y == 0}, {@code y == ny - 1}
 * and {@code y >= ny}: planned per thread row) and a 3D grid with conditions on x, y and z and partial blocks in
 * every dimension, bit for bit against Java references, one and two workers, on and off; the pieces planned so
 * counted (none when off, none for one-row blocks), and the stencil's loops the same in number as per thread row;
 * a fault (a too-short input) the same error, message, block, thread and memory as without.
 * Kernels: {@code src/test/resources/kernels/gridrows.cu}.
 */
class RowRectTest {
    private static final int CANONICAL_NAN = 0x7fffffff;

    private static BackendFunction kernel(Gpu gpu, String name) throws Exception {
        return SchedulingTest.kernel(gpu, "gridrows.ptx", name);
    }

    private static Gpu gpu(int workers, boolean rect) throws BackendException {
        Gpu g = new Gpu(workers);
        g.device.engine(CpuDevice.Engine.THREAD);
        g.device.gridRows = true;
        g.device.rowRect = rect;
        return g;
    }

    private static float f(int bits) {
        return Float.intBitsToFloat(bits);
    }

    @Test
    void stencilMatchesJava() throws Exception {
        int[][] shapes = {{203, 37, 16, 4}, {64, 40, 16, 16}, {100, 33, 8, 8}, {50, 20, 25, 1}};
        for (int s = 0; s < shapes.length; s++) {
            int nx = shapes[s][0], ny = shapes[s][1], bx = shapes[s][2], by = shapes[s][3];
            java.util.Random rnd = new java.util.Random(70 + s);
            int[] in = new int[nx * ny];
            for (int i = 0; i < in.length; i++) {
                in[i] = i % 17 == 0 ? 0x7fc00000 | rnd.nextInt(0x400000)
                        : Float.floatToRawIntBits((rnd.nextFloat() - 0.5f) * 100);
            }
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
            for (int workers : new int[] {1, 2}) {
                long[] loops = new long[2];
                for (int c = 0; c < 2; c++) {
                    boolean on = c == 0;
                    String what = nx + " x " + ny + " (blocks " + bx + " x " + by + "), rowRect " + on + ", "
                            + workers + " workers";
                    try (Gpu gpu = gpu(workers, on)) {
                        long din = gpu.upload(in);
                        long dout = gpu.upload(new int[nx * ny]);
                        gpu.launch(kernel(gpu, "stencil"), Dim3.of((nx + bx - 1) / bx, (ny + by - 1) / by),
                                Dim3.of(bx, by), 0, nx, ny, din, dout);
                        gpu.sync();
                        assertArrayEquals(want, gpu.ints(dout, nx * ny), what);
                        long rects = gpu.device.rowRects.sum();
                        loops[c] = gpu.device.rowRuns.sum();
                        assertTrue(loops[c] > 0, what);
                        if (!on || by == 1) {
                            assertEquals(0, rects, what);
                        } else {
                            // every row of blocks but the first and the last (or two, where ny mod by is 1) at least
                            assertTrue(rects >= (ny + by - 1) / by - 3, what + ": " + rects);
                        }
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
        java.util.Random rnd = new java.util.Random(12);
        for (int i = 0; i < n; i++) in[i] = rnd.nextInt();
        int[] want = GridRowsTest.index3dReference(in, nx, ny, nz, bx, by, bz);
        Dim3 grid = new Dim3((nx + bx - 1) / bx, (ny + by - 1) / by, (nz + bz - 1) / bz);
        for (boolean on : new boolean[] {true, false}) {
            for (int workers : new int[] {1, 2}) {
                String what = "rowRect " + on + ", " + workers + " workers";
                try (Gpu gpu = gpu(workers, on)) {
                    long din = gpu.upload(in);
                    long dout = gpu.upload(new int[n]);
                    gpu.launch(kernel(gpu, "index3d"), grid, new Dim3(bx, by, bz), 0, nx, ny, nz, din, dout);
                    gpu.sync();
                    assertArrayEquals(want, gpu.ints(dout, n), what);
                    assertEquals((long) grid.x() * grid.y() * grid.z(), gpu.device.rowBlocks.sum(), what);
                    long rects = gpu.device.rowRects.sum();
                    // the rows of blocks whole in y and z split once (the partial ones per thread row)
                    assertTrue(on ? rects > 0 : rects == 0, what + ": " + rects);
                }
            }
        }
    }

    @Test
    void faultWithSplitsIsTheFaultWithout() throws Exception {
        int nx = 160, ny = 24, bx = 16, by = 8, missing = 37;
        Object[][] r = new Object[2][];
        for (int c = 0; c < 2; c++) {
            try (Gpu gpu = gpu(1, c == 0)) {
                float[] in = new float[nx * ny - missing];
                for (int i = 0; i < in.length; i++) in[i] = i * 0.5f - 300;
                long din = gpu.upload(in);
                long dout = gpu.upload(new float[nx * ny]);
                gpu.launch(kernel(gpu, "scale2d"), Dim3.of((nx + bx - 1) / bx, (ny + by - 1) / by), Dim3.of(bx, by),
                        0, nx, ny, din, dout);
                BackendException e = assertThrows(BackendException.class, gpu::sync);
                String m = e.getMessage().replaceFirst("0x[0-9a-f]+", "ADDR");
                r[c] = new Object[] {e.result(), m, gpu.floats(dout, nx * ny), gpu.device.rowRects.sum()};
            }
        }
        assertEquals(r[1][0], r[0][0]);
        assertEquals(r[1][1], r[0][1]);
        assertTrue(((String) r[0][1]).contains("block (7,2,0), thread (11,7,0)"), (String) r[0][1]);
        assertArrayEquals((float[]) r[1][2], (float[]) r[0][2]);
        assertTrue((long) r[0][3] > 0, "pieces split for all thread rows before the fault");
        assertEquals(0L, r[1][3]);
    }
}
