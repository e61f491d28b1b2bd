package org.transcuda.corpus;

import java.util.ArrayList;
import java.util.List;

/** corpus/src/functions.cu: device functions, structs by value, recursion, function pointers. */
final class FunctionsCases {

    private static final String PTX = "functions.ptx";

    private FunctionsCases() {
    }

    static List<KernelCase> cases() {
        List<KernelCase> out = new ArrayList<>();
        Gen g = new Gen(0xF0);
        out.add(scalarCalls("", g, 400, 128));
        out.add(structByval("", g, 300, 64));
        out.add(recursive("", g, 300, 64));
        out.add(pointerCall("", g, 400, 128));
        out.add(nestedPtr("", g, 200, 64, 9));
        out.add(nestedPtr("len0", g, 50, 32, 0));
        return out;
    }

    static int mix3(int a, int b, int c) {
        return a * 3 + b * 5 - c;
    }

    static KernelCase scalarCalls(String v, Gen g, int n, int block) {
        int[] a = g.intsWithEdges(n), b = Gen.rotate(a, 5), c = g.ints(n);
        float[] fa = new float[n];
        double[] da = new double[n];
        for (int i = 0; i < n; i++) {
            fa[i] = i < Gen.FLOAT_EDGES.length ? Gen.FLOAT_EDGES[i] : g.anyFloat();
            da[i] = i < Gen.DOUBLE_EDGES.length ? Gen.DOUBLE_EDGES[i] : g.anyDouble();
        }
        int[] out = new int[4 * n];
        float[] f = new float[n];
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            int m = mix3(a[i], b[i], c[i]);
            out[i] = m;
            out[n + i] = mix3(m, a[i], b[i]);
            out[2 * n + i] = a[i] + 7;
            out[3 * n + i] = a[i] - 7;
            f[i] = Math.fma(Math.fma(0.5f, fa[i], -2f), fa[i], 1f);
            d[i] = da[i] * (double) (long) a[i];
        }
        return new CaseBuilder(PTX, "func_scalar_calls", v).cover(n, block).in("a", a).in("b", b).in("c", c)
                .in("fa", fa).in("da", da).out("out", out).out("f", f).out("d", d).u32("n", n).build();
    }

    static KernelCase structByval(String v, Gen g, int n, int block) {
        float[] u = new float[3 * n], w = new float[3 * n];
        for (int k = 0; k < 3 * n; k++) {
            u[k] = k < 12 ? new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1, 2, 3, 4}[k] : g.moderateFloat();
            w[k] = k < 12 ? new float[] {0, 1, 0, 0, 0, 1, 1, 0, 0, 5, 6, 7}[k] : g.moderateFloat();
        }
        long[] l = g.longsWithEdges(n);
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = i < Gen.DOUBLE_EDGES.length ? Gen.DOUBLE_EDGES[i] : g.anyDouble();
        }
        float[] out = new float[3 * n];
        long[] pl = new long[n];
        double[] pd = new double[n];
        for (int i = 0; i < n; i++) {
            float ax = u[3 * i], ay = u[3 * i + 1], az = u[3 * i + 2];
            float bx = w[3 * i], by = w[3 * i + 1], bz = w[3 * i + 2];
            out[3 * i] = ay * bz - az * by;
            out[3 * i + 1] = az * bx - ax * bz;
            out[3 * i + 2] = ax * by - ay * bx;
            pl[i] = l[i] + i;
            pd[i] = d[i] * 2.0;
        }
        return new CaseBuilder(PTX, "func_struct_byval", v).cover(n, block).in("u", u).in("v", w).in("l", l)
                .in("d", d).out("out", out).out("pl", pl).out("pd", pd).u32("n", n).build();
    }

    static int gcd(int a, int b) {
        while (b != 0) {
            int t = Integer.remainderUnsigned(a, b);
            a = b;
            b = t;
        }
        return a;
    }

    static long fib(int k) {
        long x = 0, y = 1;
        for (int j = 0; j < k; j++) {
            long t = x + y;
            x = y;
            y = t;
        }
        return x;
    }

    static KernelCase recursive(String v, Gen g, int n, int block) {
        int[] a = new int[n], b = new int[n];
        for (int i = 0; i < n; i++) {
            switch (i % 4) {
                case 0 -> {
                    int c = g.range(1, 1000);
                    a[i] = c * g.range(1, 5000);
                    b[i] = c * g.range(1, 5000);
                }
                case 1 -> {
                    a[i] = g.nextInt();
                    b[i] = g.nextInt();
                }
                case 2 -> {
                    a[i] = i < 40 ? (int) fib(i / 2 + 10) : g.range(0, 100);
                    b[i] = i < 40 ? (int) fib(i / 2 + 9) : 0; // consecutive Fibonacci numbers: deepest recursion
                }
                default -> {
                    a[i] = g.range(0, 3) == 0 ? 0 : g.range(0, 1 << 20);
                    b[i] = g.range(0, 3) == 0 ? 0 : g.range(0, 1 << 20);
                }
            }
        }
        int[] gg = new int[n];
        long[] f = new long[n];
        for (int i = 0; i < n; i++) {
            gg[i] = gcd(a[i], b[i]);
            f[i] = fib(Integer.remainderUnsigned(a[i], 16));
        }
        return new CaseBuilder(PTX, "func_recursive", v).cover(n, block).in("a", a).in("b", b).out("g", gg)
                .out("f", f).u32("n", n).build();
    }

    static KernelCase pointerCall(String v, Gen g, int n, int block) {
        int[] a = g.intsWithEdges(n), b = g.ints(n), sel = new int[n];
        for (int i = 0; i < n; i++) {
            sel[i] = i % 5 == 4 ? g.nextInt() : i % 4;
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = switch (sel[i] & 3) {
                case 0 -> a[i] + b[i];
                case 1 -> a[i] - b[i];
                case 2 -> a[i] * b[i];
                default -> a[i] ^ b[i];
            };
        }
        return new CaseBuilder(PTX, "func_pointer_call", v).cover(n, block).in("a", a).in("b", b).in("sel", sel)
                .out("out", out).u32("n", n).build();
    }

    static KernelCase nestedPtr(String v, Gen g, int n, int block, int len) {
        int[] a = g.ints(Math.max(1, n * len)), w = g.ints(n), out = new int[n];
        for (int i = 0; i < n; i++) {
            int s = 0;
            for (int k = 0; k < len; k++) {
                s += a[i * len + k];
            }
            out[i] = s * w[i] + len;
        }
        return new CaseBuilder(PTX, "func_nested_ptr", v).cover(n, block).in("a", a).in("w", w).out("out", out)
                .u32("len", len).u32("n", n).build();
    }
}
