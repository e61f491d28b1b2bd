package org.transcuda.corpus;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** corpus/src/arith_int.cu: 32/64-bit integer arithmetic, division, wide/high multiplies, carry chains. */
final class ArithIntCases {

    private static final String PTX = "arith_int.ptx";

    private ArithIntCases() {
    }

    static List<KernelCase> cases() {
        List<KernelCase> out = new ArrayList<>();
        Gen g = new Gen(0x1A1);
        int[][] p = Gen.pairs(Gen.INT_EDGES, 300, g);
        int[] a = p[0], b = p[1], c = Gen.rotate(p[1], 7);
        out.add(arithU32("", a, b, c, 128));
        out.add(arithU32("block40", Arrays.copyOf(a, 100), Arrays.copyOf(b, 100), Arrays.copyOf(c, 100), 40));
        out.add(divremS32("", a, b, c, 64));
        out.add(divremS32("block96", Arrays.copyOf(c, 500), Arrays.copyOf(a, 500), Arrays.copyOf(b, 500), 96));
        out.add(divremU32("", a, b, c, 64));
        out.add(minmax("", a, b, 128));
        out.add(minmax("block33", Arrays.copyOf(b, 70), Arrays.copyOf(a, 70), 33));
        out.add(mulWideHi("", a, b, c, 64));
        long[][] lp = Gen.pairs(Gen.LONG_EDGES, 300, g);
        out.add(arith64("", lp[0], lp[1], Gen.rotate(lp[1], 5), 64));
        out.add(arith64("block48", Arrays.copyOf(lp[1], 90), Arrays.copyOf(lp[0], 90), Arrays.copyOf(lp[0], 90), 48));
        out.add(carryChain("", g, 300, 64));
        out.add(mul64x64("", lp[0], lp[1], 128));
        out.add(u128("", g, 257, 64));
        return out;
    }

    static KernelCase arithU32(String v, int[] a, int[] b, int[] c, int block) {
        int n = a.length;
        int[] out = new int[4 * n];
        for (int i = 0; i < n; i++) {
            out[i] = a[i] + b[i];
            out[n + i] = a[i] - b[i];
            out[2 * n + i] = a[i] * b[i];
            out[3 * n + i] = a[i] * b[i] + c[i];
        }
        return new CaseBuilder(PTX, "int_arith_u32", v).cover(n, block).in("a", a).in("b", b).in("c", c)
                .out("out", out).u32("n", n).build();
    }

    static KernelCase divremS32(String v, int[] a, int[] b, int[] c, int block) {
        int n = a.length;
        int[] q = new int[n], r = new int[n];
        for (int i = 0; i < n; i++) {
            int x = a[i], y = b[i], z = c[i];
            q[i] = (y == 0 || x == Integer.MIN_VALUE && y == -1) ? 0 : x / y;
            r[i] = (z == 0 || x == Integer.MIN_VALUE && z == -1) ? 0 : x % z;
        }
        return new CaseBuilder(PTX, "int_divrem_s32", v).cover(n, block).in("a", a).in("b", b).in("c", c)
                .out("q", q).out("r", r).u32("n", n).build();
    }

    static KernelCase divremU32(String v, int[] a, int[] b, int[] c, int block) {
        int n = a.length;
        int[] q = new int[n], r = new int[n];
        for (int i = 0; i < n; i++) {
            q[i] = b[i] == 0 ? 0 : Integer.divideUnsigned(a[i], b[i]);
            r[i] = c[i] == 0 ? 0 : Integer.remainderUnsigned(a[i], c[i]);
        }
        return new CaseBuilder(PTX, "int_divrem_u32", v).cover(n, block).in("a", a).in("b", b).in("c", c)
                .out("q", q).out("r", r).u32("n", n).build();
    }

