package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.transcuda.backend.cpu.Ir.B32;
import static org.transcuda.backend.cpu.Ir.PRED;
import static org.transcuda.backend.cpu.Ir.U32;
import static org.transcuda.backend.cpu.Ir.U64;
import static org.transcuda.backend.cpu.Ir.b32;
import static org.transcuda.backend.cpu.Ir.u32;

import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.transcuda.ir.AddressSpace;
import org.transcuda.ir.Function;
import org.transcuda.ir.Inst;
import org.transcuda.ir.Opcode;
import org.transcuda.ir.Reg;
import org.transcuda.ir.Special;
import org.transcuda.spi.BackendException;

/**
 * If-conversion in the lockstep engine ({@link IfConversion}): which branches it converts (and which it must not),
 * and kernels whose converted branches run with every thread active, inside loops with barriers, and with only some
 * threads active (inside divergent code), against Java references and the thread engine.
 */
class IfConversionTest {
    private static Gpu gpu(CpuDevice.Engine engine) throws BackendException {
        Gpu g = new Gpu(2);
        g.device.engine(engine);
        return g;
    }

    /**
     * A kernel "A: @p bra T, F" with the given blocks: {@code t} and {@code f} fill T and F (and set their
     * terminators), then block "J" stores the value.
     */
    private static Function shape(Consumer<Ir> t, Consumer<Ir> f) {
        Ir k = Ir.kernel("shape").param("out", U64);
        Reg out = k.reg(U64);
        k.ldParam(out, "out");
        Reg tid = k.reg(U32);
        k.special(tid, Special.TID_X);
        Reg p = k.reg(PRED);
        k.setp(Inst.CmpOp.LT, U32, p, tid, u32(5)).braIf(p, "T", "F");
        k.label("T");
        t.accept(k);
        k.label("F");
        f.accept(k);
        k.label("J");
        k.st(AddressSpace.GLOBAL, U32, k.index(out, tid, 4), 0, tid);
        return k.exit().build();
    }

    private static void work(Ir k, int stmts) {
        Reg r = k.reg(U32);
        for (int i = 0; i < stmts; i++) k.op(Opcode.ADD, U32, r, r, u32(i));
    }

    @Test
    void findsTrianglesAndDiamonds() {
        // triangle on the true side: T falls through to F, which is the join
        Map<String, IfConversion.Arms> m = IfConversion.find(shape(k -> work(k, 3), k -> { }));
        // F falls through to J: F has two predecessors (A and T), so it is the join of A's triangle
        assertEquals(1, m.size(), m.toString());
        IfConversion.Arms a = m.get("entry");
        assertEquals("T", a.ifTrue().label());
        assertNull(a.ifFalse());
        assertEquals("F", a.join());

        // diamond: T and F both jump to J
        m = IfConversion.find(shape(k -> {
            work(k, 2);
            k.bra("J");
        }, k -> work(k, 4)));
        a = m.get("entry");
        assertEquals("T", a.ifTrue().label());
        assertEquals("F", a.ifFalse().label());
        assertEquals("J", a.join());

        // triangle on the false side: F jumps back to T
        Ir k = Ir.kernel("tri").param("out", U64);
        Reg tid = k.reg(U32);
        k.special(tid, Special.TID_X);
        Reg p = k.reg(PRED);
        k.setp(Inst.CmpOp.LT, U32, p, tid, u32(5)).braIf(p, "J", "F");
        k.label("F");
        work(k, 2);
        k.label("J");
        m = IfConversion.find(k.exit().build());
        a = m.get("entry");
        assertNull(a.ifTrue());
        assertEquals("F", a.ifFalse().label());
        assertEquals("J", a.join());
    }

