package org.transcuda.corpus;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** corpus/src/local.cu: per-thread local arrays and structs. */
final class LocalCases {

    private static final String PTX = "local.ptx";

    private LocalCases() {
    }

    static List<KernelCase> cases() {
        List<KernelCase> out = new ArrayList<>();
        Gen g = new Gen(0x10C);
        out.add(dynamicIndex("", g, 400, 128));
        out.add(sort8("", g, 300, 64));
        out.add(structEscape("", g, 200, 64, 7));
        out.add(structEscape("len1", g, 40, 32, 1));
        out.add(doubleWalk("", g, 300, 64));
        return out;
    }

    static KernelCase dynamicIndex(String v, Gen g, int n, int block) {
        int[] a = g.intsWithEdges(n), idx = g.ints(n), out = new int[n];
        for (int i = 0; i < n; i++) {
            int j = idx[i], x = a[i];
            int k1 = j & 31, k2 = (j >> 5) & 31;
            out[i] = (x * k1 + k1 * k1) + (x * k2 + k2 * k2);
        }
        return new CaseBuilder(PTX, "local_dynamic_index", v).cover(n, block).in("a", a).in("idx", idx)
                .out("out", out).u32("n", n).build();
    }

    static KernelCase sort8(String v, Gen g, int n, int block) {
        int[] a = new int[8 * n];
        for (int k = 0; k < 8 * n; k++) {
            a[k] = switch ((k / 8) % 4) {
                case 0 -> g.range(-3, 3); // duplicates
                case 1 -> 100 - k % 8; // reversed
                case 2 -> k < Gen.INT_EDGES.length * 4 ? Gen.INT_EDGES[k % Gen.INT_EDGES.length] : g.nextInt();
                default -> g.nextInt();
            };
        }
        int[] out = new int[8 * n];
        for (int i = 0; i < n; i++) {
            int[] s = Arrays.copyOfRange(a, 8 * i, 8 * i + 8);
            Arrays.sort(s);
            System.arraycopy(s, 0, out, 8 * i, 8);
        }
        return new CaseBuilder(PTX, "local_sort8", v).cover(n, block).in("a", a).out("out", out).u32("n", n).build();
    }

    static KernelCase structEscape(String v, Gen g, int n, int block, int len) {
        int[] a = new int[n * len];
        for (int k = 0; k < a.length; k++) {
            a[k] = k % 11 == 0 ? g.nextInt() : g.range(-1000, 1000);
        }
        long[] sum = new long[n];
        int[] cnt = new int[n];
        float[] mean = new float[n];
        for (int i = 0; i < n; i++) {
            long s = 0;
            for (int k = 0; k < len; k++) {
                s += a[i * len + k];
            }
            sum[i] = s;
            cnt[i] = len;
            mean[i] = (float) s / (float) len;
        }
        return new CaseBuilder(PTX, "local_struct_escape", v).cover(n, block).in("a", a).out("sum", sum)
                .out("cnt", cnt).out("mean", mean).u32("len", len).u32("n", n).build();
    }

    static KernelCase doubleWalk(String v, Gen g, int n, int block) {
        double[] d = new double[n];
        int[] st = new int[n];
        for (int i = 0; i < n; i++) {
            d[i] = i % 3 == 0 ? g.moderateDouble() : g.anyDouble();
            st[i] = i < 32 ? i : g.nextInt();
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double[] h = new double[16];
            for (int k = 0; k < 16; k++) {
                h[k] = d[i] + k;
            }
            double acc = 0;
            for (int k = 0; k < 16; k++) {
                acc += h[(k * st[i]) & 15];
            }
            out[i] = acc;
        }
        return new CaseBuilder(PTX, "local_double_walk", v).cover(n, block).in("d", d).in("st", st).out("out", out)
                .u32("n", n).build();
    }
}
