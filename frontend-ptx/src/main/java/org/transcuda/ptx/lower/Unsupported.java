package org.transcuda.ptx.lower;

import java.util.List;
import org.transcuda.ptx.parse.Opcodes;

/**
 * PTX instructions the IR cannot express. A function that uses one is not translated; its problem names the
 * instruction and the reason. Everything else is handled by instruction selection (which reports the odd
 * unsupported modifier itself).
 */
public final class Unsupported {
    private Unsupported() {
    }

    /** Why {@code opcode} with these modifiers has no IR form, or null when it may have one. */
    public static String reason(String opcode, List<String> mods) {
        if (!Opcodes.isKnown(opcode)) return "unknown instruction '" + opcode + "'";
        return switch (opcode) {
            case "tex", "tld4", "txq", "suld", "sust", "sured", "suq", "istypeof" ->
                    "texture and surface instructions have no IR form";
            case "mma", "wmma", "wgmma", "ldmatrix", "stmatrix", "movmatrix", "tcgen05" ->
                    "matrix (tensor core) instructions have no IR form";
            case "mbarrier" -> "mbarrier objects have no IR form";
            case "tensormap", "multimem", "griddepcontrol", "setmaxnreg", "clusterlaunchcontrol", "mapa",
                 "getctarank" -> "'" + opcode + "' has no IR form";
            case "alloca", "stacksave", "stackrestore" -> "dynamic stack allocation has no IR form";
            case "vadd", "vsub", "vabsdiff", "vmin", "vmax", "vshl", "vshr", "vmad", "vset", "vadd2", "vsub2",
                 "vavrg2", "vabsdiff2", "vmin2", "vmax2", "vset2", "vadd4", "vsub4", "vavrg4", "vabsdiff4", "vmin4",
                 "vmax4", "vset4" -> "SIMD video instructions have no IR form";
            case "dp2a", "fns", "elect" -> "'" + opcode + "' has no IR form yet";
            case "barrier", "bar" -> mods.contains(".cluster") ? "cluster barriers have no IR form" : null;
            case "fence" -> {
                for (String m : mods) {
                    if (m.startsWith(".proxy") || m.startsWith(".mbarrier_init") || m.equals(".cluster")) {
                        yield "fence" + m + " has no IR form";
                    }
                }
                yield null;
            }
            case "cp" -> {
                if (mods.contains(".async") && (mods.contains(".bulk") || mods.contains(".mbarrier")
                        || mods.stream().anyMatch(m -> m.startsWith(".mbarrier")))) {
                    yield "bulk and mbarrier-tracked asynchronous copies have no IR form";
                }
                if (!mods.contains(".async")) yield "'cp" + String.join("", mods) + "' has no IR form";
                yield null;
            }
            case "red", "atom" -> mods.contains(".async") ? "asynchronous reductions have no IR form" : null;
            default -> null;
        };
    }
}
