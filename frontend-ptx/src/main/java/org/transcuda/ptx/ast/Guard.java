package org.transcuda.ptx.ast;

import java.util.Objects;

/** A predicate guard {@code @%p1} or {@code @!%p1}. */
public record Guard(String predicate, boolean negated) {
    public Guard {
        Objects.requireNonNull(predicate, "predicate");
    }

    @Override
    public String toString() {
        return negated ? "@!" + predicate : "@" + predicate;
    }
}
