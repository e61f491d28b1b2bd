package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.transcuda.cuda.Dim3;
import org.transcuda.ptx.PtxTranslator;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;

/**
 * {@link ArmChain}: chains of barrier-separated tree steps run as one call. Every output word bit for bit against
 * Java references computed here (NaN payloads, infinities whose sum or difference is a NaN, overflow, subnormals,
 * signed zeros among the inputs): suite.ptx's {@code reduce} at several {@code n} (a partial last block, {@code n}
 * = -1); trees generated here as PTX whose kernels store every thread's final shared word, so the words the chain
 * leaves are checked, not only the root: nvcc's shape at block sizes 64, 256 and 1024 (every step through stride 1
 * in the chain), and a tree with another order and other bounds (ranges wider than the stride, a store at an offset,
 * sub and mul, the loads' operands swapped, the compare written {@code lt} with a negated branch and signed
 * {@code ge}), whose ranges make threads of one range read words others of it store (vectors only where that is the
 * same, scalar thread order otherwise); small steps down to one thread with loads in either order, sub and mul,
 * and NaNs made by the steps themselves (blocks of 16: {@code inf - inf}, {@code 0 · inf}, {@code -inf + inf}).
 * Each launch counts one chain per block ({@link CpuDevice#armChains}), and with {@link ArmChainPlan} on, one chain
 * run from its launch's plan per block ({@link CpuDevice#armChainPlans}; its general steps — a predicate written per
 * run, a fixed word — and its scalar-only steps are among the trees here). Not
 * every thread active (threads {@code t >= live} exit after the first barrier): the general path, nothing counted,
 * the same words.
 */
class ArmChainTest {
    private static final int CANONICAL = 0x7fffffff;

    static Gpu gpu(int workers) throws BackendException {
        Gpu g = new Gpu(workers);
        g.device.engine(CpuDevice.Engine.LOCKSTEP);
        return g;
    }

    private static float value(int i) {
        return switch (i % 97) {
            case 0 -> Float.intBitsToFloat(0x7fc00123);
            case 1 -> Float.intBitsToFloat(0xff800005);
            case 2 -> Float.POSITIVE_INFINITY;
            case 3 -> Float.NEGATIVE_INFINITY;
            case 4 -> -0.0f;
            case 5 -> 3.0e38f;
            case 6 -> Float.MIN_VALUE * (i % 7 + 1);
            default -> (i % 37 - 18) * 0.25f + 0x1p-20f * (i % 5);
        };
    }

    /** Blocks of {@code bs}: even ones with NaNs, infinities and overflow, odd ones finite (subnormals, -0). */
    static float[] input(int count, int bs) {
        float[] in = new float[count];
        for (int i = 0; i < count; i++) {
            int k = i % bs;
            in[i] = (i / bs) % 2 == 0 ? value(i * 7 + 3)
                    : k % 11 == 0 ? -0.0f : k % 13 == 0 ? Float.MIN_VALUE * k : (k % 29 - 14) * 0.375f
                            + 0x1p-18f * (i % 9);
        }
        return in;
    }

    private static float canon(float v) {
        return v != v ? Float.intBitsToFloat(CANONICAL) : v;
    }

    // ---- suite.ptx's reduce ----

    static BackendFunction reduce(Gpu gpu) throws Exception {
        Path ptx = Path.of(System.getProperty("user.dir")).resolve("../bench/kernels/suite.ptx");
        var suite = PtxTranslator.translate("suite.ptx", Files.readString(ptx, StandardCharsets.UTF_8));
        return gpu.ctx.loadModule(suite).function("reduce");
    }

    static int[] reduceReference(float[] in, int n, int grid) {
        return SuiteReduce.reference(in, n, grid);
    }

