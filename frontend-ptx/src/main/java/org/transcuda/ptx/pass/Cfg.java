package org.transcuda.ptx.pass;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.transcuda.ir.Block;

/**
 * Control-flow graph analyses over a function's blocks: reachability, reverse postorder, dominators (Cooper, Harvey
 * and Kennedy's iterative algorithm) and, on the reversed graph, post-dominators. Only blocks reachable from the
 * first one take part.
 */
public final class Cfg {
    /** Reachable blocks in reverse postorder; index = RPO number. */
    public final List<Block> blocks;
    public final Map<String, Integer> index = new HashMap<>();
    /** Distinct successors and predecessors by index. */
    public final int[][] succ;
    public final int[][] pred;
    /** Immediate dominator by index (the entry's is itself). */
    public final int[] idom;

    public Cfg(List<Block> all) {
        this(all, Map.of());
    }

    /**
     * A CFG with extra edges besides the terminators' ({@code label -> more successors}), e.g. SPIR-V's structural
     * edges from a header to its merge block and continue target.
     */
    public Cfg(List<Block> all, Map<String, List<String>> extra) {
        Map<String, Block> byLabel = new HashMap<>();
        for (Block b : all) byLabel.put(b.label(), b);
        // iterative DFS for postorder
        List<Block> post = new ArrayList<>();
        Map<String, Boolean> seen = new HashMap<>();
        if (!all.isEmpty()) {
            ArrayList<Object[]> stack = new ArrayList<>();
            Block entry = all.getFirst();
            seen.put(entry.label(), true);
            stack.add(new Object[] {entry, 0});
            while (!stack.isEmpty()) {
                Object[] top = stack.getLast();
                Block b = (Block) top[0];
                int i = (Integer) top[1];
                List<String> ss = successors(b, extra);
                if (i < ss.size()) {
                    top[1] = i + 1;
                    Block s = byLabel.get(ss.get(i));
                    if (s != null && seen.putIfAbsent(s.label(), true) == null) stack.add(new Object[] {s, 0});
                } else {
                    post.add(b);
                    stack.removeLast();
                }
            }
        }
        blocks = new ArrayList<>(post.reversed());
        for (int i = 0; i < blocks.size(); i++) index.put(blocks.get(i).label(), i);
        int n = blocks.size();
        succ = new int[n][];
        List<List<Integer>> preds = new ArrayList<>();
        for (int i = 0; i < n; i++) preds.add(new ArrayList<>());
        for (int i = 0; i < n; i++) {
            LinkedHashSet<Integer> s = new LinkedHashSet<>();
            for (String l : successors(blocks.get(i), extra)) {
                Integer j = index.get(l);
                if (j != null) s.add(j);
            }
            succ[i] = s.stream().mapToInt(Integer::intValue).toArray();
            for (int j : succ[i]) preds.get(j).add(i);
        }
        pred = new int[n][];
        for (int i = 0; i < n; i++) pred[i] = preds.get(i).stream().mapToInt(Integer::intValue).toArray();
        idom = dominators(n, pred, 0);
        // pre/post numbers of the dominator tree (iterative), for constant-time dominance queries
        domPre = new int[n];
        domPost = new int[n];
        java.util.Arrays.fill(domPre, -1);
        int[] childCount = new int[n];
        for (int i = 1; i < n; i++) if (idom[i] >= 0) childCount[idom[i]]++;
        int[][] children = new int[n][];
        for (int i = 0; i < n; i++) children[i] = new int[childCount[i]];
        int[] fill = new int[n];
        for (int i = 1; i < n; i++) if (idom[i] >= 0) children[idom[i]][fill[idom[i]]++] = i;
        if (n > 0) {
            int counter = 0;
            ArrayList<int[]> stack = new ArrayList<>();
            stack.add(new int[] {0, 0});
            domPre[0] = counter++;
            while (!stack.isEmpty()) {
                int[] top = stack.getLast();
                if (top[1] < children[top[0]].length) {
                    int c = children[top[0]][top[1]++];
                    domPre[c] = counter++;
                    stack.add(new int[] {c, 0});
                } else {
                    domPost[top[0]] = counter++;
                    stack.removeLast();
                }
            }
        }
    }

