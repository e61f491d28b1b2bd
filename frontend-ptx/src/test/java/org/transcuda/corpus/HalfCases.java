package org.transcuda.corpus;

import static org.transcuda.corpus.FpFormat.BF16;
import static org.transcuda.corpus.FpFormat.F16;
import static org.transcuda.corpus.FpFormat.F32;
import static org.transcuda.corpus.FpFormat.F64;

import java.util.ArrayList;
import java.util.List;

import org.transcuda.corpus.Ieee.Q;
import org.transcuda.corpus.Ieee.Rnd;

/** corpus/src/half.cu: binary16 and bfloat16 arithmetic, comparisons and conversions. */
final class HalfCases {

    private static final String PTX = "half.ptx";

    private HalfCases() {
    }

    static final short[] HALF_EDGES = {0x0000, (short) 0x8000, 0x3c00, (short) 0xbc00, 0x3800, 0x3e00, 0x4100,
        (short) 0xc100, 0x7bff, (short) 0xfbff, 0x0001, (short) 0x8001, 0x03ff, 0x0400, 0x7c00, (short) 0xfc00,
        0x7e00, 0x3c01, 0x3bff, 0x4248, 0x3555, 0x5640, (short) 0xd640, 0x1400};

    static final short[] BF16_EDGES = {0x0000, (short) 0x8000, 0x3f80, (short) 0xbf80, 0x3f00, 0x3fc0, 0x4020,
        (short) 0xc020, 0x7f7f, (short) 0xff7f, 0x7f80, (short) 0xff80, 0x7fc0, 0x3f81, 0x3f7f, 0x4049, 0x3eab,
        0x4b80, 0x2000, (short) 0xa000};

    static List<KernelCase> cases() {
        List<KernelCase> out = new ArrayList<>();
        Gen g = new Gen(0x16);
        short[][] p = pairs(HALF_EDGES, 400, g, false);
        short[] c = rotate(p[1], 5);
        out.add(f16Arith("", p[0], p[1], c, 128));
        out.add(f16x2("", g, 300, 64));
        out.add(f16Compare("", p[0], p[1], 128));
        out.add(f16Convert("", g, 500, 128));
        short[][] q = pairs(BF16_EDGES, 300, g, true);
        out.add(bf16("", q[0], q[1], rotate(q[1], 3), g, 64));
        return out;
    }

    static short randomHalf(Gen g) {
        return switch (g.nextInt(5)) {
            case 0 -> (short) (g.nextInt() & 0x83ff); // subnormal
            case 1 -> F16.isNaN(g.nextInt() & 0xffff) ? 0x4000 : (short) g.nextInt();
            default -> (short) (((g.nextInt(2) << 15) | ((g.range(8, 22)) << 10) | g.nextInt(1024)));
        };
    }

    static short randomBf16(Gen g) {
        // moderate exponents only (no subnormal results of products)
        return (short) ((g.nextInt(2) << 15) | (g.range(100, 154) << 7) | g.nextInt(128));
    }

    static short[][] pairs(short[] edges, int extra, Gen g, boolean bf16) {
        int n = edges.length * edges.length + extra;
        short[] a = new short[n], b = new short[n];
        int k = 0;
        for (short x : edges) {
            for (short y : edges) {
                a[k] = x;
                b[k++] = y;
            }
        }
        for (; k < n; k++) {
            a[k] = bf16 ? randomBf16(g) : randomHalf(g);
            b[k] = bf16 ? randomBf16(g) : randomHalf(g);
        }
        return new short[][] {a, b};
    }

    static short[] rotate(short[] a, int r) {
        short[] b = new short[a.length];
        for (int k = 0; k < a.length; k++) {
            b[k] = a[(k + r) % a.length];
        }
        return b;
    }

    static long h(short s) {
        return s & 0xffffL;
    }

    /** Exact-quotient check for __hdiv: 1 ulp of slack when the quotient is within 2^-20 of a rounding midpoint. */
    static Tol divTol(short x, short y) {
        if (!F16.isFinite(h(x)) || !F16.isFinite(h(y)) || F16.isZero(h(x)) || F16.isZero(h(y))) {
            return Tol.EXACT;
        }
        Q q = Q.of(F16, h(x)).div(Q.of(F16, h(y)));
        long r = Ieee.round(q, F16, Rnd.RN);
        if (F16.isInf(r)) {
            return Tol.ulps(1);
        }
        Q rv = Q.of(F16, r);
        long other = Ieee.round(q, F16, q.compareTo(rv) > 0 ? Rnd.RU : Rnd.RD);
        if (other == r || F16.isInf(other)) {
            return Tol.EXACT;
        }
        Q mid = rv.add(Q.of(F16, other)).mul(new Q(java.math.BigInteger.ONE, java.math.BigInteger.TWO));
        Q dist = q.sub(mid);
        Q rel = dist.div(q);
        Q limit = new Q(java.math.BigInteger.ONE, java.math.BigInteger.ONE.shiftLeft(20));
        boolean near = rel.compareTo(limit) < 0 && rel.neg().compareTo(limit) < 0;
        return near ? Tol.ulps(1) : Tol.EXACT;
    }

