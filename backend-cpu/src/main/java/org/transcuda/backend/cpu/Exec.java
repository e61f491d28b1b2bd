package org.transcuda.backend.cpu;

import java.util.ArrayList;
import java.util.List;

/**
 * The state of one worker of a launch: what compiled kernel code reads besides its registers. One
 * {@code Exec} runs blocks one after another; its fields are plain (never shared between threads).
 *
 * <ul>
 * <li>geometry: block and grid sizes, the current block ({@code cx, cy, cz}) and the current thread
 * ({@code t, tx, ty, tz}, kept up to date for device functions and fault messages);</li>
 * <li>memory windows, {@code int[]} arrays: the launch's parameter buffer, the block's shared memory
 * (one buffer per worker, reused by its blocks), local memory ({@link #localCount} windows of
 * {@link #localSize} bytes: one for kernels that run each thread to completion, one per thread for kernels with
 * suspension points; the current thread's window starts at {@link #lbase}; device-function frames are stacked
 * from offset {@link #sp}); for each window and access size 1, 2, 4, 8 the number of aligned slots used by the
 * bounds checks of {@link Mem};</li>
 * <li>the {@link SiteCache}s of the kernel's global/generic memory instructions;</li>
 * <li>for kernels with suspension points: the spilled registers of every thread ({@link #spill}, {@code
 * regSlots} longs per thread: one slot per register live across a suspension point) and the operands/results of the collective each thread waits at;</li>
 * <li>multi-value returns of device functions ({@link #ret}) and buffered printf output.</li>
 * </ul>
 */
final class Exec {
    final Launch launch;
    final int worker;
    final int workers;
    final long gridId;
    final int ntx, nty, ntz, nthreads;
    final int ncx, ncy, ncz;
    int cx, cy, cz;
    long blockLinear;
    /** Blocks this worker ran (statistics). */
    long blocksRun;
    int t, tx, ty, tz;

    // windows: native buffers owned by the launch; absolute base addresses and sizes
    // (slot counts are fields, not arrays: stores into long[] spill slots must not alias them)
    final int[] params;
    final long paramSize;
    final long paramSlots0, paramSlots1, paramSlots2, paramSlots3;
    final int[] shared;
    final long sharedSize;
    final long sharedSlots0, sharedSlots1, sharedSlots2, sharedSlots3;
    final int dynShared;
    final int[] local;
    final long localSize;
    final int localCount;
    final long localSlots0, localSlots1, localSlots2, localSlots3;
    /** Byte offset of the current thread's local window in {@link #local}. */
    long lbase;
    int sp;

