package org.transcuda.corpus;

import java.math.BigInteger;

/**
 * Reference IEEE 754 arithmetic for the corpus expectations: exact rational intermediate values
 * rounded once to a target {@link FpFormat} in a chosen {@link Rnd} mode, with subnormals, signed
 * zeros and overflow handled as IEEE 754 prescribes. Values are passed as raw bit patterns
 * ({@code long}, low bits used). Independent of every backend; the test checks it against the JDK
 * where the JDK is exact (round to nearest).
 */
public final class Ieee {

    private Ieee() {
    }

    /** Rounding direction: nearest even, toward zero, down (-inf), up (+inf), nearest away from zero. */
    public enum Rnd {
        RN, RZ, RD, RU, RNA
    }

    /** The four PTX rounding modes in corpus order rn, rz, rm (down), rp (up). */
    public static final Rnd[] MODES = {Rnd.RN, Rnd.RZ, Rnd.RD, Rnd.RU};

    /** An exact rational number num/den, den > 0. */
    public record Q(BigInteger num, BigInteger den) {
        public static final Q ZERO = new Q(BigInteger.ZERO, BigInteger.ONE);

        public static Q of(long v) {
            return new Q(BigInteger.valueOf(v), BigInteger.ONE);
        }

        public static Q ofUnsigned(long v) {
            BigInteger b = BigInteger.valueOf(v);
            return new Q(v < 0 ? b.add(BigInteger.ONE.shiftLeft(64)) : b, BigInteger.ONE);
        }

        public static Q of(BigInteger v) {
            return new Q(v, BigInteger.ONE);
        }

        /** The exact value of a finite bit pattern. */
        public static Q of(FpFormat f, long bits) {
            long e = (bits & f.expMask()) >>> f.mantBits;
            long m = bits & f.mantMask();
            if (e == (1L << f.expBits) - 1) {
                throw new ArithmeticException("not finite: " + f.show(bits));
            }
            int exp;
            if (e == 0) {
                exp = 1 - f.bias - f.mantBits;
            } else {
                m |= 1L << f.mantBits;
                exp = (int) e - f.bias - f.mantBits;
            }
            BigInteger n = BigInteger.valueOf(m);
            if (f.isNegative(bits)) {
                n = n.negate();
            }
            return exp >= 0 ? new Q(n.shiftLeft(exp), BigInteger.ONE) : new Q(n, BigInteger.ONE.shiftLeft(-exp));
        }

        public static Q of(double d) {
            return of(FpFormat.F64, Double.doubleToRawLongBits(d));
        }

        public int signum() {
            return num.signum();
        }

        public Q add(Q o) {
            if (den.equals(o.den)) {
                return new Q(num.add(o.num), den);
            }
            return new Q(num.multiply(o.den).add(o.num.multiply(den)), den.multiply(o.den));
        }

        public Q neg() {
            return new Q(num.negate(), den);
        }

        public Q sub(Q o) {
            return add(o.neg());
        }

        public Q mul(Q o) {
            return new Q(num.multiply(o.num), den.multiply(o.den));
        }

        public Q div(Q o) {
            if (o.num.signum() == 0) {
                throw new ArithmeticException("division by zero");
            }
            BigInteger n = num.multiply(o.den), d = den.multiply(o.num);
            return d.signum() < 0 ? new Q(n.negate(), d.negate()) : new Q(n, d);
        }

        public int compareTo(Q o) {
            return num.multiply(o.den).compareTo(o.num.multiply(den));
        }

        /** floor(log2 |this|) for a nonzero value. */
        int log2() {
            BigInteger n = num.abs();
            int e = n.bitLength() - den.bitLength();
            int c = e >= 0 ? n.compareTo(den.shiftLeft(e)) : n.shiftLeft(-e).compareTo(den);
            return c < 0 ? e - 1 : e;
        }
    }

    // ---------------------------------------------------------------- rounding core

