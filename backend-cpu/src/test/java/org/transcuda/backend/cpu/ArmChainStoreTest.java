package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.Dim3;
import org.transcuda.ptx.PtxTranslator;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;

/**
 * {@link ArmChain#HEAD} ({@code -Dtranscuda.cpu.armChainStore}): the segment ending in the block's first barrier with
 * {@code st.shared [c + 4·tid], v} runs as the tree chain's head. Every output word bit for bit against Java references
 * computed here: suite.ptx's {@code reduce} at {@code n} not a multiple of 512 (a partial last block, {@code n = -1});
 * trees generated here whose kernels store every thread's final shared word (so the words the head stores and no step
 * touches are checked too): an f32 value with NaN payloads, a b32 value that is not a float the kernel loaded
 * ({@code bits(in[i]) ^ t}, or {@code i · 0x9e3779b1} past {@code n}), the store at an offset inside a larger window;
 * the value defined in the head segment itself, or the head's address register read again after the tree (refused:
 * general path, nothing counted, the same words); and a head
 * store whose last thread's word lies past the window (the chain declines; the general path faults at that thread and
 * the store, {@code CUDA_ERROR_ILLEGAL_ADDRESS}). Counted in {@link CpuDevice#armChainStores} (one per block).
 */
class ArmChainStoreTest {
    private static final int CANONICAL = 0x7fffffff;

    private static Gpu gpu(int workers) throws BackendException {
        Gpu g = new Gpu(workers);
        g.device.engine(CpuDevice.Engine.LOCKSTEP);
        return g;
    }

    private static float canon(float v) {
        return v != v ? Float.intBitsToFloat(CANONICAL) : v;
    }

    private static float[] input(int count) {
        float[] in = new float[count];
        for (int i = 0; i < count; i++) {
            in[i] = switch (i % 89) {
                case 0 -> Float.intBitsToFloat(0x7fc00321);
                case 1 -> Float.intBitsToFloat(0xffa00007);
                case 2 -> Float.POSITIVE_INFINITY;
                case 3 -> -0.0f;
                case 4 -> 3.0e38f;
                case 5 -> Float.MIN_VALUE * (i % 5 + 1);
                default -> (i % 41 - 20) * 0.125f + 0x1p-19f * (i % 7);
            };
        }
        return in;
    }

    private static boolean on() {
        return ArmChain.ENABLED && ArmChain.HEAD;
    }

    // ---- suite.ptx's reduce ----

