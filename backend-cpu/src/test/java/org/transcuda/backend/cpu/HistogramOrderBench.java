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
 * {@code touchD} / {@code touchDafter}: {@code strideLoop} with the 4 lines of the iteration D iterations ahead read
 * (one byte each) before / after the iteration's copy and loop ({@code touch2x2}, {@code touch2x1}: 2 or 1 of its
 * lines); {@code batchK} / {@code batchKahead}: every K-th iteration reads the lines of K iterations (the current K or
 * the next K) at once ({@link StrideTouch} was built from these). {@code direct8} and its variants ({@code direct8u},
 * {@code direct8w}: a window offset and an operand from variables, {@code direct8L}: counts in a local array,
 * {@code v0win}, {@code v1c}, {@code v2w0}: one change each from {@code direct8}), {@code copyNoSh}: the iteration's
 * bytes read 8 at a time as longs without a copy, or the copy without the window check ({@link StrideHist} was built
 * from these); {@code inter16}: 16 consecutive blocks' iterations interleaved. {@code -Dshapes=a,b}: only those shapes;
 * {@code -Dshuffle=true}: a new random order of the shapes per round, and the medians at the end; {@code
 * -Devict=true}: 64 MiB streamed before each shape, so that the data comes from memory, not from the 32 MiB L3.
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

    /** Sum of the touched bytes (kept so that the JIT keeps the reads). */
    static int sink;

    /**
     * {@code strideLoop} with the lines of iteration {@code i0 + d·S} touched (one byte per 64-byte line) before
     * ({@code after} false) or after the iteration's copy and lane loop; {@code lines}: how many of its 4 lines.
     */
    private static int strideTouch(int b, int d, boolean after, int lines) {
        int iters = 0;
        int[] w = SHARED;
        int x = 0;
        long ahead = (long) d * S;
        for (int i0 = b * T; i0 < N; i0 += S) {
            long a = i0 + ahead;
            if (!after && a + T <= N) {
                for (int l = 0; l < lines; l++) x += data.get(ValueLayout.JAVA_BYTE, a + 64L * l * (4 / lines));
            }
            MemorySegment.copy(data, ValueLayout.JAVA_BYTE, i0, SCRATCH, 0, T);
            for (int t = 0; t < T; t++) {
                int i = (int) (sh((SCRATCH[t] & 0xff) * 4L) >>> 2);
                w[i]++;
            }
            if (after && a + T <= N) {
                for (int l = 0; l < lines; l++) x += data.get(ValueLayout.JAVA_BYTE, a + 64L * l * (4 / lines));
            }
            iters++;
        }
        sink += x;
        return iters;
    }

    /**
     * {@code strideLoop} with the lines touched in batches: every {@code k}-th iteration touches the lines of the
     * {@code k} iterations that start {@code ahead} batches later (4 lines each), so that their misses are in flight
     * together and the iterations in between find them in the cache.
     */
    private static int strideBatch(int b, int k, int ahead) {
        int iters = 0;
        int[] w = SHARED;
        int x = 0;
        int j = 0;
        for (int i0 = b * T; i0 < N; i0 += S, j++) {
            if (j % k == 0) {
                long a0 = i0 + (long) ahead * k * S;
                for (int q = 0; q < k; q++) {
                    long a = a0 + (long) q * S;
                    if (a + T > N) break;
                    x += data.get(ValueLayout.JAVA_BYTE, a) + data.get(ValueLayout.JAVA_BYTE, a + 64)
                            + data.get(ValueLayout.JAVA_BYTE, a + 128) + data.get(ValueLayout.JAVA_BYTE, a + 192);
                }
            }
            MemorySegment.copy(data, ValueLayout.JAVA_BYTE, i0, SCRATCH, 0, T);
            for (int t = 0; t < T; t++) {
                int i = (int) (sh((SCRATCH[t] & 0xff) * 4L) >>> 2);
                w[i]++;
            }
            iters++;
        }
        sink += x;
        return iters;
    }


    /** {@code touch4after} without the copy: each iteration's bytes read 8 at a time as longs from the segment. */
    private static int direct8(int b) {
        int iters = 0;
        int[] w = SHARED;
        int x = 0;
        for (int i0 = b * T; i0 < N; i0 += S) {
            for (int t = 0; t < T; t += 8) {
                long v = data.get(ValueLayout.JAVA_LONG_UNALIGNED, i0 + t);
                for (int q = 0; q < 8; q++) {
                    w[(int) (v >>> (8 * q)) & 0xff]++;
                }
            }
            long a = i0 + 4L * S;
            if (a + T <= N) {
                for (int l = 0; l < 4; l++) x += data.get(ValueLayout.JAVA_BYTE, a + 64L * l);
            }
            iters++;
        }
        sink += x;
        return iters;
    }

    private static final int[][] SH16 = new int[16][256];

    /** 16 consecutive blocks interleaved: iteration k of each in turn (run for b % 16 == 0 only), touch 4 after. */
    private static int inter16(int b) {
        if (b % 16 != 0) return 0;
        int x = 0;
        for (int[] h : SH16) java.util.Arrays.fill(h, 0);
        for (int i0 = b * T; i0 < N; i0 += S) {
            for (int j = 0; j < 16; j++) {
                int[] w = SH16[j];
                long o = i0 + (long) j * T;
                if (o + T > N) break;
                MemorySegment.copy(data, ValueLayout.JAVA_BYTE, o, SCRATCH, 0, T);
                for (int t = 0; t < T; t++) {
                    int i = (int) (sh((SCRATCH[t] & 0xff) * 4L) >>> 2);
                    w[i]++;
                }
            }
        }
        for (int[] h : SH16) for (int k = 0; k < 256; k++) SHARED[k] += h[k];
        sink += x;
        return 0;
    }


    /** {@code touch4after} without the window check (the kernel's loop since SharedRange). */
    private static int copyNoSh(int b, boolean touch) {
        int iters = 0;
        int[] w = SHARED;
        int x = 0;
        for (int i0 = b * T; i0 < N; i0 += S) {
            MemorySegment.copy(data, ValueLayout.JAVA_BYTE, i0, SCRATCH, 0, T);
            for (int t = 0; t < T; t++) w[SCRATCH[t] & 0xff]++;
            long a = i0 + 4L * S;
            if (touch && a + T <= N) {
                for (int l = 0; l < 4; l++) x += data.get(ValueLayout.JAVA_BYTE, a + 64L * l);
            }
            iters++;
        }
        sink += x;
        return iters;
    }

    /** direct8 with or without the touch, bytes of a long in a fixed unrolled form. */
    private static int direct8u(int b, boolean touch) {
        int iters = 0;
        int[] w = SHARED;
        int x = 0;
        for (int i0 = b * T; i0 < N; i0 += S) {
            for (int t = 0; t < T; t += 8) {
                long v = data.get(ValueLayout.JAVA_LONG_UNALIGNED, i0 + t);
                w[(int) v & 0xff]++;
                w[(int) (v >>> 8) & 0xff]++;
                w[(int) (v >>> 16) & 0xff]++;
                w[(int) (v >>> 24) & 0xff]++;
                w[(int) (v >>> 32) & 0xff]++;
                w[(int) (v >>> 40) & 0xff]++;
                w[(int) (v >>> 48) & 0xff]++;
                w[(int) (v >>> 56) & 0xff]++;
            }
            long a = i0 + 4L * S;
            if (touch && a + T <= N) {
                for (int l = 0; l < 4; l++) x += data.get(ValueLayout.JAVA_BYTE, a + 64L * l);
            }
            iters++;
        }
        sink += x;
        return iters;
    }


    static int W0 = 0, C = 1;
    static int[] WIN = new int[300];

    /** direct8 as StrideHist runs it: a window offset and an operand from variables, the window's length unknown. */
    private static int direct8w(int b) {
        int iters = 0;
        int[] w = WIN;
        int w0 = W0, c = C;
        int x = 0;
        for (int i0 = b * T; i0 < N; i0 += S) {
            long a = i0;
            int t = 0;
            for (; t + 8 <= T; t += 8) {
                long v = data.get(ValueLayout.JAVA_LONG_UNALIGNED, a + t);
                w[w0 + ((int) v & 0xff)] += c;
                w[w0 + ((int) (v >>> 8) & 0xff)] += c;
                w[w0 + ((int) (v >>> 16) & 0xff)] += c;
                w[w0 + ((int) (v >>> 24) & 0xff)] += c;
                w[w0 + ((int) (v >>> 32) & 0xff)] += c;
                w[w0 + ((int) (v >>> 40) & 0xff)] += c;
                w[w0 + ((int) (v >>> 48) & 0xff)] += c;
                w[w0 + ((int) (v >>> 56) & 0xff)] += c;
            }
            long ah = i0 + 4L * S;
            if (ah + T <= N) {
                for (int l = 0; l < 4; l++) x += data.get(ValueLayout.JAVA_BYTE, ah + 64L * l);
            }
            iters++;
        }
        for (int k = 0; k < 256; k++) {
            SHARED[k] += WIN[k];
            WIN[k] = 0;
        }
        sink += x;
        return iters;
    }


    /** direct8w with the counts in a local 256-entry array (its length known), added to the window at the end. */
    private static int direct8L(int b) {
        int iters = 0;
        int[] w = WIN;
        int w0 = W0, c = C;
        int[] h = new int[256];
        int x = 0;
        for (int i0 = b * T; i0 < N; i0 += S) {
            long a = i0;
            int t = 0;
            for (; t + 8 <= T; t += 8) {
                long v = data.get(ValueLayout.JAVA_LONG_UNALIGNED, a + t);
                h[(int) v & 0xff] += c;
                h[(int) (v >>> 8) & 0xff] += c;
                h[(int) (v >>> 16) & 0xff] += c;
                h[(int) (v >>> 24) & 0xff] += c;
                h[(int) (v >>> 32) & 0xff] += c;
                h[(int) (v >>> 40) & 0xff] += c;
                h[(int) (v >>> 48) & 0xff] += c;
                h[(int) (v >>> 56) & 0xff] += c;
            }
            long ah = i0 + 4L * S;
            if (ah + T <= N) {
                for (int l = 0; l < 4; l++) x += data.get(ValueLayout.JAVA_BYTE, ah + 64L * l);
            }
            iters++;
        }
        for (int k = 0; k < 256; k++) w[w0 + k] += h[k];
        for (int k = 0; k < 256; k++) {
            SHARED[k] += WIN[k];
            WIN[k] = 0;
        }
        sink += x;
        return iters;
    }


    /** direct8 variants: {@code mode} 0: WIN, index & 0xff, ++; 1: SHARED, += c; 2: SHARED, w0 + index, ++. */
    private static int direct8v(int b, int mode) {
        int iters = 0;
        int[] w = mode == 0 ? WIN : SHARED;
        int c = C, w0 = W0;
        int x = 0;
        for (int i0 = b * T; i0 < N; i0 += S) {
            for (int t = 0; t < T; t += 8) {
                long v = data.get(ValueLayout.JAVA_LONG_UNALIGNED, i0 + t);
                if (mode == 0) {
                    for (int q = 0; q < 8; q++) w[(int) (v >>> (8 * q)) & 0xff]++;
                } else if (mode == 1) {
                    for (int q = 0; q < 8; q++) w[(int) (v >>> (8 * q)) & 0xff] += c;
                } else {
                    for (int q = 0; q < 8; q++) w[w0 + ((int) (v >>> (8 * q)) & 0xff)]++;
                }
            }
            long a = i0 + 4L * S;
            if (a + T <= N) {
                for (int l = 0; l < 4; l++) x += data.get(ValueLayout.JAVA_BYTE, a + 64L * l);
            }
            iters++;
        }
        if (mode == 0) {
            for (int k = 0; k < 256; k++) {
                SHARED[k] += WIN[k];
                WIN[k] = 0;
            }
        }
        sink += x;
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
            "contiguous", "touch1", "touch2", "touch4", "touch8", "touch1after", "touch2after", "touch4after",
            "touch2x2", "touch2x1", "batch2", "batch4", "batch8", "batch16", "batch2ahead", "batch4ahead",
            "batch8ahead", "batch16ahead", "touch8after", "touch16after", "touch32after", "touch16", "direct8", "inter16", "copyNoSh", "copyNoShNT", "direct8u", "direct8uNT", "direct8w", "direct8L", "v0win", "v1c", "v2w0"};
        Shape[] shapes = {b -> general(b, true, true, true), b -> general(b, true, false, true),
            b -> general(b, false, true, true), b -> general(b, true, true, false), b -> general(b, false, false, false),
            HistogramOrderBench::strideLoop, HistogramOrderBench::threadMajor, HistogramOrderBench::contiguous,
            b -> strideTouch(b, 1, false, 4), b -> strideTouch(b, 2, false, 4), b -> strideTouch(b, 4, false, 4),
            b -> strideTouch(b, 8, false, 4), b -> strideTouch(b, 1, true, 4), b -> strideTouch(b, 2, true, 4),
            b -> strideTouch(b, 4, true, 4), b -> strideTouch(b, 2, false, 2), b -> strideTouch(b, 2, false, 1),
            b -> strideBatch(b, 2, 0), b -> strideBatch(b, 4, 0), b -> strideBatch(b, 8, 0), b -> strideBatch(b, 16, 0),
            b -> strideBatch(b, 2, 1), b -> strideBatch(b, 4, 1), b -> strideBatch(b, 8, 1), b -> strideBatch(b, 16, 1),
            b -> strideTouch(b, 8, true, 4), b -> strideTouch(b, 16, true, 4), b -> strideTouch(b, 32, true, 4),
            b -> strideTouch(b, 16, false, 4), HistogramOrderBench::direct8, HistogramOrderBench::inter16,
            b -> copyNoSh(b, true), b -> copyNoSh(b, false), b -> direct8u(b, true), b -> direct8u(b, false), HistogramOrderBench::direct8w, HistogramOrderBench::direct8L,
            b -> direct8v(b, 0), b -> direct8v(b, 1), b -> direct8v(b, 2)};
        // -Dshapes=a,b,...: only those (default: all)
        java.util.Set<String> only = System.getProperty("shapes") == null ? null
                : java.util.Set.of(System.getProperty("shapes").split(","));
        var tm = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 12;
        // -Dshuffle=true: each round runs the shapes in a new random order; the medians of rounds 1.. end the output
        boolean shuffle = Boolean.getBoolean("shuffle");
        int[] evict = Boolean.getBoolean("evict") ? new int[16 << 20] : null;
        java.util.Random rnd = new java.util.Random(1);
        double[][] ms = new double[shapes.length][rounds];
        for (int round = 0; round < rounds; round++) {
            StringBuilder sb = new StringBuilder("round " + round + ":");
            java.util.List<Integer> order = new java.util.ArrayList<>();
            for (int v = 0; v < shapes.length; v++) order.add(v);
            if (shuffle) java.util.Collections.shuffle(order, rnd);
            for (int v : order) {
                if (only != null && !only.contains(names[v])) continue;
                java.util.Arrays.fill(SHARED, 0);
                if (evict != null) {
                    // -Devict=true: 64 MiB streamed first, so the data comes from memory, not the 32 MiB L3
                    long e = 0;
                    for (int i = 0; i < evict.length; i += 16) e += evict[i]++;
                    sink += (int) e;
                }
                long c0 = tm.getCurrentThreadCpuTime();
                for (int b = 0; b < B; b++) shapes[v].run(b);
                long c1 = tm.getCurrentThreadCpuTime();
                long sum = 0;
                for (int c : SHARED) sum += c;
                if (sum != N) throw new IllegalStateException(names[v] + " counted " + sum);
                sb.append(String.format(java.util.Locale.ROOT, " %s %.1f", names[v], (c1 - c0) / 1e6));
                ms[v][round] = (c1 - c0) / 1e6;
            }
            System.out.println(sb);
        }
        StringBuilder sb = new StringBuilder("median of rounds 1..:");
        for (int v = 0; v < shapes.length; v++) {
            if (only != null && !only.contains(names[v])) continue;
            double[] m = java.util.Arrays.copyOfRange(ms[v], Math.min(1, rounds - 1), rounds);
            java.util.Arrays.sort(m);
            sb.append(String.format(java.util.Locale.ROOT, " %s %.1f (min %.1f)", names[v], m[m.length / 2], m[0]));
        }
        System.out.println(sb);
    }
}
