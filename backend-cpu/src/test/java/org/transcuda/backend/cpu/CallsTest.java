package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.transcuda.backend.cpu.Ir.F32;
import static org.transcuda.backend.cpu.Ir.F64;
import static org.transcuda.backend.cpu.Ir.PRED;
import static org.transcuda.backend.cpu.Ir.S32;
import static org.transcuda.backend.cpu.Ir.U32;
import static org.transcuda.backend.cpu.Ir.U64;
import static org.transcuda.backend.cpu.Ir.sym;
import static org.transcuda.backend.cpu.Ir.u32;
import static org.transcuda.backend.cpu.Ir.u64;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.transcuda.cuda.CUresult;
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
import org.transcuda.spi.BackendModule;

/** Device-function calls (params, returns, recursion, local frames, indirect), printf, assert, malloc. */
class CallsTest {
    static Variable string(String name, AddressSpace space, String text) {
        byte[] b = (text + "\0").getBytes(StandardCharsets.UTF_8);
        return new Variable(name, space, ScalarType.B8, b.length, 1, b, List.of(), false);
    }

    /** .func (f32 r) axpb(f32 a, f32 x, f32 b) { r = a*x + b } */
    static Function axpb() {
        Ir f = Ir.func("axpb");
        Reg a = f.arg(F32);
        Reg x = f.arg(F32);
        Reg b = f.arg(F32);
        Reg r = f.result(F32);
        f.op(Opcode.FMA, F32, r, a, x, b);
        return f.ret().build();
    }

    /** .func (u32 q, u32 r) divmod(u32 a, u32 b) */
    static Function divmod() {
        Ir f = Ir.func("divmod");
        Reg a = f.arg(U32);
        Reg b = f.arg(U32);
        Reg q = f.result(U32);
        Reg r = f.result(U32);
        f.op(Opcode.DIV, U32, q, a, b).op(Opcode.REM, U32, r, a, b);
        return f.ret().build();
    }

    /** Recursive factorial (u64) with a local array in each frame, to exercise stacked frames. */
    static Function fact() {
        Ir f = Ir.func("fact").local("buf", U64, 4, 8);
        Reg n = f.arg(U64);
        Reg r = f.result(U64);
        Reg p = f.reg(PRED);
        f.setp(Inst.CmpOp.LE, U64, p, n, u64(1)).braIf(p, "base", "rec");
        f.label("base").mov(r, u64(1)).ret();
        f.label("rec");
        f.st(AddressSpace.LOCAL, U64, sym("buf", AddressSpace.LOCAL), 8, n);
        Reg m = f.reg(U64);
        f.op(Opcode.SUB, U64, m, n, u64(1));
        Reg sub = f.reg(U64);
        f.call("fact", List.of(sub), m);
        Reg back = f.reg(U64);
        f.ld(AddressSpace.LOCAL, U64, back, sym("buf", AddressSpace.LOCAL), 8);
        f.op(Opcode.MUL, U64, r, back, sub);
        return f.ret().build();
    }

    @Test
    void callsWithParamsReturnsAndRecursion() throws Exception {
        Ir k = Ir.kernel("calls").param("out", U64);
        Reg out = k.reg(U64);
        k.ldParam(out, "out");
        Reg i = k.globalIdX();
        Reg fi = k.reg(F32);
        k.cvt(F32, U32, org.transcuda.ir.FloatMode.NONE, fi, i);
        Reg r = k.reg(F32);
        k.call("axpb", List.of(r), Ir.f32(3f), fi, Ir.f32(0.5f));
        Reg q = k.reg(U32);
        Reg rem = k.reg(U32);
        k.call("divmod", List.of(q, rem), i, u32(7));
        Reg n = k.reg(U64);
        Reg small = k.reg(U32);
        k.op(Opcode.REM, U32, small, i, u32(15));
        k.cvt(U64, U32, org.transcuda.ir.FloatMode.NONE, n, small);
        Reg fact = k.reg(U64);
        k.call("fact", List.of(fact), n);
        Reg base = k.reg(U32);
        k.op(Opcode.MUL, U32, base, i, u32(4));
        Reg a0 = k.index(out, base, 8);
        Reg rb = k.reg(U32);
        k.mov(rb, r);
        k.st(AddressSpace.GLOBAL, U32, a0, 0, rb);
        k.st(AddressSpace.GLOBAL, U32, a0, 8, q);
        k.st(AddressSpace.GLOBAL, U32, a0, 16, rem);
        k.st(AddressSpace.GLOBAL, U64, a0, 24, fact);
        try (Gpu gpu = new Gpu()) {
            int nthreads = 3 * 70;
            long dout = gpu.alloc(nthreads * 32L);
            BackendFunction f = gpu.module(List.of(k.build(), axpb(), divmod(), fact())).function("calls");
            gpu.launch(f, 3, 70, dout);
            gpu.sync();
            long[] o = gpu.longs(dout, nthreads * 4);
            for (int t = 0; t < nthreads; t++) {
                assertEquals(Float.floatToRawIntBits(Math.fma(3f, (float) t, 0.5f)), (int) o[t * 4], "axpb " + t);
                assertEquals(t / 7, (int) o[t * 4 + 1]);
                assertEquals(t % 7, (int) o[t * 4 + 2]);
                long e = 1;
                for (int j = 2; j <= t % 15; j++) e *= j;
                assertEquals(e, o[t * 4 + 3], "fact " + t % 15);
            }
        }
    }

