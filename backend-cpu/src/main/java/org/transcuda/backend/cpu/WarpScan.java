package org.transcuda.backend.cpu;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.transcuda.ir.Block;
import org.transcuda.ir.Const;
import org.transcuda.ir.Function;
import org.transcuda.ir.Inst;
import org.transcuda.ir.Opcode;
import org.transcuda.ir.Reg;
import org.transcuda.ir.ScalarType;
import org.transcuda.ir.Special;
import org.transcuda.ir.Stmt;
import org.transcuda.ir.Value;

/**
 * Lockstep engine: the Hillis–Steele inclusive warp scan as one sequential sum per warp. nvcc unrolls
 * {@code for (d = 1; d < D; d <<= 1) { o = __shfl_up_sync(~0u, v, d); if (lane >= d) v += o; }} into a chain of
 * steps {@code shfl.sync.up.b32 o|p, v, d, 0, -1; selp.b32 e, 0, o, lane<d; add v', e, v} (deltas 1, 2, 4, ...);
 * step {@code s} (delta {@code 2^s}) gives {@code v_{s+1}[l] = v_s[l] + (l >= 2^s ? v_s[l - 2^s] : 0)}, so after
 * {@code k} steps {@code v_k[l]} is the sum of {@code v_0} over the lanes {@code (l - 2^k, l]} of the warp (lanes
 * below 0 count nothing): with 32-bit wrapping {@code add} (associative and commutative) that is the running sum
 * {@code P[l] = v_0[0] + ... + v_0[l]} minus {@code P[l - 2^k]}, bit for bit. {@link #scan} computes it in one pass
 * per warp instead of {@code k} block-wide shuffles (each an array copy) and lane loops.
 *
 * <p>{@link #find} matches the chain in one block's statements (unguarded; clamp {@code c} = 0, member mask all
 * lanes, width 32; the shuffle results, their predicates, the selected values and the intermediate sums mentioned
 * nowhere else in the function; the select's predicate a comparison equivalent to {@code lane < 2^s} (or its
 * negation with the arms swapped) of a lane register ({@code %laneid} or {@code %tid.x & 31}, one definition); the
 * other statements between the chain's first and last statement plain arithmetic that mentions no register of the
 * chain). The lockstep compiler then runs {@link #scan} at the first shuffle and skips the chain's other
 * statements; when {@link #scan} declines (the active threads are not every thread nor whole warps, or a
 * {@code %tid.x & 31} lane is not the hardware lane: {@code ntid.x} not a multiple of 32 in a block with more than
 * one row) the steps run literally ({@link #step} after each shuffle's usual code). In a partial last warp with every
 * thread active each source lane {@code l - d} exists, so the sum is exact there too. Off with
 * {@code -Dtranscuda.cpu.warpScan=false}; {@code -Dtranscuda.cpu.stats=true} counts the warps scanned
 * ({@link Exec#warpScans}).
 */
final class WarpScan {
    /** {@code -Dtranscuda.cpu.warpScan}: shuffle scan chains as sequential sums (default on). */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.warpScan"));
    /**
     * Five-step chains (window 32) compiled to {@link WarpScanVec#scan} (whole warps as vector prefix sums); its class
     * is loaded only when the vector module is there.
     */
    static final boolean VEC = LaneVec.AVAILABLE && WarpScanVec.ENABLED && WarpScanVec.fits();

    private WarpScan() {
    }

