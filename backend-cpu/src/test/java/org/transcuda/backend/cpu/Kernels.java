package org.transcuda.backend.cpu;

import static org.transcuda.backend.cpu.Ir.F32;
import static org.transcuda.backend.cpu.Ir.PRED;
import static org.transcuda.backend.cpu.Ir.U32;
import static org.transcuda.backend.cpu.Ir.U64;
import static org.transcuda.backend.cpu.Ir.f32;
import static org.transcuda.backend.cpu.Ir.sym;
import static org.transcuda.backend.cpu.Ir.u32;

import org.transcuda.ir.AddressSpace;
import org.transcuda.ir.FloatMode;
import org.transcuda.ir.Function;
import org.transcuda.ir.Inst;
import org.transcuda.ir.Opcode;
import org.transcuda.ir.Reg;
import org.transcuda.ir.Special;

/** Classic CUDA kernels written in IR, as nvcc would lower them: tiled matmul, 1D stencil, block scan. */
final class Kernels {
    static final FloatMode RN = new FloatMode(FloatMode.Rounding.RN, false, false, false);
    static final int TILE = 16;

    private Kernels() {
    }

    /**
     * C = A * B for n x n row-major matrices (n a multiple of 16), 16x16 tiles in shared memory As/Bs, two
     * bar.sync per tile.
     */
    static Function matmul() {
        Ir k = Ir.kernel("matmul").param("A", U64).param("B", U64).param("C", U64).param("n", U32);
        Reg a = k.reg(U64);
        Reg b = k.reg(U64);
        Reg c = k.reg(U64);
        Reg n = k.reg(U32);
        k.ldParam(a, "A").ldParam(b, "B").ldParam(c, "C").ldParam(n, "n");
        Reg tx = k.reg(U32);
        Reg ty = k.reg(U32);
        Reg bx = k.reg(U32);
        Reg by = k.reg(U32);
        k.special(tx, Special.TID_X).special(ty, Special.TID_Y).special(bx, Special.CTAID_X).special(by, Special.CTAID_Y);
        Reg row = k.reg(U32);
        Reg col = k.reg(U32);
        k.op(Opcode.MAD, U32, row, by, u32(TILE), ty).op(Opcode.MAD, U32, col, bx, u32(TILE), tx);
        // shared offsets of this thread's element: (ty*16 + tx)*4
        Reg lin = k.reg(U32);
        k.op(Opcode.MAD, U32, lin, ty, u32(TILE), tx);
        Reg sA = k.index(sym("As", AddressSpace.SHARED), lin, 4);
        Reg sB = k.index(sym("Bs", AddressSpace.SHARED), lin, 4);
        Reg rowA = k.index(sym("As", AddressSpace.SHARED), ty, TILE * 4); // As[ty][0]
        Reg colB = k.index(sym("Bs", AddressSpace.SHARED), tx, 4); // Bs[0][tx]
        Reg sum = k.reg(F32);
        k.mov(sum, f32(0));
        Reg t = k.reg(U32);
        k.mov(t, u32(0));
        k.label("tiles");
        // As[ty][tx] = A[row*n + t*16 + tx]; Bs[ty][tx] = B[(t*16 + ty)*n + col]
        Reg ia = k.reg(U32);
        k.op(Opcode.MAD, U32, ia, t, u32(TILE), tx);
        k.op(Opcode.MAD, U32, ia, row, n, ia);
        Reg va = k.reg(F32);
        k.ld(AddressSpace.GLOBAL, F32, va, k.index(a, ia, 4), 0);
        k.st(AddressSpace.SHARED, F32, sA, 0, va);
        Reg ib = k.reg(U32);
        k.op(Opcode.MAD, U32, ib, t, u32(TILE), ty);
        k.op(Opcode.MAD, U32, ib, ib, n, col);
        Reg vb = k.reg(F32);
        k.ld(AddressSpace.GLOBAL, F32, vb, k.index(b, ib, 4), 0);
        k.st(AddressSpace.SHARED, F32, sB, 0, vb);
        k.bar();
        // fully unrolled inner product over the tile, as nvcc emits it
        for (int j = 0; j < TILE; j++) {
            Reg x = k.reg(F32);
            Reg y = k.reg(F32);
            k.ld(AddressSpace.SHARED, F32, x, rowA, j * 4L);
            k.ld(AddressSpace.SHARED, F32, y, colB, j * TILE * 4L);
            k.op(Opcode.FMA, F32, RN, sum, x, y, sum);
        }
        k.bar();
        k.op(Opcode.ADD, U32, t, t, u32(1));
        Reg tiles = k.reg(U32);
        k.op(Opcode.SHR, U32, tiles, n, u32(4));
        Reg more = k.reg(PRED);
        k.setp(Inst.CmpOp.LT, U32, more, t, tiles).braIf(more, "tiles", "done");
        k.label("done");
        Reg ic = k.reg(U32);
        k.op(Opcode.MAD, U32, ic, row, n, col);
        k.st(AddressSpace.GLOBAL, F32, k.index(c, ic, 4), 0, sum);
        return k.build();
    }

