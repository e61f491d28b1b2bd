package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.transcuda.backend.cpu.Ir.F32;
import static org.transcuda.backend.cpu.Ir.F64;
import static org.transcuda.backend.cpu.Ir.PRED;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.transcuda.ir.FloatMode;
import org.transcuda.ir.Inst;
import org.transcuda.ir.Opcode;
import org.transcuda.ir.ScalarType;

/** f32/f64 arithmetic in every rounding mode, ftz, sat, NaN rules and the approximate functions' bounds. */
class FloatOpsTest {
    static Gpu gpu;

    @BeforeAll
    static void start() throws Exception {
        gpu = new Gpu(2);
    }

    @AfterAll
    static void stop() {
        gpu.close();
    }

    static FloatMode mode(String r, boolean ftz, boolean sat) {
        return new FloatMode(FloatMode.Rounding.valueOf(r), ftz, sat, false);
    }

    static final MathContext WIDE = new MathContext(2000);

    static BigDecimal exactOp(Opcode op, BigDecimal a, BigDecimal b, BigDecimal c) {
        return switch (op) {
            case ADD -> a.add(b);
            case SUB -> a.subtract(b);
            case MUL -> a.multiply(b);
            case FMA -> a.multiply(b).add(c);
            default -> throw new IllegalArgumentException(op.toString());
        };
    }

    static float flush(float f) {
        return Math.abs(f) < Float.MIN_NORMAL ? Math.copySign(0f, f) : f;
    }

    /** Expected bits of an f32 op by exact arithmetic and reference rounding; null when not checkable. */
    static Integer expectF32(Opcode op, float a, float b, float c, RefFloat.Mode m, boolean ftz, boolean sat) {
        if (ftz) {
            a = flush(a);
            b = flush(b);
            c = flush(c);
        }
        BigDecimal x;
        BigDecimal ea = new BigDecimal(a);
        BigDecimal eb = new BigDecimal(b);
        if (op == Opcode.DIV) {
            if (b == 0) return null;
            x = ea.divide(eb, WIDE);
        } else if (op == Opcode.SQRT) {
            if (a < 0) return Fp.CANON_F32;
            x = ea.sqrt(WIDE);
        } else {
            x = exactOp(op, ea, eb, new BigDecimal(c));
        }
        if (x.signum() == 0) return null; // signs of exact zeros are checked separately
        BigDecimal r = RefFloat.round(x, RefFloat.F32, m);
        if (op == Opcode.DIV || op == Opcode.SQRT) {
            // the quotient/root was computed to 2000 digits: not exact, but far from any rounding boundary unless exact
            BigDecimal back = op == Opcode.DIV ? x.multiply(eb) : x.multiply(x);
            if (back.compareTo(ea) != 0 && RefFloat.round(x.add(x.ulp()), RefFloat.F32, m) != null
                    && !RefFloat.round(x.add(x.ulp()), RefFloat.F32, m).equals(r)) return null;
        }
        float f;
        if (r == null) f = x.signum() > 0 ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY;
        else f = r.floatValue();
        if (r != null && new BigDecimal(f).compareTo(r) != 0) throw new AssertionError("reference not representable");
        if (f == 0) f = x.signum() < 0 ? -0f : 0f;
        if (ftz) f = flush(f);
        if (sat) f = f != f ? 0 : Math.max(0f, Math.min(1f, f)) == 0 ? 0f : Math.min(1f, f);
        return Float.floatToRawIntBits(f);
    }

