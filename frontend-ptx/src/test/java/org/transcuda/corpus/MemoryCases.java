package org.transcuda.corpus;

import java.util.ArrayList;
import java.util.List;

/** corpus/src/memory.cu: vector, read-only, volatile, ordered and cached accesses, generic addressing, shared. */
final class MemoryCases {

    private static final String PTX = "memory.ptx";

    private MemoryCases() {
    }

    static List<KernelCase> cases() {
        List<KernelCase> out = new ArrayList<>();
        Gen g = new Gen(0x3E3);
        out.add(vec4("", g, 300, 64));
        out.add(vec2("", g, 300, 64));
        out.add(ldg("", g, 256, 64));
        out.add(ldg("n200", g, 200, 128));
        out.add(vol("", g, 500, 128));
        out.add(acqRel("", g, 500, 128));
        out.add(cacheHints("", g, 500, 128));
        out.add(generic("", g, 500, 128));
        out.add(generic("block256", g, 700, 256));
        out.add(addressSpaces("", g, 500, 128));
        out.add(addressSpaces("block256", g, 600, 256));
        out.add(sharedStatic("", g, 500, 128));
        out.add(sharedStatic("block100", g, 450, 100));
        return out;
    }

    static float[] finiteFloats(Gen g, int n) {
        float[] a = new float[n];
        for (int k = 0; k < n; k++) {
            a[k] = k % 5 == 0 ? (float) (g.nextInt(2001) - 1000) / 8f : g.moderateFloat();
        }
        return a;
    }

    static KernelCase vec4(String v, Gen g, int n, int block) {
        float[] a = finiteFloats(g, 4 * n), b = finiteFloats(g, 4 * n);
        int[] ai = g.ints(4 * n);
        float[] o = new float[4 * n];
        int[] oi = new int[4 * n];
        for (int k = 0; k < 4 * n; k++) {
            o[k] = Math.fma(a[k], 2f, b[k]);
            oi[k] = ai[k] ^ (k % 4 + 1);
        }
        return new CaseBuilder(PTX, "mem_vec4", v).cover(n, block).in("a4", Le.f32(a), 16).in("b4", Le.f32(b), 16)
                .in("ai4", Le.i32(ai), 16).out("out4", o).out("oi4", oi).u32("n", n).build();
    }

    static KernelCase vec2(String v, Gen g, int n, int block) {
        double[] d = new double[2 * n];
        for (int k = 0; k < 2 * n; k++) {
            d[k] = g.anyDouble();
        }
        long[] l = g.longs(2 * n);
        float[] f = finiteFloats(g, 2 * n);
        double[] od = new double[2 * n];
        long[] ol = new long[2 * n];
        float[] of = new float[2 * n];
        for (int i = 0; i < n; i++) {
            od[2 * i] = d[2 * i + 1];
            od[2 * i + 1] = d[2 * i];
            ol[2 * i] = l[2 * i] + l[2 * i + 1];
            ol[2 * i + 1] = l[2 * i] - l[2 * i + 1];
            of[2 * i] = f[2 * i] * f[2 * i + 1];
            of[2 * i + 1] = f[2 * i] + f[2 * i + 1];
        }
        return new CaseBuilder(PTX, "mem_vec2", v).cover(n, block).in("d2", Le.f64(d), 16).in("l2", Le.i64(l), 16)
                .in("f2", Le.f32(f), 8).out("od2", Le.f64(od), 8).out("ol2", ol).out("of2", of).u32("n", n).build();
    }

    static KernelCase ldg(String v, Gen g, int n, int block) {
        float[] a = finiteFloats(g, n), a4 = finiteFloats(g, 4 * n);
        int[] idx = g.ints(n);
        double[] d = new double[n];
        for (int k = 0; k < n; k++) {
            d[k] = g.moderateDouble() * 1e10;
        }
        float[] out = new float[n], out4 = new float[4 * n];
        double[] di = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = a[i] + a[idx[i] & (n - 1)];
            di[i] = d[i] * 0.5;
        }
        for (int k = 0; k < 4 * n; k++) {
            out4[k] = a4[k] + 1f;
        }
        return new CaseBuilder(PTX, "mem_ldg", v).cover(n, block).in("a", a).in("idx", idx).in("a4", Le.f32(a4), 16)
                .in("d", d).out("out", out).out("out4", out4).out("di", di).u32("n", n).build();
    }

    static KernelCase vol(String v, Gen g, int n, int block) {
        int[] a = g.intsWithEdges(n), buf = new int[n], out = new int[n];
        for (int i = 0; i < n; i++) {
            buf[i] = a[i] + 1;
            out[i] = 2 * (a[i] + 1);
        }
        return new CaseBuilder(PTX, "mem_volatile", v).cover(n, block).in("a", a).out("buf", buf).out("out", out)
                .u32("n", n).build();
    }

    static KernelCase acqRel(String v, Gen g, int n, int block) {
        int[] a = g.intsWithEdges(n), slot = new int[n], out = new int[4 * n];
        for (int i = 0; i < n; i++) {
            out[i] = a[i];
            out[n + i] = 2 * a[i];
            out[2 * n + i] = 2 * a[i];
            out[3 * n + i] = a[i] + 3;
            slot[i] = a[i] + 3;
        }
        return new CaseBuilder(PTX, "mem_acquire_release", v).cover(n, block).in("a", a).out("slot", slot)
                .out("out", out).u32("n", n).build();
    }

    static KernelCase cacheHints(String v, Gen g, int n, int block) {
        int[] a = g.intsWithEdges(n), out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = 5 * a[i];
        }
        return new CaseBuilder(PTX, "mem_cache_hints", v).cover(n, block).in("a", a).out("out", out).out("o1", a)
                .out("o2", a).out("o3", a).out("o4", a).u32("n", n).build();
    }

    static KernelCase generic(String v, Gen g, int n, int block) {
        int[] a = g.intsWithEdges(n), out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = 3 * a[i] + 1;
        }
        return new CaseBuilder(PTX, "mem_generic", v).cover(n, block).in("a", a).out("out", out).u32("n", n).build();
    }

    static KernelCase addressSpaces(String v, Gen g, int n, int block) {
        int[] a = g.ints(n), flags = new int[n], sh = new int[n];
        for (int i = 0; i < n; i++) {
            flags[i] = 0x421;
            sh[i] = 4 * ((i % block) & 255);
        }
        return new CaseBuilder(PTX, "mem_address_spaces", v).cover(n, block).in("a", a).out("flags", flags)
                .out("sh", sh).u32("n", n).build();
    }

    static KernelCase sharedStatic(String v, Gen g, int n, int block) {
        int[] a = g.intsWithEdges(n), out = new int[n];
        long[] wide = new long[n];
        for (int i = 0; i < n; i++) {
            int b = i / block * block, t = i % block;
            int j = (t + 1) % block;
            int x = b + j < n ? a[b + j] : 0;
            out[i] = x;
            wide[i] = 3L * x + (x & 0xff) + (x & 0xffff) + x;
        }
        return new CaseBuilder(PTX, "mem_shared_static", v).cover(n, block).in("a", a).out("out", out)
                .out("wide", wide).u32("n", n).build();
    }
}
