package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.transcuda.ir.FloatMode;
import org.transcuda.ir.Opcode;
import org.transcuda.ir.ScalarType;

/**
 * NaN results of arithmetic and conversions as a real NVIDIA GPU gives them. Every expected value here was read
 * from the dumps of corpus/gpucheck run on 2026-11-26 on one NVIDIA H100 80GB HBM3 (driver 580.159.04, CUDA 13.0;
 * /work/gpucheck-1, cases named in each test), not computed by the code under test. Where the PTX ISA says
 * "unspecified" or differs (abs/neg as sign-bit operations, NaN to integer gives 0), the H100 wins.
 */
class H100NanRulesTest {
    static Gpu gpu;

    @BeforeAll
    static void start() throws Exception {
        gpu = new Gpu(2);
    }

    @AfterAll
    static void stop() {
        gpu.close();
    }

    static FloatMode m(String r, boolean ftz) {
        return new FloatMode(FloatMode.Rounding.valueOf(r), ftz, false, false);
    }

    static final long QNAN = 0x7ff8_0000_0000_0000L;
    static final long NQNAN = 0xfff8_0000_0000_0000L;
    static final long PAYLOAD = 0x7ff8_0000_0001_2345L;
    static final long SNAN = 0x7ff0_0000_0000_0001L;
    static final long NSNAN = 0xfff4_0000_0000_0005L;
    static final long ONE = Double.doubleToRawLongBits(1.0);

    private static long[] f64(Opcode op, String rounding, long[]... in) throws Exception {
        ScalarType[] types = new ScalarType[in.length];
        java.util.Arrays.fill(types, ScalarType.F64);
        return OpHarness.run(gpu, ScalarType.F64, types, in, (k, d, s) -> k.op(op, ScalarType.F64, m(rounding, false), d, s));
    }

    private static long[] cvt(ScalarType to, ScalarType from, FloatMode mode, long[] in) throws Exception {
        return OpHarness.run(gpu, to, new ScalarType[] {from}, new long[][] {in}, (k, d, s) -> k.cvt(to, from, mode, d, s[0]));
    }

    /** case f32_minmax_abs_neg: fabsf/neg of 0x7fc00000 gave 0x7fffffff (H100), also for the other NaNs. */
    @Test
    void f32AbsNegOfNaNIsCanonical() throws Exception {
        long[] in = {0x7fc0_0000L, 0xffc0_0000L, 0x7fc1_2345L, 0x7f80_0001L, 0xffa0_0005L, 0xbf80_0000L};
        for (boolean ftz : new boolean[] {false, true}) {
            for (Opcode op : new Opcode[] {Opcode.ABS, Opcode.NEG}) {
                long[] r = OpHarness.run(gpu, ScalarType.F32, new ScalarType[] {ScalarType.F32}, new long[][] {in},
                        (k, d, s) -> k.op(op, ScalarType.F32, m("DEFAULT", ftz), d, s[0]));
                for (int i = 0; i < 5; i++) assertEquals(0x7fff_ffffL, r[i], op + " ftz=" + ftz + " of " + Long.toHexString(in[i]));
                assertEquals(0x3f80_0000L, r[5], op + " of -1");
            }
        }
    }

    /** case f16_arith: neg/abs of 0x7e00 and 0xfe00 gave 0x7fff on all 241 NaN elements. */
    @Test
    void f16AbsNegOfNaNIsCanonical() throws Exception {
        long[] in = {0x7e00, 0xfe00, 0x7c01, 0x7e55, 0xbc00};
        for (Opcode op : new Opcode[] {Opcode.ABS, Opcode.NEG}) {
            long[] r = OpHarness.run(gpu, ScalarType.F16, new ScalarType[] {ScalarType.F16}, new long[][] {in},
                    (k, d, s) -> k.op(op, ScalarType.F16, d, s[0]));
            for (int i = 0; i < 4; i++) assertEquals(0x7fffL, r[i], op + " of " + Long.toHexString(in[i]));
            assertEquals(0x3c00L, r[4], op + " of -1");
        }
    }

