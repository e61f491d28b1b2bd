package org.transcuda.ptx.ast;

/**
 * Source mapping from {@code .loc file line column [, function_name label, inlined_at file line column]}.
 *
 * @param functionName label of the inlined function's name string, or {@code null}
 * @param inlinedAt    the call site the code was inlined at, or {@code null}: the most recent earlier {@code .loc}
 *                     of that position, so it carries its own {@code function_name} and {@code inlined_at}
 *                     (the whole inlining stack; bounded depth)
 */
public record Loc(int file, int line, int column, String functionName, Loc inlinedAt) {
    public Loc(int file, int line, int column) {
        this(file, line, column, null, null);
    }
}
