package org.transcuda.backend.cpu;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.transcuda.cuda.CUresult;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.LaunchConfig;

/**
 * One kernel launch: the grid's blocks run in parallel on the device's worker pool plus the calling (stream)
 * thread. Workers take chunks of consecutive block numbers from a shared counter (dynamic load balancing),
 * each with its own {@link Exec}; a fault stops every worker at its next block and fails the launch with the
 * fault's result code. Workers that have not started when the caller runs out of blocks are told to do
 * nothing, so a launch never waits for a pool busy with another stream's work.
 *
 * <p>While the grid runs the launch holds the read side of the device memory lock, so host-side frees wait for it
 * (kernels access memory by native address); device-side {@code free} calls are applied after the grid.
 * printf output of all workers is printed after the launch, ordered by block number (and by execution order
 * within a block), so output is deterministic.
 */
final class Launch {
    /** Per-launch worker statistics on stderr ({@code -Dtranscuda.cpu.stats=true}); read once, not per launch. */
    private static final boolean STATS = Boolean.getBoolean("transcuda.cpu.stats");
    private static final AtomicLong IDS = new AtomicLong();

    final CompiledKernel kernel;
    final LaunchConfig config;
    /** The packed kernel arguments, little-endian in ints. */
    final int[] params;
    final long paramSize;
    /** Device-side frees, applied after the launch (kernels read memory by native address). */
    final List<Long> deferredFrees = new ArrayList<>();
    final DeviceMemory memory;
    final int workers;
    final long id = IDS.incrementAndGet();
    final long blocks;
    /** True when this launch runs on the lockstep engine ({@link Lockstep}), else the thread engine. */
    final boolean lockstep;
    /** Whether this launch may run grid rows ({@link GridRows}; set before it runs). */
    boolean gridRows = GridRows.ENABLED;
    /** Most lanes of one run of a grid-row loop's vector form ({@link RowChunks}; 0: none; set before it runs). */
    int rowChunk = RowChunks.lanes();
    /** Whether grid-row launches claim an eighth of a worker's share of blocks at a time ({@link RowClaims}). */
    boolean rowClaims = RowClaims.ENABLED;
    /** Blocks per claim of this launch (set when its grid starts; statistics). */
    volatile long claimBlocks;
    /** Whether grid-row loops may run as vectors on device memory ({@link RowVec}). */
    boolean rowVec = RowVec.defaultOn();
    /** Whether those loops may be integer paths or have block-uniform loads ({@link RowVecInt}). */
    boolean rowVecInt = RowVecInt.defaultOn();
    /** Whether their last lanes may run as an overlapping vector ({@link RowVecTail}). */
    boolean rowVecTail = RowVecTail.defaultOn();
    /** Whether grid-row plans may split a piece's lanes once for all its thread rows ({@link RowRect}). */
    boolean rowRect = RowRect.ENABLED;
    /** The launch's forms, shared by its workers ({@link LaunchForms#kept}). */
    volatile LaunchForms forms;
    /** Whether grid-row pieces decide their vector loops once and run one-lane loops as scalar code ({@link RowLean}). */
    boolean rowLean = RowLean.defaultOn();

    /** {@link AddDefer}'s state when the kernel has deferred sites, else null. */
    final AddDefer.State defer;

    private final AtomicLong next = new AtomicLong();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger workerIds = new AtomicInteger();
    private volatile boolean closedForNew;
    private volatile KernelFault fault;
    private final List<Exec> execs = new ArrayList<>();
    final List<String> diagnostics = new ArrayList<>();

    Launch(CompiledKernel kernel, LaunchConfig config, long[] params, long paramSize, DeviceMemory memory,
            int workers, CpuDevice.Engine engine) {
        this.kernel = kernel;
        this.config = config;
        this.params = new int[params.length * 2 + 2];
        for (int i = 0; i < params.length; i++) {
            this.params[2 * i] = (int) params[i];
            this.params[2 * i + 1] = (int) (params[i] >>> 32);
        }
        this.paramSize = paramSize;
        this.memory = memory;
        this.workers = workers;
        this.blocks = config.grid().volume();
        this.lockstep = kernel.lockRefusal == null && (engine == CpuDevice.Engine.LOCKSTEP
                || engine == CpuDevice.Engine.AUTO && kernel.suspends);
        this.defer = kernel.deferSite != null ? new AddDefer.State() : null;
    }