    /** A kernel with a local array indexed dynamically, passed as a generic pointer to a device function. */
    @Test
    void localMemoryAndGenericPointers() throws Exception {
        Ir sum = Ir.func("sum");
        Reg p = sum.arg(U64);
        Reg n = sum.arg(U32);
        Reg s = sum.result(U32);
        Reg j = sum.reg(U32);
        sum.mov(s, u32(0)).mov(j, u32(0));
        sum.label("loop");
        Reg more = sum.reg(PRED);
        sum.setp(Inst.CmpOp.LT, U32, more, j, n).braIf(more, "body", "end");
        sum.label("body");
        Reg v = sum.reg(U32);
        sum.ld(AddressSpace.GENERIC, U32, v, sum.index(p, j, 4), 0);
        sum.op(Opcode.ADD, U32, s, s, v).op(Opcode.ADD, U32, j, j, u32(1)).bra("loop");
        sum.label("end").ret();

        Ir k = Ir.kernel("locals").param("out", U64).local("arr", U32, 16, 4);
        Reg out = k.reg(U64);
        k.ldParam(out, "out");
        Reg i = k.globalIdX();
        Reg c = k.reg(U32);
        k.mov(c, u32(0));
        k.label("fill");
        Reg val = k.reg(U32);
        k.op(Opcode.MAD, U32, val, c, i, u32(1));
        Reg la = k.index(sym("arr", AddressSpace.LOCAL), c, 4);
        k.st(AddressSpace.LOCAL, U32, la, 0, val);
        k.op(Opcode.ADD, U32, c, c, u32(1));
        Reg again = k.reg(PRED);
        k.setp(Inst.CmpOp.LT, U32, again, c, u32(16)).braIf(again, "fill", "go");
        k.label("go");
        Reg g = k.reg(U64);
        k.cvta(AddressSpace.LOCAL, true, g, sym("arr", AddressSpace.LOCAL));
        Reg isLocal = k.reg(PRED);
        k.add(new Inst.IsSpace(AddressSpace.LOCAL, isLocal, g));
        Reg total = k.reg(U32);
        k.call("sum", List.of(total), g, u32(16));
        Reg flag = k.reg(U32);
        k.op(Opcode.SELP, U32, flag, u32(1 << 30), u32(0), isLocal);
        k.op(Opcode.OR, U32, total, total, flag);
        k.st(AddressSpace.GLOBAL, U32, k.index(out, i, 4), 0, total);
        try (Gpu gpu = new Gpu()) {
            int nthreads = 4 * 64;
            long dout = gpu.alloc(nthreads * 4L);
            BackendFunction f = gpu.module(List.of(k.build(), sum.build())).function("locals");
            gpu.launch(f, 4, 64, dout);
            gpu.sync();
            int[] o = gpu.ints(dout, nthreads);
            for (int t = 0; t < nthreads; t++) {
                int e = 0;
                for (int c2 = 0; c2 < 16; c2++) e += c2 * t + 1;
                assertEquals(e | 1 << 30, o[t], "thread " + t);
            }
        }
    }

