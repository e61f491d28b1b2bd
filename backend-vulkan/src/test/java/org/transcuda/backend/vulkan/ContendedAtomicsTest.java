package org.transcuda.backend.vulkan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.transcuda.cuda.Dim3;
import org.transcuda.ptx.PtxTranslator;
import org.transcuda.spi.BackendFunction;
import org.transcuda.spi.BackendModule;
import org.transcuda.spi.LaunchConfig;

/**
 * Atomics emulated by compare-and-swap loops (shared add.f32, global add.f64) and the locked 64-bit shared add, with
 * every thread adding 1 to the same word: the old values the threads get back must be 0..n-1 (each once), the
 * final value n. (On lavapipe the loops' results once came out 0 for lanes that finished before others.)
 */
class ContendedAtomicsTest extends ContextTest {
    private static final String PTX = """
            .version 9.0
            .target sm_80
            .address_size 64
            .visible .entry contend(.param .u64 pout, .param .u64 pg)
            {
                .reg .pred %p<4>;
                .reg .b32 %r<10>;
                .reg .f32 %f<4>;
                .reg .f64 %fd<4>;
                .reg .b64 %rd<30>;
                .shared .align 8 .f32 s[2];
                .shared .align 8 .b64 s64[1];
                ld.param.u64 %rd2, [pout];
                ld.param.u64 %rd3, [pg];
                mov.u32 %r1, %tid.x;
                mov.u32 %r2, %ntid.x;
                setp.ne.u32 %p1, %r1, 0;
                @%p1 bra INIT_DONE;
                mov.f32 %f3, 0f00000000;
                st.shared.f32 [s], %f3;
                mov.u64 %rd5, 0;
                st.shared.u64 [s64], %rd5;
            INIT_DONE:
                bar.sync 0;
                mov.f32 %f1, 0f3F800000;
                atom.shared.add.f32 %f2, [s], %f1;
                cvt.rzi.u64.f32 %rd7, %f2;
                mul.wide.u32 %rd4, %r1, 8;
                add.s64 %rd9, %rd2, %rd4;
                st.global.u64 [%rd9], %rd7;
                mov.f64 %fd1, 0d3FF0000000000000;
                atom.global.add.f64 %fd2, [%rd3], %fd1;
                cvt.rzi.u64.f64 %rd8, %fd2;
                mul.wide.u32 %rd10, %r2, 8;
                add.s64 %rd11, %rd9, %rd10;
                st.global.u64 [%rd11], %rd8;
                mov.u64 %rd12, 1;
                atom.shared.add.u64 %rd13, [s64], %rd12;
                add.s64 %rd14, %rd11, %rd10;
                st.global.u64 [%rd14], %rd13;
                ret;
            }
            .func (.param .b32 old) casfn(.param .b64 a, .param .b32 cmp, .param .b32 val)
            {
                .reg .b32 %r<4>;
                .reg .b64 %rd<2>;
                ld.param.u64 %rd1, [a];
                ld.param.u32 %r1, [cmp];
                ld.param.u32 %r2, [val];
                atom.global.cas.b32 %r3, [%rd1], %r1, %r2;
                st.param.b32 [old], %r3;
                ret;
            }
            .visible .entry ticketsCall(.param .u64 pout, .param .u64 pg)
            {
                .reg .pred %p<4>;
                .reg .b32 %r<20>;
                .reg .b64 %rd<30>;
                ld.param.u64 %rd2, [pout];
                ld.param.u64 %rd3, [pg];
                mov.u32 %r1, %tid.x;
            GLOOP:
                ld.volatile.global.u32 %r13, [%rd3];
                add.s32 %r14, %r13, 1;
                {
                .param .b64 a0;
                .param .b32 a1;
                .param .b32 a2;
                .param .b32 rv;
                st.param.b64 [a0], %rd3;
                st.param.b32 [a1], %r13;
                st.param.b32 [a2], %r14;
                call (rv), casfn, (a0, a1, a2);
                ld.param.b32 %r15, [rv];
                }
                setp.ne.s32 %p3, %r15, %r13;
                @%p3 bra GLOOP;
                mul.wide.u32 %rd4, %r1, 4;
                add.s64 %rd9, %rd2, %rd4;
                st.global.u32 [%rd9], %r13;
                ret;
            }
            .visible .entry tickets(.param .u64 pout, .param .u64 pg)
            {
                .reg .pred %p<4>;
                .reg .b32 %r<20>;
                .reg .b64 %rd<30>;
                .shared .align 8 .b32 s[2];
                ld.param.u64 %rd2, [pout];
                ld.param.u64 %rd3, [pg];
                mov.u32 %r1, %tid.x;
                mov.u32 %r2, %ntid.x;
                setp.ne.u32 %p1, %r1, 0;
                @%p1 bra INIT_DONE;
                mov.u32 %r3, 0;
                st.shared.u32 [s], %r3;
            INIT_DONE:
                bar.sync 0;
            LOOP:
                ld.volatile.shared.u32 %r10, [s];
                add.s32 %r11, %r10, 1;
                atom.shared.cas.b32 %r12, [s], %r10, %r11;
                setp.ne.s32 %p2, %r12, %r10;
                @%p2 bra LOOP;
                mul.wide.u32 %rd4, %r1, 4;
                add.s64 %rd9, %rd2, %rd4;
                st.global.u32 [%rd9], %r10;
            GLOOP:
                ld.volatile.global.u32 %r13, [%rd3];
                add.s32 %r14, %r13, 1;
                atom.global.cas.b32 %r15, [%rd3], %r13, %r14;
                setp.ne.s32 %p3, %r15, %r13;
                @%p3 bra GLOOP;
                mul.wide.u32 %rd10, %r2, 4;
                add.s64 %rd11, %rd9, %rd10;
                st.global.u32 [%rd11], %r13;
                ret;
            }
            """;

