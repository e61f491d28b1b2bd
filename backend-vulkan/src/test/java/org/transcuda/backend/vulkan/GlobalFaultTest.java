package org.transcuda.backend.vulkan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.Dim3;
import org.transcuda.ptx.PtxTranslator;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;
import org.transcuda.spi.BackendModule;
import org.transcuda.spi.LaunchConfig;

/**
 * Global accesses outside the context's device memory: skipped, reported as a sticky CUDA_ERROR_ILLEGAL_ADDRESS with
 * the PTX location, never a crash or a corrupted allocation.
 */
class GlobalFaultTest extends ContextTest {
    private static final String PTX = """
            .version 9.0
            .target sm_80
            .address_size 64
            .visible .entry poke(.param .u64 p_addr, .param .u32 p_v)
            {
                .reg .b32 %r<3>;
                .reg .b64 %rd<3>;
                ld.param.u64 %rd1, [p_addr];
                ld.param.u32 %r1, [p_v];
                st.global.u32 [%rd1], %r1;
                ret;
            }
            .visible .entry peek(.param .u64 p_addr, .param .u64 p_out)
            {
                .reg .b32 %r<3>;
                .reg .b64 %rd<3>;
                ld.param.u64 %rd1, [p_addr];
                ld.param.u64 %rd2, [p_out];
                ld.global.u32 %r1, [%rd1];
                st.global.u32 [%rd2], %r1;
                ret;
            }
            .visible .entry gpoke(.param .u64 p_addr, .param .u32 p_v)
            {
                .reg .b32 %r<3>;
                .reg .b64 %rd<3>;
                ld.param.u64 %rd1, [p_addr];
                ld.param.u32 %r1, [p_v];
                st.u32 [%rd1], %r1;
                ret;
            }
            .visible .entry bump(.param .u64 p_addr, .param .u32 p_v)
            {
                .reg .b32 %r<4>;
                .reg .b64 %rd<3>;
                ld.param.u64 %rd1, [p_addr];
                ld.param.u32 %r1, [p_v];
                ld.global.u32 %r2, [%rd1];
                add.s32 %r3, %r2, %r1;
                st.global.u32 [%rd1], %r3;
                ret;
            }
            .visible .entry apoke(.param .u64 p_addr, .param .u32 p_v)
            {
                .reg .b32 %r<3>;
                .reg .b64 %rd<3>;
                ld.param.u64 %rd1, [p_addr];
                ld.param.u32 %r1, [p_v];
                atom.global.add.u32 %r2, [%rd1], %r1;
                ret;
            }
            """;

