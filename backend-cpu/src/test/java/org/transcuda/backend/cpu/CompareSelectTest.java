package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.transcuda.backend.cpu.Ir.PRED;

import java.math.BigInteger;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.transcuda.ir.Inst;
import org.transcuda.ir.Opcode;
import org.transcuda.ir.Reg;
import org.transcuda.ir.ScalarType;

/**
 * Integer {@code setp} (every order and equality, signed and unsigned, 8 to 64 bits), {@code setp} combined with a
 * predicate ({@code .and/.or/.xor}, and the complement destination), and {@code selp}, on
 * every pair of edge values (0, ±1, ±2, the minimum and maximum of each width, 0x80000000, 0xffffffff, values that
 * wrap when read unsigned): the branch-free shapes of {@link BranchFree} (a sign-bit trick that is wrong for one
 * pair, such as an overflowing subtraction or a missing zero-extension, fails here). References are BigInteger
 * comparisons of the operands as the PTX ISA reads them.
 */
class CompareSelectTest {
    static Gpu gpu;

    @BeforeAll
    static void start() throws Exception {
        gpu = new Gpu(2);
    }

    @AfterAll
    static void stop() {
        gpu.close();
    }

    static final ScalarType[] INTS = IntegerOpsTest.INTS;

    static final long[] EDGES = {0, 1, -1, 2, -2, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x1_0000,
        0x7fff_ffffL, 0x8000_0000L, 0x8000_0001L, 0xffff_ffffL, 0x1_0000_0000L, -0x8000_0000L, -0x8000_0001L,
        Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1, Long.MAX_VALUE - 1};

    /** Every ordered pair of edge values: thread i*E+j gets (EDGES[i], EDGES[j]). */
    static long[][] pairs() {
        int e = EDGES.length;
        long[] a = new long[e * e];
        long[] b = new long[e * e];
        for (int i = 0; i < e; i++) {
            for (int j = 0; j < e; j++) {
                a[i * e + j] = EDGES[i];
                b[i * e + j] = EDGES[j];
            }
        }
        return new long[][] {a, b};
    }

    static boolean unsignedOrder(Inst.CmpOp op, ScalarType t) {
        return op == Inst.CmpOp.LO || op == Inst.CmpOp.LS || op == Inst.CmpOp.HI || op == Inst.CmpOp.HS
                || t.kind() != ScalarType.Kind.SIGNED;
    }

    static boolean reference(Inst.CmpOp op, ScalarType t, long a, long b) {
        BigInteger mod = BigInteger.ONE.shiftLeft(t.bits());
        boolean u = unsignedOrder(op, t);
        BigInteger x = u ? IntegerOpsTest.val(a, t).mod(mod) : IntegerOpsTest.val(a, t);
        BigInteger y = u ? IntegerOpsTest.val(b, t).mod(mod) : IntegerOpsTest.val(b, t);
        int c = x.compareTo(y);
        return switch (op) {
            case EQ -> c == 0;
            case NE -> c != 0;
            case LT, LO -> c < 0;
            case LE, LS -> c <= 0;
            case GT, HI -> c > 0;
            case GE, HS -> c >= 0;
            default -> throw new IllegalArgumentException(op.toString());
        };
    }

    static final Inst.CmpOp[] OPS = Arrays.copyOf(Inst.CmpOp.values(), Inst.CmpOp.HS.ordinal() + 1);

    @Test
    void everyIntegerCompareOnEveryEdgePair() throws Exception {
        long[][] p = pairs();
        for (ScalarType t : INTS) {
            for (Inst.CmpOp op : OPS) {
                long[] r = OpHarness.run(gpu, PRED, new ScalarType[] {t, t}, p,
                        (k, d, s) -> k.setp(op, t, d, s[0], s[1]));
                for (int i = 0; i < r.length; i++) {
                    assertEquals(reference(op, t, p[0][i], p[1][i]) ? 1 : 0, r[i],
                            "setp." + op + "." + t + " " + Long.toHexString(p[0][i]) + ", " + Long.toHexString(p[1][i]));
                }
            }
        }
    }

    @Test
    void compareAgainstConstants() throws Exception {
        // one operand an immediate (nvcc's setp.lt.u32 %p, %r, 32 and setp.ne.s32 %p, %r, 0)
        long[] a = EDGES.clone();
        for (ScalarType t : new ScalarType[] {ScalarType.U32, ScalarType.S32, ScalarType.U64, ScalarType.S64}) {
            for (Inst.CmpOp op : OPS) {
                for (long c : new long[] {0, 1, -1, 0x8000_0000L}) {
                    org.transcuda.ir.Value cv = t.bits() == 64 ? Ir.u64(c) : Ir.u32(c & 0xffff_ffffL);
                    long[] r = OpHarness.run(gpu, PRED, new ScalarType[] {t}, new long[][] {a},
                            (k, d, s) -> k.setp(op, t, d, s[0], cv));
                    long[] rr = OpHarness.run(gpu, PRED, new ScalarType[] {t}, new long[][] {a},
                            (k, d, s) -> k.setp(op, t, d, cv, s[0]));
                    for (int i = 0; i < a.length; i++) {
                        assertEquals(reference(op, t, a[i], c) ? 1 : 0, r[i], "setp." + op + "." + t + " x, " + c);
                        assertEquals(reference(op, t, c, a[i]) ? 1 : 0, rr[i], "setp." + op + "." + t + " " + c + ", x");
                    }
                }
            }
        }
    }

