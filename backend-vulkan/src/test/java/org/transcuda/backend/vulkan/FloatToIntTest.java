package org.transcuda.backend.vulkan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.transcuda.backend.vulkan.codegen.SpirvCodegen;
import org.transcuda.backend.vulkan.codegen.Target;
import org.transcuda.corpus.FpFormat;
import org.transcuda.corpus.Ieee;
import org.transcuda.cuda.Dim3;
import org.transcuda.ptx.PtxTranslator;
import org.transcuda.spi.BackendFunction;
import org.transcuda.spi.BackendModule;
import org.transcuda.spi.LaunchConfig;

/**
 * cvt from f32, f64, f16 and bf16 to every integer type (s8 to u64), in every integer rounding mode, plain, with
 * {@code .sat} and (f32) with {@code .ftz}, on NaNs, infinities, out-of-range values, halves and subnormals, bit for bit
 * against the corpus reference {@link Ieee#toInt} (which carries the NVIDIA H100's NaN results). The corpus cases
 * cvt_f32_to_int and cvt_f64_to_int only cover 32/64-bit destinations without {@code .sat}.
 *
 * <p>The NaN results observed on an H100 80GB HBM3 (driver 580.159.04, CUDA 13.0, corpus/gpucheck/RESULTS.md) are also
 * asserted as constants here, so a change of the reference cannot pass unnoticed: f32 to s32/u32 gives 0, f32 to
 * s64/u64 0x8000000000000000, f64 to s32/u32 0x80000000, f64 to s64/u64 0x8000000000000000.
 */
class FloatToIntTest extends ContextTest {
    private static final String[] DST = {"s8", "u8", "s16", "u16", "s32", "u32", "s64", "u64"};
    private static final String[] RND = {"rni", "rzi", "rmi", "rpi"};

    /** One conversion: source ("f32", "f64", "f16", "bf16"), destination, rounding index, .sat, .ftz. */
    private record Conv(String src, String dst, int rnd, boolean sat, boolean ftz) {
        String ptx() {
            return "cvt." + RND[rnd] + (ftz ? ".ftz" : "") + (sat ? ".sat" : "") + "." + dst + "." + src;
        }

        int bits() {
            return Integer.parseInt(dst.substring(1));
        }

        boolean signed() {
            return dst.charAt(0) == 's';
        }
    }

    private static List<Conv> conversions() {
        List<Conv> out = new ArrayList<>();
        for (String src : new String[] {"f32", "f64", "f16", "bf16"}) {
            for (String dst : DST) {
                for (int r = 0; r < 4; r++) {
                    out.add(new Conv(src, dst, r, false, false));
                    out.add(new Conv(src, dst, r, true, false));
                    if (src.equals("f32")) out.add(new Conv(src, dst, r, false, true));
                }
            }
        }
        return out;
    }

    private static String source(String src) {
        return switch (src) {
            case "f32" -> "%f1";
            case "f64" -> "%fd1";
            case "f16" -> "%h1";
            default -> "%h2";
        };
    }

    /** Thread i converts f32 a[i], f64 b[i], f16 h[i] and bf16 g[i]; result k goes to out[i * count + k] (8 bytes each). */
    private static String ptx(List<Conv> convs) {
        StringBuilder s = new StringBuilder("""
                .version 9.0
                .target sm_90
                .address_size 64
                .visible .entry cvtint(.param .u64 pa, .param .u64 pb, .param .u64 ph, .param .u64 pg, .param .u64 pout,
                        .param .u32 n)
                {
                    .reg .pred %p<2>;
                    .reg .b16 %rs<2>;
                    .reg .b16 %h<3>;
                    .reg .b32 %r<8>;
                    .reg .b64 %rd<20>;
                    .reg .f32 %f<2>;
                    .reg .f64 %fd<2>;
                    ld.param.u64 %rd1, [pa];
                    ld.param.u64 %rd2, [pb];
                    ld.param.u64 %rd3, [ph];
                    ld.param.u64 %rd4, [pg];
                    ld.param.u64 %rd5, [pout];
                    ld.param.u32 %r1, [n];
                    mov.u32 %r2, %ctaid.x;
                    mov.u32 %r3, %ntid.x;
                    mov.u32 %r4, %tid.x;
                    mad.lo.s32 %r5, %r2, %r3, %r4;
                    setp.ge.u32 %p1, %r5, %r1;
                    @%p1 bra DONE;
                    mul.wide.u32 %rd6, %r5, 4;
                    add.s64 %rd7, %rd1, %rd6;
                    ld.global.f32 %f1, [%rd7];
                    mul.wide.u32 %rd6, %r5, 8;
                    add.s64 %rd7, %rd2, %rd6;
                    ld.global.f64 %fd1, [%rd7];
                    mul.wide.u32 %rd6, %r5, 2;
                    add.s64 %rd7, %rd3, %rd6;
                    ld.global.b16 %h1, [%rd7];
                    add.s64 %rd7, %rd4, %rd6;
                    ld.global.b16 %h2, [%rd7];
                    mul.wide.u32 %rd6, %r5, STRIDE;
                    add.s64 %rd8, %rd5, %rd6;
                """.replace("STRIDE", Integer.toString(8 * convs.size())));
        for (int k = 0; k < convs.size(); k++) {
            Conv c = convs.get(k);
            String reg = c.bits() <= 16 ? "%rs1" : c.bits() == 32 ? "%r6" : "%rd9";
            s.append("    ").append(c.ptx()).append(' ').append(reg).append(", ").append(source(c.src())).append(";\n");
            s.append("    st.global.b").append(c.bits()).append(" [%rd8+").append(8 * k).append("], ").append(reg)
                    .append(";\n");
        }
        return s.append("DONE:\n    ret;\n}\n").toString();
    }

