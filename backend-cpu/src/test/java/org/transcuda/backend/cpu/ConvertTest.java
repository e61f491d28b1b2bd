package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.transcuda.backend.cpu.Ir.F32;
import static org.transcuda.backend.cpu.Ir.F64;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.transcuda.ir.FloatMode;
import org.transcuda.ir.Opcode;
import org.transcuda.ir.ScalarType;

/** cvt between all integer and float types, every rounding mode, saturation, NaN, f16/bf16. */
class ConvertTest {
    static Gpu gpu;

    @BeforeAll
    static void start() throws Exception {
        gpu = new Gpu(2);
    }

    @AfterAll
    static void stop() {
        gpu.close();
    }

    static FloatMode m(String rounding, boolean ftz, boolean sat) {
        return new FloatMode(FloatMode.Rounding.valueOf(rounding), ftz, sat, false);
    }

    static long[] cvt(ScalarType to, ScalarType from, FloatMode mode, long[] in) throws Exception {
        return OpHarness.run(gpu, to, new ScalarType[] {from}, new long[][] {in}, (k, d, s) -> k.cvt(to, from, mode, d, s[0]));
    }

    /** Exact value of a half-format bit pattern, or null for inf/NaN. */
    static BigDecimal halfValue(int h, boolean bf16) {
        if (bf16) {
            float f = Float.intBitsToFloat(h << 16);
            return Float.isFinite(f) ? new BigDecimal(f) : null;
        }
        int s = (h >> 15) & 1;
        int e = (h >> 10) & 0x1f;
        int f = h & 0x3ff;
        if (e == 31) return null;
        BigDecimal v = e == 0 ? new BigDecimal(f).multiply(RefFloat.pow2(-24))
                : new BigDecimal(1024 + f).multiply(RefFloat.pow2(e - 25));
        return s == 1 ? v.negate() : v;
    }

    private static final java.util.Map<Boolean, java.util.TreeMap<BigDecimal, Integer>> HALVES = new java.util.HashMap<>();

    /** Bits of a finite reference value in a half format (the value must be representable). */
    static synchronized long halfBits(BigDecimal v, boolean negativeZero, boolean bf16) {
        if (v.signum() == 0) return negativeZero ? 0x8000 : 0;
        java.util.TreeMap<BigDecimal, Integer> table = HALVES.computeIfAbsent(bf16, b -> {
            java.util.TreeMap<BigDecimal, Integer> t = new java.util.TreeMap<>();
            for (int h = 0; h < 0x10000; h++) {
                BigDecimal x = halfValue(h, b);
                if (x != null && x.signum() != 0) t.putIfAbsent(x, h);
            }
            return t;
        });
        Integer h = table.get(v);
        if (h == null) {
            var e = table.floorEntry(v);
            if (e != null && e.getKey().compareTo(v) == 0) h = e.getValue();
        }
        if (h == null) throw new AssertionError("not representable: " + v);
        return h;
    }

