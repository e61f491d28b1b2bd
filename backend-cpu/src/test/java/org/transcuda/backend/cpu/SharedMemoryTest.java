package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.transcuda.backend.cpu.Ir.F32;
import static org.transcuda.backend.cpu.Ir.PRED;
import static org.transcuda.backend.cpu.Ir.U32;
import static org.transcuda.backend.cpu.Ir.U64;
import static org.transcuda.backend.cpu.Ir.f32;
import static org.transcuda.backend.cpu.Ir.sym;
import static org.transcuda.backend.cpu.Ir.u32;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.Dim3;
import org.transcuda.ir.AddressSpace;
import org.transcuda.ir.Function;
import org.transcuda.ir.Inst;
import org.transcuda.ir.Opcode;
import org.transcuda.ir.Reg;
import org.transcuda.ir.ScalarType;
import org.transcuda.ir.Special;
import org.transcuda.ir.Variable;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;

/** Shared memory (static and dynamic) and bar.sync, including barriers inside loops. */
class SharedMemoryTest {
    static Variable shared(String name, ScalarType t, long count) {
        return new Variable(name, AddressSpace.SHARED, t, count, 4, null, List.of(), false);
    }

    static Variable dynamic(String name) {
        return new Variable(name, AddressSpace.SHARED, F32, 0, 16, null, List.of(), true);
    }

    /** Tree reduction per block into out[ctaid] with bar.sync inside the halving loop. */
    static Function reduce() {
        Ir k = Ir.kernel("reduce").param("n", U32).param("x", U64).param("out", U64);
        Reg n = k.reg(U32);
        Reg x = k.reg(U64);
        Reg out = k.reg(U64);
        k.ldParam(n, "n").ldParam(x, "x").ldParam(out, "out");
        Reg tid = k.reg(U32);
        Reg ntid = k.reg(U32);
        Reg cta = k.reg(U32);
        k.special(tid, Special.TID_X).special(ntid, Special.NTID_X).special(cta, Special.CTAID_X);
        Reg i = k.reg(U32);
        k.op(Opcode.MAD, U32, i, cta, ntid, tid);
        Reg v = k.reg(F32);
        k.mov(v, f32(0));
        Reg p = k.reg(PRED);
        k.setp(Inst.CmpOp.LT, U32, p, i, n);
        Reg xa = k.index(x, i, 4);
        k.when(p).ld(AddressSpace.GLOBAL, F32, v, xa, 0);
        Reg sa = k.index(sym("sdata", AddressSpace.SHARED), tid, 4);
        k.st(AddressSpace.SHARED, F32, sa, 0, v);
        k.bar();
        Reg s = k.reg(U32);
        k.op(Opcode.SHR, U32, s, ntid, u32(1));
        k.label("loop");
        Reg z = k.reg(PRED);
        k.setp(Inst.CmpOp.EQ, U32, z, s, u32(0)).braIf(z, "done", "step");
        k.label("step");
        Reg act = k.reg(PRED);
        k.setp(Inst.CmpOp.LT, U32, act, tid, s).braIf(act, "add", "sync");
        k.label("add");
        Reg j = k.reg(U32);
        k.op(Opcode.ADD, U32, j, tid, s);
        Reg a = k.reg(F32);
        Reg b = k.reg(F32);
        k.ld(AddressSpace.SHARED, F32, a, sa, 0);
        k.ld(AddressSpace.SHARED, F32, b, k.index(sym("sdata", AddressSpace.SHARED), j, 4), 0);
        k.op(Opcode.ADD, F32, a, a, b);
        k.st(AddressSpace.SHARED, F32, sa, 0, a);
        k.label("sync");
        k.bar();
        k.op(Opcode.SHR, U32, s, s, u32(1));
        k.bra("loop");
        k.label("done");
        Reg first = k.reg(PRED);
        k.setp(Inst.CmpOp.EQ, U32, first, tid, u32(0));
        Reg r = k.reg(F32);
        k.when(first).ld(AddressSpace.SHARED, F32, r, sym("sdata", AddressSpace.SHARED), 0);
        Reg oa = k.index(out, cta, 4);
        k.when(first).st(AddressSpace.GLOBAL, F32, oa, 0, r);
        return k.build();
    }

