package org.transcuda.ir;

/** Memory-model qualifiers of loads, stores, atomics and fences. */
public final class Memory {
    private Memory() {
    }

    /** {@code .weak} (plain), {@code .volatile}, {@code .relaxed}, {@code .acquire}, {@code .release}, ... */
    public enum Order {
        WEAK, VOLATILE, RELAXED, ACQUIRE, RELEASE, ACQ_REL, SC
    }

    /** {@code .cta}, {@code .cluster}, {@code .gpu}, {@code .sys}. */
    public enum Scope {
        CTA, CLUSTER, GPU, SYS
    }

    /** Cache hint relevant to semantics: {@code ld.global.nc} reads data that is read-only during the kernel. */
    public enum Cache {
        DEFAULT, NON_COHERENT
    }

    /** Operations of {@code atom} and {@code red}. */
    public enum AtomicOp {
        ADD, SUB, MIN, MAX, INC, DEC, AND, OR, XOR, EXCH, CAS
    }
}