    static KernelCase f16Arith(String v, short[] a, short[] b, short[] c, int block) {
        int n = a.length;
        long[] out = new long[9 * n];
        Tol[] tol = CaseBuilder.exact(9 * n);
        for (int i = 0; i < n; i++) {
            long x = h(a[i]), y = h(b[i]), z = h(c[i]);
            out[i] = Ieee.add(F16, x, y, Rnd.RN);
            out[n + i] = Ieee.sub(F16, x, y, Rnd.RN);
            out[2 * n + i] = Ieee.mul(F16, x, y, Rnd.RN);
            out[3 * n + i] = Ieee.fma(F16, x, y, z, Rnd.RN);
            out[4 * n + i] = x ^ 0x8000;
            out[5 * n + i] = x & 0x7fff;
            out[6 * n + i] = Ieee.min(F16, x, y);
            out[7 * n + i] = Ieee.max(F16, x, y);
            out[8 * n + i] = Ieee.div(F16, x, y, Rnd.RN);
            tol[8 * n + i] = divTol(a[i], b[i]);
        }
        return new CaseBuilder(PTX, "f16_arith", v).cover(n, block).in("a", a).in("b", b).in("c", c)
                .outFp("out", F16, out, tol).u32("n", n).build();
    }

    static KernelCase f16x2(String v, Gen g, int n, int block) {
        short[] a = new short[2 * n], b = new short[2 * n], c = new short[2 * n];
        for (int k = 0; k < 2 * n; k++) {
            if (k < HALF_EDGES.length * 4) {
                a[k] = HALF_EDGES[k % HALF_EDGES.length];
                b[k] = HALF_EDGES[(k / HALF_EDGES.length + k) % HALF_EDGES.length];
                c[k] = HALF_EDGES[(3 * k + 1) % HALF_EDGES.length];
            } else {
                a[k] = randomHalf(g);
                b[k] = randomHalf(g);
                c[k] = g.nextInt(4) == 0 ? (short) 0x3800 : randomHalf(g);
            }
        }
        int m = 2 * n;
        long[] out = new long[6 * m];
        Tol[] tol = CaseBuilder.exact(6 * m);
        for (int k = 0; k < m; k++) {
            long x = h(a[k]), y = h(b[k]), z = h(c[k]);
            out[k] = Ieee.add(F16, x, y, Rnd.RN);
            out[m + k] = Ieee.mul(F16, x, y, Rnd.RN);
            out[2 * m + k] = Ieee.fma(F16, x, y, z, Rnd.RN);
            out[3 * m + k] = Ieee.max(F16, x, y);
            out[4 * m + k] = x ^ 0x8000;
            long s = Ieee.sat(F16, Ieee.fma(F16, x, y, z, Rnd.RN));
            out[5 * m + k] = s;
            if (F16.isZero(s)) {
                tol[5 * m + k] = Tol.ANY_ZERO;
            }
        }
        return new CaseBuilder(PTX, "f16x2_arith", v).cover(n, block).in("a", a).in("b", b).in("c", c)
                .outFp("out", F16, out, tol).u32("n", n).build();
    }

