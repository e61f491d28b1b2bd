package org.transcuda.backend.cpu;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.Dim3;
import org.transcuda.ir.Module;
import org.transcuda.ir.Param;
import org.transcuda.ptx.PtxTranslator;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;
import org.transcuda.spi.BackendModule;
import org.transcuda.spi.BackendStream;
import org.transcuda.spi.LaunchConfig;

/**
 * The CPU-backend benchmark suite (driven by {@code bench/cpu-suite.sh}; not a test): the six kernels of
 * {@code bench/kernels/suite.cu}, from nvcc's PTX, run on this backend, and the same algorithms as plain serial
 * Java. Inputs come from the same generator as {@code suite_native.c}. Each implementation runs once from fresh
 * inputs and is checked against a serial reference computed in double precision (or exactly, for integers)
 * before its times count; then WARMUP runs, then the median of RUNS timed runs. Prints
 * {@code RESULT impl kernel median_wall_ms median_cpu_ms min_wall_ms min_cpu_ms} lines (the minimum is the steadier
 * figure on a shared machine: other processes only ever add to it).
 *
 * <p>Usage: {@code CpuBenchmark suite.ptx WARMUP RUNS [kernel...]}
 */
public final class CpuBenchmark {
    static final int N_SAXPY = 1 << 24, N_REDUCE = 1 << 24, N_MATMUL = 512, N_HIST = 1 << 24, NX = 4096, NY = 4096,
            N_SCAN = 1 << 24;
    static final int BLOCK = 256, TILE = 16, BINS = 256, HIST_BLOCKS = 256;
    static final float A = 2.5f;

    private static long state;

    static void seed(long s) {
        state = s;
    }

    static long next64() {
        state = state * 6364136223846793005L + 1442695040888963407L;
        return state;
    }

    static float nextFloat() {
        return (next64() >>> 40) * (1.0f / 16777216.0f);
    }

    interface Body {
        void run() throws Exception;
    }

    interface Check {
        String mismatch() throws Exception;
    }

    private static int warmup, runs;
    /**
     * {@code -Dbench.each=true}: also print each timed run (wall and CPU ms, JVM uptime at its end) and a
     * {@code PHASE impl kernel wall_ms cpu_ms} line: the checked first run, the warm-ups and the timed runs together.
     */
    private static final boolean EACH = Boolean.getBoolean("bench.each");
    /**
     * {@code -Dbench.control=N}: after a kernel's Transcuda runs, N more pairs, each the kernel's serial Java run
     * then its Transcuda run back to back, and a {@code CONTROL kernel pairs java_median_cpu_ms
     * transcuda_median_cpu_ms ratio_median ratio_p25 ratio_p75} line: the ratio of the CPU times of the two runs
     * of a pair. Both runs of a pair see the same moment of a shared machine, so the ratio stays steady where the
     * times themselves swing (docs/benchmarks.md, matmul's bimodal times, 2026-11-26).
     */
    private static final int CONTROL = Integer.getInteger("bench.control", 0);
    /** The serial Java run of each kernel (reset, body) that passed its check, for {@link #CONTROL}. */
    private static final java.util.Map<String, Body[]> JAVA_RUNS = new java.util.HashMap<>();

