package org.transcuda.backend.vulkan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.transcuda.cuda.Dim3;
import org.transcuda.ptx.PtxTranslator;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;
import org.transcuda.spi.BackendModule;
import org.transcuda.spi.LaunchConfig;

/**
 * The shared-memory warp emulation with warps that are not full (blocks whose thread count is not a multiple
 * of 32, and 2-D blocks, where lanes follow the linear thread id), against a Java model of the 32-lane rules:
 * ballot of the odd lanes, {@code shfl.down} by 3 with the clamp at 31 (a source lane past the end of a partial
 * warp reads the thread's own value, as the CPU backend does), {@code activemask}, and {@code %laneid}.
 */
class WarpEmulationTest extends ContextTest {
    private static final String PTX = """
            .version 8.0
            .target sm_80
            .address_size 64
            .visible .entry warp_partial(.param .u64 p_out)
            {
                .reg .pred %p<3>;
                .reg .b32 %r<16>;
                .reg .b64 %rd<4>;
                ld.param.u64 %rd1, [p_out];
                mov.u32 %r1, %tid.x;
                mov.u32 %r8, %tid.y;
                mov.u32 %r9, %ntid.x;
                mad.lo.s32 %r1, %r8, %r9, %r1;
                and.b32 %r2, %r1, 1;
                setp.eq.u32 %p1, %r2, 1;
                vote.sync.ballot.b32 %r3, %p1, -1;
                mul.lo.s32 %r4, %r1, 10;
                shfl.sync.down.b32 %r5|%p2, %r4, 3, 31, -1;
                activemask.b32 %r6;
                selp.u32 %r7, 1, 0, %p2;
                mov.u32 %r10, %laneid;
                mul.wide.u32 %rd2, %r1, 20;
                add.s64 %rd3, %rd1, %rd2;
                st.global.u32 [%rd3], %r3;
                st.global.u32 [%rd3+4], %r5;
                st.global.u32 [%rd3+8], %r7;
                st.global.u32 [%rd3+12], %r6;
                st.global.u32 [%rd3+16], %r10;
                ret;
            }
            .visible .entry warp_divergent(.param .u64 p_out)
            {
                .reg .pred %p<3>;
                .reg .b32 %r<16>;
                .reg .b64 %rd<4>;
                ld.param.u64 %rd1, [p_out];
                mov.u32 %r1, %tid.x;
                mov.u32 %r4, %r1;
                setp.ge.u32 %p1, %r1, 32;
                @%p1 bra DONE;
                shfl.sync.down.b32 %r4, %r1, 1, 31, -1;
            DONE:
                mul.wide.u32 %rd2, %r1, 4;
                add.s64 %rd3, %rd1, %rd2;
                st.global.u32 [%rd3], %r4;
                ret;
            }
            .func (.param .b32 res) warp_sum(.param .b32 a)
            {
                .reg .b32 %s<4>;
                ld.param.b32 %s1, [a];
                shfl.sync.bfly.b32 %s2, %s1, 1, 31, -1;
                add.s32 %s3, %s1, %s2;
                st.param.b32 [res], %s3;
                ret;
            }
            .func (.param .b32 res) warp_sum_local(.param .b32 a)
            {
                .local .align 4 .b8 buf[8];
                .reg .b32 %s<6>;
                .reg .b64 %sd<2>;
                ld.param.b32 %s1, [a];
                st.local.u32 [buf+4], %s1;
                ld.local.u32 %s4, [buf+4];
                shfl.sync.bfly.b32 %s2, %s4, 2, 31, -1;
                add.s32 %s3, %s4, %s2;
                st.param.b32 [res], %s3;
                ret;
            }
            .visible .entry warp_divergent_call_local(.param .u64 p_out)
            {
                .local .align 4 .b8 buf[8];
                .reg .pred %p<3>;
                .reg .b32 %r<16>;
                .reg .b64 %rd<4>;
                ld.param.u64 %rd1, [p_out];
                mov.u32 %r1, %tid.x;
                st.local.u32 [buf+4], 1000;
                mov.u32 %r4, %r1;
                setp.ge.u32 %p1, %r1, 32;
                @%p1 bra DONE;
                {
                .param .b32 pa;
                .param .b32 pr;
                st.param.b32 [pa], %r1;
                call.uni (pr), warp_sum_local, (pa);
                ld.param.b32 %r4, [pr];
                }
            DONE:
                ld.local.u32 %r5, [buf+4];
                add.s32 %r4, %r4, %r5;
                mul.wide.u32 %rd2, %r1, 4;
                add.s64 %rd3, %rd1, %rd2;
                st.global.u32 [%rd3], %r4;
                ret;
            }
            .visible .entry warp_divergent_call(.param .u64 p_out)
            {
                .reg .pred %p<3>;
                .reg .b32 %r<16>;
                .reg .b64 %rd<4>;
                ld.param.u64 %rd1, [p_out];
                mov.u32 %r1, %tid.x;
                mov.u32 %r4, %r1;
                setp.ge.u32 %p1, %r1, 32;
                @%p1 bra DONE;
                {
                .param .b32 pa;
                .param .b32 pr;
                st.param.b32 [pa], %r1;
                call.uni (pr), warp_sum, (pa);
                ld.param.b32 %r4, [pr];
                }
            DONE:
                mul.wide.u32 %rd2, %r1, 4;
                add.s64 %rd3, %rd1, %rd2;
                st.global.u32 [%rd3], %r4;
                ret;
            }
            """;

