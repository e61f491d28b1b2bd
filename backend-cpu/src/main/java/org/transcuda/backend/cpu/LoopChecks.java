package org.transcuda.backend.cpu;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.Predicate;
import org.transcuda.ir.Address;
import org.transcuda.ir.Const;
import org.transcuda.ir.AddressSpace;
import org.transcuda.ir.Inst;
import org.transcuda.ir.Memory;
import org.transcuda.ir.Opcode;
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
 * anything reads them, which the lane loop then computes again, identically). Where the slice is the common
 * {@code uniform + ext(idx)·scale} ({@code cvt} or {@code mul.wide} of a 32-bit index, then {@code add.s64} of a
 * block-uniform base: {@link Index}), the prescan runs no slice and keeps the minimum, maximum and OR of the 32-bit
 * index only ({@link #fitsIndex}).
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
    record Plan(int access, List<Integer> slice, int log2, Index index) {
    }

    /**
     * An address {@code uni + ext(idx)·scale + offset} computed in the run by {@code cvt.s64.s32/cvt.u64.u32} (scale
     * 1) or {@code mul.wide.s32/u32} by a constant {@code scale} (1 to 2^16) of a 32-bit register {@code idx} read as
     * the run starts, and an {@code add.s64} of a block-uniform register {@code uni} (histogram's {@code data + i},
     * {@code p + 4·i}): the prescan needs only the minimum, maximum and OR of {@code idx} (32-bit reductions), not
     * the slice ({@link #fitsIndex}).
     */
    record Index(Reg uni, Reg idx, boolean signed, int scale) {
    }

    /**
     * The accesses of {@code run} (the lane loop's statements, in order) that the prescan can check;
     * {@code eligible} says whether an access may take part (not yet checked by another mechanism).
     */
    static List<Plan> plan(List<Stmt> run, Predicate<Stmt> eligible, Predicate<Reg> uniform) {
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
            Index ix = index(run, slice, base, uniform);
            if (ix != null) {
                out.add(new Plan(a, List.of(), Integer.numberOfTrailingZeros(bytes), ix));
                continue;
            }
            cand.add(new Plan(a, slice, Integer.numberOfTrailingZeros(bytes), null));
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

    /** The {@link Index} form of an access's slice, or null. */
    private static Index index(List<Stmt> run, List<Integer> slice, Reg base, Predicate<Reg> uniform) {
        if (slice.size() != 2) return null;
        Reg idx, wide;
        boolean signed;
        long scale;
        switch (run.get(slice.get(0)).inst()) {
            case Inst.Convert cv when !cv.mode().sat() && cv.from().bits() == 32 && integer(cv.from())
                    && cv.to().bits() == 64 && cv.src() instanceof Reg r -> {
                idx = r;
                wide = cv.dst();
                signed = cv.from().kind() == ScalarType.Kind.SIGNED;
                scale = 1;
            }
            case Inst.Compute m when m.op() == Opcode.MUL_WIDE && m.type().bits() == 32 && integer(m.type())
                    && m.srcs().get(0) instanceof Reg r && m.srcs().get(1) instanceof Const c -> {
                idx = r;
                wide = m.dst();
                signed = m.type().kind() == ScalarType.Kind.SIGNED;
                scale = c.bits();
            }
            default -> {
                return null;
            }
        }
        if (scale < 1 || scale > 1 << 16) return null;
        if (!(run.get(slice.get(1)).inst() instanceof Inst.Compute add) || add.op() != Opcode.ADD
                || add.type().bits() != 64 || add.dst().id() != base.id()) {
            return null;
        }
        Value x = add.srcs().get(0), y = add.srcs().get(1);
        if (x instanceof Reg r && r.id() == wide.id()) {
            x = y;
            y = add.srcs().get(0);
        }
        if (!(y instanceof Reg yr) || yr.id() != wide.id() || !(x instanceof Reg uni) || !uniform.test(uni)) {
            return null;
        }
        return new Index(uni, idx, signed, (int) scale);
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
     * {@link #fits} for an {@link Index} access: {@code base} is {@code uni + offset}, {@code min/max} the
     * extremes of the index over the loop's threads (for a zero-extended index, of {@code idx ^ 0x80000000}, so that
     * signed comparisons order them as unsigned), {@code or} the OR of the indices, {@code scale} the index's factor;
     * true when no thread ran ({@code min > max}).
     */
    static boolean fitsIndex(Exec e, int site, long base, int min, int max, int or, boolean signed, int scale,
            int k) {
        if (min > max) return true;
        // |ext(idx)| < 2^32 and scale <= 2^16: the products do not wrap
        long lo = (signed ? min : Integer.toUnsignedLong(min ^ Integer.MIN_VALUE)) * scale;
        long hi = (signed ? max : Integer.toUnsignedLong(max ^ Integer.MIN_VALUE)) * scale;
        long a = base + lo, b = base + hi;
        // no wrap of the 64-bit sums (else no answer: the per-access checks decide)
        if (((base ^ a) & (lo ^ a)) < 0 || ((base ^ b) & (hi ^ b)) < 0) return false;
        // every ext(idx)·scale has at least the trailing zeros of (OR of the indices)·scale
        return fits(e, site, a, b, base | ((long) or * scale), k);
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
        if (!e.sites[site].covers(e, lo, hi, k)) return false;
        e.loopChecked++;
        return true;
    }
}
