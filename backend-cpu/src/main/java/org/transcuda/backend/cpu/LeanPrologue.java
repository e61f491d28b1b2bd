package org.transcuda.backend.cpu;

import java.lang.classfile.TypeKind;
import java.util.Map;

/**
 * A lockstep segment method's ({@code lsN}) entry with less work ({@code KernelCompiler.Emitter.emit}, shape LOCK of a
 * kernel). Without it every segment method (entered several times per block: matmul three per tile) (1) stores a
 * zero or null into the local of each register the segment never mentions, (2) loads each per-thread register array
 * it reads from {@link Exec#lregs} ({@code Object[]}) with a {@code checkcast} to its kind's array type, and (3) loads
 * every global site's cache ({@link Exec#sites}) and every hoisted kernel parameter ({@link Exec#params}) of the whole
 * kernel, whether the segment uses them or not. With it: (1) those locals are left unset (nothing reads them: the
 * class verifier accepts the method only so); (2) the array comes from the kind's typed array of arrays
 * ({@link Exec#lregI}, {@code lregJ}, {@code lregF}, {@code lregD}: the same arrays as {@code lregs}), no
 * {@code checkcast}; (3) the site and parameter loads are emitted after the body, reached by a {@code goto} from the
 * entry and jumping back to it, and only those the body read. The same values reach every instruction that reads
 * them, so results and faults are those of before. Applies to every lockstep segment of every kernel.
 *
 * <p>Switch {@code -Dtranscuda.cpu.leanPrologue=false}. {@link #STATS}: per kernel name and segment, the counts of the
 * last compilation: {unset locals, typed array loads, site and parameter loads left out}.
 */
final class LeanPrologue {
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.leanPrologue"));
    /** Per "kernel:segment": {unset locals, typed array loads, site/parameter loads left out}. */
    static final Map<String, long[]> STATS = RecentMap.of(16384);

    private LeanPrologue() {
    }

    /** The {@link Exec} field of register arrays of a kind. */
    static String field(TypeKind k) {
        return switch (k) {
            case LONG -> "lregJ";
            case FLOAT -> "lregF";
            case DOUBLE -> "lregD";
            default -> "lregI";
        };
    }

    static void note(String kernel, int segment, long[] stats) {
        STATS.put(kernel + ":" + segment, stats.clone());
    }

    /** The sums over a kernel's segments of its last compilation, or null when none was lean. */
    static long[] totals(String kernel) {
        long[] t = null;
        synchronized (STATS) {
            for (var en : STATS.entrySet()) {
                if (!en.getKey().startsWith(kernel + ":")) continue;
                if (t == null) t = new long[3];
                for (int i = 0; i < 3; i++) t[i] += en.getValue()[i];
            }
        }
        return t;
    }
}
