package org.transcuda.ptx.ast;

import java.util.List;
import java.util.Objects;

/**
 * {@code .pragma "nounroll";} at module level, in a function header or in a body.
 *
 * @param values the string contents, without quotes (escapes kept as written)
 */
public record Pragma(SourcePos pos, List<String> values) implements ModuleItem, Statement, FunctionDirective {
    public Pragma {
        Objects.requireNonNull(pos, "pos");
        values = List.copyOf(values);
    }
}
