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
 * {@link BlockRange}: an arm's thread range decided inline when the block's answer is every thread or none, the
 * partial block through {@link SharedAffine#predRange}. suite.ptx's {@code scan_block} ({@code i = 256·ctaid + t < n}
 * asked by its head's guarded load and its guarded {@code out[i] = v}: two inline answers per whole block, none for
 * the partial last block) at several {@code n} (full grids, partial last blocks, {@code n < 256}) on one and two
 * workers against the Java block scan ({@link SuiteScanBlock}); {@code reduce} ({@code i = 512·ctaid + t < n} and
 * {@code i + 256 < n}: blocks wholly inside, straddling, wholly outside {@code n}) with and without {@link InputFuse}
 * against a Java tree of float bits, the inline answers counted from the same closed rule; scan_block reading past a
 * short input faults at the same block, thread and instruction. With {@code -Dtranscuda.cpu.blockRange=false} the
 * counts are 0 and the results the same.
 */
class BlockRangeTest {

    private static long expected(long n) {
        return BlockRange.ENABLED ? n : 0;
    }

    /** Whether the threads {@code [first, first + count)} are all below {@code n} or none is. */
    private static boolean whole(long first, int count, long n) {
        return first + count - 1 < n || first >= n;
    }

    @Test
    void scanBlockBitForBit() throws Exception {
        for (int workers : new int[] {1, 2}) {
            for (int n : new int[] {256 * 6, 256 * 6 - 1, 256 * 5 + 31, 1567, 1569, 512, 256, 255, 200, 77, 5, 1}) {
                try (Gpu gpu = Gpu.lockstep(workers)) {
                    int[] in = new int[n];
                    java.util.Random rnd = new java.util.Random(n * 17L + workers);
                    for (int i = 0; i < n; i++) in[i] = rnd.nextInt();
                    SuiteScanBlock.runAndCheck(gpu, in);
                    int grid = (n + 255) / 256;
                    scanPadded(gpu, in, grid);
                    long inline = 0;
                    for (int b = 0; b < grid; b++) if (whole(b * 256L, 256, n)) inline += 4;  // two launches
                    assertEquals(expected(inline), gpu.device.blockRanges.sum(),
                            "ranges decided inline, scan_block n=" + n + ", " + workers + " workers");
                }
            }
        }
    }

    /**
     * scan_block over {@code in} with its buffers a whole grid long: the input's words past {@code n} are nonzero
     * (a thread past {@code n} that loaded one would change its block's sum) and {@code out}'s words past {@code n}
     * must keep their sentinel (no thread past {@code n} stores).
     */
    private static void scanPadded(Gpu gpu, int[] in, int grid) throws Exception {
        int n = in.length, total = grid * 256;
        int[] padded = java.util.Arrays.copyOf(in, total);
        for (int i = n; i < total; i++) padded[i] = 0x1000 + i;
        int[] sentinel = new int[total];
        java.util.Arrays.fill(sentinel, 0x5a5a5a5a);
        BackendFunction f = gpu.suite("scan_block");
        long din = gpu.upload(padded);
        long dout = gpu.upload(sentinel);
        long dsums = gpu.upload(new int[grid]);
        gpu.launch(f, grid, 256, n, din, dout, dsums);
        gpu.sync();
        int[] out = sentinel.clone();
        int[] sums = new int[grid];
        for (int b = 0; b < grid; b++) {
            int acc = 0;
            for (int t = 0; t < 256; t++) {
                int i = b * 256 + t;
                if (i < n) out[i] = acc += in[i];
            }
            sums[b] = acc;
        }
        assertArrayEquals(out, gpu.ints(dout, total), "padded out, n = " + n);
        assertArrayEquals(sums, gpu.ints(dsums, grid), "padded sums, n = " + n);
    }

