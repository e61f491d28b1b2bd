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
 * Per-thread registers affine in {@code tid.x} with a block-uniform base left without their arrays
 * ({@link AffineRegs}): suite.ptx's {@code reduce} ({@code %r3 = (ctaid << 9) + tid}) and {@code scan_block}
 * ({@code %r3 = (ctaid << 8) + tid}) at several {@code n} (partial last blocks, {@code n} not a multiple of the
 * block), bit for bit against Java references computed here, one register counted per kernel
 * ({@link AffineRegs#SKIPPED}); a kernel that stores the register's value ({@code aff_store} of
 * {@code affineregs_hand.ptx}: the store copies from the array, so it is kept, counted 0), also faulting past a short
 * output at the same block, thread and instruction; one that stores an xor of it and, after a barrier, {@code n - i}
 * ({@code aff_xor}: readers that are not address sites compute the value, counted 1); a kernel whose constant-source shuffle reads the register's
 * array ({@code aff_shfl}): materialized as before (counted 0), results the same; reduce reading past a short input:
 * the same fault. With {@code -Dtranscuda.cpu.affineRegs=false} every count is 0 and the results the same.
 */
class AffineRegsTest {

    private static int expectedCount(int n) {
        return AffineRegs.ENABLED ? n : 0;
    }

    /** Finite values, signed zeros, subnormals, infinities and NaN payloads. */
    private static float[] input(int count) {
        float[] in = new float[count];
        for (int i = 0; i < count; i++) {
            in[i] = switch (i % 211) {
                case 0 -> Float.intBitsToFloat(0x7fc0_0abc);
                case 1 -> Float.POSITIVE_INFINITY;
                case 2 -> -0.0f;
                case 3 -> Float.MIN_VALUE * 3;
                case 5 -> i % 2 == 0 ? Float.NEGATIVE_INFINITY : 2.5e38f;
                default -> (i % 41 - 20) * 0.125f + 0x1p-19f * (i % 7);
            };
        }
        return in;
    }

    @Test
    void reduceBitForBit() throws Exception {
        int grid = 7;
        for (int workers : new int[] {1, 2}) {
            try (Gpu gpu = Gpu.lockstep(workers)) {
                BackendFunction f = gpu.suite("reduce");
                float[] in = input(grid * 512);
                long din = gpu.upload(in);
                for (int n : new int[] {grid * 512, grid * 512 - 1, grid * 512 - 256, grid * 512 - 257,
                        grid * 512 - 511, 6 * 512 + 300, 1000}) {
                    long dout = gpu.upload(new int[grid]);
                    gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, n, din, dout);
                    gpu.sync();
                    assertArrayEquals(SuiteReduce.reference(in, n, grid), gpu.ints(dout, grid),
                            "reduce n=" + n + ", " + workers + " workers");
                    assertEquals(expectedCount(1), AffineRegs.SKIPPED.get("reduce"), "reduce's %r3");
                    assertTrue(gpu.device.lockstepLaunches.sum() > 0);
                }
            }
        }
    }

    /** Block 3's first load reads past an input of 3·512 + 64 floats at thread 64 (one worker: block 3 first). */
    @Test
    void reduceShortInputFaultsAsBefore() throws Exception {
        int grid = 5;
        try (Gpu gpu = Gpu.lockstep(1)) {
            BackendFunction f = gpu.suite("reduce");
            long din = gpu.upload(input(3 * 512 + 64));
            long dout = gpu.upload(new int[grid]);
            gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, grid * 512, din, dout);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result());
            assertTrue(e.getMessage().contains("block (3,0,0), thread (64,0,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("ld.global"), e.getMessage());
            assertEquals(expectedCount(1), AffineRegs.SKIPPED.get("reduce"));
        }
    }

    @Test
    void scanBlockBitForBit() throws Exception {
        for (int n : new int[] {256 * 6, 256 * 6 - 1, 256 * 5 + 31, 256 * 5 + 32, 256 * 4 + 200, 77}) {
            try (Gpu gpu = Gpu.lockstep(2)) {
                int[] in = new int[n];
                java.util.Random rnd = new java.util.Random(n);
                for (int i = 0; i < n; i++) in[i] = rnd.nextInt();
                SuiteScanBlock.runAndCheck(gpu, in);
                assertEquals(expectedCount(1), AffineRegs.SKIPPED.get("scan_block"), "scan_block's %r3, n=" + n);
            }
        }
    }

    /** aff_store: out[i] = i, vals[i] = i ^ 85 for i = ctaid·ntid + tid below n; the rest untouched. */
    @Test
    void valueStoredAndXoredBitForBit() throws Exception {
        int bs = 128, grid = 5;
        for (int n : new int[] {grid * bs, grid * bs - 1, 3 * bs + 17, 1}) {
            try (Gpu gpu = Gpu.lockstep(2)) {
                BackendFunction f = SchedulingTest.kernel(gpu, "affineregs_hand.ptx", "aff_store");
                int[] fill = new int[grid * bs];
                java.util.Arrays.fill(fill, -9999);
                long out = gpu.upload(fill), vals = gpu.upload(fill);
                gpu.launch(f, Dim3.of(grid), Dim3.of(bs), 0, n, out, vals);
                gpu.sync();
                int[] wantOut = fill.clone(), wantVals = fill.clone();
                for (int i = 0; i < n; i++) {
                    wantOut[i] = i;
                    wantVals[i] = i ^ 85;
                }
                assertArrayEquals(wantOut, gpu.ints(out, grid * bs), "out, n=" + n);
                assertArrayEquals(wantVals, gpu.ints(vals, grid * bs), "vals, n=" + n);
                // the store of the value itself is written with one copy from %r6's array (StoreBulk): kept
                assertEquals(0, AffineRegs.SKIPPED.get("aff_store"), "aff_store's %r6");
            }
        }
    }

    /** aff_xor: out[i] = i ^ 85, then after a barrier vals[i] = n - i, for i = ctaid·ntid + tid below n. */
    @Test
    void xorAndSubtractionAfterABarrierBitForBit() throws Exception {
        int bs = 128, grid = 5;
        for (int n : new int[] {grid * bs, grid * bs - 1, 3 * bs + 17, 1}) {
            try (Gpu gpu = Gpu.lockstep(2)) {
                BackendFunction f = SchedulingTest.kernel(gpu, "affineregs_hand.ptx", "aff_xor");
                int[] fill = new int[grid * bs];
                java.util.Arrays.fill(fill, -9999);
                long out = gpu.upload(fill), vals = gpu.upload(fill);
                gpu.launch(f, Dim3.of(grid), Dim3.of(bs), 0, n, out, vals);
                gpu.sync();
                int[] wantOut = fill.clone(), wantVals = fill.clone();
                for (int i = 0; i < n; i++) {
                    wantOut[i] = i ^ 85;
                    wantVals[i] = n - i;
                }
                assertArrayEquals(wantOut, gpu.ints(out, grid * bs), "out, n=" + n);
                assertArrayEquals(wantVals, gpu.ints(vals, grid * bs), "vals, n=" + n);
                assertEquals(expectedCount(1), AffineRegs.SKIPPED.get("aff_xor"), "aff_xor's %r6");
            }
        }
    }

    /** aff_store with an output of 2·128 + 40 words: block (2,0,0), thread (40,0,0), st.global; words before stored. */
    @Test
    void shortOutputFaultsAsBefore() throws Exception {
        int bs = 128, grid = 4;
        try (Gpu gpu = Gpu.lockstep(1)) {
            BackendFunction f = SchedulingTest.kernel(gpu, "affineregs_hand.ptx", "aff_store");
            long out = gpu.upload(new int[2 * bs + 40]);
            long vals = gpu.upload(new int[grid * bs]);
            gpu.launch(f, Dim3.of(grid), Dim3.of(bs), 0, grid * bs, out, vals);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result());
            assertTrue(e.getMessage().contains("block (2,0,0), thread (40,0,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("st.global"), e.getMessage());
            int[] got = gpu.ints(out, 2 * bs + 40);
            for (int i = 0; i < 2 * bs + 40; i++) assertEquals(i, got[i], "out[" + i + "]");
        }
    }

    /** matmul: its entry block's per-thread registers are in {@code tid.y} ({@code %r14}) or not affine: none skipped. */
    @Test
    void matmulHasNone() throws Exception {
        int n = 32;
        try (Gpu gpu = Gpu.lockstep(2)) {
            BackendFunction f = gpu.suite("matmul");
            float[] a = new float[n * n], b = new float[n * n];
            for (int i = 0; i < n * n; i++) {
                a[i] = (i % 7) - 3;
                b[i] = (i % 5) * 0.5f;
            }
            long da = gpu.upload(a), db = gpu.upload(b), dc = gpu.alloc(4L * n * n);
            gpu.launch(f, Dim3.of(n / 16, n / 16), Dim3.of(16, 16), 0, n, da, db, dc);
            gpu.sync();
            float[] c = gpu.floats(dc, n * n);
            for (int r = 0; r < n; r++) {
                for (int col = 0; col < n; col++) {
                    float acc = 0f;
                    for (int k = 0; k < n; k++) acc = Math.fma(a[r * n + k], b[k * n + col], acc);
                    assertEquals(Float.floatToRawIntBits(acc), Float.floatToRawIntBits(c[r * n + col]), r + "," + col);
                }
            }
            assertEquals(0, AffineRegs.SKIPPED.get("matmul"));
        }
    }

    /** aff_shfl: out[i] = i + (lane 3's i of the warp), i = (ctaid << 7) + tid below n; the shuffle needs the array. */
    @Test
    void shuffledRegisterKeepsItsArray() throws Exception {
        int bs = 128, grid = 3;
        for (int n : new int[] {grid * bs, 2 * bs + 70}) {
            try (Gpu gpu = Gpu.lockstep(2)) {
                BackendFunction f = SchedulingTest.kernel(gpu, "affineregs_hand.ptx", "aff_shfl");
                long out = gpu.upload(new int[grid * bs]);
                gpu.launch(f, Dim3.of(grid), Dim3.of(bs), 0, n, out);
                gpu.sync();
                int[] want = new int[grid * bs];
                for (int i = 0; i < n; i++) want[i] = i + ((i & ~31) + 3);
                assertArrayEquals(want, gpu.ints(out, grid * bs), "n=" + n);
                assertEquals(0, AffineRegs.SKIPPED.get("aff_shfl"), "the shuffle reads %r6's array");
            }
        }
    }
}
