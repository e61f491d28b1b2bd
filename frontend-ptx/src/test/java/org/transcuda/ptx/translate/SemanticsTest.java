package org.transcuda.ptx.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.transcuda.ir.Module;
import org.transcuda.ptx.PtxTranslator;

/**
 * PTX semantics of instruction selection's expansions, run in {@link IrEval} against the ISA's definitions: every
 * lop3 truth table, cvt.rna.tf32.f32, add.sat.s32, mov pack/unpack, setp with a boolean operation, min.NaN,
 * mul24, szext, and the relaxed-type extensions of ld and cvt.
 */
class SemanticsTest {
    private static final String HEAD = ".version 9.0\n.target sm_80\n.address_size 64\n";

    /** Runs a kernel body over 64 bytes of global memory at address 0 ({@code %rd1} holds it). */
    static ByteBuffer run(String regs, String body, ByteBuffer in) {
        String ptx = HEAD + ".visible .entry k(.param .u64 p)\n{\n.reg .b64 %rd<4>;\n" + regs + "\n"
                + "ld.param.u64 %rd1, [p];\n" + body + "\nret;\n}\n";
        Module m = PtxTranslator.translate("k.ptx", ptx, new PtxTranslator.Options(false, true), null);
        assertEquals(List.of(), m.problems(), ptx);
        byte[] mem = new byte[64];
        in.rewind();
        in.get(mem, 0, Math.min(64, in.remaining()));
        new IrEval(m, "k", mem, Map.of("p", 0L)).run();
        return ByteBuffer.wrap(mem).order(ByteOrder.LITTLE_ENDIAN);
    }

