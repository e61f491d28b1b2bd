package org.transcuda.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.ServiceReference;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.CudaContext;
import org.transcuda.cuda.CudaDevice;
import org.transcuda.cuda.CudaException;
import org.transcuda.cuda.CudaModule;
import org.transcuda.cuda.CudaStream;
import org.transcuda.cuda.PointerAttributes;
import org.transcuda.spi.Backend;

/** Context flags and ids, peer access, unified and peer copies, 2D memsets, host registration, module files. */
class DriverExtrasTest {
    private final CudaPlatform platform = new CudaPlatform();

    @SuppressWarnings("unchecked")
    private void bind(boolean hostAddressable) {
        platform.bindBackend(new CudaPlatformTest.Fake("x", 2, 2, hostAddressable),
                Map.of("service.ranking", 0, "service.id", 1L),
                (ServiceReference<Backend>) Proxy.newProxyInstance(getClass().getClassLoader(),
                        new Class<?>[] {ServiceReference.class}, (p, m, a) -> null));
    }

    private static CUresult code(org.junit.jupiter.api.function.Executable e) {
        return assertThrows(CudaException.class, e).result();
    }

    @Test
    void initDevicesFlagsAndIds() throws Exception {
        assertEquals(CUresult.CUDA_ERROR_NO_DEVICE, code(() -> platform.init(0)));
        bind(false);
        platform.init(0);
        assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE, code(() -> platform.init(1)));
        CudaDevice d1 = platform.device(1);
        assertArrayEquals(new int[] {8, 6}, d1.computeCapability());
        assertEquals("0000:03:00.0", d1.pciBusId(), "domain 0, bus 3 (the fake's PCI bus id), device 0");
        assertEquals(0, platform.deviceByPciBusId("0000:03:00.0").ordinal(), "both fake devices sit on bus 3");
        assertEquals(0, platform.deviceByPciBusId("03:00.0").ordinal());
        assertEquals(CUresult.CUDA_ERROR_INVALID_DEVICE, code(() -> platform.deviceByPciBusId("0000:04:00.0")));

