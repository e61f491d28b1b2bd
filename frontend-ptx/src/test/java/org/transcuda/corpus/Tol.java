package org.transcuda.corpus;

/**
 * Tolerance for one floating-point element. NaN matches any NaN. Otherwise a result is accepted
 * when its bits equal the expected bits, or when it is within {@code ulps} units in the last place
 * of the expected value (counting across the sign-magnitude order, both zeros being 0; infinities
 * only match themselves), or when {@code |actual - expected| <= abs} (not checked when abs is
 * negative). {@link #EXACT} demands identical bits, so the sign of zero counts; {@code abs = 0}
 * accepts either zero.
 */
public record Tol(double ulps, double abs) {

    public static final Tol EXACT = new Tol(0, -1);
    /** Exact except that +0 and -0 are both accepted (the sign of a zero is not specified). */
    public static final Tol ANY_ZERO = new Tol(0, 0);

    public static Tol ulps(double ulps) {
        return new Tol(ulps, -1);
    }

    public static Tol abs(double abs) {
        return new Tol(0, abs);
    }

    public boolean accepts(FpFormat f, long expected, long actual) {
        boolean en = f.isNaN(expected), an = f.isNaN(actual);
        if (en || an) {
            return en && an;
        }
        if (f.ordinal(expected) == f.ordinal(actual) && (expected == actual || f.isZero(expected) && abs >= 0)) {
            return true;
        }
        if (expected == actual) {
            return true;
        }
        if (f.isInf(expected) || f.isInf(actual)) {
            return false;
        }
        if (ulps > 0) {
            // Ordinals of doubles need all 64 bits: subtract as longs (a double would round the difference).
            long oe = f.ordinal(expected);
            long oa = f.ordinal(actual);
            long diff = oe - oa;
            boolean overflow = ((oe ^ oa) & (oe ^ diff)) < 0;
            if (!overflow && diff != Long.MIN_VALUE && Math.abs(diff) <= ulps) return true;
        }
        return abs >= 0 && Math.abs(f.toDouble(actual) - f.toDouble(expected)) <= abs;
    }

    public String show() {
        if (equals(EXACT)) {
            return "";
        }
        return " (tol " + (ulps > 0 ? ulps + " ulp" : "") + (ulps > 0 && abs >= 0 ? " or " : "")
                + (abs >= 0 ? "abs " + abs : "") + ")";
    }
}
