package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;

/**
 * {@link NaNZeros}: the lockstep engine's test after a lane loop over a thread range, whether one of its deferred f32
 * results was a NaN, as the results' differences {@code x - x} in a scratch array compared with zeros (off with
 * {@code -Dtranscuda.cpu.nanZeros=false}: the {@code Math.max} reduction). Bit for bit against CUDA's rules (a NaN
 * result is 0x7fffffff whatever the operands' payloads): one NaN result per block at the arm's first, middle or last
 * thread, from a NaN operand with a payload or from {@code inf + -inf}; blocks whose results are infinities and no NaN;
 * a NaN loaded by a thread outside the arm (kept raw); blocks with and without a NaN one after the other on the same
 * workers (the scratch array reused); blocks of 256, 96, 33 and 1 threads; an arm with two deferred results
 * ({@code v += w; u *= w}) where a NaN in either one alone must be seen. The loops tested against zeros are counted
 * (0 with the switch off, so these tests fail then). Kernels: {@code src/test/resources/kernels/nanzeros.cu}.
 */
class NaNZerosTest {
    /** The arms' {@code v += in[k]} loops themselves: without {@link ArmLoadAdd}, which would take them over. */
    @org.junit.jupiter.api.BeforeEach
    void withoutArmLoadAdd() {
        ArmLoadAdd.offForTests = true;
    }

    @org.junit.jupiter.api.AfterEach
    void restoreArmLoadAdd() {
        ArmLoadAdd.offForTests = false;
    }

    private static final int CANONICAL = 0x7fffffff;
    private static final int PAYLOAD = 0x7fc00123, NEG_PAYLOAD = 0xff800005;
    private static final int INF = 0x7f800000, NEG_INF = 0xff800000;

    private static BackendFunction kernel(Gpu gpu, String name) throws Exception {
        return SchedulingTest.kernel(gpu, "nanzeros.ptx", name);
    }

    private static Gpu gpu() throws BackendException {
        Gpu g = new Gpu(2);
        g.device.engine(CpuDevice.Engine.LOCKSTEP);
        return g;
    }

    private static int cuda(float x) {
        return Float.isNaN(x) ? CANONICAL : Float.floatToRawIntBits(x);
    }

    private static float f(int b) {
        return Float.intBitsToFloat(b);
    }

    private static int ordinary(int i) {
        return Float.floatToRawIntBits((i % 97 - 48) * 0.37f + (i % 5 == 0 ? -0.0f : 0.25f));
    }

    /**
     * The arm's thread of block {@code k} that gets the block's special operand (-1: none): block kinds cycle through
     * none, first, middle and last thread of the arm, {@code inf + -inf} at the middle, infinities only, a NaN
     * outside the arm.
     */
    private static int kind(int k) {
        return k % 7;
    }

    @Test
    void oneNaNAnywhereInTheArm() throws Exception {
        for (int nt : new int[] {256, 96, 33, 1}) {
            int grid = nt == 1 ? 60 : 21, n = grid * nt;
            for (int m : new int[] {1, nt / 2, nt - 1, nt, 1000}) {
                if (m <= 0) continue;
                int arm = Math.min(m, nt);
                int[] a = new int[n], b = new int[n];
                for (int i = 0; i < n; i++) {
                    a[i] = ordinary(i);
                    b[i] = ordinary(3 * i + 1);
                }
                for (int k = 0; k < grid; k++) {
                    int base = k * nt;
                    switch (kind(k)) {
                        case 1 -> b[base] = PAYLOAD;
                        case 2 -> a[base + arm / 2] = NEG_PAYLOAD;
                        case 3 -> b[base + arm - 1] = NEG_PAYLOAD;
                        case 4 -> {
                            a[base + arm / 2] = INF;
                            b[base + arm / 2] = NEG_INF;
                        }
                        case 5 -> {
                            a[base] = INF;
                            a[base + arm - 1] = NEG_INF;
                        }
                        case 6 -> {
                            if (arm < nt) a[base + nt - 1] = PAYLOAD;
                        }
                        default -> { }
                    }
                }
                try (Gpu gpu = gpu()) {
                    long da = gpu.upload(a), db = gpu.upload(b), dout = gpu.alloc(4L * n);
                    gpu.launch(kernel(gpu, "arm_one"), grid, nt, da, db, dout, m);
                    gpu.sync();
                    int[] out = gpu.ints(dout, n);
                    int nan = 0;
                    for (int i = 0; i < n; i++) {
                        int want = i % nt < m ? cuda(f(a[i]) + f(b[i])) : a[i];
                        if (want == CANONICAL) nan++;
                        assertEquals(want, out[i], "block of " + nt + ", m " + m + ", element " + i
                                + String.format(" (a %08x, b %08x)", a[i], b[i]));
                    }
                    assertTrue(nan > 0, "the inputs make NaN results");
                    assertEquals(grid, gpu.device.nanZeroLoops.sum(), "loops tested against zeros, block of " + nt);
                }
            }
        }
    }