    final SiteCache[] sites;
    /** 1 when this worker's launch forms came from another worker or an earlier launch ({@link LaunchForms#kept}). */
    long formsKept;
    /** Whether this worker was set up by {@link ColdLaunch}'s helpers (statistics). */
    final boolean coldSetup;
    /** Scratch of {@link AffineSites#check} (null when the kernel has no hoisted sites). */
    final long[] affineStack, affineResult;
    /** The launch forms of the address programs and branch conditions ({@link LaunchForms}; at first use). */
    LaunchForms forms;
    /** Blocks × sites this worker ran with the per-block check instead of per-access checks (statistics). */
    long affineHits;
    /** Blocks this worker ran path by path ({@link UniformPaths}; statistics). */
    long pathBlocks;
    /** Blocks whose path {@link UniformPaths#decide} found from the ranges of the branch conditions (statistics). */
    long rangeDecided;
    /** Of the blocks run path by path, those that ran a path's vector form ({@link VectorPaths}; statistics). */
    long vecBlocks;
    /** Vector-form loads taken from another load's array of the same block ({@link VecMem#share}; statistics). */
    long vecShared;
    /**
     * The per-thread register arrays of the vector path methods ({@link VectorPaths}), by register id (null where
     * a register has none; the field is null when the kernel has no vector form); scratch of {@link VecMem}.
     */
    final Object[] vregs;
    final long[] vecCoef = new long[4];
    /**
     * The extent the vector path methods and {@link VecMem} run over: the block ({@code ntx, nty, ntz, nthreads}),
     * or, for a run of blocks of one grid row ({@link GridRows}), one row of {@code vnx} threads across those blocks
     * ({@code vny = vnz = 1}) whose {@code %tid.y/z} are {@code vty, vtz}.
     */
    int vnx, vny, vnz, vn, vty, vtz;
    /**
     * A grid row's lane loop ({@link GridRows}): lane {@code L} is {@code X = vx0 + L} of the row, thread
     * {@code X mod ntx} of block {@code X / ntx} (block numbers relative to {@link #cx}).
     */
    boolean vrow;
    int vx0;
    /**
     * In a lane loop ({@link #vrow}), per address program: its {@code ctaid.x} coefficient when it is block-uniform
     * (no {@code tid.x} term: {@link VecMem} loads once per block of the lanes), else 0.
     */
    long[] rowAcx;
    /**
     * The threads {@link GridRows#range} ranges over: blocks {@code [ra, rend)} of the current row, all their threads
     * ({@code rlanes} false), or lanes {@code [ra, rend)} of thread row {@code (rty, rtz)} ({@code rlanes} true).
     */
    boolean rlanes;
    int ra, rend, rty, rtz;
    /**
     * {@link RowRect}: {@code rlanes} over the thread rows {@code [rty, rty1] x [rtz, rtz1]} at once (else
     * {@code rty1, rtz1} are unused); its split of a piece's lanes ({@code lo, hi, path} triples) and the pieces so
     * planned.
     */
    boolean rrect;
    int rty1, rtz1;
    int[] rectSeg = new int[3 * 8];
    int rectSegN;
    long rowRects;
    /** {@link GridRows}' planned lane loops ({@code 6} ints each). */
    int[] rowPlan = new int[7 * 16];
    int rowPlanN;
    /** {@link GridRows} for this launch: 0 not decided yet, 1 yes, 2 no. */
    int rowMode;
    /** Runs of blocks, and their blocks, run as grid rows ({@link GridRows}; statistics). */
    long rowRuns, rowBlocks;
    /** Per path: whether its grid-row loops run in chunks ({@link RowChunks#paths}; set with {@link #rowMode}). */
    boolean[] rowChunkPaths;
    /** Chunks that grid-row loops ran in ({@link RowChunks}; statistics). */
    long rowChunks;
    /** Claims of blocks this worker made ({@link Launch#work}, {@link RowClaims}; statistics). */
    long claims;
    /** Per path: its {@link RowVec} accesses (null: none, or switched off for this launch); loops run so. */
    int[][] rowVecAcc;
    long rowVecs;
    /** Of those, loops whose last lanes ran as an overlapping vector ({@link RowVecTail}). */
    long rowVecTails;
    /**
     * {@link RowLean}: per path, whether its RowVec decisions hold for every thread row (null: off), whether its
     * one-lane loops run {@code sK} (null: off); the decisions of the current RowRect piece's parts.
     */
    boolean[] leanShift, leanLanes;
    int[] leanDec = new int[4];
    /** {@link RowLean}: loops run on a decision of their piece's first thread row; one-lane loops run as {@code sK}. */
    long leanDecided, rowLanes;

    // suspension state (kernels with barriers / warp collectives)
    final long[] spill;
    final long[] opA, opB, opC, resA;
    final int[] opMask, resB;
    final int[] rp;
    final byte[] run;
    final byte[] state;
    final int[] arrivals = new int[16];
    /** Scratch of {@link BlockScheduler}'s barrier completion, per barrier id. */
    final int[] barWaiting = new int[16], barPopc = new int[16];
    final long[] barExpected = new long[16];
    /** Warp collectives the current round may still complete inline ({@link BlockScheduler#warpArrived}). */
    int inlineBudget;
    /** Threads that suspended in the last scheduling round (set by the compiled code). */
    int waiting;
    /** Thread index by linear thread number; read-only (with {@link ColdLaunch}, shared by a kernel's workers). */
    final int[] tidX, tidY, tidZ;

