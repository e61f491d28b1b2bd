package org.transcuda.corpus;

import java.util.ArrayList;
import java.util.List;

/**
 * corpus/src/atomics.cu: atom/red in global and shared memory. Contended results are totals that do
 * not depend on the order of the updates; fetching atomics act on thread-owned slots.
 */
final class AtomicsCases {

    private static final String PTX = "atomics.ptx";

    private AtomicsCases() {
    }

    static List<KernelCase> cases() {
        List<KernelCase> out = new ArrayList<>();
        Gen g = new Gen(0xA70);
        out.add(contended32("", g, 300, 128));
        out.add(contended32("many_blocks", g, 5000, 96));
        out.add(fetch32("", g, 400, 128));
        out.add(global64("", g, 400, 128));
        out.add(atomFloat("", g, 500, 128));
        out.add(casFloatMax("", g, 700, 128, false));
        out.add(casFloatMax("zeros", g, 300, 64, true));
        out.add(shared32("", g, 500, 128));
        out.add(shared32("block256", g, 700, 256));
        out.add(shared64Float("", g, 500, 128));
        out.add(shared64Float("block256", g, 300, 256));
        out.add(scoped("", g, 500, 128));
        out.add(redInline("", g, 500, 128));
        out.add(redInline("block256", g, 1500, 256));
        return out;
    }

    static int inc(int old, int limit) {
        return Integer.compareUnsigned(old, limit) >= 0 ? 0 : old + 1;
    }

    static int dec(int old, int limit) {
        return old == 0 || Integer.compareUnsigned(old, limit) > 0 ? limit : old - 1;
    }

    static int minU(int a, int b) {
        return Integer.compareUnsigned(a, b) <= 0 ? a : b;
    }

    static int maxU(int a, int b) {
        return Integer.compareUnsigned(a, b) >= 0 ? a : b;
    }

    static KernelCase contended32(String v, Gen g, int n, int block) {
        int[] x = g.intsWithEdges(n);
        int[] c0 = {5, 1000, 50, -50, -1, 0x10, 0x0f0f0f0f, 3, 97, 0xfffffff0, 7};
        int[] c = c0.clone();
        for (int i = 0; i < n; i++) {
            c[0] += x[i];
            c[1] -= x[i];
            c[2] = Math.min(c[2], x[i]);
            c[3] = Math.max(c[3], x[i]);
            c[4] &= x[i];
            c[5] |= x[i];
            c[6] ^= x[i];
            c[7] = inc(c[7], 100);
            c[8] = dec(c[8], 100);
            c[9] = minU(c[9], x[i]);
            c[10] = maxU(c[10], x[i]);
        }
        return new CaseBuilder(PTX, "atom_global_contended_32", v).cover(n, block).in("v", x)
                .buf("c", Le.i32(c0), new Expect.Exact(Le.i32(c), 4)).u32("n", n).build();
    }

    static KernelCase fetch32(String v, Gen g, int n, int block) {
        int[] x = g.intsWithEdges(n), cmp = new int[n];
        int[] slots = new int[12 * n];
        for (int k = 0; k < 12; k++) {
            for (int i = 0; i < n; i++) {
                slots[k * n + i] = k == 7 || k == 8 ? g.range(0, 120) - (i % 50 == 0 ? 5 : 0) : g.anyInt();
            }
        }
        for (int i = 0; i < n; i++) {
            cmp[i] = i % 2 == 0 ? slots[10 * n + i] : g.nextInt();
        }
        int[] fin = slots.clone();
        for (int i = 0; i < n; i++) {
            int xi = x[i];
            fin[i] += xi;
            fin[n + i] -= xi;
            fin[2 * n + i] = Math.min(fin[2 * n + i], xi);
            fin[3 * n + i] = Math.max(fin[3 * n + i], xi);
            fin[4 * n + i] &= xi;
            fin[5 * n + i] |= xi;
            fin[6 * n + i] ^= xi;
            fin[7 * n + i] = inc(fin[7 * n + i], 100);
            fin[8 * n + i] = dec(fin[8 * n + i], 100);
            fin[9 * n + i] = xi;
            fin[10 * n + i] = fin[10 * n + i] == cmp[i] ? xi : fin[10 * n + i];
            fin[11 * n + i] = minU(fin[11 * n + i], xi);
        }
        return new CaseBuilder(PTX, "atom_global_fetch_32", v).cover(n, block).in("v", x).in("cmp", cmp)
                .buf("slots", Le.i32(slots), new Expect.Exact(Le.i32(fin), 4)).out("old", slots).u32("n", n)
                .build();
    }

