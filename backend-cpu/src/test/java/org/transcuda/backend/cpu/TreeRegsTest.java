package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.transcuda.cuda.Dim3;
import org.transcuda.ptx.PtxTranslator;
import org.transcuda.spi.BackendFunction;

/**
 * {@link TreeRegs}: a tree's halving steps {@code 8·VL .. VL} over one base with the words in vector registers. Every
 * word bit for bit against Java references computed here ({@link ArmChainTest}'s thread-by-thread references): suite.ptx's
 * {@code reduce} at several {@code n}; nvcc's trees at block sizes 64 (too small for a ladder at 16 floats per vector:
 * none run), 256 and 1024 (a ladder after two general steps), storing every thread's final shared word, so every word
 * a ladder step stores is checked, not only the root; the ladder with the loads in the other operand order and at a
 * base other than the window's start; inputs whose sums make NaNs ({@code inf + -inf}) at each ladder level, carry NaN
 * payloads, overflow to infinities, and sum signed zeros ({@code -0 + -0 = -0}, {@code -0 + 0 = +0}); trees that are
 * not ladders (a sub among the four steps, a step at another base): none run, the same words. Each launch counts one
 * ladder per block where one applies ({@link CpuDevice#treeRegs}; 0 with {@code -Dtranscuda.cpu.treeRegs=false}).
 */
class TreeRegsTest {
    private static final int SENTINEL = 0x5eed5eed;

    /** Whether the vector module is there with one species length (the ladder needs it). */
    private static boolean vec() {
        return LaneVec.on() && LaneVec.length() > 0;
    }

    /** Whether {@code steps} hold nvcc's halving strides {@code 8·VL, 4·VL, 2·VL, VL} (base 0, add). */
    private static boolean nvccHasLadder(int bs) {
        return vec() && bs / 2 >= 8 * LaneVec.length();
    }

    @Test
    void reduceBitForBit() throws Exception {
        int grid = 9;
        try (Gpu gpu = ArmChainTest.gpu(2)) {
            BackendFunction f = ArmChainTest.reduce(gpu);
            float[] in = ArmChainTest.input(grid * 512, 512);
            special(in, 128, 512);
            long din = gpu.upload(in);
            long expected = 0;
            for (int n : new int[] {grid * 512, grid * 512 - 100, grid * 512 - 300, 1000, -1}) {
                long dout = gpu.upload(new int[grid]);
                gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, n, din, dout);
                gpu.sync();
                int[] want = ArmChainTest.reduceReference(in, n, grid);
                int[] got = gpu.ints(dout, grid);
                for (int b = 0; b < grid; b++) {
                    assertEquals(want[b], got[b], "reduce n=" + n + ": partial[" + b + "] want "
                            + Float.intBitsToFloat(want[b]) + ", got " + Float.intBitsToFloat(got[b]));
                }
                expected += grid;
                assertEquals(TreeRegs.ENABLED && vec() ? expected : 0, gpu.device.treeRegs.sum(), "ladders, n=" + n);
            }
        }
    }

    /**
     * Writes into blocks of {@code stride} input words whose tree's first halving step has {@code half} threads (the
     * finite odd blocks of {@link ArmChainTest#input}): block {@code 2j+1} ({@code j = 0..3}) gets {@code +inf} at word
     * {@code t = n/2 + 1} and {@code -inf} at word {@code t + n}, {@code n = half >> j}: they first meet in the step of
     * {@code n} threads, whose word {@code t} (not stored again by later steps) is then {@code inf + -inf}, a NaN;
     * block 0 is all {@code -0} (every sum {@code -0}), the last block {@code -0} and {@code +0} alternating with NaN
     * payloads at two words.
     */
    private static void special(float[] in, int half, int stride) {
        int grid = in.length / stride;
        for (int j = 0; j < 4 && 2 * j + 1 < grid; j++) {
            int n = half >> j, t = n / 2 + 1, b = (2 * j + 1) * stride;
            in[b + t] = Float.POSITIVE_INFINITY;
            in[b + t + n] = Float.NEGATIVE_INFINITY;
        }
        for (int t = 0; t < stride; t++) in[t] = -0.0f;
        int last = (grid - 1) * stride;
        for (int t = 0; t < stride; t++) in[last + t] = t % 2 == 0 ? -0.0f : 0.0f;
        in[last + 5] = Float.intBitsToFloat(0x7fc00123);
        in[last + 70 % stride] = Float.intBitsToFloat(0xff800005);
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

    /** Runs {@code steps} in blocks of {@code bs} and checks every thread's final word and the ladders counted. */
    private static void tree(List<ArmChainTest.Step> steps, int bs, int grid, int[] ns, boolean ladder, float[] in)
            throws Exception {
        try (Gpu gpu = ArmChainTest.gpu(2)) {
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
                assertEquals(ladder && TreeRegs.ENABLED && ArmChainPlan.ENABLED && vec() ? expected : 0,
                        gpu.device.treeRegs.sum(), "ladders, bs=" + bs + " n=" + n);
            }
        }
    }

    private static float[] input(int grid, int bs, int half) {
        float[] in = ArmChainTest.input(grid * bs, bs);
        special(in, half, bs);
        return in;
    }

    @Test
    void nvccTrees() throws Exception {
        assertTrue(!vec() || LaneVec.length() >= 4);
        tree(ArmChainTest.nvcc(64), 64, 9, new int[] {9 * 64, 9 * 64 - 5}, nvccHasLadder(64), input(9, 64, 32));
        tree(ArmChainTest.nvcc(256), 256, 7, new int[] {7 * 256, 7 * 256 - 77, -1}, nvccHasLadder(256),
                input(7, 256, 128));
        tree(ArmChainTest.nvcc(1024), 1024, 5, new int[] {5 * 1024, 5 * 1024 - 600}, nvccHasLadder(1024),
                input(5, 1024, 128));
    }

    @Test
    void otherOrderAndBase() throws Exception {
        // loads in the other order (s[t] + s[t + stride]); and the whole tree at base word 16 of a 512-word window
        tree(steps(128, 0, false, -1), 256, 6, new int[] {6 * 256, 6 * 256 - 31}, nvccHasLadder(256),
                input(6, 256, 128));
        // base 16: words 16 .. 271 of blocks of 512 (every word the tree reads was stored by the kernel)
        tree(steps(128, 16, true, -1), 512, 5, new int[] {5 * 512, 5 * 512 - 300}, nvccHasLadder(256),
                input(5, 512, 128));
        tree(steps(128, 16, false, -1), 512, 5, new int[] {5 * 512}, nvccHasLadder(256), input(5, 512, 128));
    }

    @Test
    void notLadders() throws Exception {
        // a sub at the ladder's third step (the steps before it cannot start one either); bs 256 at VL 16
        org.junit.jupiter.api.Assumptions.assumeTrue(LaneVec.length() == 16, "shapes chosen for 16 floats per vector");
        tree(steps(128, 0, true, 2), 256, 5, new int[] {5 * 256}, false, input(5, 256, 128));
        // a step whose store is at another base inside the would-be ladder
        List<ArmChainTest.Step> l = new ArrayList<>(steps(128, 0, true, -1));
        l.set(2, new ArmChainTest.Step(32, 0, 32, 32, "add", true, 0));
        tree(l, 256, 5, new int[] {5 * 256}, false, input(5, 256, 128));
    }
}