    // lockstep engine (see Lockstep): one array per register, each thread's next segment, the active threads
    final Object[] lregs;
    /**
     * {@link LeanPrologue}: {@link #lregs}' arrays again, by kind, at the register's index (null at the other
     * kinds' indices), so that a segment method loads one without a {@code checkcast}.
     */
    final int[][] lregI;
    final long[][] lregJ;
    final float[][] lregF;
    final double[][] lregD;
    final int[] lnb;
    /** Scratch: the active lanes of each warp (lockstep warp collectives). */
    final int[] lgroups;
    final byte[] latBar;
    /** The active threads, in order ({@link #lcount} of them; the identity while all are active). */
    final int[] lidx;
    /** Block-uniform registers of the lockstep code, by register id (their home between segment methods). */
    final long[] luni;
    int lcount;
    /** 1 when every thread of the block is active (then {@link #lnb} is not maintained). */
    int lfull;
    /** Threads of the block that have not exited (lockstep). */
    int llive;
    /**
     * Lockstep, while not every thread is active: the lowest segment that a thread outside the active set waits
     * at, not counting threads waiting at a barrier ({@link Lockstep#EXITED} when none); a jump of the active
     * threads to a lower segment needs no scheduler pass.
     */
    int lnext;
    /**
     * Lockstep: 1 while every thread outside the active set waits at {@link #lnext} (none exited or at a barrier),
     * as after a branch split the threads that were all active; a jump of the active threads to {@link #lnext} then
     * makes every thread active again without a scheduler pass ({@link Lockstep#rejoin}).
     */
    int lrest;
    /** Lockstep lane loops run with their shared accesses checked once ({@link SharedAffine}; statistics). */
    long sharedRuns;
    /** Lockstep rows of threads whose shared store was one copy ({@link SharedCopy}; statistics). */
    long sharedCopies;
    /** Lockstep threads × runs executed in {@link LaneJam}'s interleaved loops (statistics). */
    long jamLanes;
    /** Lockstep threads × runs run as vectors ({@link LaneVec}; statistics). */
    long vecLanes;
    /** {@link ArmVec}: threads x arm loops run as vectors. */
    long armVecLanes;
    /** {@link ArmDefer}: arm range loops run with prefix statements moved into them. */
    long armDefers;
    /** {@link BlockRange}: arm ranges decided inline as the whole block or none (statistics). */
    long blockRanges;
    /** {@link RangeFill}: arm range loops whose branch predicate was stored from the range. */
    long rangeFillPreds;
    /** {@link RangeFill}: arm range loops whose prefix values were stored outside the range only. */
    long rangeFills;
    /** {@link ArmLoadAdd}: arm range loops whose load and add ran as vectors on device memory. */
    long armLoadAdds;
    /** {@link InputFuse}: blocks whose input chain ran as one pass into the shared window. */
    long inputFuses;
    /** {@link ArmChain}: chains of tree steps run as one. */
    long armChains;
    /** Warp 0's load–scan–store regions run as one call ({@link Warp0Chain}; statistics). */
    long warp0Chains;
    /** {@link ArmChain}: predicate arrays written by chain steps whose predicate is read again later. */
    long armChainPreds;
    /**
     * The kernel's tables ({@link CompiledKernel#armChains}, {@link CompiledKernel#warp0Regions},
     * {@link CompiledKernel#inputFuses}), copied here so that a fast path's entry reads its entry from the worker state
     * it already has: {@code e.armChainTable[id]}.
     */
    final ArmChain.Chain[] armChainTable;
    final Warp0Chain.Region[] warp0Table;
    final InputFuse.Region[] inputFuseTable;
    /** {@link ArmChain}'s memo: the chain whose ranges {@link #armChainRanges} holds (-1: none yet). */
    int armChainId = -1;
    /** {@link ArmChain}'s memo: the ranges of chain {@link #armChainId} for this launch. */
    int[] armChainRanges;
    /** {@link ArmChainPlan}: the plan of chain {@link #armChainId} for this launch (null: none). */
    int[] armChainPlan;
    /** {@link ArmChainPlan}: chains run from their launch's plan. */
    long armChainPlans;
    /** {@link TreeRegs}: ladders of four halving steps run in vector registers. */
    long treeRegs;
    /** {@link TailLine}: a tree's last halving steps 8, 4, 2, 1 run as straight-line code. */
    long tailLines;
    /** {@link SiteMaskOnce}: blocks whose global-site check was the launch's mask. */
    long siteMaskOnce;
    /** Lockstep threads × runs copied global to shared as vectors ({@link LaneVec#COPY}; statistics). */
    long vecCopies;
    /** Lockstep groups × loads whose pointers {@link VecConsecutive} compared as vectors and found consecutive. */
    long vecConsecutive;
    /** Lockstep (lane loop, global site) pairs whose accesses one prescan check covered ({@link LoopChecks}). */
    long loopChecked;
    /** {@link PtrStep}: prescans of a pointer register read from its record instead of a loop (statistics). */
    long ptrSteps;
    /** {@link PtrStep}: this worker's block serial number (a record's tag), and the records. */
    long pmSerial;
    long[] pm;
    /** Lockstep cache lines touched before a lane loop ({@link LoopTouch}; statistics). */
    long loopTouched;
    /** {@link LoopTouch}: the sum of the bytes it read (kept so that the reads are not removed). */
    int touchSink;
    /**
     * Lockstep: the current block's {@link AffineSites#check} mask (bit {@code j}: every access of hoisted global
     * site {@code j} by any thread of the block is valid), set when the block starts; the segment methods read it.
     */
    long lglob;
    /** If-converted arms run over a range of threads ({@link SharedAffine#predRange}; statistics). */
    long armRanges;
    /** Lockstep lane loops whose f32 NaN canonicalization ran after the loop ({@link LoopNaN}; statistics). */
    long loopNaN;
    /**
     * {@link NaNZeros}: per thread (or vector-form lane) {@code x - x} of a loop's deferred f32 results, and the zeros
     * they are compared with (both at least {@link #nthreads} long, allocated when first used).
     */
    float[] nanScratch, nanZeros;
    /** Loops whose deferred NaN test was a comparison with zeros ({@link NaNZeros}; statistics). */
    long nanZeroLoops;
    /** Splits of every thread at a branch done by thread range, without a loop ({@link RangeSplit}; statistics). */
    long rangeSplits;
    /**
     * Lockstep: bit k set when thread-constant loop k ({@link ThreadConst}) ran with every thread of a block active:
     * its registers' arrays hold every thread's value for the rest of the launch.
     */
    long lconst;
    /** Thread-constant loops skipped ({@link ThreadConst}; statistics). */
    long constSkips;
    /** {@link ArmShared} prescans of thread-constant registers skipped, their check kept ({@link ThreadConst}). */
    long constChecks;
    /**
     * Thread-constant loops and {@link ArmShared} prescans of thread-constant registers run for every thread of a
     * block in which not every thread was active ({@link PartialConst}; statistics).
     */
    long partialConst;
    /** Lockstep lane loops run with not every thread active, the active threads one range ({@link RangeLanes}). */
    long rangeLanes;
    /** Warps whose windowed scan chain ran as a sliding sum ({@link ScanWindow}; statistics). */
    long scanWindows;
    /** Warps whose full-warp scan chain ran as a vector prefix sum ({@link WarpScanVec}; statistics). */
    long warpScanVecs;
    /** If-converted arms run over the thread range their thread-constant predicate selects ({@link ConstRange}). */
    long constRanges;
    /** {@link ConstRange}: per bit of {@link #lconst} that is set, the range found for the launch ((lo << 32) | hi, or -1). */
    final long[] constRange = new long[ThreadConst.MAX_LOOPS];
    /** {@link ConstRuns}: per bit of {@link #lconst} that is set, the runs found for the launch (null: none kept). */
    final int[][] constRuns = new int[ThreadConst.MAX_LOOPS][];
    /** Shared loads made once for a run of threads with the same address ({@link ConstRuns}; statistics). */
    long constRunLoads;
    /** {@link ConstRuns} runs whose add ran as vectors ({@link ConstRunsVec}; statistics). */
    long constRunVecs;
    /** {@link ConstRuns} run loops run as one {@link WarpRuns} call (statistics). */
    long warpRuns;
    /** If-converted arms run over every (m + 1)-th thread ({@link LaneStride}; statistics). */
    long strideArms;
    /** Warps whose shuffle scan chain ran as one sequential sum ({@link WarpScan}; statistics). */
    long warpScans;
    /**
     * Lockstep: the block before on this worker ended normally with every thread active, so {@link #lidx} is the
     * identity and {@link #latBar} all clear for the next block ({@link Lockstep#run}).
     */
    boolean lclean;
    /** Lockstep global loads of a lane loop read with one copy ({@link LaneBulk}; statistics). */
    long laneBulk;
    /** Lockstep grid-stride iterations run with the index as one number per block ({@link StrideLoop}; statistics). */
    long strideLoops;
    /** Lockstep cache lines touched ahead of grid-stride iterations ({@link StrideTouch}; statistics). */
    long strideTouched;
    /** Lockstep grid-stride iterations run as a byte histogram's tight loop ({@link StrideHist}; statistics). */
    long strideHist;
    /** Of those, iterations of 256 threads counted by {@link HistConst}'s fixed-length loop (statistics). */
    long histConst;
    /** Of those, iterations counted by byte loads from a 256-byte slice ({@link HistLoop}; statistics). */
    long histLoop;
    /** {@link AddDefer}: this worker's sums of the deferred allocation's words (null: none), its base and size. */
    int[] deferAcc;
    long deferBase, deferSlots;
    /** Whether this worker is summing deferred adds, and whether it has tried to start. */
    boolean deferOn, deferTried;
    /** Adds summed instead of made, and words added to memory from the sums ({@link AddDefer}; statistics). */
    long deferAdds, deferFlushed;
    /** Arm loops whose 32-bit shared loads were checked once ({@link ArmShared}). */
    long armShared;
    /** Lockstep global stores of an arm's lane loop written with one copy ({@link StoreBulk}; statistics). */
    long storeBulk;
    /** {@link LaneBulk}'s scratch arrays, one per hoisted global site (allocated when first used). */
    Object[] lbulk;
    /** {@link LoopBulk}'s scratch arrays, one per global site of the kernel (allocated when first used). */
    Object[] lloopBulk;
    /**
     * Per constant-address shared group of the kernel ({@link SharedAffine#fitsCached}): 0 not checked yet, 1 inside
     * the window for this launch's block size, 2 not.
     */
    final byte[] sharedOk;
    /**
     * {@link SharedAffine#predRange}'s memo for this launch's block shape: {@link SharedAffine#PRED_MEMO} slots of
     * four key ints (a0, cx, b, op | unsigned · 16 | want · 32; the last -1 while empty) and their results.
     */
    final int[] predKeys = SharedAffine.emptyPredKeys();
    final long[] predVals = new long[SharedAffine.PRED_MEMO];

