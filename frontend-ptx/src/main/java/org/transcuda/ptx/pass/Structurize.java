package org.transcuda.ptx.pass;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.transcuda.ir.Block;
import org.transcuda.ir.Const;
import org.transcuda.ir.Function;
import org.transcuda.ir.Inst;
import org.transcuda.ir.Reg;
import org.transcuda.ir.ScalarType;
import org.transcuda.ir.Stmt;
import org.transcuda.ir.StructuredFunction;
import org.transcuda.ir.Terminator;
import org.transcuda.ir.Value;

/**
 * Control-flow structurization for SPIR-V: turns a reducible control-flow graph into one with structured selection
 * and loop constructs, and says which block heads which construct with which merge block and continue target
 * ({@link StructuredFunction}). {@link StructureVerifier} checks the result against SPIR-V's rules.
 *
 * <p>Two steps. First the CFG becomes a tree of nested scopes with the dominator-tree method of Ramsey's "Beyond
 * Relooper" (2022): blocks with two or more forward predecessors, and blocks that leave a loop, are placed after a
 * scope ({@code block}) that a branch to them leaves; a loop header opens a {@code loop} scope that a back edge
 * continues; everything else is nested at its only predecessor. Then the tree is emitted as blocks: a
 * {@code block} scope becomes a selection construct (an {@code OpSwitch} on a constant with only its body as target,
 * so that a branch to its end is a structured break from anywhere inside it), a {@code loop} a loop construct with a
 * dedicated header and continue block, every conditional branch and switch a selection construct with a merge block
 * of its own. A branch SPIR-V does not allow directly (leaving several constructs at once, such as a break out of
 * two loops, or an early exit from a loop to a join outside it) leaves the innermost construct in the way to its
 * merge block, where code dispatches onward; when several such exits share a merge block they set a dispatch
 * register ({@code %exit.flag}) first, reset at their destination.
 *
 * <p>Unreachable blocks are dropped. An irreducible CFG is rejected with {@link StructurizeException}.
 */
public final class Structurize {
    private Structurize() {
    }

