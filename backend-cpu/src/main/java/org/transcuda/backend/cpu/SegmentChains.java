package org.transcuda.backend.cpu;

import java.util.ArrayList;
import java.util.List;

/**
 * Chains of lockstep segments fused into one method ({@code lscK}, K the chain's first segment): segment methods
 * ({@code lsK}) return the next segment to the dispatcher ({@code lockBlock}), which calls its method; each call
 * pays the dispatch and the method's prologue (register arrays from {@link Exec#lregs}, block-uniform registers from
 * {@link Exec#luni}, site caches, hoisted parameters). Where a segment's next segment is a constant while every
 * thread is active (a barrier's next segment, an if-converted branch's join, an unconditional branch) the two can
 * run in one method: a chain method has one prologue (the union of its segments' registers) and the code of each
 * segment in turn, each as in its own method, and where a segment's code would return the chain's next segment it
 * jumps to that segment's code instead. A segment's code reads everything that it reads from the {@link Exec} at
 * its start, as the segment's own method does, and a block-uniform register that a segment of the chain defines is
 * stored to its local and its {@link Exec#luni} home as before, so jumping on is what the dispatcher would have done:
 * every other return (a split, a scheduler pass, the end, a segment outside the chain) leaves the method with the
 * same result as the segment's own method. The dispatcher calls the chain's method where the chain starts; the
 * segment methods stay for the entries from the scheduler.
 *
 * <p>Chains start at segment 0 and at every segment that no segment's constant next leads to; a chain stops at a
 * segment without a constant next, at one that is already in a chain, and before its methods' bytecode would pass
 * {@link #BYTES} (the sum of the segments' own methods: the fused method has less, one prologue; a small method
 * keeps HotSpot's inlining of the runtime helpers, whose budget counts the caller's bytecode). {@code
 * -Dtranscuda.cpu.chains=false} turns chains off; {@code -Dtranscuda.cpu.chainBytes=N} sets the budget.
 */
final class SegmentChains {
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.chains"));
    static final int BYTES = Integer.getInteger("transcuda.cpu.chainBytes", 3000);

    private SegmentChains() {
    }

    /**
     * The chains, each of at least two segments, in order of their first segment. {@code next[s]}: the segment that
     * segment {@code s} continues with while every thread is active when that is a constant, else -1; {@code
     * size[s]}: the bytecode size of segment {@code s}'s own method.
     */
    static List<int[]> find(int[] next, int[] size, int budget) {
        int n = next.length;
        boolean[] reached = new boolean[n];
        for (int s = 0; s < n; s++) {
            if (next[s] >= 0 && next[s] < n && next[s] != s) reached[next[s]] = true;
        }
        boolean[] taken = new boolean[n];
        List<int[]> chains = new ArrayList<>();
        for (int head = 0; head < n; head++) {
            if (taken[head] || (head != 0 && reached[head])) continue;
            // a head: cut its path into chains within the budget
            int s = head;
            while (s >= 0 && !taken[s]) {
                List<Integer> c = new ArrayList<>();
                long bytes = 0;
                while (s >= 0 && s < n && !taken[s] && (c.isEmpty() || bytes + size[s] <= budget)) {
                    c.add(s);
                    taken[s] = true;
                    bytes += size[s];
                    int t = next[s];
                    s = t >= 0 && t < n && t != s ? t : -1;
                }
                if (c.size() >= 2) chains.add(c.stream().mapToInt(Integer::intValue).toArray());
                if (s >= n) s = -1;
            }
        }
        return chains;
    }
}
