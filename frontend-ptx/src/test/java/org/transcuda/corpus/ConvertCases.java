package org.transcuda.corpus;

import static org.transcuda.corpus.FpFormat.F32;
import static org.transcuda.corpus.FpFormat.F64;

import java.util.ArrayList;
import java.util.List;

import org.transcuda.corpus.Ieee.Rnd;

/** corpus/src/convert.cu: cvt between every scalar type and rounding mode, saturation, bit casts. */
final class ConvertCases {

    private static final String PTX = "convert.ptx";

    private ConvertCases() {
    }

    static List<KernelCase> cases() {
        List<KernelCase> out = new ArrayList<>();
        Gen g = new Gen(0xC47);
        out.add(f32ToInt("", floatInputs(g, 700), 128));
        out.add(f64ToInt("", doubleInputs(g, 700), 128));
        out.add(intToF32("", g, 700, 128));
        out.add(intToF64("", g, 700, 128));
        out.add(f32F64("", g, 700, 128));
        out.add(roundIntegral("", floatInputs(g, 600), doubleInputs(g, 600), 128));
        out.add(intWidths("", g, 500, 128));
        out.add(narrowMemory("", g, 500, 128));
        out.add(bitcast("", g, 300, 64));
        out.add(tf32("", g, 600, 128));
        out.add(tf32("block1", g, 1, 1));
        return out;
    }

    static float[] floatInputs(Gen g, int n) {
        float[] a = g.floatsWithEdges(n);
        float[] extra = {0.5f, 1.5f, 2.5f, -0.5f, -1.5f, -2.5f, 0.49999997f, -0.49999997f, 0.50000006f, 2147483520f,
            2147483648f, -2147483648f, -2147483904f, 4294967040f, 4294967296f, 9223371487098961920f,
            9223372036854775808f, -9223372036854775808f, -9223373136366403584f, 18446742974197923840f,
            18446744073709551616f, -0.7f, -1f, 0.99999994f, 8388607.5f, -8388607.5f, 1e-30f, -1e-30f, 3.5f, -3.5f};
        int base = Gen.FLOAT_EDGES.length;
        System.arraycopy(extra, 0, a, base, extra.length);
        for (int k = base + extra.length; k < n; k++) {
            a[k] = switch (k % 3) {
                case 0 -> (float) (g.nextInt(20001) - 10000) / 8f;
                case 1 -> g.moderateFloat() * 1e3f;
                default -> g.anyFloat();
            };
        }
        return a;
    }

    static double[] doubleInputs(Gen g, int n) {
        double[] a = g.doublesWithEdges(n);
        double[] extra = {0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.49999999999999994, 2147483647.0, 2147483647.4,
            2147483647.6, -2147483648.4, -2147483648.6, 4294967295.4, 4294967295.6, 4294967296.0, -0.4, -0.6,
            9223372036854774784d, 9223372036854775808d, -9223372036854775808d, -9223372036854777856d,
            18446744073709549568d, 18446744073709551616d, 4503599627370497.0, -4503599627370497.0, 1e-300, 3.5, -3.5};
        int base = Gen.DOUBLE_EDGES.length;
        System.arraycopy(extra, 0, a, base, extra.length);
        for (int k = base + extra.length; k < n; k++) {
            a[k] = switch (k % 3) {
                case 0 -> (double) (g.nextInt(20001) - 10000) / 8d;
                case 1 -> g.moderateDouble() * 1e12;
                default -> g.anyDouble();
            };
        }
        return a;
    }

    static KernelCase f32ToInt(String v, float[] a, int block) {
        int n = a.length;
        int[] s32 = new int[4 * n], u32 = new int[4 * n];
        long[] s64 = new long[4 * n], u64 = new long[4 * n];
        for (int i = 0; i < n; i++) {
            long x = Float.floatToRawIntBits(a[i]) & 0xffffffffL;
            for (int m = 0; m < 4; m++) {
                Rnd r = Ieee.MODES[m];
                s32[m * n + i] = (int) Ieee.toInt(F32, x, r, 32, true);
                u32[m * n + i] = (int) Ieee.toInt(F32, x, r, 32, false);
                s64[m * n + i] = Ieee.toInt(F32, x, r, 64, true);
                u64[m * n + i] = Ieee.toInt(F32, x, r, 64, false);
            }
        }
        return new CaseBuilder(PTX, "cvt_f32_to_int", v).cover(n, block).in("a", a).out("s32", s32).out("u32", u32)
                .out("s64", s64).out("u64", u64).u32("n", n).build();
    }

