package org.transcuda.corpus;

import java.util.ArrayList;
import java.util.List;

/** corpus/src/sync.cu: barriers (incl. bar.red and named barriers), fences, __syncwarp. */
final class SyncCases {

    private static final String PTX = "sync.ptx";

    private SyncCases() {
    }

    static List<KernelCase> cases() {
        List<KernelCase> out = new ArrayList<>();
        Gen g = new Gen(0x5C);
        out.add(countAndOr("", g, 700, 128));
        out.add(countAndOr("block96", g, 300, 96));
        out.add(blockSum("", g, 1000, 256));
        out.add(blockSum("block64", g, 333, 64));
        out.add(blockSum("block1", g, 5, 1));
        out.add(stencil("", g, 600, 128, 5));
        out.add(stencil("block200", g, 450, 200, 11));
        out.add(stencil("steps0", g, 100, 64, 0));
        out.add(fences("", g, 500, 128));
        out.add(membar("", g, 500, 128));
        out.add(warpExchange("", g, 501, 128));
        out.add(warpExchange("block32", g, 95, 32));
        out.add(named("", g, 500, 128));
        out.add(named("block224", g, 700, 224));
        return out;
    }

    static int[] signedSmall(Gen g, int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i % 97 == 0 ? Integer.MIN_VALUE : g.range(-5, 5);
        }
        return a;
    }

    static KernelCase countAndOr(String v, Gen g, int n, int block) {
        int[] a = signedSmall(g, n);
        int blocks = (n + block - 1) / block;
        // make one block all-positive (for "and") and one all non-positive (for "or")
        for (int i = 0; i < Math.min(block, n); i++) {
            a[i] = g.range(1, 9);
        }
        if (blocks > 2) {
            for (int i = block; i < 2 * block; i++) {
                a[i] = -g.range(0, 9);
            }
        }
        int[] cnt = new int[blocks], all = new int[blocks], any = new int[blocks];
        for (int b = 0; b < blocks; b++) {
            int c = 0;
            for (int t = 0; t < block; t++) {
                int i = b * block + t;
                if (i < n && a[i] > 0) {
                    c++;
                }
            }
            cnt[b] = c;
            all[b] = c == block ? 1 : 0;
            any[b] = c > 0 ? 1 : 0;
        }
        return new CaseBuilder(PTX, "sync_count_and_or", v).cover(n, block).in("a", a).out("cnt", cnt)
                .out("all", all).out("any", any).u32("n", n).build();
    }

    static KernelCase blockSum(String v, Gen g, int n, int block) {
        int[] a = g.intsWithEdges(n);
        int blocks = (n + block - 1) / block;
        int[] sums = new int[blocks];
        for (int i = 0; i < n; i++) {
            sums[i / block] += a[i];
        }
        return new CaseBuilder(PTX, "sync_block_sum", v).cover(n, block).in("a", a).out("sums", sums).u32("n", n)
                .build();
    }

    static KernelCase stencil(String v, Gen g, int n, int block, int steps) {
        int[] a = g.intsWithEdges(n);
        int[] out = new int[n];
        int blocks = (n + block - 1) / block;
        for (int b = 0; b < blocks; b++) {
            int[] s = new int[block];
            for (int t = 0; t < block; t++) {
                int i = b * block + t;
                s[t] = i < n ? a[i] : 0;
            }
            for (int k = 0; k < steps; k++) {
                int[] nx = new int[block];
                for (int t = 0; t < block; t++) {
                    nx[t] = (t > 0 ? s[t - 1] : 0) + s[t] + (t + 1 < block ? s[t + 1] : 0);
                }
                s = nx;
            }
            for (int t = 0; t < block; t++) {
                int i = b * block + t;
                if (i < n) {
                    out[i] = s[t];
                }
            }
        }
        return new CaseBuilder(PTX, "sync_stencil_loop", v).cover(n, block).in("a", a).out("out", out)
                .u32("steps", steps).u32("n", n).build();
    }

    static KernelCase fences(String v, Gen g, int n, int block) {
        int[] a = g.intsWithEdges(n), data = new int[n], flag = new int[n];
        for (int i = 0; i < n; i++) {
            data[i] = a[i] + 1;
            flag[i] = 2;
        }
        return new CaseBuilder(PTX, "sync_fences", v).cover(n, block).in("a", a).out("data", data).out("flag", flag)
                .out("out", data).u32("n", n).build();
    }

    static KernelCase membar(String v, Gen g, int n, int block) {
        int[] a = g.intsWithEdges(n), data = new int[n];
        for (int i = 0; i < n; i++) {
            data[i] = 2 * a[i];
        }
        return new CaseBuilder(PTX, "sync_membar_ptx", v).cover(n, block).in("a", a).out("data", data)
                .out("out", data).u32("n", n).build();
    }

    static KernelCase warpExchange(String v, Gen g, int n, int block) {
        int[] a = g.ints(n), out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = (i ^ 1) < n ? a[i ^ 1] : 0;
        }
        return new CaseBuilder(PTX, "sync_warp_exchange", v).cover(n, block).in("a", a).out("out", out).u32("n", n)
                .build();
    }

    static KernelCase named(String v, Gen g, int n, int block) {
        int[] a = g.ints(n), out = new int[n];
        for (int i = 0; i < n; i++) {
            int b = i / block * block, t = i % block, m = block;
            int j1 = (t + 1) % m, j2 = m - 1 - (t + 2) % m;
            int s1 = b + j1 < n ? a[b + j1] : 0, s2 = b + j2 < n ? a[b + j2] : 0;
            out[i] = s1 + s2;
        }
        return new CaseBuilder(PTX, "sync_named_barrier", v).cover(n, block).in("a", a).out("out", out).u32("n", n)
                .build();
    }
}
