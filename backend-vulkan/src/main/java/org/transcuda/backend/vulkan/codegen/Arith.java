package org.transcuda.backend.vulkan.codegen;

import org.transcuda.backend.vulkan.spirv.Op;
import org.transcuda.backend.vulkan.spirv.Spv;
import org.transcuda.ir.FloatMode;
import org.transcuda.ir.Inst;
import org.transcuda.ir.Opcode;
import org.transcuda.ir.ScalarType;
import org.transcuda.ir.Value;

/**
 * Arithmetic, comparisons and conversions of {@link SpirvCodegen}; the guarantees are in its class comment.
 * Integer edge cases are made explicit with {@code OpSelect} (SPIR-V leaves division by zero, {@code MIN/-1}
 * and shifts by the width or more undefined).
 */
final class Arith {
    private final SpirvCodegen g;

    private Arith(SpirvCodegen g) {
        this.g = g;
    }

    private int op(int opcode, int type, int... ops) {
        return g.f().op(opcode, type, ops);
    }

    private int ext(int type, int inst, int... ops) {
        return g.f().extInst(type, g.glsl(), inst, ops);
    }

    private int sel(int type, int cond, int a, int b) {
        return op(Op.Select, type, cond, a, b);
    }

    private int bool() {
        return g.tBool();
    }

    private int it(int bits) {
        return g.intTypeId(bits);
    }

    private int ci(int bits, long v) {
        return g.cInt(bits, v);
    }

    // =====================================================================================================
    // compute

    static void compute(SpirvCodegen g, Inst.Compute c) throws CodegenException {
        new Arith(g).compute(c);
    }

    private void compute(Inst.Compute c) throws CodegenException {
        ScalarType t = c.type();
        if (t == ScalarType.PRED) {
            predCompute(c);
            return;
        }
        if (c.op() == Opcode.SELP) {
            int a = g.val(c.srcs().get(0), t);
            int b = g.val(c.srcs().get(1), t);
            int p = g.val(c.srcs().get(2), ScalarType.PRED);
            g.def(c.dst(), sel(g.ty(t), p, a, b), t);
            return;
        }
        if (isHalf(t)) {
            halfCompute(c);
            return;
        }
        if (t == ScalarType.F32 || t == ScalarType.F64) {
            floatCompute(c);
            return;
        }
        intCompute(c);
    }

    private static boolean isHalf(ScalarType t) {
        return t == ScalarType.F16 || t == ScalarType.BF16 || t == ScalarType.F16X2 || t == ScalarType.BF16X2;
    }

    private void predCompute(Inst.Compute c) throws CodegenException {
        int a = g.val(c.srcs().get(0), ScalarType.PRED);
        int r = switch (c.op()) {
            case AND -> op(Op.LogicalAnd, bool(), a, g.val(c.srcs().get(1), ScalarType.PRED));
            case OR -> op(Op.LogicalOr, bool(), a, g.val(c.srcs().get(1), ScalarType.PRED));
            case XOR -> op(Op.LogicalNotEqual, bool(), a, g.val(c.srcs().get(1), ScalarType.PRED));
            case NOT, CNOT -> op(Op.LogicalNot, bool(), a);
            case SELP -> sel(bool(), g.val(c.srcs().get(2), ScalarType.PRED), a, g.val(c.srcs().get(1),
                    ScalarType.PRED));
            default -> throw new CodegenException(c.op() + " on .pred");
        };
        g.def(c.dst(), r, ScalarType.PRED);
    }

    private void halfCompute(Inst.Compute c) throws CodegenException {
        ScalarType t = c.type();
        int w = t.bits();
        long sign = w == 32 ? 0x8000_8000L : 0x8000L;
        FloatMode m = c.mode();
        if ((c.op() == Opcode.NEG || c.op() == Opcode.ABS) && !m.ftz()) {
            int a = g.val(c.srcs().get(0), t);
            int r = c.op() == Opcode.NEG ? op(Op.BitwiseXor, it(w), a, ci(w, sign))
                    : op(Op.BitwiseAnd, it(w), a, ci(w, ~sign));
            g.def(c.dst(), r, t);
            return;
        }
        boolean bf = t == ScalarType.BF16 || t == ScalarType.BF16X2;
        String name = c.op().name().toLowerCase(java.util.Locale.ROOT) + m + t.ptxName();
        switch (c.op()) {
            case ADD, SUB, MUL, FMA, MAD, MIN, MAX, NEG, ABS -> {
            }
            default -> throw new CodegenException(name + ": not supported on the Vulkan backend");
        }
        if (g.tF64() == 0) throw new CodegenException(name + ": needs 64-bit floats");
        if (m.approx()) throw new CodegenException(name + ": not supported on the Vulkan backend");
        if (!directed(m)) requireNearest(m, name);
        int n = c.op().arity();
        int[] srcs = new int[n];
        for (int i = 0; i < n; i++) srcs[i] = g.val(c.srcs().get(i), t);
        if (w == 16) {
            g.def(c.dst(), halfOp(c.op(), m, bf, srcs), t);
            return;
        }
        int[] lo = new int[n];
        int[] hi = new int[n];
        for (int i = 0; i < n; i++) {
            lo[i] = op(Op.UConvert, it(16), srcs[i]);
            hi[i] = op(Op.UConvert, it(16), op(Op.ShiftRightLogical, it(32), srcs[i], g.cU32(16)));
        }
        int rl = op(Op.UConvert, it(32), halfOp(c.op(), m, bf, lo));
        int rh = op(Op.UConvert, it(32), halfOp(c.op(), m, bf, hi));
        g.def(c.dst(), op(Op.BitwiseOr, it(32), rl, op(Op.ShiftLeftLogical, it(32), rh, g.cU32(16))), t);
    }

    /** A 16-bit half (bf: bfloat16) as f32, exactly. */
    private int halfToF32(int h, boolean bf) {
        if (!bf) return f16ToF32(h);
        return op(Op.Bitcast, g.tF32(), op(Op.ShiftLeftLogical, it(32), op(Op.UConvert, it(32), h), g.cU32(16)));
    }

    /** Subnormal halves to a zero of the same sign. */
    private int flushHalf(int h, boolean bf) {
        int u16 = it(16);
        int expMask = bf ? 0x7f80 : 0x7c00;
        int sub = op(Op.IEqual, bool(), op(Op.BitwiseAnd, u16, h, ci(16, expMask)), ci(16, 0));
        return sel(u16, sub, op(Op.BitwiseAnd, u16, h, ci(16, 0x8000)), h);
    }

    /**
     * One half-precision operation: the inputs exactly as f64, the sum/product exact or rounded to odd in f64,
     * rounded to odd to f32, then rounded once in the mode to the half format (exact: each rounding to odd keeps
     * two more bits than the next format needs).
     */
    private int halfOp(Opcode o, FloatMode m, boolean bf, int[] in) throws CodegenException {
        boolean ftz = m.ftz();
        int d = g.tF64();
        int[] x = new int[in.length];
        int[] h = in.clone();
        for (int i = 0; i < in.length; i++) {
            if (ftz) h[i] = flushHalf(h[i], bf);
            x[i] = op(Op.FConvert, d, halfToF32(h[i], bf));
        }
        int res;
        switch (o) {
            case MIN, MAX -> {
                int a = x[0];
                int b = x[1];
                boolean min = o == Opcode.MIN;
                int an = op(Op.IsNan, bool(), a);
                int bn = op(Op.IsNan, bool(), b);
                int u16 = it(16);
                int lt = op(Op.FOrdLessThan, bool(), a, b);
                int gt = op(Op.FOrdGreaterThan, bool(), a, b);
                int eq = op(min ? Op.BitwiseOr : Op.BitwiseAnd, u16, h[0], h[1]);
                int pick = sel(u16, lt, min ? h[0] : h[1], sel(u16, gt, min ? h[1] : h[0], eq));
                int both = op(Op.LogicalAnd, bool(), an, bn);
                res = sel(u16, both, ci(16, 0x7fff), sel(u16, an, h[1], sel(u16, bn, h[0], pick)));
                return ftz ? flushHalf(res, bf) : res;
            }
            case NEG, ABS -> {
                int u16 = it(16);
                return o == Opcode.NEG ? op(Op.BitwiseXor, u16, h[0], ci(16, 0x8000))
                        : op(Op.BitwiseAnd, u16, h[0], ci(16, 0x7fff));
            }
            default -> {
            }
        }
        int wide = switch (o) {
            case ADD -> addRoundToOdd(x[0], x[1]);
            case SUB -> addRoundToOdd(x[0], op(Op.FNegate, d, x[1]));
            case MUL -> nc(Op.FMul, d, x[0], x[1]);
            default -> addRoundToOdd(nc(Op.FMul, d, x[0], x[1]), x[2]);
        };
        int f32 = roundToOddF32(wide);
        if (m.sat()) f32 = sat(ScalarType.F32, f32);
        res = bf ? f32ToBf16(f32, m.rounding()) : f32ToF16(f32, m.rounding());
        return ftz ? flushHalf(res, bf) : res;
    }

    /** An f32 to bfloat16 bits in {@code mode} (NaN: 0x7fff). */
    private int f32ToBf16(int x, FloatMode.Rounding mode) {
        int u = it(32);
        int b = op(Op.Bitcast, u, x);
        int top = op(Op.ShiftRightLogical, u, b, g.cU32(16));
        int low = op(Op.BitwiseAnd, u, b, g.cU32(0xffff));
        int neg = op(Op.INotEqual, bool(), op(Op.BitwiseAnd, u, b, g.cU32(0x8000_0000L)), g.cU32(0));
        int inexact = op(Op.INotEqual, bool(), low, g.cU32(0));
        int up = op(Op.IAdd, u, top, g.cU32(1)); // one step away from zero
        int r = switch (mode) {
            case RZ -> top;
            case RP -> sel(u, op(Op.LogicalAnd, bool(), inexact, op(Op.LogicalNot, bool(), neg)), up, top);
            case RM -> sel(u, op(Op.LogicalAnd, bool(), inexact, neg), up, top);
            default -> op(Op.ShiftRightLogical, u, op(Op.IAdd, u, b, op(Op.IAdd, u, g.cU32(0x7fff),
                    op(Op.BitwiseAnd, u, top, g.cU32(1)))), g.cU32(16));
        };
        r = sel(u, op(Op.IsNan, bool(), x), g.cU32(0x7fff), r);
        return op(Op.UConvert, it(16), r);
    }

    // ---- integers

    private int src(Inst.Compute c, int i, ScalarType t) throws CodegenException {
        return g.val(c.srcs().get(i), t);
    }

