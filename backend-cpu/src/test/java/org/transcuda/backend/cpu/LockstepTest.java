package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.transcuda.backend.cpu.Ir.B32;
import static org.transcuda.backend.cpu.Ir.PRED;
import static org.transcuda.backend.cpu.Ir.U32;
import static org.transcuda.backend.cpu.Ir.U64;
import static org.transcuda.backend.cpu.Ir.b32;
import static org.transcuda.backend.cpu.Ir.u32;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.transcuda.cuda.CUresult;
import org.transcuda.ir.AddressSpace;
import org.transcuda.ir.Function;
import org.transcuda.ir.Inst;
import org.transcuda.ir.Memory;
import org.transcuda.ir.Opcode;
import org.transcuda.ir.Reg;
import org.transcuda.ir.Special;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;

/**
 * The lockstep engine ({@link Lockstep}): which kernels it takes, divergence with barriers in loops, warp
 * collectives in divergent code, partial blocks, faults with their thread and instruction, the coalesced global
 * path. Expected values are computed here in Java; every kernel also runs on the thread engine, which must agree.
 */
class LockstepTest {
    private static Gpu gpu(CpuDevice.Engine engine) throws BackendException {
        Gpu g = new Gpu(2);
        g.device.engine(engine);
        return g;
    }

    /** out[i] = in[i] * 3 + 1 (no barrier: the thread engine under auto, lockstep when forced). */
    static Function straight() {
        Ir k = Ir.kernel("straight").param("in", U64).param("out", U64).param("n", U32);
        Reg in = k.reg(U64);
        Reg out = k.reg(U64);
        Reg n = k.reg(U32);
        k.ldParam(in, "in").ldParam(out, "out").ldParam(n, "n");
        Reg i = k.globalIdX();
        Reg p = k.reg(PRED);
        k.setp(Inst.CmpOp.GE, U32, p, i, n).braIf(p, "done", "body");
        k.label("body");
        Reg v = WarpTest.input(k, in, i);
        Reg r = k.reg(U32);
        k.op(Opcode.MAD, U32, r, v, u32(3), u32(1));
        k.st(AddressSpace.GLOBAL, U32, k.index(out, i, 4), 0, r);
        k.label("done");
        return k.exit().build();
    }

    @Test
    void engineChoice() throws Exception {
        for (CpuDevice.Engine engine : CpuDevice.Engine.values()) {
            try (Gpu gpu = gpu(engine)) {
                int n = 1000;
                int[] in = new int[n];
                for (int i = 0; i < n; i++) in[i] = i * 7 - 300;
                long din = gpu.upload(in);
                long dout = gpu.alloc(n * 4L);
                gpu.launch(gpu.kernel(straight()), 8, 128, din, dout, n);
                gpu.sync();
                int[] expect = new int[n];
                for (int i = 0; i < n; i++) expect[i] = in[i] * 3 + 1;
                assertArrayEquals(expect, gpu.ints(dout, n), engine.toString());
                // a kernel with barriers: lockstep unless the thread engine is forced
                launchBarrierLoop(gpu, 3, 100, din, dout, 5);
                gpu.sync();
                long lock = gpu.device.lockstepLaunches.sum();
                assertEquals(engine == CpuDevice.Engine.LOCKSTEP ? 2 : engine == CpuDevice.Engine.AUTO ? 1 : 0, lock,
                        engine.toString());
            }
        }
    }

    /** A kernel with atom.cas in a loop (or not) and a barrier. */
    static Function cas(String name, boolean inLoop) {
        Ir k = Ir.kernel(name).param("p", U64);
        Reg p = k.reg(U64);
        k.ldParam(p, "p");
        Reg r = k.reg(U32);
        k.mov(r, u32(0));
        k.label("loop");
        Reg old = k.reg(U32);
        k.atom(Memory.AtomicOp.CAS, AddressSpace.GLOBAL, B32, old, p, 0, u32(0), u32(1));
        k.op(Opcode.ADD, U32, r, r, u32(1));
        Reg more = k.reg(PRED);
        k.setp(Inst.CmpOp.LT, U32, more, r, u32(inLoop ? 2 : 0)).braIf(more, inLoop ? "loop" : "end", "end");
        k.label("end");
        k.bar();
        return k.exit().build();
    }