    static float[] treeSums(float[] x, int block, int blocks) {
        float[] out = new float[blocks];
        for (int c = 0; c < blocks; c++) {
            float[] s = new float[block];
            for (int t = 0; t < block; t++) {
                int i = c * block + t;
                s[t] = i < x.length ? x[i] : 0;
            }
            for (int h = block / 2; h > 0; h /= 2) {
                for (int t = 0; t < h; t++) s[t] = s[t] + s[t + h];
            }
            out[c] = s[0];
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {32, 64, 256, 1024})
    void reductionWithBarrierInLoop(int block) throws Exception {
        try (Gpu gpu = new Gpu()) {
            int n = 100_003;
            float[] x = new float[n];
            Random rnd = new Random(block);
            for (int i = 0; i < n; i++) x[i] = rnd.nextFloat();
            int blocks = (n + block - 1) / block;
            long dx = gpu.upload(x);
            long dout = gpu.alloc(blocks * 4L);
            BackendFunction f = gpu.module(List.of(shared("sdata", F32, 1024)), List.of(reduce())).function("reduce");
            assertEquals(4096, f.staticSharedBytes());
            gpu.launch(f, blocks, block, n, dx, dout);
            gpu.sync();
            assertArrayEquals(treeSums(x, block, blocks), gpu.floats(dout, blocks));
        }
    }

    /** Reverses each block's slice through dynamic shared memory placed after a static array. */
    static Function reverse() {
        Ir k = Ir.kernel("reverse").param("x", U64).param("y", U64);
        Reg x = k.reg(U64);
        Reg y = k.reg(U64);
        k.ldParam(x, "x").ldParam(y, "y");
        Reg tid = k.reg(U32);
        Reg ntid = k.reg(U32);
        k.special(tid, Special.TID_X).special(ntid, Special.NTID_X);
        Reg i = k.globalIdX();
        Reg v = k.reg(F32);
        k.ld(AddressSpace.GLOBAL, F32, v, k.index(x, i, 4), 0);
        k.st(AddressSpace.SHARED, F32, k.index(sym("dyn", AddressSpace.SHARED), tid, 4), 0, v);
        // also touch the static array so that both live in the window
        k.st(AddressSpace.SHARED, U32, sym("pad", AddressSpace.SHARED), 0, tid);
        k.bar();
        Reg j = k.reg(U32);
        k.op(Opcode.SUB, U32, j, ntid, tid);
        k.op(Opcode.SUB, U32, j, j, u32(1));
        Reg w = k.reg(F32);
        k.ld(AddressSpace.SHARED, F32, w, k.index(sym("dyn", AddressSpace.SHARED), j, 4), 0);
        k.st(AddressSpace.GLOBAL, F32, k.index(y, i, 4), 0, w);
        return k.build();
    }

    @Test
    void dynamicSharedMemoryAfterStatic() throws Exception {
        try (Gpu gpu = new Gpu()) {
            int block = 96;
            int blocks = 50;
            int n = block * blocks;
            float[] x = new float[n];
            for (int i = 0; i < n; i++) x[i] = i * 0.5f;
            long dx = gpu.upload(x);
            long dy = gpu.alloc(n * 4L);
            BackendFunction f = gpu.module(List.of(shared("pad", U32, 5), dynamic("dyn")), List.of(reverse()))
                    .function("reverse");
            assertEquals(20, f.staticSharedBytes());
            gpu.launch(f, Dim3.of(blocks), Dim3.of(block), block * 4, dx, dy);
            gpu.sync();
            float[] y = gpu.floats(dy, n);
            for (int c = 0; c < blocks; c++) {
                for (int t = 0; t < block; t++) assertEquals(x[c * block + block - 1 - t], y[c * block + t]);
            }
        }
    }

    /**
     * Generic pointers into the shared, local and param windows (cvta): sub-word and 64-bit loads/stores, atomics
     * through a generic address, and isspacep.
     */
    @Test
    void genericPointersIntoWindows() throws Exception {
        Ir k = Ir.kernel("gen").param("out", U64).param("p8", U32).local("l", ScalarType.B8, 16, 8);
        Reg out = k.reg(U64);
        k.ldParam(out, "out");
        Reg tid = k.reg(U32);
        k.special(tid, Special.TID_X);
        Reg gs = k.reg(U64);
        Reg gl = k.reg(U64);
        Reg gp = k.reg(U64);
        k.cvta(AddressSpace.SHARED, true, gs, sym("sdata", AddressSpace.SHARED));
        k.cvta(AddressSpace.LOCAL, true, gl, sym("l", AddressSpace.LOCAL));
        k.cvta(AddressSpace.PARAM, true, gp, sym("p8", AddressSpace.PARAM));
        // shared: every thread adds its tid to word 0 through a generic atomic, writes byte tid of bytes 4..
        Reg old = k.reg(U32);
        k.atom(org.transcuda.ir.Memory.AtomicOp.ADD, AddressSpace.GENERIC, U32, old, gs, 0, tid, null);
        Reg ba = k.reg(U64);
        Reg t64 = k.reg(U64);
        k.cvt(U64, U32, org.transcuda.ir.FloatMode.NONE, t64, tid);
        k.op(Opcode.ADD, U64, ba, gs, t64);
        Reg t8 = k.reg(ScalarType.U8);
        k.cvt(ScalarType.U8, U32, org.transcuda.ir.FloatMode.NONE, t8, tid);
        k.st(AddressSpace.GENERIC, ScalarType.U8, ba, 4, t8);
        k.bar();
        Reg sum = k.reg(U32);
        k.ld(AddressSpace.GENERIC, U32, sum, gs, 0);
        Reg b3 = k.reg(U32);
        Reg b3narrow = k.reg(ScalarType.U8);
        k.ld(AddressSpace.GENERIC, ScalarType.U8, b3narrow, gs, 7); // byte 3 of the tid bytes
        k.cvt(U32, ScalarType.U8, org.transcuda.ir.FloatMode.NONE, b3, b3narrow);
        // local: 16-bit and 64-bit through the generic window
        Reg t16 = k.reg(ScalarType.U16);
        k.cvt(ScalarType.U16, U32, org.transcuda.ir.FloatMode.NONE, t16, tid);
        k.st(AddressSpace.GENERIC, ScalarType.U16, gl, 2, t16);
        k.st(AddressSpace.GENERIC, U64, gl, 8, t64);
        Reg h = k.reg(U32);
        Reg w = k.reg(U64);
        Reg hnarrow = k.reg(ScalarType.U16);
        k.ld(AddressSpace.GENERIC, ScalarType.U16, hnarrow, gl, 2);
        k.cvt(U32, ScalarType.U16, org.transcuda.ir.FloatMode.NONE, h, hnarrow);
        k.ld(AddressSpace.GENERIC, U64, w, gl, 8);
        // param through the generic window
        Reg pv = k.reg(U32);
        k.ld(AddressSpace.GENERIC, U32, pv, gp, 0);
        Reg isShared = k.reg(PRED);
        k.add(new Inst.IsSpace(AddressSpace.SHARED, isShared, gs));
        Reg flag = k.reg(U32);
        k.op(Opcode.SELP, U32, flag, u32(1), u32(0), isShared);
        Reg base = k.reg(U32);
        k.op(Opcode.MUL, U32, base, tid, u32(6));
        Reg[] vals = {sum, b3, h, pv, flag};
        for (int j = 0; j < vals.length; j++) {
            Reg idx = k.reg(U32);
            k.op(Opcode.ADD, U32, idx, base, u32(j));
            k.st(AddressSpace.GLOBAL, U32, k.index(out, idx, 4), 0, vals[j]);
        }
        Reg idx = k.reg(U32);
        k.op(Opcode.ADD, U32, idx, base, u32(5));
        Reg wl = k.reg(U32);
        k.cvt(U32, U64, org.transcuda.ir.FloatMode.NONE, wl, w);
        k.st(AddressSpace.GLOBAL, U32, k.index(out, idx, 4), 0, wl);
        try (Gpu gpu = new Gpu()) {
            long dout = gpu.alloc(40 * 6 * 4L);
            BackendFunction f = gpu.module(List.of(new Variable("sdata", AddressSpace.SHARED, U32, 16, 8, null,
                    List.of(), false)), List.of(k.build())).function("gen");
            gpu.launch(f, 1, 40, dout, 77);
            gpu.sync();
            int[] o = gpu.ints(dout, 40 * 6);
            for (int t = 0; t < 40; t++) {
                assertEquals(40 * 39 / 2, o[t * 6], "sum");
                assertEquals(3, o[t * 6 + 1], "byte");
                assertEquals(t, o[t * 6 + 2], "local u16");
                assertEquals(77, o[t * 6 + 3], "param");
                assertEquals(1, o[t * 6 + 4], "isspacep.shared");
                assertEquals(t, o[t * 6 + 5], "local u64");
            }
        }
    }

    /** ld/st with .volatile/.relaxed/.acquire/.release in every space (the ordered access paths). */
    @Test
    void orderedLoadsAndStores() throws Exception {
        Ir k = Ir.kernel("ordered").param("g", U64).local("l", U32, 4, 4);
        Reg g = k.reg(U64);
        k.ldParam(g, "g");
        Reg tid = k.reg(U32);
        k.special(tid, Special.TID_X);
        Reg ga = k.index(g, tid, 8);
        Reg sa = k.index(sym("sdata", AddressSpace.SHARED), tid, 4);
        org.transcuda.ir.Memory.Order[] orders = {org.transcuda.ir.Memory.Order.VOLATILE,
            org.transcuda.ir.Memory.Order.RELAXED, org.transcuda.ir.Memory.Order.RELEASE,
            org.transcuda.ir.Memory.Order.SC};
        Reg v = k.reg(U32);
        k.op(Opcode.MUL, U32, v, tid, u32(3));
        k.add(new Inst.Store(AddressSpace.SHARED, U32, orders[0], org.transcuda.ir.Memory.Scope.CTA, new org.transcuda.ir.Address(sa, 0), v));
        k.add(new Inst.Store(AddressSpace.LOCAL, U32, orders[2], org.transcuda.ir.Memory.Scope.CTA,
                new org.transcuda.ir.Address(sym("l", AddressSpace.LOCAL), 4), v));
        Reg a = k.reg(U32);
        Reg b = k.reg(U32);
        k.ldOrdered(AddressSpace.SHARED, U32, org.transcuda.ir.Memory.Order.ACQUIRE, a, sa, 0);
        k.ldOrdered(AddressSpace.LOCAL, U32, org.transcuda.ir.Memory.Order.RELAXED, b, sym("l", AddressSpace.LOCAL), 4);
        k.op(Opcode.ADD, U32, a, a, b);
        Reg w = k.reg(U64);
        k.cvt(U64, U32, org.transcuda.ir.FloatMode.NONE, w, a);
        k.add(new Inst.Store(AddressSpace.GLOBAL, U64, orders[3], org.transcuda.ir.Memory.Scope.GPU, new org.transcuda.ir.Address(ga, 0), w));
        Reg back = k.reg(U64);
        k.ldOrdered(AddressSpace.GENERIC, U64, org.transcuda.ir.Memory.Order.VOLATILE, back, ga, 0);
        k.op(Opcode.ADD, U64, back, back, Ir.u64(1L << 40));
        k.add(new Inst.Store(AddressSpace.GENERIC, U64, orders[1], org.transcuda.ir.Memory.Scope.GPU, new org.transcuda.ir.Address(ga, 0), back));
        try (Gpu gpu = new Gpu()) {
            long dg = gpu.alloc(64 * 8L);
            BackendFunction f = gpu.module(List.of(shared("sdata", U32, 64)), List.of(k.build())).function("ordered");
            gpu.launch(f, 1, 64, dg);
            gpu.sync();
            long[] out = gpu.longs(dg, 64);
            for (int t = 0; t < 64; t++) assertEquals((1L << 40) + 6L * t, out[t]);
        }
    }

    @Test
    void dynamicSharedMemoryTooSmallIsAnIllegalAddress() throws Exception {
        try (Gpu gpu = new Gpu()) {
            int block = 64;
            long dx = gpu.alloc(block * 4L);
            long dy = gpu.alloc(block * 4L);
            BackendFunction f = gpu.module(List.of(shared("pad", U32, 5), dynamic("dyn")), List.of(reverse()))
                    .function("reverse");
            gpu.launch(f, Dim3.of(1), Dim3.of(block), 16, dx, dy);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result());
        }
    }
}
