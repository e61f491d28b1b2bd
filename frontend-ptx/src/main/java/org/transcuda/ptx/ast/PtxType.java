package org.transcuda.ptx.ast;

import java.util.HashMap;
import java.util.Map;

/** A fundamental PTX type as used in declarations ({@code .u32}, {@code .f16x2}, {@code .pred}, ...). */
public enum PtxType {
    S8(8), S16(16), S32(32), S64(64),
    U8(8), U16(16), U32(32), U64(64),
    B8(8), B16(16), B32(32), B64(64), B128(128),
    F16(16), F16X2(32), BF16(16), BF16X2(32), F32(32), F64(64), TF32(32),
    E4M3(8), E5M2(8), E4M3X2(16), E5M2X2(16),
    E2M1(4), E2M3(6), E3M2(6), UE8M0(8),
    E2M1X2(8), E2M3X2(16), E3M2X2(16), UE8M0X2(16),
    S16X2(32), U16X2(32),
    PRED(1),
    /** Opaque texture, sampler and surface references (64-bit handles). */
    TEXREF(64), SAMPLERREF(64), SURFREF(64);

    private static final Map<String, PtxType> BY_NAME = new HashMap<>();

    static {
        for (PtxType t : values()) {
            BY_NAME.put(t.ptxName, t);
        }
    }

    private final int bits;
    private final String ptxName;

    PtxType(int bits) {
        this.bits = bits;
        this.ptxName = "." + name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Width in bits (1 for {@code .pred}). */
    public int bits() {
        return bits;
    }

    /** The PTX spelling with its dot, e.g. {@code ".f16x2"}. */
    public String ptxName() {
        return ptxName;
    }

    /** The type named by a dotted word such as {@code ".u32"}, or {@code null} when it names no type. */
    public static PtxType fromName(String dottedName) {
        return BY_NAME.get(dottedName);
    }
}