    @Test
    void combinedWithPredicate() throws Exception {
        // setp.lt.and / .or / .xor p|q, a, b, c: p = (a < b) op c, q = !(a < b) op c (SelectInstructions' lowering)
        long[][] p = pairs();
        long[] c = new long[p[0].length];
        for (int i = 0; i < c.length; i++) c[i] = (i / 3) % 2;
        for (ScalarType t : new ScalarType[] {ScalarType.S32, ScalarType.U32, ScalarType.S64, ScalarType.U64}) {
            for (Inst.CmpOp op : new Inst.CmpOp[] {Inst.CmpOp.LT, Inst.CmpOp.HS, Inst.CmpOp.NE}) {
                for (Opcode bop : new Opcode[] {Opcode.AND, Opcode.OR, Opcode.XOR}) {
                    for (boolean complement : new boolean[] {false, true}) {
                        long[] r = OpHarness.run(gpu, PRED, new ScalarType[] {t, t, PRED}, new long[][] {p[0], p[1], c},
                                (k, d, s) -> {
                                    Reg cmp = k.reg(PRED);
                                    k.setp(op, t, cmp, s[0], s[1]);
                                    Reg v = cmp;
                                    if (complement) {
                                        v = k.reg(PRED);
                                        k.op(Opcode.NOT, PRED, v, cmp);
                                    }
                                    k.op(bop, PRED, d, v, s[2]);
                                });
                        for (int i = 0; i < r.length; i++) {
                            boolean x = reference(op, t, p[0][i], p[1][i]) ^ complement;
                            boolean y = c[i] != 0;
                            boolean e = switch (bop) {
                                case AND -> x && y;
                                case OR -> x || y;
                                default -> x ^ y;
                            };
                            assertEquals(e ? 1 : 0, r[i], "setp." + op + "." + bop + (complement ? " (q)" : "") + "." + t);
                        }
                    }
                }
            }
        }
    }

    @Test
    void selpOnEveryIntegerType() throws Exception {
        long[][] p = pairs();
        long[] c = new long[p[0].length];
        for (int i = 0; i < c.length; i++) c[i] = (i * 7 / 5) % 2;
        for (ScalarType t : INTS) {
            long[] r = OpHarness.run(gpu, t, new ScalarType[] {t, t, PRED}, new long[][] {p[0], p[1], c},
                    (k, d, s) -> k.op(Opcode.SELP, t, d, s[0], s[1], s[2]));
            for (int i = 0; i < r.length; i++) {
                long e = IntegerOpsTest.val(c[i] != 0 ? p[0][i] : p[1][i], t).longValue();
                assertEquals(e, r[i], "selp." + t + " " + c[i]);
            }
        }
        // selp on bit types and a half (bits), and with a compare's predicate directly
        for (ScalarType t : new ScalarType[] {ScalarType.B32, ScalarType.B64, ScalarType.F16}) {
            long[] r = OpHarness.run(gpu, t, new ScalarType[] {t, t, PRED}, new long[][] {p[0], p[1], c},
                    (k, d, s) -> k.op(Opcode.SELP, t, d, s[0], s[1], s[2]));
            long mask = t.bits() == 64 ? -1L : (1L << t.bits()) - 1;
            for (int i = 0; i < r.length; i++) {
                long e = (c[i] != 0 ? p[0][i] : p[1][i]) & mask;
                assertEquals(e, r[i] & mask, "selp." + t + " " + c[i]);
            }
        }
        for (ScalarType t : new ScalarType[] {ScalarType.S32, ScalarType.U64}) {
            long[] r = OpHarness.run(gpu, t, new ScalarType[] {t, t}, p, (k, d, s) -> {
                Reg q = k.reg(PRED);
                k.setp(Inst.CmpOp.LT, t, q, s[0], s[1]);
                k.op(Opcode.SELP, t, d, s[1], s[0], q);
            });
            for (int i = 0; i < r.length; i++) {
                boolean lt = reference(Inst.CmpOp.LT, t, p[0][i], p[1][i]);
                long e = IntegerOpsTest.val(lt ? p[1][i] : p[0][i], t).longValue();
                assertEquals(e, r[i], "max via setp+selp." + t);
            }
        }
    }
}
