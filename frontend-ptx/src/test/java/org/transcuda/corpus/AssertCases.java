package org.transcuda.corpus;

import java.util.ArrayList;
import java.util.List;

/** corpus/src/assert.cu: assert() and trap, both on inputs that pass and on inputs that fail on purpose. */
final class AssertCases {

    private static final String PTX = "assert.ptx";

    private AssertCases() {
    }

    static List<KernelCase> cases() {
        List<KernelCase> out = new ArrayList<>();
        Gen g = new Gen(0xA55);
        out.add(nonneg("", g, 300, 64, -1));
        out.add(nonneg("fails", g, 300, 64, 137));
        out.add(exactDiv("", g, 300, 64, -1, 0));
        out.add(exactDiv("fails_zero", g, 300, 64, 5, 1));
        out.add(exactDiv("fails_overflow", g, 300, 64, 250, 2));
        out.add(exactDiv("fails_inexact", g, 300, 64, 33, 3));
        out.add(trap("", g, 300, 64, -1));
        out.add(trap("fails", g, 300, 64, 200));
        return out;
    }

    static KernelCase nonneg(String v, Gen g, int n, int block, int bad) {
        int[] a = new int[n], out = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i == 0 ? Integer.MAX_VALUE : i == 1 ? 0 : g.range(0, Integer.MAX_VALUE);
            out[i] = 2 * a[i];
        }
        CaseBuilder b = new CaseBuilder(PTX, "assert_nonneg", v).cover(n, block).in("a", withBad(a, bad, -5));
        if (bad < 0) {
            return b.out("out", out).u32("n", n).build();
        }
        return b.any("out", 4 * n, 4).u32("n", n).error("CUDA_ERROR_ASSERT", "x >= 0").build();
    }

    static int[] withBad(int[] a, int bad, int value) {
        int[] r = a.clone();
        if (bad >= 0) {
            r[bad] = value;
        }
        return r;
    }

    /** kind: 0 all valid, 1 a zero divisor, 2 INT_MIN / -1, 3 an inexact division. */
    static KernelCase exactDiv(String v, Gen g, int n, int block, int bad, int kind) {
        int[] a = new int[n], b = new int[n], out = new int[n];
        for (int i = 0; i < n; i++) {
            int d = g.nextBoolean() ? g.range(1, 1000) : -g.range(1, 1000);
            int q = g.range(-2000000, 2000000);
            if (i == 0) {
                d = -1;
                q = Integer.MAX_VALUE;
            } else if (i == 1) {
                d = 1;
                q = Integer.MIN_VALUE;
            }
            a[i] = q * d;
            b[i] = d;
            out[i] = q;
        }
        String fragment = null;
        if (kind == 1) {
            b[bad] = 0;
            fragment = "y != 0";
        } else if (kind == 2) {
            a[bad] = Integer.MIN_VALUE;
            b[bad] = -1;
            fragment = "!(x == (-2147483647 - 1) && y == -1)";
        } else if (kind == 3) {
            a[bad] = 7;
            b[bad] = 2;
            fragment = "x % y == 0";
        }
        CaseBuilder c = new CaseBuilder(PTX, "assert_exact_div", v).cover(n, block).in("a", a).in("b", b);
        if (kind == 0) {
            return c.out("out", out).u32("n", n).build();
        }
        return c.any("out", 4 * n, 4).u32("n", n).error("CUDA_ERROR_ASSERT", fragment).build();
    }

    static KernelCase trap(String v, Gen g, int n, int block, int bad) {
        int[] a = new int[n], out = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i == 0 ? Integer.MAX_VALUE : g.range(0, 1 << 30);
            out[i] = a[i] + 1;
        }
        CaseBuilder b = new CaseBuilder(PTX, "assert_trap", v).cover(n, block).in("a", withBad(a, bad, -1));
        if (bad < 0) {
            return b.out("out", out).u32("n", n).build();
        }
        return b.any("out", 4 * n, 4).u32("n", n).error("CUDA_ERROR_ILLEGAL_INSTRUCTION", null).build();
    }
}
