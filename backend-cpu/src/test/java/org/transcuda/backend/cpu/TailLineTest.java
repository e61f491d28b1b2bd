package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.Dim3;
import org.transcuda.ptx.PtxTranslator;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;

/**
 * {@link TailLine}: a tree's last halving steps 8, 4, 2, 1 as straight-line code. Every word bit for bit against Java
 * references computed here ({@link SuiteReduce#reference} for suite.ptx's {@code reduce}, {@link ArmChainTest}'s
 * thread-by-thread tree references): reduce at several {@code n} (full blocks, partial last blocks, one block, none),
 * one and two workers, inputs with NaN payloads, infinities, overflow, subnormals, signed zeros, and {@code +inf}/{@code
 * -inf} pairs that first meet at each of the four tail levels; nvcc's trees at block sizes 64, 256 and 1024 storing
 * every thread's final shared word (so every word a tail step stores is checked); the tail with the loads in the other
 * operand order and at base word 16; trees whose last four steps are not a tail (a sub, a step at another base): none
 * run, the same words; a fault after the tree (reduce's {@code partial} store to a bad address) keeps its thread and
 * instruction. Tails counted ({@link CpuDevice#tailLines}): one per block that runs its chain; 0 with
 * {@code -Dtranscuda.cpu.tailLine=false}.
 */
class TailLineTest {
    private static final int SENTINEL = 0x5eed5eed;

    private static long count(long blocks) {
        return TailLine.ENABLED && ArmChainPlan.ENABLED && ArmChain.ENABLED ? blocks : 0;
    }

    /**
     * reduce's last 16 words after the ladder are, per word {@code w}, sums of the inputs whose index is {@code w}
     * modulo 16: {@code +inf} at input word {@code w} and {@code -inf} at word {@code w + n} ({@code w < n}) of a block
     * first meet in the step of {@code n}. Blocks 1, 3, 5, 7 (finite in {@link ArmChainTest#input}) get such a pair for
     * {@code n = 8, 4, 2, 1}; block 2 is all {@code -0}, block 4 {@code -0}/{@code +0} alternating.
     */
    private static void special(float[] in, int grid) {
        for (int j = 0; j < 4 && 2 * j + 1 < grid; j++) {
            int n = 8 >> j, w = n - 1, b = (2 * j + 1) * 512;
            in[b + w + 16 * 5] = Float.POSITIVE_INFINITY;
            in[b + 256 + w + n + 16 * 3] = Float.NEGATIVE_INFINITY;
        }
        if (grid > 2) for (int t = 0; t < 512; t++) in[2 * 512 + t] = -0.0f;
        if (grid > 4) for (int t = 0; t < 512; t++) in[4 * 512 + t] = t % 2 == 0 ? -0.0f : 0.0f;
    }