    static ByteBuffer ints(int... vs) {
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : vs) b.putInt(v);
        return b;
    }

    @Test
    void lop3AllTruthTables() {
        Random r = new Random(42);
        for (int lut = 0; lut < 256; lut++) {
            int a = r.nextInt();
            int b = r.nextInt();
            int c = r.nextInt();
            ByteBuffer out = run(".reg .b32 %r<5>;", "ld.global.u32 %r1, [%rd1];\nld.global.u32 %r2, [%rd1+4];\n"
                    + "ld.global.u32 %r3, [%rd1+8];\nlop3.b32 %r4, %r1, %r2, %r3, " + lut + ";\n"
                    + "st.global.u32 [%rd1+12], %r4;", ints(a, b, c));
            int want = 0;
            for (int bit = 0; bit < 32; bit++) {
                int idx = (((a >>> bit) & 1) << 2) | (((b >>> bit) & 1) << 1) | ((c >>> bit) & 1);
                want |= ((lut >>> idx) & 1) << bit;
            }
            assertEquals(want, out.getInt(12), "lop3 0x" + Integer.toHexString(lut));
        }
    }

    @Test
    void tf32RoundsToNearestTiesAway() {
        int[][] cases = {
            {0x3f800000, 0x3f800000}, // 1.0
            {0x3f800fff, 0x3f800000}, // below half an ulp: down
            {0x3f801000, 0x3f802000}, // exactly half: away from zero
            {0xbf801000, 0xbf802000}, // negative tie: away from zero too
            {0x3f801001, 0x3f802000},
            {0x7f7ff000, 0x7f800000}, // rounds up to infinity
            {0x7f800000, 0x7f800000}, // infinity
            {0x7fc00000, 0x7fc00000}, // quiet NaN
            {0x7f800001, 0x7f800000}, // a NaN's pattern is rounded like any other: the H100 gives 0x7f800000
            {0xffa00005, 0xffa00000}, // (corpus/gpucheck cvt_tf32, NVIDIA H100 80GB HBM3, 2026-11-26)
            {0x7fc12345, 0x7fc12000},
            {0x00000fff, 0x00000000}, // subnormal
        };
        for (int[] c : cases) {
            ByteBuffer out = run(".reg .f32 %f1;\n.reg .b32 %r1;", "ld.global.f32 %f1, [%rd1];\n"
                    + "cvt.rna.tf32.f32 %r1, %f1;\nst.global.u32 [%rd1+4], %r1;", ints(c[0]));
            assertEquals(Integer.toHexString(c[1]), Integer.toHexString(out.getInt(4)),
                    "tf32 of 0x" + Integer.toHexString(c[0]));
        }
    }

    @Test
    void addSatClampsSigned32() {
        int[][] cases = {{Integer.MAX_VALUE, 1, Integer.MAX_VALUE}, {Integer.MIN_VALUE, -1, Integer.MIN_VALUE},
            {5, -7, -2}, {-2_000_000_000, -2_000_000_000, Integer.MIN_VALUE}};
        for (int[] c : cases) {
            ByteBuffer out = run(".reg .b32 %r<4>;", "ld.global.u32 %r1, [%rd1];\nld.global.u32 %r2, [%rd1+4];\n"
                    + "add.sat.s32 %r3, %r1, %r2;\nst.global.u32 [%rd1+8], %r3;", ints(c[0], c[1]));
            assertEquals(c[2], out.getInt(8));
        }
    }

    @Test
    void movPacksAndUnpacks() {
        ByteBuffer out = run(".reg .b32 %r<5>;\n.reg .b16 %rs<3>;",
                "ld.global.u32 %r1, [%rd1];\nld.global.u32 %r2, [%rd1+4];\n"
                        + "mov.b64 %rd2, {%r1, %r2};\nst.global.u64 [%rd1+8], %rd2;\n"
                        + "mov.b64 {%r3, %r4}, %rd2;\nst.global.u32 [%rd1+16], %r4;\nst.global.u32 [%rd1+20], %r3;\n"
                        + "mov.b32 {%rs1, %rs2}, %r1;\nmov.b32 %r3, {%rs2, %rs1};\nst.global.u32 [%rd1+24], %r3;\n"
                        + "mov.b32 %r4, {0, %rs1};\nst.global.u32 [%rd1+28], %r4;",
                ints(0x11223344, 0x55667788));
        assertEquals(0x5566778811223344L, out.getLong(8));
        assertEquals(0x55667788, out.getInt(16));
        assertEquals(0x11223344, out.getInt(20));
        assertEquals(0x33441122, out.getInt(24));
        assertEquals(0x33440000, out.getInt(28));
    }

    @Test
    void setpWithBooleanOperationAndTwoResults() {
        int[][] cases = {{1, 2, 1}, {1, 2, 0}, {3, 2, 1}, {3, 2, 0}};
        for (int[] c : cases) {
            ByteBuffer out = run(".reg .pred %p<4>;\n.reg .b32 %r<6>;",
                    "ld.global.u32 %r1, [%rd1];\nld.global.u32 %r2, [%rd1+4];\nld.global.u32 %r3, [%rd1+8];\n"
                            + "setp.ne.u32 %p3, %r3, 0;\nsetp.lt.or.s32 %p1|%p2, %r1, %r2, !%p3;\n"
                            + "selp.u32 %r4, 1, 0, %p1;\nselp.u32 %r5, 1, 0, %p2;\n"
                            + "st.global.v2.u32 [%rd1+12], {%r4, %r5};", ints(c[0], c[1], c[2]));
            boolean t = c[0] < c[1];
            boolean notC = c[2] == 0;
            assertEquals(t || notC ? 1 : 0, out.getInt(12), "p for " + java.util.Arrays.toString(c));
            assertEquals(!t || notC ? 1 : 0, out.getInt(16), "q for " + java.util.Arrays.toString(c));
        }
    }

    @Test
    void minNaNPropagatesACanonicalNaN() {
        float[][] cases = {{1f, 2f}, {Float.NaN, 2f}, {1f, Float.NaN}, {-0f, 0f}};
        for (float[] c : cases) {
            ByteBuffer in = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN).putFloat(c[0]).putFloat(c[1]);
            ByteBuffer out = run(".reg .f32 %f<4>;", "ld.global.f32 %f1, [%rd1];\nld.global.f32 %f2, [%rd1+4];\n"
                    + "min.NaN.f32 %f3, %f1, %f2;\nmin.f32 %f1, %f1, %f2;\n"
                    + "st.global.f32 [%rd1+8], %f3;\nst.global.f32 [%rd1+12], %f1;", in);
            boolean nan = Float.isNaN(c[0]) || Float.isNaN(c[1]);
            assertEquals(nan ? 0x7fffffff : Float.floatToRawIntBits(Math.min(c[0], c[1])), out.getInt(8));
            float plain = Float.isNaN(c[0]) ? c[1] : Float.isNaN(c[1]) ? c[0] : Math.min(c[0], c[1]);
            assertEquals(Float.floatToRawIntBits(plain), out.getInt(12));
        }
    }

    @Test
    void mul24AndSzext() {
        int a = 0x00fedcba | 0x7f000000;
        int b = 0x00123456 | 0x01000000;
        ByteBuffer out = run(".reg .b32 %r<8>;", "ld.global.u32 %r1, [%rd1];\nld.global.u32 %r2, [%rd1+4];\n"
                + "mul24.lo.u32 %r3, %r1, %r2;\nmul24.hi.u32 %r4, %r1, %r2;\nmul24.lo.s32 %r5, %r1, %r2;\n"
                + "szext.clamp.s32 %r6, %r1, 12;\nszext.wrap.u32 %r7, %r1, 36;\n"
                + "st.global.v4.u32 [%rd1+8], {%r3, %r4, %r5, %r6};\nst.global.u32 [%rd1+24], %r7;", ints(a, b));
        long ua = a & 0xffffffL;
        long ub = b & 0xffffffL;
        assertEquals((int) (ua * ub), out.getInt(8));
        assertEquals((int) ((ua * ub) >>> 16), out.getInt(12));
        long sa = ((long) a << 40) >> 40;
        long sb = ((long) b << 40) >> 40;
        assertEquals((int) (sa * sb), out.getInt(16));
        assertEquals((a << 20) >> 20, out.getInt(20)); // low 12 bits sign-extended
        assertEquals(a & 0xf, out.getInt(24)); // 36 wraps to 4
    }

    @Test
    void relaxedLoadsAndConversionsExtend() {
        ByteBuffer in = ints(0x000080f0, 0x12345678);
        ByteBuffer out = run(".reg .b32 %r<5>;", "ld.global.s8 %r1, [%rd1];\nld.global.u8 %r2, [%rd1];\n"
                + "ld.global.s16 %rd2, [%rd1];\nld.global.u32 %r3, [%rd1+4];\ncvt.s32.s8 %r4, %r3;\n"
                + "st.global.v4.u32 [%rd1+8], {%r1, %r2, %r3, %r4};\nst.global.u64 [%rd1+24], %rd2;\n"
                + "cvt.u16.u32 %r1, %r3;\nst.global.u32 [%rd1+32], %r1;", in);
        assertEquals(0xfffffff0, out.getInt(8)); // ld.s8 sign-extends into the 32-bit register
        assertEquals(0xf0, out.getInt(12)); // ld.u8 zero-extends
        assertEquals(0x78, out.getInt(20)); // cvt.s32.s8 of 0x12345678: its low byte 0x78
        assertEquals(0xffffffffffff80f0L, out.getLong(24)); // ld.s16 into a 64-bit register
        assertEquals(0x5678, out.getInt(32)); // cvt.u16.u32 into a 32-bit register: zero-extended
    }
}