    /**
     * {@code s[tid] = v; __syncwarp(); v = s[tid ^ 31]}: each lane reads the value of the lane mirrored in its
     * warp, which lies in another subgroup on a device whose subgroups are narrower than 32 (8 on lavapipe), so
     * only a barrier that covers the whole warp makes the stores visible in time.
     */
    private static final String EXCHANGE_PTX = """
            .version 8.0
            .target sm_80
            .address_size 64
            .visible .entry warp_exchange(.param .u64 p_out)
            {
                .reg .b32 %r<16>;
                .reg .b64 %rd<4>;
                .shared .align 4 .b32 sbuf[256];
                ld.param.u64 %rd1, [p_out];
                mov.u32 %r1, %tid.x;
                mov.u32 %r10, %ctaid.x;
                mov.u32 %r11, %ntid.x;
                mad.lo.s32 %r12, %r10, %r11, %r1;
                mad.lo.s32 %r2, %r12, 7, 3;
                mov.u32 %r3, sbuf;
                shl.b32 %r4, %r1, 2;
                add.s32 %r5, %r3, %r4;
                st.shared.u32 [%r5], %r2;
                bar.warp.sync -1;
                xor.b32 %r6, %r1, 31;
                shl.b32 %r7, %r6, 2;
                add.s32 %r8, %r3, %r7;
                ld.shared.u32 %r9, [%r8];
                mul.wide.u32 %rd2, %r12, 4;
                add.s64 %rd3, %rd1, %rd2;
                st.global.u32 [%rd3], %r9;
                ret;
            }
            """;

    @ParameterizedTest
    @CsvSource({"40,1", "20,2", "32,3", "7,1", "96,1"})
    void partialWarpsFollowTheLaneRules(int bx, int by) throws Exception {
        BackendModule m = ctx.loadModule(PtxTranslator.translate("warp.ptx", PTX));
        try {
            int threads = bx * by;
            long d = ctx.allocate(20L * threads);
            BackendFunction f = m.function("warp_partial");
            MemorySegment args = new Args(f.ir().params()).u64("p_out", d).segment;
            stream.launch(f, new LaunchConfig(Dim3.of(2), new Dim3(bx, by, 1), 0), args);
            int[] out = Gpu.download(stream, d, 5 * threads);
            for (int t = 0; t < threads; t++) {
                int lane = t & 31;
                int base = t - lane;
                int present = Math.min(32, threads - base);
                int presentMask = present == 32 ? -1 : (1 << present) - 1;
                int ballot = 0xAAAA_AAAA & presentMask;
                int j = lane + 3;
                boolean valid = j <= 31;
                int src = valid && j < present ? base + j : t;
                assertEquals(ballot, out[5 * t], "ballot of thread " + t);
                assertEquals(src * 10, out[5 * t + 1], "shfl.down of thread " + t);
                assertEquals(valid ? 1 : 0, out[5 * t + 2], "shfl valid of thread " + t);
                assertEquals(presentMask, out[5 * t + 3], "activemask of thread " + t);
                assertEquals(lane, out[5 * t + 4], "laneid of thread " + t);
            }
        } finally {
            m.close();
        }
    }