    static KernelCase f64ToInt(String v, double[] a, int block) {
        int n = a.length;
        int[] s32 = new int[4 * n], u32 = new int[4 * n];
        long[] s64 = new long[4 * n], u64 = new long[4 * n];
        for (int i = 0; i < n; i++) {
            long x = Double.doubleToRawLongBits(a[i]);
            for (int m = 0; m < 4; m++) {
                Rnd r = Ieee.MODES[m];
                s32[m * n + i] = (int) Ieee.toInt(F64, x, r, 32, true);
                u32[m * n + i] = (int) Ieee.toInt(F64, x, r, 32, false);
                s64[m * n + i] = Ieee.toInt(F64, x, r, 64, true);
                u64[m * n + i] = Ieee.toInt(F64, x, r, 64, false);
            }
        }
        return new CaseBuilder(PTX, "cvt_f64_to_int", v).cover(n, block).in("a", a).out("s32", s32).out("u32", u32)
                .out("s64", s64).out("u64", u64).u32("n", n).build();
    }

    /** Integers around the float and double significand limits and the type limits. */
    static long[] intSources(Gen g, int n, int bits) {
        long[] a = new long[n];
        long[] edges = {0, 1, -1, 16777216, 16777217, 16777218, 16777219, 33554435, -16777217, 2147483647,
            -2147483648, 2147483584L, 2147483585L, 2147483647 - 64, 4294967295L, 4294967167L, 4294967168L,
            9007199254740993L, 9007199254740995L, -9007199254740993L, Long.MAX_VALUE, Long.MIN_VALUE, -1L >>> 1,
            0x7fffff8000000001L, 0x7fffffbfffffffffL, 0xffffff7fffffffffL, 0xffffff8000000000L, 0x8000008000000000L,
            0x8000007fffffffffL, 0xfffffffffffff801L, 0xfffffffffffffc00L, 12345678912345L};
        for (int k = 0; k < n; k++) {
            long x = k < edges.length ? edges[k] : switch (k % 4) {
                case 0 -> g.nextLong() >> g.nextInt(64);
                case 1 -> (1L << g.nextInt(63)) + g.nextInt(9) - 4;
                case 2 -> g.nextInt();
                default -> g.nextLong();
            };
            a[k] = x;
        }
        return a;
    }

    static int[] low32(long[] v) {
        int[] r = new int[v.length];
        for (int k = 0; k < v.length; k++) {
            r[k] = (int) v[k];
        }
        return r;
    }

    static KernelCase intToF32(String v, Gen g, int n, int block) {
        long[] src = intSources(g, n, 64);
        int[] si = low32(src), ui = low32(Gen.rotate(src, 7));
        long[] sl = Gen.rotate(src, 3), ul = Gen.rotate(src, 11);
        float[] out = new float[16 * n];
        for (int i = 0; i < n; i++) {
            for (int m = 0; m < 4; m++) {
                Rnd r = Ieee.MODES[m];
                out[m * n + i] = Ieee.f32(Ieee.fromLong(F32, si[i], false, r));
                out[(4 + m) * n + i] = Ieee.f32(Ieee.fromLong(F32, ui[i] & 0xffffffffL, false, r));
                out[(8 + m) * n + i] = Ieee.f32(Ieee.fromLong(F32, sl[i], false, r));
                out[(12 + m) * n + i] = Ieee.f32(Ieee.fromLong(F32, ul[i], true, r));
            }
        }
        return new CaseBuilder(PTX, "cvt_int_to_f32", v).cover(n, block).in("si", si).in("ui", ui).in("sl", sl)
                .in("ul", ul).out("out", out).u32("n", n).build();
    }

    static KernelCase intToF64(String v, Gen g, int n, int block) {
        long[] src = intSources(g, n, 64);
        int[] si = low32(src), ui = low32(Gen.rotate(src, 5));
        long[] sl = Gen.rotate(src, 2), ul = Gen.rotate(src, 13);
        double[] out = new double[10 * n];
        for (int i = 0; i < n; i++) {
            out[i] = si[i];
            out[n + i] = ui[i] & 0xffffffffL;
            for (int m = 0; m < 4; m++) {
                Rnd r = Ieee.MODES[m];
                out[(2 + m) * n + i] = Ieee.f64(Ieee.fromLong(F64, sl[i], false, r));
                out[(6 + m) * n + i] = Ieee.f64(Ieee.fromLong(F64, ul[i], true, r));
            }
        }
        return new CaseBuilder(PTX, "cvt_int_to_f64", v).cover(n, block).in("si", si).in("ui", ui).in("sl", sl)
                .in("ul", ul).out("out", out).u32("n", n).build();
    }

