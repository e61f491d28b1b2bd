package org.transcuda.backend.cpu;

/**
 * Lockstep engine: a straight chain of one-arm branches after a barrier run as one pass from the barrier's segment
 * ({@code -Dtranscuda.cpu.scanTail=false} turns it off). scan_block's end,
 * {@code if (warp > 0) v += warpSums[warp - 1]; if (i < n) out[i] = v; if (threadIdx.x == 255) sums[blockIdx.x] = v;},
 * otherwise costs three segments (ConstRange/ConstRuns for the add, a {@code predRange} and {@link StoreBulk} copy
 * for {@code out}, a {@code predRange} and a one-word store for {@code sums}), each with its method entry and exit.
 *
 * <p>Applies (decided when the kernel is compiled, {@code KernelCompiler.scanTail}) to a segment that starts right
 * after a barrier with no statement of its own (the rest of its block is only its terminator); from there a chain of
 * join blocks, each of register-only statements (mov, compare, non-faulting integer compute) and a conditional
 * branch to an arm block and to the next join block, the arm block going on to that join block. Arms: {@link #ADD},
 * exactly {@code ld.shared.32 x, [a + off]; add.32 v, x, v} (weak, no saturation; {@code x} read only there; {@code a}
 * and {@code v} per-thread registers with arrays), or {@link #STORE}, register-only statements whose results are read
 * in the arm alone and one weak {@code st.global.32 [addr], r} of a per-thread register whose address is a
 * {@link AffineSites} site. Each branch's predicate is a thread-range predicate ({@link RangeSplit#of}: one
 * unguarded compare, defined outside the chain or in its own join block) whose forms' block-uniform registers have
 * one definition each, outside the chain. Every register defined in the chain (other than the adds' {@code v}) is
 * mentioned only in the chain, and no arm reads a register the chain defines except an add's {@code v} (read by
 * later arms after the add). The chain ends at the first block not of this shape; its segment is returned.
 *
 * <p>At run time {@link #run} applies while every thread of a one-dimensional block is active; each arm's threads
 * are one range ({@link SharedAffine#predRange}, memoized per launch in a slot per arm, with the forms' values
 * from {@link Exec#luni}); every add's words
 * {@code zext(a[t]) + off} are aligned and inside the shared window; every store's site passed this block's check
 * ({@link Exec#lglob}: every thread's address inside one live allocation, aligned) and, over more than one thread,
 * its addresses are consecutive in thread order. All of that is checked before anything is written; when something
 * fails nothing has happened and the general path runs from this segment (faults keep their thread and instruction).
 *
 * <p>Why the result is the same bits: the general path runs the arms in chain order, each over its range in thread
 * order; an add writes only {@code v} (in place here, {@code v[t] + word} in 32 bits for each thread of its range,
 * one shared load per run of threads with the same address); a store writes {@code r}'s value of each thread of its
 * range to its address in thread order (one copy when consecutive: distinct addresses, no load between); the
 * skipped register-only statements leave registers nobody reads after the chain; every thread stays active, so the
 * returned segment runs in the state the general path reaches there. Counted in {@link Exec#scanTails}.
 */
final class ScanTail {
    /** On unless {@code -Dtranscuda.cpu.scanTail=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.scanTail"));

    /** Tests: kernels compiled from now on without it. */
    static volatile boolean offForTests;

    static final int ADD = 0, STORE = 1;

    /**
     * One arm: its predicate {@code (tc + Σ tcoef·uni + cx·tid.x) op (bc + Σ bcoef·uni)}, the arm running where it is
     * {@code want}; an {@link #ADD} of shared word {@code zext(a[t]) + off} into register {@code reg}, or a
     * {@link #STORE} of register {@code reg} to global site {@code site}.
     */
    record Arm(int kind, int tc, int[] tuni, int[] tcoef, int cx, int bc, int[] buni, int[] bcoef, int op,
            boolean unsigned, boolean want, int a, long off, int reg, int site, int abit, int mbit, int slot) {
    }

    /**
     * A chain of arms and the segment to continue with; {@code fuse}: its first arm an {@link #ADD} into {@code v},
     * its second a {@link #STORE} of that {@code v} (scan_block's {@code v += warpSums[warp - 1]; out[i] = v}), run by
     * {@link #fused} as one pass.
     */
    record Tail(Arm[] arms, int exit, boolean fuse) {
        Tail(Arm[] arms, int exit) {
            this(arms, exit, arms.length >= 2 && arms[0].kind == ADD && arms[1].kind == STORE
                    && arms[1].reg == arms[0].reg);
        }
    }

