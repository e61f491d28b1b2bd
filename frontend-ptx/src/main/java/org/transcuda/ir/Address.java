package org.transcuda.ir;

import java.util.Objects;

/** A memory operand: {@code base + offset} bytes; the base is a register or a symbol address. */
public record Address(Value base, long offset) {
    public Address {
        Objects.requireNonNull(base, "base");
        if (base instanceof Const) throw new IllegalArgumentException("use a SymbolAddr or Reg as base");
    }

    @Override
    public String toString() {
        return "[" + base + (offset == 0 ? "" : (offset > 0 ? "+" : "") + offset) + "]";
    }
}