    static KernelCase f32F64(String v, Gen g, int n, int block) {
        double[] d = doubleInputs(g, n);
        double[] extra = {3.4028234663852886e38, 3.4028235677973362e38, 3.4028235677973366e38, 3.40282357e38,
            1.1754942807573643e-38, 1.401298464324817e-45, 7.006492321624085e-46, 7.006492321624087e-46,
            2.1019476964872256e-45, 1.0000000596046448, 1.0000000596046449, 1.0000001788139343, -1.0000000596046448,
            0.1, -0.1, 1e-50, -1e-50, 1e50};
        System.arraycopy(extra, 0, d, 0, extra.length);
        float[] fa = floatInputs(g, n);
        float[] f = new float[4 * n];
        double[] dd = new double[n];
        for (int i = 0; i < n; i++) {
            long x = Double.doubleToRawLongBits(d[i]);
            for (int m = 0; m < 4; m++) {
                f[m * n + i] = Ieee.f32(Ieee.convert(F64, x, F32, Ieee.MODES[m]));
            }
            dd[i] = fa[i];
        }
        return new CaseBuilder(PTX, "cvt_f32_f64", v).cover(n, block).in("d", d).in("fa", fa).out("f", f)
                .out("dd", dd).u32("n", n).build();
    }

    /** roundf/round as compiled: trunc(x + copysign(0.5, x)) with the addition rounded toward zero. */
    static long roundHalfAway(FpFormat fm, long x) {
        long half = Ieee.fromDouble(fm, fm.isNegative(x) ? -0.5 : 0.5);
        return Ieee.roundIntegral(fm, Ieee.add(fm, x, half, Rnd.RZ), Rnd.RZ);
    }

    static KernelCase roundIntegral(String v, float[] a, double[] b, int block) {
        int n = a.length;
        float[] f = new float[6 * n];
        double[] d = new double[6 * n];
        Tol[] ft = CaseBuilder.exact(6 * n), dt = CaseBuilder.exact(6 * n);
        for (int i = 0; i < n; i++) {
            long x = Float.floatToRawIntBits(a[i]) & 0xffffffffL, y = Double.doubleToRawLongBits(b[i]);
            for (int m = 0; m < 4; m++) {
                f[m * n + i] = Ieee.f32(Ieee.roundIntegral(F32, x, Ieee.MODES[m]));
                d[m * n + i] = Ieee.f64(Ieee.roundIntegral(F64, y, Ieee.MODES[m]));
            }
            long fs = Ieee.sat(F32, x), ds = Ieee.sat(F64, y);
            f[4 * n + i] = Ieee.f32(fs);
            d[4 * n + i] = Ieee.f64(ds);
            if (F32.isZero(fs)) {
                ft[4 * n + i] = Tol.ANY_ZERO; // sign of a saturated zero is not specified
            }
            if (F64.isZero(ds)) {
                dt[4 * n + i] = Tol.ANY_ZERO;
            }
            f[5 * n + i] = Ieee.f32(roundHalfAway(F32, x));
            d[5 * n + i] = Ieee.f64(roundHalfAway(F64, y));
        }
        return new CaseBuilder(PTX, "cvt_round_integral", v).cover(n, block).in("a", a).in("b", b)
                .out("f", f, ft).out("d", d, dt).u32("n", n).build();
    }

    static KernelCase intWidths(String v, Gen g, int n, int block) {
        int[] a = g.intsWithEdges(n);
        long[] l = g.longsWithEdges(n);
        int[] out = new int[9 * n];
        long[] wide = new long[3 * n];
        for (int i = 0; i < n; i++) {
            int x = a[i];
            out[i] = (byte) x;
            out[n + i] = x & 0xff;
            out[2 * n + i] = (short) x;
            out[3 * n + i] = x & 0xffff;
            out[4 * n + i] = Math.max(-128, Math.min(127, x));
            out[5 * n + i] = Math.max(0, Math.min(255, x));
            out[6 * n + i] = Math.max(-32768, Math.min(32767, x));
            out[7 * n + i] = Math.max(0, Math.min(65535, x));
            out[8 * n + i] = Math.max(0, x);
            wide[i] = x;
            wide[n + i] = x & 0xffffffffL;
            wide[2 * n + i] = (int) l[i];
        }
        return new CaseBuilder(PTX, "cvt_int_widths", v).cover(n, block).in("a", a).in("l", l).out("out", out)
                .out("wide", wide).u32("n", n).build();
    }

