package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.Dim3;
import org.transcuda.ptx.PtxTranslator;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;

/**
 * {@link LadderRaw}: TreeRegs' ladder with its levels chained on the raw sums. Every output word bit for bit against
 * Java references computed here (thread by thread, not the backend): suite.ptx's {@code reduce} at several {@code n}
 * (multiples of 512, partial last blocks, {@code n = -1}) against a window reference and {@link SuiteReduce#reference},
 * one and two workers; {@code tree_window}, generated here: reduce's input chain and halving tree 128..1, then every
 * thread's final window word written out, so every word each ladder level stores and no later level rewrites is
 * checked; a tree whose first step is a sub (no ladder: none counted, the same words). Inputs with NaN payloads,
 * {@code +inf}/{@code -inf} meeting first at each of the ladder's four levels (a NaN sum whose raw form feeds the next
 * level) and at each tail level, overflow to infinities, subnormals, blocks of {@code -0} and of {@code -0}/{@code +0}.
 * Ladders counted ({@link CpuDevice#ladderRaws}): one per block that runs its chain (every block here), equal to
 * {@link CpuDevice#treeRegs}; 0 with {@code -Dtranscuda.cpu.ladderRaw=false}. Faults before the tree (an input ending
 * inside block 5) and after it (reduce's {@code partial} at a bad address) keep their block, thread and instruction.
 */
class LadderRawTest {
    private static final int CANONICAL = 0x7fffffff;

    private static boolean on() {
        return LadderRaw.ENABLED && ArmChain.ENABLED && ArmChainPlan.ENABLED && TreeRegs.ENABLED && LaneVec.length() > 0;
    }

    /** The ladders counted after {@code blocks} blocks ran their chain (and the ladder count they must equal). */
    private static void counted(Gpu gpu, long blocks, String what) {
        assertEquals(on() ? blocks : 0L, gpu.device.ladderRaws.sum(), "ladders chained raw, " + what);
        if (on()) assertEquals(gpu.device.treeRegs.sum(), gpu.device.ladderRaws.sum(), "= ladders, " + what);
    }

    private static BackendFunction reduce(Gpu gpu) throws Exception {
        return ArmChainTest.reduce(gpu);
    }

    /** reduce's input chain, the halving steps 128 .. 1 ({@code sub} at step {@code subAt}), every word out. */
    private static String windowPtx(int subAt) {
        StringBuilder p = new StringBuilder();
        p.append(".version 7.0\n.target sm_52\n.address_size 64\n\n");
        p.append(".visible .entry tree_window(.param .u32 tw_n, .param .u64 tw_in, .param .u64 tw_out)\n{\n");
        p.append("\t.reg .pred %p<20>;\n\t.reg .f32 %f<80>;\n\t.reg .b32 %r<20>;\n\t.reg .b64 %rd<20>;\n");
        p.append("\t.shared .align 4 .b8 tw_s[1024];\n");
        p.append("\tld.param.u32 %r6, [tw_n];\n\tld.param.u64 %rd3, [tw_in];\n\tld.param.u64 %rd2, [tw_out];\n");
        p.append("\tcvta.to.global.u64 %rd1, %rd3;\n\tmov.u32 %r1, %ctaid.x;\n\tshl.b32 %r7, %r1, 9;\n");
        p.append("\tmov.u32 %r2, %tid.x;\n\tadd.s32 %r3, %r7, %r2;\n\tsetp.ge.u32 %p1, %r3, %r6;\n");
        p.append("\tmov.f32 %f1, 0f00000000;\n\t@%p1 bra $L_2;\n");
        p.append("\tmul.wide.u32 %rd4, %r3, 4;\n\tadd.s64 %rd5, %rd1, %rd4;\n\tld.global.nc.f32 %f1, [%rd5];\n");
        p.append("$L_2:\n\tadd.s32 %r4, %r3, 256;\n\tsetp.ge.u32 %p2, %r4, %r6;\n\t@%p2 bra $L_4;\n");
        p.append("\tmul.wide.u32 %rd6, %r4, 4;\n\tadd.s64 %rd7, %rd1, %rd6;\n\tld.global.nc.f32 %f2, [%rd7];\n");
        p.append("\tadd.f32 %f1, %f1, %f2;\n");
        p.append("$L_4:\n\tshl.b32 %r8, %r2, 2;\n\tmov.u32 %r9, tw_s;\n\tadd.s32 %r5, %r9, %r8;\n");
        p.append("\tst.shared.f32 [%r5], %f1;\n\tbar.sync 0;\n");
        int f = 10, k = 0;
        for (int stride = 128; stride > 0; stride >>= 1, k++) {
            String pr = "%p" + (3 + k);
            p.append("\tsetp.gt.u32 ").append(pr).append(", %r2, ").append(stride - 1).append(";\n\t@").append(pr)
                    .append(" bra $L_s").append(k).append(";\n");
            String a = "%f" + f, b = "%f" + (f + 1), z = "%f" + (f + 2);
            f += 3;
            p.append("\tld.shared.f32 ").append(a).append(", [%r5];\n");
            p.append("\tld.shared.f32 ").append(b).append(", [%r5+").append(4 * stride).append("];\n");
            p.append('\t').append(k == subAt ? "sub" : "add").append(".f32 ").append(z).append(", ").append(b)
                    .append(", ").append(a).append(";\n");
            p.append("\tst.shared.f32 [%r5], ").append(z).append(";\n");
            p.append("$L_s").append(k).append(":\n\tbar.sync 0;\n");
        }
        p.append("\tld.shared.f32 %f3, [%r5];\n\tcvta.to.global.u64 %rd8, %rd2;\n\tshl.b32 %r15, %r1, 8;\n");
        p.append("\tadd.s32 %r16, %r15, %r2;\n\tmul.wide.u32 %rd9, %r16, 4;\n\tadd.s64 %rd10, %rd8, %rd9;\n");
        p.append("\tst.global.f32 [%rd10], %f3;\n\tret;\n}\n");
        return p.toString();
    }

