package org.transcuda.ptx.ast;

import java.util.List;
import java.util.Objects;

/**
 * {@code .file index "path" [, timestamp, size]}: a source file that {@code .loc} directives refer to.
 *
 * @param path  the file name as written between the quotes (escapes kept as written)
 * @param extra the optional trailing numbers (modification time, size)
 */
public record FileDirective(SourcePos pos, int index, String path, List<Long> extra) implements ModuleItem {
    public FileDirective {
        Objects.requireNonNull(pos, "pos");
        Objects.requireNonNull(path, "path");
        extra = List.copyOf(extra);
    }
}
