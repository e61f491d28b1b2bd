package org.transcuda.corpus;

import java.util.ArrayList;
import java.util.List;

/** corpus/src/control.cu: switches, jump tables, loops, divergent branches, early exits. */
final class ControlCases {

    private static final String PTX = "control.ptx";

    private ControlCases() {
    }

    static List<KernelCase> cases() {
        List<KernelCase> out = new ArrayList<>();
        Gen g = new Gen(0xC7);
        out.add(switchDense("", g, 500, 128));
        out.add(brx("", g, 300, 64));
        out.add(switchSparse("", g, 300, 64));
        out.add(collatz("", g, 300, 64));
        out.add(nested("", g, 200, 64, 13));
        out.add(nested("len0", g, 40, 32, 0));
        out.add(doWhile("", g, 400, 128));
        for (int mode : new int[] {0, 1, 2, -5}) {
            out.add(earlyExit("mode" + mode, g, 300, 64, mode));
        }
        out.add(paramLoop("", g, 300, 64, -100, 250, 17));
        out.add(paramLoop("iters0", g, 100, 64, 0, 10, 0));
        out.add(paramLoop("wide", g, 200, 64, Integer.MIN_VALUE, Integer.MAX_VALUE, 3));
        return out;
    }

    static int dense(int k, int x) {
        return switch (k) {
            case 0 -> x + 1;
            case 1 -> x * 3;
            case 2 -> x ^ 0x55;
            case 3 -> x << 2;
            case 4 -> x >>> 1;
            case 5 -> ~x;
            case 6 -> x - 100;
            case 7 -> x * x;
            case 8 -> x | 0xf0;
            case 9 -> x & 0x0f;
            case 10 -> Integer.bitCount(x);
            case 11 -> Integer.numberOfLeadingZeros(x);
            case 12 -> x * 7 + 5;
            case 13 -> Integer.divideUnsigned(x, 3);
            case 14 -> Integer.remainderUnsigned(x, 10);
            default -> -x;
        };
    }

