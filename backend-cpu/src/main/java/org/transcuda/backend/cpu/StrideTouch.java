package org.transcuda.backend.cpu;

/**
 * The cache lines of a {@link StrideLoop} iteration a few iterations ahead, touched after each fast iteration's lane
 * loop ({@code -Dtranscuda.cpu.strideTouch=false} turns this off): histogram's grid-stride loop reads, per iteration
 * of a block, {@code nthreads} consecutive bytes (4 lines) and then jumps {@code gridDim·blockDim} bytes (64 KiB in the
 * suite), a new page each time, so the hardware's stream prefetchers do not see the next iteration's lines coming and
 * each iteration's copy ({@link LoopBulk}) waits for its lines from memory.
 *
 * <p>After the lane loop of the iteration at {@code base}, {@link #lines} reads one byte per 64-byte line of the range
 * the index loads of the iteration at {@code base + AHEAD·step} will read, so their misses start while the iterations
 * in between run. A touch reads only inside the allocation that the site's cache ({@link SiteCache}) holds: the one
 * the current iteration's check ({@link StrideLoop#fits}) has just found live and covering the current range; a range
 * that leaves it (the loop's last iterations, an index that would wrap, data shorter than the bound) is not touched, so
 * a touch can never fault and never reads memory outside a live allocation. The bytes are discarded (their sum goes to
 * {@link Exec#touchSink} so that the JIT keeps the reads); no thread can see a read, so results and faults are those of
 * the loop without it. Only loads whose scale is their size (consecutive elements) are touched.
 */
final class StrideTouch {
    /** On unless {@code -Dtranscuda.cpu.strideTouch=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.strideTouch"));
    /** How many iterations ahead ({@code -Dtranscuda.cpu.strideTouchAhead=N}, default 4). */
    static final int AHEAD = Integer.getInteger("transcuda.cpu.strideTouchAhead", 4);

    private StrideTouch() {
    }

    /**
     * Touches the lines of the accesses of {@code 2^k} bytes at {@code uni + ext(i)·2^k} for {@code i = next ..
     * next + n − 1} ({@code ext}: sign- or zero-extension) when that range lies inside the allocation that site
     * {@code site}'s cache holds; counts the lines read in {@link Exec#strideTouched}.
     */
    static void lines(Exec e, int site, long uni, int next, int n, boolean signed, int k) {
        long first = signed ? next : Integer.toUnsignedLong(next);
        long last = first + n - 1;
        // the indices do not wrap in the order of their extension
        if (last > (signed ? Integer.MAX_VALUE : 0xFFFF_FFFFL)) return;
        long lo = first << k, hi = (last << k) + (1L << k) - 1;
        long a = uni + lo, b = uni + hi;
        // no wrap of the 64-bit sums
        if (((uni ^ a) & (lo ^ a)) < 0 || ((uni ^ b) & (hi ^ b)) < 0) return;
        SiteCache c = e.sites[site];
        long size = c.slots << k;
        // inside [c.base, c.base + size): the allocation the current iteration's check found
        if (c.slots <= 0 || a - c.base < 0 || b - c.base >= size || a - c.base > b - c.base) return;
        int x = 0;
        int cnt = 0;
        for (long p = a; p - b <= 0; p = (p | (LoopTouch.LINE - 1)) + 1) {
            x += Mem.ALL.get(Mem.I8, p);
            cnt++;
        }
        e.touchSink += x;
        e.strideTouched += cnt;
    }
}
