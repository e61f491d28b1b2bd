package org.transcuda.ptx.ast;

import java.util.List;
import java.util.Objects;

/**
 * A performance-tuning directive in a function header: {@code .maxntid 256, 1, 1}, {@code .reqntid},
 * {@code .minnctapersm}, {@code .maxnreg}, {@code .maxclusterrank}, {@code .reqnctapercluster},
 * {@code .explicitcluster}, or any other dotted name followed by integers.
 *
 * @param name   the directive with its dot, e.g. {@code ".maxntid"}
 * @param values its integer arguments in order (may be empty)
 */
public record PerformanceDirective(SourcePos pos, String name, List<Long> values) implements FunctionDirective {
    public PerformanceDirective {
        Objects.requireNonNull(pos, "pos");
        Objects.requireNonNull(name, "name");
        values = List.copyOf(values);
    }
}