    static KernelCase minmax(String v, int[] a, int[] b, int block) {
        int n = a.length;
        int[] out = new int[6 * n];
        for (int i = 0; i < n; i++) {
            int x = a[i], y = b[i];
            out[i] = Math.min(x, y);
            out[n + i] = Math.max(x, y);
            out[2 * n + i] = Integer.compareUnsigned(x, y) <= 0 ? x : y;
            out[3 * n + i] = Integer.compareUnsigned(x, y) >= 0 ? x : y;
            out[4 * n + i] = x < 0 ? -x : x; // |INT_MIN| wraps to INT_MIN
            out[5 * n + i] = -x;
        }
        return new CaseBuilder(PTX, "int_minmax_abs_neg", v).cover(n, block).in("a", a).in("b", b).out("out", out)
                .u32("n", n).build();
    }

    static int sad(int a, int b, int c, boolean signed) {
        boolean less = signed ? a < b : Integer.compareUnsigned(a, b) < 0;
        return c + (less ? b - a : a - b);
    }

    static KernelCase mulWideHi(String v, int[] a, int[] b, int[] c, int block) {
        int n = a.length;
        long[] ws = new long[n], wu = new long[n];
        int[] hi = new int[6 * n];
        for (int i = 0; i < n; i++) {
            int x = a[i], y = b[i], z = c[i];
            ws[i] = (long) x * (long) y;
            wu[i] = Integer.toUnsignedLong(x) * Integer.toUnsignedLong(y);
            hi[i] = (int) (((long) x * (long) y) >> 32);
            hi[n + i] = (int) (wu[i] >>> 32);
            hi[2 * n + i] = ((x << 8) >> 8) * ((y << 8) >> 8);
            hi[3 * n + i] = (x & 0xffffff) * (y & 0xffffff);
            hi[4 * n + i] = sad(x, y, z, true);
            hi[5 * n + i] = sad(x, y, z, false);
        }
        return new CaseBuilder(PTX, "int_mul_wide_hi", v).cover(n, block).in("a", a).in("b", b).in("c", c)
                .out("ws", ws).out("wu", wu).out("hi", hi).u32("n", n).build();
    }

    static KernelCase arith64(String v, long[] a, long[] b, long[] c, int block) {
        int n = a.length;
        long[] out = new long[12 * n];
        for (int i = 0; i < n; i++) {
            long x = a[i], y = b[i], z = c[i];
            out[i] = x + y;
            out[n + i] = x - y;
            out[2 * n + i] = x * y;
            out[3 * n + i] = x * y + z;
            out[4 * n + i] = (y == 0 || x == Long.MIN_VALUE && y == -1) ? 0 : x / y;
            out[5 * n + i] = (z == 0 || x == Long.MIN_VALUE && z == -1) ? 0 : x % z;
            out[6 * n + i] = y == 0 ? 0 : Long.divideUnsigned(x, y);
            out[7 * n + i] = z == 0 ? 0 : Long.remainderUnsigned(x, z);
            out[8 * n + i] = Math.min(x, y);
            out[9 * n + i] = Math.max(x, y);
            out[10 * n + i] = Math.multiplyHigh(x, y);
            out[11 * n + i] = Math.unsignedMultiplyHigh(x, y);
        }
        return new CaseBuilder(PTX, "int_arith_64", v).cover(n, block).in("a", a).in("b", b).in("c", c)
                .out("out", out).u32("n", n).build();
    }

    static KernelCase carryChain(String v, Gen g, int n, int block) {
        int[] a = new int[4 * n], b = new int[4 * n];
        int[] limbEdges = {0, -1, 1, 0x80000000, 0x7fffffff, -2};
        for (int k = 0; k < 4 * n; k++) {
            if (k < 4 * 36) {
                // all combinations of edge limbs to exercise carry/borrow propagation through every limb
                int i = k / 4;
                a[k] = limbEdges[i % 6];
                b[k] = limbEdges[(i / 6) % 6];
                if ((k & 3) == 3 && i % 2 == 1) {
                    a[k] = g.nextInt();
                }
            } else {
                a[k] = g.nextInt(3) == 0 ? -1 : g.nextInt();
                b[k] = g.nextInt(3) == 0 ? 1 : g.nextInt();
            }
        }
        int[] s = new int[4 * n], d = new int[4 * n];
        for (int i = 0; i < n; i++) {
            BigInteger x = limbs(a, i), y = limbs(b, i);
            BigInteger mod = BigInteger.ONE.shiftLeft(128);
            toLimbs(x.add(y).mod(mod), s, i);
            toLimbs(x.subtract(y).mod(mod), d, i);
        }
        return new CaseBuilder(PTX, "int_carry_chain_128", v).cover(n, block).in("a", a).in("b", b).out("s", s)
                .out("d", d).u32("n", n).build();
    }

