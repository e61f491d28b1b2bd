package org.transcuda.backend.cpu;

/**
 * A {@link LoopChecks} prescan of a per-thread pointer register kept across a block-uniform advance of every thread's
 * pointer ({@code -Dtranscuda.cpu.ptrStep=false} turns this off): matmul's tile loads {@code As[ty][tx] = A[...]},
 * {@code Bs[ty][tx] = B[...]} through {@code %rd18}, {@code %rd19}, advanced once per tile by {@code %rd18 += 64},
 * {@code %rd19 += %rd2} in the lane loop of another segment.
 *
 * <p>When a lockstep lane loop's prescan reads a 64-bit register {@code R} plus a constant and nothing else (no slice),
 * while every thread of the block is active, its minimum, maximum and OR of {@code R + off} are kept for the worker's
 * block ({@link #store}, tagged with the block's serial number {@link Exec#pmSerial}). The lane loop of a run that
 * advances {@code R} by {@code R = add.s64 R, U} ({@code U} block-uniform or a constant, unguarded) then moves them
 * ({@link #step}): minimum and maximum {@code + U}, OR {@code | U}, when every thread ran the loop and neither extreme
 * wraps (then each thread's {@code R + off} lies between the new extremes, which are attained); else they are dropped.
 * The next prescan of {@code R} with the same offset, every thread active, reads them ({@link #valid}) instead of
 * looping over the threads: the same minimum and maximum as the loop, and, where the kept OR has the access's
 * alignment bits clear, the same (clear) alignment bits as the loop's OR; an OR with any of them set is not used
 * (the prescan runs). So {@link LoopChecks#fits} gets the answer it would get, and a pointer outside its allocation
 * still leaves the per-access checks to fault at its block, thread and instruction.
 *
 * <p>The compiler keeps a register only when every other statement that defines it sits in a segment whose method
 * drops the register's record on entry and keeps none there ({@code KernelCompiler}: any definition that is not such
 * an advance in an ordinary run of the segment, if-converted tails and grid-stride loops included); the serial number
 * drops every record at each block's start.
 */
final class PtrStep {
    /** On unless {@code -Dtranscuda.cpu.ptrStep=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.ptrStep"));

    /** Longs per record: tag (the block serial; 0: none), minimum, maximum, OR, offset. */
    private static final int W = 5;

    private PtrStep() {
    }

    private static long[] memo(Exec e, int reg) {
        long[] m = e.pm;
        if (m == null || m.length < (reg + 1) * W) {
            long[] n = new long[Math.max((reg + 1) * W, m == null ? 16 * W : 2 * m.length)];
            if (m != null) System.arraycopy(m, 0, n, 0, m.length);
            e.pm = m = n;
        }
        return m;
    }

    /** Keeps the prescan's results for register {@code reg} (every thread active; {@code off}: the access's offset). */
    static void store(Exec e, int reg, long off, long lo, long hi, long or) {
        long[] m = memo(e, reg);
        int i = reg * W;
        m[i] = e.pmSerial;
        m[i + 1] = lo;
        m[i + 2] = hi;
        m[i + 3] = or;
        m[i + 4] = off;
    }

    /**
     * True when register {@code reg} has a record of this block for offset {@code off} whose OR has the low
     * {@code log2} bits clear: {@link #lo}, {@link #hi}, {@link #or} then give the prescan's results.
     */
    static boolean valid(Exec e, int reg, long off, int log2) {
        long[] m = e.pm;
        int i = reg * W;
        return m != null && i + W <= m.length && m[i] == e.pmSerial && m[i + 4] == off
                && (m[i + 3] & ((1L << log2) - 1)) == 0;
    }

    static long lo(Exec e, int reg) {
        e.ptrSteps++;
        return e.pm[reg * W + 1];
    }

    static long hi(Exec e, int reg) {
        return e.pm[reg * W + 2];
    }

    static long or(Exec e, int reg) {
        return e.pm[reg * W + 3];
    }

    /** After a lane loop that ran {@code reg += u} ({@code full}: for every thread of the block). */
    static void step(Exec e, int reg, long u, int full) {
        long[] m = e.pm;
        int i = reg * W;
        if (m == null || i + W > m.length || m[i] != e.pmSerial) return;
        long lo = m[i + 1], hi = m[i + 2];
        long a = lo + u, b = hi + u;
        // every thread moved, and no value between the extremes wraps (signed overflow of neither extreme)
        if (full == 0 || ((lo ^ a) & (u ^ a)) < 0 || ((hi ^ b) & (u ^ b)) < 0) {
            m[i] = 0;
            return;
        }
        m[i + 1] = a;
        m[i + 2] = b;
        m[i + 3] |= u;
    }

    /** Drops register {@code reg}'s record (a segment that defines it otherwise). */
    static void drop(Exec e, int reg) {
        long[] m = e.pm;
        int i = reg * W;
        if (m != null && i + W <= m.length) m[i] = 0;
    }
}
