package org.transcuda.backend.cpu;

import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import org.transcuda.ir.Block;
import org.transcuda.ir.Terminator;

/**
 * Lockstep engine: a {@link RangeSplit} whose region ends in a {@code rejoin} skips its three {@code Arrays.fill}s of
 * {@link Exec#lnb} (scan's {@code if (warp == 0)}: 256 entries per block that nothing reads). The next-segment array
 * of a partial block is read only by {@link Lockstep#schedule} (after a split, an exit or a barrier of the partial
 * block, or a jump that cannot run on directly), {@link Lockstep#barrier}, and {@link Lockstep#collective} (the
 * entries of the inactive lanes of a warp that has active lanes). Applies when both hold:
 * <ul>
 * <li>(compile time, {@link #regionRejoins}) every segment reachable from the lower target (the range, or the
 * threads outside it: scan's {@code warp == 0} is {@code @(warp != 0) bra}) without passing the upper one ends without a barrier in an unconditional branch
 * or an if-converted branch (its join) to a segment below the upper target (run at once: below {@link Exec#lnext}) or to
 * the upper target itself ({@link Lockstep#rejoin}: every thread active, {@code lnb} no longer maintained). No path
 * reaches a split, an exit, a trap, a barrier or a scheduler pass before the rejoin.</li>
 * <li>(at the split) the range {@code [lo, hi)} is whole warps ({@code lo % 32 == 0}, {@code hi % 32 == 0} or
 * {@code hi == n}), so a collective in the region (run by the range or by the threads outside it) sees no inactive lane of its
 * warp.</li>
 * </ul>
 * Otherwise the fill runs as before. {@code -Dtranscuda.cpu.skipFill=false}: always the fill. Statistics:
 * {@link Exec#fillsSkipped}.
 */
final class SkipFill {
    /** {@code -Dtranscuda.cpu.skipFill=false}: every range split fills {@code lnb}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.skipFill"));

    private SkipFill() {
    }

    /**
     * True when every path from segment {@code low} reaches segment {@code high} through direct jumps only (see the
     * class comment). {@code segs}: the lockstep segments {blockIndex, firstStmt, endStmt, endsAtBarrier}.
     */
    static boolean regionRejoins(int low, int high, List<int[]> segs, List<Block> blocks,
            Map<String, Integer> blockSeg, Map<String, IfConversion.Arms> ifArms) {
        if (!ENABLED || low >= high) return false;
        BitSet seen = new BitSet();
        ArrayDeque<Integer> work = new ArrayDeque<>();
        work.add(low);
        seen.set(low);
        while (!work.isEmpty()) {
            int s = work.poll();
            int[] sg = segs.get(s);
            if (sg[3] != 0) return false;  // a barrier
            Block b = blocks.get(sg[0]);
            String target;
            if (ifArms.get(b.label()) instanceof IfConversion.Arms arms) {
                target = arms.join();
            } else if (b.terminator() instanceof Terminator.Branch br) {
                target = br.target();
            } else {
                return false;  // a split, an exit, a trap
            }
            Integer t = blockSeg.get(target);
            if (t == null || t > high) return false;
            if (t == high) continue;
            if (!seen.get(t)) {
                seen.set(t);
                work.add(t);
            }
        }
        return true;
    }

    /** At the split: the range is whole warps of a block of {@code n} threads. */
    static boolean wholeWarps(int lo, int hi, int n) {
        return (lo & 31) == 0 && ((hi & 31) == 0 || hi == n);
    }
}