    /**
     * One matched chain in a block: {@code shuffles}, {@code selects}, {@code adds} per step (statement indices in
     * the block), the scanned register {@code in}, the result {@code out}, and per step the select's predicate and
     * whether its definition lies inside the chain's statement range (the lockstep compiler's literal steps read
     * {@code lane} instead of the predicate either way, {@link #below}; {@link ScanPreds}).
     */
    record Chain(int[] shuffles, int[] selects, int[] adds, Reg in, Reg out, Reg lane, boolean tidLane,
            Reg[] preds, boolean[] predInside, Reg[] sums) {
        int steps() {
            return shuffles.length;
        }

        /** The chain's statements other than the first shuffle (skipped when the chain is compiled as a scan). */
        void skipped(List<Stmt> stmts, Set<Stmt> into) {
            for (int s = 0; s < steps(); s++) {
                if (s > 0) into.add(stmts.get(shuffles[s]));
                into.add(stmts.get(selects[s]));
                into.add(stmts.get(adds[s]));
            }
        }
    }

    /** The chains of a function by the statement of their first shuffle (identity), with the statements skipped. */
    record Found(Map<Stmt, Chain> first, Set<Stmt> skip) {
    }

    /** Every chain of at least two steps in {@code f}. */
    static Found find(Function f) {
        Map<Stmt, Chain> first = new IdentityHashMap<>();
        Set<Stmt> skip = Collections.newSetFromMap(new IdentityHashMap<>());
        Facts x = new Facts(f);
        for (Block b : f.blocks()) {
            List<Stmt> stmts = b.stmts();
            for (int i = 0; i < stmts.size(); i++) {
                Chain c = match(x, stmts, i);
                if (c == null) continue;
                first.put(stmts.get(i), c);
                c.skipped(stmts, skip);
                i = c.adds[c.steps() - 1];
            }
        }
        return new Found(first, skip);
    }

    /** Function-wide facts: per register, the number of mentions and its single definition (null: none or several). */
    private static final class Facts {
        final int[] mentions;
        final Stmt[] def;

        Facts(Function f) {
            int n = f.regs().size();
            mentions = new int[n];
            def = new Stmt[n];
            int[] defs = new int[n];
            for (Reg r : f.paramRegs()) defs[r.id()]++;
            for (Block b : f.blocks()) {
                for (Stmt st : b.stmts()) {
                    java.util.Set<Integer> ids = new java.util.HashSet<>();
                    if (st.guard() != null) ids.add(st.guard().id());
                    for (Value v : st.inst().uses()) if (v instanceof Reg r) ids.add(r.id());
                    if (st.inst() instanceof Inst.Load l && l.address().base() instanceof Reg r) ids.add(r.id());
                    if (st.inst() instanceof Inst.Store s && s.address().base() instanceof Reg r) ids.add(r.id());
                    for (Reg d : st.inst().defs()) {
                        ids.add(d.id());
                        defs[d.id()]++;
                        def[d.id()] = st;
                    }
                    for (int id : ids) mentions[id]++;
                }
                for (Value v : b.terminator().uses()) if (v instanceof Reg r) mentions[r.id()]++;
            }
            for (int id = 0; id < n; id++) if (defs[id] != 1) def[id] = null;
        }

        /** The constant value of {@code v}: a constant, or a register whose only definition moves a constant. */
        Long constant(Value v) {
            if (v instanceof Const c) return c.bits();
            if (v instanceof Reg r && def[r.id()] instanceof Stmt st && st.guard() == null
                    && st.inst() instanceof Inst.Mov m && m.src() instanceof Const c) {
                return c.bits();
            }
            return null;
        }
    }

    static boolean int32(ScalarType t) {
        return t == ScalarType.B32 || t == ScalarType.S32 || t == ScalarType.U32;
    }

    /** The index of the next statement after {@code from} that mentions register {@code id}, or -1. */
    private static int nextMention(List<Stmt> stmts, int from, int id) {
        for (int j = from + 1; j < stmts.size(); j++) {
            Stmt st = stmts.get(j);
            if (st.guard() != null && st.guard().id() == id) return j;
            for (Value v : st.inst().uses()) if (v instanceof Reg r && r.id() == id) return j;
            for (Reg d : st.inst().defs()) if (d.id() == id) return j;
        }
        return -1;
    }

