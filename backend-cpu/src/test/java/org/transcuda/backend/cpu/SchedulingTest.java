package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.transcuda.cuda.Dim3;
import org.transcuda.ir.Module;
import org.transcuda.ptx.PtxTranslator;
import org.transcuda.spi.BackendFunction;

/**
 * How blocks with warp collectives and barriers are scheduled: collectives completed within a round (the warp
 * runs on at once) must not starve other warps, and mixing them with barriers and partial warps stays exact.
 * Kernels: {@code src/test/resources/kernels/scheduling.cu} (nvcc's PTX next to it).
 */
class SchedulingTest {
    static Module ptx(String name) throws IOException {
        try (InputStream in = SchedulingTest.class.getResourceAsStream("/kernels/" + name)) {
            return PtxTranslator.translate(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    static BackendFunction kernel(Gpu gpu, String file, String name) throws Exception {
        return gpu.ctx.loadModule(ptx(file)).function(name);
    }

    @Test
    void warpSpinningOnAnotherWarpTerminates() throws Exception {
        try (Gpu gpu = new Gpu(2)) {
            BackendFunction f = kernel(gpu, "scheduling.ptx", "warp_spin");
            long out = gpu.alloc(64 * 4);
            gpu.launch(f, 1, 64, out);
            gpu.sync();
            int[] want = new int[64];
            for (int t = 0; t < 64; t++) want[t] = t < 32 ? 42 : 1;
            assertArrayEquals(want, gpu.ints(out, 64));
        }
    }

    @Test
    void shufflesThenBarrierWithPartialWarps() throws Exception {
        int blocks = 3;
        for (int n : new int[] {32, 80, 256}) {
            try (Gpu gpu = new Gpu(2)) {
                BackendFunction f = kernel(gpu, "scheduling.ptx", "warp_then_barrier");
                long out = gpu.alloc((long) blocks * n * 4);
                gpu.launch(f, Dim3.of(blocks), Dim3.of(n), 0, out);
                gpu.sync();
                int warps = (n + 31) / 32;
                int[] total = new int[warps];
                for (int t = 0; t < n; t++) total[t >> 5] += t;
                int[] want = new int[blocks * n];
                for (int b = 0; b < blocks; b++) {
                    for (int t = 0; t < n; t++) {
                        int w = t >> 5;
                        int v = 0;
                        for (int j = w * 32; j <= t; j++) v += j;
                        int other = (w ^ 1) < warps ? w ^ 1 : 0;
                        want[b * n + t] = v * 1000 + total[other];
                    }
                }
                assertArrayEquals(want, gpu.ints(out, blocks * n), "block size " + n);
            }
        }
    }

}
