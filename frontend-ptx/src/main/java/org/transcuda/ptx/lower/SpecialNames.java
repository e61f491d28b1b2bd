package org.transcuda.ptx.lower;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.transcuda.ir.Special;

/**
 * PTX special registers by name. Name resolution binds each special register an instruction reads to a
 * pseudo-register named like it without the {@code %} ({@code tid.x}); the special-registers pass replaces them with
 * {@code ReadSpecial}. User registers never carry these names (resolution renames them).
 */
public final class SpecialNames {
    private static final Map<String, Special> BY_NAME = new HashMap<>();

    /** The name of the pseudo-register that holds PTX's implicit carry flag until the carry pass. */
    public static final String CARRY = "cc";

    static {
        for (Special s : Special.values()) {
            String n = s.name().toLowerCase(Locale.ROOT);
            // TID_X -> tid.x, CLUSTER_CTAID_X -> cluster_ctaid.x, LANEMASK_EQ -> lanemask_eq
            if (n.endsWith("_x") || n.endsWith("_y") || n.endsWith("_z")) {
                n = n.substring(0, n.length() - 2) + "." + n.charAt(n.length() - 1);
            }
            BY_NAME.put(n, s);
        }
    }

    private SpecialNames() {
    }

    /** The special register named {@code name} (without {@code %}), or null. */
    public static Special special(String name) {
        return BY_NAME.get(name);
    }

    /** The pseudo-register name of a special register ({@code tid.x}). */
    public static String name(Special s) {
        for (Map.Entry<String, Special> e : BY_NAME.entrySet()) {
            if (e.getValue() == s) return e.getKey();
        }
        throw new IllegalArgumentException(s.toString());
    }

    /** Names user registers may not have (they are renamed): special register names and the carry flag. */
    public static boolean reserved(String name) {
        return BY_NAME.containsKey(name) || CARRY.equals(name);
    }

    /** PTX special registers that exist but have no IR form. */
    public static final Set<String> UNSUPPORTED_PREFIXES = Set.of("pm", "envreg", "reserved_smem", "aggr_smem",
            "current_graph_exec");
}
