package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.transcuda.cuda.Dim3;
import org.transcuda.ir.AddressSpace;
import org.transcuda.ir.Inst;
import org.transcuda.ir.Module;
import org.transcuda.ir.Opcode;
import org.transcuda.ir.Reg;
import org.transcuda.ir.Special;
import org.transcuda.ptx.PtxTranslator;
import org.transcuda.spi.BackendFunction;

/**
 * How blocks with warp collectives and barriers are scheduled: collectives completed within a round (the warp
 * runs on at once) must not starve other warps, and mixing them with barriers and partial warps stays exact.
 * Kernels: {@code src/test/resources/kernels/scheduling.cu} (nvcc's PTX next to it).
 */
class SchedulingTest {
    static Module ptx(String name) throws IOException {
        try (InputStream in = SchedulingTest.class.getResourceAsStream("/kernels/" + name)) {
            return PtxTranslator.translate(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    static BackendFunction kernel(Gpu gpu, String file, String name) throws Exception {
        return gpu.ctx.loadModule(ptx(file)).function(name);
    }

    @Test
    void warpSpinningOnAnotherWarpTerminates() throws Exception {
        try (Gpu gpu = new Gpu(2)) {
            BackendFunction f = kernel(gpu, "scheduling.ptx", "warp_spin");
            long out = gpu.alloc(64 * 4);
            gpu.launch(f, 1, 64, out);
            gpu.sync();
            int[] want = new int[64];
            for (int t = 0; t < 64; t++) want[t] = t < 32 ? 42 : 1;
            assertArrayEquals(want, gpu.ints(out, 64));
        }
    }

    @Test
    void shufflesThenBarrierWithPartialWarps() throws Exception {
        int blocks = 3;
        for (int n : new int[] {32, 80, 256}) {
            try (Gpu gpu = new Gpu(2)) {
                BackendFunction f = kernel(gpu, "scheduling.ptx", "warp_then_barrier");
                long out = gpu.alloc((long) blocks * n * 4);
                gpu.launch(f, Dim3.of(blocks), Dim3.of(n), 0, out);
                gpu.sync();
                int warps = (n + 31) / 32;
                int[] total = new int[warps];
                for (int t = 0; t < n; t++) total[t >> 5] += t;
                int[] want = new int[blocks * n];
                for (int b = 0; b < blocks; b++) {
                    for (int t = 0; t < n; t++) {
                        int w = t >> 5;
                        int v = 0;
                        for (int j = w * 32; j <= t; j++) v += j;
                        int other = (w ^ 1) < warps ? w ^ 1 : 0;
                        want[b * n + t] = v * 1000 + total[other];
                    }
                }
                assertArrayEquals(want, gpu.ints(out, blocks * n), "block size " + n);
            }
        }
    }


    @Test
    void deviceFunctionsWithBarriersAndShufflesAreInlined() throws Exception {
        int blocks = 4;
        int k = 3;
        for (int n : new int[] {64, 256}) {
            try (Gpu gpu = new Gpu(2)) {
                BackendFunction f = kernel(gpu, "scheduling.ptx", "call_barrier");
                int[] in = new int[blocks * n];
                for (int i = 0; i < in.length; i++) in[i] = (i * 7919) % 1000 - 500;
                long din = gpu.upload(in);
                long out = gpu.alloc((long) blocks * n * 4);
                gpu.launch(f, Dim3.of(blocks), Dim3.of(n), 0, din, out, k);
                gpu.sync();
                int[] want = new int[blocks * n];
                for (int b = 0; b < blocks; b++) {
                    int s1 = 0, s2 = 0;
                    for (int t = 0; t < n; t++) {
                        int v = in[b * n + t];
                        s1 += v * (k & 7);
                        s2 += (v * 2 + 1) * ((k + 1) & 7);
                    }
                    for (int t = 0; t < n; t++) want[b * n + t] = s1 * 3 + ((b & 1) != 0 ? s2 : 0);
                }
                assertArrayEquals(want, gpu.ints(out, blocks * n), "block size " + n);
            }
        }
    }

    /** A device function with a barrier called under a guard and under a negated guard (block-uniform). */
    @Test
    void guardedCallsOfBarrierFunctions() throws Exception {
        Ir dev = Ir.func("plus_one_synced");
        Reg x = dev.arg(Ir.U32);
        Reg y = dev.result(Ir.U32);
        dev.bar();
        dev.op(Opcode.ADD, Ir.U32, y, x, Ir.u32(1));
        dev.ret();

        Ir k = Ir.kernel("guarded").param("out", Ir.U64);
        Reg out = k.reg(Ir.U64);
        k.ldParam(out, "out");
        Reg i = k.globalIdX();
        Reg tid = k.reg(Ir.U32);
        k.special(tid, Special.TID_X);
        Reg cta = k.reg(Ir.U32);
        k.special(cta, Special.CTAID_X);
        Reg odd = k.reg(Ir.U32);
        k.op(Opcode.AND, Ir.B32, odd, cta, Ir.b32(1));
        Reg p = k.reg(Ir.PRED);
        k.setp(Inst.CmpOp.NE, Ir.U32, p, odd, Ir.u32(0));
        Reg r1 = k.reg(Ir.U32);
        Reg r2 = k.reg(Ir.U32);
        Reg twice = k.reg(Ir.U32);
        k.add(new Inst.Mov(r1, Ir.u32(7)));
        k.add(new Inst.Mov(r2, Ir.u32(9)));
        k.op(Opcode.ADD, Ir.U32, twice, tid, tid);
        k.when(p).call("plus_one_synced", List.of(r1), tid);
        k.when(p, true).call("plus_one_synced", List.of(r2), twice);
        Reg v = k.reg(Ir.U32);
        k.op(Opcode.MAD, Ir.U32, v, r1, Ir.u32(1000), r2);
        k.st(AddressSpace.GLOBAL, Ir.U32, k.index(out, i, 4), 0, v);

        int blocks = 4, n = 96;
        try (Gpu gpu = new Gpu(2)) {
            BackendFunction f = gpu.module(List.of(k.build(), dev.build())).function("guarded");
            long dout = gpu.alloc((long) blocks * n * 4);
            gpu.launch(f, Dim3.of(blocks), Dim3.of(n), 0, dout);
            gpu.sync();
            int[] want = new int[blocks * n];
            for (int b = 0; b < blocks; b++) {
                for (int t = 0; t < n; t++) {
                    boolean isOdd = (b & 1) != 0;
                    want[b * n + t] = (isOdd ? t + 1 : 7) * 1000 + (isOdd ? 9 : 2 * t + 1);
                }
            }
            assertArrayEquals(want, gpu.ints(dout, blocks * n));
        }
    }
}