    @Test
    void reduceBitForBit() throws Exception {
        int grid = 7;
        try (Gpu gpu = gpu(2)) {
            Path ptx = Path.of(System.getProperty("user.dir")).resolve("../bench/kernels/suite.ptx");
            var suite = PtxTranslator.translate("suite.ptx", Files.readString(ptx, StandardCharsets.UTF_8));
            BackendFunction f = gpu.ctx.loadModule(suite).function("reduce");
            float[] in = input(grid * 512);
            long din = gpu.upload(in);
            long expected = 0;
            for (int n : new int[] {grid * 512 - 1, grid * 512 - 200, grid * 512 - 256, grid * 512 - 257, 700, -1}) {
                long dout = gpu.upload(new int[grid]);
                gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, n, din, dout);
                gpu.sync();
                long un = n & 0xffff_ffffL;
                float[] s = new float[256];
                for (int b = 0; b < grid; b++) {
                    for (int t = 0; t < 256; t++) {
                        long i = b * 512L + t;
                        float v = i < un ? in[(int) i] : 0.0f;
                        if (i + 256 < un) v = canon(v + in[(int) i + 256]);
                        s[t] = v;
                    }
                    for (int stride = 128; stride > 0; stride >>= 1) {
                        for (int t = 0; t < stride; t++) s[t] = canon(s[t + stride] + s[t]);
                    }
                    int want = Float.floatToRawIntBits(s[0]);
                    int got = gpu.ints(dout + 4L * b, 1)[0];
                    assertEquals(want, got, "reduce n=" + n + ": partial[" + b + "] want " + s[0] + ", got "
                            + Float.intBitsToFloat(got));
                }
                expected += grid;
                assertEquals(on() ? expected : 0, gpu.device.armChainStores.sum(), "heads run, n=" + n);
                assertEquals(ArmChain.ENABLED ? expected : 0, gpu.device.armChains.sum(), "chains run, n=" + n);
            }
        }
    }

    // ---- trees generated here ----

    /**
     * The head's value: 0 the loaded f32, 1 a b32 value, 2 that b32 value made in the head segment itself, 3 the
     * loaded f32 with the head's address register read again after the tree (the final load; else its own address).
     */
    private static String ptx(int bs, int window, int off, int mode) {
        return ptx(bs, window, off, mode, off);
    }

    /** {@code headOff}: the head store's offset (the steps' is {@code off}). */
    private static String ptx(int bs, int window, int off, int mode, int headOff) {
        StringBuilder p = new StringBuilder();
        p.append(".version 7.0\n.target sm_52\n.address_size 64\n\n");
        p.append(".visible .entry head(.param .u32 head_n, .param .u64 head_in, .param .u64 head_out)\n{\n");
        p.append("\t.reg .pred %p<40>;\n\t.reg .f32 %f<200>;\n\t.reg .b32 %r<20>;\n\t.reg .b64 %rd<20>;\n");
        p.append("\t.shared .align 4 .b8 s[").append(window).append("];\n");
        p.append("\tld.param.u32 %r6, [head_n];\n\tld.param.u64 %rd3, [head_in];\n\tld.param.u64 %rd2, [head_out];\n");
        p.append("\tcvta.to.global.u64 %rd1, %rd3;\n\tcvta.to.global.u64 %rd8, %rd2;\n");
        p.append("\tmov.u32 %r1, %ctaid.x;\n\tmov.u32 %r2, %tid.x;\n\tmov.u32 %r10, %ntid.x;\n");
        p.append("\tmad.lo.s32 %r3, %r1, %r10, %r2;\n\tsetp.ge.u32 %p1, %r3, %r6;\n\tmov.f32 %f1, 0f00000000;\n");
        if (mode == 1) p.append("\tmul.lo.s32 %r15, %r3, -1640531535;\n");
        p.append("\t@%p1 bra $L_load;\n\tmul.wide.u32 %rd4, %r3, 4;\n\tadd.s64 %rd5, %rd1, %rd4;\n");
        p.append("\tld.global.f32 %f1, [%rd5];\n");
        if (mode == 1) p.append("\tmov.b32 %r16, %f1;\n\txor.b32 %r15, %r16, %r2;\n");
        p.append("$L_load:\n");
        if (mode == 2) p.append("\tmov.b32 %r16, %f1;\n\txor.b32 %r15, %r16, %r2;\n");
        p.append("\tshl.b32 %r8, %r2, 2;\n\tmov.u32 %r9, s;\n\tadd.s32 %r5, %r9, %r8;\n");
        String at = off == 0 ? "[%r5]" : "[%r5+" + off + "]";
        String hat = headOff == 0 ? "[%r5]" : "[%r5+" + headOff + "]";
        if (mode == 0 || mode == 3) p.append("\tst.shared.f32 ").append(hat).append(", %f1;\n");
        else p.append("\tst.shared.b32 ").append(hat).append(", %r15;\n");
        p.append("\tbar.sync 0;\n");
        int f = 10, k = 0;
        for (int stride = bs / 2; stride > 0; stride >>= 1, k++) {
            String pr = "%p" + (10 + k), a = "%f" + f, b = "%f" + (f + 1), z = "%f" + (f + 2);
            f += 3;
            p.append("\tsetp.gt.u32 ").append(pr).append(", %r2, ").append(stride - 1).append(";\n\t@").append(pr)
                    .append(" bra $L_s").append(k).append(";\n");
            p.append("\tld.shared.f32 ").append(a).append(", ").append(at).append(";\n");
            p.append("\tld.shared.f32 ").append(b).append(", [%r5+").append(off + 4 * stride).append("];\n");
            p.append("\tadd.f32 ").append(z).append(", ").append(b).append(", ").append(a).append(";\n");
            p.append("\tst.shared.f32 ").append(at).append(", ").append(z).append(";\n");
            p.append("$L_s").append(k).append(":\n\tbar.sync 0;\n");
        }
        if (mode == 3) {
            // the head's address register read again after the tree: the head is refused
            p.append("\tld.shared.f32 %f2, ").append(at).append(";\n");
        } else {
            p.append("\tshl.b32 %r17, %r2, 2;\n\tmov.u32 %r19, s;\n\tadd.s32 %r18, %r19, %r17;\n");
            p.append("\tld.shared.f32 %f2, [%r18").append(off == 0 ? "" : "+" + off).append("];\n");
        }
        p.append("\tmul.wide.u32 %rd9, %r3, 4;\n");
        p.append("\tadd.s64 %rd10, %rd8, %rd9;\n\tst.global.f32 [%rd10], %f2;\n\tret;\n}\n");
        return p.toString();
    }

    /** Every thread's final shared word. */
    private static int[] reference(float[] in, int n, int grid, int bs, int mode) {
        long un = n & 0xffff_ffffL;
        int[] out = new int[grid * bs];
        int[] s = new int[bs];
        for (int b = 0; b < grid; b++) {
            for (int t = 0; t < bs; t++) {
                int i = b * bs + t;
                if (mode == 0 || mode == 3) {
                    s[t] = Integer.toUnsignedLong(i) < un ? Float.floatToRawIntBits(in[i]) : 0;
                } else if (mode == 1) {
                    s[t] = Integer.toUnsignedLong(i) < un ? Float.floatToRawIntBits(in[i]) ^ t : i * -1640531535;
                } else {
                    s[t] = (Integer.toUnsignedLong(i) < un ? Float.floatToRawIntBits(in[i]) : 0) ^ t;
                }
            }
            for (int stride = bs / 2; stride > 0; stride >>= 1) {
                for (int t = 0; t < stride; t++) {
                    float z = canon(Float.intBitsToFloat(s[t + stride]) + Float.intBitsToFloat(s[t]));
                    s[t] = Float.floatToRawIntBits(z);
                }
            }
            System.arraycopy(s, 0, out, b * bs, bs);
        }
        return out;
    }

    private static void tree(int bs, int grid, int window, int off, int mode, boolean counted, int... ns)
            throws Exception {
        try (Gpu gpu = gpu(2)) {
            BackendFunction f = gpu.ctx.loadModule(PtxTranslator.translate("head.ptx", ptx(bs, window, off, mode)))
                    .function("head");
            float[] in = input(grid * bs);
            long din = gpu.upload(in);
            long expected = 0;
            for (int n : ns) {
                long dout = gpu.upload(new int[grid * bs]);
                gpu.launch(f, Dim3.of(grid), Dim3.of(bs), 0, n, din, dout);
                gpu.sync();
                int[] want = reference(in, n, grid, bs, mode);
                int[] got = gpu.ints(dout, grid * bs);
                for (int i = 0; i < want.length; i++) {
                    assertEquals(want[i], got[i], "bs=" + bs + " off=" + off + " mode=" + mode + " n=" + n + ": block "
                            + i / bs + " thread " + i % bs + " want " + Integer.toHexString(want[i]) + ", got "
                            + Integer.toHexString(got[i]));
                }
                if (counted && on()) expected += grid;
                assertEquals(expected, gpu.device.armChainStores.sum(), "heads run, bs=" + bs + " mode=" + mode
                        + " n=" + n);
            }
        }
    }

    @Test
    void f32ValueEveryWord() throws Exception {
        tree(256, 5, 1024, 0, 0, true, 5 * 256, 5 * 256 - 77, 300, -1);
        tree(64, 6, 256, 0, 0, true, 6 * 64 - 1, 6 * 64);
    }

    @Test
    void b32ValueNotALoadedFloat() throws Exception {
        tree(256, 5, 1024, 0, 1, true, 5 * 256, 5 * 256 - 130, 100);
    }

    @Test
    void storeAtAnOffset() throws Exception {
        tree(256, 4, 4096, 64, 0, true, 4 * 256 - 3, 4 * 256);
        tree(128, 4, 4096, 1536, 1, true, 4 * 128 - 50);
    }

    @Test
    void valueMadeInTheHeadSegmentIsRefused() throws Exception {
        tree(256, 4, 1024, 0, 2, false, 4 * 256 - 9, 4 * 256);
    }

    @Test
    void addressReadAfterTheTreeIsRefused() throws Exception {
        tree(256, 4, 1024, 0, 3, false, 4 * 256 - 9);
    }

    @Test
    void headStorePastTheWindowFaults() throws Exception {
        // s is 1024 bytes; the head stores at offset 4 (the steps at 0, inside): thread 255's word is 0x400, the chain
        // declines, the general path faults there
        try (Gpu gpu = gpu(1)) {
            BackendFunction f = gpu.ctx.loadModule(PtxTranslator.translate("head.ptx", ptx(256, 1024, 0, 0, 4)))
                    .function("head");
            long din = gpu.upload(input(3 * 256));
            long dout = gpu.upload(new int[3 * 256]);
            gpu.launch(f, Dim3.of(3), Dim3.of(256), 0, 3 * 256, din, dout);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result());
            assertTrue(e.getMessage().contains("block (0,0,0), thread (255,0,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("st.shared"), e.getMessage());
            assertEquals(0, gpu.device.armChainStores.sum(), "heads run");
        }
    }
}
