package org.transcuda.corpus;

import java.util.Random;

/** Deterministic input data: edge-case pools followed by seeded pseudo-random values. */
final class Gen {

    private final Random rnd;

    Gen(long seed) {
        rnd = new Random(seed);
    }

    static final int[] INT_EDGES = {0, 1, -1, 2, -2, 3, -3, 7, -7, 10, 100, -100, 127, 128, -128, -129, 255, 256,
        32767, 32768, -32768, -32769, 65535, 65536, 0x7fffffff, 0x80000000, 0x7ffffffe, 0x80000001, 0xffff0000,
        0x12345678, 0x89abcdef, 0xdeadbeef, 0x55555555, 0xaaaaaaaa, 0x00ff00ff, 0x0f0f0f0f, 1 << 24, (1 << 24) + 1,
        -(1 << 24) - 1, 0x40000000};

    static final long[] LONG_EDGES = {0L, 1L, -1L, 2L, -2L, 3L, 7L, -7L, Long.MAX_VALUE, Long.MIN_VALUE,
        Long.MAX_VALUE - 1, Long.MIN_VALUE + 1, 0xffffffffL, 0x100000000L, -0x100000000L, 0x7fffffffL, 0x80000000L,
        0x123456789abcdef0L, 0xfedcba9876543210L, 0x5555555555555555L, 0xaaaaaaaaaaaaaaaaL, 1L << 53, (1L << 53) + 1,
        -(1L << 53) - 1, 1L << 62, (1L << 63) + 12345, 0x00000000ffffffffL, 0xffffffff00000000L};

    static final float[] FLOAT_EDGES = {0f, -0f, 1f, -1f, 0.5f, -0.5f, 1.5f, 2.5f, -2.5f, 3f, 0.1f, -0.1f,
        (float) Math.PI, 1f / 3f, Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_NORMAL, -Float.MIN_NORMAL,
        Float.MIN_VALUE, -Float.MIN_VALUE, 1e-40f, -3.5e-39f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.NaN, 16777216f, 16777218f, 8388607.5f, 0.49999997f, 1.0000001f, 0.99999994f, 1e30f, -1e-30f, 65504f,
        123456.79f, -7.25f, 1e10f, 4294967296f, 2147483648f, -2147483648f, 9.223372e18f, 1.8446744e19f};

    static final double[] DOUBLE_EDGES = {0d, -0d, 1d, -1d, 0.5, -0.5, 1.5, 2.5, -2.5, 3d, 0.1, -0.1, Math.PI,
        1d / 3d, Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_NORMAL, -Double.MIN_NORMAL, Double.MIN_VALUE,
        -Double.MIN_VALUE, 1e-310, -2.5e-315, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN,
        9007199254740992d, 9007199254740994d, 4503599627370495.5, 0.49999999999999994, 1.0000000000000002,
        0.9999999999999999, 1e300, -1e-300, 3.4028234663852886e38, 3.4028235677973366e38, 1.401298464324817e-45,
        7.006492321624085e-46, 1e20, 2147483647.5, -2147483648.5, 4294967295.5, 9.223372036854775807e18,
        1.8446744073709552e19, -9.223372036854776e18, 123456789.123};

    int nextInt() {
        return rnd.nextInt();
    }

    int nextInt(int bound) {
        return rnd.nextInt(bound);
    }

    /** Uniform in [lo, hi] (inclusive). */
    int range(int lo, int hi) {
        long span = (long) hi - lo + 1;
        return span <= Integer.MAX_VALUE ? lo + rnd.nextInt((int) span) : (int) (lo + (long) (rnd.nextDouble() * span));
    }

    long nextLong() {
        return rnd.nextLong();
    }

    double nextDouble() {
        return rnd.nextDouble();
    }

    boolean nextBoolean() {
        return rnd.nextBoolean();
    }

    /** Mostly "interesting" random ints: small, large, powers of two and their neighbours, raw bits. */
    int anyInt() {
        return switch (rnd.nextInt(6)) {
            case 0 -> rnd.nextInt(201) - 100;
            case 1 -> (1 << rnd.nextInt(31)) + rnd.nextInt(3) - 1;
            case 2 -> -(1 << rnd.nextInt(31)) + rnd.nextInt(3) - 1;
            case 3 -> rnd.nextInt(65536) - 32768;
            default -> rnd.nextInt();
        };
    }

    long anyLong() {
        return switch (rnd.nextInt(5)) {
            case 0 -> rnd.nextInt(201) - 100;
            case 1 -> (1L << rnd.nextInt(63)) + rnd.nextInt(3) - 1;
            case 2 -> rnd.nextInt();
            default -> rnd.nextLong();
        };
    }

    /** Random finite float: varied magnitudes, signs, some integers and halves, occasional subnormals. */
    float anyFloat() {
        return switch (rnd.nextInt(8)) {
            case 0 -> (float) (rnd.nextInt(2001) - 1000) / 4f;
            case 1 -> Float.intBitsToFloat(rnd.nextInt() & 0x807fffff); // subnormal or zero
            case 2 -> (float) ((rnd.nextDouble() * 2 - 1) * StrictMath.pow(2, rnd.nextInt(60) - 30));
            case 3 -> (float) ((rnd.nextDouble() * 2 - 1) * StrictMath.pow(2, rnd.nextInt(250) - 125));
            default -> {
                float f;
                do {
                    f = Float.intBitsToFloat(rnd.nextInt());
                } while (Float.isNaN(f) || Float.isInfinite(f));
                yield f;
            }
        };
    }

    /** Random finite float of moderate magnitude, [2^-20, 2^20], random sign. */
    float moderateFloat() {
        double m = StrictMath.pow(2, rnd.nextDouble() * 40 - 20);
        return (float) (rnd.nextBoolean() ? m : -m);
    }

