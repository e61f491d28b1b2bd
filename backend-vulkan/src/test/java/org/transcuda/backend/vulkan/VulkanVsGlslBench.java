package org.transcuda.backend.vulkan;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.transcuda.cuda.Dim3;
import org.transcuda.ir.Param;
import org.transcuda.ir.ScalarType;
import org.transcuda.ptx.PtxTranslator;
import org.transcuda.spi.BackendFunction;
import org.transcuda.spi.BackendModule;
import org.transcuda.spi.LaunchConfig;

/**
 * Not a test: {@code bench/vulkan-vs-glsl.sh} runs it. The same kernels as nvcc's PTX through Transcuda's code
 * generator and written by hand in GLSL (compiled by glslang), launched alternately on the first Vulkan device in
 * the same run through the same runtime (15 timed launches each after 2 warm-ups, alternating); prints the median times and checks that both computed the same thing.
 *
 * <p>Arguments: the PTX file, then the SPIR-V of {@code saxpy.comp} and {@code ihash.comp}.
 */
public final class VulkanVsGlslBench {
    private VulkanVsGlslBench() {
    }

    private static int[] words(Path spv) throws Exception {
        byte[] b = Files.readAllBytes(spv);
        int[] w = new int[b.length / 4];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(w);
        return w;
    }

    public static void main(String[] args) throws Exception {
        int n = 1 << 22;
        int rounds = 15;
        VulkanContext ctx = VulkanTestSupport.usableDevice().orElseThrow().createContext();
        VulkanStream s = ctx.createStream();
        BackendModule m = ctx.loadModule(PtxTranslator.translate("kernels.ptx", Files.readString(Path.of(args[0]))));
        List<Param> saxpyParams = List.of(new Param("x", ScalarType.U64, 1, 8, 0), new Param("y", ScalarType.U64, 1, 8, 8),
                new Param("a", ScalarType.F32, 1, 4, 16), new Param("n", ScalarType.U32, 1, 4, 20));
        List<Param> hashParams = List.of(new Param("v", ScalarType.U64, 1, 8, 0), new Param("n", ScalarType.U32, 1, 4, 8));
        VulkanFunction gSaxpy = ctx.load(new VulkanKernel("main", words(Path.of(args[1])), saxpyParams,
                VulkanKernel.ArgsMode.PUSH_CONSTANTS, 0));
        VulkanFunction gHash = ctx.load(new VulkanKernel("main", words(Path.of(args[2])), hashParams,
                VulkanKernel.ArgsMode.PUSH_CONSTANTS, 0));
        BackendFunction tSaxpy = m.function("saxpy");
        BackendFunction tHash = m.function("ihash");

        float[] x = new float[n];
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
            x[i] = (i % 1000) * 0.25f;
            v[i] = i * 2654435761L > 0 ? i : ~i;
        }
        long dx = ctx.allocate(4L * n);
        long dy1 = ctx.allocate(4L * n);
        long dy2 = ctx.allocate(4L * n);
        long dv1 = ctx.allocate(4L * n);
        long dv2 = ctx.allocate(4L * n);
        s.copyHostToDevice(dx, MemorySegment.ofArray(x));
        s.copyHostToDevice(dv1, MemorySegment.ofArray(v));
        s.copyHostToDevice(dv2, MemorySegment.ofArray(v));
        s.fill(dy1, 0, 4, n);
        s.fill(dy2, 0, 4, n);
        s.synchronize();
        LaunchConfig cfg = new LaunchConfig(Dim3.of((n + 255) / 256), Dim3.of(256), 0);
        MemorySegment a1 = new Args(saxpyParams).u64("x", dx).u64("y", dy1).f32("a", 0, 1.5f).u32("n", n).segment;
        MemorySegment a2 = new Args(saxpyParams).u64("x", dx).u64("y", dy2).f32("a", 0, 1.5f).u32("n", n).segment;
        MemorySegment h1 = new Args(hashParams).u64("v", dv1).u32("n", n).segment;
        MemorySegment h2 = new Args(hashParams).u64("v", dv2).u32("n", n).segment;
        long[][] t = new long[4][rounds];
        for (int r = 0; r < rounds + 2; r++) {
            long[] times = {time(s, tSaxpy, cfg, a1), time(s, gSaxpy, cfg, a2), time(s, tHash, cfg, h1),
                time(s, gHash, cfg, h2)};
            if (r >= 2) for (int k = 0; k < 4; k++) t[k][r - 2] = times[k];
        }
        int[] y1 = Gpu.download(s, dy1, n);
        int[] y2 = Gpu.download(s, dy2, n);
        int[] v1 = Gpu.download(s, dv1, n);
        int[] v2 = Gpu.download(s, dv2, n);
        System.out.println("same results: saxpy " + Arrays.equals(y1, y2) + ", ihash " + Arrays.equals(v1, v2));
        String[] names = {"saxpy, n = 2^22", "ihash, n = 2^22, 64 rounds"};
        System.out.println("| kernel | Transcuda (PTX -> SPIR-V) | GLSL (glslang) | ratio |");
        System.out.println("|---|---|---|---|");
        for (int k = 0; k < 2; k++) {
            double ours = median(t[2 * k]) / 1e6;
            double glsl = median(t[2 * k + 1]) / 1e6;
            System.out.printf("| %s | %.2f ms | %.2f ms | %.2fx |%n", names[k], ours, glsl, ours / glsl);
        }
        ctx.close();
        System.exit(0);
    }

    private static long time(VulkanStream s, BackendFunction f, LaunchConfig cfg, MemorySegment args) throws Exception {
        long t0 = System.nanoTime();
        s.launch(f, cfg, args);
        s.synchronize();
        return System.nanoTime() - t0;
    }

    private static double median(long[] a) {
        long[] c = a.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }
}