    private static BigInteger limbs(int[] a, int i) {
        BigInteger x = BigInteger.ZERO;
        for (int j = 3; j >= 0; j--) {
            x = x.shiftLeft(32).or(BigInteger.valueOf(Integer.toUnsignedLong(a[4 * i + j])));
        }
        return x;
    }

    private static void toLimbs(BigInteger x, int[] out, int i) {
        for (int j = 0; j < 4; j++) {
            out[4 * i + j] = x.shiftRight(32 * j).intValue();
        }
    }

    /** Literal simulation of the mad.lo.cc / madc.hi.cc chain in the kernel's inline PTX. */
    static int[] mulChain(long a, long b) {
        long a0 = a & 0xffffffffL, a1 = a >>> 32, b0 = b & 0xffffffffL, b1 = b >>> 32;
        long r0 = (a0 * b0) & 0xffffffffL;
        long r1 = (a0 * b0) >>> 32;
        long r2 = (a1 * b1) & 0xffffffffL;
        long r3 = (a1 * b1) >>> 32;
        long t = ((a0 * b1) & 0xffffffffL) + r1;
        r1 = t & 0xffffffffL;
        t = ((a0 * b1) >>> 32) + r2 + (t >>> 32);
        r2 = t & 0xffffffffL;
        r3 = (r3 + (t >>> 32)) & 0xffffffffL;
        t = ((a1 * b0) & 0xffffffffL) + r1;
        r1 = t & 0xffffffffL;
        t = ((a1 * b0) >>> 32) + r2 + (t >>> 32);
        r2 = t & 0xffffffffL;
        r3 = (r3 + (t >>> 32)) & 0xffffffffL;
        return new int[] {(int) r0, (int) r1, (int) r2, (int) r3};
    }

    static KernelCase mul64x64(String v, long[] a, long[] b, int block) {
        int n = a.length;
        int[] p = new int[4 * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(mulChain(a[i], b[i]), 0, p, 4 * i, 4);
        }
        return new CaseBuilder(PTX, "int_mul_64x64_128", v).cover(n, block).in("a", a).in("b", b).out("p", p)
                .u32("n", n).build();
    }

    static KernelCase u128(String v, Gen g, int n, int block) {
        long[] a = new long[2 * n], b = new long[2 * n];
        for (int k = 0; k < 2 * n; k++) {
            a[k] = k < Gen.LONG_EDGES.length ? Gen.LONG_EDGES[k] : g.anyLong();
            b[k] = k < Gen.LONG_EDGES.length ? Gen.LONG_EDGES[Gen.LONG_EDGES.length - 1 - k] : g.anyLong();
        }
        long[] s = new long[2 * n], m = new long[2 * n];
        BigInteger mod = BigInteger.ONE.shiftLeft(128);
        for (int i = 0; i < n; i++) {
            BigInteger x = u128(a[2 * i], a[2 * i + 1]), y = u128(b[2 * i], b[2 * i + 1]);
            BigInteger sum = x.add(y).mod(mod), prod = x.multiply(y).mod(mod);
            s[2 * i] = sum.longValue();
            s[2 * i + 1] = sum.shiftRight(64).longValue();
            m[2 * i] = prod.longValue();
            m[2 * i + 1] = prod.shiftRight(64).longValue();
        }
        return new CaseBuilder(PTX, "int_u128_native", v).cover(n, block).in("a", a).in("b", b).out("s", s)
                .out("m", m).u32("n", n).build();
    }

    private static BigInteger u128(long lo, long hi) {
        BigInteger h = new BigInteger(Long.toUnsignedString(hi));
        return h.shiftLeft(64).or(new BigInteger(Long.toUnsignedString(lo)));
    }
}
