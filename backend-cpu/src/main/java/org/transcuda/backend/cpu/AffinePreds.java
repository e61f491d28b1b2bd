package org.transcuda.backend.cpu;

import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.transcuda.ir.Block;
import org.transcuda.ir.Const;
import org.transcuda.ir.Function;
import org.transcuda.ir.Inst;
import org.transcuda.ir.Reg;
import org.transcuda.ir.ScalarType;
import org.transcuda.ir.Stmt;
import org.transcuda.ir.Value;

/**
 * Lockstep engine: predicate registers that compare a register {@link AffineRegs} leaves unmaterialized with a
 * block-uniform value or a constant (scan's and reduce's {@code %p1 = setp.ge i, n}, {@code i = ctaid·bs + t}) not
 * written to their per-thread arrays ({@link Exec#lregs}); every per-lane read computes the comparison again from its
 * operands (the affine register from its form, the uniform one from its JVM local), the same integer {@code setp}
 * code the definition runs. The full-block lane loop of the defining segment then no longer stores the predicate for
 * every thread in every block (scan's ls0: its if-converted arm takes the threads from {@link SharedAffine#predRange},
 * and the later {@code @%p1} arm of ls13 does too while every thread is active).
 *
 * <p>Applies to a predicate register of a kernel, neither block-uniform nor thread-constant, whose one definition is
 * unguarded, sits in the entry block (no branch's target: it runs once, for every thread, before anything else) and
 * is the first mention of the register there, and is a 32-bit integer {@code setp} eq..hs (the inline compare,
 * {@code -Dtranscuda.cpu.inlineCompare} on) whose operands are constants, registers of {@link AffineRegs}' map, or
 * block-uniform registers with one unguarded definition earlier in the entry block. Then every operand has, for every
 * thread, the same value at every read of the predicate as at its definition, so the recomputed bit is the defined
 * bit. A code path that wants the predicate's array itself throws {@link AffineRegs.Conflict} while the class is
 * generated, and the kernel is generated again with it materialized (as for {@link AffineRegs}). Results, faults and
 * their block/thread/instruction unchanged.
 *
 * <p>Switch {@code -Dtranscuda.cpu.affinePreds=false}. {@link #SKIPPED}: per kernel name, how many predicates its
 * last lockstep compilation left unmaterialized (tests).
 */
final class AffinePreds {
    /** {@code -Dtranscuda.cpu.affinePreds=false}: off. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.affinePreds"));

    /** Per kernel name, the number of predicates its last compilation did not materialize. */
    static final Map<String, Integer> SKIPPED = new ConcurrentHashMap<>();

    private AffinePreds() {
    }

    /**
     * The predicates of kernel {@code f} that need no array, with their compares ({@code affine}: {@link AffineRegs}'
     * registers; {@code refused}: registers a path of an earlier generation needed as an array).
     */
    static Map<Integer, Inst.Compare> find(Function f, BitSet uniform, BitSet threadConst,
            Map<Integer, SharedAffine.Form> affine, BitSet refused, boolean inlineCompare) {
        Map<Integer, Inst.Compare> out = new HashMap<>();
        if (!ENABLED || !inlineCompare || affine.isEmpty() || f.blocks().isEmpty()) return out;
        List<Block> blocks = f.blocks();
        Block entry = blocks.get(0);
        for (Block b : blocks) {
            for (String t : b.terminator().successors()) if (t.equals(entry.label())) return out;
        }
        Map<Integer, Integer> defs = new HashMap<>();
        for (Block b : blocks) {
            for (Stmt st : b.stmts()) for (Reg d : st.inst().defs()) defs.merge(d.id(), 1, Integer::sum);
        }
        Map<Integer, Integer> defAt = new HashMap<>();
        Map<Integer, Integer> firstMention = new HashMap<>();
        List<Stmt> es = entry.stmts();
        for (int i = 0; i < es.size(); i++) {
            Stmt st = es.get(i);
            if (st.guard() != null) firstMention.putIfAbsent(st.guard().id(), i);
            for (Value v : st.inst().uses()) if (v instanceof Reg r) firstMention.putIfAbsent(r.id(), i);
            for (Reg d : st.inst().defs()) {
                firstMention.putIfAbsent(d.id(), i);
                defAt.putIfAbsent(d.id(), i);
            }
        }
        for (Map.Entry<Integer, Integer> en : defAt.entrySet()) {
            int id = en.getKey();
            int at = en.getValue();
            Stmt st = es.get(at);
            if (refused.get(id) || uniform.get(id) || threadConst.get(id) || defs.get(id) != 1 || st.guard() != null
                    || firstMention.get(id) != at || !(st.inst() instanceof Inst.Compare c)) {
                continue;
            }
            if (c.dst().type() != ScalarType.PRED || c.op().ordinal() > Inst.CmpOp.HS.ordinal()
                    || c.type().kind() == ScalarType.Kind.FLOAT || c.type().bits() != 32) {
                continue;
            }
            boolean ok = true, readsAffine = false;
            for (Value v : c.uses()) {
                if (v instanceof Const) continue;
                if (!(v instanceof Reg r)) {
                    ok = false;
                    continue;
                }
                Integer ra = defAt.get(r.id());
                if (affine.containsKey(r.id()) && ra != null && ra < at) {
                    readsAffine = true;
                } else if (!uniform.get(r.id()) || ra == null || ra >= at || defs.get(r.id()) != 1
                        || es.get(ra).guard() != null) {
                    ok = false;
                }
            }
            if (ok && readsAffine) out.put(id, c);
        }
        return out;
    }
}
