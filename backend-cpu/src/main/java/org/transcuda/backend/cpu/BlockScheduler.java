package org.transcuda.backend.cpu;

import java.util.List;
import org.transcuda.backend.cpu.CompiledKernel.SuspendPoint;
import org.transcuda.cuda.CUresult;
import org.transcuda.ir.Inst;
import org.transcuda.ir.Opcode;

/**
 * Runs one block of a kernel with suspension points on the calling worker thread. Threads are not Java
 * threads: each is a resume point ({@link Exec#rp}) plus registers in {@link Exec#spill}, advanced by the
 * compiled {@link KernelCode#stepBlock}, which runs every runnable thread until it suspends or exits.
 *
 * <p>Kernels whose only suspension points are plain {@code bar.sync 0} (all threads) take a fast path: every
 * round runs all live threads, each of which either exits or reaches a barrier, so a round ends with the
 * barrier complete; the scheduler does no per-thread work. In other kernels a warp collective completes inside
 * the round when the warp's last lane reaches it with every other live lane waiting there ({@link #warpArrived}):
 * the warp then runs on from its first lane, so shuffle loops cost no scheduling round each (a per-round budget
 * keeps a warp that spins on another warp from starving it). Otherwise rounds repeat and, after each, release
 * waiting threads in this order of preference:
 * <ol>
 * <li>warp collectives: per warp, the lanes waiting at the same suspension point form a group; the group
 * completes when every lane's member mask is covered by the group (lanes that exited or do not exist are
 * ignored), so lanes that reach a collective in different rounds (divergent code) wait for each other as
 * membermask demands;</li>
 * <li>CTA barriers ({@code bar.sync/arrive/red} with id and optional thread count): barrier {@code id}
 * completes when the threads arrived at it reach its count, or, without a count, every non-exited thread;
 * {@code bar.arrive} counts without waiting; {@code bar.red} reduces the arrived threads' predicates;</li>
 * <li>if neither can progress, collective groups whose mask is not covered complete with the lanes present
 * (undefined behaviour on NVIDIA hardware; this avoids a hang);</li>
 * <li>otherwise the block is deadlocked (e.g. {@code bar.sync} with a thread count never reached): the launch
 * fails with CUDA_ERROR_LAUNCH_FAILED naming the barrier, instead of hanging.</li>
 * </ol>
 * Collective semantics follow the PTX ISA: {@code shfl.sync} computes the source lane from {@code b} and the
 * clamp/segment mask in {@code c} (out-of-range lanes read their own value and get {@code valid = false});
 * {@code vote}, {@code match} and {@code redux} operate on the lanes of the group within the lane's member mask;
 * {@code activemask} is the group.
 */
final class BlockScheduler {
    static final byte RUNNABLE = 0, WAITING = 1, EXITED = 2;

    private BlockScheduler() {
    }

