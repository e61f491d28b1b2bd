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
 * Grid-row loops as vectors on device memory ({@link RowVec}): saxpy and the stencil bit for bit against Java
 * references (NaN payloads, infinities, signed zeros, subnormals; the canonical NaN out of the arithmetic, a loaded NaN
 * copied as it is by the stencil's border), loops that end in a partial vector (its lanes in the array form: n = 100003
 * and 300, blocks of 96, nx = 203),
 * one and two workers, the loops counted; {@code x} and {@code y} the same array (a load and a store at the same
 * addresses: still vectors); {@code x} one element before {@code y} (a store that a later lane's load reads: the array
 * form runs, and the result is that of all loads before the stores), one element after (vectors); a fault the same
 * as without. Kernels:
 * {@code src/test/resources/kernels/gridrows.cu}.
 */
class RowVecTest {
    private static final int CANONICAL_NAN = 0x7fffffff;

    private static BackendFunction kernel(Gpu gpu, String name) throws Exception {
        return SchedulingTest.kernel(gpu, "gridrows.ptx", name);
    }

    private static Gpu gpu(int workers, boolean rowVec) throws BackendException {
        Gpu g = new Gpu(workers);
        g.device.engine(CpuDevice.Engine.THREAD);
        g.device.gridRows = true;
        g.device.rowVec = rowVec;
        return g;
    }