    private void intCompute(Inst.Compute c) throws CodegenException {
        ScalarType t = c.type();
        int w = t.bits();
        int ty = it(w);
        boolean sg = t.kind() == ScalarType.Kind.SIGNED;
        FloatMode mode = c.mode();
        ScalarType rt = t;
        int r;
        switch (c.op()) {
            case ADD, SUB -> {
                int a = src(c, 0, t);
                int b = src(c, 1, t);
                if (mode.sat() && t == ScalarType.S32) {
                    int wa = op(Op.SConvert, it(64), a);
                    int wb = op(Op.SConvert, it(64), b);
                    r = satS32(op(c.op() == Opcode.ADD ? Op.IAdd : Op.ISub, it(64), wa, wb));
                } else {
                    r = op(c.op() == Opcode.ADD ? Op.IAdd : Op.ISub, ty, a, b);
                }
            }
            case MUL -> r = op(Op.IMul, ty, src(c, 0, t), src(c, 1, t));
            case MUL_HI -> r = mulHi(t, src(c, 0, t), src(c, 1, t));
            case MUL_WIDE -> {
                rt = wide(t);
                r = op(Op.IMul, it(2 * w), widen(src(c, 0, t), t), widen(src(c, 1, t), t));
            }
            case MAD -> r = op(Op.IAdd, ty, op(Op.IMul, ty, src(c, 0, t), src(c, 1, t)), src(c, 2, t));
            case MAD_HI -> {
                int hi = mulHi(t, src(c, 0, t), src(c, 1, t));
                if (mode.sat() && t == ScalarType.S32) {
                    r = satS32(op(Op.IAdd, it(64), op(Op.SConvert, it(64), hi), op(Op.SConvert, it(64),
                            src(c, 2, t))));
                } else {
                    r = op(Op.IAdd, ty, hi, src(c, 2, t));
                }
            }
            case MAD_WIDE -> {
                rt = wide(t);
                int p = op(Op.IMul, it(2 * w), widen(src(c, 0, t), t), widen(src(c, 1, t), t));
                r = op(Op.IAdd, it(2 * w), p, g.val(c.srcs().get(2), rt));
            }
            case DIV, REM -> r = divRem(c.op() == Opcode.DIV, sg, w, src(c, 0, t), src(c, 1, t));
            case MIN, MAX -> {
                int a = src(c, 0, t);
                int b = src(c, 1, t);
                int lt = op(sg ? Op.SLessThan : Op.ULessThan, bool(), a, b);
                r = c.op() == Opcode.MIN ? sel(ty, lt, a, b) : sel(ty, lt, b, a);
            }
            case ABS -> {
                int a = src(c, 0, t);
                int neg = op(Op.SLessThan, bool(), a, ci(w, 0));
                r = sel(ty, neg, op(Op.SNegate, ty, a), a);
            }
            case NEG -> r = op(Op.SNegate, ty, src(c, 0, t));
            case AND -> r = op(Op.BitwiseAnd, ty, src(c, 0, t), src(c, 1, t));
            case OR -> r = op(Op.BitwiseOr, ty, src(c, 0, t), src(c, 1, t));
            case XOR -> r = op(Op.BitwiseXor, ty, src(c, 0, t), src(c, 1, t));
            case NOT -> r = op(Op.Not, ty, src(c, 0, t));
            case CNOT -> r = sel(ty, op(Op.IEqual, bool(), src(c, 0, t), ci(w, 0)), ci(w, 1), ci(w, 0));
            case SHL, SHR -> r = shift(c.op() == Opcode.SHL, sg, w, src(c, 0, t), c.srcs().get(1));
            case SHF_L_CLAMP, SHF_L_WRAP, SHF_R_CLAMP, SHF_R_WRAP -> {
                rt = ScalarType.B32;
                r = funnel(c.op(), src(c, 0, ScalarType.B32), src(c, 1, ScalarType.B32), src(c, 2, ScalarType.U32));
            }
            case POPC -> {
                rt = ScalarType.U32;
                r = popc(w, src(c, 0, t));
            }
            case CLZ -> {
                rt = ScalarType.U32;
                r = clz(w, src(c, 0, t));
            }
            case BREV -> r = brev(w, src(c, 0, t));
            case BFIND, BFIND_SHIFTAMT -> {
                rt = ScalarType.U32;
                r = bfind(w, sg, c.op() == Opcode.BFIND_SHIFTAMT, src(c, 0, t));
            }
            case BFE -> r = bfe(w, sg, src(c, 0, t), src(c, 1, ScalarType.U32), src(c, 2, ScalarType.U32));
            case BFI -> r = bfi(w, src(c, 0, t), src(c, 1, t), src(c, 2, ScalarType.U32), src(c, 3, ScalarType.U32));
            case PRMT, PRMT_F4E, PRMT_B4E, PRMT_RC8, PRMT_ECL, PRMT_ECR, PRMT_RC16 -> {
                rt = ScalarType.B32;
                r = prmt(c.op(), src(c, 0, ScalarType.B32), src(c, 1, ScalarType.B32), src(c, 2, ScalarType.B32));
            }
            case DP4A -> r = dp4a(c, t);
            case SAD -> {
                int a = src(c, 0, t);
                int b = src(c, 1, t);
                int lt = op(sg ? Op.SLessThan : Op.ULessThan, bool(), a, b);
                int d = sel(ty, lt, op(Op.ISub, ty, b, a), op(Op.ISub, ty, a, b));
                r = op(Op.IAdd, ty, src(c, 2, t), d);
            }
            default -> throw new CodegenException(c.op() + " on " + t.ptxName());
        }
        g.def(c.dst(), r, rt);
    }

    private static ScalarType wide(ScalarType t) throws CodegenException {
        return switch (t) {
            case S8 -> ScalarType.S16;
            case U8 -> ScalarType.U16;
            case S16 -> ScalarType.S32;
            case U16, B16 -> ScalarType.U32;
            case S32 -> ScalarType.S64;
            case U32, B32 -> ScalarType.U64;
            default -> throw new CodegenException("no wide form of " + t.ptxName());
        };
    }

    private int widen(int x, ScalarType t) {
        int w = t.bits();
        return op(t.kind() == ScalarType.Kind.SIGNED ? Op.SConvert : Op.UConvert, it(2 * w), x);
    }

    private int satS32(int wide64) {
        int lo = g.cInt(64, Integer.MIN_VALUE);
        int hi = g.cInt(64, Integer.MAX_VALUE);
        int c1 = sel(it(64), op(Op.SLessThan, bool(), wide64, lo), lo, wide64);
        int c2 = sel(it(64), op(Op.SGreaterThan, bool(), c1, hi), hi, c1);
        return op(Op.UConvert, it(32), c2);
    }

    private int mulHi(ScalarType t, int a, int b) throws CodegenException {
        int w = t.bits();
        boolean sg = t.kind() == ScalarType.Kind.SIGNED;
        if (w == 32 || w == 64) {
            int st = g.m().typeStruct(it(w), it(w));
            int r = op(sg ? Op.SMulExtended : Op.UMulExtended, st, a, b);
            return g.f().compositeExtract(it(w), r, 1);
        }
        if (w == 16) {
            int p = op(Op.IMul, it(32), widen(a, t), widen(b, t));
            return op(Op.UConvert, it(16), op(Op.ShiftRightLogical, it(32), p, g.cU32(16)));
        }
        throw new CodegenException("mul.hi on " + t.ptxName());
    }

    private int divRem(boolean div, boolean sg, int w, int a, int b) {
        int ty = it(w);
        int zero = ci(w, 0);
        int one = ci(w, 1);
        int minusOne = ci(w, -1);
        int bz = op(Op.IEqual, bool(), b, zero);
        if (!sg) {
            int safe = sel(ty, bz, one, b);
            int q = op(div ? Op.UDiv : Op.UMod, ty, a, safe);
            return sel(ty, bz, div ? minusOne : a, q);
        }
        int bm1 = op(Op.IEqual, bool(), b, minusOne);
        int bad = op(Op.LogicalOr, bool(), bz, bm1);
        int safe = sel(ty, bad, one, b);
        int q = op(div ? Op.SDiv : Op.SRem, ty, a, safe);
        if (div) {
            int byZero = sel(ty, op(Op.SLessThan, bool(), a, zero), one, minusOne);
            return sel(ty, bz, byZero, sel(ty, bm1, op(Op.SNegate, ty, a), q));
        }
        return sel(ty, bz, a, sel(ty, bm1, zero, q));
    }

    /** Shifts with PTX's clamping: amounts (unsigned) of at least the width give 0 or the sign fill. */
    private int shift(boolean left, boolean sg, int w, int a, Value amount) throws CodegenException {
        int ty = it(w);
        ScalarType at = amount.type().bits() == 64 ? ScalarType.U64 : ScalarType.U32;
        int n = g.val(amount, at);
        int abits = at.bits();
        int big = op(Op.UGreaterThanEqual, bool(), n, g.cInt(abits, w));
        int n32 = abits == 64 ? op(Op.UConvert, it(32), n) : n;
        int masked = op(Op.BitwiseAnd, it(32), n32, g.cU32(w - 1));
        int amt = w == 32 ? masked : op(Op.UConvert, ty, masked);
        int shifted;
        int fill;
        if (left) {
            shifted = op(Op.ShiftLeftLogical, ty, a, amt);
            fill = ci(w, 0);
        } else if (sg) {
            shifted = op(Op.ShiftRightArithmetic, ty, a, amt);
            fill = op(Op.ShiftRightArithmetic, ty, a, ci(w, w - 1));
        } else {
            shifted = op(Op.ShiftRightLogical, ty, a, amt);
            fill = ci(w, 0);
        }
        return sel(ty, big, fill, shifted);
    }

    private int funnel(Opcode o, int a, int b, int c) {
        boolean left = o == Opcode.SHF_L_CLAMP || o == Opcode.SHF_L_WRAP;
        boolean clamp = o == Opcode.SHF_L_CLAMP || o == Opcode.SHF_R_CLAMP;
        int n = clamp ? sel(it(32), op(Op.UGreaterThan, bool(), c, g.cU32(32)), g.cU32(32), c)
                : op(Op.BitwiseAnd, it(32), c, g.cU32(31));
        int v = op(Op.BitwiseOr, it(64), op(Op.ShiftLeftLogical, it(64), op(Op.UConvert, it(64), b), g.cU32(32)),
                op(Op.UConvert, it(64), a));
        // n in 0..32: shifts of a 64-bit value by at most 32 are defined
        if (left) {
            return op(Op.UConvert, it(32), op(Op.ShiftRightLogical, it(64), op(Op.ShiftLeftLogical, it(64), v, n),
                    g.cU32(32)));
        }
        return op(Op.UConvert, it(32), op(Op.ShiftRightLogical, it(64), v, n));
    }

    private int lo32(int x64) {
        return op(Op.UConvert, it(32), x64);
    }

    private int hi32(int x64) {
        return op(Op.UConvert, it(32), op(Op.ShiftRightLogical, it(64), x64, g.cU32(32)));
    }

    private int popc(int w, int a) throws CodegenException {
        if (w == 32) return op(Op.BitCount, it(32), a);
        if (w == 64) return op(Op.IAdd, it(32), op(Op.BitCount, it(32), lo32(a)), op(Op.BitCount, it(32), hi32(a)));
        throw new CodegenException("popc on " + w + " bits");
    }

    /** Leading zeros of a 32-bit value (32 for 0): 31 - FindUMsb, where FindUMsb(0) = -1. */
    private int clz32(int a) {
        return op(Op.ISub, it(32), g.cU32(31), ext(it(32), Spv.GLSLstd450.FindUMsb, a));
    }

    private int clz(int w, int a) throws CodegenException {
        if (w == 32) return clz32(a);
        if (w == 64) {
            int hi = hi32(a);
            int hz = op(Op.IEqual, bool(), hi, g.cU32(0));
            return sel(it(32), hz, op(Op.IAdd, it(32), g.cU32(32), clz32(lo32(a))), clz32(hi));
        }
        throw new CodegenException("clz on " + w + " bits");
    }

    private int brev(int w, int a) throws CodegenException {
        if (w == 32) return op(Op.BitReverse, it(32), a);
        if (w == 64) {
            int lo = op(Op.UConvert, it(64), op(Op.BitReverse, it(32), hi32(a)));
            int hi = op(Op.UConvert, it(64), op(Op.BitReverse, it(32), lo32(a)));
            return op(Op.BitwiseOr, it(64), op(Op.ShiftLeftLogical, it(64), hi, g.cU32(32)), lo);
        }
        throw new CodegenException("brev on " + w + " bits");
    }

    private int bfind(int w, boolean sg, boolean shiftAmount, int a) throws CodegenException {
        int ty = it(w);
        int x = a;
        if (sg) x = sel(ty, op(Op.SLessThan, bool(), a, ci(w, 0)), op(Op.Not, ty, a), a);
        int pos; // -1 when x == 0
        if (w == 32) {
            pos = ext(it(32), Spv.GLSLstd450.FindUMsb, x);
        } else if (w == 64) {
            int hi = hi32(x);
            int hz = op(Op.IEqual, bool(), hi, g.cU32(0));
            pos = sel(it(32), hz, ext(it(32), Spv.GLSLstd450.FindUMsb, lo32(x)),
                    op(Op.IAdd, it(32), g.cU32(32), ext(it(32), Spv.GLSLstd450.FindUMsb, hi)));
        } else {
            throw new CodegenException("bfind on " + w + " bits");
        }
        if (!shiftAmount) return pos;
        int none = op(Op.IEqual, bool(), pos, g.cU32(-1));
        return sel(it(32), none, g.cU32(-1), op(Op.ISub, it(32), g.cU32(w - 1), pos));
    }

    /** All-ones mask of {@code len} low bits (len in 0..w, u32). */
    private int lowMask(int w, int len) {
        int ty = it(w);
        int full = op(Op.UGreaterThanEqual, bool(), len, g.cU32(w));
        int safe = sel(it(32), full, g.cU32(0), len);
        int sh = w == 32 ? safe : op(Op.UConvert, ty, safe);
        int m = op(Op.ISub, ty, op(Op.ShiftLeftLogical, ty, ci(w, 1), sh), ci(w, 1));
        return sel(ty, full, ci(w, -1), m);
    }

