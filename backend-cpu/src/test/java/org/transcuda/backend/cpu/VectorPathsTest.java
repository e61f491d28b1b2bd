package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.transcuda.cuda.Dim3;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;

/**
 * The vector form of path-by-path blocks ({@link VectorPaths}): results against Java references (f32 with NaN
 * payloads, infinities, signed zeros and fma-sensitive inputs, bit for bit with NVIDIA's canonical NaN; f64; 32/64-bit
 * integers), and how many blocks ran the vector form (counted here from the kernels' index ranges): full blocks do,
 * partial last blocks and blocks whose threads take different paths run the thread loop. Kernels:
 * {@code src/test/resources/kernels/vector.cu}.
 */
class VectorPathsTest {
    private static final int CANONICAL_NAN = 0x7fffffff;

    private static BackendFunction kernel(Gpu gpu, String name) throws Exception {
        return SchedulingTest.kernel(gpu, "vector.ptx", name);
    }

    private Gpu gpu(int workers) throws BackendException {
        Gpu g = new Gpu(workers);
        g.device.engine(CpuDevice.Engine.THREAD);
        g.device.gridRows = rows();
        return g;
    }

    private static long vec(Gpu gpu) {
        return gpu.device.vecBlocks.sum();
    }

    /**
     * Whether launches may run grid rows ({@link GridRows}): off here, where the block counters are checked; on in
     * {@link VectorPathsInRowsTest}, which checks the same results with rows.
     */
    boolean rows() {
        return false;
    }

    /** A block counter (path-by-path, vector-form blocks): checked only without rows (rows count apart). */
    private void blocks(long want, long got, String... why) {
        if (!rows()) assertEquals(want, got, why.length > 0 ? why[0] : null);
    }

    private static int bits(float f) {
        return Float.isNaN(f) ? CANONICAL_NAN : Float.floatToRawIntBits(f);
    }

    /** Awkward f32 inputs: NaNs with payloads (quiet, signaling, negative), infinities, zeros, subnormals, extremes. */
    private static final int[] SPECIAL = {0x7fc01234, 0xffc00001, 0x7f800001, 0x7f800000, 0xff800000, 0, 0x80000000,
            1, 0x80000001, 0x007fffff, 0x7f7fffff, 0xff7fffff, 0x3f800000, 0x3f800001, 0x33800000, 0xbf800000};

    @Test
    void f32ArithmeticIsBitExact() throws Exception {
        try (Gpu gpu = gpu(2)) {
            int n = 1000, block = 128;
            float a = 1.0000001f;
            int[] x = new int[n];
            int[] y = new int[n];
            java.util.Random rnd = new java.util.Random(42);
            for (int i = 0; i < n; i++) {
                if (i < SPECIAL.length * SPECIAL.length) {
                    x[i] = SPECIAL[i / SPECIAL.length];
                    y[i] = SPECIAL[i % SPECIAL.length];
                } else if (i % 3 == 0) {
                    // fma-sensitive: y = -(a*x rounded), so a*x + y is the rounding error of the product
                    float xv = 1 + rnd.nextInt(1 << 20) * 0x1p-20f;
                    x[i] = Float.floatToRawIntBits(xv);
                    y[i] = Float.floatToRawIntBits(-(a * xv));
                } else {
                    x[i] = Float.floatToRawIntBits((rnd.nextFloat() - 0.5f) * 1e3f);
                    y[i] = Float.floatToRawIntBits((rnd.nextFloat() - 0.5f) * 1e-3f);
                }
            }
            long dx = gpu.upload(x);
            long dy = gpu.upload(y);
            long out = gpu.alloc(16L * n);
            int grid = (n + block - 1) / block;
            gpu.launch(kernel(gpu, "f32ops"), grid, block, n, a, dx, dy, out);
            gpu.sync();
            int[] want = new int[4 * n];
            for (int i = 0; i < n; i++) {
                float xv = Float.intBitsToFloat(x[i]), yv = Float.intBitsToFloat(y[i]);
                float f = Math.fma(a, xv, yv);
                float m = a * xv + yv;
                want[4 * i] = bits(f);
                want[4 * i + 1] = bits(m);
                want[4 * i + 2] = bits(xv / yv);
                // s = f - m from the canonical values
                want[4 * i + 3] = bits(Float.intBitsToFloat(bits(f)) - Float.intBitsToFloat(bits(m)));
            }
            int[] got = gpu.ints(out, 4 * n);
            for (int i = 0; i < 4 * n; i++) {
                if (want[i] != got[i]) {
                    throw new AssertionError("element " + i + " (op " + i % 4 + ", x=0x" + Integer.toHexString(x[i / 4])
                            + ", y=0x" + Integer.toHexString(y[i / 4]) + "): want 0x" + Integer.toHexString(want[i])
                            + ", got 0x" + Integer.toHexString(got[i]));
                }
            }
            // fma really differs from mul + add on these inputs (the test can tell them apart)
            int differ = 0;
            for (int i = SPECIAL.length * SPECIAL.length; i < n; i++) if (want[4 * i] != want[4 * i + 1]) differ++;
            assertTrue(differ > 100, "fma-sensitive inputs: " + differ);
            // 7 full blocks in the vector form; the last one (threads past n skip) runs the thread loop
            blocks(7, vec(gpu));
            blocks(7, gpu.device.pathBlocks.sum());
        }
    }

