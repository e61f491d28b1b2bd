package org.transcuda.backend.vulkan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.transcuda.cuda.Dim3;
import org.transcuda.ptx.PtxTranslator;
import org.transcuda.spi.BackendFunction;
import org.transcuda.spi.BackendModule;
import org.transcuda.spi.LaunchConfig;

/**
 * Back-to-back warp exchanges: a shuffle synchronizes the block once and alternates between two exchange words per
 * thread (SpirvCodegen's class comment), so a shuffle in a loop, and a redux or match right after a shuffle, must
 * never read a word that a thread running ahead has already overwritten. lavapipe runs a block's 8-lane groups one
 * after the other between barriers, so reuse of the wrong word shows deterministically. Expected values: a Java
 * model of the warp.
 */
class ShuffleSequenceTest extends ContextTest {
    private static final String PTX = """
            .version 9.0
            .target sm_80
            .address_size 64
            .visible .entry seq(.param .u64 p_in, .param .u64 p_out, .param .u32 p_iters)
            {
                .reg .pred %p<3>;
                .reg .b32 %r<20>;
                .reg .b64 %rd<8>;
                ld.param.u64 %rd1, [p_in];
                ld.param.u64 %rd2, [p_out];
                ld.param.u32 %r10, [p_iters];
                mov.u32 %r1, %tid.x;
                mul.wide.u32 %rd3, %r1, 4;
                add.s64 %rd4, %rd1, %rd3;
                ld.global.u32 %r2, [%rd4];
                mov.u32 %r11, 0;
                mov.u32 %r12, 1;
            LOOP:
                shfl.sync.bfly.b32 %r3, %r2, %r12, 31, -1;
                add.s32 %r2, %r2, %r3;
                shl.b32 %r12, %r12, 1;
                add.s32 %r11, %r11, 1;
                setp.lt.u32 %p1, %r11, %r10;
                @%p1 bra LOOP;
                ld.global.u32 %r4, [%rd4];
                shfl.sync.down.b32 %r13, %r4, 2, 31, -1;
                redux.sync.add.s32 %r5, %r4, -1;
                shfl.sync.idx.b32 %r6, %r4, 0, 31, -1;
                and.b32 %r7, %r4, 3;
                match.any.sync.b32 %r8, %r7, -1;
                shfl.sync.up.b32 %r9, %r4, 1, 0, -1;
                add.s32 %r9, %r9, %r13;
                mul.wide.u32 %rd5, %r1, 20;
                add.s64 %rd6, %rd2, %rd5;
                st.global.u32 [%rd6], %r2;
                st.global.u32 [%rd6+4], %r5;
                st.global.u32 [%rd6+8], %r6;
                st.global.u32 [%rd6+12], %r8;
                st.global.u32 [%rd6+16], %r9;
                ret;
            }
            """;

    @ParameterizedTest
    @ValueSource(ints = {32, 128, 256})
    void exchangesInALoopAndBackToBackMatchTheWarpModel(int threads) throws Exception {
        BackendModule m = ctx.loadModule(PtxTranslator.translate("seq.ptx", PTX));
        try {
            int[] in = new int[threads];
            Random rnd = new Random(threads);
            for (int t = 0; t < threads; t++) in[t] = rnd.nextInt(1000);
            long din = Gpu.upload(ctx, stream, in);
            long dout = ctx.allocate(20L * threads);
            BackendFunction f = m.function("seq");
            var args = new Args(f.ir().params()).u64("p_in", din).u64("p_out", dout).u32("p_iters", 5).segment;
            stream.launch(f, new LaunchConfig(Dim3.of(1), Dim3.of(threads), 0), args);
            int[] out = Gpu.download(stream, dout, 5 * threads);
            for (int t = 0; t < threads; t++) {
                int lane = t & 31, base = t - lane;
                int sum = 0, match = 0;
                for (int l = 0; l < 32; l++) {
                    sum += in[base + l];
                    if ((in[base + l] & 3) == (in[t] & 3)) match |= 1 << l;
                }
                int up = lane >= 1 ? in[t - 1] : in[t];
                int down = lane + 2 <= 31 ? in[t + 2] : in[t];
                assertEquals(sum, out[5 * t], "butterfly loop sum, thread " + t);
                assertEquals(sum, out[5 * t + 1], "redux.add after a shuffle, thread " + t);
                assertEquals(in[base], out[5 * t + 2], "shfl.idx after a redux, thread " + t);
                assertEquals(match, out[5 * t + 3], "match.any after a shuffle, thread " + t);
                assertEquals(up + down, out[5 * t + 4], "shfl.up after a match (+ shfl.down), thread " + t);
            }
        } finally {
            m.close();
        }
    }
}