    /** The lanes of a warp exchange values through shared memory around {@code __syncwarp}. */
    @ParameterizedTest
    @CsvSource({"32", "64", "256"})
    void warpSyncOrdersSharedMemoryExchangesBetweenLanes(int bx) throws Exception {
        BackendModule m = ctx.loadModule(PtxTranslator.translate("exchange.ptx", EXCHANGE_PTX));
        try {
            int blocks = 3;
            int n = blocks * bx;
            long d = ctx.allocate(4L * n);
            BackendFunction f = m.function("warp_exchange");
            MemorySegment args = new Args(f.ir().params()).u64("p_out", d).segment;
            stream.launch(f, new LaunchConfig(Dim3.of(blocks), Dim3.of(bx), 0), args);
            int[] out = Gpu.download(stream, d, n);
            for (int g = 0; g < n; g++) {
                int block = g / bx;
                int partner = block * bx + ((g % bx) ^ 31);
                assertEquals(partner * 7 + 3, out[g], "thread " + g);
            }
        } finally {
            m.close();
        }
    }

    /**
     * A shuffle under {@code if (tid < 32)} runs in uniform control flow after the front end's
     * {@code uniform-collectives} pass: the first warp shuffles down by one (lane 31 keeps its own value), the others
     * keep their thread index.
     */
    @ParameterizedTest
    @CsvSource({"64", "96", "32"})
    void shuffleUnderABranchOnTidRunsForTheLanesThatTakeIt(int bx) throws Exception {
        BackendModule m = ctx.loadModule(PtxTranslator.translate("warp.ptx", PTX));
        try {
            long d = ctx.allocate(4L * bx);
            BackendFunction f = m.function("warp_divergent");
            MemorySegment args = new Args(f.ir().params()).u64("p_out", d).segment;
            stream.launch(f, new LaunchConfig(Dim3.of(1), Dim3.of(bx), 0), args);
            int[] out = Gpu.download(stream, d, bx);
            for (int t = 0; t < bx; t++) assertEquals(t < 31 ? t + 1 : t, out[t], "thread " + t);
        } finally {
            m.close();
        }
    }

    /**
     * A call of a device function that shuffles, under {@code if (tid < 32)}: the {@code uniform-collectives} pass
     * inlines it and predicates its body, so the first warp adds its butterfly partner's thread index.
     */
    @Test
    void divergentCallOfAShufflingFunctionIsInlined() throws Exception {
        BackendModule m = ctx.loadModule(PtxTranslator.translate("warp.ptx", PTX));
        try {
            int bx = 64;
            long d = ctx.allocate(4L * bx);
            BackendFunction f = m.function("warp_divergent_call");
            MemorySegment args = new Args(f.ir().params()).u64("p_out", d).segment;
            stream.launch(f, new LaunchConfig(Dim3.of(1), Dim3.of(bx), 0), args);
            int[] out = Gpu.download(stream, d, bx);
            for (int t = 0; t < bx; t++) assertEquals(t < 32 ? t + (t ^ 1) : t, out[t], "thread " + t);
        } finally {
            m.close();
        }
    }

    /** The inlined callee's {@code .local} array is its own, apart from the caller's of the same name. */
    @Test
    void inlinedCalleeKeepsItsOwnLocalMemory() throws Exception {
        BackendModule m = ctx.loadModule(PtxTranslator.translate("warp.ptx", PTX));
        try {
            int bx = 64;
            long d = ctx.allocate(4L * bx);
            BackendFunction f = m.function("warp_divergent_call_local");
            MemorySegment args = new Args(f.ir().params()).u64("p_out", d).segment;
            stream.launch(f, new LaunchConfig(Dim3.of(1), Dim3.of(bx), 0), args);
            int[] out = Gpu.download(stream, d, bx);
            for (int t = 0; t < bx; t++) assertEquals(1000 + (t < 32 ? t + (t ^ 2) : t), out[t], "thread " + t);
        } finally {
            m.close();
        }
    }
}
