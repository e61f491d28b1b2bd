package org.transcuda.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceReference;
import org.transcuda.backend.cpu.TestCpuBackends;
import org.transcuda.cuda.CUdevice_attribute;
import org.transcuda.cuda.CUfunction_attribute;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.CudaContext;
import org.transcuda.cuda.CudaEvent;
import org.transcuda.cuda.CudaException;
import org.transcuda.cuda.CudaFunction;
import org.transcuda.cuda.CudaStream;
import org.transcuda.cuda.Dim3;
import org.transcuda.cuda.cudaError;
import org.transcuda.spi.Backend;

/**
 * The Java CUDA API and the runtime layer on the real CPU backend: PTX kernels launched with kernelParams and
 * with a packed {@code extra} buffer, managed memory used by a kernel, function attributes and occupancy from
 * the backend's figures, streams with kernels from several host threads, events timing kernels, and the
 * legacy stream's implicit synchronization with kernels queued behind it. Expected values: Java float math.
 */
class CudaApiOnCpuTest {
    static final String PTX = """
            .version 8.5
            .target sm_80
            .address_size 64
            .visible .entry scale(.param .u64 data, .param .f32 factor, .param .u32 n)
            {
                .reg .b32 %r<6>;
                .reg .b64 %rd<4>;
                .reg .f32 %f<3>;
                .reg .pred %p1;
                ld.param.u64 %rd1, [data];
                ld.param.f32 %f1, [factor];
                ld.param.u32 %r1, [n];
                mov.u32 %r2, %ctaid.x;
                mov.u32 %r3, %ntid.x;
                mov.u32 %r4, %tid.x;
                mad.lo.s32 %r5, %r2, %r3, %r4;
                setp.ge.u32 %p1, %r5, %r1;
                @%p1 bra DONE;
                cvta.to.global.u64 %rd2, %rd1;
                mul.wide.u32 %rd3, %r5, 4;
                add.s64 %rd2, %rd2, %rd3;
                ld.global.f32 %f2, [%rd2];
                mul.f32 %f2, %f2, %f1;
                st.global.f32 [%rd2], %f2;
            DONE:
                ret;
            }
            """;

    private final CudaPlatform platform = new CudaPlatform();
    private CudaContext ctx;
    private CudaFunction scale;

    /** A context on a CPU backend with two workers, bound to {@code platform} as the only backend. */
    @SuppressWarnings("unchecked")
    static CudaContext cpuContext(CudaPlatform platform) throws Exception {
        Backend cpu = TestCpuBackends.create(2);
        platform.bindBackend(cpu, Map.of("service.ranking", 100, "service.id", 1L),
                (ServiceReference<Backend>) Proxy.newProxyInstance(CudaApiOnCpuTest.class.getClassLoader(),
                        new Class<?>[] {ServiceReference.class}, (p, m, a) -> null));
        return platform.device(0).createContext();
    }

    @BeforeEach
    void setUp() throws Exception {
        ctx = cpuContext(platform);
        scale = ctx.loadModule("scale.ptx", PTX).function("scale");
    }

    @AfterEach
    void tearDown() throws Exception {
        ctx.close();
    }

