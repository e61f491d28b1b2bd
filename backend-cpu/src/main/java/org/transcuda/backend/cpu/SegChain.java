package org.transcuda.backend.cpu;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.transcuda.ir.Block;
import org.transcuda.ir.Terminator;

/**
 * Lockstep engine: a segment method whose next segment, with every thread active, is a constant further down the
 * layout (a barrier that is complete where it stands, an unconditional jump or fall-through, the join of an
 * if-converted branch, a uniform conditional branch or a range split that all threads take one way) calls that
 * segment's method itself and returns its result, instead of returning the number to {@code lockBlock}'s dispatch
 * loop, which would call the same method next: reduce's block (segments 0, 2, 4, 5, 7, 8, ..., 31) runs as one
 * chain of direct calls from {@code ls0}, matmul's tile loop body up to its back edge, scan_block's straight parts.
 *
 * <p>The result is the same by construction: {@code lockBlock} does nothing between a segment's return of a
 * segment number {@code s >= 0} and its call of {@code lsS(e)}. The call is emitted after the segment's exception
 * handler, outside its range, so a fault in the called segment reaches {@code lockBlock} with the thread that
 * segment named (the caller's handler would rename it after its own current lane). Only forward edges chain (the
 * target's number above the caller's), so a loop's back edge always returns to the dispatcher and the call depth is
 * bounded; {@link #plan} also cuts the edges into segments whose longest chain of forward edges, over every edge a
 * segment may take, reaches {@link #MAX_DEPTH}. Where not every thread is active, where the threads split, or a
 * barrier waits, the segment returns to the dispatcher exactly as before.
 *
 * <p>Off with {@code -Dtranscuda.cpu.segChain=false}; {@code -Dtranscuda.cpu.stats=true} counts the segments entered
 * by such a call ({@link Exec#segChains}).
 */
final class SegChain {
    /** On unless {@code -Dtranscuda.cpu.segChain=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.segChain"));
    /** The most segment methods one chain of calls nests (bounds the worker's stack use). */
    static final int MAX_DEPTH = 48;

    private SegChain() {
    }

    /**
     * For each segment, whether an edge from a lower segment into it may chain: true when the longest chain of
     * forward edges from it (over every segment a segment may go to with every thread active, a superset of the
     * edges the code chains) stays below {@link #MAX_DEPTH}. {@code segs} are {@link KernelCompiler}'s
     * {@code {blockIndex, firstStmt, endStmt, endsAtBarrier}}.
     */
    static boolean[] plan(List<int[]> segs, List<Block> blocks, Map<String, Integer> blockSeg,
            Map<String, IfConversion.Arms> ifArms) {
        int n = segs.size();
        int[] depth = new int[n];
        boolean[] target = new boolean[n];
        for (int k = n - 1; k >= 0; k--) {
            int d = 1;
            for (int j : successors(k, segs.get(k), blocks, blockSeg, ifArms)) {
                if (j > k && j < n && depth[j] < MAX_DEPTH) d = Math.max(d, depth[j] + 1);
            }
            depth[k] = d;
        }
        for (int k = 0; k < n; k++) target[k] = depth[k] < MAX_DEPTH;
        return target;
    }

    /** Whether segment {@code from} may call segment {@code to} ({@link #plan}'s {@code ok}). */
    static boolean chains(boolean[] ok, int from, int to) {
        return ok != null && to > from && to < ok.length && ok[to];
    }

    /** Every segment that segment {@code k} ({@code sg}) may go to next with every thread active. */
    private static List<Integer> successors(int k, int[] sg, List<Block> blocks, Map<String, Integer> blockSeg,
            Map<String, IfConversion.Arms> ifArms) {
        List<Integer> out = new ArrayList<>();
        if (sg[3] == 1) {
            // a barrier: the rest of its block
            out.add(k + 1);
            return out;
        }
        Block b = blocks.get(sg[0]);
        IfConversion.Arms arms = ifArms.get(b.label());
        if (arms != null) add(out, blockSeg, arms.join());
        switch (b.terminator()) {
            case Terminator.Branch br -> add(out, blockSeg, br.target());
            case Terminator.CondBranch c -> {
                add(out, blockSeg, c.ifTrue());
                add(out, blockSeg, c.ifFalse());
            }
            default -> {
            }
        }
        return out;
    }

    private static void add(List<Integer> out, Map<String, Integer> blockSeg, String label) {
        Integer s = blockSeg.get(label);
        if (s != null) out.add(s);
    }
}
