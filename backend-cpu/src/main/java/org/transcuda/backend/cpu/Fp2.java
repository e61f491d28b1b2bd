package org.transcuda.backend.cpu;

import org.transcuda.ir.Opcode;

/**
 * Bit-level float helpers (abs/neg/copysign act on the sign bit; abs/neg of a NaN follow the H100, see below), the
 * approximate math functions ({@code .approx}: computed in double and rounded, far inside NVIDIA's
 * documented error bounds), selects and integer saturation for {@code cvt.sat}.
 */
final class Fp2 {
    private static final double LOG2E = 1.4426950408889634;

    private Fp2() {
    }

    static int selI(int a, int b, int p) {
        return p != 0 ? a : b;
    }

    static long selJ(long a, long b, int p) {
        return p != 0 ? a : b;
    }

    static float selF(float a, float b, int p) {
        return p != 0 ? a : b;
    }

    static double selD(double a, double b, int p) {
        return p != 0 ? a : b;
    }

    /*
     * abs/neg of a NaN, as an NVIDIA H100 80GB HBM3 gives it (driver 580.159.04, CUDA 13.0, corpus/gpucheck
     * 2026-11-26, cases f32_minmax_abs_neg and f64_minmax_abs_neg): f32 gives the canonical NaN 0x7fffffff; f64
     * leaves the NaN's sign and payload alone and only quiets it (abs(0xfff8..) = 0xfff8..,
     * neg(0x7ff0..01) = 0x7ff8..01). The PTX ISA describes abs/neg as sign-bit operations.
     */
    static float abs(float x, boolean ftz) {
        if (x != x) return Fp.NAN_F32;
        if (ftz) x = Fp.ftz(x);
        return Float.intBitsToFloat(Float.floatToRawIntBits(x) & 0x7fff_ffff);
    }

    static float neg(float x, boolean ftz) {
        if (x != x) return Fp.NAN_F32;
        if (ftz) x = Fp.ftz(x);
        return Float.intBitsToFloat(Float.floatToRawIntBits(x) ^ 0x8000_0000);
    }

    static double abs(double x) {
        if (x != x) return Fp.quiet(x);
        return Double.longBitsToDouble(Double.doubleToRawLongBits(x) & 0x7fff_ffff_ffff_ffffL);
    }

    static double neg(double x) {
        if (x != x) return Fp.quiet(x);
        return Double.longBitsToDouble(Double.doubleToRawLongBits(x) ^ 0x8000_0000_0000_0000L);
    }

    /** PTX {@code copysign d, a, b}: b's magnitude with a's sign. */
    static float copysign(float a, float b) {
        return Float.intBitsToFloat((Float.floatToRawIntBits(b) & 0x7fff_ffff) | (Float.floatToRawIntBits(a) & 0x8000_0000));
    }

    static double copysign(double a, double b) {
        return Double.longBitsToDouble((Double.doubleToRawLongBits(b) & 0x7fff_ffff_ffff_ffffL)
                | (Double.doubleToRawLongBits(a) & 0x8000_0000_0000_0000L));
    }

    private static float finish(double r, boolean ftz) {
        float f = (float) r;
        if (ftz) f = Fp.ftz(f);
        return Fp.cf(f);
    }

    static float rsqrt(float x, boolean ftz) {
        if (ftz) x = Fp.ftz(x);
        return finish(1.0 / Math.sqrt(x), ftz);
    }

    static float sin(float x, boolean ftz) {
        if (ftz) x = Fp.ftz(x);
        return finish(Math.sin(x), ftz);
    }

    static float cos(float x, boolean ftz) {
        if (ftz) x = Fp.ftz(x);
        return finish(Math.cos(x), ftz);
    }

    static float ex2(float x, boolean ftz) {
        if (ftz) x = Fp.ftz(x);
        return finish(Math.pow(2.0, x), ftz);
    }

    static float lg2(float x, boolean ftz) {
        if (ftz) x = Fp.ftz(x);
        return finish(Math.log(x) * LOG2E, ftz);
    }

    static float tanh(float x, boolean ftz) {
        if (ftz) x = Fp.ftz(x);
        return finish(Math.tanh(x), ftz);
    }

    static double rsqrt(double x) {
        return 1.0 / Math.sqrt(x);
    }

    static double sin(double x) {
        return Math.sin(x);
    }

    static double cos(double x) {
        return Math.cos(x);
    }

    static double ex2(double x) {
        return Math.pow(2.0, x);
    }

    static double lg2(double x) {
        return Math.log(x) * LOG2E;
    }

    static double tanh(double x) {
        return Math.tanh(x);
    }

    /** Approximate unary math on f16/bf16 (scalar or packed pairs); {@code op} is the Opcode ordinal. */
    static int halfUnary(int op, int a, int fmt, boolean ftz, boolean pairs) {
        int lo = halfUnary1(op, a & 0xffff, fmt, ftz);
        if (!pairs) return lo;
        return (halfUnary1(op, a >>> 16, fmt, ftz) << 16) | lo;
    }

    private static int halfUnary1(int op, int h, int fmt, boolean ftz) {
        if (ftz) h = Fp.ftzHalf(h, fmt);
        double x = Fp.half2d(h, fmt);
        Opcode o = Opcode.values()[op];
        double r = switch (o) {
            case EX2 -> Math.pow(2.0, x);
            case TANH -> Math.tanh(x);
            case SQRT -> Math.sqrt(x);
            case RSQRT -> 1.0 / Math.sqrt(x);
            case RCP -> 1.0 / x;
            case SIN -> Math.sin(x);
            case COS -> Math.cos(x);
            case LG2 -> Math.log(x) * LOG2E;
            default -> throw new IllegalArgumentException("half op " + o);
        };
        if (Double.isNaN(r)) return Fp.CANON_H;
        return (int) Fp.round(r, 0, fmt, Fp.RN, ftz);
    }

    static int satHalf(int h, int fmt) {
        double x = Fp.half2d(h & 0xffff, fmt);
        if (Double.isNaN(x) || x <= 0) return 0;
        if (x >= 1) return (int) Fp.round(1.0, 0, fmt, Fp.RN, false);
        return h & 0xffff;
    }

    /** cvt.sat between integer types: clamps v (of the source type) to the destination's range. */
    static long satInt(long v, boolean fromSigned, int fromBits, int toBits, boolean toSigned) {
        boolean hugeUnsigned = !fromSigned && fromBits == 64 && v < 0;
        long max = toSigned ? (toBits == 64 ? Long.MAX_VALUE : (1L << (toBits - 1)) - 1)
                : (toBits == 64 ? -1L : (1L << toBits) - 1);
        if (hugeUnsigned) return toSigned || toBits < 64 ? max : v;
        if (toSigned) {
            long min = toBits == 64 ? Long.MIN_VALUE : -(1L << (toBits - 1));
            return v < min ? min : v > max ? max : v;
        }
        if (v < 0) return 0;
        return toBits == 64 || v <= max ? v : max;
    }
}