    final long[] ret = new long[256];
    final ThreadExit exit = new ThreadExit();
    final List<String> out = new ArrayList<>();
    final List<Long> outBlock = new ArrayList<>();

    Exec(Launch launch, int worker) {
        this.launch = launch;
        this.worker = worker;
        this.workers = launch.workers;
        this.gridId = launch.id;
        CompiledKernel k = launch.kernel;
        armChainTable = k.armChains;
        warp0Table = k.warp0Regions;
        inputFuseTable = k.inputFuses;
        ntx = launch.config.block().x();
        nty = launch.config.block().y();
        ntz = launch.config.block().z();
        nthreads = ntx * nty * ntz;
        ncx = launch.config.grid().x();
        ncy = launch.config.grid().y();
        ncz = launch.config.grid().z();
        params = launch.params;
        paramSize = launch.paramSize;
        dynShared = launch.config.dynamicSharedBytes();
        sharedSize = k.dynamicSharedOffset + (long) dynShared;
        shared = new int[(int) ((Math.max(sharedSize, k.staticSharedBytes) + 7) / 8 * 2)];
        localSize = k.localWindow;
        boolean lock = launch.lockstep;
        localCount = k.suspends || lock ? nthreads : 1;
        local = new int[(int) ((localSize * localCount + 7) / 8 * 2)];
        lbase = 0;
        paramSlots0 = Mem.slots(paramSize, 0);
        paramSlots1 = Mem.slots(paramSize, 1);
        paramSlots2 = Mem.slots(paramSize, 2);
        paramSlots3 = Mem.slots(paramSize, 3);
        sharedSlots0 = Mem.slots(sharedSize, 0);
        sharedSlots1 = Mem.slots(sharedSize, 1);
        sharedSlots2 = Mem.slots(sharedSize, 2);
        sharedSlots3 = Mem.slots(sharedSize, 3);
        localSlots0 = Mem.slots(localSize, 0);
        localSlots1 = Mem.slots(localSize, 1);
        localSlots2 = Mem.slots(localSize, 2);
        localSlots3 = Mem.slots(localSize, 3);
        sites = new SiteCache[k.siteSizes.length];
        coldSetup = ColdLaunch.ENABLED;
        if (coldSetup) {
            ColdLaunch.sites(this, sites, k.siteSizes, k.siteGeneric);
        } else {
            for (int i = 0; i < sites.length; i++) {
                sites[i] = new SiteCache(this, Integer.numberOfTrailingZeros(k.siteSizes[i]), k.siteGeneric[i], i);
            }
        }
        if (k.affine != null) {
            affineStack = new long[4 * AffineSites.MAX_OPS + 8];
            affineResult = new long[4 * k.affine.programs()];
        } else {
            affineStack = affineResult = null;
        }
        VectorPaths vp = k.paths != null ? k.paths.vector : null;
        vnx = ntx;
        vny = nty;
        vnz = ntz;
        vn = nthreads;
        if (vp != null) {
            vregs = new Object[vp.arrayKinds.length];
            int len = Math.max(nthreads, GridRows.lanes(this));
            for (int i = 0; i < vregs.length; i++) {
                vregs[i] = switch (vp.arrayKinds[i]) {
                    case 'J' -> new long[len];
                    case 'F' -> new float[len];
                    case 'D' -> new double[len];
                    case 'I' -> new int[len];
                    default -> null;
                };
            }
        } else {
            vregs = null;
        }
        if (lock) {
            lregs = new Object[k.lockRegKinds.length];
            lregI = new int[lregs.length][];
            lregJ = new long[lregs.length][];
            lregF = new float[lregs.length][];
            lregD = new double[lregs.length][];
            if (coldSetup) {
                ColdLaunch.lockRegs(k.lockRegKinds, nthreads, lregs, lregI, lregJ, lregF, lregD);
            } else {
                for (int i = 0; i < lregs.length; i++) {
                    lregs[i] = switch (k.lockRegKinds[i]) {
                        case 'J' -> new long[nthreads];
                        case 'F' -> new float[nthreads];
                        case 'D' -> new double[nthreads];
                        default -> new int[nthreads];
                    };
                }
                for (int i = 0; i < lregs.length; i++) {
                    switch (lregs[i]) {
                        case int[] a -> lregI[i] = a;
                        case long[] a -> lregJ[i] = a;
                        case float[] a -> lregF[i] = a;
                        case double[] a -> lregD[i] = a;
                        default -> throw new IllegalStateException();
                    }
                }
            }
            lnb = new int[nthreads];
            lgroups = new int[(nthreads + 31) / 32];
            latBar = new byte[nthreads];
            lidx = new int[nthreads];
            luni = new long[k.lockRegKinds.length];
            sharedOk = new byte[k.sharedGroups];
        } else {
            sharedOk = null;
            lidx = null;
            luni = null;
            lregs = null;
            lregI = null;
            lregJ = null;
            lregF = null;
            lregD = null;
            lnb = null;
            lgroups = null;
            latBar = null;
        }
        if (k.suspends || lock) {
            spill = k.suspends ? new long[Math.max(1, k.regSlots * nthreads)] : null;
            opA = new long[nthreads];
            opB = new long[nthreads];
            opC = new long[nthreads];
            resA = new long[nthreads];
            opMask = new int[nthreads];
            resB = new int[nthreads];
            rp = new int[nthreads];
            run = new byte[nthreads];
            state = new byte[nthreads];
            if (coldSetup) {
                ColdLaunch.Tids tt = ColdLaunch.tids(k, ntx, nty, ntz);
                tidX = tt.x();
                tidY = tt.y();
                tidZ = tt.z();
            } else {
                tidX = new int[nthreads];
                tidY = new int[nthreads];
                tidZ = new int[nthreads];
                for (int i = 0; i < nthreads; i++) {
                    tidX[i] = i % ntx;
                    tidY[i] = (i / ntx) % nty;
                    tidZ[i] = i / (ntx * nty);
                }
            }
        } else {
            spill = opA = opB = opC = resA = null;
            opMask = resB = rp = tidX = tidY = tidZ = null;
            state = run = null;
        }
    }