    @Test
    void spinWaitPatternsStayOnTheThreadEngine() throws Exception {
        try (Gpu gpu = gpu(CpuDevice.Engine.LOCKSTEP)) {
            long d = gpu.upload(new int[] {0});
            gpu.launch(gpu.kernel(cas("casloop", true)), 1, 64, d);
            gpu.sync();
            assertEquals(1, gpu.ints(d, 1)[0]);
            assertEquals(0, gpu.device.lockstepLaunches.sum());
            assertTrue(gpu.device.threadOnly.get("casloop").contains("atom.cas"), gpu.device.threadOnly.toString());
            // outside any loop a cas cannot wait for another lane: lockstep
            long d2 = gpu.upload(new int[] {0});
            gpu.launch(gpu.kernel(cas("casonce", false)), 1, 64, d2);
            gpu.sync();
            assertEquals(1, gpu.ints(d2, 1)[0]);
            assertEquals(1, gpu.device.lockstepLaunches.sum());
        }
    }

    /**
     * {@code rounds} times: s[tid] = v; bar; v += s[(tid + 1) % ntid] when tid is odd, else v ^= s[ntid - 1 - tid]
     * (divergent if/else inside the loop); bar. Then out[gid] = v.
     */
    static Function barrierLoop() {
        Ir k = Ir.kernel("barloop").param("in", U64).param("out", U64).param("rounds", U32);
        Reg in = k.reg(U64);
        Reg out = k.reg(U64);
        Reg rounds = k.reg(U32);
        k.ldParam(in, "in").ldParam(out, "out").ldParam(rounds, "rounds");
        Reg gid = k.globalIdX();
        Reg tid = k.reg(U32);
        Reg ntid = k.reg(U32);
        k.special(tid, Special.TID_X).special(ntid, Special.NTID_X);
        Reg v = WarpTest.input(k, in, gid);
        Reg r = k.reg(U32);
        k.mov(r, u32(0));
        Reg sa = k.reg(U32);
        k.op(Opcode.MUL, U32, sa, tid, u32(4));
        k.label("loop");
        k.st(AddressSpace.SHARED, U32, sa, 0, v);
        k.bar();
        Reg odd = k.reg(U32);
        k.op(Opcode.AND, U32, odd, tid, u32(1));
        Reg isOdd = k.reg(PRED);
        k.setp(Inst.CmpOp.NE, U32, isOdd, odd, u32(0)).braIf(isOdd, "odd", "even");
        k.label("odd");
        Reg j = k.reg(U32);
        k.op(Opcode.ADD, U32, j, tid, u32(1));
        k.op(Opcode.REM, U32, j, j, ntid);
        Reg ja = k.reg(U32);
        k.op(Opcode.MUL, U32, ja, j, u32(4));
        Reg x = k.reg(U32);
        k.ld(AddressSpace.SHARED, U32, x, ja, 0);
        k.op(Opcode.ADD, U32, v, v, x);
        k.bra("join");
        k.label("even");
        Reg m = k.reg(U32);
        k.op(Opcode.SUB, U32, m, ntid, u32(1));
        k.op(Opcode.SUB, U32, m, m, tid);
        Reg ma = k.reg(U32);
        k.op(Opcode.MUL, U32, ma, m, u32(4));
        Reg y = k.reg(U32);
        k.ld(AddressSpace.SHARED, U32, y, ma, 0);
        k.op(Opcode.XOR, U32, v, v, y);
        k.label("join");
        k.bar();
        k.op(Opcode.ADD, U32, r, r, u32(1));
        Reg more = k.reg(PRED);
        k.setp(Inst.CmpOp.LT, U32, more, r, rounds).braIf(more, "loop", "end");
        k.label("end");
        k.st(AddressSpace.GLOBAL, U32, k.index(out, gid, 4), 0, v);
        return k.exit().build();
    }

    /** The kernel uses dynamic shared memory (offset 0): one u32 per thread. */
    static void launchBarrierLoop(Gpu gpu, int blocks, int ntid, long din, long dout, int rounds) throws Exception {
        gpu.launch(gpu.kernel(barrierLoop()), org.transcuda.cuda.Dim3.of(blocks), org.transcuda.cuda.Dim3.of(ntid),
                ntid * 4, din, dout, rounds);
    }

