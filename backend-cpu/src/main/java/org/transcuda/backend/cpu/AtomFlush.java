package org.transcuda.backend.cpu;

import java.util.List;
import java.util.function.Predicate;
import org.transcuda.ir.AddressSpace;
import org.transcuda.ir.Block;
import org.transcuda.ir.Const;
import org.transcuda.ir.Inst;
import org.transcuda.ir.Memory;
import org.transcuda.ir.Opcode;
import org.transcuda.ir.Reg;
import org.transcuda.ir.ScalarType;
import org.transcuda.ir.Stmt;
import org.transcuda.ir.SymbolAddr;
import org.transcuda.ir.Terminator;
import org.transcuda.ir.Value;

/**
 * The lockstep engine's block-stride flush of shared words into global words with atomics, as one pass ({@code
 * -Dtranscuda.cpu.atomFlush=false} turns this off): histogram's last loop {@code for (b = tid; b < 256; b += ntid)
 * atomicAdd(&bins[b], h[b])}.
 *
 * <p>The shape, proven when the kernel is compiled ({@link #plan}): a {@link StrideLoop} block (index {@code I},
 * advance {@code I = add I, S}, compare {@code p = setp.lt.s32 I, N}) whose other per-thread statements are exactly
 * {@code A = mul.wide.s32 I, 4}, {@code P = add.s64 G, A}, {@code B = shl.b32 I, 2}, {@code Q = add.s32 H, B},
 * {@code v = ld.shared.b32 [Q + offH]} and {@code x = atom.global.add.b32 [P + offG], v} (or {@code red}), in an
 * order where each reads what the same iteration defined ({@code G}, {@code H} block-uniform; {@code H} may be a shared
 * variable's address), each register defined once in the block, and none of {@code A, P, B, Q, v, x, p} mentioned
 * anywhere else in the function (nothing reads their values after the loop).
 *
 * <p>At run time ({@link #run}), when the segment starts with every thread active, {@code I[t] == I[0] + t}, {@code
 * S == ntid} (the threads' iterations then cover the indices {@code I0 .. end − 1}, {@code end = max(I0 + n, N)},
 * each once), {@code I0 >= 0}, {@code end − 1 + n} fits in 31 bits (no 32-bit arithmetic of the loop wraps), every
 * shared word {@code (H + offH)/4 + j} lies inside the shared window and every global word {@code G + offG + 4·j}
 * inside one live allocation, aligned: one loop over {@code j} adds {@code shared[(H + offH)/4 + j]} to the global
 * word with {@link Atom#a32} (atomic against the other workers' blocks, as before), in the general loop's order (thread
 * {@code t} of iteration {@code k} is index {@code I0 + k·n + t}: ascending), then writes each thread's final index
 * and leaves the loop with every thread. Nothing in the loop writes shared memory, and the global words are device
 * memory, never a window, so the loads read what they read before. When a check fails nothing has run and the general
 * loop runs, whose per-access checks fault at the thread and instruction they always did.
 */
final class AtomFlush {
    /** On unless {@code -Dtranscuda.cpu.atomFlush=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.atomFlush"));

    private AtomFlush() {
    }

    /** The shape found: the uniform bases ({@code g}: 64-bit global, {@code h}: 32-bit shared) and the atomic. */
    record Plan(Value g, long offG, Value h, long offH, Stmt atomic) {
    }

