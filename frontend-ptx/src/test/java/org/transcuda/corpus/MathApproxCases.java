package org.transcuda.corpus;

import static org.transcuda.corpus.FpFormat.F32;
import static org.transcuda.corpus.FpFormat.F64;

import java.util.ArrayList;
import java.util.List;

import org.transcuda.corpus.Ieee.Rnd;

/**
 * corpus/src/math_approx.cu. Approximations are compared with the maximum errors that the PTX ISA
 * documents for each {@code .approx} instruction and the CUDA math API documents for each function
 * (plus one ulp for the rounding of this reference, computed in double precision with StrictMath);
 * the IEEE forms are exact.
 */
final class MathApproxCases {

    private static final String PTX = "math_approx.ptx";

    private MathApproxCases() {
    }

    static List<KernelCase> cases() {
        List<KernelCase> out = new ArrayList<>();
        Gen g = new Gen(0x3A7);
        out.add(intrinsics("", g, 400, 128));
        out.add(ptxApprox("", g, 400, 128));
        out.add(approxF64("", g, 300, 128));
        out.add(precise("", g, 600, 128));
        out.add(libmF32("", g, 500, 128));
        out.add(libmF64("", g, 400, 128));
        return out;
    }

    /** sin/cos.approx absolute error: 2^-20.5 in [-2pi, 2pi], 2^-14.7 in [-100pi, 100pi], no guarantee beyond. */
    static double sinErr(double x) {
        return Math.abs(x) <= 2 * Math.PI ? p2(-20.5) : Math.abs(x) <= 100 * Math.PI ? p2(-14.7) : 2;
    }

    static double p2(double e) {
        return StrictMath.pow(2, e);
    }

    /** Tolerance: relative error rel of the true value, plus half an ulp for rounding the reference. */
    static Tol rel(float e, double exact, double rel) {
        if (!Float.isFinite(e) || e == 0 && exact == 0) {
            return Tol.ulps(1);
        }
        return new Tol(0, rel * Math.abs(exact) + 0.5 * Math.ulp(e));
    }

    static Tol absF(float e, double abs) {
        if (!Float.isFinite(e)) {
            return Tol.EXACT;
        }
        return new Tol(0, abs + 0.5 * Math.ulp(e));
    }

    /** The documented lg2.approx error: absolute 2^-22 in (0.5, 2), relative 2^-22 elsewhere. */
    static double lg2Err(double x, double l) {
        return x > 0.5 && x < 2 ? p2(-22) : p2(-22) * Math.abs(l);
    }

    static double log2(double x) {
        return StrictMath.log(x) / StrictMath.log(2);
    }