    DeviceMemory.Snapshot memory() {
        return launch.memory.snapshot();
    }

    /** Sets the current thread (for device functions, local memory and diagnostics). */
    void thread(int linear) {
        t = linear;
        if (tidX != null) {
            tx = tidX[linear];
            ty = tidY[linear];
            tz = tidZ[linear];
        } else {
            tx = linear % ntx;
            int rest = linear / ntx;
            ty = rest % nty;
            tz = rest / nty;
        }
        lbase = localCount == 1 ? 0 : (long) linear * localSize;
        sp = launch.kernel.localFrame;
    }

    /** {@link #thread} for a lockstep lane index (ignored when it is past the block: the fault is not a lane's). */
    void lane(int linear) {
        if (linear >= 0 && linear < nthreads) thread(linear);
    }

    /** The fault, with the instruction that raised it appended. */
    KernelFault fault(KernelFault f, int site) {
        if (site < 0 || site >= launch.kernel.siteNames.length) return f;
        return new KernelFault(f.result(), f.getMessage() + " at " + launch.kernel.siteNames[site]);
    }

    /** The fault, with the kernel, block and thread that raised it appended. */
    KernelFault located(KernelFault f) {
        return new KernelFault(f.result(), f.getMessage() + " (kernel " + launch.kernel.name + ", block (" + cx + ","
                + cy + "," + cz + "), thread (" + tx + "," + ty + "," + tz + "))");
    }

    /** Selects block number {@code b} (x fastest). */
    void block(long b) {
        blockLinear = b;
        cx = (int) (b % ncx);
        long rest = b / ncx;
        cy = (int) (rest % ncy);
        cz = (int) (rest / ncy);
    }

    KernelFault outside(String space, long offset, int size, long limit) {
        return KernelFault.illegalAddress(space + " address 0x" + Long.toHexString(offset) + " (" + size
                + " bytes) is outside the " + limit + "-byte " + space + " window");
    }

    /** Thrown by {@code exit} inside a device function; caught where the thread's kernel code runs. */
    static final class ThreadExit extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ThreadExit() {
            super("exit", null, false, false);
        }
    }
}
