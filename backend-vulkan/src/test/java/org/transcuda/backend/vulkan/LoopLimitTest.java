package org.transcuda.backend.vulkan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.Dim3;
import org.transcuda.ptx.PtxTranslator;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;
import org.transcuda.spi.BackendModule;
import org.transcuda.spi.LaunchConfig;

/**
 * Long loops on a driver with a loop limiter (lavapipe ends every loop of an invocation after 65535 iterations per
 * launch, counted over all its loops, and the program goes on with whatever values it has): the launch either
 * computes the right values or fails with CUDA_ERROR_LAUNCH_FAILED, never returns wrong ones. Expected values from
 * Java. On a device without a limiter every case must compute the right values.
 */
class LoopLimitTest extends ContextTest {
    /**
     * Thread t runs loop A {@code na[t % 2]} times, then loop B {@code nb[t % 2]} times; each iteration adds
     * {@code i ^ t} to a sum; the thread stores the sum and both trip counts.
     */
    private static final String PTX = """
            .version 9.0
            .target sm_80
            .address_size 64
            .visible .entry loops(.param .u64 p_out, .param .u32 a0, .param .u32 a1, .param .u32 b0, .param .u32 b1)
            {
                .reg .pred %p<4>;
                .reg .b32 %r<20>;
                .reg .b64 %rd<6>;
                ld.param.u64 %rd1, [p_out];
                mov.u32 %r1, %tid.x;
                and.b32 %r2, %r1, 1;
                setp.eq.u32 %p1, %r2, 0;
                ld.param.u32 %r3, [a0];
                ld.param.u32 %r4, [a1];
                selp.b32 %r5, %r3, %r4, %p1;
                ld.param.u32 %r3, [b0];
                ld.param.u32 %r4, [b1];
                selp.b32 %r6, %r3, %r4, %p1;
                mov.u32 %r7, 0;
                mov.u32 %r8, 0;
                setp.eq.u32 %p2, %r5, 0;
                @%p2 bra A_DONE;
            A:
                xor.b32 %r9, %r7, %r1;
                add.s32 %r8, %r8, %r9;
                add.s32 %r7, %r7, 1;
                setp.lt.u32 %p2, %r7, %r5;
                @%p2 bra A;
            A_DONE:
                mov.u32 %r10, 0;
                setp.eq.u32 %p3, %r6, 0;
                @%p3 bra B_DONE;
            B:
                xor.b32 %r9, %r10, %r1;
                add.s32 %r8, %r8, %r9;
                add.s32 %r10, %r10, 1;
                setp.lt.u32 %p3, %r10, %r6;
                @%p3 bra B;
            B_DONE:
                mul.wide.u32 %rd2, %r1, 12;
                add.s64 %rd3, %rd1, %rd2;
                st.global.u32 [%rd3], %r8;
                st.global.u32 [%rd3+4], %r7;
                st.global.u32 [%rd3+8], %r10;
                ret;
            }
            """;

    private static final int THREADS = 8;

    /** Runs the kernel; true when it computed the expected values, false when the launch failed as it must. */
    private boolean run(int a0, int a1, int b0, int b1) throws Exception {
        BackendModule m = ctx.loadModule(PtxTranslator.translate("loops.ptx", PTX));
        long out = ctx.allocate(12L * THREADS);
        stream.fill(out, 0x55555555, 4, 3 * THREADS);
        BackendFunction f = m.function("loops");
        MemorySegment args = new Args(f.ir().params()).u64("p_out", out).u32("a0", a0).u32("a1", a1).u32("b0", b0)
                .u32("b1", b1).segment;
        stream.launch(f, new LaunchConfig(Dim3.of(1), Dim3.of(THREADS), 0), args);
        try {
            stream.synchronize();
        } catch (BackendException e) {
            assertEquals(CUresult.CUDA_ERROR_LAUNCH_FAILED, e.result(), e.getMessage());
            assertTrue(e.getMessage().contains("ended a loop"), e.getMessage());
            // sticky, as a failed launch is in CUDA
            assertEquals(CUresult.CUDA_ERROR_LAUNCH_FAILED,
                    assertThrows(BackendException.class, () -> ctx.synchronize()).result());
            return false;
        }
        int[] got = Gpu.download(stream, out, 3 * THREADS);
        for (int t = 0; t < THREADS; t++) {
            int na = t % 2 == 0 ? a0 : a1;
            int nb = t % 2 == 0 ? b0 : b1;
            int sum = 0;
            for (int i = 0; i < na; i++) sum += i ^ t;
            for (int i = 0; i < nb; i++) sum += i ^ t;
            assertEquals(sum, got[3 * t], "sum of thread " + t);
            assertEquals(na, got[3 * t + 1], "loop A of thread " + t);
            assertEquals(nb, got[3 * t + 2], "loop B of thread " + t);
        }
        m.close();
        return true;
    }

    private boolean limited() {
        return ctx.target().loopLimiter();
    }

    @Test
    void loopsUnderTheLimitComputeTheirValues() throws Exception {
        assertTrue(run(30000, 1000, 20000, 30000));
    }

    @Test
    void oneLoopOverTheLimitFailsTheLaunch() throws Exception {
        assertEquals(!limited(), run(70000, 5, 0, 0));
    }

    @Test
    void twoLoopsOverTheLimitTogetherFailTheLaunch() throws Exception {
        assertEquals(!limited(), run(40000, 40000, 40000, 40000));
    }

    /** Even threads only in loop A, odd ones only in loop B: each under the limit, the subgroup over it. */
    @Test
    void lanesInDifferentLoopsFailTheLaunch() throws Exception {
        assertEquals(!limited(), run(40000, 0, 0, 40000));
    }
}