    /** Runs the grid to completion; prints printf output to {@code out}; throws the first fault. */
    void run(ExecutorService pool, Consumer<String> out) throws BackendException {
        memory.beginLaunch();
        try {
            runGrid(pool);
        } finally {
            memory.endLaunch();
        }
        for (long a : deferredFrees) {
            try {
                memory.free(a);
            } catch (BackendException e) {
                // already checked when the kernel called free
            }
        }
        print(out);
        if (STATS) {
            StringBuilder sb = new StringBuilder("launch " + kernel.name + " (" + (lockstep ? "lockstep"
                    : "thread") + " engine" + (kernel.lockRefusal != null ? ", not lockstep: " + kernel.lockRefusal
                    : "") + "):");
            synchronized (execs) {
                for (Exec e : execs) sb.append(" worker ").append(e.worker).append('=').append(e.blocksRun);
            }
            if (lockstep) {
                long arms = 0;
                synchronized (execs) {
                    for (Exec e : execs) arms += e.armRanges;
                }
                sb.append("; lane loops with shared accesses checked once: ").append(sharedRuns())
                        .append(", if-converted arms run over a thread range: ").append(arms)
                        .append(", lane loops x global sites checked once per loop: ").append(loopChecked())
                        .append(" (of them from a stepped pointer's prescan: ").append(ptrSteps()).append(")")
                        .append(", cache lines touched before lane loops: ").append(loopTouched())
                        .append(", threads x runs interleaved: ").append(jamLanes())
                        .append(", threads x runs as vectors: ").append(vecLanes())
                        .append(", threads x arm loops with shared stores as vectors: ").append(armVecLanes())
                        .append(", arm loops with prefix statements moved in: ").append(armDefers())
                        .append(" (ranges decided inline as the whole block or none: ").append(blockRanges())
                        .append(", predicates stored from the range: ").append(rangeFillPreds())
                        .append(", prefix values filled outside it: ").append(rangeFills()).append(')')
                        .append(", arm loops adding a load as vectors on memory: ").append(armLoadAdds())
                        .append(", input chains run as one pass into shared memory: ").append(inputFuses())
                        .append(", chains of tree steps run as one: ").append(armChains())
                        .append(" (predicates written: ").append(armChainPreds())
                        .append(", from the launch's plan: ").append(armChainPlans())
                        .append(", halving ladders in registers: ").append(treeRegs())
                        .append(", last halving steps as straight code: ").append(tailLines()).append(')')
                        .append(", warp-0 scan regions run as one: ").append(warp0Chains())
                        .append(", threads x runs copied as vectors: ").append(vecCopies())
                        .append(" (groups x loads found consecutive by vector compares: ").append(vecConsecutive())
                        .append(")")
                        .append(", global loads read with one copy: ").append(laneBulk())
                        .append(", global stores written with one copy: ").append(storeBulk())
                        .append(", arm loops with shared loads checked once: ").append(armShared())
                        .append(", rows of shared stores made with one copy: ").append(sharedCopies())
                        .append(", lane loops with f32 NaNs canonicalized after the loop: ").append(loopNaN())
                        .append(" (tested against zeros: ").append(nanZeroLoops()).append(')')
                        .append(", warps x scan chains summed: ").append(warpScans())
                        .append(" (windowed, as sliding sums: ").append(scanWindows())
                        .append(", full warps as vector prefix sums: ").append(warpScanVecs()).append(')')
                        .append(", branches split by a thread range: ").append(rangeSplits())
                        .append(", thread-constant lane loops skipped: ").append(constSkips())
                        .append(", arm prescans of thread-constant registers skipped: ").append(constChecks())
                        .append(", arms run over the range of a thread-constant predicate: ").append(constRanges())
                        .append(" (shared loads once per run of equal addresses: ").append(constRunLoads())
                        .append(", as vector adds: ").append(constRunVecs())
                        .append(", run loops as one call: ").append(warpRuns()).append(')')
                        .append(", thread-constant loops and prescans run for every thread of a partial block: ")
                        .append(partialConst())
                        .append(", lane loops of a partial block run over a range: ").append(rangeLanes())
                        .append(", arms run over every (m + 1)-th thread: ").append(strideArms())
                        .append(", grid-stride iterations with the index per block: ").append(strideLoops())
                        .append(", cache lines touched ahead of them: ").append(strideTouched())
                        .append(", of them run as a byte histogram's tight loop: ").append(strideHist())
                        .append(" (of 256 bytes, fixed-length: ").append(histConst())
                        .append(", byte loads from a slice: ").append(histLoop()).append(')');
            }
            if (defer != null) {
                sb.append("; global adds summed per worker: ").append(deferAdds()).append(", made from the sums: ")
                        .append(deferFlushed());
            }
            sb.append("; shared sites inside the static window, unchecked: ").append(kernel.sharedInWindow);
            if (kernel.affine != null) {
                sb.append("; ").append(kernel.affine.count()).append(" global sites checked per block, blocks x sites "
                        + "unchecked: ").append(affineHits())
                        .append(" (blocks with the launch's mask: ").append(siteMaskOnce()).append(')')
                        .append(", blocks run path by path: ").append(pathBlocks())
                        .append(" (path decided by ranges: ").append(rangeDecided()).append(", vector form: ").append(vecBlocks())
                        .append(", loads shared: ").append(vecShared())
                        .append(", grid-row loops: ").append(rowRuns()).append(" over ").append(rowBlocks())
                        .append(" blocks, in chunks: ").append(rowChunks())
                        .append(", claims: ").append(claims()).append(" of ").append(claimBlocks).append(" blocks")
                        .append(", as vectors on memory: ").append(rowVecs())
                        .append(", last lanes as an overlapping vector: ").append(rowVecTails())
                        .append(", lane splits for all thread rows: ").append(rowRects())
                        .append(", loops decided once per piece: ").append(leanDecided())
                        .append(", one-lane loops as scalar code: ").append(rowLanes()).append(')');
                if (!lockstep) sb.append(", vector loops whose NaN test compared with zeros: ").append(nanZeroLoops());
            }
            System.err.println(sb);
        }
        KernelFault f = fault;
        if (f != null) throw new BackendException(f.result(), f.getMessage());
    }

