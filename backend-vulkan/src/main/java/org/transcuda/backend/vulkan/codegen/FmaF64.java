package org.transcuda.backend.vulkan.codegen;

import org.transcuda.backend.vulkan.spirv.Op;
import org.transcuda.backend.vulkan.spirv.SpirvFunction;
import org.transcuda.backend.vulkan.spirv.Spv;
import org.transcuda.ir.FloatMode;
import org.transcuda.ir.ScalarType;

/**
 * {@code fma.f64} (and {@code mad.f64}) with one rounding in any mode ({@code .rn}, {@code .rz}, {@code .rm},
 * {@code .rp}), exact for every input, in integer arithmetic: a helper function per rounding mode.
 *
 * <p>Finite non-zero a and b are split into 53-bit integer significands and exponents (subnormals normalized), their
 * 106-bit product is formed from 32-bit pieces, c's significand is placed at the same height, and the one with the
 * smaller exponent is shifted right with a sticky bit (the bits shifted out are all below the rounding position:
 * when they are not zero the exponents differ by more than 16, so at most one leading bit cancels). The 128-bit
 * sum or difference is normalized and rounded once to the double format in the mode, subnormal results included
 * (their extra shift joins the sticky bit); a biased exponent of 2047 or more is an overflow (infinity or the largest
 * finite value by mode). An exact zero sum is +0, or -0 when rounding down. Zero, infinite and NaN operands take
 * the IEEE rules by ordinary arithmetic (exact there): infinite c with finite a, b is c; a zero product keeps its sign
 * in the sum of zeros (-0 rounding down unless both are +0).
 *
 * <p>For round to nearest the helper first tries Boldo and Melquiond's float emulation (fast) where it is exact
 * ({@link Fast}) and branches to the integer path only outside that range.
 */
final class FmaF64 {
    /** The fast path for round to nearest: {result, condition under which it is exact}. */
    interface Fast {
        int[] emit(int a, int b, int c);
    }

    private final SpirvCodegen g;

    private FmaF64(SpirvCodegen g) {
        this.g = g;
    }

    /** A call of the fma helper for {@code mode} (RN with the fast path {@code fast}, may be null). */
    static int call(SpirvCodegen g, FloatMode.Rounding mode, int a, int b, int c, Fast fast) {
        FloatMode.Rounding r = switch (mode) {
            case RZ, RM, RP -> mode;
            default -> FloatMode.Rounding.RN;
        };
        int d = g.tF64();
        int fn = g.helper("fmaF64" + r + (fast != null && r == FloatMode.Rounding.RN ? "fast" : ""), d,
                new int[] {d, d, d}, p -> new FmaF64(g).body(r, p[0], p[1], p[2],
                        r == FloatMode.Rounding.RN ? fast : null));
        return g.f().op(Op.FunctionCall, d, fn, a, b, c);
    }

    private SpirvFunction f() {
        return g.f();
    }

    private int op(int opcode, int type, int... ops) {
        return g.f().op(opcode, type, ops);
    }

    private int sel(int type, int cond, int a, int b) {
        return op(Op.Select, type, cond, a, b);
    }

    private int bool() {
        return g.tBool();
    }

    private int u64() {
        return g.tU64();
    }

    private int u32() {
        return g.tU32();
    }

    private int c64(long v) {
        return g.cU64(v);
    }

    private int c32(long v) {
        return g.cU32(v);
    }

    private int and(int x, int y) {
        return op(Op.LogicalAnd, bool(), x, y);
    }

    private int or(int x, int y) {
        return op(Op.LogicalOr, bool(), x, y);
    }

    private int not(int x) {
        return op(Op.LogicalNot, bool(), x);
    }

    private int nz64(int x) {
        return op(Op.INotEqual, bool(), x, c64(0));
    }

    private int shl(int x, int s32) {
        return op(Op.ShiftLeftLogical, u64(), x, op(Op.UConvert, u64(), s32));
    }

    private int shr(int x, int s32) {
        return op(Op.ShiftRightLogical, u64(), x, op(Op.UConvert, u64(), s32));
    }

    /** (1 << s) - 1 for s in [0, 63]. */
    private int mask(int s32) {
        return op(Op.ISub, u64(), shl(c64(1), s32), c64(1));
    }

    private int bool64(int b) {
        return sel(u64(), b, c64(1), c64(0));
    }

