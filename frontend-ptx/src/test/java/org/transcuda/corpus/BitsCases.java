package org.transcuda.corpus;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** corpus/src/bits.cu: logic, shifts, funnel shifts, bfe/bfi, prmt, bit counting, lop3. */
final class BitsCases {

    private static final String PTX = "bits.ptx";

    private BitsCases() {
    }

    static List<KernelCase> cases() {
        List<KernelCase> out = new ArrayList<>();
        Gen g = new Gen(0xB175);
        int[][] p = Gen.pairs(Gen.INT_EDGES, 400, g);
        int[] a = p[0], b = p[1], c = Gen.rotate(p[1], 9);
        out.add(logicShift("", a, b, c, 128));
        out.add(logicShift("block50", Arrays.copyOf(c, 120), Arrays.copyOf(a, 120), Arrays.copyOf(b, 120), 50));
        long[][] lp = Gen.pairs(Gen.LONG_EDGES, 300, g);
        int[] s = new int[lp[0].length];
        for (int i = 0; i < s.length; i++) {
            s[i] = i < 200 ? i : g.nextInt();
        }
        out.add(bits64("", lp[0], lp[1], s, 128));
        int[] shifts = new int[a.length];
        for (int i = 0; i < shifts.length; i++) {
            shifts[i] = i % 3 == 0 ? i % 70 : g.nextInt();
        }
        out.add(funnel("", a, b, shifts, 128));
        out.add(field("", g, 1200, 128));
        out.add(permute("", g, a, b, 128));
        out.add(count("", g.intsWithEdges(600), 64));
        out.add(lop3("", a, b, c, 128));
        return out;
    }

    static KernelCase logicShift(String v, int[] a, int[] b, int[] c, int block) {
        int n = a.length;
        int[] out = new int[9 * n];
        for (int i = 0; i < n; i++) {
            int x = a[i], y = b[i], z = c[i], s = y & 31;
            out[i] = x & y;
            out[n + i] = x | y;
            out[2 * n + i] = x ^ y;
            out[3 * n + i] = ~x;
            out[4 * n + i] = x << s;
            out[5 * n + i] = x >>> s;
            out[6 * n + i] = x >> s;
            out[7 * n + i] = (x & ~y) | (z & y);
            out[8 * n + i] = x ^ (y | ~z);
        }
        return new CaseBuilder(PTX, "bits_logic_shift", v).cover(n, block).in("a", a).in("b", b).in("c", c)
                .out("out", out).u32("n", n).build();
    }

    static KernelCase bits64(String v, long[] a, long[] b, int[] s, int block) {
        int n = a.length;
        long[] out = new long[10 * n];
        for (int i = 0; i < n; i++) {
            long x = a[i], y = b[i];
            int k = s[i] & 63;
            out[i] = x & y;
            out[n + i] = x | y;
            out[2 * n + i] = x ^ y;
            out[3 * n + i] = x << k;
            out[4 * n + i] = x >>> k;
            out[5 * n + i] = x >> k;
            out[6 * n + i] = Long.bitCount(x);
            out[7 * n + i] = Long.numberOfLeadingZeros(x);
            out[8 * n + i] = Long.reverse(x);
            out[9 * n + i] = x == 0 ? 0 : Long.numberOfTrailingZeros(x) + 1;
        }
        return new CaseBuilder(PTX, "bits_64", v).cover(n, block).in("a", a).in("b", b).in("s", s).out("out", out)
                .u32("n", n).build();
    }

