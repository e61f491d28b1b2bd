package org.transcuda.backend.cpu;

import java.math.BigDecimal;

/**
 * Exact floating-point arithmetic for the PTX forms Java lacks: the rounding modes {@code .rz .rm .rp}
 * (and {@code .rna}), flush-to-zero, saturation, and the 16-bit formats f16 and bf16.
 *
 * <p>The core is {@link #round(double, int, int, int, boolean)}: it rounds the exact value
 * {@code x = s + tiny} (where {@code tiny} has the sign {@code sigma} and is smaller than half an ulp of the
 * double {@code s}) to f16, bf16, f32 or f64 in any rounding mode, with correct subnormals, overflow and
 * signed zeros. Each operation produces such a pair exactly:
 * <ul>
 * <li>f32/f16/bf16 operands are exact doubles; their product is exact in double; sums use TwoSum
 * ({@code s + err} exactly); quotients and square roots use a fused multiply-add residual
 * ({@code a - q*b}, {@code a - q*q}), exact in double for these widths;</li>
 * <li>f64 directed rounding uses TwoSum / TwoProduct where those are exact and {@link BigDecimal}
 * residuals otherwise (fma, div, sqrt, products near underflow).</li>
 * </ul>
 * Round-to-nearest f32 arithmetic does not come here: Java's float operations are IEEE round-to-nearest-even
 * already; round-to-nearest f64 arithmetic comes here only for its NaN results ({@link #addD} and the like). NaN results of f32 arithmetic are NVIDIA's canonical NaN {@code 0x7fffffff};
 * f16/bf16 use {@code 0x7fff}. f64 arithmetic with a NaN operand returns the first NaN operand in PTX operand order,
 * quieted (bit 51 set), sign and payload kept ({@link #nan(double, double)}); an invalid operation on numbers
 * (inf - inf, 0 * inf) keeps the JVM's default NaN. These NaN rules were observed on an NVIDIA H100 80GB HBM3
 * (driver 580.159.04, CUDA 13.0) by corpus/gpucheck on 2026-11-26; the PTX ISA leaves NaN payloads unspecified.
 */
final class Fp {
    // formats
    static final int F16 = 0, BF16 = 1, F32 = 2, F64 = 3;
    // rounding modes of the compiled code
    static final int RN = 0, RZ = 1, RM = 2, RP = 3, RNA = 4;

    private static final int[] P = {10, 7, 23, 52};
    private static final int[] EMIN = {-14, -126, -126, -1022};
    private static final int[] BIAS = {15, 127, 127, 1023};
    private static final int[] WIDTH = {16, 16, 32, 64};

    static final int CANON_F32 = 0x7fffffff;
    static final float NAN_F32 = Float.intBitsToFloat(CANON_F32);
    static final int CANON_H = 0x7fff;

    private Fp() {
    }

    // ---- the rounding core ---------------------------------------------------------------------------

