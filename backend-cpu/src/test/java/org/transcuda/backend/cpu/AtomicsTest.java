package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.transcuda.backend.cpu.Ir.F32;
import static org.transcuda.backend.cpu.Ir.F64;
import static org.transcuda.backend.cpu.Ir.PRED;
import static org.transcuda.backend.cpu.Ir.S32;
import static org.transcuda.backend.cpu.Ir.S64;
import static org.transcuda.backend.cpu.Ir.U32;
import static org.transcuda.backend.cpu.Ir.U64;
import static org.transcuda.backend.cpu.Ir.sym;
import static org.transcuda.backend.cpu.Ir.u32;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.transcuda.ir.AddressSpace;
import org.transcuda.ir.Function;
import org.transcuda.ir.Inst;
import org.transcuda.ir.Memory;
import org.transcuda.ir.Opcode;
import org.transcuda.ir.Reg;
import org.transcuda.ir.ScalarType;
import org.transcuda.ir.Special;
import org.transcuda.spi.BackendFunction;

/** atom/red from many blocks running in parallel, in global and shared memory. */
class AtomicsTest {
    static final int BINS = 256;

    /** Global histogram: atom.global.add.u32 bins[x[i] % 256], 1. */
    static Function histogramGlobal(AddressSpace space) {
        Ir k = Ir.kernel("hist").param("n", U32).param("x", U64).param("bins", U64);
        Reg n = k.reg(U32);
        Reg x = k.reg(U64);
        Reg bins = k.reg(U64);
        k.ldParam(n, "n").ldParam(x, "x").ldParam(bins, "bins");
        Reg i = k.globalIdX();
        Reg p = k.reg(PRED);
        k.setp(Inst.CmpOp.GE, U32, p, i, n).braIf(p, "done", "body");
        k.label("body");
        Reg v = k.reg(U32);
        k.ld(AddressSpace.GLOBAL, U32, v, k.index(x, i, 4), 0);
        k.op(Opcode.REM, U32, v, v, u32(BINS));
        Reg a = k.index(bins, v, 4);
        Reg old = k.reg(U32);
        k.atom(Memory.AtomicOp.ADD, space, U32, old, a, 0, u32(1), null);
        k.label("done").exit();
        return k.build();
    }

    static int[] data(int n, long seed) {
        Random r = new Random(seed);
        int[] x = new int[n];
        for (int i = 0; i < n; i++) x[i] = r.nextInt(1 << 20);
        return x;
    }

    static int[] expectHistogram(int[] x) {
        int[] h = new int[BINS];
        for (int v : x) h[v % BINS]++;
        return h;
    }

    @ParameterizedTest
    @EnumSource(value = AddressSpace.class, names = {"GLOBAL", "GENERIC"})
    void globalHistogramFromManyBlocks(AddressSpace space) throws Exception {
        try (Gpu gpu = new Gpu(4)) {
            int n = 1_000_000;
            int[] x = data(n, 7);
            long dx = gpu.upload(x);
            long bins = gpu.upload(new int[BINS]);
            BackendFunction f = gpu.kernel(histogramGlobal(space));
            gpu.launch(f, (n + 255) / 256, 256, n, dx, bins);
            gpu.sync();
            assertArrayEquals(expectHistogram(x), gpu.ints(bins, BINS));
        }
    }

    /** Per-block histogram in shared memory, merged with red.global.add. */
    static Function histogramShared() {
        Ir k = Ir.kernel("hists").param("n", U32).param("x", U64).param("bins", U64);
        Reg n = k.reg(U32);
        Reg x = k.reg(U64);
        Reg bins = k.reg(U64);
        k.ldParam(n, "n").ldParam(x, "x").ldParam(bins, "bins");
        Reg tid = k.reg(U32);
        k.special(tid, Special.TID_X);
        Reg sa = k.index(sym("sh", AddressSpace.SHARED), tid, 4);
        k.st(AddressSpace.SHARED, U32, sa, 0, u32(0));
        k.bar();
        Reg i = k.globalIdX();
        Reg p = k.reg(PRED);
        k.setp(Inst.CmpOp.GE, U32, p, i, n).braIf(p, "merge", "body");
        k.label("body");
        Reg v = k.reg(U32);
        k.ld(AddressSpace.GLOBAL, U32, v, k.index(x, i, 4), 0);
        k.op(Opcode.REM, U32, v, v, u32(BINS));
        Reg a = k.index(sym("sh", AddressSpace.SHARED), v, 4);
        k.atom(Memory.AtomicOp.ADD, AddressSpace.SHARED, U32, null, a, 0, u32(1), null);
        k.label("merge");
        k.bar();
        Reg c = k.reg(U32);
        k.ld(AddressSpace.SHARED, U32, c, sa, 0);
        k.atom(Memory.AtomicOp.ADD, AddressSpace.GLOBAL, U32, null, k.index(bins, tid, 4), 0, c, null);
        return k.build();
    }

