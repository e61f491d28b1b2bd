package org.transcuda.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceReference;
import org.transcuda.cuda.CUdevice_attribute;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.CudaContext;
import org.transcuda.cuda.CudaDevice;
import org.transcuda.cuda.CudaException;
import org.transcuda.cuda.Dim3;
import org.transcuda.ir.Module;
import org.transcuda.spi.Backend;
import org.transcuda.spi.BackendContext;
import org.transcuda.spi.BackendDevice;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendInfo;
import org.transcuda.spi.BackendModule;
import org.transcuda.spi.BackendStream;
import org.transcuda.spi.DeviceProperties;
import org.transcuda.spi.LaunchConfig;
import org.transcuda.spi.BackendFunction;
import org.transcuda.spi.host.HostMemory;
import org.transcuda.spi.host.HostBackendStream;

/** Backend selection and the lease, without a framework (the in-framework tests are in the launcher). */
class CudaPlatformTest {
    private final CudaPlatform platform = new CudaPlatform();

    @AfterEach
    void clear() {
        System.clearProperty("transcuda.backend");
    }

    static DeviceProperties props(String name) {
        return props(name, 8);
    }

    /** The fake device's properties with compute capability {@code major}.6. */
    static DeviceProperties props(String name, int major) {
        return new DeviceProperties(name, UUID.randomUUID(), 1 << 20, major, 6, 3, 512, new Dim3(512, 256, 64),
                new Dim3(1000, 100, 10), 16384, 65536, 32, 32768, 1500, 900, 128, 4096, false, 3);
    }

    /** A host-memory backend with n devices, device k unusable when k >= usable. */
    record Fake(String id, int count, int usable, boolean hostAddressable, int computeMajor) implements Backend {
        Fake(String id, int count, int usable) {
            this(id, count, usable, false, 8);
        }

        Fake(String id, int count, int usable, boolean hostAddressable) {
            this(id, count, usable, hostAddressable, 8);
        }

        @Override
        public BackendInfo info() {
            return new BackendInfo(id, id, "test", "1", List.of());
        }

        @Override
        public List<BackendDevice> devices() {
            return java.util.stream.IntStream.range(0, count).<BackendDevice>mapToObj(k -> new BackendDevice() {
                @Override
                public DeviceProperties properties() {
                    return props(id + "-" + k, computeMajor);
                }

                @Override
                public Optional<String> unusableReason() {
                    return k >= usable ? Optional.of("lacks a feature") : Optional.empty();
                }

                @Override
                public boolean hostAddressableMemory() {
                    return hostAddressable;
                }

                @Override
                public BackendContext createContext() {
                    return new HostContext();
                }
            }).toList();
        }
    }

    /** The fake backend's one kernel: {@code store(u64 dst, u32 v)}. */
    static final org.transcuda.ir.Function STORE = new org.transcuda.ir.Function("store", true, List.of(
            new org.transcuda.ir.Param("dst", org.transcuda.ir.ScalarType.U64, 1, 8, 0),
            new org.transcuda.ir.Param("v", org.transcuda.ir.ScalarType.U32, 1, 4, 8)));

    /** Limits of the fake kernel: 256 threads (below the device's 512), 1 KiB static shared, 16 registers. */
    static final BackendFunction STORE_FUNCTION = new BackendFunction() {
        @Override
        public org.transcuda.ir.Function ir() {
            return STORE;
        }

        @Override
        public int maxThreadsPerBlock() {
            return 256;
        }

        @Override
        public int staticSharedBytes() {
            return 1024;
        }

        @Override
        public int registersPerThread() {
            return 16;
        }

        @Override
        public int localBytesPerThread() {
            return 48;
        }
    };

    static final class HostContext implements BackendContext {
        final HostMemory memory = new HostMemory(1 << 20);
        boolean closed;

        @Override
        public long allocate(long bytes) throws BackendException {
            return memory.allocate(bytes);
        }

        @Override
        public void free(long address) throws BackendException {
            memory.free(address);
        }

