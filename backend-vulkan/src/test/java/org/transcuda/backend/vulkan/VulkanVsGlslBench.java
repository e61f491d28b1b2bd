package org.transcuda.backend.vulkan;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.transcuda.cuda.Dim3;
import org.transcuda.ir.Module;
import org.transcuda.ptx.PtxTranslator;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;
import org.transcuda.spi.BackendModule;
import org.transcuda.spi.LaunchConfig;

/**
 * Not a test: {@code bench/vulkan-vs-glsl.sh} runs it. The classic kernels of the CPU-backend suite
 * ({@code bench/kernels/suite.cu}) and those of {@code backend-vulkan/src/test/bench/kernels.cu}, as nvcc's PTX
 * through Transcuda's code generator and written by hand in GLSL ({@code *.comp}, compiled by glslang, the same
 * push-constant layout; loops with a constant trip count carry {@code [[unroll]]}, since nvcc -O3 unrolls them in the PTX),
 * launched on the first Vulkan device in the same run through the same runtime.
 *
 * <p>Each round launches every kernel once per implementation (launch + synchronize timed; the order of the two
 * implementations flips every round); WARMUP rounds are not timed, the table gives the median of RUNS. Inputs that a
 * kernel accumulates into are restored (untimed) before each launch. After the last round, both implementations'
 * outputs are compared with a serial Java reference computed here: every kernel is checked bit for bit (the data of
 * the float kernels is chosen so that this is meaningful: see each case).
 *
 * <p>Arguments: suite.ptx, kernels.ptx, the folder of the glslang-compiled {@code NAME.spv}, WARMUP, RUNS, and
 * optionally a comma-separated list of the rows to run (by the name before the first comma of the row: "saxpy"
 * also runs "saxpy, GLSL with exact fma").
 */
public final class VulkanVsGlslBench {
    private VulkanVsGlslBench() {
    }

    /** One kernel: both implementations, their arguments, restoring and checking. */
    private abstract static class Case {
        final String name;
        final String size;
        final LaunchConfig cfg;
        BackendFunction ours;
        BackendFunction glsl;
        String unavailable;
        /** Argument buffers of [0] ours, [1] GLSL (each writes its own outputs). */
        final MemorySegment[] args = new MemorySegment[2];
        final List<Long> times0 = new ArrayList<>();
        final List<Long> times1 = new ArrayList<>();
        final List<Long> cpu0 = new ArrayList<>();
        final List<Long> cpu1 = new ArrayList<>();

        Case(String name, String size, LaunchConfig cfg) {
            this.name = name;
            this.size = size;
            this.cfg = cfg;
        }

        /** Loads both implementations of {@code kernel}; ours may fail to compile (then the case is reported). */
        Case with(BackendModule m, String kernel, VulkanContext ctx, Path spvDir, ArgsOf a0, ArgsOf a1) throws Exception {
            return with(m, kernel, kernel, ctx, spvDir, a0, a1);
        }

        /** As above, the GLSL version from {@code spvName.spv}. */
        Case with(BackendModule m, String kernel, String spvName, VulkanContext ctx, Path spvDir, ArgsOf a0, ArgsOf a1)
                throws Exception {
            try {
                ours = m.function(kernel);
            } catch (BackendException e) {
                unavailable = e.result() + ": " + e.getMessage().replace('\n', ' ').replace("|", "/");
                return this;
            }
            glsl = ctx.load(new VulkanKernel("main", words(spvDir.resolve(spvName + ".spv")), ours.ir().params(),
                    VulkanKernel.ArgsMode.PUSH_CONSTANTS, 0));
            args[0] = a0.of(ours);
            args[1] = a1.of(glsl);
            return this;
        }

        /** Untimed, before each launch of implementation {@code impl}. */
        void restore(VulkanStream s, int impl) throws BackendException {
        }

        /** Null when implementation {@code impl}'s output equals the reference, else what differs. */
        abstract String check(VulkanStream s, int impl) throws Exception;
    }

    private static int[] words(Path spv) throws Exception {
        byte[] b = Files.readAllBytes(spv);
        int[] w = new int[b.length / 4];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(w);
        return w;
    }

    private static long upload(VulkanContext c, VulkanStream s, Object array, long bytes) throws BackendException {
        long a = c.allocate(bytes);
        s.copyHostToDevice(a, segment(array));
        return a;
    }

