package org.transcuda.backend.cpu;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Microbenchmark behind {@link StrideLoop} (not a test): histogram's grid-stride loop (2^24 bytes, 256 blocks of 256
 * threads, a 256-bin {@code int[]} shared window per block) in plain Java, in the shapes the lockstep engine could run
 * it: {@code general} as its general lane loop does (per iteration a prescan of the index array's minimum, maximum and
 * OR, the thread-order compare loop, one copy of the iteration's bytes, then per thread the byte, the shared window
 * check, the increment, {@code i += stride} and the loop predicate stored into their arrays, the predicates summed);
 * {@code noCompare}, {@code noPrescan}, {@code noPred}: that without one of those parts; {@code indexArray}: without
 * the three (the index array still read and written per thread); {@code strideLoop}: per iteration one copy and one
 * loop of increments, the index one number per block (what {@link StrideLoop} emits); {@code threadMajor}: each thread
 * its whole loop before the next thread (the order a per-thread loop would take: a stride of 64 KiB per element);
 * {@code contiguous}: each block's 2^16 elements as one contiguous run (the order no per-block transformation reaches).
 * Prints thread CPU ms per whole histogram per round; every shape's counts are checked. Run: {@code java -cp
 * backend-cpu/target/test-classes org.transcuda.backend.cpu.HistogramOrderBench}. Results: docs/benchmarks.md (CPU
 * section).
 */
final class HistogramOrderBench {
    private static final int N = 1 << 24, B = 256, T = 256, S = B * T;
    private static MemorySegment data;
    private static final int[] SHARED = new int[256];
    private static final int[] IDX = new int[T], PRED = new int[T];
    private static final byte[] SCRATCH = new byte[T];
    private static final long SLOTS2 = 256;

    private HistogramOrderBench() {
    }

    /** Mem.sh's window check of a 4-byte shared access. */
    private static long sh(long o) {
        if (Long.compareUnsigned(Long.rotateRight(o, 2), SLOTS2) >= 0) throw new IllegalStateException("window");
        return o;
    }

    private static int general(int b, boolean prescan, boolean compare, boolean pred) {
        for (int t = 0; t < T; t++) IDX[t] = b * T + t;
        int iters = 0;
        while (true) {
            int mn = IDX[0], mx = IDX[T - 1], or = 0;
            if (prescan) {
                mn = Integer.MAX_VALUE;
                mx = Integer.MIN_VALUE;
                for (int t = 0; t < T; t++) {
                    int v = IDX[t];
                    or |= v;
                    mn = Math.min(mn, v);
                    mx = Math.max(mx, v);
                }
            }
            if (mn < 0 || (long) mx + 1 > N || (or & 0x8000_0000) != 0) throw new IllegalStateException("range");
            byte[] s = null;
            if (mx - mn == T - 1) {
                boolean ok = true;
                if (compare) {
                    int d = IDX[0];
                    for (int t = 1; t < T; t++) {
                        if (IDX[t] != d + t) {
                            ok = false;
                            break;
                        }
                    }
                }
                if (ok) {
                    MemorySegment.copy(data, ValueLayout.JAVA_BYTE, mn, SCRATCH, 0, T);
                    s = SCRATCH;
                }
            }
            int sum = 0;
            int[] w = SHARED;
            for (int t = 0; t < T; t++) {
                int v = (s != null ? s[t] : data.get(ValueLayout.JAVA_BYTE, IDX[t])) & 0xff;
                int i = (int) (sh(v * 4L) >>> 2);
                w[i] = w[i] + 1;
                IDX[t] = IDX[t] + S;
                if (pred) {
                    PRED[t] = (int) (((long) IDX[t] - (long) N) >>> 63);
                    sum += PRED[t];
                }
            }
            iters++;
            if (pred ? sum == T : mx + S < N) continue;
            return iters;
        }
    }

    private static int strideLoop(int b) {
        int iters = 0;
        int[] w = SHARED;
        for (int i0 = b * T; i0 < N; i0 += S) {
            MemorySegment.copy(data, ValueLayout.JAVA_BYTE, i0, SCRATCH, 0, T);
            for (int t = 0; t < T; t++) {
                int i = (int) (sh((SCRATCH[t] & 0xff) * 4L) >>> 2);
                w[i]++;
            }
            iters++;
        }
        return iters;
    }

    private static int threadMajor(int b) {
        int[] w = SHARED;
        for (int t = 0; t < T; t++) {
            for (int i = b * T + t; i < N; i += S) {
                int k = (int) (sh((data.get(ValueLayout.JAVA_BYTE, i) & 0xff) * 4L) >>> 2);
                w[k]++;
            }
        }
        return 0;
    }

    private static int contiguous(int b) {
        int[] w = SHARED;
        int per = N / B;
        long off = (long) b * per;
        for (int i = 0; i < per; i++) {
            int k = (int) (sh((data.get(ValueLayout.JAVA_BYTE, off + i) & 0xff) * 4L) >>> 2);
            w[k]++;
        }
        return 0;
    }

    private interface Shape {
        int run(int block);
    }

    public static void main(String[] args) {
        data = Arena.global().allocate(N, 64);
        long x = 1;
        for (int i = 0; i < N; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            data.set(ValueLayout.JAVA_BYTE, i, (byte) (x >>> 56));
        }
        String[] names = {"general", "noCompare", "noPrescan", "noPred", "indexArray", "strideLoop", "threadMajor",
            "contiguous"};
        Shape[] shapes = {b -> general(b, true, true, true), b -> general(b, true, false, true),
            b -> general(b, false, true, true), b -> general(b, true, true, false), b -> general(b, false, false, false),
            HistogramOrderBench::strideLoop, HistogramOrderBench::threadMajor, HistogramOrderBench::contiguous};
        var tm = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 12;
        for (int round = 0; round < rounds; round++) {
            StringBuilder sb = new StringBuilder("round " + round + ":");
            for (int v = 0; v < shapes.length; v++) {
                java.util.Arrays.fill(SHARED, 0);
                long c0 = tm.getCurrentThreadCpuTime();
                for (int b = 0; b < B; b++) shapes[v].run(b);
                long c1 = tm.getCurrentThreadCpuTime();
                long sum = 0;
                for (int c : SHARED) sum += c;
                if (sum != N) throw new IllegalStateException(names[v] + " counted " + sum);
                sb.append(String.format(java.util.Locale.ROOT, " %s %.1f", names[v], (c1 - c0) / 1e6));
            }
            System.out.println(sb);
        }
    }
}
