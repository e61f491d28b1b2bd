package org.transcuda.backend.cpu;

/**
 * A Java reference for the benchmark suite's {@code reduce} (bench/kernels/suite.cu) in blocks of 256 threads: each
 * thread's {@code v = in[i]} (0 at or past {@code n}, compared unsigned as the PTX's {@code setp.ge.u32} does) plus
 * {@code in[i + 256]} when inside, then the shared tree {@code s[t] = s[t + d] + s[t]} for d = 128 .. 1, each f32
 * add's NaN canonical ({@code 0x7fffffff}, the backend's NaN rule); the result per block as raw float bits. The lockstep
 * tests that count their fast paths on this kernel share it.
 */
final class SuiteReduce {
    static final int CANONICAL = 0x7fffffff;

    private SuiteReduce() {
    }

    static float add(float a, float b) {
        float r = a + b;
        return r != r ? Float.intBitsToFloat(CANONICAL) : r;
    }

    static int[] reference(float[] in, int n, int grid) {
        long un = n & 0xffff_ffffL;
        int[] out = new int[grid];
        float[] s = new float[256];
        for (int b = 0; b < grid; b++) {
            for (int t = 0; t < 256; t++) {
                long i = b * 512L + t;
                float v = i < un ? in[(int) i] : 0.0f;
                if (i + 256 < un) v = add(v, in[(int) i + 256]);
                s[t] = v;
            }
            for (int d = 128; d > 0; d >>= 1) for (int t = 0; t < d; t++) s[t] = add(s[t + d], s[t]);
            out[b] = Float.floatToRawIntBits(s[0]);
        }
        return out;
    }
}
