package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link SharedAffine#predRangeMemo}, the per-launch memo of the thread ranges of if-converted arms: its answers
 * are {@link SharedAffine#predRange(int, int, int, int, int, int, int, boolean, boolean)}'s (computed directly, for
 * every lookup), and a kernel's fixed questions (reduce's tree steps, power-of-two thresholds) are all answered
 * from the memo after the first block when each arm has its own site (the compiler numbers them). Whether a lookup hit is seen by overwriting every stored answer with a
 * marker after the first block: a hit returns the marker, a miss computes the range again.
 */
class PredMemoTest {
    /** Ordinals of Inst.CmpOp as predRange takes them. */
    private static final int NE = 1, LT = 2, HI = 8;
    private static final long MARK = 0x7eed_0000_0000_0000L;

    /** One arm's question at its site: a0 + cx·t op b, unsigned, want. */
    private record Q(int site, int a0, int cx, int b, int op, boolean unsigned, boolean want) {
        long direct(int ntx) {
            return SharedAffine.predRange(ntx, 1, 1, a0, cx, b, op, unsigned, want);
        }
    }

    private static long ask(int[] keys, long[] vals, int ntx, Q q) {
        return SharedAffine.predRangeMemo(keys, vals, q.site, ntx, 1, 1, q.a0, q.cx, q.b, q.op, q.unsigned, q.want);
    }

    /** Asks the questions once per block for 50 blocks; returns how many lookups after the first block missed. */
    private static int missesAfterFirstBlock(int ntx, Q[] qs) {
        int[] keys = SharedAffine.emptyPredKeys();
        long[] vals = new long[SharedAffine.PRED_MEMO];
        for (Q q : qs) assertEquals(q.direct(ntx), ask(keys, vals, ntx, q), q.toString());
        Arrays.fill(vals, MARK);
        int misses = 0;
        for (int block = 1; block < 50; block++) {
            for (Q q : qs) {
                long r = ask(keys, vals, ntx, q);
                if (r != MARK) {
                    assertEquals(q.direct(ntx), r, q.toString());
                    misses++;
                }
            }
        }
        return misses;
    }

    @Test
    void reduceQuestionsAllHitAfterTheFirstBlock() {
        // the suite's reduce, blocks of 256: `if (t < s)` for s = 128 .. 2 as nvcc emits it (setp.gt.u32 t, s - 1;
        // the arm where it is false), then the `t != 0` and `t == 0` arms
        Q[] qs = new Q[9];
        for (int k = 0; k < 7; k++) qs[k] = new Q(k, 0, 1, (128 >> k) - 1, HI, true, false);
        qs[7] = new Q(7, 0, 1, 0, NE, false, false);
        qs[8] = new Q(8, 0, 1, 0, NE, false, true);
        assertEquals(0, missesAfterFirstBlock(256, qs));
    }

    @Test
    void sitesBeyondTheSlotsShareSlotsCorrectly() {
        // sites 0 and PRED_MEMO share slot 0: each recomputes when the other was last, with the right answer
        Q a = new Q(0, 0, 1, 127, HI, true, false), b = new Q(SharedAffine.PRED_MEMO, 0, 1, 63, HI, true, false);
        assertEquals(2 * 49, missesAfterFirstBlock(256, new Q[] {a, b}));
    }

    @Test
    void powerOfTwoThresholdsAllHit() {
        // tree steps of blocks up to 1024 written as `t < s` (signed, want true) and as nvcc's `t > s - 1`
        for (int ntx : new int[] {1024, 512, 256, 64}) {
            Q[] lt = new Q[10], gt = new Q[10];
            for (int k = 0; k < 10; k++) {
                lt[k] = new Q(k, 0, 1, 1 << k, LT, false, true);
                gt[k] = new Q(10 + k, 0, 1, (1 << k) - 1, HI, true, false);
            }
            assertEquals(0, missesAfterFirstBlock(ntx, lt), "t < s, block " + ntx);
            assertEquals(0, missesAfterFirstBlock(ntx, gt), "t > s - 1, block " + ntx);
            Q[] both = Arrays.copyOf(lt, 20);
            System.arraycopy(gt, 0, both, 10, 10);
            assertEquals(0, missesAfterFirstBlock(ntx, both), "both, block " + ntx);
        }
    }

    @Test
    void answersEqualTheDirectRangeUnderCollisions() {
        // 60 questions at 8 sites (several per slot; the memo's key must tell them apart), asked in random order:
        // every answer, hit or miss, must be the question's own
        SplittableRandom rnd = new SplittableRandom(20261126);
        for (int round = 0; round < 20; round++) {
            int ntx = 1 + rnd.nextInt(1024);
            Q[] pool = new Q[60];
            for (int i = 0; i < pool.length; i++) {
                int op = rnd.nextInt(10);
                pool[i] = new Q(rnd.nextInt(8), rnd.nextInt(4) == 0 ? rnd.nextInt() : rnd.nextInt(-600, 600), rnd.nextInt(-3, 4),
                        rnd.nextInt(3) == 0 ? rnd.nextInt() : rnd.nextInt(-600, 600), op, op >= 6, rnd.nextBoolean());
            }
            // questions that differ in one key field only (a0, cx, b, op, want) must not share answers
            pool[0] = new Q(3, 0, 1, 127, HI, true, false);
            pool[1] = new Q(3, 0, 1, 127, HI, true, true);
            pool[2] = new Q(3, 0, 1, 63, HI, true, false);
            pool[3] = new Q(3, 1, 1, 127, HI, true, false);
            pool[4] = new Q(3, 0, 2, 127, HI, true, false);
            pool[5] = new Q(3, 0, 1, 127, 9, true, false);
            int[] keys = SharedAffine.emptyPredKeys();
            long[] vals = new long[SharedAffine.PRED_MEMO];
            for (int i = 0; i < 3000; i++) {
                Q q = pool[rnd.nextInt(pool.length)];
                assertEquals(q.direct(ntx), ask(keys, vals, ntx, q), q + " block " + ntx);
            }
        }
    }
}
