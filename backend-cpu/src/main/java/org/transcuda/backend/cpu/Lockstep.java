package org.transcuda.backend.cpu;

import java.lang.foreign.MemorySegment;
import org.transcuda.backend.cpu.CompiledKernel.SuspendPoint;
import org.transcuda.cuda.CUresult;

/**
 * The lockstep engine's runtime: the block's threads execute the kernel together, one instruction at a time
 * over all active threads (SIMT over arrays), with each register an array indexed by the thread's linear index
 * ({@link Exec#lregs}). The compiled code ({@link KernelCode#lockBlock}, one static method per segment) runs each
 * straight run of per-thread statements as one loop over the active threads ({@link Exec#lidx}), so a thread runs
 * the run before the next thread starts it, as on the thread engine; block-uniform values are computed once. While
 * every thread is active, a run whose shared accesses have addresses affine in the thread index ({@link
 * SharedAffine}: {@code base + cx·tid.x + cy·tid.y + cz·tid.z} with constant coefficients and a block-uniform base,
 * such as matmul's {@code As[ty][k]} and {@code Bs[k][tx]}) checks each group of them once for the whole block and
 * then runs as a loop nest over {@code tid.z, tid.y, tid.x} (the same thread order) in which those accesses index
 * the shared array directly; when a check fails, or not every thread is active, the loop with per-access checks runs
 * instead, so faults keep their thread and instruction ({@code -Dtranscuda.cpu.simd=false}: always the latter). Where
 * such a run has only register operations and those shared loads, its {@code tid.x} loop steps by 4 threads and runs
 * each statement for the 4 in turn, so that their dependent chains (matmul's 16 {@code fma}) overlap ({@link
 * LaneJam}; each thread's own operations keep their order). An
 * if-converted triangle whose predicate compares a value affine in {@code tid.x} with a block-uniform one (reduce's
 * {@code if (t < stride)}; also an equality, {@code if (t == 0)}: one thread, or {@code t != j} with j at either end)
 * runs, in a one-dimensional block with every thread active, its arm over the range of threads that take it ({@link
 * SharedAffine#predRange}: closed form, memoized per launch) instead of testing the predicate for
 * every thread, with the arm's shared accesses checked once for that range. Global loads and stores whose
 * address is affine in the thread index ({@link AffineSites}, the thread engine's analysis) are checked once per
 * block, for all its threads, when the block starts, and run without their per-access check in every lane loop of
 * the block, divergent or not; a site whose check fails keeps the checked access ({@code
 * -Dtranscuda.cpu.lockglob=false}: all do); such a load whose addresses are consecutive elements in thread order is
 * read for a lane loop's threads with one {@code MemorySegment.copy} before the loop, when the loop writes no memory
 * that a global load can see ({@link LaneBulk}, {@code -Dtranscuda.cpu.laneBulk=false}). Other global loads and stores of a lane loop (addresses that a loop
 * advances, such as matmul's tile loads through {@code %rd18 += 64} and histogram's grid-stride {@code data[i]}) are
 * checked once per lane loop: a prescan over the loop's threads computes their addresses' range, one check decides
 * for all of them, and a failed check keeps the per-access checks ({@link LoopChecks}, {@code
 * -Dtranscuda.cpu.loopChecks=false}). An f32 {@code add/sub/mul/div/fma} whose result lives in one lane loop and
 * feeds only such operations leaves its NaN raw; the operation that ends the chain canonicalizes it ({@code
 * -Dtranscuda.cpu.lsimd=false}: every operation canonicalizes). The
 * optional coalesced path ({@code -Dtranscuda.cpu.bulk=true}) instead gives global loads and stores their own
 * step: while all threads are active, each run of consecutive addresses is checked once and copied with one
 * {@code MemorySegment.copy} ({@link #ld}, {@link #st}); anything else takes the per-thread checked loop. This
 * class does what is not per thread:
 *
 * <ul>
 * <li>Divergence: the kernel's code is cut into segments (its basic blocks, and the rest of a block after each
 * barrier), numbered in layout order. While all threads of the block are active ({@link Exec#lfull}) the code runs
 * without masks and uniform branches are plain jumps; a branch that splits the threads stores each active thread's
 * next segment in {@link Exec#lnb} and {@link #schedule} runs the lowest-numbered segment that some thread waits
 * at, with the threads waiting there as the active set ({@link Exec#lidx}); a branch that splits threads that were
 * all active lists the threads of its lower target itself and runs it without a scheduler pass; while not all threads
 * are active, a jump of the active threads to a segment below every other waiting thread ({@link Exec#lnext}) runs it
 * at once, and a jump to where all the other threads wait after such a split ({@link Exec#lrest}) makes every thread
 * active again ({@link #rejoin}), both without a scheduler pass ({@code -Dtranscuda.cpu.divJump=false}: always a
 * pass); scan's {@code if (warp == 0)} block scan thus costs one split and no pass. A split of every thread at a
 * branch whose predicate selects a range of {@code tid.x} (scan's {@code warp == 0}) is done by range, without the
 * loop over the threads ({@link RangeSplit}, {@code -Dtranscuda.cpu.rangeSplit=false}). A branch whose arms
 * are short blocks that rejoin at once ({@link IfConversion}) does not split the threads at all: the segment runs
 * each active thread's arm in its own lane loop (fused with the loop of the segment's last run) and all go on to the
 * join. While every thread is active, the last run's loop also counts the threads that take the segment's
 * conditional branch, and a loop that is one segment jumps back inside its method. Threads on the two sides of an
 * if/else or leaving a loop at different iterations thus meet again at the first segment they share; this works
 * for any control flow graph (no structurizer), and is exact for any schedule because threads of a block only
 * interact through barriers, warp collectives and memory (races excepted, as on a GPU).</li>
 * <li>Barriers ({@code bar.sync 0}): with every thread active a barrier is complete where it stands (everything
 * before it has been executed by all threads); otherwise the arriving threads wait ({@link Exec#latBar}) until no
 * thread can run any more, and all waiting threads are released together ({@link #barrier}).</li>
 * <li>Warp collectives are array operations over each warp's active threads: {@link #collective} takes the
 * operands the code stored per thread in {@code Exec.op*}, completes them with {@link BlockScheduler#complete}
 * (the same semantics as the thread engine: shuffle segments, clamps and out-of-range rules, member masks) and
 * leaves the results in {@code Exec.resA/resB}. A shuffle whose source lanes are compile-time constants runs, while
 * every thread is active, as one generated loop that copies between the register arrays ({@link #shuffleSource}); a
 * shuffle whose sources are a shift ({@code shfl.up/down} over whole warps, with a constant delta or one held in a
 * register that is equal in every active thread, such as a {@code d <<= 1} loop's) runs as block-wide array copies
 * ({@link WarpShuffle}) while every thread is active in a block of whole warps, and in divergent code whose active
 * threads are whole warps (scan's warp 0), where no member mask can name a lane on another path;
 * {@code -Dtranscuda.cpu.warpVec=false} turns that off. A predicate output that the kernel never reads is not
 * written.</li>
 * </ul>
 * Kernels the engine does not take are listed in {@link KernelCompiler}'s {@code lockstepRefusal}; they run on the
 * thread engine.
 */