    private void body(FloatMode.Rounding mode, int a, int b, int c, Fast fast) {
        int d = g.tF64();
        if (fast == null) {
            f().opVoid(Op.ReturnValue, exact(mode, a, b, c));
            return;
        }
        int[] fr = fast.emit(a, b, c);
        int lFast = g.m().id(), lSlow = g.m().id(), merge = g.m().id();
        int res = f().variable(g.m().typePointer(Spv.StorageClass.Function, d));
        f().selectionMerge(merge);
        f().branchConditional(fr[1], lFast, lSlow);
        f().label(lFast);
        f().store(res, fr[0]);
        f().branch(merge);
        f().label(lSlow);
        f().store(res, exact(mode, a, b, c));
        f().branch(merge);
        f().label(merge);
        f().opVoid(Op.ReturnValue, f().load(d, res));
    }

    /** Most significant set bit of a non-zero u64, as u32. */
    private int msb64(int x) {
        int hi = op(Op.UConvert, u32(), shr(x, c32(32)));
        int lo = op(Op.UConvert, u32(), x);
        int mh = g.f().extInst(u32(), g.glsl(), Spv.GLSLstd450.FindUMsb, hi);
        int ml = g.f().extInst(u32(), g.glsl(), Spv.GLSLstd450.FindUMsb, lo);
        return sel(u32(), op(Op.INotEqual, bool(), hi, c32(0)), op(Op.IAdd, u32(), mh, c32(32)), ml);
    }

    /** {significand in [2^52, 2^53), exponent (i32)} of a finite non-zero double's bits. */
    private int[] decompose(int bits) {
        int frac = op(Op.BitwiseAnd, u64(), bits, c64(0x000F_FFFF_FFFF_FFFFL));
        int be = op(Op.UConvert, u32(), op(Op.BitwiseAnd, u64(), shr(bits, c32(52)), c64(0x7ff)));
        int sub = op(Op.IEqual, bool(), be, c32(0));
        // subnormal: frac << (52 - msb), exponent -1074 - (52 - msb)
        int fracSafe = sel(u64(), sub, frac, c64(1));
        int lift = op(Op.ISub, u32(), c32(52), msb64(fracSafe));
        int mS = shl(fracSafe, lift);
        int eS = op(Op.ISub, u32(), c32(-1074), lift);
        int mN = op(Op.BitwiseOr, u64(), frac, c64(1L << 52));
        int eN = op(Op.ISub, u32(), be, c32(1075));
        return new int[] {sel(u64(), sub, mS, mN), sel(u32(), sub, eS, eN)};
    }

    /** {hi, lo} shifted right by n (u32, any value) with the bits shifted out ORed into bit 0. */
    private int[] shrJam(int hi, int lo, int n) {
        int zero = op(Op.IEqual, bool(), n, c32(0));
        int small = op(Op.ULessThan, bool(), n, c32(64));
        int mid = op(Op.ULessThan, bool(), n, c32(128));
        int s = sel(u32(), and(small, not(zero)), n, c32(1)); // [1, 63]
        int k = sel(u32(), and(mid, not(small)), op(Op.ISub, u32(), n, c32(64)), c32(0)); // [0, 63]
        // 1..63
        int loS = op(Op.BitwiseOr, u64(), shr(lo, s), shl(hi, op(Op.ISub, u32(), c32(64), s)));
        int hiS = shr(hi, s);
        int stS = nz64(op(Op.BitwiseAnd, u64(), lo, mask(s)));
        // 64..127
        int loM = shr(hi, k);
        int stM = or(nz64(lo), nz64(op(Op.BitwiseAnd, u64(), hi, mask(k))));
        // 128 and more
        int stB = nz64(op(Op.BitwiseOr, u64(), hi, lo));
        int nhi = sel(u64(), zero, hi, sel(u64(), small, hiS, c64(0)));
        int nlo = sel(u64(), zero, lo, sel(u64(), small, loS, sel(u64(), mid, loM, c64(0))));
        int st = sel(bool(), zero, g.m().constantBool(false), sel(bool(), small, stS, sel(bool(), mid, stM, stB)));
        return new int[] {nhi, op(Op.BitwiseOr, u64(), nlo, bool64(st))};
    }

    /** {hi, lo} shifted left by n in [0, 127]. */
    private int[] shl128(int hi, int lo, int n) {
        int zero = op(Op.IEqual, bool(), n, c32(0));
        int small = op(Op.ULessThan, bool(), n, c32(64));
        int s = sel(u32(), and(small, not(zero)), n, c32(1));
        int k = sel(u32(), small, c32(0), op(Op.ISub, u32(), n, c32(64)));
        int hiS = op(Op.BitwiseOr, u64(), shl(hi, s), shr(lo, op(Op.ISub, u32(), c32(64), s)));
        int loS = shl(lo, s);
        int nhi = sel(u64(), zero, hi, sel(u64(), small, hiS, shl(lo, k)));
        int nlo = sel(u64(), zero, lo, sel(u64(), small, loS, c64(0)));
        return new int[] {nhi, nlo};
    }

