package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.transcuda.cuda.Dim3;
import org.transcuda.spi.BackendException;

/**
 * {@link VecConsecutive}: the vector test of a group's pointers against a Java predicate written here (every length
 * up to three vectors of longs and a half, every position of a wrong pointer, pointers that wrap past
 * {@code Long.MAX_VALUE}, pointers a word or a bit off), and in kernels: LoopTouchTest's matmul (16 × 16 and 5 × 5
 * tiles) bit for bit against a Java reference with NaN payloads, signalling NaNs, -0.0 and infinities, the groups
 * compared as vectors counted ({@link CpuDevice#vecConsecutive}); {@code vec_copy_skip} (vecconsecutive.ptx: a row's
 * pointers consecutive except for a gap of one word after thread {@code skip - 1}, in the first or the second half of
 * a vector of longs), every word as loaded, the groups before the gap copied as vectors and counted, the rest by the
 * plain loop. Needs the JVM's vector module.
 */
class VecConsecutiveTest {
    /** The predicate, independently: a[t + i] == a[t] + 4 i for every i < n. */
    private static boolean want(long[] a, int t, int n) {
        for (int i = 0; i < n; i++) {
            long expect = a[t] + 4L * i;
            if (a[t + i] != expect) return false;
        }
        return true;
    }

    @Test
    void sameAnswerAsThePredicate() {
        Assumptions.assumeTrue(LaneVec.AVAILABLE, "the JVM has no vector module");
        java.util.Random rnd = new java.util.Random(42);
        int checked = 0, yes = 0;
        long[] bases = {0, 4096, 0x7fff_ffff_ffff_fff0L, -8, 0x1234_5678_9abcL, Long.MIN_VALUE + 4};
        for (long base : bases) {
            for (int t : new int[] {0, 1, 5, 16}) {
                for (int n = 1; n <= 3 * 8 + 4; n++) {
                    long[] a = new long[t + n + 3];
                    for (int i = 0; i < a.length; i++) a[i] = rnd.nextLong();
                    for (int i = 0; i < n; i++) a[t + i] = base + 4L * i;
                    assertEquals(true, VecConsecutive.consecutive(a, t, n), base + " t " + t + " n " + n);
                    checked++;
                    yes++;
                    for (int bad = 1; bad < n; bad++) {
                        for (long d : new long[] {4, -4, 1, 1L << 40, Long.MIN_VALUE}) {
                            long keep = a[t + bad];
                            a[t + bad] += d;
                            boolean w = want(a, t, n);
                            assertEquals(w, VecConsecutive.consecutive(a, t, n),
                                    base + " t " + t + " n " + n + " wrong at " + bad + " by " + d);
                            assertEquals(false, w);
                            checked++;
                            a[t + bad] = keep;
                        }
                    }
                }
            }
        }
        // random arrays (almost never consecutive) and runs with steps other than 4
        for (int k = 0; k < 2000; k++) {
            int n = 1 + rnd.nextInt(40), t = rnd.nextInt(4);
            long[] a = new long[t + n];
            long step = k % 3 == 0 ? 4 : rnd.nextInt(9) - 4;
            long b = rnd.nextLong();
            for (int i = 0; i < a.length; i++) a[i] = b + step * i + (rnd.nextInt(50) == 0 ? 4 : 0);
            assertEquals(want(a, t, n), VecConsecutive.consecutive(a, t, n), "random " + k);
            checked++;
        }
        assertEquals(true, checked > 10000 && yes > 600);
    }

    private static int[] matrix(int n, long seed) {
        java.util.Random rnd = new java.util.Random(seed);
        int[] m = new int[n * n];
        for (int i = 0; i < m.length; i++) m[i] = Float.floatToRawIntBits(rnd.nextFloat() * 2 - 1);
        int[] sp = {0x7fc0_1234, 0xff80_0001, 0x8000_0000, 0x7f80_0000, 0xff80_0000};
        for (int k = 0; k < sp.length; k++) m[(int) ((k * 7919L + seed) % m.length)] = sp[k];
        return m;
    }

