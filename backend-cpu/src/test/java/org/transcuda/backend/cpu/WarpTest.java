package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.transcuda.backend.cpu.Ir.B32;
import static org.transcuda.backend.cpu.Ir.PRED;
import static org.transcuda.backend.cpu.Ir.S32;
import static org.transcuda.backend.cpu.Ir.U32;
import static org.transcuda.backend.cpu.Ir.U64;
import static org.transcuda.backend.cpu.Ir.b32;
import static org.transcuda.backend.cpu.Ir.u32;

import java.util.List;
import java.util.function.IntBinaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.transcuda.cuda.CUresult;
import org.transcuda.ir.AddressSpace;
import org.transcuda.ir.Function;
import org.transcuda.ir.Inst;
import org.transcuda.ir.Opcode;
import org.transcuda.ir.Reg;
import org.transcuda.ir.Special;
import org.transcuda.ir.Value;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;

/** Warp collectives: shfl (all modes, width segments, out of range), vote, match, redux, activemask. */
class WarpTest {
    /** in[i] for the global thread i, loaded into a new register. */
    static Reg input(Ir k, Reg in, Reg i) {
        Reg v = k.reg(U32);
        k.ld(AddressSpace.GLOBAL, U32, v, k.index(in, i, 4), 0);
        return v;
    }

    static Reg lane(Ir k) {
        Reg l = k.reg(U32);
        k.special(l, Special.LANEID);
        return l;
    }

    /** out[i] = shfl.mode(in[i], b, c, full mask); valid[i] = the predicate. */
    static Function shuffle(Inst.ShuffleMode mode, int b, int c) {
        return shuffle(mode, b, c, false);
    }

    /**
     * As above; with {@code viaRegisters} b and c are registers set once by a {@code mov} of the constant (what
     * nvcc emits), which the compiler treats as constants.
     */
    static Function shuffle(Inst.ShuffleMode mode, int b, int c, boolean viaRegisters) {
        Ir k = Ir.kernel("shfl").param("in", U64).param("out", U64).param("valid", U64);
        Reg in = k.reg(U64);
        Reg out = k.reg(U64);
        Reg valid = k.reg(U64);
        k.ldParam(in, "in").ldParam(out, "out").ldParam(valid, "valid");
        Reg i = k.globalIdX();
        Reg v = input(k, in, i);
        Reg d = k.reg(B32);
        Reg p = k.reg(PRED);
        if (viaRegisters) {
            Reg rb = k.reg(B32);
            Reg rc = k.reg(B32);
            k.mov(rb, b32(b)).mov(rc, b32(c));
            k.shfl(mode, d, p, v, rb, rc, b32(0xffffffffL));
        } else {
            k.shfl(mode, d, p, v, u32(b), u32(c), b32(0xffffffffL));
        }
        k.st(AddressSpace.GLOBAL, U32, k.index(out, i, 4), 0, d);
        Reg pv = k.reg(U32);
        k.op(Opcode.SELP, U32, pv, u32(1), u32(0), p);
        k.st(AddressSpace.GLOBAL, U32, k.index(valid, i, 4), 0, pv);
        return k.build();
    }

    /** CUDA's documented semantics of __shfl*_sync with a width; returns {source lane or -1 = own}. */
    static int cudaSource(Inst.ShuffleMode mode, int lane, int b, int width) {
        int segStart = lane / width * width;
        int pos = lane % width;
        return switch (mode) {
            case IDX -> segStart + (b % width);
            case UP -> pos - b < 0 ? -1 : lane - b;
            case DOWN -> pos + b >= width ? -1 : lane + b;
            case BFLY -> {
                int src = lane ^ b;
                yield src >= segStart + width ? -1 : src; // later groups return the own value
            }
        };
    }

    @ParameterizedTest
    @CsvSource({"IDX,5,32", "IDX,37,32", "IDX,3,8", "IDX,9,8", "UP,1,32", "UP,3,32", "UP,2,8", "UP,0,32",
        "DOWN,1,32", "DOWN,16,32", "DOWN,3,4", "DOWN,31,32", "BFLY,1,32", "BFLY,16,32", "BFLY,4,8", "BFLY,8,8",
        "BFLY,31,16", "IDX,0,1", "DOWN,1,2"})
    void shuffles(Inst.ShuffleMode mode, int b, int width) throws Exception {
        checkShuffle(mode, b, width, false);
    }

