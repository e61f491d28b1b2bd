package org.transcuda.backend.cpu;

import java.util.List;

/**
 * A kernel compiled to JVM bytecode by {@link KernelCompiler}, with what a launch needs to run it. Immutable;
 * cached per loaded module.
 */
final class CompiledKernel {
    /** The kernel's name. */
    final String name;
    /** The hidden class instance. */
    final KernelCode code;
    /** True when the kernel has suspension points (run by {@link BlockScheduler} through {@code step}). */
    final boolean suspends;
    /** The suspension points, indexed by resume point (index 0 unused). */
    final List<SuspendPoint> points;
    /** The kind of each suspension point (array copy of {@code points} for the scheduler's inner loop). */
    final int[] pointKinds;
    /** The mode of each suspension point. */
    final int[] pointModes;
    /** True when every suspension point is a plain {@code bar.sync 0} for all threads (the scheduler's fast path). */
    final boolean simpleBarriers;
    /** Spill slots per thread (the kernel's register count). */
    final int regSlots;
    /** Access size of each memory instruction ("site"). */
    final int[] siteSizes;
    /** Whether each site addresses generic (else global/const) memory. */
    final boolean[] siteGeneric;
    /** Each site's instruction and source position, for fault messages. */
    final String[] siteNames;
    /** Bytes of static shared memory the kernel uses. */
    final long staticSharedBytes;
    /** Where dynamic shared memory starts in the block's shared window. */
    final long dynamicSharedOffset;
    /** Bytes of the kernel's own {@code .local} variables; device-function frames are stacked after them. */
    final int localFrame;
    /** Bytes of local memory per thread (kernel frame + call stack). */
    final long localWindow;
    /** Largest block the kernel accepts. */
    final int maxThreads;
    /** [base, end) pairs of the module's const variables, for {@code isspacep.const}. */
    final long[] constRanges;
    /** Why the kernel has no lockstep code ({@link KernelCode#lockBlock}); null when it has. */
    final String lockRefusal;
    /** The kind of each register ('I', 'J', 'F', 'D'), for the lockstep engine's register arrays. */
    final char[] lockRegKinds;
    /** The thread-index tables of the last block shape launched ({@link ColdLaunch#tids}). */
    volatile ColdLaunch.Tids tids;
    /** {@link LaunchForms#kept}: the forms of the last launches (four, oldest replaced first; under its lock). */
    final Object[] keptForms = new Object[4];
    int keptNext;
    /** The global accesses {@code runBlock} checks once per block; null when none. */
    final AffineSites affine;
    /** The paths {@code vecBlock} runs; null when the kernel has none. */
    final UniformPaths paths;
    /**
     * The kernel's own tables of lockstep fast paths, indexed by the ids its generated code passes ({@link ArmChain},
     * {@link Warp0Chain}, {@link InputFuse}; empty when it has none); each launch's {@link Exec} copies them.
     */
    final ArmChain.Chain[] armChains;
    final Warp0Chain.Region[] warp0Regions;
    final InputFuse.Region[] inputFuses;

    /**
     * Lockstep: the shared-access groups with constant affine addresses ({@link SharedAffine}) whose whole-block
     * check each worker caches per launch ({@link Exec#sharedOk}); set once, before the kernel is used.
     */
    int sharedGroups;
    /** Shared sites compiled without the window check ({@link SharedRange}); set once, before the kernel is used. */
    int sharedInWindow;
    /** Per site: an unread global add that {@link AddDefer} sums per worker (null: the kernel has none). */
    boolean[] deferSite;

    CompiledKernel(String name, KernelCode code, boolean suspends, List<SuspendPoint> points, int regSlots,
            int[] siteSizes, boolean[] siteGeneric, String[] siteNames, long staticSharedBytes,
            long dynamicSharedOffset, int localFrame, long localWindow, int maxThreads, long[] constRanges,
            String lockRefusal, char[] lockRegKinds, AffineSites affine, UniformPaths paths, ArmChain.Chain[] armChains,
            Warp0Chain.Region[] warp0Regions, InputFuse.Region[] inputFuses) {
        this.name = name;
        this.code = code;
        this.suspends = suspends;
        this.points = List.copyOf(points);
        this.pointKinds = points.stream().mapToInt(SuspendPoint::kind).toArray();
        this.pointModes = points.stream().mapToInt(SuspendPoint::mode).toArray();
        this.simpleBarriers = points.stream().skip(1).allMatch(p -> p.kind() == SuspendPoint.BARRIER
                && p.mode() == org.transcuda.ir.Inst.BarrierKind.SYNC.ordinal() && p.constId() == 0
                && p.constThreads() == -1);
        this.regSlots = regSlots;
        this.siteSizes = siteSizes;
        this.siteGeneric = siteGeneric;
        this.siteNames = siteNames;
        this.staticSharedBytes = staticSharedBytes;
        this.dynamicSharedOffset = dynamicSharedOffset;
        this.localFrame = localFrame;
        this.localWindow = localWindow;
        this.maxThreads = maxThreads;
        this.constRanges = constRanges;
        this.lockRefusal = lockRefusal;
        this.lockRegKinds = lockRegKinds;
        this.affine = affine;
        this.paths = paths;
        this.armChains = armChains;
        this.warp0Regions = warp0Regions;
        this.inputFuses = inputFuses;
    }

    /**
     * A suspension point: where a thread waits for others of its block or warp. {@code kind} is one of the
     * constants below; {@code mode} the barrier kind, shuffle/vote mode or reduction op (ordinals of the IR
     * enums); {@code signed} for signed reductions; {@code where} the instruction, for messages; for barriers
     * with constant operands {@code constId} (else -1) and {@code constThreads} (-1 for all threads, else the
     * count; {@link #DYNAMIC} when not constant), which the code then does not store per thread; for shuffles
     * whose {@code b} and {@code c} operands are constants (or registers whose only definition is a {@code mov}
     * of a constant) {@code shuffleSource}, each lane's source lane (-1: out
     * of range, the lane keeps its own value and the predicate is false), else null (the code stores b and c per
     * thread).
     */
    record SuspendPoint(int kind, int mode, boolean signed, String where, int constId, long constThreads,
            int[] shuffleSource) {
        /** {@code constThreads} when the thread count is not a constant. */
        static final long DYNAMIC = -2;

        SuspendPoint(int kind, int mode, boolean signed, String where) {
            this(kind, mode, signed, where, -1, DYNAMIC, null);
        }

        SuspendPoint(int kind, int mode, boolean signed, String where, int constId, long constThreads) {
            this(kind, mode, signed, where, constId, constThreads, null);
        }

        static final int BARRIER = 1, SHUFFLE = 2, VOTE = 3, MATCH_ANY = 4, MATCH_ALL = 5, REDUX = 6,
                ACTIVEMASK = 7, WARPSYNC = 8;
    }
}
