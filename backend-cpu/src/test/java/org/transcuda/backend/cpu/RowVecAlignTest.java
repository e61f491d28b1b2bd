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
 * A vector loop's later vectors started at its store's aligned lane, after one vector at its first lane
 * ({@link RowVecAlign}): the stencil on grids whose rows are not multiples of 16 nor of the vector width, on 2-D and
 * 3-D grids, bit for bit against a Java reference (NaN payloads, infinities, signed zeros, subnormals), one and two
 * workers, on and off, the loops that ran so counted (exactly, per row, on one worker, from the output's address);
 * a 3-D integer kernel against Java; saxpy (its store at its load's addresses) never realigned; a fault the same
 * with and without. Kernels: {@code src/test/resources/kernels/gridrows.cu}.
 */
class RowVecAlignTest {
    private static final int CANONICAL_NAN = 0x7fffffff;

    private static BackendFunction kernel(Gpu gpu, String name) throws Exception {
        return SchedulingTest.kernel(gpu, "gridrows.ptx", name);
    }

    private static Gpu gpu(int workers, boolean align) throws BackendException {
        Gpu g = new Gpu(workers);
        g.device.engine(CpuDevice.Engine.THREAD);
        g.device.gridRows = true;
        g.device.rowVec = true;
        g.device.rowVecAlign = align;
        return g;
    }

    /** f32 values with NaN payloads, infinities, signed zeros, subnormals. */
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

    private static int canon(float f) {
        return Float.isNaN(f) ? CANONICAL_NAN : Float.floatToRawIntBits(f);
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
                    want[i] = canon(0.25f * s);
                }
            }
        }
        return want;
    }

    /**
     * Whether a loop of {@code n} lanes from element {@code first} of the output at byte address {@code out} is
     * realigned, written out independently of {@link RowVecAlign}: at least one vector, the first lane's address not
     * a multiple of the vector's bytes, and a whole vector from the first aligned lane.
     */
    private static boolean realigned(long out, long first, int n) {
        int vl = RowVec.lanes();
        long addr = out + 4 * first;
        long bytes = 4L * vl;
        if (n < vl || addr % bytes == 0) return false;
        long k = (bytes - addr % bytes) / 4;
        return n - k >= vl;
    }

    @Test
    void stencilMatchesJava() throws Exception {
        Assumptions.assumeTrue(RowVec.AVAILABLE, "the JVM has no vector module");
        int vl = RowVec.lanes();
        // {nx, ny, bx, by, grid z}: grids two blocks wide with one thread row per block (one loop per row on one
        // worker: counted exactly), widths not multiples of 16 nor of vl, one a whole number of vectors, rows too
        // short to realign; wider grids with 2-D blocks; 3-D grids (blockIdx.z unused: every z computes the same)
        int[][] shapes = {{2 * vl + 6, 17, vl + 3, 1, 1}, {3 * vl + 2, 16, (3 * vl + 2) / 2, 1, 1},
                {4 * vl, 19, 2 * vl, 1, 1}, {vl + 3, 16, (vl + 3 + 1) / 2, 1, 1}, {203, 37, 16, 4, 1},
                {1001, 29, 32, 2, 1}, {75, 20, 25, 3, 2}, {203, 21, 16, 4, 3}};
        for (int s = 0; s < shapes.length; s++) {
            int nx = shapes[s][0], ny = shapes[s][1], bx = shapes[s][2], by = shapes[s][3], gz = shapes[s][4];
            int[] in = awkward(nx * ny, 60 + s);
            int[] want = stencil(in, nx, ny);
            boolean exact = nx == 2 * bx && by == 1 && ny >= 16 && gz == 1;
            for (boolean on : new boolean[] {true, false}) {
                for (int workers : new int[] {1, 2}) {
                    String what = nx + " x " + ny + " x " + gz + ", rowVecAlign " + on + ", " + workers + " workers";
                    try (Gpu gpu = gpu(workers, on)) {
                        long din = gpu.upload(in);
                        long dout = gpu.upload(new int[nx * ny]);
                        gpu.launch(kernel(gpu, "stencil"), new Dim3((nx + bx - 1) / bx, (ny + by - 1) / by, gz),
                                Dim3.of(bx, by), 0, nx, ny, din, dout);
                        gpu.sync();
                        assertArrayEquals(want, gpu.ints(dout, nx * ny), what);
                        long aligns = gpu.device.rowVecAligns.sum(), vecs = gpu.device.rowVecs.sum();
                        assertTrue(aligns <= vecs, what + ": " + aligns + " of " + vecs);
                        // border rows: lanes 0..nx-1; interior rows: lanes 1..nx-2
                        long rows = 0;
                        for (int y = 0; y < ny; y++) {
                            boolean border = y == 0 || y == ny - 1;
                            rows += realigned(dout, (long) y * nx + (border ? 0 : 1), border ? nx : nx - 2) ? 1 : 0;
                        }
                        if (!on) {
                            assertEquals(0, aligns, what);
                        } else if (exact && workers == 1) {
                            assertEquals(rows, aligns, what);
                        } else if (nx - 2 >= 2 * vl) {
                            assertTrue(aligns > 0, what);
                        }
                    }
                }
            }
        }
    }

    @Test
    void threeDimensionalIntegerGridMatchesJava() throws Exception {
        int nx = 45, ny = 13, nz = 7, bx = 8, by = 4, bz = 2;
        int n = nx * ny * nz;
        int[] in = new int[n];
        java.util.Random rnd = new java.util.Random(13);
        for (int i = 0; i < n; i++) in[i] = rnd.nextInt();
        int[] want = new int[n];
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    int i = (z * ny + y) * nx + x;
                    want[i] = x == 2 ? -1 - y % by
                            : 3 * in[i] + x % bx + 100 * (y % by) + 10000 * (z % bz) + 1000000 * (y / by);
                }
            }
        }
        Dim3 grid = new Dim3((nx + bx - 1) / bx, (ny + by - 1) / by, (nz + bz - 1) / bz);
        for (boolean on : new boolean[] {true, false}) {
            for (int workers : new int[] {1, 2}) {
                try (Gpu gpu = gpu(workers, on)) {
                    long din = gpu.upload(in);
                    long dout = gpu.upload(new int[n]);
                    gpu.launch(kernel(gpu, "index3d"), grid, new Dim3(bx, by, bz), 0, nx, ny, nz, din, dout);
                    gpu.sync();
                    assertArrayEquals(want, gpu.ints(dout, n), "rowVecAlign " + on + ", " + workers + " workers");
                }
            }
        }
    }

    @Test
    void storeAtItsLoadIsNotRealigned() throws Exception {
        Assumptions.assumeTrue(RowVec.AVAILABLE, "the JVM has no vector module");
        int n = 1000, block = 100, blocks = n / block;
        float a = -0.75f;
        int[] mem = awkward(n + 5, 70);
        int[] want = mem.clone();
        // x = mem + 5, y = mem + 1: y's lanes start off the vector's alignment, its store at its load's addresses
        for (int i = 0; i < n; i++) want[i + 1] = canon(Math.fma(a, f(mem[i + 5]), f(mem[i + 1])));
        try (Gpu gpu = gpu(1, true)) {
            long d = gpu.upload(mem);
            gpu.launch(kernel(gpu, "saxpy"), blocks, block, n, a, d + 20, d + 4);
            gpu.sync();
            assertArrayEquals(want, gpu.ints(d, n + 5));
            assertTrue(gpu.device.rowVecs.sum() > 0);
            assertEquals(0, gpu.device.rowVecAligns.sum());
        }
    }

    @Test
    void faultWithRealignedLoopsIsTheFaultWithout() throws Exception {
        // rows of 150 lanes (their stores off the vectors' alignment); the input a row and a bit short
        int nx = 150, ny = 24, bx = 15, by = 8, missing = 160;
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
                r[c] = new Object[] {e.result(), m, gpu.floats(dout, nx * ny), gpu.device.rowVecAligns.sum()};
            }
        }
        assertEquals(r[1][0], r[0][0]);
        assertEquals(r[1][1], r[0][1]);
        assertArrayEquals((float[]) r[1][2], (float[]) r[0][2]);
        if (RowVec.AVAILABLE) assertTrue((long) r[0][3] > 0, "loops realigned before the fault");
        assertEquals(0L, r[1][3]);
    }
}
