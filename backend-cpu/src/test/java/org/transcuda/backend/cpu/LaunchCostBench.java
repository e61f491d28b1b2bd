package org.transcuda.backend.cpu;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.transcuda.cuda.Dim3;
import org.transcuda.ir.Module;
import org.transcuda.ir.Param;
import org.transcuda.ptx.PtxTranslator;
import org.transcuda.spi.BackendFunction;
import org.transcuda.spi.BackendModule;
import org.transcuda.spi.BackendStream;
import org.transcuda.spi.LaunchConfig;

/**
 * The fixed CPU cost of one launch, per kernel of the suite (not a test): each kernel launched with one block
 * ({@code L} launches a round, each followed by {@code synchronize}) and with its full grid, CPU time of all Java
 * threads per launch, the calling thread's own part, and the one-block launches' wall time (launch + synchronize;
 * {@code -Dlc.gapMs} subtracted). Usage: {@code LaunchCostBench suite.ptx ROUNDS L [kernel...]}.
 * Prints {@code LC kernel one-block-cpu-us (caller-us) full-grid-cpu-ms} per round and the medians.
 */
public final class LaunchCostBench {
    static final ThreadMXBean T = ManagementFactory.getThreadMXBean();

    static long cpu() {
        long s = 0;
        for (long id : T.getAllThreadIds()) {
            long c = T.getThreadCpuTime(id);
            if (c > 0) s += c;
        }
        return s;
    }

    static BackendModule module;
    static long sink;
    /** Milliseconds the caller sleeps before each one-block launch ({@code -Dlc.gapMs}; 0: back to back). */
    static final int GAP = Integer.getInteger("lc.gapMs", 0);

    static long bytes(Object o) {
        return switch (o) {
            case null -> 0;
            case long[] v -> 16 + 8L * v.length;
            case double[] v -> 16 + 8L * v.length;
            case int[] v -> 16 + 4L * v.length;
            case float[] v -> 16 + 4L * v.length;
            case byte[] v -> 16 + v.length;
            case boolean[] v -> 16 + v.length;
            case Object[] v -> {
                long s = 16 + 8L * v.length;
                if (!(v instanceof SiteCache[])) for (Object w : v) s += bytes(w);
                yield s;
            }
            default -> 0;
        };
    }
    static BackendStream stream;
    static final Arena ARENA = Arena.ofShared();

    record K(String name, BackendFunction f, MemorySegment args, Dim3 grid, Dim3 block) {
    }

    static K k(String name, Dim3 grid, Dim3 block, Object... args) throws Exception {
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
        return new K(name, f, buf, grid, block);
    }