    /**
     * Rounds {@code s + tiny} ({@code sigma} = sign of tiny, |tiny| < ulp(s)/2) to {@code fmt}; raw bits,
     * zero-extended. For f64, {@code s} must be the round-to-nearest result when {@code mode == RN}.
     */
    static long round(double s, int sigma, int fmt, int mode, boolean ftz) {
        if (Double.isNaN(s)) return fmt == F64 ? Double.doubleToRawLongBits(s) : canonicalNaN(fmt);
        boolean neg = Double.doubleToRawLongBits(s) < 0;
        double a = Math.abs(s);
        if (Double.isInfinite(a)) return inf(fmt, neg);
        if (fmt == F64 && mode == RN) {
            long bits = Double.doubleToRawLongBits(s);
            if (ftz && Math.abs(s) < Double.MIN_NORMAL) return bits & 0x8000_0000_0000_0000L;
            return bits;
        }
        if (a == 0) {
            if (sigma == 0) return zero(fmt, neg);
            neg = sigma < 0;
            sigma = 1;
        } else if (neg) {
            sigma = -sigma;
        }
        boolean sticky = false;
        if (sigma < 0) {
            a = Math.nextDown(a);
            sticky = true;
        } else if (sigma > 0) {
            sticky = true;
        }
        int p = P[fmt];
        int emin = EMIN[fmt];
        long m;
        int qe;
        if (a == 0) {
            qe = emin - p;
            m = 0;
            // kept = 0, rem = 0, only sticky: below half, inexact
            m = roundUp(mode, neg, 0, -1, true) ? 1 : 0;
        } else {
            long bits = Double.doubleToRawLongBits(a);
            int be = (int) (bits >>> 52);
            long M;
            int eq;
            int ea;
            if (be == 0) {
                M = bits & 0x000F_FFFF_FFFF_FFFFL;
                eq = -1074;
                ea = -1074 + 63 - Long.numberOfLeadingZeros(M);
            } else {
                M = (bits & 0x000F_FFFF_FFFF_FFFFL) | (1L << 52);
                eq = be - 1075;
                ea = be - 1023;
            }
            qe = Math.max(ea, emin) - p;
            int shift = qe - eq;
            long kept;
            int cmpHalf;
            boolean inexact;
            if (shift <= 0) {
                kept = M << -shift;
                cmpHalf = sticky ? -1 : -2;
                inexact = sticky;
            } else if (shift >= 63) {
                kept = 0;
                cmpHalf = -1;
                inexact = true;
            } else {
                kept = M >>> shift;
                long rem = M & ((1L << shift) - 1);
                long half = 1L << (shift - 1);
                cmpHalf = rem > half ? 1 : rem < half ? -1 : (sticky ? 1 : 0);
                inexact = rem != 0 || sticky;
            }
            m = kept + (roundUp(mode, neg, kept, cmpHalf, inexact) ? 1 : 0);
            if (m == 1L << (p + 1)) {
                m >>>= 1;
                qe++;
            }
        }
        if (m == 0) return zero(fmt, neg);
        long expField;
        long mant;
        if (m >= 1L << p) {
            expField = qe + p + BIAS[fmt];
            mant = m - (1L << p);
            if (expField >= 2L * BIAS[fmt] + 1) return overflow(fmt, neg, mode);
        } else {
            expField = 0;
            mant = m;
            if (ftz) return zero(fmt, neg);
        }
        long sign = neg ? 1L << (WIDTH[fmt] - 1) : 0;
        return sign | expField << p | mant;
    }

    /** cmpHalf: -2 exact, -1 below half, 0 half, 1 above half (of the discarded fraction). */
    private static boolean roundUp(int mode, boolean neg, long kept, int cmpHalf, boolean inexact) {
        return switch (mode) {
            case RN -> cmpHalf > 0 || (cmpHalf == 0 && (kept & 1) != 0);
            case RNA -> cmpHalf >= 0;
            case RZ -> false;
            case RP -> inexact && !neg;
            case RM -> inexact && neg;
            default -> throw new IllegalArgumentException("rounding mode " + mode);
        };
    }

    static long canonicalNaN(int fmt) {
        return switch (fmt) {
            case F16, BF16 -> CANON_H;
            case F32 -> CANON_F32 & 0xffffffffL;
            default -> 0x7fff_ffff_ffff_ffffL;
        };
    }

    static long zero(int fmt, boolean neg) {
        return neg ? 1L << (WIDTH[fmt] - 1) : 0;
    }

    static long inf(int fmt, boolean neg) {
        long e = (2L * BIAS[fmt] + 1) << P[fmt];
        return zero(fmt, neg) | e;
    }

    static long maxFinite(int fmt, boolean neg) {
        return inf(fmt, neg) - 1;
    }

    static long overflow(int fmt, boolean neg, int mode) {
        boolean toInf = switch (mode) {
            case RZ -> false;
            case RP -> !neg;
            case RM -> neg;
            default -> true;
        };
        return toInf ? inf(fmt, neg) : maxFinite(fmt, neg);
    }

    static int sign(double d) {
        return d > 0 ? 1 : d < 0 ? -1 : 0;
    }

    // ---- f32 ------------------------------------------------------------------------------------------

    static float f32(long bits) {
        return Float.intBitsToFloat((int) bits);
    }

    /** NaN results become NVIDIA's canonical NaN. */
    static float cf(float x) {
        return x != x ? NAN_F32 : x;
    }

    /** cvt.rn.f32.f64: a NaN keeps its sign and high payload bits ({@link #narrowNaN}). */
    static float d2f(double x) {
        return x != x ? f32(narrowNaN(Double.doubleToRawLongBits(x), F32)) : (float) x;
    }