    @ParameterizedTest
    @CsvSource({"RN", "RZ", "RM", "RP"})
    void f64ToF32(String rounding) throws Exception {
        Random r = new Random(rounding.hashCode());
        int n = 1500;
        long[] in = new long[n];
        for (int i = 0; i < n; i++) {
            double d = switch (i % 4) {
                case 0 -> RefFloat.randomDouble(r);
                case 1 -> (double) RefFloat.randomFloat(r) * (1 + r.nextDouble() * 1e-7);
                case 2 -> r.nextDouble() * 1e-40 * (r.nextBoolean() ? 1 : -1);
                default -> (r.nextDouble() + 1) * 3.4e38 * (r.nextBoolean() ? 1 : -1);
            };
            in[i] = Double.doubleToRawLongBits(d);
        }
        for (boolean ftz : new boolean[] {false, true}) {
            long[] out = cvt(F32, F64, m(rounding, ftz, false), in);
            for (int i = 0; i < n; i++) {
                double d = Double.longBitsToDouble(in[i]);
                BigDecimal ref = RefFloat.round(new BigDecimal(d), RefFloat.F32, RefFloat.Mode.valueOf(rounding));
                float e = ref == null ? (d > 0 ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY) : ref.floatValue();
                if (e == 0) e = Math.copySign(0f, (float) Math.signum(d) == 0 ? (float) d : (float) Math.signum(d));
                if (ftz && Math.abs(e) < Float.MIN_NORMAL) e = Math.copySign(0f, (float) Math.signum(d));
                assertEquals(Integer.toHexString(Float.floatToRawIntBits(e)), Integer.toHexString((int) out[i]),
                        "cvt." + rounding + (ftz ? ".ftz" : "") + ".f32.f64 " + d);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"F16,RN", "F16,RZ", "F16,RM", "F16,RP", "BF16,RN", "BF16,RZ", "BF16,RM", "BF16,RP"})
    void f32ToHalf(ScalarType to, String rounding) throws Exception {
        boolean bf = to == ScalarType.BF16;
        RefFloat.Fmt fmt = bf ? RefFloat.BF16 : RefFloat.F16;
        Random r = new Random(to.ordinal() * 7L + rounding.hashCode());
        int n = 1200;
        long[] in = new long[n];
        for (int i = 0; i < n; i++) {
            float f = switch (i % 3) {
                case 0 -> (float) ((r.nextDouble() - 0.5) * (bf ? 1e30 : 140000));
                case 1 -> (float) ((r.nextDouble() - 0.5) * 1e-5);
                default -> RefFloat.randomFloat(r);
            };
            in[i] = Float.floatToRawIntBits(f);
        }
        in[0] = 0x7fc00000L;
        long[] out = cvt(to, F32, m(rounding, false, false), in);
        assertEquals(0x7fff, out[0], "NaN");
        for (int i = 1; i < n; i++) {
            float f = Float.intBitsToFloat((int) in[i]);
            BigDecimal ref = RefFloat.round(new BigDecimal(f), fmt, RefFloat.Mode.valueOf(rounding));
            long e = ref == null ? (f > 0 ? (bf ? 0x7f80 : 0x7c00) : (bf ? 0xff80 : 0xfc00))
                    : halfBits(ref, f < 0 || (f == 0 && 1 / f < 0), bf);
            assertEquals(Long.toHexString(e), Long.toHexString(out[i] & 0xffff), "cvt." + rounding + "." + to + ".f32 " + f);
        }
    }

    @Test
    void halfToF32IsExactForEveryPattern() throws Exception {
        long[] in = new long[0x10000];
        for (int i = 0; i < in.length; i++) in[i] = i;
        for (ScalarType from : new ScalarType[] {ScalarType.F16, ScalarType.BF16}) {
            long[] out = cvt(F32, from, FloatMode.NONE, in);
            for (int h = 0; h < 0x10000; h++) {
                float got = Float.intBitsToFloat((int) out[h]);
                BigDecimal v = halfValue(h, from == ScalarType.BF16);
                if (v == null) {
                    boolean nan = from == ScalarType.BF16 ? Float.isNaN(Float.intBitsToFloat(h << 16)) : (h & 0x3ff) != 0;
                    if (nan) assertEquals(true, Float.isNaN(got), "NaN " + h);
                    else assertEquals((h & 0x8000) != 0 ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY, got);
                } else {
                    assertEquals(0, new BigDecimal(got).compareTo(v), from + " " + Integer.toHexString(h));
                    assertEquals((h & 0x8000) != 0, (Float.floatToRawIntBits(got) & 0x8000_0000) != 0, "sign");
                }
            }
        }
    }

    static final ScalarType[] INT_TYPES = {ScalarType.S8, ScalarType.U8, ScalarType.S16, ScalarType.U16,
        ScalarType.S32, ScalarType.U32, ScalarType.S64, ScalarType.U64};

    @ParameterizedTest
    @CsvSource({"RNI,F32", "RZI,F32", "RMI,F32", "RPI,F32", "RNI,F64", "RZI,F64", "RMI,F64", "RPI,F64"})
    void floatToIntegerSaturatesAndMapsNaN(String rounding, ScalarType from) throws Exception {
        Random r = new Random(rounding.hashCode() + from.ordinal());
        double[] specials = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.5, 1.5, 2.5, -0.5,
            -1.5, -2.5, 127.5, 128, -128.5, -129, 255.5, 256, 32767.5, 65535.5, 2147483647.5, 2147483648.0,
            -2147483648.5, 4294967295.7, 4294967296.0, 9.223372036854776E18, -9.3e18, 1.8446744073709552E19, 2e19,
            -0.0, 1e-30, -1e-30};
        int n = 600;
        long[] in = new long[n];
        for (int i = 0; i < n; i++) {
            double d = i < specials.length ? specials[i] : switch (i % 3) {
                case 0 -> (r.nextDouble() - 0.5) * Math.pow(2, r.nextInt(70));
                case 1 -> Math.floor((r.nextDouble() - 0.5) * 1000) + 0.5;
                default -> (r.nextDouble() - 0.5) * 300;
            };
            in[i] = from == F32 ? Float.floatToRawIntBits((float) d) & 0xffff_ffffL : Double.doubleToRawLongBits(d);
        }
        RoundingMode rm = switch (rounding) {
            case "RNI" -> RoundingMode.HALF_EVEN;
            case "RZI" -> RoundingMode.DOWN;
            case "RMI" -> RoundingMode.FLOOR;
            default -> RoundingMode.CEILING;
        };
        for (ScalarType to : INT_TYPES) {
            long[] out = cvt(to, from, m(rounding, false, false), in);
            int w = to.bits();
            boolean signed = to.kind() == ScalarType.Kind.SIGNED;
            BigInteger min = signed ? BigInteger.ONE.shiftLeft(w - 1).negate() : BigInteger.ZERO;
            BigInteger max = signed ? BigInteger.ONE.shiftLeft(w - 1).subtract(BigInteger.ONE)
                    : BigInteger.ONE.shiftLeft(w).subtract(BigInteger.ONE);
            for (int i = 0; i < n; i++) {
                double d = from == F32 ? Float.intBitsToFloat((int) in[i]) : Double.longBitsToDouble(in[i]);
                BigInteger e;
                // NaN: 0, except f32 to 64-bit and f64 to 32/64-bit integers give the lowest bit pattern of the
                // width's sign bit (observed on an H100, 2026-11-26; see H100NanRulesTest)
                if (Double.isNaN(d)) {
                    boolean minBit = (from == F32 && w == 64) || (from == F64 && w >= 32);
                    e = minBit ? (signed ? BigInteger.ONE.shiftLeft(w - 1).negate() : BigInteger.ONE.shiftLeft(w - 1))
                            : BigInteger.ZERO;
                }
                else if (Double.isInfinite(d)) e = d > 0 ? max : min;
                else e = new BigDecimal(d).setScale(0, rm).toBigInteger().max(min).min(max);
                assertEquals(IntegerOpsTest.wrap(e, to), out[i], "cvt." + rounding + "." + to + "." + from + " " + d);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"RN", "RZ", "RM", "RP"})
    void integerToFloat(String rounding) throws Exception {
        Random r = new Random(rounding.hashCode() * 3L);
        int n = 800;
        long[] in = new long[n];
        long[] edges = {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE, (1L << 53) + 1, (1L << 24) + 1, -(1L << 24) - 1,
            0xffff_ffffL, 0x8000_0001L, 0xffff_ffff_ffff_f801L, 0x7fff_ffff_ffff_fc00L};
        for (int i = 0; i < n; i++) {
            in[i] = i < edges.length ? edges[i] : switch (i % 3) {
                case 0 -> r.nextLong();
                case 1 -> r.nextLong() >> r.nextInt(64);
                default -> r.nextInt();
            };
        }
        for (ScalarType from : new ScalarType[] {ScalarType.S32, ScalarType.U32, ScalarType.S64, ScalarType.U64,
            ScalarType.S16, ScalarType.U8}) {
            for (ScalarType to : new ScalarType[] {F32, F64, ScalarType.F16}) {
                long[] out = cvt(to, from, m(rounding, false, false), in);
                RefFloat.Fmt fmt = to == F32 ? RefFloat.F32 : to == F64 ? RefFloat.F64 : RefFloat.F16;
                for (int i = 0; i < n; i++) {
                    BigInteger v = IntegerOpsTest.val(in[i], from);
                    if (from.kind() != ScalarType.Kind.SIGNED) v = v.mod(BigInteger.ONE.shiftLeft(from.bits()));
                    BigDecimal ref = RefFloat.round(new BigDecimal(v), fmt, RefFloat.Mode.valueOf(rounding));
                    long e;
                    if (to == F32) {
                        e = ref == null ? Float.floatToRawIntBits(v.signum() > 0 ? Float.POSITIVE_INFINITY
                                : Float.NEGATIVE_INFINITY) & 0xffff_ffffL : Float.floatToRawIntBits(ref.floatValue()) & 0xffff_ffffL;
                    } else if (to == F64) {
                        e = Double.doubleToRawLongBits(ref.doubleValue());
                    } else {
                        e = ref == null ? (v.signum() > 0 ? 0x7c00 : 0xfc00) : halfBits(ref, false, false);
                    }
                    long got = to == ScalarType.F16 ? out[i] & 0xffff : to == F32 ? out[i] & 0xffff_ffffL : out[i];
                    assertEquals(Long.toHexString(e), Long.toHexString(got), "cvt." + rounding + "." + to + "." + from + " " + v);
                }
            }
        }
    }

    @Test
    void integerToIntegerTruncatesExtendsAndSaturates() throws Exception {
        long[] in = IntegerOpsTest.values(300, 61);
        for (ScalarType from : INT_TYPES) {
            for (ScalarType to : INT_TYPES) {
                for (boolean sat : new boolean[] {false, true}) {
                    long[] out = cvt(to, from, new FloatMode(FloatMode.Rounding.DEFAULT, false, sat, false), in);
                    int w = to.bits();
                    boolean signed = to.kind() == ScalarType.Kind.SIGNED;
                    BigInteger min = signed ? BigInteger.ONE.shiftLeft(w - 1).negate() : BigInteger.ZERO;
                    BigInteger max = signed ? BigInteger.ONE.shiftLeft(w - 1).subtract(BigInteger.ONE)
                            : BigInteger.ONE.shiftLeft(w).subtract(BigInteger.ONE);
                    for (int i = 0; i < in.length; i++) {
                        BigInteger v = IntegerOpsTest.val(in[i], from);
                        BigInteger e = sat ? v.max(min).min(max) : v;
                        assertEquals(IntegerOpsTest.wrap(e, to), out[i], "cvt" + (sat ? ".sat." : ".") + to + "." + from + " " + v);
                    }
                }
            }
        }
    }

    @Test
    void floatToFloatIntegralRoundingSatAndFtz() throws Exception {
        float[] vals = {0.5f, 1.5f, 2.5f, -0.5f, -1.5f, 1.25f, -7.75f, 1e20f, Float.NaN, -0f, Float.MIN_VALUE * 7,
            2.0f, 0.999f, -3e-40f};
        long[] in = new long[vals.length];
        for (int i = 0; i < vals.length; i++) in[i] = Float.floatToRawIntBits(vals[i]) & 0xffff_ffffL;
        String[] modes = {"RNI", "RZI", "RMI", "RPI"};
        RoundingMode[] rms = {RoundingMode.HALF_EVEN, RoundingMode.DOWN, RoundingMode.FLOOR, RoundingMode.CEILING};
        for (int mi = 0; mi < 4; mi++) {
            long[] out = cvt(F32, F32, m(modes[mi], false, false), in);
            for (int i = 0; i < vals.length; i++) {
                float v = vals[i];
                if (Float.isNaN(v)) {
                    assertEquals(0x7fff_ffffL, out[i] & 0xffff_ffffL);
                    continue;
                }
                float e = new BigDecimal(v).setScale(0, rms[mi]).floatValue();
                if (e == 0) e = Math.copySign(0f, v);
                assertEquals(Float.floatToRawIntBits(e), (int) out[i], "cvt." + modes[mi] + ".f32.f32 " + v);
            }
        }
        long[] sat = cvt(F32, F32, m("DEFAULT", false, true), in);
        long[] ftz = cvt(F32, F32, m("DEFAULT", true, false), in);
        for (int i = 0; i < vals.length; i++) {
            float v = vals[i];
            float es = Float.isNaN(v) ? 0f : Math.min(1f, Math.max(0f, v));
            if (es == 0) es = 0f;
            assertEquals(Float.floatToRawIntBits(es), (int) sat[i], "cvt.sat.f32.f32 " + v);
            float ef = Math.abs(v) < Float.MIN_NORMAL ? Math.copySign(0f, v) : v;
            if (!Float.isNaN(v)) assertEquals(Float.floatToRawIntBits(ef), (int) ftz[i], "cvt.ftz.f32.f32 " + v);
        }
    }

    /** f16/bf16 arithmetic (scalar and packed pairs) rounds once to the half format. */
    @ParameterizedTest
    @CsvSource({"F16,ADD", "F16,MUL", "F16,FMA", "BF16,ADD", "BF16,MUL", "BF16,FMA", "F16X2,ADD", "F16X2,FMA"})
    void halfArithmetic(ScalarType t, Opcode op) throws Exception {
        boolean bf = t == ScalarType.BF16;
        boolean pairs = t == ScalarType.F16X2;
        RefFloat.Fmt fmt = bf ? RefFloat.BF16 : RefFloat.F16;
        Random r = new Random(t.ordinal() * 100L + op.ordinal());
        int n = 1000;
        long[][] ins = new long[3][n];
        for (int j = 0; j < 3; j++) {
            for (int i = 0; i < n; i++) {
                int lo;
                int hi;
                do {
                    lo = r.nextInt(0x10000);
                } while (halfValue(lo, bf) == null);
                do {
                    hi = r.nextInt(0x10000);
                } while (halfValue(hi, bf) == null);
                ins[j][i] = pairs ? ((long) hi << 16 | lo) : lo;
            }
        }
        int arity = op == Opcode.FMA ? 3 : 2;
        ScalarType[] types = arity == 3 ? new ScalarType[] {t, t, t} : new ScalarType[] {t, t};
        long[][] operands = arity == 3 ? ins : new long[][] {ins[0], ins[1]};
        long[] out = OpHarness.run(gpu, t, types, operands,
                (k, d, s) -> k.op(op, t, new FloatMode(FloatMode.Rounding.RN, false, false, false), d, s));
        for (int i = 0; i < n; i++) {
            for (int lane = 0; lane < (pairs ? 2 : 1); lane++) {
                int sh = 16 * lane;
                BigDecimal a = halfValue((int) (ins[0][i] >>> sh) & 0xffff, bf);
                BigDecimal b = halfValue((int) (ins[1][i] >>> sh) & 0xffff, bf);
                BigDecimal c = halfValue((int) (ins[2][i] >>> sh) & 0xffff, bf);
                BigDecimal x = switch (op) {
                    case ADD -> a.add(b);
                    case MUL -> a.multiply(b);
                    default -> a.multiply(b).add(c);
                };
                if (x.signum() == 0) continue;
                BigDecimal ref = RefFloat.round(x, fmt, RefFloat.Mode.RN);
                long e = ref == null ? (x.signum() > 0 ? (bf ? 0x7f80 : 0x7c00) : (bf ? 0xff80 : 0xfc00))
                        : halfBits(ref, x.signum() < 0, bf);
                assertEquals(Long.toHexString(e), Long.toHexString((out[i] >>> sh) & 0xffff), op + "." + t + " lane " + lane
                        + ": " + a + ", " + b + ", " + c);
            }
        }
    }
}