    /** Global adds summed per worker instead of made ({@link AddDefer}). */
    long deferAdds() {
        return sum(e -> e.deferAdds);
    }

    /** Words added to memory from the workers' sums ({@link AddDefer}). */
    long deferFlushed() {
        return sum(e -> e.deferFlushed);
    }

    /** Adds the workers' counters to {@code d}'s in one pass ({@link ColdLaunch#rollUp}). */
    void rollUp(CpuDevice d) {
        synchronized (execs) {
            long cold = 0;
            for (Exec e : execs) if (e.coldSetup) cold++;
            if (cold != 0) d.coldExecs.add(cold);
            ColdLaunch.rollUp(execs, d, lockstep, kernel.affine != null, claimBlocks);
        }
    }

    /** The sum of a per-worker counter over the launch's workers. */
    private long sum(java.util.function.ToLongFunction<Exec> counter) {
        long n = 0;
        synchronized (execs) {
            for (Exec e : execs) n += counter.applyAsLong(e);
        }
        return n;
    }

    /** Blocks × sites that ran with their global accesses checked once per block ({@link AffineSites}). */
    long affineHits() {
        return sum(e -> e.affineHits);
    }

    /** Lockstep lane loops whose shared accesses were checked once for the whole run ({@link SharedAffine}). */
    long sharedRuns() {
        return sum(e -> e.sharedRuns);
    }

    /** Lockstep rows of threads whose shared store was one copy ({@link SharedCopy}). */
    long sharedCopies() {
        return sum(e -> e.sharedCopies);
    }

    /** Lockstep lane loops whose f32 NaN canonicalization ran after the loop ({@link LoopNaN}). */
    long loopNaN() {
        return sum(e -> e.loopNaN);
    }

