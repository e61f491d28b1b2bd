package org.transcuda.backend.cpu;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Micro-benchmark (not a test) for stencil's memory order on the thread engine: one 5-point sweep of a 4096 x 4096
 * float grid off-heap, with the shape of RowVec's loop {@code r2} (512-bit vectors straight on {@link Mem#ALL}, the
 * sum {@code ((l + r) + u) + d} times 0.25, NaNs canonicalized by a blend; the border lanes as scalars), on two
 * threads, in these orders:
 * <ul>
 * <li>{@code omp}: OpenMP's {@code schedule(static)}: thread t the rows {@code [t·N/2, (t+1)·N/2)} in order;
 * <li>{@code ours}: as the engine runs it today (Launch.runGrid with RowClaims, GridRows.run): dynamic claims of
 * {@code 65536 / 16 = 4096} blocks of 16 x 16, i.e. 16 block rows = 256 thread rows, taken from one atomic counter;
 * inside a claim block row by block row and in each thread row by thread row across the full width (RowRect's
 * lane 0, lanes 1..4094 as vectors plus an overlapping tail vector, lane 4095);
 * <li>{@code small}: the same with claims of one block row (16 thread rows), the two workers' bands interleaved
 * finely;
 * <li>{@code blocks}: each claim walked block by block (16 lanes of 16 thread rows), the short-run order that
 * grid rows replaced (a bound on what a bad order costs).
 * <li>{@code one}: one thread, every row in order (compare with the engine on one worker, {@code -Dbench.workers=1}).
 * </ul>
 * Prints per round the two workers' summed thread CPU time and the wall time of each order, then medians. Run (after
 * {@code mvn -o -q -pl backend-cpu -DskipTests test-compile}): {@code java --add-modules=jdk.incubator.vector
 * --enable-native-access=ALL-UNNAMED -cp backend-cpu/target/classes:backend-cpu/target/test-classes
 * org.transcuda.backend.cpu.StencilOrderBench [rounds]}. Results: docs/benchmarks.md (CPU section, "stencil's memory order").
 */
final class StencilOrderBench {
    private StencilOrderBench() {
    }

    static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    static final int V = S.length();
    static final MemorySegment ALL = Mem.ALL;
    static final int N = 4096, B = 16;
    static final FloatVector QUARTER = FloatVector.broadcast(S, 0.25f);
    static final IntVector CANON = IntVector.broadcast(IntVector.SPECIES_512, 0x7fffffff);

    /** One interior thread row {@code y} (1 <= y < N-1): border lanes copied, lanes 1..N-2 as r2 runs them. */
    static void row(long in, long out, int y) {
        long ri = in + 4L * N * y, ro = out + 4L * N * y;
        ALL.set(Mem.F32, ro, ALL.get(Mem.F32, ri));
        int n = N - 2;
        long a = ri + 4, o = ro + 4;
        int t = 0;
        for (; t + V <= n; t += V) vec(a + 4L * t, o + 4L * t);
        if (t < n) vec(a + 4L * (n - V), o + 4L * (n - V));
        ALL.set(Mem.F32, ro + 4L * (N - 1), ALL.get(Mem.F32, ri + 4L * (N - 1)));
    }

