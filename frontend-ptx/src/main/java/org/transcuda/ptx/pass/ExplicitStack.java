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
import org.transcuda.ir.Address;
import org.transcuda.ir.AddressSpace;
import org.transcuda.ir.Block;
import org.transcuda.ir.Const;
import org.transcuda.ir.FloatMode;
import org.transcuda.ir.Function;
import org.transcuda.ir.Inst;
import org.transcuda.ir.Insts;
import org.transcuda.ir.Memory;
import org.transcuda.ir.Module;
import org.transcuda.ir.Opcode;
import org.transcuda.ir.Param;
import org.transcuda.ir.Params;
import org.transcuda.ir.Reg;
import org.transcuda.ir.ScalarType;
import org.transcuda.ir.Stmt;
import org.transcuda.ir.SymbolAddr;
import org.transcuda.ir.Terminator;
import org.transcuda.ir.Value;
import org.transcuda.ir.Variable;

/**
 * Pass {@code explicit-stack} (run by backends whose target has no recursion, such as SPIR-V for Vulkan, before
 * structurizing): every cycle of the static call graph (direct calls) becomes code without recursive calls, over an
 * explicit per-thread stack in local memory.
 *
 * <p>The functions of one strongly connected component of the call graph (a self-recursive function, or mutually
 * recursive ones) are merged into one body: a start block, a dispatch on a state number (a binary search of compares:
 * plain conditional branches, which any structured target takes), and the functions' blocks, all registers defined in
 * the start block (no undefined value is saved, restored or returned). States are the entry of each function of the
 * component, the continuation after each recursive call site, and the header of each loop that contains a recursive
 * call site. Every transfer into a state goes through the dispatch block, so the only back edges of the result are the
 * ones to the dispatch block and those of loops without recursive calls: the control flow stays reducible (a
 * continuation would otherwise enter a loop in its middle) and the dispatch block dominates everything after the start
 * block.
 * <ul>
 * <li>A recursive call site checks that its frame fits, pushes the registers live across the call (predicates as u32)
 * and then its return-state number at the top of the frame, moves the arguments (through temporaries) into the
 * callee's parameter registers, sets the state to the callee's entry and branches to the dispatch block.</li>
 * <li>Its continuation copies the callee's return registers into temporaries, pops the frame (restoring the saved
 * registers) and moves the temporaries into the call's result registers.</li>
 * <li>{@code ret} of a function of the component releases its {@code .local} frame; at the outermost activation (the
 * stack pointer at the bottom) it is the real return, else it pops the return-state number and branches to the
 * dispatch block.</li>
 * <li>{@code .local} variables of the component's functions are per activation: they move into a frame on the
 * explicit stack, allocated at the function's entry state (their addresses become frame-pointer arithmetic).</li>
 * <li>A call that would overflow the stack sets {@link #OVERFLOWED}, calls {@link #STACK_OVERFLOW} (a declaration the
 * pass adds to the module: the backend reports the error and fails the launch) and returns; every function that can
 * reach a recursive one checks the flag after such calls and returns at once (a kernel exits), so the thread ends
 * without going on with undefined values. Nothing is written past the stack.</li>
 * </ul>
 * The stack is a {@code .local} variable of {@code stackBytes} bytes of the merged function. A component of one
 * function is rewritten in place. A component of several becomes one function {@code <first>.rec} with a selector
 * parameter (u32, the function's position in the component) followed by every function's parameters, returning every
 * function's return values; each function of the component keeps its name and signature as a wrapper that calls it.
 * Calls to functions outside the component stay ordinary calls; functions without recursion are returned unchanged
 * (the module itself when the call graph has no cycle). Recursion through indirect calls is left alone. A guarded
 * recursive call is not handled (run predication first); such a component's functions, and their callers, become
 * problems of the module.
 */
public final class ExplicitStack {
    /**
     * The function a stack overflow calls (no parameters, no return; control does not come back): a name no PTX
     * identifier can take, declared in the module by this pass.
     */
    public static final String STACK_OVERFLOW = "__transcuda.stack_overflow";

    /**
     * A module {@code .local} u32 (per thread) the pass adds: 0 from the start of every kernel that can reach a
     * recursive function, set to 1 by a stack overflow, after which every function on the way back returns at once
     * (a kernel exits) instead of going on with undefined return values.
     */
    public static final String OVERFLOWED = "__transcuda.stack_overflowed";

    private ExplicitStack() {
    }

    /** Whether the direct-call graph of {@code m} has a cycle. */
    public static boolean hasRecursion(Module m) {
        return !recursiveComponents(m).isEmpty();
    }

