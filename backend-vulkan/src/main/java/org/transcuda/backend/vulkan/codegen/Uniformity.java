package org.transcuda.backend.vulkan.codegen;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.transcuda.ir.Block;
import org.transcuda.ir.Function;
import org.transcuda.ir.Inst;
import org.transcuda.ir.Reg;
import org.transcuda.ir.Stmt;
import org.transcuda.ir.Terminator;
import org.transcuda.ir.Value;

/**
 * A conservative block-uniformity (divergence) analysis of one function, for the warp emulation: its workgroup
 * barriers are only correct where every thread of the block executes them.
 *
 * <p>Values: a register is <em>divergent</em> (may differ between the threads of a block) when any of its
 * definitions reads a divergent register, is inherently per-thread ({@code %tid}, {@code %laneid},
 * {@code %warpid}, lane masks, clocks, {@code %smid}; loads other than {@code ld.param} and {@code ld.const} of a
 * uniform address; atomics; warp-instruction results; call results), or lies in a block outside uniform control
 * flow (registers are not SSA: a value assigned by only some threads differs after the join). Registers read
 * but never defined in the function (a device function's parameters) are divergent. Constants, symbol
 * addresses, {@code %ntid}, {@code %nctaid}, {@code %ctaid} and the other per-block special registers, and
 * {@code bar.red} results (the same in every thread, whatever each contributes) are uniform.
 *
 * <p>Control: a conditional branch or switch on a divergent value makes every block reachable from it before
 * its immediate post-dominator non-uniform (post-dominance over the CFG plus a virtual exit that every
 * {@code ret}/{@code exit}/{@code trap}/unreachable block reaches). This covers divergent loop exits (the loop
 * header is reachable again before the post-dominator after the loop) and early returns of some threads (the
 * post-dominator is the virtual exit, so everything after them is non-uniform). A block is in uniform control
 * flow when no divergent branch reaches it that way. Both parts are iterated to a fixed point.
 */
final class Uniformity {
    private final Function fn;
    private final Map<String, Integer> index = new HashMap<>();
    private final BitSet nonUniformBlocks = new BitSet();
    private final Set<Integer> divergentRegs = new HashSet<>();
    private final Set<Integer> defined = new HashSet<>();

    private Uniformity(Function fn) {
        this.fn = fn;
    }

    /** Analyses {@code fn} (structured or not; a guarded statement is divergent when its guard is). */
    static Uniformity of(Function fn) {
        Uniformity u = new Uniformity(fn);
        u.run();
        return u;
    }

    /** Whether every thread of the block that entered the function executes {@code label} together. */
    boolean uniformControl(String label) {
        Integer i = index.get(label);
        if (i == null) throw new IllegalArgumentException("no block " + label + " in " + fn.name());
        return !nonUniformBlocks.get(i);
    }

    /** Whether {@code v} may differ between the threads of a block. */
    boolean divergent(Value v) {
        return v instanceof Reg r && (divergentRegs.contains(r.id()) || !defined.contains(r.id()));
    }

    /** Whether {@code i} needs every thread of the block (warp emulation, {@code bar.warp.sync} or a CTA barrier). */
    static boolean collective(Inst i) {
        return i instanceof Inst.Shuffle || i instanceof Inst.Vote || i instanceof Inst.Match
                || i instanceof Inst.Redux || i instanceof Inst.ActiveMask || i instanceof Inst.WarpSync
                || i instanceof Inst.Barrier;
    }

    /** The first collective statement of {@code fn} outside uniform control flow, or null. */
    Stmt firstCollectiveOutsideUniform(Predicate<String> calleeIsCollective) {
        for (Block b : fn.blocks()) {
            boolean uniform = uniformControl(b.label());
            for (Stmt s : b.stmts()) {
                if (uniform && (s.guard() == null || !divergent(s.guard()))) continue;
                if (collective(s.inst())) return s;
                if (s.inst() instanceof Inst.Call c && c.callee() != null && calleeIsCollective.test(c.callee())) {
                    return s;
                }
            }
        }
        return null;
    }

