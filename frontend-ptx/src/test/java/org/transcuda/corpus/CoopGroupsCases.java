package org.transcuda.corpus;

import java.util.ArrayList;
import java.util.List;

/** corpus/src/coop_groups.cu: thread-block tiles of 16, 8 and 32 threads and the block group. */
final class CoopGroupsCases {

    private static final String PTX = "coop_groups.ptx";

    private CoopGroupsCases() {
    }

    static List<KernelCase> cases() {
        List<KernelCase> out = new ArrayList<>();
        Gen g = new Gen(0xC6);
        out.add(tile16("", g, 500, 128));
        out.add(tile16("block32", g, 45, 32));
        out.add(tile8("", g, 500, 128));
        out.add(warpBlock("", g, 500, 128));
        out.add(warpBlock("block256", g, 600, 256));
        return out;
    }

    static int x(int[] a, int j, int n) {
        return j < n ? a[j] : 0;
    }

    static KernelCase tile16(String v, Gen g, int n, int block) {
        int[] a = g.intsWithEdges(n);
        int[] sums = CaseBuilder.sentinel32((n + 15) / 16), rank = new int[n];
        for (int i = 0; i < n; i++) {
            rank[i] = i % 16;
            if (i % 16 == 0) {
                int s = 0;
                for (int j = 0; j < 16; j++) {
                    s += x(a, i + j, n);
                }
                sums[i / 16] = s;
            }
        }
        return new CaseBuilder(PTX, "cg_tile16_sum", v).cover(n, block).in("a", a).out("sums", sums)
                .out("rank", rank).u32("n", n).build();
    }

    static KernelCase tile8(String v, Gen g, int n, int block) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            int tile = i / 8;
            a[i] = switch (tile % 3) {
                case 0 -> g.range(1, 50);
                case 1 -> -g.range(0, 50);
                default -> g.range(-2, 2);
            };
        }
        int[] out = new int[6 * n];
        for (int i = 0; i < n; i++) {
            int base = i - i % 8, r = i % 8;
            int bal = 0;
            for (int j = 0; j < 8; j++) {
                if (x(a, base + j, n) > 0) {
                    bal |= 1 << j;
                }
            }
            out[i] = bal != 0 ? 1 : 0;
            out[n + i] = bal == 0xff ? 1 : 0;
            out[2 * n + i] = bal;
            out[3 * n + i] = x(a, base + (r + 1) % 8, n);
            out[4 * n + i] = x(a, base + (r ^ 4), n);
            out[5 * n + i] = (i % block) / 8;
        }
        return new CaseBuilder(PTX, "cg_tile8_vote_shfl", v).cover(n, block).in("a", a).out("out", out)
                .u32("n", n).build();
    }

    static KernelCase warpBlock(String v, Gen g, int n, int block) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i % 64 < 32 ? g.range(-4, 4) : g.nextInt();
        }
        a[0] = Integer.MIN_VALUE;
        a[33] = Integer.MAX_VALUE;
        int warps = (n + 31) / 32;
        int[] wsum = CaseBuilder.sentinel32(warps), wmax = CaseBuilder.sentinel32(warps);
        int[] match = new int[n], out = new int[n];
        for (int i = 0; i < n; i++) {
            int w = i - i % 32;
            if (i % 32 == 0) {
                int s = 0, m = Integer.MIN_VALUE;
                for (int j = 0; j < 32; j++) {
                    s += x(a, w + j, n);
                    m = Math.max(m, x(a, w + j, n));
                }
                wsum[i / 32] = s;
                wmax[i / 32] = m;
            }
            int mm = 0;
            for (int j = 0; j < 32; j++) {
                if (x(a, w + j, n) == a[i]) {
                    mm |= 1 << j;
                }
            }
            match[i] = mm;
            int b = i / block * block, t = i % block;
            out[i] = x(a, b + block - 1 - t, n);
        }
        return new CaseBuilder(PTX, "cg_warp_block", v).cover(n, block).in("a", a).out("wsum", wsum)
                .out("wmax", wmax).out("match", match).out("out", out).u32("n", n).build();
    }
}
