package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.transcuda.cuda.CUresult;
import org.transcuda.ptx.PtxTranslator;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;

/**
 * {@link ThreadConst}: lane loops of registers that are a function of the thread index alone, run for a worker's first
 * block with every thread active and skipped for its other blocks of the launch. Results against Java references:
 * suite.ptx's {@code scan_block} (its {@code lane}, {@code warp}, {@code warpSums + 4 * warp}, {@code lane != 31},
 * {@code warp == 0} loops; the skips counted, {@link CpuDevice#constSkips}); thread-constant registers of a parameter
 * and {@code %ntid.x} in the same runs as per-block registers ({@code tid.x + ctaid.x}, a load), in blocks of several
 * sizes and launches with other parameters one after the other (a launch never reads another's values); and a
 * thread-constant loop that first runs after some threads of block 0 exited (not every thread active: the loop must
 * run again for the next block). Kernels: {@code src/test/resources/kernels/threadconst.cu}.
 */
class ThreadConstTest {
    /** scan_block's warp-0 region itself (its lane loops, checks, chain): without {@link Warp0Chain}, which skips it. */
    @org.junit.jupiter.api.BeforeEach
    void withoutWarp0Chain() {
        Warp0Chain.offForTests = true;
    }

    @org.junit.jupiter.api.AfterEach
    void restoreWarp0Chain() {
        Warp0Chain.offForTests = false;
    }

    private static Gpu gpu(int workers) throws BackendException {
        Gpu g = new Gpu(workers);
        g.device.engine(CpuDevice.Engine.LOCKSTEP);
        return g;
    }

    @Test
    void scanBlockKeepsItsLaneAndWarpRegisters() throws Exception {
        Path ptx = Path.of(System.getProperty("user.dir")).resolve("../bench/kernels/suite.ptx");
        var suite = PtxTranslator.translate("suite.ptx", Files.readString(ptx, StandardCharsets.UTF_8));
        Random r = new Random(11);
        for (int n : new int[] {256 * 9, 256 * 6 + 77}) {
            try (Gpu gpu = gpu(2)) {
                BackendFunction f = gpu.ctx.loadModule(suite).function("scan_block");
                int grid = (n + 255) / 256;
                int[] in = new int[n];
                for (int i = 0; i < n; i++) in[i] = r.nextInt();
                long din = gpu.upload(in);
                long dout = gpu.upload(new int[n]);
                long dsums = gpu.upload(new int[grid]);
                for (int launch = 0; launch < 2; launch++) {
                    gpu.launch(f, grid, 256, n, din, dout, dsums);
                    gpu.sync();
                    int[] out = new int[n];
                    int[] sums = new int[grid];
                    for (int b = 0; b < grid; b++) {
                        int acc = 0;
                        for (int t = 0; t < 256; t++) {
                            int i = b * 256 + t;
                            acc += i < n ? in[i] : 0;
                            if (i < n) out[i] = acc;
                        }
                        sums[b] = acc;
                    }
                    assertArrayEquals(out, gpu.ints(dout, n), "n = " + n);
                    assertArrayEquals(sums, gpu.ints(dsums, grid), "n = " + n);
                }
                // four loops skipped per block (ls0's tid.x, lane, warp; ls2's warpSums + 4 * warp and lane != 31;
                // ls10's warp == 0; the last block's tid.x != 255) except each worker's first block of a launch;
                // warp 0's lane > 7 loop never runs with every thread active and is skipped only with PartialConst
                // (then also its arm's prescan: PartialConstTest)
                long skips = gpu.device.constSkips.sum();
                // and the warp != 0 add's ArmShared prescan (warpSums + 4 * warp - 4 where warp != 0), kept after it
                // passed in the worker's first block; the arm loops still count as checked once
                long checks = gpu.device.constChecks.sum();
                long loops = PartialConst.ENABLED ? 5 : 4;
                long kept = PartialConst.ENABLED && ThreadConst.PRESCAN && ArmShared.ENABLED ? 2 : 1;
                if (ThreadConst.ENABLED) {
                    assertTrue(skips >= 2 * loops * (grid - 2) && skips <= 2 * loops * (grid - 1), "skips " + skips);
                    if (ThreadConst.PRESCAN && ArmShared.ENABLED) {
                        assertTrue(checks >= 2 * kept * (grid - 2) && checks <= 2 * kept * (grid - 1),
                                "checks " + checks);
                    }
                } else {
                    assertEquals(0, skips);
                    assertEquals(0, checks);
                }
                assertEquals(ArmShared.ENABLED ? 2 * 2L * grid : 0, gpu.device.armShared.sum());
            }
        }
    }

    /** Java reference of tc_mix. */
    private static int[] mix(int[] in, int n, int c, int grid, int nt, int[] old) {
        int[] out = old.clone();
        for (int b = 0; b < grid; b++) {
            int[] s = new int[nt];
            for (int t = 0; t < nt; t++) {
                int i = b * nt + t;
                s[t] = (i < n ? in[i] : 0) + t * c + (t >> 3);
            }
            for (int t = 0; t < nt; t++) {
                int i = b * nt + t;
                if (i < n) out[i] = s[(t + 1) % nt] + ((t & 31) ^ 5) + nt + t + b;
            }
        }
        return out;
    }

