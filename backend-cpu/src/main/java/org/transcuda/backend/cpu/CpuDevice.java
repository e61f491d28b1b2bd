package org.transcuda.backend.cpu;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.transcuda.spi.BackendContext;
import org.transcuda.spi.BackendDevice;
import org.transcuda.spi.DeviceProperties;

/**
 * The host CPU as a device. It owns the worker pool that runs blocks in parallel: {@code cores - 1} daemon
 * threads (the stream thread that launches is the last worker), started with the first launch and shut down
 * when the last context closes (and on deactivation), so no thread outlives the device's contexts.
 */
final class CpuDevice implements BackendDevice {
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final DeviceProperties properties;
    private final Set<CpuContext> contexts = ConcurrentHashMap.newKeySet();
    private final int workers;
    private ExecutorService pool;
    private volatile Engine engine = Engine.fromProperty();
    /** Launches run by each engine (statistics, and for tests). */
    final java.util.concurrent.atomic.LongAdder lockstepLaunches = new java.util.concurrent.atomic.LongAdder();
    final java.util.concurrent.atomic.LongAdder threadLaunches = new java.util.concurrent.atomic.LongAdder();
    /** Blocks × sites whose global accesses ran without per-access checks ({@link AffineSites}; for tests). */
    final java.util.concurrent.atomic.LongAdder hoistedSiteBlocks = new java.util.concurrent.atomic.LongAdder();
    /** Blocks run path by path ({@link UniformPaths}; for tests). */
    final java.util.concurrent.atomic.LongAdder pathBlocks = new java.util.concurrent.atomic.LongAdder();
    /** Of those, blocks whose path the ranges of the branch conditions decided (for tests). */
    final java.util.concurrent.atomic.LongAdder rangeDecided = new java.util.concurrent.atomic.LongAdder();
    /** Lockstep lane loops that ran with their shared accesses checked once ({@link SharedAffine}; for tests). */
    final java.util.concurrent.atomic.LongAdder sharedRuns = new java.util.concurrent.atomic.LongAdder();
    /** Lockstep rows of threads whose shared store was one copy ({@link SharedCopy}; for tests). */
    final java.util.concurrent.atomic.LongAdder sharedCopies = new java.util.concurrent.atomic.LongAdder();
    /** Lockstep lane loops whose f32 NaN canonicalization ran after the loop ({@link LoopNaN}; for tests). */
    final java.util.concurrent.atomic.LongAdder loopNaN = new java.util.concurrent.atomic.LongAdder();
    /** Lockstep lane loops whose deferred NaN test compared with zeros ({@link NaNZeros}). */
    final java.util.concurrent.atomic.LongAdder nanZeroLoops = new java.util.concurrent.atomic.LongAdder();
    /** Lockstep threads × runs executed interleaved ({@link LaneJam}). */
    final java.util.concurrent.atomic.LongAdder jamLanes = new java.util.concurrent.atomic.LongAdder();
    /** Lockstep threads × runs run as vectors ({@link LaneVec}; for tests). */
    final java.util.concurrent.atomic.LongAdder vecLanes = new java.util.concurrent.atomic.LongAdder();
    /** {@link ArmVec}: threads x arm loops with shared stores run as vectors. */
    final java.util.concurrent.atomic.LongAdder armVecLanes = new java.util.concurrent.atomic.LongAdder();
    /** {@link ArmDefer}: arm range loops run with prefix statements moved into them. */
    final java.util.concurrent.atomic.LongAdder armDefers = new java.util.concurrent.atomic.LongAdder();
    /** {@link BlockRange}: arm ranges decided inline as the whole block or none. */
    final java.util.concurrent.atomic.LongAdder blockRanges = new java.util.concurrent.atomic.LongAdder();
    /** {@link RangeFill}: arm range loops whose branch predicate was stored from the range. */
    final java.util.concurrent.atomic.LongAdder rangeFillPreds = new java.util.concurrent.atomic.LongAdder();
    /** {@link RangeFill}: arm range loops whose prefix values were stored outside the range only. */
    final java.util.concurrent.atomic.LongAdder rangeFills = new java.util.concurrent.atomic.LongAdder();
    /** {@link ArmLoadAdd}: arm range loops whose load and add ran as vectors on device memory. */
    final java.util.concurrent.atomic.LongAdder armLoadAdds = new java.util.concurrent.atomic.LongAdder();
    /** {@link InputFuse}: blocks whose input chain ran as one pass into the shared window. */
    final java.util.concurrent.atomic.LongAdder inputFuses = new java.util.concurrent.atomic.LongAdder();
    /** {@link ArmChain}: chains of tree steps run as one. */
    final java.util.concurrent.atomic.LongAdder armChains = new java.util.concurrent.atomic.LongAdder();
    /** Lockstep warp-0 load–scan–store regions run as one call ({@link Warp0Chain}; for tests). */
    final java.util.concurrent.atomic.LongAdder warp0Chains = new java.util.concurrent.atomic.LongAdder();
    /** {@link ArmChain}: predicate arrays written by chain steps (tests). */
    final java.util.concurrent.atomic.LongAdder armChainPreds = new java.util.concurrent.atomic.LongAdder();
    /** {@link ArmChainPlan}: chains run from their launch's plan (tests). */
    final java.util.concurrent.atomic.LongAdder armChainPlans = new java.util.concurrent.atomic.LongAdder();
    /** {@link TreeRegs}: ladders of four halving steps run in vector registers (tests). */
    final java.util.concurrent.atomic.LongAdder treeRegs = new java.util.concurrent.atomic.LongAdder();
    /** {@link TailLine}: a tree's last halving steps 8, 4, 2, 1 run as straight-line code (tests). */
    final java.util.concurrent.atomic.LongAdder tailLines = new java.util.concurrent.atomic.LongAdder();
    /** {@link SiteMaskOnce}: blocks whose global-site check was the launch's mask. */
    final java.util.concurrent.atomic.LongAdder siteMaskOnce = new java.util.concurrent.atomic.LongAdder();
    /** Lockstep threads × runs copied global to shared as vectors ({@link LaneVec#COPY}; for tests). */
    final java.util.concurrent.atomic.LongAdder vecCopies = new java.util.concurrent.atomic.LongAdder();
    /** Lockstep groups × loads whose pointers {@link VecConsecutive} found consecutive (for tests). */
    final java.util.concurrent.atomic.LongAdder vecConsecutive = new java.util.concurrent.atomic.LongAdder();
    /** Lockstep warps whose shuffle scan chain ran as one sequential sum ({@link WarpScan}; for tests). */
    final java.util.concurrent.atomic.LongAdder warpScans = new java.util.concurrent.atomic.LongAdder();
    /** Lockstep arm loops whose 32-bit shared loads were checked once ({@link ArmShared}; for tests). */
    final java.util.concurrent.atomic.LongAdder armShared = new java.util.concurrent.atomic.LongAdder();
    /** Lockstep (lane loop, global site) pairs checked once per loop ({@link LoopChecks}; for tests). */
    final java.util.concurrent.atomic.LongAdder loopChecked = new java.util.concurrent.atomic.LongAdder();
    /** Lockstep prescans of a pointer register read from its stepped record ({@link PtrStep}; for tests). */
    final java.util.concurrent.atomic.LongAdder ptrSteps = new java.util.concurrent.atomic.LongAdder();
    /** Lockstep cache lines touched before lane loops ({@link LoopTouch}; for tests). */
    final java.util.concurrent.atomic.LongAdder loopTouched = new java.util.concurrent.atomic.LongAdder();
    /** Lockstep global loads of lane loops read with one copy ({@link LaneBulk}; tests and statistics). */
    final java.util.concurrent.atomic.LongAdder laneBulk = new java.util.concurrent.atomic.LongAdder();
    /** Lockstep global stores of arm loops written with one copy ({@link StoreBulk}; for tests). */
    final java.util.concurrent.atomic.LongAdder storeBulk = new java.util.concurrent.atomic.LongAdder();
    /** Lockstep grid-stride iterations run with the index as one number per block ({@link StrideLoop}; for tests). */
    final java.util.concurrent.atomic.LongAdder strideLoops = new java.util.concurrent.atomic.LongAdder();
    /** Lockstep cache lines touched ahead of grid-stride iterations ({@link StrideTouch}; for tests). */
    final java.util.concurrent.atomic.LongAdder strideTouched = new java.util.concurrent.atomic.LongAdder();
    /** Lockstep grid-stride iterations run as a byte histogram's tight loop ({@link StrideHist}; for tests). */
    final java.util.concurrent.atomic.LongAdder strideHist = new java.util.concurrent.atomic.LongAdder();
    /** Of those, iterations of 256 threads counted by {@link HistConst}'s fixed-length loop (for tests). */
    final java.util.concurrent.atomic.LongAdder histConst = new java.util.concurrent.atomic.LongAdder();
    /** Of those, iterations counted by byte loads from a 256-byte slice ({@link HistLoop}; for tests). */
    final java.util.concurrent.atomic.LongAdder histLoop = new java.util.concurrent.atomic.LongAdder();
    /** {@link AddDefer}: global adds summed per worker instead of made, and words made from the sums (for tests). */
    final java.util.concurrent.atomic.LongAdder deferAdds = new java.util.concurrent.atomic.LongAdder();
    final java.util.concurrent.atomic.LongAdder deferFlushed = new java.util.concurrent.atomic.LongAdder();
    /** {@link SharedRange}'s unchecked shared sites of each launched kernel, summed over launches. */
    final java.util.concurrent.atomic.LongAdder sharedInWindow = new java.util.concurrent.atomic.LongAdder();
    /** Splits of every thread done by thread range ({@link RangeSplit}), summed over launches (statistics). */
    final java.util.concurrent.atomic.LongAdder rangeSplits = new java.util.concurrent.atomic.LongAdder();
    /** Lockstep lane loops of thread-constant registers skipped ({@link ThreadConst}; for tests). */
    final java.util.concurrent.atomic.LongAdder constSkips = new java.util.concurrent.atomic.LongAdder();
    /** Lockstep arm prescans of thread-constant registers skipped ({@link ThreadConst}; for tests). */
    final java.util.concurrent.atomic.LongAdder constChecks = new java.util.concurrent.atomic.LongAdder();
    /** Lockstep lane loops of a partial block run over one range ({@link RangeLanes}; for tests). */
    final java.util.concurrent.atomic.LongAdder rangeLanes = new java.util.concurrent.atomic.LongAdder();
    /** Lockstep thread-constant loops and prescans run for every thread of a partial block ({@link PartialConst}). */
    final java.util.concurrent.atomic.LongAdder partialConst = new java.util.concurrent.atomic.LongAdder();
    /** Lockstep warps whose windowed scan chain ran as a sliding sum ({@link ScanWindow}; for tests). */
    final java.util.concurrent.atomic.LongAdder scanWindows = new java.util.concurrent.atomic.LongAdder();
    /** Lockstep warps whose full-warp scan chain ran as a vector prefix sum ({@link WarpScanVec}; for tests). */
    final java.util.concurrent.atomic.LongAdder warpScanVecs = new java.util.concurrent.atomic.LongAdder();
    /** Lockstep arms run over the range of a thread-constant predicate ({@link ConstRange}; for tests). */
    final java.util.concurrent.atomic.LongAdder constRanges = new java.util.concurrent.atomic.LongAdder();
    /** Lockstep shared loads made once for a run of threads with the same address ({@link ConstRuns}; for tests). */
    final java.util.concurrent.atomic.LongAdder constRunLoads = new java.util.concurrent.atomic.LongAdder();
    /** Lockstep {@link ConstRuns} runs whose add ran as vectors ({@link ConstRunsVec}; for tests). */
    final java.util.concurrent.atomic.LongAdder constRunVecs = new java.util.concurrent.atomic.LongAdder();
    /** Lockstep {@link ConstRuns} run loops run as one {@link WarpRuns} call (for tests). */
    final java.util.concurrent.atomic.LongAdder warpRuns = new java.util.concurrent.atomic.LongAdder();
    /** Lockstep if-converted arms run over every (m + 1)-th thread ({@link LaneStride}; for tests). */
    final java.util.concurrent.atomic.LongAdder strideArms = new java.util.concurrent.atomic.LongAdder();
    /** Of the blocks run path by path, those that ran the path's vector form ({@link VectorPaths}; for tests). */
    final java.util.concurrent.atomic.LongAdder vecBlocks = new java.util.concurrent.atomic.LongAdder();
    /** Vector-form loads taken from another load's array of the same block ({@link VecMem#share}; for tests). */
    final java.util.concurrent.atomic.LongAdder vecShared = new java.util.concurrent.atomic.LongAdder();
    /** Runs of blocks run as grid rows and their blocks ({@link GridRows}; for tests). */
    final java.util.concurrent.atomic.LongAdder rowRuns = new java.util.concurrent.atomic.LongAdder();
    final java.util.concurrent.atomic.LongAdder rowBlocks = new java.util.concurrent.atomic.LongAdder();
    /** Whether launches from now on may run grid rows ({@link GridRows}; default {@code -Dtranscuda.cpu.gridRows}). */
    volatile boolean gridRows = GridRows.ENABLED;
    /** Claims of blocks made by the workers of grid-row launches, and their blocks ({@link RowClaims}; for tests). */
    final java.util.concurrent.atomic.LongAdder rowClaimCount = new java.util.concurrent.atomic.LongAdder();
    /** Blocks per claim of the last grid-row launch ({@link RowClaims}; for tests). */
    volatile long lastClaimBlocks;
    /** Whether grid-row launches from now on claim an eighth of a worker's share at a time ({@link RowClaims}). */
    volatile boolean rowClaims = RowClaims.ENABLED;
    /** Chunks that grid-row loops ran in ({@link RowChunks}; for tests). */
    final java.util.concurrent.atomic.LongAdder rowChunks = new java.util.concurrent.atomic.LongAdder();
    /** Most lanes of one run of a grid-row loop's vector form from now on ({@link RowChunks}; 0: no chunks). */
    volatile int rowChunk = RowChunks.lanes();
    /** Grid-row loops run as vectors on device memory ({@link RowVec}; for tests). */
    final java.util.concurrent.atomic.LongAdder rowVecs = new java.util.concurrent.atomic.LongAdder();
    /** Whether launches from now on may run grid-row loops as vectors on memory ({@link RowVec}). */
    volatile boolean rowVec = RowVec.defaultOn();
    /** Whether they may also be integer paths or have block-uniform loads ({@link RowVecInt}). */
    volatile boolean rowVecInt = RowVecInt.defaultOn();
    /** Whether their last lanes may run as an overlapping vector ({@link RowVecTail}). */
    volatile boolean rowVecTail = RowVecTail.defaultOn();
    /** Whether grid-row plans may split a piece's lanes once for all its thread rows ({@link RowRect}). */
    volatile boolean rowRect = RowRect.ENABLED;
    /** Plans split so ({@link RowRect}; for tests). */
    final java.util.concurrent.atomic.LongAdder rowRects = new java.util.concurrent.atomic.LongAdder();
    /** Grid-row vector loops whose last lanes ran so ({@link RowVecTail}; for tests). */
    final java.util.concurrent.atomic.LongAdder rowVecTails = new java.util.concurrent.atomic.LongAdder();
    /** {@link ColdLaunch}: workers set up by its helpers, and launches whose statistics it rolled up (for tests). */
    final java.util.concurrent.atomic.LongAdder coldExecs = new java.util.concurrent.atomic.LongAdder();
    final java.util.concurrent.atomic.LongAdder coldRollUps = new java.util.concurrent.atomic.LongAdder();
    /** {@link ColdLaunch}: workers whose launch forms came from another worker or an earlier launch (for tests). */
    final java.util.concurrent.atomic.LongAdder coldForms = new java.util.concurrent.atomic.LongAdder();
    /** Whether grid-row pieces decide their vector loops once, one-lane loops as scalar code ({@link RowLean}). */
    volatile boolean rowLean = RowLean.defaultOn();
    /** Loops run on a piece's first thread row's decision, one-lane loops run as scalar code ({@link RowLean}; tests). */
    final java.util.concurrent.atomic.LongAdder leanDecided = new java.util.concurrent.atomic.LongAdder();
    final java.util.concurrent.atomic.LongAdder rowLanes = new java.util.concurrent.atomic.LongAdder();
    /** Kernels launched here that have no lockstep code, with the reason (statistics, and for tests). */
    final Map<String, String> threadOnly = new ConcurrentHashMap<>();