    @ParameterizedTest
    @CsvSource({"IDX,3,8", "UP,1,32", "UP,2,8", "DOWN,3,4", "BFLY,4,8", "BFLY,31,16"})
    void shufflesWithOperandsInRegisters(Inst.ShuffleMode mode, int b, int width) throws Exception {
        checkShuffle(mode, b, width, true);
    }

    private static void checkShuffle(Inst.ShuffleMode mode, int b, int width, boolean viaRegisters) throws Exception {
        int c = mode == Inst.ShuffleMode.UP ? (32 - width) << 8 : ((32 - width) << 8) | 0x1f;
        try (Gpu gpu = new Gpu()) {
            int n = 4 * 64;
            int[] in = new int[n];
            for (int i = 0; i < n; i++) in[i] = i * 7 + 1000;
            long din = gpu.upload(in);
            long dout = gpu.alloc(n * 4L);
            long dval = gpu.alloc(n * 4L);
            gpu.launch(gpu.kernel(shuffle(mode, b, c, viaRegisters)), 4, 64, din, dout, dval);
            gpu.sync();
            int[] out = gpu.ints(dout, n);
            int[] valid = gpu.ints(dval, n);
            for (int i = 0; i < n; i++) {
                int lane = i % 32;
                int src = cudaSource(mode, lane, b % 32, width);
                int expect = src < 0 ? in[i] : in[i - lane + src];
                assertEquals(expect, out[i], mode + " lane " + lane);
                assertEquals(src < 0 ? 0 : 1, valid[i], "valid, lane " + lane);
            }
        }
    }

    /** Divergent halves of each warp shuffle among themselves with their own member masks. */
    static Function divergentShuffle() {
        Ir k = Ir.kernel("dshfl").param("in", U64).param("out", U64);
        Reg in = k.reg(U64);
        Reg out = k.reg(U64);
        k.ldParam(in, "in").ldParam(out, "out");
        Reg i = k.globalIdX();
        Reg v = input(k, in, i);
        Reg lane = lane(k);
        Reg d = k.reg(B32);
        Reg lo = k.reg(PRED);
        k.setp(Inst.CmpOp.LT, U32, lo, lane, u32(16)).braIf(lo, "low", "high");
        k.label("low");
        k.shfl(Inst.ShuffleMode.BFLY, d, null, v, u32(1), u32(0x1f), b32(0x0000ffff)).bra("join");
        k.label("high");
        Reg add = k.reg(U32);
        k.op(Opcode.ADD, U32, add, v, u32(5));
        k.shfl(Inst.ShuffleMode.DOWN, d, null, add, u32(2), u32(0x1f), b32(0xffff0000L));
        k.label("join");
        k.st(AddressSpace.GLOBAL, U32, k.index(out, i, 4), 0, d);
        return k.build();
    }

    @Test
    void divergentShuffles() throws Exception {
        try (Gpu gpu = new Gpu()) {
            int n = 3 * 96;
            int[] in = new int[n];
            for (int i = 0; i < n; i++) in[i] = i * 13 + 1;
            long din = gpu.upload(in);
            long dout = gpu.alloc(n * 4L);
            gpu.launch(gpu.kernel(divergentShuffle()), 3, 96, din, dout);
            gpu.sync();
            int[] out = gpu.ints(dout, n);
            for (int i = 0; i < n; i++) {
                int lane = i % 32;
                int expect = lane < 16 ? in[i ^ 1] : (lane + 2 <= 31 ? in[i + 2] + 5 : in[i] + 5);
                assertEquals(expect, out[i], "lane " + lane);
            }
        }
    }

