package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.transcuda.cuda.Dim3;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;

/**
 * {@link RowVec}'s loop {@code rK} in the counted form ({@link RowVecLoop}): saxpy and the stencil on lengths that are
 * not whole vectors (also shorter than one vector, exactly one, one more), with NaN payloads, infinities, signed
 * zeros and subnormals, bit for bit against Java references; every {@code rK} call of these f32 kernels counted as
 * the counted form (on one worker exactly the loops run as vectors plus their overlapping last vectors). Kernels:
 * {@code src/test/resources/kernels/gridrows.cu}.
 */
class RowVecLoopTest {
    private static final int CANONICAL_NAN = 0x7fffffff;

    private static BackendFunction kernel(Gpu gpu, String name) throws Exception {
        return SchedulingTest.kernel(gpu, "gridrows.ptx", name);
    }

    private static Gpu gpu(int workers) throws BackendException {
        Gpu g = new Gpu(workers);
        g.device.engine(CpuDevice.Engine.THREAD);
        g.device.gridRows = true;
        g.device.rowVec = true;
        return g;
    }

    private static void assumeForm() {
        Assumptions.assumeTrue(RowVec.AVAILABLE, "the JVM has no vector module");
        Assumptions.assumeTrue(RowVecLoop.ENABLED, "-Dtranscuda.cpu.rowVecLoop=false");
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

    private static void checkCounted(Gpu gpu, int workers, String what) {
        long vecs = gpu.device.rowVecs.sum(), tails = gpu.device.rowVecTails.sum();
        long loops = gpu.device.rowVecLoops.sum();
        assertTrue(vecs > 0, what + ": no loop ran as vectors");
        if (workers == 1) assertEquals(vecs + tails, loops, what + ": rK calls in the counted form");
        else assertTrue(loops >= vecs, what + ": " + loops + " of " + vecs);
    }

    @Test
    void saxpyMatchesJava() throws Exception {
        assumeForm();
        int vl = RowVec.lanes();
        float a = 1.5f;
        // {n, block}: whole vectors, blocks of one vector and one lane, a last partial block; odd lengths
        int[][] shapes = {{64 * vl, vl}, {64 * (vl + 1), vl + 1}, {64 * (2 * vl - 1) + 3, 2 * vl - 1}, {1000, 100},
                {100003, 128},
                {8 * vl * 9 + 5, 96}};
        for (int[] sh : shapes) {
            int n = sh[0], block = sh[1], blocks = (n + block - 1) / block;
            int[] x = awkward(n, n), y = awkward(n, n + 1);
            int[] want = new int[n];
            for (int i = 0; i < n; i++) want[i] = canon(Math.fma(a, f(x[i]), f(y[i])));
            for (int workers : new int[] {1, 2}) {
                String what = "saxpy n " + n + ", " + workers + " workers";
                try (Gpu gpu = gpu(workers)) {
                    long dx = gpu.upload(x), dy = gpu.upload(y);
                    gpu.launch(kernel(gpu, "saxpy"), blocks, block, n, a, dx, dy);
                    gpu.sync();
                    assertArrayEquals(want, gpu.ints(dy, n), what);
                    checkCounted(gpu, workers, what);
                }
            }
        }
    }

    @Test
    void stencilMatchesJava() throws Exception {
        assumeForm();
        int vl = RowVec.lanes();
        // {nx, ny, bx, by}: interior rows of whole vectors, of whole vectors and a remainder, of 8+ vectors (the
        // unrolled loop) and a remainder
        int[][] shapes = {{2 * vl + 2, 16, vl + 1, 1}, {2 * vl + 6, 17, vl + 3, 1}, {9 * vl + 7, 18, (9 * vl + 7 + 1) / 2, 1},
                {203, 37, 16, 4}, {1030, 9, 103, 3}};
        for (int s = 0; s < shapes.length; s++) {
            int nx = shapes[s][0], ny = shapes[s][1], bx = shapes[s][2], by = shapes[s][3];
            int[] in = awkward(nx * ny, 60 + s);
            int[] want = new int[nx * ny];
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    int i = y * nx + x;
                    if (x == 0 || y == 0 || x == nx - 1 || y == ny - 1) {
                        want[i] = in[i];
                    } else {
                        float sum = f(in[i - 1]) + f(in[i + 1]);
                        sum = sum + f(in[i - nx]);
                        sum = sum + f(in[i + nx]);
                        want[i] = canon(0.25f * sum);
                    }
                }
            }
            for (int workers : new int[] {1, 2}) {
                String what = "stencil " + nx + " x " + ny + ", " + workers + " workers";
                try (Gpu gpu = gpu(workers)) {
                    long din = gpu.upload(in);
                    long dout = gpu.upload(new int[nx * ny]);
                    gpu.launch(kernel(gpu, "stencil"), Dim3.of((nx + bx - 1) / bx, (ny + by - 1) / by),
                            Dim3.of(bx, by), 0, nx, ny, din, dout);
                    gpu.sync();
                    assertArrayEquals(want, gpu.ints(dout, nx * ny), what);
                    checkCounted(gpu, workers, what);
                }
            }
        }
    }
}