    /** Finite values, signed zeros, subnormals, infinities and NaN payloads. */
    private static float[] floats(int count) {
        float[] in = new float[count];
        for (int i = 0; i < count; i++) {
            in[i] = switch (i % 211) {
                case 0 -> Float.intBitsToFloat(0x7fc0_4321);
                case 1 -> Float.POSITIVE_INFINITY;
                case 2 -> -0.0f;
                case 3 -> Float.MIN_VALUE * 3;
                case 4 -> Float.intBitsToFloat(0xffa0_0007);
                default -> (i % 41 - 20) * 0.5f + 0x1p-20f * (i % 13);
            };
        }
        return in;
    }

    /**
     * With {@link InputFuse} its entry asks both questions first; where it does not run the block (a partial block,
     * or a worker's first block of the launch: its thread-constant bits not yet set) the segments ask them again.
     */
    @Test
    void reduceBitForBit() throws Exception {
        reduce(InputFuse.ENABLED);
    }

    @Test
    void reduceWithoutInputFuse() throws Exception {
        InputFuse.offForTests = true;
        try {
            reduce(false);
        } finally {
            InputFuse.offForTests = false;
        }
    }

    private void reduce(boolean fused) throws Exception {
        int grid = 7;
        for (int workers : new int[] {1, 2}) {
            try (Gpu gpu = Gpu.lockstep(workers)) {
                BackendFunction f = gpu.suite("reduce");
                float[] in = floats(grid * 512);
                long din = gpu.upload(in);
                long inline = 0, slack = 0;
                for (int n : new int[] {grid * 512, grid * 512 - 1, grid * 512 - 300, grid * 512 - 511,
                        6 * 512 + 100, 1000, 256, 3, 0}) {
                    long dout = gpu.upload(new int[grid]);
                    gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, n, din, dout);
                    gpu.sync();
                    assertArrayEquals(SuiteReduce.reference(in, n, grid), gpu.ints(dout, grid),
                            "reduce n=" + n + ", " + workers + " workers");
                    // per block: i < n over [512b, 512b + 256) and i + 256 < n over [512b + 256, 512b + 512)
                    for (int b = 0; b < grid; b++) {
                        int w = (whole(b * 512L, 256, n) ? 1 : 0) + (whole(b * 512L + 256, 256, n) ? 1 : 0);
                        inline += w;
                        // InputFuse's entry asked first; the segments ask again where it did not run the block
                        if (fused && w < 2) inline += w;
                        // a worker's first block of the launch asks again (one worker: block 0)
                        if (fused && w == 2 && workers == 1 && b == 0) inline += w;
                    }
                    // two workers: each one's first block, which the test cannot name, asks at most twice more
                    if (fused && workers == 2) slack += 2 * workers;
                    long got = gpu.device.blockRanges.sum();
                    String what = "ranges decided inline, reduce n=" + n + ", " + workers + " workers";
                    if (slack == 0) {
                        assertEquals(expected(inline), got, what);
                    } else {
                        assertTrue(got >= expected(inline) && got <= expected(inline + slack), what + ": " + got);
                    }
                }
            }
        }
    }

    /** scan_block with n = 5·256 but an input of 3·256 + 70 words: block 3's load faults at thread 70. */
    @Test
    void shortInputFaultsAsBefore() throws Exception {
        int grid = 5, n = grid * 256;
        try (Gpu gpu = Gpu.lockstep(1)) {
            BackendFunction f = gpu.suite("scan_block");
            long din = gpu.upload(new int[3 * 256 + 70]);
            long dout = gpu.upload(new int[n]);
            long dsums = gpu.upload(new int[grid]);
            gpu.launch(f, grid, 256, n, din, dout, dsums);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result());
            assertTrue(e.getMessage().contains("block (3,0,0), thread (70,0,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("ld.global"), e.getMessage());
            // blocks 0-2 ask twice, block 3 faults in its head after its first (whole-block) answer
            assertEquals(expected(2 * 3 + 1), gpu.device.blockRanges.sum(), "ranges decided inline");
        }
    }
}
