package org.transcuda.ptx.pass;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.transcuda.ir.Block;
import org.transcuda.ir.Function;
import org.transcuda.ir.StructuredFunction;
import org.transcuda.ir.Terminator;

/**
 * Checks a {@link StructuredFunction} against SPIR-V's rules for structured control flow (SPIR-V 1.6, section 2.11,
 * and the validator's reading of them), independently of how the structurizer works. Over reachable blocks:
 * <ul>
 * <li>every construct's blocks exist; a block heads at most one construct and is the merge block of at most one;
 * a loop's continue target differs from its header and merge;</li>
 * <li>a selection header ends in a conditional branch or switch, a loop header in a branch or conditional branch;
 * every conditional branch or switch is in a header (stricter than SPIR-V, which lets a break or continue be
 * unstructured);</li>
 * <li>each header dominates its (reachable) merge block and continue target; the entry block has no predecessor;
 * blocks are listed after their dominators;</li>
 * <li>every back edge (to a block that dominates its source) goes to a loop header from that loop's continue
 * construct (a block its continue target dominates); there is no other retreating edge;</li>
 * <li>no branch enters a construct except at its header;</li>
 * <li>every branch leaving a construct goes to its merge block, or (loops) to its continue target or, from the
 * continue construct, to its header; or, from a selection, to the merge block or continue target of the innermost
 * loop around it or the merge block of the innermost switch around it;</li>
 * <li>constructs nest: a construct whose header lies in another lies wholly in it.</li>
 * </ul>
 * Constructs are the blocks their header dominates minus those their merge block dominates (for a loop's own
 * construct, minus those its continue target dominates as well), with dominance taken over SPIR-V's structural
 * edges (a header's merge block and continue target count as its successors, so an unreachable merge block still
 * closes its construct).
 */
public final class StructureVerifier {
    private StructureVerifier() {
    }

    /** Problems found, as {@code function: message} lines; empty when the structure is valid. */
    public static List<String> verify(StructuredFunction sf) {
        return new Check(sf).run();
    }

    private static final class Check {
        final StructuredFunction sf;
        final Function f;
        final List<String> problems = new ArrayList<>();
        Cfg cfg;
        /** Real edges (terminators only), by structural index. */
        int[][] succ;
        int[][] pred;
        final Map<String, StructuredFunction.Construct> byHeader = new HashMap<>();

        Check(StructuredFunction sf) {
            this.sf = sf;
            this.f = sf.function();
        }

        void problem(String m) {
            problems.add(f.name() + ": " + m);
        }