    private static void reduce(int workers) throws Exception {
        int grid = 9;
        try (Gpu gpu = ArmChainTest.gpu(workers)) {
            BackendFunction f = ArmChainTest.reduce(gpu);
            float[] in = ArmChainTest.input(grid * 512, 512);
            special(in, grid);
            long din = gpu.upload(in);
            long expected = 0;
            for (int n : new int[] {grid * 512, grid * 512 - 100, grid * 512 - 300, grid * 512 - 511, 1000, 1, -1}) {
                long dout = gpu.upload(new int[grid]);
                gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, n, din, dout);
                gpu.sync();
                int[] want = SuiteReduce.reference(in, n, grid);
                int[] got = gpu.ints(dout, grid);
                for (int b = 0; b < grid; b++) {
                    assertEquals(want[b], got[b], "reduce n=" + n + " workers=" + workers + ": partial[" + b
                            + "] want " + Float.intBitsToFloat(want[b]) + ", got " + Float.intBitsToFloat(got[b]));
                }
                expected += grid;
                assertEquals(count(expected), gpu.device.tailLines.sum(), "tails, n=" + n + " workers=" + workers);
            }
        }
    }

    @Test
    void reduceOneWorker() throws Exception {
        reduce(1);
    }

    @Test
    void reduceTwoWorkers() throws Exception {
        reduce(2);
    }

    @Test
    void reduceNaNsMeetAtEachTailLevel() throws Exception {
        // the specials alone: check that each block's root is the canonical NaN where a pair meets, finite elsewhere
        int grid = 8;
        float[] in = new float[grid * 512];
        for (int i = 0; i < in.length; i++) in[i] = (i % 23 - 11) * 0.5f;
        special(in, grid);
        int[] want = SuiteReduce.reference(in, grid * 512, grid);
        for (int j = 0; j < 4; j++) assertEquals(SuiteReduce.CANONICAL, want[2 * j + 1], "reference, level " + j);
        try (Gpu gpu = ArmChainTest.gpu(2)) {
            BackendFunction f = ArmChainTest.reduce(gpu);
            long din = gpu.upload(in);
            long dout = gpu.upload(new int[grid]);
            gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, grid * 512, din, dout);
            gpu.sync();
            int[] got = gpu.ints(dout, grid);
            for (int b = 0; b < grid; b++) assertEquals(want[b], got[b], "partial[" + b + "]");
            assertEquals(count(grid), gpu.device.tailLines.sum(), "tails");
        }
    }

    @Test
    void faultAfterTheTreeKeepsItsThread() throws Exception {
        int grid = 3;
        try (Gpu gpu = ArmChainTest.gpu(1)) {
            BackendFunction f = ArmChainTest.reduce(gpu);
            long din = gpu.upload(ArmChainTest.input(grid * 512, 512));
            gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, grid * 512, din, 16L);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result(), e.getMessage());
            assertTrue(e.getMessage().contains("block (0,0,0), thread (0,0,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("st.global"), e.getMessage());
        }
    }

    /** Halving steps from {@code first} down to 1 at word {@code base}; step {@code subAt} a sub. */
    private static List<ArmChainTest.Step> steps(int first, int base, boolean swap, int subAt) {
        List<ArmChainTest.Step> l = new ArrayList<>();
        int k = 0;
        for (int stride = first; stride > 0; stride >>= 1, k++) {
            l.add(new ArmChainTest.Step(stride, base, base + stride, base, k == subAt ? "sub" : "add", swap, k % 3));
        }
        return l;
    }

    /** Blocks of {@code bs} inputs with {@code +inf}/{@code -inf} meeting at each tail level in blocks 1, 3, 5, 7. */
    private static float[] input(int grid, int bs) {
        float[] in = ArmChainTest.input(grid * bs, bs);
        for (int j = 0; j < 4 && 2 * j + 1 < grid; j++) {
            int n = 8 >> j, w = n - 1, b = (2 * j + 1) * bs;
            in[b + w] = Float.POSITIVE_INFINITY;
            in[b + w + n + 16] = Float.NEGATIVE_INFINITY;
        }
        return in;
    }

    /** Runs {@code steps} in blocks of {@code bs}, checks every thread's final word and the tails counted. */
    private static void tree(List<ArmChainTest.Step> steps, int bs, int grid, int[] ns, boolean tail, int workers)
            throws Exception {
        float[] in = input(grid, bs);
        try (Gpu gpu = ArmChainTest.gpu(workers)) {
            var module = PtxTranslator.translate("tree.ptx", ArmChainTest.treePtx(steps, -1, false));
            BackendFunction f = gpu.ctx.loadModule(module).function("tree");
            long din = gpu.upload(in);
            long expected = 0;
            for (int n : ns) {
                int[] init = new int[grid * bs];
                java.util.Arrays.fill(init, SENTINEL);
                long dout = gpu.upload(init);
                gpu.launch(f, Dim3.of(grid), Dim3.of(bs), 0, n, din, dout, bs);
                gpu.sync();
                int[] want = ArmChainTest.treeReference(steps, in, n, grid, bs, bs, SENTINEL, -1);
                int[] got = gpu.ints(dout, grid * bs);
                for (int i = 0; i < want.length; i++) {
                    assertEquals(want[i], got[i], "bs=" + bs + " n=" + n + ": block " + i / bs + " thread " + i % bs
                            + " want " + Float.intBitsToFloat(want[i]) + ", got " + Float.intBitsToFloat(got[i]));
                }
                expected += grid;
                assertEquals(expected, gpu.device.armChains.sum(), "chains, bs=" + bs + " n=" + n);
                assertEquals(tail ? count(expected) : 0, gpu.device.tailLines.sum(), "tails, bs=" + bs + " n=" + n);
            }
        }
    }

    @Test
    void nvccTrees() throws Exception {
        tree(ArmChainTest.nvcc(64), 64, 9, new int[] {9 * 64, 9 * 64 - 5}, true, 2);
        tree(ArmChainTest.nvcc(256), 256, 7, new int[] {7 * 256, 7 * 256 - 77, -1}, true, 1);
        tree(ArmChainTest.nvcc(1024), 1024, 5, new int[] {5 * 1024, 5 * 1024 - 600}, true, 2);
    }

    @Test
    void otherOrderAndBase() throws Exception {
        tree(steps(128, 0, false, -1), 256, 6, new int[] {6 * 256, 6 * 256 - 31}, true, 2);
        tree(steps(128, 16, true, -1), 512, 5, new int[] {5 * 512, 5 * 512 - 300}, true, 2);
        tree(steps(128, 16, false, -1), 512, 5, new int[] {5 * 512}, true, 1);
    }

    @Test
    void notTails() throws Exception {
        // a sub at the step of 4 (strides 128 .. 1: index 5)
        tree(steps(128, 0, true, 5), 256, 5, new int[] {5 * 256}, false, 2);
        // the step of 2 storing at another base
        List<ArmChainTest.Step> l = new ArrayList<>(steps(128, 0, true, -1));
        l.set(6, new ArmChainTest.Step(2, 0, 2, 2, "add", true, 0));
        tree(l, 256, 5, new int[] {5 * 256}, false, 2);
    }
}
