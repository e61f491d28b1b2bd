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
 * Grid-row launches claim an eighth of a worker's share of blocks at a time ({@link RowClaims}): saxpy (1-D grid, a
 * partial last block) and the stencil (2-D grid: claims that span several grid rows) bit for bit against Java
 * references (NaN payloads in, the canonical NaN out), one and two workers, on and off; the blocks per claim and the
 * number of claims counted; a fault the same error, message and memory as with the old claims. Kernels:
 * {@code src/test/resources/kernels/gridrows.cu}.
 */
class RowClaimsTest {
    private static final int CANONICAL_NAN = 0x7fffffff;

    private static BackendFunction kernel(Gpu gpu, String name) throws Exception {
        return SchedulingTest.kernel(gpu, "gridrows.ptx", name);
    }

    private static Gpu gpu(int workers, boolean claims) throws BackendException {
        Gpu g = new Gpu(workers);
        g.device.engine(CpuDevice.Engine.THREAD);
        g.device.gridRows = true;
        g.device.rowClaims = claims;
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

    /** The claim rule written out: old = at least min(64, share) and min(one loop of 4096 / blockDim.x blocks, the grid row, share), new = blocks / (8 workers). */
    private static long expectedClaim(long blocks, int workers, int blockX, int gridX, boolean on) {
        long share = blocks / (8L * workers);
        long c = Math.max(1, Math.min(64, share));
        c = Math.max(c, Math.min(Math.min(Math.max(1, 4096 / blockX), gridX), share));
        return on ? Math.max(c, share) : c;
    }

    @Test
    void saxpyInLargeClaimsMatchesJava() throws Exception {
        int block = 128;
        for (int n : new int[] {4096 * block, 4096 * block - 77}) {
            int blocks = (n + block - 1) / block;
            int[] x = awkward(n, 5);
            int[] y = awkward(n, 6);
            float a = -1.75f;
            int[] want = new int[n];
            for (int i = 0; i < n; i++) want[i] = canon(Math.fma(a, f(x[i]), f(y[i])));
            for (boolean on : new boolean[] {true, false}) {
                for (int workers : new int[] {1, 2}) {
                    String what = "n = " + n + ", rowClaims " + on + ", " + workers + " workers";
                    try (Gpu gpu = gpu(workers, on)) {
                        long dx = gpu.upload(x);
                        long dy = gpu.upload(y);
                        gpu.launch(kernel(gpu, "saxpy"), blocks, block, n, a, dx, dy);
                        gpu.sync();
                        assertArrayEquals(want, gpu.ints(dy, n), what);
                        assertEquals(blocks, gpu.device.rowBlocks.sum(), what);
                        long claim = expectedClaim(blocks, workers, block, blocks, on);
                        assertEquals(on ? blocks / (8L * workers) : 64L, claim, what); // the rules differ here
                        assertEquals(claim, gpu.device.lastClaimBlocks, what);
                        assertEquals((blocks + claim - 1) / claim, gpu.device.rowClaimCount.sum(), what);
                    }
                }
            }
        }
    }

    @Test
    void stencilClaimsAcrossGridRowsMatchJava() throws Exception {
        int nx = 203, ny = 1001, bx = 16, by = 4;
        int gx = (nx + bx - 1) / bx, gy = (ny + by - 1) / by;
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
                String what = "rowClaims " + on + ", " + workers + " workers";
                try (Gpu gpu = gpu(workers, on)) {
                    long din = gpu.upload(in);
                    long dout = gpu.upload(new int[nx * ny]);
                    gpu.launch(kernel(gpu, "stencil"), Dim3.of(gx, gy), Dim3.of(bx, by), 0, nx, ny, din, dout);
                    gpu.sync();
                    assertArrayEquals(want, gpu.ints(dout, nx * ny), what);
                    long blocks = (long) gx * gy;
                    long claim = expectedClaim(blocks, workers, bx, gx, on);
                    if (on) assertTrue(claim > 2L * gx, what + ": a claim spans grid rows"); // 3250 blocks, rows of 13
                    assertEquals(claim, gpu.device.lastClaimBlocks, what);
                    assertEquals((blocks + claim - 1) / claim, gpu.device.rowClaimCount.sum(), what);
                    assertEquals(blocks, gpu.device.rowBlocks.sum(), what);
                }
            }
        }
    }

    @Test
    void faultInLargeClaimsIsTheFaultWithout() throws Exception {
        int nx = 1600, ny = 240, bx = 16, by = 8, missing = 37;
        Object[][] r = new Object[2][];
        for (int c = 0; c < 2; c++) {
            try (Gpu gpu = gpu(1, c == 0)) {
                float[] in = new float[nx * ny - missing];
                for (int i = 0; i < in.length; i++) in[i] = i * 0.5f - 300;
                long din = gpu.upload(in);
                long dout = gpu.upload(new float[nx * ny]);
                gpu.launch(kernel(gpu, "scale2d"), Dim3.of(nx / bx, ny / by), Dim3.of(bx, by), 0, nx, ny, din, dout);
                BackendException e = assertThrows(BackendException.class, gpu::sync);
                String m = e.getMessage().replaceFirst("0x[0-9a-f]+", "ADDR");
                r[c] = new Object[] {e.result(), m, gpu.floats(dout, nx * ny), gpu.device.lastClaimBlocks};
            }
        }
        assertEquals(r[1][0], r[0][0]);
        assertEquals(r[1][1], r[0][1]);
        assertTrue(((String) r[0][1]).contains("block (97,29,0), thread (11,7,0)"), (String) r[0][1]);
        assertArrayEquals((float[]) r[1][2], (float[]) r[0][2]);
        assertEquals(3000L / 8, r[0][3]); // the claims did differ
        assertEquals(100L, r[1][3]); // the old rule: one grid row (100 blocks of 16 lanes in x)
    }
}
