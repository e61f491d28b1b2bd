package org.transcuda.backend.vulkan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.Dim3;
import org.transcuda.ptx.PtxTranslator;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;
import org.transcuda.spi.BackendModule;
import org.transcuda.spi.LaunchConfig;

/** Device printf on Vulkan: the printf buffer, its overflow, and formats it cannot read. */
class DevicePrintfTest {
    private VulkanContext ctx;
    private VulkanStream stream;
    private final List<String> printed = new ArrayList<>();

    @BeforeEach
    void open() throws Exception {
        ctx = VulkanTestSupport.context();
        stream = ctx.createStream();
        ctx.setPrinter(s -> {
            synchronized (printed) {
                printed.add(s);
            }
        });
    }

    @AfterEach
    void close() {
        if (ctx != null) ctx.close();
    }

    /** nvcc's shape: the arguments packed into a local buffer, the format a module string. */
    private static final String PTX = """
            .version 9.0
            .target sm_80
            .address_size 64
            .extern .func (.param .b32 func_retval0) vprintf (.param .b64 vprintf_param_0, .param .b64 vprintf_param_1);
            .global .align 1 .b8 $str[7] = {37, 100, 32, 37, 100, 10, 0};
            .visible .entry spam(.param .u64 p_out)
            {
                .local .align 8 .b8 __local_depot0[8];
                .reg .b64 %SP;
                .reg .b64 %SPL;
                .reg .b32 %r<8>;
                .reg .b64 %rd<8>;
                mov.u64 %SPL, __local_depot0;
                cvta.local.u64 %SP, %SPL;
                ld.param.u64 %rd1, [p_out];
                mov.u32 %r1, %ctaid.x;
                mov.u32 %r2, %ntid.x;
                mov.u32 %r3, %tid.x;
                mad.lo.s32 %r4, %r1, %r2, %r3;
                mul.lo.s32 %r5, %r4, 3;
                add.u64 %rd2, %SP, 0;
                add.u64 %rd3, %SPL, 0;
                st.local.v2.u32 [%rd3], {%r4, %r5};
                mov.u64 %rd4, $str;
                cvta.global.u64 %rd5, %rd4;
                {
                .param .b64 param0;
                st.param.b64 [param0+0], %rd5;
                .param .b64 param1;
                st.param.b64 [param1+0], %rd2;
                .param .b32 retval0;
                call.uni (retval0), vprintf, (param0, param1);
                ld.param.b32 %r6, [retval0+0];
                }
                cvta.to.global.u64 %rd6, %rd1;
                mul.wide.s32 %rd7, %r4, 4;
                add.s64 %rd6, %rd6, %rd7;
                st.global.u32 [%rd6], %r6;
                ret;
            }
            .visible .entry loop(.param .u64 p_out)
            {
                .local .align 8 .b8 __local_depot0[8];
                .reg .pred %p<2>;
                .reg .b64 %SP;
                .reg .b64 %SPL;
                .reg .b32 %r<12>;
                .reg .b64 %rd<8>;
                mov.u64 %SPL, __local_depot0;
                cvta.local.u64 %SP, %SPL;
                ld.param.u64 %rd1, [p_out];
                mov.u32 %r4, %tid.x;
                rem.u32 %r7, %r4, 5;
                add.u32 %r7, %r7, 1;
                mov.u32 %r8, 0;
                mov.u32 %r9, 0;
                mov.u64 %rd4, $str;
                cvta.global.u64 %rd5, %rd4;
                add.u64 %rd2, %SP, 0;
                add.u64 %rd3, %SPL, 0;
            LOOP:
                st.local.v2.u32 [%rd3], {%r4, %r8};
                {
                .param .b64 param0;
                st.param.b64 [param0+0], %rd5;
                .param .b64 param1;
                st.param.b64 [param1+0], %rd2;
                .param .b32 retval0;
                call (retval0), vprintf, (param0, param1);
                ld.param.b32 %r6, [retval0+0];
                }
                mad.lo.s32 %r10, %r8, %r4, 1;
                add.s32 %r9, %r9, %r10;
                add.s32 %r8, %r8, 1;
                setp.lt.u32 %p1, %r8, %r7;
                @%p1 bra LOOP;
                cvta.to.global.u64 %rd6, %rd1;
                mul.wide.u32 %rd7, %r4, 8;
                add.s64 %rd6, %rd6, %rd7;
                st.global.v2.u32 [%rd6], {%r8, %r9};
                ret;
            }
            .visible .entry fromParam(.param .u64 p_fmt)
            {
                .reg .b32 %r<2>;
                .reg .b64 %rd<3>;
                ld.param.u64 %rd1, [p_fmt];
                mov.u64 %rd2, 0;
                {
                .param .b64 param0;
                st.param.b64 [param0+0], %rd1;
                .param .b64 param1;
                st.param.b64 [param1+0], %rd2;
                .param .b32 retval0;
                call.uni (retval0), vprintf, (param0, param1);
                ld.param.b32 %r1, [retval0+0];
                }
                ret;
            }
            """;