    static void bench(String impl, String name, Body reset, Body body, Check check) throws Exception {
        long phaseCpu = cpuNanos(), phaseWall = System.nanoTime();
        if (reset != null) reset.run();
        body.run();
        String m = check.mismatch();
        if (m != null) {
            System.out.println("RESULT " + impl + " " + name + " FAILED");
            System.err.println(impl + " " + name + ": " + m);
            return;
        }
        if (impl.equals("java")) JAVA_RUNS.put(name, new Body[] {reset, body});
        for (int i = 0; i < warmup; i++) body.run();
        double[] t = new double[runs];
        double[] cpu = new double[runs];
        java.util.Map<Long, Long> before = THREAD_CPU ? threadCpu() : null;
        for (int i = 0; i < runs; i++) {
            long c0 = cpuNanos();
            long t0 = System.nanoTime();
            body.run();
            t[i] = (System.nanoTime() - t0) / 1e6;
            cpu[i] = (cpuNanos() - c0) / 1e6;
            if (EACH) {
                System.out.println(String.format(Locale.ROOT, "RUN %s %s %d %.3f %.3f at %d ms", impl, name, i, t[i],
                        cpu[i], java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime()));
            }
        }
        if (before != null) {
            // each Java thread's share of the timed runs' CPU time (which thread spins or waits?)
            StringBuilder sb = new StringBuilder("THREADS " + impl + " " + name);
            threadCpu().forEach((id, c) -> {
                long d = c - before.getOrDefault(id, 0L);
                java.lang.management.ThreadInfo info = THREADS.getThreadInfo(id);
                if (d > 100_000 && info != null) {
                    sb.append(String.format(Locale.ROOT, " [%s %.3f]", info.getThreadName(), d / 1e6 / runs));
                }
            });
            System.out.println(sb);
        }
        if (EACH) {
            // the whole of it: the checked first run (the kernel's compilation), the warm-ups and the timed runs
            System.out.println(String.format(Locale.ROOT, "PHASE %s %s %.3f %.3f", impl, name,
                    (System.nanoTime() - phaseWall) / 1e6, (cpuNanos() - phaseCpu) / 1e6));
        }
        System.out.println(String.format(Locale.ROOT, "RESULT %s %s %.3f %.3f %.3f %.3f", impl, name, median(t),
                median(cpu), java.util.Arrays.stream(t).min().orElse(0), java.util.Arrays.stream(cpu).min().orElse(0)));
        Body[] java = JAVA_RUNS.get(name);
        if (CONTROL > 0 && impl.equals("transcuda") && java != null) control(name, java[0], java[1], reset, body);
    }

    /** {@link #CONTROL}'s pairs for one kernel: serial Java, then Transcuda, each after its own reset. */
    private static void control(String name, Body javaReset, Body javaBody, Body reset, Body body) throws Exception {
        double[] j = new double[CONTROL], c = new double[CONTROL], r = new double[CONTROL];
        for (int i = 0; i < CONTROL; i++) {
            if (javaReset != null) javaReset.run();
            long c0 = cpuNanos();
            javaBody.run();
            long c1 = cpuNanos();
            if (reset != null) reset.run();
            long c2 = cpuNanos();
            body.run();
            long c3 = cpuNanos();
            j[i] = (c1 - c0) / 1e6;
            c[i] = (c3 - c2) / 1e6;
            r[i] = c[i] / j[i];
            if (EACH) {
                System.out.println(String.format(Locale.ROOT, "PAIR %s %d %.3f %.3f %.3f", name, i, j[i], c[i], r[i]));
            }
        }
        double[] sorted = r.clone();
        Arrays.sort(sorted);
        System.out.println(String.format(Locale.ROOT, "CONTROL %s %d %.3f %.3f %.3f %.3f %.3f", name, CONTROL, median(j),
                median(c), median(r), sorted[(CONTROL - 1) / 4], sorted[(3 * (CONTROL - 1) + 3) / 4]));
    }

    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();

    /**
     * CPU time of the process's Java threads (the caller, the stream thread, the backend's workers; JIT and GC
     * threads are not Java threads), in ns: robust against other processes sharing the cores, unlike wall time.
     */
    static long cpuNanos() {
        long sum = 0;
        for (long id : THREADS.getAllThreadIds()) {
            long c = THREADS.getThreadCpuTime(id);
            if (c > 0) sum += c;
        }
        return sum;
    }

    /** {@code -Dbench.threads=true}: a THREADS line per kernel, each Java thread's CPU ms per timed run. */
    private static final boolean THREAD_CPU = Boolean.getBoolean("bench.threads");

    private static java.util.Map<Long, Long> threadCpu() {
        java.util.Map<Long, Long> m = new java.util.TreeMap<>();
        for (long id : THREADS.getAllThreadIds()) {
            long c = THREADS.getThreadCpuTime(id);
            if (c > 0) m.put(id, c);
        }
        return m;
    }

    static double median(double[] v) {
        double[] t = v.clone();
        Arrays.sort(t);
        int n = t.length;
        return n % 2 == 1 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
    }

    static String checkF(float[] got, double[] want, double rel) {
        for (int i = 0; i < want.length; i++) {
            if (!(Math.abs(got[i] - want[i]) <= rel * Math.max(1.0, Math.abs(want[i])))) {
                return "element " + i + " is " + got[i] + ", expected " + want[i];
            }
        }
        return null;
    }

