package org.transcuda.backend.vulkan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.transcuda.backend.vulkan.codegen.SpirvCodegen;
import org.transcuda.backend.vulkan.codegen.Target;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.Dim3;
import org.transcuda.ir.Module;
import org.transcuda.ptx.PtxTranslator;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;
import org.transcuda.spi.BackendModule;
import org.transcuda.spi.LaunchConfig;

/**
 * Recursive device functions on Vulkan (the front end's {@code explicit-stack} pass): nvcc's PTX of
 * {@code explicit-stack/recursion.cu} (frontend-ptx's test resources, shared through its test-jar) — naive Fibonacci, Hofstadter's mutually recursive female/male sequences, a loop
 * around a conditional recursive call, per-activation local arrays with a pointer into the caller's frame, one per
 * kernel — on 200 threads whose recursion depths differ within every subgroup, against Java references; a runaway
 * recursion fails the launch with CUDA_ERROR_LAUNCH_FAILED (as on the CPU backend) without corrupting memory, and a
 * fresh context then works; the generated modules pass {@code spirv-val}.
 */
class RecursionTest extends ContextTest {
    static String ptx() throws IOException {
        try (InputStream in = RecursionTest.class.getResourceAsStream("/explicit-stack/recursion.ptx")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    // Java references of recursion.cu
    static long fib(int k) {
        return k < 2 ? k : fib(k - 1) + fib(k - 2);
    }

    static int hf(int n) {
        return n == 0 ? 1 : n - hm(hf(n - 1));
    }

    static int hm(int n) {
        return n == 0 ? 0 : n - hf(hm(n - 1));
    }

    static int tree(int n) {
        int s = 1;
        for (int i = 0; Integer.compareUnsigned(i, n) < 0; i++) {
            if ((i & 1) != 0) s += tree(i) * 3;
            s ^= i;
        }
        return s;
    }

    static int frames(int n, int[] parent) {
        int[] a = {n * 10, n * 10 + 1, n * 10 + 2, n * 10 + 3};
        int s = parent != null ? parent[n & 3] : 0;
        if (n > 0) s += frames(n - 1, a);
        return s + a[(n * 7) & 3];
    }

    static int deep(int n) {
        int r = 0;
        for (int i = 1; i <= n; i++) r = (r * (int) 2654435761L) ^ i;
        return r;
    }

    @Test
    void recursiveFunctionsMatchTheJavaReferences() throws Exception {
        BackendModule m = ctx.loadModule(PtxTranslator.translate("recursion.ptx", ptx()));
        try {
            int n = 200;
            int[] in = new int[n];
            // neighbouring threads (one subgroup) recurse to different depths
            for (int i = 0; i < n; i++) in[i] = i * 37 % 101 + (i % 3) * 13;
            long pin = ctx.allocate(4L * n);
            long pout = ctx.allocate(8L * n);
            stream.copyHostToDevice(pin, MemorySegment.ofArray(in));
            for (String k : List.of("k_fib", "k_hf", "k_hm", "k_tree", "k_frames")) {
                BackendFunction f = m.function(k);
                MemorySegment args = new Args(f.ir().params()).u64(k + "_param_0", pin).u64(k + "_param_1", pout)
                        .u32(k + "_param_2", n).segment;
                stream.launch(f, new LaunchConfig(Dim3.of(4), Dim3.of(64), 0), args);
                long[] got = new long[n];
                stream.copyDeviceToHost(MemorySegment.ofArray(got), pout);
                stream.synchronize();
                long[] want = new long[n];
                for (int i = 0; i < n; i++) {
                    int v = in[i];
                    want[i] = switch (k) {
                        case "k_fib" -> fib(v % 20);
                        case "k_hf" -> Integer.toUnsignedLong(hf(v % 40));
                        case "k_hm" -> Integer.toUnsignedLong(hm(v % 40));
                        case "k_tree" -> Integer.toUnsignedLong(tree(v % 9));
                        default -> Integer.toUnsignedLong(frames(v % 12, null) + v * 3 + 1);
                    };
                }
                assertArrayEquals(want, got, k);
            }
        } finally {
            m.close();
        }
    }

    private int[] runDeep(VulkanContext c, VulkanStream s, BackendModule m, int[] in) throws Exception {
        long pin = c.allocate(4L * in.length);
        long pout = c.allocate(4L * in.length);
        s.copyHostToDevice(pin, MemorySegment.ofArray(in));
        BackendFunction f = m.function("overflow");
        MemorySegment args = new Args(f.ir().params()).u64("overflow_param_0", pin).u64("overflow_param_1", pout)
                .u32("overflow_param_2", in.length).segment;
        s.launch(f, new LaunchConfig(Dim3.of(1), Dim3.of(in.length), 0), args);
        int[] got = new int[in.length];
        s.copyDeviceToHost(MemorySegment.ofArray(got), pout);
        s.synchronize();
        return got;
    }

    @Test
    void runawayRecursionFailsTheLaunchAndAFreshContextWorks() throws Exception {
        // deep() keeps n and the return state per level: 8 bytes, so 1500 levels fit in the 16 KiB stack, 3000 do not
        int[] in = new int[64];
        for (int i = 0; i < in.length; i++) in[i] = i == 37 ? 3000 : 1500 - i;
        BackendModule m = ctx.loadModule(PtxTranslator.translate("recursion.ptx", ptx()));
        BackendException e = assertThrows(BackendException.class, () -> runDeep(ctx, stream, m, in));
        assertEquals(CUresult.CUDA_ERROR_LAUNCH_FAILED, e.result(), e.getMessage());
        assertTrue(e.getMessage().contains("call stack overflow") && e.getMessage().contains(
                SpirvCodegen.RECURSION_STACK_BYTES + " bytes"), e.getMessage());
        // sticky, as CUDA's launch failures
        assertThrows(BackendException.class, () -> runDeep(ctx, stream, m, new int[] {1}));
        ctx.close();
        ctx = VulkanTestSupport.context();
        stream = ctx.createStream();
        BackendModule fresh = ctx.loadModule(PtxTranslator.translate("recursion.ptx", ptx()));
        try {
            in[37] = 1200;
            int[] want = new int[in.length];
            for (int i = 0; i < in.length; i++) want[i] = deep(in[i]);
            assertArrayEquals(want, runDeep(ctx, stream, fresh, in));
        } finally {
            fresh.close();
        }
    }

    @Test
    void generatedModulesValidate() throws Exception {
        SpirvTools.assumeAvailable("spirv-val");
        Module ir = PtxTranslator.translate("recursion.ptx", ptx());
        SpirvCodegen.Prepared p = SpirvCodegen.prepare(ir);
        for (String k : List.of("k_fib", "k_hf", "k_hm", "k_tree", "k_frames", "overflow")) {
            VulkanKernel kernel = SpirvCodegen.compile(p, k, Target.FULL, Map.of(),
                    new SpirvCodegen.Runtime(0x2_0000_0000L, 0x3_0000_0000L, site -> 7));
            SpirvTools.Result r = SpirvTools.validate13(kernel.spirv());
            assertTrue(r.ok(), k + ": " + r.output());
        }
    }
}
