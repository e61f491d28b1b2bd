package org.transcuda.corpus;

import java.util.ArrayList;
import java.util.List;

/** corpus/src/shared_dynamic.cu: extern __shared__ buffers sized at launch. */
final class SharedDynamicCases {

    private static final String PTX = "shared_dynamic.ptx";

    private SharedDynamicCases() {
    }

    static List<KernelCase> cases() {
        List<KernelCase> out = new ArrayList<>();
        Gen g = new Gen(0xD5);
        out.add(reverse("", g, 500, 128));
        out.add(reverse("block100", g, 250, 100));
        out.add(scan("", g, 600, 256));
        out.add(scan("block100", g, 450, 100));
        out.add(scan("block1", g, 3, 1));
        out.add(typed("", g, 500, 128));
        out.add(typed("block100", g, 333, 100));
        out.add(transpose("", g, 37, 50));
        out.add(transpose("16x16", g, 16, 16));
        out.add(transpose("1x40", g, 1, 40));
        return out;
    }

    static KernelCase reverse(String v, Gen g, int n, int block) {
        float[] a = new float[n], out = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = g.anyFloat();
        }
        for (int i = 0; i < n; i++) {
            int b = i / block * block, t = i % block, j = b + block - 1 - t;
            out[i] = j < n ? a[j] : 0f;
        }
        return new CaseBuilder(PTX, "dyn_shared_reverse", v).cover(n, block).shared(block * 4).in("a", a)
                .out("out", Le.f32(out), 4).u32("n", n).build();
    }

    static KernelCase scan(String v, Gen g, int n, int block) {
        int[] a = g.intsWithEdges(n), out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = (i % block == 0 ? 0 : out[i - 1]) + a[i];
        }
        return new CaseBuilder(PTX, "dyn_shared_scan", v).cover(n, block).shared(2 * block * 4).in("a", a)
                .out("out", out).u32("n", n).build();
    }

    static KernelCase typed(String v, Gen g, int n, int block) {
        int[] a = g.intsWithEdges(n);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            int b = i / block * block, t = i % block, u = (t + 1) % block;
            int xu = b + u < n ? a[b + u] : 0, xt = a[i];
            double r = (double) xu * 0.5;
            r += (short) (xu & 0x7fff);
            r += (byte) xu;
            r += xt;
            out[i] = r;
        }
        return new CaseBuilder(PTX, "dyn_shared_typed", v).cover(n, block).shared(block * 16).in("a", a)
                .out("out", out).u32("n", n).build();
    }

    static KernelCase transpose(String v, Gen g, int rows, int cols) {
        float[] in = new float[rows * cols], out = new float[rows * cols];
        for (int k = 0; k < in.length; k++) {
            in[k] = k + 0.25f * g.range(0, 3);
        }
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[c * rows + r] = in[r * cols + c];
            }
        }
        return new CaseBuilder(PTX, "dyn_shared_transpose", v).grid(Dim3.of((cols + 15) / 16, (rows + 15) / 16))
                .block(Dim3.of(16, 16)).shared(16 * 17 * 4).in("in", in).out("out", Le.f32(out), 4)
                .u32("rows", rows).u32("cols", cols).build();
    }
}