    /** The module without recursive direct calls, each recursive component over a stack of {@code stackBytes}. */
    public static Module run(Module m, int stackBytes) {
        if (stackBytes < 16 || stackBytes % 8 != 0) {
            throw new IllegalArgumentException("stack bytes must be a multiple of 8, at least 16: " + stackBytes);
        }
        List<List<Function>> sccs = recursiveComponents(m);
        if (sccs.isEmpty()) return m;
        Map<String, List<Function>> replaced = new HashMap<>();
        Map<String, String> failed = new LinkedHashMap<>();
        Set<String> taken = new HashSet<>();
        for (Function f : m.functions()) taken.add(f.name());
        for (Variable v : m.variables()) taken.add(v.name());
        boolean any = false;
        for (List<Function> scc : sccs) {
            try {
                List<Function> out = new Merge(scc, stackBytes, taken).run();
                for (Function f : scc) replaced.put(f.name(), List.of());
                replaced.put(scc.getFirst().name(), out);
                any = true;
            } catch (PassSupport.Failure e) {
                for (Function f : scc) failed.put(f.name(), e.getMessage());
            } catch (RuntimeException e) {
                for (Function f : scc) {
                    failed.put(f.name(), PassSupport.firstLoc(m, f) + ": internal error in pass explicit-stack: " + e);
                }
            }
        }
        List<Function> fns = new ArrayList<>();
        for (Function f : m.functions()) {
            List<Function> r = replaced.get(f.name());
            if (r == null) fns.add(f);
            else fns.addAll(r);
        }
        List<Variable> vars = new ArrayList<>(m.variables());
        if (any) {
            if (m.function(STACK_OVERFLOW).isEmpty()) fns.add(new Function(STACK_OVERFLOW, false, List.of()));
            if (m.variable(OVERFLOWED).isEmpty()) {
                vars.add(new Variable(OVERFLOWED, AddressSpace.LOCAL, ScalarType.U32, 1, 4, null, List.of(), false));
            }
            Set<String> seeds = new HashSet<>();
            for (Function f : fns) {
                for (Block b : f.blocks()) {
                    for (Stmt s : b.stmts()) {
                        if (s.inst() instanceof Inst.Call c && STACK_OVERFLOW.equals(c.callee())) seeds.add(f.name());
                    }
                }
            }
            fns = unwindOnOverflow(fns, seeds);
        }
        return Problems.drop(new Module(m.name(), vars, fns, m.problems()), failed);
    }