    @Test
    void rawNaNIsNeverObservedInAFusedLoop() throws Exception {
        try (Gpu gpu = gpu(2)) {
            int n = 2 * 128;
            int[] x = new int[n];
            int[] y = new int[n];
            for (int i = 0; i < n; i++) {
                x[i] = SPECIAL[i % SPECIAL.length];
                y[i] = SPECIAL[(i / SPECIAL.length) % SPECIAL.length];
            }
            long dx = gpu.upload(x);
            long dy = gpu.upload(y);
            long bits = gpu.alloc(4L * n);
            long out = gpu.alloc(4L * n);
            gpu.launch(kernel(gpu, "nanbits"), 2, 128, dx, dy, bits, out);
            gpu.sync();
            int[] wantBits = new int[n];
            int[] wantOut = new int[n];
            for (int i = 0; i < n; i++) {
                float xv = Float.intBitsToFloat(x[i]), yv = Float.intBitsToFloat(y[i]);
                float s = Float.intBitsToFloat(bits(xv + yv));
                float p = Float.intBitsToFloat(bits(s * yv));
                wantBits[i] = bits(s) ^ 1;
                wantOut[i] = bits(p - s);
            }
            assertArrayEquals(wantBits, gpu.ints(bits, n));
            assertArrayEquals(wantOut, gpu.ints(out, n));
            blocks(2, vec(gpu));
        }
    }

    @Test
    void f64ArithmeticAndConversions() throws Exception {
        try (Gpu gpu = gpu(2)) {
            int n = 512;
            double a = -1.0000000000000002;
            double[] x = new double[n];
            for (int i = 0; i < n; i++) x[i] = i == 7 ? 2.5 : i == 9 ? Double.POSITIVE_INFINITY : (i - 200) * 0.37 + 1e-9 * i;
            long dx = gpu.upload(x);
            long out = gpu.alloc(8L * n);
            long outf = gpu.alloc(4L * n);
            long outi = gpu.alloc(4L * n);
            gpu.launch(kernel(gpu, "f64ops"), n / 64, 64, n, a, dx, out, outf, outi);
            gpu.sync();
            double[] want = new double[n];
            float[] wantF = new float[n];
            int[] wantI = new int[n];
            for (int i = 0; i < n; i++) {
                double f = Math.fma(a, x[i], 1.0 / 3.0);
                want[i] = f / (x[i] - 2.5);
                wantF[i] = (float) f;
                wantI[i] = (int) x[i];
            }
            assertArrayEquals(want, gpu.doubles(out, n));
            assertArrayEquals(wantF, gpu.floats(outf, n));
            assertArrayEquals(wantI, gpu.ints(outi, n));
            blocks(n / 64, vec(gpu));
        }
    }

    @Test
    void integerArithmetic() throws Exception {
        try (Gpu gpu = gpu(2)) {
            int block = 96, grid = 5, n = block * grid;
            int[] in = new int[n];
            java.util.Random rnd = new java.util.Random(7);
            for (int i = 0; i < n; i++) in[i] = i < 4 ? new int[] {Integer.MIN_VALUE, Integer.MAX_VALUE, -1, 0}[i] : rnd.nextInt();
            long din = gpu.upload(in);
            long out = gpu.alloc(4L * n);
            long wide = gpu.alloc(8L * n);
            gpu.launch(kernel(gpu, "intops"), grid, block, din, out, wide);
            gpu.sync();
            int[] want = new int[n];
            long[] wantWide = new long[n];
            for (int i = 0; i < n; i++) {
                int v = in[i], tid = i % block;
                want[i] = (v * 3) ^ (v >> 2) ^ ((v >>> 5) + tid - v / 7 + v % 5);
                wantWide[i] = (long) v * 1000003L + ((long) i << 33) - i / block;
            }
            assertArrayEquals(want, gpu.ints(out, n));
            assertArrayEquals(wantWide, gpu.longs(wide, n));
            blocks(grid, vec(gpu));
        }
    }

