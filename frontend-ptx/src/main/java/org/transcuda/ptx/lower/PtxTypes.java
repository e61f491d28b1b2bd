package org.transcuda.ptx.lower;

import org.transcuda.ir.AddressSpace;
import org.transcuda.ir.ScalarType;
import org.transcuda.ptx.ast.PtxType;
import org.transcuda.ptx.ast.StateSpace;

/** Mapping of PTX types, type modifiers and state spaces to the IR's. */
public final class PtxTypes {
    private PtxTypes() {
    }

    /** The IR type of a PTX type, or null when the IR has none (tf32, fp8, texture references, ...). */
    public static ScalarType scalar(PtxType t) {
        return switch (t) {
            case S8 -> ScalarType.S8;
            case S16 -> ScalarType.S16;
            case S32 -> ScalarType.S32;
            case S64 -> ScalarType.S64;
            case U8 -> ScalarType.U8;
            case U16 -> ScalarType.U16;
            case U32 -> ScalarType.U32;
            case U64 -> ScalarType.U64;
            case B8 -> ScalarType.B8;
            case B16 -> ScalarType.B16;
            case B32 -> ScalarType.B32;
            case B64 -> ScalarType.B64;
            case B128 -> ScalarType.B128;
            case F16 -> ScalarType.F16;
            case F16X2 -> ScalarType.F16X2;
            case BF16 -> ScalarType.BF16;
            case BF16X2 -> ScalarType.BF16X2;
            case F32 -> ScalarType.F32;
            case F64 -> ScalarType.F64;
            case PRED -> ScalarType.PRED;
            default -> null;
        };
    }

    /** The IR type of a dotted type modifier ({@code .u32}), or null when it names none the IR has. */
    public static ScalarType scalar(String modifier) {
        PtxType t = PtxType.fromName(modifier);
        return t == null ? null : scalar(t);
    }

    /** Whether a modifier names a PTX type (including those the IR lacks). */
    public static boolean isType(String modifier) {
        return PtxType.fromName(modifier) != null;
    }

    /** The address space of a data state space, or null for .reg/.sreg/.tex. */
    public static AddressSpace space(StateSpace s) {
        return switch (s) {
            case GLOBAL -> AddressSpace.GLOBAL;
            case SHARED -> AddressSpace.SHARED;
            case LOCAL -> AddressSpace.LOCAL;
            case CONST -> AddressSpace.CONST;
            case PARAM -> AddressSpace.PARAM;
            default -> null;
        };
    }

    /**
     * The address space named by an instruction modifier: {@code .global}, {@code .shared} (also
     * {@code .shared::cta}), {@code .local}, {@code .const}, {@code .param} (also {@code ::entry}/{@code ::func});
     * null for anything else.
     */
    public static AddressSpace spaceModifier(String m) {
        return switch (m) {
            case ".global" -> AddressSpace.GLOBAL;
            case ".shared", ".shared::cta" -> AddressSpace.SHARED;
            case ".local" -> AddressSpace.LOCAL;
            case ".const" -> AddressSpace.CONST;
            case ".param", ".param::entry", ".param::func" -> AddressSpace.PARAM;
            default -> null;
        };
    }

    /** The integer type of a width: unsigned or signed. */
    public static ScalarType intType(int bits, boolean signed) {
        return switch (bits) {
            case 8 -> signed ? ScalarType.S8 : ScalarType.U8;
            case 16 -> signed ? ScalarType.S16 : ScalarType.U16;
            case 32 -> signed ? ScalarType.S32 : ScalarType.U32;
            case 64 -> signed ? ScalarType.S64 : ScalarType.U64;
            default -> throw new IllegalArgumentException("no integer type of " + bits + " bits");
        };
    }

    /** The bit-size type of a width. */
    public static ScalarType bitsType(int bits) {
        return switch (bits) {
            case 1 -> ScalarType.PRED;
            case 8 -> ScalarType.B8;
            case 16 -> ScalarType.B16;
            case 32 -> ScalarType.B32;
            case 64 -> ScalarType.B64;
            case 128 -> ScalarType.B128;
            default -> throw new IllegalArgumentException("no bit type of " + bits + " bits");
        };
    }

    /** Integer-like: .b, .u and .s types, which PTX lets stand for each other at equal size. */
    public static boolean isIntLike(ScalarType t) {
        return t.kind() == ScalarType.Kind.BITS || t.kind() == ScalarType.Kind.UNSIGNED
                || t.kind() == ScalarType.Kind.SIGNED;
    }

    public static boolean isFloat(ScalarType t) {
        return t.kind() == ScalarType.Kind.FLOAT;
    }

    public static boolean isSigned(ScalarType t) {
        return t.kind() == ScalarType.Kind.SIGNED;
    }

    /** The type with twice the bits and the same kind (for wide multiplies). */
    public static ScalarType wide(ScalarType t) {
        return switch (t.kind()) {
            case SIGNED -> intType(t.bits() * 2, true);
            case UNSIGNED -> intType(t.bits() * 2, false);
            case BITS -> bitsType(t.bits() * 2);
            default -> throw new IllegalArgumentException("no wide form of " + t);
        };
    }
}