final class Lockstep {
    /** {@link Exec#lnb} of a thread that has exited (larger than any segment, so never scheduled). */
    static final int EXITED = Integer.MAX_VALUE;
    /** Results of a segment method besides the next segment: ask {@link #schedule}; every thread exited. */
    static final int SCHEDULE = -2, DONE = -1;

    private Lockstep() {
    }

    /**
     * {@code -Dtranscuda.cpu.lazyReset=false}: every block starts by clearing {@link Exec#latBar} and refilling
     * {@link Exec#lidx} with the identity, instead of only after a block that did not end with every thread active.
     */
    static final boolean LAZY_RESET = !"false".equals(System.getProperty("transcuda.cpu.lazyReset"));

    /**
     * Runs the current block of {@code e}. The barrier flags and the active list are reset only when the block
     * before (on this worker) did not end normally with every thread active ({@link Exec#lclean}): while
     * {@link Exec#lfull} is 1 the active list is the identity and no thread waits at a barrier, because only
     * {@link #run}, {@link #rejoin} and {@link #schedule} set it to 1, each with the identity list and no flag
     * set (schedule lists every thread only when none waits at a barrier), and the compiled code clears it before
     * it lists threads itself, while {@link #barrier} flags threads only while it is 0.
     */
    static void run(Exec e) {
        int n = e.nthreads;
        if (!e.lclean || !LAZY_RESET) {
            java.util.Arrays.fill(e.latBar, 0, n, (byte) 0);
            int[] idx = e.lidx;
            for (int t = 0; t < idx.length; t++) idx[t] = t;
        }
        e.lclean = false;
        e.pmSerial++; // PtrStep: no record of an earlier block counts
        e.lcount = n;
        e.lfull = 1;
        e.llive = n;
        e.lnext = EXITED;
        e.lrest = 0;
        e.launch.kernel.code.lockBlock(e);
        // a fault leaves lclean false: the next block resets everything
        e.lclean = e.lfull == 1;
    }