    @Test
    void parametersAndBlockSizesPerLaunch() throws Exception {
        try (Gpu gpu = gpu(2)) {
            BackendFunction f = SchedulingTest.kernel(gpu, "threadconst.ptx", "tc_mix");
            Random r = new Random(5);
            int cap = 40 * 256;
            int[] in = new int[cap];
            for (int i = 0; i < cap; i++) in[i] = r.nextInt();
            long din = gpu.upload(in);
            long dout = gpu.upload(new int[cap]);
            int[] have = new int[cap];
            int launch = 0;
            // one context: each launch's values of t * c and the shared index (t + 1) % nt are its own
            for (int nt : new int[] {256, 100, 33, 1024, 1, 256}) {
                for (int c : new int[] {3, -7}) {
                    int grid = Math.min(17, cap / nt);
                    int n = grid * nt - (launch % 3 == 0 ? 0 : nt / 3 + 1);
                    gpu.launch(f, grid, nt, n, c, din, dout);
                    gpu.sync();
                    have = mix(in, n, c, grid, nt, have);
                    assertArrayEquals(have, gpu.ints(dout, cap), "block of " + nt + ", c = " + c);
                    launch++;
                }
            }
            if (ThreadConst.ENABLED) assertTrue(gpu.device.constSkips.sum() > 0);
        }
    }

    @Test
    void aLoopRunWithThreadsExitedIsNotKept() throws Exception {
        for (int nt : new int[] {256, 96, 40}) {
            for (int k : new int[] {0, 1, 7, 33, nt - 1}) {
                // one worker: block 0 (threads from k exited) runs first, then block 1 with every thread active
                try (Gpu gpu = gpu(1)) {
                    BackendFunction f = SchedulingTest.kernel(gpu, "threadconst.ptx", "tc_exit");
                    int grid = 4;
                    int[] init = new int[grid * nt];
                    Arrays.fill(init, -1);
                    long dout = gpu.upload(init);
                    gpu.launch(f, grid, nt, k, dout);
                    gpu.sync();
                    int[] want = init.clone();
                    for (int b = 0; b < grid; b++) {
                        for (int t = 0; t < nt; t++) {
                            if (b == 0 && t >= k) continue;
                            want[b * nt + t] = ((t * 13) ^ (t >> 2)) + 1;
                        }
                    }
                    assertArrayEquals(want, gpu.ints(dout, grid * nt), "block of " + nt + ", k = " + k);
                    if (ThreadConst.ENABLED) assertTrue(gpu.device.constSkips.sum() > 0);
                }
            }
        }
    }

    /**
     * An {@link ArmShared} prescan of thread-constant registers is kept only from a block where every thread was
     * active: block 0's threads from k exit before the {@code warp != 0} add, so its prescan sees warps below k / 32
     * only ({@code threadconst_hand.ptx}: the predicate computed before the exit, by every thread; with
     * {@link PartialConst} block 0's prescan runs over every thread instead and is kept from block 0). Blocks of 256
     * (every warp's slot inside the array): results against Java, the check kept from block 1 and skipped in block 2;
     * blocks of 320: warp 9 reads {@code s[8]}, past the array, which block 0's prescan did not see: the fault at
     * block 1, warp 9's first thread, {@code ld.shared}.
     */
    @Test
    void armCheckKeptOnlyFromABlockWithEveryThreadActive() throws Exception {
        int grid = 3, k = 64;
        for (int nt : new int[] {256, 320}) {
            int n = grid * nt;
            int[] in = new int[n];
            Random r = new Random(nt);
            for (int i = 0; i < n; i++) in[i] = r.nextInt(1 << 20);
            try (Gpu gpu = gpu(1)) {
                BackendFunction f = SchedulingTest.kernel(gpu, "threadconst_hand.ptx", "tc_prev_hand");
                long din = gpu.upload(in);
                long dout = gpu.upload(new int[n]);
                gpu.launch(f, grid, nt, k, din, dout);
                if (nt == 320) {
                    BackendException e = assertThrows(BackendException.class, gpu::sync);
                    assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result(), e.getMessage());
                    assertTrue(e.getMessage().contains("block (1,0,0), thread (288,0,0)"), e.getMessage());
                    assertTrue(e.getMessage().contains("ld.shared"), e.getMessage());
                    continue;
                }
                gpu.sync();
                int[] want = new int[n];
                for (int b = 0; b < grid; b++) {
                    int[] s = new int[8];
                    for (int w = 0; w < 8; w++) s[w] = in[b * nt + 32 * w] * 3 + w;
                    for (int t = 0; t < nt; t++) {
                        int w = t >> 5;
                        int i = b * nt + t;
                        want[i] = b == 0 && t >= k ? (w != 0 ? 1 : 0) : in[i] + (w != 0 ? s[w - 1] : 0);
                    }
                }
                assertArrayEquals(want, gpu.ints(dout, n));
                long checks = gpu.device.constChecks.sum();
                // with PartialConst block 0's prescan runs over every thread (all of them inside s) and is kept from
                // block 0: skipped in blocks 1 and 2
                boolean keep = ThreadConst.ENABLED && ThreadConst.PRESCAN && ArmShared.ENABLED;
                assertEquals(keep ? (PartialConst.ENABLED ? 2 : 1) : 0, checks);
            }
        }
    }
}