    static float ftz(float x) {
        int b = Float.floatToRawIntBits(x);
        return (b & 0x7f80_0000) == 0 ? Float.intBitsToFloat(b & 0x8000_0000) : x;
    }

    static double ftz(double x) {
        long b = Double.doubleToRawLongBits(x);
        return (b & 0x7ff0_0000_0000_0000L) == 0 ? Double.longBitsToDouble(b & 0x8000_0000_0000_0000L) : x;
    }

    static float sat(float x) {
        return x > 0 ? (x < 1 ? x : 1f) : 0f;
    }

    static double sat(double x) {
        return x > 0 ? (x < 1 ? x : 1d) : 0d;
    }

    /** Sign of an exact zero sum {@code a + b} (both zero, or cancelling) under {@code mode}. */
    private static boolean zeroSumNegative(double a, double b, int mode) {
        boolean na = Double.doubleToRawLongBits(a) < 0;
        boolean nb = Double.doubleToRawLongBits(b) < 0;
        if (a == 0 && b == 0 && na == nb) return na;
        return mode == RM;
    }

    /** Rounds the exact sum of two doubles (|a|,|b| finite) to {@code fmt}. */
    static long sum(double a, double b, int fmt, int mode, boolean ftz) {
        double s = a + b;
        if (Double.isNaN(s) || Double.isInfinite(a) || Double.isInfinite(b)) return round(s, 0, fmt, mode, ftz);
        if (Double.isInfinite(s)) return overflow(fmt, s < 0, mode);
        double bb = s - a;
        double err = (a - (s - bb)) + (b - bb);
        if (s == 0 && err == 0) return zero(fmt, zeroSumNegative(a, b, mode));
        return round(s, sign(err), fmt, mode, ftz);
    }

    static float add(float a, float b, int mode, boolean ftz) {
        if (ftz) {
            a = ftz(a);
            b = ftz(b);
        }
        if (mode == RN) {
            float r = a + b;
            return cf(ftz ? ftz(r) : r);
        }
        return f32(sum(a, b, F32, mode, ftz));
    }

    static float sub(float a, float b, int mode, boolean ftz) {
        if (ftz) {
            a = ftz(a);
            b = ftz(b);
        }
        if (mode == RN) {
            float r = a - b;
            return cf(ftz ? ftz(r) : r);
        }
        return f32(sum(a, -(double) b, F32, mode, ftz));
    }

    static float mul(float a, float b, int mode, boolean ftz) {
        if (ftz) {
            a = ftz(a);
            b = ftz(b);
        }
        if (mode == RN) {
            float r = a * b;
            return cf(ftz ? ftz(r) : r);
        }
        return f32(round((double) a * b, 0, F32, mode, ftz));
    }

    static float fma(float a, float b, float c, int mode, boolean ftz) {
        if (ftz) {
            a = ftz(a);
            b = ftz(b);
            c = ftz(c);
        }
        if (mode == RN) {
            float r = Math.fma(a, b, c);
            return cf(ftz ? ftz(r) : r);
        }
        return f32(sum((double) a * b, c, F32, mode, ftz));
    }

    static float div(float a, float b, int mode, boolean ftz) {
        if (ftz) {
            a = ftz(a);
            b = ftz(b);
        }
        if (mode == RN) {
            float r = a / b;
            return cf(ftz ? ftz(r) : r);
        }
        double q = (double) a / b;
        if (Double.isNaN(q) || Double.isInfinite(q) || q == 0) return f32(round(q, 0, F32, mode, ftz));
        double r = Math.fma(-q, b, a);
        return f32(round(q, sign(r) * sign(b), F32, mode, ftz));
    }

    static float sqrt(float a, int mode, boolean ftz) {
        if (ftz) a = ftz(a);
        double q = Math.sqrt(a);
        if (mode == RN || Double.isNaN(q) || Double.isInfinite(q) || q == 0) {
            return cf(f32(round(q, 0, F32, RN, ftz)));
        }
        double r = Math.fma(-q, q, a);
        return f32(round(q, sign(r), F32, mode, ftz));
    }

    static float rcp(float a, int mode, boolean ftz) {
        return div(1f, a, mode, ftz);
    }