    static KernelCase intrinsics(String v, Gen g, int n, int block) {
        float[] a = new float[n], b = new float[n];
        float[] edges = {0f, -0f, 1f, -1f, 2f, 0.5f, 3.1f, -3.1f, 1.5f, 0.75f, 1e-3f, 10f, 0.6f, 1.9f};
        for (int i = 0; i < n; i++) {
            a[i] = i < edges.length ? edges[i] : (float) (g.nextDouble() * 6.2 - 3.1);
            float m = (float) (0.25 + g.nextDouble() * 3.75);
            b[i] = i % 7 == 3 ? 0f : g.nextBoolean() ? m : -m;
        }
        a[n - 1] = 0f;
        b[n - 1] = -2f; // __powf(0, -2) = ex2(-2 * -inf) = +inf
        a[n - 2] = -2f;
        b[n - 2] = 2f; // __powf(negative, .) = ex2(b * NaN) = NaN
        float[] out = new float[10 * n];
        Tol[] tol = new Tol[10 * n];
        for (int i = 0; i < n; i++) {
            double x = a[i], y = b[i];
            double d20 = sinErr(x);
            double s = StrictMath.sin(x), c = StrictMath.cos(x);
            set(out, tol, 0 * n + i, s, e -> absF(e, d20));
            set(out, tol, 1 * n + i, c, e -> absF(e, d20));
            double ex = StrictMath.exp(x);
            set(out, tol, 2 * n + i, ex, e -> new Tol(3 + Math.floor(Math.abs(1.173 * x)), -1));
            set(out, tol, 3 * n + i, StrictMath.pow(10, x), e -> new Tol(3 + Math.floor(Math.abs(2.97 * x)), -1));
            double l2 = log2(x);
            boolean mid = x >= 0.5 && x <= 2;
            set(out, tol, 4 * n + i, l2, e -> x <= 0 ? Tol.EXACT : rel0(e, l2, lg2Err(x, l2)));
            double ln = StrictMath.log(x);
            set(out, tol, 5 * n + i, ln, e -> x <= 0 ? Tol.EXACT : mid ? absF(e, p2(-21.41)) : Tol.ulps(4));
            double lg = StrictMath.log10(x);
            set(out, tol, 6 * n + i, lg, e -> x <= 0 ? Tol.EXACT : mid ? absF(e, p2(-23)) : Tol.ulps(4));
            set(out, tol, 7 * n + i, x / y, e -> Tol.ulps(3));
            // __powf = ex2(b * lg2(a)), special values following that composition
            double p = y * l2;
            double pw = StrictMath.pow(2, p);
            double errP = Math.abs(y) * lg2Err(x, l2) + p2(-24) * Math.abs(p);
            set(out, tol, 8 * n + i, pw, e -> rel(e, pw, Math.log(2) * errP * 1.5 + 3 * p2(-23)));
            double t = s / c;
            set(out, tol, 9 * n + i, t, e -> absF(e, d20 * (1 + Math.abs(t)) / Math.abs(c) * 1.25 + 3 * Math.ulp(e)));
        }
        return new CaseBuilder(PTX, "approx_intrinsics_f32", v).cover(n, block).in("a", a).in("b", b)
                .out("out", out, tol).u32("n", n).build();
    }

    /** Relative tolerance against an absolute error bound {@code err} of the true value. */
    static Tol rel0(float e, double exact, double err) {
        if (!Float.isFinite(e)) {
            return Tol.EXACT;
        }
        return new Tol(0, err + 0.5 * Math.ulp(e));
    }

    interface TolOf {
        Tol of(float expected);
    }

    static void set(float[] out, Tol[] tol, int k, double exact, TolOf t) {
        float e = (float) exact;
        out[k] = e;
        tol[k] = Double.isNaN(exact) ? Tol.EXACT : t.of(e);
    }

    static KernelCase ptxApprox(String v, Gen g, int n, int block) {
        float[] a = new float[n], b = new float[n];
        float[] edges = {0f, -0f, 1f, -1f, 2f, 4f, 0.5f, 0.75f, 1.5f, 3f, 100f, 1e-3f, -2.5f, 6.2f, -6.2f, 1e6f,
            1e-20f, 30f, -30f, 1000f, -1000f, 0.1f};
        for (int i = 0; i < n; i++) {
            if (i < edges.length) {
                a[i] = edges[i];
            } else {
                a[i] = switch (i % 3) {
                    case 0 -> (float) (g.nextDouble() * 12 - 6);
                    case 1 -> (float) p2(g.nextDouble() * 40 - 20);
                    default -> (float) -p2(g.nextDouble() * 10 - 5);
                };
            }
            float m = (float) p2(g.nextDouble() * 20 - 10);
            b[i] = g.nextBoolean() ? m : -m;
        }
        float[] out = new float[12 * n];
        Tol[] tol = new Tol[12 * n];
        for (int i = 0; i < n; i++) {
            double x = a[i], y = b[i];
            set(out, tol, i, 1 / x, e -> Tol.ulps(2));
            set(out, tol, n + i, 1 / x, e -> Tol.ulps(2));
            double rs = x == 0 ? Math.copySign(Double.POSITIVE_INFINITY, x) : 1 / StrictMath.sqrt(x);
            set(out, tol, 2 * n + i, rs, e -> rel(e, rs, p2(-22.9)));
            double sq = StrictMath.sqrt(x);
            set(out, tol, 3 * n + i, sq, e -> rel(e, sq, p2(-23)));
            double e2 = StrictMath.pow(2, x);
            set(out, tol, 4 * n + i, e2, e -> Tol.ulps(3));
            double l2 = x == 0 ? Double.NEGATIVE_INFINITY : log2(x);
            set(out, tol, 5 * n + i, l2, e -> rel0(e, l2, lg2Err(x, l2)));
            double th = StrictMath.tanh(x);
            set(out, tol, 6 * n + i, th, e -> rel(e, th, p2(-11)));
            set(out, tol, 7 * n + i, x / y, e -> Tol.ulps(3));
            double s = StrictMath.sin(x);
            set(out, tol, 8 * n + i, s, e -> absF(e, sinErr(x)));
            set(out, tol, 9 * n + i, rs, e -> rel(e, rs, p2(-22.9)));
            set(out, tol, 10 * n + i, e2, e -> Tol.ulps(3));
            set(out, tol, 11 * n + i, x / y, e -> Tol.ulps(3));
        }
        return new CaseBuilder(PTX, "approx_ptx_f32", v).cover(n, block).in("a", a).in("b", b)
                .out("out", out, tol).u32("n", n).build();
    }