    private int umin32(int a, int b) {
        return sel(it(32), op(Op.ULessThan, bool(), a, b), a, b);
    }

    private int bfe(int w, boolean sg, int a, int b, int c) {
        int ty = it(w);
        int pos = op(Op.BitwiseAnd, it(32), b, g.cU32(0xff));
        int len = op(Op.BitwiseAnd, it(32), c, g.cU32(0xff));
        int posIn = op(Op.ULessThan, bool(), pos, g.cU32(w));
        int room = sel(it(32), posIn, op(Op.ISub, it(32), g.cU32(w), pos), g.cU32(0));
        int eff = umin32(len, room);
        int posSafe = sel(it(32), posIn, pos, g.cU32(0));
        int posT = w == 32 ? posSafe : op(Op.UConvert, ty, posSafe);
        int tmp = sel(ty, posIn, op(Op.ShiftRightLogical, ty, a, posT), ci(w, 0));
        int mask = lowMask(w, eff);
        int field = op(Op.BitwiseAnd, ty, tmp, mask);
        if (!sg) return field;
        // sign bit: bit min(pos + len - 1, w - 1) of a, when len != 0
        int top = umin32(op(Op.ISub, it(32), op(Op.IAdd, it(32), pos, len), g.cU32(1)), g.cU32(w - 1));
        int topT = w == 32 ? top : op(Op.UConvert, ty, top);
        int bit = op(Op.BitwiseAnd, ty, op(Op.ShiftRightLogical, ty, a, topT), ci(w, 1));
        int neg = op(Op.LogicalAnd, bool(), op(Op.INotEqual, bool(), len, g.cU32(0)),
                op(Op.INotEqual, bool(), bit, ci(w, 0)));
        return sel(ty, neg, op(Op.BitwiseOr, ty, field, op(Op.Not, ty, mask)), field);
    }

    private int bfi(int w, int a, int b, int c, int d) {
        int ty = it(w);
        int pos = op(Op.BitwiseAnd, it(32), c, g.cU32(0xff));
        int len = op(Op.BitwiseAnd, it(32), d, g.cU32(0xff));
        int posIn = op(Op.ULessThan, bool(), pos, g.cU32(w));
        int room = sel(it(32), posIn, op(Op.ISub, it(32), g.cU32(w), pos), g.cU32(0));
        int eff = umin32(len, room);
        int posSafe = sel(it(32), posIn, pos, g.cU32(0));
        int posT = w == 32 ? posSafe : op(Op.UConvert, ty, posSafe);
        int mask = op(Op.ShiftLeftLogical, ty, lowMask(w, eff), posT);
        int ins = op(Op.BitwiseAnd, ty, op(Op.ShiftLeftLogical, ty, a, posT), mask);
        return op(Op.BitwiseOr, ty, op(Op.BitwiseAnd, ty, b, op(Op.Not, ty, mask)), ins);
    }

    private int prmt(Opcode o, int a, int b, int c) {
        int u32 = it(32);
        int u64 = it(64);
        int tmp = op(Op.BitwiseOr, u64, op(Op.ShiftLeftLogical, u64, op(Op.UConvert, u64, b), g.cU32(32)),
                op(Op.UConvert, u64, a));
        int result = g.cU32(0);
        int s = op(Op.BitwiseAnd, u32, c, g.cU32(3));
        for (int i = 0; i < 4; i++) {
            int selector;
            boolean signRep = false;
            int nib = 0;
            switch (o) {
                case PRMT -> {
                    nib = op(Op.BitwiseAnd, u32, op(Op.ShiftRightLogical, u32, c, g.cU32(4 * i)), g.cU32(0xf));
                    selector = op(Op.BitwiseAnd, u32, nib, g.cU32(7));
                    signRep = true;
                }
                case PRMT_F4E -> selector = op(Op.BitwiseAnd, u32, op(Op.IAdd, u32, s, g.cU32(i)), g.cU32(7));
                case PRMT_B4E -> selector = op(Op.BitwiseAnd, u32, op(Op.ISub, u32, s, g.cU32(i)), g.cU32(7));
                case PRMT_RC8 -> selector = s;
                case PRMT_ECL -> selector = sel(u32, op(Op.UGreaterThan, bool(), g.cU32(i), s), g.cU32(i), s);
                case PRMT_ECR -> selector = sel(u32, op(Op.ULessThan, bool(), g.cU32(i), s), g.cU32(i), s);
                default -> { // RC16
                    int lo = op(Op.IMul, u32, op(Op.BitwiseAnd, u32, s, g.cU32(1)), g.cU32(2));
                    selector = (i & 1) == 0 ? lo : op(Op.IAdd, u32, lo, g.cU32(1));
                }
            }
            int byteVal = op(Op.BitwiseAnd, u32, op(Op.UConvert, u32, op(Op.ShiftRightLogical, u64, tmp,
                    op(Op.IMul, u32, selector, g.cU32(8)))), g.cU32(0xff));
            if (signRep) {
                int msb = op(Op.INotEqual, bool(), op(Op.BitwiseAnd, u32, byteVal, g.cU32(0x80)), g.cU32(0));
                int rep = op(Op.INotEqual, bool(), op(Op.BitwiseAnd, u32, nib, g.cU32(8)), g.cU32(0));
                byteVal = sel(u32, rep, sel(u32, msb, g.cU32(0xff), g.cU32(0)), byteVal);
            }
            result = op(Op.BitwiseOr, u32, result, op(Op.ShiftLeftLogical, u32, byteVal, g.cU32(8 * i)));
        }
        return result;
    }

    private int dp4a(Inst.Compute c, ScalarType t) throws CodegenException {
        // dp4a.atype.btype: the IR gives one type; signedness of both from it (as the CPU backend)
        boolean sg = t.kind() == ScalarType.Kind.SIGNED;
        int a = src(c, 0, ScalarType.B32);
        int b = src(c, 1, ScalarType.B32);
        int sum = src(c, 2, ScalarType.B32);
        int u32 = it(32);
        for (int i = 0; i < 4; i++) {
            int x = op(Op.ShiftRightLogical, u32, a, g.cU32(8 * i));
            int y = op(Op.ShiftRightLogical, u32, b, g.cU32(8 * i));
            x = sg ? op(Op.BitFieldSExtract, u32, a, g.cU32(8 * i), g.cU32(8)) : op(Op.BitwiseAnd, u32, x, g.cU32(0xff));
            y = sg ? op(Op.BitFieldSExtract, u32, b, g.cU32(8 * i), g.cU32(8)) : op(Op.BitwiseAnd, u32, y, g.cU32(0xff));
            sum = op(Op.IAdd, u32, sum, op(Op.IMul, u32, x, y));
        }
        return sum;
    }

    // ---- floats

    private int ft(ScalarType t) throws CodegenException {
        return g.ty(t);
    }

    /** Subnormal f32 to a zero of the same sign. */
    private int flush(int x) {
        int u32 = it(32);
        int bits = op(Op.Bitcast, u32, x);
        int sub = op(Op.IEqual, bool(), op(Op.BitwiseAnd, u32, bits, g.cU32(0x7f80_0000)), g.cU32(0));
        return op(Op.Bitcast, g.tF32(), sel(u32, sub, op(Op.BitwiseAnd, u32, bits, g.cU32(0x8000_0000)), bits));
    }

    private int fsrc(Inst.Compute c, int i, ScalarType t, boolean ftz) throws CodegenException {
        int x = g.val(c.srcs().get(i), t);
        return ftz && t == ScalarType.F32 ? flush(x) : x;
    }

    private static void requireNearest(FloatMode m, String what) throws CodegenException {
        switch (m.rounding()) {
            case DEFAULT, RN -> {
            }
            default -> throw new CodegenException(what + m + ": directed rounding is not supported on Vulkan");
        }
    }

    private int fbits(ScalarType t, int x) {
        return op(Op.Bitcast, it(t.bits()), x);
    }

    private int ffrom(ScalarType t, int bits) throws CodegenException {
        return op(Op.Bitcast, ft(t), bits);
    }

    private long signMask(ScalarType t) {
        return t == ScalarType.F32 ? 0x8000_0000L : 0x8000_0000_0000_0000L;
    }

    private void floatCompute(Inst.Compute c) throws CodegenException {
        ScalarType t = c.type();
        int ty = ft(t);
        FloatMode m = c.mode();
        boolean ftz = m.ftz() && t == ScalarType.F32;
        int w = t.bits();
        String name = c.op().name().toLowerCase(java.util.Locale.ROOT) + t.ptxName();
        int r;
        switch (c.op()) {
            case ADD, SUB, MUL, FMA, MAD, DIV, RCP, SQRT -> {
                if (directed(m) && t == ScalarType.F64 && (c.op() == Opcode.ADD || c.op() == Opcode.SUB)) {
                    r = directedAddF64(c, m);
                } else if (directed(m) && t == ScalarType.F64 && c.op() == Opcode.MUL && g.tF64() != 0) {
                    r = directedMulF64(c, m);
                } else if (directed(m) && t == ScalarType.F64 && !m.approx()
                        && (c.op() == Opcode.DIV || c.op() == Opcode.RCP) && g.tF64() != 0) {
                    r = directedDivF64(c, m);
                } else if (directed(m) && t == ScalarType.F64 && !m.approx() && c.op() == Opcode.SQRT
                        && g.tF64() != 0) {
                    r = directedSqrtF64(c, m);
                } else if (directed(m) && t == ScalarType.F64 && (c.op() == Opcode.FMA || c.op() == Opcode.MAD)
                        && g.tF64() != 0) {
                    r = FmaF64.call(g, m.rounding(), g.val(c.srcs().get(0), t), g.val(c.srcs().get(1), t),
                            g.val(c.srcs().get(2), t), null);
                } else if (!directed(m) || t != ScalarType.F32 || g.tF64() == 0 || m.approx()) {
                    r = nearestCompute(c, t, ty, m, ftz, name);
                } else {
                    r = directedF32(c, m, ftz);
                }
            }
            default -> r = otherCompute(c, t, ty, m, ftz, name, w);
        }
        if (r == -1) return; // predicate result already defined
        if (m.sat()) r = sat(t, r);
        if (ftz) r = flush(r);
        g.def(c.dst(), r, t);
    }

    private static boolean directed(FloatMode m) {
        return switch (m.rounding()) {
            case RZ, RM, RP -> true;
            default -> false;
        };
    }

    /**
     * f32 arithmetic in a directed rounding mode: the exact result, or a double that rounds like it (the f64
     * product, the sum rounded to odd, the correctly rounded f64 quotient or root, none of which can equal an f32
     * value unless exact), rounded to f32 in the mode by {@link #roundToF32}.
     */
    private int directedF32(Inst.Compute c, FloatMode m, boolean ftz) throws CodegenException {
        int d = g.tF64();
        ScalarType t = ScalarType.F32;
        int a = op(Op.FConvert, d, fsrc(c, 0, t, ftz));
        int x = 0; // the addends of a sum, for the sign of an exact zero
        int y = 0;
        int wide;
        switch (c.op()) {
            case ADD, SUB, FMA, MAD -> {
                boolean sum = c.op() == Opcode.ADD || c.op() == Opcode.SUB;
                int b = op(Op.FConvert, d, fsrc(c, 1, t, ftz));
                x = sum ? a : nc(Op.FMul, d, a, b);
                y = sum ? (c.op() == Opcode.SUB ? op(Op.FNegate, d, b) : b) : op(Op.FConvert, d, fsrc(c, 2, t, ftz));
                wide = addRoundToOdd(x, y);
            }
            case MUL -> wide = nc(Op.FMul, d, a, op(Op.FConvert, d, fsrc(c, 1, t, ftz)));
            case DIV -> wide = op(Op.FDiv, d, a, op(Op.FConvert, d, fsrc(c, 1, t, ftz)));
            case RCP -> wide = op(Op.FDiv, d, g.cF(ScalarType.F64, 1.0), a);
            default -> wide = ext(d, Spv.GLSLstd450.Sqrt, a);
        }
        int r = roundToF32(wide, m.rounding());
        if (x != 0 && m.rounding() == FloatMode.Rounding.RM) {
            // an exact zero sum is -0 when rounding down, unless both addends are +0
            int u64 = it(64);
            int zero = op(Op.FOrdEqual, bool(), wide, g.cF(ScalarType.F64, 0));
            int bothPos = op(Op.IEqual, bool(), op(Op.BitwiseOr, u64, op(Op.Bitcast, u64, x), op(Op.Bitcast, u64, y)),
                    g.cInt(64, 0));
            int negZero = op(Op.Bitcast, g.tF32(), g.cU32(0x8000_0000L));
            r = sel(g.tF32(), op(Op.LogicalAnd, bool(), zero, op(Op.LogicalNot, bool(), bothPos)), negZero, r);
        }
        return r;
    }

