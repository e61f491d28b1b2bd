package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.transcuda.backend.cpu.Ir.F32;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.transcuda.cuda.Dim3;
import org.transcuda.spi.BackendFunction;

/** The benchmark kernels compute what they should (bit-exact against Java's evaluation in the same order). */
class KernelsTest {
    @Test
    void tiledMatmul() throws Exception {
        int n = 64;
        Random r = new Random(1);
        float[] a = new float[n * n];
        float[] b = new float[n * n];
        for (int i = 0; i < n * n; i++) {
            a[i] = r.nextFloat() - 0.5f;
            b[i] = r.nextFloat() - 0.5f;
        }
        try (Gpu gpu = new Gpu()) {
            long da = gpu.upload(a);
            long db = gpu.upload(b);
            long dc = gpu.alloc(n * n * 4L);
            BackendFunction f = gpu.module(List.of(SharedMemoryTest.shared("As", F32, 256),
                    SharedMemoryTest.shared("Bs", F32, 256)), List.of(Kernels.matmul())).function("matmul");
            gpu.launch(f, new Dim3(n / 16, n / 16, 1), new Dim3(16, 16, 1), 0, da, db, dc, n);
            gpu.sync();
            float[] c = gpu.floats(dc, n * n);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    float s = 0;
                    for (int kk = 0; kk < n; kk++) s = Math.fma(a[i * n + kk], b[kk * n + j], s);
                    assertEquals(s, c[i * n + j], "C[" + i + "][" + j + "]");
                }
            }
        }
    }

    @Test
    void stencil() throws Exception {
        int n = 10_000;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) Math.sin(i);
        try (Gpu gpu = new Gpu()) {
            long dx = gpu.upload(x);
            long dy = gpu.upload(new float[n]);
            gpu.launch(gpu.kernel(Kernels.stencil()), (n + 255) / 256, 256, dx, dy, n);
            gpu.sync();
            float[] y = gpu.floats(dy, n);
            assertEquals(0f, y[0]);
            assertEquals(0f, y[n - 1]);
            for (int i = 1; i < n - 1; i++) {
                float e = Math.fma(x[i + 1], 0.25f, Math.fma(x[i], 0.5f, x[i - 1] * 0.25f));
                assertEquals(e, y[i], "y[" + i + "]");
            }
        }
    }

    @Test
    void blockScan() throws Exception {
        int block = 256;
        int blocks = 40;
        int n = block * blocks;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = i % 7;
        try (Gpu gpu = new Gpu()) {
            long dx = gpu.upload(x);
            long dy = gpu.alloc(n * 4L);
            long ds = gpu.alloc(blocks * 4L);
            BackendFunction f = gpu.module(List.of(SharedMemoryTest.shared("buf", F32, 2 * 1024)),
                    List.of(Kernels.blockScan())).function("scan");
            gpu.launch(f, blocks, block, dx, dy, ds);
            gpu.sync();
            float[] y = gpu.floats(dy, n);
            float[] s = gpu.floats(ds, blocks);
            for (int c = 0; c < blocks; c++) {
                float[] buf = new float[block];
                for (int t = 0; t < block; t++) buf[t] = x[c * block + t];
                for (int off = 1; off < block; off *= 2) {
                    float[] next = new float[block];
                    for (int t = 0; t < block; t++) next[t] = buf[t] + (t >= off ? buf[t - off] : 0f);
                    buf = next;
                }
                for (int t = 0; t < block; t++) assertEquals(buf[t], y[c * block + t], "y[" + (c * block + t) + "]");
                assertEquals(buf[block - 1], s[c]);
            }
        }
    }
}