    static KernelCase approxF64(String v, Gen g, int n, int block) {
        double[] a = new double[n];
        double[] edges = {1, 2, 3, 0.5, 1e300, 1e-300, -4, 1.0000001, 7, 1e10, 123.456, -0.001};
        for (int i = 0; i < n; i++) {
            a[i] = i < edges.length ? edges[i] : p2(g.nextDouble() * 200 - 100) * (i % 9 == 0 ? -1 : 1);
        }
        double[] out = new double[5 * n];
        Tol[] tol = new Tol[5 * n];
        for (int i = 0; i < n; i++) {
            double x = a[i];
            double r = 1 / x, rs = 1 / StrictMath.sqrt(x);
            out[i] = r;
            tol[i] = new Tol(0, Math.abs(r) * p2(-17)); // "gross" approximation from 20 mantissa bits
            out[n + i] = rs;
            tol[n + i] = Double.isNaN(rs) ? Tol.EXACT : new Tol(0, Math.abs(rs) * p2(-17));
            out[2 * n + i] = rs;
            tol[2 * n + i] = Tol.ulps(2);
            out[3 * n + i] = Ieee.f64(Ieee.rcp(F64, Ieee.f64(x), Rnd.RN));
            tol[3 * n + i] = Tol.EXACT;
            out[4 * n + i] = Math.sqrt(x);
            tol[4 * n + i] = Tol.EXACT;
        }
        return new CaseBuilder(PTX, "approx_f64", v).cover(n, block).in("a", a).out("out", out, tol).u32("n", n)
                .build();
    }

    static KernelCase precise(String v, Gen g, int n, int block) {
        float[][] p = Gen.pairs(Gen.FLOAT_EDGES, n, g);
        float[] a = p[0], b = p[1];
        int m = a.length;
        float[] out = new float[6 * m];
        long three = Ieee.f32(3f) & 0xffffffffL;
        for (int i = 0; i < m; i++) {
            long x = Ieee.f32(a[i]) & 0xffffffffL, y = Ieee.f32(b[i]) & 0xffffffffL;
            out[i] = Ieee.f32(Ieee.div(F32, x, y, Rnd.RN));
            out[m + i] = Ieee.f32(Ieee.sqrt(F32, x, Rnd.RN));
            out[2 * m + i] = Ieee.f32(Ieee.rcp(F32, x, Rnd.RN));
            out[3 * m + i] = out[i];
            out[4 * m + i] = Ieee.f32(Ieee.div(F32, x, three, Rnd.RN));
            long yy = Ieee.mul(F32, y, y, Rnd.RN);
            out[5 * m + i] = Ieee.f32(Ieee.sqrt(F32, Ieee.fma(F32, x, x, yy, Rnd.RN), Rnd.RN));
        }
        return new CaseBuilder(PTX, "precise_f32", v).cover(m, block).in("a", a).in("b", b).out("out", out)
                .u32("n", m).build();
    }

