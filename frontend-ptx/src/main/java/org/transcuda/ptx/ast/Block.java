package org.transcuda.ptx.ast;

import java.util.List;
import java.util.Objects;

/** A nested scope {@code { ... }} inside a function body (nvcc wraps every call sequence in one). */
public record Block(SourcePos pos, List<Statement> statements) implements Statement {
    public Block {
        Objects.requireNonNull(pos, "pos");
        statements = List.copyOf(statements);
    }
}