    static void run(Exec e) {
        CompiledKernel k = e.launch.kernel;
        List<SuspendPoint> points = k.points;
        int[] kinds = k.pointKinds;
        int n = e.nthreads;
        int[] rp = e.rp;
        byte[] run = e.run;
        byte[] state = e.state;
        java.util.Arrays.fill(rp, 0, n, 0);
        java.util.Arrays.fill(run, 0, n, (byte) 1);
        int[] arrivals = e.arrivals;
        java.util.Arrays.fill(arrivals, 0);
        boolean simple = k.simpleBarriers;
        if (simple) {
            // only plain bar.sync 0 for all threads: the compiled code runs every live thread each round and counts
            // the waiting ones; a round in which all live threads reached the barrier completes it
            do {
                k.code.stepBlock(e);
            } while (e.waiting > 0);
            return;
        }
        while (true) {
            e.inlineBudget = INLINE_BUDGET;
            k.code.stepBlock(e);
            // classify: exited (rp < 0), waiting at a barrier or at a collective
            int live = 0;
            int atBarrier = 0;
            int atCollective = 0;
            for (int t = 0; t < n; t++) {
                int r = rp[t];
                if (r < 0) {
                    state[t] = EXITED;
                    continue;
                }
                live++;
                state[t] = WAITING;
                if (kinds[r] == SuspendPoint.BARRIER) atBarrier++;
                else atCollective++;
            }
            if (live == 0) return;
            // common case: only plain bar.sync 0 (all threads) in the kernel, every live thread waits at one
            if (simple && atBarrier == live) {
                for (int t = 0; t < n; t++) {
                    if (rp[t] >= 0) run[t] = 1;
                }
                continue;
            }
            int released = 0;
            if (atCollective > 0) released = collectives(e, rp, state, kinds, points, true);
            if (released == 0 && atBarrier > 0) released = barriers(e, rp, state, kinds, points, live, arrivals);
            if (released == 0 && atCollective > 0) released = collectives(e, rp, state, kinds, points, false);
            if (released == 0) {
                StringBuilder where = new StringBuilder();
                for (int t = 0; t < n; t++) {
                    if (state[t] == WAITING) {
                        where.append(" thread ").append(t).append(" waits at ").append(points.get(rp[t]).where());
                        break;
                    }
                }
                throw new KernelFault(CUresult.CUDA_ERROR_LAUNCH_FAILED, "deadlock: " + live
                        + " threads of the block wait at barriers that cannot complete (a barrier in divergent code?):"
                        + where);
            }
            for (int t = 0; t < n; t++) {
                if (state[t] == RUNNABLE) run[t] = 1;
            }
        }
    }

    /**
     * Completions of warp collectives inside one round ({@link #warpArrived}); bounded so that a round always
     * ends (a warp spinning on a flag that another warp of the block sets must let that warp run).
     */
    static final int INLINE_BUDGET = 4096;

    /**
     * Called by compiled code when thread {@code t} suspended at warp collective {@code k}: if {@code t} is the
     * last lane of its warp and every lane that has not exited waits at {@code k} (the scheduler's fast path), the
     * collective completes now, the warp's lanes become runnable and the caller continues the round from the
     * warp's first lane (returns true). Otherwise the lanes wait for the end of the round.
     */
    static boolean warpArrived(Exec e, int t, int k) {
        int base = t & ~31;
        int last = Math.min(base + 32, e.nthreads) - 1;
        if (t != last || e.inlineBudget <= 0) return false;
        int[] rp = e.rp;
        byte[] run = e.run;
        int present = 0;
        for (int j = base; j <= last; j++) {
            int r = rp[j];
            if (r < 0) continue;
            if (r != k || run[j] != 0) return false;
            present |= 1 << (j - base);
        }
        e.inlineBudget--;
        complete(e, e.launch.kernel.points.get(k), base, present);
        for (int j = base; j <= last; j++) if ((present & (1 << (j - base))) != 0) run[j] = 1;
        return true;
    }

    /** Called by compiled code: thread {@code t} executed {@code bar.arrive} at point {@code k} (and runs on). */
    static void arrived(Exec e, int t, int k) {
        e.arrivals[barrierId(e, e.launch.kernel.points.get(k), t)]++;
    }

    private static int barrierId(Exec e, SuspendPoint p, int t) {
        return p.constId() >= 0 ? p.constId() & 15 : (int) (e.opA[t] & 15);
    }

    private static long barrierCount(Exec e, SuspendPoint p, int t) {
        return p.constThreads() != SuspendPoint.DYNAMIC ? p.constThreads() : e.opB[t];
    }

    // ---- barriers ----

