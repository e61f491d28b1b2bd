package org.transcuda.backend.cpu;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.Dim3;
import org.transcuda.ir.Module;
import org.transcuda.ptx.PtxTranslator;
import org.transcuda.spi.BackendFunction;
import org.transcuda.spi.BackendModule;
import org.transcuda.spi.BackendStream;
import org.transcuda.spi.LaunchConfig;

/**
 * Micro-benchmark (not a test): the suite's stencil launch (4096 x 4096, 16 x 16 blocks) on one engine worker against
 * hand-written loops over the same device memory, in one JVM, the five rounds' order rotated: {@code engine} (launch
 * and synchronize), {@code hand} ({@link StencilOrderBench#rows}, on the calling thread), {@code r2-shaped}
 * ({@link StencilOrderBench#rowsR2}: the loop written as the compiler writes {@code r2}; C2 gives both the same
 * machine code), {@code gap} ({@link StencilOrderBench#rowsR2Gap}: the same with {@code -Dgap=N} iterations of
 * register-only work between rows; or {@code -Dtouch=K [-DtouchStride=S]}: {@link StencilOrderBench#rowsR2Touch}, K
 * loads S bytes apart between rows; or {@code -DoutShift=B}: the r2-shaped loop with {@code out} moved by B bytes;
 * or {@code -Dsplit=K}, {@code -DcopyLanes=true}), {@code stream} (the r2-shaped loop as a host callback on the
 * engine's stream thread). CPU time of all Java threads per run (as {@link CpuBenchmark#cpuNanos}), the calling
 * thread's own CPU time during the engine's runs, the per-round ratios engine / r2-shaped and fifth slot / r2-shaped
 * (the {@code RATIO} line: steadier than the medians on a shared machine), and the addresses of {@code in}/{@code out}.
 * Tells whether the engine's stencil costs more than the same vector loop in the same row order on the same memory.
 * Run: {@code java --add-modules=jdk.incubator.vector
 * --enable-native-access=ALL-UNNAMED -cp CP org.transcuda.backend.cpu.StencilEngineBench bench/kernels/suite.ptx
 * [rounds]} (CP as for {@link CpuBenchmark}). Results: docs/benchmarks.md (CPU section, "stencil's memory order" and
 * "stencil's engine-vs-hand-loop gap bisected").
 */
final class StencilEngineBench {
    private StencilEngineBench() {
    }

