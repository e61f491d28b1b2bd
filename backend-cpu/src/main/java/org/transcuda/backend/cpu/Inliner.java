package org.transcuda.backend.cpu;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.transcuda.ir.Block;
import org.transcuda.ir.Function;
import org.transcuda.ir.Inst;
import org.transcuda.ir.Insts;
import org.transcuda.ir.Reg;
import org.transcuda.ir.Stmt;
import org.transcuda.ir.SymbolAddr;
import org.transcuda.ir.Terminator;
import org.transcuda.ir.Value;
import org.transcuda.ir.Variable;

/**
 * Inlines, into a kernel, every direct call of a device function that contains suspension points (barriers, warp
 * collectives), directly or through the functions it calls, unless it is recursive. The compiled code suspends a thread only in the
 * kernel's own body (a resume point is a position in {@code stepBlock}), so such calls are made part of it:
 * the callee's registers are renumbered after the kernel's, its blocks relabelled, its {@code .local} variables
 * renamed into the kernel's, parameters and results become moves, {@code ret} a branch to the code after the
 * call, and a guarded call a conditional branch around the inlined body. Indirect calls and recursive functions
 * are left alone (and at most {@link #LIMIT} calls are inlined); the compiler then rejects such calls with
 * CUDA_ERROR_NOT_SUPPORTED.
 */
final class Inliner {
    /** At most this many call sites are inlined into one kernel (recursion among suspending functions). */
    static final int LIMIT = 256;

    private final Function kernel;
    private final Map<String, Function> byName;
    private final Set<String> suspending = new HashSet<>();
    private final List<Reg> regs;
    private final List<Variable> locals;
    private final Set<String> labels = new HashSet<>();
    private int count;

    private Inliner(Function kernel, Map<String, Function> byName) {
        this.kernel = kernel;
        this.byName = byName;
        this.regs = new ArrayList<>(kernel.regs());
        this.locals = new ArrayList<>(kernel.locals());
    }

    /** The kernel with its direct calls of suspending device functions inlined (the same kernel when none). */
    static Function inline(Function kernel, Map<String, Function> byName, java.util.function.Predicate<Inst> suspends) {
        Inliner in = new Inliner(kernel, byName);
        in.findSuspending(suspends);
        if (in.suspending.isEmpty()) return kernel;
        return in.run();
    }

    /** Defined device functions with suspension points, and (transitively) those that call them directly. */
    private void findSuspending(java.util.function.Predicate<Inst> suspends) {
        for (Function f : byName.values()) {
            if (f.kernel() || !f.isDefined()) continue;
            for (Block b : f.blocks()) {
                for (Stmt s : b.stmts()) if (suspends.test(s.inst())) suspending.add(f.name());
            }
        }
        closeOverCallers();
        // recursive ones cannot be inlined: they stay calls (and the compiler rejects them)
        suspending.removeIf(this::recursive);
    }

    /** True when {@code name} can reach itself through direct calls. */
    private boolean recursive(String name) {
        Set<String> seen = new HashSet<>();
        java.util.ArrayDeque<String> work = new java.util.ArrayDeque<>(callees(name));
        while (!work.isEmpty()) {
            String g = work.poll();
            if (g.equals(name)) return true;
            if (seen.add(g)) work.addAll(callees(g));
        }
        return false;
    }

    private List<String> callees(String name) {
        Function f = byName.get(name);
        List<String> out = new ArrayList<>();
        if (f == null || !f.isDefined()) return out;
        for (Block b : f.blocks()) {
            for (Stmt s : b.stmts()) if (s.inst() instanceof Inst.Call c && c.callee() != null) out.add(c.callee());
        }
        return out;
    }

    private void closeOverCallers() {
        boolean changed = !suspending.isEmpty();
        while (changed) {
            changed = false;
            for (Function f : byName.values()) {
                if (f.kernel() || !f.isDefined() || suspending.contains(f.name())) continue;
                if (callsSuspending(f)) {
                    suspending.add(f.name());
                    changed = true;
                }
            }
        }
    }

    private boolean callsSuspending(Function f) {
        for (Block b : f.blocks()) {
            for (Stmt s : b.stmts()) {
                if (s.inst() instanceof Inst.Call c && c.callee() != null && suspending.contains(c.callee())) return true;
            }
        }
        return false;
    }

    private Function inlinable(Stmt s) {
        if (!(s.inst() instanceof Inst.Call c) || c.callee() == null || !suspending.contains(c.callee())) return null;
        Function g = byName.get(c.callee());
        if (g == null || !g.isDefined() || g.kernel()) return null;
        if (g.paramRegs().size() != c.args().size() || g.returnRegs().size() != c.results().size()) return null;
        return g;
    }

