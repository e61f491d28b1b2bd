package org.transcuda.ptx.ast;

import java.util.List;
import java.util.Objects;

/** The initializer of a variable: a single value or a brace list (possibly nested). */
public sealed interface Initializer {

    /**
     * A single value: {@link Operand.IntImm}, {@link Operand.FloatImm}, {@link Operand.Ident} (address of a
     * symbol) or {@link Operand.SymbolRef} ({@code generic(bar)+4}, {@code foo+8}).
     */
    record Value(Operand value) implements Initializer {
        public Value {
            Objects.requireNonNull(value, "value");
        }
    }

    /** {@code {a, b, {c, d}}}. */
    record Braced(List<Initializer> items) implements Initializer {
        public Braced {
            items = List.copyOf(items);
        }
    }
}
