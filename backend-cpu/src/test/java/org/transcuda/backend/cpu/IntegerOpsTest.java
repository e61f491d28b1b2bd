package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.transcuda.backend.cpu.Ir.PRED;
import static org.transcuda.backend.cpu.Ir.U32;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.LongBinaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.transcuda.ir.FloatMode;
import org.transcuda.ir.Inst;
import org.transcuda.ir.Opcode;
import org.transcuda.ir.Reg;
import org.transcuda.ir.ScalarType;

/**
 * Integer semantics checked against BigInteger references written from the PTX ISA's definitions: wrap-around,
 * high and wide products, division by zero (NVIDIA: unsigned x/0 = all ones, signed x/0 = -1 or 1, x%0 = x),
 * shifts beyond the width, bit operations, byte permutes, funnel shifts, saturation and carry chains.
 */
class IntegerOpsTest {
    static Gpu gpu;

    @BeforeAll
    static void start() throws Exception {
        gpu = new Gpu(2);
    }

    @AfterAll
    static void stop() {
        gpu.close();
    }

    static final ScalarType[] INTS = {ScalarType.U8, ScalarType.S8, ScalarType.U16, ScalarType.S16, ScalarType.U32,
        ScalarType.S32, ScalarType.U64, ScalarType.S64};

    /** Edge values and random values for a type, as bit patterns (any width; the load truncates). */
    static long[] values(int n, long seed) {
        Random r = new Random(seed);
        long[] edges = {0, 1, -1, 2, -2, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fff_ffffL, 0x8000_0000L,
            0xffff_ffffL, Long.MAX_VALUE, Long.MIN_VALUE, 3, 7, 31, 32, 33, 63, 64, 65};
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = i < edges.length ? edges[i] : switch (i % 4) {
                case 0 -> r.nextLong();
                case 1 -> r.nextInt();
                case 2 -> r.nextInt(200) - 100;
                default -> (long) r.nextInt(1 << 16);
            };
        }
        return v;
    }

    /** The value of bits as type t (sign- or zero-extended from its width). */
    static BigInteger val(long bits, ScalarType t) {
        int w = t.bits();
        BigInteger b = BigInteger.valueOf(bits);
        BigInteger mod = BigInteger.ONE.shiftLeft(w);
        BigInteger u = b.mod(mod);
        if (t.kind() == ScalarType.Kind.SIGNED && u.testBit(w - 1)) u = u.subtract(mod);
        return u;
    }

    /** A value wrapped to type t and widened to 64 bits as the harness stores it. */
    static long wrap(BigInteger v, ScalarType t) {
        return val(v.longValue(), t).longValue();
    }

    static long[] shuffled(long[] v, long seed) {
        long[] c = v.clone();
        Random r = new Random(seed);
        for (int i = c.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            long x = c[i];
            c[i] = c[j];
            c[j] = x;
        }
        return c;
    }

    static long[] binary(Opcode op, ScalarType t, FloatMode m, long[] a, long[] b) throws Exception {
        return OpHarness.run(gpu, t, new ScalarType[] {t, t}, new long[][] {a, b},
                (k, d, s) -> k.op(op, t, m, d, s[0], s[1]));
    }

    @ParameterizedTest
    @EnumSource(value = ScalarType.class, names = {"U8", "S8", "U16", "S16", "U32", "S32", "U64", "S64"})
    void arithmeticWrapsAndDividesLikeNvidia(ScalarType t) throws Exception {
        long[] a = values(400, t.ordinal());
        long[] b = shuffled(a, 99);
        int w = t.bits();
        boolean signed = t.kind() == ScalarType.Kind.SIGNED;
        BigInteger mod = BigInteger.ONE.shiftLeft(w);
        record C(Opcode op, java.util.function.BinaryOperator<BigInteger> ref) {
        }
        List<C> cases = List.of(new C(Opcode.ADD, BigInteger::add), new C(Opcode.SUB, BigInteger::subtract),
                new C(Opcode.MUL, BigInteger::multiply),
                new C(Opcode.MUL_HI, (x, y) -> x.multiply(y).shiftRight(w)),
                new C(Opcode.DIV, (x, y) -> {
                    if (y.signum() == 0) return signed ? (x.signum() < 0 ? BigInteger.ONE : BigInteger.ONE.negate())
                            : mod.subtract(BigInteger.ONE);
                    BigInteger q = x.abs().divide(y.abs());
                    return x.signum() * y.signum() < 0 ? q.negate() : q;
                }),
                new C(Opcode.REM, (x, y) -> {
                    if (y.signum() == 0) return x;
                    BigInteger r = x.abs().mod(y.abs());
                    return x.signum() < 0 ? r.negate() : r;
                }),
                new C(Opcode.MIN, BigInteger::min), new C(Opcode.MAX, BigInteger::max));
        for (C c : cases) {
            if (c.op == Opcode.MUL_HI && w == 8) continue;
            long[] r = binary(c.op, t, FloatMode.NONE, a, b);
            for (int i = 0; i < a.length; i++) {
                BigInteger x = val(a[i], t);
                BigInteger y = val(b[i], t);
                assertEquals(wrap(c.ref.apply(x, y), t), r[i], c.op + "." + t + " " + x + ", " + y);
            }
        }
    }

    @Test
    void wideAndSaturatingForms() throws Exception {
        long[] a = values(300, 5);
        long[] b = shuffled(a, 6);
        for (ScalarType t : new ScalarType[] {ScalarType.U16, ScalarType.S16, ScalarType.U32, ScalarType.S32}) {
            ScalarType wt = ScalarType.valueOf(t.name().charAt(0) + String.valueOf(2 * t.bits()));
            long[] r = OpHarness.run(gpu, wt, new ScalarType[] {t, t}, new long[][] {a, b},
                    (k, d, s) -> k.op(Opcode.MUL_WIDE, t, FloatMode.NONE, d, s[0], s[1]));
            for (int i = 0; i < a.length; i++) {
                assertEquals(wrap(val(a[i], t).multiply(val(b[i], t)), wt), r[i], "mul.wide." + t);
            }
        }
        FloatMode sat = new FloatMode(FloatMode.Rounding.DEFAULT, false, true, false);
        BigInteger max = BigInteger.valueOf(Integer.MAX_VALUE);
        BigInteger min = BigInteger.valueOf(Integer.MIN_VALUE);
        for (Opcode op : new Opcode[] {Opcode.ADD, Opcode.SUB}) {
            long[] r = binary(op, ScalarType.S32, sat, a, b);
            for (int i = 0; i < a.length; i++) {
                BigInteger x = val(a[i], ScalarType.S32);
                BigInteger y = val(b[i], ScalarType.S32);
                BigInteger e = op == Opcode.ADD ? x.add(y) : x.subtract(y);
                assertEquals(e.max(min).min(max).longValue(), r[i], op + ".sat");
            }
        }
        long[] c = shuffled(a, 7);
        long[] r = OpHarness.run(gpu, ScalarType.S32, new ScalarType[] {ScalarType.S32, ScalarType.S32, ScalarType.S32},
                new long[][] {a, b, c}, (k, d, s) -> k.op(Opcode.MAD_HI, ScalarType.S32, sat, d, s[0], s[1], s[2]));
        for (int i = 0; i < a.length; i++) {
            BigInteger e = val(a[i], ScalarType.S32).multiply(val(b[i], ScalarType.S32)).shiftRight(32)
                    .add(val(c[i], ScalarType.S32));
            assertEquals(e.max(min).min(max).longValue(), r[i], "mad.hi.sat");
        }
        long[] r2 = OpHarness.run(gpu, ScalarType.U64, new ScalarType[] {U32, U32, ScalarType.U64},
                new long[][] {a, b, c}, (k, d, s) -> k.op(Opcode.MAD_WIDE, U32, FloatMode.NONE, d, s[0], s[1], s[2]));
        for (int i = 0; i < a.length; i++) {
            BigInteger e = val(a[i], U32).multiply(val(b[i], U32)).add(val(c[i], ScalarType.U64));
            assertEquals(wrap(e, ScalarType.U64), r2[i], "mad.wide.u32");
        }
    }

    @ParameterizedTest
    @EnumSource(value = ScalarType.class, names = {"B16", "U16", "S16", "B32", "U32", "S32", "B64", "U64", "S64"})
    void shiftsClampAtTheWidth(ScalarType t) throws Exception {
        long[] a = values(200, 11);
        long[] n = new long[a.length];
        for (int i = 0; i < n.length; i++) n[i] = i < 80 ? i : i % 3 == 0 ? 0xffff_ffffL : (i * 7919L) % 300;
        int w = t.bits();
        boolean signed = t.kind() == ScalarType.Kind.SIGNED;
        for (Opcode op : new Opcode[] {Opcode.SHL, Opcode.SHR}) {
            if (op == Opcode.SHL && signed) continue;
            long[] r = OpHarness.run(gpu, t, new ScalarType[] {t, U32}, new long[][] {a, n},
                    (k, d, s) -> k.op(op, t, FloatMode.NONE, d, s[0], s[1]));
            for (int i = 0; i < a.length; i++) {
                BigInteger x = val(a[i], t);
                long amount = n[i] & 0xffff_ffffL;
                BigInteger e;
                if (op == Opcode.SHL) e = amount >= w ? BigInteger.ZERO : x.shiftLeft((int) amount);
                else if (amount >= w) e = signed && x.signum() < 0 ? BigInteger.ONE.negate() : BigInteger.ZERO;
                else e = x.shiftRight((int) amount);
                assertEquals(wrap(e, t), r[i], op + "." + t + " " + x + " by " + amount);
            }
        }
    }

    @Test
    void bitCountsAndBitFields() throws Exception {
        long[] a = values(300, 21);
        for (ScalarType t : new ScalarType[] {ScalarType.B32, ScalarType.B64, ScalarType.U32, ScalarType.S32,
            ScalarType.U64, ScalarType.S64}) {
            int w = t.bits();
            if (t.kind() == ScalarType.Kind.BITS) {
                long[] popc = OpHarness.run(gpu, U32, new ScalarType[] {t}, new long[][] {a},
                        (k, d, s) -> k.op(Opcode.POPC, t, d, s[0]));
                long[] clz = OpHarness.run(gpu, U32, new ScalarType[] {t}, new long[][] {a},
                        (k, d, s) -> k.op(Opcode.CLZ, t, d, s[0]));
                long[] brev = OpHarness.run(gpu, t, new ScalarType[] {t}, new long[][] {a},
                        (k, d, s) -> k.op(Opcode.BREV, t, d, s[0]));
                for (int i = 0; i < a.length; i++) {
                    BigInteger u = val(a[i], t);
                    assertEquals(u.bitCount(), popc[i]);
                    assertEquals(w - u.bitLength(), clz[i]);
                    StringBuilder bits = new StringBuilder(String.format("%" + w + "s", u.toString(2)).replace(' ', '0'));
                    assertEquals(wrap(new BigInteger(bits.reverse().toString(), 2), t), brev[i], "brev");
                }
                continue;
            }
            boolean signed = t.kind() == ScalarType.Kind.SIGNED;
            for (Opcode op : new Opcode[] {Opcode.BFIND, Opcode.BFIND_SHIFTAMT}) {
                long[] r = OpHarness.run(gpu, U32, new ScalarType[] {t}, new long[][] {a},
                        (k, d, s) -> k.op(op, t, d, s[0]));
                for (int i = 0; i < a.length; i++) {
                    BigInteger x = val(a[i], t);
                    BigInteger y = signed && x.signum() < 0 ? x.not() : x;
                    long e = y.signum() == 0 ? 0xffff_ffffL
                            : op == Opcode.BFIND ? y.bitLength() - 1 : w - y.bitLength();
                    assertEquals(e, r[i], op + "." + t + " " + x);
                }
            }
            // bfe: pos and len in 0..255 from the low byte of the operands
            long[] pos = new long[a.length];
            long[] len = new long[a.length];
            Random rnd = new Random(w);
            for (int i = 0; i < a.length; i++) {
                pos[i] = i % 5 == 0 ? rnd.nextInt() : rnd.nextInt(w + 8);
                len[i] = i % 7 == 0 ? rnd.nextInt() : rnd.nextInt(w + 8);
            }
            long[] r = OpHarness.run(gpu, t, new ScalarType[] {t, U32, U32}, new long[][] {a, pos, len},
                    (k, d, s) -> k.op(Opcode.BFE, t, d, s[0], s[1], s[2]));
            for (int i = 0; i < a.length; i++) {
                BigInteger x = val(a[i], t).mod(BigInteger.ONE.shiftLeft(w));
                int p = (int) (pos[i] & 0xff);
                int l = (int) (len[i] & 0xff);
                // extract bits [p, p+l) clipped at the msb; sign-extend from the last extracted bit if signed
                BigInteger field = BigInteger.ZERO;
                int got = 0;
                for (int j = 0; j < l && p + j < w; j++) {
                    if (x.testBit(p + j)) field = field.setBit(j);
                    got++;
                }
                boolean sbit = signed && l > 0 && x.testBit(Math.min(p + l - 1, w - 1));
                if (sbit) for (int j = got; j < w; j++) field = field.setBit(j);
                assertEquals(wrap(field, t), r[i], "bfe." + t + " pos " + p + " len " + l);
            }
        }
        for (ScalarType t : new ScalarType[] {ScalarType.B32, ScalarType.B64}) {
            int w = t.bits();
            long[] b = shuffled(a, 3);
            long[] pos = new long[a.length];
            long[] len = new long[a.length];
            Random rnd = new Random(5);
            for (int i = 0; i < a.length; i++) {
                pos[i] = rnd.nextInt(w + 10);
                len[i] = i % 9 == 0 ? rnd.nextInt() : rnd.nextInt(w + 10);
            }
            long[] r = OpHarness.run(gpu, t, new ScalarType[] {t, t, U32, U32}, new long[][] {a, b, pos, len},
                    (k, d, s) -> k.op(Opcode.BFI, t, d, s[0], s[1], s[2], s[3]));
            for (int i = 0; i < a.length; i++) {
                long p = pos[i] & 0xff;
                long l = len[i] & 0xff;
                long e = b[i];
                for (long j = 0; j < l && p + j < w; j++) {
                    long bit = 1L << (p + j);
                    e = ((a[i] >>> j) & 1) != 0 ? e | bit : e & ~bit;
                }
                assertEquals(w == 32 ? (long) (int) e & 0xffff_ffffL : e, r[i], "bfi pos " + p + " len " + l);
            }
        }
    }

    @Test
    void bytePermutesAndFunnelShifts() throws Exception {
        long[] a = values(256, 31);
        long[] b = shuffled(a, 32);
        long[] c = new long[a.length];
        Random rnd = new Random(33);
        for (int i = 0; i < c.length; i++) c[i] = i < 64 ? i : rnd.nextInt();
        Opcode[] modes = {Opcode.PRMT, Opcode.PRMT_F4E, Opcode.PRMT_B4E, Opcode.PRMT_RC8, Opcode.PRMT_ECL,
            Opcode.PRMT_ECR, Opcode.PRMT_RC16};
        for (Opcode op : modes) {
            long[] r = OpHarness.run(gpu, ScalarType.B32, new ScalarType[] {ScalarType.B32, ScalarType.B32,
                ScalarType.B32}, new long[][] {a, b, c}, (k, d, s) -> k.op(op, ScalarType.B32, d, s[0], s[1], s[2]));
            for (int i = 0; i < a.length; i++) {
                byte[] bytes = new byte[8];
                for (int j = 0; j < 4; j++) {
                    bytes[j] = (byte) (a[i] >>> (8 * j));
                    bytes[4 + j] = (byte) (b[i] >>> (8 * j));
                }
                int[] sel = new int[4];
                int s = (int) (c[i] & 3);
                boolean signRep = false;
                switch (op) {
                    case PRMT -> {
                        for (int j = 0; j < 4; j++) sel[j] = (int) (c[i] >>> (4 * j)) & 0xf;
                        signRep = true;
                    }
                    case PRMT_F4E -> {
                        for (int j = 0; j < 4; j++) sel[j] = (s + j) % 8;
                    }
                    case PRMT_B4E -> {
                        for (int j = 0; j < 4; j++) sel[j] = ((s - j) % 8 + 8) % 8;
                    }
                    case PRMT_RC8 -> Arrays.fill(sel, s);
                    case PRMT_ECL -> {
                        for (int j = 0; j < 4; j++) sel[j] = Math.max(s, j);
                    }
                    case PRMT_ECR -> {
                        for (int j = 0; j < 4; j++) sel[j] = Math.min(s, j);
                    }
                    default -> {
                        int lo = (s & 1) * 2;
                        sel = new int[] {lo, lo + 1, lo, lo + 1};
                    }
                }
                long e = 0;
                for (int j = 0; j < 4; j++) {
                    int bv = bytes[sel[j] & 7] & 0xff;
                    if (signRep && (sel[j] & 8) != 0) bv = (bv & 0x80) != 0 ? 0xff : 0;
                    e |= (long) bv << (8 * j);
                }
                assertEquals(e, r[i], op + " selector " + Long.toHexString(c[i]));
            }
        }
        Opcode[] shf = {Opcode.SHF_L_CLAMP, Opcode.SHF_L_WRAP, Opcode.SHF_R_CLAMP, Opcode.SHF_R_WRAP};
        for (Opcode op : shf) {
            long[] r = OpHarness.run(gpu, ScalarType.B32, new ScalarType[] {ScalarType.B32, ScalarType.B32, U32},
                    new long[][] {a, b, c}, (k, d, s) -> k.op(op, ScalarType.B32, d, s[0], s[1], s[2]));
            for (int i = 0; i < a.length; i++) {
                long amount = c[i] & 0xffff_ffffL;
                boolean clamp = op == Opcode.SHF_L_CLAMP || op == Opcode.SHF_R_CLAMP;
                int n = (int) (clamp ? Math.min(amount, 32) : amount & 31);
                BigInteger v = BigInteger.valueOf(b[i] & 0xffff_ffffL).shiftLeft(32).or(BigInteger.valueOf(a[i] & 0xffff_ffffL));
                long e = op == Opcode.SHF_L_CLAMP || op == Opcode.SHF_L_WRAP
                        ? v.shiftLeft(n).shiftRight(32).longValue() & 0xffff_ffffL
                        : v.shiftRight(n).longValue() & 0xffff_ffffL;
                assertEquals(e, r[i], op + " by " + amount);
            }
        }
    }

    @Test
    void miscellaneous() throws Exception {
        long[] a = values(200, 41);
        long[] b = shuffled(a, 42);
        long[] c = shuffled(a, 43);
        for (ScalarType t : new ScalarType[] {ScalarType.S32, ScalarType.U32}) {
            long[] r = OpHarness.run(gpu, t, new ScalarType[] {t, t, t}, new long[][] {a, b, c},
                    (k, d, s) -> k.op(Opcode.SAD, t, d, s[0], s[1], s[2]));
            long[] dp = OpHarness.run(gpu, t, new ScalarType[] {t, t, t}, new long[][] {a, b, c},
                    (k, d, s) -> k.op(Opcode.DP4A, t, d, s[0], s[1], s[2]));
            boolean sg = t == ScalarType.S32;
            for (int i = 0; i < a.length; i++) {
                BigInteger x = val(a[i], t);
                BigInteger y = val(b[i], t);
                assertEquals(wrap(x.subtract(y).abs().add(val(c[i], t)), t), r[i], "sad." + t);
                long sum = val(c[i], t).longValue();
                for (int j = 0; j < 4; j++) {
                    long xa = sg ? (byte) (a[i] >>> (8 * j)) : (a[i] >>> (8 * j)) & 0xff;
                    long xb = sg ? (byte) (b[i] >>> (8 * j)) : (b[i] >>> (8 * j)) & 0xff;
                    sum += xa * xb;
                }
                assertEquals(wrap(BigInteger.valueOf(sum), t), dp[i], "dp4a." + t);
            }
        }
        for (ScalarType t : INTS) {
            if (t.kind() != ScalarType.Kind.SIGNED) continue;
            long[] abs = OpHarness.run(gpu, t, new ScalarType[] {t}, new long[][] {a}, (k, d, s) -> k.op(Opcode.ABS, t, d, s[0]));
            long[] neg = OpHarness.run(gpu, t, new ScalarType[] {t}, new long[][] {a}, (k, d, s) -> k.op(Opcode.NEG, t, d, s[0]));
            long[] cnot = OpHarness.run(gpu, t, new ScalarType[] {t}, new long[][] {a}, (k, d, s) -> k.op(Opcode.CNOT, t, d, s[0]));
            long[] not = OpHarness.run(gpu, t, new ScalarType[] {t}, new long[][] {a}, (k, d, s) -> k.op(Opcode.NOT, t, d, s[0]));
            for (int i = 0; i < a.length; i++) {
                BigInteger x = val(a[i], t);
                assertEquals(wrap(x.abs(), t), abs[i], "abs." + t);
                assertEquals(wrap(x.negate(), t), neg[i], "neg." + t);
                assertEquals(x.signum() == 0 ? 1 : 0, cnot[i], "cnot." + t);
                assertEquals(wrap(x.not(), t), not[i], "not." + t);
            }
        }
        // comparisons, signed vs unsigned
        for (ScalarType t : INTS) {
            for (Inst.CmpOp op : new Inst.CmpOp[] {Inst.CmpOp.LT, Inst.CmpOp.LE, Inst.CmpOp.GT, Inst.CmpOp.GE,
                Inst.CmpOp.LO, Inst.CmpOp.LS, Inst.CmpOp.HI, Inst.CmpOp.HS, Inst.CmpOp.EQ, Inst.CmpOp.NE}) {
                long[] r = OpHarness.run(gpu, PRED, new ScalarType[] {t, t}, new long[][] {a, b},
                        (k, d, s) -> k.setp(op, t, d, s[0], s[1]));
                for (int i = 0; i < a.length; i++) {
                    boolean unsigned = op == Inst.CmpOp.LO || op == Inst.CmpOp.LS || op == Inst.CmpOp.HI
                            || op == Inst.CmpOp.HS || t.kind() != ScalarType.Kind.SIGNED;
                    BigInteger x = unsigned ? val(a[i], t).mod(BigInteger.ONE.shiftLeft(t.bits())) : val(a[i], t);
                    BigInteger y = unsigned ? val(b[i], t).mod(BigInteger.ONE.shiftLeft(t.bits())) : val(b[i], t);
                    int cmp = x.compareTo(y);
                    boolean e = switch (op) {
                        case LT, LO -> cmp < 0;
                        case LE, LS -> cmp <= 0;
                        case GT, HI -> cmp > 0;
                        case GE, HS -> cmp >= 0;
                        case EQ -> cmp == 0;
                        default -> cmp != 0;
                    };
                    assertEquals(e ? 1 : 0, r[i], "setp." + op + "." + t + " " + x + " " + y);
                }
            }
        }
    }

    @Test
    void carryChains() throws Exception {
        long[] a = values(200, 51);
        long[] b = shuffled(a, 52);
        long[] cin = new long[a.length];
        for (int i = 0; i < cin.length; i++) cin[i] = i % 2;
        for (ScalarType t : new ScalarType[] {U32, ScalarType.U64}) {
            int w = t.bits();
            BigInteger mod = BigInteger.ONE.shiftLeft(w);
            for (Opcode op : new Opcode[] {Opcode.ADD, Opcode.SUB}) {
                // dst = a op b op cin; carry packed into bit 0 of a second run
                long[] sum = OpHarness.run(gpu, t, new ScalarType[] {t, t, PRED}, new long[][] {a, b, cin},
                        (k, d, s) -> k.add(new Inst.CarryArith(op, t, d, k.reg(PRED), List.of(s[0], s[1]), s[2])));
                long[] carry = OpHarness.run(gpu, PRED, new ScalarType[] {t, t, PRED}, new long[][] {a, b, cin},
                        (k, d, s) -> k.add(new Inst.CarryArith(op, t, k.reg(t), d, List.of(s[0], s[1]), s[2])));
                for (int i = 0; i < a.length; i++) {
                    BigInteger x = val(a[i], t).mod(mod);
                    BigInteger y = val(b[i], t).mod(mod);
                    BigInteger c = BigInteger.valueOf(cin[i]);
                    BigInteger e = op == Opcode.ADD ? x.add(y).add(c) : x.subtract(y).subtract(c);
                    assertEquals(wrap(e, t), sum[i], op + ".cc." + t);
                    long ec = op == Opcode.ADD ? (e.compareTo(mod) >= 0 ? 1 : 0) : (e.signum() < 0 ? 1 : 0);
                    assertEquals(ec, carry[i], op + " carry/borrow out " + x + " " + y + " " + c);
                }
            }
        }
        // 128-bit addition out of two 64-bit add.cc / addc
        long[] r = OpHarness.run(gpu, ScalarType.U64, new ScalarType[] {ScalarType.U64, ScalarType.U64},
                new long[][] {a, b}, (k, d, s) -> {
                    Reg cf = k.reg(PRED);
                    Reg lo = k.reg(ScalarType.U64);
                    k.add(new Inst.CarryArith(Opcode.ADD, ScalarType.U64, lo, cf, List.of(s[0], s[1]), null));
                    k.add(new Inst.CarryArith(Opcode.ADD, ScalarType.U64, d, null, List.of(s[1], s[0]), cf));
                });
        for (int i = 0; i < a.length; i++) {
            BigInteger x = BigInteger.valueOf(b[i]).mod(BigInteger.ONE.shiftLeft(64)).shiftLeft(64)
                    .add(BigInteger.valueOf(a[i]).mod(BigInteger.ONE.shiftLeft(64)));
            BigInteger y = BigInteger.valueOf(a[i]).mod(BigInteger.ONE.shiftLeft(64)).shiftLeft(64)
                    .add(BigInteger.valueOf(b[i]).mod(BigInteger.ONE.shiftLeft(64)));
            assertEquals(x.add(y).shiftRight(64).longValue(), r[i], "128-bit add high word");
        }
        LongBinaryOperator unused = (x, y) -> x;
        assertEquals(1, unused.applyAsLong(1, 2));
    }
}