    /**
     * A jump of the active threads to segment {@code seg} while not all are active: true when it makes every
     * thread active again (every other thread waits at {@code seg}, {@link Exec#lrest}; the active list becomes the
     * identity), so the caller runs {@code seg} at once; false when a scheduler pass must decide.
     */
    static boolean rejoin(Exec e, int seg) {
        if (seg != e.lnext || e.lrest == 0) return false;
        int n = e.nthreads;
        int[] idx = e.lidx;
        for (int t = 0; t < n; t++) idx[t] = t;
        e.lcount = n;
        e.lfull = 1;
        e.lnext = EXITED;
        e.lrest = 0;
        return true;
    }

    /**
     * The next segment to run: the lowest-numbered one that a thread not waiting at a barrier waits at, with those
     * threads marked active; when every live thread waits at a barrier, the barrier completes and they all run
     * on. Returns -1 when every thread has exited. Sets {@link Exec#lfull}.
     */
    static int schedule(Exec e) {
        int n = e.nthreads;
        int[] nb = e.lnb;
        byte[] atBar = e.latBar;
        int min = EXITED;
        int live = 0;
        for (int t = 0; t < n; t++) {
            int s = nb[t];
            if (s == EXITED) continue;
            live++;
            if (atBar[t] == 0 && s < min) min = s;
        }
        e.llive = live;
        if (live == 0) return -1;
        if (min == EXITED) {
            // every live thread waits at a barrier: it completes
            for (int t = 0; t < n; t++) {
                atBar[t] = 0;
                int s = nb[t];
                if (s < min) min = s;
            }
        }
        int count = 0;
        int next = EXITED;
        int[] idx = e.lidx;
        for (int t = 0; t < n; t++) {
            if (atBar[t] != 0) continue;
            int s = nb[t];
            if (s == min) idx[count++] = t;
            else if (s < next) next = s;
        }
        e.lcount = count;
        e.lnext = next;
        e.lrest = 0;
        e.lfull = count == n ? 1 : 0;
        return min;
    }

    /**
     * A barrier executed by the active threads while not all threads are active: returns 1 when every live thread
     * is active (the barrier is complete: returns {@code next}), else makes the active threads wait with
     * {@code next} as their next segment and returns {@link #SCHEDULE}.
     */
    static int barrier(Exec e, int next) {
        int count = e.lcount;
        if (count == e.llive) return next;
        int[] nb = e.lnb;
        int[] idx = e.lidx;
        byte[] atBar = e.latBar;
        for (int i = 0; i < count; i++) {
            int t = idx[i];
            nb[t] = next;
            atBar[t] = 1;
        }
        return SCHEDULE;
    }

    /**
     * Warp collective {@code k} (a {@link SuspendPoint} of the kernel) executed by the active threads, per warp.
     * A member mask must name only lanes that execute the collective with this one or have exited (CUDA leaves
     * anything else undefined); a lane named by a member mask that is still running elsewhere in the kernel is
     * reported as CUDA_ERROR_LAUNCH_FAILED naming the instruction instead of giving a guessed result.
     */
    static void collective(Exec e, int k, int full) {
        SuspendPoint p = e.launch.kernel.points.get(k);
        int n = e.nthreads;
        int[] nb = e.lnb;
        int[] groups = e.lgroups;
        if (full == 0) {
            java.util.Arrays.fill(groups, 0);
            int[] idx = e.lidx;
            for (int i = 0; i < e.lcount; i++) groups[idx[i] >>> 5] |= 1 << (idx[i] & 31);
        }
        for (int base = 0; base < n; base += 32) {
            int lanes = Math.min(32, n - base);
            int exists = lanes == 32 ? -1 : (1 << lanes) - 1;
            int group;
            int exited = 0;
            if (full != 0) {
                group = exists;
            } else {
                group = groups[base >>> 5];
                if (group == 0) continue;
                for (int l = 0; l < lanes; l++) {
                    if ((group & (1 << l)) == 0 && nb[base + l] == EXITED) exited |= 1 << l;
                }
                if (p.kind() != SuspendPoint.ACTIVEMASK) {
                    for (int l = 0; l < lanes; l++) {
                        if ((group & (1 << l)) == 0) continue;
                        int need = e.opMask[base + l] & exists & ~exited;
                        if ((need & ~group) != 0) {
                            throw new KernelFault(CUresult.CUDA_ERROR_LAUNCH_FAILED, "lockstep engine: the member "
                                    + "mask 0x" + Integer.toHexString(e.opMask[base + l]) + " of lane " + l
                                    + " names lanes 0x" + Integer.toHexString(need & ~group)
                                    + " that are on another path of the kernel (run with -Dtranscuda.cpu.engine=thread "
                                    + "for independent thread scheduling) at " + p.where());
                        }
                    }
                }
            }
            BlockScheduler.complete(e, p, base, group);
        }
    }