    /**
     * Which engine runs kernels: {@code AUTO} (the lockstep engine for kernels with barriers or warp collectives
     * that have lockstep code, where it saves the thread engine's suspensions; the thread engine for the others,
     * whose straight-line per-thread code measured faster), {@code THREAD}, or {@code LOCKSTEP} (every kernel that
     * has lockstep code). A kernel without lockstep code always runs on the thread engine; the launch statistics
     * ({@code -Dtranscuda.cpu.stats=true}) say which engine ran and why. Both engines are exact: the choice is a
     * compilation tier, not a change of semantics. Set with {@code -Dtranscuda.cpu.engine=auto|thread|lockstep}.
     */
    enum Engine {
        AUTO, THREAD, LOCKSTEP;

        static Engine fromProperty() {
            String v = System.getProperty("transcuda.cpu.engine", "auto");
            try {
                return valueOf(v.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("transcuda.cpu.engine must be auto, thread or lockstep, not " + v);
            }
        }
    }

    /** The engine of launches from now on. */
    Engine engine() {
        return engine;
    }

    void engine(Engine e) {
        engine = e;
    }

    CpuDevice(DeviceProperties properties) {
        this(properties, properties.multiprocessorCount());
    }

    CpuDevice(DeviceProperties properties, int workers) {
        this.properties = properties;
        this.workers = Math.max(1, workers);
    }

