package org.transcuda.backend.vulkan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.transcuda.cuda.Dim3;
import org.transcuda.ptx.PtxTranslator;
import org.transcuda.spi.BackendFunction;
import org.transcuda.spi.BackendModule;
import org.transcuda.spi.LaunchConfig;

/**
 * Warp collectives in divergent control flow (the front end's {@code uniform-collectives} pass makes them run in
 * block-uniform control flow, predicated): kernels of {@code divergent/warp_divergent.cu} (nvcc 13 PTX) against a
 * Java model of 32-lane warps with maximal convergence — the lanes taking part in a collective are exactly the
 * lanes of the warp that reach it in the same iteration; threads that returned take part in nothing.
 */
class WarpDivergenceTest {
    private static String ptx;

    private VulkanContext ctx;
    private VulkanStream stream;
    private BackendModule module;

    @BeforeEach
    void open() throws Exception {
        if (ptx == null) {
            try (InputStream in = WarpDivergenceTest.class.getResourceAsStream("/divergent/warp_divergent.ptx")) {
                if (in == null) throw new IOException("divergent/warp_divergent.ptx missing");
                ptx = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        ctx = VulkanTestSupport.context();
        stream = ctx.createStream();
        module = ctx.loadModule(PtxTranslator.translate("warp_divergent.ptx", ptx));
    }

    @AfterEach
    void close() {
        if (module != null) module.close();
        if (ctx != null) ctx.close();
    }

    private static int[] inputs(int n, long seed) {
        Random r = new Random(seed);
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = r.nextInt(100);
        return a;
    }

    /** Lane {@code l} of warp {@code w} of block {@code b} as a global thread index, or -1 if it does not exist. */
    private static int thread(int b, int bd, int w, int l) {
        int t = w * 32 + l;
        return t < bd ? b * bd + t : -1;
    }

    @ParameterizedTest
    @CsvSource({"64,3", "128,2", "96,1"})
    void shuffleTreeUnderAWarpUniformBranch(int bd, int blocks) throws Exception {
        int total = bd * blocks;
        int[] in = inputs(total, 1);
        long din = Gpu.upload(ctx, stream, in);
        long dout = ctx.allocate(4L * total);
        BackendFunction f = module.function("wc_warp_if_shfl");
        MemorySegment args = new Args(f.ir().params()).u64("wc_warp_if_shfl_param_0", din)
                .u64("wc_warp_if_shfl_param_1", dout).segment;
        stream.launch(f, new LaunchConfig(Dim3.of(blocks), Dim3.of(bd), 0), args);
        int[] out = Gpu.download(stream, dout, total);
        for (int b = 0; b < blocks; b++) {
            for (int w = 0; w < bd / 32; w++) {
                int[] v = new int[32];
                for (int l = 0; l < 32; l++) v[l] = in[thread(b, bd, w, l)];
                for (int o = 16; o > 0; o /= 2) {
                    int[] nv = new int[32];
                    for (int l = 0; l < 32; l++) nv[l] = v[l] + (l + o <= 31 ? v[l + o] : v[l]);
                    v = nv;
                }
                for (int l = 0; l < 32; l++) {
                    int g = thread(b, bd, w, l);
                    assertEquals(w % 2 == 1 ? v[l] : -1, out[g], "thread " + g);
                }
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"64,3,150", "96,2,190", "40,4,150", "128,1,128"})
    void votesUnderLaneDivergenceAfterAnEarlyReturn(int bd, int blocks, int n) throws Exception {
        int total = bd * blocks;
        int[] in = inputs(total, 2);
        long din = Gpu.upload(ctx, stream, in);
        int[] sentinel = new int[6 * total];
        java.util.Arrays.fill(sentinel, 0x5a5a5a5a);
        long dout = Gpu.upload(ctx, stream, sentinel);
        BackendFunction f = module.function("wc_lane_votes");
        MemorySegment args = new Args(f.ir().params()).u64("wc_lane_votes_param_0", din)
                .u64("wc_lane_votes_param_1", dout).u32("wc_lane_votes_param_2", n).segment;
        stream.launch(f, new LaunchConfig(Dim3.of(blocks), Dim3.of(bd), 0), args);
        int[] out = Gpu.download(stream, dout, 6 * total);
        for (int b = 0; b < blocks; b++) {
            for (int w = 0; w < (bd + 31) / 32; w++) {
                int act = 0;
                for (int l = 0; l < 32; l++) {
                    int g = thread(b, bd, w, l);
                    if (g >= 0 && g < n && in[g] % 3 != 0) act |= 1 << l;
                }
                for (int l = 0; l < 32; l++) {
                    int g = thread(b, bd, w, l);
                    if (g < 0) continue;
                    int[] want = new int[6];
                    if (g >= n) {
                        java.util.Arrays.fill(want, 0x5a5a5a5a);
                    } else if ((act >>> l & 1) != 0) {
                        int bal = 0, red = 0, mt = 0;
                        boolean any = false, all = true;
                        for (int k = 0; k < 32; k++) {
                            if ((act >>> k & 1) == 0) continue;
                            int x = in[thread(b, bd, w, k)];
                            if (x > 50) bal |= 1 << k;
                            any |= x > 90;
                            all &= x > 10;
                            red += x;
                            if (x % 4 == in[g] % 4) mt |= 1 << k;
                        }
                        want = new int[] {act, bal, any ? 1 : 0, all ? 1 : 0, red, mt};
                    }
                    for (int k = 0; k < 6; k++) {
                        assertEquals(want[k], out[6 * g + k], "thread " + g + " (x=" + in[g] + ") result " + k);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"64,3,170", "96,2,150", "40,3,100"})
    void activemaskAndBallotInALoopWithPerThreadTripCounts(int bd, int blocks, int n) throws Exception {
        int total = bd * blocks;
        int[] in = inputs(total, 3);
        long din = Gpu.upload(ctx, stream, in);
        int[] sentinel = new int[total];
        java.util.Arrays.fill(sentinel, 0x5a5a5a5a);
        long dout = Gpu.upload(ctx, stream, sentinel);
        BackendFunction f = module.function("wc_div_loop");
        MemorySegment args = new Args(f.ir().params()).u64("wc_div_loop_param_0", din)
                .u64("wc_div_loop_param_1", dout).u32("wc_div_loop_param_2", n).segment;
        stream.launch(f, new LaunchConfig(Dim3.of(blocks), Dim3.of(bd), 0), args);
        int[] out = Gpu.download(stream, dout, total);
        for (int b = 0; b < blocks; b++) {
            for (int w = 0; w < (bd + 31) / 32; w++) {
                int[] acc = new int[32];
                for (int j = 0; j < 5; j++) {
                    int inLoop = 0;
                    int bits = 0;
                    for (int l = 0; l < 32; l++) {
                        int g = thread(b, bd, w, l);
                        if (g < 0 || g >= n || in[g] % 5 <= j) continue;
                        inLoop |= 1 << l;
                        if ((in[g] >> j & 1) != 0) bits |= 1 << l;
                    }
                    for (int l = 0; l < 32; l++) {
                        if ((inLoop >>> l & 1) == 0) continue;
                        acc[l] = acc[l] * 31 + Integer.bitCount(inLoop) * (j + 1);
                        acc[l] ^= bits;
                    }
                }
                for (int l = 0; l < 32; l++) {
                    int g = thread(b, bd, w, l);
                    if (g < 0) continue;
                    assertEquals(g < n ? acc[l] : 0x5a5a5a5a, out[g], "thread " + g + " (x=" + in[g] + ")");
                }
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"64,3,150", "128,2,200", "32,5,97"})
    void syncthreadsAfterAnEarlyReturn(int bd, int blocks, int n) throws Exception {
        int total = bd * blocks;
        int[] in = inputs(total, 4);
        long din = Gpu.upload(ctx, stream, in);
        int[] sentinel = new int[total];
        java.util.Arrays.fill(sentinel, 0x5a5a5a5a);
        long dout = Gpu.upload(ctx, stream, sentinel);
        BackendFunction f = module.function("wc_exit_sync");
        MemorySegment args = new Args(f.ir().params()).u64("wc_exit_sync_param_0", din)
                .u64("wc_exit_sync_param_1", dout).u32("wc_exit_sync_param_2", n).segment;
        stream.launch(f, new LaunchConfig(Dim3.of(blocks), Dim3.of(bd), 0), args);
        int[] out = Gpu.download(stream, dout, total);
        for (int g = 0; g < total; g++) {
            int b = g / bd;
            int p = b * bd + ((g % bd) ^ 1);
            int want = g >= n ? 0x5a5a5a5a : p < n ? in[p] * 3 : -7;
            assertEquals(want, out[g], "thread " + g);
        }
    }

    @ParameterizedTest
    @CsvSource({"64,3,170", "96,2,150", "40,3,100"})
    void nestedBranchesAndALoopLeftByADivergentBreak(int bd, int blocks, int n) throws Exception {
        int total = bd * blocks;
        int[] in = inputs(total, 5);
        long din = Gpu.upload(ctx, stream, in);
        int[] sentinel = new int[total];
        java.util.Arrays.fill(sentinel, 0x5a5a5a5a);
        long dout = Gpu.upload(ctx, stream, sentinel);
        BackendFunction f = module.function("wc_nested_break");
        MemorySegment args = new Args(f.ir().params()).u64("wc_nested_break_param_0", din)
                .u64("wc_nested_break_param_1", dout).u32("wc_nested_break_param_2", n).segment;
        stream.launch(f, new LaunchConfig(Dim3.of(blocks), Dim3.of(bd), 0), args);
        int[] out = Gpu.download(stream, dout, total);
        for (int b = 0; b < blocks; b++) {
            for (int w = 0; w < (bd + 31) / 32; w++) {
                for (int l = 0; l < 32; l++) {
                    int g = thread(b, bd, w, l);
                    if (g < 0) continue;
                    int want;
                    int x = g < n ? in[g] : 0;
                    if (g >= n) {
                        want = 0x5a5a5a5a;
                    } else if ((x & 3) == 3) {
                        want = 0;
                        for (int k = 0; k < 32; k++) {
                            int h = thread(b, bd, w, k);
                            if (h >= 0 && h < n && (in[h] & 3) == 3 && in[h] > 40) want |= 1 << k;
                        }
                    } else if ((x & 3) == 1) {
                        want = 0;
                        for (int k = 0; k < 32; k++) {
                            int h = thread(b, bd, w, k);
                            if (h >= 0 && h < n && (in[h] & 3) == 1) want = Math.max(want, in[h]);
                        }
                    } else {
                        want = 0;
                        for (int j = 0; j < 4 && x >= j * 16; j++) {
                            int inLoop = 0;
                            for (int k = 0; k < 32; k++) {
                                int h = thread(b, bd, w, k);
                                if (h >= 0 && h < n && (in[h] & 1) == 0 && in[h] >= j * 16) inLoop++;
                            }
                            want += inLoop << (8 * j);
                        }
                    }
                    assertEquals(want, out[g], "thread " + g + " (x=" + x + ")");
                }
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"64,2", "40,3"})
    void divergentBallotInsideADeviceFunction(int bd, int blocks) throws Exception {
        int total = bd * blocks;
        int[] in = inputs(total, 6);
        long din = Gpu.upload(ctx, stream, in);
        long dout = ctx.allocate(4L * total);
        BackendFunction f = module.function("wc_device_fn");
        MemorySegment args = new Args(f.ir().params()).u64("wc_device_fn_param_0", din)
                .u64("wc_device_fn_param_1", dout).segment;
        stream.launch(f, new LaunchConfig(Dim3.of(blocks), Dim3.of(bd), 0), args);
        int[] out = Gpu.download(stream, dout, total);
        for (int b = 0; b < blocks; b++) {
            for (int w = 0; w < (bd + 31) / 32; w++) {
                int ballot = 0;
                for (int k = 0; k < 32; k++) {
                    int h = thread(b, bd, w, k);
                    if (h >= 0 && (in[h] & 1) != 0 && in[h] > 30) ballot |= 1 << k;
                }
                for (int l = 0; l < 32; l++) {
                    int g = thread(b, bd, w, l);
                    if (g >= 0) assertEquals((in[g] & 1) != 0 ? ballot : 0, out[g], "thread " + g);
                }
            }
        }
    }
}
