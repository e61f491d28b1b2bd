package org.transcuda.backend.vulkan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.transcuda.backend.vulkan.codegen.SpirvCodegen;
import org.transcuda.backend.vulkan.codegen.Target;
import org.transcuda.ptx.PtxTranslator;

/**
 * {@code fma.rn.f32} and {@code fma.rn.ftz.f32} on lavapipe against {@link Math#fma(float, float, float)} (one
 * rounding of the exact a*b+c). Besides edge values and random triples, the inputs include triples built so that the
 * f64 sum of the exact product and c lands exactly halfway between two floats (normal, or subnormal multiples of
 * 2^-149) while the exact sum does not: there rounding the f64 sum to f32 (double rounding) is wrong, which the test
 * checks for itself (that such cases were built) before it runs them. Also: with {@code VK_KHR_shader_fma} (not on
 * lavapipe) the generator emits one {@code OpFmaKHR} per fma instead of the emulation.
 */
class FmaF32Test extends ContextTest {
    private static final String PTX = Ternary.ptx("f32", 2, """
                fma.rn.f32 %v4, %v1, %v2, %v3;
                st.global.f32 [%rd8], %v4;
                fma.rn.ftz.f32 %v5, %v1, %v2, %v3;
                st.global.f32 [%rd8+4], %v5;
            """);

    private static float flush(float x) {
        return Math.abs(x) < Float.MIN_NORMAL ? Math.copySign(0f, x) : x;
    }

    private static float rand(Random rnd, int lo, int hi) {
        return (rnd.nextBoolean() ? 1 : -1) * (1 + rnd.nextFloat()) * Math.scalb(1f, lo + rnd.nextInt(hi - lo));
    }

    /** Rounding the f64 sum of the exact product and c to f32: what a plain emulation computes. */
    private static float doubleRounded(float a, float b, float c) {
        return (float) ((double) a * b + c);
    }

    @Test
    void matchesMathFmaIncludingDoubleRoundingCases() throws Exception {
        float[] edges = {1, -1, 3, 1f / 3, Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_NORMAL, Float.MIN_VALUE,
            -Float.MIN_VALUE, 1e-40f, -2.5e-42f, 0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
            0x1p-100f, -0x1p-60f, 1.5e30f, 0x1.fffffep-1f, 0x1p-75f};
        List<float[]> t = new ArrayList<>();
        for (float a : edges) for (float b : edges) for (float c : edges) t.add(new float[] {a, b, c});
        Random rnd = new Random(11);
        int halfway = 0;
        // c + h(1 - 2^-2k) (h = half an ulp of c) is within 2^-54 relative of the halfway point c + h: the f64 sum
        // rounds onto it, the exact sum is below it; both signs of the product, odd and even c
        for (int i = 0; i < 3000; i++) {
            int k = 15 + rnd.nextInt(9);
            float c = rand(rnd, -120, 120);
            int e = Math.getExponent(c);
            float a = (rnd.nextBoolean() ? 1 : -1) * (1 + Math.scalb(1f, -k));
            float b = (rnd.nextBoolean() ? 1 : -1) * Math.scalb(1 - Math.scalb(1f, -k), e - 24);
            if (rnd.nextBoolean()) {
                float s = a;
                a = b;
                b = s;
            }
            if (Float.floatToRawIntBits(doubleRounded(a, b, c)) != Float.floatToRawIntBits(Math.fma(a, b, c))) {
                halfway++;
            }
            t.add(new float[] {a, b, c});
        }
        assertTrue(halfway > 500, "only " + halfway + " double-rounding cases built");
        // the same with results in the subnormal range, where halfway is between two multiples of 2^-149
        int subnormalHalfway = 0;
        for (int i = 0; i < 3000; i++) {
            int k = 16 + rnd.nextInt(8);
            float c = (rnd.nextBoolean() ? 1 : -1) * ((1 << 13) + rnd.nextInt((1 << 23) - (1 << 13))) * Float.MIN_VALUE;
            float a = (rnd.nextBoolean() ? 1 : -1) * Math.scalb(1 + Math.scalb(1f, -k), -75);
            float b = (rnd.nextBoolean() ? 1 : -1) * Math.scalb(1 - Math.scalb(1f, -k), -75);
            if (Float.floatToRawIntBits(doubleRounded(a, b, c)) != Float.floatToRawIntBits(Math.fma(a, b, c))) {
                subnormalHalfway++;
            }
            t.add(new float[] {a, b, c});
        }
        assertTrue(subnormalHalfway > 500, "only " + subnormalHalfway + " subnormal double-rounding cases built");
        for (int i = 0; i < 12000; i++) {
            float a, b, c;
            switch (i % 5) {
                case 0 -> {
                    a = rand(rnd, -150, 128);
                    b = rand(rnd, -150, 128);
                    c = rand(rnd, -150, 128);
                }
                case 1 -> { // cancellation: c close to -a*b
                    a = rand(rnd, -60, 60);
                    b = rand(rnd, -60, 60);
                    c = -a * b * (1 + (rnd.nextInt(5) - 2) * 0x1p-23f);
                }
                case 2 -> { // results in the subnormal range
                    a = rand(rnd, -80, -60);
                    b = rand(rnd, -126 - Math.getExponent(a) - 24, -126 - Math.getExponent(a) + 2);
                    c = rnd.nextBoolean() ? rand(rnd, -149, -125) : -a * b;
                }
                case 3 -> { // near overflow
                    a = rand(rnd, 60, 127);
                    b = rand(rnd, 120 - Math.getExponent(a), 129 - Math.getExponent(a));
                    c = rand(rnd, 120, 128);
                }
                default -> { // c tiny against the product, or huge
                    a = rand(rnd, -20, 20);
                    b = rand(rnd, -20, 20);
                    c = rnd.nextBoolean() ? rand(rnd, -149, -60) : rand(rnd, 30, 100);
                }
            }
            t.add(new float[] {a, b, c});
        }
        int n = t.size();
        float[] as = new float[n], bs = new float[n], cs = new float[n];
        for (int i = 0; i < n; i++) {
            as[i] = t.get(i)[0];
            bs[i] = t.get(i)[1];
            cs[i] = t.get(i)[2];
        }
        float[] got = Ternary.run(ctx, stream, PTX, MemorySegment.ofArray(as), MemorySegment.ofArray(bs),
                MemorySegment.ofArray(cs), n, 8L * n).toArray(java.lang.foreign.ValueLayout.JAVA_FLOAT);
        int wrong = 0;
        StringBuilder first = new StringBuilder();
        for (int i = 0; i < n; i++) {
            float[] expected = {Math.fma(as[i], bs[i], cs[i]),
                flush(Math.fma(flush(as[i]), flush(bs[i]), flush(cs[i])))};
            for (int v = 0; v < 2; v++) {
                float e = expected[v];
                float r = got[2 * i + v];
                boolean same = Float.isNaN(e) ? Float.isNaN(r)
                        : Float.floatToRawIntBits(e) == Float.floatToRawIntBits(r);
                if (!same && wrong++ < 8) {
                    first.append(v == 0 ? "fma.rn.f32" : "fma.rn.ftz.f32").append(" a=")
                            .append(Float.toHexString(as[i])).append(" b=").append(Float.toHexString(bs[i]))
                            .append(" c=").append(Float.toHexString(cs[i])).append(": expected ")
                            .append(Float.toHexString(e)).append(" got ").append(Float.toHexString(r)).append('\n');
                }
            }
        }
        assertEquals(0, wrong, wrong + " wrong of " + 2 * n + "\n" + first);
    }

