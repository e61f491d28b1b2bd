package org.transcuda.backend.cpu;

/**
 * Microbenchmark behind the lockstep engine's interleaved lane loops (not a test): matmul's segment between its two barriers, 16 × 16 threads,
 * per thread {@code acc = fma(As[ty][k], Bs[k][tx], acc)} for k < 16 over an {@code int[]} shared window, the
 * accumulator in its lane register array, in the loop shapes the lockstep engine could emit: thread-major (the
 * current code: each thread's 16 dependent {@code fma} before the next thread's), statement-major (for k: for tx),
 * and thread-major with J threads' chains interleaved in one loop body (unroll-and-jam of the thread loop, J = 2, 4,
 * 8), and statement-major over one row of threads in forms C2 might vectorize ({@code rowSimd}, {@code rowNoStage},
 * {@code rowScratch}). Prints ns per fma (thread CPU time, median of rounds) and checks that every shape gives the same
 * bits ({@code -Dtile=32}: 32 × 32 threads; {@code -Dnans=true}: NaN inputs with payloads and -0.0 among them). Run:
 * {@code java -cp backend-cpu/target/classes:backend-cpu/target/test-classes
 * org.transcuda.backend.cpu.TileFmaBench}. Results: docs/benchmarks.md (CPU section).
 */
final class TileFmaBench {
    private static int T = Integer.getInteger("tile", 16);
    private static final java.lang.management.ThreadMXBean TM =
            java.lang.management.ManagementFactory.getThreadMXBean();

    private TileFmaBench() {
    }

    static void threadMajor(int[] sh, int aBase, int bBase, float[] acc) {
        for (int ty = 0; ty < T; ty++) {
            int row = ty * T;
            for (int tx = 0; tx < T; tx++) {
                int t = row + tx;
                float a = acc[t];
                for (int k = 0; k < T; k++) {
                    a = Math.fma(Float.intBitsToFloat(sh[aBase + ty * T + k]),
                            Float.intBitsToFloat(sh[bBase + k * T + tx]), a);
                }
                acc[t] = Fp.cf(a);
            }
        }
    }

    static void statementMajor(int[] sh, int aBase, int bBase, float[] acc) {
        for (int ty = 0; ty < T; ty++) {
            int row = ty * T;
            for (int k = 0; k < T; k++) {
                float x = Float.intBitsToFloat(sh[aBase + ty * T + k]);
                for (int tx = 0; tx < T; tx++) {
                    acc[row + tx] = Math.fma(x, Float.intBitsToFloat(sh[bBase + k * T + tx]), acc[row + tx]);
                }
            }
            for (int tx = 0; tx < T; tx++) acc[row + tx] = Fp.cf(acc[row + tx]);
        }
    }

    static void jam2(int[] sh, int aBase, int bBase, float[] acc) {
        for (int ty = 0; ty < T; ty++) {
            int row = ty * T;
            int tx = 0;
            for (; tx + 1 < T; tx += 2) {
                int t = row + tx;
                float a0 = acc[t], a1 = acc[t + 1];
                for (int k = 0; k < T; k++) {
                    float x = Float.intBitsToFloat(sh[aBase + ty * T + k]);
                    a0 = Math.fma(x, Float.intBitsToFloat(sh[bBase + k * T + tx]), a0);
                    a1 = Math.fma(x, Float.intBitsToFloat(sh[bBase + k * T + tx + 1]), a1);
                }
                acc[t] = Fp.cf(a0);
                acc[t + 1] = Fp.cf(a1);
            }
        }
    }

    static void jam4(int[] sh, int aBase, int bBase, float[] acc) {
        for (int ty = 0; ty < T; ty++) {
            int row = ty * T;
            for (int tx = 0; tx + 3 < T; tx += 4) {
                int t = row + tx;
                float a0 = acc[t], a1 = acc[t + 1], a2 = acc[t + 2], a3 = acc[t + 3];
                for (int k = 0; k < T; k++) {
                    float x0 = Float.intBitsToFloat(sh[aBase + ty * T + k]);
                    float x1 = Float.intBitsToFloat(sh[aBase + ty * T + k]);
                    float x2 = Float.intBitsToFloat(sh[aBase + ty * T + k]);
                    float x3 = Float.intBitsToFloat(sh[aBase + ty * T + k]);
                    int b = bBase + k * T + tx;
                    a0 = Math.fma(x0, Float.intBitsToFloat(sh[b]), a0);
                    a1 = Math.fma(x1, Float.intBitsToFloat(sh[b + 1]), a1);
                    a2 = Math.fma(x2, Float.intBitsToFloat(sh[b + 2]), a2);
                    a3 = Math.fma(x3, Float.intBitsToFloat(sh[b + 3]), a3);
                }
                acc[t] = Fp.cf(a0);
                acc[t + 1] = Fp.cf(a1);
                acc[t + 2] = Fp.cf(a2);
                acc[t + 3] = Fp.cf(a3);
            }
        }
    }