    private static BackendFunction window(Gpu gpu, int subAt) throws Exception {
        var module = PtxTranslator.translate("tree_window.ptx", windowPtx(subAt));
        return gpu.ctx.loadModule(module).function("tree_window");
    }

    private static float canon(float v) {
        return v != v ? Float.intBitsToFloat(CANONICAL) : v;
    }

    /** Thread t of block b's {@code v} (n unsigned, as the kernel compares it). */
    private static float v(float[] in, int n, int b, int t) {
        long un = n & 0xffff_ffffL;
        long i = b * 512L + t;
        float v = i < un ? in[(int) i] : 0.0f;
        if (i + 256 < un) v = canon(v + in[(int) i + 256]);
        return v;
    }

    /** Every block's final window, thread by thread ({@code s[t] = s[t + stride] op s[t]}). */
    private static int[] windows(float[] in, int n, int grid, int subAt) {
        int[] out = new int[grid * 256];
        float[] s = new float[256];
        for (int b = 0; b < grid; b++) {
            for (int t = 0; t < 256; t++) s[t] = v(in, n, b, t);
            int k = 0;
            for (int stride = 128; stride > 0; stride >>= 1, k++) {
                for (int t = 0; t < stride; t++) s[t] = canon(k == subAt ? s[t + stride] - s[t] : s[t + stride] + s[t]);
            }
            for (int t = 0; t < 256; t++) out[b * 256 + t] = Float.floatToRawIntBits(s[t]);
        }
        return out;
    }

    /**
     * Per block of 512 inputs: block 0 all {@code -0}; block 1 NaN payloads, infinities, subnormals and a pass-level
     * {@code inf + -inf} (word 200); blocks 2..5 {@code +inf}/{@code -inf} meeting first at the ladder level of
     * {@code 128 >> (b - 2)} threads; block 6 overflowing; block 7 {@code -0}/{@code +0} alternating with payloads;
     * then mixed finite values.
     */
    private static float[] input(int count) {
        float[] in = new float[count];
        for (int i = 0; i < count; i++) {
            int b = i / 512, k = i % 512;
            in[i] = switch (b) {
                case 0 -> -0.0f;
                case 1 -> k == 200 ? Float.POSITIVE_INFINITY : k == 456 ? Float.NEGATIVE_INFINITY
                        : switch (k % 11) {
                            case 0 -> Float.intBitsToFloat(0x7fc00123);
                            case 1 -> Float.intBitsToFloat(0xff800005);
                            case 2 -> Float.POSITIVE_INFINITY;
                            case 3 -> -0.0f;
                            case 4 -> Float.MIN_VALUE * (k + 1);
                            default -> k * 0.125f - 20;
                        };
                case 2, 3, 4, 5 -> {
                    int n = 128 >> (b - 2), t = n / 2 + 1;
                    yield k == t ? Float.POSITIVE_INFINITY : k == t + n ? Float.NEGATIVE_INFINITY : (k % 7) * 0.25f;
                }
                case 6 -> k % 3 == 0 ? 3.0e38f : -1.0f;
                case 7 -> k == 5 ? Float.intBitsToFloat(0x7fc00123) : k == 70 ? Float.intBitsToFloat(0xff800005)
                        : k % 2 == 0 ? -0.0f : 0.0f;
                default -> k % 11 == 0 ? -0.0f : k % 13 == 0 ? Float.MIN_VALUE * k : (k % 29 - 14) * 0.375f
                        + 0x1p-18f * (i % 9);
            };
        }
        return in;
    }

