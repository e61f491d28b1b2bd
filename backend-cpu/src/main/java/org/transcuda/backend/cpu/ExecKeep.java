package org.transcuda.backend.cpu;

/**
 * A worker's site caches kept across launches of the same kernel ({@code -Dtranscuda.cpu.execKeep=false} turns it
 * off). A new {@link Exec} used to make one empty {@link SiteCache} per global/generic memory instruction (reduce:
 * 1056), and every launch's first accesses refilled them from the allocation table; C2 compiles the helpers that
 * check whole ranges ({@link SiteCache#covers} inlined into {@code StrideHist.run}, {@code LoopChecks.fitsIndex} …)
 * from the first launch's profile, where the refills ran before profiling, so the refill branch of the second launch
 * was an uncommon trap, a deoptimization and a late recompile (docs/benchmarks.md, "SuiteWarm").
 *
 * <p>Here a worker gives its {@code SiteCache[]} back to its kernel when it has run its last block ({@link #give}),
 * faulting launches too, and the next {@code Exec} of the same kernel takes one ({@link #take}); a set is taken by one
 * worker at a time (removed from the kernel under its lock), so two launches of the kernel on two streams never share
 * one. At most {@link #KEEP} sets per kernel, dropped with it (module unload, context destroy).
 *
 * <p>What a cache may keep: its {@code base} and {@code slots} describe one live allocation of the table it was filled
 * from. They are kept only when the allocation table ({@link DeviceMemory#snapshot}, a new object after every allocate
 * and free) was the same object when the giving worker was set up, when it gave the set back, and when the taking
 * worker is set up: then no allocation or free happened since the fills, the allocation is still live with the same
 * base and size, and the cache holds exactly what its first refill in the new launch would put there. Otherwise every
 * cache is reset to empty ({@code slots = 0}), as a fresh one. The refill reports a load site's allocation to the
 * launch's deferred atomic adds ({@link AddDefer#seen}); a kept cache skips that refill, so for a kernel with
 * deferrable adds each kept non-empty cache is reported when the worker is set up (earlier than its refill would; a
 * report only ever stops deferring, which changes no result). Each cache is re-bound to its new worker (fault
 * messages and the generic windows read it). Counted in {@link CpuDevice#keptSites} (workers whose caches were kept
 * with their contents) and {@link CpuDevice#resetSites} (taken and reset).
 */
final class ExecKeep {
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.execKeep"));
    /** Sets kept per kernel. */
    static final int KEEP = 4;

    private ExecKeep() {
    }

    /** A worker's caches given back, and the allocation table they were filled under (null: reset at the next take). */
    record Kept(SiteCache[] sites, DeviceMemory.Snapshot table) {
    }

    /**
     * Site caches for {@code e} (set up with the allocation table {@code table}) from {@code k}'s kept sets, or null
     * when none fits; sets {@link Exec#sitesKept}.
     */
    static SiteCache[] take(Exec e, CompiledKernel k, DeviceMemory.Snapshot table) {
        Kept got = null;
        synchronized (k.keptSites) {
            Kept[] ks = k.keptSites;
            int pick = -1;
            for (int i = 0; i < ks.length; i++) {
                Kept c = ks[i];
                if (c == null || c.sites.length != k.siteSizes.length) continue;
                if (pick < 0) pick = i;
                // prefer a set filled under the current table
                if (c.table == table) {
                    pick = i;
                    break;
                }
            }
            if (pick >= 0) {
                got = ks[pick];
                ks[pick] = null;
            }
        }
        if (got == null) return null;
        SiteCache[] s = got.sites;
        boolean keep = got.table == table && table != null;
        rebind(e, s, keep);
        e.sitesKept = keep ? 1 : 2;
        if (keep && e.launch.defer != null) {
            for (int i = 0; i < s.length; i++) if (s[i].slots > 0) AddDefer.seen(e, i, s[i].base);
        }
        return s;
    }

    private static void rebind(Exec e, SiteCache[] s, boolean keep) {
        int n = s.length;
        for (int i = 0; i < n; i += ColdLaunch.CHUNK) rebindRun(e, s, keep, i, Math.min(n, i + ColdLaunch.CHUNK));
    }

    private static void rebindRun(Exec e, SiteCache[] s, boolean keep, int from, int to) {
        for (int i = from; i < to; i++) {
            SiteCache c = s[i];
            c.exec = e;
            if (!keep) {
                c.base = 0;
                c.slots = 0;
            }
        }
    }

    /** Gives {@code e}'s caches back to its kernel after its last block (replacing a set, the oldest first). */
    static void give(Exec e) {
        if (!e.keepSites) return;
        CompiledKernel k = e.launch.kernel;
        DeviceMemory.Snapshot now = e.memory();
        Kept c = new Kept(e.sites, now == e.siteTable ? now : null);
        synchronized (k.keptSites) {
            Kept[] ks = k.keptSites;
            for (int i = 0; i < ks.length; i++) {
                if (ks[i] == null) {
                    ks[i] = c;
                    return;
                }
            }
            ks[k.keptSitesNext] = c;
            k.keptSitesNext = (k.keptSitesNext + 1) % ks.length;
        }
    }
}
