package org.transcuda.ir;

import java.util.List;

/** How a block ends: the explicit control-flow edges. */
public sealed interface Terminator {
    /** Labels of the successor blocks, in order. */
    List<String> successors();

    /** Values read. */
    default List<Value> uses() {
        return List.of();
    }

    /** Unconditional jump. */
    record Branch(String target) implements Terminator {
        public List<String> successors() {
            return List.of(target);
        }
    }

    /** Jump to {@code ifTrue} when the predicate holds, else to {@code ifFalse}. */
    record CondBranch(Value pred, String ifTrue, String ifFalse) implements Terminator {
        public List<String> successors() {
            return List.of(ifTrue, ifFalse);
        }

        public List<Value> uses() {
            return List.of(pred);
        }
    }

    /** {@code brx.idx}: jump to {@code targets[index]}; an index out of range is undefined in PTX. */
    record Switch(Value index, List<String> targets) implements Terminator {
        public Switch {
            targets = List.copyOf(targets);
        }

        public List<String> successors() {
            return targets;
        }

        public List<Value> uses() {
            return List.of(index);
        }
    }

    /** {@code ret}. */
    record Return() implements Terminator {
        public List<String> successors() {
            return List.of();
        }
    }

    /** {@code exit}: the thread ends. */
    record Exit() implements Terminator {
        public List<String> successors() {
            return List.of();
        }
    }

    /** {@code trap}: the launch fails with CUDA_ERROR_ILLEGAL_INSTRUCTION. */
    record Trap() implements Terminator {
        public List<String> successors() {
            return List.of();
        }
    }

    /** Control never reaches here (after a {@code .noreturn} call such as {@code __assertfail}). */
    record Unreachable() implements Terminator {
        public List<String> successors() {
            return List.of();
        }
    }
}