    @Override
    public DeviceProperties properties() {
        return properties;
    }

    /** Device memory is off-heap host memory at its device address: managed memory is ordinary memory. */
    @Override
    public boolean hostAddressableMemory() {
        return true;
    }

    @Override
    public BackendContext createContext() {
        CpuContext c = new CpuContext(this, properties.totalMemory(), this::closed);
        contexts.add(c);
        return c;
    }

    private void closed(CpuContext c) {
        contexts.remove(c);
        if (contexts.isEmpty()) shutdownPool();
    }

    /** Threads that run blocks of one launch (pool threads plus the launching stream thread). */
    int workers() {
        return workers;
    }

    /** The worker pool, started on first use; null when this device runs blocks on the stream thread only. */
    synchronized ExecutorService pool() {
        if (workers <= 1) return null;
        if (pool == null) {
            int id = POOLS.incrementAndGet();
            AtomicInteger n = new AtomicInteger();
            ThreadPoolExecutor p = new ThreadPoolExecutor(workers - 1, workers - 1, 30, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), r -> {
                        Thread t = new Thread(r, "transcuda-cpu-worker-" + id + "-" + n.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
            p.allowCoreThreadTimeOut(true);
            pool = p;
        }
        return pool;
    }

    synchronized void shutdownPool() {
        ExecutorService p = pool;
        pool = null;
        if (p == null) return;
        p.shutdownNow();
        try {
            p.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void closeAll() {
        for (CpuContext c : contexts) c.close();
        shutdownPool();
    }
}