        try (CudaContext a = d1.createContext(0x4); CudaContext b = platform.device(0).createContext()) {
            assertEquals(0x4, a.flags());
            a.setFlags(0x2 | 0x80);
            assertEquals(0x82, a.flags());
            assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE, code(() -> a.setFlags(0x3)));
            assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE, code(() -> d1.createContext(0x100)));
            assertNotEquals(a.id(), b.id());
            a.setCacheConfig(2);
            assertEquals(2, a.cacheConfig());
            assertEquals(0, b.cacheConfig());
            assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE, code(() -> a.setCacheConfig(4)));
            CudaStream s1 = a.createStream();
            CudaStream s2 = a.createStream();
            assertNotEquals(s1.id(), s2.id());
            assertSame(d1, s1.device());
            assertEquals(0, s1.captureStatus());
            s1.close();
            assertEquals(CUresult.CUDA_ERROR_INVALID_HANDLE, code(s1::id));

            assertFalse(d1.canAccessPeer(platform.device(0)));
            assertEquals(0, d1.p2pAttribute(1, platform.device(0)));
            assertEquals(CUresult.CUDA_ERROR_INVALID_DEVICE, code(() -> d1.p2pAttribute(1, platform.device(1))));
            assertEquals(CUresult.CUDA_ERROR_PEER_ACCESS_UNSUPPORTED, code(() -> a.enablePeerAccess(b, 0)));
            assertEquals(CUresult.CUDA_ERROR_PEER_ACCESS_NOT_ENABLED, code(() -> a.disablePeerAccess(b)));
        }
        d1.setPrimaryContextFlags(0x4);
        CudaContext p = d1.retainPrimaryContext();
        assertEquals(0x4, p.flags());
        assertEquals(0x4, d1.primaryContextFlags());
        d1.setPrimaryContextFlags(0x1);
        assertEquals(0x1, p.flags(), "applied to the live primary context");
        assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE, code(() -> d1.setPrimaryContextFlags(0x7)));
        d1.releasePrimaryContext();
    }

    @Test
    void unifiedPeerAnd2DMemoryOperations() throws Exception {
        bind(false);
        try (CudaContext a = platform.device(0).createContext(); CudaContext b = platform.device(1).createContext();
                Arena arena = Arena.ofShared()) {
            MemorySegment h = arena.allocate(64);
            for (int i = 0; i < 16; i++) h.setAtIndex(ValueLayout.JAVA_INT, i, 100 + i);
            long da = a.malloc(64);
            a.memcpy(da, h.address(), 64); // host -> device, inferred
            long da2 = a.malloc(64);
            a.memcpy(da2, da, 64); // device -> device
            MemorySegment back = arena.allocate(64);
            a.memcpy(back.address(), da2, 64); // device -> host
            assertEquals(-1L, back.mismatch(h));
            MemorySegment hostCopy = arena.allocate(64);
            a.memcpy(hostCopy.address(), back.address(), 64); // host -> host
            assertEquals(-1L, hostCopy.mismatch(h));

            long db = b.malloc(64);
            b.memcpyPeer(db, da, a, 64);
            int[] viaB = new int[16];
            b.memcpyDtoH(MemorySegment.ofArray(viaB), db);
            for (int i = 0; i < 16; i++) assertEquals(100 + i, viaB[i]);
            b.memsetD32(db, 0, 16);
            CudaStream sb = b.createStream();
            sb.memcpyPeerAsync(db + 16, da, a, 16);
            sb.memcpyAsync(back.address(), db, 32);
            sb.synchronize();
            assertArrayEquals(new int[] {0, 0, 0, 0, 100, 101, 102, 103},
                    new int[] {back.getAtIndex(ValueLayout.JAVA_INT, 0), back.getAtIndex(ValueLayout.JAVA_INT, 1),
                            back.getAtIndex(ValueLayout.JAVA_INT, 2), back.getAtIndex(ValueLayout.JAVA_INT, 3),
                            back.getAtIndex(ValueLayout.JAVA_INT, 4), back.getAtIndex(ValueLayout.JAVA_INT, 5),
                            back.getAtIndex(ValueLayout.JAVA_INT, 6), back.getAtIndex(ValueLayout.JAVA_INT, 7)});
            assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE, code(() -> b.memcpyPeer(db, da + 4096, a, 64)));

            // 2D memsets: 3 rows of 5 shorts, 16 bytes apart, then one byte row through a stream
            a.memsetD8(da, (byte) 0, 64);
            a.memsetD2D(da, 16, 0xBEEF, 2, 5, 3);
            CudaStream s = a.createStream();
            s.memsetD2DAsync(da + 12, 16, 0x77, 1, 2, 3);
            s.synchronize();
            byte[] bytes = new byte[64];
            a.memcpyDtoH(MemorySegment.ofArray(bytes), da);
            for (int row = 0; row < 4; row++) {
                for (int col = 0; col < 16; col++) {
                    int i = row * 16 + col;
                    int expected = row < 3 && col < 10 ? (col % 2 == 0 ? 0xEF : 0xBE)
                            : row < 3 && (col == 12 || col == 13) ? 0x77 : 0;
                    assertEquals((byte) expected, bytes[i], "row " + row + " col " + col);
                }
            }
            assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE, code(() -> a.memsetD2D(da, 8, 0, 2, 5, 3)), "pitch < width");
            assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE, code(() -> a.memsetD2D(da + 1, 16, 0, 2, 5, 3)), "alignment");
        }
    }

    @Test
    void hostRegistrationAndManagedHints() throws Exception {
        bind(true);
        try (CudaContext c = platform.device(0).createContext(); Arena arena = Arena.ofShared()) {
            MemorySegment mem = arena.allocate(256, 64);
            c.registerHost(mem, 2);
            assertEquals(PointerAttributes.MemoryType.HOST, c.pointerAttributes(mem.address() + 100).memoryType());
            assertEquals(2, c.hostFlags(mem.address() + 255));
            assertEquals(CUresult.CUDA_ERROR_HOST_MEMORY_ALREADY_REGISTERED,
                    code(() -> c.registerHost(mem.asSlice(128, 64), 0)));
            assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE, code(() -> c.freeHost(mem)), "not from cuMemAllocHost");
            MemorySegment pinned = c.mallocHost(64);
            assertEquals(CUresult.CUDA_ERROR_HOST_MEMORY_NOT_REGISTERED, code(() -> c.unregisterHost(pinned)));
            c.unregisterHost(mem);
            assertEquals(CUresult.CUDA_ERROR_NOT_FOUND, code(() -> c.pointerAttributes(mem.address())));
            assertEquals(CUresult.CUDA_ERROR_HOST_MEMORY_NOT_REGISTERED, code(() -> c.unregisterHost(mem)));
            assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE, code(() -> c.registerHost(mem, 16)));

            // Pinned memory on a host-addressable device is device memory at the same address.
            long free = c.memoryInfo()[0];
            MemorySegment mappedPinned = c.mallocHost(64, 2);
            assertEquals(free - 64, c.memoryInfo()[0]);
            assertEquals(mappedPinned.address() + 8, c.hostDevicePointer(mappedPinned.address() + 8, 0));
            c.memsetD32(c.hostDevicePointer(mappedPinned.address(), 0), 7, 16); // a device operation on it
            assertEquals(7, mappedPinned.getAtIndex(ValueLayout.JAVA_INT, 15));
            assertEquals(PointerAttributes.MemoryType.HOST, c.pointerAttributes(mappedPinned.address()).memoryType());
            assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE, code(() -> c.hostDevicePointer(mappedPinned.address(), 1)));
            assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE, code(() -> c.hostDevicePointer(mem.address(), 0)));
            c.registerHost(mem, 0);
            assertEquals(CUresult.CUDA_ERROR_NOT_SUPPORTED, code(() -> c.hostDevicePointer(mem.address(), 0)));
            c.unregisterHost(mem);
            c.freeHost(mappedPinned);
            assertEquals(free, c.memoryInfo()[0]);
            assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE, code(() -> c.freeHost(mappedPinned)));

            long m = c.mallocManaged(128, 1);
            long plain = c.malloc(128);
            c.memAdvise(m, 128, 1, 0);
            c.memAdvise(m + 64, 64, 3, -1);
            assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE, code(() -> c.memAdvise(m, 129, 1, 0)), "past the end");
            assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE, code(() -> c.memAdvise(plain, 16, 1, 0)), "not managed");
            assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE, code(() -> c.memAdvise(m, 16, 7, 0)), "advice 7");
            assertEquals(CUresult.CUDA_ERROR_INVALID_DEVICE, code(() -> c.memAdvise(m, 16, 1, 5)));
            CudaStream s = c.createStream();
            s.prefetchAsync(m, 128, 0);
            s.prefetchAsync(m, 128, -1);
            assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE, code(() -> s.prefetchAsync(plain, 128, 0)));
            assertTrue(s.query());
        }
    }

    @Test
    void handlesOfAnotherContextAndOutOfMemoryLeaveContextsUsable() throws Exception {
        bind(false);
        try (CudaContext a = platform.device(0).createContext(); CudaContext b = platform.device(0).createContext()) {
            CudaStream sa = a.createStream();
            var fa = a.loadModule("k.ptx", LaunchAndMemoryTest.PTX).function("store");
            long db = b.malloc(16);
            assertEquals(CUresult.CUDA_ERROR_INVALID_HANDLE,
                    code(() -> b.defaultStream().launch(fa, org.transcuda.cuda.Dim3.of(1), org.transcuda.cuda.Dim3.of(1),
                            0, fa.newArgs().add(db).add(1))), "a function of another context");
            assertEquals(CUresult.CUDA_ERROR_INVALID_HANDLE, code(() -> b.createEvent().record(sa)));
            assertEquals(CUresult.CUDA_ERROR_INVALID_HANDLE, code(() -> b.defaultStream().waitEvent(a.createEvent())));
            assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE, code(() -> a.free(db)), "b's pointer freed in a");
            assertEquals(CUresult.CUDA_ERROR_OUT_OF_MEMORY, code(() -> a.malloc(2 << 20)), "the fake has 1 MiB");
            assertEquals(CUresult.CUDA_ERROR_OUT_OF_MEMORY, code(() -> sa.mallocAsync(2 << 20)));
            long ok = a.malloc(1024); // still usable after each of these errors
            a.memsetD8(ok, (byte) 1, 1024);
            a.free(ok);
            assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE, code(() -> a.free(ok)), "freed twice");
            assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE, code(() -> a.memsetD8(ok, (byte) 1, 16)), "freed pointer");
            b.free(db);
            sa.close();
        }
    }

    @Test
    void pinnedMemoryHasNoDevicePointerWhereKernelsCannotReachHostMemory() throws Exception {
        bind(false);
        try (CudaContext c = platform.device(0).createContext()) {
            MemorySegment pinned = c.mallocHost(64);
            assertEquals(CUresult.CUDA_ERROR_NOT_SUPPORTED, code(() -> c.hostDevicePointer(pinned.address(), 0)));
            c.freeHost(pinned);
        }
    }

    /**
     * A .version newer than PTX ISA 9.0 (CUDA 13.0's) is CUDA_ERROR_UNSUPPORTED_PTX_VERSION (222), as NVIDIA's driver
     * answers, with the version number's file:line:col; a malformed .version stays CUDA_ERROR_INVALID_PTX (218); the
     * context stays usable; the runtime's code for it is cudaErrorUnsupportedPtxVersion (222).
     */
    @Test
    void ptxVersionNewerThanImplementedIsUnsupportedPtxVersion(@TempDir Path dir) throws Exception {
        bind(false);
        String body = "\n.target sm_86\n.address_size 64\n.visible .entry store(.param .u64 dst) { ret; }\n";
        try (CudaContext c = platform.device(0).createContext()) {
            for (String v : new String[] {"9.1", "10.0", "99.0", "9.10"}) {
                CudaException e = assertThrows(CudaException.class, () -> c.loadModule("new.ptx", "\n.version " + v + body));
                assertEquals(CUresult.CUDA_ERROR_UNSUPPORTED_PTX_VERSION, e.result(), v);
                assertEquals(222, e.result().code());
                assertTrue(e.getMessage().contains("new.ptx:2:10: PTX ISA version " + v + " is newer"), e.getMessage());
            }
            Path file = dir.resolve("new.ptx");
            Files.writeString(file, ".version 9.1" + body);
            assertEquals(CUresult.CUDA_ERROR_UNSUPPORTED_PTX_VERSION, code(() -> c.loadModule(file)));
            assertEquals(CUresult.CUDA_ERROR_INVALID_PTX, code(() -> c.loadModule("bad.ptx", ".version x" + body)));
            assertEquals(CUresult.CUDA_ERROR_INVALID_PTX, code(() -> c.loadModule("bad.ptx", ".version 9.0.1" + body)));
            for (String v : new String[] {"9.0", "8.8", "7.8", "8.10"}) {
                assertEquals("store", c.loadModule("ok.ptx", ".version " + v + body).function("store").name(), v);
            }
        }
        assertEquals(org.transcuda.cuda.cudaError.cudaErrorUnsupportedPtxVersion,
                org.transcuda.cuda.CudaRuntimeException.map(CUresult.CUDA_ERROR_UNSUPPORTED_PTX_VERSION));
        assertEquals(222, org.transcuda.cuda.cudaError.cudaErrorUnsupportedPtxVersion.code());
    }

    @Test
    void moduleFilesFunctionListsAndEventRecordFlags(@TempDir Path dir) throws Exception {
        bind(false);
        try (CudaContext c = platform.device(0).createContext()) {
            Path ptx = dir.resolve("k.ptx");
            Files.writeString(ptx, LaunchAndMemoryTest.PTX);
            CudaModule m = c.loadModule(ptx);
            assertEquals(1, m.functionCount());
            assertEquals("store", m.functions().get(0).name());
            assertSame(m.function("store"), m.functions().get(0));
            assertTrue(m.function("store").isLoaded());
            m.function("store").load();
            assertEquals(CUresult.CUDA_ERROR_FILE_NOT_FOUND, code(() -> c.loadModule(dir.resolve("missing.ptx"))));
            Path cubin = dir.resolve("k.cubin");
            Files.write(cubin, new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0});
            assertEquals(CUresult.CUDA_ERROR_NO_BINARY_FOR_GPU, code(() -> c.loadModule(cubin)));
            Path bad = dir.resolve("bad.ptx");
            Files.writeString(bad, ".version 8.5\n.target sm_86\n.entry (");
            assertEquals(CUresult.CUDA_ERROR_INVALID_PTX, code(() -> c.loadModule(bad)));

            var e = c.createEvent();
            e.record(c.defaultStream(), 1);
            e.synchronize();
            assertTrue(e.query());
            assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE, code(() -> e.record(c.defaultStream(), 2)));
        }
    }
}