    private List<String> lines() {
        List<String> out = new ArrayList<>();
        synchronized (printed) {
            for (String s : printed) {
                for (String l : s.split("\n", -1)) if (!l.isEmpty()) out.add(l);
                assertTrue(s.endsWith("\n"), "every record is a whole line");
            }
            printed.clear();
        }
        return out;
    }

    @Test
    void overflowDropsWhatDoesNotFitAndCorruptsNothing() throws Exception {
        BackendModule m = ctx.loadModule(PtxTranslator.translate("p.ptx", PTX));
        try {
            BackendFunction f = m.function("spam");
            int threads = 256 * 256;
            long out = ctx.allocate(4L * threads);
            stream.fill(out, 0x55555555, 4, threads);
            MemorySegment args = new Args(f.ir().params()).u64("p_out", out).segment;
            stream.launch(f, new LaunchConfig(Dim3.of(256), Dim3.of(256), 0), args);
            stream.synchronize();
            // each record: 8 bytes format address, 8 bytes size word, 8 bytes of two ints; 2^20 - 16 bytes of room
            int fit = ((1 << 20) - 16) / 24;
            List<String> lines = lines();
            assertEquals(fit, lines.size());
            Set<Integer> seen = new HashSet<>();
            for (String l : lines) {
                String[] p = l.split(" ");
                int i = Integer.parseInt(p[0]);
                assertTrue(i >= 0 && i < threads, l);
                assertEquals(3 * i, Integer.parseInt(p[1]), l);
                assertTrue(seen.add(i), "printed twice: " + l);
            }
            // printf returns the number of arguments in every thread, printed or dropped
            int[] ret = Gpu.download(stream, out, threads);
            for (int i = 0; i < threads; i++) assertEquals(2, ret[i], "thread " + i);
            // the buffer is empty again for the next launch
            stream.launch(f, new LaunchConfig(Dim3.of(1), Dim3.of(4), 0), args);
            stream.synchronize();
            assertEquals(Set.of("0 0", "1 3", "2 6", "3 9"), new HashSet<>(lines()));
        } finally {
            m.close();
        }
    }

    /** printf in a loop whose trip count differs per thread: every line printed once, values after the loop kept. */
    @Test
    void printfInALoopWithPerThreadTripCounts() throws Exception {
        BackendModule m = ctx.loadModule(PtxTranslator.translate("p.ptx", PTX));
        try {
            BackendFunction f = m.function("loop");
            int threads = 64;
            long out = ctx.allocate(8L * threads);
            stream.fill(out, 0x55555555, 4, 2 * threads);
            MemorySegment args = new Args(f.ir().params()).u64("p_out", out).segment;
            stream.launch(f, new LaunchConfig(Dim3.of(1), Dim3.of(threads), 0), args);
            stream.synchronize();
            Set<String> want = new HashSet<>();
            int[] got = Gpu.download(stream, out, 2 * threads);
            for (int t = 0; t < threads; t++) {
                int trips = t % 5 + 1;
                int acc = 0;
                for (int k = 0; k < trips; k++) {
                    acc += k * t + 1;
                    want.add(t + " " + k);
                }
                assertEquals(trips, got[2 * t], "trip count of thread " + t);
                assertEquals(acc, got[2 * t + 1], "sum of thread " + t);
            }
            List<String> lines = lines();
            assertEquals(want.size(), lines.size());
            assertEquals(want, new HashSet<>(lines));
        } finally {
            m.close();
        }
    }

    @Test
    void aFormatNotKnownAtCompileTimeIsAClearError() throws Exception {
        BackendModule m = ctx.loadModule(PtxTranslator.translate("p.ptx", PTX));
        try {
            BackendException e = assertThrows(BackendException.class, () -> m.function("fromParam"));
            assertEquals(CUresult.CUDA_ERROR_NOT_SUPPORTED, e.result());
            assertTrue(e.getMessage().contains("format is not a string literal"), e.getMessage());
        } finally {
            m.close();
        }
    }
}