    static KernelCase f16Compare(String v, short[] a, short[] b, int block) {
        int n = a.length;
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            double x = F16.toDouble(h(a[i])), y = F16.toDouble(h(b[i]));
            out[i] = CompareCases.floatMask(x, y) | (Double.isNaN(x) ? 1 << 12 : 0);
        }
        return new CaseBuilder(PTX, "f16_compare", v).cover(n, block).in("a", a).in("b", b).out("out", out)
                .u32("n", n).build();
    }

    static KernelCase f16Convert(String v, Gen g, int n, int block) {
        float[] af = new float[n];
        double[] ad = new double[n];
        short[] ah = new short[n];
        int[] ai = new int[n];
        float[] fEdges = {0f, -0f, 1f, 65504f, 65519.996f, 65520f, -65520f, 1e6f, -1e6f, 0x1p-24f, 0x1p-25f,
            0x1.000002p-25f, 0x1.8p-24f, 0x1.4p-24f, 0x1p-14f, 0x1.ffcp-15f, 1.0004883f, 1.0009766f, 1.0014648f,
            -1.0004883f, 3.14159f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1e-10f, -1e-10f,
            0.33333334f, 2049f, 2051f, -2051f, 1e-45f};
        double[] dEdges = {0d, -0d, 1d, 65504d, 65519.99999999999, 65520d, 0x1p-24, 0x1p-25, 0x1.0000000000001p-25,
            1.00048828125, 1.000488281250001, 0.999755859375, Double.NaN, Double.NEGATIVE_INFINITY, 1e300, 1e-300,
            -2.00048828125};
        int[] iEdges = {0, 1, -1, 2048, 2049, 2050, 2051, 4097, 65504, 65519, 65520, 65535, 1 << 20, -65520,
            Integer.MAX_VALUE, Integer.MIN_VALUE, -2049};
        for (int i = 0; i < n; i++) {
            af[i] = i < fEdges.length ? fEdges[i]
                    : g.nextBoolean() ? g.moderateFloat() : Float.intBitsToFloat(0x38000000 + g.nextInt(0x0f000000));
            ad[i] = i < dEdges.length ? dEdges[i] : g.moderateDouble() * (g.nextBoolean() ? 1 : 1e-3);
            ah[i] = i < HALF_EDGES.length ? HALF_EDGES[i] : randomHalf(g);
            ai[i] = i < iEdges.length ? iEdges[i] : g.nextBoolean() ? g.range(-70000, 70000) : g.nextInt();
        }
        long[] hOut = new long[6 * n];
        float[] f = new float[n];
        int[] s = new int[4 * n];
        for (int i = 0; i < n; i++) {
            long fb = Float.floatToRawIntBits(af[i]) & 0xffffffffL;
            for (int m = 0; m < 4; m++) {
                hOut[m * n + i] = Ieee.convert(F32, fb, F16, Ieee.MODES[m]);
                s[m * n + i] = (int) Ieee.toInt(F16, h(ah[i]), Ieee.MODES[m], 32, true);
            }
            hOut[4 * n + i] = Ieee.convert(F64, Double.doubleToRawLongBits(ad[i]), F16, Rnd.RN);
            hOut[5 * n + i] = Ieee.fromLong(F16, ai[i], false, Rnd.RN);
            f[i] = (float) F16.toDouble(h(ah[i]));
        }
        return new CaseBuilder(PTX, "f16_convert", v).cover(n, block).in("af", af).in("ad", ad).in("ah", ah)
                .in("ai", ai).outFp("h", F16, hOut).out("f", f).out("s", s).u32("n", n).build();
    }

    static KernelCase bf16(String v, short[] a, short[] b, short[] c, Gen g, int block) {
        int n = a.length;
        float[] fa = new float[n];
        float[] faEdges = {0f, -0f, 1f, 1.00390625f, 1.0078125f, 1.01171875f, 1.0058594f, -1.0058594f, 1.0039063f,
            Float.MAX_VALUE, -Float.MAX_VALUE, 0x1.fep127f, 0x1.fdfffep127f, Float.NaN, Float.POSITIVE_INFINITY,
            3.14159265f, 1e-30f, -1e30f, 65504f, 0x1p-126f};
        for (int i = 0; i < n; i++) {
            fa[i] = i < faEdges.length ? faEdges[i] : g.moderateFloat() * (g.nextBoolean() ? 1e10f : 1f);
        }
        long one = 0x3f80, negZero = 0x8000;
        long[] out = new long[4 * n];
        float[] f = new float[n];
        long[] r = new long[2 * n];
        for (int i = 0; i < n; i++) {
            long x = h(a[i]), y = h(b[i]), z = h(c[i]);
            out[i] = Ieee.fma(BF16, x, one, y, Rnd.RN);
            out[n + i] = Ieee.fma(BF16, x, y, negZero, Rnd.RN);
            out[2 * n + i] = Ieee.fma(BF16, x, y, z, Rnd.RN);
            out[3 * n + i] = Ieee.max(BF16, x, y);
            f[i] = Float.intBitsToFloat((int) (x << 16));
            long fb = Float.floatToRawIntBits(fa[i]) & 0xffffffffL;
            r[i] = Ieee.convert(F32, fb, BF16, Rnd.RN);
            r[n + i] = Ieee.convert(F32, fb, BF16, Rnd.RZ);
        }
        return new CaseBuilder(PTX, "bf16_arith", v).cover(n, block).in("a", a).in("b", b).in("c", c).in("fa", fa)
                .outFp("out", BF16, out).out("f", f).outFp("r", BF16, r).u32("n", n).build();
    }
}
