package org.transcuda.corpus;

import static org.transcuda.corpus.FpFormat.F32;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.transcuda.corpus.Ieee.Rnd;

/** corpus/src/arith_float.cu: f32 arithmetic in every rounding mode, min/max, fmod/remainder, .ftz/.sat. */
final class ArithFloatCases {

    private static final String PTX = "arith_float.ptx";

    private ArithFloatCases() {
    }

    static List<KernelCase> cases() {
        List<KernelCase> out = new ArrayList<>();
        Gen g = new Gen(0xF32);
        float[][] p = Gen.pairs(Gen.FLOAT_EDGES, 300, g);
        float[][] t = triples(p[0], p[1], g, 300);
        float[] a = t[0], b = t[1], c = t[2];
        out.add(arith("", a, b, c, 128));
        out.add(arith("block40", Arrays.copyOf(a, 90), Arrays.copyOf(b, 90), Arrays.copyOf(c, 90), 40));
        out.add(minmax("", p[0], p[1], 128));
        out.add(addMul("", p[0], p[1], 64));
        out.add(fmaDiv("", a, b, c, 64));
        out.add(sqrtRcp("", sqrtInputs(g), 64));
        out.add(rem("", remA(p[0], g), remB(p[1], g), 128));
        out.add(ftzSat("", a, b, c, 128));
        return out;
    }

    /** Appends fma-stressing triples (c cancels the rounded product) to the pairs; c for pairs is rotated b. */
    static float[][] triples(float[] a0, float[] b0, Gen g, int extra) {
        int n = a0.length + extra;
        float[] a = Arrays.copyOf(a0, n), b = Arrays.copyOf(b0, n), c = new float[n];
        float[] rot = Gen.rotate(b0, 11);
        System.arraycopy(rot, 0, c, 0, a0.length);
        for (int k = a0.length; k < n; k++) {
            a[k] = g.moderateFloat();
            b[k] = g.moderateFloat();
            float prod = a[k] * b[k];
            c[k] = switch (k % 4) {
                case 0 -> -prod;
                case 1 -> -prod * (1 + 0x1p-23f);
                case 2 -> Math.ulp(prod) * 0.5f * (g.nextBoolean() ? 1 : -1);
                default -> g.moderateFloat();
            };
        }
        return new float[][] {a, b, c};
    }

    static int bits(float f) {
        return Float.floatToRawIntBits(f);
    }

    static float val(long bits) {
        return Float.intBitsToFloat((int) bits);
    }

    static float add(float x, float y, Rnd r) {
        return val(Ieee.add(F32, bits(x), bits(y), r));
    }

    static float sub(float x, float y, Rnd r) {
        return val(Ieee.sub(F32, bits(x), bits(y), r));
    }

    static float mul(float x, float y, Rnd r) {
        return val(Ieee.mul(F32, bits(x), bits(y), r));
    }

    static float fma(float x, float y, float z, Rnd r) {
        return val(Ieee.fma(F32, bits(x), bits(y), bits(z), r));
    }

    static float div(float x, float y, Rnd r) {
        return val(Ieee.div(F32, bits(x), bits(y), r));
    }

    static KernelCase arith(String v, float[] a, float[] b, float[] c, int block) {
        int n = a.length;
        float[] out = new float[6 * n];
        float[] alt = new float[6 * n];
        for (int i = 0; i < n; i++) {
            float x = a[i], y = b[i], z = c[i];
            // out[5] is mul.f32 + add.f32 without rounding modifiers: ptxas may contract it into an fma
            alt[5 * n + i] = add(mul(x, y, Rnd.RN), z, Rnd.RN);
            out[i] = add(x, y, Rnd.RN);
            out[n + i] = sub(x, y, Rnd.RN);
            out[2 * n + i] = mul(x, y, Rnd.RN);
            out[3 * n + i] = div(x, y, Rnd.RN);
            out[4 * n + i] = fma(x, y, z, Rnd.RN);
            out[5 * n + i] = fma(x, y, z, Rnd.RN);
        }
        System.arraycopy(out, 0, alt, 0, 5 * n);
        return new CaseBuilder(PTX, "f32_arith", v).cover(n, block).in("a", a).in("b", b).in("c", c)
                .outFp("out", F32, CaseBuilder.bitsOf(out), CaseBuilder.bitsOf(alt), CaseBuilder.exact(6 * n))
                .u32("n", n).build();
    }

    static KernelCase minmax(String v, float[] a, float[] b, int block) {
        int n = a.length;
        float[] out = new float[5 * n];
        for (int i = 0; i < n; i++) {
            float x = a[i], y = b[i];
            out[i] = val(Ieee.min(F32, bits(x), bits(y)));
            out[n + i] = val(Ieee.max(F32, bits(x), bits(y)));
            out[2 * n + i] = Float.intBitsToFloat(bits(x) & 0x7fffffff);
            out[3 * n + i] = Float.intBitsToFloat(bits(x) ^ 0x80000000);
            out[4 * n + i] = Float.intBitsToFloat((bits(x) & 0x7fffffff) | (bits(y) & 0x80000000));
        }
        return new CaseBuilder(PTX, "f32_minmax_abs_neg", v).cover(n, block).in("a", a).in("b", b).out("out", out)
                .u32("n", n).build();
    }

    static KernelCase addMul(String v, float[] a, float[] b, int block) {
        int n = a.length;
        float[] out = new float[12 * n];
        for (int i = 0; i < n; i++) {
            for (int m = 0; m < 4; m++) {
                Rnd r = Ieee.MODES[m];
                out[m * n + i] = add(a[i], b[i], r);
                out[(4 + m) * n + i] = sub(a[i], b[i], r);
                out[(8 + m) * n + i] = mul(a[i], b[i], r);
            }
        }
        return new CaseBuilder(PTX, "f32_add_mul_rounding", v).cover(n, block).in("a", a).in("b", b)
                .out("out", out).u32("n", n).build();
    }

