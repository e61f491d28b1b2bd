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
 * {@link BlockIndex}: a block's index set without divisions when {@code b < gridDim.x}. gridrows.ptx's {@code index3d}
 * (its result depends on blockIdx.x, .y, .z through x, y, z and {@code 1000000·blockIdx.y}) on 3-D, 2-D and 1-D grids,
 * lockstep and thread engine (grid rows off), 1 and 2 workers, against a Java formula; the fast-path count is the
 * blocks of the grid's first x row (all of a 1-D grid; 0 with {@code -Dtranscuda.cpu.blockIndex=false}); suite.ptx's
 * {@code reduce} (1-D) against {@link SuiteReduce#reference} with every block counted; a fault in a 1-D grid names
 * its block as before.
 */
class BlockIndexTest {

    private static int[] reference(int[] in, int nx, int ny, int nz, Dim3 block) {
        int[] out = new int[nx * ny * nz];
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    int i = (z * ny + y) * nx + x;
                    int tx = x % block.x(), ty = y % block.y(), tz = z % block.z(), by = y / block.y();
                    out[i] = x == 2 ? -1 - ty : 3 * in[i] + tx + 100 * ty + 10000 * tz + 1000000 * by;
                }
            }
        }
        return out;
    }

    @Test
    void index3dMatchesJava() throws Exception {
        int[][] shapes = {{37, 11, 5, 8, 2, 2}, {70, 9, 1, 16, 4, 1}, {1000, 1, 1, 32, 1, 1}, {5, 40, 3, 1, 3, 1}};
        for (int[] sh : shapes) {
            int nx = sh[0], ny = sh[1], nz = sh[2];
            Dim3 block = new Dim3(sh[3], sh[4], sh[5]);
            Dim3 grid = new Dim3((nx + sh[3] - 1) / sh[3], (ny + sh[4] - 1) / sh[4], (nz + sh[5] - 1) / sh[5]);
            int[] in = new int[nx * ny * nz];
            java.util.Random rnd = new java.util.Random(nx * 31L + ny);
            for (int i = 0; i < in.length; i++) in[i] = rnd.nextInt(1 << 20);
            int[] want = reference(in, nx, ny, nz, block);
            for (CpuDevice.Engine engine : new CpuDevice.Engine[] {CpuDevice.Engine.LOCKSTEP, CpuDevice.Engine.THREAD}) {
                for (int workers : new int[] {1, 2}) {
                    String what = nx + "x" + ny + "x" + nz + ", " + engine + ", " + workers + " workers";
                    try (Gpu gpu = new Gpu(workers)) {
                        gpu.device.engine(engine);
                        gpu.device.gridRows = false;
                        BackendFunction f = SchedulingTest.kernel(gpu, "gridrows.ptx", "index3d");
                        long din = gpu.upload(in);
                        long dout = gpu.upload(new int[in.length]);
                        gpu.launch(f, grid, block, 0, nx, ny, nz, din, dout);
                        gpu.sync();
                        assertArrayEquals(want, gpu.ints(dout, in.length), what);
                        long fast = BlockIndex.ENABLED ? grid.x() : 0;
                        assertEquals(fast, gpu.device.blockIndexFast.sum(), what + ": blocks set without divisions");
                    }
                }
            }
        }
    }

    @Test
    void reduceOneDimensionalGridMatchesJava() throws Exception {
        int grid = 777;
        float[] in = new float[grid * 512];
        for (int i = 0; i < in.length; i++) in[i] = i % 97 == 0 ? Float.NaN : (i % 37 - 18) * 0.25f;
        for (int workers : new int[] {1, 2}) {
            try (Gpu gpu = Gpu.lockstep(workers)) {
                BackendFunction f = gpu.suite("reduce");
                long din = gpu.upload(in);
                long dout = gpu.upload(new int[grid]);
                gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, grid * 512 - 99, din, dout);
                gpu.sync();
                assertArrayEquals(SuiteReduce.reference(in, grid * 512 - 99, grid), gpu.ints(dout, grid));
                assertEquals(BlockIndex.ENABLED ? grid : 0, gpu.device.blockIndexFast.sum());
            }
        }
    }

    /** reduce's input 40 floats short: only block 776 of 777 faults, at thread 216's second load. */
    @Test
    void faultNamesItsBlock() throws Exception {
        int grid = 777;
        try (Gpu gpu = Gpu.lockstep(1)) {
            BackendFunction f = gpu.suite("reduce");
            long din = gpu.upload(new float[grid * 512 - 40]);
            long dout = gpu.upload(new int[grid]);
            gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, grid * 512, din, dout);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result());
            assertTrue(e.getMessage().contains("block (776,0,0), thread (216,0,0)"), e.getMessage());
        }
    }
}
