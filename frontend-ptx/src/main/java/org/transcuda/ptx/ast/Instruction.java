package org.transcuda.ptx.ast;

import java.util.List;
import java.util.Objects;

/**
 * One instruction: {@code [@[!]pred] opcode{.modifier} [operand {, operand}];}.
 *
 * @param pos       position of the instruction (its guard, if any)
 * @param guard     the predicate guard, or {@code null}
 * @param opcode    the base opcode, e.g. {@code "ld"}
 * @param modifiers every dotted suffix in order, e.g. {@code [".global", ".v4", ".u32"]}
 * @param operands  the operands in order
 * @param loc       the {@code .loc} in effect for this instruction, or {@code null}
 */
public record Instruction(SourcePos pos, Guard guard, String opcode, List<String> modifiers, List<Operand> operands,
                          Loc loc) implements Statement {
    public Instruction {
        Objects.requireNonNull(pos, "pos");
        Objects.requireNonNull(opcode, "opcode");
        modifiers = List.copyOf(modifiers);
        operands = List.copyOf(operands);
    }

    public boolean hasModifier(String modifier) {
        return modifiers.contains(modifier);
    }

    /** The opcode with its modifiers, e.g. {@code "ld.global.v4.u32"}. */
    public String fullOpcode() {
        if (modifiers.isEmpty()) {
            return opcode;
        }
        StringBuilder sb = new StringBuilder(opcode);
        for (String m : modifiers) {
            sb.append(m);
        }
        return sb.toString();
    }

    /** The instruction as PTX, without {@code .loc}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        PtxPrinter.appendInstruction(sb, this);
        return sb.toString();
    }
}