    /** jam4 as the generated code would be: straight-line (k unrolled by nvcc), each lane's loads its own. */
    static void jam4Unrolled(int[] sh, int aBase, int bBase, float[] acc) {
        for (int ty = 0; ty < T; ty++) {
            int row = ty * T;
            int ab = aBase + ty * T;
            for (int tx = 0; tx + 3 < T; tx += 4) {
                int t = row + tx;
                float a0 = acc[t], a1 = acc[t + 1], a2 = acc[t + 2], a3 = acc[t + 3];
                a0 = Math.fma(Float.intBitsToFloat(sh[ab]), Float.intBitsToFloat(sh[bBase + tx]), a0);
                a1 = Math.fma(Float.intBitsToFloat(sh[ab]), Float.intBitsToFloat(sh[bBase + tx + 1]), a1);
                a2 = Math.fma(Float.intBitsToFloat(sh[ab]), Float.intBitsToFloat(sh[bBase + tx + 2]), a2);
                a3 = Math.fma(Float.intBitsToFloat(sh[ab]), Float.intBitsToFloat(sh[bBase + tx + 3]), a3);
                for (int k = 1; k < T; k++) {
                    int b = bBase + k * T + tx;
                    a0 = Math.fma(Float.intBitsToFloat(sh[ab + k]), Float.intBitsToFloat(sh[b]), a0);
                    a1 = Math.fma(Float.intBitsToFloat(sh[ab + k]), Float.intBitsToFloat(sh[b + 1]), a1);
                    a2 = Math.fma(Float.intBitsToFloat(sh[ab + k]), Float.intBitsToFloat(sh[b + 2]), a2);
                    a3 = Math.fma(Float.intBitsToFloat(sh[ab + k]), Float.intBitsToFloat(sh[b + 3]), a3);
                }
                acc[t] = Fp.cf(a0);
                acc[t + 1] = Fp.cf(a1);
                acc[t + 2] = Fp.cf(a2);
                acc[t + 3] = Fp.cf(a3);
            }
        }
    }

    static void jam8(int[] sh, int aBase, int bBase, float[] acc) {
        for (int ty = 0; ty < T; ty++) {
            int row = ty * T;
            for (int tx = 0; tx + 7 < T; tx += 8) {
                int t = row + tx;
                float a0 = acc[t], a1 = acc[t + 1], a2 = acc[t + 2], a3 = acc[t + 3];
                float a4 = acc[t + 4], a5 = acc[t + 5], a6 = acc[t + 6], a7 = acc[t + 7];
                for (int k = 0; k < T; k++) {
                    float x = Float.intBitsToFloat(sh[aBase + ty * T + k]);
                    int b = bBase + k * T + tx;
                    a0 = Math.fma(x, Float.intBitsToFloat(sh[b]), a0);
                    a1 = Math.fma(x, Float.intBitsToFloat(sh[b + 1]), a1);
                    a2 = Math.fma(x, Float.intBitsToFloat(sh[b + 2]), a2);
                    a3 = Math.fma(x, Float.intBitsToFloat(sh[b + 3]), a3);
                    a4 = Math.fma(x, Float.intBitsToFloat(sh[b + 4]), a4);
                    a5 = Math.fma(x, Float.intBitsToFloat(sh[b + 5]), a5);
                    a6 = Math.fma(x, Float.intBitsToFloat(sh[b + 6]), a6);
                    a7 = Math.fma(x, Float.intBitsToFloat(sh[b + 7]), a7);
                }
                acc[t] = Fp.cf(a0);
                acc[t + 1] = Fp.cf(a1);
                acc[t + 2] = Fp.cf(a2);
                acc[t + 3] = Fp.cf(a3);
                acc[t + 4] = Fp.cf(a4);
                acc[t + 5] = Fp.cf(a5);
                acc[t + 6] = Fp.cf(a6);
                acc[t + 7] = Fp.cf(a7);
            }
        }
    }


    /** Per segment: the B tile staged once as float[] (what a row-SIMD form would copy per call). */
    private static float[] bsF = new float[32 * 32];
    private static float[] nanMax = new float[1];

    /**
     * Statement-major over one row of threads with SIMD in mind: the Bs tile copied once per call into a float[]
     * ({@code Float.intBitsToFloat} per word), then per row and k one broadcast {@code a = As[ty][k]} and a tx loop
     * {@code acc[row + tx] = fma(a, bs[k][tx], acc[row + tx])} over float[] that C2's superword may vectorize
     * (FmaVF); NaNs canonicalized per row after the chain, only when a Math.max reduction saw one.
     */
    static void rowSimd(int[] sh, int aBase, int bBase, float[] acc) {
        float[] bs = bsF;
        int n = T * T;
        for (int i = 0; i < n; i++) bs[i] = Float.intBitsToFloat(sh[bBase + i]);
        for (int ty = 0; ty < T; ty++) {
            int row = ty * T;
            int ab = aBase + ty * T;
            for (int k = 0; k < T; k++) {
                float x = Float.intBitsToFloat(sh[ab + k]);
                int b = k * T;
                for (int tx = 0; tx < T; tx++) acc[row + tx] = Math.fma(x, bs[b + tx], acc[row + tx]);
            }
            float m = 0f;
            for (int tx = 0; tx < T; tx++) m = Math.max(m, acc[row + tx]);
            if (m != m) LoopNaN.canonical(acc, row, row + T);
        }
    }

