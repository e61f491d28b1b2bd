package org.transcuda.ptx.ast;

import java.util.Objects;

/** {@code name:} in a function body. */
public record Label(SourcePos pos, String name) implements Statement {
    public Label {
        Objects.requireNonNull(pos, "pos");
        Objects.requireNonNull(name, "name");
    }
}