    @ParameterizedTest
    @CsvSource({"ADD,RN", "ADD,RZ", "ADD,RM", "ADD,RP", "SUB,RZ", "SUB,RP", "MUL,RN", "MUL,RZ", "MUL,RM", "MUL,RP",
        "FMA,RN", "FMA,RZ", "FMA,RM", "FMA,RP", "DIV,RN", "DIV,RZ", "DIV,RM", "DIV,RP", "SQRT,RN", "SQRT,RZ",
        "SQRT,RM", "SQRT,RP"})
    void f32RoundingModesMatchBigDecimal(Opcode op, String rounding) throws Exception {
        for (boolean ftz : new boolean[] {false, true}) {
            Random rnd = new Random(op.ordinal() * 31L + rounding.hashCode() + (ftz ? 7 : 0));
            int n = 1500;
            long[] a = new long[n];
            long[] b = new long[n];
            long[] c = new long[n];
            for (int i = 0; i < n; i++) {
                float x = RefFloat.randomFloat(rnd);
                float y = i % 3 == 0 ? Math.nextUp(x) * (rnd.nextBoolean() ? -1 : 1) : RefFloat.randomFloat(rnd);
                float z = i % 5 == 0 ? -(x * y) : RefFloat.randomFloat(rnd);
                if (!Float.isFinite(z)) z = RefFloat.randomFloat(rnd);
                if (op == Opcode.SQRT) x = Math.abs(x);
                a[i] = Float.floatToRawIntBits(x);
                b[i] = Float.floatToRawIntBits(y);
                c[i] = Float.floatToRawIntBits(z);
            }
            FloatMode m = mode(rounding, ftz, false);
            int arity = op == Opcode.FMA ? 3 : op == Opcode.SQRT ? 1 : 2;
            ScalarType[] types = arity == 3 ? new ScalarType[] {F32, F32, F32}
                    : arity == 2 ? new ScalarType[] {F32, F32} : new ScalarType[] {F32};
            long[][] ops = arity == 3 ? new long[][] {a, b, c} : arity == 2 ? new long[][] {a, b} : new long[][] {a};
            long[] r = OpHarness.run(gpu, F32, types, ops, (k, d, s) -> k.op(op, F32, m, d, s));
            int checked = 0;
            for (int i = 0; i < n; i++) {
                float x = Float.intBitsToFloat((int) a[i]);
                float y = Float.intBitsToFloat((int) b[i]);
                float z = Float.intBitsToFloat((int) c[i]);
                Integer e = expectF32(op, x, y, z, RefFloat.Mode.valueOf(rounding), ftz, false);
                if (e == null) continue;
                checked++;
                assertEquals(Integer.toHexString(e), Integer.toHexString((int) r[i]),
                        op + "." + rounding + (ftz ? ".ftz" : "") + " " + x + ", " + y + ", " + z);
            }
            assertTrue(checked > n * 0.7, "checked " + checked);
        }
    }

    static Long expectF64(Opcode op, double a, double b, double c, RefFloat.Mode m) {
        BigDecimal ea = new BigDecimal(a);
        BigDecimal eb = new BigDecimal(b);
        BigDecimal x;
        if (op == Opcode.DIV) {
            if (b == 0) return null;
            x = ea.divide(eb, WIDE);
            BigDecimal r1 = RefFloat.round(x, RefFloat.F64, m);
            BigDecimal r2 = RefFloat.round(x.add(x.ulp()), RefFloat.F64, m);
            BigDecimal r3 = RefFloat.round(x.subtract(x.ulp()), RefFloat.F64, m);
            if (x.multiply(eb).compareTo(ea) != 0 && (r1 == null || !r1.equals(r2) || !r1.equals(r3))) return null;
        } else if (op == Opcode.SQRT) {
            x = ea.sqrt(WIDE);
            BigDecimal r1 = RefFloat.round(x, RefFloat.F64, m);
            if (x.multiply(x).compareTo(ea) != 0 && !r1.equals(RefFloat.round(x.add(x.ulp()), RefFloat.F64, m))) return null;
        } else {
            x = exactOp(op, ea, eb, new BigDecimal(c));
        }
        if (x.signum() == 0) return null;
        BigDecimal r = RefFloat.round(x, RefFloat.F64, m);
        double d = r == null ? (x.signum() > 0 ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY) : r.doubleValue();
        if (d == 0) d = x.signum() < 0 ? -0.0 : 0.0;
        return Double.doubleToRawLongBits(d);
    }