    /** The chain whose first shuffle is statement {@code i}, or null. */
    private static Chain match(Facts x, List<Stmt> stmts, int i) {
        List<int[]> steps = new ArrayList<>(); // {shuffle, select, add}
        List<Reg> preds = new ArrayList<>();
        List<Reg> sums = new ArrayList<>();
        Reg lane = null;
        Boolean tidLane = null;
        if (!(stmts.get(i).inst() instanceof Inst.Shuffle first) || !(first.a() instanceof Reg in)) return null;
        Reg cur = in;
        int pos = i;
        while (true) {
            int d = 1 << steps.size();
            Stmt ss = stmts.get(pos);
            if (ss.guard() != null || !(ss.inst() instanceof Inst.Shuffle sh) || sh.mode() != Inst.ShuffleMode.UP
                    || !(sh.a() instanceof Reg a) || a.id() != cur.id() || !int32(sh.dst().type())) {
                break;
            }
            Long b = x.constant(sh.b());
            Long c = x.constant(sh.c());
            Long m = x.constant(sh.memberMask());
            if (b == null || b != d || c == null || c != 0 || m == null || (int) (long) m != -1) break;
            Reg o = sh.dst();
            if (o.id() == cur.id() || x.mentions[o.id()] != 2) break;
            if (sh.valid() != null && (x.mentions[sh.valid().id()] != 1)) break;
            int li = nextMention(stmts, pos, o.id());
            if (li < 0 || stmts.get(li).guard() != null || !(stmts.get(li).inst() instanceof Inst.Compute sel)
                    || sel.op() != Opcode.SELP || !int32(sel.type())) {
                break;
            }
            // selp e, 0, o, (lane < d)  or  selp e, o, 0, (lane >= d)
            boolean zeroFirst;
            if (isReg(sel.srcs().get(1), o) && isZero(sel.srcs().get(0))) zeroFirst = true;
            else if (isReg(sel.srcs().get(0), o) && isZero(sel.srcs().get(1))) zeroFirst = false;
            else break;
            if (!(sel.srcs().get(2) instanceof Reg p) || !(x.def[p.id()] instanceof Stmt pd) || pd.guard() != null
                    || !(pd.inst() instanceof Inst.Compare cmp)) {
                break;
            }
            Reg l = laneCompare(cmp, d, zeroFirst);
            if (l == null || (lane != null && l.id() != lane.id())) break;
            Boolean tl = laneKind(x, l);
            if (tl == null) break;
            Reg e = sel.dst();
            if (x.mentions[e.id()] != 2) break;
            int ai = nextMention(stmts, li, e.id());
            if (ai < 0 || stmts.get(ai).guard() != null || !(stmts.get(ai).inst() instanceof Inst.Compute add)
                    || add.op() != Opcode.ADD || !int32(add.type()) || add.srcs().size() != 2) {
                break;
            }
            if (!(isReg(add.srcs().get(0), e) && isReg(add.srcs().get(1), cur)
                    || isReg(add.srcs().get(0), cur) && isReg(add.srcs().get(1), e))) {
                break;
            }
            // an intermediate sum: defined here, read by this step's shuffle and add only
            if (cur != in && x.mentions[cur.id()] != 3) break;
            lane = l;
            tidLane = tl;
            steps.add(new int[] {pos, li, ai});
            preds.add(p);
            Reg r = add.dst();
            sums.add(r);
            if (d == 16) break;
            int next = nextMention(stmts, ai, r.id());
            if (next < 0) break;
            pos = next;
            cur = r;
        }
        // a chain ends at the last step whose sum continues correctly; an intermediate sum read by a later statement
        // that is not the next step ends the chain before that step (the last sum is then the result)
        while (!steps.isEmpty()) {
            if (valid(x, stmts, steps, in, sums, lane)) break;
            steps.remove(steps.size() - 1);
            preds.remove(preds.size() - 1);
            sums.remove(sums.size() - 1);
        }
        if (steps.size() < 2) return null;
        int k = steps.size();
        int[] sh = new int[k], se = new int[k], ad = new int[k];
        boolean[] inside = new boolean[k];
        int lo = steps.get(0)[0], hi = steps.get(k - 1)[2];
        for (int s = 0; s < k; s++) {
            sh[s] = steps.get(s)[0];
            se[s] = steps.get(s)[1];
            ad[s] = steps.get(s)[2];
            int pj = indexOf(stmts, x.def[preds.get(s).id()]);
            inside[s] = pj > lo && pj < hi;
        }
        return new Chain(sh, se, ad, in, sums.get(k - 1), lane, tidLane, preds.toArray(Reg[]::new), inside,
                sums.toArray(Reg[]::new));
    }