    /** The compile-time source lanes of shuffle {@code k} (see {@link SuspendPoint#shuffleSource}). */
    static int[] shuffleSource(Exec e, int k) {
        return e.launch.kernel.points.get(k).shuffleSource();
    }

    // ---- coalesced global accesses (every thread active, consecutive addresses) ----

    /**
     * Bulk copies of the runs of consecutive addresses: {@code addr[t+1] = addr[t] + 2^k} within a run (a block's
     * row, or the whole block). Each run is checked once ({@link #inside}) and copied with one
     * {@code MemorySegment.copy} by {@code copy(from, a, count)}. Returns false, having copied nothing or only
     * whole runs (repeating them is harmless: the per-thread path then does every thread, in order), when a run is
     * not inside the allocation the site last hit, or when the runs are too short to pay (scattered accesses).
     */
    private static boolean runs(SiteCache c, long[] addr, long off, int n, int k, RunCopy copy) {
        int size = 1 << k;
        int t = 0;
        int runs = 0;
        while (t < n) {
            int end = t + 1;
            long next = addr[t] + size;
            while (end < n && addr[end] == next) {
                end++;
                next += size;
            }
            long a = addr[t] + off;
            if (++runs > (n >> 3) + 1 || !inside(c, a, end - t, k)) return false;
            copy.copy(t, a, end - t);
            t = end;
        }
        return true;
    }

    private interface RunCopy {
        void copy(int from, long a, int count);
    }

    /**
     * True when the {@code n} accesses of {@code 2^k} bytes from {@code a} are aligned and inside the allocation
     * the site last hit (one check for the whole range; anything else takes the per-thread path, which refills
     * the site cache or raises the fault at the first bad thread).
     */
    static boolean inside(SiteCache c, long a, int n, int k) {
        long off = a - c.base;
        return Long.compareUnsigned(Long.rotateRight(off, k), c.slots) < 0
                && Long.compareUnsigned((off >>> k) + n - 1, c.slots) < 0;
    }

    static boolean ld(SiteCache c, long[] addr, long off, int[] dst, int n) {
        return runs(c, addr, off, n, 2, (t, a, m) -> MemorySegment.copy(Mem.ALL, Mem.I32, a, dst, t, m));
    }

    static boolean ld(SiteCache c, long[] addr, long off, float[] dst, int n) {
        return runs(c, addr, off, n, 2, (t, a, m) -> MemorySegment.copy(Mem.ALL, Mem.F32, a, dst, t, m));
    }

    static boolean ld(SiteCache c, long[] addr, long off, long[] dst, int n) {
        return runs(c, addr, off, n, 3, (t, a, m) -> MemorySegment.copy(Mem.ALL, Mem.I64, a, dst, t, m));
    }

    static boolean ld(SiteCache c, long[] addr, long off, double[] dst, int n) {
        return runs(c, addr, off, n, 3, (t, a, m) -> MemorySegment.copy(Mem.ALL, Mem.F64, a, dst, t, m));
    }

    static boolean st(SiteCache c, long[] addr, long off, int[] src, int n) {
        return runs(c, addr, off, n, 2, (t, a, m) -> MemorySegment.copy(src, t, Mem.ALL, Mem.I32, a, m));
    }

    static boolean st(SiteCache c, long[] addr, long off, float[] src, int n) {
        return runs(c, addr, off, n, 2, (t, a, m) -> MemorySegment.copy(src, t, Mem.ALL, Mem.F32, a, m));
    }

    static boolean st(SiteCache c, long[] addr, long off, long[] src, int n) {
        return runs(c, addr, off, n, 3, (t, a, m) -> MemorySegment.copy(src, t, Mem.ALL, Mem.I64, a, m));
    }

    static boolean st(SiteCache c, long[] addr, long off, double[] src, int n) {
        return runs(c, addr, off, n, 3, (t, a, m) -> MemorySegment.copy(src, t, Mem.ALL, Mem.F64, a, m));
    }
}