    private static final float[] F32 = {Float.NaN, Float.intBitsToFloat(0xffc0_0000), Float.intBitsToFloat(0x7f80_0001),
        Float.intBitsToFloat(0xffa0_0005), Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, 0.5f, -0.5f, 1.5f,
        -1.5f, 2.5f, -2.7f, 127.5f, -128.5f, 255.5f, 32767.5f, -32768.7f, 65535.4f, 65536f, 2147483648f, -2147483904f,
        4294967296f, 9223371487098961920f, 9.223372e18f, -9.223373e18f, 1.8446744e19f, 1e30f, -1e30f, Float.MIN_VALUE,
        -Float.MIN_VALUE, 0x1p-127f, 0.99999994f, -300.25f};
    private static final double[] F64 = {Double.NaN, Double.longBitsToDouble(0xfff8_0000_0000_0000L),
        Double.longBitsToDouble(0x7ff0_0000_0000_0001L), Double.longBitsToDouble(0xfff4_0000_0000_0005L),
        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.7, 127.5, -128.5,
        255.5, 32767.5, -32768.7, 65535.4, 65536, 2147483647.6, -2147483648.6, 4294967295.4, 4294967296.0,
        9223372036854774784d, 9223372036854775808d, -9223372036854777856d, 18446744073709549568d, 1e300, -1e300,
        Double.MIN_VALUE, -Double.MIN_VALUE, 0.49999999999999994, -300.25};
    private static final short[] F16 = {0x7e00, (short) 0xfe00, 0x7c01, (short) 0xfd55, 0x7c00, (short) 0xfc00, 0,
        (short) 0x8000, 0x3800, (short) 0xb800, 0x3e00, (short) 0xbe00, 0x4100, (short) 0xc166, 0x57f8, (short) 0xd804,
        0x5bfc, 0x7bff, (short) 0xfbff, 0x7800, 0x0001, (short) 0x8001, 0x03ff, 0x3bff, (short) 0xdcb1, 0x4d00, 0x5c00,
        0x6000, 0x7000, (short) 0xf000, 0x3c00, (short) 0xbc00, 0x4400, 0x4500, (short) 0xc500};
    private static final short[] BF16 = {0x7fc0, (short) 0xffc0, 0x7f81, (short) 0xffa5, 0x7f80, (short) 0xff80, 0,
        (short) 0x8000, 0x3f00, (short) 0xbf00, 0x3fc0, (short) 0xbfc0, 0x4020, (short) 0xc02d, 0x42ff, (short) 0xc301,
        0x437f, 0x4700, (short) 0xc700, 0x4780, 0x4f00, (short) 0xcf00, 0x4f80, 0x5f00, (short) 0xdf00, 0x5f80,
        0x7f7f, (short) 0xff7f, 0x0001, (short) 0x8001, 0x3f7f, (short) 0xc396, 0x4040, 0x40a0, (short) 0xc0a0};

    private static FpFormat format(String src) {
        return switch (src) {
            case "f32" -> FpFormat.F32;
            case "f64" -> FpFormat.F64;
            case "f16" -> FpFormat.F16;
            default -> FpFormat.BF16;
        };
    }

    private static long input(String src, int i) {
        return switch (src) {
            case "f32" -> Float.floatToRawIntBits(F32[i]) & 0xffff_ffffL;
            case "f64" -> Double.doubleToRawLongBits(F64[i]);
            case "f16" -> F16[i] & 0xffffL;
            default -> BF16[i] & 0xffffL;
        };
    }