    @Test
    void leavesBranchesThatMustMeetOrThatAreNotShortArms() {
        // an arm with a barrier, with a warp collective, too long, ending the thread
        assertTrue(IfConversion.find(shape(k -> k.bar().bra("J"), k -> work(k, 1))).isEmpty());
        assertTrue(IfConversion.find(shape(k -> {
            Reg r = k.reg(B32);
            k.activemask(r).bra("J");
        }, k -> work(k, 1))).isEmpty());
        assertTrue(IfConversion.find(shape(k -> {
            work(k, IfConversion.MAX_ARM + 1);
            k.bra("J");
        }, k -> work(k, 1))).isEmpty());
        assertTrue(IfConversion.find(shape(k -> k.exit(), k -> work(k, 1))).isEmpty());
        // diamond whose arms go to different blocks
        assertTrue(IfConversion.find(shape(k -> k.bra("X"), k -> {
            k.bra("J");
            k.label("X");
        })).isEmpty());
        // an arm that another block also reaches (here: a loop back to T)
        Ir k = Ir.kernel("twopreds").param("out", U64);
        Reg tid = k.reg(U32);
        k.special(tid, Special.TID_X);
        Reg p = k.reg(PRED);
        k.setp(Inst.CmpOp.LT, U32, p, tid, u32(5)).braIf(p, "T", "J");
        k.label("T");
        work(k, 1);
        k.bra("J");
        k.label("J");
        k.op(Opcode.ADD, U32, tid, tid, u32(1));
        k.setp(Inst.CmpOp.LT, U32, p, tid, u32(3)).braIf(p, "T", "E");
        k.label("E");
        assertTrue(IfConversion.find(k.exit().build()).isEmpty());
        // both targets the same block
        Ir s = Ir.kernel("same").param("out", U64);
        Reg t2 = s.reg(U32);
        s.special(t2, Special.TID_X);
        Reg q = s.reg(PRED);
        s.setp(Inst.CmpOp.LT, U32, q, t2, u32(5)).braIf(q, "T", "T");
        s.label("T");
        assertTrue(IfConversion.find(s.exit().build()).isEmpty());
    }

