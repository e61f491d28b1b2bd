package org.transcuda.backend.cpu;

/**
 * The per-site tables that a lockstep segment reads on entry to its global-load bulk paths, held by the worker's
 * {@link Exec} itself instead of reached through {@code e.launch.kernel.affine}. {@link LaneBulk#start} (called
 * from scan_block's {@code v = in[i]} copy in {@code ls0}, reduce's {@link InputFuse} pass, {@link ArmLoadAdd}) read
 * the site's program number and byte offset as {@code e.launch → kernel → affine → prog[j]} and {@code offset[j]}:
 * five dependent loads per call, once per block and site, and C2 keeps the chain (the objects are plain Java
 * objects it cannot prove constant); in scan's steady-state profile that chain was about a fifth of {@code ls0}'s
 * samples (2026-11-27). With this switch on, {@link Exec}'s constructor copies the two array references
 * ({@link Exec#affineProg}, {@link Exec#affineOffset}: the same arrays, never written after the kernel is compiled),
 * so the lookup is one load from the {@code Exec} already in a register. Results are the same by construction;
 * applies to every kernel with hoisted global sites ({@link AffineSites}). Counted per call in
 * {@link Exec#segEntry} (statistics "site lookups from the worker's tables"); {@code -Dtranscuda.cpu.segEntry=false}
 * reads the tables through the launch as before.
 */
final class SegEntry {
    /** On unless {@code -Dtranscuda.cpu.segEntry=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.segEntry"));

    private SegEntry() {
    }
}