    @Test
    void blocksWhoseThreadsTakeDifferentPaths() throws Exception {
        int block = 64, grid = 4, n = block * grid;
        int[] a = new int[n];
        int[] b = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i * 13 - 999;
            b[i] = i * i - 5;
        }
        for (int k : new int[] {0, 20, 64}) {
            try (Gpu gpu = gpu(2)) {
                long da = gpu.upload(a);
                long db = gpu.upload(b);
                long lo = gpu.upload(new int[2048]);
                long hi = gpu.upload(new int[2048]);
                gpu.launch(kernel(gpu, "twopaths"), grid, block, k, da, db, lo, hi);
                gpu.sync();
                int[] wantLo = new int[2048];
                int[] wantHi = new int[2048];
                for (int i = 0; i < n; i++) {
                    if (i % block < k) {
                        wantLo[i] = a[i] * 2;
                        wantLo[i + 1024] = a[i] - 3;
                    } else {
                        wantHi[i] = b[i] + 7;
                        wantHi[i + 1024] = b[i] ^ 5;
                    }
                }
                assertArrayEquals(wantLo, gpu.ints(lo, 2048), "k=" + k);
                assertArrayEquals(wantHi, gpu.ints(hi, 2048), "k=" + k);
                // k = 0 or 64: every block takes one path (the vector form of either); k = 20: they all diverge
                long expect = k == 20 ? 0 : grid;
                blocks(expect, vec(gpu), "k=" + k);
                blocks(expect, gpu.device.pathBlocks.sum(), "k=" + k);
            }
        }
    }

    @Test
    void threeDimensionalBlocksWithRowsApart() throws Exception {
        int nx = 32, ny = 8, nz = 6;
        Dim3 block = new Dim3(8, 4, 2);
        try (Gpu gpu = gpu(2)) {
            float[] in = new float[nx * ny * nz];
            for (int i = 0; i < in.length; i++) in[i] = i * 0.5f - 77;
            long din = gpu.upload(in);
            long out = gpu.alloc(4L * in.length);
            Dim3 grid = new Dim3(nx / 8, ny / 4, nz / 2);
            gpu.launch(kernel(gpu, "volume"), grid, block, 0, nx, ny, din, out);
            gpu.sync();
            float[] want = new float[in.length];
            for (int i = 0; i < in.length; i++) want[i] = in[i] * 2.0f + (float) (i / (nx * ny));
            assertArrayEquals(want, gpu.floats(out, in.length));
            blocks((nx / 8) * (ny / 4) * (nz / 2), vec(gpu));
        }
    }

    @Test
    void stridedGatherAndScatter() throws Exception {
        try (Gpu gpu = gpu(1)) {
            int n = 3 * 128;
            float[] in = new float[2 * n];
            for (int i = 0; i < in.length; i++) in[i] = i * i * 0.125f;
            long din = gpu.upload(in);
            float[] init = new float[2 * n];
            java.util.Arrays.fill(init, -1f);
            long out = gpu.upload(init);
            gpu.launch(kernel(gpu, "strided"), 3, 128, din, out);
            gpu.sync();
            float[] want = init.clone();
            for (int i = 0; i < n; i++) want[2 * i + 1] = in[2 * i] - in[2 * i + 1];
            assertArrayEquals(want, gpu.floats(out, 2 * n));
            blocks(3, vec(gpu));
        }
    }

    @Test
    void aThreadReadsItsOwnStoreInOrder() throws Exception {
        try (Gpu gpu = gpu(2)) {
            int n = 4 * 64;
            float[] in = new float[n];
            for (int i = 0; i < n; i++) in[i] = i - 100.5f;
            long din = gpu.upload(in);
            long buf = gpu.alloc(4L * n);
            long res = gpu.alloc(4L * n);
            // out aliases buf: each thread stores in+1, then in*4 to the same word, then reads it back
            gpu.launch(kernel(gpu, "ownorder"), 4, 64, din, buf, buf, res);
            gpu.sync();
            float[] want = new float[n];
            float[] wantBuf = new float[n];
            for (int i = 0; i < n; i++) {
                wantBuf[i] = in[i] * 4.0f;
                want[i] = wantBuf[i] * 3.0f;
            }
            assertArrayEquals(wantBuf, gpu.floats(buf, n));
            assertArrayEquals(want, gpu.floats(res, n));
            blocks(4, vec(gpu));
        }
    }

    @Test
    void uniformStoreValue() throws Exception {
        try (Gpu gpu = gpu(2)) {
            long out = gpu.alloc(4L * 256);
            gpu.launch(kernel(gpu, "fill"), 2, 128, Float.intBitsToFloat(0x7fc01234), out);
            gpu.sync();
            int[] want = new int[256];
            // a store copies the value's bits (no arithmetic: the NaN payload stays)
            java.util.Arrays.fill(want, 0x7fc01234);
            assertArrayEquals(want, gpu.ints(out, 256));
            blocks(2, gpu.device.pathBlocks.sum());
            blocks(2, vec(gpu));
        }
    }

    @Test
    void byteLoadsRunTheScalarPath() throws Exception {
        try (Gpu gpu = gpu(2)) {
            int n = 256;
            int[] words = new int[n / 4];
            for (int i = 0; i < words.length; i++) words[i] = 0x01020304 * (i + 1) ^ 0x80f07f00;
            long din = gpu.upload(words);
            long out = gpu.alloc(4L * n);
            gpu.launch(kernel(gpu, "bytes"), 2, 128, din, out);
            gpu.sync();
            int[] want = new int[n];
            for (int i = 0; i < n; i++) want[i] = ((words[i / 4] >>> (8 * (i % 4))) & 0xff) + 1;
            assertArrayEquals(want, gpu.ints(out, n));
            blocks(2, gpu.device.pathBlocks.sum());
            blocks(0, vec(gpu));
        }
    }
}