    /**
     * Packs sign * (m + frac) * 2^q, where frac in [0,1) is described by {@code inexact} (frac != 0)
     * and {@code half} (sign of frac - 1/2), m >= 0, into format f with rounding r. The caller
     * guarantees that q is the quantum of the result's binade (or of the subnormal range).
     */
    private static long pack(boolean neg, BigInteger m, int q, boolean inexact, int half, FpFormat f, Rnd r) {
        boolean up = switch (r) {
            case RN -> half > 0 || half == 0 && m.testBit(0);
            case RNA -> half >= 0 && inexact;
            case RZ -> false;
            case RU -> inexact && !neg;
            case RD -> inexact && neg;
        };
        if (up) {
            m = m.add(BigInteger.ONE);
        }
        if (m.bitLength() > f.mantBits + 1) {
            m = m.shiftRight(1);
            q++;
        }
        long sign = neg ? f.signMask() : 0;
        if (m.signum() == 0) {
            return sign;
        }
        long field;
        long mant = m.longValueExact();
        if (m.bitLength() == f.mantBits + 1) {
            long e = (long) q + f.mantBits + f.bias;
            if (e >= (1L << f.expBits) - 1) {
                return overflow(neg, f, r);
            }
            field = (e << f.mantBits) | (mant & f.mantMask());
        } else {
            field = mant; // subnormal, q is the subnormal quantum
        }
        return sign | field;
    }

    private static long overflow(boolean neg, FpFormat f, Rnd r) {
        boolean inf = switch (r) {
            case RN, RNA -> true;
            case RZ -> false;
            case RU -> !neg;
            case RD -> neg;
        };
        return inf ? f.inf(neg) : f.maxFinite(neg);
    }

    /** Rounds a nonzero exact value to format f. */
    public static long round(Q v, FpFormat f, Rnd r) {
        if (v.signum() == 0) {
            throw new IllegalArgumentException("zero has no sign here");
        }
        boolean neg = v.signum() < 0;
        BigInteger n = v.num().abs(), d = v.den();
        int emin = 1 - f.bias;
        int e = v.log2();
        if (e > f.bias + 1) {
            return overflow(neg, f, r);
        }
        int q = Math.max(e, emin) - f.mantBits;
        BigInteger nn = q >= 0 ? n : n.shiftLeft(-q);
        BigInteger dd = q >= 0 ? d.shiftLeft(q) : d;
        BigInteger[] qr = nn.divideAndRemainder(dd);
        BigInteger rem2 = qr[1].shiftLeft(1);
        return pack(neg, qr[0], q, qr[1].signum() != 0, rem2.compareTo(dd), f, r);
    }

    /** Rounds an exact value to an integer with mode r (RN: ties to even, RNA: ties away). */
    public static BigInteger roundToInteger(Q v, Rnd r) {
        boolean neg = v.signum() < 0;
        BigInteger[] qr = v.num().abs().divideAndRemainder(v.den());
        BigInteger m = qr[0];
        boolean inexact = qr[1].signum() != 0;
        int half = qr[1].shiftLeft(1).compareTo(v.den());
        boolean up = switch (r) {
            case RN -> half > 0 || half == 0 && m.testBit(0);
            case RNA -> half >= 0 && inexact;
            case RZ -> false;
            case RU -> inexact && !neg;
            case RD -> inexact && neg;
        };
        if (up) {
            m = m.add(BigInteger.ONE);
        }
        return neg ? m.negate() : m;
    }

    // ---------------------------------------------------------------- operations on bit patterns

    private static boolean nan(FpFormat f, long... xs) {
        for (long x : xs) {
            if (f.isNaN(x)) {
                return true;
            }
        }
        return false;
    }

    /** Exact value of a finite pattern. */
    public static Q q(FpFormat f, long bits) {
        return Q.of(f, bits);
    }

    /** Rounds v; an exact zero gets the sign {@code zeroNegative}. */
    private static long roundOrZero(Q v, boolean zeroNegative, FpFormat f, Rnd r) {
        return v.signum() == 0 ? f.zero(zeroNegative) : round(v, f, r);
    }

    public static long add(FpFormat f, long a, long b, Rnd r) {
        if (nan(f, a, b)) {
            return f.nan();
        }
        boolean ai = f.isInf(a), bi = f.isInf(b);
        if (ai && bi) {
            return f.isNegative(a) == f.isNegative(b) ? a : f.nan();
        }
        if (ai) {
            return a;
        }
        if (bi) {
            return b;
        }
        Q s = q(f, a).add(q(f, b));
        boolean zeroNeg;
        if (f.isZero(a) && f.isZero(b) && f.isNegative(a) == f.isNegative(b)) {
            zeroNeg = f.isNegative(a);
        } else {
            zeroNeg = r == Rnd.RD;
        }
        return roundOrZero(s, zeroNeg, f, r);
    }

    public static long sub(FpFormat f, long a, long b, Rnd r) {
        return add(f, a, nan(f, b) ? b : b ^ f.signMask(), r);
    }

