package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.transcuda.ptx.PtxTranslator;
import org.transcuda.spi.BackendFunction;

/**
 * The benchmark suite's {@code scan_block} (bench/kernels/suite.ptx, from nvcc) run on a test {@link Gpu} in blocks of
 * 256 threads and checked against a Java inclusive scan of each block (its {@code out} and its per-block
 * {@code sums}); the lockstep tests that count their fast path on this kernel share it.
 */
final class SuiteScanBlock {
    private SuiteScanBlock() {
    }

    static void runAndCheck(Gpu gpu, int[] in) throws Exception {
        Path ptx = Path.of(System.getProperty("user.dir")).resolve("../bench/kernels/suite.ptx");
        var suite = PtxTranslator.translate("suite.ptx", Files.readString(ptx, StandardCharsets.UTF_8));
        int n = in.length;
        int grid = (n + 255) / 256;
        BackendFunction f = gpu.ctx.loadModule(suite).function("scan_block");
        long din = gpu.upload(in);
        long dout = gpu.upload(new int[n]);
        long dsums = gpu.upload(new int[grid]);
        gpu.launch(f, grid, 256, n, din, dout, dsums);
        gpu.sync();
        int[] out = new int[n];
        int[] sums = new int[grid];
        for (int b = 0; b < grid; b++) {
            int acc = 0;
            for (int t = 0; t < 256; t++) {
                int i = b * 256 + t;
                if (i < n) out[i] = acc += in[i];
            }
            sums[b] = acc;
        }
        assertArrayEquals(out, gpu.ints(dout, n), "n = " + n);
        assertArrayEquals(sums, gpu.ints(dsums, grid), "n = " + n);
    }
}