    static KernelCase funnel(String v, int[] a, int[] b, int[] c, int block) {
        int n = a.length;
        int[] out = new int[6 * n];
        for (int i = 0; i < n; i++) {
            long w = ((long) b[i] << 32) | (a[i] & 0xffffffffL);
            int s = c[i];
            int wrap = s & 31;
            int clamp = Integer.compareUnsigned(s, 32) > 0 ? 32 : s;
            out[i] = (int) ((w << wrap) >>> 32);
            out[n + i] = clamp == 32 ? a[i] : (int) ((w << clamp) >>> 32);
            out[2 * n + i] = (int) (w >>> wrap);
            out[3 * n + i] = clamp == 32 ? b[i] : (int) (w >>> clamp);
            out[4 * n + i] = Integer.rotateLeft(a[i], s & 31);
            out[5 * n + i] = Integer.rotateRight(a[i], s & 31);
        }
        return new CaseBuilder(PTX, "bits_funnel_rotate", v).cover(n, block).in("a", a).in("b", b).in("c", c)
                .out("out", out).u32("n", n).build();
    }

    /** PTX bfe on a value of width {@code msb+1} bits held in a long. */
    static long bfe(long a, int pos, int len, int width, boolean signed) {
        int msb = width - 1;
        long sbit = 0;
        if (signed && len != 0) {
            sbit = (a >>> Math.min(pos + len - 1, msb)) & 1;
        }
        long d = 0;
        for (int i = 0; i <= msb; i++) {
            long bit = (i < len && pos + i <= msb) ? (a >>> (pos + i)) & 1 : sbit;
            d |= bit << i;
        }
        return d;
    }

    /** PTX bfi.b32: insert the low len bits of a into b at pos. */
    static int bfi(int a, int b, int pos, int len) {
        int f = b;
        for (int i = 0; i < len && pos + i <= 31; i++) {
            int bit = (a >>> i) & 1;
            f = (f & ~(1 << (pos + i))) | (bit << (pos + i));
        }
        return f;
    }

    static KernelCase field(String v, Gen g, int n, int block) {
        int[] a = g.intsWithEdges(n), b = Gen.rotate(a, 17), p = new int[n], l = new int[n];
        for (int i = 0; i < n; i++) {
            if (i < 34 * 34) {
                p[i] = i % 34 + (i % 7 == 0 ? 0x100 : 0); // positions 0..33, some with garbage above bit 7
                l[i] = i / 34;
            } else {
                p[i] = g.nextInt(4) == 0 ? g.nextInt() : g.nextInt(70);
                l[i] = g.nextInt(4) == 0 ? g.nextInt() : g.nextInt(70);
            }
        }
        int[] out = new int[5 * n];
        for (int i = 0; i < n; i++) {
            int x = a[i], y = b[i], pos = p[i] & 0xff, len = l[i] & 0xff;
            out[i] = (int) bfe(x & 0xffffffffL, pos, len, 32, false);
            out[n + i] = (int) bfe(x & 0xffffffffL, pos, len, 32, true);
            out[2 * n + i] = bfi(y, x, pos, len);
            long w = ((long) y << 32) | (x & 0xffffffffL);
            out[3 * n + i] = (int) bfe(w, pos, len, 64, false);
            out[4 * n + i] = (x >>> 7) & 0x3ff;
        }
        return new CaseBuilder(PTX, "bits_field", v).cover(n, block).in("a", a).in("b", b).in("p", p).in("l", l)
                .out("out", out).u32("n", n).build();
    }

    private static final int[][][] PRMT_MODES = {
        // f4e
        {{0, 1, 2, 3}, {1, 2, 3, 4}, {2, 3, 4, 5}, {3, 4, 5, 6}},
        // ecr
        {{0, 0, 0, 0}, {0, 1, 1, 1}, {0, 1, 2, 2}, {0, 1, 2, 3}},
        // rc16
        {{0, 1, 0, 1}, {2, 3, 2, 3}, {0, 1, 0, 1}, {2, 3, 2, 3}},
    };

    /** prmt.b32 generic form (4-bit selectors with sign replication). */
    static int prmt(int a, int b, int c) {
        long tmp = ((long) b << 32) | (a & 0xffffffffL);
        int d = 0;
        for (int k = 0; k < 4; k++) {
            int ctl = (c >>> (4 * k)) & 0xf;
            int byt = (int) (tmp >>> (8 * (ctl & 7))) & 0xff;
            if ((ctl & 8) != 0) {
                byt = (byt & 0x80) != 0 ? 0xff : 0;
            }
            d |= byt << (8 * k);
        }
        return d;
    }

