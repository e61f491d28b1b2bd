package org.transcuda.backend.vulkan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * f64 div, rcp and sqrt in the directed rounding modes against a Java reference: the correctly rounded result
 * (Java's {@code /} and {@link Math#sqrt}) moved by one ulp as the exact comparison in {@link BigDecimal} says.
 */
class DirectedF64Test extends ContextTest {
    private static final String[] OPS = {"div.rz.f64 %v4, %v1, %v2", "div.rm.f64 %v4, %v1, %v2",
        "div.rp.f64 %v4, %v1, %v2", "sqrt.rz.f64 %v4, %v1", "sqrt.rm.f64 %v4, %v1", "sqrt.rp.f64 %v4, %v1",
        "rcp.rm.f64 %v4, %v2", "rcp.rz.f64 %v4, %v2"};

    /** The {@link Ternary} kernel (its third input unused) with each operation's result in its own slot. */
    private static String ptx() {
        StringBuilder s = new StringBuilder();
        for (int k = 0; k < OPS.length; k++) {
            s.append("    ").append(OPS[k]).append(";\n    st.global.f64 [%rd8+").append(8 * k).append("], %v4;\n");
        }
        return Ternary.ptx("f64", OPS.length, s.toString());
    }

    /** The directed rounding of an exact value from its nearest double c and sign(exact - c) (cmp). */
    private static double directed(double c, int cmp, char mode) {
        if (Double.isNaN(c) || cmp == 0) return c;
        return switch (mode) {
            case 'p' -> cmp > 0 ? Math.nextUp(c) : c;
            case 'm' -> cmp < 0 ? Math.nextDown(c) : c;
            default -> c > 0 && cmp < 0 ? Math.nextDown(c) : c < 0 && cmp > 0 ? Math.nextUp(c) : c;
        };
    }

    private static double div(double a, double b, char mode) {
        double c = a / b;
        if (Double.isNaN(c) || Double.isInfinite(a) || Double.isInfinite(b) || a == 0 || b == 0) return c;
        int cmp;
        if (Double.isInfinite(c)) {
            cmp = c > 0 ? -1 : 1;
        } else {
            // sign(a/b - c) = sign(a - c b) * sign(b)
            cmp = new BigDecimal(a).subtract(new BigDecimal(c).multiply(new BigDecimal(b))).signum()
                    * (b > 0 ? 1 : -1);
        }
        return directed(c, cmp, mode);
    }

    private static double sqrt(double a, char mode) {
        double c = Math.sqrt(a);
        if (!(a > 0) || Double.isInfinite(a)) return c;
        int cmp = new BigDecimal(a).subtract(new BigDecimal(c).multiply(new BigDecimal(c))).signum();
        return directed(c, cmp, mode);
    }

    private static double expected(int k, double a, double b) {
        return switch (k) {
            case 0 -> div(a, b, 'z');
            case 1 -> div(a, b, 'm');
            case 2 -> div(a, b, 'p');
            case 3 -> sqrt(a, 'z');
            case 4 -> sqrt(a, 'm');
            case 5 -> sqrt(a, 'p');
            case 6 -> div(1.0, b, 'm');
            default -> div(1.0, b, 'z');
        };
    }

    @Test
    void matchesTheExactReference() throws Exception {
        double[] edges = {1, -1, 3, 1.0 / 3, 7, Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_NORMAL,
            Double.MIN_VALUE, -Double.MIN_VALUE, 1e-310, -2.5e-315, 0.0, -0.0, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY, Double.NaN, 0x1p-1000, 1.5e300, 0x1.fffffffffffffp-1, 2};
        List<double[]> pairs = new ArrayList<>();
        for (double a : edges) for (double b : edges) pairs.add(new double[] {a, b});
        Random rnd = new Random(11);
        for (int i = 0; i < 3000; i++) {
            double a = (rnd.nextBoolean() ? 1 : -1) * (1 + rnd.nextDouble()) * Math.scalb(1.0, rnd.nextInt(2140) - 1090);
            double b = (rnd.nextBoolean() ? 1 : -1) * (1 + rnd.nextDouble()) * Math.scalb(1.0, rnd.nextInt(2140) - 1090);
            pairs.add(new double[] {Math.abs(a) < 1e-300 && i % 3 == 0 ? Math.abs(a) : a, b});
        }
        int n = pairs.size();
        double[] as = new double[n], bs = new double[n];
        for (int i = 0; i < n; i++) {
            as[i] = pairs.get(i)[0];
            bs[i] = pairs.get(i)[1];
        }
        double[] got = Ternary.run(ctx, stream, ptx(), MemorySegment.ofArray(as), MemorySegment.ofArray(bs),
                MemorySegment.ofArray(as), n, 8L * n * OPS.length).toArray(java.lang.foreign.ValueLayout.JAVA_DOUBLE);
        int wrong = 0;
        StringBuilder first = new StringBuilder();
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < OPS.length; k++) {
                double e = expected(k, as[i], bs[i]);
                double r = got[i * OPS.length + k];
                boolean same = Double.isNaN(e) ? Double.isNaN(r)
                        : Double.doubleToRawLongBits(e) == Double.doubleToRawLongBits(r);
                if (!same && wrong++ < 5) {
                    first.append(OPS[k]).append(" a=").append(Double.toHexString(as[i])).append(" b=")
                            .append(Double.toHexString(bs[i])).append(": expected ").append(Double.toHexString(e))
                            .append(" got ").append(Double.toHexString(r)).append('\n');
                }
            }
        }
        assertEquals(0, wrong, first.toString());
    }
}