    // ---- f64 ------------------------------------------------------------------------------------------

    static double f64(long bits) {
        return Double.longBitsToDouble(bits);
    }

    /** A NaN quieted (bit 51 set), sign and payload kept. */
    static double quiet(double x) {
        return Double.longBitsToDouble(Double.doubleToRawLongBits(x) | 0x0008_0000_0000_0000L);
    }

    /**
     * The NaN result of an f64 operation whose result {@code r} is NaN: the first NaN operand in PTX operand order,
     * quieted (H100, 2026-11-26: add(0x7ff8..0, 0xfff8..0) = 0x7ff8..0, add(0x7ff8..0, sNaN 0x7ff0..01) = 0x7ff8..0,
     * add(sNaN 0x7ff0..01, x) = 0x7ff8..01; sub keeps the sign of a NaN subtrahend), else {@code r} (no NaN operand).
     */
    static double nan(double r, double a, double b) {
        if (a != a) return quiet(a);
        if (b != b) return quiet(b);
        return r;
    }

    static double nan(double r, double a, double b, double c) {
        if (a != a) return quiet(a);
        if (b != b) return quiet(b);
        if (c != c) return quiet(c);
        return r;
    }

    /** Round-to-nearest f64 add/sub/mul/div/fma with the H100's NaN propagation. */
    static double addD(double a, double b) {
        double r = a + b;
        return r != r ? nan(r, a, b) : r;
    }

    static double subD(double a, double b) {
        double r = a - b;
        return r != r ? nan(r, a, b) : r;
    }

    static double mulD(double a, double b) {
        double r = a * b;
        return r != r ? nan(r, a, b) : r;
    }

    static double divD(double a, double b) {
        double r = a / b;
        return r != r ? nan(r, a, b) : r;
    }

    static double fmaD(double a, double b, double c) {
        double r = Math.fma(a, b, c);
        return r != r ? nan(r, a, b, c) : r;
    }

    static double add(double a, double b, int mode) {
        if (mode == RN || a != a || b != b) return addD(a, b);
        return f64(sum(a, b, F64, mode, false));
    }

    static double sub(double a, double b, int mode) {
        if (mode == RN || a != a || b != b) return subD(a, b);
        return f64(sum(a, -b, F64, mode, false));
    }

    static double mul(double a, double b, int mode) {
        if (a != a || b != b) return mulD(a, b);
        double s = a * b;
        if (mode == RN || Double.isNaN(s) || Double.isInfinite(a) || Double.isInfinite(b)) return s;
        if (Double.isInfinite(s)) return f64(overflow(F64, s < 0, mode));
        if (s == 0 && (a == 0 || b == 0)) return s;
        int sigma;
        if (Math.abs(s) >= 0x1p-968) {
            sigma = sign(Math.fma(a, b, -s));
        } else {
            sigma = new BigDecimal(a).multiply(new BigDecimal(b)).compareTo(new BigDecimal(s));
        }
        return f64(round(s, sigma, F64, mode, false));
    }

    static double fma(double a, double b, double c, int mode) {
        if (a != a || b != b || c != c) return fmaD(a, b, c);
        double s = Math.fma(a, b, c);
        if (mode == RN || Double.isNaN(s) || Double.isInfinite(a) || Double.isInfinite(b) || Double.isInfinite(c)) {
            return s;
        }
        BigDecimal exact = new BigDecimal(a).multiply(new BigDecimal(b)).add(new BigDecimal(c));
        if (exact.signum() == 0) {
            if ((a == 0 || b == 0) && c == 0) {
                boolean productNegative = (Double.doubleToRawLongBits(a) ^ Double.doubleToRawLongBits(b)) < 0;
                return f64(zero(F64, zeroSumNegative(productNegative ? -0.0 : 0.0, c, mode)));
            }
            return f64(zero(F64, mode == RM));
        }
        if (Double.isInfinite(s)) return f64(overflow(F64, exact.signum() < 0, mode));
        return f64(round(s, exact.compareTo(new BigDecimal(s)), F64, mode, false));
    }