    static KernelCase narrowMemory(String v, Gen g, int n, int block) {
        byte[] c8 = new byte[n], u8 = new byte[n];
        short[] s16 = new short[n], u16 = new short[n];
        for (int i = 0; i < n; i++) {
            c8[i] = (byte) (i < 256 ? i : g.nextInt());
            u8[i] = (byte) (i < 256 ? 255 - i : g.nextInt());
            s16[i] = (short) (i < 8 ? new int[] {0, -1, 32767, -32768, 1, -2, 32766, 2}[i] : g.nextInt());
            u16[i] = (short) (i < 8 ? new int[] {0, 0xffff, 0x8000, 0x8001, 0x7fff, 1, 0xfffe, 0x0001}[i] : g.nextInt());
        }
        byte[] o8 = new byte[n], ou8 = new byte[n];
        short[] o16 = new short[n], ou16 = new short[n];
        int[] sum = new int[n];
        for (int i = 0; i < n; i++) {
            o8[i] = (byte) (c8[i] + 1);
            ou8[i] = (byte) ((u8[i] & 0xff) * 3);
            o16[i] = (short) (s16[i] - 2);
            ou16[i] = (short) ((u16[i] & 0xffff) ^ 0x8001);
            sum[i] = c8[i] + (u8[i] & 0xff) + s16[i] + (u16[i] & 0xffff);
        }
        return new CaseBuilder(PTX, "cvt_narrow_memory", v).cover(n, block).in("c8", c8, 1).in("u8", u8, 1)
                .in("s16", s16).in("u16", u16).out("o8", o8, 1).out("ou8", ou8, 1).out("o16", o16).out("ou16", ou16)
                .out("sum", sum).u32("n", n).build();
    }

    static KernelCase bitcast(String v, Gen g, int n, int block) {
        float[] f = g.floatsWithEdges(n);
        int[] vv = g.intsWithEdges(n);
        vv[0] = 0x7f800001; // signalling NaN pattern: a bit cast must keep it
        vv[1] = 0xffc00123;
        double[] d = g.doublesWithEdges(n);
        byte[] fBytes = Le.f32(f);
        byte[] dBytes = Le.f64(d);
        int[] u = new int[n];
        long[] l = new long[n], e = new long[n];
        int[] h = new int[2 * n];
        for (int i = 0; i < n; i++) {
            u[i] = Le.getI32(fBytes, i);
            l[i] = Le.getI64(dBytes, i);
            e[i] = ((long) (vv[i] ^ 1) << 32) | (vv[i] & 0xffffffffL);
            h[i] = (int) (l[i] >>> 32);
            h[n + i] = (int) l[i];
        }
        return new CaseBuilder(PTX, "cvt_bitcast", v).cover(n, block).in("f", fBytes, 4).in("v", vv)
                .in("d", dBytes, 8).out("u", u).out("g", Le.i32(vv), 4).out("l", l).out("e", e).out("h", h)
                .u32("n", n).build();
    }

    /** cvt.rna.tf32.f32 on a normal, zero or infinite input: round the magnitude to 10 fraction bits, ties away. */
    static int tf32(float x) {
        int b = Float.floatToRawIntBits(x);
        if (Float.isNaN(x)) {
            // a NaN's bit pattern is rounded like any other (NVIDIA H100 80GB HBM3, corpus/gpucheck cvt_tf32,
            // 2026-11-26: 0x7f800001 gives 0x7f800000, 0xffa00005 gives 0xffa00000, 0x7fc12345 gives 0x7fc12000)
            return (b + 0x1000) & 0xffffe000;
        }
        int sign = b & 0x80000000;
        int mag = b & 0x7fffffff;
        if (mag >= 0x7f800000) {
            return b;
        }
        mag = (mag + 0x1000) & 0xffffe000;
        return sign | mag;
    }

    static KernelCase tf32(String v, Gen g, int n, int block) {
        float[] a = new float[n];
        float[] edges = {0f, -0f, 1f, -1f, 1.0004883f, 1.0009766f, 1.0014648f, 1.00048816f, 1.0004884f, -1.0014648f,
            0x1.ffdffep127f, -0x1.ffcp127f, Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, Float.NaN, Float.MIN_NORMAL, 3.14159265f, 0.1f, 65504f, 1e30f, 1e-30f};
        for (int i = 0; i < n; i++) {
            float x;
            if (i < edges.length && n > 1) {
                x = edges[i];
            } else {
                do {
                    x = Float.intBitsToFloat(g.nextInt());
                } while (Float.isNaN(x) || Math.abs(x) < Float.MIN_NORMAL || Math.abs(x) >= 0x1.ffep127f);
            }
            a[i] = n == 1 ? 1.0014648f : x;
        }
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = tf32(a[i]) & 0xffffffffL;
        }
        return new CaseBuilder(PTX, "cvt_tf32", v).cover(n, block).in("a", a).outFp("out", F32, out).u32("n", n)
                .build();
    }
}