        List<String> run() {
            if (!f.isDefined()) return problems;
            Set<String> labels = new HashSet<>();
            for (Block b : f.blocks()) labels.add(b.label());
            Set<String> merges = new HashSet<>();
            for (StructuredFunction.Construct c : sf.constructs()) {
                for (String l : new String[] {c.header(), c.merge(), c.continueTarget()}) {
                    if (l != null && !labels.contains(l)) problem("construct " + c + " names unknown block " + l);
                }
                if (byHeader.put(c.header(), c) != null) problem("block " + c.header() + " heads two constructs");
                if (!merges.add(c.merge())) problem("block " + c.merge() + " is the merge block of two constructs");
                if (c.merge().equals(c.header())) problem(c + ": header is its own merge block");
                if (c.continueTarget() != null && (c.continueTarget().equals(c.header())
                        || c.continueTarget().equals(c.merge()))) {
                    problem(c + ": continue target must differ from header and merge block");
                }
            }
            if (!problems.isEmpty()) return problems;
            // SPIR-V's structural dominance: a header's merge block and continue target count as its successors
            Map<String, List<String>> structural = new HashMap<>();
            for (StructuredFunction.Construct c : sf.constructs()) {
                List<String> more = new ArrayList<>();
                more.add(c.merge());
                if (c.continueTarget() != null) more.add(c.continueTarget());
                structural.put(c.header(), more);
            }
            cfg = new Cfg(f.blocks(), structural);
            int[][] real = new int[cfg.blocks.size()][];
            List<List<Integer>> rp = new ArrayList<>();
            for (int i = 0; i < cfg.blocks.size(); i++) rp.add(new ArrayList<>());
            for (int i = 0; i < cfg.blocks.size(); i++) {
                java.util.LinkedHashSet<Integer> ss = new java.util.LinkedHashSet<>();
                for (String l : cfg.block(i).terminator().successors()) {
                    Integer j = cfg.index.get(l);
                    if (j != null) ss.add(j);
                }
                real[i] = ss.stream().mapToInt(Integer::intValue).toArray();
                for (int j : real[i]) rp.get(j).add(i);
            }
            succ = real;
            pred = new int[real.length][];
            for (int i = 0; i < real.length; i++) pred[i] = rp.get(i).stream().mapToInt(Integer::intValue).toArray();
            int n = cfg.blocks.size();
            if (n == 0) return problems;
            if (pred[0].length > 0) problem("the entry block " + cfg.block(0).label() + " is a branch target");
            // listing order: dominators first
            Map<String, Integer> position = new HashMap<>();
            for (int i = 0; i < f.blocks().size(); i++) position.put(f.blocks().get(i).label(), i);
            for (int i = 1; i < n; i++) {
                String b = cfg.block(i).label();
                String d = cfg.block(cfg.idom[i]).label();
                if (position.get(d) > position.get(b)) problem("block " + b + " is listed before its dominator " + d);
            }
            for (int i = 0; i < n; i++) {
                Block b = cfg.block(i);
                StructuredFunction.Construct c = byHeader.get(b.label());
                Terminator t = b.terminator();
                boolean branching = t instanceof Terminator.CondBranch || t instanceof Terminator.Switch;
                if (c == null) {
                    if (branching) problem("block " + b.label() + " branches conditionally but heads no construct");
                    continue;
                }
                if (c.kind() == StructuredFunction.Kind.SELECTION && !branching) {
                    problem("selection header " + b.label() + " must end in a conditional branch or switch");
                }
                if (c.kind() == StructuredFunction.Kind.LOOP && t instanceof Terminator.Switch) {
                    problem("loop header " + b.label() + " cannot end in a switch");
                }
                for (String l : new String[] {c.merge(), c.continueTarget()}) {
                    Integer j = l == null ? null : cfg.index.get(l);
                    if (j != null && !cfg.dominates(i, j)) problem("header " + b.label() + " does not dominate " + l);
                }
            }
            List<Region> regions = new ArrayList<>();
            for (StructuredFunction.Construct c : sf.constructs()) {
                Integer h = cfg.index.get(c.header());
                if (h != null) regions.add(region(c, h));
            }
            checkBackEdges();
            if (!problems.isEmpty()) return problems;
            for (Region r : regions) checkEdges(r, regions);
            checkNesting(regions);
            return problems;
        }

        /** A construct's blocks: all (loops: loop and continue constructs together) and the continue construct. */
        record Region(StructuredFunction.Construct c, int header, BitSet all, BitSet loopPart, BitSet continuePart) {
        }

        Region region(StructuredFunction.Construct c, int h) {
            int n = cfg.blocks.size();
            Integer m = cfg.index.get(c.merge());
            Integer ct = c.continueTarget() == null ? null : cfg.index.get(c.continueTarget());
            BitSet all = new BitSet(n);
            BitSet loop = new BitSet(n);
            BitSet cont = new BitSet(n);
            for (int b = 0; b < n; b++) {
                if (!cfg.dominates(h, b)) continue;
                if (m != null && cfg.dominates(m, b)) continue;
                all.set(b);
                if (ct != null && cfg.dominates(ct, b)) {
                    cont.set(b);
                } else {
                    loop.set(b);
                }
            }
            return new Region(c, h, all, loop, cont);
        }