    /**
     * The chain of {@code steps} is usable: its intermediate sums are mentioned only by the chain (def, next shuffle,
     * next add), and the other statements between its first and last statement are plain arithmetic that mentions no
     * register of the chain (in, out, shuffle results, selects, sums) and does not define the lane.
     */
    private static boolean valid(Facts x, List<Stmt> stmts, List<int[]> steps, Reg in, List<Reg> sums, Reg lane) {
        int k = steps.size();
        if (k < 2) return true;
        for (int s = 0; s < k - 1; s++) if (x.mentions[sums.get(s).id()] != 3) return false;
        Set<Integer> chain = new java.util.HashSet<>();
        Set<Integer> idx = new java.util.HashSet<>();
        for (int[] st : steps) for (int j : st) idx.add(j);
        for (int[] st : steps) for (int j : st) for (Reg d : stmts.get(j).inst().defs()) chain.add(d.id());
        chain.add(in.id());
        if (chain.contains(lane.id())) return false;
        int lo = steps.get(0)[0], hi = steps.get(k - 1)[2];
        for (int j = lo + 1; j < hi; j++) {
            if (idx.contains(j)) continue;
            Stmt st = stmts.get(j);
            Inst i = st.inst();
            if (!(i instanceof Inst.Compute || i instanceof Inst.Compare || i instanceof Inst.Mov
                    || i instanceof Inst.ReadSpecial || i instanceof Inst.Convert)) {
                return false;
            }
            if (st.guard() != null && chain.contains(st.guard().id())) return false;
            for (Value v : i.uses()) if (v instanceof Reg r && chain.contains(r.id())) return false;
            for (Reg d : i.defs()) if (chain.contains(d.id()) || d.id() == lane.id()) return false;
        }
        return true;
    }

    private static int indexOf(List<Stmt> stmts, Stmt st) {
        for (int j = 0; j < stmts.size(); j++) if (stmts.get(j) == st) return j;
        return -1;
    }

    static boolean isReg(Value v, Reg r) {
        return v instanceof Reg x && x.id() == r.id();
    }

    private static boolean isZero(Value v) {
        return v instanceof Const c && c.bits() == 0;
    }

    /**
     * The lane register of a comparison that is {@code lane < d} ({@code zeroFirst}) or {@code lane >= d} for a lane
     * in [0, 31], or null: {@code eq lane, 0} / {@code ne lane, 0} for d = 1, {@code lt/lo lane, d},
     * {@code le/ls lane, d-1}, {@code ge/hs lane, d}, {@code gt/hi lane, d-1} (integer types).
     */
    private static Reg laneCompare(Inst.Compare cmp, int d, boolean zeroFirst) {
        if (!(cmp.a() instanceof Reg l) || !(cmp.b() instanceof Const c) || !int32(cmp.type())) return null;
        long v = c.bits();
        boolean below = switch (cmp.op()) {
            case EQ -> d == 1 && v == 0;
            case LT, LO -> v == d;
            case LE, LS -> v == d - 1;
            default -> false;
        };
        boolean atLeast = switch (cmp.op()) {
            case NE -> d == 1 && v == 0;
            case GE, HS -> v == d;
            case GT, HI -> v == d - 1;
            default -> false;
        };
        return (zeroFirst ? below : atLeast) ? l : null;
    }

