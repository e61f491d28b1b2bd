package org.transcuda.ir;

/**
 * Operations of {@link Inst.Compute}: {@code dst = op(srcs...)}, all of the instruction's type unless the
 * description says otherwise. Semantics are PTX's (see the PTX ISA for each instruction of the same name).
 */
public enum Opcode {
    // integer and float arithmetic
    ADD(2), SUB(2), MUL(2),
    /** High half of the double-width product (integers). */
    MUL_HI(2),
    /** Double-width product: {@code dst} has twice the bits of the sources' type (given in srcType). */
    MUL_WIDE(2),
    /**
     * {@code a*b + c}, low half; integers only. PTX's float {@code mad.rnd.f32/.f64} is fused (a single rounding,
     * as {@code fma}) and becomes {@link #FMA}; the verifier rejects a float MAD.
     */
    MAD(3),
    MAD_HI(3),
    /** {@code a*b + c} with {@code c} and {@code dst} double width (srcType gives a, b). */
    MAD_WIDE(3),
    /** Fused multiply-add, single rounding. */
    FMA(3),
    DIV(2), REM(2), MIN(2), MAX(2), ABS(1), NEG(1),
    /** Float: copy the sign of a onto b ({@code copysign.f32 d, a, b}). */
    COPYSIGN(2),
    // float math (approximate ones carry FloatMode.approx)
    SQRT(1), RSQRT(1), RCP(1), SIN(1), COS(1), EX2(1), LG2(1), TANH(1),
    // bits
    AND(2), OR(2), XOR(2), NOT(1),
    /** Logical not of an integer: 1 if zero, else 0. */
    CNOT(1),
    SHL(2),
    /** Arithmetic for signed types, logical otherwise; shift amounts >= width saturate as PTX says. */
    SHR(2),
    /** Funnel shifts of {@code (b:a)} by {@code c}: left keeps the high word, right the low word. */
    SHF_L_CLAMP(3), SHF_L_WRAP(3), SHF_R_CLAMP(3), SHF_R_WRAP(3),
    POPC(1), CLZ(1), BREV(1),
    /** Bit position of the most significant non-sign bit, 0xffffffff if none. */
    BFIND(1),
    /** As BFIND, but the shift amount ({@code bfind.shiftamt}). */
    BFIND_SHIFTAMT(1),
    /** Bit field extract {@code (a, pos, len)}. */
    BFE(3),
    /** Bit field insert {@code (a, b, pos, len)}: insert a into b. */
    BFI(4),
    /** Byte permute {@code (a, b, selector)}, default mode, and its special modes. */
    PRMT(3), PRMT_F4E(3), PRMT_B4E(3), PRMT_RC8(3), PRMT_ECL(3), PRMT_ECR(3), PRMT_RC16(3),
    /** {@code (a, b, pred) -> pred ? a : b}. */
    SELP(3),
    /** Float classification into a predicate ({@code testp}); predicate logic uses AND/OR/XOR/NOT on PRED. */
    TESTP_FINITE(1), TESTP_INFINITE(1), TESTP_NUMBER(1), TESTP_NAN(1), TESTP_NORMAL(1), TESTP_SUBNORMAL(1),
    /** 4-way byte dot product with accumulate ({@code dp4a}). */
    DP4A(3),
    /** Sum of absolute differences {@code |a-b| + c}. */
    SAD(3);

    private final int arity;

    Opcode(int arity) {
        this.arity = arity;
    }

    /** Number of source operands. */
    public int arity() {
        return arity;
    }
}