    private static float[] input(int n, int seed) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (i * 37 + seed) % 1000 / 7.0f - 50;
        return x;
    }

    private static float[] scaled(float[] x, float f) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) y[i] = x[i] * f;
        return y;
    }

    @Test
    void kernelParamsAndExtraBufferLaunches() throws Exception {
        int n = 1000;
        float[] x = input(n, 1);
        long d = ctx.malloc(n * 4L);
        ctx.memcpyHtoD(d, MemorySegment.ofArray(x));
        ctx.defaultStream().launch(scale, Dim3.of((n + 127) / 128), Dim3.of(128), 0,
                scale.newArgs().add(d).add(3.0f).add(n));
        try (Arena arena = Arena.ofConfined()) {
            // the extra form: data at 0, factor at 8, n at 12
            assertArrayEquals(new long[] {8, 4}, scale.paramInfo(1));
            MemorySegment buffer = arena.allocate(16, 8);
            buffer.set(ValueLayout.JAVA_LONG, 0, d);
            buffer.set(ValueLayout.JAVA_FLOAT, 8, -0.5f);
            buffer.set(ValueLayout.JAVA_INT, 12, n / 2); // only the first half
            ctx.defaultStream().launch(scale, Dim3.of(8), Dim3.of(128), 0, scale.argsFromBuffer(buffer));
        }
        float[] back = new float[n];
        ctx.memcpyDtoH(MemorySegment.ofArray(back), d);
        float[] expected = scaled(x, 3.0f);
        for (int i = 0; i < n / 2; i++) expected[i] = expected[i] * -0.5f;
        assertArrayEquals(expected, back);
        assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE, assertThrows(() -> ctx.defaultStream().launch(scale,
                Dim3.of(1), Dim3.of(1025), 0, scale.newArgs().add(d).add(1f).add(n))));
        assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE, assertThrows(() -> ctx.defaultStream().launch(scale,
                Dim3.of(1), Dim3.of(1), 48 * 1024 + 1, scale.newArgs().add(d).add(1f).add(n))));
    }

    private static CUresult assertThrows(org.junit.jupiter.api.function.Executable e) {
        return org.junit.jupiter.api.Assertions.assertThrows(CudaException.class, e).result();
    }

    @Test
    void attributesAndOccupancyComeFromTheBackendAndTheDevice() throws Exception {
        var device = platform.device(0);
        assertEquals(0, scale.attribute(CUfunction_attribute.CU_FUNC_ATTRIBUTE_SHARED_SIZE_BYTES));
        assertEquals(80, scale.attribute(CUfunction_attribute.CU_FUNC_ATTRIBUTE_PTX_VERSION)); // .target sm_80
        assertEquals(device.attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR) * 10
                + device.attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR),
                scale.attribute(CUfunction_attribute.CU_FUNC_ATTRIBUTE_BINARY_VERSION));
        int maxThreads = scale.attribute(CUfunction_attribute.CU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK);
        assertTrue(maxThreads >= 1 && maxThreads <= 1024, "max threads " + maxThreads);
        assertEquals(48 * 1024, scale.attribute(CUfunction_attribute.CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES));
        int threadsPerSm = device.attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_MULTIPROCESSOR);
        int blocksPerSm = device.attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_BLOCKS_PER_MULTIPROCESSOR);
        assertEquals(Math.min(blocksPerSm, threadsPerSm / 256), scale.maxActiveBlocksPerMultiprocessor(256, 0));
        int[] best = scale.maxPotentialBlockSize(null, 0, 0);
        int sms = device.attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
        assertEquals(scale.maxActiveBlocksPerMultiprocessor(best[1], 0) * sms, best[0]);
    }

    @Test
    void managedMemoryIsUsedByKernelsAndTheHost() throws Exception {
        int n = 300;
        long m = ctx.mallocManaged(n * 4L, 1);
        MemorySegment host = MemorySegment.ofAddress(m).reinterpret(n * 4L);
        float[] x = input(n, 5);
        MemorySegment.copy(x, 0, host, ValueLayout.JAVA_FLOAT, 0, n);
        ctx.defaultStream().launch(scale, Dim3.of(3), Dim3.of(128), 0, scale.newArgs().add(m).add(2.5f).add(n));
        ctx.synchronize();
        float[] back = new float[n];
        MemorySegment.copy(host, ValueLayout.JAVA_FLOAT, 0, back, 0, n);
        assertArrayEquals(scaled(x, 2.5f), back);
        ctx.free(m);
    }

    @Test
    void kernelsReadAndWriteMappedPinnedMemory() throws Exception {
        int n = 200;
        MemorySegment pinned = ctx.mallocHost(n * 4L, 2);
        float[] x = input(n, 11);
        MemorySegment.copy(x, 0, pinned, ValueLayout.JAVA_FLOAT, 0, n);
        long device = ctx.hostDevicePointer(pinned.address(), 0);
        ctx.defaultStream().launch(scale, Dim3.of(2), Dim3.of(128), 0, scale.newArgs().add(device).add(4f).add(n));
        ctx.synchronize();
        float[] back = new float[n];
        MemorySegment.copy(pinned, ValueLayout.JAVA_FLOAT, 0, back, 0, n);
        assertArrayEquals(scaled(x, 4f), back);
        ctx.freeHost(pinned);
    }

    @Test
    void kernelsOnStreamsFromManyThreadsWithEvents() throws Exception {
        int threads = 4;
        int n = 2048;
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            workers.add(Thread.ofPlatform().start(() -> {
                try {
                    CudaStream s = id % 2 == 0 ? ctx.createStream(CudaStream.NON_BLOCKING) : ctx.perThreadStream();
                    CudaEvent start = ctx.createEvent();
                    CudaEvent end = ctx.createEvent();
                    float[] x = input(n, id);
                    long d = s.mallocAsync(n * 4L);
                    start.record(s);
                    s.memcpyHtoDAsync(d, MemorySegment.ofArray(x));
                    for (int k = 0; k < 3; k++) {
                        s.launch(scale, Dim3.of(n / 256), Dim3.of(256), 0, scale.newArgs().add(d).add(1.5f).add(n));
                    }
                    float[] back = new float[n];
                    s.memcpyDtoHAsync(MemorySegment.ofArray(back), d);
                    end.record(s);
                    end.synchronize();
                    assertTrue(end.elapsedTimeSince(start) >= 0);
                    assertArrayEquals(scaled(scaled(scaled(x, 1.5f), 1.5f), 1.5f), back);
                    s.freeAsync(d);
                    s.synchronize();
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread w : workers) w.join();
        assertTrue(failures.isEmpty(), failures.toString());
    }

    @Test
    void kernelsOnTheLegacyStreamWaitForBlockingStreams() throws Exception {
        int n = 256;
        float[] x = input(n, 9);
        long d = ctx.malloc(n * 4L);
        ctx.memcpyHtoD(d, MemorySegment.ofArray(x));
        CudaStream blocking = ctx.createStream();
        CountDownLatch gate = new CountDownLatch(1);
        try {
            blocking.launchHostFunc(() -> {
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            // The blocking stream's kernel runs first (x * 2), then the legacy stream's (+ then * 3).
            blocking.launch(scale, Dim3.of(1), Dim3.of(256), 0, scale.newArgs().add(d).add(2f).add(n));
            ctx.defaultStream().launch(scale, Dim3.of(1), Dim3.of(256), 0, scale.newArgs().add(d).add(3f).add(n));
            Thread.sleep(50); // a window in which a missing dependency would let the legacy kernel run
            assertFalse(ctx.defaultStream().query());
        } finally {
            gate.countDown();
        }
        float[] back = new float[n];
        ctx.memcpyDtoH(MemorySegment.ofArray(back), d);
        assertArrayEquals(scaled(scaled(x, 2f), 3f), back);
    }

    @Test
    void runtimeOnTheCpuBackend() throws Exception {
        RuntimeImpl rt = new RuntimeImpl(platform);
        CudaFunction f = rt.currentContext().loadModule("scale.ptx", PTX).function("scale");
        int n = 128;
        long m = rt.mallocManaged(n * 4L, 1);
        float[] x = input(n, 3);
        MemorySegment.copy(x, 0, MemorySegment.ofAddress(m).reinterpret(n * 4L), ValueLayout.JAVA_FLOAT, 0, n);
        rt.launchKernel(f, Dim3.of(1), Dim3.of(128), 0, null, f.newArgs().add(m).add(-1f).add(n));
        rt.deviceSynchronize();
        float[] back = new float[n];
        MemorySegment.copy(MemorySegment.ofAddress(m).reinterpret(n * 4L), ValueLayout.JAVA_FLOAT, 0, back, 0, n);
        assertArrayEquals(scaled(x, -1f), back);
        // beyond the device's block size: cudaErrorInvalidValue, as CUDA 13 answers on an H100
        assertEquals(cudaError.cudaErrorInvalidValue, org.junit.jupiter.api.Assertions.assertThrows(
                org.transcuda.cuda.CudaRuntimeException.class,
                () -> rt.launchKernel(f, Dim3.of(1), Dim3.of(2048), 0, null, f.newArgs().add(m).add(1f).add(n))).error());
        assertEquals(rt.funcGetAttributes(f).maxThreadsPerBlock(),
                f.attribute(CUfunction_attribute.CU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK));
        rt.free(m);
        rt.deviceReset();
    }
}
