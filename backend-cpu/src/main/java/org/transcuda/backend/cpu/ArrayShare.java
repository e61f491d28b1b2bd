package org.transcuda.backend.cpu;

import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.transcuda.ir.Block;
import org.transcuda.ir.Function;
import org.transcuda.ir.Inst;
import org.transcuda.ir.Reg;
import org.transcuda.ir.Stmt;
import org.transcuda.ir.Terminator;
import org.transcuda.ir.Value;

/**
 * Lockstep engine: a five-step shuffle scan chain ({@link WarpScan}) whose input register is dead after the chain
 * writes its result into the input's register array ({@link Exec#lregs}: the result register's entry is the input's
 * array), so a block writes one 1 KiB array fewer (scan_block's {@code v} = {@code %r59} and the warp scan's
 * {@code %r61}). Off with {@code -Dtranscuda.cpu.arrayShare=false}; {@link #STATS} gives the registers sharing
 * per kernel, {@link #EXECS} the lockstep {@link Exec}s built with a shared array.
 *
 * <p>The rule (decided when the kernel is compiled, {@link #plan}; conservative, every condition must hold, else no
 * array is shared):
 * <ul>
 * <li>The kernel's control-flow graph has no back edge (every successor of a block lies later in the layout), and
 * every block that holds a barrier lies on every path from the entry to a {@code ret}/{@code exit}. Then each
 * thread executes its statements in layout order, and the lockstep scheduler (lowest waiting segment first;
 * {@link Lockstep}) runs a block's segments in increasing order: no thread is ever behind a segment that another
 * thread already ran, since a barrier every thread must pass holds the early ones until all arrive.</li>
 * <li>The chain has five steps (window 32) and the lockstep compiler took it ({@code warpScans}: input, result,
 * sums, shuffle results and lane all per-thread 32-bit arrays); input and result are distinct registers, neither
 * thread-constant ({@link ThreadConst} keeps those arrays across blocks) nor live at the kernel's entry (no thread
 * reads either before writing it in the block: a read before a write would see the other register's old value).</li>
 * <li>The input has an unguarded definition in the entry block (every thread writes its entry before any branch, so
 * a shuffle never reads a lane's value left by an earlier block), the last mention of the input in layout order
 * (statements, guards, terminators, all blocks) is a statement of the chain, and the first mention of the result is
 * the chain's last add. So on every path the input is dead where the result is written, and, by the ordering above,
 * no thread (active or not) reads the input after any thread wrote the result.</li>
 * </ul>
 * Every form of the chain reads a warp's inputs before it writes that warp's results: {@link WarpScanVec#warp} loads
 * all 32 lanes into vectors before its stores; {@link WarpScan#warp} with a window of 32 reads lane {@code l}'s input
 * before writing lane {@code l}'s result and later lanes only after (for a partial last warp too); the literal steps
 * (when {@link WarpScan#scan} declines) read every source lane of the input in the first shuffle's block-wide
 * collective and each lane's own input in the first step's lane loop, both before the last step writes the result.
 * ({@link ScanWindow}, for windows below 32, refuses {@code in == out}; such chains are not shared.)
 */
final class ArrayShare {
    /** On unless {@code -Dtranscuda.cpu.arrayShare=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.arrayShare"));

    /** Registers given another register's array, per kernel name (compile time). */
    static final Map<String, Integer> STATS = new ConcurrentHashMap<>();

    /** Lockstep {@link Exec}s built with at least one shared array. */
    static final LongAdder EXECS = new LongAdder();

    private ArrayShare() {
    }

    /** Registers sharing for kernel {@code name} (0 when none or not compiled). */
    static int total(String name) {
        return STATS.getOrDefault(name, 0);
    }

