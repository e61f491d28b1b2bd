package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.Dim3;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;

/**
 * Straight-line kernels run a grid row at a time ({@link GridRows}): results against Java references bit for bit
 * (NaN payloads in, NVIDIA's canonical NaN out) for 1D/2D/3D grids whose sizes are not multiples of the block, a
 * row with border blocks, a kernel that reads {@code %ctaid.x} (no rows), and a fault in one block of a row (same
 * error, message and memory as block by block). Kernels: {@code src/test/resources/kernels/gridrows.cu}.
 */
class GridRowsTest {
    /** NVIDIA's canonical f32 NaN (what every f32 arithmetic result that is NaN is on the GPU). */
    private static final int CANONICAL_NAN = 0x7fffffff;

    private static BackendFunction kernel(Gpu gpu, String name) throws Exception {
        return SchedulingTest.kernel(gpu, "gridrows.ptx", name);
    }

    private static Gpu gpu(int workers, boolean rows) throws BackendException {
        Gpu g = new Gpu(workers);
        g.device.engine(CpuDevice.Engine.THREAD);
        g.device.gridRows = rows;
        return g;
    }

    /** f32 values with NaN payloads (quiet, signalling, negative), infinities, signed zeros, subnormals. */
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

    private static int[] stencil(Gpu gpu, int nx, int ny, int bx, int by, int[] in) throws Exception {
        long din = gpu.upload(in);
        long dout = gpu.upload(new int[nx * ny]);
        gpu.launch(kernel(gpu, "stencil"), Dim3.of((nx + bx - 1) / bx, (ny + by - 1) / by), Dim3.of(bx, by), 0, nx,
                ny, din, dout);
        gpu.sync();
        return gpu.ints(dout, nx * ny);
    }

    @Test
    void stencilRowsWithBorderBlocksMatchJava() throws Exception {
        int nx = 203, ny = 37, bx = 16, by = 4;
        int[] in = awkward(nx * ny, 3);
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
        for (int workers : new int[] {1, 2}) {
            try (Gpu gpu = gpu(workers, true)) {
                assertArrayEquals(want, stencil(gpu, nx, ny, bx, by, in), workers + " workers");
                // every block ran in rows: border lanes and rows split off by path, lanes past the data (no
                // stores) skipped, each loop's own accesses inside the data
                int blocks = ((nx + bx - 1) / bx) * ((ny + by - 1) / by);
                assertEquals(blocks, gpu.device.rowBlocks.sum());
                assertEquals(0, gpu.device.vecBlocks.sum());
                assertTrue(gpu.device.rowRuns.sum() > 0);
            }
        }
        try (Gpu gpu = gpu(2, false)) {
            assertArrayEquals(want, stencil(gpu, nx, ny, bx, by, in), "without rows");
            assertEquals(0, gpu.device.rowBlocks.sum());
        }
    }

    @Test
    void saxpyRowsOfAPartialGridMatchJava() throws Exception {
        for (int n : new int[] {64 * 128, 5000, 100_003}) {
            int block = 128;
            int blocks = (n + block - 1) / block;
            int[] x = awkward(n, 5);
            int[] y = awkward(n, 6);
            float a = -1.75f;
            int[] want = new int[n];
            for (int i = 0; i < n; i++) want[i] = canon(Math.fma(a, f(x[i]), f(y[i])));
            try (Gpu gpu = gpu(1, true)) {
                long dx = gpu.upload(x);
                long dy = gpu.upload(y);
                gpu.launch(kernel(gpu, "saxpy"), blocks, block, n, a, dx, dy);
                gpu.sync();
                assertArrayEquals(want, gpu.ints(dy, n), "n = " + n);
                // every block ran in rows, the partial last one's lanes past n (no stores) skipped
                assertEquals(blocks, gpu.device.rowBlocks.sum(), "n = " + n);
            }
        }
    }

    @Test
    void threeDimensionalGridWithThreadIndicesMatchesJava() throws Exception {
        int nx = 45, ny = 13, nz = 7, bx = 8, by = 4, bz = 2;
        int n = nx * ny * nz;
        int[] in = new int[n];
        java.util.Random rnd = new java.util.Random(11);
        for (int i = 0; i < n; i++) in[i] = rnd.nextInt();
        int[] want = GridRowsTest.index3dReference(in, nx, ny, nz, bx, by, bz);
        Dim3 grid = new Dim3((nx + bx - 1) / bx, (ny + by - 1) / by, (nz + bz - 1) / bz);
        for (boolean rows : new boolean[] {true, false}) {
            try (Gpu gpu = gpu(2, rows)) {
                long din = gpu.upload(in);
                long dout = gpu.upload(new int[n]);
                gpu.launch(kernel(gpu, "index3d"), grid, new Dim3(bx, by, bz), 0, nx, ny, nz, din, dout);
                gpu.sync();
                assertArrayEquals(want, gpu.ints(dout, n), "rows " + rows);
                // every block ran in rows (the partial blocks' lanes past the data skipped)
                assertEquals(rows ? (long) grid.x() * grid.y() * grid.z() : 0, gpu.device.rowBlocks.sum(), "rows " + rows);
            }
        }
    }

