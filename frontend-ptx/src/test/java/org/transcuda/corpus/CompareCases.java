package org.transcuda.corpus;

import java.util.ArrayList;
import java.util.List;

/** corpus/src/compare.cu: integer and float comparisons (setp, set) and selects. */
final class CompareCases {

    private static final String PTX = "compare.ptx";

    private CompareCases() {
    }

    static List<KernelCase> cases() {
        List<KernelCase> out = new ArrayList<>();
        Gen g = new Gen(0xC0);
        int[][] ip = Gen.pairs(Gen.INT_EDGES, 200, g);
        long[][] lp = Gen.pairs(Gen.LONG_EDGES, 200, g);
        float[][] fp = Gen.pairs(Gen.FLOAT_EDGES, 200, g);
        double[][] dp = Gen.pairs(Gen.DOUBLE_EDGES, 200, g);
        out.add(int32("cmp_int32", ip[0], ip[1], 128));
        out.add(int64(lp[0], lp[1], 128));
        out.add(cf32("cmp_f32", fp[0], fp[1], false, 128));
        out.add(cf64("cmp_f64", dp[0], dp[1], false, 128));
        out.add(cf32("cmp_setp_all_f32", fp[0], fp[1], true, 128));
        out.add(cf64("cmp_setp_all_f64", dp[0], dp[1], true, 128));
        out.add(int32("cmp_setp_all_int", ip[0], ip[1], 96));
        out.add(set(fp[0], fp[1], 128));
        out.add(select(g, 400, 64));
        return out;
    }

    static int intMask(boolean eq, boolean lt, boolean ult) {
        boolean gt = !eq && !lt, ugt = !eq && !ult;
        int m = 0;
        m |= eq ? 1 : 0;
        m |= !eq ? 1 << 1 : 0;
        m |= lt ? 1 << 2 : 0;
        m |= lt || eq ? 1 << 3 : 0;
        m |= gt ? 1 << 4 : 0;
        m |= gt || eq ? 1 << 5 : 0;
        m |= ult ? 1 << 6 : 0;
        m |= ult || eq ? 1 << 7 : 0;
        m |= ugt ? 1 << 8 : 0;
        m |= ugt || eq ? 1 << 9 : 0;
        return m;
    }

    static KernelCase int32(String kernel, int[] a, int[] b, int block) {
        int n = a.length;
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = intMask(a[i] == b[i], a[i] < b[i], Integer.compareUnsigned(a[i], b[i]) < 0);
        }
        return new CaseBuilder(PTX, kernel, "").cover(n, block).in("a", a).in("b", b).out("out", out).u32("n", n)
                .build();
    }

    static KernelCase int64(long[] a, long[] b, int block) {
        int n = a.length;
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = intMask(a[i] == b[i], a[i] < b[i], Long.compareUnsigned(a[i], b[i]) < 0);
        }
        return new CaseBuilder(PTX, "cmp_int64", "").cover(n, block).in("a", a).in("b", b).out("out", out)
                .u32("n", n).build();
    }

    /**
     * Bits 0..11 of the PTX float comparisons: eq ne lt le gt ge (ordered: false with a NaN), then
     * equ neu ltu leu gtu geu (unordered: true with a NaN).
     */
    static int floatMask(double x, double y) {
        boolean nan = Double.isNaN(x) || Double.isNaN(y);
        boolean[] ord = {x == y, !nan && x != y, x < y, x <= y, x > y, x >= y};
        int m = 0;
        for (int k = 0; k < 6; k++) {
            m |= ord[k] ? 1 << k : 0;
            m |= ord[k] || nan ? 1 << (6 + k) : 0;
        }
        return m;
    }

    /** The cmp_f32 layout (C++ comparisons). */
    static int cppMask(double x, double y) {
        boolean xn = Double.isNaN(x), yn = Double.isNaN(y);
        boolean[] bits = {x == y, x != y, x < y, x <= y, x > y, x >= y, !(x >= y), !(x > y), !(x <= y), !(x < y),
            x < y || x > y, xn || yn, !xn && !yn, x == y || xn || yn};
        int m = 0;
        for (int k = 0; k < bits.length; k++) {
            m |= bits[k] ? 1 << k : 0;
        }
        return m;
    }

    static int setpMask(double x, double y) {
        boolean nan = Double.isNaN(x) || Double.isNaN(y);
        return floatMask(x, y) | (!nan ? 1 << 12 : 0) | (nan ? 1 << 13 : 0);
    }

    static KernelCase cf32(String kernel, float[] a, float[] b, boolean setp, int block) {
        int n = a.length;
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = setp ? setpMask(a[i], b[i]) : cppMask(a[i], b[i]);
        }
        return new CaseBuilder(PTX, kernel, "").cover(n, block).in("a", a).in("b", b).out("out", out).u32("n", n)
                .build();
    }

    static KernelCase cf64(String kernel, double[] a, double[] b, boolean setp, int block) {
        int n = a.length;
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = setp ? setpMask(a[i], b[i]) : cppMask(a[i], b[i]);
        }
        return new CaseBuilder(PTX, kernel, "").cover(n, block).in("a", a).in("b", b).out("out", out).u32("n", n)
                .build();
    }

    static KernelCase set(float[] a, float[] b, int block) {
        int n = a.length;
        int[] out = new int[14 * n];
        float[] f = new float[2 * n];
        for (int i = 0; i < n; i++) {
            int m = setpMask(a[i], b[i]);
            for (int k = 0; k < 14; k++) {
                out[k * n + i] = (m >>> k & 1) != 0 ? -1 : 0;
            }
            f[i] = (m >>> 2 & 1) != 0 ? 1f : 0f; // lt
            f[n + i] = (m >>> 10 & 1) != 0 ? 1f : 0f; // gtu
        }
        return new CaseBuilder(PTX, "cmp_set_f32", "").cover(n, block).in("a", a).in("b", b).out("out", out)
                .out("f", f).u32("n", n).build();
    }

    static KernelCase select(Gen g, int n, int block) {
        int[] a = g.intsWithEdges(n), b = Gen.rotate(a, 3), c = g.ints(n), d = g.ints(n);
        float[] fa = g.floatsWithEdges(n), fb = Gen.rotate(fa, 1);
        double[] da = g.doublesWithEdges(n), db = Gen.rotate(da, 2);
        int[] si = new int[n];
        float[] sf = new float[n];
        double[] sd = new double[n];
        long[] sl = new long[n];
        for (int i = 0; i < n; i++) {
            si[i] = a[i] < b[i] ? c[i] : d[i];
            sf[i] = fa[i] < fb[i] ? fa[i] : fb[i];
            sd[i] = da[i] >= db[i] ? da[i] - db[i] : db[i] - da[i];
            sl[i] = (c[i] & 1) != 0 ? a[i] : b[i];
        }
        return new CaseBuilder(PTX, "cmp_select", "").cover(n, block).in("a", a).in("b", b).in("c", c).in("d", d)
                .in("fa", fa).in("fb", fb).in("da", da).in("db", db).out("si", si).out("sf", sf).out("sd", sd)
                .out("sl", sl).u32("n", n).build();
    }
}