    static int[] barrierLoopReference(int[] in, int blocks, int ntid, int rounds) {
        int[] out = new int[blocks * ntid];
        for (int b = 0; b < blocks; b++) {
            int[] v = new int[ntid];
            for (int t = 0; t < ntid; t++) v[t] = in[b * ntid + t];
            for (int r = 0; r < rounds; r++) {
                int[] s = v.clone();
                for (int t = 0; t < ntid; t++) {
                    v[t] = (t & 1) != 0 ? v[t] + s[(t + 1) % ntid] : v[t] ^ s[ntid - 1 - t];
                }
            }
            System.arraycopy(v, 0, out, b * ntid, ntid);
        }
        return out;
    }

    /** Blocks of 100 threads (a partial last warp), barriers inside a loop around divergent code. */
    @ParameterizedTest
    @ValueSource(strings = {"THREAD", "LOCKSTEP"})
    void barriersInLoopsWithDivergenceAndPartialWarps(String engine) throws Exception {
        try (Gpu gpu = gpu(CpuDevice.Engine.valueOf(engine))) {
            int blocks = 3;
            int ntid = 100;
            int[] in = new int[blocks * ntid];
            for (int i = 0; i < in.length; i++) in[i] = i * 2654435 + 17;
            long din = gpu.upload(in);
            long dout = gpu.alloc(in.length * 4L);
            launchBarrierLoop(gpu, blocks, ntid, din, dout, 6);
            gpu.sync();
            assertArrayEquals(barrierLoopReference(in, blocks, ntid, 6), gpu.ints(dout, in.length));
            assertEquals(engine.equals("LOCKSTEP") ? 1 : 0, gpu.device.lockstepLaunches.sum());
        }
    }

