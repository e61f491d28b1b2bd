package org.transcuda.launcher.nativeabi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.CudaContext;
import org.transcuda.cuda.CudaException;
import org.transcuda.cuda.Memcpy3D;
import org.transcuda.cuda.PointerAttributes;

/**
 * Reading {@code CUDA_MEMCPY3D}: the struct is laid out here by hand at cuda.h's offsets (the ones
 * native/check/header_check.c asserts), and every field must arrive in the API's {@link Memcpy3D}.
 */
class Driver3DTest {
    /** A context that knows one device allocation, [DEVICE, DEVICE + 4096), for unified pointers. */
    private static final long DEVICE = 0x7000_0000L;

    private static CudaContext context() {
        return (CudaContext) java.lang.reflect.Proxy.newProxyInstance(CudaContext.class.getClassLoader(),
                new Class<?>[] {CudaContext.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("pointerAttributes")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    long p = (long) args[0];
                    if (p < DEVICE || p >= DEVICE + 4096) {
                        throw new CudaException(CUresult.CUDA_ERROR_NOT_FOUND, "not ours");
                    }
                    return new PointerAttributes(PointerAttributes.MemoryType.DEVICE, 0, DEVICE, 4096, p);
                });
    }

    private static void side(MemorySegment s, long base, long x, long y, long z, int type, long host, long device,
            long pitch, long height) {
        s.set(ValueLayout.JAVA_LONG, base, x);
        s.set(ValueLayout.JAVA_LONG, base + 8, y);
        s.set(ValueLayout.JAVA_LONG, base + 16, z);
        s.set(ValueLayout.JAVA_INT, base + 32, type);
        s.set(ValueLayout.JAVA_LONG, base + 40, host);
        s.set(ValueLayout.JAVA_LONG, base + 48, device);
        s.set(ValueLayout.JAVA_LONG, base + 72, pitch);
        s.set(ValueLayout.JAVA_LONG, base + 80, height);
    }

    private static void extent(MemorySegment s, long width, long height, long depth) {
        s.set(ValueLayout.JAVA_LONG, 176, width);
        s.set(ValueLayout.JAVA_LONG, 184, height);
        s.set(ValueLayout.JAVA_LONG, 192, depth);
    }

    @Test
    void hostToDeviceFieldsAndTheHostSpan() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment host = arena.allocate(4096);
            MemorySegment s = arena.allocate(200);
            side(s, 0, 4, 1, 2, 1, host.address(), 0, 64, 10); // source: host, x 4 bytes, row 1, slice 2
            side(s, 88, 8, 3, 1, 2, 0, DEVICE, 128, 12); // destination: device
            extent(s, 20, 5, 3);
            Memcpy3D c = Driver3D.read(context(), s);
            assertEquals(4, c.srcXInBytes());
            assertEquals(1, c.srcY());
            assertEquals(2, c.srcZ());
            assertEquals(host.address(), c.srcHost().address());
            // last byte touched: ((z + depth - 1) * height + (y + rows - 1)) * pitch + x + width
            assertEquals(((2 + 3 - 1) * 10 + (1 + 5 - 1)) * 64 + 4 + 20, c.srcHost().byteSize());
            assertEquals(64, c.srcPitch());
            assertEquals(10, c.srcHeight());
            assertEquals(8, c.dstXInBytes());
            assertEquals(3, c.dstY());
            assertEquals(1, c.dstZ());
            assertNull(c.dstHost());
            assertEquals(DEVICE, c.dstDevice());
            assertEquals(128, c.dstPitch());
            assertEquals(12, c.dstHeight());
            assertEquals(20, c.widthInBytes());
            assertEquals(5, c.height());
            assertEquals(3, c.depth());
        }
    }

    @Test
    void unifiedPointersAreDeviceOrHostByTheirAllocation() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment host = arena.allocate(256);
            MemorySegment s = arena.allocate(200);
            side(s, 0, 0, 0, 0, 4, 0, DEVICE + 64, 32, 2);
            side(s, 88, 0, 0, 0, 4, 0, host.address(), 32, 2);
            extent(s, 32, 2, 1);
            Memcpy3D c = Driver3D.read(context(), s);
            assertNull(c.srcHost());
            assertEquals(DEVICE + 64, c.srcDevice());
            assertEquals(host.address(), c.dstHost().address());
            assertEquals(64, c.dstHost().byteSize());
        }
    }

    @Test
    void arraysUnknownTypesAndNullHostPointersAreInvalidValues() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(200);
            extent(s, 4, 1, 1);
            side(s, 88, 0, 0, 0, 2, 0, DEVICE, 4, 1);
            for (int type : new int[] {3, 0, 5}) {
                side(s, 0, 0, 0, 0, type, 0, DEVICE, 4, 1);
                CudaException e = assertThrows(CudaException.class, () -> Driver3D.read(context(), s));
                assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE, e.result());
            }
            side(s, 0, 0, 0, 0, 1, 0, 0, 4, 1);
            assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE,
                    assertThrows(CudaException.class, () -> Driver3D.read(context(), s)).result());
        }
    }
}
