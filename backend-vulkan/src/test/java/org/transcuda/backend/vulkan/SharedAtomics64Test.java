package org.transcuda.backend.vulkan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.transcuda.cuda.Dim3;
import org.transcuda.ptx.PtxTranslator;
import org.transcuda.spi.BackendFunction;
import org.transcuda.spi.BackendModule;
import org.transcuda.spi.LaunchConfig;

/**
 * 64-bit atomics on shared memory (the locked emulation of {@code SharedAtomics64}) with every thread of a block
 * contending for the same words, against a Java model: add/min/max/xor of u64/s64, add.f64 (integer values, so the
 * sum is exact in any order), exch (the old values and the final one are the initial value and the inputs), a
 * compare-and-swap that exactly one thread wins, and an atomic on a generic address in the shared
 * window.
 */
class SharedAtomics64Test extends ContextTest {
    private static final String PTX = """
            .version 9.0
            .target sm_80
            .address_size 64
            .visible .entry sh64(.param .u64 pin, .param .u64 pout)
            {
                .reg .pred %p<4>;
                .reg .b32 %r<10>;
                .reg .b64 %rd<30>;
                .reg .f64 %fd<4>;
                .shared .align 8 .b64 s[8];
                .shared .align 8 .f64 sd[1];
                ld.param.u64 %rd1, [pin];
                ld.param.u64 %rd2, [pout];
                mov.u32 %r1, %tid.x;
                mov.u32 %r2, %ntid.x;
                setp.ne.u32 %p1, %r1, 0;
                @%p1 bra INIT_DONE;
                mov.u64 %rd3, 1000;
                st.shared.u64 [s], %rd3;
                mov.u64 %rd3, 9223372036854775807;
                st.shared.u64 [s+8], %rd3;
                mov.u64 %rd3, 0;
                st.shared.u64 [s+16], %rd3;
                mov.u64 %rd3, 21845;
                st.shared.u64 [s+24], %rd3;
                mov.u64 %rd3, 77;
                st.shared.u64 [s+32], %rd3;
                mov.u64 %rd3, 0;
                st.shared.u64 [s+40], %rd3;
                st.shared.u64 [s+48], %rd3;
                mov.f64 %fd1, 0d3FE0000000000000;
                st.shared.f64 [sd], %fd1;
            INIT_DONE:
                bar.sync 0;
                mul.wide.u32 %rd4, %r1, 8;
                add.s64 %rd5, %rd1, %rd4;
                ld.global.u64 %rd6, [%rd5];
                atom.shared.add.u64 %rd7, [s], %rd6;
                atom.shared.min.s64 %rd7, [s+8], %rd6;
                atom.shared.max.u64 %rd7, [s+16], %rd6;
                atom.shared.xor.b64 %rd7, [s+24], %rd6;
                cvt.rn.f64.u32 %fd1, %r1;
                atom.shared.add.f64 %fd2, [sd], %fd1;
                atom.shared.exch.b64 %rd8, [s+32], %rd6;
                add.s64 %rd9, %rd2, %rd4;
                st.global.u64 [%rd9], %rd8;
                cvt.u64.u32 %rd10, %r1;
                add.s64 %rd11, %rd10, 1;
                mov.u64 %rd20, 0;
                atom.shared.cas.b64 %rd10, [s+40], %rd20, %rd11;
                mul.wide.u32 %rd13, %r2, 8;
                add.s64 %rd14, %rd9, %rd13;
                st.global.u64 [%rd14], %rd10;
                mov.u64 %rd15, s;
                cvta.shared.u64 %rd16, %rd15;
                atom.add.u64 %rd17, [%rd16+48], 1;
                bar.sync 0;
                @%p1 bra DONE;
                add.s64 %rd18, %rd2, %rd13;
                add.s64 %rd18, %rd18, %rd13;
                ld.shared.u64 %rd19, [s];
                st.global.u64 [%rd18], %rd19;
                ld.shared.u64 %rd19, [s+8];
                st.global.u64 [%rd18+8], %rd19;
                ld.shared.u64 %rd19, [s+16];
                st.global.u64 [%rd18+16], %rd19;
                ld.shared.u64 %rd19, [s+24];
                st.global.u64 [%rd18+24], %rd19;
                ld.shared.u64 %rd19, [s+32];
                st.global.u64 [%rd18+32], %rd19;
                ld.shared.u64 %rd19, [s+40];
                st.global.u64 [%rd18+40], %rd19;
                ld.shared.u64 %rd19, [s+48];
                st.global.u64 [%rd18+48], %rd19;
                ld.shared.f64 %fd3, [sd];
                st.global.f64 [%rd18+56], %fd3;
            DONE:
                ret;
            }
            """;