    @Test
    void sharedHistogramMergedWithRed() throws Exception {
        try (Gpu gpu = new Gpu(4)) {
            int n = 333_333;
            int[] x = data(n, 11);
            long dx = gpu.upload(x);
            long bins = gpu.upload(new int[BINS]);
            BackendFunction f = gpu.module(List.of(SharedMemoryTest.shared("sh", U32, BINS)), List.of(histogramShared()))
                    .function("hists");
            gpu.launch(f, (n + 255) / 256, 256, n, dx, bins);
            gpu.sync();
            assertArrayEquals(expectHistogram(x), gpu.ints(bins, BINS));
        }
    }

    /** Every thread applies {@code op} with vals[i] (and vals[i]+1 for cas) to *target; olds[i] = old value. */
    static Function atomicKernel(Memory.AtomicOp op, ScalarType t, boolean perThreadTarget) {
        Ir k = Ir.kernel("atomic").param("target", U64).param("vals", U64).param("olds", U64);
        Reg target = k.reg(U64);
        Reg vals = k.reg(U64);
        Reg olds = k.reg(U64);
        k.ldParam(target, "target").ldParam(vals, "vals").ldParam(olds, "olds");
        Reg i = k.globalIdX();
        int size = t.bytes();
        Reg v = k.reg(t);
        k.ld(AddressSpace.GLOBAL, t, v, k.index(vals, i, size), 0);
        Reg addr = perThreadTarget ? k.index(target, i, size) : target;
        Reg old = k.reg(t);
        Reg b = null;
        if (op == Memory.AtomicOp.CAS) {
            b = k.reg(t);
            k.op(Opcode.ADD, t, b, v, Ir.c(t, 1));
        }
        k.atom(op, AddressSpace.GLOBAL, t, old, addr, 0, v, b);
        k.st(AddressSpace.GLOBAL, t, k.index(olds, i, size), 0, old);
        return k.build();
    }

    @Test
    void integerOpsOnOneWord() throws Exception {
        try (Gpu gpu = new Gpu(4)) {
            int n = 64 * 256;
            Random r = new Random(3);
            int[] vals = new int[n];
            for (int i = 0; i < n; i++) vals[i] = r.nextInt();
            long dv = gpu.upload(vals);
            record Case(Memory.AtomicOp op, ScalarType t, int init, int expect) {
            }
            int sum = 0, and = -1, or = 0, xor = 0, smin = Integer.MAX_VALUE, smax = Integer.MIN_VALUE;
            int umin = -1, umax = 0;
            for (int v : vals) {
                sum += v;
                and &= v;
                or |= v;
                xor ^= v;
                smin = Math.min(smin, v);
                smax = Math.max(smax, v);
                umin = Integer.compareUnsigned(v, umin) < 0 ? v : umin;
                umax = Integer.compareUnsigned(v, umax) > 0 ? v : umax;
            }
            List<Case> cases = List.of(new Case(Memory.AtomicOp.ADD, U32, 5, 5 + sum),
                    new Case(Memory.AtomicOp.AND, ScalarType.B32, -1, and),
                    new Case(Memory.AtomicOp.OR, ScalarType.B32, 0, or),
                    new Case(Memory.AtomicOp.XOR, ScalarType.B32, 0, xor),
                    new Case(Memory.AtomicOp.MIN, S32, Integer.MAX_VALUE, smin),
                    new Case(Memory.AtomicOp.MAX, S32, Integer.MIN_VALUE, smax),
                    new Case(Memory.AtomicOp.MIN, U32, -1, umin),
                    new Case(Memory.AtomicOp.MAX, U32, 0, umax));
            for (Case c : cases) {
                long target = gpu.upload(new int[] {c.init});
                long olds = gpu.alloc(n * 4L);
                gpu.launch(gpu.kernel(atomicKernel(c.op, c.t, false)), 64, 256, target, dv, olds);
                gpu.sync();
                assertEquals(c.expect, gpu.ints(target, 1)[0], c.op + "." + c.t);
            }
        }
    }

    @Test
    void incDecWrapAtTheBound() throws Exception {
        try (Gpu gpu = new Gpu(4)) {
            int n = 100 * 32;
            int[] bound = new int[n];
            Arrays.fill(bound, 9);
            long dv = gpu.upload(bound);
            long target = gpu.upload(new int[] {0});
            long olds = gpu.alloc(n * 4L);
            gpu.launch(gpu.kernel(atomicKernel(Memory.AtomicOp.INC, U32, false)), 100, 32, target, dv, olds);
            gpu.sync();
            assertEquals(n % 10, gpu.ints(target, 1)[0]);
            int[] o = gpu.ints(olds, n);
            int[] counts = new int[10];
            for (int v : o) counts[v]++;
            for (int c : counts) assertEquals(n / 10, c);
            // dec from 0 wraps to the bound: 0 -> 9 -> 8 ...
            long t2 = gpu.upload(new int[] {0});
            gpu.launch(gpu.kernel(atomicKernel(Memory.AtomicOp.DEC, U32, false)), 100, 32, t2, dv, olds);
            gpu.sync();
            assertEquals((10 - n % 10) % 10, gpu.ints(t2, 1)[0]);
        }
    }