    /**
     * {@link #fused}: the add and the store of the chain's first two arms as one vector pass, {@code v[t] + c}
     * stored straight to device memory (and back to {@code v}); each arm's range tested in closed form for "all or
     * none of the block" before {@link SharedAffine#predRange}'s memo. On unless
     * {@code -Dtranscuda.cpu.scanTailFuse=false} (then the two-pass run of every chain).
     */
    static final boolean FUSE = !"false".equals(System.getProperty("transcuda.cpu.scanTailFuse"));

    private static volatile Tail[] tails = new Tail[0];

    private ScanTail() {
    }

    /** Registers a chain found when a kernel is compiled; its id for {@link #run}. */
    static synchronized int register(Tail g) {
        Tail[] old = tails;
        Tail[] n = java.util.Arrays.copyOf(old, old.length + 1);
        n[old.length] = g;
        tails = n;
        return old.length;
    }

    private static int form(Exec e, int c, int[] uni, int[] coef) {
        int v = c;
        long[] u = e.luni;
        for (int i = 0; i < uni.length; i++) v += coef[i] * (int) u[uni[i]];
        return v;
    }

    private static long range(Exec e, Arm m) {
        int a0 = form(e, m.tc, m.tuni, m.tcoef), b = form(e, m.bc, m.buni, m.bcoef);
        if (FUSE && m.op > 1) {
            // predRange's own first test, without its memo (scan's i < n asks a new question in every block): the
            // values exact in the comparison's 32-bit range (so monotone in x) and the same answer at both ends
            int n = e.ntx;
            long a = m.unsigned ? Integer.toUnsignedLong(a0) : a0;
            long last = a + (long) m.cx * (n - 1);
            long min = m.unsigned ? 0 : Integer.MIN_VALUE, max = m.unsigned ? 0xffff_ffffL : Integer.MAX_VALUE;
            if (Math.min(a, last) >= min && Math.max(a, last) <= max) {
                long bb = m.unsigned ? Integer.toUnsignedLong(b) : b;
                boolean first = holds(a, bb, m.op);
                if (first == holds(last, bb, m.op)) return first == m.want ? n : 0;
            }
        }
        return SharedAffine.predRange(e, m.slot, a0, m.cx, b, m.op, m.unsigned, m.want);
    }

    /** {@code SharedAffine.holds}: the ordered comparison {@code op} (2..9) of exact values. */
    private static boolean holds(long v, long b, int op) {
        return switch (op) {
            case 2, 6 -> v < b;
            case 3, 7 -> v <= b;
            case 4, 8 -> v > b;
            default -> v >= b;
        };
    }

    /** The most arms of a chain ({@link Exec#scanTailRanges}). */
    static final int MAX_ARMS = 8;

    /** Runs chain {@code id} for the current block: the segment to continue with, or -1 (nothing done). */
    static int run(Exec e, int id) {
        if (e.lfull == 0 || e.nty != 1 || e.ntz != 1) return -1;
        Tail g = tails[id];
        if (FUSE && VEC && g.fuse) return fused(e, g);
        Arm[] arms = g.arms;
        // every check first: nothing is written when one fails
        long[] ranges = e.scanTailRanges;
        for (int i = 0; i < arms.length; i++) {
            Arm m = arms[i];
            long r = ranges[i] = range(e, m);
            if (r < 0) return -1;
            int lo = (int) (r >>> 32), hi = (int) r;
            if (hi <= lo) continue;
            if (m.kind == ADD) {
                if (runs(e, m, lo, hi) == null) return -1;
            } else if (start(e, m.site, lo, hi) < 0) {
                return -1;
            }
        }
        int[] sh = e.shared;
        for (int i = 0; i < arms.length; i++) {
            Arm m = arms[i];
            long r = ranges[i];
            int lo = (int) (r >>> 32), hi = (int) r;
            if (hi <= lo) continue;
            int[] v = e.lregI[m.reg];
            if (m.kind == ADD) {
                int[] rs = runs(e, m, lo, hi);
                int k = rs[2];
                for (int q = 0; q < k; q++) {
                    int c = sh[rs[4 + k + q]];
                    int t0 = rs[3 + q], t1 = rs[4 + q];
                    if (VEC) ConstRunsVec.add(v, v, c, t0, t1);
                    else for (int u = t0; u < t1; u++) v[u] += c;
                }
            } else {
                long at = start(e, m.site, lo, hi);
                if (hi - lo == 1) Mem.ALL.set(Mem.I32, at, v[lo]);
                else java.lang.foreign.MemorySegment.copy(v, lo, Mem.ALL, Mem.I32, at, hi - lo);
            }
        }
        e.scanTails++;
        return tails[id].exit;
    }

