package org.transcuda.backend.vulkan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@code fma.f64} in all four rounding modes on lavapipe against a Java reference: {@link Math#fma} for round to
 * nearest, and for the directed modes the nearest result moved by one ulp as the exact value a*b+c in
 * {@link BigDecimal} says; edge inputs (zeros of both signs, subnormals, the largest values, infinities, NaN) and
 * random triples whose products underflow, overflow or cancel against c.
 */
class FmaF64Test extends ContextTest {
    private static final char[] MODES = {'n', 'z', 'm', 'p'};

    private static String ptx() {
        StringBuilder s = new StringBuilder();
        for (int k = 0; k < MODES.length; k++) {
            s.append("    fma.r").append(MODES[k]).append(".f64 %v4, %v1, %v2, %v3;\n    st.global.f64 [%rd8+")
                    .append(8 * k).append("], %v4;\n");
        }
        return Ternary.ptx("f64", MODES.length, s.toString());
    }

    /** a*b+c rounded in {@code mode}, computed with Math.fma and BigDecimal. */
    static double expected(double a, double b, double c, char mode) {
        double rn = Math.fma(a, b, c);
        if (mode == 'n' || !Double.isFinite(a) || !Double.isFinite(b) || !Double.isFinite(c)) return rn;
        BigDecimal exact = new BigDecimal(a).multiply(new BigDecimal(b)).add(new BigDecimal(c));
        if (exact.signum() == 0) {
            if (mode != 'm') return rn;
            // an exact zero rounding down is -0 unless both the product and c are +0
            boolean productPlusZero = (a == 0 || b == 0) && (Math.copySign(1, a) * Math.copySign(1, b) > 0);
            boolean cPlusZero = c == 0 && Math.copySign(1, c) > 0;
            return productPlusZero && cPlusZero ? 0.0 : -0.0;
        }
        int cmp = Double.isInfinite(rn) ? (rn > 0 ? -1 : 1) : exact.compareTo(new BigDecimal(rn));
        if (cmp == 0) return rn;
        return switch (mode) {
            case 'p' -> cmp > 0 ? Math.nextUp(rn) : rn;
            case 'm' -> cmp < 0 ? Math.nextDown(rn) : rn;
            default -> (exact.signum() > 0) == (cmp < 0) ? (exact.signum() > 0 ? Math.nextDown(rn) : Math.nextUp(rn))
                    : rn;
        };
    }

    private static double rand(Random rnd, int lo, int hi) {
        return (rnd.nextBoolean() ? 1 : -1) * (1 + rnd.nextDouble()) * Math.scalb(1.0, lo + rnd.nextInt(hi - lo));
    }

    @Test
    void matchesTheReferenceInAllModes() throws Exception {
        double[] edges = {1, -1, 3, 1.0 / 3, Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_NORMAL, Double.MIN_VALUE,
            -Double.MIN_VALUE, 1e-310, -2.5e-315, 0.0, -0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            Double.NaN, 0x1p-1000, -0x1p-600, 1.5e300, 0x1.fffffffffffffp-1, 0x1p-537};
        List<double[]> t = new ArrayList<>();
        for (double a : edges) for (double b : edges) for (double c : edges) t.add(new double[] {a, b, c});
        Random rnd = new Random(7);
        for (int i = 0; i < 12000; i++) {
            double a, b, c;
            switch (i % 6) {
                case 0 -> { // products anywhere, c anywhere
                    a = rand(rnd, -1090, 1024);
                    b = rand(rnd, -1090, 1024);
                    c = rand(rnd, -1090, 1024);
                }
                case 1 -> { // products near underflow, c of similar size or subnormal
                    a = rand(rnd, -600, -400);
                    b = rand(rnd, -1074 - (int) Math.getExponent(a) - 60, -1022 - Math.getExponent(a) + 40);
                    c = rand(rnd, -1080, -1000);
                }
                case 2 -> { // cancellation: c close to -a*b
                    a = rand(rnd, -1000, 1000);
                    b = rand(rnd, -1000 - Math.getExponent(a) / 2, 1000 - Math.getExponent(a) / 2);
                    double p = a * b;
                    c = Double.isFinite(p) ? -p * (1 + (rnd.nextInt(5) - 2) * 0x1p-52) : rand(rnd, -10, 10);
                }
                case 3 -> { // products near overflow
                    a = rand(rnd, 500, 1023);
                    b = rand(rnd, 1000 - Math.getExponent(a), 1030 - Math.getExponent(a));
                    c = rand(rnd, 1000, 1024);
                }
                case 4 -> { // c tiny against the product (sticky) or huge
                    a = rand(rnd, -50, 50);
                    b = rand(rnd, -50, 50);
                    c = rnd.nextBoolean() ? rand(rnd, -1074, -200) : rand(rnd, 60, 200);
                }
                default -> { // subnormal inputs
                    a = (rnd.nextBoolean() ? 1 : -1) * rnd.nextInt(1 << 20) * Double.MIN_VALUE;
                    b = rand(rnd, 0, 1100);
                    c = rnd.nextBoolean() ? -a * b : rand(rnd, -1074, 60);
                }
            }
            t.add(new double[] {a, b, c});
        }
        int n = t.size();
        double[] as = new double[n], bs = new double[n], cs = new double[n];
        for (int i = 0; i < n; i++) {
            as[i] = t.get(i)[0];
            bs[i] = t.get(i)[1];
            cs[i] = t.get(i)[2];
        }
        double[] got = Ternary.run(ctx, stream, ptx(), MemorySegment.ofArray(as), MemorySegment.ofArray(bs),
                MemorySegment.ofArray(cs), n, 8L * n * MODES.length).toArray(java.lang.foreign.ValueLayout.JAVA_DOUBLE);
        int wrong = 0;
        StringBuilder first = new StringBuilder();
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < MODES.length; k++) {
                double e = expected(as[i], bs[i], cs[i], MODES[k]);
                double r = got[i * MODES.length + k];
                boolean same = Double.isNaN(e) ? Double.isNaN(r)
                        : Double.doubleToRawLongBits(e) == Double.doubleToRawLongBits(r);
                if (!same && wrong++ < 8) {
                    first.append("fma.r").append(MODES[k]).append(" a=").append(Double.toHexString(as[i]))
                            .append(" b=").append(Double.toHexString(bs[i])).append(" c=")
                            .append(Double.toHexString(cs[i])).append(": expected ").append(Double.toHexString(e))
                            .append(" got ").append(Double.toHexString(r)).append('\n');
                }
            }
        }
        assertEquals(0, wrong, wrong + " wrong of " + n * MODES.length + "\n" + first);
    }
}
