package org.transcuda.backend.cpu;

import java.lang.classfile.CodeBuilder;

/**
 * Branch-free bytecode shapes for integer {@code setp} and {@code selp}, emitted
 * by {@link KernelCompiler} (both engines) unless {@code -Dtranscuda.cpu.branchFree=false}.
 *
 * <p>A compare-and-branch ({@code if_icmplt} and two constants) in a lane loop is compiled by C2 as a branch (or a
 * compare and conditional move) per element, and a select {@code p != 0 ? a : b} likewise; neither vectorizes. The
 * shapes here are plain arithmetic (subtractions, xors, shifts, masks), which C2 keeps straight-line and can
 * superword:
 * <ul>
 * <li>32-bit orders (and 8/16-bit ones, held as normalized ints): both operands widened to {@code long} (sign- or
 * zero-extended per signedness), {@code a < b} is the sign bit of {@code a - b}, which cannot overflow 64 bits;
 * {@code a > b} is that of {@code b - a}; {@code >=} and {@code <=} are their complements ({@code ^ 1}).</li>
 * <li>64-bit orders: signed {@code a < b} is the sign bit of {@code (a - b) ^ ((a ^ b) & ((a - b) ^ a))} (the
 * difference's sign, corrected when the operands' signs differ and the subtraction overflows); unsigned orders
 * flip both sign bits first.</li>
 * <li>Equality, any width: {@code x = a ^ b} is nonzero exactly when they differ, and a nonzero {@code x} has the
 * sign bit set in {@code x} or in {@code -x} (both for the minimum value), so {@code ne = (x | -x) >>> (w - 1)} and
 * {@code eq = ne ^ 1}.</li>
 * <li>Select {@code p ? a : b} with a predicate held as int 0/1 (the compiler's representation: {@code not} is
 * {@code ^ 1}): {@code b ^ ((a ^ b) & -p)}, {@code -p} being all ones or zero.</li>
 * </ul>
 * Predicates stay ints holding 0 or 1. Float compares are not handled here (NaN rules of {@code .lt} against
 * {@code .ltu}): they keep {@link Rt#fcmp}/{@link Rt#dcmp}.
 */
final class BranchFree {
    /** On unless {@code -Dtranscuda.cpu.branchFree=false} (then: compare-and-branch, {@code Fp2.sel*} calls). */
    static final boolean ON = !"false".equals(System.getProperty("transcuda.cpu.branchFree"));

    /** Operand loads supplied by the compiler (a register, a constant, a special register). */
    interface Load {
        void emit();
    }

    private BranchFree() {
    }

    /**
     * Leaves {@code a op b} as int 0/1 for the integer compare {@code op} (a {@link org.transcuda.ir.Inst.CmpOp}
     * ordinal, EQ..HS) on values held as ints (32 bits or narrower, normalized).
     *
     * @param unsigned an unsigned order (lo/ls/hi/hs or an unsigned type): operands zero-extended to 64 bits
     */
    static void compareInt(CodeBuilder cb, int op, boolean unsigned, Load a, Load b) {
        if (op <= 1) {
            // eq / ne: x = a ^ b; ne = (x | -x) >>> 31
            a.emit();
            b.emit();
            cb.ixor().dup().ineg().ior().loadConstant(31).iushr();
            if (op == 0) cb.iconst_1().ixor();
            return;
        }
        // lt/lo, ge/hs: sign of a - b; gt/hi, le/ls: sign of b - a
        boolean swap = op == 3 || op == 4 || op == 7 || op == 8;
        boolean complement = op == 3 || op == 5 || op == 7 || op == 9;
        (swap ? b : a).emit();
        widen(cb, unsigned);
        (swap ? a : b).emit();
        widen(cb, unsigned);
        cb.lsub().loadConstant(63).lushr().l2i();
        if (complement) cb.iconst_1().ixor();
    }

    private static void widen(CodeBuilder cb, boolean unsigned) {
        cb.i2l();
        if (unsigned) cb.loadConstant(0xffff_ffffL).land();
    }

    /**
     * Leaves {@code a op b} as int 0/1 for the integer compare {@code op} (EQ..HS ordinal) on 64-bit values;
     * {@code x} and {@code y} are two free long locals.
     */
    static void compareLong(CodeBuilder cb, int op, boolean unsigned, Load a, Load b, int x, int y) {
        if (op <= 1) {
            a.emit();
            b.emit();
            cb.lxor().dup2().lneg().lor().loadConstant(63).lushr().l2i();
            if (op == 0) cb.iconst_1().ixor();
            return;
        }
        boolean swap = op == 3 || op == 4 || op == 7 || op == 8;
        boolean complement = op == 3 || op == 5 || op == 7 || op == 9;
        (swap ? b : a).emit();
        if (unsigned) cb.loadConstant(Long.MIN_VALUE).lxor();
        cb.lstore(x);
        (swap ? a : b).emit();
        if (unsigned) cb.loadConstant(Long.MIN_VALUE).lxor();
        cb.lstore(y);
        // d = x - y; lt = (d ^ ((x ^ y) & (d ^ x))) >>> 63
        cb.lload(x).lload(y).lsub().dup2();        // d d
        cb.lload(x).lxor();                         // d (d ^ x)
        cb.lload(x).lload(y).lxor().land();         // d ((x ^ y) & (d ^ x))
        cb.lxor().loadConstant(63).lushr().l2i();
        if (complement) cb.iconst_1().ixor();
    }

    /**
     * With {@code a b p} on the stack (ints; p a predicate 0/1) leaves {@code p != 0 ? a : b}; {@code m} is a free
     * int local.
     */
    static void selectInt(CodeBuilder cb, int m) {
        cb.ineg().istore(m);                         // a b
        cb.dup_x1().ixor();                          // b (a ^ b)
        cb.iload(m).iand().ixor();                   // b ^ ((a ^ b) & -p)
    }

    /**
     * With {@code a b p} on the stack (longs a, b; int predicate p 0/1) leaves {@code p != 0 ? a : b}; {@code m} is a
     * free long local.
     */
    static void selectLong(CodeBuilder cb, int m) {
        cb.ineg().i2l().lstore(m);                   // a b
        cb.dup2_x2().lxor();                         // b (a ^ b)
        cb.lload(m).land().lxor();
    }
}
