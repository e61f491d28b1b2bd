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
 * A vector loop's last lanes as one more vector that overlaps the one before it ({@link RowVecTail}): the stencil on
 * grids whose rows end in a partial vector, fill whole vectors, or are shorter than one vector, bit for bit against a
 * Java reference (NaN payloads, infinities, signed zeros, subnormals), one and two workers, on and off, the loops
 * that ran so counted (per row on one worker: exactly the rows whose loop has a whole vector and a remainder); saxpy,
 * whose store meets its loads (the same addresses, or shifted by one element), keeps the array form for its last
 * lanes and matches Java; a fault the same with and without. Kernels: {@code src/test/resources/kernels/gridrows.cu}.
 */
class RowVecTailTest {
    private static final int CANONICAL_NAN = 0x7fffffff;

    private static BackendFunction kernel(Gpu gpu, String name) throws Exception {
        return SchedulingTest.kernel(gpu, "gridrows.ptx", name);
    }

    private static Gpu gpu(int workers, boolean tail) throws BackendException {
        Gpu g = new Gpu(workers);
        g.device.engine(CpuDevice.Engine.THREAD);
        g.device.gridRows = true;
        g.device.rowVec = true;
        g.device.rowVecTail = tail;
        return g;
    }

    /** f32 values with NaN payloads, infinities, signed zeros, subnormals. */
    private static int[] awkward(int n, long seed) {
        int[] special = {0x7fc01234, 0xffc00001, 0x7f800001, 0x7f800000, 0xff800000, 0, 0x80000000, 1, 0x807fffff};
        java.util.Random rnd = new java.util.Random(seed);
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
            v[i] = i % 11 == 0 ? special[rnd.nextInt(special.length)]
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

    /** Whether a loop of {@code n} lanes has a whole vector and a remainder. */
    private static boolean tailed(int n) {
        int vl = RowVec.lanes();
        return n > vl && n % vl != 0;
    }

    @Test
    void stencilTailsMatchJava() throws Exception {
        Assumptions.assumeTrue(RowVec.AVAILABLE, "the JVM has no vector module");
        int vl = RowVec.lanes();
        // {nx, ny, bx, by}, one block row's width per grid row (ncx = 2): rows of 2 vectors and a remainder, of whole
        // vectors inside (nx - 2 = 2 vl) with the border rows' remainder, of one vector and one lane, shorter than a
        // vector; and a wider grid whose rows are cut where their paths differ
        // (blocks of one thread row and at least 16 block rows: one worker's chunks are whole rows, Launch.runGrid)
        int[][] shapes = {{2 * vl + 6, 17, vl + 3, 1}, {2 * vl + 2, 16, vl + 1, 1}, {vl + 3, 16, (vl + 3 + 1) / 2, 1},
                {vl - 2, 16, vl / 2 - 1, 1}, {203, 37, 16, 4}};
        for (int s = 0; s < shapes.length; s++) {
            int nx = shapes[s][0], ny = shapes[s][1], bx = shapes[s][2], by = shapes[s][3];
            int[] in = awkward(nx * ny, 40 + s);
            int[] want = stencil(in, nx, ny);
            // one worker, grid exactly two blocks wide: one loop per row (border rows nx lanes, interior nx - 2)
            long rowsTailed = 0;
            for (int y = 0; y < ny; y++) rowsTailed += tailed(y == 0 || y == ny - 1 ? nx : nx - 2) ? 1 : 0;
            boolean exact = nx == 2 * bx && by == 1 && ny >= 16;
            for (boolean on : new boolean[] {true, false}) {
                for (int workers : new int[] {1, 2}) {
                    String what = nx + " x " + ny + ", rowVecTail " + on + ", " + workers + " workers";
                    try (Gpu gpu = gpu(workers, on)) {
                        long din = gpu.upload(in);
                        long dout = gpu.upload(new int[nx * ny]);
                        gpu.launch(kernel(gpu, "stencil"), Dim3.of((nx + bx - 1) / bx, (ny + by - 1) / by),
                                Dim3.of(bx, by), 0, nx, ny, din, dout);
                        gpu.sync();
                        assertArrayEquals(want, gpu.ints(dout, nx * ny), what);
                        long tails = gpu.device.rowVecTails.sum(), vecs = gpu.device.rowVecs.sum();
                        assertTrue(tails <= vecs, what + ": " + tails + " of " + vecs);
                        if (!on) {
                            assertEquals(0, tails, what);
                        } else if (exact && workers == 1) {
                            assertEquals(rowsTailed, tails, what);
                        } else if (exact) {
                            assertTrue(rowsTailed == 0 ? tails == 0 : tails > 0, what + ": " + tails);
                        } else {
                            assertTrue(tails > 0, what);
                        }
                    }
                }
            }
        }
    }

    @Test
    void storeThatMeetsALoadKeepsTheArrayForm() throws Exception {
        Assumptions.assumeTrue(RowVec.AVAILABLE, "the JVM has no vector module");
        int n = 1000, block = 100, blocks = n / block; // one loop of 1000 lanes: whole vectors and a remainder
        assertTrue(tailed(n));
        float a = -0.75f;
        int[] x = awkward(n, 50), y = awkward(n, 51);
        // y = a x + y, x and y apart: y's store at its load's addresses
        int[] want = new int[n];
        for (int i = 0; i < n; i++) want[i] = canon(Math.fma(a, f(x[i]), f(y[i])));
        try (Gpu gpu = gpu(1, true)) {
            long dx = gpu.upload(x), dy = gpu.upload(y);
            gpu.launch(kernel(gpu, "saxpy"), blocks, block, n, a, dx, dy);
            gpu.sync();
            assertArrayEquals(want, gpu.ints(dy, n));
            assertTrue(gpu.device.rowVecs.sum() > 0);
            assertEquals(0, gpu.device.rowVecTails.sum());
        }
        // y one element before x: lane i loads mem[i + 1] and mem[i], stores mem[i] (no later lane reads it: vectors)
        int[] mem = awkward(n + 1, 52);
        int[] want2 = mem.clone();
        for (int i = 0; i < n; i++) want2[i] = canon(Math.fma(a, f(mem[i + 1]), f(mem[i])));
        try (Gpu gpu = gpu(1, true)) {
            long d = gpu.upload(mem);
            gpu.launch(kernel(gpu, "saxpy"), blocks, block, n, a, d + 4, d);
            gpu.sync();
            assertArrayEquals(want2, gpu.ints(d, n + 1));
            assertTrue(gpu.device.rowVecs.sum() > 0);
            assertEquals(0, gpu.device.rowVecTails.sum());
        }
    }

    @Test
    void faultWithTailsIsTheFaultWithout() throws Exception {
        // rows of 150 lanes (not whole vectors); the input one row and a bit short: the last block row faults
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
                r[c] = new Object[] {e.result(), m, gpu.floats(dout, nx * ny), gpu.device.rowVecTails.sum()};
            }
        }
        assertEquals(r[1][0], r[0][0]);
        assertEquals(r[1][1], r[0][1]);
        assertArrayEquals((float[]) r[1][2], (float[]) r[0][2]);
        if (RowVec.AVAILABLE) assertTrue((long) r[0][3] > 0, "loops ran with an overlapping last vector before it");
        assertEquals(0L, r[1][3]);
    }
}