    /** The plan, or null ({@code lanes}: the block's per-thread statements; {@code blocks}: the whole function's). */
    static Plan plan(Block self, List<Integer> lanes, StrideLoop.Plan loop, List<Block> blocks,
            Predicate<Reg> uniform) {
        List<Stmt> stmts = self.stmts();
        Reg idx = loop.idx();
        if (!(self.terminator() instanceof Terminator.CondBranch c) || !(c.pred() instanceof Reg p)) return null;
        // positions (statement indices) and registers: 0 A = mul.wide, 1 P = add.s64, 2 B = shl, 3 Q = add.s32,
        // 4 v = ld.shared, 5 the atomic
        int[] pos = {-1, -1, -1, -1, -1, -1};
        Reg[] reg = new Reg[5];
        Value g = null, h = null;
        Inst.Atomic at = null;
        Inst.Load ld = null;
        int count = 0;
        for (int j : lanes) {
            Stmt st = stmts.get(j);
            if (st == loop.inc() || st == loop.cmp()) continue;
            if (st.guard() != null) return null;
            count++;
            Inst in = st.inst();
            if (in instanceof Inst.Compute m && m.op() == Opcode.MUL_WIDE && m.type() == ScalarType.S32
                    && m.srcs().size() == 2 && m.srcs().get(0).equals(idx) && isConst(m.srcs().get(1), 4)
                    && pos[0] < 0) {
                pos[0] = j;
                reg[0] = m.dst();
            } else if (in instanceof Inst.Compute m && m.op() == Opcode.SHL && bits32(m.type())
                    && m.srcs().size() == 2 && m.srcs().get(0).equals(idx) && isConst(m.srcs().get(1), 2)
                    && pos[2] < 0) {
                pos[2] = j;
                reg[2] = m.dst();
            } else if (in instanceof Inst.Compute m && m.op() == Opcode.ADD && !m.mode().sat()
                    && m.srcs().size() == 2 && m.dst().type().bits() == 64 && (m.type() == ScalarType.S64
                    || m.type() == ScalarType.U64 || m.type() == ScalarType.B64) && pos[1] < 0 && reg[0] != null) {
                Value other = other(m.srcs(), reg[0]);
                if (!(other instanceof Reg r && uniform.test(r) && r.type().bits() == 64)) return null;
                pos[1] = j;
                reg[1] = m.dst();
                g = other;
            } else if (in instanceof Inst.Compute m && m.op() == Opcode.ADD && !m.mode().sat()
                    && m.srcs().size() == 2 && bits32(m.type()) && pos[3] < 0 && reg[2] != null) {
                Value other = other(m.srcs(), reg[2]);
                boolean ok = other instanceof Reg r ? uniform.test(r) && r.type().bits() == 32
                        : other instanceof SymbolAddr sa && sa.space() == AddressSpace.SHARED;
                if (!ok) return null;
                pos[3] = j;
                reg[3] = m.dst();
                h = other;
            } else if (in instanceof Inst.Load l && l.space() == AddressSpace.SHARED && bits32(l.type())
                    && reg[3] != null && l.address().base().equals(reg[3]) && pos[4] < 0) {
                pos[4] = j;
                reg[4] = l.dst();
                ld = l;
            } else if (in instanceof Inst.Atomic a && a.space() == AddressSpace.GLOBAL
                    && a.op() == Memory.AtomicOp.ADD && bits32(a.type()) && a.b() == null && reg[1] != null
                    && reg[4] != null && a.address().base().equals(reg[1]) && a.a().equals(reg[4]) && pos[5] < 0) {
                pos[5] = j;
                at = a;
            } else {
                return null;
            }
        }
        if (count != 6 || pos[5] < 0) return null;
        // each of the loop's own registers defined once in the block, mentioned nowhere else in the function
        List<Reg> own = new java.util.ArrayList<>(List.of(reg[0], reg[1], reg[2], reg[3], reg[4], p));
        if (at.dst() != null) own.add(at.dst());
        for (Reg r : own) {
            if (uniform.test(r) || r.equals(idx)) return null;
            int defs = 0;
            for (Stmt st : stmts) if (st.inst().defs().contains(r)) defs++;
            if (defs != 1) return null;
        }
        if (at.dst() != null) {
            for (Stmt st : stmts) if (mentionsUse(st, at.dst())) return null;
        }
        for (Block b : blocks) {
            if (b == self) continue;
            for (Stmt st : b.stmts()) {
                for (Reg r : own) if (mentionsUse(st, r) || st.inst().defs().contains(r)) return null;
            }
            if (b.terminator() instanceof Terminator.CondBranch o && own.contains(o.pred())) return null;
        }
        if (g.equals(reg[1]) || h.equals(reg[3])) return null;
        return new Plan(g, at.address().offset(), h, ld.address().offset(), stmts.get(pos[5]));
    }

    private static boolean bits32(ScalarType t) {
        return t == ScalarType.B32 || t == ScalarType.U32 || t == ScalarType.S32;
    }

    private static boolean isConst(Value v, long x) {
        return v instanceof Const c && c.type().kind() != ScalarType.Kind.FLOAT && c.bits() == x;
    }

    private static Value other(List<Value> srcs, Reg r) {
        if (srcs.get(0).equals(r) && !srcs.get(1).equals(r)) return srcs.get(1);
        if (srcs.get(1).equals(r) && !srcs.get(0).equals(r)) return srcs.get(0);
        return null;
    }

    private static boolean mentionsUse(Stmt st, Reg r) {
        if (r.equals(st.guard())) return true;
        for (Value u : st.inst().uses()) if (r.equals(u)) return true;
        return false;
    }

    // ---- at run time ----

    /**
     * The loop as one pass when every check above holds (then true, the index array holding each thread's final
     * index); false with nothing done otherwise. {@code idx}: the index register's array, {@code n} threads (every
     * one active), {@code h}: the shared base register's 32 bits, {@code site}: the atomic's site.
     */
    static boolean run(Exec e, int[] idx, int n, int step, int bound, long g, long offG, int h, long offH, int site) {
        if (n <= 0 || step != n || idx.length < n) return false;
        int i0 = idx[0];
        if (i0 < 0) return false;
        for (int t = 1; t < n; t++) if (idx[t] != i0 + t) return false;
        long end = Math.max((long) i0 + n, bound);
        if (end - 1 + n > Integer.MAX_VALUE) return false;
        // shared words: H + 4·j in 31 bits (no wrap of shl/add, the same under either extension), then + offH
        if (h < 0) return false;
        long hiH = (long) h + 4 * (end - 1);
        if (hiH > Integer.MAX_VALUE) return false;
        long sLo = (long) h + 4L * i0 + offH;
        long sHi = hiH + offH;
        if (sLo < 0 || (sLo & 3) != 0 || (sHi >>> 2) >= e.sharedSlots2 || (sHi >>> 2) >= e.shared.length) {
            return false;
        }
        // global words: G + 4·j + offG, inside one allocation, aligned, no 64-bit wrap
        long span = 4 * (end - 1);
        if (g < 0 || g > Long.MAX_VALUE - span - Math.abs(offG) - 16) return false;
        long gLo = g + 4L * i0 + offG;
        long gHi = g + span + offG;
        if (gLo < 0 || !e.sites[site].covers(e, gLo, gHi, 2)) return false;
        int[] sh = e.shared;
        int w = (int) (sLo >>> 2);
        int words = (int) (end - i0);
        for (int j = 0; j < words; j++) Atom.a32(gLo + 4L * j, Atom.ADD, sh[w + j], 0);
        // each thread's final index: its last index plus the step; the last indices are end − n .. end − 1, index j
        // thread (j − I0) mod n's (end − n >= I0); one remainder, then the thread counted up and wrapped
        int t = (int) ((end - n - i0) % n);
        for (long j = end - n; j < end; j++) {
            idx[t] = (int) (j + n);
            if (++t == n) t = 0;
        }
        e.atomFlush++;
        return true;
    }
}