    private static int barriers(Exec e, int[] rp, byte[] state, int[] kinds, List<SuspendPoint> points, int live,
            int[] arrivals) {
        int n = e.nthreads;
        // one pass over the threads: per barrier id, the waiting threads, the expected count, the predicates
        int[] waiting = e.barWaiting;
        long[] expected = e.barExpected;
        int[] popc = e.barPopc;
        java.util.Arrays.fill(waiting, 0);
        java.util.Arrays.fill(expected, -1);
        java.util.Arrays.fill(popc, 0);
        int ids = 0;
        int anyFalse = 0;
        for (int t = 0; t < n; t++) {
            if (state[t] != WAITING) continue;
            int r = rp[t];
            if (kinds[r] != SuspendPoint.BARRIER) continue;
            SuspendPoint p = points.get(r);
            int id = barrierId(e, p, t);
            ids |= 1 << id;
            waiting[id]++;
            long count = barrierCount(e, p, t);
            if (count >= 0) expected[id] = count;
            if (e.opC[t] == 1) popc[id]++;
            else anyFalse |= 1 << id;
        }
        int complete = 0;
        for (int m = ids; m != 0; m &= m - 1) {
            int id = Integer.numberOfTrailingZeros(m);
            long need = expected[id] >= 0 ? expected[id] : live;
            if (waiting[id] + arrivals[id] >= need) complete |= 1 << id;
        }
        if (complete == 0) return 0;
        int progress = 0;
        for (int t = 0; t < n; t++) {
            if (state[t] != WAITING) continue;
            int r = rp[t];
            if (kinds[r] != SuspendPoint.BARRIER) continue;
            SuspendPoint p = points.get(r);
            int id = barrierId(e, p, t);
            if ((complete & (1 << id)) == 0) continue;
            int mode = p.mode();
            if (mode == RED_POPC) e.resA[t] = popc[id];
            else if (mode == RED_AND) e.resA[t] = (anyFalse & (1 << id)) == 0 ? 1 : 0;
            else if (mode == RED_OR) e.resA[t] = popc[id] > 0 ? 1 : 0;
            state[t] = RUNNABLE;
            progress++;
        }
        for (int m = complete; m != 0; m &= m - 1) arrivals[Integer.numberOfTrailingZeros(m)] = 0;
        return progress;
    }

    private static final int RED_POPC = Inst.BarrierKind.RED_POPC.ordinal();
    private static final int RED_AND = Inst.BarrierKind.RED_AND.ordinal();
    private static final int RED_OR = Inst.BarrierKind.RED_OR.ordinal();
    private static final Inst.ShuffleMode[] SHUFFLE_MODES = Inst.ShuffleMode.values();
    private static final Inst.VoteMode[] VOTE_MODES = Inst.VoteMode.values();
    private static final Opcode[] OPCODES = Opcode.values();

    // ---- warp collectives ----

    private static int collectives(Exec e, int[] rp, byte[] state, int[] kinds, List<SuspendPoint> points,
            boolean strict) {
        int n = e.nthreads;
        int progress = 0;
        for (int w = 0; w * 32 < n; w++) {
            int base = w * 32;
            int lanes = Math.min(32, n - base);
            int exists = lanes == 32 ? -1 : (1 << lanes) - 1;
            int exited = 0;
            for (int l = 0; l < lanes; l++) if (state[base + l] == EXITED) exited |= 1 << l;
            int present = exists & ~exited;
            if (present == 0) continue;
            // fast path: every lane that has not exited waits at the same collective (so every member mask is
            // covered: the lanes a mask names that are not here have exited or do not exist)
            int first = Integer.numberOfTrailingZeros(present);
            int at = rp[base + first];
            if (state[base + first] == WAITING && kinds[at] != SuspendPoint.BARRIER) {
                boolean uniform = true;
                for (int j = first; j < lanes && uniform; j++) {
                    if ((present & (1 << j)) == 0) continue;
                    int t = base + j;
                    if (state[t] != WAITING || rp[t] != at) uniform = false;
                }
                if (uniform) {
                    complete(e, points.get(at), base, present);
                    for (int j = 0; j < lanes; j++) if ((present & (1 << j)) != 0) state[base + j] = RUNNABLE;
                    progress += Integer.bitCount(present);
                    continue;
                }
            }
            int done = 0;
            for (int l = 0; l < lanes; l++) {
                int t = base + l;
                if ((done & (1 << l)) != 0 || state[t] != WAITING) continue;
                SuspendPoint p = points.get(rp[t]);
                if (kinds[rp[t]] == SuspendPoint.BARRIER) continue;
                int point = rp[t];
                int group = 0;
                for (int j = l; j < lanes; j++) {
                    if (state[base + j] == WAITING && rp[base + j] == point) group |= 1 << j;
                }
                done |= group;
                if (strict && p.kind() != SuspendPoint.ACTIVEMASK) {
                    boolean covered = true;
                    for (int j = 0; j < lanes && covered; j++) {
                        if ((group & (1 << j)) == 0) continue;
                        int need = e.opMask[base + j] & exists & ~exited;
                        if ((need & ~group) != 0) covered = false;
                    }
                    if (!covered) continue;
                }
                complete(e, p, base, group);
                for (int j = 0; j < lanes; j++) if ((group & (1 << j)) != 0) state[base + j] = RUNNABLE;
                progress += Integer.bitCount(group);
            }
        }
        return progress;
    }