    static double div(double a, double b, int mode) {
        if (a != a || b != b) return divD(a, b);
        double q = a / b;
        if (mode == RN || Double.isNaN(q) || Double.isInfinite(a) || b == 0 || Double.isInfinite(b) || a == 0) {
            return q;
        }
        if (Double.isInfinite(q)) return f64(overflow(F64, q < 0, mode));
        BigDecimal r = new BigDecimal(a).subtract(new BigDecimal(q).multiply(new BigDecimal(b)));
        return f64(round(q, r.signum() * sign(b), F64, mode, false));
    }

    static double sqrt(double a, int mode) {
        double q = Math.sqrt(a);
        if (mode == RN || Double.isNaN(q) || Double.isInfinite(q) || q == 0) return q;
        BigDecimal r = new BigDecimal(a).subtract(new BigDecimal(q).multiply(new BigDecimal(q)));
        return f64(round(q, r.signum(), F64, mode, false));
    }

    static double rcp(double a, int mode) {
        return div(1.0, a, mode);
    }

    // ---- min / max ------------------------------------------------------------------------------------

    /** PTX min.f32: a NaN operand yields the other; both NaN yield the canonical NaN; -0 < +0. */
    static float min(float a, float b, boolean ftz) {
        if (ftz) {
            a = ftz(a);
            b = ftz(b);
        }
        if (a != a) return b != b ? NAN_F32 : b;
        if (b != b) return a;
        return Math.min(a, b);
    }

    static float max(float a, float b, boolean ftz) {
        if (ftz) {
            a = ftz(a);
            b = ftz(b);
        }
        if (a != a) return b != b ? NAN_F32 : b;
        if (b != b) return a;
        return Math.max(a, b);
    }

    /** PTX min.f64: a NaN operand yields the other; both NaN yield the first, quieted (H100, 2026-11-26). */
    static double min(double a, double b) {
        if (a != a) return b != b ? quiet(a) : b;
        if (b != b) return a;
        return Math.min(a, b);
    }

    static double max(double a, double b) {
        if (a != a) return b != b ? quiet(a) : b;
        if (b != b) return a;
        return Math.max(a, b);
    }

    // ---- half formats ---------------------------------------------------------------------------------

    /** Exact value of an f16 (low 16 bits). */
    static double h2d(int h) {
        int sign = (h >>> 15) & 1;
        int e = (h >>> 10) & 0x1f;
        int f = h & 0x3ff;
        double v;
        if (e == 0) {
            v = f * 0x1p-24;
        } else if (e == 31) {
            v = f == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
        } else {
            v = (1024 + f) * Math.scalb(1.0, e - 25);
        }
        return sign != 0 ? -v : v;
    }

    /** Exact value of a bf16 (low 16 bits). */
    static double b2d(int h) {
        return Float.intBitsToFloat((h & 0xffff) << 16);
    }

    static double half2d(int h, int fmt) {
        return fmt == F16 ? h2d(h) : b2d(h);
    }

    static int d2half(double v, int fmt, int mode, boolean ftz) {
        return (int) round(v, 0, fmt, mode, ftz);
    }

    /** f16/bf16 with subnormals flushed (sign kept). */
    static int ftzHalf(int h, int fmt) {
        int expMask = fmt == F16 ? 0x7c00 : 0x7f80;
        return (h & expMask) == 0 ? h & 0x8000 : h;
    }

    private static boolean isNaNHalf(int h, int fmt) {
        return Double.isNaN(half2d(h, fmt));
    }

