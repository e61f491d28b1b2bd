package org.transcuda.backend.cpu;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.Predicate;
import org.transcuda.ir.Address;
import org.transcuda.ir.AddressSpace;
import org.transcuda.ir.Inst;
import org.transcuda.ir.Memory;
import org.transcuda.ir.Reg;
import org.transcuda.ir.ScalarType;
import org.transcuda.ir.Stmt;
import org.transcuda.ir.Value;

/**
 * Global accesses of a lockstep lane loop checked once per loop for all its threads, whatever their addresses'
 * form ({@code -Dtranscuda.cpu.loopChecks=false} turns this off): loads and stores through pointers that a kernel
 * loop increments (matmul's tile loads {@code A[row*n + k0 + tx]} through {@code %rd18 += 64} per {@code k0}
 * iteration), grid-stride indices ({@code data[i]}, {@code i += gridDim·blockDim}), anything that the block-level
 * analysis of {@link AffineSites} does not reach.
 *
 * <p>Before the lane loop of a run (a straight sequence of per-thread statements, {@link Lockstep}) runs, a
 * <em>prescan</em> loop over the same threads evaluates each such access's address: the address register's value at
 * the start of the run, or the statements of the run before the access that compute it (its <em>slice</em>: pure
 * integer {@code mov/add/sub/mul/mul.hi/mad/mad.hi/shl/shr/and/or/xor/not/neg/cvt/cvta}, unguarded), and keeps the minimum, the
 * maximum and the OR of the addresses. One check ({@link #fits}) then tells whether every thread's access is aligned
 * and inside one live allocation; when it is, the lane loop's access skips its per-access check ({@code Mem.hgld*} /
 * {@code hgst*} with the flag set), else it keeps it, and a bad address faults at the thread and instruction it
 * always did (the prescan has no effects: it raises nothing and writes only registers that the run defines before
 * anything reads them, which the lane loop then computes again, identically).
 *
 * <p>An access qualifies when it is a weak {@code ld/st.global} or {@code .const} (not generic: a generic address
 * may be in a window), unguarded, its address based on a register, not already checked once per block, and every
 * register its slice defines is first mentioned in the run by an unguarded definition (so no statement of the run
 * reads that register's value from before the run, which the prescan overwrites).
 */
final class LoopChecks {
    /** On unless {@code -Dtranscuda.cpu.loopChecks=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.loopChecks"));

    private LoopChecks() {
    }

    /**
     * One access checked per loop: {@code access} and the statements of its slice (indices into the run, in
     * order), the access size as a power of two.
     */
    record Plan(int access, List<Integer> slice, int log2) {
    }

    /**
     * The accesses of {@code run} (the lane loop's statements, in order) that the prescan can check;
     * {@code eligible} says whether an access may take part (not yet checked by another mechanism).
     */
    static List<Plan> plan(List<Stmt> run, Predicate<Stmt> eligible) {
        List<Plan> out = new ArrayList<>();
        List<Plan> cand = new ArrayList<>();
        for (int a = 0; a < run.size(); a++) {
            Stmt st = run.get(a);
            Address ad;
            ScalarType t;
            switch (st.inst()) {
                case Inst.Load l when global(l.space()) && l.order() == Memory.Order.WEAK -> {
                    ad = l.address();
                    t = l.type();
                }
                case Inst.Store s when global(s.space()) && s.order() == Memory.Order.WEAK -> {
                    ad = s.address();
                    t = s.type();
                }
                default -> {
                    continue;
                }
            }
            if (st.guard() != null || !(ad.base() instanceof Reg base) || !eligible.test(st)) continue;
            int bytes = t.bytes();
            if (bytes != 1 && bytes != 2 && bytes != 4 && bytes != 8) continue;
            List<Integer> slice = slice(run, a, base);
            if (slice == null) continue;
            cand.add(new Plan(a, slice, Integer.numberOfTrailingZeros(bytes)));
        }
        for (Plan p : cand) {
            BitSet defs = new BitSet();
            for (int j : p.slice()) for (Reg d : run.get(j).inst().defs()) defs.set(d.id());
            if (idempotent(run, defs)) {
                out.add(p);
            }
        }
        return out;
    }