    /** A warp sum by shfl.down in a loop: lane 0 of each warp writes the warp's total. */
    static Function warpSum() {
        Ir k = Ir.kernel("wsum").param("in", U64).param("out", U64);
        Reg in = k.reg(U64);
        Reg out = k.reg(U64);
        k.ldParam(in, "in").ldParam(out, "out");
        Reg i = k.globalIdX();
        Reg v = input(k, in, i);
        Reg off = k.reg(U32);
        k.mov(off, u32(16));
        k.label("loop");
        Reg o = k.reg(B32);
        k.shfl(Inst.ShuffleMode.DOWN, o, null, v, off, u32(0x1f), b32(0xffffffffL));
        k.op(Opcode.ADD, U32, v, v, o);
        k.op(Opcode.SHR, U32, off, off, u32(1));
        Reg more = k.reg(PRED);
        k.setp(Inst.CmpOp.NE, U32, more, off, u32(0)).braIf(more, "loop", "end");
        k.label("end");
        Reg lane = lane(k);
        Reg first = k.reg(PRED);
        k.setp(Inst.CmpOp.EQ, U32, first, lane, u32(0));
        Reg w = k.reg(U32);
        k.op(Opcode.SHR, U32, w, i, u32(5));
        Reg a = k.index(out, w, 4);
        k.when(first).st(AddressSpace.GLOBAL, U32, a, 0, v);
        return k.build();
    }

    @Test
    void warpReductionByShuffleDown() throws Exception {
        try (Gpu gpu = new Gpu()) {
            int n = 50 * 256;
            int[] in = new int[n];
            for (int i = 0; i < n; i++) in[i] = i % 1000 - 300;
            long din = gpu.upload(in);
            long dout = gpu.alloc(n / 32 * 4L);
            gpu.launch(gpu.kernel(warpSum()), 50, 256, din, dout);
            gpu.sync();
            int[] out = gpu.ints(dout, n / 32);
            for (int w = 0; w < n / 32; w++) {
                int s = 0;
                for (int l = 0; l < 32; l++) s += in[w * 32 + l];
                assertEquals(s, out[w], "warp " + w);
            }
        }
    }

    /** out[i*4 + 0..3] = vote.any, vote.all, vote.uni, ballot of (in[i] % 3 == 0), in the given lanes only. */
    static Function votes(boolean divergent) {
        Ir k = Ir.kernel("votes").param("in", U64).param("out", U64);
        Reg in = k.reg(U64);
        Reg out = k.reg(U64);
        k.ldParam(in, "in").ldParam(out, "out");
        Reg i = k.globalIdX();
        Reg v = input(k, in, i);
        Reg lane = lane(k);
        Value mask = b32(0xffffffffL);
        if (divergent) {
            Reg odd = k.reg(PRED);
            Reg bit = k.reg(U32);
            k.op(Opcode.AND, U32, bit, lane, u32(1));
            k.setp(Inst.CmpOp.NE, U32, odd, bit, u32(0)).braIf(odd, "done", "work");
            k.label("work");
            mask = b32(0x55555555L);
        }
        Reg r = k.reg(U32);
        k.op(Opcode.REM, U32, r, v, u32(3));
        Reg p = k.reg(PRED);
        k.setp(Inst.CmpOp.EQ, U32, p, r, u32(0));
        Reg any = k.reg(PRED);
        Reg all = k.reg(PRED);
        Reg uni = k.reg(PRED);
        Reg ballot = k.reg(B32);
        k.vote(Inst.VoteMode.ANY, any, p, false, mask).vote(Inst.VoteMode.ALL, all, p, false, mask);
        k.vote(Inst.VoteMode.UNI, uni, p, false, mask).vote(Inst.VoteMode.BALLOT, ballot, p, false, mask);
        Reg base = k.reg(U32);
        k.op(Opcode.SHL, U32, base, i, u32(2));
        Reg[] rs = {any, all, uni};
        for (int j = 0; j < 3; j++) {
            Reg x = k.reg(U32);
            k.op(Opcode.SELP, U32, x, u32(1), u32(0), rs[j]);
            Reg idx = k.reg(U32);
            k.op(Opcode.ADD, U32, idx, base, u32(j));
            k.st(AddressSpace.GLOBAL, U32, k.index(out, idx, 4), 0, x);
        }
        Reg idx = k.reg(U32);
        k.op(Opcode.ADD, U32, idx, base, u32(3));
        k.st(AddressSpace.GLOBAL, U32, k.index(out, idx, 4), 0, ballot);
        if (divergent) k.label("done");
        return k.build();
    }