    /** The control flow cannot be structured (irreducible, or too deeply nested). */
    public static final class StructurizeException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public StructurizeException(String message) {
            super(message);
        }
    }

    public static StructuredFunction run(Function f) {
        if (!f.isDefined()) return new StructuredFunction(f, List.of());
        if (f.blocks().size() < 400) return runHere(f);
        // The tree is built and emitted recursively, as deep as the nesting of joins: give a big function a
        // thread with a stack to match (virtual memory, committed only as far as used).
        long stack = Math.min(1L << 32, Math.max(64L << 20, (long) f.blocks().size() << 16));
        StructuredFunction[] result = new StructuredFunction[1];
        RuntimeException[] failure = new RuntimeException[1];
        Thread t = new Thread(null, () -> {
            try {
                result[0] = runHere(f);
            } catch (RuntimeException e) {
                failure[0] = e;
            }
        }, "structurize " + f.name(), stack);
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StructurizeException(f.name() + ": interrupted");
        }
        if (failure[0] != null) throw failure[0];
        return result[0];
    }

    private static StructuredFunction runHere(Function f) {
        try {
            return new Structurize.Run(f).run();
        } catch (StackOverflowError e) {
            throw new StructurizeException(f.name() + ": control flow nested too deeply to structure");
        }
    }

    // ------------------------------------------------------------------------------------------------ the tree

    private sealed interface T {
    }

    private record Code(Block block) implements T {
    }

    private record Seq(List<T> items) implements T {
    }

    /** A scope whose end is where {@code Br(label)} goes; the code after it follows. */
    private record BlockT(String label, T body) implements T {
    }

    /** A loop scope: {@code Continue(label)} goes back to its start. */
    private record LoopT(String label, T body) implements T {
    }

    private record If(Value cond, T then, T otherwise) implements T {
    }

    /** A switch: targets[i] is reached by index i; one body per distinct target. */
    private record SwitchT(Value index, List<String> targets, Map<String, T> bodies) implements T {
    }

    private record Br(String label) implements T {
    }

    private record Continue(String label) implements T {
    }

    private record Exit(Terminator terminator) implements T {
    }

    // ------------------------------------------------------------------------------------------------ run

    private static final class Run {
        final Function f;
        final Cfg cfg;
        final int n;
        /** Loop header of each node's innermost loop, -1 outside loops; and loop membership per header. */
        final Map<Integer, BitSet> loops = new HashMap<>();
        final boolean[] header;
        final boolean[] mergeLike;
        final List<List<Integer>> placed = new ArrayList<>();
        final FunctionEditor ed;

        Run(Function f) {
            this.f = f;
            this.cfg = new Cfg(f.blocks());
            this.n = cfg.blocks.size();
            this.header = new boolean[n];
            this.mergeLike = new boolean[n];
            this.ed = new FunctionEditor(f);
        }

        StructuredFunction run() {
            findLoops();
            place();
            T tree = doTree(0);
            return new Emitter(this).emit(tree);
        }

        void findLoops() {
            for (int u = 0; u < n; u++) {
                for (int v : cfg.succ[u]) {
                    if (v <= u) { // retreating edge in reverse postorder
                        if (!cfg.dominates(v, u)) {
                            throw new StructurizeException(f.name() + ": irreducible control flow (edge "
                                    + cfg.block(u).label() + " -> " + cfg.block(v).label() + " enters a loop at "
                                    + "another block than its header)");
                        }
                        header[v] = true;
                        BitSet body = loops.computeIfAbsent(v, k -> {
                            BitSet b = new BitSet(n);
                            b.set(k);
                            return b;
                        });
                        ArrayDeque<Integer> work = new ArrayDeque<>();
                        if (!body.get(u)) {
                            body.set(u);
                            work.add(u);
                        }
                        while (!work.isEmpty()) {
                            int x = work.poll();
                            for (int p : cfg.pred[x]) {
                                if (!body.get(p)) {
                                    body.set(p);
                                    work.add(p);
                                }
                            }
                        }
                    }
                }
            }
        }

        boolean inLoop(int h, int x) {
            BitSet b = loops.get(h);
            return b != null && b.get(x);
        }

        /** Decides which nodes are placed after a scope, and where. */
        void place() {
            for (int i = 0; i < n; i++) placed.add(new ArrayList<>());
            for (int x = 1; x < n; x++) {
                int forward = 0;
                for (int p : cfg.pred[x]) if (p < x) forward++;
                int parent = cfg.idom[x];
                // leaving loops: place after the outermost loop that contains the dominator but not x
                int outer = -1;
                for (Map.Entry<Integer, BitSet> e : loops.entrySet()) {
                    int h = e.getKey();
                    BitSet body = e.getValue();
                    if (body.get(parent) && !body.get(x)) {
                        if (outer == -1 || loops.get(h).cardinality() > loops.get(outer).cardinality()) outer = h;
                    }
                }
                if (outer != -1) {
                    mergeLike[x] = true;
                    placed.get(outer).add(x);
                } else if (forward >= 2) {
                    mergeLike[x] = true;
                    placed.get(parent).add(x);
                }
            }
        }

        T doTree(int x) {
            List<Integer> ys = new ArrayList<>(placed.get(x));
            ys.sort(Integer::compare);
            if (header[x]) {
                List<Integer> in = new ArrayList<>();
                List<Integer> out = new ArrayList<>();
                for (int y : ys) (inLoop(x, y) ? in : out).add(y);
                T loop = new LoopT(label(x), nodeWithin(x, in));
                return wrap(loop, out);
            }
            return nodeWithin(x, ys);
        }

        /** {@code block y_k { ... block y_1 { inner } y_1 ... } y_k}, lowest RPO innermost. */
        T wrap(T inner, List<Integer> ys) {
            T t = inner;
            for (int y : ys) t = new Seq(List.of(new BlockT(label(y), t), doTree(y)));
            return t;
        }

        T nodeWithin(int x, List<Integer> ys) {
            Block b = cfg.block(x);
            T body = new Seq(List.of(new Code(b), branchOut(x, b.terminator())));
            return wrap(body, ys);
        }

        T branchOut(int x, Terminator t) {
            return switch (t) {
                case Terminator.Branch br -> doBranch(x, br.target());
                case Terminator.CondBranch c -> c.ifTrue().equals(c.ifFalse()) ? doBranch(x, c.ifTrue())
                        : new If(c.pred(), doBranch(x, c.ifTrue()), doBranch(x, c.ifFalse()));
                case Terminator.Switch s -> {
                    Map<String, T> bodies = new LinkedHashMap<>();
                    for (String target : s.targets()) {
                        if (!bodies.containsKey(target)) bodies.put(target, doBranch(x, target));
                    }
                    yield new SwitchT(s.index(), s.targets(), bodies);
                }
                default -> new Exit(t);
            };
        }

        T doBranch(int from, String target) {
            Integer to = cfg.index.get(target);
            if (to == null) throw new StructurizeException(f.name() + ": branch to unknown block " + target);
            if (to <= from) return new Continue(target);
            if (mergeLike[to]) return new Br(target);
            return doTree(to);
        }

        String label(int x) {
            return cfg.block(x).label();
        }
    }

    // ------------------------------------------------------------------------------------------------ emission

    /** An exit chain on its way out: its target and the flag writes that started it. */
    private record Pending(Target target, List<Stmt> origins) {
    }

    /** Where a branch goes: the end of a block scope, or the continue target of a loop. */
    private record Target(String label, boolean loopContinue) {
    }

    private enum Kind { BLOCK, LOOP, IF, SWITCH }

    private static final class Ctx {
        final Kind kind;
        final String treeLabel;
        final String merge;
        final String cont;
        /** For a loop that is the whole body of a block scope: that scope's label (a branch there is a break). */
        final String exitLabel;
        final List<Pending> pending = new ArrayList<>();

        Ctx(Kind kind, String treeLabel, String merge, String cont, String exitLabel) {
            this.kind = kind;
            this.treeLabel = treeLabel;
            this.merge = merge;
            this.cont = cont;
            this.exitLabel = exitLabel;
        }
    }

    private static final class Emitter {
        final Run run;
        final FunctionEditor ed;
        final List<Block> out = new ArrayList<>();
        final List<StructuredFunction.Construct> constructs = new ArrayList<>();
        final ArrayList<Ctx> ctx = new ArrayList<>();
        String curLabel;
        List<Stmt> cur;
        final Set<String> referenced = new HashSet<>();
        final Map<String, List<Stmt>> open = new HashMap<>();
        /** Flag writes (set or reset), dropped at the end unless some dispatch needs the flag. */
        final Map<Stmt, Boolean> flagWrites = new IdentityHashMap<>();
        final Map<Stmt, List<Stmt>> resetOrigins = new IdentityHashMap<>();
        final Map<Target, Integer> codes = new HashMap<>();
        final Set<String> emittedOriginals = new HashSet<>();
        /** Ifs whose merge block is the end of the block scope around them (see ifMergeFor). */
        final Map<If, String> ifMerge = new IdentityHashMap<>();
        final Map<If, String> ifExit = new IdentityHashMap<>();
        Reg flag;
        Stmt flagInit;

        Emitter(Run run) {
            this.run = run;
            this.ed = run.ed;
        }

        StructuredFunction emit(T tree) {
            begin(ed.label("entry"));
            lower(tree);
            if (cur != null) end(new Terminator.Return());
            for (Block b : run.cfg.blocks) {
                if (!emittedOriginals.contains(b.label())) {
                    throw new IllegalStateException("structurizer lost block " + b.label());
                }
            }
            // drop flag writes no dispatch needs
            boolean anyNeeded = false;
            for (Map.Entry<Stmt, Boolean> e : flagWrites.entrySet()) anyNeeded |= e.getValue();
            for (Map.Entry<Stmt, List<Stmt>> e : resetOrigins.entrySet()) {
                boolean need = false;
                for (Stmt o : e.getValue()) need |= flagWrites.getOrDefault(o, false);
                flagWrites.put(e.getKey(), need);
            }
            List<Block> blocks = new ArrayList<>(out.size());
            for (Block b : out) {
                List<Stmt> ss = new ArrayList<>(b.stmts().size());
                for (Stmt s : b.stmts()) {
                    if (s == flagInit && !anyNeeded) continue;
                    if (flagWrites.containsKey(s) && !flagWrites.get(s)) continue;
                    ss.add(s);
                }
                blocks.add(ss.size() == b.stmts().size() ? b : new Block(b.label(), ss, b.terminator()));
            }
            blocks = skipForwarders(blocks);
            Function g = ed.build(blocks);
            g = Registers.compact(g);
            return new StructuredFunction(g, constructs);
        }

        /**
         * Branches to an empty block that only branches on (an arm or body entry) go straight to its target, and
         * such blocks disappear; blocks that name constructs, switch cases and the entry stay.
         */
        List<Block> skipForwarders(List<Block> blocks) {
            Set<String> keep = new HashSet<>();
            for (StructuredFunction.Construct c : constructs) {
                keep.add(c.header());
                keep.add(c.merge());
                if (c.continueTarget() != null) keep.add(c.continueTarget());
            }
            keep.add(blocks.getFirst().label());
            for (Block b : blocks) {
                if (b.terminator() instanceof Terminator.Switch sw) keep.addAll(sw.targets());
            }
            Map<String, String> fwd = new HashMap<>();
            for (Block b : blocks) {
                if (!keep.contains(b.label()) && b.stmts().isEmpty() && b.terminator() instanceof Terminator.Branch br
                        && !br.target().equals(b.label())) {
                    fwd.put(b.label(), br.target());
                }
            }
            if (fwd.isEmpty()) return blocks;
            java.util.function.UnaryOperator<String> resolve = l -> {
                String x = l;
                for (int guard = 0; fwd.containsKey(x) && guard < 1000; guard++) x = fwd.get(x);
                return x;
            };
            List<Block> outBlocks = new ArrayList<>();
            Set<String> used = new HashSet<>();
            for (Block b : blocks) {
                Terminator t = switch (b.terminator()) {
                    case Terminator.Branch br -> new Terminator.Branch(resolve.apply(br.target()));
                    case Terminator.CondBranch c -> {
                        String a = resolve.apply(c.ifTrue());
                        String e = resolve.apply(c.ifFalse());
                        yield a.equals(e) ? c : new Terminator.CondBranch(c.pred(), a, e);
                    }
                    default -> b.terminator();
                };
                outBlocks.add(t == b.terminator() ? b : new Block(b.label(), b.stmts(), t));
            }
            for (Block b : outBlocks) used.addAll(b.terminator().successors());
            List<Block> result = new ArrayList<>();
            for (Block b : outBlocks) {
                if (fwd.containsKey(b.label()) && !used.contains(b.label())) continue;
                result.add(b);
            }
            return result;
        }

        // -------------------------------------------------------------------------------------- blocks

        void begin(String label) {
            curLabel = label;
            cur = new ArrayList<>();
        }

        void end(Terminator t) {
            out.add(new Block(curLabel, cur, t));
            referenced.addAll(t.successors());
            cur = null;
            curLabel = null;
        }

        void jump(String label) {
            end(new Terminator.Branch(label));
        }

        /** Starts a merge block: reachable when something branched to it, else it holds only Unreachable. */
        boolean beginMerge(String label) {
            begin(label);
            if (!referenced.contains(label)) {
                end(new Terminator.Unreachable());
                return false;
            }
            return true;
        }

        // -------------------------------------------------------------------------------------- lowering

        void lower(T t) {
            if (cur == null) return; // unreachable code after a branch
            switch (t) {
                case Seq s -> {
                    for (T x : s.items()) {
                        if (cur == null) break;
                        lower(x);
                    }
                }
                case Code c -> {
                    Block b = c.block();
                    if (out.isEmpty() && cur.isEmpty() && !referenced.contains(curLabel)) {
                        curLabel = b.label(); // the function's first block keeps its label
                    } else {
                        jump(b.label());
                        begin(b.label());
                    }
                    emittedOriginals.add(b.label());
                    cur.addAll(b.stmts());
                }
                case BlockT bt when bt.body() instanceof LoopT lt -> {
                    // a block scope around just a loop: its end is the loop's merge block, a branch to it a break
                    Ctx c = loop(lt, bt.label());
                    if (beginMerge(c.merge)) dispatch(c, true);
                }
                case BlockT bt when ifMergeFor(bt) != null -> {
                    // the scope's end can be the merge block of the if that ends it
                    If i = ifMergeFor(bt);
                    ifMerge.put(i, ed.label(bt.label() + ".join"));
                    ifExit.put(i, bt.label());
                    lower(bt.body());
                }
                case BlockT bt -> {
                    String h = ed.label(bt.label() + ".scope");
                    String body = ed.label(bt.label() + ".in");
                    String merge = ed.label(bt.label() + ".join");
                    jump(h);
                    begin(h);
                    constructs.add(new StructuredFunction.Construct(StructuredFunction.Kind.SELECTION, h, merge, null));
                    end(new Terminator.Switch(Const.of(ScalarType.U32, 0), List.of(body)));
                    Ctx c = new Ctx(Kind.BLOCK, bt.label(), merge, null, null);
                    ctx.add(c);
                    begin(body);
                    lower(bt.body());
                    if (cur != null) jump(merge);
                    ctx.removeLast();
                    if (beginMerge(merge)) dispatch(c, true);
                }
                case LoopT lt -> {
                    Ctx c = loop(lt, null);
                    if (beginMerge(c.merge)) dispatch(c, false);
                }
                case If i -> {
                    String h = curLabel;
                    String th = ed.label(h + ".then");
                    String el = ed.label(h + ".else");
                    String merge = ifMerge.containsKey(i) ? ifMerge.get(i) : ed.label(h + ".endif");
                    constructs.add(new StructuredFunction.Construct(StructuredFunction.Kind.SELECTION, h, merge, null));
                    end(new Terminator.CondBranch(i.cond(), th, el));
                    Ctx c = new Ctx(Kind.IF, null, merge, null, ifExit.get(i));
                    ctx.add(c);
                    begin(th);
                    lower(i.then());
                    if (cur != null) jump(merge);
                    begin(el);
                    lower(i.otherwise());
                    if (cur != null) jump(merge);
                    ctx.removeLast();
                    beginMerge(merge);
                }
                case SwitchT s -> {
                    String h = curLabel;
                    String merge = ed.label(h + ".endswitch");
                    Map<String, String> caseLabels = new LinkedHashMap<>();
                    for (String target : s.bodies().keySet()) caseLabels.put(target, ed.label(h + ".case"));
                    List<String> targets = new ArrayList<>();
                    for (String target : s.targets()) targets.add(caseLabels.get(target));
                    constructs.add(new StructuredFunction.Construct(StructuredFunction.Kind.SELECTION, h, merge, null));
                    end(new Terminator.Switch(s.index(), targets));
                    Ctx c = new Ctx(Kind.SWITCH, null, merge, null, null);
                    ctx.add(c);
                    for (Map.Entry<String, T> e : s.bodies().entrySet()) {
                        begin(caseLabels.get(e.getKey()));
                        lower(e.getValue());
                        if (cur != null) jump(merge);
                    }
                    ctx.removeLast();
                    if (beginMerge(merge)) dispatch(c, false);
                }
                case Br b -> request(new Target(b.label(), false), null);
                case Continue c -> request(new Target(c.label(), true), null);
                case Exit e -> end(e.terminator());
            }
        }

        /**
         * The if that ends a block scope's body, when every branch to the scope's end is a whole arm of it or ends
         * an arm's sequence (so none leaves a nested construct); then that if's merge block can be the scope's end.
         */
        If ifMergeFor(BlockT bt) {
            If last = lastIf(bt.body());
            if (last == null) return null;
            int[] outside = {0};
            count(bt.body(), bt.label(), last, outside);
            if (outside[0] > 0) return null;
            return topLevelOnly(last.then(), bt.label()) && topLevelOnly(last.otherwise(), bt.label()) ? last : null;
        }

        static If lastIf(T t) {
            return switch (t) {
                case If i -> i;
                case Seq s -> s.items().isEmpty() ? null : lastIf(s.items().getLast());
                default -> null;
            };
        }

        /** Counts branches to {@code label} outside {@code skip}. */
        static void count(T t, String label, If skip, int[] n) {
            switch (t) {
                case Br b -> {
                    if (b.label().equals(label)) n[0]++;
                }
                case Seq s -> {
                    for (T x : s.items()) count(x, label, skip, n);
                }
                case BlockT b -> count(b.body(), label, skip, n);
                case LoopT l -> count(l.body(), label, skip, n);
                case If i -> {
                    if (i != skip) {
                        count(i.then(), label, skip, n);
                        count(i.otherwise(), label, skip, n);
                    }
                }
                case SwitchT sw -> {
                    for (T x : sw.bodies().values()) count(x, label, skip, n);
                }
                default -> {
                }
            }
        }

        /** Whether every branch to {@code label} in an arm sits outside any nested construct. */
        static boolean topLevelOnly(T t, String label) {
            return switch (t) {
                case Seq s -> s.items().stream().allMatch(x -> topLevelOnly(x, label));
                case Br b -> true;
                case Code c -> true;
                case Exit e -> true;
                case Continue c -> true;
                default -> {
                    int[] n = {0};
                    count(t, label, null, n);
                    yield n[0] == 0;
                }
            };
        }

        /** Emits a loop construct up to (not including) its merge block. */
        Ctx loop(LoopT lt, String exitLabel) {
            String h = ed.label(lt.label() + ".loop");
            String body = ed.label(lt.label() + ".body");
            String cont = ed.label(lt.label() + ".continue");
            String merge = ed.label((exitLabel != null ? exitLabel : lt.label()) + ".exit");
            jump(h);
            begin(h);
            constructs.add(new StructuredFunction.Construct(StructuredFunction.Kind.LOOP, h, merge, cont));
            end(new Terminator.Branch(body));
            Ctx c = new Ctx(Kind.LOOP, lt.label(), merge, cont, exitLabel);
            ctx.add(c);
            begin(body);
            lower(lt.body());
            if (cur != null) jump(merge);
            ctx.removeLast();
            begin(cont);
            end(new Terminator.Branch(h));
            return c;
        }

        /**
         * Branches from the current block to a target: directly when SPIR-V allows it from here, else out of the
         * innermost construct in the way, as a pending exit of that construct.
         */
        void request(Target target, List<Stmt> origins) {
            int ti = -1;
            boolean loopKind = false;
            for (int k = ctx.size() - 1; k >= 0; k--) {
                Ctx c = ctx.get(k);
                if (target.loopContinue() ? c.kind == Kind.LOOP && target.label().equals(c.treeLabel)
                        : c.kind == Kind.BLOCK && target.label().equals(c.treeLabel)) {
                    ti = k;
                    loopKind = target.loopContinue();
                    break;
                }
                if (!target.loopContinue() && c.kind == Kind.LOOP && target.label().equals(c.exitLabel)) {
                    ti = k;
                    loopKind = true;
                    break;
                }
                if (!target.loopContinue() && c.kind == Kind.IF && target.label().equals(c.exitLabel)) {
                    ti = k;
                    break;
                }
            }
            if (ti < 0) throw new IllegalStateException("no scope " + target.label() + " around a branch to it");
            // SPIR-V: a loop's break or continue may leave selections and switches on the way, nothing else may
            // leave more than selections
            Ctx blocker = null;
            for (int k = ctx.size() - 1; k > ti; k--) {
                Ctx c = ctx.get(k);
                boolean allowed = loopKind ? c.kind != Kind.LOOP : c.kind == Kind.IF;
                if (!allowed) {
                    blocker = c;
                    break;
                }
            }
            if (blocker == null) {
                if (origins != null) {
                    Stmt reset = flagWrite(0);
                    resetOrigins.put(reset, origins);
                }
                Ctx t = ctx.get(ti);
                jump(target.loopContinue() ? t.cont : t.merge);
                return;
            }
            List<Stmt> org = origins;
            if (org == null) {
                Stmt set = flagWrite(code(target));
                org = List.of(set);
            }
            blocker.pending.add(new Pending(target, org));
            jump(blocker.merge);
        }

        Stmt flagWrite(int value) {
            if (flag == null) {
                flag = ed.newReg(ScalarType.U32, "exit.flag");
                flagInit = new Stmt(new Inst.Mov(flag, Const.of(ScalarType.U32, 0)), null, false, null);
                // the entry block is the first emitted; its statement list is still reachable through out/cur
                List<Stmt> entryStmts = out.isEmpty() ? cur : out.getFirst().stmts();
                if (out.isEmpty()) {
                    entryStmts.addFirst(flagInit);
                } else {
                    Block e = out.getFirst();
                    List<Stmt> ss = new ArrayList<>(e.stmts());
                    ss.addFirst(flagInit);
                    out.set(0, new Block(e.label(), ss, e.terminator()));
                }
            }
            Stmt s = new Stmt(new Inst.Mov(flag, Const.of(ScalarType.U32, value)), null, false, null);
            flagWrites.put(s, false);
            cur.add(s);
            return s;
        }

        int code(Target t) {
            return codes.computeIfAbsent(t, k -> codes.size() + 1);
        }

        /**
         * At the merge of construct {@code c}: sends the exits that left it onward. With one exit target and no
         * ordinary way into the merge, no test is needed; otherwise the flag says which exit arrived.
         */
        void dispatch(Ctx c, boolean ordinaryFlow) {
            if (c.pending.isEmpty()) return;
            Map<Target, List<Stmt>> byTarget = new LinkedHashMap<>();
            for (Pending p : c.pending) byTarget.computeIfAbsent(p.target(), k -> new ArrayList<>()).addAll(p.origins());
            if (byTarget.size() == 1 && !ordinaryFlow) {
                Map.Entry<Target, List<Stmt>> e = byTarget.entrySet().iterator().next();
                request(e.getKey(), e.getValue());
                return;
            }
            for (List<Stmt> origins : byTarget.values()) {
                for (Stmt o : origins) flagWrites.put(o, true);
            }
            for (Map.Entry<Target, List<Stmt>> e : byTarget.entrySet()) {
                if (cur == null) return;
                Reg p = ed.temp(ScalarType.PRED);
                cur.add(new Stmt(new Inst.Compare(Inst.CmpOp.EQ, ScalarType.U32, false, p, flag,
                        Const.of(ScalarType.U32, code(e.getKey()))), null, false, null));
                String h = curLabel;
                String th = ed.label(h + ".then");
                String el = ed.label(h + ".else");
                String merge = ed.label(h + ".endif");
                constructs.add(new StructuredFunction.Construct(StructuredFunction.Kind.SELECTION, h, merge, null));
                end(new Terminator.CondBranch(p, th, el));
                ctx.add(new Ctx(Kind.IF, null, merge, null, null));
                begin(th);
                request(e.getKey(), e.getValue());
                begin(el);
                jump(merge);
                ctx.removeLast();
                beginMerge(merge);
            }
        }
    }
}