    private Function run() {
        List<Block> blocks = new ArrayList<>(kernel.blocks());
        for (Block b : blocks) labels.add(b.label());
        boolean changed = false;
        // blocks are revisited after an inlining (the inlined body may call further suspending functions)
        for (int bi = 0; bi < blocks.size() && count < LIMIT; bi++) {
            Block b = blocks.get(bi);
            for (int si = 0; si < b.stmts().size(); si++) {
                Function g = inlinable(b.stmts().get(si));
                if (g == null) continue;
                List<Block> replacement = inlineAt(b, si, g);
                blocks.remove(bi);
                blocks.addAll(bi, replacement);
                bi--; // look at the (shortened) first block again: it ends at the call now, so at the callee's entry
                changed = true;
                count++;
                break;
            }
        }
        if (!changed) return kernel;
        return new Function(kernel.name(), kernel.kernel(), kernel.params(), kernel.returns(), regs, locals, blocks,
                kernel.directives(), kernel.paramRegs(), kernel.returnRegs());
    }

    private String fresh(String base) {
        String l = base;
        for (int i = 0; !labels.add(l); i++) l = base + "$" + i;
        return l;
    }

    /** Block {@code b} split at statement {@code si} (a call of {@code g}) with {@code g}'s body in between. */
    private List<Block> inlineAt(Block b, int si, Function g) {
        Stmt call = b.stmts().get(si);
        Inst.Call c = (Inst.Call) call.inst();
        int n = count;
        String prefix = g.name() + "$inl" + n + "$";
        // registers: the callee's after the kernel's
        int base = regs.size();
        Reg[] map = new Reg[g.regs().size()];
        for (Reg r : g.regs()) {
            Reg nr = new Reg(base + r.id(), r.type(), r.name());
            map[r.id()] = nr;
            regs.add(nr);
        }
        // .local variables renamed (other spaces: module variables, unchanged)
        Map<String, String> localNames = new HashMap<>();
        for (Variable v : g.locals()) {
            if (v.space() != org.transcuda.ir.AddressSpace.LOCAL) {
                // e.g. a .shared variable of the function: one per block, shared by every inlined copy
                if (locals.stream().noneMatch(x -> x.name().equals(v.name()))) locals.add(v);
                continue;
            }
            String name = prefix + v.name();
            localNames.put(v.name(), name);
            locals.add(new Variable(name, v.space(), v.elementType(), v.count(), v.alignment(), v.init(),
                    v.relocations(), v.external()));
        }
        UnaryOperator<Reg> rr = r -> map[r.id()];
        UnaryOperator<Value> rv = v -> switch (v) {
            case Reg r -> map[r.id()];
            case SymbolAddr sa when localNames.containsKey(sa.symbol()) ->
                    new SymbolAddr(localNames.get(sa.symbol()), sa.space(), sa.type());
            default -> v;
        };
        Map<String, String> labelMap = new HashMap<>();
        for (Block gb : g.blocks()) labelMap.put(gb.label(), fresh(prefix + gb.label()));
        String cont = fresh(prefix + "ret");
        String entry = labelMap.get(g.blocks().get(0).label());

        List<Block> out = new ArrayList<>();
        // the caller's block up to the call, then the parameter moves, then into the callee
        List<Stmt> head = new ArrayList<>(b.stmts().subList(0, si));
        List<Stmt> moves = new ArrayList<>();
        for (int i = 0; i < c.args().size(); i++) {
            moves.add(new Stmt(new Inst.Mov(map[g.paramRegs().get(i).id()], c.args().get(i)), null, false, call.loc()));
        }
        if (call.guard() == null) {
            head.addAll(moves);
            out.add(new Block(b.label(), head, new Terminator.Branch(entry)));
        } else {
            String args = fresh(prefix + "args");
            Terminator t = call.negateGuard() ? new Terminator.CondBranch(call.guard(), cont, args)
                    : new Terminator.CondBranch(call.guard(), args, cont);
            out.add(new Block(b.label(), head, t));
            out.add(new Block(args, moves, new Terminator.Branch(entry)));
        }
        // the callee's body
        for (Block gb : g.blocks()) {
            List<Stmt> stmts = new ArrayList<>(gb.stmts().size() + c.results().size());
            for (Stmt s : gb.stmts()) {
                Inst i = Insts.mapDefs(Insts.mapUses(s.inst(), rv), rr);
                stmts.add(new Stmt(i, s.guard() == null ? null : map[s.guard().id()], s.negateGuard(), s.loc()));
            }
            Terminator t = gb.terminator();
            if (t instanceof Terminator.Return) {
                for (int i = 0; i < c.results().size(); i++) {
                    stmts.add(new Stmt(new Inst.Mov(c.results().get(i), map[g.returnRegs().get(i).id()]), null, false,
                            call.loc()));
                }
                t = new Terminator.Branch(cont);
            } else {
                t = Insts.mapTargets(Insts.mapUses(t, rv), labelMap::get);
            }
            out.add(new Block(labelMap.get(gb.label()), stmts, t));
        }
        // the rest of the caller's block
        out.add(new Block(cont, new ArrayList<>(b.stmts().subList(si + 1, b.stmts().size())), b.terminator()));
        return out;
    }
}
