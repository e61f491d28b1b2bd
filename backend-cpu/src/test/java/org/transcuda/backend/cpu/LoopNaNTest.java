package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.IntBinaryOperator;
import org.junit.jupiter.api.Test;
import org.transcuda.cuda.CUresult;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;

/**
 * The lockstep engine's f32 NaN canonicalization after a lane loop over a thread range ({@link LoopNaN}, off with
 * {@code -Dtranscuda.cpu.loopNaN=false}): f32 {@code add/sub/mul}, a chain ending in an {@code fma}, in an arm taken
 * by the threads {@code t < m}, bit for bit against a Java model of CUDA's rules (IEEE round to nearest; a NaN result
 * is 0x7fffffff whatever the operands' payloads): NaN inputs with payloads (quiet and signalling, both signs),
 * NaN-producing {@code inf - inf} and {@code 0 * inf}, -0.0, values whose sum rounds (ties to even); threads outside
 * the arm keep their loaded bits (NaN payloads included); blocks of 256, 96, 33 and 1 threads; a fault of the arm's
 * load at its block, thread and instruction. The number of loops that ran with the canonicalization after them is
 * counted from the kernels' structure (0 with the switch off, so these tests fail then). Kernels: {@code
 * src/test/resources/kernels/loopnan.cu}.
 */
class LoopNaNTest {
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

    private static BackendFunction kernel(Gpu gpu, String name) throws Exception {
        return SchedulingTest.kernel(gpu, "loopnan.ptx", name);
    }

    private static Gpu gpu() throws BackendException {
        Gpu g = new Gpu(2);
        g.device.engine(CpuDevice.Engine.LOCKSTEP);
        return g;
    }

    /** Operand bits: NaN payloads, infinities, signed zeros, rounding-sensitive values, ordinary values. */
    private static int bits(int i) {
        return switch (i % 14) {
            case 0 -> 0x7fc00123;                              // quiet NaN with a payload
            case 1 -> 0xff800005;                              // signalling NaN, negative
            case 2 -> 0x7f800001;                              // signalling NaN
            case 3 -> 0x80000000;                              // -0.0
            case 4 -> 0x7f800000;                              // +inf
            case 5 -> 0xff800000;                              // -inf
            case 6 -> 0xffc0beef;                              // quiet NaN, negative, payload
            case 7 -> Float.floatToRawIntBits(1.0f);
            case 8 -> Float.floatToRawIntBits(0x1.0p-24f);     // half an ulp of 1.0: ties to even
            case 9 -> Float.floatToRawIntBits(0x1.8p-24f);     // rounds up
            case 10 -> 0x00000000;
            case 11 -> Float.floatToRawIntBits(3.4e38f);       // overflow to inf when doubled
            default -> Float.floatToRawIntBits((i % 97 - 48) * 0.37f);
        };
    }

    /** CUDA's f32 result of a computed value: a NaN is the canonical NaN. */
    private static int cuda(float x) {
        return Float.isNaN(x) ? CANONICAL : Float.floatToRawIntBits(x);
    }

    private static float f(int b) {
        return Float.intBitsToFloat(b);
    }

    /** Launches {@code name} over every (a, b) pair of {@link #bits} and checks each output against {@code model}. */
    private static void check(String name, IntBinaryOperator model, Object... extra) throws Exception {
        for (int nt : new int[] {256, 96, 33, 1}) {
            int grid = nt == 1 ? 200 : 14, n = grid * nt;
            int[] a = new int[n], b = new int[n];
            for (int i = 0; i < n; i++) {
                a[i] = bits(i);
                b[i] = bits(i / 14 + 3 * i);
            }
            for (int m : new int[] {0, 1, 100, 255, 256, 1000}) {
                if (nt == 1 && m > 1 && m != 1000) continue;
                try (Gpu gpu = gpu()) {
                    long da = gpu.upload(a), db = gpu.upload(b), dout = gpu.alloc(4L * n);
                    Object[] args = new Object[4 + extra.length];
                    args[0] = da;
                    args[1] = db;
                    args[2] = dout;
                    args[3] = m;
                    System.arraycopy(extra, 0, args, 4, extra.length);
                    gpu.launch(kernel(gpu, name), grid, nt, args);
                    gpu.sync();
                    int[] out = gpu.ints(dout, n);
                    int nan = 0;
                    for (int i = 0; i < n; i++) {
                        int want = i % nt < m ? model.applyAsInt(a[i], b[i]) : a[i];
                        if (i % nt < m && want == CANONICAL) nan++;
                        assertEquals(want, out[i], name + ", block of " + nt + ", m " + m + ", element " + i
                                + String.format(" (a %08x, b %08x)", a[i], b[i]));
                    }
                    assertTrue(m == 0 || nan > 0, "the inputs make NaN results");
                    // one loop per block whose arm some thread takes (m = 0: an empty range, not asked)
                    if (m > 0) assertEquals(grid, gpu.device.loopNaN.sum(), name + ", loops, block of " + nt + ", m " + m);
                }
            }
        }
    }

    @Test
    void add() throws Exception {
        check("arm_add", (x, y) -> cuda(f(x) + f(y)));
    }

    @Test
    void sub() throws Exception {
        check("arm_sub", (x, y) -> cuda(f(x) - f(y)));
    }

    @Test
    void mul() throws Exception {
        check("arm_mul", (x, y) -> cuda(f(x) * f(y)));
    }

    @Test
    void chainEndingInAnFma() throws Exception {
        float c = -0.0f;
        check("arm_chain", (x, y) -> cuda(Math.fma((f(x) + f(y)) * f(y), f(y), c)), c);
    }

    @Test
    void faultOfTheArmsLoad() throws Exception {
        int nt = 128, grid = 3, n = grid * nt;
        int[] a = new int[n], b = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = bits(i);
            b[i] = bits(i + 5);
        }
        try (Gpu gpu = gpu()) {
            long da = gpu.upload(a), db = gpu.upload(b), dout = gpu.alloc(4L * n);
            // b[i + off]: thread t of block 2 reads element n + t - 97, past the data from thread 97 on
            int off = n - (2 * nt + 97);
            gpu.launch(kernel(gpu, "arm_fault"), grid, nt, da, db, dout, nt, off);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result());
            assertTrue(e.getMessage().contains("block (2,0,0), thread (97,0,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("ld.global"), e.getMessage());
        }
    }
}
