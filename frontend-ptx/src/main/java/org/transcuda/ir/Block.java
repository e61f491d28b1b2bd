package org.transcuda.ir;

import java.util.List;
import java.util.Objects;

/** A basic block: a label, straight-line statements, and a terminator. */
public record Block(String label, List<Stmt> stmts, Terminator terminator) {
    public Block {
        Objects.requireNonNull(label, "label");
        stmts = List.copyOf(stmts);
        Objects.requireNonNull(terminator, "terminator");
    }
}
