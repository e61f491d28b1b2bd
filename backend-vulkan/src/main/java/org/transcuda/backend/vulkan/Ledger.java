package org.transcuda.backend.vulkan;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the Vulkan objects the backend creates and destroys, per context and for the whole process, so
 * that leaks show up in tests (and in {@code transcuda devices} diagnostics) as non-zero live counts.
 */
final class Ledger {
    /** Kinds of objects counted. */
    enum Kind { DEVICE, BUFFER, MEMORY, COMMAND_POOL, SEMAPHORE, SHADER_MODULE, PIPELINE_LAYOUT, PIPELINE, STREAM_THREAD }

    /** Every object of every context in this process. */
    static final Ledger GLOBAL = new Ledger(null);

    private final Ledger parent;
    private final EnumMap<Kind, AtomicLong> live = new EnumMap<>(Kind.class);

    Ledger(Ledger parent) {
        this.parent = parent;
        for (Kind k : Kind.values()) live.put(k, new AtomicLong());
    }

    void created(Kind kind) {
        live.get(kind).incrementAndGet();
        if (parent != null) parent.created(kind);
    }

    void destroyed(Kind kind) {
        live.get(kind).decrementAndGet();
        if (parent != null) parent.destroyed(kind);
    }

    long live(Kind kind) {
        return live.get(kind).get();
    }

    /** Live objects by kind (only kinds with a non-zero count). */
    Map<Kind, Long> snapshot() {
        EnumMap<Kind, Long> m = new EnumMap<>(Kind.class);
        live.forEach((k, v) -> {
            if (v.get() != 0) m.put(k, v.get());
        });
        return m;
    }

    long total() {
        long t = 0;
        for (AtomicLong v : live.values()) t += v.get();
        return t;
    }

    @Override
    public String toString() {
        return snapshot().toString();
    }
}