    @Test
    void indirectCallsThroughFunctionAddresses() throws Exception {
        Ir dbl = Ir.func("dbl");
        Reg a = dbl.arg(U32);
        Reg r = dbl.result(U32);
        dbl.op(Opcode.MUL, U32, r, a, u32(2)).ret();
        Ir neg = Ir.func("neg");
        Reg b = neg.arg(U32);
        Reg s = neg.result(U32);
        neg.op(Opcode.NEG, S32, s, b).ret();
        Ir k = Ir.kernel("ind").param("out", U64);
        Reg out = k.reg(U64);
        k.ldParam(out, "out");
        Reg i = k.globalIdX();
        Reg even = k.reg(PRED);
        Reg bit = k.reg(U32);
        k.op(Opcode.AND, U32, bit, i, u32(1)).setp(Inst.CmpOp.EQ, U32, even, bit, u32(0));
        Reg fp = k.reg(U64);
        Reg fa = k.reg(U64);
        Reg fb = k.reg(U64);
        k.mov(fa, sym("dbl", AddressSpace.GENERIC)).mov(fb, sym("neg", AddressSpace.GENERIC));
        k.op(Opcode.SELP, U64, fp, fa, fb, even);
        Reg res = k.reg(U32);
        k.callIndirect(fp, List.of(res), i);
        k.st(AddressSpace.GLOBAL, U32, k.index(out, i, 4), 0, res);
        try (Gpu gpu = new Gpu()) {
            long dout = gpu.alloc(64 * 4L);
            BackendFunction f = gpu.module(List.of(k.build(), dbl.build(), neg.build())).function("ind");
            gpu.launch(f, 1, 64, dout);
            gpu.sync();
            int[] o = gpu.ints(dout, 64);
            for (int t = 0; t < 64; t++) assertEquals(t % 2 == 0 ? 2 * t : -t, o[t]);
        }
    }

    @Test
    void exitInsideADeviceFunctionEndsOnlyThatThread() throws Exception {
        Ir quit = Ir.func("quit");
        Reg a = quit.arg(U32);
        Reg p = quit.reg(PRED);
        quit.setp(Inst.CmpOp.EQ, U32, p, a, u32(3)).braIf(p, "bye", "back");
        quit.label("bye").exit();
        quit.label("back").ret();
        Ir k = Ir.kernel("k").param("out", U64);
        Reg out = k.reg(U64);
        k.ldParam(out, "out");
        Reg tid = k.reg(U32);
        k.special(tid, Special.TID_X);
        Reg r = k.reg(U32);
        k.op(Opcode.REM, U32, r, tid, u32(5));
        k.call("quit", List.of(), r);
        k.st(AddressSpace.GLOBAL, U32, k.index(out, tid, 4), 0, u32(1));
        try (Gpu gpu = new Gpu()) {
            long dout = gpu.upload(new int[40]);
            gpu.launch(gpu.module(List.of(k.build(), quit.build())).function("k"), 1, 40, dout);
            gpu.sync();
            int[] o = gpu.ints(dout, 40);
            for (int t = 0; t < 40; t++) assertEquals(t % 5 == 3 ? 0 : 1, o[t]);
        }
    }

    /** printf("%d ...") with the CUDA vprintf ABI: a local argument buffer passed by generic address. */
    @Test
    void printfOutputInBlockOrder() throws Exception {
        Ir k = Ir.kernel("pf").local("args", ScalarType.B8, 56, 8);
        Reg tid = k.reg(U32);
        Reg cta = k.reg(U32);
        k.special(tid, Special.TID_X).special(cta, Special.CTAID_X);
        org.transcuda.ir.SymbolAddr args = sym("args", AddressSpace.LOCAL);
        k.st(AddressSpace.LOCAL, U32, args, 0, cta);
        k.st(AddressSpace.LOCAL, U32, args, 4, tid);
        Reg d = k.reg(F64);
        k.cvt(F64, U32, org.transcuda.ir.FloatMode.NONE, d, tid);
        k.op(Opcode.MUL, F64, d, d, Ir.f64(0.25));
        k.st(AddressSpace.LOCAL, F64, args, 8, d);
        Reg str = k.reg(U64);
        k.mov(str, sym("name", AddressSpace.GENERIC));
        k.st(AddressSpace.LOCAL, U64, args, 16, str);
        k.st(AddressSpace.LOCAL, F64, args, 24, Ir.f64(-12345.678));
        k.st(AddressSpace.LOCAL, U32, args, 32, u32(0xbeef));
        k.st(AddressSpace.LOCAL, U64, args, 40, u64(-1L));
        k.st(AddressSpace.LOCAL, U64, args, 48, str);
        Reg ga = k.reg(U64);
        k.cvta(AddressSpace.LOCAL, true, ga, args);
        Reg n = k.reg(S32);
        k.call("vprintf", List.of(n), sym("fmt", AddressSpace.GENERIC), ga);
        // the second line prints printf's return value: the number of arguments parsed (8)
        k.st(AddressSpace.LOCAL, ScalarType.S32, args, 0, n);
        k.call("vprintf", List.of(n), sym("fmt2", AddressSpace.GENERIC), ga);
        List<Variable> vars = List.of(
                string("fmt", AddressSpace.CONST, "b%d t%02d %.3f %s|%10.2e|%#x|%lld|%5s|%%\n"),
                string("name", AddressSpace.GLOBAL, "cpu"), string("fmt2", AddressSpace.CONST, "args=%d\n"));
        try (Gpu gpu = new Gpu(4)) {
            gpu.launch(gpu.module(vars, List.of(k.build())).function("pf"), 3, 4);
            gpu.sync();
            StringBuilder expect = new StringBuilder();
            for (int b = 0; b < 3; b++) {
                for (int t = 0; t < 4; t++) {
                    expect.append(String.format("b%d t%02d %.3f %s|%10.2e|%#x|%d|%5s|%%%n", b, t, t * 0.25, "cpu",
                            -12345.678, 0xbeef, -1L, "cpu").replace(String.format("%n"), "\n"));
                    expect.append("args=8\n");
                }
            }
            assertEquals(expect.toString(), gpu.printed());
        }
    }