    /** "p.ptx:LINE:COL" of the first line of PTX containing {@code instruction} (1-based, as the parser counts). */
    private static String location(String instruction) {
        List<String> lines = PTX.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            int col = lines.get(i).indexOf(instruction);
            if (col >= 0) return "p.ptx:" + (i + 1) + ":" + (col + 1);
        }
        throw new AssertionError(instruction);
    }

    private MemorySegment args(BackendFunction f, long addr, long second, boolean secondIsU64) {
        Args a = new Args(f.ir().params()).u64(f.ir().params().get(0).name(), addr);
        String n = f.ir().params().get(1).name();
        return (secondIsU64 ? a.u64(n, second) : a.u32(n, (int) second)).segment;
    }

    @Test
    void accessesInsideAllocationsWork() throws Exception {
        BackendModule m = ctx.loadModule(PtxTranslator.translate("p.ptx", PTX));
        try {
            long buf = Gpu.upload(ctx, stream, new int[] {1, 2, 3, 4});
            long out = ctx.allocate(4);
            LaunchConfig one = new LaunchConfig(Dim3.of(1), Dim3.of(1), 0);
            stream.launch(m.function("poke"), one, args(m.function("poke"), buf + 12, 40, false));
            stream.launch(m.function("gpoke"), one, args(m.function("gpoke"), buf, 10, false));
            stream.launch(m.function("apoke"), one, args(m.function("apoke"), buf + 4, 5, false));
            stream.launch(m.function("peek"), one, args(m.function("peek"), buf + 8, out, true));
            assertArrayEquals(new int[] {10, 7, 3, 40}, Gpu.download(stream, buf, 4));
            assertArrayEquals(new int[] {3}, Gpu.download(stream, out, 1));
        } finally {
            m.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"poke", "peek", "gpoke", "apoke", "straddle", "bump"})
    void aWildAccessIsAStickyIllegalAddressWithItsLocation(String kernel) throws Exception {
        BackendModule m = ctx.loadModule(PtxTranslator.translate("p.ptx", PTX));
        try {
            long buf = Gpu.upload(ctx, stream, new int[] {1, 2, 3, 4});
            long out = Gpu.upload(ctx, stream, new int[] {99});
            boolean straddle = kernel.equals("straddle");
            String name = straddle ? "poke" : kernel;
            BackendFunction f = m.function(name);
            // a u32 2 bytes before the end of the highest allocation (buf: 16 bytes, out: 4) ends 2 bytes past it
            long bad = straddle ? (buf > out ? buf + 16 : out + 4) - 2 : 8;
            stream.launch(f, new LaunchConfig(Dim3.of(2), Dim3.of(64), 0),
                    args(f, bad, name.equals("peek") ? out : 77, name.equals("peek")));
            BackendException e = assertThrows(BackendException.class, () -> stream.synchronize());
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result(), e.getMessage());
            String instruction = switch (name) {
                case "poke" -> "st.global.u32 [%rd1]";
                case "peek" -> "ld.global.u32 %r1";
                case "gpoke" -> "st.u32 [%rd1]";
                // the load and the store share one check: the load's site is reported
                case "bump" -> "ld.global.u32 %r2, [%rd1]";
                default -> "atom.global.add.u32";
            };
            assertTrue(e.getMessage().contains(name + " at " + location(instruction)), e.getMessage());
            assertTrue(e.getMessage().contains("address 0x" + Long.toHexString(bad) + " is outside"), e.getMessage());
            // every thread faulted at the same site and address: the record's check word matches
            assertTrue(!e.getMessage().contains("several threads"), e.getMessage());
            // sticky: the context is unusable, as after a fault in CUDA
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS,
                    assertThrows(BackendException.class, () -> ctx.allocate(64)).result());
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS,
                    assertThrows(BackendException.class, () -> ctx.synchronize()).result());
        } finally {
            m.close();
        }
    }

    /** A host callback after a faulting kernel finds the fault (the front end's events report it from there). */
    @Test
    void aHostCallbackAfterAFaultSeesItAsThePendingFailure() throws Exception {
        BackendModule m = ctx.loadModule(PtxTranslator.translate("p.ptx", PTX));
        try {
            BackendFunction f = m.function("poke");
            java.util.concurrent.atomic.AtomicReference<BackendException> seen =
                    new java.util.concurrent.atomic.AtomicReference<>();
            java.util.concurrent.CountDownLatch ran = new java.util.concurrent.CountDownLatch(1);
            stream.launch(f, new LaunchConfig(Dim3.of(1), Dim3.of(32), 0), args(f, 8, 77, false));
            stream.enqueueHostCallback(() -> {
                seen.set(stream.pendingFailure());
                ran.countDown();
            });
            assertTrue(ran.await(30, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, seen.get() == null ? null : seen.get().result(),
                    String.valueOf(seen.get()));
            BackendException e = assertThrows(BackendException.class, () -> stream.synchronize());
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result(), e.getMessage());
        } finally {
            m.close();
        }
    }

    /** A load and a store through the same register share one bounds check, and the store still lands. */
    @Test
    void aLoadAndStoreOfOneAddressShareTheirCheck() throws Exception {
        org.transcuda.backend.vulkan.codegen.SpirvCodegen.Prepared p = org.transcuda.backend.vulkan.codegen.SpirvCodegen
                .prepare(PtxTranslator.translate("p.ptx", PTX));
        int[] w = org.transcuda.backend.vulkan.codegen.SpirvCodegen.compile(p, "bump",
                org.transcuda.backend.vulkan.codegen.Target.FULL, new java.util.HashMap<>(),
                new org.transcuda.backend.vulkan.codegen.SpirvCodegen.Runtime(0x2_0000_0000L, 0x3_0000_0000L, s -> 7))
                .spirv();
        int compares = 0;
        for (int i = 5; i < w.length; i += w[i] >>> 16) if ((w[i] & 0xffff) == 178) compares++; // OpULessThanEqual
        assertEquals(1, compares, "one bounds check for ld and st of [%rd1]");
        BackendModule m = ctx.loadModule(PtxTranslator.translate("p.ptx", PTX));
        try {
            long buf = Gpu.upload(ctx, stream, new int[] {40, 2});
            BackendFunction f = m.function("bump");
            stream.launch(f, new LaunchConfig(Dim3.of(1), Dim3.of(1), 0), args(f, buf, 2, false));
            stream.synchronize();
            assertArrayEquals(new int[] {42, 2}, Gpu.download(stream, buf, 2));
        } finally {
            m.close();
        }
    }

    private static final String ICALL = """
            .version 9.0
            .target sm_80
            .address_size 64
            .func (.param .b32 func_retval0) twice(.param .b32 twice_p);
            .func (.param .b32 func_retval0) square(.param .b32 square_p);
            .global .align 8 .u64 table[2] = {twice, square};
            .func (.param .b32 func_retval0) twice(.param .b32 twice_p)
            {
                .reg .b32 %r<3>;
                ld.param.u32 %r1, [twice_p];
                add.s32 %r2, %r1, %r1;
                st.param.b32 [func_retval0+0], %r2;
                ret;
            }
            .func (.param .b32 func_retval0) square(.param .b32 square_p)
            {
                .reg .b32 %r<3>;
                ld.param.u32 %r1, [square_p];
                mul.lo.s32 %r2, %r1, %r1;
                st.param.b32 [func_retval0+0], %r2;
                ret;
            }
            .visible .entry icall(.param .u64 p_out, .param .u64 p_skew)
            {
                .reg .b32 %r<5>;
                .reg .b64 %rd<9>;
                ld.param.u64 %rd1, [p_out];
                ld.param.u64 %rd5, [p_skew];
                mov.u32 %r2, %tid.x;
                and.b32 %r1, %r2, 1;
                mul.wide.u32 %rd2, %r1, 8;
                mov.u64 %rd3, table;
                add.s64 %rd3, %rd3, %rd2;
                ld.global.u64 %rd4, [%rd3];
                add.s64 %rd4, %rd4, %rd5;
                {
                .param .b32 param0;
                st.param.b32 [param0+0], %r2;
                .param .b32 retval0;
                prototype_0 : .callprototype (.param .b32 _) _ (.param .b32 _);
                call (retval0), %rd4, (param0), prototype_0;
                ld.param.b32 %r3, [retval0+0];
                }
                mul.wide.u32 %rd6, %r2, 4;
                add.s64 %rd7, %rd1, %rd6;
                st.global.u32 [%rd7], %r3;
                ret;
            }
            """;

    @Test
    void indirectCallsReachTheTableFunctionsAndABadTargetFaults() throws Exception {
        BackendModule m = ctx.loadModule(PtxTranslator.translate("i.ptx", ICALL));
        try {
            int n = 64;
            long out = ctx.allocate(4L * n);
            BackendFunction f = m.function("icall");
            stream.launch(f, new LaunchConfig(Dim3.of(1), Dim3.of(n), 0), args(f, out, 0, true));
            int[] got = Gpu.download(stream, out, n);
            for (int i = 0; i < n; i++) assertEquals(i % 2 == 0 ? i + i : i * i, got[i], "thread " + i);
            // a pointer that is no function: the launch fails like a wild access, at the call
            stream.launch(f, new LaunchConfig(Dim3.of(1), Dim3.of(n), 0), args(f, out, 5, true));
            BackendException e = assertThrows(BackendException.class, () -> stream.synchronize());
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result(), e.getMessage());
            List<String> lines = ICALL.lines().toList();
            int line = 0;
            for (int i = 0; i < lines.size() && line == 0; i++) if (lines.get(i).contains("call (retval0)")) line = i + 1;
            assertTrue(e.getMessage().contains("icall at i.ptx:" + line + ":"), e.getMessage());
        } finally {
            m.close();
        }
    }

    private static final String SPRAY = """
            .version 9.0
            .target sm_80
            .address_size 64
            .visible .entry spray(.param .u64 p_base)
            {
                .reg .pred %p<2>;
                .reg .b32 %r<4>;
                .reg .b64 %rd<5>;
                ld.param.u64 %rd1, [p_base];
                mov.u32 %r1, %tid.x;
                mov.u32 %r2, %ctaid.x;
                mad.lo.s32 %r3, %r2, 256, %r1;
                mul.wide.u32 %rd2, %r3, 16;
                add.s64 %rd3, %rd1, %rd2;
                and.b32 %r2, %r1, 1;
                setp.eq.s32 %p1, %r2, 0;
                @%p1 bra EVEN;
                st.global.u32 [%rd3+4], %r1;
                ret;
            EVEN:
                st.global.u32 [%rd3+8], %r1;
                ret;
            }
            """;

    /**
     * Many threads fault at once at two sites with different addresses (kernels record with plain stores): the launch
     * fails with CUDA_ERROR_ILLEGAL_ADDRESS naming one of the two sites; the address given with it is of that site
     * (odd threads write at +4, even ones at +8) unless the message says that several threads' records mixed.
     */
    @Test
    void manyThreadsFaultingAtTwoSitesReportARealSite() throws Exception {
        BackendModule m = ctx.loadModule(PtxTranslator.translate("s.ptx", SPRAY));
        try {
            ctx.allocate(64);
            BackendFunction f = m.function("spray");
            long base = 1L << 40; // far below or above any allocation of lavapipe, and no thread's address is inside
            stream.launch(f, new LaunchConfig(Dim3.of(64), Dim3.of(256), 0),
                    new Args(f.ir().params()).u64(f.ir().params().get(0).name(), base).segment);
            BackendException e = assertThrows(BackendException.class, () -> stream.synchronize());
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result(), e.getMessage());
            String msg = e.getMessage();
            List<String> lines = SPRAY.lines().toList();
            String odd = null, even = null;
            for (int i = 0; i < lines.size(); i++) {
                int col = lines.get(i).indexOf("st.global.u32");
                if (col < 0) continue;
                String loc = "spray at s.ptx:" + (i + 1) + ":" + (col + 1);
                if (odd == null) odd = loc;
                else even = loc;
            }
            boolean isOdd = msg.contains(odd), isEven = msg.contains(even);
            assertTrue(isOdd != isEven, msg);
            java.util.regex.Matcher a = java.util.regex.Pattern.compile("0x([0-9a-f]+)").matcher(msg);
            assertTrue(a.find(), msg);
            long address = Long.parseUnsignedLong(a.group(1), 16);
            long offset = address - base;
            assertTrue(offset >= 0 && offset < 64L * 256 * 16 && (offset % 16 == 4 || offset % 16 == 8), msg);
            if (!msg.contains("several threads")) {
                assertEquals(isOdd ? 4 : 8, offset % 16, msg);
                assertEquals(isOdd ? 1 : 0, offset / 16 % 2, msg);
            }
        } finally {
            m.close();
        }
    }

    /** A record whose check word does not match its site and address (threads' stores mixed) says so. */
    @Test
    void aMixedFaultRecordIsReportedAsSeveralBadAccesses() {
        int site = ctx.site("k at x.ptx:3:4");
        long address = 0x1234_5678_9aL;
        String good = ctx.addressFaultMessage(site, address,
                org.transcuda.backend.vulkan.codegen.SpirvCodegen.faultCheck(site, address));
        assertTrue(good.contains("k at x.ptx:3:4: address 0x123456789a is outside"), good);
        String mixed = ctx.addressFaultMessage(site, address,
                org.transcuda.backend.vulkan.codegen.SpirvCodegen.faultCheck(site, address + 4));
        assertTrue(mixed.contains("k at x.ptx:3:4: ") && mixed.contains("several threads")
                && mixed.contains("0x123456789a"), mixed);
    }
}