        void checkBackEdges() {
            for (int u = 0; u < cfg.blocks.size(); u++) {
                for (int v : succ[u]) {
                    if (v > u) continue;
                    String from = cfg.block(u).label();
                    String to = cfg.block(v).label();
                    if (!cfg.dominates(v, u)) {
                        problem("retreating edge " + from + " -> " + to + " is not a back edge (irreducible)");
                        continue;
                    }
                    StructuredFunction.Construct c = byHeader.get(to);
                    if (c == null || c.kind() != StructuredFunction.Kind.LOOP) {
                        problem("back edge " + from + " -> " + to + " does not go to a loop header");
                        continue;
                    }
                    Integer ct = cfg.index.get(c.continueTarget());
                    if (ct == null || !cfg.dominates(ct, u)) {
                        problem("back edge " + from + " -> " + to + " does not leave from the continue construct");
                    }
                }
            }
        }

        /** The innermost region other than r that contains r's header. */
        Region parent(Region r, List<Region> regions) {
            Region best = null;
            for (Region o : regions) {
                if (o == r || !o.all().get(r.header())) continue;
                if (best == null || o.all().cardinality() < best.all().cardinality()) best = o;
            }
            return best;
        }

        void checkEdges(Region r, List<Region> regions) {
            StructuredFunction.Construct c = r.c();
            String merge = c.merge();
            for (int u = r.all().nextSetBit(0); u >= 0; u = r.all().nextSetBit(u + 1)) {
                for (int v : succ[u]) {
                    String to = cfg.block(v).label();
                    String from = cfg.block(u).label();
                    if (r.all().get(v)) {
                        if (c.kind() == StructuredFunction.Kind.LOOP && r.continuePart().get(u) && r.loopPart().get(v)
                                && v != r.header()) {
                            problem("edge " + from + " -> " + to + " goes from the continue construct of " + c
                                    + " back into its body");
                        }
                        continue;
                    }
                    if (to.equals(merge)) continue;
                    if (c.kind() == StructuredFunction.Kind.LOOP) {
                        problem("edge " + from + " -> " + to + " leaves " + c + " other than to its merge block");
                        continue;
                    }
                    // a selection: a break or continue of the innermost loop, or a break of the innermost switch
                    boolean ok = false;
                    Region loop = null;
                    Region sw = null;
                    for (Region p = parent(r, regions); p != null; p = parent(p, regions)) {
                        if (loop == null && p.c().kind() == StructuredFunction.Kind.LOOP) loop = p;
                        if (sw == null && p.c().kind() == StructuredFunction.Kind.SELECTION
                                && cfg.block(p.header()).terminator() instanceof Terminator.Switch) {
                            sw = p;
                        }
                    }
                    if (loop != null && (to.equals(loop.c().merge()) || to.equals(loop.c().continueTarget()))) ok = true;
                    if (sw != null && to.equals(sw.c().merge())) ok = true;
                    if (!ok) problem("edge " + from + " -> " + to + " leaves " + c + " without a structured exit");
                }
            }
            for (int v = r.all().nextSetBit(0); v >= 0; v = r.all().nextSetBit(v + 1)) {
                if (v == r.header()) continue;
                for (int u : pred[v]) {
                    if (!r.all().get(u)) {
                        problem("edge " + cfg.block(u).label() + " -> " + cfg.block(v).label() + " enters " + c
                                + " other than at its header");
                    }
                }
            }
        }

        void checkNesting(List<Region> regions) {
            for (Region a : regions) {
                for (Region b : regions) {
                    if (a == b || !a.all().get(b.header())) continue;
                    BitSet extra = (BitSet) b.all().clone();
                    extra.andNot(a.all());
                    if (!extra.isEmpty()) {
                        problem(b.c() + " is not nested in " + a.c() + ": " + cfg.block(extra.nextSetBit(0)).label()
                                + " is in the first only");
                    }
                }
            }
        }
    }
}
