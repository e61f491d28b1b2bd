package org.transcuda.ptx.ast;

import java.util.Objects;

/** {@code .alias alias, aliasee;}. */
public record AliasDirective(SourcePos pos, String alias, String aliasee) implements ModuleItem {
    public AliasDirective {
        Objects.requireNonNull(pos, "pos");
        Objects.requireNonNull(alias, "alias");
        Objects.requireNonNull(aliasee, "aliasee");
    }
}