    @Test
    void reduceBitForBit() throws Exception {
        int grid = 9;
        try (Gpu gpu = gpu(2)) {
            BackendFunction f = reduce(gpu);
            float[] in = input(grid * 512, 512);
            long din = gpu.upload(in);
            long expected = 0;
            for (int n : new int[] {grid * 512, grid * 512 - 100, grid * 512 - 300, grid * 512 - 511, 1000, -1}) {
                long dout = gpu.upload(new int[grid]);
                gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, n, din, dout);
                gpu.sync();
                int[] want = reduceReference(in, n, grid);
                int[] got = gpu.ints(dout, grid);
                for (int b = 0; b < grid; b++) {
                    assertEquals(want[b], got[b], "reduce n=" + n + ": partial[" + b + "] want "
                            + Float.intBitsToFloat(want[b]) + ", got " + Float.intBitsToFloat(got[b]));
                }
                expected += grid;
                assertEquals(expected, gpu.device.armChains.sum(), "chains run, n=" + n);
                // the last step (t < 1, its predicate read again by t == 0's store) is in the chain
                assertEquals(ArmChain.PRED_OUT ? expected : 0, gpu.device.armChainPreds.sum(),
                        "predicates written, n=" + n);
                // ArmChainPlan: every chain ran from its launch's plan
                assertEquals(ArmChainPlan.ENABLED ? expected : 0, gpu.device.armChainPlans.sum(),
                        "chains run from a plan, n=" + n);
            }
        }
    }

    // ---- trees generated here ----

    /**
     * A step: {@code if (t < bound) s[t + ds] = op(s[t + d0], s[t + d1])} (op "add", "sub" or "mul"; the operands
     * swapped when {@code swap}); {@code style} 0: {@code setp.gt.u32 p, t, bound-1; @p bra}, 1:
     * {@code setp.lt.u32 p, t, bound; @!p bra}, 2: {@code setp.ge.s32 p, t, bound; @p bra}.
     */
    record Step(int bound, int d0, int d1, int ds, String op, boolean swap, int style, int fixed) {
        Step(int bound, int d0, int d1, int ds, String op, boolean swap, int style) {
            this(bound, d0, d1, ds, op, swap, style, -1);
        }

        /** Whether the step's compare is true for thread {@code t} (true: the branch around the arm taken). */
        boolean pred(int t) {
            return switch (style) {
                case 0 -> Integer.compareUnsigned(t, bound - 1) > 0;
                case 1 -> Integer.compareUnsigned(t, bound) < 0;
                default -> t >= bound;
            };
        }
    }

    /** nvcc's tree for a block of {@code bs}: strides bs/2 .. 1, {@code s[t] = s[t + stride] + s[t]}. */
    static List<Step> nvcc(int bs) {
        List<Step> l = new java.util.ArrayList<>();
        for (int stride = bs / 2; stride > 0; stride >>= 1) l.add(new Step(stride, 0, stride, 0, "add", true, 0));
        return l;
    }

    /**
     * {@code tree(n, in, out, live)}: {@code s[t] = i < n ? in[i] : 0} ({@code i = ctaid·ntid + t}), barrier, threads
     * {@code t >= live} exit, the steps (each followed by a barrier), then {@code out[i] = s[t]}.
     */
    private static String treePtx(List<Step> steps) {
        return treePtx(steps, -1);
    }

    /**
     * {@link #treePtx(List)}; when {@code reuse >= 0}, step {@code reuse}'s predicate is read again after the tree:
     * {@code out[i] = p ? bits(s[t]) : bits(s[t]) ^ 0x0badf00d} ({@code selp.b32}), and the first load of a step with
     * {@code fixed >= 0} reads the one word {@code s[fixed]} ({@code [s+4·fixed]}) for every thread.
     */
    private static String treePtx(List<Step> steps, int reuse) {
        return treePtx(steps, reuse, false);
    }

    /** {@code redef}: step {@code reuse}'s predicate also defined before the tree (not thread-constant). */
    static String treePtx(List<Step> steps, int reuse, boolean redef) {
        StringBuilder p = new StringBuilder();
        p.append(".version 7.0\n.target sm_52\n.address_size 64\n\n");
        p.append(".visible .entry tree(.param .u32 tree_n, .param .u64 tree_in, .param .u64 tree_out,"
                + " .param .u32 tree_live)\n{\n");
        p.append("\t.reg .pred %p<100>;\n\t.reg .f32 %f<400>;\n\t.reg .b32 %r<20>;\n\t.reg .b64 %rd<20>;\n");
        p.append("\t.shared .align 4 .b8 s[4096];\n");
        p.append("\tld.param.u32 %r6, [tree_n];\n\tld.param.u64 %rd3, [tree_in];\n\tld.param.u64 %rd2, [tree_out];\n");
        p.append("\tld.param.u32 %r11, [tree_live];\n");
        p.append("\tcvta.to.global.u64 %rd1, %rd3;\n\tcvta.to.global.u64 %rd8, %rd2;\n");
        p.append("\tmov.u32 %r1, %ctaid.x;\n\tmov.u32 %r2, %tid.x;\n\tmov.u32 %r10, %ntid.x;\n");
        p.append("\tmad.lo.s32 %r3, %r1, %r10, %r2;\n\tsetp.ge.u32 %p1, %r3, %r6;\n\tmov.f32 %f1, 0f00000000;\n");
        if (redef) p.append("\tsetp.eq.u32 %p").append(10 + reuse).append(", %r3, 7;\n");
        p.append("\t@%p1 bra $L_load;\n\tmul.wide.u32 %rd4, %r3, 4;\n\tadd.s64 %rd5, %rd1, %rd4;\n");
        p.append("\tld.global.f32 %f1, [%rd5];\n$L_load:\n");
        p.append("\tshl.b32 %r8, %r2, 2;\n\tmov.u32 %r9, s;\n\tadd.s32 %r5, %r9, %r8;\n");
        p.append("\tst.shared.f32 [%r5], %f1;\n\tbar.sync 0;\n");
        p.append("\tsetp.ge.u32 %p2, %r2, %r11;\n\t@%p2 bra $L_exit;\n");
        int f = 10;
        for (int k = 0; k < steps.size(); k++) {
            Step s = steps.get(k);
            String pr = "%p" + (10 + k);
            switch (s.style) {
                case 0 -> p.append("\tsetp.gt.u32 ").append(pr).append(", %r2, ").append(s.bound - 1)
                        .append(";\n\t@").append(pr).append(" bra $L_s").append(k).append(";\n");
                case 1 -> p.append("\tsetp.lt.u32 ").append(pr).append(", %r2, ").append(s.bound)
                        .append(";\n\t@!").append(pr).append(" bra $L_s").append(k).append(";\n");
                default -> p.append("\tsetp.ge.s32 ").append(pr).append(", %r2, ").append(s.bound)
                        .append(";\n\t@").append(pr).append(" bra $L_s").append(k).append(";\n");
            }
            String a = "%f" + f, b = "%f" + (f + 1), z = "%f" + (f + 2);
            f += 3;
            p.append("\tld.shared.f32 ").append(a).append(", ")
                    .append(s.fixed >= 0 ? "[s+" + 4 * s.fixed + "]" : addr(s.d0)).append(";\n");
            p.append("\tld.shared.f32 ").append(b).append(", ").append(addr(s.d1)).append(";\n");
            p.append('\t').append(s.op).append(".f32 ").append(z).append(", ")
                    .append(s.swap ? b + ", " + a : a + ", " + b).append(";\n");
            p.append("\tst.shared.f32 ").append(addr(s.ds)).append(", ").append(z).append(";\n");
            p.append("$L_s").append(k).append(":\n\tbar.sync 0;\n");
        }
        p.append("\tld.shared.f32 %f2, [%r5];\n\tmul.wide.u32 %rd9, %r3, 4;\n\tadd.s64 %rd10, %rd8, %rd9;\n");
        if (reuse >= 0) {
            p.append("\tmov.b32 %r12, %f2;\n\txor.b32 %r13, %r12, 195948557;\n");
            p.append("\tselp.b32 %r14, %r12, %r13, %p").append(10 + reuse).append(";\n");
            p.append("\tst.global.b32 [%rd10], %r14;\n$L_exit:\n\tret;\n}\n");
        } else {
            p.append("\tst.global.f32 [%rd10], %f2;\n$L_exit:\n\tret;\n}\n");
        }
        return p.toString();
    }

    private static String addr(int d) {
        return d == 0 ? "[%r5]" : "[%r5+" + 4 * d + "]";
    }

    private static float op(String op, float a, float b) {
        return canon(switch (op) {
            case "add" -> a + b;
            case "sub" -> a - b;
            default -> a * b;
        });
    }

    /** Every thread's final shared word, thread by thread in order within each step (threads t >= live: sentinel). */
    private static int[] treeReference(List<Step> steps, float[] in, int n, int grid, int bs, int live, int sentinel) {
        return treeReference(steps, in, n, grid, bs, live, sentinel, -1);
    }

    static int[] treeReference(List<Step> steps, float[] in, int n, int grid, int bs, int live, int sentinel,
            int reuse) {
        long un = n & 0xffff_ffffL;
        int[] out = new int[grid * bs];
        float[] s = new float[1024];
        for (int b = 0; b < grid; b++) {
            for (int t = 0; t < bs; t++) {
                long i = (long) b * bs + t;
                s[t] = i < un ? in[(int) i] : 0.0f;
            }
            for (Step st : steps) {
                for (int t = 0; t < Math.min(st.bound, live); t++) {
                    float x = s[st.fixed >= 0 ? st.fixed : t + st.d0], y = s[t + st.d1];
                    s[t + st.ds] = st.swap ? op(st.op, y, x) : op(st.op, x, y);
                }
            }
            for (int t = 0; t < bs; t++) {
                int v = Float.floatToRawIntBits(s[t]);
                if (reuse >= 0 && !steps.get(reuse).pred(t)) v ^= 0x0badf00d;
                out[b * bs + t] = t < live ? v : sentinel;
            }
        }
        return out;
    }

    private static void tree(List<Step> steps, int bs, int grid, int[] ns, int live, boolean counted)
            throws Exception {
        tree(steps, bs, grid, ns, live, counted, input(grid * bs, bs));
    }

    private static void tree(List<Step> steps, int bs, int grid, int[] ns, int live, boolean counted, float[] in)
            throws Exception {
        tree(steps, bs, grid, ns, live, counted, in, -1, 0);
    }

    private static void tree(List<Step> steps, int bs, int grid, int[] ns, int live, boolean counted, float[] in,
            int reuse, int preds) throws Exception {
        tree(steps, bs, grid, ns, live, counted, in, reuse, preds, false);
    }

    /** {@code preds}: predicate arrays the chain writes per block ({@code reuse}: see {@link #treePtx(List, int)}). */
    private static void tree(List<Step> steps, int bs, int grid, int[] ns, int live, boolean counted, float[] in,
            int reuse, int preds, boolean redef) throws Exception {
        int sentinel = 0x5eed5eed;
        try (Gpu gpu = gpu(2)) {
            var module = PtxTranslator.translate("tree.ptx", treePtx(steps, reuse, redef));
            BackendFunction f = gpu.ctx.loadModule(module).function("tree");
            long din = gpu.upload(in);
            long expected = 0;
            for (int n : ns) {
                int[] init = new int[grid * bs];
                java.util.Arrays.fill(init, sentinel);
                long dout = gpu.upload(init);
                gpu.launch(f, Dim3.of(grid), Dim3.of(bs), 0, n, din, dout, live);
                gpu.sync();
                int[] want = treeReference(steps, in, n, grid, bs, live, sentinel, reuse);
                int[] got = gpu.ints(dout, grid * bs);
                for (int i = 0; i < want.length; i++) {
                    assertEquals(want[i], got[i], "bs=" + bs + " n=" + n + " live=" + live + ": block " + i / bs
                            + " thread " + i % bs + " want " + Float.intBitsToFloat(want[i]) + ", got "
                            + Float.intBitsToFloat(got[i]));
                }
                if (counted) expected += grid;
                assertEquals(expected, gpu.device.armChains.sum(), "chains run, bs=" + bs + " n=" + n);
                assertEquals(expected * preds, gpu.device.armChainPreds.sum(), "predicates written, bs=" + bs
                        + " n=" + n);
                assertEquals(ArmChainPlan.ENABLED ? expected : 0, gpu.device.armChainPlans.sum(),
                        "chains run from a plan, bs=" + bs + " n=" + n);
            }
        }
    }

    @Test
    void nvccTreeAt256() throws Exception {
        tree(nvcc(256), 256, 7, new int[] {7 * 256, 7 * 256 - 77, -1}, 256, true);
    }

    @Test
    void nvccTreeAt64() throws Exception {
        tree(nvcc(64), 64, 9, new int[] {9 * 64, 9 * 64 - 5}, 64, true);
    }

    @Test
    void nvccTreeAt1024() throws Exception {
        tree(nvcc(1024), 1024, 3, new int[] {3 * 1024, 3 * 1024 - 600}, 1024, true);
    }

    @Test
    void otherOrderAndBounds() throws Exception {
        List<Step> steps = List.of(
                new Step(64, 0, 16, 0, "add", false, 0),    // threads 16..63 read words threads 0..47 store
                new Step(32, 0, 16, 16, "sub", false, 1),   // the store at +16: group 1 reads what group 0 stored
                new Step(100, 128, 0, 0, "mul", false, 2),  // a range wider than a power of two, operands swapped
                new Step(64, 0, 4, 0, "add", true, 0),      // distance 4 inside a range of 64: scalar thread order
                new Step(48, 0, 1, 4, "add", false, 0),     // thread t reads what threads t-4 and t-3 just stored
                new Step(8, 0, 4, 0, "add", true, 1),
                new Step(3, 1, 0, 0, "sub", true, 2));
        tree(steps, 256, 6, new int[] {6 * 256, 6 * 256 - 200}, 256, true);
    }

    @Test
    void smallStepsMakingNaNs() throws Exception {
        // blocks of 16: inf - inf, 0 · inf and -inf + inf made by the steps themselves (canonical NaNs stored)
        List<Step> steps = List.of(
                new Step(8, 8, 0, 0, "sub", false, 0),
                new Step(4, 0, 4, 0, "mul", true, 1),
                new Step(2, 2, 0, 0, "add", true, 2),
                new Step(1, 0, 1, 0, "add", false, 0));
        int grid = 4;
        float[] in = new float[grid * 16];
        for (int i = 0; i < in.length; i++) in[i] = (i % 16 - 7) * 0.5f + Float.MIN_VALUE * (i % 3);
        in[0] = Float.POSITIVE_INFINITY;                            // block 0: s[0] = inf - inf
        in[8] = Float.POSITIVE_INFINITY;
        in[16 + 1] = 1.0e38f;                                       // block 1: s[1] = inf - 1e38, then 0 · inf
        in[16 + 9] = Float.POSITIVE_INFINITY;
        in[16 + 5] = 0.0f;
        in[16 + 13] = 0.0f;
        in[32 + 0] = Float.NEGATIVE_INFINITY;                       // block 2: -inf and +inf meet at step 2
        in[32 + 8] = -1.0f;
        in[32 + 2] = Float.POSITIVE_INFINITY;
        in[32 + 10] = 2.0f;
        tree(steps, 16, grid, new int[] {grid * 16}, 16, true, in);
    }

    @Test
    void smallStepsInOtherOrders() throws Exception {
        // loads in either order, sub/mul, operands swapped, down to one thread
        List<Step> steps = List.of(
                new Step(64, 0, 64, 0, "add", true, 0),
                new Step(16, 0, 16, 0, "add", false, 1),
                new Step(8, 8, 0, 0, "sub", false, 0),
                new Step(4, 0, 4, 0, "mul", true, 2),
                new Step(2, 2, 0, 0, "add", true, 1),
                new Step(1, 0, 1, 0, "sub", true, 0));
        tree(steps, 128, 6, new int[] {6 * 128, 6 * 128 - 50}, 128, true);
    }

    @Test
    void lastPredicateReadAgain() throws Exception {
        // nvcc's tree whose last step's predicate (t > 0) selects each thread's output: every thread's entry checked
        List<Step> steps = nvcc(256);
        tree(steps, 256, 5, new int[] {5 * 256, 5 * 256 - 90}, 256, true, input(5 * 256, 256), steps.size() - 1,
                ArmChain.PRED_OUT ? 1 : 0);
    }

    @Test
    void middlePredicateReadAgainAndFixedWords() throws Exception {
        // step 1's predicate (signed t >= 40) read after the tree; steps loading one fixed word, s[3] inside the
        // step's own range (threads after 3 read what thread 3 stored) and s[100] outside it
        List<Step> steps = List.of(
                new Step(64, 0, 64, 0, "add", true, 0),
                new Step(40, 0, 0, 0, "sub", false, 2, 3),
                new Step(16, 0, 2, 0, "mul", true, 1, 100),
                new Step(1, 0, 1, 0, "add", false, 0));
        boolean on = ArmChain.PRED_OUT;
        tree(steps, 128, 6, new int[] {6 * 128, 6 * 128 - 50}, 128, true, input(6 * 128, 128), 1, on ? 1 : 0);
        tree(steps, 128, 4, new int[] {4 * 128}, 100, false, input(4 * 128, 128), 1, 0);
        // the predicate also defined before the tree (not thread-constant): its array written by every chain
        tree(steps, 128, 6, new int[] {6 * 128, 6 * 128 - 50}, 128, true, input(6 * 128, 128), 1, on ? 1 : 0, true);
    }

    @Test
    void notEveryThreadActiveRunsTheSegments() throws Exception {
        tree(nvcc(256), 256, 5, new int[] {5 * 256, 5 * 256 - 30}, 200, false);
    }
}