    /**
     * Lanes below {@code split} take one path, the others another; each path shuffles within its own lanes
     * (member mask of the path): out = shfl.bfly(v, 1) among the path's lanes, plus the ballot of the path.
     */
    static Function divergentCollectives(int split) {
        Ir k = Ir.kernel("divcoll").param("in", U64).param("out", U64);
        Reg in = k.reg(U64);
        Reg out = k.reg(U64);
        k.ldParam(in, "in").ldParam(out, "out");
        Reg i = k.globalIdX();
        Reg v = WarpTest.input(k, in, i);
        Reg lane = WarpTest.lane(k);
        Reg low = k.reg(PRED);
        Reg r = k.reg(B32);
        Reg ball = k.reg(B32);
        long lowMask = (1L << split) - 1;
        k.setp(Inst.CmpOp.LT, U32, low, lane, u32(split)).braIf(low, "low", "high");
        k.label("low");
        k.shfl(Inst.ShuffleMode.BFLY, r, null, v, u32(1), u32(0x1f), b32(lowMask));
        k.vote(Inst.VoteMode.BALLOT, ball, low, false, b32(lowMask));
        k.bra("join");
        k.label("high");
        k.shfl(Inst.ShuffleMode.BFLY, r, null, v, u32(1), u32(0x1f), b32(0xffffffffL & ~lowMask));
        k.vote(Inst.VoteMode.BALLOT, ball, low, true, b32(0xffffffffL & ~lowMask));
        k.label("join");
        Reg sum = k.reg(U32);
        k.op(Opcode.ADD, U32, sum, r, ball);
        k.st(AddressSpace.GLOBAL, U32, k.index(out, i, 4), 0, sum);
        return k.exit().build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"THREAD", "LOCKSTEP"})
    void collectivesInDivergentCodeAndPartialWarps(String engine) throws Exception {
        try (Gpu gpu = gpu(CpuDevice.Engine.valueOf(engine))) {
            int split = 12;
            int ntid = 80; // the last warp has 16 lanes
            int blocks = 2;
            int n = blocks * ntid;
            int[] in = new int[n];
            for (int i = 0; i < n; i++) in[i] = i * 31 + 5;
            long din = gpu.upload(in);
            long dout = gpu.alloc(n * 4L);
            gpu.launch(gpu.kernel(divergentCollectives(split)), blocks, ntid, din, dout);
            gpu.sync();
            int[] expect = new int[n];
            for (int b = 0; b < blocks; b++) {
                for (int t = 0; t < ntid; t++) {
                    int lane = t % 32;
                    int warpBase = b * ntid + t - lane;
                    int lanes = Math.min(32, ntid - (t - lane));
                    boolean low = lane < split;
                    int src = lane ^ 1;
                    // the partner must be on the same path and exist, else the lane keeps its own value
                    boolean ok = src < lanes && (src < split) == low;
                    int r = ok ? in[warpBase + src] : in[warpBase + lane];
                    int ballot = 0;
                    for (int l = 0; l < lanes; l++) if ((l < split) == low) ballot |= 1 << l;
                    expect[b * ntid + t] = r + ballot;
                }
            }
            assertArrayEquals(expect, gpu.ints(dout, n));
        }
    }

    @Test
    void memberMaskNamingALaneOnAnotherPathIsAClearError() throws Exception {
        try (Gpu gpu = gpu(CpuDevice.Engine.LOCKSTEP)) {
            Ir k = Ir.kernel("badmask").param("out", U64);
            Reg out = k.reg(U64);
            k.ldParam(out, "out");
            Reg lane = WarpTest.lane(k);
            Reg low = k.reg(PRED);
            k.setp(Inst.CmpOp.LT, U32, low, lane, u32(8)).braIf(low, "low", "high");
            k.label("low");
            Reg r = k.reg(B32);
            k.shfl(Inst.ShuffleMode.BFLY, r, null, lane, u32(1), u32(0x1f), b32(0xffffffffL));
            k.st(AddressSpace.GLOBAL, U32, k.index(out, lane, 4), 0, r);
            k.label("high");
            gpu.launch(gpu.kernel(k.exit().build()), 1, 32, gpu.alloc(128));
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_LAUNCH_FAILED, e.result());
            assertTrue(e.getMessage().contains("another path") && e.getMessage().contains("shfl"), e.getMessage());
        }
    }

    /** Only thread 37 of block 1 stores out of bounds: the fault names that thread and the instruction. */
    @ParameterizedTest
    @ValueSource(strings = {"THREAD", "LOCKSTEP"})
    void faultsNameTheThreadAndInstruction(String engine) throws Exception {
        try (Gpu gpu = gpu(CpuDevice.Engine.valueOf(engine))) {
            Ir k = Ir.kernel("oob").param("out", U64);
            Reg out = k.reg(U64);
            k.ldParam(out, "out");
            Reg i = k.globalIdX();
            Reg bad = k.reg(PRED);
            k.setp(Inst.CmpOp.EQ, U32, bad, i, u32(64 + 37));
            Reg idx = k.reg(U32);
            k.mov(idx, i);
            k.when(bad).mov(idx, u32(1 << 20));
            k.bar();
            k.st(AddressSpace.GLOBAL, U32, k.index(out, idx, 4), 0, i);
            long d = gpu.alloc(4 * 128);
            gpu.launch(gpu.kernel(k.exit().build()), 2, 64, d);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result());
            assertTrue(e.getMessage().contains("block (1,0,0), thread (37,0,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("st.global"), e.getMessage());
        }
    }

    /** Contiguous, row-wise, scattered and out-of-range accesses through the coalesced path. */
    @Test
    void coalescedGlobalAccesses() throws Exception {
        String old = System.getProperty("transcuda.cpu.bulk");
        System.setProperty("transcuda.cpu.bulk", "true");
        try (Gpu gpu = gpu(CpuDevice.Engine.LOCKSTEP)) {
            for (int stride : new int[] {1, 3}) {
                // out[i * stride] = in[i * stride] * 3 + 1 for i < n: stride 1 is one run per block, 3 scattered
                Ir k = Ir.kernel("strided" + stride).param("in", U64).param("out", U64);
                Reg in = k.reg(U64);
                Reg out = k.reg(U64);
                k.ldParam(in, "in").ldParam(out, "out");
                Reg i = k.globalIdX();
                Reg j = k.reg(U32);
                k.op(Opcode.MUL, U32, j, i, u32(stride));
                Reg v = k.reg(U32);
                k.ld(AddressSpace.GLOBAL, U32, v, k.index(in, j, 4), 0);
                Reg r = k.reg(U32);
                k.op(Opcode.MAD, U32, r, v, u32(3), u32(1));
                k.st(AddressSpace.GLOBAL, U32, k.index(out, j, 4), 0, r);
                int n = 4 * 96 * stride;
                int[] data = new int[n];
                for (int x = 0; x < n; x++) data[x] = x * 11 - 7;
                long din = gpu.upload(data);
                long dout = gpu.upload(new int[n]);
                gpu.launch(gpu.kernel(k.exit().build()), 4, 96, din, dout);
                gpu.sync();
                int[] expect = new int[n];
                for (int x = 0; x < n; x += stride) expect[x] = data[x] * 3 + 1;
                assertArrayEquals(expect, gpu.ints(dout, n), "stride " + stride);
            }
            // a 2D block: rows of 8 consecutive floats, 4 rows apart
            Ir k = Ir.kernel("rows").param("in", U64).param("out", U64);
            Reg in = k.reg(U64);
            Reg out = k.reg(U64);
            k.ldParam(in, "in").ldParam(out, "out");
            Reg tx = k.reg(U32);
            Reg ty = k.reg(U32);
            k.special(tx, Special.TID_X).special(ty, Special.TID_Y);
            Reg j = k.reg(U32);
            k.op(Opcode.MAD, U32, j, ty, u32(32), tx);
            Reg v = k.reg(Ir.F32);
            k.ld(AddressSpace.GLOBAL, Ir.F32, v, k.index(in, j, 4), 0);
            k.op(Opcode.ADD, Ir.F32, Kernels.RN, v, v, Ir.f32(0.5f));
            k.st(AddressSpace.GLOBAL, Ir.F32, k.index(out, j, 4), 0, v);
            float[] data = new float[8 * 32];
            for (int x = 0; x < data.length; x++) data[x] = x * 0.25f;
            long din = gpu.upload(data);
            long dout = gpu.upload(new float[data.length]);
            gpu.launch(gpu.kernel(k.exit().build()), org.transcuda.cuda.Dim3.of(1), new org.transcuda.cuda.Dim3(8, 8, 1), 0,
                    din, dout);
            gpu.sync();
            float[] expect = new float[data.length];
            for (int y = 0; y < 8; y++) for (int x = 0; x < 8; x++) expect[y * 32 + x] = data[y * 32 + x] + 0.5f;
            assertArrayEquals(expect, gpu.floats(dout, data.length));
            // contiguous, but the last 4 threads run past the allocation: thread 92 faults first
            Ir s = Ir.kernel("past").param("out", U64);
            Reg o = s.reg(U64);
            s.ldParam(o, "out");
            Reg i = s.globalIdX();
            s.st(AddressSpace.GLOBAL, U32, s.index(o, i, 4), 0, i);
            long small = gpu.alloc(92 * 4);
            gpu.launch(gpu.kernel(s.exit().build()), 1, 96, small);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result());
            assertTrue(e.getMessage().contains("thread (92,0,0)"), e.getMessage());
        } finally {
            if (old == null) System.clearProperty("transcuda.cpu.bulk");
            else System.setProperty("transcuda.cpu.bulk", old);
        }
    }

    /**
     * A loop that is one segment (no barrier inside): v = v * 5 + i for i < trips, trips = (tid % mod) + base, then a
     * barrier so that the kernel is a lockstep kernel. With {@code mod} 1 every thread runs the same number of
     * iterations (the loop stays inside its segment method); otherwise threads leave it at different iterations.
     */
    static Function oneSegmentLoop() {
        Ir k = Ir.kernel("segloop").param("in", U64).param("out", U64).param("mod", U32).param("base", U32);
        Reg in = k.reg(U64);
        Reg out = k.reg(U64);
        Reg mod = k.reg(U32);
        Reg base = k.reg(U32);
        k.ldParam(in, "in").ldParam(out, "out").ldParam(mod, "mod").ldParam(base, "base");
        Reg gid = k.globalIdX();
        Reg tid = k.reg(U32);
        k.special(tid, Special.TID_X);
        Reg v = WarpTest.input(k, in, gid);
        Reg trips = k.reg(U32);
        k.op(Opcode.REM, U32, trips, tid, mod);
        k.op(Opcode.ADD, U32, trips, trips, base);
        Reg i = k.reg(U32);
        k.mov(i, u32(0));
        k.label("loop");
        k.op(Opcode.MAD, U32, v, v, u32(5), i);
        k.op(Opcode.ADD, U32, i, i, u32(1));
        Reg more = k.reg(PRED);
        k.setp(Inst.CmpOp.LO, U32, more, i, trips).braIf(more, "loop", "done");
        k.label("done");
        k.bar();
        k.st(AddressSpace.GLOBAL, U32, k.index(out, gid, 4), 0, v);
        return k.exit().build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"THREAD", "LOCKSTEP"})
    void oneSegmentLoopsUniformAndDivergent(String engine) throws Exception {
        try (Gpu gpu = gpu(CpuDevice.Engine.valueOf(engine))) {
            int blocks = 3;
            int ntid = 100;
            int n = blocks * ntid;
            int[] in = new int[n];
            for (int i = 0; i < n; i++) in[i] = i * 7919 + 3;
            long din = gpu.upload(in);
            for (int[] mb : new int[][] {{1, 9}, {7, 1}}) {
                long dout = gpu.alloc(n * 4L);
                gpu.launch(gpu.kernel(oneSegmentLoop()), blocks, ntid, din, dout, mb[0], mb[1]);
                gpu.sync();
                int[] expect = new int[n];
                for (int g = 0; g < n; g++) {
                    int v = in[g];
                    int trips = (g % ntid) % mb[0] + mb[1];
                    for (int i = 0; i < trips; i++) v = v * 5 + i;
                    expect[g] = v;
                }
                assertArrayEquals(expect, gpu.ints(dout, n), "mod " + mb[0] + " base " + mb[1]);
            }
            assertEquals(engine.equals("LOCKSTEP") ? 2 : 0, gpu.device.lockstepLaunches.sum());
        }
    }

    /**
     * Constant-source shuffles in blocks of 80 threads (a partial last warp of 16 lanes): out[4 gid + 0] =
     * shfl.down(v, 1), + 1 = its predicate, + 2 = shfl.idx(v, 20) (lane 20 does not exist in the last warp: the own
     * value), + 3 = v after an in-place shfl.up(v, 3) (result register = value register: not the direct path).
     */
    static Function constantShuffles() {
        Ir k = Ir.kernel("cshfl").param("in", U64).param("out", U64);
        Reg in = k.reg(U64);
        Reg out = k.reg(U64);
        k.ldParam(in, "in").ldParam(out, "out");
        Reg gid = k.globalIdX();
        Reg v = WarpTest.input(k, in, gid);
        Reg down = k.reg(B32);
        Reg pd = k.reg(PRED);
        Reg idx = k.reg(B32);
        k.shfl(Inst.ShuffleMode.DOWN, down, pd, v, u32(1), u32(0x1f), b32(0xffffffffL));
        k.shfl(Inst.ShuffleMode.IDX, idx, null, v, u32(20), u32(0x1f), b32(0xffffffffL));
        k.shfl(Inst.ShuffleMode.UP, v, null, v, u32(3), u32(0), b32(0xffffffffL));
        Reg pv = k.reg(U32);
        k.op(Opcode.SELP, U32, pv, u32(1), u32(0), pd);
        Reg o = k.index(out, gid, 16);
        k.st(AddressSpace.GLOBAL, U32, o, 0, down);
        k.st(AddressSpace.GLOBAL, U32, o, 4, pv);
        k.st(AddressSpace.GLOBAL, U32, o, 8, idx);
        k.st(AddressSpace.GLOBAL, U32, o, 12, v);
        return k.exit().build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"THREAD", "LOCKSTEP"})
    void constantShufflesWithPartialWarps(String engine) throws Exception {
        try (Gpu gpu = gpu(CpuDevice.Engine.valueOf(engine))) {
            int blocks = 2;
            int ntid = 80;
            int n = blocks * ntid;
            int[] in = new int[n];
            for (int i = 0; i < n; i++) in[i] = i * 131 + 7;
            long din = gpu.upload(in);
            long dout = gpu.alloc(n * 16L);
            gpu.launch(gpu.kernel(constantShuffles()), blocks, ntid, din, dout);
            gpu.sync();
            int[] got = gpu.ints(dout, n * 4);
            int[] expect = new int[n * 4];
            for (int g = 0; g < n; g++) {
                int t = g % ntid;
                int lane = t % 32;
                int base = g - lane;
                int lanes = Math.min(32, ntid - (t - lane));
                int down = lane + 1 <= 31 ? lane + 1 : -1;
                expect[4 * g] = down >= 0 && down < lanes ? in[base + down] : in[g];
                expect[4 * g + 1] = down >= 0 ? 1 : 0;
                expect[4 * g + 2] = 20 < lanes ? in[base + 20] : in[g];
                expect[4 * g + 3] = lane >= 3 ? in[g - 3] : in[g];
            }
            assertArrayEquals(expect, got);
            assertEquals(engine.equals("LOCKSTEP") ? 1 : 0, gpu.device.lockstepLaunches.sum());
        }
    }

    @Test
    void refusalIsNullForSuiteShapes() throws Exception {
        try (Gpu gpu = gpu(CpuDevice.Engine.AUTO)) {
            CpuFunction f = (CpuFunction) gpu.kernel(barrierLoop());
            assertNull(f.kernel.lockRefusal);
        }
    }
}
