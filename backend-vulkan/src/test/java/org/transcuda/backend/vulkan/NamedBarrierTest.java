package org.transcuda.backend.vulkan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
 * {@code bar.sync id, count}: a count equal to the block's threads is a full barrier; another count fails the launch
 * with CUDA_ERROR_NOT_SUPPORTED (the context stays usable); a count that may differ between threads fails to compile.
 */
class NamedBarrierTest extends ContextTest {
    private static final String PTX = """
            .version 9.0
            .target sm_80
            .address_size 64
            .visible .entry nb(.param .u64 pout, .param .u32 pcount)
            {
                .reg .b32 %r<12>;
                .reg .b64 %rd<6>;
                .shared .align 4 .b32 s[1024];
                ld.param.u64 %rd1, [pout];
                ld.param.u32 %r1, [pcount];
                mov.u32 %r2, %tid.x;
                mov.u32 %r3, %ntid.x;
                mul.lo.u32 %r4, %r2, 3;
                shl.b32 %r5, %r2, 2;
                mov.u32 %r6, s;
                add.s32 %r7, %r6, %r5;
                st.shared.u32 [%r7], %r4;
                bar.sync 3, %r1;
                add.s32 %r8, %r2, 1;
                rem.u32 %r8, %r8, %r3;
                shl.b32 %r8, %r8, 2;
                add.s32 %r8, %r6, %r8;
                ld.shared.u32 %r9, [%r8];
                mul.wide.u32 %rd2, %r2, 4;
                add.s64 %rd3, %rd1, %rd2;
                st.global.u32 [%rd3], %r9;
                ret;
            }
            .visible .entry divergent(.param .u64 pout)
            {
                .reg .b32 %r<4>;
                mov.u32 %r1, %tid.x;
                and.b32 %r2, %r1, 32;
                add.s32 %r2, %r2, 32;
                bar.sync 1, %r2;
                ret;
            }
            """;

    private int[] run(BackendFunction f, long out, int n, int count) throws Exception {
        MemorySegment args = new Args(f.ir().params()).u64("pout", out).u32("pcount", count).segment;
        stream.launch(f, new LaunchConfig(Dim3.of(1), Dim3.of(n), 0), args);
        int[] got = new int[n];
        stream.copyDeviceToHost(MemorySegment.ofArray(got), out);
        stream.synchronize();
        return got;
    }

    @Test
    void countOfTheBlockIsABarrierOtherCountsAreNotSupported() throws Exception {
        BackendModule m = ctx.loadModule(PtxTranslator.translate("nb.ptx", PTX));
        try {
            int n = 256;
            long out = ctx.allocate(4L * n);
            BackendFunction f = m.function("nb");
            int[] want = new int[n];
            for (int t = 0; t < n; t++) want[t] = ((t + 1) % n) * 3;
            assertArrayEquals(want, run(f, out, n, n));
            BackendException e = assertThrows(BackendException.class, () -> run(f, out, n, 128));
            assertEquals(CUresult.CUDA_ERROR_NOT_SUPPORTED, e.result());
            assertTrue(e.getMessage().contains("thread count of 128 in a block of 256 threads"), e.getMessage());
            // the context stays usable
            assertArrayEquals(want, run(f, out, n, n));
            BackendException d = assertThrows(BackendException.class, () -> m.function("divergent"));
            assertEquals(CUresult.CUDA_ERROR_NOT_SUPPORTED, d.result());
            assertTrue(d.getMessage().contains("may differ between the block's threads"), d.getMessage());
        } finally {
            m.close();
        }
    }
}
