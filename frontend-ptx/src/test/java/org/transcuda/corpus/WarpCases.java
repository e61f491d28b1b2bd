package org.transcuda.corpus;

import java.util.ArrayList;
import java.util.List;

/**
 * corpus/src/warp.cu: shfl, vote, match, redux, activemask and lane masks. Lanes are
 * {@code threadIdx.x % 32} (1D blocks whose size is a multiple of 32); lanes with i >= n take part
 * with input 0 and store nothing.
 */
final class WarpCases {

    private static final String PTX = "warp.ptx";

    private WarpCases() {
    }

    static List<KernelCase> cases() {
        List<KernelCase> out = new ArrayList<>();
        Gen g = new Gen(0x3A4);
        out.add(shflInt("", g, 300, 128));
        out.add(shflInt("block32", g, 50, 32));
        out.add(shflWide("", g, 300, 96));
        out.add(reduceScan("", g, 500, 128));
        out.add(reduceScan("block64", g, 77, 64));
        out.add(vote("", g, 500, 128));
        out.add(match("", g, 500, 128));
        out.add(redux("", g, 500, 128));
        out.add(redux("block256", g, 1000, 256));
        out.add(activemask("", g, 300, 64));
        return out;
    }

    /** Value of lane j of the warp whose first global index is w: a[w + j], 0 beyond n. */
    static int lane(int[] a, int w, int j, int n) {
        return w + j < n ? a[w + j] : 0;
    }

    static KernelCase shflInt(String v, Gen g, int n, int block) {
        int[] a = g.ints(n), src = g.ints(n);
        int[] out = new int[6 * n];
        for (int i = 0; i < n; i++) {
            int ln = i % 32, w = i - ln, s = src[i];
            out[i] = lane(a, w, s & 31, n);
            out[n + i] = lane(a, w, ln >= 3 ? ln - 3 : ln, n);
            out[2 * n + i] = lane(a, w, ln + 5 < 32 ? ln + 5 : ln, n);
            out[3 * n + i] = lane(a, w, ln ^ 6, n);
            out[4 * n + i] = lane(a, w, (ln & ~7) + (s & 7), n);
            out[5 * n + i] = lane(a, w, ln % 16 >= 1 ? ln - 1 : ln, n);
        }
        return new CaseBuilder(PTX, "warp_shfl_int", v).cover(n, block).in("a", a).in("src", src).out("out", out)
                .u32("n", n).build();
    }

