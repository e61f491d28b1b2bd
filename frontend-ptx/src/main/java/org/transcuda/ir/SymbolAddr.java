package org.transcuda.ir;

import java.util.Objects;

/**
 * The address of a module variable, a function-local variable, a kernel parameter ({@code space = PARAM})
 * or a function (for indirect calls), in the given address space.
 */
public record SymbolAddr(String symbol, AddressSpace space, ScalarType type) implements Value {
    public SymbolAddr {
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(space, "space");
        if (type != ScalarType.U64 && type != ScalarType.U32) {
            throw new IllegalArgumentException("addresses are .u64 or .u32, not " + type);
        }
    }

    public SymbolAddr(String symbol, AddressSpace space) {
        this(symbol, space, ScalarType.U64);
    }

    @Override
    public String toString() {
        return "&" + space.name().toLowerCase(java.util.Locale.ROOT) + ":" + symbol;
    }
}