    static KernelCase switchDense(String v, Gen g, int n, int block) {
        int[] a = new int[n], b = g.intsWithEdges(n), out = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i < 64 ? i - 16 : g.nextInt();
            out[i] = dense(a[i] & 15, b[i]);
        }
        return new CaseBuilder(PTX, "ctrl_switch_dense", v).cover(n, block).in("a", a).in("b", b).out("out", out)
                .u32("n", n).build();
    }

    static KernelCase brx(String v, Gen g, int n, int block) {
        int[] a = g.ints(n), b = g.intsWithEdges(n), out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = new int[] {10, 20, 30, 40}[a[i] & 3] + b[i];
        }
        return new CaseBuilder(PTX, "ctrl_brx_idx", v).cover(n, block).in("a", a).in("b", b).out("out", out)
                .u32("n", n).build();
    }

    static KernelCase switchSparse(String v, Gen g, int n, int block) {
        int[] keys = {1, 10, 100, 1000, -7, 65536};
        int[] a = new int[n], out = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = switch (i % 4) {
                case 0 -> keys[(i / 4) % keys.length];
                case 1 -> keys[(i / 4) % keys.length] + (g.nextBoolean() ? 1 : -1);
                case 2 -> g.range(-10, 12);
                default -> g.nextInt();
            };
            int r = 0;
            for (int k = 0; k < keys.length; k++) {
                if (a[i] == keys[k]) {
                    r = k + 1;
                }
            }
            out[i] = r;
        }
        return new CaseBuilder(PTX, "ctrl_switch_sparse", v).cover(n, block).in("a", a).out("out", out)
                .u32("n", n).build();
    }

    static KernelCase collatz(String v, Gen g, int n, int block) {
        int[] a = new int[n], steps = new int[n];
        long[] peak = new long[n];
        int[] edges = {0, 1, 2, 3, 7, 27, 97, 871, 77031, 837799, 8400511, 63728127, -1, 0x7fffffff, 0x80000000};
        for (int i = 0; i < n; i++) {
            a[i] = i < edges.length ? edges[i] : g.nextBoolean() ? g.range(1, 100000) : g.nextInt();
            long x = a[i] & 0xffffffffL, mx = x;
            int s = 0;
            while (x != 1) {
                if (s >= 1000) {
                    break;
                }
                x = (x & 1) != 0 ? 3 * x + 1 : x >>> 1;
                mx = Long.compareUnsigned(x, mx) > 0 ? x : mx;
                s++;
            }
            steps[i] = s;
            peak[i] = mx;
        }
        return new CaseBuilder(PTX, "ctrl_collatz", v).cover(n, block).in("a", a).out("steps", steps)
                .out("peak", peak).u32("n", n).build();
    }

    static KernelCase nested(String v, Gen g, int n, int block, int len) {
        int[] a = new int[Math.max(1, n * len)];
        for (int k = 0; k < a.length; k++) {
            a[k] = switch (k % 5) {
                case 0 -> 0;
                case 1 -> g.range(-300, 300);
                case 2 -> g.nextInt();
                default -> g.range(-5, 150);
            };
        }
        int[] out = new int[4 * n];
        for (int i = 0; i < n; i++) {
            int neg = 0, oddNeg = 0, big = 0, pos = 0;
            for (int k = 0; k < len; k++) {
                int x = a[i * len + k];
                if (x == 0) {
                    continue;
                }
                if (x < 0) {
                    if ((x & 1) == 0) {
                        neg += x;
                    } else {
                        oddNeg++;
                    }
                } else if (x > 100) {
                    big++;
                } else {
                    pos += x;
                }
            }
            out[4 * i] = neg;
            out[4 * i + 1] = oddNeg;
            out[4 * i + 2] = big;
            out[4 * i + 3] = pos;
        }
        return new CaseBuilder(PTX, "ctrl_nested_branches", v).cover(n, block).in("a", a).out("out", out)
                .u32("len", len).u32("n", n).build();
    }

    static KernelCase doWhile(String v, Gen g, int n, int block) {
        int[] a = g.intsWithEdges(n), out = new int[n];
        for (int i = 0; i < n; i++) {
            String s = Integer.toUnsignedString(a[i]);
            int sum = 0;
            for (char c : s.toCharArray()) {
                sum += c - '0';
            }
            out[i] = s.length() + 100 * sum;
        }
        return new CaseBuilder(PTX, "ctrl_do_while_goto", v).cover(n, block).in("a", a).out("out", out)
                .u32("n", n).build();
    }

    static KernelCase earlyExit(String v, Gen g, int n, int block, int mode) {
        int[] a = g.intsWithEdges(n);
        int[] out = CaseBuilder.sentinel32(n), flag = CaseBuilder.sentinel32(n);
        for (int i = 0; i < n; i++) {
            int x = a[i];
            if (mode == 0) {
                out[i] = x;
            } else if (mode == 1) {
                if (x < 0) {
                    continue;
                }
                out[i] = x * 2;
            } else {
                out[i] = -1;
            }
            flag[i] = 1;
        }
        return new CaseBuilder(PTX, "ctrl_early_exit", v).cover(n, block).in("a", a).out("out", out)
                .out("flag", flag).u32("mode", mode).u32("n", n).build();
    }

    static KernelCase paramLoop(String v, Gen g, int n, int block, int lo, int hi, int iters) {
        int[] a = g.intsWithEdges(n), out = new int[n];
        long w = (long) hi - lo;
        for (int i = 0; i < n; i++) {
            long x = a[i];
            for (int k = 0; k < iters; k++) {
                x = x > hi ? x - w : (x < lo ? x + w : x);
            }
            out[i] = (int) x;
        }
        return new CaseBuilder(PTX, "ctrl_param_loop", v).cover(n, block).in("a", a).out("out", out).u32("lo", lo)
                .u32("hi", hi).u32("iters", iters).u32("n", n).build();
    }
}