    /** The next double above ({@code up}) or below a non-zero, non-NaN double (infinities step to the largest). */
    private int stepF64(int d, boolean up) {
        int u64 = it(64);
        int bits = op(Op.Bitcast, u64, d);
        int neg = op(Op.FOrdLessThan, bool(), d, g.cF(ScalarType.F64, 0));
        int plus = op(Op.IAdd, u64, bits, ci(64, 1));
        int minus = op(Op.ISub, u64, bits, ci(64, 1));
        return op(Op.Bitcast, g.tF64(), up ? sel(u64, neg, minus, plus) : sel(u64, neg, plus, minus));
    }

    /** One ulp toward zero. */
    private int towardZeroF64(int d) {
        int u64 = it(64);
        return op(Op.Bitcast, g.tF64(), op(Op.ISub, u64, op(Op.Bitcast, u64, d), ci(64, 1)));
    }

    /**
     * {@code d} (a rounding to nearest of an exact value) in a directed mode, given where the exact value lies:
     * {@code above} when it is greater than d, {@code below} when smaller (both false when d is exact).
     */
    private int directF64(int d, int above, int below, FloatMode.Rounding mode) {
        int dt = g.tF64();
        return switch (mode) {
            case RP -> sel(dt, above, stepF64(d, true), d);
            case RM -> sel(dt, below, stepF64(d, false), d);
            default -> {
                // toward zero: step when d is farther from zero than the exact value
                int neg = op(Op.FOrdLessThan, bool(), d, g.cF(ScalarType.F64, 0));
                int away = sel(bool(), neg, above, below);
                yield sel(dt, away, towardZeroF64(d), d);
            }
        };
    }

    /** f64 add/sub in a directed mode: the nearest sum, its exact error (TwoSum), one step if needed. */
    private int directedAddF64(Inst.Compute c, FloatMode m) throws CodegenException {
        int d = g.tF64();
        int a = g.val(c.srcs().get(0), ScalarType.F64);
        int b = g.val(c.srcs().get(1), ScalarType.F64);
        if (c.op() == Opcode.SUB) b = op(Op.FNegate, d, b);
        int s = nc(Op.FAdd, d, a, b);
        int bb = nc(Op.FSub, d, s, a);
        int err = nc(Op.FAdd, d, nc(Op.FSub, d, a, nc(Op.FSub, d, s, bb)), nc(Op.FSub, d, b, bb));
        int zero = g.cF(ScalarType.F64, 0);
        int above = op(Op.FOrdGreaterThan, bool(), err, zero);
        int below = op(Op.FOrdLessThan, bool(), err, zero);
        // overflow of finite operands: the exact sum is finite, below +inf or above -inf
        int finiteOps = op(Op.LogicalNot, bool(), op(Op.LogicalOr, bool(), op(Op.IsInf, bool(), a),
                op(Op.IsInf, bool(), b)));
        int over = op(Op.LogicalAnd, bool(), op(Op.IsInf, bool(), s), finiteOps);
        int sNeg = op(Op.FOrdLessThan, bool(), s, zero);
        above = sel(bool(), over, sNeg, above);
        below = sel(bool(), over, op(Op.LogicalNot, bool(), sNeg), below);
        int r = directF64(s, above, below, m.rounding());
        if (m.rounding() == FloatMode.Rounding.RM) {
            int u64 = it(64);
            int isZero = op(Op.FOrdEqual, bool(), s, zero);
            int bothPos = op(Op.IEqual, bool(), op(Op.BitwiseOr, u64, op(Op.Bitcast, u64, a), op(Op.Bitcast, u64, b)),
                    ci(64, 0));
            r = sel(d, op(Op.LogicalAnd, bool(), isZero, op(Op.LogicalNot, bool(), bothPos)),
                    op(Op.Bitcast, d, ci(64, 0x8000_0000_0000_0000L)), r);
        }
        return r;
    }

    /**
     * f64 mul in a directed mode: the nearest product p, then the sign of the exact error a*b - p, one step if
     * needed. The error is found at a safe scale for every finite input: |a| = ma 2^ea, |b| = mb 2^eb and |p| =
     * mp 2^ep with mantissas in [1, 2) (subnormals normalized first), Dekker's exact product hi + lo = ma mb
     * (in [1, 4): no overflow or underflow), p' = mp 2^(ep - ea - eb) (exact: a power-of-two scaling into [1/4, 8)),
     * and sign(|a b| - |p|) = sign((hi - p') + lo), where hi - p' is exact (Sterbenz: p' is within a factor 2 of
     * hi, also when p is subnormal or 0) and the final rounding keeps the sign. Overflow (p infinite from finite
     * inputs) and products with an infinite, NaN or zero operand (exact) are handled apart.
     */
    private int directedMulF64(Inst.Compute c, FloatMode m) throws CodegenException {
        int d = g.tF64();
        int u64 = it(64);
        int u32 = it(32);
        int a = g.val(c.srcs().get(0), ScalarType.F64);
        int b = g.val(c.srcs().get(1), ScalarType.F64);
        int p = nc(Op.FMul, d, a, b);
        int zero = g.cF(ScalarType.F64, 0);
        int aa = ext(d, Spv.GLSLstd450.FAbs, a);
        int ab = ext(d, Spv.GLSLstd450.FAbs, b);
        int ap = ext(d, Spv.GLSLstd450.FAbs, p);
        int[] ma = mantissa(aa);
        int[] mb = mantissa(ab);
        int[] mp = mantissa(ap);
        int[] as = split(ma[0]);
        int[] bs = split(mb[0]);
        int hi = nc(Op.FMul, d, ma[0], mb[0]);
        int lo = nc(Op.FAdd, d, nc(Op.FAdd, d, nc(Op.FAdd, d, nc(Op.FSub, d, nc(Op.FMul, d, as[0], bs[0]), hi),
                nc(Op.FMul, d, as[0], bs[1])), nc(Op.FMul, d, as[1], bs[0])), nc(Op.FMul, d, as[1], bs[1]));
        // 2^(ep - ea - eb): a small exponent (|p| is within a factor 4 of |a b| unless p is 0)
        int shift = op(Op.ISub, u32, mp[1], op(Op.IAdd, u32, ma[1], mb[1]));
        int pzero = op(Op.FOrdEqual, bool(), ap, zero);
        int field = op(Op.ShiftLeftLogical, u64, op(Op.UConvert, u64, op(Op.IAdd, u32, shift, g.cU32(1023))),
                ci(64, 52));
        int scale = op(Op.Bitcast, d, sel(u64, pzero, ci(64, 0x3FF0_0000_0000_0000L), field));
        int ps = sel(d, pzero, zero, nc(Op.FMul, d, mp[0], scale));
        int err = nc(Op.FAdd, d, nc(Op.FSub, d, hi, ps), lo); // sign of |a b| - |p|
        int larger = op(Op.FOrdGreaterThan, bool(), err, zero);
        int smaller = op(Op.FOrdLessThan, bool(), err, zero);
        // exact cases: an operand that is zero, infinite or NaN
        int special = op(Op.LogicalOr, bool(),
                op(Op.LogicalOr, bool(), op(Op.FOrdEqual, bool(), aa, zero), op(Op.FOrdEqual, bool(), ab, zero)),
                op(Op.LogicalOr, bool(), op(Op.LogicalNot, bool(), op(Op.FOrdLessThan, bool(), aa,
                        g.cF(ScalarType.F64, Double.POSITIVE_INFINITY))), op(Op.LogicalNot, bool(),
                        op(Op.FOrdLessThan, bool(), ab, g.cF(ScalarType.F64, Double.POSITIVE_INFINITY)))));
        // overflow of finite operands: the exact product is finite, so smaller in magnitude than p
        int over = op(Op.IsInf, bool(), p);
        larger = sel(bool(), over, m(false), larger);
        smaller = sel(bool(), over, m(true), smaller);
        larger = op(Op.LogicalAnd, bool(), larger, op(Op.LogicalNot, bool(), special));
        smaller = op(Op.LogicalAnd, bool(), smaller, op(Op.LogicalNot, bool(), special));
        // from magnitudes to values: the product is negative when the signs differ
        int negative = op(Op.INotEqual, bool(), op(Op.ShiftRightLogical, u64, op(Op.BitwiseXor, u64,
                op(Op.Bitcast, u64, a), op(Op.Bitcast, u64, b)), ci(64, 63)), ci(64, 0));
        int above = sel(bool(), negative, smaller, larger);
        int below = sel(bool(), negative, larger, smaller);
        int r = directF64(p, above, below, m.rounding());
        // a zero p (underflow) stays (toward zero) or steps away from zero keeping its sign (stepF64 and
        // towardZeroF64 expect non-zero values)
        int stepFromZero = switch (m.rounding()) {
            case RP -> above;
            case RM -> below;
            default -> m(false);
        };
        int tiny = op(Op.Bitcast, d, op(Op.IAdd, u64, op(Op.Bitcast, u64, p), ci(64, 1)));
        return sel(d, pzero, sel(d, stepFromZero, tiny, p), r);
    }

    /**
     * f64 div (and rcp) in a directed mode: the correctly rounded quotient q, then the sign of |a| - |q| |b| at a
     * safe scale as for {@link #directedMulF64} (|q| |b| as Dekker's exact product of the mantissas, |a|'s mantissa
     * scaled by 2^(ea - eq - eb), exact since q is within a factor 2 of a/b, also when subnormal; q = 0 means the
     * exact quotient is larger). Zero, infinite and NaN operands give exact results; an overflowing q is larger than
     * the exact quotient.
     */
    private int directedDivF64(Inst.Compute c, FloatMode m) throws CodegenException {
        int d = g.tF64();
        int u32 = it(32);
        boolean rcp = c.op() == Opcode.RCP;
        int a = rcp ? g.cF(ScalarType.F64, 1.0) : g.val(c.srcs().get(0), ScalarType.F64);
        int b = g.val(c.srcs().get(rcp ? 0 : 1), ScalarType.F64);
        int q = op(Op.FDiv, d, a, b);
        int zero = g.cF(ScalarType.F64, 0);
        int aa = ext(d, Spv.GLSLstd450.FAbs, a);
        int ab = ext(d, Spv.GLSLstd450.FAbs, b);
        int aq = ext(d, Spv.GLSLstd450.FAbs, q);
        int[] ma = mantissa(aa);
        int[] mb = mantissa(ab);
        int[] mq = mantissa(aq);
        int[] prod = exactProduct(mq[0], mb[0]);
        int qzero = op(Op.FOrdEqual, bool(), aq, zero);
        int shift = op(Op.ISub, u32, ma[1], op(Op.IAdd, u32, mq[1], mb[1]));
        int as = nc(Op.FMul, d, ma[0], pow2(sel(u32, qzero, g.cU32(0), shift)));
        int err = sel(d, qzero, g.cF(ScalarType.F64, 1), nc(Op.FSub, d, nc(Op.FSub, d, as, prod[0]), prod[1]));
        return directedFromMagnitudes(q, err, special(aa, ab), a, b, m);
    }

    /**
     * f64 sqrt in a directed mode: the correctly rounded root s, then the sign of a - s^2 at a safe scale (s^2 as
     * Dekker's exact square of s's mantissa, a's mantissa scaled by 2^(ea - 2 es); s is never subnormal). Zero,
     * negative, infinite and NaN operands give exact results.
     */
    private int directedSqrtF64(Inst.Compute c, FloatMode m) throws CodegenException {
        int d = g.tF64();
        int u32 = it(32);
        int a = g.val(c.srcs().get(0), ScalarType.F64);
        int s = ext(d, Spv.GLSLstd450.Sqrt, a);
        int zero = g.cF(ScalarType.F64, 0);
        int[] ma = mantissa(a);
        int[] ms = mantissa(s);
        int[] sq = exactProduct(ms[0], ms[0]);
        int shift = op(Op.ISub, u32, ma[1], op(Op.IAdd, u32, ms[1], ms[1]));
        int as = nc(Op.FMul, d, ma[0], pow2(shift));
        int err = nc(Op.FSub, d, nc(Op.FSub, d, as, sq[0]), sq[1]);
        int special = op(Op.LogicalNot, bool(), op(Op.LogicalAnd, bool(), op(Op.FOrdGreaterThan, bool(), a, zero),
                op(Op.FOrdLessThan, bool(), a, g.cF(ScalarType.F64, Double.POSITIVE_INFINITY))));
        return directedFromMagnitudes(s, err, special, zero, zero, m);
    }