    @ParameterizedTest
    @CsvSource({"false,0", "false,1", "false,2", "true,0", "true,1"})
    void votes(boolean divergent, int pattern) throws Exception {
        try (Gpu gpu = new Gpu()) {
            int n = 2 * 64;
            int[] in = new int[n];
            for (int i = 0; i < n; i++) {
                in[i] = switch (pattern) {
                    case 0 -> i;
                    case 1 -> 3 * i;
                    default -> 3 * i + (i % 64 == 40 ? 1 : 0);
                };
            }
            long din = gpu.upload(in);
            long dout = gpu.alloc(n * 16L);
            gpu.launch(gpu.kernel(votes(divergent)), 2, 64, din, dout);
            gpu.sync();
            int[] out = gpu.ints(dout, n * 4);
            for (int w = 0; w < n / 32; w++) {
                int ballot = 0;
                int members = 0;
                for (int l = 0; l < 32; l++) {
                    if (divergent && l % 2 == 1) continue;
                    members |= 1 << l;
                    if (in[w * 32 + l] % 3 == 0) ballot |= 1 << l;
                }
                for (int l = 0; l < 32; l++) {
                    if (divergent && l % 2 == 1) continue;
                    int t = w * 32 + l;
                    assertEquals(ballot != 0 ? 1 : 0, out[t * 4], "any");
                    assertEquals(ballot == members ? 1 : 0, out[t * 4 + 1], "all");
                    assertEquals(ballot == 0 || ballot == members ? 1 : 0, out[t * 4 + 2], "uni");
                    assertEquals(ballot, out[t * 4 + 3], "ballot");
                }
            }
        }
    }

    /** out[2i] = match.any mask of in[i], out[2i+1] = match.all mask | (pred << 31 is not possible; pred in bit). */
    static Function matches(boolean all) {
        Ir k = Ir.kernel("match").param("in", U64).param("out", U64).param("pred", U64);
        Reg in = k.reg(U64);
        Reg out = k.reg(U64);
        Reg pred = k.reg(U64);
        k.ldParam(in, "in").ldParam(out, "out").ldParam(pred, "pred");
        Reg i = k.globalIdX();
        Reg v = input(k, in, i);
        Reg d = k.reg(B32);
        Reg p = all ? k.reg(PRED) : null;
        k.match(all, B32, d, p, v, b32(0xffffffffL));
        k.st(AddressSpace.GLOBAL, U32, k.index(out, i, 4), 0, d);
        if (all) {
            Reg x = k.reg(U32);
            k.op(Opcode.SELP, U32, x, u32(1), u32(0), p);
            k.st(AddressSpace.GLOBAL, U32, k.index(pred, i, 4), 0, x);
        }
        return k.build();
    }

    @Test
    void matchAnyAndAll() throws Exception {
        try (Gpu gpu = new Gpu()) {
            int n = 64;
            int[] in = new int[n];
            for (int i = 0; i < n; i++) in[i] = i < 32 ? i % 4 : 77;
            long din = gpu.upload(in);
            long dout = gpu.alloc(n * 4L);
            long dp = gpu.alloc(n * 4L);
            gpu.launch(gpu.kernel(matches(false)), 1, 64, din, dout, dp);
            gpu.sync();
            int[] out = gpu.ints(dout, n);
            for (int i = 0; i < n; i++) {
                int m = 0;
                for (int l = 0; l < 32; l++) if (in[i / 32 * 32 + l] == in[i]) m |= 1 << l;
                assertEquals(m, out[i], "any, thread " + i);
            }
            gpu.launch(gpu.kernel(matches(true)), 1, 64, din, dout, dp);
            gpu.sync();
            out = gpu.ints(dout, n);
            int[] p = gpu.ints(dp, n);
            for (int i = 0; i < 32; i++) {
                assertEquals(0, out[i]);
                assertEquals(0, p[i]);
            }
            for (int i = 32; i < 64; i++) {
                assertEquals(-1, out[i]);
                assertEquals(1, p[i]);
            }
        }
    }