    public static long mul(FpFormat f, long a, long b, Rnd r) {
        if (nan(f, a, b)) {
            return f.nan();
        }
        boolean neg = f.isNegative(a) != f.isNegative(b);
        if (f.isInf(a) || f.isInf(b)) {
            return f.isZero(a) || f.isZero(b) ? f.nan() : f.inf(neg);
        }
        if (f.isZero(a) || f.isZero(b)) {
            return f.zero(neg);
        }
        return round(q(f, a).mul(q(f, b)), f, r);
    }

    public static long fma(FpFormat f, long a, long b, long c, Rnd r) {
        if (nan(f, a, b, c)) {
            return f.nan();
        }
        boolean pneg = f.isNegative(a) != f.isNegative(b);
        boolean pinf = f.isInf(a) || f.isInf(b);
        if (pinf && (f.isZero(a) || f.isZero(b))) {
            return f.nan();
        }
        if (pinf) {
            if (f.isInf(c) && f.isNegative(c) != pneg) {
                return f.nan();
            }
            return f.inf(pneg);
        }
        if (f.isInf(c)) {
            return c;
        }
        boolean pzero = f.isZero(a) || f.isZero(b);
        Q p = pzero ? Q.ZERO : q(f, a).mul(q(f, b));
        Q s = p.add(q(f, c));
        boolean zeroNeg;
        if (pzero && f.isZero(c) && pneg == f.isNegative(c)) {
            zeroNeg = pneg;
        } else {
            zeroNeg = r == Rnd.RD;
        }
        return roundOrZero(s, zeroNeg, f, r);
    }

    public static long div(FpFormat f, long a, long b, Rnd r) {
        if (nan(f, a, b)) {
            return f.nan();
        }
        boolean neg = f.isNegative(a) != f.isNegative(b);
        if (f.isInf(a)) {
            return f.isInf(b) ? f.nan() : f.inf(neg);
        }
        if (f.isInf(b)) {
            return f.zero(neg);
        }
        if (f.isZero(b)) {
            return f.isZero(a) ? f.nan() : f.inf(neg);
        }
        if (f.isZero(a)) {
            return f.zero(neg);
        }
        return round(q(f, a).div(q(f, b)), f, r);
    }

    public static long rcp(FpFormat f, long a, Rnd r) {
        long one = f == FpFormat.F64 ? Double.doubleToRawLongBits(1.0) : fromDouble(f, 1.0);
        return div(f, one, a, r);
    }

    public static long sqrt(FpFormat f, long a, Rnd r) {
        if (f.isNaN(a)) {
            return f.nan();
        }
        if (f.isZero(a)) {
            return a;
        }
        if (f.isNegative(a)) {
            return f.nan();
        }
        if (f.isInf(a)) {
            return a;
        }
        Q v = q(f, a);
        int e = Math.floorDiv(v.log2(), 2);
        int q = Math.max(e, 1 - f.bias) - f.mantBits;
        // x = v * 2^(-2q) = N / D; result mantissa m = floor(sqrt(x))
        BigInteger n = v.num(), d = v.den();
        if (q >= 0) {
            d = d.shiftLeft(2 * q);
        } else {
            n = n.shiftLeft(-2 * q);
        }
        BigInteger m = n.divide(d).sqrt();
        boolean exact = m.multiply(m).multiply(d).equals(n);
        // compare sqrt(x) with m + 1/2: x >= m^2 + m + 1/4  <=>  4n >= (4m^2 + 4m + 1) d
        BigInteger lhs = n.shiftLeft(2);
        BigInteger rhs = m.multiply(m).shiftLeft(2).add(m.shiftLeft(2)).add(BigInteger.ONE).multiply(d);
        int half = lhs.compareTo(rhs);
        return pack(false, m, q, !exact, half, f, r);
    }

    /** Converts a finite or special pattern of format {@code from} to format {@code to}. */
    public static long convert(FpFormat from, long a, FpFormat to, Rnd r) {
        if (from.isNaN(a)) {
            return to.nan();
        }
        boolean neg = from.isNegative(a);
        if (from.isInf(a)) {
            return to.inf(neg);
        }
        if (from.isZero(a)) {
            return to.zero(neg);
        }
        return round(q(from, a), to, r);
    }

    /** The bits of a double converted (rounded) to format f. */
    public static long fromDouble(FpFormat f, double d, Rnd r) {
        return convert(FpFormat.F64, Double.doubleToRawLongBits(d), f, r);
    }

    public static long fromDouble(FpFormat f, double d) {
        return fromDouble(f, d, Rnd.RN);
    }

