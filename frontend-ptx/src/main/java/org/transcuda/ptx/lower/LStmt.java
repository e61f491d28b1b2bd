package org.transcuda.ptx.lower;

import java.util.List;
import java.util.Objects;
import org.transcuda.ir.Reg;
import org.transcuda.ir.SrcLoc;
import org.transcuda.ptx.ast.SourcePos;

/** A statement of a function body after name resolution: a label or an instruction with resolved operands. */
public sealed interface LStmt {
    SourcePos pos();

    /** A label (unique within the function). */
    record Lbl(String label, SourcePos pos) implements LStmt {
        public Lbl {
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(pos, "pos");
        }
    }

    /**
     * An instruction: the PTX opcode and modifiers as parsed, the guard register, and resolved operands.
     *
     * @param loc source location for the IR (PTX position and .loc)
     */
    record Ins(String opcode, List<String> mods, Reg guard, boolean negate, List<LOp> ops, SrcLoc loc, SourcePos pos)
            implements LStmt {
        public Ins {
            Objects.requireNonNull(opcode, "opcode");
            mods = List.copyOf(mods);
            ops = List.copyOf(ops);
            Objects.requireNonNull(pos, "pos");
        }

        public Ins withOps(List<LOp> newOps) {
            return new Ins(opcode, mods, guard, negate, newOps, loc, pos);
        }

        public Ins with(List<String> newMods, List<LOp> newOps) {
            return new Ins(opcode, newMods, guard, negate, newOps, loc, pos);
        }

        public boolean has(String mod) {
            return mods.contains(mod);
        }

        /** The opcode with its modifiers, e.g. {@code ld.global.v4.f32}. */
        public String full() {
            StringBuilder sb = new StringBuilder(opcode);
            for (String m : mods) sb.append(m);
            return sb.toString();
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            if (guard != null) sb.append('@').append(negate ? "!" : "").append(guard).append(' ');
            sb.append(full());
            for (int i = 0; i < ops.size(); i++) sb.append(i == 0 ? " " : ", ").append(ops.get(i));
            return sb.append(';').toString();
        }
    }
}
