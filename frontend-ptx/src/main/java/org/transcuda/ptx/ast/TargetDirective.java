package org.transcuda.ptx.ast;

import java.util.List;
import java.util.Objects;

/** {@code .target sm_80, debug}: the target architecture followed by any target options, in order. */
public record TargetDirective(SourcePos pos, List<String> targets) implements ModuleItem {
    public TargetDirective {
        Objects.requireNonNull(pos, "pos");
        targets = List.copyOf(targets);
    }

    /** The first entry, normally the architecture ({@code sm_80}); empty string if there is none. */
    public String architecture() {
        return targets.isEmpty() ? "" : targets.getFirst();
    }
}