    /** y[i] = 0.25 x[i-1] + 0.5 x[i] + 0.25 x[i+1] for 0 < i < n-1 (straight from global memory). */
    static Function stencil() {
        Ir k = Ir.kernel("stencil").param("x", U64).param("y", U64).param("n", U32);
        Reg x = k.reg(U64);
        Reg y = k.reg(U64);
        Reg n = k.reg(U32);
        k.ldParam(x, "x").ldParam(y, "y").ldParam(n, "n");
        Reg i = k.globalIdX();
        Reg last = k.reg(U32);
        k.op(Opcode.SUB, U32, last, n, u32(1));
        Reg lo = k.reg(PRED);
        Reg hi = k.reg(PRED);
        k.setp(Inst.CmpOp.EQ, U32, lo, i, u32(0));
        k.setp(Inst.CmpOp.GE, U32, hi, i, last);
        k.op(Opcode.OR, PRED, lo, lo, hi);
        k.braIf(lo, "done", "body");
        k.label("body");
        Reg ax = k.index(x, i, 4);
        Reg l = k.reg(F32);
        Reg m = k.reg(F32);
        Reg r = k.reg(F32);
        k.ld(AddressSpace.GLOBAL, F32, l, ax, -4).ld(AddressSpace.GLOBAL, F32, m, ax, 0).ld(AddressSpace.GLOBAL, F32, r, ax, 4);
        Reg s = k.reg(F32);
        k.op(Opcode.MUL, F32, RN, s, l, f32(0.25f));
        k.op(Opcode.FMA, F32, RN, s, m, f32(0.5f), s);
        k.op(Opcode.FMA, F32, RN, s, r, f32(0.25f), s);
        k.st(AddressSpace.GLOBAL, F32, k.index(y, i, 4), 0, s);
        k.label("done").exit();
        return k.build();
    }

    /**
     * Inclusive scan of each block's slice (Hillis-Steele in shared memory, double-buffered, bar.sync per step);
     * block totals go to sums[ctaid].
     */
    static Function blockScan() {
        Ir k = Ir.kernel("scan").param("x", U64).param("y", U64).param("sums", U64);
        Reg x = k.reg(U64);
        Reg y = k.reg(U64);
        Reg sums = k.reg(U64);
        k.ldParam(x, "x").ldParam(y, "y").ldParam(sums, "sums");
        Reg tid = k.reg(U32);
        Reg ntid = k.reg(U32);
        Reg cta = k.reg(U32);
        k.special(tid, Special.TID_X).special(ntid, Special.NTID_X).special(cta, Special.CTAID_X);
        Reg i = k.reg(U32);
        k.op(Opcode.MAD, U32, i, cta, ntid, tid);
        Reg v = k.reg(F32);
        k.ld(AddressSpace.GLOBAL, F32, v, k.index(x, i, 4), 0);
        Reg src = k.reg(U32); // buffer offsets in elements: 0 or ntid
        Reg dst = k.reg(U32);
        k.mov(src, u32(0)).mov(dst, ntid);
        Reg pos = k.reg(U32);
        k.op(Opcode.ADD, U32, pos, src, tid);
        k.st(AddressSpace.SHARED, F32, k.index(sym("buf", AddressSpace.SHARED), pos, 4), 0, v);
        k.bar();
        Reg off = k.reg(U32);
        k.mov(off, u32(1));
        k.label("step");
        Reg more = k.reg(PRED);
        k.setp(Inst.CmpOp.LT, U32, more, off, ntid).braIf(more, "work", "finish");
        k.label("work");
        Reg cur = k.reg(F32);
        k.op(Opcode.ADD, U32, pos, src, tid);
        k.ld(AddressSpace.SHARED, F32, cur, k.index(sym("buf", AddressSpace.SHARED), pos, 4), 0);
        Reg has = k.reg(PRED);
        k.setp(Inst.CmpOp.GE, U32, has, tid, off);
        Reg prev = k.reg(U32);
        k.op(Opcode.SUB, U32, prev, pos, off);
        Reg pa = k.index(sym("buf", AddressSpace.SHARED), prev, 4);
        Reg other = k.reg(F32);
        k.mov(other, f32(0));
        k.when(has).ld(AddressSpace.SHARED, F32, other, pa, 0);
        k.op(Opcode.ADD, F32, RN, cur, cur, other);
        Reg dpos = k.reg(U32);
        k.op(Opcode.ADD, U32, dpos, dst, tid);
        k.st(AddressSpace.SHARED, F32, k.index(sym("buf", AddressSpace.SHARED), dpos, 4), 0, cur);
        k.bar();
        Reg tmp = k.reg(U32);
        k.mov(tmp, src).mov(src, dst).mov(dst, tmp);
        k.op(Opcode.SHL, U32, off, off, u32(1));
        k.bra("step");
        k.label("finish");
        k.op(Opcode.ADD, U32, pos, src, tid);
        Reg out = k.reg(F32);
        k.ld(AddressSpace.SHARED, F32, out, k.index(sym("buf", AddressSpace.SHARED), pos, 4), 0);
        k.st(AddressSpace.GLOBAL, F32, k.index(y, i, 4), 0, out);
        Reg lastT = k.reg(U32);
        k.op(Opcode.SUB, U32, lastT, ntid, u32(1));
        Reg isLast = k.reg(PRED);
        k.setp(Inst.CmpOp.EQ, U32, isLast, tid, lastT);
        Reg sa = k.index(sums, cta, 4);
        k.when(isLast).st(AddressSpace.GLOBAL, F32, sa, 0, out);
        return k.build();
    }
}