    @ParameterizedTest
    @CsvSource({"ADD,RZ", "ADD,RM", "ADD,RP", "SUB,RM", "MUL,RZ", "MUL,RM", "MUL,RP", "FMA,RN", "FMA,RZ", "FMA,RM",
        "FMA,RP", "DIV,RZ", "DIV,RM", "DIV,RP", "SQRT,RZ", "SQRT,RP", "ADD,RN", "DIV,RN"})
    void f64RoundingModesMatchBigDecimal(Opcode op, String rounding) throws Exception {
        Random rnd = new Random(op.ordinal() * 17L + rounding.hashCode());
        int n = 800;
        long[] a = new long[n];
        long[] b = new long[n];
        long[] c = new long[n];
        for (int i = 0; i < n; i++) {
            double x = RefFloat.randomDouble(rnd);
            double y = i % 3 == 0 ? -Math.nextUp(x) : RefFloat.randomDouble(rnd);
            double z = i % 4 == 0 ? -(x * y) : RefFloat.randomDouble(rnd);
            if (!Double.isFinite(z)) z = RefFloat.randomDouble(rnd);
            if (op == Opcode.SQRT) x = Math.abs(x);
            a[i] = Double.doubleToRawLongBits(x);
            b[i] = Double.doubleToRawLongBits(y);
            c[i] = Double.doubleToRawLongBits(z);
        }
        FloatMode m = mode(rounding, false, false);
        int arity = op == Opcode.FMA ? 3 : op == Opcode.SQRT ? 1 : 2;
        ScalarType[] types = arity == 3 ? new ScalarType[] {F64, F64, F64}
                : arity == 2 ? new ScalarType[] {F64, F64} : new ScalarType[] {F64};
        long[][] ops = arity == 3 ? new long[][] {a, b, c} : arity == 2 ? new long[][] {a, b} : new long[][] {a};
        long[] r = OpHarness.run(gpu, F64, types, ops, (k, d, s) -> k.op(op, F64, m, d, s));
        int checked = 0;
        for (int i = 0; i < n; i++) {
            Long e = expectF64(op, Double.longBitsToDouble(a[i]), Double.longBitsToDouble(b[i]),
                    Double.longBitsToDouble(c[i]), RefFloat.Mode.valueOf(rounding));
            if (e == null) continue;
            checked++;
            assertEquals(Long.toHexString(e), Long.toHexString(r[i]), op + "." + rounding + " "
                    + Double.longBitsToDouble(a[i]) + ", " + Double.longBitsToDouble(b[i]) + ", "
                    + Double.longBitsToDouble(c[i]));
        }
        assertTrue(checked > n * 0.7, "checked " + checked);
    }

    static long f(float x) {
        return Float.floatToRawIntBits(x) & 0xffff_ffffL;
    }

