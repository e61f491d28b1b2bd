package org.transcuda.ir;

import java.util.Objects;

/**
 * An instruction in a block, with its optional guard predicate ({@code @%p} / {@code @!%p}; null when
 * unguarded, and always null after the predication pass) and its source location (may be null).
 */
public record Stmt(Inst inst, Reg guard, boolean negateGuard, SrcLoc loc) {
    public Stmt {
        Objects.requireNonNull(inst, "inst");
        if (guard != null && guard.type() != ScalarType.PRED) {
            throw new IllegalArgumentException("guard " + guard + " is not a predicate");
        }
    }

    public static Stmt of(Inst inst) {
        return new Stmt(inst, null, false, null);
    }
}