    /** A user-level compare-and-swap retry loop (shared and global) hands out tickets 0..n-1, each once. */
    @ParameterizedTest
    @ValueSource(ints = {8, 64, 256})
    void casRetryLoopsHandOutEachTicketOnce(int n) throws Exception {
        BackendModule m = ctx.loadModule(PtxTranslator.translate("contend.ptx", PTX));
        try {
            long out = ctx.allocate(4L * 2 * n);
            long g = ctx.allocate(16);
            stream.copyHostToDevice(g, MemorySegment.ofArray(new int[4]));
            BackendFunction f = m.function("tickets");
            MemorySegment args = new Args(f.ir().params()).u64("pout", out).u64("pg", g).segment;
            stream.launch(f, new LaunchConfig(Dim3.of(1), Dim3.of(n), 0), args);
            int[] got = new int[2 * n];
            stream.copyDeviceToHost(MemorySegment.ofArray(got), out);
            stream.synchronize();
            int[] want = new int[n];
            for (int i = 0; i < n; i++) want[i] = i;
            for (int k = 0; k < 2; k++) {
                int[] t = Arrays.copyOfRange(got, k * n, (k + 1) * n);
                Arrays.sort(t);
                assertEquals(Arrays.toString(want), Arrays.toString(t), k == 0 ? "shared" : "global");
            }
        } finally {
            m.close();
        }
    }

    /** The same global retry loop with the compare-and-swap in a called device function. */
    @ParameterizedTest
    @ValueSource(ints = {8, 64, 256})
    void casInACalledFunctionHandsOutEachTicketOnce(int n) throws Exception {
        BackendModule m = ctx.loadModule(PtxTranslator.translate("contend.ptx", PTX));
        try {
            long out = ctx.allocate(4L * n);
            long g = ctx.allocate(16);
            stream.copyHostToDevice(g, MemorySegment.ofArray(new int[4]));
            BackendFunction f = m.function("ticketsCall");
            MemorySegment args = new Args(f.ir().params()).u64("pout", out).u64("pg", g).segment;
            stream.launch(f, new LaunchConfig(Dim3.of(1), Dim3.of(n), 0), args);
            int[] got = new int[n];
            stream.copyDeviceToHost(MemorySegment.ofArray(got), out);
            stream.synchronize();
            int[] want = new int[n];
            for (int i = 0; i < n; i++) want[i] = i;
            Arrays.sort(got);
            assertEquals(Arrays.toString(want), Arrays.toString(got));
        } finally {
            m.close();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 64, 256})
    void oldValuesArePermutations(int n) throws Exception {
        BackendModule m = ctx.loadModule(PtxTranslator.translate("contend.ptx", PTX));
        try {
            long out = ctx.allocate(8L * 3 * n);
            long g = ctx.allocate(16);
            stream.copyHostToDevice(g, MemorySegment.ofArray(new double[] {0, 0}));
            BackendFunction f = m.function("contend");
            MemorySegment args = new Args(f.ir().params()).u64("pout", out).u64("pg", g).segment;
            stream.launch(f, new LaunchConfig(Dim3.of(1), Dim3.of(n), 0), args);
            long[] got = new long[3 * n];
            stream.copyDeviceToHost(MemorySegment.ofArray(got), out);
            double[] gf = new double[2];
            stream.copyDeviceToHost(MemorySegment.ofArray(gf), g);
            stream.synchronize();
            long[] want = new long[n];
            for (int i = 0; i < n; i++) want[i] = i;
            String[] names = {"atom.shared.add.f32", "atom.global.add.f64", "atom.shared.add.u64"};
            for (int k = 0; k < 3; k++) {
                long[] olds = Arrays.copyOfRange(got, k * n, (k + 1) * n);
                Arrays.sort(olds);
                assertEquals(Arrays.toString(want), Arrays.toString(olds), names[k]);
            }
            assertEquals(n, gf[0], "final global f64");
        } finally {
            m.close();
        }
    }
}