    @Test
    void blockIndexInTheResultRunsBlockByBlock() throws Exception {
        int n = 3000, block = 64;
        try (Gpu gpu = gpu(2, true)) {
            long dout = gpu.upload(new int[n]);
            gpu.launch(kernel(gpu, "blockIndex"), (n + block - 1) / block, block, n, dout);
            gpu.sync();
            int[] want = new int[n];
            for (int i = 0; i < n; i++) want[i] = i / block * 7 + i % block;
            assertArrayEquals(want, gpu.ints(dout, n));
            assertEquals(n / block, gpu.device.vecBlocks.sum());
            assertEquals(0, gpu.device.rowBlocks.sum());
            assertEquals(0, gpu.device.rowRuns.sum());
        }
    }

    @Test
    void conditionsOnBlockAndThreadIndexSplitTheLanes() throws Exception {
        int n = 1000, block = 32;
        int blocks = (n + block - 1) / block;
        int[] in = new int[n];
        int[] other = new int[n];
        for (int i = 0; i < n; i++) {
            in[i] = i * 7 - 3000;
            other[i] = i * 13 + 5;
        }
        for (String k : new String[] {"blockCond", "blockOnly"}) {
            int[] want = new int[n];
            for (int i = 0; i < n; i++) {
                want[i] = i / block == 3 ? -other[i]
                        : k.equals("blockCond") && i % block == 5 ? 2 * other[i] : in[i] + 1;
            }
            for (int workers : new int[] {1, 2}) {
                try (Gpu gpu = gpu(workers, true)) {
                    long din = gpu.upload(in);
                    long dother = gpu.upload(other);
                    long dout = gpu.upload(new int[n]);
                    gpu.launch(kernel(gpu, k), blocks, block, n, din, dother, dout);
                    gpu.sync();
                    assertArrayEquals(want, gpu.ints(dout, n), k + ", " + workers + " workers");
                    assertEquals(blocks, gpu.device.rowBlocks.sum(), k);
                    // block 3 is a loop of its own
                    assertTrue(gpu.device.rowRuns.sum() >= 2, k + ": loops " + gpu.device.rowRuns.sum());
                }
            }
        }
    }

    /** scale2d over (nx, ny) with {@code in} {@code short} elements too short; the error and the output. */
    private static Object[] faulting(boolean rows, int nx, int ny, int bx, int by, int missing) throws Exception {
        try (Gpu gpu = gpu(1, rows)) {
            float[] in = new float[nx * ny - missing];
            for (int i = 0; i < in.length; i++) in[i] = i * 0.5f - 300;
            long din = gpu.upload(in);
            long dout = gpu.upload(new float[nx * ny]);
            gpu.launch(kernel(gpu, "scale2d"), Dim3.of((nx + bx - 1) / bx, (ny + by - 1) / by), Dim3.of(bx, by), 0,
                    nx, ny, din, dout);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            // the faulting address as an offset from in (the two runs' allocations differ)
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("0x([0-9a-f]+)").matcher(e.getMessage());
            assertTrue(m.find(), e.getMessage());
            String message = m.replaceFirst("in+" + (Long.parseUnsignedLong(m.group(1), 16) - din));
            return new Object[] {e, gpu.floats(dout, nx * ny), gpu.device.rowBlocks.sum(), message};
        }
    }

    @Test
    void faultInOneBlockOfARowIsTheBlockByBlockFault() throws Exception {
        // 160 x 24 cells, 16 x 8 blocks: the last row of blocks is cy = 2; in lacks its last 37 elements, so the
        // first faulting thread in block order is cell (123, 23): block (7, 2), thread (11, 7)
        int nx = 160, ny = 24, bx = 16, by = 8, missing = 37;
        Object[] on = faulting(true, nx, ny, bx, by, missing);
        Object[] off = faulting(false, nx, ny, bx, by, missing);
        BackendException e = (BackendException) on[0];
        assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result());
        assertTrue(e.getMessage().contains("block (7,2,0), thread (11,7,0)"), e.getMessage());
        assertTrue(e.getMessage().contains("ld.global"), e.getMessage());
        assertTrue(((String) on[3]).startsWith("address in+" + 4L * (nx * ny - missing) + " (4 bytes)"),
                (String) on[3]);
        assertEquals(off[3], on[3]);
        assertEquals(((BackendException) off[0]).result(), e.result());
        // the same memory: every block before the faulting one, and the faulting block's threads before (11, 7)
        float[] got = (float[]) on[1];
        assertArrayEquals((float[]) off[1], got);
        int stored = 0;
        for (float v : got) if (v != 0) stored++;
        assertTrue(stored > 2 * nx * by, "stored " + stored);
        assertTrue((long) on[2] > 0, "rows ran before the fault");
        assertEquals(0L, (long) off[2]);
    }

    /** What gridrows.cu's {@code index3d} writes for input {@code in} (the Java reference of the 3-D grid tests). */
    static int[] index3dReference(int[] in, int nx, int ny, int nz, int bx, int by, int bz) {
        int[] want = new int[nx * ny * nz];
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    int i = (z * ny + y) * nx + x;
                    want[i] = x == 2 ? -1 - y % by
                            : 3 * in[i] + x % bx + 100 * (y % by) + 10000 * (z % bz) + 1000000 * (y / by);
                }
            }
        }
        return want;
    }
}