    static String checkI(int[] got, int[] want) {
        for (int i = 0; i < want.length; i++) {
            if (got[i] != want[i]) return "element " + i + " is " + got[i] + ", expected " + want[i];
        }
        return null;
    }

    // ---- the device side --------------------------------------------------------------------------------

    private static CpuDevice device;
    private static CpuContext ctx;
    private static BackendStream stream;
    private static BackendModule module;
    private static final Arena ARENA = Arena.ofShared();

    static long dev(long bytes) throws BackendException {
        return ctx.allocate(bytes);
    }

    static MemorySegment seg(long a, long bytes) throws BackendException {
        return ctx.memory().resolve(a, bytes, CUresult.CUDA_ERROR_INVALID_VALUE);
    }

    static long up(float[] v) throws BackendException {
        long a = dev(v.length * 4L);
        MemorySegment.copy(v, 0, seg(a, v.length * 4L), ValueLayout.JAVA_FLOAT, 0, v.length);
        return a;
    }

    static long up(int[] v) throws BackendException {
        long a = dev(v.length * 4L);
        MemorySegment.copy(v, 0, seg(a, v.length * 4L), ValueLayout.JAVA_INT, 0, v.length);
        return a;
    }

    static long up(byte[] v) throws BackendException {
        long a = dev(v.length);
        MemorySegment.copy(v, 0, seg(a, v.length), ValueLayout.JAVA_BYTE, 0, v.length);
        return a;
    }

    static float[] downF(long a, int n) throws BackendException {
        float[] out = new float[n];
        MemorySegment.copy(seg(a, n * 4L), ValueLayout.JAVA_FLOAT, 0, out, 0, n);
        return out;
    }

    static int[] downI(long a, int n) throws BackendException {
        int[] out = new int[n];
        MemorySegment.copy(seg(a, n * 4L), ValueLayout.JAVA_INT, 0, out, 0, n);
        return out;
    }

    /** A kernel with its argument buffer packed once (ints, floats and device pointers, in parameter order). */
    record Kernel(BackendFunction f, MemorySegment args) {
        void launch(Dim3 grid, Dim3 block) throws BackendException {
            stream.launch(f, new LaunchConfig(grid, block, 0), args);
        }
    }

    static Kernel kernel(String name, Object... args) throws BackendException {
        BackendFunction f = module.function(name);
        MemorySegment buf = ARENA.allocate(Math.max(8, f.ir().paramBufferSize()), 16);
        for (int i = 0; i < args.length; i++) {
            Param p = f.ir().params().get(i);
            switch (args[i]) {
                case Integer x -> buf.set(ValueLayout.JAVA_INT_UNALIGNED, p.offset(), x);
                case Float x -> buf.set(ValueLayout.JAVA_FLOAT_UNALIGNED, p.offset(), x);
                case Long x -> buf.set(ValueLayout.JAVA_LONG_UNALIGNED, p.offset(), x);
                default -> throw new IllegalArgumentException(String.valueOf(args[i]));
            }
        }
        return new Kernel(f, buf);
    }

    // ---- the suite ---------------------------------------------------------------------------------------

    public static void main(String[] argv) throws Exception {
        if (argv.length < 3) {
            System.err.println("usage: CpuBenchmark suite.ptx WARMUP RUNS [kernel...]");
            System.exit(2);
        }
        Module ir = PtxTranslator.translate("suite.ptx", Files.readString(Path.of(argv[0]), StandardCharsets.UTF_8));
        warmup = Integer.parseInt(argv[1]);
        runs = Integer.parseInt(argv[2]);
        java.util.Set<String> only = new java.util.HashSet<>(Arrays.asList(argv).subList(3, argv.length));
        int cores = Integer.getInteger("bench.workers", Runtime.getRuntime().availableProcessors());
        System.err.println("CPU backend workers: " + cores);
        device = new CpuDevice(CpuBackend.describeHost(), cores);
        ctx = (CpuContext) device.createContext();
        stream = ctx.createStream();
        module = ctx.loadModule(ir);
        try {
            if (only.isEmpty() || only.contains("saxpy")) saxpy();
            if (only.isEmpty() || only.contains("reduce")) reduce();
            if (only.isEmpty() || only.contains("matmul")) matmul();
            if (only.isEmpty() || only.contains("histogram")) histogram();
            if (only.isEmpty() || only.contains("stencil")) stencil();
            if (only.isEmpty() || only.contains("scan")) scan();
        } finally {
            ctx.close();
            device.closeAll();
        }
    }

