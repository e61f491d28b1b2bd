package org.transcuda.backend.cpu;

import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.transcuda.ir.Block;
import org.transcuda.ir.Function;
import org.transcuda.ir.Reg;
import org.transcuda.ir.Stmt;
import org.transcuda.ir.Value;

/**
 * Lockstep engine: per-thread registers that are affine in {@code tid.x} with a block-uniform base (reduce's
 * {@code %r3 = (ctaid << 9) + tid.x}, scan's {@code i = ctaid·256 + t}) not written to their per-thread arrays
 * ({@link Exec#lregs}); every read computes the value from its form instead: {@code c + Σ coef·u + cx·tid.x} with the
 * block-uniform registers {@code u} from their JVM locals ({@link Exec#luni}) and {@code tid.x} from
 * {@link Exec#tidX}, the same 32-bit sum (modulo 2^32) the definition computes ({@link SharedAffine.Form}).
 *
 * <p>Applies to a register of the kernel (not of a device function) that is a 32-bit integer, neither block-uniform
 * nor thread-constant ({@link ThreadConst} already computes those once per launch), whose one definition is unguarded,
 * sits in the entry block and has an affine form with {@code cy = cz = 0}; every block-uniform register of the form
 * has one definition, unguarded, earlier in the entry block; the entry block is no branch's target (it runs once, for
 * every thread, before anything else), and no statement of the entry block before the definition mentions the
 * register. Then, for every thread, every read of the register after its definition sees the form's value, and there
 * is no read before it. Readers that go through the compiler's per-lane register load ({@code loadRegRaw}) compute it;
 * a code path that wants the register's array itself (a vector load of the array, a runtime helper given the array,
 * a bulk store into it) throws {@link Conflict} while the class is generated, and the kernel is generated again with
 * that register materialized as before, so no path ever reads an array that was not written. The register's value is
 * the same bits either way (results, faults and their block/thread/instruction unchanged).
 *
 * <p>Switch {@code -Dtranscuda.cpu.affineRegs=false}. {@link #SKIPPED}: per kernel name, how many registers its last
 * lockstep compilation left unmaterialized (tests).
 */
final class AffineRegs {
    /** {@code -Dtranscuda.cpu.affineRegs=false}: off. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.affineRegs"));

    /** Per kernel name, the number of registers its last compilation did not materialize. */
    static final Map<String, Integer> SKIPPED = RecentMap.of(1024);

    /** Thrown while generating when a code path needs register {@code reg}'s array. */
    static final class Conflict extends RuntimeException {
        final int reg;

        Conflict(int reg) {
            super(null, null, false, false);
            this.reg = reg;
        }
    }

    private AffineRegs() {
    }

    /**
     * The registers of kernel {@code f} that need no array, with their forms ({@code refused}: registers a path of
     * an earlier generation needed as an array).
     */
    static Map<Integer, SharedAffine.Form> find(Function f, BitSet uniform, BitSet threadConst, SharedAffine affine,
            BitSet refused) {
        Map<Integer, SharedAffine.Form> out = new HashMap<>();
        if (!ENABLED || f.blocks().isEmpty()) return out;
        List<Block> blocks = f.blocks();
        Block entry = blocks.get(0);
        for (Block b : blocks) {
            for (String t : b.terminator().successors()) if (t.equals(entry.label())) return out;
        }
        Map<Integer, Integer> defs = new HashMap<>();
        for (Block b : blocks) {
            for (Stmt st : b.stmts()) for (Reg d : st.inst().defs()) defs.merge(d.id(), 1, Integer::sum);
        }
        // where each register is first defined in the entry block, and first mentioned there
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
                    || st.inst().defs().size() != 1 || firstMention.get(id) != at) {
                continue;
            }
            Reg r = st.inst().defs().get(0);
            SharedAffine.Form fm = affine.form(r);
            if (fm == null || fm.uniform() || fm.cy() != 0 || fm.cz() != 0) continue;
            boolean ok = true;
            for (int u : fm.uni()) {
                Integer ua = defAt.get(u);
                if (!uniform.get(u) || ua == null || ua >= at || defs.get(u) != 1 || es.get(ua).guard() != null) {
                    ok = false;
                }
            }
            if (ok) out.put(id, fm);
        }
        return out;
    }
}