    static KernelCase fmaDiv(String v, float[] a, float[] b, float[] c, int block) {
        int n = a.length;
        float[] out = new float[8 * n];
        for (int i = 0; i < n; i++) {
            for (int m = 0; m < 4; m++) {
                Rnd r = Ieee.MODES[m];
                out[m * n + i] = fma(a[i], b[i], c[i], r);
                out[(4 + m) * n + i] = div(a[i], b[i], r);
            }
        }
        return new CaseBuilder(PTX, "f32_fma_div_rounding", v).cover(n, block).in("a", a).in("b", b).in("c", c)
                .out("out", out).u32("n", n).build();
    }

    static float[] sqrtInputs(Gen g) {
        float[] a = g.floatsWithEdges(400);
        for (int k = Gen.FLOAT_EDGES.length; k < a.length; k += 3) {
            a[k] = Math.abs(a[k]);
        }
        a[a.length - 1] = 2f;
        a[a.length - 2] = 0x1.fffffep127f;
        a[a.length - 3] = 4f;
        a[a.length - 4] = 0x1p-149f;
        a[a.length - 5] = 3f;
        return a;
    }

    static KernelCase sqrtRcp(String v, float[] a, int block) {
        int n = a.length;
        float[] out = new float[8 * n];
        for (int i = 0; i < n; i++) {
            for (int m = 0; m < 4; m++) {
                Rnd r = Ieee.MODES[m];
                out[m * n + i] = val(Ieee.sqrt(F32, bits(a[i]), r));
                out[(4 + m) * n + i] = val(Ieee.rcp(F32, bits(a[i]), r));
            }
        }
        return new CaseBuilder(PTX, "f32_sqrt_rcp_rounding", v).cover(n, block).in("a", a).out("out", out)
                .u32("n", n).build();
    }

    static float[] remA(float[] a, Gen g) {
        float[] r = a.clone();
        for (int k = Gen.FLOAT_EDGES.length * Gen.FLOAT_EDGES.length; k < r.length; k++) {
            r[k] = g.moderateFloat() * (g.nextInt(3) == 0 ? 1e6f : 1f);
        }
        return r;
    }

    static float[] remB(float[] b, Gen g) {
        float[] r = b.clone();
        for (int k = Gen.FLOAT_EDGES.length * Gen.FLOAT_EDGES.length; k < r.length; k++) {
            r[k] = g.moderateFloat() * (g.nextInt(3) == 0 ? 1e-3f : 1f);
        }
        return r;
    }

    static KernelCase rem(String v, float[] a, float[] b, int block) {
        int n = a.length;
        float[] out = new float[2 * n];
        for (int i = 0; i < n; i++) {
            out[i] = a[i] % b[i];
            out[n + i] = (float) Math.IEEEremainder(a[i], b[i]);
        }
        return new CaseBuilder(PTX, "f32_rem", v).cover(n, block).in("a", a).in("b", b).out("out", out)
                .u32("n", n).build();
    }

    static long ftz(float x) {
        return Ieee.ftz(F32, bits(x));
    }

    static KernelCase ftzSat(String v, float[] a, float[] b, float[] c, int block) {
        int n = a.length;
        float[] out = new float[6 * n];
        Tol[] tol = CaseBuilder.exact(6 * n);
        for (int i = 0; i < n; i++) {
            long x = ftz(a[i]), y = ftz(b[i]), z = ftz(c[i]);
            out[i] = val(Ieee.ftz(F32, Ieee.add(F32, x, y, Rnd.RN)));
            long mul = Ieee.sat(F32, Ieee.mul(F32, bits(a[i]), bits(b[i]), Rnd.RN));
            out[n + i] = val(mul);
            if (F32.isZero(mul)) {
                tol[n + i] = Tol.ANY_ZERO;
            }
            long f = Ieee.fma(F32, x, y, z, Rnd.RN);
            long fs = Ieee.sat(F32, Ieee.ftz(F32, f));
            out[2 * n + i] = val(fs);
            if (F32.isZero(fs)) {
                tol[2 * n + i] = Tol.ANY_ZERO;
            }
            if (nearMinNormal(a[i], b[i], c[i], x, y, z)) {
                tol[2 * n + i] = Tol.abs(Float.MIN_NORMAL); // rounding at the flush boundary is not specified
            }
            out[3 * n + i] = val(Ieee.ftz(F32, Ieee.sub(F32, x, y, Rnd.RZ)));
            out[4 * n + i] = Float.isNaN(a[i]) || Float.isNaN(b[i]) ? Float.NaN : val(Ieee.min(F32, x, y));
            out[5 * n + i] = Float.isNaN(a[i]) || Float.isNaN(b[i]) ? Float.NaN
                    : val(Ieee.max(F32, bits(a[i]), bits(b[i])));
        }
        return new CaseBuilder(PTX, "f32_ftz_sat", v).cover(n, block).in("a", a).in("b", b).in("c", c)
                .out("out", out, tol).u32("n", n).build();
    }

    /** True when the exact fma result is inexact and within a factor 2 of the smallest normal. */
    private static boolean nearMinNormal(float a, float b, float c, long x, long y, long z) {
        if (!Float.isFinite(a) || !Float.isFinite(b) || !Float.isFinite(c) || F32.isZero(x) || F32.isZero(y)) {
            return false;
        }
        double p = Math.abs((double) val(x) * (double) val(y) + val(z));
        return p > Float.MIN_NORMAL / 2 && p < Float.MIN_NORMAL * 2;
    }
}
