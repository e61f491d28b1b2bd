package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link SharedAffine#predRange}, the range of threads of a one-dimensional block that take an if-converted arm,
 * against a brute-force reference that evaluates the 32-bit comparison for every {@code tid.x}: the closed form
 * ({@link SharedAffine#change}) and the bisection it replaced must both give exactly the threads whose predicate is
 * {@code want}, for every comparison, signed and unsigned, increasing and decreasing values, at the 32-bit limits.
 */
class PredRangeTest {
    /** Ordinals of Inst.CmpOp that predRange takes: EQ NE, LT LE GT GE (signed), LO LS HI HS (unsigned). */
    private static final int[] OPS = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};

    private static boolean cmp(int v, int b, int op, boolean unsigned) {
        int c = unsigned ? Integer.compareUnsigned(v, b) : Integer.compare(v, b);
        return switch (op) {
            case 0 -> c == 0;
            case 1 -> c != 0;
            case 2, 6 -> c < 0;
            case 3, 7 -> c <= 0;
            case 4, 8 -> c > 0;
            default -> c >= 0;
        };
    }

    /** A one-dimensional block of {@code ntx} threads. */
    private record Block(int ntx) {
    }

    private static Block block(int n) {
        return new Block(n);
    }

    /** Checks one case; returns true when predRange gave a range (not -1). */
    private static boolean check(Block e, int a0, int cx, int b, int op, boolean want) {
        return check(e, a0, cx, b, op, op >= 6, want);
    }

    private static boolean check(Block e, int a0, int cx, int b, int op, boolean unsigned, boolean want) {
        int n = e.ntx();
        long r = SharedAffine.predRange(e.ntx(), 1, 1, a0, cx, b, op, unsigned, want);
        if (r < 0) {
            // refused: only when the compared value leaves the comparison's 32-bit range within the block, or
            // (eq/ne) when the threads whose predicate is want are not one range
            long a = unsigned ? Integer.toUnsignedLong(a0) : a0;
            long last = a + (long) cx * (n - 1);
            long min = unsigned ? 0 : Integer.MIN_VALUE, max = unsigned ? 0xffff_ffffL : Integer.MAX_VALUE;
            int starts = 0;
            for (int x = 0; x < n; x++) {
                if (cmp(a0 + cx * x, b, op, unsigned) == want && (x == 0 || cmp(a0 + cx * (x - 1), b, op, unsigned) != want)) {
                    starts++;
                }
            }
            assertTrue(Math.min(a, last) < min || Math.max(a, last) > max || op <= 1 && starts > 1,
                    "refused although exact and one range: a0=" + a0 + " cx=" + cx + " b=" + b + " op=" + op);
            return false;
        }
        int lo = r > n ? (int) (r >>> 32) : 0;
        int hi = (int) r;
        for (int x = 0; x < n; x++) {
            boolean in = x >= lo && x < hi;
            boolean takes = cmp(a0 + cx * x, b, op, unsigned) == want;
            assertEquals(takes, in, "a0=" + a0 + " cx=" + cx + " b=" + b + " op=" + op + " want=" + want
                    + " x=" + x + " range [" + lo + ", " + hi + ")");
        }
        return true;
    }

    @Test
    void reduceTreeSteps() {
        // reduce's `if (tid < stride)` as nvcc writes it: setp.gt.u32 tid, stride-1 (arm on false)
        Block e = block(256);
        for (int s = 1; s <= 256; s <<= 1) {
            assertEquals(s == 256 ? 256L : s, SharedAffine.predRange(e.ntx(), 1, 1, 0, 1, s - 1, 8, true, false));
            assertTrue(check(e, 0, 1, s - 1, 8, false));
        }
    }

    @Test
    void equalityArms() {
        Block e = block(256);
        // if (t == 0): one thread; if (t != 0) the others; 3t + 5 == k at t = 30 only, none for 92 or -1
        assertEquals(1L, SharedAffine.predRange(256, 1, 1, 0, 1, 0, 0, false, true));
        assertEquals(1L, SharedAffine.predRange(256, 1, 1, 0, 1, 0, 1, true, false));
        assertEquals(1L << 32 | 256, SharedAffine.predRange(256, 1, 1, 0, 1, 0, 1, true, true));
        assertEquals(30L << 32 | 31, SharedAffine.predRange(256, 1, 1, 5, 3, 95, 0, false, true));
        assertEquals(0L, SharedAffine.predRange(256, 1, 1, 5, 3, 93, 0, false, true));
        assertEquals(256L, SharedAffine.predRange(256, 1, 1, 5, 3, 93, 1, false, true));
        // the last thread: t != 255 is [0, 255); t != 100 is two ranges
        assertEquals(255L, SharedAffine.predRange(256, 1, 1, 0, 1, 255, 1, false, true));
        assertEquals(-1L, SharedAffine.predRange(256, 1, 1, 0, 1, 100, 1, false, true));
        for (int k = -2; k < 260; k++) {
            check(e, 0, 1, k, 0, true);
            check(e, 0, 1, k, 1, true);
            check(e, 5, 3, k, 0, false);
            check(e, 255, -1, k, 1, true, false);
        }
    }

    @Test
    void randomAgainstBruteForce() {
        SplittableRandom rnd = new SplittableRandom(20261126);
        int[] sizes = {1, 2, 3, 31, 32, 80, 256, 1000, 1024};
        int[] coefs = {1, -1, 2, -2, 3, -3, 4, -4, 7, 64, -64, 1000, -1000, 1 << 20, -(1 << 20)};
        int[] edges = {0, 1, -1, 2, Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE - 5,
                Integer.MIN_VALUE + 5, 0x7fff_ff00, 0x8000_0100, -256, 255};
        int ranges = 0;
        for (int i = 0; i < 60000; i++) {
            Block e = block(sizes[rnd.nextInt(sizes.length)]);
            int n = e.ntx();
            int cx = coefs[rnd.nextInt(coefs.length)];
            int a0 = rnd.nextInt(3) == 0 ? edges[rnd.nextInt(edges.length)] : rnd.nextInt(-5000, 5000);
            // b near the values the block takes, so that the predicate often changes inside it
            int b = switch (rnd.nextInt(4)) {
                case 0 -> edges[rnd.nextInt(edges.length)];
                case 1 -> a0 + cx * rnd.nextInt(n);
                case 2 -> a0 + cx * rnd.nextInt(n) + rnd.nextInt(-2, 3);
                default -> rnd.nextInt();
            };
            int op = OPS[rnd.nextInt(OPS.length)];
            boolean unsigned = op >= 6 || op <= 1 && rnd.nextBoolean();
            if (check(e, a0, cx, b, op, unsigned, rnd.nextBoolean())) ranges++;
        }
        assertTrue(ranges > 30000, "too few cases reached a range: " + ranges);
    }

    @Test
    void closedFormEqualsBisection() {
        SplittableRandom rnd = new SplittableRandom(7);
        int changes = 0;
        for (int i = 0; i < 100000; i++) {
            int n = rnd.nextInt(2, 1025);
            int cx = rnd.nextBoolean() ? rnd.nextInt(1, 100) : -rnd.nextInt(1, 100);
            long a = rnd.nextInt(-100000, 100000);
            long b = a + (long) cx * rnd.nextInt(n) + rnd.nextInt(-3, 4);
            int op = OPS[2 + rnd.nextInt(OPS.length - 2)];
            long last = a + (long) cx * (n - 1);
            boolean first = holds(a, b, op);
            if (first == holds(last, b, op)) continue;
            changes++;
            assertEquals(SharedAffine.bisect(a, cx, b, op, n, first), SharedAffine.change(a, cx, b, op),
                    "a=" + a + " cx=" + cx + " b=" + b + " op=" + op + " n=" + n);
        }
        assertTrue(changes > 50000, "too few changes: " + changes);
    }

    private static boolean holds(long v, long b, int op) {
        return switch (op) {
            case 2, 6 -> v < b;
            case 3, 7 -> v <= b;
            case 4, 8 -> v > b;
            default -> v >= b;
        };
    }
}