    public static void main(String[] argv) throws Exception {
        int rounds = argv.length > 1 ? Integer.parseInt(argv[1]) : 40;
        int N = StencilOrderBench.N;
        Module ir = PtxTranslator.translate("suite.ptx", Files.readString(Path.of(argv[0]), StandardCharsets.UTF_8));
        CpuDevice device = new CpuDevice(CpuBackend.describeHost(), 1);
        CpuContext ctx = (CpuContext) device.createContext();
        BackendStream stream = ctx.createStream();
        BackendModule module = ctx.loadModule(ir);
        long bytes = 4L * N * N;
        long din = ctx.allocate(bytes), dout = ctx.allocate(bytes + 8192);
        MemorySegment inS = ctx.memory().resolve(din, bytes, CUresult.CUDA_ERROR_INVALID_VALUE);
        MemorySegment outS = ctx.memory().resolve(dout, bytes, CUresult.CUDA_ERROR_INVALID_VALUE);
        System.out.printf("in 0x%x (mod 4096: %d), out 0x%x (mod 4096: %d); the engine and the hand loops use both%n", din,
                din % 4096, dout, dout % 4096);
        java.util.Random rnd = new java.util.Random(1);
        for (long k = 0; k < (long) N * N; k++) inS.setAtIndex(ValueLayout.JAVA_FLOAT, k, rnd.nextFloat());
        BackendFunction f = module.function("stencil");
        MemorySegment args = Arena.ofShared().allocate(Math.max(8, f.ir().paramBufferSize()), 16);
        var ps = f.ir().params();
        args.set(ValueLayout.JAVA_INT_UNALIGNED, ps.get(0).offset(), N);
        args.set(ValueLayout.JAVA_INT_UNALIGNED, ps.get(1).offset(), N);
        args.set(ValueLayout.JAVA_LONG_UNALIGNED, ps.get(2).offset(), din);
        args.set(ValueLayout.JAVA_LONG_UNALIGNED, ps.get(3).offset(), dout);
        // -DengineBlocks=B: the engine runs only B x B blocks (a launch's fixed cost; the outputs then differ)
        int eb = Integer.getInteger("engineBlocks", N / 16);
        LaunchConfig cfg = new LaunchConfig(Dim3.of(eb, eb), Dim3.of(16, 16), 0);
        double[] callerCpu = new double[rounds];
        double[] other = new double[rounds], onStream = new double[rounds];
        double[] eng = new double[rounds], hand = new double[rounds], hand2 = new double[rounds];
        float[] a = null;
        for (int r = -10; r < rounds; r++) {
            for (int m = 0; m < 5; m++) {
                int mm = (m + Math.floorMod(r, 5)) % 5;
                long c0 = CpuBenchmark.cpuNanos();
                if (mm == 0) {
                    long m0 = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                    stream.launch(f, cfg, args);
                    stream.synchronize();
                    if (r >= 0) callerCpu[r] = (java.lang.management.ManagementFactory.getThreadMXBean()
                            .getCurrentThreadCpuTime() - m0) / 1e6;
                } else if (mm == 1) {
                    StencilOrderBench.rows(din, dout, 0, N);
                } else if (mm == 4) {
                    stream.enqueueHostCallback(() -> StencilOrderBench.rowsR2(din, dout, 0, N));
                    stream.synchronize();
                } else if (mm == 2) {
                    StencilOrderBench.rowsR2(din, dout, 0, N);
                } else {
                    if (Integer.getInteger("outShift", -1) >= 0) StencilOrderBench.rowsR2(din, dout + Integer.getInteger("outShift", 0), 0, N);
                    else if (Integer.getInteger("touch", -1) >= 0) StencilOrderBench.rowsR2Touch(din, dout, 0, N,
                            Integer.getInteger("touch", 0), Integer.getInteger("touchStride", 4160), Boolean.getBoolean("touchStore"));
                    else if (Integer.getInteger("split", 0) > 0) StencilOrderBench.rowsR2Split(din, dout, 0, N, Integer.getInteger("split", 0));
                    else if (Boolean.getBoolean("copyLanes")) StencilOrderBench.rowsR2Copy(din, dout, 0, N);
                    else StencilOrderBench.rowsR2Gap(din, dout, 0, N, Integer.getInteger("gap", 300));
                }
                double c = (CpuBenchmark.cpuNanos() - c0) / 1e6;
                if (r >= 0) (mm == 0 ? eng : mm == 1 ? hand : mm == 2 ? hand2 : mm == 3 ? other : onStream)[r] = c;
                if (r == -1) {
                    float[] got = outS.toArray(ValueLayout.JAVA_FLOAT);
                    if (a == null) a = got;
                    else System.out.println(Arrays.equals(a, got) ? "outputs equal" : "OUTPUTS DIFFER");
                }
            }
        }
        double[] ratio = new double[rounds], ratioO = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            ratio[r] = eng[r] / hand2[r];
            ratioO[r] = other[r] / hand2[r];
        }
        Arrays.sort(ratio);
        Arrays.sort(ratioO);
        System.out.printf("RATIO engine / r2-shaped per round: median %.3f (q1 %.3f q3 %.3f); gap-or-other / r2-shaped %.3f%n",
                ratio[rounds / 2], ratio[rounds / 4], ratio[3 * rounds / 4], ratioO[rounds / 2]);
        Arrays.sort(eng);
        Arrays.sort(hand);
        Arrays.sort(hand2);
        Arrays.sort(callerCpu);
        Arrays.sort(other);
        Arrays.sort(onStream);
        System.out.printf("stream: r2-shaped hand loop as a host callback on the engine's stream thread %.2f ms (q1 %.2f"
                + " q3 %.2f)%n", onStream[rounds / 2], onStream[rounds / 4], onStream[3 * rounds / 4]);
        System.out.printf("gap (or -DcopyLanes=true: border lanes as one-element copies; -Dsplit=K: K calls a row): r2-shaped hand loop %.2f ms (q1 %.2f q3 %.2f)%n", other[rounds / 2],
                other[rounds / 4], other[3 * rounds / 4]);
        System.out.printf("engine runs: the calling thread's own cpu median %.3f ms%n", callerCpu[rounds / 2]);
        System.out.printf("r2-shaped hand loop %.2f ms (q1 %.2f q3 %.2f)%n", hand2[rounds / 2], hand2[rounds / 4],
                hand2[3 * rounds / 4]);
        System.out.printf("engine (1 worker) cpu median %.2f ms (q1 %.2f q3 %.2f); hand loop %.2f ms (q1 %.2f q3 %.2f)%n",
                eng[rounds / 2], eng[rounds / 4], eng[3 * rounds / 4], hand[rounds / 2], hand[rounds / 4],
                hand[3 * rounds / 4]);
        System.exit(0);
    }
}