    /**
     * Per block, a shared-memory tree sum: s[tid] = in[gid]; bar; for (stride = ntid / 2; stride > 0; stride >>= 1)
     * { if (tid < stride) s[tid] += s[tid + stride]; bar; } then thread 0 stores s[0]. The if is a converted
     * triangle inside a loop with barriers (all threads active).
     */
    static Function treeSum() {
        Ir k = Ir.kernel("treesum").param("in", U64).param("out", U64);
        Reg in = k.reg(U64);
        Reg out = k.reg(U64);
        k.ldParam(in, "in").ldParam(out, "out");
        Reg gid = k.globalIdX();
        Reg tid = k.reg(U32);
        Reg ntid = k.reg(U32);
        Reg ctaid = k.reg(U32);
        k.special(tid, Special.TID_X).special(ntid, Special.NTID_X).special(ctaid, Special.CTAID_X);
        Reg v = WarpTest.input(k, in, gid);
        Reg sa = k.reg(U32);
        k.op(Opcode.MUL, U32, sa, tid, u32(4));
        k.st(AddressSpace.SHARED, U32, sa, 0, v);
        k.bar();
        Reg stride = k.reg(U32);
        k.op(Opcode.SHR, U32, stride, ntid, u32(1));
        k.label("loop");
        Reg skip = k.reg(PRED);
        k.setp(Inst.CmpOp.GE, U32, skip, tid, stride).braIf(skip, "join", "add");
        k.label("add");
        Reg oa = k.reg(U32);
        k.op(Opcode.MAD, U32, oa, stride, u32(4), sa);
        Reg x = k.reg(U32);
        Reg y = k.reg(U32);
        k.ld(AddressSpace.SHARED, U32, x, sa, 0);
        k.ld(AddressSpace.SHARED, U32, y, oa, 0);
        k.op(Opcode.ADD, U32, x, x, y);
        k.st(AddressSpace.SHARED, U32, sa, 0, x);
        k.label("join");
        k.bar();
        k.op(Opcode.SHR, U32, stride, stride, u32(1));
        Reg more = k.reg(PRED);
        k.setp(Inst.CmpOp.NE, U32, more, stride, u32(0)).braIf(more, "loop", "tail");
        k.label("tail");
        Reg notFirst = k.reg(PRED);
        k.setp(Inst.CmpOp.NE, U32, notFirst, tid, u32(0)).braIf(notFirst, "end", "first");
        k.label("first");
        Reg s0 = k.reg(U32);
        Reg zero = k.reg(U32);
        k.mov(zero, u32(0)); // block-uniform: computed once before the arm's loop
        k.ld(AddressSpace.SHARED, U32, s0, zero, 0);
        k.st(AddressSpace.GLOBAL, U32, k.index(out, ctaid, 4), 0, s0);
        k.label("end");
        return k.exit().build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"THREAD", "LOCKSTEP", "AUTO"})
    void convertedTrianglesInALoopWithBarriers(String engine) throws Exception {
        Map<String, IfConversion.Arms> arms = IfConversion.find(treeSum());
        assertEquals(2, arms.size(), arms.toString()); // the tree step and thread 0's store
        assertEquals("add", arms.get("loop").ifFalse().label());
        try (Gpu gpu = gpu(CpuDevice.Engine.valueOf(engine))) {
            int blocks = 5;
            int ntid = 256;
            int[] in = new int[blocks * ntid];
            for (int i = 0; i < in.length; i++) in[i] = i * 2654435 + 17;
            long din = gpu.upload(in);
            long dout = gpu.alloc(blocks * 4L);
            gpu.launch(gpu.kernel(treeSum()), org.transcuda.cuda.Dim3.of(blocks), org.transcuda.cuda.Dim3.of(ntid),
                    ntid * 4, din, dout);
            gpu.sync();
            int[] expect = new int[blocks];
            for (int b = 0; b < blocks; b++) for (int t = 0; t < ntid; t++) expect[b] += in[b * ntid + t];
            assertArrayEquals(expect, gpu.ints(dout, blocks));
            assertEquals(engine.equals("THREAD") ? 0 : 1, gpu.device.lockstepLaunches.sum());
        }
    }

    /**
     * if (lane < 20) { w = activemask; if (tid odd) { v = v * 3 + tid; @(tid > 40) v += 1000; } } else
     * { v ^= 0x55; } out = v + w. The outer branch has a warp collective in an arm (not converted: its lanes must
     * meet); the inner one is converted and runs with only the lanes below 20 active.
     */
    static Function nested() {
        Ir k = Ir.kernel("nested").param("in", U64).param("out", U64);
        Reg in = k.reg(U64);
        Reg out = k.reg(U64);
        k.ldParam(in, "in").ldParam(out, "out");
        Reg gid = k.globalIdX();
        Reg tid = k.reg(U32);
        k.special(tid, Special.TID_X);
        Reg v = WarpTest.input(k, in, gid);
        Reg lane = WarpTest.lane(k);
        Reg w = k.reg(B32);
        k.mov(w, b32(0));
        Reg low = k.reg(PRED);
        k.setp(Inst.CmpOp.LT, U32, low, lane, u32(20)).braIf(low, "low", "high");
        k.label("low");
        k.activemask(w);
        Reg odd = k.reg(U32);
        k.op(Opcode.AND, U32, odd, tid, u32(1));
        Reg even = k.reg(PRED);
        k.setp(Inst.CmpOp.EQ, U32, even, odd, u32(0)).braIf(even, "lowjoin", "triple");
        k.label("triple");
        k.op(Opcode.MAD, U32, v, v, u32(3), tid);
        Reg big = k.reg(PRED);
        k.setp(Inst.CmpOp.GT, U32, big, tid, u32(40));
        k.when(big).op(Opcode.ADD, U32, v, v, u32(1000));
        k.label("lowjoin");
        k.bra("join");
        k.label("high");
        k.op(Opcode.XOR, U32, v, v, u32(0x55));
        k.label("join");
        Reg r = k.reg(U32);
        k.op(Opcode.ADD, U32, r, v, w);
        k.st(AddressSpace.GLOBAL, U32, k.index(out, gid, 4), 0, r);
        return k.exit().build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"THREAD", "LOCKSTEP"})
    void convertedBranchInsideDivergentCodeAndPartialWarps(String engine) throws Exception {
        Map<String, IfConversion.Arms> arms = IfConversion.find(nested());
        assertEquals(java.util.Set.of("low"), arms.keySet());
        try (Gpu gpu = gpu(CpuDevice.Engine.valueOf(engine))) {
            int blocks = 3;
            int ntid = 80; // the last warp has 16 lanes
            int n = blocks * ntid;
            int[] in = new int[n];
            for (int i = 0; i < n; i++) in[i] = i * 7919 - 123;
            long din = gpu.upload(in);
            long dout = gpu.alloc(n * 4L);
            gpu.launch(gpu.kernel(nested()), blocks, ntid, din, dout);
            gpu.sync();
            int[] expect = new int[n];
            for (int b = 0; b < blocks; b++) {
                for (int t = 0; t < ntid; t++) {
                    int lane = t % 32;
                    int lanes = Math.min(32, ntid - (t - lane));
                    int v = in[b * ntid + t];
                    int w = 0;
                    if (lane < 20) {
                        w = (1 << Math.min(20, lanes)) - 1;
                        if ((t & 1) != 0) {
                            v = v * 3 + t;
                            if (t > 40) v += 1000;
                        }
                    } else {
                        v ^= 0x55;
                    }
                    expect[b * ntid + t] = v + w;
                }
            }
            assertArrayEquals(expect, gpu.ints(dout, n));
            assertEquals(engine.equals("LOCKSTEP") ? 1 : 0, gpu.device.lockstepLaunches.sum());
        }
    }
}