    static void saxpy() throws Exception {
        int n = N_SAXPY;
        float[] x = new float[n], y0 = new float[n];
        seed(1);
        for (int i = 0; i < n; i++) {
            x[i] = nextFloat();
            y0[i] = nextFloat();
        }
        double[] want = new double[n];
        for (int i = 0; i < n; i++) want[i] = (double) A * x[i] + y0[i];

        float[] y = new float[n];
        bench("java", "saxpy", () -> System.arraycopy(y0, 0, y, 0, n), () -> {
            for (int i = 0; i < n; i++) y[i] = A * x[i] + y[i];
        }, () -> checkF(y, want, 1e-6));

        long dx = up(x), dy = dev(n * 4L);
        Kernel k = kernel("saxpy", n, A, dx, dy);
        bench("transcuda", "saxpy", () -> MemorySegment.copy(y0, 0, seg(dy, n * 4L), ValueLayout.JAVA_FLOAT, 0, n), () -> {
            k.launch(Dim3.of((n + BLOCK - 1) / BLOCK), Dim3.of(BLOCK));
            stream.synchronize();
        }, () -> checkF(downF(dy, n), want, 1e-6));
        ctx.free(dx);
        ctx.free(dy);
    }

    static void reduce() throws Exception {
        int n = N_REDUCE, nb = (n + 2 * BLOCK - 1) / (2 * BLOCK);
        float[] in = new float[n];
        seed(2);
        for (int i = 0; i < n; i++) in[i] = nextFloat();
        double[] want = new double[nb];
        for (int i = 0; i < n; i++) want[i / (2 * BLOCK)] += in[i];

        float[] part = new float[nb];
        bench("java", "reduce", null, () -> {
            for (int b = 0; b < nb; b++) {
                float s = 0;
                int e = Math.min(n, (b + 1) * 2 * BLOCK);
                for (int i = b * 2 * BLOCK; i < e; i++) s += in[i];
                part[b] = s;
            }
        }, () -> checkF(part, want, 1e-5));

        long din = up(in), dpart = dev(nb * 4L);
        Kernel k = kernel("reduce", n, din, dpart);
        bench("transcuda", "reduce", null, () -> {
            k.launch(Dim3.of(nb), Dim3.of(BLOCK));
            stream.synchronize();
        }, () -> checkF(downF(dpart, nb), want, 1e-5));
        ctx.free(din);
        ctx.free(dpart);
    }

