package org.transcuda.ptx.ast;

import java.util.Objects;

/** {@code .version major.minor}. */
public record VersionDirective(SourcePos pos, int major, int minor) implements ModuleItem {
    public VersionDirective {
        Objects.requireNonNull(pos, "pos");
    }
}
