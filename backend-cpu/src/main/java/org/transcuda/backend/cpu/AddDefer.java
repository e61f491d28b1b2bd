package org.transcuda.backend.cpu;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.transcuda.ir.AddressSpace;
import org.transcuda.ir.Block;
import org.transcuda.ir.Function;
import org.transcuda.ir.Inst;
import org.transcuda.ir.Memory;
import org.transcuda.ir.Reg;
import org.transcuda.ir.ScalarType;
import org.transcuda.ir.Stmt;
import org.transcuda.ir.Value;

/**
 * Unread 32-bit global atomic adds summed per worker and made once per word at the end of the worker's part of the
 * launch (histogram's 256 {@code atomicAdd(&bins[b], h[b])} per block: one locked add per bin and worker instead of
 * one per bin and block). {@code -Dtranscuda.cpu.addDefer=false} turns it off.
 *
 * <p><b>When a site is deferred</b> (compile time, {@link #sites}): the kernel has no calls, fences or
 * unsupported instructions, and its only global/generic memory statements are global loads (any cache hint) and
 * {@code atom/red.global.add} of {@code .u32/.s32/.b32} with weak or relaxed order whose old value no statement or
 * terminator reads (no global or generic stores, no other global atomic, no generic access). Then the only way any
 * thread of the launch observes a word the deferred adds change is a global load of it, and every global load's
 * address is validated through its site's cache ({@link SiteCache#miss}, {@link SiteCache#covers}) or the launch's
 * forms ({@link LaunchForms}): each of those reports the allocation it accepted ({@link #seen}).
 *
 * <p><b>At run time</b> a worker's first deferred add (after the site's usual check, {@link Mem#at}, which faults
 * exactly as before) claims the launch's deferred allocation A (the allocation of that address; at most {@link
 * #MAX_WORDS} words, 4-aligned) unless a load site has already accepted A or another allocation was claimed; from
 * then on its adds to A go into a per-worker {@code int[]} (integer addition is associative and commutative, and
 * the old values are unread; an aligned word of A is summed without the site cache's check, which it would pass:
 * A stays allocated while the launch runs), other addresses take the site's check and the general atomic. The sums are added to memory with one
 * locked add per nonzero word ({@link #release}): when the worker leaves the launch (also after a fault, before the
 * launch reports it: {@code Launch.work}), and when a load site accepts A — then the launch stops deferring, the
 * loading worker releases its own sums and waits until every worker has released its (each does so at its next
 * deferred add or block end), and only then loads: every load of A sees every add made before it, as without this.
 * On one worker the memory is then the general code's at every load and at the launch's end; faults keep their
 * block, thread and instruction. (Another stream's kernel reading A while this launch runs sees the adds later: a
 * concurrent race whose outcome CUDA does not fix either.)
 */
final class AddDefer {
    /** On unless {@code -Dtranscuda.cpu.addDefer=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.addDefer"));
    /** Largest deferred allocation, in 32-bit words (its per-worker sums array). */
    static final int MAX_WORDS = 1 << 14;

    private AddDefer() {
    }

    /** Per-launch state (null in a launch of a kernel without deferred sites). */
    static final class State {
        /** The deferred allocation's base (0: none yet); guarded by this. */
        private long base;
        /** Set once a load site accepted the deferred allocation (or it was refused): no more deferring. */
        volatile boolean stopped;
        /** Workers holding sums not yet in memory. */
        final AtomicInteger holders = new AtomicInteger();
        /** Allocation bases accepted by load sites; guarded by this. */
        private final Set<Long> seen = new HashSet<>();
    }

    /**
     * The deferrable atomics of {@code f} (by value: equal instructions are equally deferrable), or an empty set
     * when {@code f} does not qualify (class comment).
     */
    static Set<Inst> sites(Function f) {
        Set<Inst> out = new HashSet<>();
        if (!ENABLED || !f.isDefined()) return out;
        Set<Reg> read = new HashSet<>();
        for (Block b : f.blocks()) {
            for (Stmt s : b.stmts()) {
                if (s.guard() != null) read.add(s.guard());
                for (Value v : s.inst().uses()) if (v instanceof Reg r) read.add(r);
            }
            for (Value v : b.terminator().uses()) if (v instanceof Reg r) read.add(r);
        }
        for (Block b : f.blocks()) {
            for (Stmt s : b.stmts()) {
                switch (s.inst()) {
                    case Inst.Call c -> {
                        return new HashSet<>();
                    }
                    case Inst.Fence x -> {
                        return new HashSet<>();
                    }
                    case Inst.Unsupported x -> {
                        return new HashSet<>();
                    }
                    case Inst.Load l -> {
                        if (l.space() == AddressSpace.GENERIC) return new HashSet<>();
                    }
                    case Inst.Store st -> {
                        if (st.space() == AddressSpace.GLOBAL || st.space() == AddressSpace.GENERIC) return new HashSet<>();
                    }
                    case Inst.Atomic a -> {
                        if (a.space() == AddressSpace.GLOBAL && deferrable(a, read)) {
                            out.add(a);
                        } else if (a.space() == AddressSpace.GLOBAL || a.space() == AddressSpace.GENERIC) {
                            return new HashSet<>();
                        }
                    }
                    default -> {
                    }
                }
            }
        }
        return out;
    }