    @Test
    void zerosNaNsSaturationAndFlush() throws Exception {
        float sub = Float.MIN_VALUE * 5;
        long nan = 0x7fc0_0001L;
        // (a, b) pairs for add with the expected sign of exact-zero results per rounding mode
        long[] a = {f(1.5f), f(-0f), f(0f), f(Float.POSITIVE_INFINITY), nan, f(sub), f(0.75f), f(3f)};
        long[] b = {f(-1.5f), f(-0f), f(-0f), f(Float.NEGATIVE_INFINITY), f(1f), f(sub), f(0.5f), f(-1f)};
        String[] modes = {"RN", "RZ", "RM", "RP"};
        for (String md : modes) {
            long[] r = OpHarness.run(gpu, F32, new ScalarType[] {F32, F32}, new long[][] {a, b},
                    (k, d, s) -> k.op(Opcode.ADD, F32, mode(md, false, false), d, s[0], s[1]));
            assertEquals(md.equals("RM") ? f(-0f) : f(0f), r[0], "x + -x in " + md);
            assertEquals(f(-0f), r[1], "-0 + -0");
            assertEquals(md.equals("RM") ? f(-0f) : f(0f), r[2], "+0 + -0 in " + md);
            assertEquals(0x7fff_ffffL, r[3], "inf - inf is the canonical NaN");
            assertEquals(0x7fff_ffffL, r[4], "NaN input gives the canonical NaN");
            assertEquals(f(sub * 2), r[5], "subnormals are kept without ftz");
        }
        long[] r = OpHarness.run(gpu, F32, new ScalarType[] {F32, F32}, new long[][] {a, b},
                (k, d, s) -> k.op(Opcode.ADD, F32, mode("RN", true, true), d, s[0], s[1]));
        assertEquals(f(0f), r[4], "sat turns NaN into +0");
        assertEquals(f(0f), r[5], "ftz flushes subnormal inputs");
        assertEquals(f(1f), r[6], "sat clamps 1.25 to 1");
        assertEquals(f(1f), r[7], "sat clamps 2 to 1");
        assertEquals(f(0f), r[0], "sat of +0");
        // min/max: NaN loses, both NaN give the canonical NaN, -0 < +0
        long[] x = {nan, f(2f), nan, f(-0f), f(0f)};
        long[] y = {f(3f), nan, nan, f(0f), f(-0f)};
        long[] mn = OpHarness.run(gpu, F32, new ScalarType[] {F32, F32}, new long[][] {x, y},
                (k, d, s) -> k.op(Opcode.MIN, F32, d, s[0], s[1]));
        long[] mx = OpHarness.run(gpu, F32, new ScalarType[] {F32, F32}, new long[][] {x, y},
                (k, d, s) -> k.op(Opcode.MAX, F32, d, s[0], s[1]));
        assertEquals(f(3f), mn[0]);
        assertEquals(f(2f), mn[1]);
        assertEquals(0x7fff_ffffL, mn[2]);
        assertEquals(f(-0f), mn[3]);
        assertEquals(f(-0f), mn[4]);
        assertEquals(f(0f), mx[3]);
        assertEquals(f(0f), mx[4]);
        // neg and abs act on the sign bit, except that a NaN gives the canonical NaN (H100 rule, see H100NanRulesTest)
        long[] neg = OpHarness.run(gpu, F32, new ScalarType[] {F32}, new long[][] {new long[] {nan, f(0f), f(-2f)}},
                (k, d, s) -> k.op(Opcode.NEG, F32, d, s[0]));
        assertEquals(0x7fff_ffffL, neg[0]);
        assertEquals(f(-0f), neg[1]);
        assertEquals(f(2f), neg[2]);
        // testp and setp ordered/unordered
        long[] tp = OpHarness.run(gpu, PRED, new ScalarType[] {F32}, new long[][] {new long[] {nan, f(sub), f(1f)}},
                (k, d, s) -> k.op(Opcode.TESTP_SUBNORMAL, F32, d, s[0]));
        assertEquals(0, tp[0]);
        assertEquals(1, tp[1]);
        assertEquals(0, tp[2]);
        long[] ne = OpHarness.run(gpu, PRED, new ScalarType[] {F32, F32}, new long[][] {{nan, f(1f)}, {f(1f), f(2f)}},
                (k, d, s) -> k.setp(Inst.CmpOp.NE, F32, d, s[0], s[1]));
        long[] neu = OpHarness.run(gpu, PRED, new ScalarType[] {F32, F32}, new long[][] {{nan, f(1f)}, {f(1f), f(2f)}},
                (k, d, s) -> k.setp(Inst.CmpOp.NEU, F32, d, s[0], s[1]));
        assertEquals(0, ne[0]);
        assertEquals(1, ne[1]);
        assertEquals(1, neu[0]);
        assertEquals(1, neu[1]);
    }