    private int[] add128(int[] x, int[] y) {
        int lo = op(Op.IAdd, u64(), x[1], y[1]);
        int carry = bool64(op(Op.ULessThan, bool(), lo, x[1]));
        return new int[] {op(Op.IAdd, u64(), op(Op.IAdd, u64(), x[0], y[0]), carry), lo};
    }

    private int[] sub128(int[] x, int[] y) {
        int lo = op(Op.ISub, u64(), x[1], y[1]);
        int borrow = bool64(op(Op.ULessThan, bool(), x[1], y[1]));
        return new int[] {op(Op.ISub, u64(), op(Op.ISub, u64(), x[0], y[0]), borrow), lo};
    }

    private int less128(int[] x, int[] y) {
        return or(op(Op.ULessThan, bool(), x[0], y[0]),
                and(op(Op.IEqual, bool(), x[0], y[0]), op(Op.ULessThan, bool(), x[1], y[1])));
    }

    private int[] sel128(int cond, int[] x, int[] y) {
        return new int[] {sel(u64(), cond, x[0], y[0]), sel(u64(), cond, x[1], y[1])};
    }

    /** The fma rounded in {@code mode}, for all inputs. */
    private int exact(FloatMode.Rounding mode, int a, int b, int c) {
        int d = g.tF64();
        int ab = op(Op.Bitcast, u64(), a);
        int bb = op(Op.Bitcast, u64(), b);
        int cb = op(Op.Bitcast, u64(), c);
        int absMask = c64(0x7FFF_FFFF_FFFF_FFFFL);
        int inf = c64(0x7FF0_0000_0000_0000L);
        int aMag = op(Op.BitwiseAnd, u64(), ab, absMask);
        int bMag = op(Op.BitwiseAnd, u64(), bb, absMask);
        int cMag = op(Op.BitwiseAnd, u64(), cb, absMask);
        int aFin = op(Op.ULessThan, bool(), aMag, inf);
        int bFin = op(Op.ULessThan, bool(), bMag, inf);
        int cFin = op(Op.ULessThan, bool(), cMag, inf);
        int aZero = op(Op.IEqual, bool(), aMag, c64(0));
        int bZero = op(Op.IEqual, bool(), bMag, c64(0));
        int cZero = op(Op.IEqual, bool(), cMag, c64(0));
        int regular = and(and(and(aFin, bFin), cFin), not(or(aZero, bZero)));
        boolean rm = mode == FloatMode.Rounding.RM;

        // ---- special operands by ordinary arithmetic (exact there)
        int p = g.noContraction(op(Op.FMul, d, a, b));
        int sum = g.noContraction(op(Op.FAdd, d, p, c));
        if (rm) {
            // a sum of zeros rounding down is -0 unless both are +0
            int pb = op(Op.Bitcast, u64(), p);
            int bothPos = op(Op.IEqual, bool(), op(Op.BitwiseOr, u64(), pb, cb), c64(0));
            int zeros = and(op(Op.IEqual, bool(), op(Op.BitwiseAnd, u64(), pb, absMask), c64(0)), cZero);
            sum = sel(d, and(zeros, not(bothPos)), op(Op.Bitcast, d, c64(0x8000_0000_0000_0000L)), sum);
        }
        int special = sel(d, and(and(aFin, bFin), not(cFin)), c, sum);

        // ---- the regular case: a, b finite non-zero, c finite
        int sa = shr(ab, c32(63));
        int sb = shr(bb, c32(63));
        int sX = op(Op.BitwiseXor, u64(), sa, sb); // sign of the product (0/1)
        int sY = shr(cb, c32(63));
        int safeA = sel(u64(), regular, ab, c64(0x3FF0_0000_0000_0000L));
        int safeB = sel(u64(), regular, bb, c64(0x3FF0_0000_0000_0000L));
        int safeC = sel(u64(), cZero, c64(0x3FF0_0000_0000_0000L), cb);
        int[] da = decompose(safeA);
        int[] db = decompose(safeB);
        int[] dc = decompose(safeC);
        // the 106-bit product from 32-bit pieces
        int a0 = op(Op.BitwiseAnd, u64(), da[0], c64(0xFFFF_FFFFL));
        int a1 = shr(da[0], c32(32));
        int b0 = op(Op.BitwiseAnd, u64(), db[0], c64(0xFFFF_FFFFL));
        int b1 = shr(db[0], c32(32));
        int p00 = op(Op.IMul, u64(), a0, b0);
        int midSum = op(Op.IAdd, u64(), op(Op.IMul, u64(), a0, b1), op(Op.IMul, u64(), a1, b0));
        int p11 = op(Op.IMul, u64(), a1, b1);
        int pLo = op(Op.IAdd, u64(), p00, shl(midSum, c32(32)));
        int carry = bool64(op(Op.ULessThan, bool(), pLo, p00));
        int pHi = op(Op.IAdd, u64(), op(Op.IAdd, u64(), p11, shr(midSum, c32(32))), carry);
        // X = P << 16 (top bit 120 or 121), exponent ea + eb - 16; Y = mc << 69 (top bit 121), exponent ec - 69
        int[] x = shl128(pHi, pLo, c32(16));
        int eX = op(Op.ISub, u32(), op(Op.IAdd, u32(), da[1], db[1]), c32(16));
        int[] y = new int[] {sel(u64(), cZero, c64(0), shl(dc[0], c32(5))), c64(0)};
        int eY = sel(u32(), cZero, eX, op(Op.ISub, u32(), dc[1], c32(69)));
        // align the one with the smaller exponent
        int xGe = op(Op.SGreaterThanEqual, bool(), eX, eY);
        int[] big = sel128(xGe, x, y);
        int[] small = sel128(xGe, y, x);
        int sBig = sel(u64(), xGe, sX, sY);
        int sSmall = sel(u64(), xGe, sY, sX);
        int e = sel(u32(), xGe, eX, eY);
        int dist = sel(u32(), xGe, op(Op.ISub, u32(), eX, eY), op(Op.ISub, u32(), eY, eX));
        int[] sm = shrJam(small[0], small[1], dist);
        int same = op(Op.IEqual, bool(), sBig, sSmall);
        int[] plus = add128(big, sm);
        int lt = less128(big, sm);
        int[] minus = sel128(lt, sub128(sm, big), sub128(big, sm));
        int[] r = sel128(same, plus, minus);
        int sign = sel(u64(), same, sBig, sel(u64(), lt, sSmall, sBig));
        int rZero = op(Op.IEqual, bool(), op(Op.BitwiseOr, u64(), r[0], r[1]), c64(0));
        // normalize: top bit to 127
        int rHiSafe = r[0];
        int msb = sel(u32(), nz64(rHiSafe), op(Op.IAdd, u32(), msb64(sel(u64(), nz64(rHiSafe), rHiSafe, c64(1))),
                c32(64)), msb64(sel(u64(), nz64(r[1]), r[1], c64(1))));
        int lz = op(Op.ISub, u32(), c32(127), msb);
        int[] n = shl128(r[0], r[1], lz);
        // leading bit's exponent e - lz + 127, biased + 1023
        int be = op(Op.IAdd, u32(), op(Op.ISub, u32(), e, lz), c32(127 + 1023));
        int sub = op(Op.SLessThan, bool(), be, c32(1));
        int extra = sel(u32(), sub, op(Op.ISub, u32(), c32(1), be), c32(0));
        int[] q = shrJam(n[0], n[1], extra);
        int kept = shr(q[0], c32(11));
        int roundBit = nz64(op(Op.BitwiseAnd, u64(), q[0], c64(1L << 10)));
        int sticky = or(nz64(op(Op.BitwiseAnd, u64(), q[0], c64(0x3FF))), nz64(q[1]));
        int negative = nz64(sign);
        int up = switch (mode) {
            case RZ -> g.m().constantBool(false);
            case RP -> and(or(roundBit, sticky), not(negative));
            case RM -> and(or(roundBit, sticky), negative);
            default -> and(roundBit, or(sticky, nz64(op(Op.BitwiseAnd, u64(), kept, c64(1)))));
        };
        int over = op(Op.SGreaterThanEqual, bool(), be, c32(2047));
        int field = sel(u32(), or(sub, over), c32(0), op(Op.ISub, u32(), be, c32(1)));
        int mag = op(Op.IAdd, u64(), shl(op(Op.UConvert, u64(), field), c32(52)),
                op(Op.IAdd, u64(), kept, bool64(up)));
        over = or(over, op(Op.UGreaterThanEqual, bool(), mag, inf));
        int toInf = switch (mode) {
            case RZ -> g.m().constantBool(false);
            case RP -> not(negative);
            case RM -> negative;
            default -> g.m().constantBool(true);
        };
        mag = sel(u64(), over, sel(u64(), toInf, inf, c64(0x7FEF_FFFF_FFFF_FFFFL)), mag);
        int bits = op(Op.BitwiseOr, u64(), shl(sign, c32(63)), mag);
        bits = sel(u64(), rZero, c64(rm ? 0x8000_0000_0000_0000L : 0), bits);
        return sel(d, regular, op(Op.Bitcast, d, bits), special);
    }

    static boolean isF64(ScalarType t) {
        return t == ScalarType.F64;
    }
}
