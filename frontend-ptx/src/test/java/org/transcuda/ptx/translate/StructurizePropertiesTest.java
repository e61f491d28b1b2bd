package org.transcuda.ptx.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.transcuda.ir.Block;
import org.transcuda.ir.Const;
import org.transcuda.ir.Function;
import org.transcuda.ir.Inst;
import org.transcuda.ir.IrVerifier;
import org.transcuda.ir.Module;
import org.transcuda.ir.Reg;
import org.transcuda.ir.ScalarType;
import org.transcuda.ir.Stmt;
import org.transcuda.ir.StructuredFunction;
import org.transcuda.ir.Terminator;
import org.transcuda.ir.Value;
import org.transcuda.ptx.pass.StructureVerifier;
import org.transcuda.ptx.pass.Structurize;

/**
 * The structurizer on random control-flow graphs: a reducible graph always structurizes, the result passes the
 * structure verifier and the IR verifier, and it runs the same original blocks in the same order as the input for
 * every sequence of branch decisions (an interpreter follows both, drawing each original block's branch condition
 * or switch index from the same random stream). An irreducible graph is rejected; reducibility is decided here by
 * T1/T2 reduction, independently of the structurizer's own test.
 */
class StructurizePropertiesTest {
    private static final int STEPS = 400;

    /** A random CFG of n blocks: mostly forward edges, some back edges, returns, switches. */
    static Function randomCfg(long seed, int n) {
        Random r = new Random(seed);
        List<Reg> regs = new ArrayList<>();
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            regs.add(new Reg(2 * i, ScalarType.PRED, "p" + i));
            regs.add(new Reg(2 * i + 1, ScalarType.U32, "x" + i));
        }
        Reg mark = new Reg(2 * n, ScalarType.U32, "mark");
        regs.add(mark);
        for (int i = 0; i < n; i++) {
            int kind = r.nextInt(100);
            Terminator t;
            if (i == n - 1 || kind < 8) {
                t = new Terminator.Return();
            } else if (kind < 38) {
                t = new Terminator.Branch(label(target(r, i, n)));
            } else if (kind < 90) {
                t = new Terminator.CondBranch(regs.get(2 * i), label(target(r, i, n)), label(target(r, i, n)));
            } else {
                List<String> ts = new ArrayList<>();
                int k = 2 + r.nextInt(3);
                for (int j = 0; j < k; j++) ts.add(label(target(r, i, n)));
                t = new Terminator.Switch(regs.get(2 * i + 1), ts);
            }
            // a statement, so that no original block is an empty forwarder the structurizer may skip
            blocks.add(new Block(label(i), List.of(Stmt.of(new Inst.Mov(mark, Const.of(ScalarType.U32, i)))), t));
        }
        return new Function("f", true, List.of(), List.of(), regs, List.of(), blocks, Function.Directives.NONE);
    }

    private static int target(Random r, int i, int n) {
        if (r.nextInt(100) < 22) return r.nextInt(i + 1); // backward (or self)
        return i + 1 + r.nextInt(Math.min(4, n - 1 - i));
    }

    static String label(int i) {
        return "B" + i;
    }

    /** The structurizer's exits through several constructs at once, on the graph that needs them most. */
    @Property(tries = 300)
    void nestedLoopsWithEarlyExits(@ForAll long seed, @ForAll @IntRange(min = 2, max = 5) int depth) {
        Function f = nestedLoops(seed, depth);
        assertTrue(reducible(f));
        StructuredFunction sf = Structurize.run(f);
        assertEquals(List.of(), StructureVerifier.verify(sf));
        Set<String> originals = new HashSet<>();
        for (Block b : f.blocks()) originals.add(b.label());
        for (int run = 0; run < 6; run++) {
            assertEquals(trace(f, originals, seed + run), trace(sf.function(), originals, seed + run));
        }
    }

    /**
     * depth nested loops, each body branching at random to the header of any enclosing loop (continue), to the
     * block after any enclosing loop (break out of several), or on.
     */
    static Function nestedLoops(long seed, int depth) {
        Random r = new Random(seed);
        int n = 2 * depth + 1;
        List<Reg> regs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            regs.add(new Reg(2 * i, ScalarType.PRED, "p" + i));
            regs.add(new Reg(2 * i + 1, ScalarType.U32, "x" + i));
        }
        Reg mark = new Reg(2 * n, ScalarType.U32, "mark");
        regs.add(mark);
        // B0..B(depth-1): loop headers (outer first); B(depth): innermost body; B(depth+k): after loop depth-k
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Terminator t;
            if (i < depth) {
                t = new Terminator.Branch(label(i + 1));
            } else if (i == n - 1) {
                t = new Terminator.Return();
            } else {
                int loop = i == depth ? depth - 1 : 2 * depth - i - 1; // the loop this block is the body/tail of
                List<String> ts = new ArrayList<>();
                for (int k = 0; k <= loop; k++) ts.add(label(k)); // continue loop k
                for (int k = 0; k <= loop; k++) ts.add(label(2 * depth - k)); // leave loop k (and those inside)
                ts.add(label(i + 1));
                t = new Terminator.Switch(regs.get(2 * i + 1), ts);
            }
            blocks.add(new Block(label(i), List.of(Stmt.of(new Inst.Mov(mark, Const.of(ScalarType.U32, i)))), t));
        }
        return new Function("nested", true, List.of(), List.of(), regs, List.of(), blocks, Function.Directives.NONE);
    }

    @Property(tries = 1000)
    void structuredGraphsBehaveLikeTheirOriginals(@ForAll long seed, @ForAll @IntRange(min = 2, max = 24) int n) {
        Function f = randomCfg(seed, n);
        boolean reducible = reducible(f);
        net.jqwik.api.statistics.Statistics.collect(reducible ? "reducible" : "irreducible");
        StructuredFunction sf;
        try {
            sf = Structurize.run(f);
        } catch (Structurize.StructurizeException e) {
            assertTrue(!reducible && e.getMessage().contains("irreducible"), "rejected a reducible CFG: " + e);
            return;
        }
        assertTrue(reducible, "structurized an irreducible CFG");
        assertEquals(List.of(), StructureVerifier.verify(sf));
        assertEquals(List.of(), IrVerifier.verify(new Module("m", List.of(sf.function()))));
        Set<String> originals = new HashSet<>();
        for (Block b : f.blocks()) originals.add(b.label());
        for (int run = 0; run < 4; run++) {
            long decisions = seed * 31 + run;
            List<String> a = trace(f, originals, decisions);
            List<String> b = trace(sf.function(), originals, decisions);
            assertEquals(a, b, "original blocks visited");
        }
    }

    /** The original blocks an interpreter visits, in order, up to STEPS of them, then "end:..." how it stopped. */
    static List<String> trace(Function f, Set<String> originals, long seed) {
        Random r = new Random(seed);
        Map<String, Block> byLabel = new HashMap<>();
        for (Block b : f.blocks()) byLabel.put(b.label(), b);
        Map<String, Long> regs = new HashMap<>();
        List<String> out = new ArrayList<>();
        Block b = f.blocks().getFirst();
        int guard = 0;
        while (out.size() < STEPS && guard++ < 100 * STEPS) {
            if (originals.contains(b.label())) {
                out.add(b.label());
                int i = Integer.parseInt(b.label().substring(1));
                regs.put("p" + i, (long) r.nextInt(2));
                Terminator t = b.terminator();
                int n = t instanceof Terminator.Switch s ? s.targets().size() : 1;
                regs.put("x" + i, (long) r.nextInt(n));
            }
            for (Stmt s : b.stmts()) exec(s.inst(), regs);
            Terminator t = b.terminator();
            String next = switch (t) {
                case Terminator.Branch br -> br.target();
                case Terminator.CondBranch c -> value(c.pred(), regs) != 0 ? c.ifTrue() : c.ifFalse();
                case Terminator.Switch s -> s.targets().get((int) value(s.index(), regs));
                default -> null;
            };
            if (next == null) {
                out.add("end:" + t.getClass().getSimpleName());
                return out;
            }
            b = byLabel.get(next);
        }
        return out;
    }

    private static long value(Value v, Map<String, Long> regs) {
        if (v instanceof Const c) return c.bits();
        return regs.getOrDefault(((Reg) v).name(), 0L);
    }

    private static void exec(Inst i, Map<String, Long> regs) {
        switch (i) {
            case Inst.Mov m -> regs.put(m.dst().name(), value(m.src(), regs));
            case Inst.Compare c -> {
                if (c.op() != Inst.CmpOp.EQ) throw new AssertionError("unexpected " + c);
                regs.put(c.dst().name(), value(c.a(), regs) == value(c.b(), regs) ? 1L : 0L);
            }
            default -> throw new AssertionError("the structurizer added " + i);
        }
    }

    /**
     * For real functions: the original blocks' statements are skipped (except writes and tests of the
     * structurizer's dispatch register), and each original block's branch is decided by the random stream; the
     * blocks the structurizer added run as they are.
     */
    static List<String> oracleTrace(Function f, Set<String> originals, long seed) {
        Random r = new Random(seed);
        Map<String, Block> byLabel = new HashMap<>();
        for (Block b : f.blocks()) byLabel.put(b.label(), b);
        Map<String, Long> regs = new HashMap<>();
        List<String> out = new ArrayList<>();
        Block b = f.blocks().getFirst();
        int guard = 0;
        while (out.size() < STEPS && guard++ < 100 * STEPS) {
            boolean original = originals.contains(b.label());
            if (original) out.add(b.label());
            for (Stmt s : b.stmts()) {
                boolean dispatch = s.inst().defs().stream().anyMatch(d -> d.name().startsWith("exit.flag"))
                        || s.inst().uses().stream().anyMatch(v -> v instanceof Reg x && x.name().startsWith("exit.flag"));
                if (!original || dispatch) exec(s.inst(), regs);
            }
            Terminator t = b.terminator();
            String next = switch (t) {
                case Terminator.Branch br -> br.target();
                case Terminator.CondBranch c -> (original ? r.nextBoolean() : value(c.pred(), regs) != 0)
                        ? c.ifTrue() : c.ifFalse();
                case Terminator.Switch s -> s.targets().get(original ? r.nextInt(s.targets().size())
                        : (int) value(s.index(), regs));
                default -> null;
            };
            if (next == null) {
                out.add("end:" + t.getClass().getSimpleName());
                return out;
            }
            b = byLabel.get(next);
        }
        return out;
    }

    /** Every function of the corpus, structurized, visits its original blocks in the same order as before. */
    @org.junit.jupiter.api.Test
    void corpusFunctionsKeepTheirBehaviour() {
        int functions = 0;
        for (java.nio.file.Path p : TranslateSupport.corpusFiles()) {
            Module m = org.transcuda.ptx.PtxTranslator.translate(p.getFileName().toString(), TranslateSupport.read(p));
            for (Function f : m.functions()) {
                if (!f.isDefined()) continue;
                functions++;
                StructuredFunction sf = Structurize.run(f);
                Set<String> originals = new HashSet<>();
                for (Block b : f.blocks()) originals.add(b.label());
                for (int run = 0; run < 16; run++) {
                    List<String> a = oracleTrace(f, originals, run);
                    List<String> b = oracleTrace(sf.function(), originals, run);
                    // the structurizer may drop empty original blocks that only branch on
                    Set<String> kept = new HashSet<>();
                    for (Block x : sf.function().blocks()) kept.add(x.label());
                    assertEquals(a.stream().filter(l -> kept.contains(l) || l.startsWith("end:")).toList(), b,
                            f.name() + " run " + run);
                }
            }
        }
        assertTrue(functions >= 150, "functions checked: " + functions);
    }

    /** T1/T2 reduction: the reachable graph collapses to one node iff it is reducible. */
    static boolean reducible(Function f) {
        Map<String, Set<String>> succ = new HashMap<>();
        Map<String, Block> byLabel = new HashMap<>();
        for (Block b : f.blocks()) byLabel.put(b.label(), b);
        // reachable part only
        List<String> work = new ArrayList<>(List.of(f.blocks().getFirst().label()));
        Set<String> seen = new HashSet<>(work);
        while (!work.isEmpty()) {
            String x = work.removeLast();
            Set<String> s = new HashSet<>(byLabel.get(x).terminator().successors());
            succ.put(x, s);
            for (String y : s) if (seen.add(y)) work.add(y);
        }
        String entry = f.blocks().getFirst().label();
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Map.Entry<String, Set<String>> e : succ.entrySet()) { // T1: self loops go
                if (e.getValue().remove(e.getKey())) changed = true;
            }
            // T2: a node (not the entry) with one predecessor merges into it
            for (String x : new ArrayList<>(succ.keySet())) {
                if (x.equals(entry)) continue;
                String only = null;
                int preds = 0;
                for (Map.Entry<String, Set<String>> e : succ.entrySet()) {
                    if (e.getValue().contains(x)) {
                        preds++;
                        only = e.getKey();
                    }
                }
                if (preds == 1 && !only.equals(x)) {
                    Set<String> into = succ.get(only);
                    into.remove(x);
                    into.addAll(succ.get(x));
                    succ.remove(x);
                    changed = true;
                    break;
                }
            }
        }
        return succ.size() == 1;
    }
}