    /** The reference: .ftz flushes the input, .sat changes nothing (float to integer always saturates). */
    private static long expected(Conv c, long bits) {
        FpFormat f = format(c.src());
        long a = c.ftz() ? Ieee.ftz(f, bits) : bits;
        long r = Ieee.toInt(f, a, Ieee.MODES[c.rnd()], c.bits(), c.signed());
        return c.bits() == 64 ? r : r & ((1L << c.bits()) - 1);
    }

    @Test
    void everyWidthModeAndSourceMatchesTheReference() throws Exception {
        int n = F32.length;
        assertEquals(n, F64.length);
        assertEquals(n, F16.length);
        assertEquals(n, BF16.length);
        List<Conv> convs = conversions();
        long[] got = run(ptx(convs), n, convs.size());
        int wrong = 0;
        StringBuilder first = new StringBuilder();
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < convs.size(); k++) {
                Conv c = convs.get(k);
                long in = input(c.src(), i);
                long e = expected(c, in);
                long r = got[i * convs.size() + k];
                if (e != r && wrong++ < 8) {
                    first.append(c.ptx()).append(" of 0x").append(Long.toHexString(in)).append(": expected 0x")
                            .append(Long.toHexString(e)).append(" got 0x").append(Long.toHexString(r)).append('\n');
                }
            }
        }
        assertEquals(0, wrong, wrong + " wrong, first:\n" + first);
    }

    /** The H100's NaN results (observed, see the class comment) as constants, for the first four inputs (NaNs). */
    @Test
    void nanGivesWhatTheH100Gives() throws Exception {
        List<Conv> convs = new ArrayList<>();
        for (String src : new String[] {"f32", "f64"}) {
            for (String dst : new String[] {"s32", "u32", "s64", "u64"}) {
                for (int r = 0; r < 4; r++) convs.add(new Conv(src, dst, r, false, false));
            }
        }
        long[] got = run(ptx(convs), 4, convs.size());
        for (int i = 0; i < 4; i++) {
            for (int k = 0; k < convs.size(); k++) {
                Conv c = convs.get(k);
                long want = c.src().equals("f32") ? (c.bits() == 32 ? 0 : Long.MIN_VALUE)
                        : (c.bits() == 32 ? 0x8000_0000L : Long.MIN_VALUE);
                assertEquals(want, got[i * convs.size() + k], c.ptx() + " of NaN input " + i);
            }
        }
    }

    /** The kernel's SPIR-V (for a device with every optional feature, and with loops watched) passes spirv-val. */
    @Test
    void spirvValidates() throws Exception {
        SpirvTools.assumeAvailable("spirv-val");
        org.transcuda.ir.Module m = PtxTranslator.translate("cvtint.ptx", ptx(conversions()));
        SpirvCodegen.Prepared prepared = SpirvCodegen.prepare(m);
        for (Target t : List.of(Target.FULL, Target.FULL.withLoopLimiter(true))) {
            VulkanKernel k = SpirvCodegen.compile(prepared, "cvtint", t, Map.of(),
                    new SpirvCodegen.Runtime(0x2_0000_0000L, 0x3_0000_0000L, site -> 7));
            SpirvTools.Result r = SpirvTools.validate13(k.spirv());
            assertTrue(r.ok(), r.output());
        }
    }

    /** Runs the kernel over the first n inputs; returns the 8-byte result slots (zeroed before). */
    private long[] run(String ptx, int n, int count) throws Exception {
        BackendModule m = ctx.loadModule(PtxTranslator.translate("cvtint.ptx", ptx));
        try {
            long da = ctx.allocate(4L * n), db = ctx.allocate(8L * n), dh = ctx.allocate(2L * n),
                    dg = ctx.allocate(2L * n);
            long outBytes = 8L * n * count;
            long out = ctx.allocate(outBytes);
            stream.copyHostToDevice(da, MemorySegment.ofArray(java.util.Arrays.copyOf(F32, n)));
            stream.copyHostToDevice(db, MemorySegment.ofArray(java.util.Arrays.copyOf(F64, n)));
            stream.copyHostToDevice(dh, MemorySegment.ofArray(java.util.Arrays.copyOf(F16, n)));
            stream.copyHostToDevice(dg, MemorySegment.ofArray(java.util.Arrays.copyOf(BF16, n)));
            stream.copyHostToDevice(out, MemorySegment.ofArray(new long[n * count]));
            BackendFunction f = m.function("cvtint");
            MemorySegment args = new Args(f.ir().params()).u64("pa", da).u64("pb", db).u64("ph", dh).u64("pg", dg)
                    .u64("pout", out).u32("n", n).segment;
            stream.launch(f, new LaunchConfig(Dim3.of((n + 63) / 64), Dim3.of(64), 0), args);
            long[] got = new long[n * count];
            stream.copyDeviceToHost(MemorySegment.ofArray(got), out);
            stream.synchronize();
            return got;
        } finally {
            m.close();
        }
    }
}
