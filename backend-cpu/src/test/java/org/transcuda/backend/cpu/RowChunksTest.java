package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.transcuda.cuda.Dim3;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;

/**
 * Grid-row loops run in chunks of lanes ({@link RowChunks}): results against Java references bit for bit (NaN
 * payloads in, the canonical NaN out) with chunks of 1, 7, 40 and 512 lanes and none, chunks that start inside a
 * block (blocks of 96 and 128; {@code %tid.x} of a chunk's lanes), a partial last block, block-uniform loads
 * ({@code off[blockIdx.x]}) across chunks, a 3D grid, one and two workers; the chunks counted; a stencil's interior
 * path (loads of one address program) not chunked; a fault the same as without chunks. Kernels:
 * {@code src/test/resources/kernels/gridrows.cu}.
 */
class RowChunksTest {
    private static final int CANONICAL_NAN = 0x7fffffff;

    private static BackendFunction kernel(Gpu gpu, String name) throws Exception {
        return SchedulingTest.kernel(gpu, "gridrows.ptx", name);
    }

    private static Gpu gpu(int workers, int chunk) throws BackendException {
        Gpu g = new Gpu(workers);
        g.device.engine(CpuDevice.Engine.THREAD);
        g.device.gridRows = true;
        g.device.rowChunk = chunk;
        g.device.rowVec = false; // the chunks of the array form (RowVec runs f32 loops without them)
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

    @Test
    void saxpyInChunksMatchesJava() throws Exception {
        for (int block : new int[] {128, 96}) {
            for (int n : new int[] {64 * block, 100_003}) {
                int blocks = (n + block - 1) / block;
                int[] x = awkward(n, 5);
                int[] y = awkward(n, 6);
                float a = -1.75f;
                int[] want = new int[n];
                for (int i = 0; i < n; i++) want[i] = canon(Math.fma(a, f(x[i]), f(y[i])));
                for (int chunk : new int[] {1, 7, 40, 512, 0}) {
                    for (int workers : new int[] {1, 2}) {
                        String what = "n = " + n + ", block " + block + ", chunk " + chunk + ", " + workers + " workers";
                        try (Gpu gpu = gpu(workers, chunk)) {
                            long dx = gpu.upload(x);
                            long dy = gpu.upload(y);
                            gpu.launch(kernel(gpu, "saxpy"), blocks, block, n, a, dx, dy);
                            gpu.sync();
                            assertArrayEquals(want, gpu.ints(dy, n), what);
                            assertEquals(blocks, gpu.device.rowBlocks.sum(), what);
                            long loops = gpu.device.rowRuns.sum();
                            long chunks = gpu.device.rowChunks.sum();
                            // a loop of more lanes than a chunk runs in ceil(lanes / chunk) chunks (one worker: whole
                            // loops of up to 4096 lanes; two split the grid into smaller pieces)
                            if (chunk == 0) assertEquals(0, chunks, what);
                            else if (workers == 1 || chunk <= 40) assertTrue(chunks > loops, what + ": " + chunks);
                        }
                    }
                }
            }
        }
    }

    @Test
    void blockUniformLoadsAcrossChunksMatchJava() throws Exception {
        for (int block : new int[] {96, 256}) {
            int n = 100_003;
            int blocks = (n + block - 1) / block;
            java.util.Random rnd = new java.util.Random(block);
            int[] out = new int[n];
            int[] off = new int[blocks];
            for (int i = 0; i < n; i++) out[i] = rnd.nextInt();
            for (int i = 0; i < blocks; i++) off[i] = rnd.nextInt();
            int[] want = new int[n];
            for (int i = 0; i < n; i++) want[i] = out[i] + off[i / block];
            for (int chunk : new int[] {7, 40, 500}) {
                try (Gpu gpu = gpu(2, chunk)) {
                    long doff = gpu.upload(off);
                    long dout = gpu.upload(out);
                    gpu.launch(kernel(gpu, "blockOffset"), blocks, block, n, doff, dout);
                    gpu.sync();
                    String what = "block " + block + ", chunk " + chunk;
                    assertArrayEquals(want, gpu.ints(dout, n), what);
                    assertTrue(gpu.device.rowChunks.sum() > gpu.device.rowRuns.sum(), what);
                }
            }
        }
    }

    @Test
    void threeDimensionalGridInChunksMatchesJava() throws Exception {
        int nx = 45, ny = 13, nz = 7, bx = 8, by = 4, bz = 2;
        int n = nx * ny * nz;
        int[] in = new int[n];
        java.util.Random rnd = new java.util.Random(11);
        for (int i = 0; i < n; i++) in[i] = rnd.nextInt();
        int[] want = GridRowsTest.index3dReference(in, nx, ny, nz, bx, by, bz);
        Dim3 grid = new Dim3((nx + bx - 1) / bx, (ny + by - 1) / by, (nz + bz - 1) / bz);
        for (int chunk : new int[] {1, 3, 5}) {
            try (Gpu gpu = gpu(2, chunk)) {
                long din = gpu.upload(in);
                long dout = gpu.upload(new int[n]);
                gpu.launch(kernel(gpu, "index3d"), grid, new Dim3(bx, by, bz), 0, nx, ny, nz, din, dout);
                gpu.sync();
                assertArrayEquals(want, gpu.ints(dout, n), "chunk " + chunk);
                assertTrue(gpu.device.rowChunks.sum() > gpu.device.rowRuns.sum(), "chunk " + chunk);
            }
        }
    }

    @Test
    void stencilInteriorIsNotChunkedAndMatchesWithout() throws Exception {
        int nx = 203, ny = 37, bx = 16, by = 4;
        int[] in = awkward(nx * ny, 3);
        int[][] got = new int[2][];
        for (int c = 0; c < 2; c++) {
            try (Gpu gpu = gpu(2, c == 0 ? 5 : 0)) {
                BackendFunction k = kernel(gpu, "stencil");
                long din = gpu.upload(in);
                long dout = gpu.upload(new int[nx * ny]);
                gpu.launch(k, Dim3.of((nx + bx - 1) / bx, (ny + by - 1) / by), Dim3.of(bx, by), 0, nx, ny, din, dout);
                gpu.sync();
                got[c] = gpu.ints(dout, nx * ny);
                if (c == 0) {
                    // the interior path's four loads share in's address program: not chunked; the border copy is
                    boolean[] paths = RowChunks.paths(((CpuFunction) k).kernel);
                    boolean any = false, none = false;
                    for (boolean p : paths) {
                        any |= p;
                        none |= !p;
                    }
                    assertTrue(any && none, java.util.Arrays.toString(paths));
                }
            }
        }
        assertArrayEquals(got[1], got[0]);
        // saxpy's loads read two arrays: chunked
        try (Gpu gpu = gpu(1, 5)) {
            BackendFunction k = kernel(gpu, "saxpy");
            gpu.launch(k, 1, 32, 0, 1f, 0L, 0L);
            gpu.sync();
            for (boolean p : RowChunks.paths(((CpuFunction) k).kernel)) assertTrue(p);
        }
    }

    @Test
    void faultWithChunksIsTheFaultWithout() throws Exception {
        int nx = 160, ny = 24, bx = 16, by = 8, missing = 37;
        Object[][] r = new Object[2][];
        for (int c = 0; c < 2; c++) {
            try (Gpu gpu = gpu(1, c == 0 ? 3 : 0)) {
                float[] in = new float[nx * ny - missing];
                for (int i = 0; i < in.length; i++) in[i] = i * 0.5f - 300;
                long din = gpu.upload(in);
                long dout = gpu.upload(new float[nx * ny]);
                gpu.launch(kernel(gpu, "scale2d"), Dim3.of((nx + bx - 1) / bx, (ny + by - 1) / by), Dim3.of(bx, by),
                        0, nx, ny, din, dout);
                BackendException e = assertThrows(BackendException.class, gpu::sync);
                String m = e.getMessage().replaceFirst("0x[0-9a-f]+", "ADDR");
                r[c] = new Object[] {e.result(), m, gpu.floats(dout, nx * ny), gpu.device.rowChunks.sum()};
            }
        }
        assertEquals(r[1][0], r[0][0]);
        assertTrue(((String) r[0][1]).contains("block (7,2,0), thread (11,7,0)"), (String) r[0][1]);
        assertArrayEquals((float[]) r[1][2], (float[]) r[0][2]);
        assertTrue((long) r[0][3] > 0, "chunks ran before the fault");
        assertFalse((long) r[1][3] > 0);
    }
}