    private static final int GRID = 10;
    private static final int[] NS = {GRID * 512, GRID * 512 - 100, GRID * 512 - 256, GRID * 512 - 300,
        GRID * 512 - 512, GRID * 512 - 700, 3 * 512, -1};

    @Test
    void reduceBitForBit() throws Exception {
        try (Gpu gpu = ArmChainTest.gpu(1)) {
            BackendFunction f = reduce(gpu);
            float[] in = input(GRID * 512);
            long din = gpu.upload(in);
            long expected = 0;
            for (int n : NS) {
                long dout = gpu.upload(new int[GRID]);
                gpu.launch(f, Dim3.of(GRID), Dim3.of(256), 0, n, din, dout);
                gpu.sync();
                int[] want = windows(in, n, GRID, -1);
                int[] got = gpu.ints(dout, GRID);
                for (int b = 0; b < GRID; b++) {
                    assertEquals(want[b * 256], got[b], "reduce n=" + n + ": partial[" + b + "] want "
                            + Float.intBitsToFloat(want[b * 256]) + ", got " + Float.intBitsToFloat(got[b]));
                }
                expected += GRID;
                counted(gpu, expected, "n=" + n);
            }
        }
    }

    /** Every block's final window word by word; fused blocks counted as {@code fused}. */
    private static void windowWords(int workers, int subAt, boolean fuses) throws Exception {
        try (Gpu gpu = ArmChainTest.gpu(workers)) {
            BackendFunction f = window(gpu, subAt);
            float[] in = input(GRID * 512);
            long din = gpu.upload(in);
            long expected = 0;
            for (int n : NS) {
                long dout = gpu.upload(new int[GRID * 256]);
                gpu.launch(f, Dim3.of(GRID), Dim3.of(256), 0, n, din, dout);
                gpu.sync();
                int[] want = windows(in, n, GRID, subAt);
                int[] got = gpu.ints(dout, GRID * 256);
                for (int i = 0; i < want.length; i++) {
                    assertEquals(want[i], got[i], "tree_window sub=" + subAt + " n=" + n + ": block " + i / 256
                            + " word " + i % 256 + " want " + Integer.toHexString(want[i]) + " ("
                            + Float.intBitsToFloat(want[i]) + "), got " + Integer.toHexString(got[i]) + " ("
                            + Float.intBitsToFloat(got[i]) + ")");
                }
                expected += GRID;
                if (fuses) counted(gpu, expected, "tree_window workers=" + workers + " n=" + n);
                else assertEquals(0L, gpu.device.ladderRaws.sum(), "no ladder, n=" + n);
            }
            if (InputFuse.ENABLED) assertTrue(gpu.device.inputFuses.sum() > 0, "input passes");
        }
    }

    @Test
    void everyWindowWordBitForBit() throws Exception {
        windowWords(1, -1, true);
    }

    @Test
    void twoWorkers() throws Exception {
        windowWords(2, -1, true);
    }

    @Test
    void subAtTheFirstStep() throws Exception {
        // a sub at the first step: no ladder in the plan, not taken; the same words
        windowWords(1, 0, false);
    }

    @Test
    void subAtTheStepOfFour() throws Exception {
        // a sub at the step of 4 (strides 128 .. 1: index 5): the ladder (128..16) is still one, the tail is not
        windowWords(2, 5, true);
    }

