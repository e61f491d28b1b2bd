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
 * <p>The extra threads of a step (all but the first, whose locals the ordinary loop after it shares) hold their
 * run-local registers in JVM locals reused along the run ({@link #reuse}, a linear scan over the run's live ranges;
 * {@code -Dtranscuda.cpu.jamSlotReuse=false}: one local per register and thread): matmul's run needs 4 float locals
 * per extra thread instead of 32 (its {@code Bs} loads and {@code fma} results), so with 8 threads per step its
 * segment method's locals end at
 * slot 212 instead of 408, none past 255 (whose loads and stores take {@code wide}): 6762 bytes of bytecode instead
 * of 7374 (with 4 threads 4906 instead of 4990).
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
    /**
     * Whether the extra threads of a step reuse the JVM locals of run-local registers whose live ranges have ended
     * ({@link #reuse}; {@code -Dtranscuda.cpu.jamSlotReuse=false}: one local per register and thread).
     */
    static volatile boolean reuseSlots = !"false".equals(System.getProperty("transcuda.cpu.jamSlotReuse"));
    /** Tests: the width of kernels compiled from now on (0: {@link #WIDTH}). */
    static volatile int widthForTests;

    /** The threads per interleaved step of a kernel compiled now ({@link #WIDTH} but in tests). */
    static int width() {
        int w = widthForTests;
        return w > 0 ? w : WIDTH;
    }

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

    /**
     * A linear scan over the run {@code sts} for one thread's copy of its registers {@code regs} (run-local ones,
     * each first mentioned in the run by an unguarded definition, so no value is live into the run or out of it):
     * for each, an index into a pool of JVM locals of its kind ({@code kind}, e.g. its {@code TypeKind}), such that
     * two registers share an index only when their live ranges (from the first statement that defines it to the last
     * that mentions it, both inclusive) do not overlap; -1 for registers not in {@code regs} or never defined. A
     * register last read by statement k and one defined by it get different locals (each statement's operands and
     * results never alias). Lowest free index first, so the pool stays as small as the most registers live at once.
     * matmul's run at width 8: 32 float locals per extra thread without reuse, 4 with.
     */
    static int[] reuse(List<Stmt> sts, java.util.BitSet regs, int nregs, java.util.function.IntFunction<Object> kind) {
        int[] first = new int[nregs], last = new int[nregs], slot = new int[nregs];
        java.util.Arrays.fill(first, -1);
        java.util.Arrays.fill(last, -1);
        java.util.Arrays.fill(slot, -1);
        for (int k = 0; k < sts.size(); k++) {
            Stmt st = sts.get(k);
            if (st.guard() != null && regs.get(st.guard().id())) last[st.guard().id()] = k;
            for (Value v : st.inst().uses()) if (v instanceof Reg r && regs.get(r.id())) last[r.id()] = k;
            for (Reg d : st.inst().defs()) {
                if (!regs.get(d.id())) continue;
                if (first[d.id()] < 0) first[d.id()] = k;
                last[d.id()] = k;
            }
        }
        // registers whose range ends at statement k, by k
        java.util.List<java.util.List<Integer>> ending = new java.util.ArrayList<>();
        for (int k = 0; k < sts.size(); k++) ending.add(new java.util.ArrayList<>());
        for (int id = regs.nextSetBit(0); id >= 0 && id < nregs; id = regs.nextSetBit(id + 1)) {
            if (first[id] >= 0) ending.get(last[id]).add(id);
        }
        java.util.Map<Object, java.util.TreeSet<Integer>> free = new java.util.HashMap<>();
        java.util.Map<Object, Integer> size = new java.util.HashMap<>();
        for (int k = 0; k < sts.size(); k++) {
            for (Reg d : sts.get(k).inst().defs()) {
                int id = d.id();
                if (!regs.get(id) || first[id] != k || slot[id] >= 0) continue;
                Object kd = kind.apply(id);
                java.util.TreeSet<Integer> f = free.computeIfAbsent(kd, x -> new java.util.TreeSet<>());
                slot[id] = f.isEmpty() ? size.merge(kd, 1, Integer::sum) - 1 : f.pollFirst();
            }
            for (int id : ending.get(k)) free.computeIfAbsent(kind.apply(id), x -> new java.util.TreeSet<>()).add(slot[id]);
        }
        return slot;
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
