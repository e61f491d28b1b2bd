package org.transcuda.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.Proxy;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceReference;
import org.transcuda.cuda.CUdevice_attribute;
import org.transcuda.cuda.CudaRuntime;
import org.transcuda.cuda.CudaRuntimeException;
import org.transcuda.cuda.cudaError;
import org.transcuda.spi.Backend;

class RuntimeImplTest {
    private final CudaPlatform platform = new CudaPlatform();
    private final RuntimeImpl rt = new RuntimeImpl(platform);

    @SuppressWarnings("unchecked")
    private void bind(Backend b) {
        platform.bindBackend(b, Map.of("service.ranking", 0, "service.id", 1L),
                (ServiceReference<Backend>) Proxy.newProxyInstance(getClass().getClassLoader(),
                        new Class<?>[] {ServiceReference.class}, (p, m, a) -> null));
    }

    @Test
    void lastErrorIsPerThreadAndResetByGetLastError() throws Exception {
        bind(new CudaPlatformTest.Fake("x", 2, 2));
        assertEquals(2, rt.getDeviceCount());
        CudaRuntimeException e = assertThrows(CudaRuntimeException.class, () -> rt.setDevice(5));
        assertEquals(cudaError.cudaErrorInvalidDevice, e.error());
        Thread other = Thread.ofPlatform().start(() -> assertEquals(cudaError.cudaSuccess, rt.peekAtLastError()));
        other.join();
        assertEquals(cudaError.cudaErrorInvalidDevice, rt.peekAtLastError());
        assertEquals(cudaError.cudaErrorInvalidDevice, rt.getLastError());
        assertEquals(cudaError.cudaSuccess, rt.getLastError());
        rt.setDevice(1);
        assertEquals(1, rt.getDevice());
        assertEquals(32, rt.deviceGetAttribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_WARP_SIZE, 1));
    }

    @Test
    void memcpyInfersDirectionsFromPointers() throws Exception {
        bind(new CudaPlatformTest.Fake("x", 1, 1));
        rt.free(0); // initializes the context, as in CUDA
        long d = rt.malloc(64);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment host = arena.allocate(64);
            for (int i = 0; i < 16; i++) host.setAtIndex(ValueLayout.JAVA_INT, i, i * 3 - 7);
            rt.memcpy(d, host.address(), 64, CudaRuntime.DEFAULT);
            long d2 = rt.malloc(64);
            rt.memcpy(d2, d, 64, CudaRuntime.DEFAULT);
            rt.memset(d2, 0xff, 4);
            MemorySegment back = arena.allocate(64);
            rt.memcpy(back.address(), d2, 64, CudaRuntime.DEVICE_TO_HOST);
            assertEquals(-1, back.getAtIndex(ValueLayout.JAVA_INT, 0));
            for (int i = 1; i < 16; i++) assertEquals(i * 3 - 7, back.getAtIndex(ValueLayout.JAVA_INT, i));
            assertEquals(cudaError.cudaErrorInvalidMemcpyDirection,
                    assertThrows(CudaRuntimeException.class, () -> rt.memcpy(d, d2, 4, 9)).error());
            long pinned = rt.mallocHost(32);
            rt.memcpy(pinned, d, 32, CudaRuntime.DEFAULT);
            assertEquals(-7, MemorySegment.ofAddress(pinned).reinterpret(32).get(ValueLayout.JAVA_INT, 0));
            rt.freeHost(pinned);
        }
        rt.deviceReset();
        assertEquals(cudaError.cudaErrorInvalidValue,
                assertThrows(CudaRuntimeException.class, () -> rt.free(d)).error(),
                "the reset destroyed the allocation with its context");
    }

    @Test
    void errorNamesAndStringsAreCudas() {
        assertEquals("cudaErrorMemoryAllocation", rt.getErrorName(2));
        assertEquals("out of memory", rt.getErrorString(2));
        assertEquals("an illegal memory access was encountered", rt.getErrorString(700));
        assertEquals("unrecognized error code", rt.getErrorString(12345));
        assertEquals("unrecognized error code", rt.getErrorName(-3));
    }
}
