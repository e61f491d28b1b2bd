package org.transcuda.ptx.lower;

import org.transcuda.ir.Const;
import org.transcuda.ir.ScalarType;

/** Typing of PTX literals as IR constants of an operand's type. */
public final class Literals {
    private Literals() {
    }

    /**
     * The constant a literal denotes as an operand of type {@code t}: integer literals keep their bits (truncated to
     * the type), {@code 0f}/{@code 0d} literals used as float operands are converted to the operand's precision
     * (rounded to nearest), and used as bit-size or integer operands keep their bits. Returns null for an integer
     * literal used as a float operand, which PTX rejects.
     */
    public static Const constant(LOp lit, ScalarType t) {
        return switch (lit) {
            case LOp.Int i -> t.kind() == ScalarType.Kind.FLOAT ? null
                    : t == ScalarType.PRED ? Const.of(t, i.value() != 0 ? 1 : 0) : Const.of(t, i.value());
            case LOp.Flt f -> floatConst(f, t);
            case LOp.K k -> k.value().type() == t ? k.value()
                    : k.value().type().bits() == t.bits() || (k.value().type().kind() != ScalarType.Kind.FLOAT
                    && t.kind() != ScalarType.Kind.FLOAT) ? Const.of(t, k.value().bits()) : null;
            default -> null;
        };
    }

    private static Const floatConst(LOp.Flt f, ScalarType t) {
        double d = f.single() ? Float.intBitsToFloat((int) f.bits()) : Double.longBitsToDouble(f.bits());
        return switch (t) {
            case F32 -> f.single() ? Const.of(t, f.bits()) : Const.f32((float) d);
            case F64 -> f.single() ? Const.f64(d) : Const.of(t, f.bits());
            case F16 -> Const.of(t, Float.floatToFloat16(f.single() ? (float) d : toFloatRn(d)));
            case BF16 -> Const.of(t, bf16(f.single() ? (float) d : toFloatRn(d)));
            case F16X2, BF16X2 -> null;
            default -> Const.of(t, f.bits());
        };
    }

    private static float toFloatRn(double d) {
        return (float) d;
    }

    /** bf16 bits of a float, rounded to nearest even (NaN stays NaN). */
    public static long bf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) return ((bits >>> 16) | 0x40) & 0xffff;
        int rounding = 0x7fff + ((bits >>> 16) & 1);
        return ((bits + rounding) >>> 16) & 0xffff;
    }
}