    @Test
    void reduceAgainstSuiteReference() throws Exception {
        // SuiteReduce's own reference, +inf/-inf pairs meeting first at each tail level (blocks 2..5 meet in the ladder)
        int grid = 9;
        float[] in = ArmChainTest.input(grid * 512, 512);
        for (int j = 0; j < 4; j++) {
            int n = 8 >> j, w = n - 1, b = (2 * j + 1) * 512;
            in[b + w + 16 * 5] = Float.POSITIVE_INFINITY;
            in[b + 256 + w + n + 16 * 3] = Float.NEGATIVE_INFINITY;
        }
        for (int workers : new int[] {1, 2}) {
            try (Gpu gpu = ArmChainTest.gpu(workers)) {
                BackendFunction f = reduce(gpu);
                long din = gpu.upload(in);
                for (int n : new int[] {grid * 512, grid * 512 - 100, grid * 512 - 300, 1000, 1, -1}) {
                    long dout = gpu.upload(new int[grid]);
                    gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, n, din, dout);
                    gpu.sync();
                    int[] want = SuiteReduce.reference(in, n, grid);
                    int[] got = gpu.ints(dout, grid);
                    for (int b = 0; b < grid; b++) {
                        assertEquals(want[b], got[b], "reduce n=" + n + " workers=" + workers + ": partial[" + b
                                + "] want " + Float.intBitsToFloat(want[b]) + ", got " + Float.intBitsToFloat(got[b]));
                    }
                }
                counted(gpu, 6L * grid, "reduce workers=" + workers);
            }
        }
        int[] root = SuiteReduce.reference(in, grid * 512, grid);
        for (int j = 0; j < 4; j++) assertEquals(SuiteReduce.CANONICAL, root[2 * j + 1], "reference, tail level " + j);
    }

    @Test
    void noChainAfterTheBarrier() throws Exception {
        // pair_window: InputFuse's chain, then a plain shared load and global store: nothing to call
        int grid = 6;
        try (Gpu gpu = ArmChainTest.gpu(1)) {
            BackendFunction f = SchedulingTest.kernel(gpu, "inputfuse_hand.ptx", "pair_window");
            float[] in = input(grid * 512);
            long din = gpu.upload(in);
            int n = grid * 512 - 100;
            long dout = gpu.upload(new int[grid * 256]);
            gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, n, din, dout);
            gpu.sync();
            int[] got = gpu.ints(dout, grid * 256);
            for (int b = 0; b < grid; b++) {
                for (int t = 0; t < 256; t++) {
                    assertEquals(Float.floatToRawIntBits(v(in, n, b, 255 - t)), got[b * 256 + t],
                            "pair_window: block " + b + " thread " + t);
                }
            }
            if (InputFuse.ENABLED) assertTrue(gpu.device.inputFuses.sum() > 0, "input passes");
            assertEquals(0L, gpu.device.ladderRaws.sum(), "no ladder");
        }
    }

    @Test
    void inputEndingInABlockFaultsAsBefore() throws Exception {
        // one worker: blocks in order; block 5's second arm reads 5·512 + 256 + t, past the 5·512 + 296 floats at t = 40
        int grid = 6, have = 5 * 512 + 296, n = grid * 512;
        try (Gpu gpu = ArmChainTest.gpu(1)) {
            BackendFunction f = reduce(gpu);
            float[] in = input(have);
            long din = gpu.upload(in);
            int sentinel = 0x5eed5eed;
            int[] init = new int[grid];
            java.util.Arrays.fill(init, sentinel);
            long dout = gpu.upload(init);
            gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, n, din, dout);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result());
            assertTrue(e.getMessage().contains("block (5,0,0), thread (40,0,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("ld.global"), e.getMessage());
            int[] want = windows(input(grid * 512), n, grid, -1);
            int[] got = gpu.ints(dout, grid);
            for (int b = 0; b < 5; b++) assertEquals(want[b * 256], got[b], "partial[" + b + "]");
            assertEquals(sentinel, got[5], "partial[5]");
            counted(gpu, 5L, "blocks 0-4");
        }
    }

    @Test
    void faultAfterTheTreeKeepsItsThread() throws Exception {
        int grid = 3;
        try (Gpu gpu = ArmChainTest.gpu(1)) {
            BackendFunction f = reduce(gpu);
            long din = gpu.upload(input(grid * 512));
            gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, grid * 512, din, 16L);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result(), e.getMessage());
            assertTrue(e.getMessage().contains("block (0,0,0), thread (0,0,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("st.global"), e.getMessage());
            counted(gpu, 1L, "block 0");
        }
    }
}