    /** Whether either magnitude is zero, infinite or NaN (products and quotients of such operands are exact). */
    private int special(int aa, int ab) {
        int zero = g.cF(ScalarType.F64, 0);
        int inf = g.cF(ScalarType.F64, Double.POSITIVE_INFINITY);
        int aOk = op(Op.LogicalAnd, bool(), op(Op.FOrdGreaterThan, bool(), aa, zero), op(Op.FOrdLessThan, bool(), aa, inf));
        int bOk = op(Op.LogicalAnd, bool(), op(Op.FOrdGreaterThan, bool(), ab, zero), op(Op.FOrdLessThan, bool(), ab, inf));
        return op(Op.LogicalNot, bool(), op(Op.LogicalAnd, bool(), aOk, bOk));
    }

    /**
     * The result in the directed mode from the nearest result {@code r} and the sign of |exact| - |r| ({@code err});
     * exact when {@code special}; an infinite r from finite operands is larger than the exact value; the value is
     * negative when {@code a} and {@code b} differ in sign; a zero r stays or steps away from zero with its sign.
     */
    private int directedFromMagnitudes(int r, int err, int special, int a, int b, FloatMode m) {
        int d = g.tF64();
        int u64 = it(64);
        int zero = g.cF(ScalarType.F64, 0);
        int larger = op(Op.FOrdGreaterThan, bool(), err, zero);
        int smaller = op(Op.FOrdLessThan, bool(), err, zero);
        int over = op(Op.IsInf, bool(), r);
        larger = sel(bool(), over, m(false), larger);
        smaller = sel(bool(), over, m(true), smaller);
        int exact = op(Op.LogicalNot, bool(), special);
        larger = op(Op.LogicalAnd, bool(), larger, exact);
        smaller = op(Op.LogicalAnd, bool(), smaller, exact);
        int negative = op(Op.INotEqual, bool(), op(Op.ShiftRightLogical, u64, op(Op.BitwiseXor, u64,
                op(Op.Bitcast, u64, a), op(Op.Bitcast, u64, b)), ci(64, 63)), ci(64, 0));
        int above = sel(bool(), negative, smaller, larger);
        int below = sel(bool(), negative, larger, smaller);
        int out = directF64(r, above, below, m.rounding());
        int stepFromZero = switch (m.rounding()) {
            case RP -> above;
            case RM -> below;
            default -> m(false);
        };
        int rzero = op(Op.FOrdEqual, bool(), r, zero);
        int tiny = op(Op.Bitcast, d, op(Op.IAdd, u64, op(Op.Bitcast, u64, r), ci(64, 1)));
        return sel(d, rzero, sel(d, stepFromZero, tiny, r), out);
    }

    /** Dekker's exact product {hi, lo} of two doubles in [1, 2) (no overflow or underflow possible). */
    private int[] exactProduct(int x, int y) {
        int d = g.tF64();
        int[] xs = split(x);
        int[] ys = split(y);
        int hi = nc(Op.FMul, d, x, y);
        int lo = nc(Op.FAdd, d, nc(Op.FAdd, d, nc(Op.FAdd, d, nc(Op.FSub, d, nc(Op.FMul, d, xs[0], ys[0]), hi),
                nc(Op.FMul, d, xs[0], ys[1])), nc(Op.FMul, d, xs[1], ys[0])), nc(Op.FMul, d, xs[1], ys[1]));
        return new int[] {hi, lo};
    }

    /** 2^e for a small signed exponent e (u32), |e| < 1000. */
    private int pow2(int e) {
        int u64 = it(64);
        return op(Op.Bitcast, g.tF64(), op(Op.ShiftLeftLogical, u64, op(Op.UConvert, u64,
                op(Op.IAdd, it(32), e, g.cU32(1023))), ci(64, 52)));
    }

    /**
     * {x in [1, 2), e} with {@code x = m 2^e} for a positive finite non-zero double (subnormals normalized first);
     * junk for other values (callers select those away). {@code e} is a u32 holding a signed exponent.
     */
    private int[] mantissa(int x) {
        int d = g.tF64();
        int u64 = it(64);
        int u32 = it(32);
        int sub = op(Op.FOrdLessThan, bool(), x, g.cF(ScalarType.F64, 0x1p-1022));
        int y = sel(d, sub, nc(Op.FMul, d, x, g.cF(ScalarType.F64, 0x1p54)), x);
        int bits = op(Op.Bitcast, u64, y);
        int biased = op(Op.UConvert, u32, op(Op.BitwiseAnd, u64, op(Op.ShiftRightLogical, u64, bits, ci(64, 52)),
                ci(64, 0x7ff)));
        int e = op(Op.ISub, u32, biased, sel(u32, sub, g.cU32(1023 + 54), g.cU32(1023)));
        int mbits = op(Op.BitwiseOr, u64, op(Op.BitwiseAnd, u64, bits, ci(64, 0x000F_FFFF_FFFF_FFFFL)),
                ci(64, 0x3FF0_0000_0000_0000L));
        return new int[] {op(Op.Bitcast, d, mbits), e};
    }

    /**
     * A 64-bit integer converted to f64 (returned) with where the exact value lies relative to it:
     * {@code out[0]} = exact above, {@code out[1]} = exact below.
     */
    private int int64ToF64(int x, boolean sg, int[] out) {
        int d = g.tF64();
        int u64 = it(64);
        int v = op(sg ? Op.ConvertSToF : Op.ConvertUToF, d, x);
        double limit = sg ? 0x1p63 : 0x1p64;
        int tooBig = op(Op.FOrdGreaterThanEqual, bool(), v, g.cF(ScalarType.F64, limit));
        int safe = sel(d, tooBig, g.cF(ScalarType.F64, 0), v);
        int back = op(sg ? Op.ConvertFToS : Op.ConvertFToU, u64, safe);
        int gt = op(sg ? Op.SGreaterThan : Op.UGreaterThan, bool(), back, x); // v above the exact value
        int lt = op(sg ? Op.SLessThan : Op.ULessThan, bool(), back, x);
        out[0] = sel(bool(), tooBig, m(false), lt);
        out[1] = sel(bool(), tooBig, m(true), gt);
        return v;
    }

    private int m(boolean b) {
        return g.m().constantBool(b);
    }

    /** A double rounded to f32 in {@code mode} (RN, RZ, RM, RP): round to nearest, then step one ulp if needed. */
    private int roundToF32(int wide, FloatMode.Rounding mode) {
        int rn = op(Op.FConvert, g.tF32(), wide);
        if (mode != FloatMode.Rounding.RZ && mode != FloatMode.Rounding.RM && mode != FloatMode.Rounding.RP) return rn;
        int d = g.tF64();
        int u = it(32);
        int back = op(Op.FConvert, d, rn);
        int bits = op(Op.Bitcast, u, rn);
        int neg = op(Op.INotEqual, bool(), op(Op.BitwiseAnd, u, bits, g.cU32(0x8000_0000L)), g.cU32(0));
        int isPosZero = op(Op.IEqual, bool(), bits, g.cU32(0));
        int isNegZero = op(Op.IEqual, bool(), bits, g.cU32(0x8000_0000L));
        int plus = op(Op.IAdd, u, bits, g.cU32(1));
        int minus = op(Op.ISub, u, bits, g.cU32(1));
        int r;
        switch (mode) {
            case RZ -> {
                int step = op(Op.FOrdGreaterThan, bool(), ext(d, Spv.GLSLstd450.FAbs, back),
                        ext(d, Spv.GLSLstd450.FAbs, wide));
                r = sel(u, step, minus, bits);
            }
            case RP -> {
                int step = op(Op.FOrdLessThan, bool(), back, wide);
                int up = sel(u, isNegZero, g.cU32(1), sel(u, neg, minus, plus));
                r = sel(u, step, up, bits);
            }
            default -> {
                int step = op(Op.FOrdGreaterThan, bool(), back, wide);
                int down = sel(u, isPosZero, g.cU32(0x8000_0001L), sel(u, neg, plus, minus));
                r = sel(u, step, down, bits);
            }
        }
        return op(Op.Bitcast, g.tF32(), r);
    }

    private int nearestCompute(Inst.Compute c, ScalarType t, int ty, FloatMode m, boolean ftz, String name)
            throws CodegenException {
        return switch (c.op()) {
            case ADD, SUB, MUL -> {
                requireNearest(m, name);
                int opc = c.op() == Opcode.ADD ? Op.FAdd : c.op() == Opcode.SUB ? Op.FSub : Op.FMul;
                yield g.noContraction(op(opc, ty, fsrc(c, 0, t, ftz), fsrc(c, 1, t, ftz)));
            }
            case DIV -> {
                if (!m.approx()) requireNearest(m, name);
                yield div(t, fsrc(c, 0, t, ftz), fsrc(c, 1, t, ftz));
            }
            case FMA, MAD -> {
                requireNearest(m, name);
                yield fma(t, fsrc(c, 0, t, ftz), fsrc(c, 1, t, ftz), fsrc(c, 2, t, ftz));
            }
            case SQRT -> {
                if (!m.approx()) requireNearest(m, name);
                yield sqrt(t, fsrc(c, 0, t, ftz));
            }
            default -> {
                if (!m.approx()) requireNearest(m, name);
                yield div(t, g.cF(t, 1.0), fsrc(c, 0, t, ftz));
            }
        };
    }

    private int otherCompute(Inst.Compute c, ScalarType t, int ty, FloatMode m, boolean ftz, String name, int w)
            throws CodegenException {
        int r;
        switch (c.op()) {
            case MIN, MAX -> {
                int a = fsrc(c, 0, t, ftz);
                int b = fsrc(c, 1, t, ftz);
                boolean min = c.op() == Opcode.MIN;
                int an = op(Op.IsNan, bool(), a);
                int bn = op(Op.IsNan, bool(), b);
                int ab = fbits(t, a);
                int bb = fbits(t, b);
                int lt = op(Op.FOrdLessThan, bool(), a, b);
                int gt = op(Op.FOrdGreaterThan, bool(), a, b);
                // equal values (incl. +-0): OR of the bits for min (-0 wins), AND for max
                int eqBits = op(min ? Op.BitwiseOr : Op.BitwiseAnd, it(w), ab, bb);
                int pick = sel(it(w), lt, min ? ab : bb, sel(it(w), gt, min ? bb : ab, eqBits));
                long canon = t == ScalarType.F32 ? 0x7fff_ffffL : 0x7fff_ffff_ffff_ffffL;
                int bothNan = op(Op.LogicalAnd, bool(), an, bn);
                int res = sel(it(w), bothNan, ci(w, canon), sel(it(w), an, bb, sel(it(w), bn, ab, pick)));
                r = ffrom(t, res);
            }
            case ABS -> r = ffrom(t, op(Op.BitwiseAnd, it(w), fbits(t, fsrc(c, 0, t, ftz)), ci(w, ~signMask(t))));
            case NEG -> r = ffrom(t, op(Op.BitwiseXor, it(w), fbits(t, fsrc(c, 0, t, ftz)), ci(w, signMask(t))));
            case COPYSIGN -> {
                int a = fbits(t, fsrc(c, 0, t, false));
                int b = fbits(t, fsrc(c, 1, t, false));
                int s = op(Op.BitwiseAnd, it(w), a, ci(w, signMask(t)));
                r = ffrom(t, op(Op.BitwiseOr, it(w), op(Op.BitwiseAnd, it(w), b, ci(w, ~signMask(t))), s));
            }
            case RSQRT -> r = ext(ty, Spv.GLSLstd450.InverseSqrt, fsrc(c, 0, t, ftz));
            case SIN -> r = ext(ty, Spv.GLSLstd450.Sin, f32Only(t, name, fsrc(c, 0, t, ftz)));
            case COS -> r = ext(ty, Spv.GLSLstd450.Cos, f32Only(t, name, fsrc(c, 0, t, ftz)));
            case EX2 -> r = ext(ty, Spv.GLSLstd450.Exp2, f32Only(t, name, fsrc(c, 0, t, ftz)));
            case LG2 -> r = ext(ty, Spv.GLSLstd450.Log2, f32Only(t, name, fsrc(c, 0, t, ftz)));
            case TANH -> r = tanh(f32Only(t, name, fsrc(c, 0, t, ftz)));
            case TESTP_FINITE, TESTP_INFINITE, TESTP_NUMBER, TESTP_NAN, TESTP_NORMAL, TESTP_SUBNORMAL -> {
                int a = g.val(c.srcs().get(0), t);
                int nan = op(Op.IsNan, bool(), a);
                int inf = op(Op.IsInf, bool(), a);
                int bits = op(Op.BitwiseAnd, it(w), fbits(t, a), ci(w, ~signMask(t)));
                long minNormal = t == ScalarType.F32 ? 0x0080_0000L : 0x0010_0000_0000_0000L;
                int belowNormal = op(Op.ULessThan, bool(), bits, ci(w, minNormal));
                int zero = op(Op.IEqual, bool(), bits, ci(w, 0));
                int p = switch (c.op()) {
                    case TESTP_FINITE -> op(Op.LogicalNot, bool(), op(Op.LogicalOr, bool(), nan, inf));
                    case TESTP_INFINITE -> inf;
                    case TESTP_NUMBER -> op(Op.LogicalNot, bool(), nan);
                    case TESTP_NAN -> nan;
                    case TESTP_NORMAL -> op(Op.LogicalNot, bool(), op(Op.LogicalOr, bool(), op(Op.LogicalOr, bool(),
                            nan, inf), belowNormal));
                    default -> op(Op.LogicalAnd, bool(), belowNormal, op(Op.LogicalNot, bool(), zero));
                };
                g.def(c.dst(), p, ScalarType.PRED);
                return -1;
            }
            default -> throw new CodegenException(name + " is not supported on Vulkan");
        }
        return r;
    }

