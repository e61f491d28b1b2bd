package org.transcuda.ir;

import java.util.List;
import java.util.Objects;

/**
 * A kernel ({@code .entry}) or device function ({@code .func}) of a {@link Module}.
 *
 * @param name   the PTX name
 * @param kernel true for {@code .entry}
 * @param params parameters in declaration order, with their argument-buffer layout
 */
public record Function(String name, boolean kernel, List<Param> params) {
    public Function {
        Objects.requireNonNull(name, "name");
        params = List.copyOf(params);
    }

    /** Size in bytes of the packed argument buffer of a launch of this function. */
    public int paramBufferSize() {
        int end = 0;
        for (Param p : params) end = Math.max(end, p.offset() + p.size());
        return end;
    }
}
