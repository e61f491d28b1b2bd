package org.transcuda.backend.cpu;

import org.transcuda.backend.cpu.CompiledKernel.SuspendPoint;
import org.transcuda.cuda.CUresult;

/**
 * The lockstep engine's runtime: the block's threads execute the kernel together, one instruction at a time
 * over all active threads (SIMT over arrays), with each register an array indexed by the thread's linear index
 * ({@link Exec#lregs}). The compiled code ({@link KernelCode#lockBlock}) loops over the threads per instruction
 * (straight runs of register-only instructions share one loop); this class does what is not per thread:
 *
 * <ul>
 * <li>Divergence: the kernel's code is cut into segments (its basic blocks, and the rest of a block after each
 * barrier), numbered in layout order. While all threads of the block are active ({@link Exec#lfull}) the code runs
 * without masks and uniform branches are plain jumps; a branch that splits the threads stores each active thread's
 * next segment in {@link Exec#lnb} and {@link #schedule} runs the lowest-numbered segment that some thread waits
 * at, with the threads waiting there as the active set ({@link Exec#lact}). Threads on the two sides of an
 * if/else or leaving a loop at different iterations thus meet again at the first segment they share; this works
 * for any control flow graph (no structurizer), and is exact for any schedule because threads of a block only
 * interact through barriers, warp collectives and memory (races excepted, as on a GPU).</li>
 * <li>Barriers ({@code bar.sync 0}): with every thread active a barrier is complete where it stands (everything
 * before it has been executed by all threads); otherwise the arriving threads wait ({@link Exec#latBar}) until no
 * thread can run any more, and all waiting threads are released together ({@link #barrier}).</li>
 * <li>Warp collectives are array operations over each warp's active threads: {@link #collective} takes the
 * operands the code stored per thread in {@code Exec.op*}, completes them with {@link BlockScheduler#complete}
 * (the same semantics as the thread engine: shuffle segments, clamps and out-of-range rules, member masks) and
 * leaves the results in {@code Exec.resA/resB}.</li>
 * </ul>
 * Kernels the engine does not take are listed in {@link KernelCompiler}'s {@code lockstepRefusal}; they run on the
 * thread engine.
 */
final class Lockstep {
    /** {@link Exec#lnb} of a thread that has exited (larger than any segment, so never scheduled). */
    static final int EXITED = Integer.MAX_VALUE;

    private Lockstep() {
    }

    /** Runs the current block of {@code e}. */
    static void run(Exec e) {
        java.util.Arrays.fill(e.latBar, 0, e.nthreads, (byte) 0);
        e.lfull = 1;
        e.llive = e.nthreads;
        e.launch.kernel.code.lockBlock(e);
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
        byte[] act = e.lact;
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
        for (int t = 0; t < n; t++) {
            boolean a = nb[t] == min && atBar[t] == 0;
            act[t] = (byte) (a ? 1 : 0);
            if (a) count++;
        }
        e.lfull = count == n ? 1 : 0;
        return min;
    }

    /**
     * A barrier executed by the active threads while not all threads are active: returns 1 when every live thread
     * is active (the barrier is complete, run on), else makes the active threads wait with {@code next} as their
     * next segment and returns 0 (the code then goes to {@link #schedule}).
     */
    static int barrier(Exec e, int next) {
        int n = e.nthreads;
        byte[] act = e.lact;
        int count = 0;
        for (int t = 0; t < n; t++) count += act[t];
        if (count == e.llive) return 1;
        int[] nb = e.lnb;
        byte[] atBar = e.latBar;
        for (int t = 0; t < n; t++) {
            if (act[t] != 0) {
                nb[t] = next;
                atBar[t] = 1;
            }
        }
        return 0;
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
        byte[] act = e.lact;
        int[] nb = e.lnb;
        for (int base = 0; base < n; base += 32) {
            int lanes = Math.min(32, n - base);
            int exists = lanes == 32 ? -1 : (1 << lanes) - 1;
            int group;
            int exited = 0;
            if (full != 0) {
                group = exists;
            } else {
                group = 0;
                for (int l = 0; l < lanes; l++) {
                    if (act[base + l] != 0) group |= 1 << l;
                    else if (nb[base + l] == EXITED) exited |= 1 << l;
                }
                if (group == 0) continue;
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
}
