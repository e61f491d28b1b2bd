package org.transcuda.backend.cpu;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.transcuda.ir.Block;
import org.transcuda.ir.Function;
import org.transcuda.ir.Inst;
import org.transcuda.ir.Reg;
import org.transcuda.ir.Stmt;
import org.transcuda.ir.Value;

/**
 * Lockstep engine: the lane comparisons of {@link WarpScan} chains that nothing else reads are not computed.
 *
 * <p>Each step {@code s} of a chain selects with a predicate {@code p_s} whose single definition is a comparison
 * equivalent to {@code lane < 2^s} (or {@code lane >= 2^s}) of the chain's lane register ({@code %laneid}, or
 * {@code %tid.x & 31}; one definition each, checked by {@link WarpScan#find}). When the chain runs as sequential
 * sums ({@link WarpScan#scan}) the selects are skipped and the predicate is not read; when the steps run literally,
 * the lockstep compiler's fallback computes the select from the lane register ({@link WarpScan#below}), not from
 * {@code p_s}. So a comparison whose predicate is mentioned by nothing but its own definition and the skipped
 * selects of the chains the compiler runs is dead: {@link #unread} lists it, and the compiler leaves it out of its
 * lane loop. scan's {@code scan_block} computed five such predicates for all 256 threads per block (nvcc keeps
 * {@code lane == 0}, {@code lane < 2}, {@code lane < 4} for the second chain over the warp totals): five lane loops
 * per block, about a tenth of the kernel's samples (docs/benchmarks.md).
 *
 * <p>Reading the lane instead of {@code p_s} gives the same value wherever {@code p_s} is defined: both the lane and
 * {@code tid.x} have one definition, so once defined the lane is the thread's lane everywhere; a comparison that ran
 * before the lane's definition read an undefined register (any value is allowed there), and a predicate never
 * defined before the chain is undefined too. A predicate that is also a guard, a branch condition, a stored or
 * selected value elsewhere, or that has another definition, is kept and computed as before. Off with
 * {@code -Dtranscuda.cpu.scanPreds=false} (the comparisons are computed, the fallback still reads the lane).
 */
final class ScanPreds {
    /** {@code -Dtranscuda.cpu.scanPreds}: leave out the lane comparisons only scan chains read (default on). */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.scanPreds"));

    private ScanPreds() {
    }

    /**
     * The definitions of the predicates of {@code chains} (by their first shuffle; the chains the compiler runs, whose
     * skipped statements are {@code skip}) that no statement or terminator of {@code f} mentions except the
     * definition itself and the chains' selects: single unguarded comparisons defining nothing else.
     */
    static Set<Stmt> unread(Function f, Map<Stmt, WarpScan.Chain> chains, Set<Stmt> skip) {
        Set<Stmt> out = Collections.newSetFromMap(new IdentityHashMap<>());
        if (chains.isEmpty()) return out;
        // every select of a chain the compiler runs, with the predicate of its step
        Map<Stmt, Integer> selects = new IdentityHashMap<>();
        Map<Integer, Boolean> preds = new java.util.HashMap<>();
        for (Block b : f.blocks()) {
            List<Stmt> stmts = b.stmts();
            for (Stmt st : stmts) {
                WarpScan.Chain c = chains.get(st);
                if (c == null) continue;
                for (int s = 0; s < c.steps(); s++) {
                    Stmt sel = stmts.get(c.selects()[s]);
                    if (!skip.contains(sel)) continue;
                    selects.put(sel, c.preds()[s].id());
                    preds.put(c.preds()[s].id(), Boolean.TRUE);
                }
            }
        }
        // per candidate predicate: its definitions and whether anything else mentions it
        Map<Integer, Stmt> def = new java.util.HashMap<>();
        Set<Integer> other = new java.util.HashSet<>();
        for (Reg r : f.paramRegs()) if (preds.containsKey(r.id())) other.add(r.id());
        for (Block b : f.blocks()) {
            for (Stmt st : b.stmts()) {
                Integer selected = selects.get(st);
                if (st.guard() != null && preds.containsKey(st.guard().id())) other.add(st.guard().id());
                for (Value v : st.inst().uses()) {
                    if (v instanceof Reg r && preds.containsKey(r.id()) && (selected == null || selected != r.id())) {
                        other.add(r.id());
                    }
                }
                for (Reg d : st.inst().defs()) {
                    if (!preds.containsKey(d.id())) continue;
                    if (def.containsKey(d.id()) || st.guard() != null || !(st.inst() instanceof Inst.Compare)
                            || st.inst().defs().size() != 1) {
                        other.add(d.id());
                    }
                    def.put(d.id(), st);
                }
            }
            for (Value v : b.terminator().uses()) if (v instanceof Reg r && preds.containsKey(r.id())) other.add(r.id());
        }
        for (var e : def.entrySet()) if (!other.contains(e.getKey())) out.add(e.getValue());
        return out;
    }
}
