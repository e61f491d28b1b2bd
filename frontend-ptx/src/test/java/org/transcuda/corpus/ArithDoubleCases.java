package org.transcuda.corpus;

import static org.transcuda.corpus.FpFormat.F64;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.transcuda.corpus.Ieee.Rnd;

/** corpus/src/arith_double.cu: f64 arithmetic in every rounding mode, min/max, fmod/remainder. */
final class ArithDoubleCases {

    private static final String PTX = "arith_double.ptx";

    private ArithDoubleCases() {
    }

    static List<KernelCase> cases() {
        List<KernelCase> out = new ArrayList<>();
        Gen g = new Gen(0xF64);
        double[][] p = Gen.pairs(Gen.DOUBLE_EDGES, 300, g);
        double[][] t = triples(p[0], p[1], g, 300);
        double[] a = t[0], b = t[1], c = t[2];
        out.add(arith("", a, b, c, 128));
        out.add(arith("block72", Arrays.copyOf(c, 150), Arrays.copyOf(a, 150), Arrays.copyOf(b, 150), 72));
        out.add(minmax("", p[0], p[1], 128));
        out.add(addMul("", p[0], p[1], 64));
        out.add(fmaDivSqrt("", a, b, c, 64));
        out.add(rem("", p[0], p[1], 128));
        return out;
    }

    static double[][] triples(double[] a0, double[] b0, Gen g, int extra) {
        int n = a0.length + extra;
        double[] a = Arrays.copyOf(a0, n), b = Arrays.copyOf(b0, n), c = new double[n];
        System.arraycopy(Gen.rotate(b0, 13), 0, c, 0, a0.length);
        for (int k = a0.length; k < n; k++) {
            a[k] = g.moderateDouble();
            b[k] = g.moderateDouble();
            double prod = a[k] * b[k];
            c[k] = switch (k % 4) {
                case 0 -> -prod;
                case 1 -> -prod * (1 + 0x1p-52);
                case 2 -> Math.ulp(prod) * 0.5 * (g.nextBoolean() ? 1 : -1);
                default -> g.moderateDouble();
            };
        }
        return new double[][] {a, b, c};
    }

    static long bits(double d) {
        return Double.doubleToRawLongBits(d);
    }

    static double val(long b) {
        return Double.longBitsToDouble(b);
    }

    static KernelCase arith(String v, double[] a, double[] b, double[] c, int block) {
        int n = a.length;
        double[] out = new double[7 * n], alt = new double[7 * n];
        for (int i = 0; i < n; i++) {
            long x = bits(a[i]), y = bits(b[i]), z = bits(c[i]);
            out[i] = val(Ieee.add(F64, x, y, Rnd.RN));
            out[n + i] = val(Ieee.sub(F64, x, y, Rnd.RN));
            out[2 * n + i] = val(Ieee.mul(F64, x, y, Rnd.RN));
            out[3 * n + i] = val(Ieee.div(F64, x, y, Rnd.RN));
            out[4 * n + i] = val(Ieee.fma(F64, x, y, z, Rnd.RN));
            out[5 * n + i] = out[4 * n + i];
            // mul.f64 + add.f64 without rounding modifiers: the code generator may or may not fuse them
            alt[5 * n + i] = val(Ieee.add(F64, Ieee.mul(F64, x, y, Rnd.RN), z, Rnd.RN));
            out[6 * n + i] = val(Ieee.sqrt(F64, x, Rnd.RN));
        }
        System.arraycopy(out, 0, alt, 0, 5 * n);
        System.arraycopy(out, 6 * n, alt, 6 * n, n);
        return new CaseBuilder(PTX, "f64_arith", v).cover(n, block).in("a", a).in("b", b).in("c", c)
                .outFp("out", F64, CaseBuilder.bitsOf(out), CaseBuilder.bitsOf(alt), CaseBuilder.exact(7 * n))
                .u32("n", n).build();
    }

    static KernelCase minmax(String v, double[] a, double[] b, int block) {
        int n = a.length;
        double[] out = new double[5 * n];
        for (int i = 0; i < n; i++) {
            long x = bits(a[i]), y = bits(b[i]);
            out[i] = val(Ieee.min(F64, x, y));
            out[n + i] = val(Ieee.max(F64, x, y));
            out[2 * n + i] = val(x & Long.MAX_VALUE);
            out[3 * n + i] = val(x ^ Long.MIN_VALUE);
            out[4 * n + i] = val((x & Long.MAX_VALUE) | (y & Long.MIN_VALUE));
        }
        return new CaseBuilder(PTX, "f64_minmax_abs_neg", v).cover(n, block).in("a", a).in("b", b).out("out", out)
                .u32("n", n).build();
    }

    static KernelCase addMul(String v, double[] a, double[] b, int block) {
        int n = a.length;
        double[] out = new double[12 * n];
        for (int i = 0; i < n; i++) {
            long x = bits(a[i]), y = bits(b[i]);
            for (int m = 0; m < 4; m++) {
                Rnd r = Ieee.MODES[m];
                out[m * n + i] = val(Ieee.add(F64, x, y, r));
                out[(4 + m) * n + i] = val(Ieee.sub(F64, x, y, r));
                out[(8 + m) * n + i] = val(Ieee.mul(F64, x, y, r));
            }
        }
        return new CaseBuilder(PTX, "f64_add_mul_rounding", v).cover(n, block).in("a", a).in("b", b)
                .out("out", out).u32("n", n).build();
    }

    static KernelCase fmaDivSqrt(String v, double[] a, double[] b, double[] c, int block) {
        int n = a.length;
        double[] out = new double[16 * n];
        for (int i = 0; i < n; i++) {
            long x = bits(a[i]), y = bits(b[i]), z = bits(c[i]);
            for (int m = 0; m < 4; m++) {
                Rnd r = Ieee.MODES[m];
                out[m * n + i] = val(Ieee.fma(F64, x, y, z, r));
                out[(4 + m) * n + i] = val(Ieee.div(F64, x, y, r));
                out[(8 + m) * n + i] = val(Ieee.sqrt(F64, x, r));
                out[(12 + m) * n + i] = val(Ieee.rcp(F64, x, r));
            }
        }
        return new CaseBuilder(PTX, "f64_fma_div_sqrt_rounding", v).cover(n, block).in("a", a).in("b", b)
                .in("c", c).out("out", out).u32("n", n).build();
    }

    static KernelCase rem(String v, double[] a, double[] b, int block) {
        int n = a.length;
        double[] out = new double[2 * n];
        for (int i = 0; i < n; i++) {
            out[i] = a[i] % b[i];
            out[n + i] = Math.IEEEremainder(a[i], b[i]);
        }
        return new CaseBuilder(PTX, "f64_rem", v).cover(n, block).in("a", a).in("b", b).out("out", out)
                .u32("n", n).build();
    }
}