    /** prmt.b32 with mode index into PRMT_MODES (entries list source byte for d.b0..d.b3). */
    static int prmtMode(int a, int b, int c, int mode) {
        long tmp = ((long) b << 32) | (a & 0xffffffffL);
        int[] sel = PRMT_MODES[mode][c & 3];
        int d = 0;
        for (int k = 0; k < 4; k++) {
            d |= ((int) (tmp >>> (8 * sel[k])) & 0xff) << (8 * k);
        }
        return d;
    }

    static KernelCase permute(String v, Gen g, int[] a0, int[] b0, int block) {
        int n = 600;
        int[] a = Arrays.copyOf(Gen.rotate(a0, 31), n), b = Arrays.copyOf(b0, n), s = new int[n];
        for (int i = 0; i < n; i++) {
            s[i] = switch (i % 4) {
                case 0 -> i;
                case 1 -> 0x3210 + (i << 16);
                case 2 -> 0x89ab | g.nextInt() << 16;
                default -> g.nextInt();
            };
        }
        int[] out = new int[5 * n];
        for (int i = 0; i < n; i++) {
            out[i] = prmt(a[i], b[i], s[i] & 0x7777); // __byte_perm masks the selector
            out[n + i] = prmt(a[i], 0, 0x0123);
            out[2 * n + i] = prmtMode(a[i], b[i], s[i], 0);
            out[3 * n + i] = prmtMode(a[i], b[i], s[i], 1);
            out[4 * n + i] = prmtMode(a[i], b[i], s[i], 2);
        }
        return new CaseBuilder(PTX, "bits_permute", v).cover(n, block).in("a", a).in("b", b).in("s", s)
                .out("out", out).u32("n", n).build();
    }

    static int bfindU(int x) {
        return x == 0 ? -1 : 31 - Integer.numberOfLeadingZeros(x);
    }

    static KernelCase count(String v, int[] a, int block) {
        int n = a.length;
        int[] out = new int[8 * n];
        for (int i = 0; i < n; i++) {
            int x = a[i];
            out[i] = Integer.bitCount(x);
            out[n + i] = Integer.numberOfLeadingZeros(x);
            out[2 * n + i] = Integer.reverse(x);
            out[3 * n + i] = x == 0 ? 0 : Integer.numberOfTrailingZeros(x) + 1;
            out[4 * n + i] = bfindU(x);
            out[5 * n + i] = bfindU(x < 0 ? ~x : x);
            out[6 * n + i] = x == 0 ? -1 : Integer.numberOfLeadingZeros(x);
            out[7 * n + i] = 31 - Integer.numberOfLeadingZeros(x | 1);
        }
        return new CaseBuilder(PTX, "bits_count", v).cover(n, block).in("a", a).out("out", out).u32("n", n).build();
    }

    static int lop3(int a, int b, int c, int imm) {
        int d = 0;
        for (int i = 0; i < 32; i++) {
            int idx = ((a >>> i & 1) << 2) | ((b >>> i & 1) << 1) | (c >>> i & 1);
            d |= ((imm >>> idx) & 1) << i;
        }
        return d;
    }

    static KernelCase lop3(String v, int[] a, int[] b, int[] c, int block) {
        int n = a.length;
        int[] out = new int[3 * n];
        for (int i = 0; i < n; i++) {
            out[i] = lop3(a[i], b[i], c[i], 0x96);
            out[n + i] = lop3(a[i], b[i], c[i], 0xe8);
            out[2 * n + i] = lop3(a[i], b[i], c[i], 0xca);
        }
        return new CaseBuilder(PTX, "bits_lop3", v).cover(n, block).in("a", a).in("b", b).in("c", c).out("out", out)
                .u32("n", n).build();
    }
}
