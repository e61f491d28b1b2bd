package org.transcuda.backend.cpu;

import java.util.List;

/**
 * The launch path's set-up and roll-up in the form a young JVM runs fast ({@code -Dtranscuda.cpu.coldLaunch=false}
 * turns it off). Code that runs once or twice per launch ({@link Exec}'s constructor, the statistics roll-up of
 * {@link CpuContext}) is interpreted for the first hundred or so launches of a JVM: a loop in it runs bytecode by
 * bytecode however often the launch is repeated (the JIT compiles a method after ~200 calls, a loop inside it after
 * ~60000 iterations). That is every launch of a program that launches a kernel a few dozen times, and all of
 * {@code CpuBenchmark}'s. These cost most of a launch's fixed CPU there (measured, docs/benchmarks.md
 * "Every kernel: the cold launch path"):
 * <ul>
 * <li>one {@link SiteCache} per memory instruction of the kernel, per worker: reduce has 1056 sites, ~50 µs per
 * worker interpreted. Here they are made in runs of {@link #CHUNK} by {@link #siteRun}, a method called often
 * enough to be compiled within the first launches; the interpreted loop only steps over the runs;</li>
 * <li>the lockstep register arrays and their typed tables, one loop without the pattern {@code switch} (an
 * {@code invokedynamic} call, slow in the interpreter) that filled the tables in a second loop;</li>
 * <li>the thread-index tables {@code tidX/tidY/tidZ} of lockstep and suspending kernels, a loop over the block's
 * threads with divisions: read-only, so made once per kernel and block shape ({@link Tids}, one kept per kernel,
 * dropped with it) and shared by every worker of every launch of that shape;</li>
 * <li>the launch forms ({@link LaunchForms}: the address programs and branch conditions evaluated for the whole grid,
 * ~100 µs per launch interpreted, once per worker): shared by the workers of a launch, and kept per kernel for the
 * next launches with the same grid, block and parameter words while no allocation or free has happened
 * ({@link LaunchForms#kept}, four per kernel, dropped with it; counted in {@link CpuDevice#coldForms});</li>
 * <li>the statistics roll-up into the device's counters, which had been ~60 {@code sum} calls each with a lambda, a
 * lock and a pass over the workers: one pass over the workers instead ({@link #rollUp}), adding each counter that is
 * not zero. This part is not switched: the roll-up is always this one (a new per-worker counter is added here;
 * {@code ColdLaunchTest.rollUpInOnePass} fails for an {@link Exec} counter with a device counter of its name that
 * this pass leaves out).</li>
 * </ul>
 * Results are unchanged: the objects made are the same (fresh {@link SiteCache}s, zeroed register arrays, equal
 * thread tables), the kept forms are those {@code LaunchForms.compute} would make from the same inputs, and the device
 * counters receive the workers' sums. Counted in {@link CpuDevice#coldExecs} (workers set
 * up so) and {@link CpuDevice#coldRollUps} (launches rolled up in one pass).
 */
final class ColdLaunch {
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.coldLaunch"));
    /** Sites made per call of {@link #siteRun}. */
    static final int CHUNK = 16;

    private ColdLaunch() {
    }

    /** A block shape's thread-index tables ({@link Exec#tidX} etc.; never written after they are made). */
    record Tids(int ntx, int nty, int ntz, int[] x, int[] y, int[] z) {
    }

    /** The thread-index tables of {@code k} for a block of {@code ntx × nty × ntz}, made at the first use of the shape. */
    static Tids tids(CompiledKernel k, int ntx, int nty, int ntz) {
        Tids t = k.tids;
        if (t != null && t.ntx == ntx && t.nty == nty && t.ntz == ntz) return t;
        int n = ntx * nty * ntz;
        int[] x = new int[n], y = new int[n], z = new int[n];
        for (int i = 0; i < n; i++) {
            x[i] = i % ntx;
            y[i] = (i / ntx) % nty;
            z[i] = i / (ntx * nty);
        }
        t = new Tids(ntx, nty, ntz, x, y, z);
        k.tids = t;
        return t;
    }

    /** Makes {@code e}'s site caches, {@link #CHUNK} per call of {@link #siteRun}. */
    static void sites(Exec e, SiteCache[] s, int[] sizes, boolean[] generic) {
        int n = s.length;
        for (int i = 0; i < n; i += CHUNK) siteRun(e, s, sizes, generic, i, Math.min(n, i + CHUNK));
    }

    private static void siteRun(Exec e, SiteCache[] s, int[] sizes, boolean[] generic, int from, int to) {
        for (int i = from; i < to; i++) s[i] = new SiteCache(e, Integer.numberOfTrailingZeros(sizes[i]), generic[i], i);
    }

    /** The lockstep register arrays of {@code n} lanes by kind ('J', 'F', 'D', else int), in {@code regs} and their table. */
    static void lockRegs(char[] kinds, int n, Object[] regs, int[][] ri, long[][] rj, float[][] rf, double[][] rd) {
        for (int i = 0; i < kinds.length; i++) {
            switch (kinds[i]) {
                case 'J' -> regs[i] = rj[i] = new long[n];
                case 'F' -> regs[i] = rf[i] = new float[n];
                case 'D' -> regs[i] = rd[i] = new double[n];
                default -> regs[i] = ri[i] = new int[n];
            }
        }
    }

