package org.transcuda.backend.cpu;

import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Atomic read-modify-write on device memory ({@code atom}/{@code red}), at a native address that the caller has
 * resolved and checked (see {@link Mem}). Integer add/and/or/xor/exchange/CAS map to VarHandle atomics on the
 * segment; min/max/inc/dec and float adds are CAS loops. All are atomic across worker threads (blocks running
 * in parallel), in global and shared memory alike, and sequentially consistent (stronger than PTX asks).
 *
 * <p>Op codes: {@link #ADD} .. {@link #CAS} in {@code org.transcuda.ir.Memory.AtomicOp} order; {@link #UNSIGNED}
 * is or-ed in for unsigned min/max. {@code atom.add.f32} rounds to nearest even and flushes subnormal inputs
 * and results to sign-preserving zero, as the PTX ISA specifies; {@code atom.add.f64} does not flush.
 */
final class Atom {
    static final int ADD = 0, SUB = 1, MIN = 2, MAX = 3, INC = 4, DEC = 5, AND = 6, OR = 7, XOR = 8, EXCH = 9,
            CAS = 10, UNSIGNED = 16;

    private static final VarHandle VH32 = ValueLayout.JAVA_INT.varHandle();
    private static final VarHandle VH64 = ValueLayout.JAVA_LONG.varHandle();

    private Atom() {
    }

    static int a32(long p, int op, int a, int b) {
        switch (op) {
            case ADD, ADD | UNSIGNED:
                return (int) VH32.getAndAdd(Mem.ALL, p, a);
            case SUB, SUB | UNSIGNED:
                return (int) VH32.getAndAdd(Mem.ALL, p, -a);
            case AND, AND | UNSIGNED:
                return (int) VH32.getAndBitwiseAnd(Mem.ALL, p, a);
            case OR, OR | UNSIGNED:
                return (int) VH32.getAndBitwiseOr(Mem.ALL, p, a);
            case XOR, XOR | UNSIGNED:
                return (int) VH32.getAndBitwiseXor(Mem.ALL, p, a);
            case EXCH, EXCH | UNSIGNED:
                return (int) VH32.getAndSet(Mem.ALL, p, a);
            case CAS, CAS | UNSIGNED:
                return (int) VH32.compareAndExchange(Mem.ALL, p, a, b);
            default:
                break;
        }
        int old = (int) VH32.getVolatile(Mem.ALL, p);
        while (true) {
            int nv = switch (op) {
                case MIN -> Math.min(old, a);
                case MAX -> Math.max(old, a);
                case MIN | UNSIGNED -> Rt.minU32(old, a);
                case MAX | UNSIGNED -> Rt.maxU32(old, a);
                case INC, INC | UNSIGNED -> Integer.compareUnsigned(old, a) >= 0 ? 0 : old + 1;
                case DEC, DEC | UNSIGNED -> old == 0 || Integer.compareUnsigned(old, a) > 0 ? a : old - 1;
                default -> throw new IllegalArgumentException("atomic op " + op);
            };
            if (nv == old) return old;
            int witness = (int) VH32.compareAndExchange(Mem.ALL, p, old, nv);
            if (witness == old) return old;
            old = witness;
        }
    }

    static long a64(long p, int op, long a, long b) {
        switch (op) {
            case ADD, ADD | UNSIGNED:
                return (long) VH64.getAndAdd(Mem.ALL, p, a);
            case SUB, SUB | UNSIGNED:
                return (long) VH64.getAndAdd(Mem.ALL, p, -a);
            case AND, AND | UNSIGNED:
                return (long) VH64.getAndBitwiseAnd(Mem.ALL, p, a);
            case OR, OR | UNSIGNED:
                return (long) VH64.getAndBitwiseOr(Mem.ALL, p, a);
            case XOR, XOR | UNSIGNED:
                return (long) VH64.getAndBitwiseXor(Mem.ALL, p, a);
            case EXCH, EXCH | UNSIGNED:
                return (long) VH64.getAndSet(Mem.ALL, p, a);
            case CAS, CAS | UNSIGNED:
                return (long) VH64.compareAndExchange(Mem.ALL, p, a, b);
            default:
                break;
        }
        long old = (long) VH64.getVolatile(Mem.ALL, p);
        while (true) {
            long nv = switch (op) {
                case MIN -> Math.min(old, a);
                case MAX -> Math.max(old, a);
                case MIN | UNSIGNED -> Rt.minU64(old, a);
                case MAX | UNSIGNED -> Rt.maxU64(old, a);
                case INC, INC | UNSIGNED -> Long.compareUnsigned(old, a) >= 0 ? 0 : old + 1;
                case DEC, DEC | UNSIGNED -> old == 0 || Long.compareUnsigned(old, a) > 0 ? a : old - 1;
                default -> throw new IllegalArgumentException("atomic op " + op);
            };
            if (nv == old) return old;
            long witness = (long) VH64.compareAndExchange(Mem.ALL, p, old, nv);
            if (witness == old) return old;
            old = witness;
        }
    }

    static float af32(long p, int op, float a, float b) {
        switch (op) {
            case EXCH:
                return Float.intBitsToFloat((int) VH32.getAndSet(Mem.ALL, p, Float.floatToRawIntBits(a)));
            case CAS:
                return Float.intBitsToFloat((int) VH32.compareAndExchange(Mem.ALL, p, Float.floatToRawIntBits(a),
                        Float.floatToRawIntBits(b)));
            default:
                break;
        }
        int old = (int) VH32.getVolatile(Mem.ALL, p);
        while (true) {
            float o = Float.intBitsToFloat(old);
            float r = switch (op) {
                case ADD -> Fp.add(o, a, Fp.RN, true);
                case SUB -> Fp.sub(o, a, Fp.RN, true);
                case MIN -> Fp.min(o, a, false);
                case MAX -> Fp.max(o, a, false);
                default -> throw new IllegalArgumentException("atomic f32 op " + op);
            };
            int nv = Float.floatToRawIntBits(r);
            if (nv == old) return o;
            int witness = (int) VH32.compareAndExchange(Mem.ALL, p, old, nv);
            if (witness == old) return o;
            old = witness;
        }
    }

    static double af64(long p, int op, double a, double b) {
        switch (op) {
            case EXCH:
                return Double.longBitsToDouble((long) VH64.getAndSet(Mem.ALL, p, Double.doubleToRawLongBits(a)));
            case CAS:
                return Double.longBitsToDouble((long) VH64.compareAndExchange(Mem.ALL, p, Double.doubleToRawLongBits(a),
                        Double.doubleToRawLongBits(b)));
            default:
                break;
        }
        long old = (long) VH64.getVolatile(Mem.ALL, p);
        while (true) {
            double o = Double.longBitsToDouble(old);
            double r = switch (op) {
                case ADD -> o + a;
                case SUB -> o - a;
                case MIN -> Fp.min(o, a);
                case MAX -> Fp.max(o, a);
                default -> throw new IllegalArgumentException("atomic f64 op " + op);
            };
            long nv = Double.doubleToRawLongBits(r);
            if (nv == old) return o;
            long witness = (long) VH64.compareAndExchange(Mem.ALL, p, old, nv);
            if (witness == old) return o;
            old = witness;
        }
    }

    static void fence() {
        VarHandle.fullFence();
    }

    // ---- the new value of each operation (shared by the window versions) ----

    static int apply32(int op, int old, int a, int b) {
        return switch (op) {
            case ADD, ADD | UNSIGNED -> old + a;
            case SUB, SUB | UNSIGNED -> old - a;
            case AND, AND | UNSIGNED -> old & a;
            case OR, OR | UNSIGNED -> old | a;
            case XOR, XOR | UNSIGNED -> old ^ a;
            case EXCH, EXCH | UNSIGNED -> a;
            case CAS, CAS | UNSIGNED -> old == a ? b : old;
            case MIN -> Math.min(old, a);
            case MAX -> Math.max(old, a);
            case MIN | UNSIGNED -> Rt.minU32(old, a);
            case MAX | UNSIGNED -> Rt.maxU32(old, a);
            case INC, INC | UNSIGNED -> Integer.compareUnsigned(old, a) >= 0 ? 0 : old + 1;
            case DEC, DEC | UNSIGNED -> old == 0 || Integer.compareUnsigned(old, a) > 0 ? a : old - 1;
            default -> throw new IllegalArgumentException("atomic op " + op);
        };
    }

    static long apply64(int op, long old, long a, long b) {
        return switch (op) {
            case ADD, ADD | UNSIGNED -> old + a;
            case SUB, SUB | UNSIGNED -> old - a;
            case AND, AND | UNSIGNED -> old & a;
            case OR, OR | UNSIGNED -> old | a;
            case XOR, XOR | UNSIGNED -> old ^ a;
            case EXCH, EXCH | UNSIGNED -> a;
            case CAS, CAS | UNSIGNED -> old == a ? b : old;
            case MIN -> Math.min(old, a);
            case MAX -> Math.max(old, a);
            case MIN | UNSIGNED -> Rt.minU64(old, a);
            case MAX | UNSIGNED -> Rt.maxU64(old, a);
            case INC, INC | UNSIGNED -> Long.compareUnsigned(old, a) >= 0 ? 0 : old + 1;
            case DEC, DEC | UNSIGNED -> old == 0 || Long.compareUnsigned(old, a) > 0 ? a : old - 1;
            default -> throw new IllegalArgumentException("atomic op " + op);
        };
    }

    static float applyF32(int op, float old, float a, float b) {
        return switch (op) {
            case ADD -> Fp.add(old, a, Fp.RN, true);
            case SUB -> Fp.sub(old, a, Fp.RN, true);
            case MIN -> Fp.min(old, a, false);
            case MAX -> Fp.max(old, a, false);
            case EXCH -> a;
            case CAS -> Float.floatToRawIntBits(old) == Float.floatToRawIntBits(a) ? b : old;
            default -> throw new IllegalArgumentException("atomic f32 op " + op);
        };
    }

    static double applyF64(int op, double old, double a, double b) {
        return switch (op) {
            case ADD -> old + a;
            case SUB -> old - a;
            case MIN -> Fp.min(old, a);
            case MAX -> Fp.max(old, a);
            case EXCH -> a;
            case CAS -> Double.doubleToRawLongBits(old) == Double.doubleToRawLongBits(a) ? b : old;
            default -> throw new IllegalArgumentException("atomic f64 op " + op);
        };
    }

    // ---- shared memory (an int[] window touched by one Java thread): plain read-modify-write ----

    static int s32(int[] w, long off, int op, int a, int b) {
        int i = (int) (off >>> 2);
        int old = w[i];
        w[i] = apply32(op, old, a, b);
        return old;
    }

    static long s64(int[] w, long off, int op, long a, long b) {
        long old = Mem.get64(w, off);
        Mem.set64(w, off, apply64(op, old, a, b));
        return old;
    }

    static float sf32(int[] w, long off, int op, float a, float b) {
        int i = (int) (off >>> 2);
        float old = Float.intBitsToFloat(w[i]);
        w[i] = Float.floatToRawIntBits(applyF32(op, old, a, b));
        return old;
    }

    static double sf64(int[] w, long off, int op, double a, double b) {
        double old = Double.longBitsToDouble(Mem.get64(w, off));
        Mem.set64(w, off, Double.doubleToRawLongBits(applyF64(op, old, a, b)));
        return old;
    }

    // ---- generic addresses: global memory atomically, windows plainly ----

    static int g32(SiteCache c, long a, int op, int x, int y) {
        if (Windows.tag(a) == 0) return a32(Mem.at(c, a, 2), op, x, y);
        long[] o = new long[1];
        int[] w = c.atomicWindow(a, o);
        return s32(w, o[0], op, x, y);
    }

    static long g64(SiteCache c, long a, int op, long x, long y) {
        if (Windows.tag(a) == 0) return a64(Mem.at(c, a, 3), op, x, y);
        long[] o = new long[1];
        int[] w = c.atomicWindow(a, o);
        return s64(w, o[0], op, x, y);
    }

    static float gf32(SiteCache c, long a, int op, float x, float y) {
        if (Windows.tag(a) == 0) return af32(Mem.at(c, a, 2), op, x, y);
        long[] o = new long[1];
        int[] w = c.atomicWindow(a, o);
        return sf32(w, o[0], op, x, y);
    }

    static double gf64(SiteCache c, long a, int op, double x, double y) {
        if (Windows.tag(a) == 0) return af64(Mem.at(c, a, 3), op, x, y);
        long[] o = new long[1];
        int[] w = c.atomicWindow(a, o);
        return sf64(w, o[0], op, x, y);
    }
}
