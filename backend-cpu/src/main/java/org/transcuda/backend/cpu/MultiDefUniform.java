package org.transcuda.backend.cpu;

import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.transcuda.ir.Block;
import org.transcuda.ir.Function;
import org.transcuda.ir.Inst;
import org.transcuda.ir.Reg;
import org.transcuda.ir.Stmt;
import org.transcuda.ir.SymbolAddr;
import org.transcuda.ir.Terminator;
import org.transcuda.ir.Value;

/**
 * Block-uniform registers with several definitions (a loop counter: {@code mov %r, 0} before the loop,
 * {@code add %r, %r, 16} in it), for the lockstep shape, added to the compiler's single-definition ones
 * ({@code KernelCompiler.uniformRegs}). Proof, a greatest fixpoint over two sets assumed full and shrunk: the
 * <em>convergent</em> blocks C (any block, the entry included, whose every predecessor is in C and reaches it by an
 * unconditional branch or a conditional branch on a predicate in U) and the registers U (the single-definition
 * uniform ones; a register whose every definition is unguarded, defines it alone, is a {@code mov}, arithmetic,
 * compare or conversion of constants, constant symbols and registers of U, and sits in a block of C). Induction over
 * a thread's path: it starts at the entry, can enter a C block only from a C block, so its C blocks are a prefix
 * of its path; on that
 * prefix every thread takes the same branches (unconditional, or on a predicate whose value, by induction, is the same
 * for all) with the same values of U, and once out of C no register of U is written again. So every thread of the
 * block runs a C block together, all active, and the lockstep code computes U's definitions once per segment run,
 * its {@code luni} home holding what every thread's array element would hold. Kept smallest: the result is used only
 * when every use of a register made uniform here is a statement that defines a uniform register or a conditional
 * branch's predicate (no memory access, no per-thread statement sees one), else nothing changes; and a conditional
 * branch on a uniform predicate with every thread active jumps on the predicate without counting threads.
 * Matmul's tile counter {@code %r28} and its {@code %p2}. {@code -Dtranscuda.cpu.multiDefUniform=false}: only the
 * single-definition registers, and the counting branch.
 */
final class MultiDefUniform {
    /** {@code -Dtranscuda.cpu.multiDefUniform=false}: off. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.multiDefUniform"));

    /** Per kernel name, how many registers its last lockstep compilation made uniform here (tests). */
    static final Map<String, Integer> ADDED = RecentMap.of(1024);

    private MultiDefUniform() {
    }

    /**
     * {@code single} extended by the registers proved block-uniform above, or {@code single} itself (off, nothing
     * proved, or a use outside uniform definitions and branches). {@code constSymbol}: a symbol address that is a
     * compile-time constant.
     */
    static BitSet extend(Function f, BitSet single, Predicate<SymbolAddr> constSymbol) {
        if (!ENABLED || f.blocks().isEmpty()) return single;
        List<Block> blocks = f.blocks();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < blocks.size(); i++) index.put(blocks.get(i).label(), i);
        int nb = blocks.size();
        // predecessors of each block (by index), with the predecessor's terminator
        List<List<Integer>> preds = new java.util.ArrayList<>();
        for (int i = 0; i < nb; i++) preds.add(new java.util.ArrayList<>());
        for (int i = 0; i < nb; i++) {
            for (String s : blocks.get(i).terminator().successors()) {
                Integer j = index.get(s);
                if (j == null) return single;
                preds.get(j).add(i);
            }
        }
        Map<Integer, List<Stmt>> defs = new HashMap<>();
        Map<Stmt, Integer> blockOf = new HashMap<>();
        for (int i = 0; i < nb; i++) {
            for (Stmt st : blocks.get(i).stmts()) {
                blockOf.put(st, i);
                for (Reg d : st.inst().defs()) defs.computeIfAbsent(d.id(), k -> new java.util.ArrayList<>()).add(st);
            }
        }
        BitSet u = new BitSet();
        u.or(single);
        for (int id : defs.keySet()) u.set(id);
        BitSet c = new BitSet();
        c.set(0, nb);
        boolean changed = true;
        while (changed) {
            changed = false;
            // the entry too: reached by every thread at the start, and again only through its predecessors
            for (int i = 0; i < nb; i++) {
                if (!c.get(i)) continue;
                boolean ok = true;
                for (int p : preds.get(i)) {
                    Terminator t = blocks.get(p).terminator();
                    ok &= c.get(p) && switch (t) {
                        case Terminator.Branch br -> true;
                        case Terminator.CondBranch cb -> !(cb.pred() instanceof Reg r) || u.get(r.id());
                        default -> false;
                    };
                }
                if (!ok) {
                    c.clear(i);
                    changed = true;
                }
            }
            for (var en : defs.entrySet()) {
                int id = en.getKey();
                if (!u.get(id) || single.get(id)) continue;
                boolean ok = true;
                for (Stmt st : en.getValue()) ok &= definesUniformly(st, u, constSymbol) && c.get(blockOf.get(st));
                if (!ok) {
                    u.clear(id);
                    changed = true;
                }
            }
        }
        BitSet added = (BitSet) u.clone();
        added.andNot(single);
        if (added.isEmpty()) return single;
        // every use of an added register: a definition of a uniform register, or a branch predicate
        for (Block b : blocks) {
            for (Stmt st : b.stmts()) {
                boolean uses = st.guard() != null && added.get(st.guard().id());
                for (Value v : st.inst().uses()) uses |= v instanceof Reg r && added.get(r.id());
                if (!uses) continue;
                List<Reg> d = st.inst().defs();
                if (d.isEmpty() || !d.stream().allMatch(r -> u.get(r.id()))) return single;
            }
            if (b.terminator() instanceof Terminator.Switch sw && sw.index() instanceof Reg r && added.get(r.id())) {
                return single;
            }
        }
        return u;
    }

    /** Unguarded, defines one register, register-only, every operand a constant, constant symbol or register of u. */
    private static boolean definesUniformly(Stmt st, BitSet u, Predicate<SymbolAddr> constSymbol) {
        if (st.guard() != null || st.inst().defs().size() != 1) return false;
        boolean kind = switch (st.inst()) {
            case Inst.Mov m -> true;
            case Inst.Compute x -> true;
            case Inst.Compare x -> true;
            case Inst.Convert x -> true;
            default -> false;
        };
        if (!kind) return false;
        for (Value v : st.inst().uses()) {
            if (v instanceof Reg r && !u.get(r.id())) return false;
            if (v instanceof SymbolAddr sa && !constSymbol.test(sa)) return false;
        }
        return true;
    }
}