    /**
     * {@link #run} for a {@link Tail#fuse} chain: arm 0 adds {@code c(t)} to {@code v[t]} over {@code [la, ha)}, arm
     * 1 stores {@code v} over {@code [ls, hs)}. Every check of both arms and of the later arms first (as in
     * {@link #run}; also the add's range inside the store's when both are non-empty, else -1: the general path).
     * Then one pass over the store's threads in thread order: outside the add's range {@code v[t]} is stored, inside
     * it, run by run, {@code v[t] + c} is written to {@code v[t]} and stored ({@link ScanTailVec#addStore}); threads
     * of the add's range are those of the store's range or none, so every add the general path makes is made. Its
     * stores go to distinct addresses (consecutive words), none in the shared window or a register, so doing each
     * thread's add just before its store gives the same memory and registers as the two passes. Later arms then run
     * in order as in {@link #run}, after both.
     */
    private static int fused(Exec e, Tail g) {
        Arm[] arms = g.arms;
        Arm ad = arms[0], st = arms[1];
        long ra = range(e, ad);
        if (ra < 0) return -1;
        long rs = range(e, st);
        if (rs < 0) return -1;
        int la = (int) (ra >>> 32), ha = (int) ra, ls = (int) (rs >>> 32), hs = (int) rs;
        boolean adds = ha > la, stores = hs > ls;
        int[] runs = null;
        if (adds && (runs = runs(e, ad, la, ha)) == null) return -1;
        long at = 0;
        if (stores && (at = start(e, st.site, ls, hs)) < 0) return -1;
        if (adds && stores && (la < ls || ha > hs)) return -1;
        long[] ranges = e.scanTailRanges;
        for (int i = 2; i < arms.length; i++) {
            Arm m = arms[i];
            long r = ranges[i] = range(e, m);
            if (r < 0) return -1;
            int lo = (int) (r >>> 32), hi = (int) r;
            if (hi <= lo) continue;
            if (m.kind == ADD) {
                if (runs(e, m, lo, hi) == null) return -1;
            } else if (start(e, m.site, lo, hi) < 0) {
                return -1;
            }
        }
        int[] v = e.lregI[ad.reg];
        int[] plan;
        if (!stores) {
            if (adds) addRuns(e, v, runs);
        } else if (!adds) {
            ScanTailVec.addStore(v, ls, hs, 0, at);
        } else if (PLAN && (plan = plan(e, runs, ls, hs)) != null) {
            ScanTailVec.planStore(v, e.shared, plan, ls, (hs - ls) / ScanTailVec.LENGTH, at);
            e.scanTailPlans++;
        } else {
            int[] sh = e.shared;
            int k = runs[2];
            if (la > ls) ScanTailVec.addStore(v, ls, la, 0, at);
            for (int q = 0; q < k; q++) {
                int t0 = runs[3 + q];
                ScanTailVec.addStore(v, t0, runs[4 + q], sh[runs[4 + k + q]], at + 4L * (t0 - ls));
            }
            if (hs > ha) ScanTailVec.addStore(v, ha, hs, 0, at + 4L * (ha - ls));
        }
        for (int i = 2; i < arms.length; i++) {
            Arm m = arms[i];
            long r = ranges[i];
            int lo = (int) (r >>> 32), hi = (int) r;
            if (hi <= lo) continue;
            int[] w = e.lregI[m.reg];
            if (m.kind == ADD) {
                addRuns(e, w, runs(e, m, lo, hi));
            } else {
                long p = start(e, m.site, lo, hi);
                if (hi - lo == 1) Mem.ALL.set(Mem.I32, p, w[lo]);
                else java.lang.foreign.MemorySegment.copy(w, lo, Mem.ALL, Mem.I32, p, hi - lo);
            }
        }
        e.scanTails++;
        e.scanTailFused++;
        return g.exit;
    }

