package org.transcuda.ptx.ast;

import java.util.List;
import java.util.Objects;

/**
 * {@code name: .callprototype (.param .b32 _) _ (.param .b64 _, ...) [.noreturn];}: the signature of an
 * indirect call target, named by a label that {@code call} refers to.
 */
public record CallPrototype(SourcePos pos, String name, List<VariableDecl> returns, List<VariableDecl> params,
                            boolean noreturn) implements Statement {
    public CallPrototype {
        Objects.requireNonNull(pos, "pos");
        Objects.requireNonNull(name, "name");
        returns = List.copyOf(returns);
        params = List.copyOf(params);
    }
}
