package org.transcuda.ir;

import java.util.Objects;

/**
 * A constant of a scalar type, held as raw bits (floats as their IEEE encoding, zero-extended to 64 bits;
 * integers as their two's complement value truncated to the type's width).
 */
public record Const(ScalarType type, long bits) implements Value {
    public Const {
        Objects.requireNonNull(type, "type");
        if (type.bits() < 64 && type != ScalarType.PRED) bits &= (1L << type.bits()) - 1;
        if (type == ScalarType.PRED) bits &= 1;
    }

    public static Const of(ScalarType type, long value) {
        return new Const(type, value);
    }

    public static Const f32(float v) {
        return new Const(ScalarType.F32, Float.floatToRawIntBits(v) & 0xffffffffL);
    }

    public static Const f64(double v) {
        return new Const(ScalarType.F64, Double.doubleToRawLongBits(v));
    }

    /** The value sign-extended from the type's width (for signed integer types). */
    public long signed() {
        int w = type.bits();
        return w >= 64 || w == 1 ? bits : (bits << (64 - w)) >> (64 - w);
    }

    @Override
    public String toString() {
        return switch (type) {
            case F32 -> Float.intBitsToFloat((int) bits) + "f32";
            case F64 -> Double.longBitsToDouble(bits) + "f64";
            case S8, S16, S32, S64 -> signed() + type.ptxName();
            default -> "0x" + Long.toHexString(bits) + type.ptxName();
        };
    }
}
