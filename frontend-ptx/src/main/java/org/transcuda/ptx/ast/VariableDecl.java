package org.transcuda.ptx.ast;

import java.util.List;
import java.util.Objects;

/**
 * One declared variable or parameter: {@code [linkage] space [.align N] [.vN] type [.ptr...] name[<N>][dims] [= init]}.
 * A declaration that names several variables ({@code .reg .b32 a, b;}) yields one record per name.
 *
 * @param linkage     {@link Linkage#NONE} unless written ({@code .extern .shared ...})
 * @param space       the state space
 * @param align       the {@code .align} value, 0 when not given
 * @param vectorWidth 1 for scalars, else the {@code .vN} width
 * @param type        the element type
 * @param ptr         the {@code .ptr[.space][.align N]} kernel-parameter attribute, or {@code null}
 * @param attributes  contents of {@code .attribute(...)}, e.g. {@code ".managed"}, in order
 * @param name        the variable name ({@code _} in call prototypes)
 * @param rangeCount  N of a parameterized name {@code %r<N>}, or -1
 * @param dims        array dimensions in order; {@link #UNSIZED} (-1) for {@code []}; empty for non-arrays
 * @param init        the initializer, or {@code null}
 */
public record VariableDecl(SourcePos pos, Linkage linkage, StateSpace space, int align, int vectorWidth,
                           PtxType type, PtrAttribute ptr, List<String> attributes, String name, int rangeCount,
                           List<Long> dims, Initializer init) implements ModuleItem, Statement {

    /** The dimension value of an unsized array dimension {@code []}. */
    public static final long UNSIZED = -1;

    public VariableDecl {
        Objects.requireNonNull(pos, "pos");
        Objects.requireNonNull(linkage, "linkage");
        Objects.requireNonNull(space, "space");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        attributes = List.copyOf(attributes);
        dims = List.copyOf(dims);
    }

    /** {@code .ptr[.space][.align N]} on a kernel parameter; {@code space} is {@code null} when generic. */
    public record PtrAttribute(StateSpace space, int align) {
    }

    public boolean isArray() {
        return !dims.isEmpty();
    }

    /** Whether this is a parameterized register range {@code %r<N>}. */
    public boolean isRange() {
        return rangeCount >= 0;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        PtxPrinter.appendDecl(sb, this);
        return sb.toString();
    }
}
