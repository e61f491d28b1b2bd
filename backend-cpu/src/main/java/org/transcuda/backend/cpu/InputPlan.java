package org.transcuda.backend.cpu;

/**
 * Lockstep engine: {@link InputFuse#run}'s per-block entry from a per-launch, per-worker memo. The entry's decisions
 * (a one-dimensional block of all its threads, the thread-constant bits needed, each arm's range all threads or none,
 * each non-empty arm's site program and offset, the stored words inside the shared window) depend only on the launch
 * and worker — the block shape, the kernel's chain, the worker's shared window — and on four per-block values: the
 * arms' range words, the block's site-check mask {@link Exec#lglob}, {@link Exec#lfull}, {@link Exec#lconst}, and
 * the sites' per-thread strides. After the first block of a worker whose chain ran the general entry to its pass,
 * {@link #remember} keeps what that entry decided in the worker's {@link Exec} (a fresh one per launch); a later block
 * of the same chain runs {@link #run}: its range words equal to the memo's, every site bit the memo needed set in
 * this block's mask (the same per-block check of every thread's access that the general entry reads), all threads
 * active, the thread-constant bits set, each site's thread stride 4: then only its site addresses (block base plus
 * the site's offset) are computed and the pass runs. Any other block (a partial last block, a failed site check, a
 * different range) goes through the general entry, which declines exactly as before (so faults keep their block,
 * thread and instruction) or makes the memo again. Same pass, same bits. Counted in {@link Exec#inputPlans} (and in
 * {@link Exec#inputFuses} like every fused block). {@code -Dtranscuda.cpu.inputPlan=false} turns it off.
 */
final class InputPlan {
    /** On unless {@code -Dtranscuda.cpu.inputPlan=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.inputPlan"));

    private InputPlan() {
    }

    /**
     * The general entry of chain {@code id} passed for the current block with range words {@code r0, r1}, site
     * addresses {@code a0, a1} (-1: empty arm), thread-constant bits {@code need} and first stored word {@code w0}:
     * keep its decisions for the worker's later blocks.
     */
    static void remember(Exec e, int id, InputFuse.Region g, long r0, long r1, long a0, long a1, long need, int w0) {
        AffineSites a = e.launch.kernel.affine;
        long mask = 0;
        int p0 = -1, p1 = -1;
        long o0 = 0, o1 = 0;
        if (a0 >= 0) {
            int j = g.site[0];
            mask |= 1L << j;
            p0 = 4 * a.prog[j];
            o0 = a.offset[j];
        }
        if (a1 >= 0) {
            int j = g.site[1];
            mask |= 1L << j;
            p1 = 4 * a.prog[j];
            o1 = a.offset[j];
        }
        e.ipR0 = r0;
        e.ipR1 = r1;
        e.ipMask = mask;
        e.ipNeed = need;
        e.ipP0 = p0;
        e.ipP1 = p1;
        e.ipOff0 = o0;
        e.ipOff1 = o1;
        e.ipW0 = w0;
        e.ipId = id;
    }

    /** Chain {@code g} (the memo's) for the current block from the memo: the segment after the barrier, or -1. */
    static int run(Exec e, InputFuse.Region g, long r0, long r1) {
        if (r0 != e.ipR0 || r1 != e.ipR1 || e.lfull == 0) return -1;
        long mask = e.ipMask, need = e.ipNeed;
        if ((e.lglob & mask) != mask || (e.lconst & need) != need) return -1;
        long[] res = e.affineResult;
        long a0 = -1, a1 = -1;
        int p = e.ipP0;
        if (p >= 0) {
            if (res[p + 1] != 4 && e.ntx != 1) return -1;
            a0 = res[p] + e.ipOff0;
        }
        p = e.ipP1;
        if (p >= 0) {
            if (res[p + 1] != 4 && e.ntx != 1) return -1;
            a1 = res[p] + e.ipOff1;
        }
        int[] sh = e.shared;
        int n = e.nthreads;
        if (g.kind.length == 1) {
            InputFuse.one(g.kind[0], g.init, a0, sh, e.ipW0, n);
        } else {
            InputFuse.two(g.kind[0], g.kind[1], g.init, a0, a1, sh, e.ipW0, n);
        }
        e.inputFuses++;
        e.inputPlans++;
        return g.next;
    }
}