    static void matmul() throws Exception {
        int n = N_MATMUL;
        float[] a = new float[n * n], b = new float[n * n];
        seed(3);
        for (int i = 0; i < n * n; i++) {
            a[i] = nextFloat();
            b[i] = nextFloat();
        }
        double[] want = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                double av = a[i * n + k];
                for (int j = 0; j < n; j++) want[i * n + j] += av * b[k * n + j];
            }
        }

        float[] c = new float[n * n];
        bench("java", "matmul", null, () -> {
            for (int i = 0; i < n; i++) {
                int ci = i * n;
                for (int j = 0; j < n; j++) c[ci + j] = 0;
                for (int k = 0; k < n; k++) {
                    float av = a[i * n + k];
                    int bk = k * n;
                    for (int j = 0; j < n; j++) c[ci + j] += av * b[bk + j];
                }
            }
        }, () -> checkF(c, want, 1e-4));

        long da = up(a), db = up(b), dc = dev((long) n * n * 4);
        Kernel k = kernel("matmul", n, da, db, dc);
        bench("transcuda", "matmul", null, () -> {
            k.launch(Dim3.of(n / TILE, n / TILE), Dim3.of(TILE, TILE));
            stream.synchronize();
        }, () -> checkF(downF(dc, n * n), want, 1e-4));
        ctx.free(da);
        ctx.free(db);
        ctx.free(dc);
    }

    static void histogram() throws Exception {
        int n = N_HIST;
        byte[] data = new byte[n];
        seed(4);
        for (int i = 0; i < n; i++) data[i] = (byte) (next64() >>> 56);
        int[] want = new int[BINS];
        for (int i = 0; i < n; i++) want[data[i] & 0xff]++;

        int[] h = new int[BINS];
        bench("java", "histogram", null, () -> {
            Arrays.fill(h, 0);
            for (int i = 0; i < n; i++) h[data[i] & 0xff]++;
        }, () -> checkI(h, want));

        long dd = up(data), dh = dev(BINS * 4L);
        Kernel k = kernel("histogram", n, dd, dh);
        bench("transcuda", "histogram", null, () -> {
            stream.fill(dh, 0, 4, BINS);
            k.launch(Dim3.of(HIST_BLOCKS), Dim3.of(BLOCK));
            stream.synchronize();
        }, () -> checkI(downI(dh, BINS), want));
        ctx.free(dd);
        ctx.free(dh);
    }

    static void stencil() throws Exception {
        float[] in = new float[NX * NY];
        seed(5);
        for (int i = 0; i < in.length; i++) in[i] = nextFloat();
        double[] want = new double[NX * NY];
        for (int y = 0; y < NY; y++) {
            for (int x = 0; x < NX; x++) {
                int i = y * NX + x;
                want[i] = x == 0 || y == 0 || x == NX - 1 || y == NY - 1 ? in[i]
                        : 0.25 * ((double) in[i - 1] + in[i + 1] + in[i - NX] + in[i + NX]);
            }
        }

        float[] out = new float[NX * NY];
        bench("java", "stencil", null, () -> {
            for (int y = 0; y < NY; y++) {
                int r = y * NX;
                if (y == 0 || y == NY - 1) {
                    System.arraycopy(in, r, out, r, NX);
                    continue;
                }
                out[r] = in[r];
                for (int x = 1; x < NX - 1; x++) {
                    int i = r + x;
                    out[i] = 0.25f * (in[i - 1] + in[i + 1] + in[i - NX] + in[i + NX]);
                }
                out[r + NX - 1] = in[r + NX - 1];
            }
        }, () -> checkF(out, want, 1e-6));

        long din = up(in), dout = dev((long) NX * NY * 4);
        Kernel k = kernel("stencil", NX, NY, din, dout);
        bench("transcuda", "stencil", null, () -> {
            k.launch(Dim3.of(NX / 16, NY / 16), Dim3.of(16, 16));
            stream.synchronize();
        }, () -> checkF(downF(dout, NX * NY), want, 1e-6));
        ctx.free(din);
        ctx.free(dout);
    }

    static void scan() throws Exception {
        int n = N_SCAN, nb = n / BLOCK;
        int[] in = new int[n];
        seed(6);
        for (int i = 0; i < n; i++) in[i] = (int) (next64() >>> 54) - 512;
        int[] want = new int[n];
        long acc = 0;
        for (int i = 0; i < n; i++) {
            acc += in[i];
            want[i] = (int) acc;
        }

        int[] out = new int[n];
        bench("java", "scan", null, () -> {
            int s = 0;
            for (int i = 0; i < n; i++) {
                s += in[i];
                out[i] = s;
            }
        }, () -> checkI(out, want));

        long din = up(in), dout = dev(n * 4L), dsums = dev(nb * 4L), doffs = dev(nb * 4L);
        Kernel block = kernel("scan_block", n, din, dout, dsums);
        Kernel add = kernel("scan_add", n, dout, doffs);
        int[] sums = new int[nb];
        bench("transcuda", "scan", null, () -> {
            block.launch(Dim3.of(nb), Dim3.of(BLOCK));
            stream.synchronize();
            MemorySegment.copy(seg(dsums, nb * 4L), ValueLayout.JAVA_INT, 0, sums, 0, nb);
            int s = 0;
            for (int b = 0; b < nb; b++) {
                int v = sums[b];
                sums[b] = s;
                s += v;
            }
            MemorySegment.copy(sums, 0, seg(doffs, nb * 4L), ValueLayout.JAVA_INT, 0, nb);
            add.launch(Dim3.of(nb), Dim3.of(BLOCK));
            stream.synchronize();
        }, () -> checkI(downI(dout, n), want));
        ctx.free(din);
        ctx.free(dout);
        ctx.free(dsums);
        ctx.free(doffs);
    }
}
