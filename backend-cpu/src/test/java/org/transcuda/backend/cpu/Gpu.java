package org.transcuda.backend.cpu;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.transcuda.cuda.Dim3;
import org.transcuda.ir.Function;
import org.transcuda.ir.Module;
import org.transcuda.ir.Param;
import org.transcuda.ir.Variable;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;
import org.transcuda.spi.BackendModule;
import org.transcuda.spi.BackendStream;
import org.transcuda.spi.LaunchConfig;

/** Test harness: a CPU device, a context and a stream, used through the SPI. */
final class Gpu implements AutoCloseable {
    final CpuDevice device;
    final CpuContext ctx;
    final BackendStream stream;
    final StringBuilder printed = new StringBuilder();

    Gpu() throws BackendException {
        this(4);
    }

    Gpu(int workers) throws BackendException {
        device = new CpuDevice(CpuBackend.describeHost(), workers);
        ctx = (CpuContext) device.createContext();
        ctx.printer = s -> {
            synchronized (printed) {
                printed.append(s);
            }
        };
        stream = ctx.createStream();
    }

    /** A harness whose device runs every kernel on the lockstep engine. */
    static Gpu lockstep(int workers) throws BackendException {
        Gpu g = new Gpu(workers);
        g.device.engine(CpuDevice.Engine.LOCKSTEP);
        return g;
    }

    /** The benchmark suite's module (bench/kernels/suite.ptx, from nvcc), translated. */
    static org.transcuda.ir.Module suiteModule() throws Exception {
        java.nio.file.Path ptx = java.nio.file.Path.of(System.getProperty("user.dir")).resolve("../bench/kernels/suite.ptx");
        return org.transcuda.ptx.PtxTranslator.translate("suite.ptx",
                java.nio.file.Files.readString(ptx, java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Function {@code name} of the benchmark suite's module, loaded into this harness's context. */
    BackendFunction suite(String name) throws Exception {
        return ctx.loadModule(suiteModule()).function(name);
    }

    long alloc(long bytes) throws BackendException {
        return ctx.allocate(bytes);
    }

    MemorySegment seg(long address, long bytes) throws BackendException {
        return ctx.memory().resolve(address, bytes, org.transcuda.cuda.CUresult.CUDA_ERROR_INVALID_VALUE);
    }

    long upload(float[] data) throws BackendException {
        long a = alloc(Math.max(4, data.length * 4L));
        MemorySegment.copy(data, 0, seg(a, data.length * 4L), ValueLayout.JAVA_FLOAT, 0, data.length);
        return a;
    }

    long upload(int[] data) throws BackendException {
        long a = alloc(Math.max(4, data.length * 4L));
        MemorySegment.copy(data, 0, seg(a, data.length * 4L), ValueLayout.JAVA_INT, 0, data.length);
        return a;
    }

    long upload(long[] data) throws BackendException {
        long a = alloc(Math.max(8, data.length * 8L));
        MemorySegment.copy(data, 0, seg(a, data.length * 8L), ValueLayout.JAVA_LONG, 0, data.length);
        return a;
    }

    long upload(double[] data) throws BackendException {
        long a = alloc(Math.max(8, data.length * 8L));
        MemorySegment.copy(data, 0, seg(a, data.length * 8L), ValueLayout.JAVA_DOUBLE, 0, data.length);
        return a;
    }

    float[] floats(long a, int n) throws BackendException {
        float[] out = new float[n];
        MemorySegment.copy(seg(a, n * 4L), ValueLayout.JAVA_FLOAT, 0, out, 0, n);
        return out;
    }

    int[] ints(long a, int n) throws BackendException {
        int[] out = new int[n];
        MemorySegment.copy(seg(a, n * 4L), ValueLayout.JAVA_INT, 0, out, 0, n);
        return out;
    }

    long[] longs(long a, int n) throws BackendException {
        long[] out = new long[n];
        MemorySegment.copy(seg(a, n * 8L), ValueLayout.JAVA_LONG, 0, out, 0, n);
        return out;
    }

    double[] doubles(long a, int n) throws BackendException {
        double[] out = new double[n];
        MemorySegment.copy(seg(a, n * 8L), ValueLayout.JAVA_DOUBLE, 0, out, 0, n);
        return out;
    }

    BackendModule module(List<Function> functions) throws BackendException {
        return ctx.loadModule(new Module("test", functions));
    }

    BackendModule module(List<Variable> variables, List<Function> functions) throws BackendException {
        return ctx.loadModule(new Module("test", variables, functions, List.of()));
    }

    BackendFunction kernel(Function... functions) throws BackendException {
        return module(List.of(functions)).function(functions[0].name());
    }

    /** Packs arguments (Integer, Long, Float, Double) per the kernel's parameter layout and launches. */
    void launch(BackendFunction f, Dim3 grid, Dim3 block, int shared, Object... args) throws BackendException {
        Function ir = f.ir();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(Math.max(8, ir.paramBufferSize()), 8);
            List<Param> ps = ir.params();
            for (int i = 0; i < ps.size(); i++) {
                Param p = ps.get(i);
                Object v = args[i];
                switch (v) {
                    case Integer x -> buf.set(ValueLayout.JAVA_INT_UNALIGNED, p.offset(), x);
                    case Long x -> buf.set(ValueLayout.JAVA_LONG_UNALIGNED, p.offset(), x);
                    case Float x -> buf.set(ValueLayout.JAVA_FLOAT_UNALIGNED, p.offset(), x);
                    case Double x -> buf.set(ValueLayout.JAVA_DOUBLE_UNALIGNED, p.offset(), x);
                    case Short x -> buf.set(ValueLayout.JAVA_SHORT_UNALIGNED, p.offset(), x);
                    case Byte x -> buf.set(ValueLayout.JAVA_BYTE, p.offset(), x);
                    default -> throw new IllegalArgumentException("argument " + v);
                }
            }
            stream.launch(f, new LaunchConfig(grid, block, shared), buf);
        }
    }

    void launch(BackendFunction f, int grid, int block, Object... args) throws BackendException {
        launch(f, Dim3.of(grid), Dim3.of(block), 0, args);
    }

    void sync() throws BackendException {
        stream.synchronize();
    }

    String printed() {
        synchronized (printed) {
            return printed.toString();
        }
    }

    @Override
    public void close() {
        ctx.close();
        device.closeAll();
    }
}
