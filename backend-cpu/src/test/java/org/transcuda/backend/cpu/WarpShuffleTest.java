package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.transcuda.backend.cpu.Ir.B32;
import static org.transcuda.backend.cpu.Ir.PRED;
import static org.transcuda.backend.cpu.Ir.U32;
import static org.transcuda.backend.cpu.Ir.U64;
import static org.transcuda.backend.cpu.Ir.b32;
import static org.transcuda.backend.cpu.Ir.u32;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.transcuda.ir.AddressSpace;
import org.transcuda.ir.Function;
import org.transcuda.ir.Inst;
import org.transcuda.ir.Opcode;
import org.transcuda.ir.Reg;
import org.transcuda.ir.Special;
import org.transcuda.ir.Value;
import org.transcuda.ptx.PtxTranslator;
import org.transcuda.spi.BackendFunction;

/**
 * Shifted shuffles as array copies ({@link WarpShuffle}): shuffle loops with a block-uniform non-constant delta,
 * constant shifts over every thread and in divergent regions of whole warps, partial last warps, divergent regions
 * that are not whole warps, member masks that exclude lanes, and nvcc's scan_block of the benchmark suite. Expected
 * values come from Java references of CUDA's shuffle semantics; every kernel runs on both engines.
 */
class WarpShuffleTest {
    private static Gpu gpu(CpuDevice.Engine engine) throws Exception {
        Gpu g = new Gpu(2);
        g.device.engine(engine);
        return g;
    }

    @Test
    void shiftsOfSourceTables() {
        assertArrayEquals(new int[] {3, 32, -3}, WarpShuffle.shiftOf(
                BlockScheduler.shuffleSources(Inst.ShuffleMode.UP, 3, 0)));
        assertArrayEquals(new int[] {0, 27, 5}, WarpShuffle.shiftOf(
                BlockScheduler.shuffleSources(Inst.ShuffleMode.DOWN, 5, 0x1f)));
        // a clamp below the warp's end: lanes 0..9 read lane + 2
        assertArrayEquals(new int[] {0, 10, 2}, WarpShuffle.shiftOf(
                BlockScheduler.shuffleSources(Inst.ShuffleMode.DOWN, 2, 11)));
        // segments of 16 lanes are two runs, a butterfly two offsets, a broadcast no shift, delta 0 no shift
        assertNull(WarpShuffle.shiftOf(BlockScheduler.shuffleSources(Inst.ShuffleMode.UP, 1, 16 << 8)));
        assertNull(WarpShuffle.shiftOf(BlockScheduler.shuffleSources(Inst.ShuffleMode.BFLY, 16, 0x1f)));
        assertNull(WarpShuffle.shiftOf(BlockScheduler.shuffleSources(Inst.ShuffleMode.IDX, 4, 0x1f)));
        assertNull(WarpShuffle.shiftOf(BlockScheduler.shuffleSources(Inst.ShuffleMode.UP, 0, 0)));
    }

    /**
     * The source lane of {@code shfl.sync} for {@code lane} (-1: out of range, own value, predicate false), written
     * from the PTX ISA's pseudo-code of {@code shfl.sync}.
     */
    static int source(Inst.ShuffleMode mode, int lane, int b, int c) {
        int bval = b & 0x1f;
        int cval = c & 0x1f;
        int segMask = (c >> 8) & 0x1f;
        int maxLane = (lane & segMask) | (cval & ~segMask);
        int minLane = lane & segMask;
        int j;
        boolean pval;
        switch (mode) {
            case UP -> {
                j = lane - bval;
                pval = j >= maxLane;
            }
            case DOWN -> {
                j = lane + bval;
                pval = j <= maxLane;
            }
            case BFLY -> {
                j = lane ^ bval;
                pval = j <= maxLane;
            }
            default -> {
                j = minLane | (bval & ~segMask);
                pval = j <= maxLane;
            }
        }
        return pval ? j : -1;
    }

