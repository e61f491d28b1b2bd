package org.transcuda.corpus;

import java.util.ArrayList;
import java.util.List;

/** corpus/src/constant.cu: initialised __constant__ arrays and structs (values copied from the source). */
final class ConstantCases {

    private static final String PTX = "constant.ptx";

    /** c_poly from constant.cu. */
    static final float[] C_POLY = {1.0f, -0.5f, 0.25f, -0.125f, 0.0625f, -0.03125f, 0.015625f, -0.0078125f};
    /** c_affine from constant.cu: scale, offset, bias, shift. */
    static final double AFFINE_SCALE = 1.5, AFFINE_OFFSET = -2.25;
    static final long AFFINE_BIAS = 1000000000000L;
    static final int AFFINE_SHIFT = 3;

    private ConstantCases() {
    }

    /** c_lut[k] = (k * 37 + 11) & 255. */
    static int lut(int k) {
        return (k * 37 + 11) & 255;
    }

    static List<KernelCase> cases() {
        List<KernelCase> out = new ArrayList<>();
        Gen g = new Gen(0xC0C);
        out.add(poly("", g, 400, 128));
        out.add(lut("", g, 600, 128));
        out.add(struct("", g, 300, 64));
        return out;
    }

    static KernelCase poly(String v, Gen g, int n, int block) {
        float[] a = new float[n], out = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = i < Gen.FLOAT_EDGES.length ? Gen.FLOAT_EDGES[i] : (float) (g.nextDouble() * 8 - 4);
        }
        for (int i = 0; i < n; i++) {
            float acc = C_POLY[7];
            for (int k = 6; k >= 0; k--) {
                acc = Math.fma(acc, a[i], C_POLY[k]);
            }
            out[i] = acc;
        }
        return new CaseBuilder(PTX, "const_poly", v).cover(n, block).in("a", a).out("out", out).u32("n", n).build();
    }

    static KernelCase lut(String v, Gen g, int n, int block) {
        int[] a = new int[n], out = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i < 256 ? i * 257 : g.nextInt();
            out[i] = lut(a[i] & 255) + (lut((a[i] >> 8) & 255) << 8);
        }
        return new CaseBuilder(PTX, "const_lut", v).cover(n, block).in("a", a).out("out", out).u32("n", n).build();
    }

    static KernelCase struct(String v, Gen g, int n, int block) {
        double[] a = new double[n], d = new double[n];
        long[] b = g.longsWithEdges(n), l = new long[n];
        for (int i = 0; i < n; i++) {
            a[i] = i < Gen.DOUBLE_EDGES.length ? Gen.DOUBLE_EDGES[i] : g.anyDouble();
            d[i] = Math.fma(a[i], AFFINE_SCALE, AFFINE_OFFSET);
            l[i] = (b[i] << AFFINE_SHIFT) + AFFINE_BIAS;
        }
        return new CaseBuilder(PTX, "const_struct", v).cover(n, block).in("a", a).in("b", b).out("d", d)
                .out("l", l).u32("n", n).build();
    }
}
