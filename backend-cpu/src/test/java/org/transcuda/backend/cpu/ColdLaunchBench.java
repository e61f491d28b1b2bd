package org.transcuda.backend.cpu;

import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.transcuda.cuda.Dim3;
import org.transcuda.ir.Module;
import org.transcuda.ptx.PtxTranslator;
import org.transcuda.spi.BackendStream;
import org.transcuda.spi.LaunchConfig;

/**
 * Where a launch's CPU goes in a fresh JVM (not a test): one kernel of the suite launched {@code L} times with its
 * full grid (or {@code -Dcl.blocks=B} blocks), each followed by {@code synchronize}, as {@code CpuBenchmark} does;
 * per launch the CPU time of the caller, the stream thread and the pool workers, the wall time, and the
 * voluntary/involuntary context switches of each (from /proc). Usage: {@code ColdLaunchBench suite.ptx L kernel}.
 * Prints {@code CL kernel i wall caller stream workers} per launch and medians over launches [6, L).
 */
public final class ColdLaunchBench {
    static final ThreadMXBean T = ManagementFactory.getThreadMXBean();

    /** CPU ns of [caller, stream, workers, other Java threads]. */
    static long[] cpu(long me) {
        long[] r = new long[4];
        long[] ids = T.getAllThreadIds();
        ThreadInfo[] info = T.getThreadInfo(ids);
        for (int i = 0; i < ids.length; i++) {
            long c = T.getThreadCpuTime(ids[i]);
            if (c <= 0 || info[i] == null) continue;
            String n = info[i].getThreadName();
            int k = ids[i] == me ? 0 : n.startsWith("transcuda-cpu-stream") ? 1 : n.startsWith("transcuda-cpu-worker") ? 2 : 3;
            r[k] += c;
        }
        return r;
    }

