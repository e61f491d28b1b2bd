package org.transcuda.backend.cpu;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Reference rounding of exact values (BigDecimal) to binary floating-point formats, written independently of
 * the backend: the value is scaled by a power of two to an integer significand and rounded by comparing the
 * discarded fraction with one half. Returns null for an infinite result.
 */
final class RefFloat {
    record Fmt(int p, int emin, int emax) {
        BigDecimal max() {
            return new BigDecimal(BigInteger.ONE.shiftLeft(p + 1).subtract(BigInteger.ONE)).multiply(pow2(emax - p));
        }

        BigDecimal minNormal() {
            return pow2(emin);
        }
    }

    static final Fmt F16 = new Fmt(10, -14, 15);
    static final Fmt BF16 = new Fmt(7, -126, 127);
    static final Fmt F32 = new Fmt(23, -126, 127);
    static final Fmt F64 = new Fmt(52, -1022, 1023);

    enum Mode { RN, RZ, RM, RP, RNA }

    private RefFloat() {
    }

    static BigDecimal pow2(int e) {
        if (e >= 0) return new BigDecimal(BigInteger.ONE.shiftLeft(e));
        return new BigDecimal(BigInteger.valueOf(5).pow(-e)).movePointLeft(-e);
    }

    /** floor(log2(a)) for a > 0. */
    static int exponent(BigDecimal a) {
        int e = (int) Math.floor((a.unscaledValue().bitLength() - 1) - a.scale() * (Math.log(10) / Math.log(2)));
        while (a.compareTo(pow2(e)) < 0) e--;
        while (a.compareTo(pow2(e + 1)) >= 0) e++;
        return e;
    }

    static BigDecimal round(BigDecimal x, Fmt f, Mode m) {
        if (x.signum() == 0) return BigDecimal.ZERO;
        int sign = x.signum();
        BigDecimal a = x.abs();
        int e = exponent(a);
        int q = Math.max(e, f.emin()) - f.p();
        BigDecimal scaled = a.multiply(pow2(-q));
        BigInteger k = scaled.setScale(0, java.math.RoundingMode.FLOOR).toBigIntegerExact();
        BigDecimal frac = scaled.subtract(new BigDecimal(k));
        int half = frac.compareTo(new BigDecimal("0.5"));
        boolean inexact = frac.signum() != 0;
        boolean up = switch (m) {
            case RN -> half > 0 || (half == 0 && k.testBit(0));
            case RNA -> half >= 0;
            case RZ -> false;
            case RP -> inexact && sign > 0;
            case RM -> inexact && sign < 0;
        };
        if (up) k = k.add(BigInteger.ONE);
        BigDecimal v = new BigDecimal(k).multiply(pow2(q));
        if (v.compareTo(f.max()) > 0) {
            boolean toInf = switch (m) {
                case RZ -> false;
                case RP -> sign > 0;
                case RM -> sign < 0;
                default -> true;
            };
            if (toInf) return null;
            v = f.max();
        }
        return sign < 0 ? v.negate() : v;
    }

    /** A random finite float with a spread of exponents, including subnormals and values near the limits. */
    static float randomFloat(java.util.Random r) {
        while (true) {
            float f = switch (r.nextInt(4)) {
                case 0 -> Float.intBitsToFloat(r.nextInt());
                case 1 -> Float.intBitsToFloat(r.nextInt(0x0100_0000) | (r.nextBoolean() ? 0x8000_0000 : 0));
                case 2 -> (float) ((r.nextDouble() - 0.5) * 1000);
                default -> Float.intBitsToFloat((r.nextInt(20) + 117) << 23 | r.nextInt(1 << 23));
            };
            if (Float.isFinite(f)) return f;
        }
    }

    static double randomDouble(java.util.Random r) {
        while (true) {
            double d = switch (r.nextInt(4)) {
                case 0 -> Double.longBitsToDouble(r.nextLong());
                case 1 -> Double.longBitsToDouble((r.nextLong() & 0x001F_FFFF_FFFF_FFFFL) | (r.nextBoolean() ? Long.MIN_VALUE : 0));
                case 2 -> (r.nextDouble() - 0.5) * 1e6;
                default -> Double.longBitsToDouble((long) (r.nextInt(40) + 1003) << 52 | (r.nextLong() & 0xF_FFFF_FFFF_FFFFL));
            };
            if (Double.isFinite(d)) return d;
        }
    }
}
