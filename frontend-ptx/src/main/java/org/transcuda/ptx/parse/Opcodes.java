package org.transcuda.ptx.parse;

import java.util.Set;

/** The base opcodes of the PTX ISA (through 9.0). Instructions with other opcodes parse, with a diagnostic. */
public final class Opcodes {
    private static final Set<String> KNOWN = Set.of(
            // integer and floating-point arithmetic
            "abs", "add", "addc", "bfe", "bfi", "bfind", "bmsk", "brev", "clz", "copysign", "cos", "div", "dp2a",
            "dp4a", "ex2", "fma", "fns", "lg2", "lop3", "mad", "mad24", "madc", "max", "min", "mul", "mul24", "neg",
            "popc", "rcp", "rem", "rsqrt", "sad", "sin", "sqrt", "sub", "subc", "szext", "tanh", "testp",
            // comparison, selection, logic, shifts
            "and", "cnot", "not", "or", "xor", "selp", "set", "setp", "slct", "shf", "shl", "shr", "prmt",
            // data movement and conversion
            "cvt", "cvta", "ld", "ldu", "st", "mov", "shfl", "prefetch", "prefetchu", "isspacep", "istypeof",
            "alloca", "stacksave", "stackrestore", "ldmatrix", "stmatrix", "movmatrix", "cp", "createpolicy",
            "discard", "applypriority", "mapa", "getctarank", "tensormap", "multimem",
            // textures and surfaces
            "tex", "tld4", "txq", "suld", "sust", "sured", "suq",
            // control flow
            "bra", "brx", "call", "ret", "exit",
            // synchronization and communication
            "bar", "barrier", "membar", "fence", "atom", "red", "redux", "vote", "match", "activemask", "elect",
            "mbarrier", "griddepcontrol", "nanosleep", "setmaxnreg", "clusterlaunchcontrol",
            // matrix multiply-accumulate
            "mma", "wmma", "wgmma", "tcgen05",
            // video instructions
            "vadd", "vsub", "vabsdiff", "vmin", "vmax", "vshl", "vshr", "vmad", "vset",
            "vadd2", "vsub2", "vavrg2", "vabsdiff2", "vmin2", "vmax2", "vset2",
            "vadd4", "vsub4", "vavrg4", "vabsdiff4", "vmin4", "vmax4", "vset4",
            // miscellaneous
            "brkpt", "pmevent", "trap");

    private Opcodes() {
    }

    /** Whether {@code opcode} (without modifiers, e.g. {@code "ld"}) is a PTX instruction. */
    public static boolean isKnown(String opcode) {
        return KNOWN.contains(opcode);
    }

    /** All known base opcodes. */
    public static Set<String> known() {
        return KNOWN;
    }
}