    /**
     * Adds the counters of {@code execs} (the launch's workers, all finished) to {@code d}'s, as
     * {@link CpuContext}'s per-counter sums do: the lockstep counters for lockstep launches, the grid-site ones for
     * kernels with hoisted sites ({@code affine}), the NaN loops always.
     */
    static void rollUp(List<Exec> execs, CpuDevice d, boolean lockstep, boolean affine, long claimBlocks) {
        long rowRuns = 0, claims = 0;
        for (Exec e : execs) {
            if (lockstep) {
                if (e.sharedRuns != 0) d.sharedRuns.add(e.sharedRuns);
                if (e.sharedCopies != 0) d.sharedCopies.add(e.sharedCopies);
                if (e.loopNaN != 0) d.loopNaN.add(e.loopNaN);
                if (e.loopChecked != 0) d.loopChecked.add(e.loopChecked);
                if (e.loopTouched != 0) d.loopTouched.add(e.loopTouched);
                if (e.ptrSteps != 0) d.ptrSteps.add(e.ptrSteps);
                if (e.jamLanes != 0) d.jamLanes.add(e.jamLanes);
                if (e.vecLanes != 0) d.vecLanes.add(e.vecLanes);
                if (e.armVecLanes != 0) d.armVecLanes.add(e.armVecLanes);
                if (e.armDefers != 0) d.armDefers.add(e.armDefers);
                if (e.blockRanges != 0) d.blockRanges.add(e.blockRanges);
                if (e.rangeFillPreds != 0) d.rangeFillPreds.add(e.rangeFillPreds);
                if (e.rangeFills != 0) d.rangeFills.add(e.rangeFills);
                if (e.armLoadAdds != 0) d.armLoadAdds.add(e.armLoadAdds);
                if (e.inputFuses != 0) d.inputFuses.add(e.inputFuses);
                if (e.armChains != 0) d.armChains.add(e.armChains);
                if (e.warp0Chains != 0) d.warp0Chains.add(e.warp0Chains);
                if (e.armChainPreds != 0) d.armChainPreds.add(e.armChainPreds);
                if (e.armChainPlans != 0) d.armChainPlans.add(e.armChainPlans);
                if (e.treeRegs != 0) d.treeRegs.add(e.treeRegs);
                if (e.tailLines != 0) d.tailLines.add(e.tailLines);
                if (e.vecCopies != 0) d.vecCopies.add(e.vecCopies);
                if (e.vecConsecutive != 0) d.vecConsecutive.add(e.vecConsecutive);
                if (e.laneBulk != 0) d.laneBulk.add(e.laneBulk);
                if (e.warpScans != 0) d.warpScans.add(e.warpScans);
                if (e.armShared != 0) d.armShared.add(e.armShared);
                if (e.storeBulk != 0) d.storeBulk.add(e.storeBulk);
                if (e.rangeSplits != 0) d.rangeSplits.add(e.rangeSplits);
                if (e.constSkips != 0) d.constSkips.add(e.constSkips);
                if (e.constChecks != 0) d.constChecks.add(e.constChecks);
                if (e.partialConst != 0) d.partialConst.add(e.partialConst);
                if (e.rangeLanes != 0) d.rangeLanes.add(e.rangeLanes);
                if (e.scanWindows != 0) d.scanWindows.add(e.scanWindows);
                if (e.warpScanVecs != 0) d.warpScanVecs.add(e.warpScanVecs);
                if (e.constRanges != 0) d.constRanges.add(e.constRanges);
                if (e.constRunLoads != 0) d.constRunLoads.add(e.constRunLoads);
                if (e.constRunVecs != 0) d.constRunVecs.add(e.constRunVecs);
                if (e.warpRuns != 0) d.warpRuns.add(e.warpRuns);
                if (e.strideArms != 0) d.strideArms.add(e.strideArms);
                if (e.strideLoops != 0) d.strideLoops.add(e.strideLoops);
                if (e.strideTouched != 0) d.strideTouched.add(e.strideTouched);
                if (e.strideHist != 0) d.strideHist.add(e.strideHist);
                if (e.histConst != 0) d.histConst.add(e.histConst);
                if (e.histLoop != 0) d.histLoop.add(e.histLoop);
            }
            if (e.nanZeroLoops != 0) d.nanZeroLoops.add(e.nanZeroLoops);
            if (e.deferAdds != 0) d.deferAdds.add(e.deferAdds);
            if (e.deferFlushed != 0) d.deferFlushed.add(e.deferFlushed);
            if (e.formsKept != 0) d.coldForms.add(e.formsKept);
            if (affine) {
                if (e.affineHits != 0) d.hoistedSiteBlocks.add(e.affineHits);
                if (e.siteMaskOnce != 0) d.siteMaskOnce.add(e.siteMaskOnce);
                if (e.pathBlocks != 0) d.pathBlocks.add(e.pathBlocks);
                if (e.rangeDecided != 0) d.rangeDecided.add(e.rangeDecided);
                if (e.vecBlocks != 0) d.vecBlocks.add(e.vecBlocks);
                if (e.vecShared != 0) d.vecShared.add(e.vecShared);
                if (e.rowRuns != 0) d.rowRuns.add(e.rowRuns);
                if (e.rowBlocks != 0) d.rowBlocks.add(e.rowBlocks);
                if (e.rowChunks != 0) d.rowChunks.add(e.rowChunks);
                if (e.rowVecs != 0) d.rowVecs.add(e.rowVecs);
                if (e.rowVecTails != 0) d.rowVecTails.add(e.rowVecTails);
                if (e.rowRects != 0) d.rowRects.add(e.rowRects);
                if (e.leanDecided != 0) d.leanDecided.add(e.leanDecided);
                if (e.rowLanes != 0) d.rowLanes.add(e.rowLanes);
                rowRuns += e.rowRuns;
                claims += e.claims;
            }
        }
        if (affine && rowRuns > 0) {
            d.rowClaimCount.add(claims);
            d.lastClaimBlocks = claimBlocks;
        }
        d.coldRollUps.increment();
    }
}
