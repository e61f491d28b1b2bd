package org.transcuda.launcher.commands;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.transcuda.cuda.Cuda;
import org.transcuda.cuda.CudaContext;
import org.transcuda.cuda.CudaEvent;
import org.transcuda.cuda.CudaException;
import org.transcuda.cuda.CudaFunction;
import org.transcuda.cuda.CudaModule;
import org.transcuda.cuda.CudaStream;
import org.transcuda.cuda.Dim3;

/**
 * {@code transcuda demo}: the main job. Runs kernels that nvcc 13 compiled from our CUDA sources
 * ({@code corpus/src}, PTX shipped in {@code dist/examples}) on the selected backend -- a shared-memory block
 * reduction with barriers in a loop, warp shuffles (reduction and scan), and a tiled transpose through
 * dynamic shared memory -- checks every output against a Java reference, and prints results and timings.
 * Exit code 0 only when every check passes.
 */
@Component(service = Function.class, property = "transcuda.command=demo")
public final class DemoCommand implements Function<String[], Integer> {
    @Reference
    private Cuda cuda;

    private static Path examples() {
        String home = System.getProperty("transcuda.home", "");
        return Path.of(home).resolve("examples");
    }

    @Override
    public Integer apply(String[] args) {
        PrintStream out = System.out;
        int n = 1 << 20;
        if (args.length > 0) {
            try {
                n = Integer.parseInt(args[0]);
            } catch (NumberFormatException e) {
                System.err.println("usage: transcuda demo [ELEMENTS]");
                return 2;
            }
        }
        try (CudaContext ctx = cuda.device(0).createContext()) {
            out.printf(Locale.ROOT, "Transcuda demo on %s (%s), %d elements%n", ctx.device().name(),
                    ctx.device().backend(), n);
            boolean ok = blockSum(ctx, n, out) & warpScan(ctx, n, out) & transpose(ctx, out);
            out.println(ok ? "PASS" : "FAIL");
            return ok ? 0 : 1;
        } catch (CudaException | IOException e) {
            System.err.println("transcuda demo: " + e.getMessage());
            return 1;
        }
    }

    private static CudaModule load(CudaContext ctx, String file) throws IOException, CudaException {
        return ctx.loadModule(file, Files.readString(examples().resolve(file), StandardCharsets.UTF_8));
    }

    /**
     * Runs the launch once to warm up (the first launch compiles the kernel), then again between two events;
     * returns the milliseconds of the second.
     */
    private static float timed(CudaContext ctx, CudaStream s, Runnable launch) throws CudaException {
        launch.run();
        s.synchronize();
        CudaEvent a = ctx.createEvent();
        CudaEvent b = ctx.createEvent();
        a.record(s);
        launch.run();
        b.record(s);
        s.synchronize();
        return b.elapsedTimeSince(a);
    }

    private interface Launch {
        void run() throws CudaException;
    }

    private static Runnable unchecked(Launch l) {
        return () -> {
            try {
                l.run();
            } catch (CudaException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    private static boolean report(PrintStream out, String what, long bad, long total, float ms, long bytes) {
        out.printf(Locale.ROOT, "  %-44s %8.2f ms  %7.2f GB/s  %s%n", what, ms, bytes / (ms * 1e6),
                bad == 0 ? "ok" : bad + " of " + total + " wrong");
        return bad == 0;
    }

    private static boolean blockSum(CudaContext ctx, int n, PrintStream out) throws IOException, CudaException {
        CudaFunction f = load(ctx, "sync.ptx").function("sync_block_sum");
        int block = 256;
        int blocks = (n + block - 1) / block;
        int[] a = new SplittableRandom(1).ints(n, -1000, 1000).toArray();
        long da = ctx.malloc(4L * n);
        long ds = ctx.malloc(4L * blocks);
        ctx.memcpyHtoD(da, MemorySegment.ofArray(a));
        CudaStream s = ctx.defaultStream();
        float ms = timed(ctx, s, unchecked(() -> s.launch(f, Dim3.of(blocks), Dim3.of(block), 0,
                f.newArgs().add(da).add(ds).add(n))));
        int[] sums = new int[blocks];
        ctx.memcpyDtoH(MemorySegment.ofArray(sums), ds);
        long bad = 0;
        for (int b = 0; b < blocks; b++) {
            int ref = 0;
            for (int i = b * block; i < Math.min(n, (b + 1) * block); i++) ref += a[i];
            if (sums[b] != ref) bad++;
        }
        ctx.free(da);
        ctx.free(ds);
        return report(out, "block sums (shared memory, bar.sync in a loop)", bad, blocks, ms, 4L * n);
    }

    private static boolean warpScan(CudaContext ctx, int n, PrintStream out) throws IOException, CudaException {
        CudaFunction f = load(ctx, "warp.ptx").function("warp_reduce_scan");
        int[] a = new SplittableRandom(2).ints(n, -50, 50).toArray();
        int warps = (n + 31) / 32;
        long da = ctx.malloc(4L * n);
        long ds = ctx.malloc(4L * warps);
        long dp = ctx.malloc(4L * n);
        ctx.memcpyHtoD(da, MemorySegment.ofArray(a));
        CudaStream s = ctx.defaultStream();
        float ms = timed(ctx, s, unchecked(() -> s.launch(f, Dim3.of((n + 255) / 256), Dim3.of(256), 0,
                f.newArgs().add(da).add(ds).add(dp).add(n))));
        int[] sums = new int[warps];
        int[] pre = new int[n];
        ctx.memcpyDtoH(MemorySegment.ofArray(sums), ds);
        ctx.memcpyDtoH(MemorySegment.ofArray(pre), dp);
        long bad = 0;
        for (int w = 0; w < warps; w++) {
            int run = 0;
            for (int i = w * 32; i < Math.min(n, w * 32 + 32); i++) {
                run += a[i];
                if (pre[i] != run) bad++;
            }
            if (sums[w] != run) bad++;
        }
        ctx.free(da);
        ctx.free(ds);
        ctx.free(dp);
        return report(out, "warp sums and scans (shfl.sync down/up)", bad, (long) n + warps, ms, 8L * n);
    }

    private static boolean transpose(CudaContext ctx, PrintStream out) throws IOException, CudaException {
        CudaFunction f = load(ctx, "shared_dynamic.ptx").function("dyn_shared_transpose");
        int rows = 1000;
        int cols = 1200;
        float[] in = new float[rows * cols];
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < in.length; i++) in[i] = (float) r.nextDouble(-1, 1);
        long din = ctx.malloc(4L * in.length);
        long dout = ctx.malloc(4L * in.length);
        ctx.memcpyHtoD(din, MemorySegment.ofArray(in));
        CudaStream s = ctx.defaultStream();
        float ms = timed(ctx, s, unchecked(() -> s.launch(f, Dim3.of((cols + 15) / 16, (rows + 15) / 16),
                Dim3.of(16, 16), 16 * 17 * 4, f.newArgs().add(din).add(dout).add(rows).add(cols))));
        float[] t = new float[in.length];
        ctx.memcpyDtoH(MemorySegment.ofArray(t), dout);
        long bad = 0;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                if (Float.floatToRawIntBits(t[j * rows + i]) != Float.floatToRawIntBits(in[i * cols + j])) bad++;
            }
        }
        ctx.free(din);
        ctx.free(dout);
        return report(out, "1000x1200 transpose (dynamic shared tiles)", bad, in.length, ms, 8L * in.length);
    }
}
