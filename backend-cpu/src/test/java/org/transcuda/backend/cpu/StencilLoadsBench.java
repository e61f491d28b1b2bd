package org.transcuda.backend.cpu;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Microbenchmark behind {@link VecMem#share} (not a test): the four neighbour loads of stencil's interior path for
 * every interior 16x16 block of a 4096x4096 float grid, in block order, one thread: "copies" (one
 * {@code MemorySegment.copy} per row and load, the vector form without sharing), "shared" (in[i+1] copied, the
 * others from its array shifted, with the shapes of {@code VecMem.ldf32s}), "direct" (one element loop per row
 * reading the four values through {@link Mem#ALL}). Prints the time of each round and whether the three agree. Run:
 * {@code java --enable-native-access=ALL-UNNAMED -cp backend-cpu/target/classes:backend-cpu/target/test-classes
 * org.transcuda.backend.cpu.StencilLoadsBench}. Results: docs/benchmarks.md (CPU section).
 */
final class StencilLoadsBench {
    private StencilLoadsBench() {
    }

    static final MemorySegment ALL = Mem.ALL;
    static final ValueLayout.OfFloat F32 = Mem.F32;
    static final int N = 4096, B = 16;
    static float[] r = new float[256], l = new float[256], u = new float[256], d = new float[256];
    static float sink;
    static void rows(long base, float[] dst) {
        for (int y = 0; y < B; y++) MemorySegment.copy(ALL, F32, base + 4L * N * y, dst, y * B, B);
    }
    static void copies(long a) { rows(a + 4, r); rows(a - 4, l); rows(a - 4L * N, u); rows(a + 4L * N, d); }
    static void shifted(long row0, float[] dst, float[] src, int sx, int sy) {
        int s = sy * B + sx, lo = Math.max(0, -s), hi = Math.min(256, 256 - s);
        System.arraycopy(src, lo + s, dst, lo, hi - lo);
        for (int y = 0; y < B; y++) {
            long row = row0 + 4L * N * y;
            if (y + sy < 0 || y + sy >= B) MemorySegment.copy(ALL, F32, row, dst, y * B, B);
            else {
                int from = sx < 0 ? 0 : B - sx, to = sx < 0 ? -sx : B;
                for (int x = from; x < to; x++) dst[y * B + x] = ALL.get(F32, row + 4L * x);
            }
        }
    }
    static void shared(long a) {
        rows(a + 4, r);
        shifted(a - 4, l, r, -2, 0);
        shifted(a - 4L * N, u, r, -1, -1);
        shifted(a + 4L * N, d, r, -1, 1);
    }
    static void direct(long a) {
        for (int y = 0; y < B; y++) {
            long row = a + 4L * N * y;
            int o = y * B;
            for (int x = 0; x < B; x++) {
                long p = row + 4L * x;
                r[o + x] = ALL.get(F32, p + 4);
                l[o + x] = ALL.get(F32, p - 4);
                u[o + x] = ALL.get(F32, p - 4L * N);
                d[o + x] = ALL.get(F32, p + 4L * N);
            }
        }
    }
    public static void main(String[] args) {
        MemorySegment m = Arena.global().allocate(4L * N * N, 64);
        for (int i = 0; i < N * N; i++) m.setAtIndex(ValueLayout.JAVA_FLOAT, i, i % 977);
        long base = m.address();
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        String[] names = {"copies", "shared", "direct"};
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        double[][] ns = new double[3][rounds];
        for (int rep = -4; rep < rounds; rep++) {
            for (int mode = 0; mode < 3; mode++) {
                long t0 = mx.getCurrentThreadCpuTime();
                for (int by = 1; by < N / B - 1; by++) {
                    for (int bx = 1; bx < N / B - 1; bx++) {
                        long a = base + 4L * ((long) by * B * N + bx * B);
                        if (mode == 0) copies(a);
                        else if (mode == 1) shared(a);
                        else direct(a);
                        sink += r[5] + l[7] + u[200] + d[100];
                    }
                }
                double t = (mx.getCurrentThreadCpuTime() - t0) / 254.0 / 254.0;
                if (rep >= 0) ns[mode][rep] = t;
            }
        }
        for (int mode = 0; mode < 3; mode++) {
            double[] v = ns[mode].clone();
            java.util.Arrays.sort(v);
            System.out.printf("%s: median %.0f ns/block (CPU time), min %.0f, max %.0f%n", names[mode], v[rounds / 2],
                    v[0], v[rounds - 1]);
        }
        double[] ratio = new double[rounds];
        for (int i = 0; i < rounds; i++) ratio[i] = ns[1][i] / ns[0][i];
        java.util.Arrays.sort(ratio);
        System.out.printf("shared / copies, same round: median %.2f (min %.2f, max %.2f)%n", ratio[rounds / 2], ratio[0],
                ratio[rounds - 1]);
        // check
        long a = base + 4L * (5 * B * N + 7 * B);
        copies(a); float[] r0 = r.clone(), l0 = l.clone(), u0 = u.clone(), d0 = d.clone();
        shared(a);
        boolean ok1 = java.util.Arrays.equals(r0, r) && java.util.Arrays.equals(l0, l) && java.util.Arrays.equals(u0, u) && java.util.Arrays.equals(d0, d);
        direct(a);
        System.out.println(ok1 + " " + (java.util.Arrays.equals(r0, r) && java.util.Arrays.equals(l0, l) && java.util.Arrays.equals(u0, u) && java.util.Arrays.equals(d0, d)));
    }
}