    /** Opcode (low half-word) counts and the extension strings of a SPIR-V module. */
    private static int count(int[] words, int opcode) {
        int n = 0;
        for (int i = 5; i < words.length; i += words[i] >>> 16) {
            if ((words[i] & 0xffff) == opcode) n++;
        }
        return n;
    }

    private static boolean declares(int[] words, int capability, String extension) {
        boolean cap = false, ext = false;
        for (int i = 5; i < words.length; i += words[i] >>> 16) {
            int op = words[i] & 0xffff;
            if (op == 17 && words[i + 1] == capability) cap = true; // OpCapability
            if (op == 10) { // OpExtension: a nul-terminated UTF-8 string in the following words
                StringBuilder b = new StringBuilder();
                for (int w = i + 1; w < i + (words[i] >>> 16); w++) {
                    for (int k = 0; k < 4; k++) {
                        char c = (char) ((words[w] >>> (8 * k)) & 0xff);
                        if (c != 0) b.append(c);
                    }
                }
                if (b.toString().equals(extension)) ext = true;
            }
        }
        return cap && ext;
    }

    @Test
    void fusedOpcodeWhereTheDeviceHasShaderFma() throws Exception {
        String f64 = Ternary.ptx("f64", 2, """
                    fma.rn.f64 %v4, %v1, %v2, %v3;
                    st.global.f64 [%rd8], %v4;
                    fma.rn.f64 %v5, %v1, %v2, %v3;
                    st.global.f64 [%rd8+8], %v5;
                """);
        for (String src : List.of(PTX, f64)) {
            SpirvCodegen.Prepared p = SpirvCodegen.prepare(PtxTranslator.translate("fma.ptx", src));
            SpirvCodegen.Runtime rt = new SpirvCodegen.Runtime(0x2_0000_0000L, 0x3_0000_0000L, site -> 7);
            int[] fused = SpirvCodegen.compile(p, "ternary", Target.FULL.withFma(true, true), new HashMap<>(), rt).spirv();
            int[] emulated = SpirvCodegen.compile(p, "ternary", Target.FULL, new HashMap<>(), rt).spirv();
            assertEquals(2, count(fused, 4427), "OpFmaKHR per fma instruction");
            assertTrue(declares(fused, 6030, "SPV_KHR_fma"), "capability FMAKHR and extension SPV_KHR_fma");
            assertEquals(0, count(emulated, 4427));
            assertFalse(declares(emulated, 6030, "SPV_KHR_fma"));
            if (src == PTX) {
                assertEquals(0, count(fused, 115), "no OpFConvert to f64 and back");
                assertTrue(count(emulated, 115) >= 6, "the emulation converts to f64 and back");
            } else {
                assertEquals(count(fused, 54) + 1, count(emulated, 54), "the emulation is a helper (OpFunction)");
            }
            // only f64 is fused when the device has shaderFmaFloat64 alone, and the reverse
            int[] only64 = SpirvCodegen.compile(p, "ternary", Target.FULL.withFma(false, true), new HashMap<>(), rt).spirv();
            assertEquals(src == PTX ? 0 : 2, count(only64, 4427));
        }
    }
}
