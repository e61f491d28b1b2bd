package org.transcuda.ir;

/** PTX fundamental types with their size in bits. */
public enum ScalarType {
    PRED(1, Kind.PREDICATE),
    B8(8, Kind.BITS), B16(16, Kind.BITS), B32(32, Kind.BITS), B64(64, Kind.BITS), B128(128, Kind.BITS),
    U8(8, Kind.UNSIGNED), U16(16, Kind.UNSIGNED), U32(32, Kind.UNSIGNED), U64(64, Kind.UNSIGNED),
    S8(8, Kind.SIGNED), S16(16, Kind.SIGNED), S32(32, Kind.SIGNED), S64(64, Kind.SIGNED),
    F16(16, Kind.FLOAT), F16X2(32, Kind.FLOAT), BF16(16, Kind.FLOAT), BF16X2(32, Kind.FLOAT),
    F32(32, Kind.FLOAT), F64(64, Kind.FLOAT);

    /** The families of PTX types, which decide PTX's relaxed type-compatibility rules. */
    public enum Kind { PREDICATE, BITS, UNSIGNED, SIGNED, FLOAT }

    private final int bits;
    private final Kind kind;

    ScalarType(int bits, Kind kind) {
        this.bits = bits;
        this.kind = kind;
    }

    public int bits() {
        return bits;
    }

    /** Size in bytes as stored in memory; a predicate occupies no memory and reports 0. */
    public int bytes() {
        return bits / 8;
    }

    public Kind kind() {
        return kind;
    }

    /** The PTX spelling, e.g. {@code .u32}. */
    public String ptxName() {
        return "." + name().toLowerCase(java.util.Locale.ROOT);
    }
}
