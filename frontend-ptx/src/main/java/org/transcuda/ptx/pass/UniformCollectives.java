package org.transcuda.ptx.pass;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.transcuda.ir.Block;
import org.transcuda.ir.Const;
import org.transcuda.ir.FloatMode;
import org.transcuda.ir.Function;
import org.transcuda.ir.Inst;
import org.transcuda.ir.Module;
import org.transcuda.ir.Opcode;
import org.transcuda.ir.Reg;
import org.transcuda.ir.ScalarType;
import org.transcuda.ir.Stmt;
import org.transcuda.ir.Terminator;
import org.transcuda.ir.Value;

/**
 * Pass {@code uniform-collectives} (run on request, after {@code predication}, by backends that emulate warps with
 * block-wide barriers): rewrites a function so that every warp collective ({@code shfl}, {@code vote},
 * {@code match}, {@code redux}, {@code activemask}, {@code bar.warp.sync}) and every CTA barrier lies in
 * block-uniform control flow, with the divergent code around it predicated.
 *
 * <p><b>Divergence.</b> The same conservative analysis as the Vulkan backend's check: a register is divergent when a
 * definition reads a divergent value, is per-thread by nature ({@code %tid}, {@code %laneid}, lane masks, clocks,
 * loads other than kernel {@code ld.param} and {@code ld.const}, atomics, warp and call results) or lies in
 * non-uniform control flow; a conditional branch or switch on a divergent value makes every block reachable from it
 * before its immediate post-dominator non-uniform (a virtual exit joins {@code ret}/{@code exit}/{@code trap}, so an
 * early return of some threads makes the rest of the function non-uniform).
 *
 * <p><b>Regions.</b> For the divergent branch whose region (the blocks reachable from it before its immediate
 * post-dominator) is largest among those holding a collective, the region plus the branch block is rewritten. When
 * the region can be entered other than through its head (a divergent {@code break} out of a loop whose header lies in
 * the region), the head moves up the dominator tree until the region has a single entry in uniform control flow. The rewritten region is a
 * straight chain in a topological order of its blocks (loops collapsed to one node each), every block {@code b}
 * guarded by an execution-mask predicate {@code m_b} that its predecessors set: {@code m_t |= m_x & c} for each edge
 * {@code x -> t} taken under condition {@code c} ({@code m_x} itself for a jump, {@code idx == i} for a switch).
 * Runs of ordinary statements are {@code if (m_b) { ... }}; a collective is executed by every thread of the block,
 * its results written to temporaries and copied to its destinations only where {@code m_b} holds (registers keep
 * PTX's per-thread merge semantics). Threads that leave the region through {@code ret}/{@code exit} contribute to no
 * mask: they stay idle until the chain's end, where the region ends in {@code ret}. {@code trap} and unreachable
 * ends stay where they are, inside their guarded block.
 *
 * <p><b>Participation.</b> Only the lanes whose mask holds take part: {@code activemask} is {@code ballot(m_b)};
 * {@code vote}, {@code match} and {@code redux} run with their member mask restricted to {@code membermask &
 * ballot(m_b)}, so {@code vote.all} is {@code all(x || !m_b)}, {@code vote.any} {@code any(x && m_b)},
 * {@code vote.ballot} {@code ballot(x && m_b)}, reductions and matches see the active lanes only; a {@code shfl}
 * may read a lane outside the mask (undefined in CUDA), its results are kept only where the mask holds, and the
 * threads outside the mask run it with member mask 0 ({@code selp}), so that they need not publish or read;
 * {@code bar.red.or/popc} contribute {@code x && m_b}, {@code bar.red.and} {@code x || !m_b}.
 *
 * <p><b>Loops.</b> A loop inside the region (whatever its trip count) becomes uniform: an "in loop" mask starts as
 * the loop's entry mask; each iteration begins with {@code any = bar.red.or(inLoop)} and leaves when no thread of
 * the block is still in the loop; the body is predicated as above with {@code m_header = inLoop}, back edges set the
 * next iteration's mask and exit edges the masks of their targets. A loop of the region without collectives stays
 * an ordinary loop, entered where its entry mask holds, its exit edges setting their targets' masks on the way out
 * ({@code ret}/{@code exit} inside it: the thread idles to the region's end).
 *
 * <p><b>Calls.</b> A call of a device function that contains collectives, inside such a region, is inlined first
 * (the callee's registers and {@code .local} variables renamed), so its collectives are predicated with the rest.
 *
 * <p>Left as they are (the backend's check then rejects them, naming the shape: {@link #unsupportedShape}): a call
 * that cannot be inlined (recursion, more than {@value #MAX_INLINED} inlined calls), a region without a single entry
 * in uniform control flow, irreducible control flow, an {@code exit} in a device function, and a region with a real
 * post-dominator that threads can leave through {@code ret}.
 */
