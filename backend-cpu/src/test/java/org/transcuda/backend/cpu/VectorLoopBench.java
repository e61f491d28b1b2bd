package org.transcuda.backend.cpu;

import java.lang.foreign.MemorySegment;

/**
 * Microbenchmark behind {@link VectorPaths}' loop shapes (not a test): per-element CPU time of 256-element loops of
 * the kinds the vector form emits, data in cache. Which shapes C2 vectorizes shows in the times (a vectorized f32
 * loop is several times faster than the scalar one). Run:
 * {@code java --enable-native-access=ALL-UNNAMED -cp backend-cpu/target/classes:backend-cpu/target/test-classes
 * org.transcuda.backend.cpu.VectorLoopBench}. Results: docs/benchmarks.md (CPU section, vector form).
 */
final class VectorLoopBench {
    private static final int N = 256;
    private static final Object[] REGS = new Object[4];
    private static final java.lang.management.ThreadMXBean TM =
            java.lang.management.ManagementFactory.getThreadMXBean();

    private VectorLoopBench() {
    }

    /** fma, no NaN canonicalization (the upper bound). */
    static void plain(Object[] r, float s) {
        float[] a = (float[]) r[0], b = (float[]) r[1], c = (float[]) r[2];
        for (int i = 0; i < N; i++) c[i] = Math.fma(a[i], s, b[i]);
    }

    /** fma canonicalized per result, as the scalar code does ({@code Fp.cf}). */
    static void ternary(Object[] r, float s) {
        float[] a = (float[]) r[0], b = (float[]) r[1], c = (float[]) r[2];
        for (int i = 0; i < N; i++) c[i] = Fp.cf(Math.fma(a[i], s, b[i]));
    }

    /** fma with a Math.max reduction in the same loop, NaNs rewritten afterwards when it is NaN (the vector form). */
    static void maxReduction(Object[] r, float s) {
        float[] a = (float[]) r[0], b = (float[]) r[1], c = (float[]) r[2];
        float m = 0;
        for (int i = 0; i < N; i++) {
            c[i] = Math.fma(a[i], s, b[i]);
            m = Math.max(m, c[i]);
        }
        if (m != m) VecMem.canonical(c, N);
    }

    /** The reduction as a loop of its own. */
    static void separateReduction(Object[] r, float s) {
        float[] a = (float[]) r[0], b = (float[]) r[1], c = (float[]) r[2];
        for (int i = 0; i < N; i++) c[i] = Math.fma(a[i], s, b[i]);
        float m = 0;
        for (int i = 0; i < N; i++) m = Math.max(m, c[i]);
        if (m != m) VecMem.canonical(c, N);
    }

    /** Loads straight from memory in the loop (the scalar path's shape: two bases in one segment). */
    static void segmentLoop(long x, long y, float s) {
        for (int i = 0; i < N; i++) {
            long o = 4L * i;
            Mem.ALL.set(Mem.F32, y + o, Math.fma(Mem.ALL.get(Mem.F32, x + o), s, Mem.ALL.get(Mem.F32, y + o)));
        }
    }

    /** Block-wide copies in and out around the array loop (the vector form of saxpy). */
    static void copies(Object[] r, long x, long y, float s) {
        float[] a = (float[]) r[0], b = (float[]) r[1];
        MemorySegment.copy(Mem.ALL, Mem.F32, x, a, 0, N);
        MemorySegment.copy(Mem.ALL, Mem.F32, y, b, 0, N);
        maxReduction(r, s);
        MemorySegment.copy((float[]) r[2], 0, Mem.ALL, Mem.F32, y, N);
    }

    /** Sixteen rows of 16 elements copied in (a 16x16 block's x-runs). */
    static void rowCopies(Object[] r, long x) {
        float[] a = (float[]) r[0];
        for (int k = 0; k < 16; k++) MemorySegment.copy(Mem.ALL, Mem.F32, x + 4096L * k, a, 16 * k, 16);
    }

    private static void time(String name, Runnable r) {
        for (int w = 0; w < 3; w++) for (int k = 0; k < 200_000; k++) r.run();
        long best = Long.MAX_VALUE;
        for (int w = 0; w < 7; w++) {
            long t0 = TM.getCurrentThreadCpuTime();
            for (int k = 0; k < 200_000; k++) r.run();
            best = Math.min(best, TM.getCurrentThreadCpuTime() - t0);
        }
        System.out.printf("%-18s %.3f ns/element%n", name, best / 200_000.0 / N);
    }

    public static void main(String[] args) {
        for (int i = 0; i < REGS.length; i++) {
            float[] f = new float[N];
            for (int j = 0; j < N; j++) f[j] = j * 0.25f + i;
            REGS[i] = f;
        }
        MemorySegment buf = java.lang.foreign.Arena.global().allocate(1 << 20, 64);
        long x = buf.address() + 4096, y = buf.address() + 65536;
        time("plain", () -> plain(REGS, 2f));
        time("ternary", () -> ternary(REGS, 2f));
        time("maxReduction", () -> maxReduction(REGS, 2f));
        time("separateReduction", () -> separateReduction(REGS, 2f));
        time("segmentLoop", () -> segmentLoop(x, y, 2f));
        time("copies", () -> copies(REGS, x, y, 2f));
        time("rowCopies", () -> rowCopies(REGS, x));
    }
}
