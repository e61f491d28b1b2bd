package org.transcuda.backend.cpu;

import java.util.List;
import org.transcuda.ir.AddressSpace;
import org.transcuda.ir.Inst;
import org.transcuda.ir.Reg;
import org.transcuda.ir.Special;
import org.transcuda.ir.Stmt;
import org.transcuda.ir.Value;

/**
 * Lockstep lane loops whose threads' statement chains are interleaved ({@code -Dtranscuda.cpu.laneJam=false} turns
 * this off; {@code -Dtranscuda.cpu.laneJamWidth=N}, 2 to 8, sets how many threads, default {@value #DEFAULT_WIDTH}):
 * an unroll-and-jam of the thread loop. matmul's segment between its two barriers is, per thread, 16 dependent
 * {@code fma.rn.f32} (nvcc unrolls {@code for k < 16: acc += As[ty][k] * Bs[k][tx]}), each waiting for the one before;
 * the lane loop ran one thread's chain after the other's, so the time was the {@code fma} latency, not its throughput.
 * With this, the {@code tid.x} loop of {@link SharedAffine}'s checked-once loop nest steps by {@link #WIDTH} threads
 * and its body runs each statement of the run for those threads in turn (statement 1 of threads x..x+3, statement
 * 2 of threads x..x+3, ...): {@link #WIDTH} independent chains in flight. The remaining {@code ntid.x mod WIDTH}
 * threads of each row run in the ordinary loop after it.
 *
 * <p>Each thread still runs exactly its own statements in its own order (each its own copy of the run's JVM-local
 * registers, {@code tid.x} and linear index), so every result is bit for bit what the plain loop computes; only the
 * order <em>between</em> threads changes, which a run may do only when no thread can observe another's work or fail
 * in the middle of it. A run qualifies ({@link #qualifies}) when every statement is unguarded and one of: a register
 * operation that cannot fail ({@code mov}, arithmetic including integer division, whose division by zero is defined
 * here, {@code setp}, {@code cvt}), a read of {@code %tid}, {@code %ntid}, {@code %ctaid} or {@code %nctaid}, or a
 * shared load whose address the run's once-per-block check covers (so it indexes the shared array directly and cannot
 * fault); at least one such load; no stores, atomics, global or other loads, barriers, collectives or calls. The
 * plain loop with per-access checks, which runs when that check fails or not every thread is active, is unchanged, so
 * a bad address still faults at its thread and instruction. Runs longer than {@link #MAX_STATEMENTS} statements are
 * not copied, and a segment whose method would pass HotSpot's 8000 bytes of bytecode is generated with 2 threads per
 * step, or, when that is still too big, without interleaving ({@code KernelCompiler}'s {@code jamWidth}; matmul with
 * 20 × 20 tiles takes 2, with 32 × 32 none).
 *
 * <p>Measured first (docs/benchmarks.md, {@code TileFmaBench}): matmul's chains over an {@code int[]} shared window,
 * ns per {@code fma}, thread-major (before) 0.65, statement-major 0.54, 2 threads interleaved 0.43, 4 threads 0.33,
 * 8 threads 0.37 (no vectorization in any of them).
 */
final class LaneJam {
    /** On unless {@code -Dtranscuda.cpu.laneJam=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.laneJam"));
    static final int DEFAULT_WIDTH = 4;
    /** Threads per step of the interleaved loop ({@code -Dtranscuda.cpu.laneJamWidth}, 2 to 8). */
    static final int WIDTH = Math.clamp(Integer.getInteger("transcuda.cpu.laneJamWidth", DEFAULT_WIDTH), 2, 8);
    /** The longest run that is interleaved (statements). */
    static final int MAX_STATEMENTS = 160;

    private LaneJam() {
    }

    /**
     * Whether the run {@code sts} (the statements of one lane loop, no if-converted arms) may run interleaved, given
     * {@code checked}, its shared accesses checked once for the block (the loop nest's direct accesses).
     */
    static boolean qualifies(List<Stmt> sts, List<Stmt> checked) {
        if (!ENABLED || sts.isEmpty() || sts.size() > MAX_STATEMENTS) return false;
        boolean load = false;
        for (Stmt st : sts) {
            if (st.guard() != null) return false;
            boolean ok = switch (st.inst()) {
                case Inst.Mov m -> true;
                case Inst.Compute c -> true;
                case Inst.Compare c -> true;
                case Inst.Convert c -> true;
                case Inst.ReadSpecial r -> qualifiesSpecial(r.which());
                case Inst.Load l -> l.space() == AddressSpace.SHARED && contains(checked, st);
                default -> false;
            };
            if (!ok) return false;
            load |= st.inst() instanceof Inst.Load;
        }
        return load;
    }

    /**
     * Which statements of a qualifying run compute the same value for every thread of a row of the block (same
     * {@code tid.y}, {@code tid.z}), so that the interleaved loop runs them for its first thread only and the others
     * read that thread's local: those that define one register that lives only in the run ({@code runLocal}) and is
     * defined once in it, and that are a shared load whose address does not depend on {@code tid.x} ({@code
     * rowLoad}: matmul's {@code As[ty][k]}), a read of {@code %tid.y}, {@code %tid.z}, {@code %ntid}, {@code %ctaid}
     * or {@code %nctaid}, or a register operation whose register operands are block-uniform ({@code uniform}) or
     * defined by such a statement before it.
     */
    static boolean[] rowInvariant(List<Stmt> sts, java.util.BitSet runLocal, java.util.BitSet uniform,
            java.util.function.Predicate<Stmt> rowLoad) {
        java.util.Map<Integer, Integer> defs = new java.util.HashMap<>();
        for (Stmt st : sts) for (Reg d : st.inst().defs()) defs.merge(d.id(), 1, Integer::sum);
        java.util.BitSet inv = new java.util.BitSet();
        boolean[] once = new boolean[sts.size()];
        for (int k = 0; k < sts.size(); k++) {
            Stmt st = sts.get(k);
            List<Reg> d = st.inst().defs();
            if (d.size() != 1 || !runLocal.get(d.get(0).id()) || defs.get(d.get(0).id()) != 1) continue;
            boolean ok = switch (st.inst()) {
                case Inst.Load l -> rowLoad.test(st);
                case Inst.ReadSpecial r -> r.which() != Special.TID_X && qualifiesSpecial(r.which());
                case Inst.Mov m -> operandsInvariant(st, inv, uniform);
                case Inst.Compute c -> operandsInvariant(st, inv, uniform);
                case Inst.Compare c -> operandsInvariant(st, inv, uniform);
                case Inst.Convert c -> operandsInvariant(st, inv, uniform);
                default -> false;
            };
            if (ok) {
                once[k] = true;
                inv.set(d.get(0).id());
            }
        }
        return once;
    }

    private static boolean operandsInvariant(Stmt st, java.util.BitSet inv, java.util.BitSet uniform) {
        for (Value v : st.inst().uses()) {
            if (v instanceof Reg r && !inv.get(r.id()) && !uniform.get(r.id())) return false;
        }
        return true;
    }

    private static boolean qualifiesSpecial(Special s) {
        return switch (s) {
            case TID_X, TID_Y, TID_Z, NTID_X, NTID_Y, NTID_Z, CTAID_X, CTAID_Y, CTAID_Z, NCTAID_X, NCTAID_Y,
                    NCTAID_Z -> true;
            default -> false;
        };
    }

    private static boolean contains(List<Stmt> checked, Stmt st) {
        for (Stmt c : checked) if (c == st) return true;
        return false;
    }
}
