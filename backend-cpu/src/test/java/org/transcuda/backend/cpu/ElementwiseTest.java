package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.transcuda.backend.cpu.Ir.F32;
import static org.transcuda.backend.cpu.Ir.PRED;
import static org.transcuda.backend.cpu.Ir.U32;
import static org.transcuda.backend.cpu.Ir.U64;
import static org.transcuda.backend.cpu.Ir.u32;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.transcuda.cuda.Dim3;
import org.transcuda.ir.AddressSpace;
import org.transcuda.ir.FloatMode;
import org.transcuda.ir.Function;
import org.transcuda.ir.Inst;
import org.transcuda.ir.Opcode;
import org.transcuda.ir.Reg;
import org.transcuda.ir.Special;
import org.transcuda.spi.BackendFunction;

/** Elementwise kernels end to end through the SPI: 1D/2D/3D grids, odd block sizes, many blocks. */
class ElementwiseTest {
    static final FloatMode RN = new FloatMode(FloatMode.Rounding.RN, false, false, false);

    static Function saxpy() {
        Ir k = Ir.kernel("saxpy").param("n", U32).param("a", F32).param("x", U64).param("y", U64);
        Reg n = k.reg(U32);
        Reg a = k.reg(F32);
        Reg x = k.reg(U64);
        Reg y = k.reg(U64);
        k.ldParam(n, "n").ldParam(a, "a").ldParam(x, "x").ldParam(y, "y");
        Reg i = k.globalIdX();
        Reg p = k.reg(PRED);
        k.setp(Inst.CmpOp.GE, U32, p, i, n).braIf(p, "done", "body");
        k.label("body");
        Reg ax = k.index(x, i, 4);
        Reg ay = k.index(y, i, 4);
        Reg xv = k.reg(F32);
        Reg yv = k.reg(F32);
        Reg r = k.reg(F32);
        k.ld(AddressSpace.GLOBAL, F32, xv, ax, 0).ld(AddressSpace.GLOBAL, F32, yv, ay, 0);
        k.op(Opcode.FMA, F32, RN, r, a, xv, yv);
        k.st(AddressSpace.GLOBAL, F32, ay, 0, r);
        k.label("done").exit();
        return k.build();
    }