    @Test
    void aNaNInEitherOfTwoResults() throws Exception {
        for (int nt : new int[] {256, 96, 33, 1}) {
            int grid = nt == 1 ? 40 : 16, n = grid * nt;
            for (int m : new int[] {1, nt - 1, nt}) {
                if (m <= 0) continue;
                int arm = Math.min(m, nt);
                int[] a = new int[n], b = new int[n], c = new int[n];
                for (int i = 0; i < n; i++) {
                    a[i] = ordinary(i);
                    b[i] = ordinary(5 * i + 2);
                    c[i] = ordinary(7 * i + 3);
                }
                for (int k = 0; k < grid; k++) {
                    int base = k * nt, at = k % 2 == 0 ? base : base + arm - 1;
                    switch (k % 4) {
                        case 0, 1 -> a[at] = PAYLOAD;      // only v (the first result) is a NaN
                        case 2 -> c[at] = NEG_PAYLOAD;     // only u (the second)
                        default -> { }                     // neither
                    }
                }
                try (Gpu gpu = gpu()) {
                    long da = gpu.upload(a), db = gpu.upload(b), dc = gpu.upload(c);
                    long dout = gpu.alloc(4L * n), dout2 = gpu.alloc(4L * n);
                    gpu.launch(kernel(gpu, "arm_two"), grid, nt, da, db, dc, dout, dout2, m);
                    gpu.sync();
                    int[] out = gpu.ints(dout, n), out2 = gpu.ints(dout2, n);
                    for (int i = 0; i < n; i++) {
                        boolean in = i % nt < m;
                        int wantV = in ? cuda(f(a[i]) + f(b[i])) : a[i];
                        int wantU = in ? cuda(f(c[i]) * f(b[i])) : c[i];
                        String at = "block of " + nt + ", m " + m + ", element " + i;
                        assertEquals(wantV, out[i], "v, " + at);
                        assertEquals(wantU, out2[i], "u, " + at);
                    }
                    assertEquals(grid, gpu.device.nanZeroLoops.sum(), "loops tested against zeros, block of " + nt);
                }
            }
        }
    }

    /**
     * The thread engine's vector form (straight-line {@code out = a + w; out2 = c * w}), block by block and in grid
     * rows: the same NaN cases per block (a NaN in either result alone, at the first or the last lane, or in neither;
     * an infinity alone), n a multiple of the block and not.
     */
    @Test
    void vectorForm() throws Exception {
        for (int mode = 0; mode < 3; mode++) {
            // blocks; rows with arrays; rows as vectors on memory (RowVec: its canonicalization in the vector)
            boolean rows = mode > 0, direct = mode == 2 && RowVec.AVAILABLE;
            for (int nt : new int[] {256, 96}) {
                int grid = 40;
                for (int n : new int[] {grid * nt, grid * nt - 37}) {
                    int[] a = new int[grid * nt], b = new int[grid * nt], c = new int[grid * nt];
                    for (int i = 0; i < a.length; i++) {
                        a[i] = ordinary(i);
                        b[i] = ordinary(5 * i + 2);
                        c[i] = ordinary(7 * i + 3);
                    }
                    for (int k = 0; k < grid; k++) {
                        int base = k * nt, at = k % 2 == 0 ? base : Math.min(base + nt, n) - 1;
                        if (at < base) continue;
                        switch (k % 5) {
                            case 0, 1 -> a[at] = PAYLOAD;
                            case 2 -> c[at] = NEG_PAYLOAD;
                            case 3 -> a[at] = INF;
                            default -> { }
                        }
                    }
                    try (Gpu gpu = new Gpu(2)) {
                        gpu.device.engine(CpuDevice.Engine.THREAD);
                        gpu.device.gridRows = rows;
                        gpu.device.rowVec = mode == 2;
                        long da = gpu.upload(a), db = gpu.upload(b), dc = gpu.upload(c);
                        long dout = gpu.alloc(4L * a.length), dout2 = gpu.alloc(4L * a.length);
                        gpu.launch(kernel(gpu, "vec_two"), grid, nt, da, db, dc, dout, dout2, n);
                        gpu.sync();
                        int[] out = gpu.ints(dout, n), out2 = gpu.ints(dout2, n);
                        for (int i = 0; i < n; i++) {
                            String at = (rows ? "rows" : "blocks") + ", mode " + mode + ", block of " + nt + ", n " + n + ", element " + i;
                            assertEquals(cuda(f(a[i]) + f(b[i])), out[i], "out, " + at);
                            assertEquals(cuda(f(c[i]) * f(b[i])), out2[i], "out2, " + at);
                        }
                        if (direct) assertTrue(gpu.device.rowVecs.sum() > 0, "loops as vectors on memory, " + nt);
                        else assertTrue(gpu.device.nanZeroLoops.sum() > 0, "vector loops tested against zeros, " + nt);
                    }
                }
            }
        }
    }
}
