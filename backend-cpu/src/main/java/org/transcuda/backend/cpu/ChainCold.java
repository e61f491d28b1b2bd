package org.transcuda.backend.cpu;

import java.util.Map;

/**
 * Lockstep engine: the per-thread register arrays that only a shuffle scan chain's literal steps read
 * ({@link WarpScan}: the shuffle results and their valid predicates, the selected values, the intermediate sums, the
 * select predicates defined inside the chain) loaded at the start of those steps instead of at the segment method's
 * entry. The chain runs as one call ({@link WarpScan#scan} / {@link WarpScanVec#scan}) and its literal steps run
 * only when that call declines (a two-dimensional block whose {@code tid.x & 31} is not the hardware lane, active
 * threads that are not whole warps); loaded at the entry, these arrays (scan_block's {@code ls2}: 16 of them) are
 * live across the call, and C2 keeps them in spare vector registers and stack slots in every block. Loaded where
 * the literal steps start, the segment's path through the call does not carry them.
 *
 * <p>Applies to a lockstep segment of a kernel with a chain that {@code KernelCompiler.warpScans} accepts (every
 * register of the chain a per-thread 32-bit array) whose first shuffle lies in the segment, for the chain's
 * registers other than its input, its result and its lane register that no other statement of the segment (its
 * arms' statements and its terminator included) mentions and that are neither thread-constant nor left without an
 * array ({@code AffineRegs}); {@link WarpScan#find} already requires them to be mentioned nowhere else in the
 * function. Each is loaded, from the same {@link Exec#lregI} slot as before, before the first literal step reads
 * or writes it, so the same arrays hold the same values: results and faults are those of before. The literal steps
 * have no fault of their own (a shuffle of registers, a select, an add).
 *
 * <p>Switch {@code -Dtranscuda.cpu.chainCold=false}. {@link #STATS}: per kernel name and segment, the arrays the last
 * compilation loaded in the literal steps instead of at the entry.
 */
final class ChainCold {
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.chainCold"));
    /** Per "kernel:segment": the register arrays loaded in a chain's literal steps instead of at the entry. */
    static final Map<String, long[]> STATS = RecentMap.of(16384);

    private ChainCold() {
    }

    static void note(String kernel, int segment, int arrays) {
        STATS.put(kernel + ":" + segment, new long[] {arrays});
    }

    /** The sum over a kernel's segments of its last compilation (0 when none moved a load). */
    static long total(String kernel) {
        long t = 0;
        synchronized (STATS) {
            for (var en : STATS.entrySet()) if (en.getKey().startsWith(kernel + ":")) t += en.getValue()[0];
        }
        return t;
    }
}