    static void complete(Exec e, SuspendPoint p, int base, int group) {
        switch (p.kind()) {
            case SuspendPoint.SHUFFLE -> {
                if (p.shuffleSource() != null) shuffleConst(e, p.shuffleSource(), base, group);
                else shuffle(e, p.mode(), base, group);
            }
            case SuspendPoint.VOTE -> vote(e, p.mode(), base, group);
            case SuspendPoint.MATCH_ANY, SuspendPoint.MATCH_ALL -> match(e, p.kind() == SuspendPoint.MATCH_ALL, base, group);
            case SuspendPoint.REDUX -> redux(e, p.mode(), p.signed(), base, group);
            case SuspendPoint.ACTIVEMASK -> {
                for (int l = 0; l < 32; l++) if ((group & (1 << l)) != 0) e.resA[base + l] = group & 0xffff_ffffL;
            }
            default -> {
            }
        }
    }

    /**
     * PTX shfl.sync: source lane from b and c (clamp in c[4:0], segment mask in c[12:8]). Operands are read from
     * {@code opA/opB/opC} and results written to {@code resA/resB} (distinct arrays), so lanes are done in one pass.
     */
    private static void shuffle(Exec e, int mode, int base, int group) {
        Inst.ShuffleMode m = SHUFFLE_MODES[mode];
        long[] opA = e.opA, opB = e.opB, opC = e.opC, resA = e.resA;
        int[] resB = e.resB;
        for (int lane = 0; lane < 32; lane++) {
            if ((group & (1 << lane)) == 0) continue;
            int t = base + lane;
            int bval = (int) opB[t] & 0x1f;
            int c = (int) opC[t];
            int cval = c & 0x1f;
            int segmask = (c >>> 8) & 0x1f;
            int maxLane = (lane & segmask) | (cval & ~segmask);
            int minLane = lane & segmask;
            int j;
            boolean pval;
            switch (m) {
                case UP -> {
                    j = lane - bval;
                    pval = j >= maxLane;
                }
                case DOWN -> {
                    j = lane + bval;
                    pval = j <= maxLane;
                }
                case BFLY -> {
                    j = lane ^ bval;
                    pval = j <= maxLane;
                }
                default -> {
                    j = minLane | (bval & ~segmask);
                    pval = j <= maxLane;
                }
            }
            if (!pval) j = lane;
            resA[t] = (group & (1 << j)) != 0 ? opA[base + j] : opA[t];
            resB[t] = pval ? 1 : 0;
        }
    }

    /** Each lane's source lane for constant b and c (as {@link #shuffle} computes it), -1 when out of range. */
    static int[] shuffleSources(Inst.ShuffleMode m, int b, int c) {
        int[] src = new int[32];
        int bval = b & 0x1f;
        int cval = c & 0x1f;
        int segmask = (c >>> 8) & 0x1f;
        for (int lane = 0; lane < 32; lane++) {
            int maxLane = (lane & segmask) | (cval & ~segmask);
            int minLane = lane & segmask;
            int j;
            boolean pval;
            switch (m) {
                case UP -> {
                    j = lane - bval;
                    pval = j >= maxLane;
                }
                case DOWN -> {
                    j = lane + bval;
                    pval = j <= maxLane;
                }
                case BFLY -> {
                    j = lane ^ bval;
                    pval = j <= maxLane;
                }
                default -> {
                    j = minLane | (bval & ~segmask);
                    pval = j <= maxLane;
                }
            }
            src[lane] = pval ? j : -1;
        }
        return src;
    }

