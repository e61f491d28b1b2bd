package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;

/**
 * Grid-row loops of 32-bit integer paths and block-uniform loads as vectors on device memory ({@link RowVecInt}):
 * {@code mul.lo, shl, xor, shr.s32, or, and, shr.u32, add, sub} on values that overflow, against Java's {@code int}
 * arithmetic; scan_add's {@code out[i] += off[blockIdx.x]} and an f32 {@code out[i] *= s[blockIdx.x]} (NaN payloads:
 * the canonical NaN) against Java; sizes that end in a partial vector and a partial block, blocks of 256, 96 and 40
 * (40: not a multiple of the vector, so the block-uniform loop keeps the array form), one and two workers, on and off
 * ({@link CpuDevice#rowVecInt}), the loops counted as vectors only when on; {@code off} and {@code out} the same array
 * (a block-uniform load that stores reach: the array form, the same result as off); a fault the same as off. Kernels:
 * {@code src/test/resources/kernels/rowvecint.cu} and {@code gridrows.cu}'s {@code blockOffset}.
 */
class RowVecIntTest {
    private static final int CANONICAL_NAN = 0x7fffffff;

    private static BackendFunction kernel(Gpu gpu, String file, String name) throws Exception {
        return SchedulingTest.kernel(gpu, file, name);
    }

    private static Gpu gpu(int workers, boolean on) throws BackendException {
        Gpu g = new Gpu(workers);
        g.device.engine(CpuDevice.Engine.THREAD);
        g.device.gridRows = true;
        g.device.rowVec = true;
        g.device.rowVecInt = on;
        return g;
    }

    private static int[] random(int n, long seed) {
        java.util.Random rnd = new java.util.Random(seed);
        int[] v = new int[n];
        for (int i = 0; i < n; i++) v[i] = rnd.nextInt();
        return v;
    }

    private static void assumeVectors() {
        Assumptions.assumeTrue(RowVec.AVAILABLE, "the JVM has no vector module");
    }

    /** The full vectors of a loop of {@code lanes} lanes count; none when off. */
    private static void assertVectors(Gpu gpu, boolean expected, String what) {
        if (expected) assertTrue(gpu.device.rowVecs.sum() > 0, what);
        else assertEquals(0L, gpu.device.rowVecs.sum(), what);
    }

    @Test
    void integerOperationsMatchJava() throws Exception {
        assumeVectors();
        int k = -1_234_567_891;
        for (int block : new int[] {256, 96}) {
            for (int n : new int[] {64 * block, 100_003, 300}) {
                int blocks = (n + block - 1) / block;
                int[] a = random(n, 11);
                int[] b = random(n, 12);
                a[0] = Integer.MIN_VALUE;
                b[0] = Integer.MAX_VALUE;
                a[1] = -1;
                b[1] = Integer.MIN_VALUE;
                int[] want = new int[n];
                for (int i = 0; i < n; i++) {
                    int x = a[i], y = b[i];
                    int q = (x * k) ^ (y << 3);
                    int r = (q >> 2) & (y | 0x0f0f);
                    want[i] = (x >>> 7) - r + y;
                }
                for (boolean on : new boolean[] {true, false}) {
                    for (int workers : new int[] {1, 2}) {
                        String what = "n = " + n + ", block " + block + ", rowVecInt " + on + ", " + workers
                                + " workers";
                        try (Gpu gpu = gpu(workers, on)) {
                            long da = gpu.upload(a);
                            long db = gpu.upload(b);
                            long dout = gpu.upload(new int[n]);
                            gpu.launch(kernel(gpu, "rowvecint.ptx", "intOps"), blocks, block, n, k, da, db, dout);
                            gpu.sync();
                            assertArrayEquals(want, gpu.ints(dout, n), what);
                            assertEquals(blocks, gpu.device.rowBlocks.sum(), what);
                            assertVectors(gpu, on, what);
                        }
                    }
                }
            }
        }
    }

    @Test
    void blockOffsetsMatchJava() throws Exception {
        assumeVectors();
        for (int block : new int[] {256, 96, 40}) {
            for (int n : new int[] {64 * block, 64 * block + 1, 100_003}) {
                int blocks = (n + block - 1) / block;
                int[] out = random(n, n);
                int[] off = random(blocks, block);
                int[] want = new int[n];
                for (int i = 0; i < n; i++) want[i] = out[i] + off[i / block];
                for (boolean on : new boolean[] {true, false}) {
                    for (int workers : new int[] {1, 2}) {
                        String what = "n = " + n + ", block " + block + ", rowVecInt " + on + ", " + workers
                                + " workers";
                        try (Gpu gpu = gpu(workers, on)) {
                            long doff = gpu.upload(off);
                            long dout = gpu.upload(out);
                            gpu.launch(kernel(gpu, "gridrows.ptx", "blockOffset"), blocks, block, n, doff, dout);
                            gpu.sync();
                            assertArrayEquals(want, gpu.ints(dout, n), what);
                            assertEquals(blocks, gpu.device.rowBlocks.sum(), what);
                            // blocks of 40 lanes: vectors would span blocks, so the array form
                            assertVectors(gpu, on && block % RowVec.lanes() == 0, what);
                        }
                    }
                }
            }
        }
    }