    static void vec(long p, long o) {
        FloatVector l = FloatVector.fromMemorySegment(S, ALL, p - 4, ByteOrder.LITTLE_ENDIAN);
        FloatVector r = FloatVector.fromMemorySegment(S, ALL, p + 4, ByteOrder.LITTLE_ENDIAN);
        FloatVector u = FloatVector.fromMemorySegment(S, ALL, p - 4L * N, ByteOrder.LITTLE_ENDIAN);
        FloatVector d = FloatVector.fromMemorySegment(S, ALL, p + 4L * N, ByteOrder.LITTLE_ENDIAN);
        FloatVector s = l.add(r).add(u).add(d).mul(QUARTER);
        IntVector bits = s.reinterpretAsInts();
        VectorMask<Integer> nan = bits.and(0x7fffffff).compare(VectorOperators.GT, 0x7f800000);
        bits.blend(CANON, nan).intoMemorySegment(ALL, o, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Row {@code y} as {@code r2} is written: five bases (four loads and the store) set before the loop, the index
     * scaled per access, {@code test(IS_NAN)} and {@code blend(float)} for the NaNs; {@code sep} keeps the loop in
     * its own method, as r2 is.
     */
    static void rowR2(long in, long out, int y) {
        long ri = in + 4L * N * y, ro = out + 4L * N * y;
        ALL.set(Mem.F32, ro, ALL.get(Mem.F32, ri));
        int n = N - 2;
        r2(ri, ri + 8, ri + 4 - 4L * N, ri + 4 + 4L * N, ro + 4, n);
        if (n % V != 0) vec(ri + 4 + 4L * (n - V), ro + 4 + 4L * (n - V));
        ALL.set(Mem.F32, ro + 4L * (N - 1), ALL.get(Mem.F32, ri + 4L * (N - 1)));
    }

    static final float Q = 0.25f;

    static void r2(long b0, long b1, long b2, long b3, long b4, int n) {
        for (int t = 0; t + 16 <= n; t += 16) {
            FloatVector a = FloatVector.fromMemorySegment(S, ALL, b0 + ((long) t << 2), ByteOrder.LITTLE_ENDIAN);
            FloatVector b = FloatVector.fromMemorySegment(S, ALL, b1 + ((long) t << 2), ByteOrder.LITTLE_ENDIAN);
            FloatVector c = FloatVector.fromMemorySegment(S, ALL, b2 + ((long) t << 2), ByteOrder.LITTLE_ENDIAN);
            FloatVector d = FloatVector.fromMemorySegment(S, ALL, b3 + ((long) t << 2), ByteOrder.LITTLE_ENDIAN);
            FloatVector r = a.add(b).add(c).add(d).mul(FloatVector.broadcast(S, Q));
            r = r.blend(Float.intBitsToFloat(0x7fffffff), r.test(VectorOperators.IS_NAN));
            r.intoMemorySegment(ALL, b4 + ((long) t << 2), ByteOrder.LITTLE_ENDIAN);
        }
    }

    static volatile long gapSink;

    /** {@link #rowsR2} with {@code spins} iterations of register-only work between rows (the engine's per-row gap). */
    static void rowsR2Gap(long in, long out, int y0, int y1, int spins) {
        long h = 1;
        for (int y = y0; y < y1; y++) {
            if (y == 0 || y == N - 1) MemorySegment.copy(ALL, in + 4L * N * y, ALL, out + 4L * N * y, 4L * N);
            else rowR2(in, out, y);
            for (int k = 0; k < spins; k++) h = h * 0x9E3779B97F4A7C15L + k;
        }
        gapSink = h;
    }

    /** {@link #rowsR2} with each row's vector lanes as {@code -Dsplit=K} calls of {@link #r2} (the engine's rowLanes). */
    static void rowsR2Split(long in, long out, int y0, int y1, int parts) {
        for (int y = y0; y < y1; y++) {
            if (y == 0 || y == N - 1) {
                MemorySegment.copy(ALL, in + 4L * N * y, ALL, out + 4L * N * y, 4L * N);
                continue;
            }
            long ri = in + 4L * N * y, ro = out + 4L * N * y;
            ALL.set(Mem.F32, ro, ALL.get(Mem.F32, ri));
            int step = N / parts;
            for (int x0 = 1; x0 < N - 1; x0 += step) {
                int x1 = Math.min(N - 1, (x0 == 1 ? 0 : x0) + step);
                int n = x1 - x0;
                long p = ri + 4L * x0, o = ro + 4L * x0;
                r2(p - 4, p + 4, p - 4L * N, p + 4L * N, o, n);
                if (n % V != 0) vec(p + 4L * (n - V), o + 4L * (n - V));
                x0 = x1 - step;
            }
            ALL.set(Mem.F32, ro + 4L * (N - 1), ALL.get(Mem.F32, ri + 4L * (N - 1)));
        }
    }

    static final float[] LANE = new float[1];

    /** {@link #rowsR2} with the border lanes as the engine's {@code v1} moves them: one-element copies through a float[]. */
    static void rowsR2Copy(long in, long out, int y0, int y1) {
        float[] t = LANE;
        for (int y = y0; y < y1; y++) {
            if (y == 0 || y == N - 1) {
                MemorySegment.copy(ALL, in + 4L * N * y, ALL, out + 4L * N * y, 4L * N);
                continue;
            }
            long ri = in + 4L * N * y, ro = out + 4L * N * y;
            MemorySegment.copy(ALL, Mem.F32, ri, t, 0, 1);
            MemorySegment.copy(t, 0, ALL, Mem.F32, ro, 1);
            int n = N - 2;
            r2(ri, ri + 8, ri + 4 - 4L * N, ri + 4 + 4L * N, ro + 4, n);
            if (n % V != 0) vec(ri + 4 + 4L * (n - V), ro + 4 + 4L * (n - V));
            MemorySegment.copy(ALL, Mem.F32, ri + 4L * (N - 1), t, 0, 1);
            MemorySegment.copy(t, 0, ALL, Mem.F32, ro + 4L * (N - 1), 1);
        }
    }

    static final long[] TOUCH = new long[(1 << 20)];
    static long touchSink;

    /**
     * {@link #rowsR2} with {@code k} loads between rows, {@code stride} bytes apart in a 8 MiB heap array
     * ({@code -Dtouch=K -DtouchStride=S}): whether the engine's accesses to its own data between loop calls
     * (other pages, other lines) stretch the loop's memory waits.
     */
    static void rowsR2Touch(long in, long out, int y0, int y1, int k, int stride, boolean store) {
        long h = 0;
        long[] t = TOUCH;
        int step = stride / 8;
        for (int y = y0; y < y1; y++) {
            if (y == 0 || y == N - 1) MemorySegment.copy(ALL, in + 4L * N * y, ALL, out + 4L * N * y, 4L * N);
            else rowR2(in, out, y);
            if (store) for (int i = 0; i < k; i++) t[i * step] = y;
            else for (int i = 0; i < k; i++) h += t[i * step];
        }
        touchSink = h;
    }

    static void rowsR2(long in, long out, int y0, int y1) {
        for (int y = y0; y < y1; y++) {
            if (y == 0 || y == N - 1) MemorySegment.copy(ALL, in + 4L * N * y, ALL, out + 4L * N * y, 4L * N);
            else rowR2(in, out, y);
        }
    }

    /** One block (bx, by) as 16 runs of 16 lanes (thread rows), its border lanes as scalars. */
    static void block(long in, long out, int bx, int by) {
        for (int ty = 0; ty < B; ty++) {
            int y = by * B + ty;
            long ri = in + 4L * N * y, ro = out + 4L * N * y;
            if (y == 0 || y == N - 1) {
                MemorySegment.copy(ALL, 4L * N * y + in + 4L * B * bx, ALL, ro + 4L * B * bx, 4L * B);
                continue;
            }
            int x0 = bx * B, x1 = x0 + B;
            if (x0 == 0) {
                ALL.set(Mem.F32, ro, ALL.get(Mem.F32, ri));
                x0 = 1;
            }
            if (x1 == N) {
                ALL.set(Mem.F32, ro + 4L * (N - 1), ALL.get(Mem.F32, ri + 4L * (N - 1)));
                x1 = N - 1;
            }
            // one vector; at the edges it overlaps a neighbour block's lane (the same value)
            int s0 = x0 == 1 ? 1 : x1 - V;
            vec(ri + 4L * s0, ro + 4L * s0);
        }
    }

    static void rows(long in, long out, int y0, int y1) {
        for (int y = y0; y < y1; y++) {
            if (y == 0 || y == N - 1) MemorySegment.copy(ALL, in + 4L * N * y, ALL, out + 4L * N * y, 4L * N);
            else row(in, out, y);
        }
    }

    static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        Arena arena = Arena.global();
        MemorySegment inS = arena.allocate(4L * N * N, 64), outS = arena.allocate(4L * N * N, 64);
        long in = inS.address(), out = outS.address();
        java.util.Random rnd = new java.util.Random(1);
        for (long k = 0; k < (long) N * N; k++) inS.setAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT, k, rnd.nextFloat());
        String[] modes = {"omp", "ours", "small", "blocks", "one"};
        int W = 2;
        long[][] cpu = new long[modes.length][rounds], wall = new long[modes.length][rounds];
        AtomicLong next = new AtomicLong();
        long[] workerCpu = new long[W];
        int[] mode = new int[1];
        CyclicBarrier start = new CyclicBarrier(W + 1), done = new CyclicBarrier(W + 1);
        for (int w = 0; w < W; w++) {
            int id = w;
            Thread t = new Thread(() -> {
                try {
                    while (true) {
                        start.await();
                        long c0 = MX.getCurrentThreadCpuTime();
                        int m = mode[0];
                        if (m == 4) {
                            if (id == 0) rows(in, out, 0, N); // one worker, the whole grid in row order
                        } else if (m == 0) {
                            rows(in, out, id * N / W, (id + 1) * N / W);
                        } else if (m == 1 || m == 2) {
                            int claimRows = m == 1 ? 256 : 16; // thread rows per claim
                            long c;
                            while ((c = next.getAndAdd(claimRows)) < N) rows(in, out, (int) c, (int) c + claimRows);
                        } else {
                            long c;
                            while ((c = next.getAndAdd(4096)) < 65536) {
                                for (long b = c; b < c + 4096; b++) block(in, out, (int) (b % 256), (int) (b / 256));
                            }
                        }
                        workerCpu[id] = MX.getCurrentThreadCpuTime() - c0;
                        done.await();
                    }
                } catch (Exception e) {
                    // end
                }
            });
            t.setDaemon(true);
            t.start();
        }
        float[] ref = null;
        for (int r = -5; r < rounds; r++) {
            for (int m = 0; m < modes.length; m++) {
                int mm = (m + Math.floorMod(r, modes.length)) % modes.length; // rotate the order per round
                mode[0] = mm;
                next.set(0);
                if (r < -1) outS.fill((byte) 0);
                long t0 = System.nanoTime();
                start.await();
                done.await();
                long t1 = System.nanoTime();
                if (r >= 0) {
                    cpu[mm][r] = workerCpu[0] + workerCpu[1];
                    wall[mm][r] = t1 - t0;
                }
                if (r == -1) {
                    float[] got = outS.toArray(java.lang.foreign.ValueLayout.JAVA_FLOAT);
                    if (ref == null) ref = got;
                    else if (!Arrays.equals(ref, got)) System.out.println("MISMATCH " + modes[mm]);
                }
            }
        }
        for (int m = 0; m < modes.length; m++) {
            long[] c = cpu[m].clone(), w = wall[m].clone();
            Arrays.sort(c);
            Arrays.sort(w);
            System.out.printf("%-7s cpu median %.2f ms (q1 %.2f q3 %.2f)  wall median %.2f ms%n", modes[m],
                    c[rounds / 2] / 1e6, c[rounds / 4] / 1e6, c[3 * rounds / 4] / 1e6, w[rounds / 2] / 1e6);
        }
        // rounds where the two workers ran side by side (wall under 0.6 of the summed CPU): the memory shared
        for (int m = 0; m < modes.length; m++) {
            double[] c = new double[rounds];
            int k = 0;
            for (int r = 0; r < rounds; r++) if (wall[m][r] < 0.6 * cpu[m][r]) c[k++] = cpu[m][r] / 1e6;
            Arrays.sort(c, 0, k);
            System.out.printf("%-7s side by side: %d of %d rounds, cpu median %.2f ms%n", modes[m], k, rounds,
                    k == 0 ? Double.NaN : c[k / 2]);
        }
        // per-round ratio ours/omp
        double[] q = new double[rounds];
        for (int r = 0; r < rounds; r++) q[r] = (double) cpu[1][r] / cpu[0][r];
        Arrays.sort(q);
        System.out.printf("ours/omp cpu ratio per round: median %.3f (q1 %.3f q3 %.3f)%n", q[rounds / 2], q[rounds / 4],
                q[3 * rounds / 4]);
    }
}