    /** Lockstep lane loops whose deferred NaN test compared differences with zeros ({@link NaNZeros}). */
    long nanZeroLoops() {
        return sum(e -> e.nanZeroLoops);
    }

    /** Lockstep threads × runs executed interleaved ({@link LaneJam}). */
    long jamLanes() {
        return sum(e -> e.jamLanes);
    }

    long vecLanes() {
        return sum(e -> e.vecLanes);
    }

    long armVecLanes() {
        return sum(e -> e.armVecLanes);
    }

    /** Blocks whose global-site check was the launch's mask ({@link SiteMaskOnce}). */
    long siteMaskOnce() {
        return sum(e -> e.siteMaskOnce);
    }

    long armDefers() {
        return sum(e -> e.armDefers);
    }

    long blockRanges() {
        return sum(e -> e.blockRanges);
    }

    long rangeFillPreds() {
        return sum(e -> e.rangeFillPreds);
    }

    long rangeFills() {
        return sum(e -> e.rangeFills);
    }

    long armLoadAdds() {
        return sum(e -> e.armLoadAdds);
    }

    long inputFuses() {
        return sum(e -> e.inputFuses);
    }

    long armChains() {
        return sum(e -> e.armChains);
    }

    /** Warp 0's load–scan–store regions run as one call ({@link Warp0Chain}). */
    long warp0Chains() {
        return sum(e -> e.warp0Chains);
    }

    long armChainPreds() {
        return sum(e -> e.armChainPreds);
    }

    long armChainPlans() {
        return sum(e -> e.armChainPlans);
    }

    long treeRegs() {
        return sum(e -> e.treeRegs);
    }

    long tailLines() {
        return sum(e -> e.tailLines);
    }

    long vecCopies() {
        return sum(e -> e.vecCopies);
    }

    long ptrSteps() {
        return sum(e -> e.ptrSteps);
    }

    long vecConsecutive() {
        return sum(e -> e.vecConsecutive);
    }

    /** Lockstep warps whose shuffle scan chain ran as one sequential sum ({@link WarpScan}). */
    long warpScans() {
        return sum(e -> e.warpScans);
    }

    /** Lockstep (lane loop, global site) pairs checked once per loop ({@link LoopChecks}). */
    long loopTouched() {
        return sum(e -> e.loopTouched);
    }

    long loopChecked() {
        return sum(e -> e.loopChecked);
    }

    /** Lockstep global loads of lane loops read with one copy ({@link LaneBulk}). */
    long armShared() {
        return sum(e -> e.armShared);
    }

    long laneBulk() {
        return sum(e -> e.laneBulk);
    }

    /** Lockstep grid-stride iterations run with the index as one number per block ({@link StrideLoop}). */
    long strideLoops() {
        return sum(e -> e.strideLoops);
    }

    /** Lockstep cache lines touched ahead of grid-stride iterations ({@link StrideTouch}). */
    long strideTouched() {
        return sum(e -> e.strideTouched);
    }

    /** Lockstep grid-stride iterations run as a byte histogram's tight loop ({@link StrideHist}). */
    long strideHist() {
        return sum(e -> e.strideHist);
    }

    /** Of those, iterations of 256 threads counted by {@link HistConst}'s fixed-length loop. */
    long histConst() {
        return sum(e -> e.histConst);
    }

    /** Of those, iterations counted by byte loads from a 256-byte slice ({@link HistLoop}). */
    long histLoop() {
        return sum(e -> e.histLoop);
    }

    /** Lockstep global stores of arm loops written with one copy ({@link StoreBulk}). */
    long rangeSplits() {
        return sum(e -> e.rangeSplits);
    }

    /** Lockstep lane loops of thread-constant registers skipped ({@link ThreadConst}). */
    long constSkips() {
        return sum(e -> e.constSkips);
    }

    /** Lockstep {@link ArmShared} prescans of thread-constant registers skipped ({@link ThreadConst}). */
    long constChecks() {
        return sum(e -> e.constChecks);
    }

    /** Lockstep arms run over the range of a thread-constant predicate ({@link ConstRange}). */
    long constRanges() {
        return sum(e -> e.constRanges);
    }