    static Function reduxKernel(Opcode op, org.transcuda.ir.ScalarType t) {
        Ir k = Ir.kernel("redux").param("in", U64).param("out", U64);
        Reg in = k.reg(U64);
        Reg out = k.reg(U64);
        k.ldParam(in, "in").ldParam(out, "out");
        Reg i = k.globalIdX();
        Reg v = input(k, in, i);
        Reg d = k.reg(t);
        k.redux(op, t, d, v, b32(0xffffffffL));
        k.st(AddressSpace.GLOBAL, U32, k.index(out, i, 4), 0, d);
        return k.build();
    }

    @ParameterizedTest
    @CsvSource({"ADD,U32", "MIN,U32", "MAX,U32", "MIN,S32", "MAX,S32", "AND,B32", "OR,B32", "XOR,B32"})
    void redux(Opcode op, org.transcuda.ir.ScalarType t) throws Exception {
        try (Gpu gpu = new Gpu()) {
            int n = 96;
            int[] in = new int[n];
            for (int i = 0; i < n; i++) in[i] = (int) (0x9E3779B9L * (i + 1)) ^ (i << 3);
            long din = gpu.upload(in);
            long dout = gpu.alloc(n * 4L);
            gpu.launch(gpu.kernel(reduxKernel(op, t)), 1, 96, din, dout);
            gpu.sync();
            int[] out = gpu.ints(dout, n);
            IntBinaryOperator f = switch (op) {
                case ADD -> Integer::sum;
                case MIN -> t == S32 ? Math::min : (a, b) -> Integer.compareUnsigned(a, b) <= 0 ? a : b;
                case MAX -> t == S32 ? Math::max : (a, b) -> Integer.compareUnsigned(a, b) >= 0 ? a : b;
                case AND -> (a, b) -> a & b;
                case OR -> (a, b) -> a | b;
                default -> (a, b) -> a ^ b;
            };
            for (int w = 0; w < 3; w++) {
                int acc = in[w * 32];
                for (int l = 1; l < 32; l++) acc = f.applyAsInt(acc, in[w * 32 + l]);
                for (int l = 0; l < 32; l++) assertEquals(acc, out[w * 32 + l], op + " warp " + w);
            }
        }
    }

    /** activemask inside a branch taken by lanes whose input is odd; block of 48 (a partial second warp). */
    @Test
    void activemaskInDivergentCodeAndPartialWarp() throws Exception {
        Ir k = Ir.kernel("am").param("in", U64).param("out", U64);
        Reg in = k.reg(U64);
        Reg out = k.reg(U64);
        k.ldParam(in, "in").ldParam(out, "out");
        Reg i = k.globalIdX();
        Reg v = input(k, in, i);
        Reg bit = k.reg(U32);
        k.op(Opcode.AND, U32, bit, v, u32(1));
        Reg odd = k.reg(PRED);
        Reg m = k.reg(B32);
        Reg a = k.index(out, i, 4);
        k.setp(Inst.CmpOp.NE, U32, odd, bit, u32(0)).braIf(odd, "odd", "even");
        k.label("odd").activemask(m).bra("store");
        k.label("even").activemask(m);
        k.op(Opcode.NOT, B32, m, m);
        k.label("store");
        k.st(AddressSpace.GLOBAL, U32, a, 0, m);
        try (Gpu gpu = new Gpu()) {
            int n = 48;
            int[] data = new int[n];
            for (int j = 0; j < n; j++) data[j] = (j * 7) % 5;
            long din = gpu.upload(data);
            long dout = gpu.alloc(n * 4L);
            gpu.launch(gpu.kernel(k.build()), 1, 48, din, dout);
            gpu.sync();
            int[] o = gpu.ints(dout, n);
            for (int w = 0; w < 2; w++) {
                int oddMask = 0;
                int evenMask = 0;
                for (int l = 0; l < 32 && w * 32 + l < n; l++) {
                    if (data[w * 32 + l] % 2 == 1) oddMask |= 1 << l;
                    else evenMask |= 1 << l;
                }
                for (int l = 0; l < 32 && w * 32 + l < n; l++) {
                    int t = w * 32 + l;
                    assertEquals(data[t] % 2 == 1 ? oddMask : ~evenMask, o[t], "thread " + t);
                }
            }
        }
    }