    /** {@code false} for a {@code %laneid} register, {@code true} for {@code %tid.x & 31}, null for anything else. */
    private static Boolean laneKind(Facts x, Reg l) {
        if (!(x.def[l.id()] instanceof Stmt st) || st.guard() != null) return null;
        if (st.inst() instanceof Inst.ReadSpecial rs) return rs.which() == Special.LANEID ? Boolean.FALSE : null;
        if (!(st.inst() instanceof Inst.Compute and) || and.op() != Opcode.AND || !int32(and.type())) return null;
        Value t = null;
        if (and.srcs().get(1) instanceof Const c && c.bits() == 31) t = and.srcs().get(0);
        else if (and.srcs().get(0) instanceof Const c && c.bits() == 31) t = and.srcs().get(1);
        if (!(t instanceof Reg tr) || !(x.def[tr.id()] instanceof Stmt ts) || ts.guard() != null) return null;
        if (ts.inst() instanceof Inst.ReadSpecial rs && rs.which() == Special.TID_X) return Boolean.TRUE;
        if (ts.inst() instanceof Inst.Mov mv && mv.src() instanceof Reg) return null;
        return null;
    }

    /**
     * {@code out[t]} = the sum of {@code in} over the lanes {@code (l - 2^steps, l]} of thread t's warp (l its lane)
     * for the active threads of {@code e}, when they are every thread of the block or whole warps and the lane register
     * is the hardware lane ({@code tidLane}: {@code %tid.x & 31}, which is when {@code ntid.x} is a multiple of 32 or
     * the block is one row). Returns false, having written nothing, otherwise. {@code in} may be {@code out}.
     */
    static boolean scan(Exec e, int[] in, int[] out, int steps, boolean tidLane) {
        if (tidLane && (e.ntx & 31) != 0 && e.nty * e.ntz != 1) return false;
        int n = e.nthreads;
        int window = 1 << steps;
        if (e.lfull != 0) {
            for (int w = 0; w < n; w += 32) warp(e, in, out, w, Math.min(32, n - w), window);
            e.warpScans += (n + 31) >>> 5;
            return true;
        }
        int count = e.lcount;
        if (!WarpShuffle.wholeWarps(e)) return false;
        int[] idx = e.lidx;
        for (int i = 0; i < count; i += 32) warp(e, in, out, idx[i], 32, window);
        e.warpScans += count >>> 5;
        return true;
    }

    /** The windowed running sum over the {@code lanes} threads of the warp at {@code w}. */
    static void warp(Exec e, int[] in, int[] out, int w, int lanes, int window) {
        int sum = 0;
        if (window < 32 && ScanWindow.warp(e, in, out, w, lanes, window)) return;
        if (window >= 32) {
            for (int l = 0; l < lanes; l++) {
                sum += in[w + l];
                out[w + l] = sum;
            }
            return;
        }
        int[] prefix = new int[32];
        for (int l = 0; l < lanes; l++) {
            sum += in[w + l];
            prefix[l] = sum;
            out[w + l] = l >= window ? sum - prefix[l - window] : sum;
        }
    }

    /**
     * One literal step when {@link #scan} declined: {@code prev + (below ? 0 : shuffled)} where {@code below} is
     * {@code lane < d} ({@link #below} of the chain's lane register, equivalent to the select's predicate in either
     * orientation, {@code lane < d} selecting 0 or {@code lane >= d} selecting the shuffled value).
     */
    static int step(int below, int shuffled, int prev) {
        return (below != 0 ? 0 : shuffled) + prev;
    }

    /** {@code lane < d} for a lane register in [0, 31]. */
    static int below(int lane, int d) {
        return Integer.compareUnsigned(lane, d) < 0 ? 1 : 0;
    }
}