    @Test
    void blockScaleF32MatchesJava() throws Exception {
        assumeVectors();
        int block = 128, n = 64 * block + 77, blocks = (n + block - 1) / block;
        int[] special = {0x7fc01234, 0xffc00001, 0x7f800001, 0x7f800000, 0xff800000, 0, 0x80000000, 1, 0x807fffff};
        java.util.Random rnd = new java.util.Random(3);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i % 11 == 0 ? special[rnd.nextInt(special.length)]
                    : Float.floatToRawIntBits((rnd.nextFloat() - 0.5f) * 1e30f);
        }
        int[] s = new int[blocks];
        for (int i = 0; i < blocks; i++) {
            s[i] = i % 5 == 0 ? special[i % special.length] : Float.floatToRawIntBits(rnd.nextFloat() * 1e10f);
        }
        int[] want = new int[n];
        for (int i = 0; i < n; i++) {
            float p = Float.intBitsToFloat(out[i]) * Float.intBitsToFloat(s[i / block]);
            want[i] = Float.isNaN(p) ? CANONICAL_NAN : Float.floatToRawIntBits(p);
        }
        for (boolean on : new boolean[] {true, false}) {
            try (Gpu gpu = gpu(2, on)) {
                long ds = gpu.upload(s);
                long dout = gpu.upload(out);
                gpu.launch(kernel(gpu, "rowvecint.ptx", "blockScale"), blocks, block, n, ds, dout);
                gpu.sync();
                assertArrayEquals(want, gpu.ints(dout, n), "rowVecInt " + on);
                assertVectors(gpu, on, "rowVecInt " + on);
            }
        }
    }

    @Test
    void offsetsThatStoresReachRunTheArrayForm() throws Exception {
        assumeVectors();
        // off == out: block b reads out[b], which lane b of the first loop stores
        int block = 256, n = 16 * block, blocks = n / block;
        int[] out = random(n, 21);
        int[][] got = new int[2][];
        for (boolean on : new boolean[] {true, false}) {
            try (Gpu gpu = gpu(1, on)) {
                long dout = gpu.upload(out);
                gpu.launch(kernel(gpu, "rowvecint.ptx", "blockOffsetAliased"), blocks, block, n, dout, dout);
                gpu.sync();
                got[on ? 0 : 1] = gpu.ints(dout, n);
                assertEquals(blocks, gpu.device.rowBlocks.sum());
                // the loop whose lanes store the offsets it reads keeps the array form (later loops read
                // offsets that earlier loops stored: vectors allowed)
                long runs = gpu.device.rowRuns.sum(), vecs = gpu.device.rowVecs.sum();
                assertTrue(on ? vecs < runs : vecs == 0, "rowVecInt " + on + ": " + vecs + " of " + runs);
            }
        }
        // the array form's result either way (its loads before its stores per chunk of lanes: RowChunks)
        assertArrayEquals(got[1], got[0]);
    }

    /** blockOffset with {@code off} lacking its last {@code missing} entries: the error, its message, the output. */
    private static Object[] faulting(boolean on, int n, int block, int missing) throws Exception {
        try (Gpu gpu = gpu(1, on)) {
            int blocks = (n + block - 1) / block;
            int[] off = random(blocks - missing, 4);
            long doff = gpu.upload(off);
            long dout = gpu.upload(random(n, 5));
            gpu.launch(kernel(gpu, "gridrows.ptx", "blockOffset"), blocks, block, n, doff, dout);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("0x([0-9a-f]+)").matcher(e.getMessage());
            assertTrue(m.find(), e.getMessage());
            String message = m.replaceFirst("off+" + (Long.parseUnsignedLong(m.group(1), 16) - doff));
            return new Object[] {e, gpu.ints(dout, n), gpu.device.rowVecs.sum(), message};
        }
    }

    @Test
    void shortOffsetsFaultAsWhenOff() throws Exception {
        assumeVectors();
        int n = 80 * 128 - 50, block = 128, missing = 3;
        Object[] on = faulting(true, n, block, missing);
        Object[] off = faulting(false, n, block, missing);
        BackendException e = (BackendException) on[0];
        assertTrue(e.getMessage().contains("block (77,0,0), thread (0,0,0)"), e.getMessage());
        assertEquals(off[3], on[3]);
        assertEquals(((BackendException) off[0]).result(), e.result());
        assertArrayEquals((int[]) off[1], (int[]) on[1]);
        assertTrue((long) on[2] > 0, "vectors ran before the fault");
        assertEquals(0L, (long) off[2]);
    }
}
