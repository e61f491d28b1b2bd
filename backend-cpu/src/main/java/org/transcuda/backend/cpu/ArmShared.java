package org.transcuda.backend.cpu;

/**
 * The lockstep engine's 32-bit shared loads of an if-converted arm checked once per lane loop, for the threads that
 * the arm's predicate selects ({@code -Dtranscuda.cpu.armShared=false}: off). Scan's {@code if (warp != 0) v +=
 * warpSums[warp - 1]}: the address {@code warpSums + 4·(tid >> 5) - 4} is not affine in the thread index
 * ({@link SharedAffine} does not take it) and is outside the window for warp 0, which the predicate keeps off, so a
 * check over every thread of the block would fail.
 *
 * <p>{@code KernelCompiler}'s {@code armSharedChecks} takes an arm's unguarded {@code ld.shared} of 32 bits whose
 * address is a register plus a constant, where neither that register nor the branch's predicate is written by any
 * statement of the fused loop (so both hold, for every thread, the value they had when the loop starts). Before the
 * loop, a prescan over the active threads keeps, for the threads whose predicate selects the arm, the minimum, the
 * maximum and the OR of the byte addresses; {@link #fits} tells whether every one of them is aligned and inside the
 * shared window, exactly what {@code Mem.sh} lets through per access. When it holds, the loop's load indexes the
 * shared array without its check ({@link #lds32}); when not, the loop keeps the checked load, so a bad address
 * faults at the thread and instruction it always did. The prescan reads registers only: it faults nowhere and writes
 * nothing. Statistics: "arm loops with shared loads checked once" ({@code -Dtranscuda.cpu.stats=true}).
 */
final class ArmShared {
    /** On unless {@code -Dtranscuda.cpu.armShared=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.armShared"));

    /**
     * The prescan in 32 bits and without a branch ({@link #fits32}) where every load's base register is an unsigned
     * 32-bit integer; off with {@code -Dtranscuda.cpu.armShared32=false} (the 64-bit prescan with a branch per thread).
     */
    static final boolean PRESCAN32 = !"false".equals(System.getProperty("transcuda.cpu.armShared32"));

    private ArmShared() {
    }

    /**
     * True when every byte address {@code o} of the selected threads (minimum {@code lo}, maximum {@code hi}, OR
     * {@code or}; {@code lo > hi} when no thread was selected: true) of a {@code 2^log2}-byte access is aligned and
     * {@code 0 <= o <= sharedSize - 2^log2}.
     */
    static boolean fits(Exec e, long lo, long hi, long or, int log2) {
        boolean ok = inside(e, lo, hi, or, log2);
        if (ok) e.armShared++;
        return ok;
    }

    /** {@link #fits} without counting the loop. */
    private static boolean inside(Exec e, long lo, long hi, long or, int log2) {
        long size = 1L << log2;
        return lo > hi || lo >= 0 && hi <= e.sharedSize - size && (or & (size - 1)) == 0;
    }

    /**
     * {@link #fits} for addresses {@code zext(r) + off} of 32-bit registers r, from the 32-bit prescan: {@code loF} and
     * {@code hiF} the unsigned minimum and maximum of r with the sign bit flipped ({@code loF > hiF}: no thread
     * selected), {@code or} and {@code and} the OR and the AND of r. Every address is aligned exactly when all r agree
     * in their low {@code log2} bits (OR and AND agree there) and those bits plus {@code off} are a multiple of
     * {@code 2^log2}.
     */
    static boolean fits32(Exec e, int loF, int hiF, int or, int and, long off, int log2) {
        if (loF > hiF) return fits(e, 1, 0, 0, log2);
        boolean ok = holds32(e, loF, hiF, or, and, off, log2);
        if (ok) e.armShared++;
        return ok;
    }

    /** {@link #fits32} without counting the loop ({@link PartialConst}'s prescan over every thread). */
    static boolean holds32(Exec e, int loF, int hiF, int or, int and, long off, int log2) {
        if (loF > hiF) return true;
        long mask = (1L << log2) - 1;
        long lo = Integer.toUnsignedLong(loF ^ Integer.MIN_VALUE) + off;
        long hi = Integer.toUnsignedLong(hiF ^ Integer.MIN_VALUE) + off;
        boolean aligned = ((or ^ and) & mask) == 0 && ((or + off) & mask) == 0;
        return inside(e, lo, hi, aligned ? 0 : 1, log2);
    }

    /** The shared load of 32 bits at {@code o}: unchecked when {@code ok} ({@link #fits} held), else {@code Mem.lds32}. */
    static int lds32(Exec e, long o, int site, boolean ok) {
        return ok ? e.shared[(int) (o >>> 2)] : Mem.lds32(e, o, site);
    }
}