    /**
     * Every function that can reach a stack overflow ({@code seeds}: those that report one) checks {@link #OVERFLOWED}
     * after each call that can overflow and, when set, returns (kernels exit); kernels among them clear it first.
     */
    private static List<Function> unwindOnOverflow(List<Function> fns, Set<String> seeds) {
        Set<String> may = new HashSet<>(seeds);
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Function f : fns) {
                if (!may.contains(f.name()) && directCallees(f).stream().anyMatch(may::contains)) {
                    may.add(f.name());
                    changed = true;
                }
            }
        }
        Address flag = new Address(new SymbolAddr(OVERFLOWED, AddressSpace.LOCAL), 0);
        List<Function> out = new ArrayList<>();
        for (Function f : fns) {
            if (!may.contains(f.name()) || !f.isDefined() || (!f.kernel()
                    && directCallees(f).stream().noneMatch(may::contains))) {
                out.add(f);
                continue;
            }
            FunctionEditor ed = new FunctionEditor(f);
            Reg word = ed.newReg(ScalarType.U32, "rec.overflowed");
            Reg set = ed.newReg(ScalarType.PRED, "rec.overflowed.p");
            String unwind = ed.label("rec.unwind");
            List<Block> blocks = new ArrayList<>();
            if (f.kernel()) {
                blocks.add(new Block(ed.label("rec.init"), List.of(Stmt.of(new Inst.Store(AddressSpace.LOCAL,
                        ScalarType.U32, Memory.Order.WEAK, null, flag, Const.of(ScalarType.U32, 0)))),
                        new Terminator.Branch(f.blocks().getFirst().label())));
            }
            boolean checks = false;
            for (Block b : f.blocks()) {
                String cur = b.label();
                List<Stmt> ss = new ArrayList<>();
                for (Stmt s : b.stmts()) {
                    ss.add(s);
                    if (s.inst() instanceof Inst.Call c && c.callee() != null && may.contains(c.callee())) {
                        String next = ed.label(b.label() + ".checked");
                        ss.add(new Stmt(new Inst.Load(AddressSpace.LOCAL, ScalarType.U32, Memory.Order.WEAK, null,
                                Memory.Cache.DEFAULT, word, flag), null, false, s.loc()));
                        ss.add(new Stmt(new Inst.Compare(Inst.CmpOp.NE, ScalarType.U32, false, set, word,
                                Const.of(ScalarType.U32, 0)), null, false, s.loc()));
                        blocks.add(new Block(cur, ss, new Terminator.CondBranch(set, unwind, next)));
                        cur = next;
                        ss = new ArrayList<>();
                        checks = true;
                    }
                }
                blocks.add(new Block(cur, ss, b.terminator()));
            }
            if (checks) {
                blocks.add(new Block(unwind, List.of(), f.kernel() ? new Terminator.Exit() : new Terminator.Return()));
            }
            out.add(ed.build(blocks));
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------ call graph

    private static List<String> directCallees(Function f) {
        List<String> out = new ArrayList<>();
        for (Block b : f.blocks()) {
            for (Stmt s : b.stmts()) {
                if (s.inst() instanceof Inst.Call c && c.callee() != null) out.add(c.callee());
            }
        }
        return out;
    }

    /** Strongly connected components with a cycle (Tarjan), each in module order. */
    static List<List<Function>> recursiveComponents(Module m) {
        Map<String, Function> defined = new LinkedHashMap<>();
        for (Function f : m.functions()) if (f.isDefined()) defined.put(f.name(), f);
        Map<String, List<String>> edges = new HashMap<>();
        for (Function f : defined.values()) {
            List<String> es = new ArrayList<>();
            for (String c : directCallees(f)) if (defined.containsKey(c) && !es.contains(c)) es.add(c);
            edges.put(f.name(), es);
        }
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        ArrayDeque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new HashSet<>();
        List<List<Function>> out = new ArrayList<>();
        int[] counter = {0};
        for (String v : defined.keySet()) {
            if (!index.containsKey(v)) strongConnect(v, edges, index, low, stack, onStack, counter, defined, out);
        }
        List<String> order = new ArrayList<>(defined.keySet());
        for (List<Function> c : out) c.sort((a, b) -> order.indexOf(a.name()) - order.indexOf(b.name()));
        out.sort((a, b) -> order.indexOf(a.getFirst().name()) - order.indexOf(b.getFirst().name()));
        return out;
    }

    private static void strongConnect(String v, Map<String, List<String>> edges, Map<String, Integer> index,
            Map<String, Integer> low, ArrayDeque<String> stack, Set<String> onStack, int[] counter,
            Map<String, Function> defined, List<List<Function>> out) {
        index.put(v, counter[0]);
        low.put(v, counter[0]++);
        stack.push(v);
        onStack.add(v);
        for (String w : edges.get(v)) {
            if (!index.containsKey(w)) {
                strongConnect(w, edges, index, low, stack, onStack, counter, defined, out);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            List<Function> comp = new ArrayList<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                comp.add(defined.get(w));
            } while (!w.equals(v));
            if (comp.size() > 1 || edges.get(v).contains(v)) out.add(comp);
        }
    }

    // ------------------------------------------------------------------------------------------------ merging

    /** One recursive component merged into one function (and wrappers when it has several functions). */
    private static final class Merge {
        final List<Function> fs;
        final int k;
        final int stackBytes;
        final Set<String> takenNames;
        final Set<String> members = new HashSet<>();
        final List<Reg> regs = new ArrayList<>();
        final Set<String> regNames = new HashSet<>();
        final Set<String> labels = new HashSet<>();
        final List<Variable> locals = new ArrayList<>();
        final List<Block> out = new ArrayList<>();
        /** Per function: old register id -> merged register. */
        final Reg[][] regMap;
        final List<List<Reg>> paramRegs = new ArrayList<>();
        final List<List<Reg>> returnRegs = new ArrayList<>();
        /** State number -> the block it starts at. */
        final List<String> states = new ArrayList<>();
        String stackName;
        Reg sp, stackLo, stackHi, state, nsp, overflowed;
        String dispatch, pop, exit, overflow;

        Merge(List<Function> fs, int stackBytes, Set<String> takenNames) {
            this.fs = fs;
            this.k = fs.size();
            this.stackBytes = stackBytes;
            this.takenNames = takenNames;
            this.regMap = new Reg[k][];
            for (Function f : fs) members.add(f.name());
        }

        Reg newReg(ScalarType t, String base) {
            String n = base;
            int i = 1;
            while (!regNames.add(n)) n = base + "." + (i++);
            Reg r = new Reg(regs.size(), t, n);
            regs.add(r);
            return r;
        }

        String label(String base) {
            String n = base;
            int i = 1;
            while (!labels.add(n)) n = base + "." + (i++);
            return n;
        }

        static Stmt st(Inst i, org.transcuda.ir.SrcLoc loc) {
            return new Stmt(i, null, false, loc);
        }

        List<Function> run() {
            for (Function f : fs) {
                if (f.kernel()) throw new PassSupport.Failure(f.name() + ": a kernel cannot be called");
                if (f.paramRegs().size() != f.params().size() || (f.returnRegs().isEmpty() && !f.returns().isEmpty())) {
                    throw PassSupport.Failure.at(null, f.name(), "calls of " + f.name() + " are not lowered");
                }
            }
            // labels: every function's, renamed apart when there are several
            for (int i = 0; i < k; i++) for (Block b : fs.get(i).blocks()) labels.add(blockName(i, b.label()));
            String start = label("rec.start");
            dispatch = label("rec.dispatch");
            pop = label("rec.pop");
            exit = label("rec.exit");
            overflow = label("rec.overflow");
            // registers: every function's, then the machinery
            Reg sel = null;
            if (k > 1) sel = newReg(ScalarType.U32, "rec.select");
            for (int i = 0; i < k; i++) {
                Function f = fs.get(i);
                regMap[i] = new Reg[f.regs().size()];
                for (Reg r : f.regs()) regMap[i][r.id()] = newReg(r.type(), r.name());
                int fi = i;
                paramRegs.add(f.paramRegs().stream().map(r -> regMap[fi][r.id()]).toList());
                returnRegs.add(f.returnRegs().stream().map(r -> regMap[fi][r.id()]).toList());
            }

            sp = newReg(ScalarType.U64, "rec.sp");
            stackLo = newReg(ScalarType.U64, "rec.stack.lo");
            stackHi = newReg(ScalarType.U64, "rec.stack.hi");
            state = newReg(ScalarType.U32, "rec.state");
            nsp = newReg(ScalarType.U64, "rec.sp.next");
            overflowed = newReg(ScalarType.PRED, "rec.overflow");
            stackName = "rec.stack";
            Set<String> localNames = new HashSet<>();
            for (Function f : fs) for (Variable v : f.locals()) localNames.add(v.name());
            for (int i = 1; localNames.contains(stackName) || takenNames.contains(stackName); i++) {
                stackName = "rec.stack." + i;
            }
            locals.add(new Variable(stackName, AddressSpace.LOCAL, ScalarType.U32, stackBytes / 4, 8, null, List.of(),
                    false));
            for (int i = 0; i < k; i++) states.add(null);
            // start
            List<Stmt> s0 = new ArrayList<>();
            s0.add(st(new Inst.Mov(stackLo, new SymbolAddr(stackName, AddressSpace.LOCAL)), null));
            s0.add(st(new Inst.Compute(Opcode.ADD, ScalarType.U64, FloatMode.NONE, stackHi,
                    List.of(stackLo, Const.of(ScalarType.U64, stackBytes))), null));
            s0.add(st(new Inst.Mov(sp, stackLo), null));
            s0.add(st(new Inst.Mov(state, sel != null ? sel : Const.of(ScalarType.U32, 0)), null));
            // every other register defined: no undefined value is saved, restored or returned
            Set<Reg> params = new HashSet<>();
            for (List<Reg> ps : paramRegs) params.addAll(ps);
            for (Reg r : List.copyOf(regs)) {
                if (params.contains(r) || r.equals(sel) || r.equals(sp) || r.equals(stackLo) || r.equals(stackHi)
                        || r.equals(state) || r.type().bits() > 64) {
                    continue;
                }
                s0.add(st(new Inst.Mov(r, Const.of(r.type(), 0)), null));
            }
            out.add(new Block(start, s0, new Terminator.Branch(dispatch)));
            int dispatchAt = out.size();
            out.add(null); // the dispatch block, once every state is known
            for (int i = 0; i < k; i++) function(i);
            List<Stmt> popStmts = List.of(st(new Inst.Load(AddressSpace.LOCAL, ScalarType.U32, Memory.Order.WEAK, null,
                    Memory.Cache.DEFAULT, state, new Address(sp, -4)), null));
            out.add(new Block(pop, popStmts, new Terminator.Branch(dispatch)));
            out.add(new Block(exit, List.of(), new Terminator.Return()));
            out.add(new Block(overflow, List.of(st(new Inst.Store(AddressSpace.LOCAL, ScalarType.U32, Memory.Order.WEAK,
                    null, new Address(new SymbolAddr(OVERFLOWED, AddressSpace.LOCAL), 0), Const.of(ScalarType.U32, 1)),
                    null), st(new Inst.Call(STACK_OVERFLOW, null, List.of(), List.of()), null)),
                    new Terminator.Branch(exit)));
            // the dispatch: a binary search of compares over the state
            List<Block> tree = new ArrayList<>();
            Reg below = newReg(ScalarType.PRED, "rec.dispatch.lt");
            dispatchTree(dispatch, 0, states.size(), below, tree);
            out.remove(dispatchAt);
            out.addAll(dispatchAt, tree);

            // the merged function
            Function first = fs.getFirst();
            if (k == 1) {
                return List.of(new Function(first.name(), false, first.params(), first.returns(), regs, locals, out,
                        first.directives(), paramRegs.getFirst(), returnRegs.getFirst()));
            }
            String name = first.name() + ".rec";
            for (int i = 1; takenNames.contains(name); i++) name = first.name() + ".rec" + i;
            takenNames.add(name);
            Params ps = new Params().add("rec.select", ScalarType.U32);
            Params rs = new Params();
            List<Reg> allParams = new ArrayList<>(List.of(sel));
            List<Reg> allReturns = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                Function f = fs.get(i);
                for (Param p : f.params()) ps.add(f.name() + "." + p.name(), p.type(), p.count(), p.alignment());
                for (Param p : f.returns()) rs.add(f.name() + "." + p.name(), p.type(), p.count(), p.alignment());
                allParams.addAll(paramRegs.get(i));
                allReturns.addAll(returnRegs.get(i));
            }
            Function merged = new Function(name, false, ps.build(), rs.build(), regs, locals, out,
                    Function.Directives.NONE, allParams, allReturns);
            List<Function> result = new ArrayList<>(List.of(merged));
            for (int i = 0; i < k; i++) result.add(wrapper(i, merged));
            return result;
        }

        /** Blocks from {@code label} on that branch to {@code states[lo..hi)} by the state register. */
        private String dispatchTree(String label, int lo, int hi, Reg below, List<Block> tree) {
            if (hi - lo == 1 && label != null) {
                tree.add(new Block(label, List.of(), new Terminator.Branch(states.get(lo))));
                return label;
            }
            if (hi - lo == 1) return states.get(lo);
            int mid = (lo + hi) / 2;
            String at = label != null ? label : label(dispatch + "." + lo + "." + hi);
            int index = tree.size();
            tree.add(null);
            String left = dispatchTree(null, lo, mid, below, tree);
            String right = dispatchTree(null, mid, hi, below, tree);
            tree.set(index, new Block(at, List.of(st(new Inst.Compare(Inst.CmpOp.LO, ScalarType.U32, false, below,
                    state, Const.of(ScalarType.U32, mid)), null)), new Terminator.CondBranch(below, left, right)));
            return at;
        }

        /** Function {@code i} of the component calling the merged function with its selector. */
        private Function wrapper(int i, Function merged) {
            Function f = fs.get(i);
            List<Reg> wregs = new ArrayList<>();
            List<Reg> wparams = new ArrayList<>();
            for (Reg r : f.paramRegs()) {
                Reg n = new Reg(wregs.size(), r.type(), r.name());
                wregs.add(n);
                wparams.add(n);
            }
            List<Value> args = new ArrayList<>(List.of(Const.of(ScalarType.U32, i)));
            for (int j = 0; j < k; j++) {
                for (Reg p : paramRegs.get(j)) args.add(j == i ? wparams.get(paramRegs.get(j).indexOf(p))
                        : Const.of(p.type(), 0));
            }
            List<Reg> results = new ArrayList<>();
            List<Reg> mine = new ArrayList<>();
            for (int j = 0; j < k; j++) {
                for (Reg r : returnRegs.get(j)) {
                    Reg n = new Reg(wregs.size(), r.type(), "ret" + wregs.size());
                    wregs.add(n);
                    results.add(n);
                    if (j == i) mine.add(n);
                }
            }
            Block b = new Block("entry", List.of(st(new Inst.Call(merged.name(), null, results, args), null)),
                    new Terminator.Return());
            return new Function(f.name(), false, f.params(), f.returns(), wregs, List.of(), List.of(b), f.directives(),
                    wparams, mine);
        }

        private String blockName(int i, String l) {
            return k == 1 ? l : "f" + i + "." + l;
        }

        private Reg mapReg(int i, Reg r) {
            return r == null ? null : regMap[i][r.id()];
        }

        /** The blocks of function {@code i}. */
        private void function(int i) {
            Function f = fs.get(i);
            // .local variables: a frame on the stack
            Map<String, Long> frame = new HashMap<>();
            long frameBytes = 0;
            for (Variable v : f.locals()) {
                if (v.space() == AddressSpace.LOCAL) {
                    long a = Math.max(1, v.alignment());
                    frameBytes = (frameBytes + a - 1) / a * a;
                    frame.put(v.name(), frameBytes);
                    frameBytes += Math.max(1, v.size());
                } else if (locals.stream().anyMatch(l -> l.name().equals(v.name()))) {
                    throw PassSupport.Failure.at(null, f.name(), "two functions of a recursive component have a "
                            + "variable " + v.name());
                } else {
                    locals.add(v);
                }
            }
            frameBytes = (frameBytes + 7) / 8 * 8;
            Reg fp = frameBytes > 0 ? newReg(ScalarType.U64, "rec.fp") : null;
            // renamed blocks, local addresses from the frame pointer
            List<Block> blocks = new ArrayList<>();
            for (Block b : f.blocks()) {
                List<Stmt> ss = new ArrayList<>();
                for (Stmt s : b.stmts()) {
                    Inst inst = Insts.mapDefs(Insts.mapUses(s.inst(), v -> v instanceof Reg r ? mapReg(i, r) : v),
                            r -> mapReg(i, r));
                    Map<Value, Value> repl = new HashMap<>();
                    for (Value v : inst.uses()) {
                        if (v instanceof SymbolAddr a && frame.containsKey(a.symbol()) && !repl.containsKey(a)) {
                            repl.put(a, frameAddress(a, fp, frame.get(a.symbol()), ss, s.loc()));
                        }
                    }
                    if (!repl.isEmpty()) inst = Insts.mapUses(inst, v -> repl.getOrDefault(v, v));
                    if (inst instanceof Inst.Call c && c.callee() != null && members.contains(c.callee())
                            && s.guard() != null) {
                        throw PassSupport.Failure.at(s.loc(), f.name(), "guarded recursive call of " + c.callee()
                                + " (the explicit-stack pass runs after predication)");
                    }
                    ss.add(new Stmt(inst, mapReg(i, s.guard()), s.negateGuard(), s.loc()));
                }
                Terminator t = Insts.mapTargets(Insts.mapUses(b.terminator(), v -> v instanceof Reg r ? mapReg(i, r)
                        : v), l -> blockName(i, l));
                for (Value v : t.uses()) {
                    if (v instanceof SymbolAddr a && frame.containsKey(a.symbol())) {
                        throw PassSupport.Failure.at(null, f.name(), "address of " + a.symbol() + " in a branch");
                    }
                }
                blocks.add(new Block(blockName(i, b.label()), ss, t));
            }
            String entry = blocks.getFirst().label();
            // the entry state: allocate the frame
            if (fp != null) {
                String enter = label(blockName(i, "rec.enter"));
                String enterOk = label(blockName(i, "rec.enter.ok"));
                out.add(new Block(enter, List.of(st(new Inst.Mov(fp, sp), null), st(new Inst.Compute(Opcode.ADD,
                        ScalarType.U64, FloatMode.NONE, nsp, List.of(sp, Const.of(ScalarType.U64, frameBytes))), null),
                        st(new Inst.Compare(Inst.CmpOp.HI, ScalarType.U64, false, overflowed, nsp, stackHi), null)),
                        new Terminator.CondBranch(overflowed, overflow, enterOk)));
                out.add(new Block(enterOk, List.of(st(new Inst.Mov(sp, nsp), null)), new Terminator.Branch(entry)));
                states.set(i, enter);
            } else {
                states.set(i, entry);
            }
            // liveness (the return registers and the frame pointer are read by ret)
            List<Reg> retUses = new ArrayList<>(returnRegs.get(i));
            if (fp != null) retUses.add(fp);
            Liveness live = new Liveness(blocks, retUses, regs.size());
            // loops with a recursive call: their back edges go through the dispatch block
            Cfg cfg = new Cfg(blocks);
            Map<String, String> again = new HashMap<>();
            Set<Long> backEdges = new HashSet<>();
            for (int h = 0; h < cfg.blocks.size(); h++) {
                BitSet body = new BitSet();
                List<Integer> sources = new ArrayList<>();
                for (int p : cfg.pred[h]) if (cfg.dominates(h, p)) sources.add(p);
                if (sources.isEmpty()) continue;
                body.set(h);
                ArrayDeque<Integer> work = new ArrayDeque<>(sources);
                while (!work.isEmpty()) {
                    int n = work.pop();
                    if (body.get(n)) continue;
                    body.set(n);
                    for (int p : cfg.pred[n]) work.push(p);
                }
                boolean calls = false;
                for (int n = body.nextSetBit(0); n >= 0; n = body.nextSetBit(n + 1)) {
                    for (Stmt s : cfg.block(n).stmts()) calls |= recursive(s) != null;
                }
                if (!calls) continue;
                String header = cfg.block(h).label();
                String a = label(header + ".again");
                int id = states.size();
                states.add(header);
                out.add(new Block(a, List.of(st(new Inst.Mov(state, Const.of(ScalarType.U32, id)), null)),
                        new Terminator.Branch(dispatch)));
                again.put(header, a);
                for (int s : sources) backEdges.add(((long) s << 32) | h);
            }
            // the blocks, split at recursive calls
            String ret = label(blockName(i, "rec.ret"));
            for (Block b : blocks) {
                Integer bi = cfg.index.get(b.label());
                if (bi == null) continue; // unreachable
                Terminator t = b.terminator();
                if (t instanceof Terminator.Return) {
                    t = new Terminator.Branch(ret);
                } else {
                    t = Insts.mapTargets(t, l -> {
                        Integer ti = cfg.index.get(l);
                        return ti != null && backEdges.contains(((long) bi << 32) | ti) ? again.get(l) : l;
                    });
                }
                String cur = b.label();
                List<Stmt> ss = new ArrayList<>();
                List<Stmt> stmts = b.stmts();
                for (int j = 0; j < stmts.size(); j++) {
                    Stmt s = stmts.get(j);
                    Inst.Call c = recursive(s);
                    if (c == null) {
                        ss.add(s);
                        continue;
                    }
                    BitSet across = live.after(b, j);
                    for (Reg r : c.results()) across.clear(r.id());
                    cur = callSite(i, cur, ss, c, across, s.loc());
                    ss = new ArrayList<>(continuation(c, across, s.loc()));
                }
                out.add(new Block(cur, ss, t));
            }
            // return: release the frame; the outermost activation returns, others pop their return state
            List<Stmt> rs = new ArrayList<>();
            if (fp != null) rs.add(st(new Inst.Mov(sp, fp), null));
            rs.add(st(new Inst.Compare(Inst.CmpOp.EQ, ScalarType.U64, false, overflowed, sp, stackLo), null));
            out.add(new Block(ret, rs, new Terminator.CondBranch(overflowed, exit, pop)));
        }

        /** The register holding the address of frame variable {@code a} (statements computing it added to ss). */
        private Reg frameAddress(SymbolAddr a, Reg fp, long offset, List<Stmt> ss, org.transcuda.ir.SrcLoc loc) {
            Reg t = newReg(ScalarType.U64, "rec.local");
            ss.add(st(new Inst.Compute(Opcode.ADD, ScalarType.U64, FloatMode.NONE, t, List.of(fp,
                    Const.of(ScalarType.U64, offset))), loc));
            if (a.space() == AddressSpace.GENERIC) {
                Reg g = newReg(ScalarType.U64, "rec.local");
                ss.add(st(new Inst.Cvta(AddressSpace.LOCAL, true, g, t), loc));
                t = g;
            } else if (a.space() != AddressSpace.LOCAL) {
                throw PassSupport.Failure.at(loc, "module", "address of local " + a.symbol() + " in the "
                        + a.space() + " space");
            }
            if (a.type() == ScalarType.U32) {
                Reg n = newReg(ScalarType.U32, "rec.local");
                ss.add(st(new Inst.Convert(ScalarType.U32, ScalarType.U64, FloatMode.NONE, n, t), loc));
                return n;
            }
            return t;
        }

        private Inst.Call recursive(Stmt s) {
            return s.inst() instanceof Inst.Call c && c.callee() != null && members.contains(c.callee()) ? c : null;
        }

        /** Frame of a call site: saved registers by offset; the return state at frameBytes - 4. */
        private record Frame(List<Reg> saved, List<Integer> offsets, int bytes) {
        }

        private final Map<Inst.Call, Frame> frames = new java.util.IdentityHashMap<>();

        private Frame frame(Inst.Call c, BitSet across) {
            return frames.computeIfAbsent(c, x -> {
                List<Reg> saved = new ArrayList<>();
                List<Integer> offs = new ArrayList<>();
                int at = 0;
                for (int r = across.nextSetBit(0); r >= 0; r = across.nextSetBit(r + 1)) {
                    Reg reg = regs.get(r);
                    int size = reg.type() == ScalarType.PRED ? 4 : reg.type().bytes();
                    if (size > 8) {
                        throw PassSupport.Failure.at(null, "module", "register " + reg + " of "
                                + reg.type().ptxName() + " live across a recursive call");
                    }
                    at = (at + size - 1) / size * size;
                    saved.add(reg);
                    offs.add(at);
                    at += size;
                }
                int bytes = (at + 4 + 7) / 8 * 8;
                return new Frame(saved, offs, bytes);
            });
        }

        private static ScalarType slotType(Reg r) {
            return r.type() == ScalarType.PRED ? ScalarType.U32 : r.type();
        }

        /** Ends block {@code cur} with the push and jump of call {@code c}; returns the continuation's label. */
        private String callSite(int i, String cur, List<Stmt> ss, Inst.Call c, BitSet across,
                org.transcuda.ir.SrcLoc loc) {
            Frame fr = frame(c, across);
            int t = indexOf(c.callee());
            String push = label(cur + ".push");
            String cont = label(cur + ".cont");
            int contState = states.size();
            states.add(cont);
            ss.add(st(new Inst.Compute(Opcode.ADD, ScalarType.U64, FloatMode.NONE, nsp, List.of(sp,
                    Const.of(ScalarType.U64, fr.bytes()))), loc));
            ss.add(st(new Inst.Compare(Inst.CmpOp.HI, ScalarType.U64, false, overflowed, nsp, stackHi), loc));
            out.add(new Block(cur, ss, new Terminator.CondBranch(overflowed, overflow, push)));
            List<Stmt> ps = new ArrayList<>();
            for (int n = 0; n < fr.saved().size(); n++) {
                Reg r = fr.saved().get(n);
                Value v = r;
                if (r.type() == ScalarType.PRED) {
                    Reg w = newReg(ScalarType.U32, "rec.save");
                    ps.add(st(new Inst.Compute(Opcode.SELP, ScalarType.U32, FloatMode.NONE, w, List.of(
                            Const.of(ScalarType.U32, 1), Const.of(ScalarType.U32, 0), r)), loc));
                    v = w;
                }
                ps.add(st(new Inst.Store(AddressSpace.LOCAL, slotType(r), Memory.Order.WEAK, null,
                        new Address(sp, fr.offsets().get(n)), v), loc));
            }
            ps.add(st(new Inst.Store(AddressSpace.LOCAL, ScalarType.U32, Memory.Order.WEAK, null,
                    new Address(sp, fr.bytes() - 4), Const.of(ScalarType.U32, contState)), loc));
            ps.add(st(new Inst.Mov(sp, nsp), loc));
            List<Reg> params = paramRegs.get(t);
            if (params.size() != c.args().size()) {
                throw PassSupport.Failure.at(loc, fs.get(i).name(), "call of " + c.callee() + " with "
                        + c.args().size() + " arguments for " + params.size() + " parameters");
            }
            List<Reg> temps = new ArrayList<>();
            for (int n = 0; n < params.size(); n++) {
                Reg tmp = newReg(params.get(n).type(), "rec.arg");
                ps.add(st(new Inst.Mov(tmp, retype(c.args().get(n), tmp.type())), loc));
                temps.add(tmp);
            }
            for (int n = 0; n < params.size(); n++) ps.add(st(new Inst.Mov(params.get(n), temps.get(n)), loc));
            ps.add(st(new Inst.Mov(state, Const.of(ScalarType.U32, t)), loc));
            out.add(new Block(push, ps, new Terminator.Branch(dispatch)));
            return cont;
        }

        /** The first statements of a call's continuation: results out of the callee, the frame popped. */
        private List<Stmt> continuation(Inst.Call c, BitSet across, org.transcuda.ir.SrcLoc loc) {
            Frame fr = frames.get(c);
            List<Reg> rets = returnRegs.get(indexOf(c.callee()));
            if (rets.size() != c.results().size()) {
                throw PassSupport.Failure.at(loc, "module", "call of " + c.callee() + " with " + c.results().size()
                        + " results, it returns " + rets.size());
            }
            List<Stmt> ss = new ArrayList<>();
            List<Reg> temps = new ArrayList<>();
            for (Reg r : rets) {
                Reg tmp = newReg(r.type(), "rec.result");
                ss.add(st(new Inst.Mov(tmp, r), loc));
                temps.add(tmp);
            }
            ss.add(st(new Inst.Compute(Opcode.SUB, ScalarType.U64, FloatMode.NONE, sp, List.of(sp,
                    Const.of(ScalarType.U64, fr.bytes()))), loc));
            for (int n = 0; n < fr.saved().size(); n++) {
                Reg r = fr.saved().get(n);
                Address at = new Address(sp, fr.offsets().get(n));
                if (r.type() == ScalarType.PRED) {
                    Reg w = newReg(ScalarType.U32, "rec.restore");
                    ss.add(st(new Inst.Load(AddressSpace.LOCAL, ScalarType.U32, Memory.Order.WEAK, null,
                            Memory.Cache.DEFAULT, w, at), loc));
                    ss.add(st(new Inst.Compare(Inst.CmpOp.NE, ScalarType.U32, false, r, w,
                            Const.of(ScalarType.U32, 0)), loc));
                } else {
                    ss.add(st(new Inst.Load(AddressSpace.LOCAL, r.type(), Memory.Order.WEAK, null,
                            Memory.Cache.DEFAULT, r, at), loc));
                }
            }
            for (int n = 0; n < temps.size(); n++) {
                Reg res = c.results().get(n);
                ss.add(st(new Inst.Mov(res, temps.get(n)), loc));
            }
            return ss;
        }

        private int indexOf(String name) {
            for (int i = 0; i < k; i++) if (fs.get(i).name().equals(name)) return i;
            throw new IllegalStateException("not in the component: " + name);
        }

        /** A constant argument typed as the parameter register (same width), other values as they are. */
        private static Value retype(Value v, ScalarType t) {
            if (v instanceof Const c && c.type() != t && c.type().bits() == t.bits()) return Const.of(t, c.bits());
            return v;
        }
    }

    // ------------------------------------------------------------------------------------------------ liveness

    /** Registers live into and out of each block (a guarded definition does not kill). */
    private static final class Liveness {
        final Map<String, Block> byLabel = new HashMap<>();
        final Map<String, BitSet> liveOut = new HashMap<>();
        final List<Reg> retUses;

        Liveness(List<Block> blocks, List<Reg> retUses, int nregs) {
            this.retUses = retUses;
            for (Block b : blocks) byLabel.put(b.label(), b);
            Map<String, BitSet> liveIn = new HashMap<>();
            for (Block b : blocks) {
                liveIn.put(b.label(), new BitSet(nregs));
                liveOut.put(b.label(), new BitSet(nregs));
            }
            boolean changed = true;
            while (changed) {
                changed = false;
                for (int n = blocks.size() - 1; n >= 0; n--) {
                    Block b = blocks.get(n);
                    BitSet o = new BitSet(nregs);
                    for (String s : b.terminator().successors()) {
                        BitSet in = liveIn.get(s);
                        if (in != null) o.or(in);
                    }
                    liveOut.put(b.label(), o);
                    BitSet in = before(b, 0, o);
                    if (!in.equals(liveIn.get(b.label()))) {
                        liveIn.put(b.label(), in);
                        changed = true;
                    }
                }
            }
        }

        /** Live before statement {@code upTo} of {@code b}, given what is live out of it. */
        private BitSet before(Block b, int upTo, BitSet out) {
            BitSet live = (BitSet) out.clone();
            for (Value v : b.terminator().uses()) if (v instanceof Reg r) live.set(r.id());
            if (b.terminator() instanceof Terminator.Return) for (Reg r : retUses) live.set(r.id());
            for (int j = b.stmts().size() - 1; j >= upTo; j--) step(b.stmts().get(j), live);
            return live;
        }

        /** Live after statement {@code j} of {@code b}. */
        BitSet after(Block b, int j) {
            return before(b, j + 1, liveOut.get(b.label()));
        }

        private static void step(Stmt s, BitSet live) {
            if (s.guard() == null) for (Reg d : s.inst().defs()) live.clear(d.id());
            for (Value v : s.inst().uses()) if (v instanceof Reg r) live.set(r.id());
            if (s.guard() != null) live.set(s.guard().id());
        }
    }
}