    private int nc(int opcode, int type, int a, int b) {
        return g.noContraction(op(opcode, type, a, b));
    }

    /**
     * Correctly rounded division and square root. Drivers may give {@code OpFDiv}/{@code Sqrt} 2.5 ulp on f32
     * (lavapipe does): f32 is computed in f64 and rounded once more, which is exact because 53 >= 2 * 24 + 2.
     * f64 uses the driver's instruction (IEEE on LLVM-based drivers).
     */
    private int div(ScalarType t, int a, int b) throws CodegenException {
        if (t == ScalarType.F32 && g.tF64() != 0) {
            int d = op(Op.FDiv, g.tF64(), op(Op.FConvert, g.tF64(), a), op(Op.FConvert, g.tF64(), b));
            return op(Op.FConvert, g.tF32(), d);
        }
        return op(Op.FDiv, ft(t), a, b);
    }

    private int sqrt(ScalarType t, int a) throws CodegenException {
        if (t == ScalarType.F32 && g.tF64() != 0) {
            int d = ext(g.tF64(), Spv.GLSLstd450.Sqrt, op(Op.FConvert, g.tF64(), a));
            return op(Op.FConvert, g.tF32(), d);
        }
        return ext(ft(t), Spv.GLSLstd450.Sqrt, a);
    }

    /**
     * floor/ceil/trunc from {@link #roundEven} and a one-step correction (exact: below 2^(p-1) the neighbours are
     * integers), with the sign of x. GLSL's Trunc/Floor/Ceil are not used: lavapipe's f64 ones lose the sign of
     * zero and are wrong near 2^52.
     */
    private int integral(ScalarType t, int x, FloatMode.Rounding mode) throws CodegenException {
        int ty = ft(t);
        int r = roundEven(t, x);
        int one = g.cF(t, 1);
        int floor = sel(ty, op(Op.FOrdGreaterThan, bool(), r, x), nc(Op.FSub, ty, r, one), r);
        int ceil = sel(ty, op(Op.FOrdLessThan, bool(), r, x), nc(Op.FAdd, ty, r, one), r);
        int res = switch (mode) {
            case RMI -> floor;
            case RPI -> ceil;
            default -> sel(ty, op(Op.FOrdGreaterThanEqual, bool(), x, g.cF(t, 0)), floor, ceil);
        };
        return copySign(t, res, x);
    }

    /** A double to f32 rounded to odd (round to nearest; if inexact, toward zero with the last bit set). */
    private int roundToOddF32(int d) {
        int f = g.tF32();
        int u = it(32);
        int rn = op(Op.FConvert, f, d);
        int back = op(Op.FConvert, g.tF64(), rn);
        int inexact = op(Op.FOrdNotEqual, bool(), back, d);
        int away = op(Op.FOrdGreaterThan, bool(), ext(g.tF64(), Spv.GLSLstd450.FAbs, back),
                ext(g.tF64(), Spv.GLSLstd450.FAbs, d));
        int bits = op(Op.Bitcast, u, rn);
        int trunc = sel(u, away, op(Op.ISub, u, bits, g.cU32(1)), bits);
        return op(Op.Bitcast, f, sel(u, inexact, op(Op.BitwiseOr, u, trunc, g.cU32(1)), bits));
    }

    /** An f16 (bits) as f32, exactly. */
    private int f16ToF32(int h) {
        int u = it(32);
        int x = op(Op.UConvert, u, h);
        int sign = op(Op.ShiftLeftLogical, u, op(Op.BitwiseAnd, u, x, g.cU32(0x8000)), g.cU32(16));
        int e = op(Op.BitwiseAnd, u, op(Op.ShiftRightLogical, u, x, g.cU32(10)), g.cU32(0x1f));
        int mant = op(Op.BitwiseAnd, u, x, g.cU32(0x3ff));
        int normal = op(Op.BitwiseOr, u, op(Op.ShiftLeftLogical, u, op(Op.IAdd, u, e, g.cU32(112)), g.cU32(23)),
                op(Op.ShiftLeftLogical, u, mant, g.cU32(13)));
        int special = op(Op.BitwiseOr, u, g.cU32(0x7f80_0000L), op(Op.ShiftLeftLogical, u, mant, g.cU32(13)));
        // subnormal: mant * 2^-24, exact in f32
        int sub = op(Op.Bitcast, u, nc(Op.FMul, g.tF32(), op(Op.ConvertUToF, g.tF32(), mant),
                g.cF(ScalarType.F32, 0x1p-24)));
        int mag = sel(u, op(Op.IEqual, bool(), e, g.cU32(0)), sub, sel(u, op(Op.IEqual, bool(), e, g.cU32(31)),
                special, normal));
        return op(Op.Bitcast, g.tF32(), op(Op.BitwiseOr, u, sign, mag));
    }

    /**
     * An f32 to f16 bits in {@code mode}: scaled by the f16 ulp of its binade, rounded to an integer in the mode,
     * scaled back (exact), then encoded; overflow per mode (infinity or the largest finite); NaN is 0x7fff.
     */
    private int f32ToF16(int x, FloatMode.Rounding mode) throws CodegenException {
        int f = g.tF32();
        int u = it(32);
        ScalarType t = ScalarType.F32;
        int bits = op(Op.Bitcast, u, x);
        int e = op(Op.ISub, u, op(Op.BitwiseAnd, u, op(Op.ShiftRightLogical, u, bits, g.cU32(23)), g.cU32(0xff)),
                g.cU32(127));
        int eClamped = sel(u, op(Op.SLessThan, bool(), e, g.cU32(-14)), g.cU32(-14), e);
        int ulp = op(Op.Bitcast, f, op(Op.ShiftLeftLogical, u, op(Op.IAdd, u, eClamped, g.cU32(117)), g.cU32(23)));
        int q = op(Op.FDiv, f, x, ulp); // exact: a power of two
        int qr = switch (mode) {
            case RZ -> integral(t, q, FloatMode.Rounding.RZI);
            case RM -> integral(t, q, FloatMode.Rounding.RMI);
            case RP -> integral(t, q, FloatMode.Rounding.RPI);
            default -> roundEven(t, q);
        };
        int r = nc(Op.FMul, f, qr, ulp);
        int sign = op(Op.ShiftRightLogical, u, op(Op.BitwiseAnd, u, bits, g.cU32(0x8000_0000L)), g.cU32(16));
        int ar = ext(f, Spv.GLSLstd450.FAbs, r);
        int rb = op(Op.Bitcast, u, ar);
        int re = op(Op.ShiftRightLogical, u, rb, g.cU32(23));
        int normal = op(Op.BitwiseOr, u, op(Op.ShiftLeftLogical, u, op(Op.ISub, u, re, g.cU32(112)), g.cU32(10)),
                op(Op.BitwiseAnd, u, op(Op.ShiftRightLogical, u, rb, g.cU32(13)), g.cU32(0x3ff)));
        int subnormal = op(Op.ConvertFToU, u, nc(Op.FMul, f, ext(f, Spv.GLSLstd450.FMin, ar, g.cF(t, 0x1p-14)),
                g.cF(t, 0x1p24)));
        int isSub = op(Op.FOrdLessThan, bool(), ar, g.cF(t, 0x1p-14));
        int over = op(Op.FOrdGreaterThanEqual, bool(), ar, g.cF(t, 65536.0));
        int neg = op(Op.INotEqual, bool(), sign, g.cU32(0));
        int inf = g.cU32(0x7c00);
        int max = g.cU32(0x7bff);
        int overMag = switch (mode) {
            case RZ -> max;
            case RM -> sel(u, neg, inf, max);
            case RP -> sel(u, neg, max, inf);
            default -> inf;
        };
        int mag = sel(u, over, overMag, sel(u, isSub, subnormal, normal));
        int res = op(Op.BitwiseOr, u, sign, mag);
        int isInf = op(Op.IsInf, bool(), x);
        res = sel(u, isInf, op(Op.BitwiseOr, u, sign, inf), res);
        res = sel(u, op(Op.IsNan, bool(), x), g.cU32(0x7fff), res);
        return op(Op.UConvert, it(16), res);
    }

    /** {@code mag} with the sign bit of {@code sign}. */
    private int copySign(ScalarType t, int mag, int sign) throws CodegenException {
        int w = t.bits();
        int sb = op(Op.BitwiseAnd, it(w), fbits(t, sign), ci(w, signMask(t)));
        return ffrom(t, op(Op.BitwiseOr, it(w), op(Op.BitwiseAnd, it(w), fbits(t, mag), ci(w, ~signMask(t))), sb));
    }

    /** Round half to even, by adding and subtracting 2^(p-1) (exact in round-to-nearest), sign kept. */
    private int roundEven(ScalarType t, int x) throws CodegenException {
        int ty = ft(t);
        int w = t.bits();
        double magic = t == ScalarType.F32 ? 0x1p23 : 0x1p52;
        int ax = ext(ty, Spv.GLSLstd450.FAbs, x);
        int big = op(Op.LogicalNot, bool(), op(Op.FOrdLessThan, bool(), ax, g.cF(t, magic)));
        int r = nc(Op.FSub, ty, nc(Op.FAdd, ty, ax, g.cF(t, magic)), g.cF(t, magic));
        // copy x's sign (so -0.3 gives -0)
        int sign = op(Op.BitwiseAnd, it(w), fbits(t, x), ci(w, signMask(t)));
        int signed = ffrom(t, op(Op.BitwiseOr, it(w), fbits(t, r), sign));
        return sel(ty, big, x, signed);
    }

    /** The sum {@code a + b} rounded to odd: round to nearest, and if inexact, the neighbour with an odd last bit. */
    private int addRoundToOdd(int a, int b) {
        int d = g.tF64();
        int u64 = it(64);
        int s = nc(Op.FAdd, d, a, b);
        int bb = nc(Op.FSub, d, s, a);
        int err = nc(Op.FAdd, d, nc(Op.FSub, d, a, nc(Op.FSub, d, s, bb)), nc(Op.FSub, d, b, bb));
        int inexact = op(Op.FOrdNotEqual, bool(), err, g.cF(ScalarType.F64, 0));
        int bits = op(Op.Bitcast, u64, s);
        int errNeg = op(Op.FOrdLessThan, bool(), err, g.cF(ScalarType.F64, 0));
        int sNeg = op(Op.FOrdLessThan, bool(), s, g.cF(ScalarType.F64, 0));
        int away = op(Op.LogicalNotEqual, bool(), errNeg, sNeg); // s is farther from zero than the exact sum
        int trunc = sel(u64, away, op(Op.ISub, u64, bits, ci(64, 1)), bits);
        int odd = op(Op.BitwiseOr, u64, trunc, ci(64, 1));
        return op(Op.Bitcast, d, sel(u64, inexact, odd, bits));
    }