    @ParameterizedTest
    @ValueSource(ints = {1, 96, 256, 1024})
    void contendedAtomicsMatchTheModel(int n) throws Exception {
        Random rnd = new Random(n);
        long[] in = new long[n];
        for (int i = 0; i < n; i++) in[i] = i % 5 == 0 ? -rnd.nextInt(1000) : rnd.nextLong();
        BackendModule m = ctx.loadModule(PtxTranslator.translate("sh64.ptx", PTX));
        try {
            long din = ctx.allocate(8L * n);
            long out = ctx.allocate(8L * (2 * n + 8));
            stream.copyHostToDevice(din, MemorySegment.ofArray(in));
            BackendFunction f = m.function("sh64");
            MemorySegment args = new Args(f.ir().params()).u64("pin", din).u64("pout", out).segment;
            stream.launch(f, new LaunchConfig(Dim3.of(1), Dim3.of(n), 0), args);
            long[] got = new long[2 * n + 8];
            stream.copyDeviceToHost(MemorySegment.ofArray(got), out);
            stream.synchronize();
            long sum = 1000, min = Long.MAX_VALUE, max = 0, xor = 21845;
            for (long v : in) {
                sum += v;
                min = Math.min(min, v);
                max = Long.compareUnsigned(v, max) > 0 ? v : max;
                xor ^= v;
            }
            assertEquals(sum, got[2 * n], "add.u64");
            assertEquals(min, got[2 * n + 1], "min.s64");
            assertEquals(max, got[2 * n + 2], "max.u64");
            assertEquals(xor, got[2 * n + 3], "xor.b64");
            // exch: the old values and the final value are the initial value and the inputs
            long[] seen = new long[n + 1];
            System.arraycopy(got, 0, seen, 0, n);
            seen[n] = got[2 * n + 4];
            long[] want = Arrays.copyOf(in, n + 1);
            want[n] = 77;
            Arrays.sort(seen);
            Arrays.sort(want);
            if (!Arrays.equals(want, seen)) {
                java.util.List<Long> extra = new java.util.ArrayList<>(), missing = new java.util.ArrayList<>();
                java.util.Map<Long, Integer> c = new java.util.HashMap<>();
                for (long v : want) c.merge(v, 1, Integer::sum);
                for (long v : seen) c.merge(v, -1, Integer::sum);
                c.forEach((k, v) -> {
                    if (v > 0) missing.add(k);
                    if (v < 0) extra.add(k);
                });
                org.junit.jupiter.api.Assertions.fail("exch.b64: got but not expected " + extra + ", expected but not got "
                        + missing);
            }
            // cas(0 -> tid + 1) by every thread: one wins (sees 0), the others see the winner's value, which stays
            long winner = got[2 * n + 5];
            int zeros = 0;
            for (int t = 0; t < n; t++) {
                long old = got[n + t];
                if (old == 0) {
                    zeros++;
                    assertEquals(t + 1, winner, "cas.b64: the thread that saw 0 wrote the final value");
                } else {
                    assertEquals(winner, old, "cas.b64: a losing thread sees the winner's value");
                }
            }
            assertEquals(1, zeros, "cas.b64: exactly one thread wins");
            assertEquals(n, got[2 * n + 6], "generic atom.add.u64 on shared");
            assertEquals(0.5 + (double) n * (n - 1) / 2, Double.longBitsToDouble(got[2 * n + 7]), "add.f64");
        } finally {
            m.close();
        }
    }
}