        @Override
        public long allocatedBytes() {
            return memory.allocatedBytes();
        }

        @Override
        public BackendModule loadModule(Module module) throws BackendException {
            return new BackendModule() {
                @Override
                public BackendFunction function(String name) throws BackendException {
                    if (!name.equals(STORE.name())) throw new BackendException(CUresult.CUDA_ERROR_NOT_FOUND, name);
                    return STORE_FUNCTION;
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public BackendStream createStream() {
            return new HostBackendStream(memory, "fake") {
                @Override
                public void launch(BackendFunction f, LaunchConfig c, MemorySegment a) throws BackendException {
                    if (f != STORE_FUNCTION) throw new BackendException(CUresult.CUDA_ERROR_NOT_SUPPORTED, "no kernel");
                    // store(u64 dst, u32 v): dst[0] = v, dst[1] = threads in the grid, dst[2] = dynamic shared bytes
                    long dst = a.get(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, 0);
                    int v = a.get(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, 8);
                    MemorySegment out = memory.resolve(dst, 12, CUresult.CUDA_ERROR_ILLEGAL_ADDRESS);
                    long threads = c.grid().volume() * c.block().volume();
                    int shared = c.dynamicSharedBytes();
                    queue.enqueue(() -> {
                        out.setAtIndex(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, 0, v);
                        out.setAtIndex(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, 1, (int) threads);
                        out.setAtIndex(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, 2, shared);
                    });
                }
            };
        }

        @Override
        public void synchronize() {
        }

        @Override
        public void close() {
            closed = true;
            memory.close();
        }
    }

    @SuppressWarnings("unchecked")
    private static ServiceReference<Backend> ref() {
        return (ServiceReference<Backend>) Proxy.newProxyInstance(CudaPlatformTest.class.getClassLoader(),
                new Class<?>[] {ServiceReference.class}, (p, m, a) -> null);
    }

    private void bind(Backend b, int ranking, long serviceId) {
        platform.bindBackend(b, Map.of("service.ranking", ranking, "service.id", serviceId), ref());
    }

    @Test
    void highestRankedBackendWithAUsableDeviceServes() throws Exception {
        assertEquals(CUresult.CUDA_ERROR_NO_DEVICE, assertThrows(CudaException.class, platform::deviceCount).result());
        bind(new Fake("low", 1, 1), 10, 1);
        bind(new Fake("empty", 0, 0), 500, 2);
        bind(new Fake("high", 3, 2), 100, 3);
        assertEquals("high", platform.selectedBackend(), "'empty' ranks higher but has no usable device");
        assertEquals(2, platform.deviceCount(), "unusable devices are not CUDA devices");
        assertEquals("high-1", platform.device(1).name());
        assertEquals(CUresult.CUDA_ERROR_INVALID_DEVICE,
                assertThrows(CudaException.class, () -> platform.device(2)).result());
        assertEquals(3, platform.backends().size());
        assertTrue(platform.backends().stream().filter(d -> d.selected()).allMatch(d -> d.id().equals("high")));
    }

    @Test
    void configuredBackendIsUsedOrFailsWithoutFallback() throws Exception {
        bind(new Fake("cpu", 1, 1), 100, 1);
        bind(new Fake("other", 1, 1), 1, 2);
        System.setProperty("transcuda.backend", "other");
        assertEquals("other", platform.selectedBackend());
        platform.configure(Map.of("backend", "vulkan"));
        CudaException e = assertThrows(CudaException.class, platform::deviceCount);
        assertEquals(CUresult.CUDA_ERROR_NO_DEVICE, e.result());
        assertTrue(e.getMessage().contains("'vulkan'") && e.getMessage().contains("Configuration Admin"), e.getMessage());
        platform.configure(Map.of());
        assertEquals("other", platform.selectedBackend(), "system property applies without Config Admin");
    }

    @Test
    void attributesAreConsistentWithProperties() throws Exception {
        bind(new Fake("x", 1, 1), 0, 1);
        CudaDevice d = platform.device(0);
        DeviceProperties p = props("x-0");
        assertEquals(p.maxThreadsPerBlock(), d.attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK));
        assertEquals(256, d.attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_Y));
        assertEquals(10, d.attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Z));
        assertEquals(32, d.attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_WARP_SIZE));
        assertEquals(8, d.attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR));
        assertEquals(6, d.attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR));
        assertEquals(3, d.attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT));
        assertEquals(16384, d.attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK));
        assertEquals(0, d.attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTICAST_SUPPORTED));
    }

    /**
     * CUDA 13 refuses {@code cudaLimitDevRuntimeSyncDepth} on devices of compute capability 9.0 and higher (CUDA's
     * cudaDeviceSetLimit documentation; observed for the get on an H100 with driver 580, 2026-11-26:
     * cudaErrorUnsupportedLimit, 215); below 9.0 it stays a settable limit with the default of 2.
     */
    @Test
    void syncDepthLimitIsUnsupportedFromComputeCapability9() throws Exception {
        bind(new Fake("hopper", 1, 1, false, 9), 0, 1);
        CudaContext c = platform.device(0).createContext();
        try {
            for (org.transcuda.cuda.CUlimit other : List.of(org.transcuda.cuda.CUlimit.CU_LIMIT_STACK_SIZE,
                    org.transcuda.cuda.CUlimit.CU_LIMIT_DEV_RUNTIME_PENDING_LAUNCH_COUNT)) {
                c.setLimit(other, 4096);
                assertEquals(4096, c.limit(other));
            }
            CudaException get = assertThrows(CudaException.class,
                    () -> c.limit(org.transcuda.cuda.CUlimit.CU_LIMIT_DEV_RUNTIME_SYNC_DEPTH));
            assertEquals(CUresult.CUDA_ERROR_UNSUPPORTED_LIMIT, get.result());
            CudaException set = assertThrows(CudaException.class,
                    () -> c.setLimit(org.transcuda.cuda.CUlimit.CU_LIMIT_DEV_RUNTIME_SYNC_DEPTH, 3));
            assertEquals(CUresult.CUDA_ERROR_UNSUPPORTED_LIMIT, set.result());
        } finally {
            c.close();
        }
        CudaPlatform older = new CudaPlatform();
        older.bindBackend(new Fake("ampere", 1, 1), Map.of("service.ranking", 0, "service.id", 2L), ref());
        CudaContext a = older.device(0).createContext();
        try {
            assertEquals(2, a.limit(org.transcuda.cuda.CUlimit.CU_LIMIT_DEV_RUNTIME_SYNC_DEPTH));
            a.setLimit(org.transcuda.cuda.CUlimit.CU_LIMIT_DEV_RUNTIME_SYNC_DEPTH, 5);
            assertEquals(5, a.limit(org.transcuda.cuda.CUlimit.CU_LIMIT_DEV_RUNTIME_SYNC_DEPTH));
        } finally {
            a.close();
        }
    }

    @Test
    void memoryRoundTripAndErrors() throws Exception {
        bind(new Fake("x", 1, 1), 0, 1);
        try (CudaContext ctx = platform.device(0).createContext()) {
            long d = ctx.malloc(64);
            int[] src = new int[16];
            for (int i = 0; i < 16; i++) src[i] = i * i - 5;
            ctx.memcpyHtoD(d, MemorySegment.ofArray(src));
            long d2 = ctx.malloc(64);
            ctx.memcpyDtoD(d2, d, 64);
            ctx.memsetD16(d2 + 8, (short) -2, 2);
            int[] back = new int[16];
            ctx.memcpyDtoH(MemorySegment.ofArray(back), d2);
            src[2] = 0xFFFE_FFFE; // two 16-bit elements of -2
            assertEquals(java.util.Arrays.toString(src), java.util.Arrays.toString(back));
            assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE, assertThrows(CudaException.class,
                    () -> ctx.memcpyDtoH(MemorySegment.ofArray(new int[17]), d)).result());
            assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE,
                    assertThrows(CudaException.class, () -> ctx.memsetD32(d + 2, 0, 1)).result());
            ctx.free(d);
            assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE, assertThrows(CudaException.class, () -> ctx.free(d)).result());
        }
    }

    @Test
    void unbindDrainsThenFailsContextsWithDeviceUnavailable() throws Exception {
        Fake fake = new Fake("x", 1, 1);
        bind(fake, 0, 1);
        CudaContext ctx = platform.device(0).createContext();
        long d = ctx.malloc(16);
        platform.unbindBackend(fake);
        assertEquals(CUresult.CUDA_ERROR_DEVICE_UNAVAILABLE, assertThrows(CudaException.class, () -> ctx.malloc(16)).result());
        assertEquals(CUresult.CUDA_ERROR_DEVICE_UNAVAILABLE, assertThrows(CudaException.class, () -> ctx.free(d)).result());
        assertEquals(CUresult.CUDA_ERROR_NO_DEVICE, assertThrows(CudaException.class, platform::deviceCount).result());
        bind(new Fake("x", 1, 1), 0, 2);
        try (CudaContext again = platform.device(0).createContext()) {
            again.free(again.malloc(16));
        }
    }

    @Test
    void eventsMeasureElapsedTimeOnAStream() throws Exception {
        bind(new Fake("x", 1, 1), 0, 1);
        try (CudaContext ctx = platform.device(0).createContext()) {
            var s = ctx.createStream();
            var start = ctx.createEvent();
            var end = ctx.createEvent();
            start.record(s);
            s.launchHostFunc(() -> {
                try {
                    Thread.sleep(30);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            end.record(s);
            end.synchronize();
            assertTrue(end.query());
            float ms = end.elapsedTimeSince(start);
            assertTrue(ms >= 29 && ms < 10_000, "elapsed " + ms);
            s.close();
        }
    }

    @Test
    void contextStackIsPerThread() throws Exception {
        bind(new Fake("x", 1, 1), 0, 1);
        CudaContext a = platform.device(0).createContext();
        CudaContext b = platform.device(0).createContext();
        assertTrue(platform.currentContext().isEmpty());
        platform.pushCurrentContext(a);
        platform.pushCurrentContext(b);
        assertEquals(b, platform.currentContext().orElseThrow());
        Thread other = Thread.ofPlatform().start(() -> assertTrue(platform.currentContext().isEmpty()));
        other.join();
        platform.setCurrentContext(a);
        assertEquals(a, platform.popCurrentContext());
        assertEquals(a, platform.popCurrentContext(), "set replaced b at the top");
        assertEquals(CUresult.CUDA_ERROR_INVALID_CONTEXT,
                assertThrows(CudaException.class, platform::popCurrentContext).result());
        a.close();
        b.close();
    }

    @Test
    void primaryContextIsSharedAndRefCounted() throws Exception {
        bind(new Fake("x", 1, 1), 0, 1);
        CudaDevice d = platform.device(0);
        assertTrue(!d.isPrimaryContextActive());
        CudaContext p1 = d.retainPrimaryContext();
        CudaContext p2 = platform.device(0).retainPrimaryContext();
        assertTrue(p1 == p2, "one primary context per device");
        assertEquals(CUresult.CUDA_ERROR_INVALID_CONTEXT, assertThrows(CudaException.class, p1::close).result());
        long ptr = p1.malloc(64);
        d.releasePrimaryContext();
        assertTrue(d.isPrimaryContextActive(), "still retained once");
        p1.free(ptr);
        d.releasePrimaryContext();
        assertTrue(!d.isPrimaryContextActive());
        assertEquals(CUresult.CUDA_ERROR_INVALID_CONTEXT, assertThrows(CudaException.class, () -> p1.malloc(1)).result());
        assertEquals(CUresult.CUDA_ERROR_INVALID_CONTEXT,
                assertThrows(CudaException.class, d::releasePrimaryContext).result());
        CudaContext p3 = d.retainPrimaryContext();
        assertTrue(p3 != p1, "a new primary context after the last release");
        d.resetPrimaryContext();
        assertTrue(!d.isPrimaryContextActive());
    }

    @Test
    void faultsAreStickyUntilTheContextIsDestroyed() throws Exception {
        bind(new Fake("x", 1, 1), 0, 1);
        CudaContext ctx = platform.device(0).createContext();
        long ptr = ctx.malloc(16);
        ctx.defaultStream().launchHostFunc(() -> {
            throw new IllegalStateException("simulated device fault");
        });
        assertEquals(CUresult.CUDA_ERROR_LAUNCH_FAILED,
                assertThrows(CudaException.class, () -> ctx.defaultStream().synchronize()).result());
        CudaException later = assertThrows(CudaException.class, () -> ctx.malloc(16));
        assertEquals(CUresult.CUDA_ERROR_LAUNCH_FAILED, later.result());
        assertTrue(later.getMessage().contains("unusable after an earlier fault"), later.getMessage());
        assertEquals(CUresult.CUDA_ERROR_LAUNCH_FAILED, assertThrows(CudaException.class, () -> ctx.free(ptr)).result());
        ctx.close(); // allowed despite the sticky error
        try (CudaContext fresh = platform.device(0).createContext()) {
            fresh.free(fresh.malloc(16));
        }
    }

    @Test
    void pitchedCopiesAddressRangesAndHostMemory() throws Exception {
        bind(new Fake("x", 1, 1), 0, 1);
        try (CudaContext ctx = platform.device(0).createContext()) {
            var pitched = ctx.mallocPitch(10 * 4, 3, 4);
            assertEquals(512, pitched.pitch());
            int[] host = new int[30];
            for (int i = 0; i < host.length; i++) host[i] = 1000 + i;
            // host rows of 40 bytes -> device rows of 512 bytes -> back into rows of 48 bytes
            ctx.memcpy2D(null, pitched.pointer(), pitched.pitch(), MemorySegment.ofArray(host), 0, 40, 40, 3);
            int[] back = new int[36];
            ctx.memcpy2D(MemorySegment.ofArray(back), 0, 48, null, pitched.pointer(), pitched.pitch(), 40, 3);
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 12; c++) {
                    assertEquals(c < 10 ? 1000 + r * 10 + c : 0, back[r * 12 + c], "row " + r + " col " + c);
                }
            }
            var attrs = ctx.pointerAttributes(pitched.pointer() + 700);
            assertEquals(pitched.pointer(), attrs.base());
            assertEquals(512 * 3, attrs.size());
            assertEquals(org.transcuda.cuda.PointerAttributes.MemoryType.DEVICE, attrs.memoryType());
            assertEquals(CUresult.CUDA_ERROR_NOT_FOUND,
                    assertThrows(CudaException.class, () -> ctx.pointerAttributes(pitched.pointer() + 512 * 3)).result());
            long[] info = ctx.memoryInfo();
            assertEquals(1 << 20, info[1]);
            assertEquals((1 << 20) - 512 * 3, info[0]);

            MemorySegment pinned = ctx.mallocHost(100);
            assertEquals(0, pinned.address() % 4096);
            assertEquals(org.transcuda.cuda.PointerAttributes.MemoryType.HOST,
                    ctx.pointerAttributes(pinned.address() + 99).memoryType());
            var s = ctx.createStream();
            s.memsetAsync(pitched.pointer(), 0x1ABCD, 2, 4);
            s.memcpyDtoHAsync(pinned.asSlice(0, 8), pitched.pointer());
            s.synchronize();
            for (int i = 0; i < 4; i++) {
                assertEquals((short) 0xABCD, pinned.get(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, 2L * i));
            }
            ctx.freeHost(pinned);
            assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE, assertThrows(CudaException.class, () -> ctx.freeHost(pinned)).result());
            s.close();
        }
    }
}