    /**
     * {@link #fused}'s pass as one loop of whole vectors when the store's range is whole vectors and every run of
     * the add starts and ends on a vector boundary of it: per vector the shared word it adds (-1: none); kept per
     * worker for the same runs array (per-launch memo) and range, else null. On unless
     * {@code -Dtranscuda.cpu.scanTailPlan=false}.
     */
    static final boolean PLAN = !"false".equals(System.getProperty("transcuda.cpu.scanTailPlan"));

    private static int[] plan(Exec e, int[] runs, int ls, int hs) {
        if (e.scanTailPlanRuns == runs && e.scanTailPlanRange == ((long) ls << 32 | hs)) return e.scanTailPlan;
        int n = ScanTailVec.LENGTH;
        int[] p = null;
        if ((hs - ls) % n == 0) {
            p = new int[(hs - ls) / n];
            java.util.Arrays.fill(p, -1);
            int k = runs[2];
            for (int q = 0; q < k && p != null; q++) {
                int t0 = runs[3 + q], t1 = runs[4 + q];
                if ((t0 - ls) % n != 0 || (t1 - ls) % n != 0) p = null;
                else for (int j = (t0 - ls) / n; j < (t1 - ls) / n; j++) p[j] = runs[4 + k + q];
            }
        }
        e.scanTailPlanRuns = runs;
        e.scanTailPlanRange = (long) ls << 32 | hs;
        e.scanTailPlan = p;
        return p;
    }

    /** An add arm's runs ({@link #runs}) applied to {@code v}. */
    private static void addRuns(Exec e, int[] v, int[] rs) {
        int[] sh = e.shared;
        int k = rs[2];
        for (int q = 0; q < k; q++) {
            int c = sh[rs[4 + k + q]];
            int t0 = rs[3 + q], t1 = rs[4 + q];
            if (VEC) ConstRunsVec.add(v, v, c, t0, t1);
            else for (int u = t0; u < t1; u++) v[u] += c;
        }
    }

    /** {@link ConstRunsVec}'s vector add: the JVM has the vector module. */
    private static final boolean VEC = LaneVec.AVAILABLE && ConstRunsVec.ENABLED;

    /**
     * An add arm's runs over {@code [lo, hi)}: {@code {lo, hi, k, b0 .. bk, w0 .. w(k-1)}}, threads
     * {@code [b(q), b(q+1))} reading shared word {@code w(q)} (each checked: aligned, inside the window); null when a
     * word fails its check. Kept per launch and worker (bit {@code mbit} of {@link Exec#lconst}) when the address
     * register is thread-constant and its loop bit {@code abit} is set (every thread's value, the same in every
     * block of the launch), for the same range.
     */
    private static int[] runs(Exec e, Arm m, int lo, int hi) {
        boolean memo = m.mbit >= 0 && (e.lconst >>> m.abit & 1) != 0;
        if (memo && (e.lconst >>> m.mbit & 1) != 0) {
            int[] rs = e.constRuns[m.mbit];
            if (rs != null && rs[0] == lo && rs[1] == hi) return rs;
            memo = false;
        }
        int[] a = e.lregI[m.a];
        int k = 1;
        for (int t = lo + 1; t < hi; t++) if (a[t] != a[t - 1]) k++;
        int[] rs = new int[4 + 2 * k];
        rs[0] = lo;
        rs[1] = hi;
        rs[2] = k;
        long limit = e.sharedSize - 4;
        int q = 0;
        for (int t = lo; t < hi; t++) {
            if (t > lo && a[t] == a[t - 1]) continue;
            long w = Integer.toUnsignedLong(a[t]) + m.off;
            if ((w & 3) != 0 || w < 0 || w > limit) return null;
            rs[3 + q] = t;
            rs[4 + k + q] = (int) (w >> 2);
            q++;
        }
        rs[3 + k] = hi;
        if (memo) {
            e.constRuns[m.mbit] = rs;
            e.lconst |= 1L << m.mbit;
        }
        return rs;
    }

    /**
     * The address of thread {@code lo}'s store at site {@code j} when the site passed this block's check and, for
     * more than one thread, its addresses are consecutive 4-byte words in thread order; else -1.
     */
    private static long start(Exec e, int j, int lo, int hi) {
        if ((e.lglob >>> j & 1) == 0 || lo < 0 || hi > e.nthreads) return -1;
        AffineSites s = e.launch.kernel.affine;
        int p = s.prog[j];
        long[] res = e.affineResult;
        if (hi - lo > 1 && res[4 * p + 1] != 4) return -1;
        return res[4 * p] + s.offset[j] + res[4 * p + 1] * lo;
    }
}