    @Test
    void casAndExchangePerThread() throws Exception {
        try (Gpu gpu = new Gpu(4)) {
            int n = 50 * 128;
            int[] vals = new int[n];
            int[] init = new int[n];
            for (int i = 0; i < n; i++) {
                vals[i] = i * 3;
                init[i] = i % 2 == 0 ? i * 3 : 7; // even: compare succeeds, odd: fails
            }
            long dv = gpu.upload(vals);
            long target = gpu.upload(init);
            long olds = gpu.alloc(n * 4L);
            gpu.launch(gpu.kernel(atomicKernel(Memory.AtomicOp.CAS, U32, true)), 50, 128, target, dv, olds);
            gpu.sync();
            int[] t = gpu.ints(target, n);
            int[] o = gpu.ints(olds, n);
            for (int i = 0; i < n; i++) {
                assertEquals(init[i], o[i]);
                assertEquals(i % 2 == 0 ? i * 3 + 1 : 7, t[i]);
            }
            // exchange on one word: the old values and the final value are a permutation of init + vals
            long word = gpu.upload(new int[] {-5});
            gpu.launch(gpu.kernel(atomicKernel(Memory.AtomicOp.EXCH, U32, false)), 50, 128, word, dv, olds);
            gpu.sync();
            int[] all = Arrays.copyOf(gpu.ints(olds, n), n + 1);
            all[n] = gpu.ints(word, 1)[0];
            int[] expect = Arrays.copyOf(vals, n + 1);
            expect[n] = -5;
            Arrays.sort(all);
            Arrays.sort(expect);
            assertArrayEquals(expect, all);
        }
    }

    @Test
    void sixtyFourBitAndFloatAdds() throws Exception {
        try (Gpu gpu = new Gpu(4)) {
            int n = 40 * 256;
            long[] lv = new long[n];
            float[] fv = new float[n];
            double[] dv = new double[n];
            long lsum = 0;
            long lmin = Long.MAX_VALUE;
            for (int i = 0; i < n; i++) {
                lv[i] = (long) i * 0x1_0000_0001L - 12345;
                fv[i] = 1f;
                dv[i] = 0.5;
                lsum += lv[i];
                lmin = Math.min(lmin, lv[i]);
            }
            long dl = gpu.upload(lv);
            long olds = gpu.alloc(n * 8L);
            long t = gpu.upload(new long[] {1});
            gpu.launch(gpu.kernel(atomicKernel(Memory.AtomicOp.ADD, U64, false)), 40, 256, t, dl, olds);
            gpu.sync();
            assertEquals(1 + lsum, gpu.longs(t, 1)[0]);
            long t2 = gpu.upload(new long[] {Long.MAX_VALUE});
            gpu.launch(gpu.kernel(atomicKernel(Memory.AtomicOp.MIN, S64, false)), 40, 256, t2, dl, olds);
            gpu.sync();
            assertEquals(lmin, gpu.longs(t2, 1)[0]);
            long df = gpu.upload(fv);
            long tf = gpu.upload(new float[] {0.25f});
            gpu.launch(gpu.kernel(atomicKernel(Memory.AtomicOp.ADD, F32, false)), 40, 256, tf, df, olds);
            gpu.sync();
            assertEquals(n + 0.25f, gpu.floats(tf, 1)[0]);
            long dd = gpu.upload(dv);
            long td = gpu.upload(new double[] {0});
            gpu.launch(gpu.kernel(atomicKernel(Memory.AtomicOp.ADD, F64, false)), 40, 256, td, dd, olds);
            gpu.sync();
            assertEquals(n * 0.5, gpu.doubles(td, 1)[0]);
        }
    }

    @Test
    void atomicAddF32FlushesSubnormals() throws Exception {
        try (Gpu gpu = new Gpu(1)) {
            float sub = Float.MIN_VALUE * 3;
            long dv = gpu.upload(new float[] {sub});
            long t = gpu.upload(new float[] {0f});
            long olds = gpu.alloc(4);
            gpu.launch(gpu.kernel(atomicKernel(Memory.AtomicOp.ADD, F32, false)), 1, 1, t, dv, olds);
            gpu.sync();
            assertEquals(0f, gpu.floats(t, 1)[0]);
        }
    }
}