    private void run() {
        List<Block> blocks = fn.blocks();
        int n = blocks.size();
        for (int i = 0; i < n; i++) index.put(blocks.get(i).label(), i);
        int exit = n;
        List<List<Integer>> succ = new ArrayList<>();
        for (Block b : blocks) {
            List<Integer> s = new ArrayList<>();
            for (String t : b.terminator().successors()) {
                Integer j = index.get(t);
                if (j == null) throw new IllegalArgumentException("branch to unknown block " + t);
                s.add(j);
            }
            if (s.isEmpty()) s.add(exit);
            succ.add(s);
        }
        BitSet[] pdom = postDominators(succ, n);
        int[] ipdom = new int[n];
        for (int a = 0; a < n; a++) ipdom[a] = immediate(pdom, a);

        for (Block b : blocks) {
            for (Stmt s : b.stmts()) for (Reg r : s.inst().defs()) defined.add(r.id());
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            // values
            for (int bi = 0; bi < n; bi++) {
                Block b = blocks.get(bi);
                boolean blockDivergent = nonUniformBlocks.get(bi);
                for (Stmt s : b.stmts()) {
                    Inst inst = s.inst();
                    boolean d = blockDivergent || org.transcuda.ir.Insts.perThread(inst, fn.kernel())
                            || s.guard() != null && (divergentRegs.contains(s.guard().id()) || !defined.contains(s.guard().id()));
                    // a bar.red result is the same in every thread whatever each contributes
                    if (!d && !(inst instanceof Inst.Barrier)) {
                        for (Value v : inst.uses()) {
                            if (v instanceof Reg r && (divergentRegs.contains(r.id()) || !defined.contains(r.id()))) {
                                d = true;
                                break;
                            }
                        }
                    }
                    if (!d) continue;
                    for (Reg r : inst.defs()) changed |= divergentRegs.add(r.id());
                }
            }
            // control
            for (int a = 0; a < n; a++) {
                Value cond = switch (blocks.get(a).terminator()) {
                    case Terminator.CondBranch cb -> cb.pred();
                    case Terminator.Switch sw -> sw.index();
                    default -> null;
                };
                if (cond == null || !(cond instanceof Reg r)) continue;
                if (!divergentRegs.contains(r.id()) && defined.contains(r.id())) {
                    continue;
                }
                // every block reachable from a's successors before a's immediate post-dominator
                ArrayDeque<Integer> work = new ArrayDeque<>(succ.get(a));
                BitSet seen = new BitSet();
                while (!work.isEmpty()) {
                    int x = work.poll();
                    if (x == exit || x == ipdom[a] || seen.get(x)) continue;
                    seen.set(x);
                    if (!nonUniformBlocks.get(x)) {
                        nonUniformBlocks.set(x);
                        changed = true;
                    }
                    work.addAll(succ.get(x));
                }
            }
        }
    }

    /** Post-dominator sets over blocks 0..n-1 and the virtual exit n (iterative data flow). */
    private static BitSet[] postDominators(List<List<Integer>> succ, int n) {
        BitSet[] pdom = new BitSet[n + 1];
        BitSet all = new BitSet();
        all.set(0, n + 1);
        for (int i = 0; i < n; i++) pdom[i] = (BitSet) all.clone();
        pdom[n] = new BitSet();
        pdom[n].set(n);
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int i = n - 1; i >= 0; i--) {
                BitSet x = (BitSet) all.clone();
                for (int s : succ.get(i)) x.and(pdom[s]);
                x.set(i);
                if (!x.equals(pdom[i])) {
                    pdom[i] = x;
                    changed = true;
                }
            }
        }
        return pdom;
    }

    /**
     * The immediate post-dominator of {@code a}: its strict post-dominator that all the others post-dominate
     * (the one with the largest set); -1 when none is defined (a block from which the exit is unreachable).
     */
    private static int immediate(BitSet[] pdom, int a) {
        if (pdom[a].cardinality() == pdom.length) return -1; // never reaches the exit: the full set
        BitSet strict = (BitSet) pdom[a].clone();
        strict.clear(a);
        int best = -1;
        int bestSize = -1;
        for (int d = strict.nextSetBit(0); d >= 0; d = strict.nextSetBit(d + 1)) {
            int size = pdom[d].cardinality();
            if (size > bestSize) {
                best = d;
                bestSize = size;
            }
        }
        return best;
    }
}
