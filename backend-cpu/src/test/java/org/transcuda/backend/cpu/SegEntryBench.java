package org.transcuda.backend.cpu;

import java.util.Arrays;
import java.util.Locale;
import org.transcuda.cuda.Dim3;
import org.transcuda.spi.BackendFunction;

/**
 * Not a test: the fixed cost of one lockstep segment. Kernels {@code barK} ({@code src/test/resources/kernels/
 * segbar.cu}) run K steps of {@code s[t] += 1; __syncthreads()} (K + 2 segments per block besides the head); the
 * CPU time per block (all Java threads, {@link CpuBenchmark#cpuNanos}) of bar16 minus bar1 over 15 gives the cost of
 * one more segment per block. Usage: {@code SegEntryBench [workers] [blocks] [reps] [block size]}; prints median ns per block
 * for each K and the slope per segment.
 */
public final class SegEntryBench {
    public static void main(String[] a) throws Exception {
        int workers = a.length > 0 ? Integer.parseInt(a[0]) : 2;
        int blocks = a.length > 1 ? Integer.parseInt(a[1]) : 16384;
        int reps = a.length > 2 ? Integer.parseInt(a[2]) : 30;
        int bs = a.length > 3 ? Integer.parseInt(a[3]) : 256;
        int[] ks = {1, 4, 8, 16};
        try (Gpu gpu = Gpu.lockstep(workers)) {
            int n = blocks * bs;
            long out = gpu.alloc(n * 4L);
            BackendFunction[] f = new BackendFunction[ks.length];
            for (int k = 0; k < ks.length; k++) f[k] = SchedulingTest.kernel(gpu, "segbar.ptx", "bar" + ks[k]);
            double[][] ns = new double[ks.length][reps];
            for (int r = -5; r < reps; r++) {
                for (int k = 0; k < ks.length; k++) {
                    long c0 = CpuBenchmark.cpuNanos();
                    gpu.launch(f[k], Dim3.of(blocks), Dim3.of(bs), 0, out, n);
                    gpu.sync();
                    long c1 = CpuBenchmark.cpuNanos();
                    if (r >= 0) ns[k][r] = (c1 - c0) / (double) blocks;
                }
            }
            BackendFunction nop1 = SchedulingTest.kernel(gpu, "segbar.ptx", "nop1");
            BackendFunction nop16 = SchedulingTest.kernel(gpu, "segbar.ptx", "nop16");
            double[][] nn = new double[2][reps];
            for (int r = -5; r < reps; r++) {
                for (int k = 0; k < 2; k++) {
                    long c0 = CpuBenchmark.cpuNanos();
                    gpu.launch(k == 0 ? nop1 : nop16, Dim3.of(blocks), Dim3.of(bs), 0, out, n);
                    gpu.sync();
                    long c1 = CpuBenchmark.cpuNanos();
                    if (r >= 0) nn[k][r] = (c1 - c0) / (double) blocks;
                }
            }
            for (int k = 0; k < 2; k++) Arrays.sort(nn[k]);
            System.out.println(String.format(Locale.ROOT, "SEGBAR nop1 %.1f nop16 %.1f ns/block: per empty segment %.1f ns",
                    nn[0][reps / 2], nn[1][reps / 2], (nn[1][reps / 2] - nn[0][reps / 2]) / 15));
            gpu.launch(f[3], Dim3.of(blocks), Dim3.of(bs), 0, out, n);
            gpu.sync();
            int[] got = gpu.ints(out, n);
            for (int t = 0; t < bs; t++) {
                int want = t + 16 + (t + 1) % bs + 16;
                if (got[t] != want) throw new AssertionError("out[" + t + "] " + got[t] + " want " + want);
            }
            double[] med = new double[ks.length];
            for (int k = 0; k < ks.length; k++) {
                double[] s = ns[k].clone();
                Arrays.sort(s);
                med[k] = s[reps / 2];
                System.out.println(String.format(Locale.ROOT, "SEGBAR K=%d ns/block %.1f", ks[k], med[k]));
            }
            System.out.println(String.format(Locale.ROOT, "SEGBAR per segment (K16-K1)/15 %.1f ns, (K16-K8)/8 %.1f ns",
                    (med[3] - med[0]) / 15, (med[3] - med[2]) / 8));
        }
    }
}