    /**
     * Fused multiply-add with a single rounding: {@code OpFmaKHR} where the device has {@code VK_KHR_shader_fma} for
     * the width ({@link Target#fmaF32()}, {@link Target#fmaF64()}). Else {@code GLSL.std.450 Fma} need not be fused
     * (lavapipe splits it), so: f32 as the exact f64 product plus c rounded to odd, then to f32 (exact: 53 >= 24 + 2;
     * branch-free: a variant that converted the f64 sum directly and branched to this only for sums halfway between
     * two floats measured slower on lavapipe, which runs both sides of a branch under a mask); f64 by Boldo and
     * Melquiond's emulation (Dekker's exact product, an exact sum, a sum rounded to odd, a final rounding) where
     * that is exact, else {@link FmaF64}'s integer fma (exact for all inputs).
     */
    private int fma(ScalarType t, int a, int b, int c) throws CodegenException {
        if (t == ScalarType.F32 ? g.target().fmaF32() : t == ScalarType.F64 && g.target().fmaF64()) {
            g.m().capability(Spv.Capability.FMAKHR).extension("SPV_KHR_fma");
            return op(Op.FmaKHR, ft(t), a, b, c);
        }
        int d = g.tF64();
        if (d == 0) return ext(ft(t), Spv.GLSLstd450.Fma, a, b, c);
        if (t == ScalarType.F32) {
            int p = nc(Op.FMul, d, op(Op.FConvert, d, a), op(Op.FConvert, d, b));
            return op(Op.FConvert, g.tF32(), addRoundToOdd(p, op(Op.FConvert, d, c)));
        }
        return FmaF64.call(g, FloatMode.Rounding.RN, a, b, c, this::boldoMelquiond);
    }

    /**
     * Boldo and Melquiond's f64 fma (round to nearest): {result, whether it is exact}, exact when the product neither
     * overflows nor underflows (|a*b| in [2^-916, 2^995], |a|, |b| < 2^995) and the result is finite.
     */
    private int[] boldoMelquiond(int a, int b, int c) {
        int d = g.tF64();
        // Dekker: uh + ul = a * b
        int[] as = split(a);
        int[] bs = split(b);
        int uh = nc(Op.FMul, d, a, b);
        int ul = nc(Op.FAdd, d, nc(Op.FAdd, d, nc(Op.FAdd, d, nc(Op.FSub, d, nc(Op.FMul, d, as[0], bs[0]), uh),
                nc(Op.FMul, d, as[0], bs[1])), nc(Op.FMul, d, as[1], bs[0])), nc(Op.FMul, d, as[1], bs[1]));
        // TwoSum: th + tl = c + uh
        int th = nc(Op.FAdd, d, c, uh);
        int bb = nc(Op.FSub, d, th, c);
        int tl = nc(Op.FAdd, d, nc(Op.FSub, d, c, nc(Op.FSub, d, th, bb)), nc(Op.FSub, d, uh, bb));
        int v = addRoundToOdd(tl, ul);
        int emulated = nc(Op.FAdd, d, th, v);
        // outside the safe range (or with non-finite values) the integer path
        int ap = ext(d, Spv.GLSLstd450.FAbs, uh);
        int safe = op(Op.LogicalAnd, bool(), op(Op.FOrdLessThan, bool(), ap, g.cF(ScalarType.F64, 0x1p995)),
                op(Op.FOrdGreaterThan, bool(), ap, g.cF(ScalarType.F64, 0x1p-916)));
        safe = op(Op.LogicalAnd, bool(), safe, op(Op.LogicalAnd, bool(),
                op(Op.FOrdLessThan, bool(), ext(d, Spv.GLSLstd450.FAbs, a), g.cF(ScalarType.F64, 0x1p995)),
                op(Op.FOrdLessThan, bool(), ext(d, Spv.GLSLstd450.FAbs, b), g.cF(ScalarType.F64, 0x1p995))));
        int finite = op(Op.LogicalNot, bool(), op(Op.LogicalOr, bool(), op(Op.IsNan, bool(), emulated),
                op(Op.IsInf, bool(), emulated)));
        int useEmu = op(Op.LogicalAnd, bool(), safe, finite);
        return new int[] {emulated, useEmu};
    }

    /** Veltkamp's split of a double into two 26-bit halves. */
    private int[] split(int x) {
        int d = g.tF64();
        int tt = nc(Op.FMul, d, g.cF(ScalarType.F64, 134217729.0), x);
        int hi = nc(Op.FSub, d, tt, nc(Op.FSub, d, tt, x));
        int lo = nc(Op.FSub, d, x, hi);
        return new int[] {hi, lo};
    }

    /**
     * {@code tanh.approx.f32} (PTX bound: 2^-11 relative): GLSL's Tanh cancels catastrophically near 0 on lavapipe,
     * so below 0.55 the Taylor polynomial to x^9 (error below 2^-15 relative), above it
     * {@code 1 - 2 / (exp(2|x|) + 1)} with the sign of x.
     */
    private int tanh(int x) throws CodegenException {
        ScalarType t = ScalarType.F32;
        int f = g.tF32();
        int ax = ext(f, Spv.GLSLstd450.FAbs, x);
        int x2 = nc(Op.FMul, f, x, x);
        int p = g.cF(t, 62.0 / 2835);
        p = nc(Op.FAdd, f, nc(Op.FMul, f, p, x2), g.cF(t, -17.0 / 315));
        p = nc(Op.FAdd, f, nc(Op.FMul, f, p, x2), g.cF(t, 2.0 / 15));
        p = nc(Op.FAdd, f, nc(Op.FMul, f, p, x2), g.cF(t, -1.0 / 3));
        int small = nc(Op.FAdd, f, x, nc(Op.FMul, f, nc(Op.FMul, f, x, x2), p));
        int e = ext(f, Spv.GLSLstd450.Exp, nc(Op.FMul, f, ax, g.cF(t, 2)));
        int big = nc(Op.FSub, f, g.cF(t, 1), op(Op.FDiv, f, g.cF(t, 2), nc(Op.FAdd, f, e, g.cF(t, 1))));
        int signedBig = copySign(t, big, x);
        return sel(f, op(Op.FOrdLessThan, bool(), ax, g.cF(t, 0.55)), small, signedBig);
    }

    private int f32Only(ScalarType t, String name, int x) throws CodegenException {
        if (t != ScalarType.F32) throw new CodegenException(name + ": GLSL.std.450 has it for 32-bit floats only");
        return x;
    }

    /** x > 0 ? (x < 1 ? x : 1) : +0 (NaN gives +0). */
    private int sat(ScalarType t, int x) throws CodegenException {
        int ty = ft(t);
        int pos = op(Op.FOrdGreaterThan, bool(), x, g.cF(t, 0));
        int lt1 = op(Op.FOrdLessThan, bool(), x, g.cF(t, 1));
        return sel(ty, pos, sel(ty, lt1, x, g.cF(t, 1)), g.cF(t, 0));
    }

    // =====================================================================================================
    // carry arithmetic

    static void carry(SpirvCodegen g, Inst.CarryArith c) throws CodegenException {
        new Arith(g).carry(c);
    }

    private void carry(Inst.CarryArith c) throws CodegenException {
        ScalarType t = c.type();
        int w = t.bits();
        int ty = it(w);
        int st = g.m().typeStruct(ty, ty);
        int a = g.val(c.srcs().get(0), t);
        int b = g.val(c.srcs().get(1), t);
        int r;
        int carry;
        if (c.op() == Opcode.SUB) {
            int d1 = op(Op.ISubBorrow, st, a, b);
            r = g.f().compositeExtract(ty, d1, 0);
            carry = op(Op.INotEqual, bool(), g.f().compositeExtract(ty, d1, 1), ci(w, 0));
            if (c.carryIn() != null) {
                int bin = sel(ty, g.val(c.carryIn(), ScalarType.PRED), ci(w, 1), ci(w, 0));
                int d2 = op(Op.ISubBorrow, st, r, bin);
                r = g.f().compositeExtract(ty, d2, 0);
                carry = op(Op.LogicalOr, bool(), carry, op(Op.INotEqual, bool(), g.f().compositeExtract(ty, d2, 1),
                        ci(w, 0)));
            }
        } else {
            int x;
            int y;
            if (c.op() == Opcode.ADD) {
                x = a;
                y = b;
            } else {
                x = c.op() == Opcode.MAD ? op(Op.IMul, ty, a, b) : mulHi(t, a, b);
                y = g.val(c.srcs().get(2), t);
            }
            int s1 = op(Op.IAddCarry, st, x, y);
            r = g.f().compositeExtract(ty, s1, 0);
            carry = op(Op.INotEqual, bool(), g.f().compositeExtract(ty, s1, 1), ci(w, 0));
            if (c.carryIn() != null) {
                int cin = sel(ty, g.val(c.carryIn(), ScalarType.PRED), ci(w, 1), ci(w, 0));
                int s2 = op(Op.IAddCarry, st, r, cin);
                r = g.f().compositeExtract(ty, s2, 0);
                carry = op(Op.LogicalOr, bool(), carry, op(Op.INotEqual, bool(), g.f().compositeExtract(ty, s2, 1),
                        ci(w, 0)));
            }
        }
        g.def(c.dst(), r, t);
        if (c.carryOut() != null) g.def(c.carryOut(), carry, ScalarType.PRED);
    }

    // =====================================================================================================
    // comparisons

    static void compare(SpirvCodegen g, Inst.Compare c) throws CodegenException {
        new Arith(g).compare(c);
    }

    private void compare(Inst.Compare c) throws CodegenException {
        ScalarType t = c.type();
        int r;
        if (t == ScalarType.PRED) {
            int a = g.val(c.a(), t);
            int b = g.val(c.b(), t);
            r = switch (c.op()) {
                case EQ -> op(Op.LogicalEqual, bool(), a, b);
                case NE -> op(Op.LogicalNotEqual, bool(), a, b);
                default -> throw new CodegenException("setp." + c.op() + " on .pred");
            };
        } else if (t == ScalarType.F32 || t == ScalarType.F64) {
            int a = g.val(c.a(), t);
            int b = g.val(c.b(), t);
            if (c.ftz() && t == ScalarType.F32) {
                a = flush(a);
                b = flush(b);
            }
            compareFloats(c, a, b);
            return;
        } else if (t == ScalarType.F16 || t == ScalarType.BF16) {
            boolean bf = t == ScalarType.BF16;
            int ha = g.val(c.a(), t);
            int hb = g.val(c.b(), t);
            if (c.ftz()) {
                ha = flushHalf(ha, bf);
                hb = flushHalf(hb, bf);
            }
            compareFloats(c, halfToF32(ha, bf), halfToF32(hb, bf));
            return;
        } else if (isHalf(t)) {
            throw new CodegenException("packed half-precision comparisons are not supported on the Vulkan backend");
        } else {
            int a = g.val(c.a(), t);
            int b = g.val(c.b(), t);
            boolean sg = t.kind() == ScalarType.Kind.SIGNED;
            int opc = switch (c.op()) {
                case EQ -> Op.IEqual;
                case NE -> Op.INotEqual;
                case LT -> sg ? Op.SLessThan : Op.ULessThan;
                case LE -> sg ? Op.SLessThanEqual : Op.ULessThanEqual;
                case GT -> sg ? Op.SGreaterThan : Op.UGreaterThan;
                case GE -> sg ? Op.SGreaterThanEqual : Op.UGreaterThanEqual;
                case LO -> Op.ULessThan;
                case LS -> Op.ULessThanEqual;
                case HI -> Op.UGreaterThan;
                case HS -> Op.UGreaterThanEqual;
                default -> throw new CodegenException("setp." + c.op() + " on " + t.ptxName());
            };
            r = op(opc, bool(), a, b);
        }
        g.def(c.dst(), r, ScalarType.PRED);
    }