    double anyDouble() {
        return switch (rnd.nextInt(8)) {
            case 0 -> (double) (rnd.nextInt(2001) - 1000) / 4d;
            case 1 -> Double.longBitsToDouble(rnd.nextLong() & 0x800fffffffffffffL);
            case 2 -> (rnd.nextDouble() * 2 - 1) * StrictMath.pow(2, rnd.nextInt(120) - 60);
            case 3 -> (rnd.nextDouble() * 2 - 1) * StrictMath.pow(2, rnd.nextInt(2000) - 1000);
            default -> {
                double d;
                do {
                    d = Double.longBitsToDouble(rnd.nextLong());
                } while (Double.isNaN(d) || Double.isInfinite(d));
                yield d;
            }
        };
    }

    double moderateDouble() {
        double m = StrictMath.pow(2, rnd.nextDouble() * 40 - 20);
        return rnd.nextBoolean() ? m : -m;
    }

    /** All ordered pairs of the edge values, then {@code extra} random pairs; returns {a[], b[]}. */
    static float[][] pairs(float[] edges, int extra, Gen g) {
        int n = edges.length * edges.length + extra;
        float[] a = new float[n], b = new float[n];
        int k = 0;
        for (float x : edges) {
            for (float y : edges) {
                a[k] = x;
                b[k++] = y;
            }
        }
        for (; k < n; k++) {
            a[k] = g.anyFloat();
            b[k] = g.rnd.nextInt(4) == 0 ? a[k] * (1 + (float) g.rnd.nextGaussian() * 1e-6f) : g.anyFloat();
        }
        return new float[][] {a, b};
    }

    static double[][] pairs(double[] edges, int extra, Gen g) {
        int n = edges.length * edges.length + extra;
        double[] a = new double[n], b = new double[n];
        int k = 0;
        for (double x : edges) {
            for (double y : edges) {
                a[k] = x;
                b[k++] = y;
            }
        }
        for (; k < n; k++) {
            a[k] = g.anyDouble();
            b[k] = g.rnd.nextInt(4) == 0 ? a[k] * (1 + g.rnd.nextGaussian() * 1e-14) : g.anyDouble();
        }
        return new double[][] {a, b};
    }

    static int[][] pairs(int[] edges, int extra, Gen g) {
        int n = edges.length * edges.length + extra;
        int[] a = new int[n], b = new int[n];
        int k = 0;
        for (int x : edges) {
            for (int y : edges) {
                a[k] = x;
                b[k++] = y;
            }
        }
        for (; k < n; k++) {
            a[k] = g.anyInt();
            b[k] = g.anyInt();
        }
        return new int[][] {a, b};
    }

    static long[][] pairs(long[] edges, int extra, Gen g) {
        int n = edges.length * edges.length + extra;
        long[] a = new long[n], b = new long[n];
        int k = 0;
        for (long x : edges) {
            for (long y : edges) {
                a[k] = x;
                b[k++] = y;
            }
        }
        for (; k < n; k++) {
            a[k] = g.anyLong();
            b[k] = g.anyLong();
        }
        return new long[][] {a, b};
    }

    int[] ints(int n) {
        int[] a = new int[n];
        for (int k = 0; k < n; k++) {
            a[k] = anyInt();
        }
        return a;
    }

    long[] longs(int n) {
        long[] a = new long[n];
        for (int k = 0; k < n; k++) {
            a[k] = anyLong();
        }
        return a;
    }

    /** Edge values first (cycled if n is larger), then random. */
    int[] intsWithEdges(int n) {
        int[] a = new int[n];
        for (int k = 0; k < n; k++) {
            a[k] = k < INT_EDGES.length ? INT_EDGES[k] : anyInt();
        }
        return a;
    }

    long[] longsWithEdges(int n) {
        long[] a = new long[n];
        for (int k = 0; k < n; k++) {
            a[k] = k < LONG_EDGES.length ? LONG_EDGES[k] : anyLong();
        }
        return a;
    }

    float[] floatsWithEdges(int n) {
        float[] a = new float[n];
        for (int k = 0; k < n; k++) {
            a[k] = k < FLOAT_EDGES.length ? FLOAT_EDGES[k] : anyFloat();
        }
        return a;
    }

    double[] doublesWithEdges(int n) {
        double[] a = new double[n];
        for (int k = 0; k < n; k++) {
            a[k] = k < DOUBLE_EDGES.length ? DOUBLE_EDGES[k] : anyDouble();
        }
        return a;
    }

    /** Small ints in [lo, hi]. */
    int[] small(int n, int lo, int hi) {
        int[] a = new int[n];
        for (int k = 0; k < n; k++) {
            a[k] = range(lo, hi);
        }
        return a;
    }

    /** Rotates the array by r positions (to pair edge values differently). */
    static int[] rotate(int[] a, int r) {
        int[] b = new int[a.length];
        for (int k = 0; k < a.length; k++) {
            b[k] = a[(k + r) % a.length];
        }
        return b;
    }

    static long[] rotate(long[] a, int r) {
        long[] b = new long[a.length];
        for (int k = 0; k < a.length; k++) {
            b[k] = a[(k + r) % a.length];
        }
        return b;
    }

    static float[] rotate(float[] a, int r) {
        float[] b = new float[a.length];
        for (int k = 0; k < a.length; k++) {
            b[k] = a[(k + r) % a.length];
        }
        return b;
    }

    static double[] rotate(double[] a, int r) {
        double[] b = new double[a.length];
        for (int k = 0; k < a.length; k++) {
            b[k] = a[(k + r) % a.length];
        }
        return b;
    }
}
