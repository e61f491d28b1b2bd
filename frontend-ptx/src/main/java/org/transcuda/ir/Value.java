package org.transcuda.ir;

/** An instruction operand: a register, a typed constant, or the address of a symbol. */
public sealed interface Value permits Reg, Const, SymbolAddr {
    /** The operand's type (addresses are {@code .u64}, or {@code .u32} for 32-bit shared/local addressing). */
    ScalarType type();
}