    /**
     * cases f64_arith, f64_add_mul_rounding, f64_fma_div_sqrt_rounding (every rounding mode): the first NaN
     * operand in operand order wins, quieted, sign and payload kept.
     */
    @Test
    void f64FirstNaNOperandWinsQuieted() throws Exception {
        long[] a = {QNAN, QNAN, QNAN, NQNAN, PAYLOAD, SNAN, NSNAN, ONE, 0L};
        long[] b = {NQNAN, PAYLOAD, SNAN, QNAN, QNAN, PAYLOAD, QNAN, SNAN, QNAN};
        long[] want = {QNAN, QNAN, QNAN, NQNAN, PAYLOAD, 0x7ff8_0000_0000_0001L, 0xfffc_0000_0000_0005L,
            0x7ff8_0000_0000_0001L, QNAN};
        for (String rnd : new String[] {"DEFAULT", "RN", "RZ", "RM", "RP"}) {
            for (Opcode op : new Opcode[] {Opcode.ADD, Opcode.SUB, Opcode.MUL, Opcode.DIV}) {
                long[] r = f64(op, rnd, a, b);
                for (int i = 0; i < a.length; i++) {
                    assertEquals(want[i], r[i], op + "." + rnd + " " + Long.toHexString(a[i]) + ", " + Long.toHexString(b[i]));
                }
            }
        }
        // fma: the third operand only when the first two are numbers (f64_arith: fma(1, -1, 0xfff8..) = 0xfff8..)
        long[] fa = {ONE, ONE, QNAN, SNAN, NSNAN};
        long[] fb = {ONE, NQNAN, ONE, QNAN, ONE};
        long[] fc = {NQNAN, PAYLOAD, PAYLOAD, NQNAN, SNAN};
        long[] fw = {NQNAN, NQNAN, QNAN, 0x7ff8_0000_0000_0001L, 0xfffc_0000_0000_0005L};
        for (String rnd : new String[] {"DEFAULT", "RN", "RZ", "RM", "RP"}) {
            long[] r = f64(Opcode.FMA, rnd, fa, fb, fc);
            for (int i = 0; i < fa.length; i++) assertEquals(fw[i], r[i], "fma." + rnd + " element " + i);
        }
    }

    /** f64_add_mul_rounding sub.rz/.rd/.ru: 0 - NaN keeps the NaN's sign (0 - 0x7ff8.. = 0x7ff8..). */
    @Test
    void f64SubDoesNotFlipANaN() throws Exception {
        long[] a = {0L, 0x8000_0000_0000_0000L, 0x7ff0_0000_0000_0000L};
        long[] b = {QNAN, NQNAN, NSNAN};
        long[] want = {QNAN, NQNAN, 0xfffc_0000_0000_0005L};
        for (String rnd : new String[] {"DEFAULT", "RZ", "RM", "RP"}) {
            long[] r = f64(Opcode.SUB, rnd, a, b);
            for (int i = 0; i < a.length; i++) assertEquals(want[i], r[i], "sub." + rnd + " element " + i);
        }
    }

    /** f64_minmax_abs_neg fmin/fmax: one NaN gives the other number; two NaNs give the first, quieted. */
    @Test
    void f64MinMaxNaN() throws Exception {
        long[] a = {QNAN, SNAN, NSNAN, QNAN, ONE};
        long[] b = {NQNAN, SNAN, PAYLOAD, ONE, NSNAN};
        long[] want = {QNAN, 0x7ff8_0000_0000_0001L, 0xfffc_0000_0000_0005L, ONE, ONE};
        for (Opcode op : new Opcode[] {Opcode.MIN, Opcode.MAX}) {
            long[] r = f64(op, "DEFAULT", a, b);
            for (int i = 0; i < a.length; i++) assertEquals(want[i], r[i], op + " element " + i);
        }
    }

    /** f64_minmax_abs_neg fabs/neg: a NaN is only quieted (abs(0xfff8..) = 0xfff8.., neg(0x7ff0..01) = 0x7ff8..01). */
    @Test
    void f64AbsNegQuietANaN() throws Exception {
        long[] in = {NQNAN, QNAN, SNAN, NSNAN, PAYLOAD, ONE};
        long[] want = {NQNAN, QNAN, 0x7ff8_0000_0000_0001L, 0xfffc_0000_0000_0005L, PAYLOAD};
        for (Opcode op : new Opcode[] {Opcode.ABS, Opcode.NEG}) {
            long[] r = f64(op, "DEFAULT", in);
            for (int i = 0; i < want.length; i++) assertEquals(want[i], r[i], op + " of " + Long.toHexString(in[i]));
            assertEquals(op == Opcode.ABS ? ONE : 0xbff0_0000_0000_0000L, r[5]);
        }
    }