    private static MemorySegment segment(Object array) {
        return switch (array) {
            case int[] a -> MemorySegment.ofArray(a);
            case float[] a -> MemorySegment.ofArray(a);
            case byte[] a -> MemorySegment.ofArray(a);
            default -> throw new IllegalArgumentException();
        };
    }

    private static String compare(String what, int[] expected, int[] actual) {
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] != actual[i]) {
                return what + "[" + i + "] = " + actual[i] + " (0x" + Integer.toHexString(actual[i]) + "), expected "
                        + expected[i] + " (0x" + Integer.toHexString(expected[i]) + ")";
            }
        }
        return null;
    }

    private static String compare(String what, float[] expected, float[] actual) {
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                return what + "[" + i + "] = " + actual[i] + ", expected " + expected[i];
            }
        }
        return null;
    }

    private static LaunchConfig cfg(int gx, int gy, int bx, int by) {
        return new LaunchConfig(new Dim3(gx, gy, 1), new Dim3(bx, by, 1), 0);
    }

    private static MemorySegment args(BackendFunction f, Object... values) {
        Args a = new Args(f.ir().params());
        var params = f.ir().params();
        for (int k = 0; k < values.length; k++) {
            String p = params.get(k).name();
            switch (values[k]) {
                case Long v -> a.u64(p, v);
                case Integer v -> a.u32(p, v);
                case Float v -> a.f32(p, 0, v);
                default -> throw new IllegalArgumentException();
            }
        }
        return a.segment;
    }

    public static void main(String[] argv) throws Exception {
        Path spvDir = Path.of(argv[2]);
        int warmup = Integer.parseInt(argv[3]);
        int runs = Integer.parseInt(argv[4]);
        VulkanDevice dev = VulkanTestSupport.usableDevice().orElseThrow(() -> new IllegalStateException(
                "no usable Vulkan device: " + VulkanTestSupport.backend().info().diagnostics()));
        VulkanContext ctx = dev.createContext();
        VulkanStream s = ctx.createStream();
        Module suiteIr = PtxTranslator.translate("suite.ptx", Files.readString(Path.of(argv[0])));
        Module extraIr = PtxTranslator.translate("kernels.ptx", Files.readString(Path.of(argv[1])));
        BackendModule suite = ctx.loadModule(suiteIr);
        BackendModule extra = ctx.loadModule(extraIr);
        Random rnd = new Random(42);
        List<Case> cases = new ArrayList<>();

        // saxpy: y = a*x + y (nvcc contracts to fma.rn.f32; GLSL fma). Values k/4 with a = 1.5 and small y: every
        // product and sum is exact, so fused and unfused evaluation give the same bits as the reference.
        {
            int n = 1 << 22;
            float a = 1.5f;
            float[] x = new float[n], y = new float[n], ref = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = (i % 1000) * 0.25f;
                y[i] = (i % 7) * 0.5f;
                ref[i] = a * x[i] + y[i];
            }
            long dx = upload(ctx, s, x, 4L * n);
            // the second row: GLSL with the exact fma that the code generator emits (saxpy_exactfma.comp)
            for (String spv : List.of("saxpy", "saxpy_exactfma")) {
            long[] dy = {ctx.allocate(4L * n), ctx.allocate(4L * n)};
            cases.add(new Case(spv.equals("saxpy") ? "saxpy" : "saxpy, GLSL with exact fma", "n = 2^22",
                    cfg((n + 255) / 256, 1, 256, 1)) {
                @Override
                void restore(VulkanStream s, int impl) throws BackendException {
                    s.copyHostToDevice(dy[impl], MemorySegment.ofArray(y));
                }

                @Override
                String check(VulkanStream s, int impl) throws Exception {
                    return compare("y", ref, Gpu.downloadFloats(s, dy[impl], n));
                }
            }.with(suite, "saxpy", spv, ctx, spvDir, f -> args(f, n, a, dx, dy[0]), f -> args(f, n, a, dx, dy[1])));
            }
        }
        // reduce: the reference sums in the kernel's tree order (float additions only, no contraction possible), so
        // any data gives the same bits.
        {
            int n = 1 << 22, blocks = n / 512;
            float[] in = new float[n];
            for (int i = 0; i < n; i++) in[i] = rnd.nextFloat();
            float[] ref = new float[blocks];
            float[] t = new float[256];
            for (int b = 0; b < blocks; b++) {
                for (int k = 0; k < 256; k++) t[k] = in[b * 512 + k] + in[b * 512 + 256 + k];
                for (int stride = 128; stride > 0; stride >>= 1) for (int k = 0; k < stride; k++) t[k] += t[k + stride];
                ref[b] = t[0];
            }
            long din = upload(ctx, s, in, 4L * n);
            long[] dp = {ctx.allocate(4L * blocks), ctx.allocate(4L * blocks)};
            cases.add(new Case("reduce", "n = 2^22", cfg(blocks, 1, 256, 1)) {
                @Override
                String check(VulkanStream s, int impl) throws Exception {
                    return compare("partial", ref, Gpu.downloadFloats(s, dp[impl], blocks));
                }
            }.with(suite, "reduce", ctx, spvDir, f -> args(f, n, din, dp[0]), f -> args(f, n, din, dp[1])));
        }
        // matmul: entries k/4 with k in 0..15 make every product a multiple of 1/16 and every partial sum exact in
        // float (below 2^24/16), so fused (nvcc's fma, GLSL fma) and unfused evaluation give the reference's bits.
        {
            int n = 256;
            float[] a = new float[n * n], b = new float[n * n], ref = new float[n * n];
            for (int i = 0; i < n * n; i++) {
                a[i] = rnd.nextInt(16) * 0.25f;
                b[i] = rnd.nextInt(16) * 0.25f;
            }
            for (int r = 0; r < n; r++) {
                for (int c = 0; c < n; c++) {
                    float acc = 0;
                    for (int k = 0; k < n; k++) acc = Math.fma(a[r * n + k], b[k * n + c], acc);
                    ref[r * n + c] = acc;
                }
            }
            long da = upload(ctx, s, a, 4L * n * n), db = upload(ctx, s, b, 4L * n * n);
            for (String spv : List.of("matmul", "matmul_exactfma")) {
            long[] dc = {ctx.allocate(4L * n * n), ctx.allocate(4L * n * n)};
            cases.add(new Case(spv.equals("matmul") ? "matmul" : "matmul, GLSL with exact fma", n + " x " + n,
                    cfg(n / 16, n / 16, 16, 16)) {
                @Override
                String check(VulkanStream s, int impl) throws Exception {
                    return compare("C", ref, Gpu.downloadFloats(s, dc[impl], n * n));
                }
            }.with(suite, "matmul", spv, ctx, spvDir, f -> args(f, n, da, db, dc[0]), f -> args(f, n, da, db, dc[1])));
            }
        }
        // histogram: integer counts, exact.
        {
            int n = 1 << 24;
            byte[] data = new byte[n];
            rnd.nextBytes(data);
            for (int i = 0; i < n; i += 3) data[i] = (byte) (i % 7); // some skew: more contention on a few bins
            int[] ref = new int[256];
            for (byte v : data) ref[v & 0xff]++;
            long dd = upload(ctx, s, data, n);
            long[] dbins = {ctx.allocate(1024), ctx.allocate(1024)};
            cases.add(new Case("histogram", "n = 2^24 bytes, 256 x 256 threads", cfg(256, 1, 256, 1)) {
                @Override
                void restore(VulkanStream s, int impl) throws BackendException {
                    s.fill(dbins[impl], 0, 4, 256);
                }

                @Override
                String check(VulkanStream s, int impl) throws Exception {
                    return compare("bins", ref, Gpu.download(s, dbins[impl], 256));
                }
            }.with(suite, "histogram", ctx, spvDir, f -> args(f, n, dd, dbins[0]), f -> args(f, n, dd, dbins[1])));
        }
        // stencil: the reference evaluates the kernel's expression in its order (no product to contract into the
        // sums), so any data gives the same bits.
        {
            int nx = 2048, ny = 2048;
            float[] in = new float[nx * ny], ref = new float[nx * ny];
            for (int i = 0; i < in.length; i++) in[i] = rnd.nextFloat();
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    int i = y * nx + x;
                    ref[i] = x == 0 || y == 0 || x == nx - 1 || y == ny - 1 ? in[i]
                            : 0.25f * (in[i - 1] + in[i + 1] + in[i - nx] + in[i + nx]);
                }
            }
            long din = upload(ctx, s, in, 4L * nx * ny);
            long[] dout = {ctx.allocate(4L * nx * ny), ctx.allocate(4L * nx * ny)};
            cases.add(new Case("stencil", nx + " x " + ny, cfg(nx / 16, ny / 16, 16, 16)) {
                @Override
                String check(VulkanStream s, int impl) throws Exception {
                    return compare("out", ref, Gpu.downloadFloats(s, dout[impl], nx * ny));
                }
            }.with(suite, "stencil", ctx, spvDir, f -> args(f, nx, ny, din, dout[0]), f -> args(f, nx, ny, din, dout[1])));
        }
        // scan: scan_block (warp shuffles) then, after the block totals are scanned on the host, scan_add; the
        // reference is the serial inclusive scan (integers, exact). Both kernels are timed separately.
        {
            int n = 1 << 22, blocks = n / 256;
            int[] in = new int[n], ref = new int[n], refBlock = new int[n], refSums = new int[blocks];
            for (int i = 0; i < n; i++) in[i] = rnd.nextInt(201) - 100;
            for (int i = 0, acc = 0; i < n; i++) ref[i] = acc += in[i];
            for (int b = 0; b < blocks; b++) {
                for (int k = 0, acc = 0; k < 256; k++) refBlock[b * 256 + k] = acc += in[b * 256 + k];
                refSums[b] = refBlock[b * 256 + 255];
            }
            int[] offsets = new int[blocks];
            for (int b = 1; b < blocks; b++) offsets[b] = offsets[b - 1] + refSums[b - 1];
            long din = upload(ctx, s, in, 4L * n);
            long doff = upload(ctx, s, offsets, 4L * blocks);
            // scan_block_uniform (kernels.cu): the same scan with the second level's shuffles in uniform control flow
            for (String kernel : List.of("scan_block", "scan_block_uniform")) {
                long[] dout = {ctx.allocate(4L * n), ctx.allocate(4L * n)};
                long[] dsums = {ctx.allocate(4L * blocks), ctx.allocate(4L * blocks)};
                cases.add(new Case(kernel, "n = 2^22", cfg(blocks, 1, 256, 1)) {
                    @Override
                    String check(VulkanStream s, int impl) throws Exception {
                        String e = compare("out", refBlock, Gpu.download(s, dout[impl], n));
                        return e != null ? e : compare("sums", refSums, Gpu.download(s, dsums[impl], blocks));
                    }
                }.with(kernel.equals("scan_block") ? suite : extra, kernel, ctx, spvDir,
                        f -> args(f, n, din, dout[0], dsums[0]), f -> args(f, n, din, dout[1], dsums[1])));
            }
            long[] dout2 = {ctx.allocate(4L * n), ctx.allocate(4L * n)};
            // scan_add runs on the reference block scan (restored before each launch), so it is checked and timed
            // even where scan_block cannot be compiled
            cases.add(new Case("scan_add", "n = 2^22", cfg(blocks, 1, 256, 1)) {
                @Override
                void restore(VulkanStream s, int impl) throws BackendException {
                    s.copyHostToDevice(dout2[impl], MemorySegment.ofArray(refBlock));
                }

                @Override
                String check(VulkanStream s, int impl) throws Exception {
                    return compare("out", ref, Gpu.download(s, dout2[impl], n));
                }
            }.with(suite, "scan_add", ctx, spvDir, f -> args(f, n, dout2[0], doff), f -> args(f, n, dout2[1], doff)));
        }
        // transpose: a copy, exact. Not square, so that swapped w/h indexing would show.
        {
            int w = 2048, h = 1024;
            float[] in = new float[w * h], ref = new float[w * h];
            for (int i = 0; i < in.length; i++) in[i] = rnd.nextFloat();
            for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) ref[x * h + y] = in[y * w + x];
            long din = upload(ctx, s, in, 4L * w * h);
            long[] dout = {ctx.allocate(4L * w * h), ctx.allocate(4L * w * h)};
            cases.add(new Case("transpose", w + " x " + h, cfg(w / 32, h / 32, 32, 8)) {
                @Override
                String check(VulkanStream s, int impl) throws Exception {
                    return compare("out", ref, Gpu.downloadFloats(s, dout[impl], w * h));
                }
            }.with(extra, "transpose", ctx, spvDir, f -> args(f, w, h, din, dout[0]), f -> args(f, w, h, din, dout[1])));
        }
        // ihash: integer arithmetic, exact.
        {
            int n = 1 << 22;
            int[] v = new int[n], ref = new int[n];
            for (int i = 0; i < n; i++) {
                v[i] = i * 0x9e3779b9;
                int hh = v[i];
                for (int k = 0; k < 64; k++) hh = (hh ^ (hh >>> 15)) * 0x2c1b3c6d + k;
                ref[i] = hh;
            }
            long[] dv = {ctx.allocate(4L * n), ctx.allocate(4L * n)};
            cases.add(new Case("ihash", "n = 2^22, 64 rounds", cfg((n + 255) / 256, 1, 256, 1)) {
                @Override
                void restore(VulkanStream s, int impl) throws BackendException {
                    s.copyHostToDevice(dv[impl], MemorySegment.ofArray(v));
                }

                @Override
                String check(VulkanStream s, int impl) throws Exception {
                    return compare("v", ref, Gpu.download(s, dv[impl], n));
                }
            }.with(extra, "ihash", ctx, spvDir, f -> args(f, dv[0], n), f -> args(f, dv[1], n)));
        }
        s.synchronize();
        if (argv.length > 5) {
            List<String> only = List.of(argv[5].split(","));
            cases.removeIf(c -> !only.contains(c.name.split(",")[0]));
        }

        for (int r = 0; r < warmup + runs; r++) {
            for (Case c : cases) {
                if (c.unavailable != null) continue;
                for (int k = 0; k < 2; k++) {
                    int impl = (r + k) % 2; // alternate which implementation goes first
                    c.restore(s, impl);
                    s.synchronize();
                    long c0 = processCpuNanos();
                    long t0 = System.nanoTime();
                    s.launch(impl == 0 ? c.ours : c.glsl, c.cfg, c.args[impl]);
                    s.synchronize();
                    long t = System.nanoTime() - t0;
                    long cpu = processCpuNanos() - c0;
                    if (r >= warmup) {
                        (impl == 0 ? c.times0 : c.times1).add(t);
                        (impl == 0 ? c.cpu0 : c.cpu1).add(cpu);
                    }
                }
            }
        }
        boolean allOk = true;
        System.out.println("| kernel | size | Transcuda (PTX -> SPIR-V) | GLSL (glslang) | ratio | CPU time: Transcuda | GLSL"
                + " | ratio | results |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (Case c : cases) {
            if (c.unavailable != null) {
                System.out.printf("| %s | %s | not runnable: %s | | | | | | |%n", c.name, c.size, c.unavailable);
                continue;
            }
            String e0 = c.check(s, 0), e1 = c.check(s, 1);
            allOk &= e0 == null && e1 == null;
            String res = e0 == null && e1 == null ? "both = Java reference (bits)"
                    : (e0 != null ? "Transcuda WRONG: " + e0 + " " : "") + (e1 != null ? "GLSL WRONG: " + e1 : "");
            double ours = median(c.times0) / 1e6, glsl = median(c.times1) / 1e6;
            double oursCpu = median(c.cpu0) / 1e6, glslCpu = median(c.cpu1) / 1e6;
            System.out.printf("| %s | %s | %.1f ms | %.1f ms | %.2fx | %.1f ms | %.1f ms | %.2fx | %s |%n", c.name, c.size,
                    ours, glsl, ours / glsl, oursCpu, glslCpu, oursCpu / glslCpu, res);
        }
        ctx.close();
        System.exit(allOk ? 0 : 1);
    }

    private static final java.lang.invoke.MethodHandle CLOCK_GETTIME = java.lang.foreign.Linker.nativeLinker()
            .downcallHandle(java.lang.foreign.Linker.nativeLinker().defaultLookup().find("clock_gettime").orElseThrow(),
                    java.lang.foreign.FunctionDescriptor.of(java.lang.foreign.ValueLayout.JAVA_INT,
                            java.lang.foreign.ValueLayout.JAVA_INT, java.lang.foreign.ValueLayout.ADDRESS));
    private static final MemorySegment TIMESPEC = java.lang.foreign.Arena.global().allocate(16, 8);

    /**
     * CPU time of the whole process (CLOCK_PROCESS_CPUTIME_ID): lavapipe runs the shaders on its own threads in this
     * process, so this counts the work of a launch and is less disturbed than wall time by other processes on a
     * loaded machine (the JVM's own threads are nearly idle while a launch is waited for).
     */
    private static long processCpuNanos() {
        try {
            int rc = (int) CLOCK_GETTIME.invokeExact(2, TIMESPEC);
            if (rc != 0) throw new IllegalStateException("clock_gettime failed");
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
        return TIMESPEC.get(java.lang.foreign.ValueLayout.JAVA_LONG, 0) * 1_000_000_000L
                + TIMESPEC.get(java.lang.foreign.ValueLayout.JAVA_LONG, 8);
    }

    private interface ArgsOf {
        MemorySegment of(BackendFunction f);
    }

    private static double median(List<Long> a) {
        long[] c = a.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2.0;
    }
}
