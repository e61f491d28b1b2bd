package org.transcuda.corpus;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * corpus/src/printf.cu: device printf. The expected text follows C's printf conversions; the order
 * of lines from different threads is unspecified, so {@link ExpectedStdout} compares line multisets.
 * Inputs avoid decimal rounding ties so that no rounding convention is assumed.
 */
final class PrintfCases {

    private static final String PTX = "printf.ptx";

    private PrintfCases() {
    }

    static List<KernelCase> cases() {
        List<KernelCase> out = new ArrayList<>();
        Gen g = new Gen(0x9F);
        out.add(printfInt("", g, 70, 32));
        out.add(printfMixed("", g, 60, 32));
        out.add(printfBlock("", 5 * 64 - 10, 64, 7));
        out.add(printfBlock("one_block", 1, 32, 1));
        return out;
    }

    /** C's %.{prec}f for a finite double (exact value, rounded to nearest). */
    static String fixed(double d, int prec) {
        boolean neg = d < 0 || d == 0 && 1 / d < 0;
        BigDecimal v = new BigDecimal(Math.abs(d)).setScale(prec, RoundingMode.HALF_EVEN);
        return (neg ? "-" : "") + v.toPlainString();
    }

    /** C's %e (6 digits after the point, exponent with sign and at least two digits) for a finite double. */
    static String sci(double d) {
        boolean neg = d < 0 || d == 0 && 1 / d < 0;
        String sign = neg ? "-" : "";
        if (d == 0) {
            return sign + "0.000000e+00";
        }
        BigDecimal r = new BigDecimal(Math.abs(d)).round(new MathContext(7, RoundingMode.HALF_EVEN));
        String digits = r.unscaledValue().toString();
        int exp = digits.length() - 1 - r.scale();
        StringBuilder m = new StringBuilder(digits);
        while (m.length() < 7) {
            m.append('0');
        }
        String e = String.valueOf(Math.abs(exp));
        return sign + m.charAt(0) + "." + m.substring(1, 7) + "e" + (exp < 0 ? "-" : "+") + (e.length() < 2 ? "0" : "")
                + e;
    }

    static KernelCase printfInt(String v, Gen g, int n, int block) {
        int[] a = g.intsWithEdges(n), out = new int[n];
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            lines.add("i=" + i + " a=" + a[i]);
            out[i] = a[i] + 1;
        }
        return new CaseBuilder(PTX, "printf_int", v).cover(n, block).in("a", a).out("out", out).u32("n", n)
                .stdout(lines).build();
    }

    static KernelCase printfMixed(String v, Gen g, int n, int block) {
        float[] fa = new float[n];
        double[] da = new double[n];
        long[] la = g.longsWithEdges(n);
        int[] ua = g.intsWithEdges(n);
        for (int i = 0; i < n; i++) {
            fa[i] = (float) (g.range(-200000, 200000) / 7.0);
            da[i] = (g.nextBoolean() ? 1 : -1) * g.nextDouble() * StrictMath.pow(10, g.range(-30, 30));
        }
        fa[0] = 0f;
        fa[1] = -1.2f;
        da[0] = 0;
        da[1] = 12345.678;
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            lines.add("[" + i / block + "," + i % block + "] f=" + fixed(fa[i], 3) + " d=" + sci(da[i]) + " l=" + la[i]
                    + " u=" + Integer.toUnsignedString(ua[i]) + " x=" + String.format("%08x", ua[i]) + " c="
                    + (char) ('A' + i % 26) + " s=" + ((i & 1) != 0 ? "odd" : "even"));
        }
        return new CaseBuilder(PTX, "printf_mixed", v).cover(n, block).in("fa", fa).in("da", da).in("la", la)
                .in("ua", ua).u32("n", n).stdout(lines).build();
    }

    static KernelCase printfBlock(String v, int n, int block, int grid) {
        List<String> lines = new ArrayList<>();
        lines.add("hello from the corpus");
        for (int b = 0; b < grid; b++) {
            if (b * block < n) {
                lines.add("block " + b + " of " + grid);
            }
        }
        return new CaseBuilder(PTX, "printf_block", v).grid(Dim3.of(grid)).block(Dim3.of(block)).u32("n", n)
                .stdout(lines).build();
    }
}