    private static boolean global(AddressSpace s) {
        return s == AddressSpace.GLOBAL || s == AddressSpace.CONST;
    }

    /**
     * The statements of {@code run} before {@code a} that compute register {@code base} as read at {@code a} (the
     * latest definitions, transitively), in run order; null when one of them is not a pure integer operation or is
     * guarded.
     */
    private static List<Integer> slice(List<Stmt> run, int a, Reg base) {
        BitSet need = new BitSet();
        need.set(base.id());
        List<Integer> slice = new ArrayList<>();
        for (int j = a - 1; j >= 0 && !need.isEmpty(); j--) {
            Stmt st = run.get(j);
            boolean defines = false;
            for (Reg d : st.inst().defs()) defines |= need.get(d.id());
            if (!defines) continue;
            if (st.guard() != null || !pure(st.inst())) return null;
            for (Reg d : st.inst().defs()) need.clear(d.id());
            for (Value v : st.inst().uses()) if (v instanceof Reg r) need.set(r.id());
            slice.add(0, j);
        }
        return slice;
    }

    /** An integer operation without effects that cannot raise anything (safe to run twice). */
    static boolean pure(Inst in) {
        return switch (in) {
            case Inst.Mov m -> integer(m.dst().type());
            case Inst.Cvta c -> true;
            case Inst.Convert c -> integer(c.to()) && integer(c.from());
            case Inst.Compute c -> integer(c.type()) && integer(c.dst().type()) && switch (c.op()) {
                case ADD, SUB, MUL, MUL_HI, MUL_WIDE, MAD, MAD_HI, MAD_WIDE, SHL, SHR, AND, OR, XOR, NOT, NEG -> true;
                default -> false;
            };
            default -> false;
        };
    }

    private static boolean integer(ScalarType t) {
        return switch (t.kind()) {
            case BITS, SIGNED, UNSIGNED -> t.bits() <= 64;
            default -> false;
        };
    }

    /**
     * True when each register of {@code defs} is first mentioned in {@code run} by an unguarded definition that
     * does not also read it: no statement reads the value from before the run.
     */
    private static boolean idempotent(List<Stmt> run, BitSet defs) {
        BitSet open = (BitSet) defs.clone();
        for (Stmt st : run) {
            if (open.isEmpty()) return true;
            if (st.guard() != null && open.get(st.guard().id())) return false;
            for (Value v : st.inst().uses()) {
                if (v instanceof Reg r && open.get(r.id())) return false;
            }
            for (Reg d : st.inst().defs()) {
                if (!open.get(d.id())) continue;
                if (st.guard() != null) return false;
                open.clear(d.id());
            }
        }
        return true;
    }

    /**
     * True when the accesses of {@code 2^k} bytes at addresses between {@code lo} and {@code hi} (the prescan's
     * minimum and maximum; {@code or}: the OR of all of them) are aligned and inside one live allocation: the one
     * site {@code site} hit last, or one found in the allocation table (the site's cache then holds it). Raises
     * nothing: a false answer leaves the per-access checks to fault where they do. True when no thread ran
     * ({@code lo > hi}).
     */
    static boolean fits(Exec e, int site, long lo, long hi, long or, int k) {
        if (lo > hi) return true;
        long size = 1L << k;
        if ((or & (size - 1)) != 0 || lo < 0 || hi > Long.MAX_VALUE - size) return false;
        SiteCache c = e.sites[site];
        long last = (c.slots - 1) << k;
        if (c.slots > 0 && lo - c.base >= 0 && hi - c.base <= last && ((lo - c.base) & (size - 1)) == 0) {
            e.loopChecked++;
            return true;
        }
        DeviceMemory.Snapshot table = e.memory();
        int i = table.find(lo);
        if (i < 0) return false;
        long base = table.bases[i];
        if (hi - base > table.sizes[i] - size || ((lo - base) & (size - 1)) != 0) return false;
        c.base = base;
        c.slots = Mem.slots(table.sizes[i], k);
        e.loopChecked++;
        return true;
    }
}
