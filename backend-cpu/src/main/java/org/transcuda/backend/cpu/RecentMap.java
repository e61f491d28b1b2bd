package org.transcuda.backend.cpu;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The compiler's per-kernel diagnostics ({@link AffineRegs#SKIPPED}, {@link MultiDefUniform#ADDED},
 * {@link LeanPrologue#STATS}: what the last compilation of a kernel did, read by tests and statistics right after it)
 * kept in a map bounded to its {@code max} most recently written or read keys, so that a process that compiles ever
 * new kernel names (generated code, long-running containers) does not grow it without limit. Thread-safe (kernels
 * compile concurrently in several contexts); iterate it inside {@code synchronized (map)}.
 */
final class RecentMap {
    private RecentMap() {
    }

    static <V> Map<String, V> of(int max) {
        return Collections.synchronizedMap(new LinkedHashMap<String, V>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > max;
            }
        });
    }
}