    /** The approximate instructions stay within NVIDIA's documented maximum errors. */
    @Test
    void approximateFunctionsWithinDocumentedBounds() throws Exception {
        int n = 4000;
        Random rnd = new Random(77);
        long[] trig = new long[n];
        long[] pos = new long[n];
        long[] any = new long[n];
        long[] unit = new long[n];
        for (int i = 0; i < n; i++) {
            trig[i] = f((float) ((rnd.nextDouble() * 2 - 1) * 100 * Math.PI));
            pos[i] = f(Math.abs(RefFloat.randomFloat(rnd)) + Float.MIN_NORMAL);
            any[i] = f((float) ((rnd.nextDouble() * 2 - 1) * 120));
            unit[i] = f((float) (0.5 + rnd.nextDouble() * 1.5));
        }
        FloatMode approx = new FloatMode(FloatMode.Rounding.DEFAULT, false, false, true);
        long[] sin = OpHarness.run(gpu, F32, new ScalarType[] {F32}, new long[][] {trig}, (k, d, s) -> k.op(Opcode.SIN, F32, approx, d, s[0]));
        long[] cos = OpHarness.run(gpu, F32, new ScalarType[] {F32}, new long[][] {trig}, (k, d, s) -> k.op(Opcode.COS, F32, approx, d, s[0]));
        long[] ex2 = OpHarness.run(gpu, F32, new ScalarType[] {F32}, new long[][] {any}, (k, d, s) -> k.op(Opcode.EX2, F32, approx, d, s[0]));
        long[] lg2 = OpHarness.run(gpu, F32, new ScalarType[] {F32}, new long[][] {pos}, (k, d, s) -> k.op(Opcode.LG2, F32, approx, d, s[0]));
        long[] lg2u = OpHarness.run(gpu, F32, new ScalarType[] {F32}, new long[][] {unit}, (k, d, s) -> k.op(Opcode.LG2, F32, approx, d, s[0]));
        long[] rsq = OpHarness.run(gpu, F32, new ScalarType[] {F32}, new long[][] {pos}, (k, d, s) -> k.op(Opcode.RSQRT, F32, approx, d, s[0]));
        long[] rcp = OpHarness.run(gpu, F32, new ScalarType[] {F32}, new long[][] {pos}, (k, d, s) -> k.op(Opcode.RCP, F32, approx, d, s[0]));
        long[] tanh = OpHarness.run(gpu, F32, new ScalarType[] {F32}, new long[][] {any}, (k, d, s) -> k.op(Opcode.TANH, F32, approx, d, s[0]));
        long[] div = OpHarness.run(gpu, F32, new ScalarType[] {F32, F32}, new long[][] {any, pos}, (k, d, s) -> k.op(Opcode.DIV, F32, approx, d, s[0], s[1]));
        for (int i = 0; i < n; i++) {
            double x = Float.intBitsToFloat((int) trig[i]);
            assertTrue(Math.abs(Float.intBitsToFloat((int) sin[i]) - Math.sin(x)) <= Math.pow(2, -20.5), "sin " + x);
            assertTrue(Math.abs(Float.intBitsToFloat((int) cos[i]) - Math.cos(x)) <= Math.pow(2, -20.5), "cos " + x);
            double a = Float.intBitsToFloat((int) any[i]);
            double e = Math.pow(2, a);
            assertTrue(Math.abs(Float.intBitsToFloat((int) ex2[i]) - e) <= Math.max(2 * Math.ulp((float) e), e * Math.pow(2, -22)), "ex2 " + a);
            double p = Float.intBitsToFloat((int) pos[i]);
            double l = Math.log(p) / Math.log(2);
            assertTrue(Math.abs(Float.intBitsToFloat((int) lg2[i]) - l) <= Math.abs(l) * Math.pow(2, -22) + 1e-30, "lg2 " + p);
            double u = Float.intBitsToFloat((int) unit[i]);
            assertTrue(Math.abs(Float.intBitsToFloat((int) lg2u[i]) - Math.log(u) / Math.log(2)) <= Math.pow(2, -22.6), "lg2 " + u);
            double rs = 1 / Math.sqrt(p);
            assertTrue(Math.abs(Float.intBitsToFloat((int) rsq[i]) - rs) <= rs * Math.pow(2, -22.9), "rsqrt " + p);
            float rc = Float.intBitsToFloat((int) rcp[i]);
            double exact = 1 / p;
            if (Math.abs(exact) < Float.MAX_VALUE) assertTrue(Math.abs(rc - exact) <= Math.ulp((float) exact), "rcp " + p);
            double th = Math.tanh(a);
            assertTrue(Math.abs(Float.intBitsToFloat((int) tanh[i]) - th) <= Math.abs(th) * Math.pow(2, -11) + 1e-38, "tanh " + a);
            double q = a / p;
            if (Math.abs(q) < Float.MAX_VALUE && Math.abs(q) > Float.MIN_NORMAL) {
                assertTrue(Math.abs(Float.intBitsToFloat((int) div[i]) - q) <= 2 * Math.ulp((float) q), "div.approx " + a + "/" + p);
            }
        }
    }
}