    /** Lockstep shared loads made once for a run of threads with the same address ({@link ConstRuns}). */
    long constRunLoads() {
        return sum(e -> e.constRunLoads);
    }

    /** Lockstep {@link ConstRuns} runs whose add ran as vectors ({@link ConstRunsVec}). */
    long constRunVecs() {
        return sum(e -> e.constRunVecs);
    }

    /** Lockstep {@link ConstRuns} run loops run as one {@link WarpRuns} call. */
    long warpRuns() {
        return sum(e -> e.warpRuns);
    }

    /** Lockstep warps whose windowed scan chain ran as a sliding sum ({@link ScanWindow}). */
    long scanWindows() {
        return sum(e -> e.scanWindows);
    }

    /** Lockstep warps whose full-warp scan chain ran as a vector prefix sum ({@link WarpScanVec}). */
    long warpScanVecs() {
        return sum(e -> e.warpScanVecs);
    }

    /** Lockstep lane loops of a partial block run over one range of threads ({@link RangeLanes}). */
    long rangeLanes() {
        return sum(e -> e.rangeLanes);
    }

    /** Lockstep thread-constant loops and prescans run for every thread of a partial block ({@link PartialConst}). */
    long partialConst() {
        return sum(e -> e.partialConst);
    }

    /** Lockstep if-converted arms run over every (m + 1)-th thread ({@link LaneStride}). */
    long strideArms() {
        return sum(e -> e.strideArms);
    }

    long storeBulk() {
        return sum(e -> e.storeBulk);
    }

    /** Blocks that ran path by path ({@link UniformPaths}). */
    long pathBlocks() {
        return sum(e -> e.pathBlocks);
    }

    /** Vector-form loads taken from another load's array ({@link VecMem#share}). */
    long vecShared() {
        return sum(e -> e.vecShared);
    }

    /** Blocks that ran a path's vector form ({@link VectorPaths}). */
    long vecBlocks() {
        return sum(e -> e.vecBlocks);
    }

    /** Blocks whose path was decided from the ranges of the branch conditions ({@link UniformPaths#decide}). */
    long rangeDecided() {
        return sum(e -> e.rangeDecided);
    }

