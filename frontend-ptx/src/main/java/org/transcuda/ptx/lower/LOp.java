package org.transcuda.ptx.lower;

import java.util.List;
import java.util.Objects;
import org.transcuda.ir.AddressSpace;
import org.transcuda.ir.Const;
import org.transcuda.ir.Reg;

/**
 * An operand of a PTX instruction after name resolution: every name is bound to a register, a symbol, a label or a
 * call prototype. {@link #toString()} gives a PTX-like spelling for dumps.
 */
public sealed interface LOp {

    /** A register of the function (special registers are pseudo-registers, see {@link SpecialNames}). */
    record R(Reg reg) implements LOp {
        public R {
            Objects.requireNonNull(reg, "reg");
        }

        @Override
        public String toString() {
            return reg.toString();
        }
    }

    /** An integer literal before typing ({@code unsigned} for a {@code U} suffix). */
    record Int(long value, boolean unsigned) implements LOp {
        @Override
        public String toString() {
            return unsigned ? Long.toUnsignedString(value) + "U" : Long.toString(value);
        }
    }

    /** A floating-point literal before typing: {@code single} for {@code 0f...} (bits in the low 32 bits). */
    record Flt(long bits, boolean single) implements LOp {
        @Override
        public String toString() {
            return single ? "0f" + String.format("%08X", bits & 0xffffffffL) : "0d" + String.format("%016X", bits);
        }
    }

    /** A typed immediate (after operand expansion). */
    record K(Const value) implements LOp {
        public K {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String toString() {
            return value.toString();
        }
    }

    /** What a symbol names. */
    enum SymKind { VARIABLE, LOCAL, PARAM, FUNCTION }

    /**
     * The address of a symbol plus a byte offset, in the symbol's space ({@code generic} for {@code generic(x)}).
     */
    record Sym(String name, AddressSpace space, long offset, SymKind kind, boolean generic) implements LOp {
        public Sym {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(space, "space");
            Objects.requireNonNull(kind, "kind");
        }

        public Sym withOffset(long off) {
            return new Sym(name, space, off, kind, generic);
        }

        @Override
        public String toString() {
            String s = generic ? "generic(" + name + ")" : name;
            return offset == 0 ? s : s + (offset > 0 ? "+" : "") + offset;
        }
    }

    /** A memory operand {@code [base+offset]}: base is {@link R}, {@link Sym} or an absolute {@link Int}/{@link K}. */
    record Mem(LOp base, long offset) implements LOp {
        public Mem {
            Objects.requireNonNull(base, "base");
        }

        @Override
        public String toString() {
            return "[" + base + (offset == 0 ? "" : (offset > 0 ? "+" : "") + offset) + "]";
        }
    }

    /** A vector operand {@code {a, b, _, d}}. */
    record Vec(List<LOp> elems) implements LOp {
        public Vec {
            elems = List.copyOf(elems);
        }

        @Override
        public String toString() {
            return "{" + join(elems) + "}";
        }
    }

    /** The sink {@code _}. */
    record Sink() implements LOp {
        @Override
        public String toString() {
            return "_";
        }
    }

    /** A negated predicate {@code !%p}. */
    record Not(LOp op) implements LOp {
        @Override
        public String toString() {
            return "!" + op;
        }
    }

    /** Two destinations {@code a|b}. */
    record Pair(LOp first, LOp second) implements LOp {
        @Override
        public String toString() {
            return first + "|" + second;
        }
    }

    /** A branch target (a unique block label). */
    record Label(String label) implements LOp {
        @Override
        public String toString() {
            return label;
        }
    }

    /** The labels of a {@code .branchtargets} list. */
    record Targets(String name, List<String> labels) implements LOp {
        public Targets {
            labels = List.copyOf(labels);
        }

        @Override
        public String toString() {
            return name + "[" + String.join(", ", labels) + "]";
        }
    }

    /** A call prototype. */
    record Proto(Prototype prototype) implements LOp {
        @Override
        public String toString() {
            return prototype.name();
        }
    }

    /** A parenthesized call list {@code (a, b)}. */
    record Args(List<LOp> elems) implements LOp {
        public Args {
            elems = List.copyOf(elems);
        }

        @Override
        public String toString() {
            return "(" + join(elems) + ")";
        }
    }

    private static String join(List<LOp> ops) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < ops.size(); i++) {
            if (i > 0) sb.append(", ");
            sb.append(ops.get(i));
        }
        return sb.toString();
    }
}