    private static int[] reference(int n, int[] a, int[] b) {
        int[] c = new int[n * n];
        for (int r = 0; r < n; r++) {
            for (int col = 0; col < n; col++) {
                float acc = 0f;
                for (int k = 0; k < n; k++) {
                    acc = Math.fma(Float.intBitsToFloat(a[r * n + k]), Float.intBitsToFloat(b[k * n + col]), acc);
                }
                c[r * n + col] = acc != acc ? 0x7fff_ffff : Float.floatToRawIntBits(acc);
            }
        }
        return c;
    }

    private static Gpu gpu(int workers) throws BackendException {
        Gpu g = new Gpu(workers);
        g.device.engine(CpuDevice.Engine.LOCKSTEP);
        return g;
    }

    @Test
    void matmulTilesBitForBitAndCounted() throws Exception {
        Assumptions.assumeTrue(LaneVec.AVAILABLE && VecConsecutive.ENABLED, "no vector module, or switched off");
        int vl = LaneVec.length();
        for (int[] s : new int[][] {{16, 64}, {16, 32}, {5, 35}}) {
            int t = s[0], n = s[1];
            for (int workers : new int[] {1, 2}) {
                try (Gpu gpu = gpu(workers)) {
                    int[] a = matrix(n, 3 + n), b = matrix(n, 9 + n);
                    long da = gpu.upload(a), db = gpu.upload(b), dc = gpu.alloc(4L * n * n);
                    gpu.launch(SchedulingTest.kernel(gpu, "looptouch.ptx", "touch_mm" + t), Dim3.of(n / t, n / t),
                            Dim3.of(t, t), 0, n, da, db, dc, t * t);
                    gpu.sync();
                    String what = t + "x" + t + " tiles, n = " + n + ", " + workers + " workers";
                    assertArrayEquals(reference(n, a, b), gpu.ints(dc, n * n), what);
                    // per block, tile and row: t / vl groups, each with its two loads compared as vectors
                    long blocks = (long) (n / t) * (n / t);
                    assertEquals(blocks * (n / t) * t * (t / vl) * 2, gpu.device.vecConsecutive.sum(), what);
                    assertEquals(blocks * (n / t) * t * (t - t % vl), gpu.device.vecCopies.sum(), what);
                }
            }
        }
    }

    @Test
    void aGapInTheRowStopsTheVectorsAtItsGroup() throws Exception {
        Assumptions.assumeTrue(LaneVec.AVAILABLE && VecConsecutive.ENABLED, "no vector module, or switched off");
        int vl = LaneVec.length();
        int grid = 2, iters = 3;
        for (int skip : new int[] {0, 1, 3, vl / 2 - 1, vl / 2, vl / 2 + 1, vl - 1, vl, vl + 3, 15, 16, 40}) {
            int words = grid * iters * 256 + 1;
            int[] a = new int[words];
            java.util.Random rnd = new java.util.Random(skip);
            for (int i = 0; i < words; i++) a[i] = rnd.nextInt();
            a[7] = 0x7fc0_1234;
            a[300] = 0xff80_0001;
            try (Gpu gpu = gpu(2)) {
                long da = gpu.upload(a), dout = gpu.alloc(4L * grid * iters * 256);
                gpu.launch(SchedulingTest.kernel(gpu, "vecconsecutive.ptx", "vec_copy_skip"), Dim3.of(grid),
                        Dim3.of(16, 16), 0, iters, da, 1, dout, skip);
                gpu.sync();
                int[] want = new int[grid * iters * 256];
                for (int blk = 0; blk < grid; blk++) {
                    for (int it = 0; it < iters; it++) {
                        for (int t = 0; t < 256; t++) {
                            int src = 255 - t; // the thread whose word out[t] reads
                            int gap = src % 16 >= skip ? 1 : 0;
                            want[(blk * iters + it) * 256 + t] = a[(blk * iters + it) * 256 + src + gap];
                        }
                    }
                }
                assertArrayEquals(want, gpu.ints(dout, want.length), "skip " + skip);
                // per row: the whole groups before the one with the gap inside (a gap at a group's start is none)
                long groups = 0;
                for (int g = 0; g + vl <= 16; g += vl) {
                    if (skip > g && skip < g + vl) break;
                    groups++;
                }
                long rows = (long) grid * iters * 16;
                assertEquals(rows * groups, gpu.device.vecConsecutive.sum(), "skip " + skip);
                assertEquals(rows * groups * vl, gpu.device.vecCopies.sum(), "skip " + skip);
            }
        }
    }
}