    private void runGrid(ExecutorService pool) {
        long c = Math.max(1, Math.min(64, blocks / (workers * 8L)));
        if (gridRows && kernel.paths != null && kernel.paths.vector != null && !lockstep) {
            // grid rows (GridRows): chunks up to one row loop's blocks, while every worker still gets 8 chunks
            long row = Math.max(1, GridRows.MAX_LANES / config.block().x());
            c = Math.max(c, Math.min(Math.min(row, config.grid().x()), blocks / (workers * 8L)));
            if (rowClaims) c = RowClaims.claim(blocks, workers, c);
        }
        claimBlocks = c;
        long chunk = c;
        int helpers = (int) Math.min(workers - 1L, blocks - 1);
        for (int i = 0; i < helpers && pool != null; i++) {
            try {
                pool.execute(() -> work(chunk, true));
            } catch (RejectedExecutionException e) {
                break;
            }
        }
        try {
            work(chunk, false);
        } finally {
            closedForNew = true;
        }
        synchronized (this) {
            boolean interrupted = false;
            while (running.get() > 0) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    private void work(long chunk, boolean helper) {
        running.incrementAndGet();
        Exec e = null;
        try {
            if (helper && closedForNew) return;
            while (fault == null) {
                long b0 = next.getAndAdd(chunk);
                if (b0 >= blocks) break;
                if (e == null) {
                    try {
                        e = new Exec(this, workerIds.getAndIncrement());
                    } catch (OutOfMemoryError | IllegalStateException x) {
                        fail(new KernelFault(CUresult.CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES, "cannot allocate the "
                                + "launch's shared/local memory: " + x));
                        break;
                    }
                    synchronized (execs) {
                        execs.add(e);
                    }
                }
                long b1 = Math.min(blocks, b0 + chunk);
                e.blocksRun += b1 - b0;
                e.claims++;
                if (GridRows.enabled(e)) {
                    try {
                        GridRows.run(e, b0, b1);
                    } catch (RuntimeException | Error x) {
                        fail(e.located(new KernelFault(CUresult.CUDA_ERROR_LAUNCH_FAILED, "kernel failed: " + x)));
                    }
                    continue;
                }
                for (long b = b0; b < b1 && runOne(e, b); b++) {
                }
            }
        } finally {
            // the worker's summed adds in memory before the launch completes or reports a fault (AddDefer)
            if (e != null && e.deferOn) AddDefer.release(e);
            if (running.decrementAndGet() == 0) {
                synchronized (this) {
                    notifyAll();
                }
            }
        }
    }

    /** Runs block {@code b} on {@code e}; false when the launch has failed (by this block or another worker). */
    boolean runOne(Exec e, long b) {
        if (fault != null) return false;
        e.block(b);
        try {
            if (lockstep) Lockstep.run(e);
            else if (kernel.suspends) BlockScheduler.run(e);
            else kernel.code.runBlock(e);
        } catch (KernelFault f) {
            fail(e.located(f));
        } catch (StackOverflowError x) {
            fail(e.located(new KernelFault(CUresult.CUDA_ERROR_LAUNCH_FAILED,
                    "JVM stack overflow (device-function recursion too deep)")));
        } catch (IllegalStateException | IndexOutOfBoundsException x) {
            if (Boolean.getBoolean("transcuda.cpu.debug")) x.printStackTrace();
            fail(e.located(KernelFault.illegalAddress("memory access failed: " + x.getMessage())));
        } catch (OutOfMemoryError x) {
            fail(new KernelFault(CUresult.CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES, "out of memory: " + x));
        } catch (RuntimeException | Error x) {
            fail(e.located(new KernelFault(CUresult.CUDA_ERROR_LAUNCH_FAILED, "kernel failed: " + x)));
        }
        if (e.deferOn) AddDefer.blockEnd(e);
        return fault == null;
    }

    /** Whether a fault has stopped the launch. */
    boolean failed() {
        return fault != null;
    }

    /** Runs of blocks run as grid rows ({@link GridRows}). */
    long rowRuns() {
        return sum(e -> e.rowRuns);
    }

    /** Grid-row loops that ran as vectors on device memory ({@link RowVec}). */
    long rowVecs() {
        return sum(e -> e.rowVecs);
    }

    /** Grid-row plans whose lanes were split once for all thread rows ({@link RowRect}). */
    long rowRects() {
        return sum(e -> e.rowRects);
    }

    /** Grid-row vector loops whose last lanes ran as an overlapping vector ({@link RowVecTail}). */
    long rowVecTails() {
        return sum(e -> e.rowVecTails);
    }

    /** Grid-row loops run on their piece's first thread row's decision ({@link RowLean}). */
    long leanDecided() {
        return sum(e -> e.leanDecided);
    }

    /** One-lane grid-row loops run as scalar code ({@link RowLean}). */
    long rowLanes() {
        return sum(e -> e.rowLanes);
    }

    /** Claims of blocks that the workers made ({@link RowClaims}). */
    long claims() {
        return sum(e -> e.claims);
    }

    /** Chunks that grid-row loops ran in ({@link RowChunks}). */
    long rowChunks() {
        return sum(e -> e.rowChunks);
    }

    /** Blocks run in grid rows ({@link GridRows}). */
    long rowBlocks() {
        return sum(e -> e.rowBlocks);
    }

    private void fail(KernelFault f) {
        synchronized (this) {
            if (fault == null) fault = f;
        }
    }

    private void print(Consumer<String> out) {
        record Line(long block, int seq, String text) {
        }
        List<Line> lines = new ArrayList<>();
        int seq = 0;
        synchronized (execs) {
            for (Exec e : execs) {
                for (int i = 0; i < e.out.size(); i++) lines.add(new Line(e.outBlock.get(i), seq++, e.out.get(i)));
            }
        }
        if (lines.isEmpty()) return;
        lines.sort((a, b) -> a.block != b.block ? Long.compare(a.block, b.block) : Integer.compare(a.seq, b.seq));
        StringBuilder sb = new StringBuilder();
        for (Line l : lines) sb.append(l.text);
        out.accept(sb.toString());
    }
}
