package org.transcuda.backend.cpu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * {@link StrideHist}'s fast iterations as runs proven once ({@code -Dtranscuda.cpu.histIter=false} turns this off):
 * instead of {@link StrideLoop#stay} and {@link StrideLoop#fits} (through {@link SiteCache#covers}) before every
 * iteration, its counters and {@link StrideTouch#lines}' range checks after it, {@link #run} first counts the
 * iterations from {@code base} after which every thread stays in the loop ({@code stay}, the same test), at most
 * {@link #MAX}, with the lowest and highest index of their byte ranges (each range's extension not wrapping, as
 * {@code fits} requires), and checks that one range of addresses against the site's cache or the allocation table;
 * all the iterations' ranges lie inside it, so each iteration's own check would have passed against the allocation it
 * finds (a byte access needs no alignment). Then the iterations run with no check: each iteration's bytes counted as
 * {@link StrideHist} does ({@link HistConst#count} for 256 threads; otherwise its general count, here {@link
 * #countN}), the touch of the iteration {@link StrideTouch#AHEAD} steps on done directly while that iteration is one
 * of the run (inside the range just checked) and by {@code StrideTouch.lines} (its own check) after, the counters
 * ({@code strideLoops}, {@code strideHist}, {@code histConst}, {@code loopChecked}: one per iteration as before, and
 * {@code histIter}) added once per run.
 *
 * <p>When the run's check fails (data ending inside one of its iterations, a range that leaves the allocation) nothing
 * has been run and {@link StrideHist}'s per-iteration loop takes over from the same iteration: it runs the iterations
 * whose own checks pass and leaves the first that fails to the general code, which faults at the thread and
 * instruction it always did. The same bytes are added to the same counts in the same iterations, so the shared
 * array after the flush, the registers, faults and the counters are those of StrideHist's loop.
 */
final class HistIter {
    /** On unless {@code -Dtranscuda.cpu.histIter=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.histIter"));

    /** The most iterations one check covers (a loop with a zero step stays forever; its runs stay bounded). */
    static final int MAX = 1 << 16;

    static final int MODE = Integer.getInteger("transcuda.cpu.histIterMode", 0);

    private static final boolean BIG = ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN;

    private HistIter() {
    }

    /**
     * StrideHist's fast iterations from the one at {@code base} in proven runs, their counts times {@code c} added to
     * {@code shared[w0 + byte]} after the last (StrideHist's flush); returns the base of the first iteration not run
     * here (the loop's exit, or an iteration whose run did not pass the check).
     */
    static int run(Exec e, int site, long uni, int base, int step, int n, int bound, boolean signed, int w0, int c) {
        // the counts, as StrideHist's: a fresh array, its length known to the JIT (no range checks in the count)
        int[] h = new int[256];
        int b0 = base;
        long limit = signed ? Integer.MAX_VALUE : 0xFFFF_FFFFL;
        boolean fixed = HistConst.ENABLED && n == HistConst.N;
        while (true) {
            // the run: iterations after which every thread stays, with the extremes of their index ranges
            long lo = Long.MAX_VALUE, hi = Long.MIN_VALUE;
            int k = 0;
            int b = base;
            while (k < MAX && StrideLoop.stay(b, step, n, bound)) {
                long first = signed ? b : Integer.toUnsignedLong(b);
                long last = first + n - 1;
                if (last > limit) break;
                lo = Math.min(lo, first);
                hi = Math.max(hi, last);
                b += step;
                k++;
            }
            if (k == 0 || !covered(e, site, uni, lo, hi)) break;
            int touchable = k - StrideTouch.AHEAD;
            if (fixed && MODE >= 3) {
                int[] r = MODE == 3 ? count256(e, site, uni, base, step, k, signed)
                        : MODE == 4 ? count256i(e, site, uni, base, step, k, signed)
                        : MODE == 5 ? count256b(e, site, uni, base, step, k, signed)
                        : count256u(e, site, uni, base, step, k, signed);
                for (int x = 0; x < 256; x++) h[x] += r[x];
                base += k * step;
                e.strideLoops += k;
                e.strideHist += k;
                e.loopChecked += k;
                e.histIter += k;
                e.histConst += k;
                continue;
            }
            for (int j = 0; j < k; j++) {
                long a = uni + (signed ? (long) base : Integer.toUnsignedLong(base));
                if (fixed) HistConst.count(a, h);
                else countN(a, n, h);
                if (StrideTouch.ENABLED) {
                    int next = base + StrideTouch.AHEAD * step;
                    if (j < touchable) touch(e, uni + (signed ? (long) next : Integer.toUnsignedLong(next)), n);
                    else StrideTouch.lines(e, site, uni, next, n, signed, 0);
                }
                base += step;
            }
            e.strideLoops += k;
            e.strideHist += k;
            e.loopChecked += k;
            e.histIter += k;
            if (fixed) e.histConst += k;
        }
        if (base != b0) {
            int[] w = e.shared;
            for (int x = 0; x < 256; x++) w[w0 + x] += c * h[x];
        }
        return base;
    }

    /**
     * True when the byte accesses at {@code uni + lo .. uni + hi} lie inside one live allocation, as {@link
     * LoopChecks#fits} decides for {@code k = 0} (the sums not wrapping; the site's cache refilled from the table).
     */
    private static boolean covered(Exec e, int site, long uni, long lo, long hi) {
        long a = uni + lo, b = uni + hi;
        if (((uni ^ a) & (lo ^ a)) < 0 || ((uni ^ b) & (hi ^ b)) < 0) return false;
        if (a > b || a < 0 || b > Long.MAX_VALUE - 1) return false;
        return e.sites[site].covers(e, a, b, 0);
    }

    /**
     * {@link StrideTouch#lines}' reads for the {@code n} bytes at {@code a}, a range inside the allocation just
     * checked: one byte per 64-byte line, counted in {@code strideTouched}.
     */
    private static void touch(Exec e, long a, int n) {
        long b = a + n - 1;
        int x = 0;
        int cnt = 0;
        for (long p = a; p - b <= 0; p = (p | (LoopTouch.LINE - 1)) + 1) {
            x += Mem.ALL.get(Mem.I8, p);
            cnt++;
        }
        e.touchSink += x;
        e.strideTouched += cnt;
    }

    static int[] count256(Exec e, int site, long uni, int base, int step, int k, boolean signed) {
        int[] h = new int[256];
        int touchable = k - StrideTouch.AHEAD;
        for (int j = 0; j < k; j++) {
            long a = uni + (signed ? (long) base : Integer.toUnsignedLong(base));
            for (int t = 0; t < 256; t += 8) {
                long x = Mem.ALL.get(ValueLayout.JAVA_LONG_UNALIGNED, a + t);
                if (BIG) x = Long.reverseBytes(x);
                h[(int) x & 0xff]++;
                h[(int) (x >>> 8) & 0xff]++;
                h[(int) (x >>> 16) & 0xff]++;
                h[(int) (x >>> 24) & 0xff]++;
                h[(int) (x >>> 32) & 0xff]++;
                h[(int) (x >>> 40) & 0xff]++;
                h[(int) (x >>> 48) & 0xff]++;
                h[(int) (x >>> 56) & 0xff]++;
            }
            if (StrideTouch.ENABLED) {
                int next = base + StrideTouch.AHEAD * step;
                if (j < touchable) touch(e, uni + (signed ? (long) next : Integer.toUnsignedLong(next)), 256);
                else StrideTouch.lines(e, site, uni, next, 256, signed, 0);
            }
            base += step;
        }
        return h;
    }

    static int[] count256i(Exec e, int site, long uni, int base, int step, int k, boolean signed) {
        int[] h = new int[256];
        int touchable = k - StrideTouch.AHEAD;
        for (int j = 0; j < k; j++) {
            long a = uni + (signed ? (long) base : Integer.toUnsignedLong(base));
            for (int t = 0; t < 256; t += 4) {
                int x = Mem.ALL.get(ValueLayout.JAVA_INT_UNALIGNED, a + t);
                if (BIG) x = Integer.reverseBytes(x);
                h[x & 0xff]++;
                h[(x >>> 8) & 0xff]++;
                h[(x >>> 16) & 0xff]++;
                h[x >>> 24]++;
            }
            if (StrideTouch.ENABLED) {
                int next = base + StrideTouch.AHEAD * step;
                if (j < touchable) touch(e, uni + (signed ? (long) next : Integer.toUnsignedLong(next)), 256);
                else StrideTouch.lines(e, site, uni, next, 256, signed, 0);
            }
            base += step;
        }
        return h;
    }

    static int[] count256b(Exec e, int site, long uni, int base, int step, int k, boolean signed) {
        int[] h = new int[256];
        int touchable = k - StrideTouch.AHEAD;
        for (int j = 0; j < k; j++) {
            long a = uni + (signed ? (long) base : Integer.toUnsignedLong(base));
            for (int t = 0; t < 256; t++) h[Mem.ALL.get(Mem.I8, a + t) & 0xff]++;
            if (StrideTouch.ENABLED) {
                int next = base + StrideTouch.AHEAD * step;
                if (j < touchable) touch(e, uni + (signed ? (long) next : Integer.toUnsignedLong(next)), 256);
                else StrideTouch.lines(e, site, uni, next, 256, signed, 0);
            }
            base += step;
        }
        return h;
    }

    static int[] count256u(Exec e, int site, long uni, int base, int step, int k, boolean signed) {
        int[] h = new int[256];
        int touchable = k - StrideTouch.AHEAD;
        for (int j = 0; j < k; j++) {
            long a = uni + (signed ? (long) base : Integer.toUnsignedLong(base));
            for (int t = 0; t < 256; t += 16) {
                long x = Mem.ALL.get(ValueLayout.JAVA_LONG_UNALIGNED, a + t);
                long y = Mem.ALL.get(ValueLayout.JAVA_LONG_UNALIGNED, a + t + 8);
                if (BIG) {
                    x = Long.reverseBytes(x);
                    y = Long.reverseBytes(y);
                }
                h[(int) x & 0xff]++;
                h[(int) (x >>> 8) & 0xff]++;
                h[(int) (x >>> 16) & 0xff]++;
                h[(int) (x >>> 24) & 0xff]++;
                h[(int) (x >>> 32) & 0xff]++;
                h[(int) (x >>> 40) & 0xff]++;
                h[(int) (x >>> 48) & 0xff]++;
                h[(int) (x >>> 56) & 0xff]++;
                h[(int) y & 0xff]++;
                h[(int) (y >>> 8) & 0xff]++;
                h[(int) (y >>> 16) & 0xff]++;
                h[(int) (y >>> 24) & 0xff]++;
                h[(int) (y >>> 32) & 0xff]++;
                h[(int) (y >>> 40) & 0xff]++;
                h[(int) (y >>> 48) & 0xff]++;
                h[(int) (y >>> 56) & 0xff]++;
            }
            if (StrideTouch.ENABLED) {
                int next = base + StrideTouch.AHEAD * step;
                if (j < touchable) touch(e, uni + (signed ? (long) next : Integer.toUnsignedLong(next)), 256);
                else StrideTouch.lines(e, site, uni, next, 256, signed, 0);
            }
            base += step;
        }
        return h;
    }

    /** StrideHist's general count: adds 1 to {@code h[b]} for each of the {@code n} bytes {@code b} at {@code a}. */
    static void countN(long a, int n, int[] h) {
        int t = 0;
        for (; t + 8 <= n; t += 8) {
            long x = Mem.ALL.get(ValueLayout.JAVA_LONG_UNALIGNED, a + t);
            if (BIG) x = Long.reverseBytes(x);
            h[(int) x & 0xff]++;
            h[(int) (x >>> 8) & 0xff]++;
            h[(int) (x >>> 16) & 0xff]++;
            h[(int) (x >>> 24) & 0xff]++;
            h[(int) (x >>> 32) & 0xff]++;
            h[(int) (x >>> 40) & 0xff]++;
            h[(int) (x >>> 48) & 0xff]++;
            h[(int) (x >>> 56) & 0xff]++;
        }
        for (; t < n; t++) h[Mem.ALL.get(Mem.I8, a + t) & 0xff]++;
    }
}
