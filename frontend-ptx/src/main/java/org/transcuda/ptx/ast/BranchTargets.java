package org.transcuda.ptx.ast;

import java.util.List;
import java.util.Objects;

/** {@code name: .branchtargets L1, L2, ...;}: a label list for {@code brx.idx}. */
public record BranchTargets(SourcePos pos, String name, List<String> targets) implements Statement {
    public BranchTargets {
        Objects.requireNonNull(pos, "pos");
        Objects.requireNonNull(name, "name");
        targets = List.copyOf(targets);
    }
}