    static KernelCase shflWide(String v, Gen g, int n, int block) {
        double[] d = new double[n];
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            d[i] = g.anyDouble();
            f[i] = g.anyFloat();
        }
        long[] l = g.longs(n);
        double[] od = new double[n];
        long[] ol = new long[n];
        float[] of = new float[n];
        for (int i = 0; i < n; i++) {
            int ln = i % 32, w = i - ln;
            int j1 = w + (ln ^ 1), j2 = w + ((ln + 1) & 31), j3 = w + 31 - ln;
            od[i] = j1 < n ? d[j1] : 0.0;
            ol[i] = j2 < n ? l[j2] : 0;
            of[i] = j3 < n ? f[j3] : 0f;
        }
        return new CaseBuilder(PTX, "warp_shfl_wide", v).cover(n, block).in("d", d).in("l", l).in("f", f)
                .out("od", Le.f64(od), 8).out("ol", ol).out("of", Le.f32(of), 4).u32("n", n).build();
    }

    static KernelCase reduceScan(String v, Gen g, int n, int block) {
        int[] a = g.intsWithEdges(n);
        int warps = (n + 31) / 32;
        int[] sums = new int[warps], pre = new int[n];
        for (int i = 0; i < n; i++) {
            sums[i / 32] += a[i];
            pre[i] = (i % 32 == 0 ? 0 : pre[i - 1]) + a[i];
        }
        return new CaseBuilder(PTX, "warp_reduce_scan", v).cover(n, block).in("a", a).out("sums", sums)
                .out("pre", pre).u32("n", n).build();
    }

    /** Predicates for vote tests: some warps all true, some all false, some mixed. */
    static int[] votes(Gen g, int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            int w = i / 32;
            a[i] = switch (w % 4) {
                case 0 -> g.range(1, 100);
                case 1 -> -g.range(0, 100);
                default -> g.range(-3, 3);
            };
        }
        return a;
    }

    static KernelCase vote(String v, Gen g, int n, int block) {
        int[] a = votes(g, n);
        int[] out = new int[5 * n];
        for (int i = 0; i < n; i++) {
            int ln = i % 32, w = i - ln;
            int bal = 0;
            for (int j = 0; j < 32; j++) {
                if (w + j < n && a[w + j] > 0) {
                    bal |= 1 << j;
                }
            }
            out[i] = bal != 0 ? 1 : 0;
            out[n + i] = bal == -1 ? 1 : 0;
            out[2 * n + i] = bal;
            out[3 * n + i] = bal == 0 || bal == -1 ? 1 : 0;
            out[4 * n + i] = Integer.bitCount(bal & ((1 << ln) - 1));
        }
        return new CaseBuilder(PTX, "warp_vote", v).cover(n, block).in("a", a).out("out", out).u32("n", n).build();
    }

    static KernelCase match(String v, Gen g, int n, int block) {
        int[] a = new int[n];
        long[] l = new long[n];
        for (int i = 0; i < n; i++) {
            int w = i / 32;
            a[i] = w % 3 == 0 ? 42 : g.range(0, 3) * 0x10001;
            l[i] = w % 3 == 1 ? 7L << 40 : ((long) g.range(0, 2) << 33) | 5; // differ only in the high word
        }
        int[] out = new int[5 * n];
        for (int i = 0; i < n; i++) {
            int ln = i % 32, w = i - ln;
            int x = a[i];
            long y = l[i];
            int anyX = 0, anyY = 0;
            boolean allX = true, allY = true;
            for (int j = 0; j < 32; j++) {
                int xj = w + j < n ? a[w + j] : 0;
                long yj = w + j < n ? l[w + j] : 0;
                anyX |= xj == x ? 1 << j : 0;
                anyY |= yj == y ? 1 << j : 0;
                allX &= xj == x;
                allY &= yj == y;
            }
            out[i] = anyX;
            out[n + i] = allX ? -1 : 0;
            out[2 * n + i] = allX ? 1 : 0;
            out[3 * n + i] = anyY;
            out[4 * n + i] = allY ? -1 : 0;
        }
        return new CaseBuilder(PTX, "warp_match", v).cover(n, block).in("a", a).in("l", l).out("out", out)
                .u32("n", n).build();
    }

    static KernelCase redux(String v, Gen g, int n, int block) {
        int[] a = g.intsWithEdges(n);
        int[] out = new int[8 * n];
        for (int i = 0; i < n; i++) {
            int ln = i % 32, w = i - ln;
            int sum = 0, mins = Integer.MAX_VALUE, maxs = Integer.MIN_VALUE, minu = -1, maxu = 0, and = -1, or = 0,
                    xor = 0;
            for (int j = 0; j < 32; j++) {
                int x = lane(a, w, j, n);
                sum += x;
                mins = Math.min(mins, x);
                maxs = Math.max(maxs, x);
                minu = AtomicsCases.minU(minu, x);
                maxu = AtomicsCases.maxU(maxu, x);
                and &= x;
                or |= x;
                xor ^= x;
            }
            int[] r = {sum, mins, maxs, minu, maxu, and, or, xor};
            for (int k = 0; k < 8; k++) {
                out[k * n + i] = r[k];
            }
        }
        return new CaseBuilder(PTX, "warp_redux", v).cover(n, block).in("a", a).out("out", out).u32("n", n).build();
    }

    static KernelCase activemask(String v, Gen g, int n, int block) {
        int[] a = g.small(n, -3, 3);
        int[] out = new int[8 * n];
        for (int i = 0; i < n; i++) {
            int ln = (i % block) % 32;
            int eq = 1 << ln, lt = eq - 1, le = lt | eq;
            out[i] = 1;
            out[n + i] = ln;
            out[2 * n + i] = eq;
            out[3 * n + i] = lt;
            out[4 * n + i] = le;
            out[5 * n + i] = ~le;
            out[6 * n + i] = ~lt;
            out[7 * n + i] = a[i] > 0 ? 1 : 0;
        }
        return new CaseBuilder(PTX, "warp_activemask_lanes", v).cover(n, block).in("a", a).out("out", out)
                .u32("n", n).build();
    }
}
