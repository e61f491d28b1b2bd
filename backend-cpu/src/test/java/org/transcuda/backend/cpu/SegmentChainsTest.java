package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.transcuda.cuda.CUresult;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;

/**
 * Chains of lockstep segments fused into one method ({@link SegmentChains}): the chains {@link SegmentChains#find}
 * cuts (heads, budget, segments already taken, loops), and a kernel whose chains carry block-uniform values from
 * one segment to later ones around a loop that splits the threads, against a Java reference (full and partial
 * blocks, arms taken by none, some and all threads), with its chain methods present (with {@code
 * -Dtranscuda.cpu.chains=false}: absent), and a shared access past the array late in a chain (the fault names the
 * thread and the instruction). Kernels: {@code src/test/resources/kernels/chains.cu}.
 */
class SegmentChainsTest {
    private static String show(List<int[]> chains) {
        return chains.stream().map(Arrays::toString).toList().toString();
    }

    @Test
    void findCutsPathsFromHeadsWithinTheBudget() {
        // 0 -> 1 -> 2 -> 3 (end); 4 -> 5 -> 1 (1 already taken); 6 alone; 7 -> 8 -> 7 (a loop: no head)
        int[] next = {1, 2, 3, -1, 5, 1, -1, 8, 7};
        int[] size = {100, 100, 100, 100, 100, 100, 100, 100, 100};
        assertEquals("[[0, 1, 2, 3], [4, 5]]", show(SegmentChains.find(next, size, 1000)));
        // the budget cuts 0..3 into [0, 1] and [2, 3]
        assertEquals("[[0, 1], [2, 3], [4, 5]]", show(SegmentChains.find(next, size, 250)));
        // a segment bigger than the budget stays alone, the rest of the path goes on
        int[] big = {100, 900, 100, 100, 100, 100, 100, 100, 100};
        assertEquals("[[2, 3], [4, 5]]", show(SegmentChains.find(next, big, 250)));
        // segment 0 is a head even when a jump leads back to it; a segment jumping to itself ends its chain
        assertEquals("[[0, 1]]", show(SegmentChains.find(new int[] {1, 0}, new int[] {10, 10}, 100)));
        assertEquals("[]", show(SegmentChains.find(new int[] {0, -1}, new int[] {10, 10}, 100)));
        assertEquals("[[0, 1]]", show(SegmentChains.find(new int[] {1, 1}, new int[] {10, 10}, 100)));
    }

    private static Gpu gpu() throws BackendException {
        Gpu g = new Gpu(2);
        g.device.engine(CpuDevice.Engine.LOCKSTEP);
        return g;
    }

    private static int[] reference(int[] in, int grid, int n, int k) {
        int[] out = new int[grid * n];
        for (int b = 0; b < grid; b++) {
            int u = b * 7 + k;
            int[] s = new int[n];
            int[] v = new int[n];
            for (int t = 0; t < n; t++) s[t] = in[b * n + t] + u;
            for (int t = 0; t < n; t++) v[t] = s[(t + 1) % n];
            for (int t = 0; t < n; t++) if (t < k) s[t] = v[t] * 3;
            int[] acc = new int[n];
            for (int t = 0; t < n; t++) {
                acc[t] = u;
                for (int j = 0; j < (t & 7); j++) acc[t] += s[(t + j) % n] ^ j;
            }
            for (int t = 0; t < n; t++) s[t] = acc[t] - u * 2;
            s[0] += u;
            for (int t = 0; t < n; t++) out[b * n + t] = s[t] + v[t];
        }
        return out;
    }

    @Test
    void chainedSegmentsComputeWhatTheSegmentsDo() throws Exception {
        for (int n : new int[] {128, 96, 33, 1}) {
            for (int k : new int[] {0, 50, 128}) {
                try (Gpu gpu = gpu()) {
                    int grid = 5, total = grid * n;
                    int[] in = new int[total];
                    for (int i = 0; i < total; i++) in[i] = i * 31 - 2000;
                    long din = gpu.upload(in);
                    long dout = gpu.alloc(4L * total);
                    BackendFunction f = SchedulingTest.kernel(gpu, "chains.ptx", "chain_mix");
                    gpu.launch(f, grid, n, din, dout, k, -1);
                    gpu.sync();
                    assertArrayEquals(reference(in, grid, n, k), gpu.ints(dout, total), "block of " + n + ", k " + k);
                    long chained = Arrays.stream(((CpuFunction) f).kernel.code.getClass().getDeclaredMethods())
                            .filter(m -> m.getName().startsWith("lsc")).count();
                    if (SegmentChains.ENABLED) {
                        assertTrue(chained >= 2, "chain methods: " + chained);
                    } else {
                        assertEquals(0, chained);
                    }
                }
            }
        }
    }

    @Test
    void aFaultLateInAChainNamesItsThreadAndInstruction() throws Exception {
        try (Gpu gpu = gpu()) {
            int n = 128;
            int[] in = new int[n];
            int[] before = new int[n];
            Arrays.fill(before, -1);
            long din = gpu.upload(in);
            long dout = gpu.upload(before);
            // thread 77 reads s[277], past the 128 elements
            gpu.launch(SchedulingTest.kernel(gpu, "chains.ptx", "chain_mix"), 1, n, din, dout, 3, 77);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result());
            assertTrue(e.getMessage().contains("block (0,0,0), thread (77,0,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("ld.shared"), e.getMessage());
        }
    }
}