    /** Dominator-tree DFS numbers: a dominates b iff pre[a] <= pre[b] and post[b] <= post[a]. */
    private final int[] domPre;
    private final int[] domPost;

    private static List<String> successors(Block b, Map<String, List<String>> extra) {
        List<String> more = extra.get(b.label());
        if (more == null || more.isEmpty()) return b.terminator().successors();
        List<String> all = new ArrayList<>(b.terminator().successors());
        all.addAll(more);
        return all;
    }

    /** Immediate dominators over nodes 0..n-1 numbered in reverse postorder from {@code root}. */
    static int[] dominators(int n, int[][] pred, int root) {
        int[] idom = new int[n];
        Arrays.fill(idom, -1);
        if (n == 0) return idom;
        idom[root] = root;
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int b = 0; b < n; b++) {
                if (b == root) continue;
                int nd = -1;
                for (int p : pred[b]) {
                    if (idom[p] == -1) continue;
                    nd = nd == -1 ? p : intersect(idom, p, nd);
                }
                if (nd != -1 && idom[b] != nd) {
                    idom[b] = nd;
                    changed = true;
                }
            }
        }
        return idom;
    }

    private static int intersect(int[] idom, int a, int b) {
        while (a != b) {
            while (a > b) a = idom[a];
            while (b > a) b = idom[b];
        }
        return a;
    }

    /** Whether block a dominates block b (by index). */
    public boolean dominates(int a, int b) {
        if (domPre[a] < 0 || domPre[b] < 0) return false;
        return domPre[a] <= domPre[b] && domPost[b] <= domPost[a];
    }

    public Block block(int i) {
        return blocks.get(i);
    }

    /**
     * Post-dominators: immediate post-dominator by index, -1 for none (a block that reaches no exit, or whose paths
     * end at different exits: a virtual exit node joins all blocks without successors).
     */
    public int[] postDominators() {
        int n = blocks.size();
        // reverse graph with a virtual exit node n; number nodes in reverse postorder of the reversed graph
        int[][] rsucc = new int[n + 1][];
        List<List<Integer>> rs = new ArrayList<>();
        for (int i = 0; i <= n; i++) rs.add(new ArrayList<>());
        for (int i = 0; i < n; i++) {
            if (succ[i].length == 0) rs.get(n).add(i);
            for (int j : succ[i]) rs.get(j).add(i);
        }
        for (int i = 0; i <= n; i++) rsucc[i] = rs.get(i).stream().mapToInt(Integer::intValue).toArray();
        // postorder DFS from n on the reversed graph
        int[] order = new int[n + 1];
        Arrays.fill(order, -1);
        List<Integer> post = new ArrayList<>();
        boolean[] seen = new boolean[n + 1];
        ArrayList<int[]> stack = new ArrayList<>();
        stack.add(new int[] {n, 0});
        seen[n] = true;
        while (!stack.isEmpty()) {
            int[] top = stack.getLast();
            if (top[1] < rsucc[top[0]].length) {
                int s = rsucc[top[0]][top[1]++];
                if (!seen[s]) {
                    seen[s] = true;
                    stack.add(new int[] {s, 0});
                }
            } else {
                post.add(top[0]);
                stack.removeLast();
            }
        }
        int m = post.size();
        int[] num = new int[n + 1];
        Arrays.fill(num, -1);
        for (int k = 0; k < m; k++) num[post.get(m - 1 - k)] = k;
        int[][] p2 = new int[m][];
        for (int k = 0; k < m; k++) {
            int node = post.get(m - 1 - k);
            // predecessors in the reversed graph = successors in the original (plus: exit-less nodes -> virtual)
            List<Integer> ps = new ArrayList<>();
            if (node < n) {
                for (int j : succ[node]) if (num[j] >= 0) ps.add(num[j]);
                if (succ[node].length == 0) ps.add(num[n]);
            }
            p2[k] = ps.stream().mapToInt(Integer::intValue).toArray();
        }
        int[] d = dominators(m, p2, num[n]);
        int[] ipdom = new int[n];
        Arrays.fill(ipdom, -1);
        for (int i = 0; i < n; i++) {
            if (num[i] < 0) continue;
            int x = d[num[i]];
            if (x < 0) continue;
            int node = post.get(m - 1 - x);
            ipdom[i] = node == n ? -1 : node;
        }
        return ipdom;
    }
}