    /** f32 values with NaN payloads, infinities, signed zeros, subnormals. */
    private static int[] awkward(int n, long seed) {
        int[] special = {0x7fc01234, 0xffc00001, 0x7f800001, 0x7f800000, 0xff800000, 0, 0x80000000, 1, 0x807fffff};
        java.util.Random rnd = new java.util.Random(seed);
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
            v[i] = i % 13 == 0 ? special[rnd.nextInt(special.length)]
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

    private static void assumeVectors() {
        Assumptions.assumeTrue(RowVec.AVAILABLE, "the JVM has no vector module");
    }

    @Test
    void saxpyAsVectorsMatchesJava() throws Exception {
        assumeVectors();
        for (int block : new int[] {128, 96}) {
            for (int n : new int[] {64 * block, 100_003, 300}) {
                int blocks = (n + block - 1) / block;
                int[] x = awkward(n, 5);
                int[] y = awkward(n, 6);
                float a = -1.75f;
                int[] want = new int[n];
                for (int i = 0; i < n; i++) want[i] = canon(Math.fma(a, f(x[i]), f(y[i])));
                for (boolean on : new boolean[] {true, false}) {
                    for (int workers : new int[] {1, 2}) {
                        String what = "n = " + n + ", block " + block + ", rowVec " + on + ", " + workers + " workers";
                        try (Gpu gpu = gpu(workers, on)) {
                            long dx = gpu.upload(x);
                            long dy = gpu.upload(y);
                            gpu.launch(kernel(gpu, "saxpy"), blocks, block, n, a, dx, dy);
                            gpu.sync();
                            assertArrayEquals(want, gpu.ints(dy, n), what);
                            long loops = gpu.device.rowRuns.sum();
                            assertTrue(loops > 0, what);
                            // loops of at least one vector's lanes as vectors on memory (none when switched off)
                            long vecs = gpu.device.rowVecs.sum();
                            assertTrue(on ? vecs > 0 && vecs <= loops : vecs == 0, what + ": " + vecs + " of " + loops);
                        }
                    }
                }
            }
        }
    }

    @Test
    void stencilAsVectorsMatchesJava() throws Exception {
        assumeVectors();
        for (int[] shape : new int[][] {{203, 37, 16, 4}, {64, 9, 32, 1}}) {
            int nx = shape[0], ny = shape[1], bx = shape[2], by = shape[3];
            int[] in = awkward(nx * ny, 3);
            int[] want = new int[nx * ny];
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    int i = y * nx + x;
                    if (x == 0 || y == 0 || x == nx - 1 || y == ny - 1) {
                        want[i] = in[i]; // copied: a NaN keeps its payload
                    } else {
                        float s = f(in[i - 1]) + f(in[i + 1]);
                        s = s + f(in[i - nx]);
                        s = s + f(in[i + nx]);
                        want[i] = canon(0.25f * s);
                    }
                }
            }
            for (boolean on : new boolean[] {true, false}) {
                for (int workers : new int[] {1, 2}) {
                    String what = nx + " x " + ny + ", rowVec " + on + ", " + workers + " workers";
                    try (Gpu gpu = gpu(workers, on)) {
                        long din = gpu.upload(in);
                        long dout = gpu.upload(new int[nx * ny]);
                        gpu.launch(kernel(gpu, "stencil"), Dim3.of((nx + bx - 1) / bx, (ny + by - 1) / by),
                                Dim3.of(bx, by), 0, nx, ny, din, dout);
                        gpu.sync();
                        assertArrayEquals(want, gpu.ints(dout, nx * ny), what);
                        long loops = gpu.device.rowRuns.sum();
                        assertTrue(loops > 0, what);
                        // the interior loops as vectors (the one-lane border loops are shorter than a vector)
                        long vecs = gpu.device.rowVecs.sum();
                        assertTrue(on ? vecs > 0 && vecs < loops : vecs == 0, what + ": " + vecs + " of " + loops);
                    }
                }
            }
        }
    }

    @Test
    void loadAndStoreAtTheSameAddressesStayVectors() throws Exception {
        assumeVectors();
        int n = 10_007, block = 128, blocks = (n + block - 1) / block;
        int[] y = awkward(n, 9);
        float a = 3.25f;
        int[] want = new int[n];
        for (int i = 0; i < n; i++) want[i] = canon(Math.fma(a, f(y[i]), f(y[i])));
        try (Gpu gpu = gpu(2, true)) {
            long dy = gpu.upload(y);
            gpu.launch(kernel(gpu, "saxpy"), blocks, block, n, a, dy, dy);
            gpu.sync();
            assertArrayEquals(want, gpu.ints(dy, n));
            // every loop but those shorter than a vector (the path's split at n: the last lanes apart)
            long vecs = gpu.device.rowVecs.sum(), loops = gpu.device.rowRuns.sum();
            assertTrue(vecs > 0 && vecs >= loops - 4, vecs + " of " + loops);
        }
    }

    @Test
    void storeSeenByALaterLaneRunsTheArrayForm() throws Exception {
        assumeVectors();
        // x = y - 1 element: lane i loads mem[i] and stores mem[i + 1], which lane i + 1 loads. One worker: the row
        // loops run in lane order; the array form loads every lane of a loop before storing any.
        int n = 1024, block = 128, blocks = n / block;
        int[] mem = awkward(n + 1, 10);
        float a = 0.5f;
        for (boolean on : new boolean[] {true, false}) {
            try (Gpu gpu = gpu(1, on)) {
                long d = gpu.upload(mem);
                gpu.launch(kernel(gpu, "saxpy"), blocks, block, n, a, d, d + 4);
                gpu.sync();
                long loops = gpu.device.rowRuns.sum();
                assertTrue(loops > 0 && n % loops == 0, "rowVec " + on + ": " + loops);
                int len = (int) (n / loops);
                int[] want = mem.clone();
                for (int s = 0; s < n; s += len) {
                    int[] got = new int[len];
                    for (int i = s; i < s + len; i++) got[i - s] = canon(Math.fma(a, f(want[i]), f(want[i + 1])));
                    System.arraycopy(got, 0, want, s + 1, len);
                }
                assertArrayEquals(want, gpu.ints(d, n + 1), "rowVec " + on + ", loops of " + len);
                assertEquals(0, gpu.device.rowVecs.sum(), "rowVec " + on);
            }
        }
        // y = x - 1 element: lane i stores mem[i], which no later lane loads: vectors
        int[] want = mem.clone();
        for (int i = 0; i < n; i++) want[i] = canon(Math.fma(a, f(mem[i + 1]), f(mem[i])));
        try (Gpu gpu = gpu(1, true)) {
            long d = gpu.upload(mem);
            gpu.launch(kernel(gpu, "saxpy"), blocks, block, n, a, d + 4, d);
            gpu.sync();
            assertArrayEquals(want, gpu.ints(d, n + 1));
            assertTrue(gpu.device.rowVecs.sum() > 0);
            assertEquals(gpu.device.rowRuns.sum(), gpu.device.rowVecs.sum());
        }
    }

    @Test
    void faultWithVectorsIsTheFaultWithout() throws Exception {
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
                r[c] = new Object[] {e.result(), m, gpu.floats(dout, nx * ny), gpu.device.rowVecs.sum()};
            }
        }
        assertEquals(r[1][0], r[0][0]);
        assertEquals(r[1][1], r[0][1]);
        assertTrue(((String) r[0][1]).contains("block (7,2,0), thread (11,7,0)"), (String) r[0][1]);
        assertArrayEquals((float[]) r[1][2], (float[]) r[0][2]);
        if (RowVec.AVAILABLE) assertTrue((long) r[0][3] > 0, "loops ran as vectors before the fault");
        assertEquals(0L, r[1][3]);
    }
}