    public static void main(String[] a) throws Exception {
        Module ir = PtxTranslator.translate("suite.ptx", Files.readString(Path.of(a[0]), StandardCharsets.UTF_8));
        int rounds = Integer.parseInt(a[1]), launches = Integer.parseInt(a[2]);
        java.util.Set<String> only = new java.util.HashSet<>(Arrays.asList(a).subList(3, a.length));
        int cores = Integer.getInteger("bench.workers", Runtime.getRuntime().availableProcessors());
        CpuDevice device = new CpuDevice(CpuBackend.describeHost(), cores);
        CpuContext ctx = (CpuContext) device.createContext();
        stream = ctx.createStream();
        module = ctx.loadModule(ir);
        int n = 1 << 24, B = 256;
        long f1 = ctx.allocate(n * 4L), f2 = ctx.allocate(n * 4L), f3 = ctx.allocate(n * 4L);
        ctx.memory().resolve(f1, n * 4L, org.transcuda.cuda.CUresult.CUDA_ERROR_INVALID_VALUE).fill((byte) 0);
        ctx.memory().resolve(f2, n * 4L, org.transcuda.cuda.CUresult.CUDA_ERROR_INVALID_VALUE).fill((byte) 0);
        long small = ctx.allocate(1 << 20);
        K[] ks = {
            k("saxpy", Dim3.of(n / B), Dim3.of(B), n, 2.5f, f1, f2),
            k("reduce", Dim3.of(n / (2 * B)), Dim3.of(B), n, f1, f3),
            k("matmul", Dim3.of(32, 32), Dim3.of(16, 16), 512, f1, f2, f3),
            k("histogram", Dim3.of(256), Dim3.of(B), n, f1, small),
            k("stencil", Dim3.of(256, 256), Dim3.of(16, 16), 4096, 4096, f1, f2),
            k("scan_block", Dim3.of(n / B), Dim3.of(B), n, f1, f2, f3),
            k("scan_add", Dim3.of(n / B), Dim3.of(B), n, f2, small),
        };
        // histogram's grid-stride loop: one block gets one full-grid block's share (n / 256 bytes)
        K hist1 = k("histogram", Dim3.of(1), Dim3.of(B), n / 256, f1, small);
        long me = Thread.currentThread().threadId();
        try {
            for (K x : ks) {
                if (!only.isEmpty() && !only.contains(x.name)) continue;
                LaunchConfig one = new LaunchConfig(Dim3.of(1), x.block, 0), full = new LaunchConfig(x.grid, x.block, 0);
                {
                    CpuFunction cf0 = (CpuFunction) x.f;
                    Launch l0 = new Launch(cf0.kernel, full, new long[8], cf0.ir.paramBufferSize(), ctx.memory(), cores,
                            device.engine());
                    Exec e0 = new Exec(l0, 0);
                    StringBuilder sb = new StringBuilder("EXEC " + x.name + (l0.lockstep ? " lockstep" : " thread") + ":");
                    long total = 0;
                    for (java.lang.reflect.Field fd : Exec.class.getDeclaredFields()) {
                        if (java.lang.reflect.Modifier.isStatic(fd.getModifiers())) continue;
                        fd.setAccessible(true);
                        long b = bytes(fd.get(e0));
                        total += b;
                        if (b >= 4096) sb.append(' ').append(fd.getName()).append('=').append(b);
                    }
                    System.out.println(sb + " total=" + total);
                }
                LaunchConfig two = new LaunchConfig(Dim3.of(2), x.block, 0);
                double[] o = new double[rounds], oc = new double[rounds], fu = new double[rounds];
                double[] tw = new double[rounds], ex = new double[rounds], ow = new double[rounds];
                CpuFunction cf = (CpuFunction) x.f;
                long[] la = new long[Math.max(1, (int) ((cf.ir.paramBufferSize() + 7) / 8))];
                for (int r = 0; r < rounds; r++) {
                    long c0 = cpu(), m0 = T.getThreadCpuTime(me), w0 = System.nanoTime();
                    for (int i = 0; i < launches; i++) {
                        if (GAP > 0) Thread.sleep(GAP);
                        stream.launch(x.f, one, x.name.equals("histogram") ? hist1.args : x.args);
                        stream.synchronize();
                    }
                    long w1 = System.nanoTime();
                    long c1 = cpu(), m1 = T.getThreadCpuTime(me);
                    int fl = 3;
                    for (int i = 0; i < fl; i++) {
                        stream.launch(x.f, full, x.args);
                        stream.synchronize();
                    }
                    long c2 = cpu();
                    for (int i = 0; i < launches; i++) {
                        stream.launch(x.f, x.name.equals("histogram") ? one : two, x.name.equals("histogram") ? hist1.args : x.args);
                        stream.synchronize();
                    }
                    long c3 = cpu(), m3 = T.getThreadCpuTime(me);
                    for (int i = 0; i < launches; i++) {
                        Launch l = new Launch(cf.kernel, full, la, cf.ir.paramBufferSize(), ctx.memory(), cores,
                                device.engine());
                        sink += new Exec(l, 0).nthreads + new Exec(l, 1).nthreads;
                    }
                    long m4 = T.getThreadCpuTime(me);
                    tw[r] = (c3 - c2) / 1e3 / launches;
                    ex[r] = (m4 - m3) / 1e3 / launches;
                    o[r] = (c1 - c0) / 1e3 / launches;
                    ow[r] = (w1 - w0) / 1e3 / launches - (GAP > 0 ? GAP * 1000.0 : 0);
                    oc[r] = (m1 - m0) / 1e3 / launches;
                    fu[r] = (c2 - c1) / 1e6 / fl;
                    System.out.printf(Locale.ROOT, "LC %s round %d: one block %.1f us (caller %.1f, wall %.1f), two blocks %.1f us, full grid %.3f ms, Launch + 2 Exec of the full grid %.1f us%n",
                            x.name, r, o[r], oc[r], ow[r], tw[r], fu[r], ex[r]);
                }
                System.out.printf(Locale.ROOT, "LCMED %s one block %.1f us (caller %.1f, wall %.1f), two blocks %.1f us, full grid %.3f ms, Launch + 2 Exec %.1f us%n", x.name,
                        CpuBenchmark.median(Arrays.copyOfRange(o, rounds / 2, rounds)),
                        CpuBenchmark.median(Arrays.copyOfRange(oc, rounds / 2, rounds)),
                        CpuBenchmark.median(Arrays.copyOfRange(ow, rounds / 2, rounds)),
                        CpuBenchmark.median(Arrays.copyOfRange(tw, rounds / 2, rounds)),
                        CpuBenchmark.median(Arrays.copyOfRange(fu, rounds / 2, rounds)),
                        CpuBenchmark.median(Arrays.copyOfRange(ex, rounds / 2, rounds)));
            }
        } finally {
            ctx.close();
            device.closeAll();
        }
    }
}