    /** Signed (or unsigned) 64-bit integer to format f. */
    public static long fromLong(FpFormat f, long v, boolean unsigned, Rnd r) {
        if (v == 0) {
            return 0;
        }
        return round(unsigned ? Q.ofUnsigned(v) : Q.of(v), f, r);
    }

    /** Round to an integral value in the same format (cvt.rni/rzi/rmi/rpi.fX.fX); keeps the sign of zero. */
    public static long roundIntegral(FpFormat f, long a, Rnd r) {
        if (f.isNaN(a)) {
            return f.nan();
        }
        if (f.isInf(a) || f.isZero(a)) {
            return a;
        }
        BigInteger k = roundToInteger(q(f, a), r);
        if (k.signum() == 0) {
            return f.zero(f.isNegative(a));
        }
        return round(Q.of(k), f, Rnd.RN);
    }

    /**
     * Float to integer as PTX cvt.{rni,rzi,rmi,rpi}.{s,u}{32,64}: round with mode r, saturate to the
     * destination range. A NaN gives 0, except f32 to 64-bit and f64 to 32/64-bit integers, which give the
     * width's sign bit alone (0x80000000 / 0x8000000000000000, signed and unsigned alike): what an NVIDIA H100
     * 80GB HBM3 gives (driver 580.159.04, CUDA 13.0, corpus/gpucheck cvt_f32_to_int / cvt_f64_to_int,
     * 2026-11-26; the PTX ISA says 0). Returns the destination bits (zero-extended in a long).
     */
    public static long toInt(FpFormat f, long a, Rnd r, int width, boolean signed) {
        if (f.isNaN(a)) {
            boolean minBit = (f == FpFormat.F32 && width == 64) || (f == FpFormat.F64 && (width == 32 || width == 64));
            return minBit ? 1L << (width - 1) : 0;
        }
        BigInteger min = signed ? BigInteger.ONE.shiftLeft(width - 1).negate() : BigInteger.ZERO;
        BigInteger max = signed ? BigInteger.ONE.shiftLeft(width - 1).subtract(BigInteger.ONE)
                : BigInteger.ONE.shiftLeft(width).subtract(BigInteger.ONE);
        BigInteger k;
        if (f.isInf(a)) {
            k = f.isNegative(a) ? min : max;
        } else if (f.isZero(a)) {
            k = BigInteger.ZERO;
        } else {
            k = roundToInteger(q(f, a), r);
        }
        if (k.compareTo(min) < 0) {
            k = min;
        }
        if (k.compareTo(max) > 0) {
            k = max;
        }
        return width == 64 ? k.longValue() : k.longValue() & ((1L << width) - 1);
    }

    // ---------------------------------------------------------------- PTX modifiers

    /** .ftz on a pattern: subnormals become zero of the same sign. */
    public static long ftz(FpFormat f, long a) {
        return f.isSubnormal(a) ? a & f.signMask() : a;
    }

    /** .sat: clamp to [0, 1], NaN to +0. */
    public static long sat(FpFormat f, long a) {
        if (f.isNaN(a)) {
            return 0;
        }
        double v = f.toDouble(a);
        if (v < 0 || f.isZero(a)) {
            return 0;
        }
        if (v > 1) {
            return fromDouble(f, 1.0);
        }
        return a;
    }

    /** min with PTX rules: NaN-ignoring (both NaN gives NaN), -0 < +0. */
    public static long min(FpFormat f, long a, long b) {
        return minMax(f, a, b, true);
    }

    public static long max(FpFormat f, long a, long b) {
        return minMax(f, a, b, false);
    }

    private static long minMax(FpFormat f, long a, long b, boolean min) {
        boolean an = f.isNaN(a), bn = f.isNaN(b);
        if (an && bn) {
            return f.nan();
        }
        if (an) {
            return b;
        }
        if (bn) {
            return a;
        }
        long oa = f.ordinal(a), ob = f.ordinal(b);
        if (oa == ob && f.isZero(a)) {
            boolean aNeg = f.isNegative(a), bNeg = f.isNegative(b);
            // -0 < +0
            return min ? (aNeg ? a : b) : (aNeg ? b : a);
        }
        return min ? (oa <= ob ? a : b) : (oa >= ob ? a : b);
    }

    // ---------------------------------------------------------------- float / double shorthands

    public static int f32(float x) {
        return Float.floatToRawIntBits(x);
    }

    public static float f32(long bits) {
        return Float.intBitsToFloat((int) bits);
    }

    public static long f64(double x) {
        return Double.doubleToRawLongBits(x);
    }

    public static double f64(long bits) {
        return Double.longBitsToDouble(bits);
    }
}
