package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.Dim3;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;

/**
 * The lockstep engine's 32-bit shared stores made with one copy per row of threads ({@link SharedCopy}, off with
 * {@code -Dtranscuda.cpu.sharedCopy=false}): f32 bit patterns (NaN payloads, signalling NaNs, -0.0, infinities)
 * through shared memory and back bit for bit, in whole blocks of several sizes; u32 into a two-dimensional shared
 * array whose rows are longer than the block's (the words between rows keep their sentinels); a store in an arm over
 * the threads {@code t < m}; a global load in the same loop that faults (the fault at its block, thread and
 * instruction). The expected values are the inputs' bits placed by a Java model of the kernel; the number of copies
 * is counted from the kernels' structure (0 with the switch off, so these tests fail then). Kernels: {@code
 * src/test/resources/kernels/sharedcopy.cu}.
 */
class SharedCopyTest {
    private static BackendFunction kernel(Gpu gpu, String name) throws Exception {
        return SchedulingTest.kernel(gpu, "sharedcopy.ptx", name);
    }

    private static Gpu gpu() throws BackendException {
        Gpu g = new Gpu(2);
        g.device.engine(CpuDevice.Engine.LOCKSTEP);
        return g;
    }

    /** Input bits: NaNs with payloads (quiet and signalling, both signs), infinities, zeros, ordinary values. */
    private static int bits(int i) {
        return switch (i % 9) {
            case 0 -> 0x7fc00123;
            case 1 -> 0xff800005;
            case 2 -> 0x7f800001;
            case 3 -> 0x80000000;
            case 4 -> 0x7f800000;
            case 5 -> 0xffc0beef;
            default -> Float.floatToRawIntBits((i % 97 - 48) * 0.37f);
        };
    }

    @Test
    void f32BitsThroughSharedMemory() throws Exception {
        for (int nt : new int[] {256, 96, 33, 1}) {
            int grid = 5, n = grid * nt, rot = nt > 1 ? 7 % nt : 0;
            try (Gpu gpu = gpu()) {
                int[] in = new int[n];
                for (int i = 0; i < n; i++) in[i] = bits(i * 5 + nt);
                long din = gpu.upload(in), dout = gpu.alloc(4L * n);
                gpu.launch(kernel(gpu, "put_f32"), grid, nt, din, dout, rot);
                gpu.sync();
                int[] out = gpu.ints(dout, n);
                for (int b = 0; b < grid; b++) {
                    for (int t = 0; t < nt; t++) {
                        int want = in[b * nt + (t + rot) % nt];
                        assertEquals(want, out[b * nt + t], "block of " + nt + ", block " + b + ", thread " + t);
                    }
                }
                // one row of threads per block
                assertEquals(grid, gpu.device.sharedCopies.sum(), "copies, block of " + nt);
            }
        }
    }

    @Test
    void u32RowsOfATwoDimensionalArray() throws Exception {
        int[][] blocks = {{32, 8}, {16, 4}, {5, 3}, {1, 8}};
        for (int[] d : blocks) {
            int nx = d[0], ny = d[1], nt = nx * ny, grid = 3;
            try (Gpu gpu = gpu()) {
                int[] in = new int[grid * nt];
                for (int i = 0; i < in.length; i++) in[i] = bits(i) ^ (i << 3);
                long din = gpu.upload(in), dout = gpu.alloc(4L * grid * 256);
                gpu.launch(kernel(gpu, "put_2d"), Dim3.of(grid), new Dim3(nx, ny, 1), 0, din, dout);
                gpu.sync();
                int[] out = gpu.ints(dout, grid * 256);
                for (int b = 0; b < grid; b++) {
                    int[] s = new int[256];
                    java.util.Arrays.fill(s, 0xdeadbeef);
                    for (int ty = 0; ty < ny; ty++) {
                        for (int tx = 0; tx < nx; tx++) s[ty * 32 + tx] = in[b * nt + ty * nx + tx];
                    }
                    for (int k = 0; k < 256; k++) {
                        assertEquals(s[k], out[b * 256 + k], nx + "x" + ny + ", block " + b + ", word " + k);
                    }
                }
                // one copy per row of threads and block
                assertEquals((long) grid * ny, gpu.device.sharedCopies.sum(), "copies, " + nx + "x" + ny);
            }
        }
    }

    @Test
    void storeInAnArmOverAThreadRange() throws Exception {
        int nt = 256, grid = 4;
        for (int m : new int[] {0, 1, 100, 255, 256, 1000}) {
            try (Gpu gpu = gpu()) {
                int[] in = new int[grid * nt];
                for (int i = 0; i < in.length; i++) in[i] = bits(i + m);
                long din = gpu.upload(in), dout = gpu.alloc(4L * grid * nt);
                gpu.launch(kernel(gpu, "put_arm"), grid, nt, din, dout, m);
                gpu.sync();
                int[] out = gpu.ints(dout, grid * nt);
                for (int i = 0; i < in.length; i++) {
                    int want = i % nt < m ? in[i] : Float.floatToRawIntBits(-7.0f);
                    assertEquals(want, out[i], "m " + m + ", element " + i);
                }
                // the arm's loop runs in every block where some thread takes it (m = 0: an empty range, not asked)
                if (m > 0) assertEquals(grid, gpu.device.sharedCopies.sum(), "copies, m " + m);
            }
        }
    }

    @Test
    void faultOfALoadInTheStoresLoop() throws Exception {
        int nt = 128, grid = 3, n = grid * nt;
        int[] in = new int[n];
        for (int i = 0; i < n; i++) in[i] = Float.floatToRawIntBits(i * 0.5f);
        try (Gpu gpu = gpu()) {
            long din = gpu.upload(in), dout = gpu.alloc(4L * n);
            gpu.launch(kernel(gpu, "put_fault"), grid, nt, din, dout, 0);
            gpu.sync();
            float[] out = gpu.floats(dout, n);
            for (int b = 0; b < grid; b++) {
                for (int t = 0; t < nt; t++) {
                    float want = Float.intBitsToFloat(in[b * nt + (t + 1) % nt]) + Float.intBitsToFloat(in[b * nt + t]);
                    assertEquals(want, out[b * nt + t], "block " + b + ", thread " + t);
                }
            }
            assertEquals(grid, gpu.device.sharedCopies.sum(), "copies");
        }
        try (Gpu gpu = gpu()) {
            long din = gpu.upload(in), dout = gpu.alloc(4L * n);
            // in[b + t + off]: thread t of block 2 reads element n + t - 97, past the data from thread 97 on
            int off = n - (2 * nt + 97);
            gpu.launch(kernel(gpu, "put_fault"), grid, nt, din, dout, off);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result());
            assertTrue(e.getMessage().contains("block (2,0,0), thread (97,0,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("ld.global"), e.getMessage());
        }
    }
}