    @Test
    void printfFormats() {
        long[] argv = {};
        assertEquals("nan inf -inf 1e+100 1.5 0.0001 1e-05 100000 1e+06 0x1.8p+1",
                format("%f %F %f %g %g %g %g %g %g %a", 0, Double.NaN, Double.POSITIVE_INFINITY,
                        Double.NEGATIVE_INFINITY, 1e100, 1.5, 0.0001, 0.00001, 100000.0, 1e6, 3.0)
                        .replace("NAN", "nan").replace("INF", "inf"));
        assertEquals("0.10000000000000000555", format("%.20f", 0, 0.1));
        assertEquals("   -0042|+7|0x00ff|  abc|a", format("%8.4d|%+d|%#06x|%5.3s|%c", 0, -42, 7, 255, "abcdef", (int) 'a'));
        assertEquals(0, argv.length);
    }

    /** Formats with Printf using a Java-side argument buffer (strings passed as themselves). */
    static String format(String fmt, int unused, Object... args) {
        List<Long> words = new ArrayList<>();
        List<String> strings = new ArrayList<>();
        long[] off = {0};
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(512).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (Object o : args) {
            switch (o) {
                case Integer i -> {
                    off[0] = (off[0] + 3) / 4 * 4;
                    buf.putInt((int) off[0], i);
                    off[0] += 4;
                }
                case Double d -> {
                    off[0] = (off[0] + 7) / 8 * 8;
                    buf.putDouble((int) off[0], d);
                    off[0] += 8;
                }
                case String s -> {
                    off[0] = (off[0] + 7) / 8 * 8;
                    strings.add(s);
                    buf.putLong((int) off[0], strings.size() - 1);
                    off[0] += 8;
                }
                default -> throw new IllegalArgumentException();
            }
        }
        words.add(0L);
        return org.transcuda.spi.host.DevicePrintf.format(fmt, new org.transcuda.spi.host.DevicePrintf.Strings() {
            @Override
            public long read(long offset, int size) {
                return size == 4 ? buf.getInt((int) offset) : buf.getLong((int) offset);
            }

            @Override
            public String string(long address) {
                return strings.get((int) address);
            }
        });
    }