    /**
     * Constant shifts ({@link WarpTest#shuffle}: {@code out = shfl(in, b, c)}, {@code valid = p}) with every thread
     * active, in blocks of whole warps (the array copies) and with a partial last warp (the table loop).
     */
    @ParameterizedTest
    @CsvSource({"UP,1,0,64", "UP,5,0,48", "UP,3,2,96", "DOWN,2,31,64", "DOWN,7,31,40", "DOWN,1,20,96"})
    void constantShifts(Inst.ShuffleMode mode, int b, int c, int block) throws Exception {
        int grid = 3;
        int n = grid * block;
        int[] in = new int[n];
        for (int i = 0; i < n; i++) in[i] = i * 5 + 3;
        int[] want = new int[n];
        int[] wantValid = new int[n];
        for (int i = 0; i < n; i++) {
            int t = i % block;
            int lane = t & 31;
            int lanes = Math.min(32, block - (t - lane));
            int j = source(mode, lane, b, c);
            want[i] = j < 0 || j >= lanes ? in[i] : in[i - lane + j];
            wantValid[i] = j < 0 ? 0 : 1;
        }
        for (CpuDevice.Engine engine : new CpuDevice.Engine[] {CpuDevice.Engine.LOCKSTEP, CpuDevice.Engine.THREAD}) {
            try (Gpu gpu = gpu(engine)) {
                long din = gpu.upload(in);
                long dout = gpu.alloc(n * 4L);
                long dval = gpu.alloc(n * 4L);
                gpu.launch(gpu.kernel(WarpTest.shuffle(mode, b, c, true)), grid, block, din, dout, dval);
                gpu.sync();
                assertArrayEquals(want, gpu.ints(dout, n), engine + " values");
                assertArrayEquals(wantValid, gpu.ints(dval, n), engine + " predicates");
            }
        }
    }

    /**
     * A shuffle loop with a delta in a register: {@code for (d = d0; d < 32; d <<= 1) { o|p = shfl.mode(v, d, c);
     * v += p ? o : 3 * o; bits = bits * 2 + p; }} (the own value of out-of-range lanes counts too), then {@code out[i] = v}, {@code bits[i] = bits}; {@code d0} is 1, or
     * with {@code perWarp} {@code 1 << (warp & 1)} (the delta then differs between the warps of a block).
     */
    static Function deltaLoop(Inst.ShuffleMode mode, int c, boolean perWarp) {
        Ir k = Ir.kernel("dloop").param("in", U64).param("out", U64).param("bits", U64);
        Reg in = k.reg(U64);
        Reg out = k.reg(U64);
        Reg bitsOut = k.reg(U64);
        k.ldParam(in, "in").ldParam(out, "out").ldParam(bitsOut, "bits");
        Reg i = k.globalIdX();
        Reg v = WarpTest.input(k, in, i);
        Reg bits = k.reg(U32);
        Reg d = k.reg(U32);
        k.mov(bits, u32(0));
        if (perWarp) {
            Reg tid = k.reg(U32);
            k.special(tid, Special.TID_X);
            Reg w = k.reg(U32);
            k.op(Opcode.SHR, U32, w, tid, u32(5));
            k.op(Opcode.AND, U32, w, w, u32(1));
            k.op(Opcode.SHL, U32, d, u32(1), w);
        } else {
            k.mov(d, u32(1));
        }
        k.label("loop");
        Reg o = k.reg(B32);
        Reg p = k.reg(PRED);
        k.shfl(mode, o, p, v, d, u32(c), b32(0xffffffffL));
        Reg o3 = k.reg(U32);
        k.op(Opcode.MUL, U32, o3, o, u32(3));
        Reg add = k.reg(U32);
        k.op(Opcode.SELP, U32, add, o, o3, p);
        k.op(Opcode.ADD, U32, v, v, add);
        Reg pv = k.reg(U32);
        k.op(Opcode.SELP, U32, pv, u32(1), u32(0), p);
        k.op(Opcode.SHL, U32, bits, bits, u32(1));
        k.op(Opcode.ADD, U32, bits, bits, pv);
        k.op(Opcode.SHL, U32, d, d, u32(1));
        Reg more = k.reg(PRED);
        k.setp(Inst.CmpOp.LT, U32, more, d, u32(32)).braIf(more, "loop", "end");
        k.label("end");
        k.st(AddressSpace.GLOBAL, U32, k.index(out, i, 4), 0, v);
        k.st(AddressSpace.GLOBAL, U32, k.index(bitsOut, i, 4), 0, bits);
        return k.exit().build();
    }