    /**
     * One 16-bit lane of f16/bf16 arithmetic: op 0 add, 1 sub, 2 mul, 3 fma, 4 min, 5 max, 6 neg, 7 abs.
     */
    static int halfOp(int op, int a, int b, int c, int fmt, int mode, boolean ftz, boolean sat) {
        a &= 0xffff;
        b &= 0xffff;
        c &= 0xffff;
        // f16 neg/abs of a NaN: the canonical 0x7fff (H100 80GB HBM3, corpus/gpucheck f16_arith, 2026-11-26);
        // bf16 was not observed and keeps the sign-bit operation.
        if ((op == 6 || op == 7) && fmt == F16 && isNaNHalf(a, fmt)) return CANON_H;
        if (op == 6) return (ftz ? ftzHalf(a, fmt) : a) ^ 0x8000;
        if (op == 7) return (ftz ? ftzHalf(a, fmt) : a) & 0x7fff;
        if (ftz) {
            a = ftzHalf(a, fmt);
            b = ftzHalf(b, fmt);
            c = ftzHalf(c, fmt);
        }
        double x = half2d(a, fmt);
        double y = half2d(b, fmt);
        int r;
        switch (op) {
            case 0 -> r = (int) sum(x, y, fmt, mode, ftz);
            case 1 -> r = (int) sum(x, -y, fmt, mode, ftz);
            case 2 -> r = (int) round(x * y, 0, fmt, mode, ftz);
            case 3 -> r = (int) sum(x * y, half2d(c, fmt), fmt, mode, ftz);
            case 4, 5 -> {
                boolean an = isNaNHalf(a, fmt);
                boolean bn = isNaNHalf(b, fmt);
                if (an && bn) return CANON_H;
                if (an) return b;
                if (bn) return a;
                if (x == y) {
                    boolean aNeg = (a & 0x8000) != 0;
                    return (op == 4) == aNeg ? a : b;
                }
                return (op == 4) == (x < y) ? a : b;
            }
            default -> throw new IllegalArgumentException("half op " + op);
        }
        if (isNaNHalf(r, fmt)) return sat ? 0 : CANON_H;
        if (sat) r = d2half(Math.max(0, Math.min(1, half2d(r, fmt))), fmt, RN, false) & 0x7fff;
        return r;
    }

    /** Packed f16x2/bf16x2 (or scalar, {@code pairs == false}) arithmetic. */
    static int halfOps(int op, int a, int b, int c, int fmt, int mode, boolean ftz, boolean sat, boolean pairs) {
        int lo = halfOp(op, a, b, c, fmt, mode, ftz, sat);
        if (!pairs) return lo;
        int hi = halfOp(op, a >>> 16, b >>> 16, c >>> 16, fmt, mode, ftz, sat);
        return (hi << 16) | (lo & 0xffff);
    }

    // ---- conversions ----------------------------------------------------------------------------------

    /** Exact double value of a float-format value held in bits ({@code from}: F16, BF16, F32 or F64). */
    static double toDouble(long bits, int from) {
        return switch (from) {
            case F16 -> h2d((int) bits);
            case BF16 -> b2d((int) bits);
            case F32 -> Float.intBitsToFloat((int) bits);
            default -> Double.longBitsToDouble(bits);
        };
    }

    /** Float to float conversion (bits in, bits out), with rounding to {@code to}, ftz and sat. */
    static long cvtFloat(long bits, int from, int to, int mode, boolean ftz, boolean sat) {
        double v = toDouble(bits, from);
        if (ftz && from == F32) v = ftz((float) v);
        if (Double.isNaN(v)) {
            if (sat) return 0;
            if (to == F64) return from == F64 ? bits : Double.doubleToRawLongBits(v);
            if (from == F64 && (to == F32 || to == F16)) return narrowNaN(bits, to);
            return canonicalNaN(to);
        }
        if (sat) v = sat(v);
        return round(v, 0, to, mode, ftz && to == F32);
    }

    /**
     * cvt f64 to f32/f16 of a NaN: sign kept, quiet bit set, the payload's high bits kept (f32: mantissa >> 29,
     * f16: >> 42), as on the H100 (corpus/gpucheck cvt_f32_f64, f16_convert, 2026-11-26: 0xfff4000000000005 gives
     * f32 0xffe00000 and f16 0xff00; 0x7ff8000000012345 gives 0x7fc00000 / 0x7e00). f32/f16 sources give the
     * canonical NaN instead (also observed there).
     */
    static long narrowNaN(long bits, int to) {
        long sign = bits >>> 63;
        long mant = bits & 0x000f_ffff_ffff_ffffL;
        if (to == F32) return (sign << 31) | 0x7fc0_0000L | (mant >>> 29);
        return (sign << 15) | 0x7e00L | (mant >>> 42);
    }

    /** Rounds a float-format value to an integral value of the same format ({@code .rni .rzi .rmi .rpi}). */
    static long roundIntegral(long bits, int fmt, int mode, boolean ftz, boolean sat) {
        double v = toDouble(bits, fmt);
        if (ftz && fmt == F32) v = ftz((float) v);
        // f64 NaN: quieted, sign and payload kept (H100, corpus/gpucheck cvt_round_integral, 2026-11-26)
        if (Double.isNaN(v)) return sat ? 0 : fmt == F64 ? bits | 0x0008_0000_0000_0000L : canonicalNaN(fmt);
        double r = integral(v, mode);
        if (sat) r = sat(r);
        return round(r, 0, fmt, RN, false);
    }