    /** cvt_f32_f64 (rn/rz/rm/rp) and f16_convert f64->f16.rn: sign and high payload bits kept, quieted. */
    @Test
    void f64ToNarrowerKeepsSignAndPayload() throws Exception {
        long[] in = {QNAN, NQNAN, PAYLOAD, SNAN, NSNAN};
        long[] f32 = {0x7fc0_0000L, 0xffc0_0000L, 0x7fc0_0000L, 0x7fc0_0000L, 0xffe0_0000L};
        long[] f16 = {0x7e00, 0xfe00, 0x7e00, 0x7e00, 0xff00};
        for (String rnd : new String[] {"RN", "RZ", "RM", "RP"}) {
            long[] r = cvt(ScalarType.F32, ScalarType.F64, m(rnd, false), in);
            for (int i = 0; i < in.length; i++) assertEquals(f32[i], r[i], "cvt." + rnd + ".f32.f64 element " + i);
        }
        long[] h = cvt(ScalarType.F16, ScalarType.F64, m("RN", false), in);
        for (int i = 0; i < in.length; i++) assertEquals(f16[i], h[i], "cvt.rn.f16.f64 element " + i);
    }

    /** cvt_round_integral (rint/trunc/floor/ceil of f64): a signalling NaN is quieted, payload kept. */
    @Test
    void f64RoundIntegralQuietsNaN() throws Exception {
        long[] in = {SNAN, NSNAN, PAYLOAD};
        long[] want = {0x7ff8_0000_0000_0001L, 0xfffc_0000_0000_0005L, PAYLOAD};
        for (String rnd : new String[] {"RNI", "RZI", "RMI", "RPI"}) {
            long[] r = cvt(ScalarType.F64, ScalarType.F64, m(rnd, false), in);
            for (int i = 0; i < in.length; i++) assertEquals(want[i], r[i], "cvt." + rnd + ".f64.f64 element " + i);
        }
    }

    /**
     * cvt_f32_to_int and cvt_f64_to_int (every rounding mode): f32 to s32/u32 gives 0, f32 to s64/u64
     * 0x8000000000000000, f64 to s32/u32 0x80000000, f64 to s64/u64 0x8000000000000000.
     */
    @Test
    void floatToIntegerOfNaN() throws Exception {
        long[] f32 = {0x7fc0_0000L, 0xffc0_0000L, 0x7f80_0001L};
        long[] f64 = {QNAN, NQNAN, SNAN};
        for (String rnd : new String[] {"RNI", "RZI", "RMI", "RPI"}) {
            long[] s32 = cvt(ScalarType.S32, ScalarType.F32, m(rnd, false), f32);
            long[] u32 = cvt(ScalarType.U32, ScalarType.F32, m(rnd, false), f32);
            long[] s64 = cvt(ScalarType.S64, ScalarType.F32, m(rnd, false), f32);
            long[] u64 = cvt(ScalarType.U64, ScalarType.F32, m(rnd, false), f32);
            long[] ds32 = cvt(ScalarType.S32, ScalarType.F64, m(rnd, false), f64);
            long[] du32 = cvt(ScalarType.U32, ScalarType.F64, m(rnd, false), f64);
            long[] ds64 = cvt(ScalarType.S64, ScalarType.F64, m(rnd, false), f64);
            long[] du64 = cvt(ScalarType.U64, ScalarType.F64, m(rnd, false), f64);
            for (int i = 0; i < 3; i++) {
                assertEquals(0L, s32[i], rnd + " f32->s32");
                assertEquals(0L, u32[i], rnd + " f32->u32");
                assertEquals(Long.MIN_VALUE, s64[i], rnd + " f32->s64");
                assertEquals(Long.MIN_VALUE, u64[i], rnd + " f32->u64");
                assertEquals(-2147483648L, ds32[i], rnd + " f64->s32");
                assertEquals(0x8000_0000L, du32[i], rnd + " f64->u32");
                assertEquals(Long.MIN_VALUE, ds64[i], rnd + " f64->s64");
                assertEquals(Long.MIN_VALUE, du64[i], rnd + " f64->u64");
            }
        }
    }
}