    /**
     * Java reference of {@link #deltaLoop} for one warp of {@code lanes} threads ({@code v} from {@code at}): a
     * source lane past the end of a partial last warp gives the own value with the predicate true (the backend's
     * choice; CUDA leaves it undefined).
     */
    static void warpLoop(Inst.ShuffleMode mode, int c, int d0, int[] v, int[] bits, int at, int lanes) {
        int[] o = new int[lanes];
        int[] p = new int[lanes];
        for (int d = d0; d < 32; d <<= 1) {
            for (int l = 0; l < lanes; l++) {
                int j = source(mode, l, d, c);
                o[l] = j < 0 || j >= lanes ? v[at + l] : v[at + j];
                p[l] = j < 0 ? 0 : 1;
            }
            for (int l = 0; l < lanes; l++) {
                v[at + l] += p[l] != 0 ? o[l] : 3 * o[l];
                bits[at + l] = bits[at + l] * 2 + p[l];
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"UP,0,64,false", "UP,0,256,false", "UP,0,48,false", "UP,3,96,false", "UP,4096,64,false",
        "DOWN,31,64,false", "DOWN,31,40,false", "DOWN,20,96,false", "DOWN,3103,64,false", "UP,0,128,true",
        "DOWN,31,96,true"})
    void shuffleLoopWithDeltaInRegister(Inst.ShuffleMode mode, int c, int block, boolean perWarp) throws Exception {
        int grid = 3;
        int n = grid * block;
        int[] in = new int[n];
        for (int i = 0; i < n; i++) in[i] = i * 37 % 1001 - 400;
        int[] want = in.clone();
        int[] wantBits = new int[n];
        for (int g = 0; g < grid; g++) {
            for (int w = 0; w < block; w += 32) {
                int d0 = perWarp ? 1 << ((w >> 5) & 1) : 1;
                warpLoop(mode, c, d0, want, wantBits, g * block + w, Math.min(32, block - w));
            }
        }
        for (CpuDevice.Engine engine : new CpuDevice.Engine[] {CpuDevice.Engine.LOCKSTEP, CpuDevice.Engine.THREAD}) {
            try (Gpu gpu = gpu(engine)) {
                long din = gpu.upload(in);
                long dout = gpu.alloc(n * 4L);
                long dbits = gpu.alloc(n * 4L);
                gpu.launch(gpu.kernel(deltaLoop(mode, c, perWarp)), grid, block, din, dout, dbits);
                gpu.sync();
                assertArrayEquals(want, gpu.ints(dout, n), engine + " values");
                assertArrayEquals(wantBits, gpu.ints(dbits, n), engine + " predicates");
                if (engine == CpuDevice.Engine.LOCKSTEP) assertEquals(1, gpu.device.lockstepLaunches.sum());
            }
        }
    }

    /**
     * Threads for which {@code (tid.x >> shift) & 1} is {@code 0} run {@code o1|p1 = shfl.up(v, 1, 0, mask)} then
     * {@code o2|p2 = shfl.down(o1, 3, c, mask)} and write {@code o1 * 4096 + o2 * 4 + p1 * 2 + p2}; the others write
     * {@code v * 2}. {@code shift} 5 makes the region whole warps (the even ones), 4 half warps (lanes 0..15).
     */
    static Function divergent(int shift, long mask, int c) {
        Ir k = Ir.kernel("dreg").param("in", U64).param("out", U64);
        Reg in = k.reg(U64);
        Reg out = k.reg(U64);
        k.ldParam(in, "in").ldParam(out, "out");
        Reg i = k.globalIdX();
        Reg v = WarpTest.input(k, in, i);
        Reg tid = k.reg(U32);
        k.special(tid, Special.TID_X);
        Reg sel = k.reg(U32);
        k.op(Opcode.SHR, U32, sel, tid, u32(shift));
        k.op(Opcode.AND, U32, sel, sel, u32(1));
        Reg other = k.reg(PRED);
        Reg r = k.reg(U32);
        k.setp(Inst.CmpOp.NE, U32, other, sel, u32(0)).braIf(other, "other", "work");
        k.label("work");
        Reg o1 = k.reg(B32);
        Reg p1 = k.reg(PRED);
        Value m = b32(mask);
        k.shfl(Inst.ShuffleMode.UP, o1, p1, v, u32(1), u32(0), m);
        Reg o2 = k.reg(B32);
        Reg p2 = k.reg(PRED);
        k.shfl(Inst.ShuffleMode.DOWN, o2, p2, o1, u32(3), u32(c), m);
        Reg q1 = k.reg(U32);
        Reg q2 = k.reg(U32);
        k.op(Opcode.SELP, U32, q1, u32(2), u32(0), p1);
        k.op(Opcode.SELP, U32, q2, u32(1), u32(0), p2);
        k.op(Opcode.SHL, U32, r, o2, u32(2));
        k.op(Opcode.ADD, U32, r, r, q1);
        k.op(Opcode.ADD, U32, r, r, q2);
        Reg hi = k.reg(U32);
        k.op(Opcode.SHL, U32, hi, o1, u32(12));
        k.op(Opcode.ADD, U32, r, r, hi);
        k.bra("join");
        k.label("other");
        k.op(Opcode.SHL, U32, r, v, u32(1));
        k.label("join");
        k.st(AddressSpace.GLOBAL, U32, k.index(out, i, 4), 0, r);
        return k.exit().build();
    }

    /**
     * Whole warps (shift 5) take the array copies in the divergent region; with a partial last warp in the region
     * (block 80: warp 2 has 16 threads and is even) the active threads are not whole warps (general path); half warps
     * (shift 4, member mask 0x0000ffff and a clamp of 15, so no lane reads a lane outside the mask) take the
     * general path.
     */
    @ParameterizedTest
    @CsvSource({"5,4294967295,31,128", "5,4294967295,31,80", "5,4294967295,20,256", "4,65535,15,128",
        "4,65535,15,48"})
    void divergentRegions(int shift, long mask, int c, int block) throws Exception {
        int grid = 2;
        int n = grid * block;
        int[] in = new int[n];
        for (int i = 0; i < n; i++) in[i] = i * 11 - 500;
        int[] want = new int[n];
        for (int i = 0; i < n; i++) {
            int t = i % block;
            int lane = t & 31;
            int warpStart = i - lane;
            int warpLanes = Math.min(32, block - (t - lane));
            if (((t >> shift) & 1) != 0) {
                want[i] = in[i] * 2;
                continue;
            }
            // o1 for every lane of this lane's group (the lanes of the warp in the region)
            int j2 = source(Inst.ShuffleMode.DOWN, lane, 3, c);
            boolean p2 = j2 >= 0;
            int srcLane = p2 && j2 < warpLanes ? j2 : lane;
            int o1 = o1(in, warpStart, srcLane);
            boolean p1 = source(Inst.ShuffleMode.UP, lane, 1, 0) >= 0;
            want[i] = o1 * 4 + (p1 ? 2 : 0) + (p2 ? 1 : 0) + o1(in, warpStart, lane) * 4096;
        }
        for (CpuDevice.Engine engine : new CpuDevice.Engine[] {CpuDevice.Engine.LOCKSTEP, CpuDevice.Engine.THREAD}) {
            try (Gpu gpu = gpu(engine)) {
                long din = gpu.upload(in);
                long dout = gpu.alloc(n * 4L);
                gpu.launch(gpu.kernel(divergent(shift, mask, c)), grid, block, din, dout);
                gpu.sync();
                assertArrayEquals(want, gpu.ints(dout, n), engine.toString());
            }
        }
    }

    /** The first shuffle's result at lane {@code l} of the warp starting at {@code w}: up by one. */
    private static int o1(int[] in, int w, int l) {
        return l >= 1 ? in[w + l - 1] : in[w + l];
    }

    /**
     * Nested divergence whose regions end in jumps ({@link KernelCompiler}'s divergent jump past the scheduler when
     * no other thread waits at or below the target): lanes 0..15 {@code v += 11 * shfl.bfly(v, 8)} (mask 0xffff),
     * then, after a jump to where lanes 16..31 wait, every lane {@code v += 13 * shfl.down(v, 16)}; lanes 0..7 of each warp {@code v += shfl.bfly(v, 1)} (mask
     * 0xff); of those, lanes 0..3 {@code v += 3 * shfl.bfly(v, 2)} (mask 0xf) and, in the next block (a jump below
     * every waiting thread), {@code v += 1}; lanes 0..7 again {@code v += 5 * shfl.bfly(v, 4)} (mask 0xff, after a
     * jump to where lanes 4..7 wait); then every lane {@code v += 7 * shfl.down(v, 8)} (full mask, after a jump to
     * where lanes 8..31 wait). A jump that did not wait for the threads at its target would run a shuffle whose
     * mask names lanes still waiting there.
     */
    static Function nested() {
        Ir k = Ir.kernel("nested").param("in", U64).param("out", U64);
        Reg in = k.reg(U64);
        Reg out = k.reg(U64);
        k.ldParam(in, "in").ldParam(out, "out");
        Reg i = k.globalIdX();
        Reg v = WarpTest.input(k, in, i);
        Reg lane = WarpTest.lane(k);
        Reg pa = k.reg(PRED);
        k.setp(Inst.CmpOp.GE, U32, pa, lane, u32(16)).braIf(pa, "mid", "armA");
        k.label("armA");
        shuffleAdd(k, v, Inst.ShuffleMode.BFLY, 8, 11, 0xffff);
        k.bra("mid");
        k.label("mid");
        shuffleAdd(k, v, Inst.ShuffleMode.DOWN, 16, 13, 0xffffffffL);
        Reg p0 = k.reg(PRED);
        k.setp(Inst.CmpOp.GE, U32, p0, lane, u32(8)).braIf(p0, "join", "arm1");
        k.label("arm1");
        shuffleAdd(k, v, Inst.ShuffleMode.BFLY, 1, 1, 0xff);
        Reg p1 = k.reg(PRED);
        k.setp(Inst.CmpOp.GE, U32, p1, lane, u32(4)).braIf(p1, "arm3", "arm2");
        k.label("arm2");
        shuffleAdd(k, v, Inst.ShuffleMode.BFLY, 2, 3, 0xf);
        k.bra("arm2b");
        k.label("arm2b");
        k.op(Opcode.ADD, U32, v, v, u32(1));
        k.bra("arm3");
        k.label("arm3");
        shuffleAdd(k, v, Inst.ShuffleMode.BFLY, 4, 5, 0xff);
        k.bra("join");
        k.label("join");
        shuffleAdd(k, v, Inst.ShuffleMode.DOWN, 8, 7, 0xffffffffL);
        k.st(AddressSpace.GLOBAL, U32, k.index(out, i, 4), 0, v);
        return k.exit().build();
    }

    /** {@code v += factor * shfl.mode(v, b, 0x1f, mask)}. */
    private static void shuffleAdd(Ir k, Reg v, Inst.ShuffleMode mode, int b, int factor, long mask) {
        Reg o = k.reg(B32);
        k.shfl(mode, o, null, v, u32(b), u32(0x1f), b32(mask));
        Reg m = k.reg(U32);
        k.op(Opcode.MUL, U32, m, o, u32(factor));
        k.op(Opcode.ADD, U32, v, v, m);
    }

    @Test
    void nestedDivergenceWithJumps() throws Exception {
        int grid = 2;
        int block = 64;
        int n = grid * block;
        int[] in = new int[n];
        for (int i = 0; i < n; i++) in[i] = i * 29 % 257 - 100;
        int[] want = new int[n];
        for (int w = 0; w < n; w += 32) {
            int[] v = java.util.Arrays.copyOfRange(in, w, w + 32);
            int[] x = v.clone();
            for (int l = 0; l < 16; l++) x[l] = v[l] + 11 * v[l ^ 8];
            v = x.clone();
            for (int l = 0; l < 32; l++) x[l] = v[l] + 13 * (l + 16 <= 31 ? v[l + 16] : v[l]);
            v = x.clone();
            for (int l = 0; l < 8; l++) x[l] = v[l] + v[l ^ 1];
            v = x.clone();
            for (int l = 0; l < 4; l++) x[l] = v[l] + 3 * v[l ^ 2] + 1;
            v = x.clone();
            for (int l = 0; l < 8; l++) x[l] = v[l] + 5 * v[l ^ 4];
            v = x.clone();
            for (int l = 0; l < 32; l++) x[l] = v[l] + 7 * (l + 8 <= 31 ? v[l + 8] : v[l]);
            System.arraycopy(x, 0, want, w, 32);
        }
        for (CpuDevice.Engine engine : new CpuDevice.Engine[] {CpuDevice.Engine.LOCKSTEP, CpuDevice.Engine.THREAD}) {
            try (Gpu gpu = gpu(engine)) {
                long din = gpu.upload(in);
                long dout = gpu.alloc(n * 4L);
                gpu.launch(gpu.kernel(nested()), grid, block, din, dout);
                gpu.sync();
                assertArrayEquals(want, gpu.ints(dout, n), engine.toString());
                if (engine == CpuDevice.Engine.LOCKSTEP) assertEquals(1, gpu.device.lockstepLaunches.sum());
            }
        }
    }

    /**
     * nvcc's scan_block of the benchmark suite (bench/kernels/suite.ptx: five-step warp scan, warp 0 scans the
     * warp totals in a divergent region, two barriers), with a partial last block, against a Java scan.
     */
    @Test
    void suiteScanBlock() throws Exception {
        Path ptx = Path.of(System.getProperty("user.dir")).resolve("../bench/kernels/suite.ptx");
        org.transcuda.ir.Module ir = PtxTranslator.translate("suite.ptx", Files.readString(ptx, StandardCharsets.UTF_8));
        int n = 5 * 256 + 77;
        int blocks = (n + 255) / 256;
        int[] in = new int[n];
        for (int i = 0; i < n; i++) in[i] = (i * 7919) % 1023 - 511;
        int[] want = new int[n];
        int[] wantSums = new int[blocks];
        for (int b = 0; b < blocks; b++) {
            int s = 0;
            for (int i = b * 256; i < b * 256 + 256; i++) {
                if (i < n) {
                    s += in[i];
                    want[i] = s;
                }
            }
            wantSums[b] = s;
        }
        for (CpuDevice.Engine engine : new CpuDevice.Engine[] {CpuDevice.Engine.AUTO, CpuDevice.Engine.THREAD}) {
            try (Gpu gpu = gpu(engine)) {
                BackendFunction f = gpu.ctx.loadModule(ir).function("scan_block");
                long din = gpu.upload(in);
                long dout = gpu.alloc(n * 4L);
                long dsums = gpu.alloc(blocks * 4L);
                gpu.launch(f, blocks, 256, n, din, dout, dsums);
                gpu.sync();
                assertArrayEquals(want, gpu.ints(dout, n), engine + " scan");
                assertArrayEquals(wantSums, gpu.ints(dsums, blocks), engine + " block sums");
                if (engine == CpuDevice.Engine.AUTO) assertEquals(1, gpu.device.lockstepLaunches.sum());
            }
        }
    }
}