    @Test
    void assertFailureIsStickyWithCudasMessage() throws Exception {
        Ir k = Ir.kernel("asrt").param("x", U32);
        Reg x = k.reg(U32);
        k.ldParam(x, "x");
        Reg tid = k.reg(U32);
        k.special(tid, Special.TID_X);
        Reg p = k.reg(PRED);
        k.setp(Inst.CmpOp.EQ, U32, p, tid, x).braIf(p, "fail", "ok");
        k.label("fail");
        k.call("__assertfail", List.of(), sym("msg", AddressSpace.GENERIC), sym("file", AddressSpace.GENERIC),
                u32(42), sym("fn", AddressSpace.GENERIC), u64(1));
        k.terminate(new org.transcuda.ir.Terminator.Unreachable());
        k.label("ok").exit();
        List<Variable> vars = List.of(string("msg", AddressSpace.GLOBAL, "x != 5"),
                string("file", AddressSpace.GLOBAL, "kernel.cu"), string("fn", AddressSpace.GLOBAL, "void asrt(int)"));
        try (Gpu gpu = new Gpu()) {
            BackendModule m = gpu.module(vars, List.of(k.build()));
            BackendFunction f = m.function("asrt");
            gpu.launch(f, 1, 32, 99);
            gpu.sync(); // no thread fails
            gpu.launch(f, 2, 32, 5);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ASSERT, e.result());
            assertTrue(e.getMessage().startsWith("kernel.cu:42: void asrt(int): Assertion `x != 5` failed."),
                    e.getMessage());
            assertEquals(CUresult.CUDA_ERROR_ASSERT, assertThrows(BackendException.class, () -> gpu.alloc(16)).result());
            assertEquals(CUresult.CUDA_ERROR_ASSERT, assertThrows(BackendException.class, gpu::sync).result());
            // Both blocks' thread 5 fails; the blocks run in parallel and the first failure ends the launch, so
            // which block's message comes out (or both) is a race, as on a GPU: one of them must.
            String printed = gpu.printed();
            assertTrue(printed.contains("kernel.cu:42: void asrt(int): block: [0,0,0], thread: [5,0,0] "
                    + "Assertion `x != 5` failed.") || printed.contains("kernel.cu:42: void asrt(int): block: [1,0,0], "
                    + "thread: [5,0,0] Assertion `x != 5` failed."), printed);
            assertFalse(printed.contains("thread: [4,0,0]") || printed.contains("thread: [6,0,0]"), printed);
        }
    }

    @Test
    void deviceMallocAndFree() throws Exception {
        Ir k = Ir.kernel("heap").param("out", U64);
        Reg out = k.reg(U64);
        k.ldParam(out, "out");
        Reg tid = k.reg(U32);
        k.special(tid, Special.TID_X);
        Reg p = k.reg(U64);
        k.call("malloc", List.of(p), u64(64));
        k.st(AddressSpace.GLOBAL, U32, p, 60, tid);
        Reg v = k.reg(U32);
        k.ld(AddressSpace.GLOBAL, U32, v, p, 60);
        k.call("free", List.of(), p);
        k.st(AddressSpace.GLOBAL, U32, k.index(out, tid, 4), 0, v);
        try (Gpu gpu = new Gpu()) {
            long dout = gpu.alloc(32 * 4L);
            long before = gpu.ctx.allocatedBytes();
            gpu.launch(gpu.kernel(k.build()), 1, 32, dout);
            gpu.sync();
            int[] o = gpu.ints(dout, 32);
            for (int t = 0; t < 32; t++) assertEquals(t, o[t]);
            assertEquals(before, gpu.ctx.allocatedBytes());
        }
    }

    @Test
    void globalAndConstVariablesWithInitializersAndRelocations() throws Exception {
        byte[] table = new byte[16];
        java.nio.ByteBuffer.wrap(table).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(0, 11).putInt(4, 22)
                .putInt(8, 33).putInt(12, 44);
        Variable tab = new Variable("tab", AddressSpace.CONST, U32, 4, 4, table, List.of(), false);
        Variable ptr = new Variable("ptr", AddressSpace.GLOBAL, U64, 1, 8, new byte[8],
                List.of(new Variable.Relocation(0, 8, "tab", 8)), false);
        Ir k = Ir.kernel("vars").param("out", U64);
        Reg out = k.reg(U64);
        k.ldParam(out, "out");
        Reg p = k.reg(U64);
        k.ld(AddressSpace.GLOBAL, U64, p, sym("ptr", AddressSpace.GLOBAL), 0);
        Reg a = k.reg(U32);
        Reg b = k.reg(U32);
        k.ld(AddressSpace.GENERIC, U32, a, p, 0);
        k.ld(AddressSpace.CONST, U32, b, sym("tab", AddressSpace.CONST), 4);
        Reg c = k.reg(PRED);
        k.add(new Inst.IsSpace(AddressSpace.CONST, c, p));
        Reg cv = k.reg(U32);
        k.op(Opcode.SELP, U32, cv, u32(1), u32(0), c);
        k.st(AddressSpace.GLOBAL, U32, out, 0, a).st(AddressSpace.GLOBAL, U32, out, 4, b);
        k.st(AddressSpace.GLOBAL, U32, out, 8, cv);
        try (Gpu gpu = new Gpu()) {
            long dout = gpu.alloc(12);
            gpu.launch(gpu.module(List.of(tab, ptr), List.of(k.build())).function("vars"), 1, 1, dout);
            gpu.sync();
            assertArrayEquals(new int[] {33, 22, 1}, gpu.ints(dout, 3));
        }
    }
}