    static KernelCase global64(String v, Gen g, int n, int block) {
        long[] x = g.longsWithEdges(n), cmp = new long[n];
        long[] c0 = {100, 0, 0, -1, 0, -1, 0, 0x123456789L};
        long[] c = c0.clone();
        long[] slots = new long[4 * n];
        for (int k = 0; k < 4 * n; k++) {
            slots[k] = g.anyLong();
        }
        for (int i = 0; i < n; i++) {
            cmp[i] = i % 3 != 2 ? slots[2 * n + i] : g.nextLong();
        }
        long[] fin = slots.clone();
        for (int i = 0; i < n; i++) {
            long xi = x[i];
            c[0] += xi;
            c[1] = Math.min(c[1], xi);
            c[2] = Math.max(c[2], xi);
            c[3] = Long.compareUnsigned(c[3], xi) <= 0 ? c[3] : xi;
            c[4] = Long.compareUnsigned(c[4], xi) >= 0 ? c[4] : xi;
            c[5] &= xi;
            c[6] |= xi;
            c[7] ^= xi;
            fin[i] += xi;
            fin[n + i] = xi;
            fin[2 * n + i] = fin[2 * n + i] == cmp[i] ? xi : fin[2 * n + i];
            fin[3 * n + i] = Long.compareUnsigned(fin[3 * n + i], xi) >= 0 ? fin[3 * n + i] : xi;
        }
        return new CaseBuilder(PTX, "atom_global_64", v).cover(n, block).in("v", x).in("cmp", cmp)
                .buf("c", Le.i64(c0), new Expect.Exact(Le.i64(c), 8))
                .buf("slots", Le.i64(slots), new Expect.Exact(Le.i64(fin), 8)).out("old", slots).u32("n", n).build();
    }