    static double integral(double v, int mode) {
        return switch (mode) {
            case RZ -> v < 0 ? Math.ceil(v) : Math.floor(v);
            case RM -> Math.floor(v);
            case RP -> Math.ceil(v);
            case RNA -> {
                double m = Math.abs(v);
                double f = Math.floor(m);
                if (m - f >= 0.5) f += 1;
                yield Math.copySign(f, v);
            }
            default -> Math.rint(v);
        };
    }

    /**
     * Float to integer conversion: round to integral per {@code mode}, then clamp to the destination range
     * ({@code bits} wide, {@code signed}); NaN gives {@code nan} ({@link #toIntNaN}). Result zero/sign-extended
     * to a long.
     */
    static long toInt(double v, int mode, int bits, boolean signed, long nan) {
        if (v != v) return nan;
        double r = integral(v, mode);
        if (signed) {
            if (bits == 64) return (long) r;
            long min = -(1L << (bits - 1));
            long max = (1L << (bits - 1)) - 1;
            return r <= min ? min : r >= max ? max : (long) r;
        }
        if (r <= 0) return 0;
        if (bits == 64) {
            if (r >= 0x1p64) return -1L;
            if (r < 0x1p63) return (long) r;
            return (long) (r - 0x1p63) + Long.MIN_VALUE;
        }
        long max = (1L << bits) - 1;
        return r >= max ? max : (long) r;
    }

    /**
     * The result of cvt float to integer of a NaN, as on an H100 80GB HBM3 (driver 580.159.04, CUDA 13.0,
     * corpus/gpucheck cvt_f32_to_int and cvt_f64_to_int, 2026-11-26, every rounding mode .rni .rzi .rmi .rpi):
     * f32 to 32-bit integers gives 0, f32 to 64-bit gives 0x8000000000000000, f64 to 32-bit gives 0x80000000 (s32
     * and u32) and f64 to 64-bit 0x8000000000000000. The PTX ISA says 0 for every case. Other widths and f16/bf16
     * sources were not observed and keep 0 (f16 to s32 gives 0 on the H100).
     */
    static long toIntNaN(int from, int bits) {
        boolean minBit = (from == F32 && bits == 64) || (from == F64 && (bits == 32 || bits == 64));
        if (!minBit) return 0;
        return bits == 64 ? Long.MIN_VALUE : 0x8000_0000L;
    }

    /** Signed or unsigned 64-bit integer to a float format, rounded per {@code mode}. */
    static long fromInt(long v, boolean signed, int to, int mode) {
        double s;
        int sigma;
        if (signed || v >= 0) {
            s = (double) v;
            if (Math.abs(v) < (1L << 53) && v != Long.MIN_VALUE) {
                sigma = 0;
            } else if (s >= 0x1p63) {
                sigma = -1;
            } else {
                sigma = Long.signum(v - (long) s);
            }
        } else {
            s = (double) ((v >>> 1) | (v & 1)) * 2.0;
            if (s >= 0x1p64) {
                sigma = -1;
            } else {
                long ul = ((long) (s / 2)) << 1;
                sigma = Long.compareUnsigned(v, ul);
            }
        }
        return round(s, sigma, to, mode, false);
    }

    // ---- classification ---------------------------------------------------------------------------------

    static int testp(int op, double v, boolean isF32) {
        double minNormal = isF32 ? Float.MIN_NORMAL : Double.MIN_NORMAL;
        boolean r = switch (op) {
            case 0 -> !Double.isNaN(v) && !Double.isInfinite(v);
            case 1 -> Double.isInfinite(v);
            case 2 -> !Double.isNaN(v);
            case 3 -> Double.isNaN(v);
            case 4 -> !Double.isNaN(v) && !Double.isInfinite(v) && Math.abs(v) >= minNormal;
            default -> v != 0 && Math.abs(v) < minNormal;
        };
        return r ? 1 : 0;
    }
}