public final class UniformCollectives {
    private UniformCollectives() {
    }

    public static Module run(Module m) {
        Set<String> collectiveFns = collectiveFunctions(m);
        Map<String, Function> bodies = new HashMap<>();
        for (Function f : m.functions()) {
            if (collectiveFns.contains(f.name()) && f.isDefined()) bodies.put(f.name(), f);
        }
        return PassSupport.perFunction(m, "uniform-collectives", f -> function(f, collectiveFns, bodies));
    }

    /** Whether {@code i} is a warp collective or a CTA barrier. */
    public static boolean collective(Inst i) {
        return i instanceof Inst.Shuffle || i instanceof Inst.Vote || i instanceof Inst.Match
                || i instanceof Inst.Redux || i instanceof Inst.ActiveMask || i instanceof Inst.WarpSync
                || i instanceof Inst.Barrier;
    }

    /** Functions of {@code m} that contain a collective or call one that does. */
    static Set<String> collectiveFunctions(Module m) {
        Set<String> out = new HashSet<>();
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Function f : m.functions()) {
                if (out.contains(f.name())) continue;
                for (Block b : f.blocks()) {
                    for (Stmt s : b.stmts()) {
                        if (collective(s.inst()) || s.inst() instanceof Inst.Call c && c.callee() != null
                                && out.contains(c.callee())) {
                            if (out.add(f.name())) changed = true;
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Calls inlined into one function at most (a guard against recursion). */
    private static final int MAX_INLINED = 64;

    static Function function(Function f, Set<String> collectiveFns, Map<String, Function> bodies) {
        int[] inlined = {0};
        int limit = f.blocks().size() + MAX_INLINED + 1;
        for (int round = 0; round <= limit; round++) {
            Function next = once(f, collectiveFns, bodies, inlined, new String[1]);
            if (next == f) return f;
            f = next;
        }
        return f;
    }

    /**
     * Why the pass leaves a collective of {@code f} in divergent control flow (the shape it does not handle), or
     * null when it leaves none. {@code f} is the pass's output (or anything derived from it with the same control
     * flow); {@code calleeIsCollective} says which called functions contain collectives.
     */
    public static String unsupportedShape(Function f, java.util.function.Predicate<String> calleeIsCollective) {
        Set<String> fns = new HashSet<>();
        for (Block b : f.blocks()) {
            for (Stmt s : b.stmts()) {
                if (s.inst() instanceof Inst.Call c && c.callee() != null && calleeIsCollective.test(c.callee())) {
                    fns.add(c.callee());
                }
            }
        }
        String[] why = new String[1];
        try {
            once(f, fns, Map.of(), new int[] {MAX_INLINED}, why);
        } catch (PassSupport.Failure e) {
            return e.getMessage();
        }
        return why[0];
    }

    /** Rewrites the largest divergent region holding a collective; {@code f} itself when there is none to rewrite. */
    private static Function once(Function f, Set<String> collectiveFns, Map<String, Function> bodies, int[] inlined,
            String[] why) {
        Cfg cfg = new Cfg(f.blocks());
        Divergence div = new Divergence(f, cfg);
        int n = cfg.blocks.size();
        int[] ipdom = div.ipdom;
        int best = -1;
        BitSet bestRegion = null;
        for (int a = 0; a < n; a++) {
            if (!div.divergentBranch(a)) continue;
            BitSet region = reach(cfg, a, ipdom[a]);
            boolean has = false;
            for (int x = region.nextSetBit(0); x >= 0 && !has; x = region.nextSetBit(x + 1)) {
                has = hasCollective(cfg.block(x), collectiveFns);
            }
            if (has && (bestRegion == null || region.cardinality() > bestRegion.cardinality())) {
                best = a;
                bestRegion = region;
            }
        }
        if (best < 0) return f;
        for (int x = bestRegion.nextSetBit(0); x >= 0; x = bestRegion.nextSetBit(x + 1)) {
            List<Stmt> stmts = cfg.block(x).stmts();
            for (int si = 0; si < stmts.size(); si++) {
                Stmt s = stmts.get(si);
                if (s.inst() instanceof Inst.Call c && c.callee() != null && collectiveFns.contains(c.callee())) {
                    Function callee = bodies.get(c.callee());
                    if (callee != null && inlined[0] < MAX_INLINED && !callee.name().equals(f.name())
                            && callee.paramRegs().size() == callee.params().size()
                            && callee.returnRegs().size() == c.results().size()
                            && callee.paramRegs().size() == c.args().size()) {
                        inlined[0]++;
                        return inline(f, cfg.block(x).label(), si, c, callee);
                    }
                    why[0] = "a call of " + c.callee() + ", which uses warp operations or barriers, under divergent "
                            + "control that cannot be inlined (recursion, or more than " + MAX_INLINED + " calls)";
                    return f;
                }
                if (s.guard() != null) {
                    why[0] = "a guarded statement (the pass runs after predication)";
                    return f;
                }
            }
        }
        int exit = ipdom[best];
        int entry = best;
        BitSet t;
        while (true) {
            t = reach(cfg, entry, exit);
            t.set(entry);
            // a single entry in uniform control flow (a divergent break out of a uniform loop: the loop's preheader)
            if (singleEntry(cfg, t, entry) && !div.nonUniform.get(entry)) break;
            entry = entry == 0 ? -1 : cfg.idom[entry];
            if (entry < 0 || entry == exit) {
                why[0] = "a divergent region without a single entry in uniform control flow";
                return f;
            }
        }
        for (int x = t.nextSetBit(0); x >= 0; x = t.nextSetBit(x + 1)) {
            Terminator term = cfg.block(x).terminator();
            boolean leaves = term instanceof Terminator.Return || term instanceof Terminator.Exit;
            if (leaves && exit >= 0) {
                why[0] = "threads that return inside a divergent region after which the others go on";
                return f;
            }
            if (term instanceof Terminator.Exit && !f.kernel()) {
                why[0] = "exit in a device function";
                return f;
            }
        }
        try {
            return new Rewriter(f, cfg, t, entry, exit).build();
        } catch (PassSupport.Failure e) {
            why[0] = e.getMessage();
            return f;
        }
    }

    /**
     * {@code f} with the call {@code c} (statement {@code index} of block {@code label}) replaced by a copy of
     * {@code callee}'s body: its registers and {@code .local} variables renamed, parameters and results moved
     * through its parameter and return registers, {@code ret} a jump to the rest of the caller's block.
     */
    private static Function inline(Function f, String label, int index, Inst.Call c, Function callee) {
        FunctionEditor ed = new FunctionEditor(f);
        String tag = callee.name();
        Reg[] regs = new Reg[callee.regs().size()];
        for (Reg r : callee.regs()) regs[r.id()] = ed.newReg(r.type(), tag + "." + r.name());
        Set<String> names = new HashSet<>();
        for (org.transcuda.ir.Variable v : ed.locals) names.add(v.name());
        Map<String, String> locals = new HashMap<>();
        for (org.transcuda.ir.Variable v : callee.locals()) {
            String n = tag + "." + v.name();
            for (int i = 1; names.contains(n); i++) n = tag + "." + v.name() + "." + i;
            names.add(n);
            locals.put(v.name(), n);
            ed.locals.add(new org.transcuda.ir.Variable(n, v.space(), v.elementType(), v.count(), v.alignment(),
                    v.init(), v.relocations(), v.external()));
        }
        java.util.function.UnaryOperator<Value> mv = v -> switch (v) {
            case Reg r -> regs[r.id()];
            case org.transcuda.ir.SymbolAddr a when locals.containsKey(a.symbol()) ->
                    new org.transcuda.ir.SymbolAddr(locals.get(a.symbol()), a.space(), a.type());
            default -> v;
        };
        java.util.function.UnaryOperator<Reg> mr = r -> regs[r.id()];
        Map<String, String> labels = new HashMap<>();
        for (Block b : callee.blocks()) labels.put(b.label(), ed.label(tag + "." + b.label()));
        String cont = ed.label(label + ".after." + tag);
        List<Block> body = new ArrayList<>();
        for (Block b : callee.blocks()) {
            List<Stmt> stmts = new ArrayList<>();
            for (Stmt s : b.stmts()) {
                Inst i = org.transcuda.ir.Insts.mapDefs(org.transcuda.ir.Insts.mapUses(s.inst(), mv), mr);
                stmts.add(new Stmt(i, s.guard() == null ? null : regs[s.guard().id()], s.negateGuard(), s.loc()));
            }
            Terminator t = b.terminator();
            if (t instanceof Terminator.Return) {
                for (int k = 0; k < c.results().size(); k++) {
                    stmts.add(Stmt.of(new Inst.Mov(c.results().get(k), regs[callee.returnRegs().get(k).id()])));
                }
                t = new Terminator.Branch(cont);
            } else {
                t = org.transcuda.ir.Insts.mapTargets(org.transcuda.ir.Insts.mapUses(t, mv), labels::get);
            }
            body.add(new Block(labels.get(b.label()), stmts, t));
        }
        List<Block> out = new ArrayList<>();
        for (Block b : f.blocks()) {
            if (!b.label().equals(label)) {
                out.add(b);
                continue;
            }
            List<Stmt> pre = new ArrayList<>(b.stmts().subList(0, index));
            for (int k = 0; k < c.args().size(); k++) {
                pre.add(Stmt.of(new Inst.Mov(regs[callee.paramRegs().get(k).id()], c.args().get(k))));
            }
            out.add(new Block(b.label(), pre, new Terminator.Branch(labels.get(callee.blocks().getFirst().label()))));
            out.addAll(body);
            out.add(new Block(cont, b.stmts().subList(index + 1, b.stmts().size()), b.terminator()));
        }
        return ed.build(out);
    }

    private static boolean hasCollective(Block b, Set<String> collectiveFns) {
        for (Stmt s : b.stmts()) {
            if (collective(s.inst())) return true;
            if (s.inst() instanceof Inst.Call c && c.callee() != null && collectiveFns.contains(c.callee())) return true;
        }
        return false;
    }

    /** Blocks reachable from {@code a}'s successors without passing {@code stop} ({@code a} only if on a cycle). */
    private static BitSet reach(Cfg cfg, int a, int stop) {
        BitSet seen = new BitSet();
        ArrayDeque<Integer> work = new ArrayDeque<>();
        for (int s : cfg.succ[a]) work.add(s);
        while (!work.isEmpty()) {
            int x = work.poll();
            if (x == stop || seen.get(x)) continue;
            seen.set(x);
            for (int s : cfg.succ[x]) work.add(s);
        }
        return seen;
    }

    private static boolean singleEntry(Cfg cfg, BitSet t, int entry) {
        for (int x = t.nextSetBit(0); x >= 0; x = t.nextSetBit(x + 1)) {
            if (x == entry) continue;
            for (int p : cfg.pred[x]) if (!t.get(p)) return false;
        }
        return true;
    }

    // =================================================================================================
    // the rewrite of one region

    /** A natural loop of the region: its header, its blocks (header included), its parent loop or null. */
    private static final class Loop {
        final int header;
        final BitSet blocks = new BitSet();
        Loop parent;
        Reg inLoop, next, any;

        Loop(int header) {
            this.header = header;
        }
    }

    private static final class Rewriter {
        private static final Const TRUE = Const.of(ScalarType.PRED, 1);
        private static final Const FALSE = Const.of(ScalarType.PRED, 0);
        private final Function f;
        private final Cfg cfg;
        private final BitSet region;
        private final int entry;
        private final int exit;
        private final FunctionEditor ed;
        private final Map<Integer, Loop> loops = new LinkedHashMap<>(); // by header
        private final Loop[] innermost;
        private final Map<Integer, Reg> masks = new HashMap<>();
        private final List<Block> out = new ArrayList<>();
        private String curLabel;
        private List<Stmt> cur;

        Rewriter(Function f, Cfg cfg, BitSet region, int entry, int exit) {
            this.f = f;
            this.cfg = cfg;
            this.region = region;
            this.entry = entry;
            this.exit = exit;
            this.ed = new FunctionEditor(f);
            this.innermost = new Loop[cfg.blocks.size()];
        }

        private static PassSupport.Failure fail(String why) {
            return new PassSupport.Failure(why);
        }

        Function build() {
            findLoops();
            Block head = cfg.block(entry);
            curLabel = head.label();
            cur = new ArrayList<>();
            for (int x = region.nextSetBit(0); x >= 0; x = region.nextSetBit(x + 1)) {
                if (x != entry) cur.add(Stmt.of(new Inst.Mov(mask(x), FALSE)));
            }
            emitScope(null);
            close(exit >= 0 ? new Terminator.Branch(cfg.block(exit).label()) : new Terminator.Return());
            // the new blocks replace the region's at the head's place
            Set<String> gone = new HashSet<>();
            for (int x = region.nextSetBit(0); x >= 0; x = region.nextSetBit(x + 1)) gone.add(cfg.block(x).label());
            List<Block> blocks = new ArrayList<>();
            for (Block b : f.blocks()) {
                if (b.label().equals(head.label())) blocks.addAll(out);
                else if (!gone.contains(b.label())) blocks.add(b);
            }
            return ed.build(blocks);
        }

        private Reg mask(int x) {
            Reg r = masks.get(x);
            if (r == null) {
                r = ed.newReg(ScalarType.PRED, "wc.m." + cfg.block(x).label());
                masks.put(x, r);
            }
            return r;
        }

        private void findLoops() {
            for (int x = region.nextSetBit(0); x >= 0; x = region.nextSetBit(x + 1)) {
                for (int y : cfg.succ[x]) {
                    if (!region.get(y)) continue;
                    if (cfg.dominates(y, x)) {
                        Loop l = loops.computeIfAbsent(y, Loop::new);
                        l.blocks.set(y);
                        ArrayDeque<Integer> work = new ArrayDeque<>(List.of(x));
                        while (!work.isEmpty()) {
                            int z = work.poll();
                            if (l.blocks.get(z)) continue;
                            if (!region.get(z)) throw fail("a loop that reaches outside the divergent region");
                            l.blocks.set(z);
                            for (int p : cfg.pred[z]) work.add(p);
                        }
                    } else if (y <= x) {
                        // a retreating edge to a block that does not dominate its source
                        throw fail("irreducible control flow around a warp operation");
                    }
                }
            }
            for (Loop l : loops.values()) {
                for (int x = l.blocks.nextSetBit(0); x >= 0; x = l.blocks.nextSetBit(x + 1)) {
                    if (innermost[x] == null || innermost[x].blocks.cardinality() > l.blocks.cardinality()) {
                        innermost[x] = l;
                    }
                }
            }
            for (Loop l : loops.values()) {
                Loop p = null;
                for (Loop o : loops.values()) {
                    if (o == l || !o.blocks.get(l.header)) continue;
                    if (o.blocks.cardinality() <= l.blocks.cardinality()) continue;
                    if (p == null || o.blocks.cardinality() < p.blocks.cardinality()) p = o;
                }
                l.parent = p;
                l.inLoop = ed.newReg(ScalarType.PRED, "wc.in." + cfg.block(l.header).label());
                l.next = ed.newReg(ScalarType.PRED, "wc.next." + cfg.block(l.header).label());
                l.any = ed.newReg(ScalarType.PRED, "wc.any." + cfg.block(l.header).label());
            }
        }

        /** The child of {@code scope} (a block or a loop header) whose node holds block {@code x}. */
        private int nodeOf(Loop scope, int x) {
            Loop l = innermost[x];
            int node = x;
            while (l != null && l != scope) {
                node = l.header;
                l = l.parent;
            }
            return l == scope ? node : -1;
        }

        private boolean inScope(Loop scope, int x) {
            return region.get(x) && (scope == null || scope.blocks.get(x));
        }

        /** Emits the nodes of {@code scope} (the region, or a loop's body) in a topological order. */
        private void emitScope(Loop scope) {
            int start = scope == null ? entry : scope.header;
            // DAG of the scope's nodes, back edges to the scope's header left out
            List<Integer> post = new ArrayList<>();
            Set<Integer> seen = new HashSet<>();
            ArrayDeque<int[]> stack = new ArrayDeque<>();
            seen.add(start);
            stack.push(new int[] {start, 0});
            Map<Integer, List<Integer>> succs = new HashMap<>();
            while (!stack.isEmpty()) {
                int[] top = stack.peek();
                List<Integer> ss = succs.computeIfAbsent(top[0], nd -> nodeSuccessors(scope, nd));
                if (top[1] < ss.size()) {
                    int s = ss.get(top[1]++);
                    if (seen.add(s)) stack.push(new int[] {s, 0});
                } else {
                    post.add(top[0]);
                    stack.pop();
                }
            }
            for (int i = post.size() - 1; i >= 0; i--) {
                int nd = post.get(i);
                Loop l = loops.get(nd);
                boolean isChildLoop = l != null && l != scope;
                if (isChildLoop) {
                    Value m = nd == entry && scope == null ? TRUE : mask(nd);
                    if (holdsCollective(l)) emitLoop(l, m);
                    else emitPlainLoop(l, m);
                } else {
                    Value m = nd == entry && scope == null ? TRUE : scope != null && nd == scope.header
                            ? scope.inLoop : mask(nd);
                    emitBlock(nd, m);
                }
            }
        }

        private List<Integer> nodeSuccessors(Loop scope, int node) {
            BitSet blocks = new BitSet();
            Loop l = loops.get(node);
            if (l != null && l != scope) blocks.or(l.blocks);
            else blocks.set(node);
            List<Integer> out = new ArrayList<>();
            for (int x = blocks.nextSetBit(0); x >= 0; x = blocks.nextSetBit(x + 1)) {
                for (int y : cfg.succ[x]) {
                    if (!inScope(scope, y)) continue;
                    if (scope != null && y == scope.header) continue;
                    int ny = nodeOf(scope, y);
                    if (ny < 0 || ny == node || out.contains(ny)) continue;
                    out.add(ny);
                }
            }
            return out;
        }

        private void emitLoop(Loop l, Value entryMask) {
            String h = cfg.block(l.header).label();
            cur.add(Stmt.of(new Inst.Mov(l.inLoop, entryMask)));
            String head = ed.label(h + ".wc.loop");
            String body = ed.label(h + ".wc.body");
            String after = ed.label(h + ".wc.after");
            close(new Terminator.Branch(head));
            open(head);
            cur.add(Stmt.of(new Inst.Barrier(Inst.BarrierKind.RED_OR, Const.of(ScalarType.U32, 0), null, l.any,
                    l.inLoop, false)));
            close(new Terminator.CondBranch(l.any, body, after));
            open(body);
            cur.add(Stmt.of(new Inst.Mov(l.next, FALSE)));
            for (int x = l.blocks.nextSetBit(0); x >= 0; x = l.blocks.nextSetBit(x + 1)) {
                if (x == l.header) continue;
                if (nodeOf(l, x) == x) { // a block of this loop's body or a nested loop's header
                    cur.add(Stmt.of(new Inst.Mov(mask(x), FALSE)));
                }
            }
            emitScope(l);
            cur.add(Stmt.of(new Inst.Mov(l.inLoop, l.next)));
            close(new Terminator.Branch(head));
            open(after);
        }

        private boolean holdsCollective(Loop l) {
            for (int x = l.blocks.nextSetBit(0); x >= 0; x = l.blocks.nextSetBit(x + 1)) {
                for (Stmt s : cfg.block(x).stmts()) if (UniformCollectives.collective(s.inst())) return true;
            }
            return false;
        }

        /**
         * A loop without collectives stays as it is, entered where {@code m} holds; each exit edge goes through a block
         * that sets its target's mask (nothing for targets outside the region, and for {@code ret}/{@code exit}: the
         * thread idles to the region's end), then to the chain.
         */
        private void emitPlainLoop(Loop l, Value m) {
            String header = cfg.block(l.header).label();
            String after = ed.label(header + ".wc.after");
            close(m instanceof Const c && c.bits() == 1 ? new Terminator.Branch(header)
                    : new Terminator.CondBranch(m, header, after));
            Map<String, String> exits = new LinkedHashMap<>();
            List<Block> exitBlocks = new ArrayList<>();
            for (int x = l.blocks.nextSetBit(0); x >= 0; x = l.blocks.nextSetBit(x + 1)) {
                Block b = cfg.block(x);
                int from = x;
                Terminator t = switch (b.terminator()) {
                    case Terminator.Return r -> new Terminator.Branch(after);
                    case Terminator.Exit e -> new Terminator.Branch(after);
                    default -> org.transcuda.ir.Insts.mapTargets(b.terminator(), y -> {
                        Integer yi = cfg.index.get(y);
                        if (yi != null && l.blocks.get(yi)) return y;
                        return exits.computeIfAbsent(y, k -> {
                            String e = ed.label(header + ".wc.exit");
                            List<Stmt> set = new ArrayList<>();
                            Reg dst = yi == null || !region.get(yi) ? null : target(from, yi);
                            if (dst != null) set.add(Stmt.of(new Inst.Mov(dst, TRUE)));
                            exitBlocks.add(new Block(e, set, new Terminator.Branch(after)));
                            return e;
                        });
                    });
                };
                out.add(new Block(b.label(), b.stmts(), t));
            }
            out.addAll(exitBlocks);
            open(after);
        }

        private void open(String label) {
            curLabel = label;
            cur = new ArrayList<>();
        }

        private void close(Terminator t) {
            out.add(new Block(curLabel, cur, t));
            curLabel = null;
            cur = null;
        }

        /** Appends {@code run} executed only where {@code m} holds (ending in {@code end} when not null). */
        private void guarded(List<Stmt> run, Value m, Terminator end, String base) {
            if (run.isEmpty() && end == null) return;
            if (m instanceof Const c && c.bits() == 1 && end == null) {
                cur.addAll(run);
                return;
            }
            String g = ed.label(base + ".wc.if");
            String n = ed.label(base + ".wc.join");
            close(new Terminator.CondBranch(m, g, n));
            out.add(new Block(g, run, end != null ? end : new Terminator.Branch(n)));
            open(n);
        }

        private void emitBlock(int x, Value m) {
            Block b = cfg.block(x);
            List<Stmt> run = new ArrayList<>();
            for (Stmt s : b.stmts()) {
                if (!UniformCollectives.collective(s.inst())) {
                    run.add(s);
                    continue;
                }
                guarded(run, m, null, b.label());
                run = new ArrayList<>();
                if (m instanceof Const c && c.bits() == 1) {
                    cur.add(s);
                } else {
                    guarded(emitCollective(s, m), m, null, b.label());
                }
            }
            Terminator t = b.terminator();
            if (t instanceof Terminator.Trap || t instanceof Terminator.Unreachable) {
                guarded(run, m, t, b.label());
                return;
            }
            guarded(run, m, null, b.label());
            switch (t) {
                case Terminator.Branch br -> edge(x, m, null, br.target());
                case Terminator.CondBranch cb -> {
                    if (cb.pred() instanceof Const c) {
                        edge(x, m, null, c.bits() != 0 ? cb.ifTrue() : cb.ifFalse());
                    } else {
                        edge(x, m, cb.pred(), cb.ifTrue());
                        Reg not = ed.temp(ScalarType.PRED);
                        cur.add(Stmt.of(new Inst.Compute(Opcode.NOT, ScalarType.PRED, FloatMode.NONE, not,
                                List.of(cb.pred()))));
                        edge(x, m, not, cb.ifFalse());
                    }
                }
                case Terminator.Switch sw -> {
                    for (int i = 0; i < sw.targets().size(); i++) {
                        Reg eq = ed.temp(ScalarType.PRED);
                        cur.add(Stmt.of(new Inst.Compare(Inst.CmpOp.EQ, sw.index().type(), false, eq, sw.index(),
                                Const.of(sw.index().type(), i))));
                        edge(x, m, eq, sw.targets().get(i));
                    }
                }
                default -> {
                    // ret/exit: the thread is done; it contributes to no mask
                }
            }
        }

        /** The mask an edge from {@code x} to {@code y} (in the region) sets. */
        private Reg target(int x, int y) {
            Loop l = loops.get(y);
            if (l != null && l.blocks.get(x)) return l.next; // back edge or continue
            if (y == entry && innermost[y] == null) throw fail("edge back to the region's head");
            return mask(y);
        }

        /** {@code mask(target) |= m & cond} for the edge from block {@code x} to {@code target}. */
        private void edge(int x, Value m, Value cond, String target) {
            Integer y = cfg.index.get(target);
            if (y == null || !region.get(y)) return; // leaves the region (to its post-dominator)
            Reg dst = target(x, y);
            Value c;
            if (cond == null) {
                c = m;
            } else if (m instanceof Const k && k.bits() == 1) {
                c = cond;
            } else {
                Reg a = ed.temp(ScalarType.PRED);
                cur.add(Stmt.of(new Inst.Compute(Opcode.AND, ScalarType.PRED, FloatMode.NONE, a, List.of(m, cond))));
                c = a;
            }
            cur.add(Stmt.of(new Inst.Compute(Opcode.OR, ScalarType.PRED, FloatMode.NONE, dst, List.of(dst, c))));
        }

        /**
         * Emits {@code s} for every thread with only the lanes of {@code m} taking part; returns the copies of its
         * results to run where {@code m} holds.
         */
        private List<Stmt> emitCollective(Stmt s, Value m) {
            List<Stmt> copies = new ArrayList<>();
            java.util.function.UnaryOperator<Reg> tmp = r -> {
                if (r == null) return null;
                Reg t = ed.temp(r.type());
                copies.add(new Stmt(new Inst.Mov(r, t), null, false, s.loc()));
                return t;
            };
            Inst i = s.inst();
            switch (i) {
                case Inst.ActiveMask a -> emit(s, new Inst.Vote(Inst.VoteMode.BALLOT, tmp.apply(a.dst()), m, false,
                        Const.of(ScalarType.B32, 0xffff_ffffL)));
                case Inst.Vote v -> emit(s, new Inst.Vote(v.mode(), tmp.apply(v.dst()), v.pred(), v.negate(),
                        restrict(s, v.memberMask(), m)));
                case Inst.Match mt -> {
                    Value mm = restrict(s, mt.memberMask(), m);
                    emit(s, new Inst.Match(mt.all(), mt.type(), tmp.apply(mt.dst()), tmp.apply(mt.allEqual()),
                            mt.value(), mm));
                }
                case Inst.Redux r -> {
                    Value mm = restrict(s, r.memberMask(), m);
                    emit(s, new Inst.Redux(r.op(), r.type(), tmp.apply(r.dst()), r.value(), mm));
                }
                case Inst.Shuffle sh -> {
                    // a thread outside the mask takes part only to keep the block's warp operations in step: its
                    // member mask becomes 0 (its own lane not in it, so it neither publishes nor reads: a code
                    // generator may skip both), the lanes of the mask keep theirs
                    Value mm = sh.memberMask();
                    if (!TRUE.equals(m)) {
                        Reg t = ed.temp(ScalarType.B32);
                        emit(s, new Inst.Compute(Opcode.SELP, ScalarType.B32, FloatMode.NONE, t,
                                List.of(mm, Const.of(ScalarType.B32, 0), m)));
                        mm = t;
                    }
                    emit(s, new Inst.Shuffle(sh.mode(), tmp.apply(sh.dst()), tmp.apply(sh.valid()), sh.a(), sh.b(),
                            sh.c(), mm));
                }
                case Inst.WarpSync w -> emit(s, w);
                case Inst.Barrier b -> {
                    switch (b.kind()) {
                        case RED_OR, RED_POPC, RED_AND -> {
                            Value p = b.pred();
                            if (b.negatePred()) {
                                Reg np = ed.temp(ScalarType.PRED);
                                emit(s, new Inst.Compute(Opcode.NOT, ScalarType.PRED, FloatMode.NONE, np, List.of(p)));
                                p = np;
                            }
                            Reg q = ed.temp(ScalarType.PRED);
                            if (b.kind() == Inst.BarrierKind.RED_AND) {
                                Reg nm = ed.temp(ScalarType.PRED);
                                emit(s, new Inst.Compute(Opcode.NOT, ScalarType.PRED, FloatMode.NONE, nm, List.of(m)));
                                emit(s, new Inst.Compute(Opcode.OR, ScalarType.PRED, FloatMode.NONE, q, List.of(p, nm)));
                            } else {
                                emit(s, new Inst.Compute(Opcode.AND, ScalarType.PRED, FloatMode.NONE, q, List.of(p, m)));
                            }
                            emit(s, new Inst.Barrier(b.kind(), b.id(), b.threads(), tmp.apply(b.dst()), q, false));
                        }
                        default -> emit(s, b);
                    }
                }
                default -> throw new IllegalStateException("not a collective: " + i);
            }
            return copies;
        }

        private void emit(Stmt like, Inst i) {
            cur.add(new Stmt(i, null, false, like.loc()));
        }

        /** {@code memberMask & ballot(m)}. */
        private Value restrict(Stmt like, Value memberMask, Value m) {
            Reg bal = ed.temp(ScalarType.B32);
            emit(like, new Inst.Vote(Inst.VoteMode.BALLOT, bal, m, false, Const.of(ScalarType.B32, 0xffff_ffffL)));
            Reg and = ed.temp(ScalarType.B32);
            emit(like, new Inst.Compute(Opcode.AND, ScalarType.B32, FloatMode.NONE, and, List.of(memberMask, bal)));
            return and;
        }
    }

    // =================================================================================================
    // divergence

    /** Block uniformity and register divergence of a function (see the class comment). */
    static final class Divergence {
        final Function fn;
        final Cfg cfg;
        final int[] ipdom;
        final BitSet nonUniform = new BitSet();
        final Set<Integer> divergentRegs = new HashSet<>();
        final Set<Integer> defined = new HashSet<>();

        Divergence(Function fn, Cfg cfg) {
            this.fn = fn;
            this.cfg = cfg;
            this.ipdom = cfg.postDominators();
            int n = cfg.blocks.size();
            for (Block b : cfg.blocks) for (Stmt s : b.stmts()) for (Reg r : s.inst().defs()) defined.add(r.id());
            boolean changed = true;
            while (changed) {
                changed = false;
                for (int bi = 0; bi < n; bi++) {
                    Block b = cfg.block(bi);
                    boolean blockDivergent = nonUniform.get(bi);
                    for (Stmt s : b.stmts()) {
                        boolean d = blockDivergent || org.transcuda.ir.Insts.perThread(s.inst(), fn.kernel())
                                || s.guard() != null && divergent(s.guard());
                        // a bar.red result is the same in every thread whatever each contributes
                        if (!d && !(s.inst() instanceof Inst.Barrier)) {
                            for (Value v : s.inst().uses()) {
                                if (divergent(v)) {
                                    d = true;
                                    break;
                                }
                            }
                        }
                        if (!d) continue;
                        for (Reg r : s.inst().defs()) changed |= divergentRegs.add(r.id());
                    }
                }
                for (int a = 0; a < n; a++) {
                    if (!divergentBranch(a)) continue;
                    BitSet r = reach(cfg, a, ipdom[a]);
                    BitSet before = (BitSet) nonUniform.clone();
                    nonUniform.or(r);
                    changed |= !before.equals(nonUniform);
                }
            }
        }

        boolean divergent(Value v) {
            return v instanceof Reg r && (divergentRegs.contains(r.id()) || !defined.contains(r.id()));
        }

        boolean divergentBranch(int a) {
            Value cond = switch (cfg.block(a).terminator()) {
                case Terminator.CondBranch cb -> cb.pred();
                case Terminator.Switch sw -> sw.index();
                default -> null;
            };
            return cond != null && divergent(cond);
        }
    }
}