    /** bar.red.popc/and/or and a counted named barrier that can never complete (deadlock detected). */
    @Test
    void barrierReductionsAndDeadlock() throws Exception {
        Ir k = Ir.kernel("bred").param("out", U64);
        Reg out = k.reg(U64);
        k.ldParam(out, "out");
        Reg tid = k.reg(U32);
        k.special(tid, Special.TID_X);
        Reg r = k.reg(U32);
        k.op(Opcode.REM, U32, r, tid, u32(3));
        Reg p = k.reg(PRED);
        k.setp(Inst.CmpOp.EQ, U32, p, r, u32(0));
        Reg popc = k.reg(U32);
        Reg and = k.reg(PRED);
        Reg or = k.reg(PRED);
        k.barrier(Inst.BarrierKind.RED_POPC, u32(0), null, popc, p);
        k.barrier(Inst.BarrierKind.RED_AND, u32(0), null, and, p);
        k.barrier(Inst.BarrierKind.RED_OR, u32(0), null, or, p);
        Reg x = k.reg(U32);
        Reg y = k.reg(U32);
        k.op(Opcode.SELP, U32, x, u32(2), u32(0), and);
        k.op(Opcode.SELP, U32, y, u32(4), u32(0), or);
        k.op(Opcode.OR, U32, x, x, y);
        k.op(Opcode.SHL, U32, popc, popc, u32(8));
        k.op(Opcode.OR, U32, x, x, popc);
        k.st(AddressSpace.GLOBAL, U32, k.index(out, tid, 4), 0, x);
        try (Gpu gpu = new Gpu()) {
            long dout = gpu.alloc(100 * 4L);
            gpu.launch(gpu.kernel(k.build()), 1, 100, dout);
            gpu.sync();
            int expectPopc = 34; // 0,3,...,99
            for (int v : gpu.ints(dout, 100)) assertEquals(expectPopc << 8 | 4, v);
        }
        Ir d = Ir.kernel("deadlock");
        d.barrier(Inst.BarrierKind.SYNC, u32(1), u32(128), null, null);
        try (Gpu gpu = new Gpu()) {
            gpu.launch(gpu.kernel(d.build()), 2, 64);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_LAUNCH_FAILED, e.result());
            assertTrue(e.getMessage().contains("deadlock"), e.getMessage());
        }
    }

    /** Named barrier with a count: two warps sync on barrier 1 (64 threads) while the block has 96. */
    @Test
    void namedBarrierWithCount() throws Exception {
        Ir k = Ir.kernel("named").param("out", U64);
        Reg out = k.reg(U64);
        k.ldParam(out, "out");
        Reg tid = k.reg(U32);
        k.special(tid, Special.TID_X);
        Reg early = k.reg(PRED);
        k.setp(Inst.CmpOp.LT, U32, early, tid, u32(64)).braIf(early, "pair", "rest");
        k.label("pair");
        // warp 0 writes, both warps sync on barrier 1 with 64 threads, warp 1 reads warp 0's value
        Reg a = k.index(out, tid, 4);
        k.st(AddressSpace.GLOBAL, U32, a, 0, tid);
        k.barrier(Inst.BarrierKind.SYNC, u32(1), u32(64), null, null);
        Reg other = k.reg(U32);
        k.op(Opcode.XOR, U32, other, tid, u32(32));
        Reg v = k.reg(U32);
        k.ld(AddressSpace.GLOBAL, U32, v, k.index(out, other, 4), 0);
        Reg o2 = k.reg(U32);
        k.op(Opcode.ADD, U32, o2, tid, u32(100));
        k.st(AddressSpace.GLOBAL, U32, k.index(out, o2, 4), 0, v);
        k.exit();
        k.label("rest").exit();
        try (Gpu gpu = new Gpu()) {
            long dout = gpu.alloc(200 * 4L);
            gpu.launch(gpu.kernel(k.build()), 1, 96, dout);
            gpu.sync();
            int[] o = gpu.ints(dout, 200);
            for (int t = 0; t < 64; t++) assertEquals(t ^ 32, o[100 + t]);
        }
    }
}