    private void compareFloats(Inst.Compare c, int a, int b) throws CodegenException {
        int opc = switch (c.op()) {
            case EQ -> Op.FOrdEqual;
            case NE -> Op.FOrdNotEqual;
            case LT -> Op.FOrdLessThan;
            case LE -> Op.FOrdLessThanEqual;
            case GT -> Op.FOrdGreaterThan;
            case GE -> Op.FOrdGreaterThanEqual;
            case EQU -> Op.FUnordEqual;
            case NEU -> Op.FUnordNotEqual;
            case LTU -> Op.FUnordLessThan;
            case LEU -> Op.FUnordLessThanEqual;
            case GTU -> Op.FUnordGreaterThan;
            case GEU -> Op.FUnordGreaterThanEqual;
            case NUM, NAN -> 0;
            default -> throw new CodegenException("setp." + c.op() + " on " + c.type().ptxName());
        };
        int r;
        if (opc == 0) {
            int anyNan = op(Op.LogicalOr, bool(), op(Op.IsNan, bool(), a), op(Op.IsNan, bool(), b));
            r = c.op() == Inst.CmpOp.NAN ? anyNan : op(Op.LogicalNot, bool(), anyNan);
        } else {
            r = op(opc, bool(), a, b);
        }
        g.def(c.dst(), r, ScalarType.PRED);
    }

    // =====================================================================================================
    // conversions

    static void convert(SpirvCodegen g, Inst.Convert c) throws CodegenException {
        new Arith(g).convert(c);
    }

    private void convert(Inst.Convert c) throws CodegenException {
        ScalarType to = c.to();
        ScalarType from = c.from();
        FloatMode m = c.mode();
        boolean fromF = isFloatT(from);
        boolean toF = isFloatT(to);
        String name = "cvt" + m + to.ptxName() + from.ptxName();
        boolean fromH = from == ScalarType.F16 || from == ScalarType.BF16;
        boolean toH = to == ScalarType.F16 || to == ScalarType.BF16;
        if ((isHalf(from) && !fromH) || (isHalf(to) && !toH) || (fromH && toH)) {
            throw new CodegenException(name + ": this half-precision conversion is not supported on the Vulkan backend");
        }
        if (toH || fromH) {
            // .sat to an integer changes nothing (float to integer always saturates)
            boolean satMatters = m.sat() && (toH || isFloatT(to));
            if (satMatters || m.ftz()) {
                throw new CodegenException(name + ": .sat/.ftz with .f16 are not supported on Vulkan");
            }
            if (g.tF64() == 0) throw new CodegenException(name + ": needs 64-bit floats");
            int x = g.val(c.src(), from);
            if (fromH) {
                // exact in f32, then as a conversion from f32
                int f = halfToF32(x, from == ScalarType.BF16);
                int r = to == ScalarType.F32 ? f : to == ScalarType.F64 ? op(Op.FConvert, g.tF64(), f)
                        : floatToInt(f, ScalarType.F32, to, m, nanToInt(from, to));
                g.def(c.dst(), r, to);
                return;
            }
            if (!directed(m)) requireNearest(m, name);
            // the value as a double (exact, or rounded to odd for 64-bit integers), rounded to odd to f32, then to f16
            int d;
            if (from == ScalarType.F64) {
                d = x;
            } else if (from == ScalarType.F32) {
                d = op(Op.FConvert, g.tF64(), x);
            } else if (from.bits() <= 32) {
                int wide = from.bits() < 32 ? op(signedT(from) ? Op.SConvert : Op.UConvert, it(32), x) : x;
                d = op(signedT(from) ? Op.ConvertSToF : Op.ConvertUToF, g.tF64(), wide);
            } else {
                throw new CodegenException(name + ": 64-bit integers to .f16 are not supported on Vulkan");
            }
            int ro = roundToOddF32(d);
            g.def(c.dst(), to == ScalarType.BF16 ? f32ToBf16(ro, m.rounding()) : f32ToF16(ro, m.rounding()), to);
            return;
        }
        if (to == ScalarType.PRED || from == ScalarType.PRED) throw new CodegenException(name + " of predicates");
        int x = g.val(c.src(), from);
        int r;
        if (!fromF && !toF) {
            r = m.sat() ? satInt(x, from, to) : resize(x, from, to);
        } else if (!fromF) {
            boolean exact = (to == ScalarType.F64 && from.bits() <= 32) || (to == ScalarType.F32 && from.bits() <= 16);
            int wide = from.bits() < 32 ? op(signedT(from) ? Op.SConvert : Op.UConvert, it(32), x) : x;
            if (!exact && directed(m) && to == ScalarType.F32 && from.bits() <= 32 && g.tF64() != 0) {
                // exact in f64, then rounded in the mode
                r = roundToF32(op(signedT(from) ? Op.ConvertSToF : Op.ConvertUToF, g.tF64(), wide), m.rounding());
            } else if (!exact && directed(m) && from.bits() == 64 && g.tF64() != 0) {
                int[] where = new int[2];
                int v = int64ToF64(x, signedT(from), where);
                if (to == ScalarType.F64) {
                    r = directF64(v, where[0], where[1], m.rounding());
                } else {
                    // the nearest double made round-to-odd (then one more rounding to f32 is exact)
                    int u64 = it(64);
                    int inexact = op(Op.LogicalOr, bool(), where[0], where[1]);
                    int neg = op(Op.FOrdLessThan, bool(), v, g.cF(ScalarType.F64, 0));
                    int away = sel(bool(), neg, where[0], where[1]);
                    int bits = op(Op.Bitcast, u64, v);
                    int trunc = sel(u64, away, op(Op.ISub, u64, bits, ci(64, 1)), bits);
                    int odd = op(Op.Bitcast, g.tF64(), sel(u64, inexact, op(Op.BitwiseOr, u64, trunc, ci(64, 1)), bits));
                    r = roundToF32(odd, m.rounding());
                }
            } else {
                if (!exact) requireNearest(m, name);
                r = op(signedT(from) ? Op.ConvertSToF : Op.ConvertUToF, ft(to), wide);
            }
            if (m.sat()) r = sat(to, r);
        } else if (!toF) {
            if (m.ftz() && from == ScalarType.F32) x = flush(x);
            r = floatToInt(x, from, to, m, nanToInt(from, to));
        } else if (from == to) {
            if (m.ftz() && from == ScalarType.F32) x = flush(x);
            r = switch (m.rounding()) {
                case RNI -> roundEven(to, x);
                case RZI -> integral(to, x, FloatMode.Rounding.RZI);
                case RMI -> integral(to, x, FloatMode.Rounding.RMI);
                case RPI -> integral(to, x, FloatMode.Rounding.RPI);
                default -> x;
            };
            if (m.sat()) r = sat(to, r);
            if (m.ftz() && to == ScalarType.F32) r = flush(r);
        } else {
            if (m.ftz() && from == ScalarType.F32) x = flush(x);
            if (!directed(m)) requireNearest(m, name);
            r = to == ScalarType.F32 ? roundToF32(x, m.rounding()) : op(Op.FConvert, ft(to), x);
            if (m.sat()) r = sat(to, r);
            if (m.ftz() && to == ScalarType.F32) r = flush(r);
        }
        g.def(c.dst(), r, to);
    }

    private static boolean isFloatT(ScalarType t) {
        return t.kind() == ScalarType.Kind.FLOAT;
    }

    private static boolean signedT(ScalarType t) {
        return t.kind() == ScalarType.Kind.SIGNED;
    }

    private int resize(int x, ScalarType from, ScalarType to) {
        if (from.bits() == to.bits()) return x;
        if (to.bits() > from.bits()) return op(signedT(from) ? Op.SConvert : Op.UConvert, it(to.bits()), x);
        return op(Op.UConvert, it(to.bits()), x);
    }

    /** Integer conversion with saturation to the destination's range, compared in 32 or 64 bits. */
    private int satInt(int x, ScalarType from, ScalarType to) {
        int wd = to.bits();
        boolean sd = signedT(to);
        int cw = Math.max(32, Math.max(from.bits(), wd));
        int ct = it(cw);
        long minV = cw == 64 ? Long.MIN_VALUE : Integer.MIN_VALUE;
        long maxS = cw == 64 ? Long.MAX_VALUE : Integer.MAX_VALUE;
        if (signedT(from)) {
            int v = from.bits() == cw ? x : op(Op.SConvert, ct, x);
            long lo = sd ? (wd == cw ? minV : -(1L << (wd - 1))) : 0;
            v = sel(ct, op(Op.SLessThan, bool(), v, g.cInt(cw, lo)), g.cInt(cw, lo), v);
            if (wd < cw) {
                long hi = sd ? (1L << (wd - 1)) - 1 : (1L << wd) - 1;
                v = sel(ct, op(Op.SGreaterThan, bool(), v, g.cInt(cw, hi)), g.cInt(cw, hi), v);
            }
            return wd == cw ? v : op(Op.UConvert, it(wd), v);
        }
        int v = from.bits() == cw ? x : op(Op.UConvert, ct, x);
        long hi = sd ? (wd == cw ? maxS : (1L << (wd - 1)) - 1) : (wd == cw ? -1L : (1L << wd) - 1);
        v = sel(ct, op(Op.UGreaterThan, bool(), v, g.cInt(cw, hi)), g.cInt(cw, hi), v);
        return wd == cw ? v : op(Op.UConvert, it(wd), v);
    }

    /**
     * The result of cvt float to integer of a NaN, as an NVIDIA H100 80GB HBM3 gives it (driver 580.159.04, CUDA 13.0,
     * corpus/gpucheck cases cvt_f32_to_int and cvt_f64_to_int, every rounding mode; corpus/gpucheck/RESULTS.md): f32
     * to 64-bit integers and f64 to 32- and 64-bit integers give the destination's lowest bit pattern with only the
     * sign bit set (0x80000000, 0x8000000000000000), signed or unsigned alike; f32 to 32-bit integers gives 0. The PTX
     * ISA says 0 for every case; 8/16-bit destinations and f16/bf16 sources were not observed and give 0, as on the
     * CPU backend. The destination's bits, zero-extended.
     */
    static long nanToInt(ScalarType from, ScalarType to) {
        int wd = to.bits();
        boolean minBit = (from == ScalarType.F32 && wd == 64) || (from == ScalarType.F64 && (wd == 32 || wd == 64));
        return minBit ? 1L << (wd - 1) : 0;
    }

    /**
     * Float to integer: rounded to an integral value per the mode, saturated to the destination's range (always, as
     * PTX does: {@code .sat} changes nothing here), a NaN giving {@code nanBits} (see {@link #nanToInt}). Every case
     * is an explicit test and select; {@code OpConvertFToS/FToU} only sees values in range (undefined otherwise).
     */
    private int floatToInt(int x, ScalarType from, ScalarType to, FloatMode m, long nanBits) throws CodegenException {
        int fty = ft(from);
        int rounded = switch (m.rounding()) {
            case RNI, RN -> roundEven(from, x);
            case RMI, RM -> integral(from, x, FloatMode.Rounding.RMI);
            case RPI, RP -> integral(from, x, FloatMode.Rounding.RPI);
            default -> integral(from, x, FloatMode.Rounding.RZI);
        };
        int wd = to.bits();
        boolean sd = signedT(to);
        int cw = Math.max(32, wd);
        int cty = it(cw);
        double lo = sd ? -Math.pow(2, wd - 1) : 0;
        double hi = sd ? Math.pow(2, wd - 1) : Math.pow(2, wd);
        long minV = sd ? (wd == 64 ? Long.MIN_VALUE : -(1L << (wd - 1))) : 0;
        long maxV = sd ? (wd == 64 ? Long.MAX_VALUE : (1L << (wd - 1)) - 1) : (wd == 64 ? -1L : (1L << wd) - 1);
        int tooLow = op(Op.FOrdLessThan, bool(), rounded, g.cF(from, lo));
        int tooHigh = op(Op.FOrdGreaterThanEqual, bool(), rounded, g.cF(from, hi));
        int nan = op(Op.IsNan, bool(), x);
        int inRange = op(Op.LogicalNot, bool(), op(Op.LogicalOr, bool(), op(Op.LogicalOr, bool(), tooLow, tooHigh),
                nan));
        // convert a value known to be in range (others replaced by 0 first, so the conversion is defined)
        int safe = sel(fty, inRange, rounded, g.cF(from, 0));
        int conv = op(sd ? Op.ConvertFToS : Op.ConvertFToU, cty, safe);
        int r = sel(cty, nan, g.cInt(cw, nanBits), sel(cty, tooLow, g.cInt(cw, minV), sel(cty, tooHigh,
                g.cInt(cw, maxV), conv)));
        return wd == cw ? r : op(Op.UConvert, it(wd), r);
    }
}