    /** erf in double precision: 2/sqrt(pi) exp(-x^2) sum 2^k x^(2k+1) / (2k+1)!! (all terms positive). */
    static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double ax = Math.abs(x);
        if (ax > 6) {
            return Math.copySign(1, x);
        }
        double term = ax, sum = ax, x2 = ax * ax;
        for (int k = 1; k < 500; k++) {
            term *= 2 * x2 / (2 * k + 1);
            sum += term;
            if (term < sum * 1e-18) {
                break;
            }
        }
        double r = 2 / StrictMath.sqrt(Math.PI) * StrictMath.exp(-x2) * sum;
        return Math.copySign(Math.min(r, 1), x);
    }

    static KernelCase libmF32(String v, Gen g, int n, int block) {
        float[] a = new float[n], b = new float[n];
        float[] ae = {0f, -0f, 1f, -1f, 2f, 0.5f, 3.14159265f, 10f, -10f, 1e-3f, 100f, 1e4f, -0.9f, 0.3f, 4f};
        float[] be = {1f, 2f, 0.5f, -1f, 3f, -2f, 1f, 1.5f, 0.25f, 2f, 0.1f, -1f, 2f, 3f, 0.5f};
        for (int i = 0; i < n; i++) {
            if (i < ae.length) {
                a[i] = ae[i];
                b[i] = be[i];
            } else {
                a[i] = switch (i % 3) {
                    case 0 -> (float) (g.nextDouble() * 20 - 10);
                    case 1 -> (float) p2(g.nextDouble() * 10 - 5);
                    default -> (float) (g.nextDouble() * 2 - 1);
                };
                b[i] = (float) (g.nextDouble() * 6 - 3);
            }
        }
        float[] out = new float[11 * n];
        Tol[] tol = new Tol[11 * n];
        for (int i = 0; i < n; i++) {
            double x = a[i], y = b[i];
            double[] r = {StrictMath.sin(x), StrictMath.cos(x), StrictMath.exp(x), StrictMath.log(x),
                StrictMath.pow(x, y), StrictMath.tanh(x), StrictMath.atan2(x, y), erf(x), StrictMath.cbrt(x),
                StrictMath.pow(2, x), StrictMath.log1p(x)};
            int[] ulps = {2, 2, 2, 1, 4, 2, 3, 2, 1, 2, 1};
            for (int k = 0; k < r.length; k++) {
                out[k * n + i] = (float) r[k];
                tol[k * n + i] = Tol.ulps(ulps[k] + 1);
            }
        }
        return new CaseBuilder(PTX, "libm_f32", v).cover(n, block).in("a", a).in("b", b).out("out", out, tol)
                .u32("n", n).build();
    }

    static KernelCase libmF64(String v, Gen g, int n, int block) {
        double[] a = new double[n], b = new double[n];
        double[] ae = {0, -0d, 1, -1, 2, 0.5, Math.PI, 10, -10, 1e-3, 100, 1e6, 700, -700, 3};
        double[] be = {1, 2, 0.5, -1, 3, -2, 1, 1.5, 0.25, 2, 0.1, -1, 1, 1, 100};
        for (int i = 0; i < n; i++) {
            if (i < ae.length) {
                a[i] = ae[i];
                b[i] = be[i];
            } else {
                a[i] = switch (i % 3) {
                    case 0 -> g.nextDouble() * 40 - 20;
                    case 1 -> p2(g.nextDouble() * 40 - 20);
                    default -> g.nextDouble() * 2 - 1;
                };
                b[i] = g.nextDouble() * 10 - 5;
            }
        }
        double[] out = new double[5 * n];
        Tol[] tol = new Tol[5 * n];
        int[] ulps = {2, 1, 1, 2, 2};
        for (int i = 0; i < n; i++) {
            double x = a[i], y = b[i];
            double[] r = {StrictMath.sin(x), StrictMath.exp(x), StrictMath.log(x), StrictMath.pow(x, y),
                StrictMath.atan(x)};
            for (int k = 0; k < 5; k++) {
                out[k * n + i] = r[k];
                tol[k * n + i] = Tol.ulps(ulps[k] + 1);
            }
        }
        return new CaseBuilder(PTX, "libm_f64", v).cover(n, block).in("a", a).in("b", b).out("out", out, tol)
                .u32("n", n).build();
    }
}