    @ParameterizedTest
    @CsvSource({"1,1", "31,1", "33,5", "256,4000", "1024,7", "100,100000", "32,1"})
    void saxpy(int block, int n) throws Exception {
        try (Gpu gpu = new Gpu()) {
            Random rnd = new Random(n * 31L + block);
            float[] x = new float[n];
            float[] y = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = rnd.nextFloat() * 100 - 50;
                y[i] = rnd.nextFloat() * 100 - 50;
            }
            float a = 2.5f;
            long dx = gpu.upload(x);
            long dy = gpu.upload(y);
            BackendFunction f = gpu.kernel(saxpy());
            int grid = (n + block - 1) / block;
            gpu.launch(f, grid, block, n, a, dx, dy);
            gpu.sync();
            float[] expect = new float[n];
            for (int i = 0; i < n; i++) expect[i] = Math.fma(a, x[i], y[i]);
            assertArrayEquals(expect, gpu.floats(dy, n));
        }
    }

    /** Writes, for every thread of a 3D grid of 3D blocks, its tid and ctaid into arrays indexed globally. */
    static Function ids() {
        Ir k = Ir.kernel("ids").param("tids", U64).param("ctas", U64);
        Reg tids = k.reg(U64);
        Reg ctas = k.reg(U64);
        k.ldParam(tids, "tids").ldParam(ctas, "ctas");
        Reg[] t = new Reg[3];
        Reg[] nt = new Reg[3];
        Reg[] c = new Reg[3];
        Reg[] nc = new Reg[3];
        Reg[] g = new Reg[3];
        Special[][] sp = {{Special.TID_X, Special.NTID_X, Special.CTAID_X, Special.NCTAID_X},
            {Special.TID_Y, Special.NTID_Y, Special.CTAID_Y, Special.NCTAID_Y},
            {Special.TID_Z, Special.NTID_Z, Special.CTAID_Z, Special.NCTAID_Z}};
        for (int d = 0; d < 3; d++) {
            t[d] = k.reg(U32);
            nt[d] = k.reg(U32);
            c[d] = k.reg(U32);
            nc[d] = k.reg(U32);
            g[d] = k.reg(U32);
            k.special(t[d], sp[d][0]).special(nt[d], sp[d][1]).special(c[d], sp[d][2]).special(nc[d], sp[d][3]);
            k.op(Opcode.MAD, U32, g[d], c[d], nt[d], t[d]);
        }
        // linear = (gz * (ncy*nty) + gy) * (ncx*ntx) + gx
        Reg wy = k.reg(U32);
        Reg wx = k.reg(U32);
        Reg lin = k.reg(U32);
        k.op(Opcode.MUL, U32, wy, nc[1], nt[1]).op(Opcode.MUL, U32, wx, nc[0], nt[0]);
        k.op(Opcode.MAD, U32, lin, g[2], wy, g[1]).op(Opcode.MAD, U32, lin, lin, wx, g[0]);
        Reg tv = k.reg(U32);
        Reg cv = k.reg(U32);
        Reg tmp = k.reg(U32);
        k.op(Opcode.SHL, U32, tmp, t[1], u32(10)).op(Opcode.OR, U32, tv, t[0], tmp);
        k.op(Opcode.SHL, U32, tmp, t[2], u32(20)).op(Opcode.OR, U32, tv, tv, tmp);
        k.op(Opcode.SHL, U32, tmp, c[1], u32(10)).op(Opcode.OR, U32, cv, c[0], tmp);
        k.op(Opcode.SHL, U32, tmp, c[2], u32(20)).op(Opcode.OR, U32, cv, cv, tmp);
        k.st(AddressSpace.GLOBAL, U32, k.index(tids, lin, 4), 0, tv);
        k.st(AddressSpace.GLOBAL, U32, k.index(ctas, lin, 4), 0, cv);
        return k.build();
    }

    @ParameterizedTest
    @CsvSource({"1,1,1,1,1,1", "3,2,2,5,3,2", "7,1,1,33,1,1", "2,3,4,8,8,4", "1,1,9,3,5,7", "40,30,1,16,16,1"})
    void grids(int gx, int gy, int gz, int bx, int by, int bz) throws Exception {
        try (Gpu gpu = new Gpu()) {
            int n = gx * gy * gz * bx * by * bz;
            long tids = gpu.alloc(n * 4L);
            long ctas = gpu.alloc(n * 4L);
            BackendFunction f = gpu.kernel(ids());
            gpu.launch(f, new Dim3(gx, gy, gz), new Dim3(bx, by, bz), 0, tids, ctas);
            gpu.sync();
            int[] t = gpu.ints(tids, n);
            int[] c = gpu.ints(ctas, n);
            int W = gx * bx;
            int H = gy * by;
            for (int z = 0; z < gz * bz; z++) {
                for (int y = 0; y < H; y++) {
                    for (int x = 0; x < W; x++) {
                        int lin = (z * H + y) * W + x;
                        int et = (x % bx) | (y % by) << 10 | (z % bz) << 20;
                        int ec = (x / bx) | (y / by) << 10 | (z / bz) << 20;
                        assertEquals(et, t[lin], "tid at " + x + "," + y + "," + z);
                        assertEquals(ec, c[lin], "ctaid at " + x + "," + y + "," + z);
                    }
                }
            }
        }
    }

    @Test
    void launchesAreAsynchronousAndOrdered() throws Exception {
        try (Gpu gpu = new Gpu()) {
            int n = 1000;
            float[] x = new float[n];
            float[] y = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = i;
                y[i] = 1;
            }
            long dx = gpu.upload(x);
            long dy = gpu.upload(y);
            BackendFunction f = gpu.kernel(saxpy());
            for (int r = 0; r < 10; r++) gpu.launch(f, 4, 256, n, 1f, dx, dy);
            gpu.sync();
            float[] out = gpu.floats(dy, n);
            for (int i = 0; i < n; i++) assertEquals(1 + 10f * i, out[i], 0);
        }
    }
}
