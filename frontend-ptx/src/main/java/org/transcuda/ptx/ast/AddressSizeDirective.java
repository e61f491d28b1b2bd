package org.transcuda.ptx.ast;

import java.util.Objects;

/** {@code .address_size 32|64}. */
public record AddressSizeDirective(SourcePos pos, int bits) implements ModuleItem {
    public AddressSizeDirective {
        Objects.requireNonNull(pos, "pos");
    }
}