    /** rowSimd without the staging copy: B read from the int[] window per fma. */
    static void rowNoStage(int[] sh, int aBase, int bBase, float[] acc) {
        for (int ty = 0; ty < T; ty++) {
            int row = ty * T;
            int ab = aBase + ty * T;
            for (int k = 0; k < T; k++) {
                float x = Float.intBitsToFloat(sh[ab + k]);
                int b = bBase + k * T;
                for (int tx = 0; tx < T; tx++) {
                    acc[row + tx] = Math.fma(x, Float.intBitsToFloat(sh[b + tx]), acc[row + tx]);
                }
            }
            float m = 0f;
            for (int tx = 0; tx < T; tx++) m = Math.max(m, acc[row + tx]);
            if (m != m) LoopNaN.canonical(acc, row, row + T);
        }
    }

    /**
     * rowSimd with the chain's 16 statements each a tx loop over per-register row scratch arrays, as a general
     * statement-major emission would make of nvcc's unrolled PTX (f10 = fma(f9, f8, f56); f13 = fma(f12, f11, f10)
     * ...): each intermediate register in a float[ntx] scratch, the loads of Bs into a float[ntx] scratch per k.
     */
    static float[][] scratch = new float[72][32];

    static void rowScratch(int[] sh, int aBase, int bBase, float[] acc) {
        float[][] s = scratch;
        for (int ty = 0; ty < T; ty++) {
            int row = ty * T;
            int ab = aBase + ty * T;
            float[] prev = null;
            for (int k = 0; k < T; k++) {
                float x = Float.intBitsToFloat(sh[ab + k]);
                float[] bk = s[2 * k];
                int b = bBase + k * T;
                for (int tx = 0; tx < T; tx++) bk[tx] = Float.intBitsToFloat(sh[b + tx]);
                float[] out = k == T - 1 ? null : s[2 * k + 1];
                if (k == 0) {
                    for (int tx = 0; tx < T; tx++) out[tx] = Math.fma(x, bk[tx], acc[row + tx]);
                } else if (out != null) {
                    for (int tx = 0; tx < T; tx++) out[tx] = Math.fma(x, bk[tx], prev[tx]);
                } else {
                    for (int tx = 0; tx < T; tx++) acc[row + tx] = Math.fma(x, bk[tx], prev[tx]);
                }
                prev = out;
            }
            float m = 0f;
            for (int tx = 0; tx < T; tx++) m = Math.max(m, acc[row + tx]);
            if (m != m) LoopNaN.canonical(acc, row, row + T);
        }
    }

    interface Shape {
        void run(int[] sh, int aBase, int bBase, float[] acc);
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        int reps = 20000 * 4096 / (T * T * T);
        String[] names = {"threadMajor", "statementMajor", "jam2", "jam4", "jam4Unrolled", "jam8", "rowSimd",
            "rowNoStage", "rowScratch"};
        Shape[] shapes = {TileFmaBench::threadMajor, TileFmaBench::statementMajor, TileFmaBench::jam2,
            TileFmaBench::jam4, TileFmaBench::jam4Unrolled, TileFmaBench::jam8, TileFmaBench::rowSimd,
            TileFmaBench::rowNoStage, TileFmaBench::rowScratch};
        int[] sh = new int[T * T * 2];
        java.util.Random rnd = new java.util.Random(1);
        for (int i = 0; i < sh.length; i++) sh[i] = Float.floatToRawIntBits(rnd.nextFloat() * 2 - 1);
        if (Boolean.getBoolean("nans")) {
            // a few NaN inputs with payloads (quiet and signalling, both signs), -0.0: the rows they reach end NaN
            sh[3] = 0x7fc0_1234;
            sh[T * T + 5] = 0xff80_0001;
            sh[T * T + 7] = 0x8000_0000;
        }
        int[] ref = null;
        double[][] ns = new double[shapes.length][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int s = 0; s < shapes.length; s++) {
                float[] acc = new float[T * T];
                long c0 = TM.getCurrentThreadCpuTime();
                for (int i = 0; i < reps; i++) shapes[s].run(sh, 0, T * T, acc);
                long c1 = TM.getCurrentThreadCpuTime();
                ns[s][r] = (c1 - c0) / (double) reps / (T * T * T);
                int[] bits = new int[T * T];
                for (int i = 0; i < bits.length; i++) bits[i] = Float.floatToRawIntBits(acc[i]);
                if (ref == null) ref = bits;
                else if (!java.util.Arrays.equals(ref, bits)) throw new AssertionError(names[s] + " differs");
            }
        }
        for (int s = 0; s < shapes.length; s++) {
            double[] v = ns[s].clone();
            java.util.Arrays.sort(v);
            System.out.printf("%-15s ns/fma median %.3f min %.3f (last %d rounds of %d: %s)%n", names[s],
                    v[v.length / 2], v[0], rounds, rounds, java.util.Arrays.toString(ns[s]).replaceAll("(\\.\\d{3})\\d+", "$1"));
        }
    }
}
