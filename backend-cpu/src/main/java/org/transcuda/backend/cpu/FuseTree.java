package org.transcuda.backend.cpu;

import java.util.Map;

/**
 * Lockstep engine: {@link InputFuse}'s pass followed directly by the {@link ArmChain} chain that starts after its
 * barrier ({@code -Dtranscuda.cpu.fuseTree=false} turns it off). In reduce, InputFuse runs the input phase
 * ({@code v = in[i] + in[i + 256]}, canonical, {@code s[t] = v}) as one pass from {@code ls0} and returns the segment
 * after {@code ls4}'s {@code bar.sync}; the dispatcher then enters that segment's method, whose first action is
 * {@link ArmChain#run} (the tree from {@link ArmChainPlan}'s plan, starting with {@link TreeRegs}' ladder). Here the
 * pass calls the chain's plan itself and returns the segment after the chain: one return to the dispatcher, one segment
 * entry and the chain's own entry checks fewer per block. (Handing the pass's 16 result vectors to the ladder in
 * registers was built and measured about 2x slower in four forms: tags {@code exp/h-fuseTree},
 * {@code exp/h-fuseTree-level1}; see docs/benchmarks.md.)
 *
 * <p>Applies (linked when the kernel is compiled: the segment after InputFuse's barrier is one whose method starts with
 * a registered chain, looked up on first use in the compiler's per-segment map of chains, filled as it emits the
 * segment methods) to a block where InputFuse's pass has run (every thread active, its run-time checks passed) and the
 * chain would run from its plan for this block ({@link ArmChain#planFor}: every thread active, the chain's ranges
 * checked and its plan built for this launch and worker, {@link ArmChainPlan} on). Otherwise InputFuse returns the
 * segment after its barrier as before.
 *
 * <p>Why the barrier between them may be skipped, and why the result is the same bits: InputFuse already returns the
 * segment after the barrier (with every thread active a complete {@code bar.sync} does nothing: everything before it
 * has run for every thread, and no thread waits), and the dispatcher ({@code lockBlock}) goes from a segment method's
 * result straight to the next segment's method, with nothing in between; that method's first action is
 * {@code ArmChain.run}, which with every thread active and a plan runs {@link ArmChainPlan#run} and returns the segment
 * after the chain. Between the pass and the chain no thread runs any statement, and the shared window belongs to this
 * block alone (one worker runs the block), so nothing can observe the window between them. Here the same calls happen
 * in the same order with the same arguments ({@link ArmChainPlan#runFrom} from the plan's first step is
 * {@link ArmChainPlan#run}); the counters count what they counted. Counted in {@link Exec#fuseTrees}.
 */
final class FuseTree {
    /** On unless {@code -Dtranscuda.cpu.fuseTree=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.fuseTree"));

    private FuseTree() {
    }

    /**
     * The link from an InputFuse region to the chain whose method is the segment after its barrier: the compiler's
     * map of chains by segment (filled as it emits the segment methods), resolved on first use.
     */
    static final class Link {
        private final Map<Integer, Integer> chainAt;
        private final int seg;
        /** The chain's id; -2 until looked up, -1: none. */
        private volatile int chain = -2;

        Link(Map<Integer, Integer> chainAt, int seg) {
            this.chainAt = chainAt;
            this.seg = seg;
        }

        int chain() {
            int c = chain;
            if (c != -2) return c;
            Integer id = chainAt.get(seg);
            c = id == null ? -1 : id;
            chain = c;
            return c;
        }
    }

    /** The link for InputFuse's region whose barrier is followed by segment {@code seg}; null when off. */
    static Link link(Map<Integer, Integer> chainAt, int seg) {
        return ENABLED ? new Link(chainAt, seg) : null;
    }

    /**
     * After InputFuse's pass (all its writes done) for the current block: when the segment after its barrier starts
     * with a chain that runs from its plan for this block ({@link ArmChain#planFor}), the chain's plan run from here
     * and the segment after the chain; otherwise {@code next} (the segment after the barrier, as before).
     */
    static int after(Exec e, Link l, int next) {
        int id = l.chain();
        if (id < 0) return next;
        int[] p = ArmChain.planFor(e, id);
        if (p == null) return next;
        e.fuseTrees++;
        return ArmChainPlan.runFrom(e, ArmChain.chain(id), e.armChainRanges, p, ArmChainPlan.H, 0);
    }
}