    static KernelCase atomFloat(String v, Gen g, int n, int block) {
        float[] f = new float[n];
        double[] d = new double[n];
        float[] sf = new float[2 * n];
        double[] sd = new double[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) (g.nextInt(801) - 400) / 4f; // exact partial sums
            d[i] = (double) (g.nextInt(2001) - 1000) / 16d;
            sf[i] = g.moderateFloat();
            sf[n + i] = g.moderateFloat();
            sd[i] = g.moderateDouble();
        }
        float cf = 0.5f;
        double cd = 0.25;
        float[] sfFin = sf.clone();
        double[] sdFin = sd.clone();
        for (int i = 0; i < n; i++) {
            cf += f[i];
            cd += d[i];
            sfFin[i] = sf[i] + f[i];
            sfFin[n + i] = f[i];
            sdFin[i] = sd[i] + d[i];
        }
        float[] of = new float[2 * n];
        System.arraycopy(sf, 0, of, 0, 2 * n);
        double[] od = sd.clone();
        return new CaseBuilder(PTX, "atom_float", v).cover(n, block).in("f", f).in("d", d)
                .buf("cf", Le.f32(0.5f), new Expect.Exact(Le.f32(cf), 4))
                .buf("cd", Le.f64(0.25), new Expect.Exact(Le.f64(cd), 8))
                .buf("sf", Le.f32(sf), new Expect.Exact(Le.f32(sfFin), 4))
                .buf("sd", Le.f64(sd), new Expect.Exact(Le.f64(sdFin), 8)).out("of", of).out("od", od)
                .u32("n", n).build();
    }

    static int floatKey(float f) {
        int b = Float.floatToRawIntBits(f);
        return b < 0 ? b ^ 0x7fffffff : b;
    }

    static KernelCase casFloatMax(String v, Gen g, int n, int block, boolean nonPositive) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            float x = g.anyFloat();
            a[i] = nonPositive ? -Math.abs(x) : x;
        }
        if (nonPositive) {
            a[n / 3] = -0f;
            a[2 * n / 3] = 0f; // +0 is larger than -0 and every negative value
        } else {
            a[n / 2] = Float.MAX_VALUE;
            a[n / 4] = Float.POSITIVE_INFINITY;
            a[n - 1] = Float.MAX_VALUE;
        }
        float m0 = Float.NEGATIVE_INFINITY;
        float m = m0;
        for (float x : a) {
            if (floatKey(x) > floatKey(m)) {
                m = x;
            }
        }
        return new CaseBuilder(PTX, "atom_cas_float_max", v).cover(n, block).in("a", a)
                .buf("m", Le.f32(m0), new Expect.Exact(Le.f32(m), 4)).u32("n", n).build();
    }

    static KernelCase shared32(String v, Gen g, int n, int block) {
        int[] x = g.intsWithEdges(n);
        for (int i = Gen.INT_EDGES.length; i < n; i += 3) {
            x[i] = g.range(900, 1400); // near the slot values and the inc/dec limit
        }
        int[] hist0 = new int[16];
        for (int k = 0; k < 16; k++) {
            hist0[k] = k * 1000;
        }
        int[] hist = hist0.clone();
        int[] old = new int[12 * n], fin = new int[12 * n];
        for (int i = 0; i < n; i++) {
            int t = i % block, s0 = 1000 + t, xi = x[i];
            hist[xi & 15]++;
            for (int k = 0; k < 12; k++) {
                old[k * n + i] = s0;
            }
            fin[i] = s0 + xi;
            fin[n + i] = s0 - xi;
            fin[2 * n + i] = Math.min(s0, xi);
            fin[3 * n + i] = Math.max(s0, xi);
            fin[4 * n + i] = s0 & xi;
            fin[5 * n + i] = s0 | xi;
            fin[6 * n + i] = s0 ^ xi;
            fin[7 * n + i] = inc(s0, 1100);
            fin[8 * n + i] = dec(s0, 1100);
            fin[9 * n + i] = xi;
            fin[10 * n + i] = xi;
            fin[11 * n + i] = minU(s0, xi);
        }
        return new CaseBuilder(PTX, "atom_shared_32", v).cover(n, block).in("v", x)
                .buf("hist", Le.i32(hist0), new Expect.Exact(Le.i32(hist), 4)).out("old", old).out("fin", fin)
                .u32("n", n).build();
    }

    static KernelCase shared64Float(String v, Gen g, int n, int block) {
        long[] x = g.longsWithEdges(n);
        float[] f = new float[n];
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            f[i] = g.moderateFloat();
            d[i] = g.moderateDouble();
        }
        long[] out64 = new long[5 * n];
        float[] outf = new float[2 * n];
        double[] outd = new double[2 * n];
        for (int i = 0; i < n; i++) {
            long l0 = (1L << 40) | (i % block);
            out64[i] = l0;
            out64[n + i] = l0;
            out64[2 * n + i] = x[i];
            out64[3 * n + i] = l0;
            out64[4 * n + i] = l0 + x[i];
            outf[i] = 0.5f;
            outf[n + i] = 0.5f + f[i];
            outd[i] = 0.25;
            outd[n + i] = 0.25 + d[i];
        }
        return new CaseBuilder(PTX, "atom_shared_64_float", v).cover(n, block).in("v", x).in("f", f).in("d", d)
                .out("out64", out64).out("outf", outf).out("outd", outd).u32("n", n).build();
    }

    static KernelCase scoped(String v, Gen g, int n, int block) {
        int[] x = g.intsWithEdges(n), cmp = new int[n];
        int blocks = (n + block - 1) / block;
        int[] c0 = new int[4 + blocks];
        for (int k = 0; k < c0.length; k++) {
            c0[k] = 11 * k - 20;
        }
        int[] slots = g.ints(3 * n);
        for (int i = 0; i < n; i++) {
            cmp[i] = i % 2 == 1 ? slots[n + i] : g.nextInt();
        }
        int[] c = c0.clone();
        int[] fin = slots.clone();
        for (int i = 0; i < n; i++) {
            c[1] += x[i];
            c[2] += x[i];
            c[3] += x[i];
            c[4 + i / block] += x[i];
            fin[i] = x[i];
            fin[n + i] = slots[n + i] == cmp[i] ? x[i] : slots[n + i];
            fin[2 * n + i] |= x[i];
        }
        return new CaseBuilder(PTX, "atom_scoped", v).cover(n, block).in("v", x).in("cmp", cmp)
                .buf("c", Le.i32(c0), new Expect.Exact(Le.i32(c), 4))
                .buf("slots", Le.i32(slots), new Expect.Exact(Le.i32(fin), 4)).out("old", slots).u32("n", n)
                .build();
    }

    static KernelCase redInline(String v, Gen g, int n, int block) {
        int[] x = g.intsWithEdges(n);
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) (g.nextInt(1001) - 500) / 8f;
        }
        int[] g0 = {1, 0x7fffffff, 0, -1, 0, 0x5a5a5a5a, 99, 2, 1000, 77};
        long[] g640 = {10, Long.MIN_VALUE};
        int[] gg = g0.clone();
        long[] g64 = g640.clone();
        float gf = -1.5f;
        double gd = 2.25;
        for (int i = 0; i < n; i++) {
            int xi = x[i];
            gg[0] += xi;
            gg[1] = Math.min(gg[1], xi);
            gg[2] = maxU(gg[2], xi);
            gg[3] &= xi;
            gg[4] |= xi;
            gg[5] ^= xi;
            gg[6] = inc(gg[6], 100);
            gg[7] = dec(gg[7], 100);
            gg[8] += xi;
            gg[9] += xi;
            g64[0] += xi & 0xffffffffL;
            g64[1] = Math.max(g64[1], xi);
            gf += f[i];
            gd += f[i];
        }
        return new CaseBuilder(PTX, "red_inline_ptx", v).cover(n, block).in("v", x).in("f", f)
                .buf("g", Le.i32(g0), new Expect.Exact(Le.i32(gg), 4))
                .buf("g64", Le.i64(g640), new Expect.Exact(Le.i64(g64), 8))
                .buf("gf", Le.f32(-1.5f), new Expect.Exact(Le.f32(gf), 4))
                .buf("gd", Le.f64(2.25), new Expect.Exact(Le.f64(gd), 8)).u32("n", n).build();
    }
}