    /** shfl.sync with constant b and c: the source lanes were computed at compile time. */
    private static void shuffleConst(Exec e, int[] src, int base, int group) {
        long[] opA = e.opA, resA = e.resA;
        int[] resB = e.resB;
        for (int lane = 0; lane < 32; lane++) {
            if ((group & (1 << lane)) == 0) continue;
            int t = base + lane;
            int j = src[lane];
            if (j < 0) {
                resA[t] = opA[t];
                resB[t] = 0;
            } else {
                resA[t] = (group & (1 << j)) != 0 ? opA[base + j] : opA[t];
                resB[t] = 1;
            }
        }
    }

    private static void vote(Exec e, int mode, int base, int group) {
        Inst.VoteMode m = VOTE_MODES[mode];
        for (int lane = 0; lane < 32; lane++) {
            if ((group & (1 << lane)) == 0) continue;
            int t = base + lane;
            int set = group & e.opMask[t];
            int ballot = 0;
            int count = 0;
            for (int j = 0; j < 32; j++) {
                if ((set & (1 << j)) == 0) continue;
                count++;
                if (e.opA[base + j] != 0) ballot |= 1 << j;
            }
            long r = switch (m) {
                case ALL -> ballot == set ? 1 : 0;
                case ANY -> ballot != 0 ? 1 : 0;
                case UNI -> ballot == 0 || ballot == set ? 1 : 0;
                case BALLOT -> ballot & 0xffff_ffffL;
            };
            if (count == 0 && m == Inst.VoteMode.ALL) r = 1;
            e.resA[t] = r;
        }
    }

    private static void match(Exec e, boolean all, int base, int group) {
        for (int lane = 0; lane < 32; lane++) {
            if ((group & (1 << lane)) == 0) continue;
            int t = base + lane;
            int set = group & e.opMask[t];
            long v = e.opA[t];
            int same = 0;
            for (int j = 0; j < 32; j++) {
                if ((set & (1 << j)) != 0 && e.opA[base + j] == v) same |= 1 << j;
            }
            if (all) {
                boolean eq = same == set;
                e.resA[t] = eq ? set & 0xffff_ffffL : 0;
                e.resB[t] = eq ? 1 : 0;
            } else {
                e.resA[t] = same & 0xffff_ffffL;
            }
        }
    }

    private static void redux(Exec e, int op, boolean signed, int base, int group) {
        Opcode o = OPCODES[op];
        for (int lane = 0; lane < 32; lane++) {
            if ((group & (1 << lane)) == 0) continue;
            int t = base + lane;
            int set = group & e.opMask[t];
            long acc;
            switch (o) {
                case AND -> acc = 0xffff_ffffL;
                case MIN -> acc = signed ? Integer.MAX_VALUE : 0xffff_ffffL;
                case MAX -> acc = signed ? Integer.MIN_VALUE : 0;
                default -> acc = 0;
            }
            for (int j = 0; j < 32; j++) {
                if ((set & (1 << j)) == 0) continue;
                long v = e.opA[base + j];
                long uv = v & 0xffff_ffffL;
                switch (o) {
                    case ADD -> acc += v;
                    case AND -> acc &= uv;
                    case OR -> acc |= uv;
                    case XOR -> acc ^= uv;
                    case MIN -> acc = signed ? Math.min(acc, (int) v) : Math.min(acc, uv);
                    case MAX -> acc = signed ? Math.max(acc, (int) v) : Math.max(acc, uv);
                    default -> throw new KernelFault(CUresult.CUDA_ERROR_ILLEGAL_INSTRUCTION, "redux." + o);
                }
            }
            e.resA[t] = acc & 0xffff_ffffL;
        }
    }
}