    /** Context switches (voluntary + involuntary) of [caller(main), stream, workers] from /proc. */
    static long[] switches() {
        long[] r = new long[3];
        try (var ds = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path t : ds) {
                String comm = Files.readString(t.resolve("comm")).trim();
                int k = comm.equals("java") ? 0 : comm.startsWith("transcuda-cpu-s") ? 1 : comm.startsWith("transcuda-cpu-w") ? 2 : -1;
                if (k < 0) continue;
                for (String line : Files.readAllLines(t.resolve("status"))) {
                    if (line.contains("ctxt_switches")) r[k] += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                }
            }
        } catch (Exception e) {
            // ignore
        }
        return r;
    }

    public static void main(String[] a) throws Exception {
        Module ir = PtxTranslator.translate("suite.ptx", Files.readString(Path.of(a[0]), StandardCharsets.UTF_8));
        int launches = Integer.parseInt(a[1]);
        String name = a[2];
        int cores = Integer.getInteger("bench.workers", Runtime.getRuntime().availableProcessors());
        CpuDevice device = new CpuDevice(CpuBackend.describeHost(), cores);
        CpuContext ctx = (CpuContext) device.createContext();
        BackendStream stream = ctx.createStream();
        LaunchCostBench.module = ctx.loadModule(ir);
        int n = 1 << 24, B = 256;
        long f1 = ctx.allocate(n * 4L), f2 = ctx.allocate(n * 4L), f3 = ctx.allocate(n * 4L);
        ctx.memory().resolve(f1, n * 4L, org.transcuda.cuda.CUresult.CUDA_ERROR_INVALID_VALUE).fill((byte) 0);
        ctx.memory().resolve(f2, n * 4L, org.transcuda.cuda.CUresult.CUDA_ERROR_INVALID_VALUE).fill((byte) 0);
        ctx.memory().resolve(f3, n * 4L, org.transcuda.cuda.CUresult.CUDA_ERROR_INVALID_VALUE).fill((byte) 0);
        long small = ctx.allocate(1 << 20);
        LaunchCostBench.K x = switch (name) {
            case "saxpy" -> LaunchCostBench.k("saxpy", Dim3.of(n / B), Dim3.of(B), n, 2.5f, f1, f2);
            case "reduce" -> LaunchCostBench.k("reduce", Dim3.of(n / (2 * B)), Dim3.of(B), n, f1, f3);
            case "matmul" -> LaunchCostBench.k("matmul", Dim3.of(32, 32), Dim3.of(16, 16), 512, f1, f2, f3);
            case "histogram" -> LaunchCostBench.k("histogram", Dim3.of(256), Dim3.of(B), n, f1, small);
            case "stencil" -> LaunchCostBench.k("stencil", Dim3.of(256, 256), Dim3.of(16, 16), 4096, 4096, f1, f2);
            case "scan_block" -> LaunchCostBench.k("scan_block", Dim3.of(n / B), Dim3.of(B), n, f1, f2, f3);
            case "scan_add" -> LaunchCostBench.k("scan_add", Dim3.of(n / B), Dim3.of(B), n, f2, small);
            default -> throw new IllegalArgumentException(name);
        };
        int blocks = Integer.getInteger("cl.blocks", 0);
        Dim3 grid = blocks > 0 ? Dim3.of(blocks) : x.grid();
        LaunchConfig cfg = new LaunchConfig(grid, x.block(), 0);
        long me = Thread.currentThread().threadId();
        double[][] v = new double[8][launches];
        double[] enq = new double[launches];
        { CompiledKernel ck = ((CpuFunction) x.f()).kernel; System.out.println("SITES " + ck.siteSizes.length + " affine " + (ck.affine != null ? ck.affine.programs() : -1) + " lockRegs " + (ck.lockRegKinds != null ? ck.lockRegKinds.length : -1)); }
        try {
            for (int i = 0; i < launches; i++) {
                long[] s0 = switches();
                long[] cz = cpu(me);
                long[] c0 = cpu(me);
                long w0 = System.nanoTime();
                long e0 = T.getCurrentThreadCpuTime();
                stream.launch(x.f(), cfg, x.args());
                enq[i] = (T.getCurrentThreadCpuTime() - e0) / 1e3;
                stream.synchronize();
                long w1 = System.nanoTime();
                long[] c1 = cpu(me);
                long[] s1 = switches();
                c1[0] -= c0[0] - cz[0]; // the probe's own cost on the caller
                v[0][i] = (w1 - w0) / 1e3;
                for (int k = 0; k < 4; k++) v[1 + k][i] = (c1[k] - c0[k]) / 1e3;
                for (int k = 0; k < 3; k++) v[5 + k][i] = s1[k] - s0[k];
                System.out.printf(Locale.ROOT, "CL %s %d wall %.1f us, cpu caller %.1f stream %.1f workers %.1f other %.1f, switches %d %d %d%n",
                        name, i, v[0][i], v[1][i], v[2][i], v[3][i], v[4][i], (long) v[5][i], (long) v[6][i], (long) v[7][i]);

            }
            int from = Math.min(6, launches - 1);
            double[] tot = new double[launches];
            for (int i = 0; i < launches; i++) tot[i] = v[1][i] + v[2][i] + v[3][i];
            double[] m = new double[8];
            for (int k = 0; k < 8; k++) m[k] = CpuBenchmark.median(Arrays.copyOfRange(v[k], from, launches));
            System.out.printf(Locale.ROOT, "CLMED %s launches %d-%d: cpu all %.1f us (caller %.1f, of it in launch() %.1f; stream %.1f workers %.1f), wall %.1f us, switches %.1f %.1f %.1f%n",
                    name, from, launches - 1, CpuBenchmark.median(Arrays.copyOfRange(tot, from, launches)), m[1], CpuBenchmark.median(Arrays.copyOfRange(enq, from, launches)), m[2], m[3], m[0], m[5], m[6], m[7]);
        } finally {
            ctx.close();
            device.closeAll();
        }
    }
}
