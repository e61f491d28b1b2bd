package org.transcuda.ptx.lower;

import java.util.ArrayList;
import java.util.List;
import org.transcuda.ir.ScalarType;

/**
 * The type PTX gives each value operand of an instruction: the instruction's type modifier, except where the ISA
 * fixes another (shift amounts and bit positions are {@code .u32}, selectors {@code .b32}, predicates
 * {@code .pred}, the destination of a wide multiply is twice as wide, ...). Used to type immediates.
 */
public final class OperandTypes {
    private OperandTypes() {
    }

    /** The type modifiers of an instruction, in order (only those the IR has; others are skipped). */
    public static List<ScalarType> types(LStmt.Ins in) {
        List<ScalarType> out = new ArrayList<>(2);
        for (String m : in.mods()) {
            ScalarType t = PtxTypes.scalar(m);
            if (t != null) out.add(t);
        }
        return out;
    }

    /** The type of operand {@code index}, or null when it is not a plain value or the ISA leaves it open. */
    public static ScalarType of(LStmt.Ins in, int index) {
        List<ScalarType> ts = types(in);
        if (ts.isEmpty()) {
            return switch (in.opcode()) {
                case "bar", "barrier" -> index == 0 || index == 1 ? ScalarType.U32 : null;
                case "nanosleep" -> ScalarType.U32;
                case "brx" -> index == 0 ? ScalarType.U32 : null;
                case "cp" -> index >= 2 ? ScalarType.U32 : null;
                default -> null;
            };
        }
        ScalarType t = ts.getLast();
        boolean wide = in.has(".wide");
        return switch (in.opcode()) {
            case "shl", "shr" -> index == 2 ? ScalarType.U32 : t;
            case "shf" -> index == 3 ? ScalarType.U32 : ScalarType.B32;
            case "bfe" -> index >= 2 ? ScalarType.U32 : t;
            case "bfi" -> index >= 3 ? ScalarType.U32 : t;
            case "bfind", "popc", "clz" -> index == 0 ? ScalarType.U32 : t;
            case "prmt", "lop3" -> ScalarType.B32;
            case "selp" -> index == 3 ? ScalarType.PRED : t;
            case "setp" -> index == 0 || index == 3 ? ScalarType.PRED : t;
            case "testp" -> index == 0 ? ScalarType.PRED : t;
            case "set" -> index == 3 ? ScalarType.PRED : index == 0 ? ts.getFirst() : t;
            case "slct" -> index == 3 ? t : ts.getFirst();
            case "cvt" -> ts.size() < 2 ? null : index == 0 ? ts.getFirst() : ts.get(1);
            case "mul", "mad" -> wide && (index == 0 || index == 3) ? PtxTypes.wide(t) : t;
            case "ld", "ldu" -> index == 0 ? t : null;
            case "st" -> index == 1 ? t : null;
            case "atom" -> index >= 2 ? t : null;
            case "red" -> index >= 1 ? t : null;
            case "shfl" -> index == 1 ? ScalarType.B32 : index >= 2 ? ScalarType.U32 : null;
            case "vote" -> index == 2 ? ScalarType.B32 : index == 1 ? ScalarType.PRED : null;
            case "match", "redux" -> index == 2 ? ScalarType.B32 : index == 1 ? t : null;
            case "bar", "barrier" -> index == 0 ? null : index == 1 || index == 2 ? ScalarType.U32 : null;
            case "cvta", "isspacep" -> index == 1 ? t : null;
            case "mov", "add", "sub", "mul24", "mad24", "div", "rem", "min", "max", "abs", "neg", "and", "or",
                 "xor", "not", "cnot", "copysign", "sqrt", "rcp", "rsqrt", "sin", "cos", "lg2", "ex2", "tanh",
                 "fma", "brev", "sad", "addc", "subc", "madc", "szext", "bmsk", "activemask" -> t;
            default -> null;
        };
    }
}
