package org.transcuda.ir;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A function whose control flow is structured as SPIR-V requires, with the structure spelled out: the output of the
 * front end's structurizer for backends that emit structured control flow (Vulkan). The function's blocks may differ
 * from the unstructured original (added header, merge, continue and dispatch blocks, a dispatch register), but it
 * computes the same thing.
 *
 * <p>Each {@link Construct} names a header block and its merge block, and for a loop its continue target: the
 * operands of {@code OpSelectionMerge} (in the header, before its {@code OpBranchConditional}/{@code OpSwitch}) and
 * {@code OpLoopMerge} (in the header, before its branch). Every block ending in a conditional branch or switch
 * heads a selection construct, except a loop header. A {@code Switch} terminator maps to {@code OpSwitch} with
 * literal i for {@code targets[i]}; an index out of range is undefined in PTX, so any default that stays inside the
 * construct (the merge block) is correct. A merge block or continue target may be unreachable (then it ends in
 * {@code Unreachable}, or for a continue target in a branch back to its header).
 *
 * @param function   the function, blocks in an order where each header precedes the blocks of its construct
 * @param constructs one per header block
 */
public record StructuredFunction(Function function, List<Construct> constructs) {
    public StructuredFunction {
        Objects.requireNonNull(function, "function");
        constructs = List.copyOf(constructs);
    }

    /** A selection or loop construct. */
    public record Construct(Kind kind, String header, String merge, String continueTarget) {
        public Construct {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(header, "header");
            Objects.requireNonNull(merge, "merge");
            if ((kind == Kind.LOOP) != (continueTarget != null)) {
                throw new IllegalArgumentException("a loop, and only a loop, has a continue target");
            }
        }

        @Override
        public String toString() {
            return kind.name().toLowerCase(java.util.Locale.ROOT) + " " + header + " merge " + merge
                    + (continueTarget == null ? "" : " continue " + continueTarget);
        }
    }

    /** Construct kinds. */
    public enum Kind { SELECTION, LOOP }

    /** The construct headed by {@code label}, if that block is a header. */
    public Optional<Construct> construct(String label) {
        return constructs.stream().filter(c -> c.header().equals(label)).findFirst();
    }
}
