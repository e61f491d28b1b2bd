package org.transcuda.backend.cpu;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * ExecReuse: the lockstep engine's per-thread register arrays ({@link Exec#lregs}, one array of {@code nthreads}
 * values per register) and spill slots ({@link Exec#spill}) of a worker, kept with the compiled kernel when its
 * launch ends and handed to a worker of a later launch of the same kernel with the same number of threads per
 * block, zeroed, instead of being allocated again ({@code -Dtranscuda.cpu.execReuse=false} turns this off).
 *
 * <p>Exact: a set is taken only when every array has the new launch's length ({@code nthreads}; the register kinds
 * are the kernel's, so they match), and every array is zero-filled before use, which is how a fresh {@link Exec}
 * has it; a set goes back only after every worker of its launch has finished (faulting launches too: the zeroing
 * does not depend on how the last launch ended). Bounded: at most {@link #SLOTS} sets per kernel, held by the
 * {@link CompiledKernel} and so dropped with its module; a set of another length is dropped when met.
 */
final class ExecReuse {
    /** On unless {@code -Dtranscuda.cpu.execReuse=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.execReuse"));
    /** Sets kept per kernel (one per worker of a two-worker device, twice over). */
    static final int SLOTS = 4;

    /** One worker's arrays: registers by id and the spill slots (null when the kernel has none). */
    record Set(int nthreads, Object[] regs, long[] spill) {
    }

    private ExecReuse() {
    }

    /** The kernel's pool of sets (allocated with the kernel). */
    static AtomicReferenceArray<Set> pool() {
        return new AtomicReferenceArray<>(SLOTS);
    }

    /** A kept set for {@code nthreads} threads, zeroed, or null (then the caller allocates). */
    static Set take(CompiledKernel k, int nthreads, int spillLength) {
        if (!ENABLED) return null;
        AtomicReferenceArray<Set> pool = k.execSets;
        for (int i = 0; i < SLOTS; i++) {
            Set s = pool.get(i);
            if (s == null || !pool.compareAndSet(i, s, null)) continue;
            if (s.nthreads != nthreads || s.regs.length != k.lockRegKinds.length
                    || (s.spill == null ? spillLength >= 0 : s.spill.length != spillLength)) {
                continue; // another shape: dropped
            }
            for (Object a : s.regs) {
                switch (a) {
                    case int[] v -> Arrays.fill(v, 0);
                    case long[] v -> Arrays.fill(v, 0L);
                    case float[] v -> Arrays.fill(v, 0f);
                    case double[] v -> Arrays.fill(v, 0d);
                    default -> throw new IllegalStateException();
                }
            }
            if (s.spill != null) Arrays.fill(s.spill, 0L);
            return s;
        }
        return null;
    }

    /** Keeps {@code e}'s arrays for a later launch (its launch has ended); dropped when every slot is full. */
    static void give(Exec e) {
        if (!ENABLED || e.lregs == null) return;
        AtomicReferenceArray<Set> pool = e.launch.kernel.execSets;
        Set s = new Set(e.nthreads, e.lregs, e.spill);
        for (int i = 0; i < SLOTS; i++) {
            if (pool.get(i) == null && pool.compareAndSet(i, null, s)) return;
        }
    }
}