    private static boolean deferrable(Inst.Atomic a, Set<Reg> read) {
        ScalarType t = a.type();
        return a.op() == Memory.AtomicOp.ADD && (t == ScalarType.U32 || t == ScalarType.S32 || t == ScalarType.B32)
                && a.b() == null && (a.order() == Memory.Order.WEAK || a.order() == Memory.Order.RELAXED)
                && (a.dst() == null || !read.contains(a.dst()));
    }

    /**
     * A deferred site's add of {@code v} at global address {@code a} (its old value is unread: returns 0). The
     * address is checked as the general code checks it (same fault).
     */
    static int add(Exec e, SiteCache c, long a, int v) {
        if (e.deferOn) {
            // an aligned word of the deferred allocation (live for the launch): Mem.at's check would pass
            long off = a - e.deferBase;
            if (Long.compareUnsigned(Long.rotateRight(off, 2), e.deferSlots) < 0 && !e.launch.defer.stopped) {
                e.deferAcc[(int) (off >>> 2)] += v;
                e.deferAdds++;
                return 0;
            }
        }
        long p = Mem.at(c, a, 2);
        if (e.deferOn) {
            if (e.launch.defer.stopped) release(e);
        } else if (!e.deferTried) {
            start(e, c);
            if (e.deferOn) return add(e, c, a, v);
        }
        Atom.a32(p, Atom.ADD, v, 0);
        return 0;
    }

    /** The worker's first deferred add: claims the cache's allocation (checked by {@link Mem#at}) if allowed. */
    private static void start(Exec e, SiteCache c) {
        e.deferTried = true;
        State s = e.launch.defer;
        long b = c.base;
        if (s == null || c.slots <= 0 || c.slots > MAX_WORDS || (b & 3) != 0) return;
        synchronized (s) {
            if (s.stopped) return;
            if (s.base == 0) {
                if (s.seen.contains(b)) {
                    s.stopped = true;
                    return;
                }
                s.base = b;
            } else if (s.base != b) {
                return;
            }
            s.holders.incrementAndGet();
        }
        e.deferAcc = new int[(int) c.slots];
        e.deferBase = b;
        e.deferSlots = c.slots;
        e.deferOn = true;
    }

    /**
     * A load (non-deferred) site {@code site} of {@code e} accepted the allocation at {@code base}: when that is
     * the deferred allocation, deferring stops and every worker's sums are in memory before this returns.
     */
    static void seen(Exec e, int site, long base) {
        State s = e.launch.defer;
        if (s == null || e.launch.kernel.deferSite[site]) return;
        boolean wait;
        synchronized (s) {
            s.seen.add(base);
            if (s.base == base) s.stopped = true;
            wait = s.stopped && s.base == base;
        }
        if (!wait) return;
        release(e);
        while (s.holders.get() > 0) Thread.onSpinWait();
    }

    /** At a block's end: releases the worker's sums once deferring has stopped. */
    static void blockEnd(Exec e) {
        if (e.deferOn && e.launch.defer.stopped) release(e);
    }

    /** Adds the worker's sums to memory (one locked add per nonzero word) and stops its deferring. */
    static void release(Exec e) {
        if (!e.deferOn) return;
        e.deferOn = false;
        int[] acc = e.deferAcc;
        long b = e.deferBase;
        for (int i = 0; i < acc.length; i++) {
            if (acc[i] != 0) {
                Atom.a32(b + 4L * i, Atom.ADD, acc[i], 0);
                e.deferFlushed++;
            }
        }
        e.deferAcc = null;
        e.launch.defer.holders.decrementAndGet();
    }
}