    /**
     * For each register, the register whose array it uses ({@code alias[r] == r}: its own), or null when nothing is
     * shared. {@code chains}: the chains the lockstep compiler took for {@code f}, with their blocks; {@code threadConst}: its
     * thread-constant registers.
     */
    static int[] plan(Function f, Map<WarpScan.Chain, Block> chains, BitSet threadConst, char[] kinds) {
        STATS.put(f.name(), 0);
        if (!ENABLED || chains.isEmpty()) return null;
        List<Block> blocks = f.blocks();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < blocks.size(); i++) index.put(blocks.get(i).label(), i);
        for (int i = 0; i < blocks.size(); i++) {
            for (String s : blocks.get(i).terminator().successors()) {
                Integer j = index.get(s);
                if (j == null || j <= i) return null; // a back edge (or an unknown target)
            }
        }
        for (int i = 0; i < blocks.size(); i++) {
            boolean barrier = false;
            for (Stmt s : blocks.get(i).stmts()) barrier |= s.inst() instanceof Inst.Barrier;
            if (barrier && exitAvoiding(blocks, index, i)) return null;
        }
        // first and last mention of every register, as positions in layout order
        int n = kinds.length;
        long[] first = new long[n];
        long[] last = new long[n];
        java.util.Arrays.fill(first, Long.MAX_VALUE);
        java.util.Arrays.fill(last, Long.MIN_VALUE);
        Map<Stmt, Long> pos = new java.util.IdentityHashMap<>();
        for (int b = 0; b < blocks.size(); b++) {
            Block blk = blocks.get(b);
            List<Stmt> stmts = blk.stmts();
            for (int k = 0; k <= stmts.size(); k++) {
                long p = ((long) b << 32) | k;
                if (k < stmts.size()) {
                    Stmt s = stmts.get(k);
                    pos.put(s, p);
                    for (Reg d : s.inst().defs()) mention(first, last, d.id(), p);
                    for (Value v : s.inst().uses()) if (v instanceof Reg r) mention(first, last, r.id(), p);
                    if (s.guard() != null) mention(first, last, s.guard().id(), p);
                } else {
                    for (Value v : blk.terminator().uses()) if (v instanceof Reg r) mention(first, last, r.id(), p);
                }
            }
        }
        Liveness live = new Liveness(f);
        Block entry = blocks.get(0);
        BitSet liveIn = live.liveAfter(entry, -1);
        int[] alias = new int[n];
        for (int i = 0; i < n; i++) alias[i] = i;
        int shared = 0;
        for (var en : chains.entrySet()) {
            WarpScan.Chain c = en.getKey();
            if (c.steps() != 5) continue;
            int in = c.in().id(), out = c.out().id();
            if (in == out || kinds[in] != 'I' || kinds[out] != 'I') continue;
            if (threadConst.get(in) || threadConst.get(out) || liveIn.get(in) || liveIn.get(out)) continue;
            if (alias[in] != in || alias[out] != out) continue;
            boolean entryDef = false;
            for (Stmt s : entry.stmts()) {
                if (s.guard() == null && s.inst().defs().contains(c.in())) entryDef = true;
            }
            if (!entryDef) continue;
            List<Stmt> st = en.getValue().stmts();
            long chainFirst = pos.get(st.get(c.shuffles()[0]));
            long lastAdd = pos.get(st.get(c.adds()[c.steps() - 1]));
            if (last[in] < chainFirst || last[in] >= lastAdd) continue; // the input's last mention inside the chain
            if (first[out] != lastAdd) continue; // the result first written by the chain's last add
            alias[out] = in;
            shared++;
        }
        STATS.put(f.name(), shared);
        return shared == 0 ? null : alias;
    }

    private static void mention(long[] first, long[] last, int id, long p) {
        if (p < first[id]) first[id] = p;
        if (p > last[id]) last[id] = p;
    }

    /** True when a {@code ret}/{@code exit} block is reachable from the entry without passing block {@code avoid}. */
    private static boolean exitAvoiding(List<Block> blocks, Map<String, Integer> index, int avoid) {
        if (avoid == 0) return false;
        boolean[] seen = new boolean[blocks.size()];
        java.util.ArrayDeque<Integer> work = new java.util.ArrayDeque<>();
        work.add(0);
        seen[0] = true;
        while (!work.isEmpty()) {
            int b = work.poll();
            Terminator t = blocks.get(b).terminator();
            if (t.successors().isEmpty()) return true;
            for (String s : t.successors()) {
                int j = index.get(s);
                if (j != avoid && !seen[j]) {
                    seen[j] = true;
                    work.add(j);
                }
            }
        }
        return false;
    }
}
