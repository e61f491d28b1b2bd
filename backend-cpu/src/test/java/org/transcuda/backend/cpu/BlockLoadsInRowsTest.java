package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.transcuda.cuda.CUresult;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;

/**
 * Block-uniform loads in grid rows ({@link GridRows}, {@link VecMem}): {@code out[i] += off[blockIdx.x]} (the
 * suite's scan_add) runs as row loops that load {@code off} once per block, against a Java reference, for sizes that
 * are and are not multiples of the block (a partial last block), with one and two workers; a kernel that reads
 * {@code %ctaid.x} into its result still runs block by block; an {@code off} allocation too short faults at the
 * same block, thread, instruction and memory as block by block. Kernels: {@code src/test/resources/kernels/gridrows.cu}.
 */
class BlockLoadsInRowsTest {
    private static BackendFunction kernel(Gpu gpu, String name) throws Exception {
        return SchedulingTest.kernel(gpu, "gridrows.ptx", name);
    }

    private static Gpu gpu(int workers, boolean rows) throws BackendException {
        Gpu g = new Gpu(workers);
        g.device.engine(CpuDevice.Engine.THREAD);
        g.device.gridRows = rows;
        return g;
    }

    private static int[] random(int n, long seed) {
        java.util.Random rnd = new java.util.Random(seed);
        int[] v = new int[n];
        for (int i = 0; i < n; i++) v[i] = rnd.nextInt();
        return v;
    }

    @Test
    void blockOffsetsInRowsMatchJava() throws Exception {
        for (int block : new int[] {256, 96}) {
            for (int n : new int[] {64 * block, 64 * block + 1, 100_003}) {
                int blocks = (n + block - 1) / block;
                int[] out = random(n, n);
                int[] off = random(blocks, block);
                int[] want = new int[n];
                for (int i = 0; i < n; i++) want[i] = out[i] + off[i / block];
                for (int workers : new int[] {1, 2}) {
                    try (Gpu gpu = gpu(workers, true)) {
                        long doff = gpu.upload(off);
                        long dout = gpu.upload(out);
                        gpu.launch(kernel(gpu, "blockOffset"), blocks, block, n, doff, dout);
                        gpu.sync();
                        String what = "n = " + n + ", block " + block + ", " + workers + " workers";
                        assertArrayEquals(want, gpu.ints(dout, n), what);
                        // every block in rows (the partial last one's lanes past n store nothing)
                        assertEquals(blocks, gpu.device.rowBlocks.sum(), what);
                        assertTrue(gpu.device.rowRuns.sum() > 0, what);
                    }
                }
            }
        }
    }

    @Test
    void blockIndexNextToALoadRunsBlockByBlock() throws Exception {
        int n = 5000, block = 64, k = -37;
        int blocks = (n + block - 1) / block;
        int[] in = random(n, 9);
        int[] want = new int[n];
        for (int i = 0; i < n; i++) want[i] = i / block * k + in[i];
        try (Gpu gpu = gpu(2, true)) {
            long din = gpu.upload(in);
            long dout = gpu.upload(new int[n]);
            gpu.launch(kernel(gpu, "blockScaled"), blocks, block, n, k, din, dout);
            gpu.sync();
            assertArrayEquals(want, gpu.ints(dout, n));
            assertEquals(0, gpu.device.rowBlocks.sum());
        }
    }

    /** blockOffset with {@code off} lacking its last {@code missing} entries: the error, its message, the output. */
    private static Object[] faulting(boolean rows, int n, int block, int missing) throws Exception {
        try (Gpu gpu = gpu(1, rows)) {
            int blocks = (n + block - 1) / block;
            int[] off = random(blocks - missing, 4);
            long doff = gpu.upload(off);
            long dout = gpu.upload(random(n, 5));
            gpu.launch(kernel(gpu, "blockOffset"), blocks, block, n, doff, dout);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("0x([0-9a-f]+)").matcher(e.getMessage());
            assertTrue(m.find(), e.getMessage());
            String message = m.replaceFirst("off+" + (Long.parseUnsignedLong(m.group(1), 16) - doff));
            return new Object[] {e, gpu.ints(dout, n), gpu.device.rowBlocks.sum(), message};
        }
    }

    @Test
    void shortOffsetsFaultAtTheBlockByBlockBlock() throws Exception {
        // 80 blocks of 128 (the last partial); off has 77 entries: block 77's thread 0 is the first to read past it
        int n = 80 * 128 - 50, block = 128, missing = 3;
        Object[] on = faulting(true, n, block, missing);
        Object[] off = faulting(false, n, block, missing);
        BackendException e = (BackendException) on[0];
        assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result());
        assertTrue(e.getMessage().contains("block (77,0,0), thread (0,0,0)"), e.getMessage());
        assertTrue(e.getMessage().contains("ld.global.nc"), e.getMessage());
        assertTrue(((String) on[3]).contains("off+" + 4 * 77), (String) on[3]);
        assertEquals(off[3], on[3]);
        assertEquals(((BackendException) off[0]).result(), e.result());
        assertArrayEquals((int[]) off[1], (int[]) on[1]);
        assertTrue((long) on[2] > 0, "rows ran before the fault");
        assertEquals(0L, (long) off[2]);
    }
}
