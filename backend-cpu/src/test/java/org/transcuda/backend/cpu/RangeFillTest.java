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
 * {@link RangeFill}: an if-converted arm over a thread range stores its branch predicate from the range and sets the
 * register its arm overwrites only outside the range. suite.ptx's {@code scan_block} (its {@code %p1 = i >= n} is
 * stored, {@code v = 0} filled outside; one of each per block) at several {@code n} (full grids, partial last blocks,
 * {@code n < 256}) on one and two workers against the Java block scan ({@link SuiteScanBlock}); {@code reduce}
 * ({@code %f33 = 0} filled outside, its predicate not stored: counted 0) against a Java tree of float bits;
 * {@code rangefill_hand.ptx}'s {@code rf_ge} and {@code rf_lt} (the predicate read again after a barrier by a
 * {@code selp}, the loaded register preset to a block-uniform register or a constant, the arm taken on a false or a
 * true predicate, blocks of 256 and 96) against Java, every word; scan_block reading past a short input faults at
 * the same block, thread and instruction. With {@code -Dtranscuda.cpu.rangeFill=false} the counts are 0 and the
 * results the same.
 */
class RangeFillTest {

    private static long expected(long n) {
        return RangeFill.ENABLED ? n : 0;
    }

    @Test
    void scanBlockBitForBit() throws Exception {
        for (int workers : new int[] {1, 2}) {
            for (int n : new int[] {256 * 6, 256 * 6 - 1, 256 * 5 + 31, 1567, 1569, 256, 200, 77, 5}) {
                try (Gpu gpu = Gpu.lockstep(workers)) {
                    int[] in = new int[n];
                    java.util.Random rnd = new java.util.Random(n * 31L + workers);
                    for (int i = 0; i < n; i++) in[i] = rnd.nextInt();
                    SuiteScanBlock.runAndCheck(gpu, in);
                    int grid = (n + 255) / 256;
                    String what = "scan_block n=" + n + ", " + workers + " workers";
                    assertEquals(expected(grid), gpu.device.rangeFillPreds.sum(), "predicates from the range, " + what);
                    assertEquals(expected(grid), gpu.device.rangeFills.sum(), "values filled outside, " + what);
                }
            }
        }
    }

    /** Finite values, signed zeros, subnormals, infinities and NaN payloads. */
    private static float[] floats(int count) {
        float[] in = new float[count];
        for (int i = 0; i < count; i++) {
            in[i] = switch (i % 199) {
                case 0 -> Float.intBitsToFloat(0x7fc0_0123);
                case 1 -> Float.NEGATIVE_INFINITY;
                case 2 -> -0.0f;
                case 3 -> Float.MIN_VALUE * 5;
                case 4 -> Float.intBitsToFloat(0xff80_0005);
                default -> (i % 37 - 18) * 0.25f + 0x1p-21f * (i % 11);
            };
        }
        return in;
    }

    @Test
    void reduceBitForBit() throws Exception {
        // InputFuse would run reduce's whole input phase (ls0 included) as one pass from each worker's second block on
        InputFuse.offForTests = true;
        try {
            reduceWithoutInputFuse();
        } finally {
            InputFuse.offForTests = false;
        }
    }

    private void reduceWithoutInputFuse() throws Exception {
        int grid = 7;
        for (int workers : new int[] {1, 2}) {
            try (Gpu gpu = Gpu.lockstep(workers)) {
                BackendFunction f = gpu.suite("reduce");
                float[] in = floats(grid * 512);
                long din = gpu.upload(in);
                long launches = 0;
                for (int n : new int[] {grid * 512, grid * 512 - 1, grid * 512 - 300, grid * 512 - 511,
                        6 * 512 + 100, 1000, 3}) {
                    long dout = gpu.upload(new int[grid]);
                    gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, n, din, dout);
                    gpu.sync();
                    launches++;
                    assertArrayEquals(SuiteReduce.reference(in, n, grid), gpu.ints(dout, grid),
                            "reduce n=" + n + ", " + workers + " workers");
                    assertEquals(expected(grid * launches), gpu.device.rangeFills.sum(), "reduce's %f33, n=" + n);
                    assertEquals(0, gpu.device.rangeFillPreds.sum(), "reduce's predicate is not stored");
                }
            }
        }
    }

    /** rf_ge / rf_lt: out[i] = i < n ? in[i] : (rf_ge: n, rf_lt: -17); flags[i] = its predicate ? 3 : 5. */
    @Test
    void handKernelsEveryWord() throws Exception {
        for (String name : new String[] {"rf_ge", "rf_lt"}) {
            for (int bs : new int[] {256, 96}) {
                int grid = 5;
                int total = grid * bs;
                for (int workers : new int[] {1, 2}) {
                    try (Gpu gpu = Gpu.lockstep(workers)) {
                        BackendFunction f = SchedulingTest.kernel(gpu, "rangefill_hand.ptx", name);
                        int[] in = new int[total];
                        java.util.Random rnd = new java.util.Random(bs * 7L + workers);
                        for (int i = 0; i < total; i++) in[i] = rnd.nextInt();
                        long din = gpu.upload(in);
                        long launches = 0;
                        for (int n : new int[] {total, total - 1, 3 * bs + 17, 2 * bs, 1, 0}) {
                            int[] junk = new int[total];
                            java.util.Arrays.fill(junk, 0x5a5a5a5a);
                            long out = gpu.upload(junk);
                            long flags = gpu.upload(junk);
                            gpu.launch(f, Dim3.of(grid), Dim3.of(bs), 0, n, din, out, flags);
                            gpu.sync();
                            launches++;
                            int[] wantOut = new int[total];
                            int[] wantFlags = new int[total];
                            for (int i = 0; i < total; i++) {
                                boolean inside = i < n;
                                wantOut[i] = inside ? in[i] : name.equals("rf_ge") ? n : -17;
                                boolean p = name.equals("rf_ge") ? !inside : inside;
                                wantFlags[i] = p ? 3 : 5;
                            }
                            String what = name + " bs=" + bs + " n=" + n + ", " + workers + " workers";
                            assertArrayEquals(wantOut, gpu.ints(out, total), "out, " + what);
                            assertArrayEquals(wantFlags, gpu.ints(flags, total), "flags, " + what);
                            assertEquals(expected(grid * launches), gpu.device.rangeFillPreds.sum(),
                                    "predicates from the range, " + what);
                            assertEquals(expected(grid * launches), gpu.device.rangeFills.sum(),
                                    "values filled outside, " + what);
                        }
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
            assertEquals(expected(4), gpu.device.rangeFillPreds.sum(), "blocks 0-3 took the range");
        }
    }
}
