package org.transcuda.ptx.lower;

import java.util.List;
import java.util.Objects;
import org.transcuda.ir.Param;

/**
 * The signature of a call target: a {@code .callprototype}, or a function's own parameter lists.
 *
 * @param name     the prototype label (or the function name)
 * @param returns  return parameters
 * @param params   parameters
 * @param noreturn {@code .noreturn}
 * @param regAbi   parameters and returns are {@code .reg} values rather than {@code .param} variables
 */
public record Prototype(String name, List<Param> returns, List<Param> params, boolean noreturn, boolean regAbi) {
    public Prototype {
        Objects.requireNonNull(name, "name");
        returns = List.copyOf(returns);
        params = List.copyOf(params);
    }
}
