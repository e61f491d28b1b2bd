package org.transcuda.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceReference;
import org.transcuda.cuda.CUdevice_attribute;
import org.transcuda.cuda.CUfunction_attribute;
import org.transcuda.cuda.CUlimit;
import org.transcuda.cuda.CudaContext;
import org.transcuda.cuda.CudaEvent;
import org.transcuda.cuda.CudaFunction;
import org.transcuda.cuda.CudaRuntime;
import org.transcuda.cuda.CudaRuntimeException;
import org.transcuda.cuda.CudaStream;
import org.transcuda.cuda.DeviceProp;
import org.transcuda.cuda.Dim3;
import org.transcuda.cuda.FuncAttributes;
import org.transcuda.cuda.PointerAttributes;
import org.transcuda.cuda.cudaError;
import org.transcuda.spi.Backend;

/** The runtime layer's semantics over the fake backend of {@link CudaPlatformTest} (2 devices). */
class RuntimeSemanticsTest {
    private final CudaPlatform platform = new CudaPlatform();
    private final RuntimeImpl rt = new RuntimeImpl(platform);
    private final List<CountDownLatch> gates = Collections.synchronizedList(new ArrayList<>());

    @SuppressWarnings("unchecked")
    private void bind(boolean hostAddressable) {
        platform.bindBackend(new CudaPlatformTest.Fake("x", 2, 2, hostAddressable),
                Map.of("service.ranking", 0, "service.id", 1L),
                (ServiceReference<Backend>) Proxy.newProxyInstance(getClass().getClassLoader(),
                        new Class<?>[] {ServiceReference.class}, (p, m, a) -> null));
    }

    @AfterEach
    void tearDown() {
        gates.forEach(CountDownLatch::countDown);
    }

    private CountDownLatch gate() {
        CountDownLatch l = new CountDownLatch(1);
        gates.add(l);
        return l;
    }

    private static void await(CountDownLatch l) {
        try {
            l.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static cudaError error(org.junit.jupiter.api.function.Executable e) {
        return assertThrows(CudaRuntimeException.class, e).error();
    }

    @Test
    void aCurrentDriverContextIsUsedElseThePrimaryContextBecomesCurrent() throws Exception {
        bind(false);
        CudaContext mine = platform.device(1).createContext();
        platform.pushCurrentContext(mine);
        long p = rt.malloc(64);
        assertEquals(1, rt.getDevice(), "the device of the current driver context");
        assertSame(mine, rt.currentContext());
        assertEquals(64, mine.pointerAttributes(p).size(), "allocated in the current driver context");
        platform.popCurrentContext();
        long q = rt.malloc(32); // device 0's primary context, made current
        CudaContext primary = platform.currentContext().orElseThrow();
        assertSame(primary, rt.currentContext());
        assertEquals(0, primary.device().ordinal());
        assertEquals(32, primary.pointerAttributes(q).size());
        assertEquals(cudaError.cudaErrorInvalidValue, error(() -> rt.free(p)), "p belongs to the other context");
        rt.setDevice(1);
        assertEquals(1, platform.currentContext().orElseThrow().device().ordinal());
        assertNotSame(mine, platform.currentContext().orElseThrow());
        mine.free(p);
        mine.close();
        rt.setDevice(0);
        rt.free(q);
        rt.deviceReset();
        long r = rt.malloc(16); // a fresh primary context after the reset
        assertNotSame(primary, rt.currentContext());
        rt.free(r);
    }

    @Test
    void devicePropertiesAgreeWithAttributes() throws Exception {
        bind(false);
        DeviceProp prop = rt.getDeviceProperties(1);
        assertEquals("x-1", prop.name());
        for (CUdevice_attribute a : CUdevice_attribute.values()) {
            assertEquals(rt.deviceGetAttribute(a, 1), prop.attribute(a), a.name());
        }
        assertEquals(512, prop.attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK));
        assertEquals(1 << 20, prop.totalGlobalMem());
        assertEquals(cudaError.cudaErrorInvalidDevice, error(() -> rt.getDeviceProperties(2)));
    }

    @Test
    void streamsEventsAndQueriesFollowTheRuntimesErrorRules() throws Exception {
        bind(false);
        assertArrayEquals(new int[] {0, -5}, rt.deviceGetStreamPriorityRange());
        CudaStream s = rt.streamCreateWithPriority(CudaStream.NON_BLOCKING, -3);
        assertEquals(-3, rt.streamGetPriority(s));
        assertEquals(CudaStream.NON_BLOCKING, rt.streamGetFlags(s));
        assertEquals(0, rt.streamGetFlags(null));
        assertSame(rt.stream(0), rt.stream(CudaRuntime.STREAM_LEGACY));
        assertSame(rt.currentContext().perThreadStream(), rt.stream(CudaRuntime.STREAM_PER_THREAD));
        CountDownLatch g = gate();
        rt.launchHostFunc(s, () -> await(g));
        CudaEvent e = rt.eventCreate(CudaEvent.DEFAULT_FLAGS);
        rt.eventRecord(e, s);
        assertFalse(rt.streamQuery(s));
        assertFalse(rt.eventQuery(e));
        assertEquals(cudaError.cudaSuccess, rt.peekAtLastError(), "cudaErrorNotReady is not a last error");
        CudaStream waiting = rt.streamCreate(CudaStream.NON_BLOCKING);
        rt.streamWaitEvent(waiting, e);
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        rt.streamAddCallback(waiting, (stream, status) -> order.add("callback " + status));
        g.countDown();
        rt.streamSynchronize(waiting);
        assertEquals(List.of("callback CUDA_SUCCESS"), order);
        assertTrue(rt.eventQuery(e));
        CudaEvent start = rt.eventCreate(CudaEvent.DEFAULT_FLAGS);
        rt.eventRecord(start, null);
        CudaEvent end = rt.eventCreate(CudaEvent.DEFAULT_FLAGS);
        rt.eventRecord(end, null);
        rt.eventSynchronize(end);
        assertTrue(rt.eventElapsedTime(start, end) >= 0);
        CudaEvent untimed = rt.eventCreate(CudaEvent.DISABLE_TIMING);
        rt.eventRecord(untimed, null);
        rt.eventSynchronize(untimed);
        assertEquals(cudaError.cudaErrorInvalidResourceHandle, error(() -> rt.eventElapsedTime(start, untimed)));
        assertEquals(cudaError.cudaErrorInvalidResourceHandle, rt.getLastError());
        assertEquals(cudaError.cudaErrorInvalidValue, error(() -> rt.streamCreate(4)));
        assertEquals(cudaError.cudaErrorInvalidResourceHandle, error(() -> rt.streamDestroy(null)));
        rt.eventDestroy(e);
        rt.streamDestroy(s);
        assertEquals(cudaError.cudaErrorInvalidResourceHandle, error(() -> rt.streamSynchronize(s)));
    }

    @Test
    void asyncCopiesPitchedAnd3DCopies() throws Exception {
        bind(false);
        try (Arena arena = Arena.ofShared()) {
            int n = 64;
            MemorySegment host = arena.allocate(n * 4L);
            for (int i = 0; i < n; i++) host.setAtIndex(ValueLayout.JAVA_INT, i, i * 11 - 3);
            long d = rt.malloc(n * 4L);
            long d2 = rt.mallocAsync(n * 4L, null);
            CudaStream s = rt.streamCreate(0);
            rt.memcpyAsync(d, host.address(), n * 4L, CudaRuntime.DEFAULT, s);
            rt.memcpyAsync(d2, d, n * 4L, CudaRuntime.DEVICE_TO_DEVICE, s);
            rt.memsetAsync(d2, 0x7f, 4, s);
            MemorySegment back = arena.allocate(n * 4L);
            rt.memcpyAsync(back.address(), d2, n * 4L, CudaRuntime.DEFAULT, s);
            MemorySegment copy = arena.allocate(n * 4L);
            rt.memcpyAsync(copy.address(), back.address(), n * 4L, CudaRuntime.HOST_TO_HOST, s);
            rt.streamSynchronize(s);
            assertEquals(0x7f7f7f7f, copy.getAtIndex(ValueLayout.JAVA_INT, 0));
            for (int i = 1; i < n; i++) assertEquals(i * 11 - 3, copy.getAtIndex(ValueLayout.JAVA_INT, i));
            assertEquals(cudaError.cudaErrorInvalidMemcpyDirection, error(() -> rt.memcpyAsync(d, d2, 4, 7, s)));
            rt.freeAsync(d2, s);
            assertEquals(cudaError.cudaErrorInvalidValue, error(() -> rt.freeAsync(d2, s)));
            rt.streamSynchronize(s);

            // 2D: 6 rows of 8 ints into a pitched allocation and back into rows of 10 ints
            long[] pitched = rt.mallocPitch(32, 6);
            assertEquals(512, pitched[1]);
            rt.memcpy2D(pitched[0], pitched[1], host.address(), 32, 32, 6, CudaRuntime.HOST_TO_DEVICE);
            MemorySegment rows = arena.allocate(6 * 40);
            rt.memcpy2D(rows.address(), 40, pitched[0], pitched[1], 32, 6, CudaRuntime.DEFAULT);
            for (int r = 0; r < 6; r++) {
                for (int c = 0; c < 10; c++) {
                    assertEquals(c < 8 ? (r * 8 + c) * 11 - 3 : 0, rows.getAtIndex(ValueLayout.JAVA_INT, r * 10 + c));
                }
            }
            // 3D: the allocation as 2 slices of 3 rows; a 4x2x2 box of ints at (4 bytes, row 1, slice 0), read back packed
            CudaRuntime.PitchedPtr dev = new CudaRuntime.PitchedPtr(pitched[0], pitched[1], 32, 3);
            MemorySegment box = arena.allocate(4 * 2 * 2 * 4);
            rt.memcpy3DAsync(new CudaRuntime.PitchedPtr(box.address(), 16, 16, 2), new long[3], dev,
                    new long[] {4, 1, 0}, new long[] {16, 2, 2}, CudaRuntime.DEVICE_TO_HOST, null);
            rt.streamSynchronize(null);
            for (int z = 0; z < 2; z++) {
                for (int y = 0; y < 2; y++) {
                    for (int x = 0; x < 4; x++) {
                        int row = z * 3 + 1 + y; // the device row this element came from (rows hold host row r)
                        int expected = (row * 8 + 1 + x) * 11 - 3;
                        assertEquals(expected, box.getAtIndex(ValueLayout.JAVA_INT, (z * 2 + y) * 4 + x),
                                "x " + x + " y " + y + " z " + z);
                    }
                }
            }
            // and the box back to the origin: rows 0-1 and 3-4 start with its values
            rt.memcpy3D(dev, new long[3], new CudaRuntime.PitchedPtr(box.address(), 16, 16, 2),
                    new long[3], new long[] {16, 2, 2}, CudaRuntime.HOST_TO_DEVICE);
            MemorySegment row3 = arena.allocate(16);
            rt.memcpy(row3.address(), pitched[0] + 3 * pitched[1], 16, CudaRuntime.DEVICE_TO_HOST);
            assertEquals(-1L, row3.mismatch(box.asSlice(32, 16)), "slice 1 row 0 holds the box's third row");
            assertEquals(cudaError.cudaErrorInvalidValue, error(() -> rt.memcpy3D(dev, new long[] {500, 0, 0},
                    new CudaRuntime.PitchedPtr(box.address(), 16, 16, 2), new long[3], new long[] {16, 2, 1},
                    CudaRuntime.HOST_TO_DEVICE)), "x 500 + width 16 exceeds the pitch");
            // a pitch shorter than the rows: CUDA 13 says cudaErrorInvalidPitchValue (an H100 with driver 580)
            assertEquals(cudaError.cudaErrorInvalidPitchValue, error(() -> rt.memcpy3D(
                    new CudaRuntime.PitchedPtr(pitched[0], 4, 16, 2), new long[3],
                    new CudaRuntime.PitchedPtr(box.address(), 16, 16, 2), new long[3], new long[] {16, 2, 1},
                    CudaRuntime.HOST_TO_DEVICE)), "destination pitch 4 < 16");
            assertEquals(cudaError.cudaErrorInvalidPitchValue, error(() -> rt.memcpy2D(pitched[0], pitched[1],
                    host.address(), 8, 32, 2, CudaRuntime.HOST_TO_DEVICE)), "source pitch 8 < 32");
            assertEquals(PointerAttributes.MemoryType.UNREGISTERED, rt.pointerGetAttributes(host.address()).memoryType());
            assertEquals(PointerAttributes.MemoryType.DEVICE, rt.pointerGetAttributes(d + 8).memoryType());
            rt.free(d);
            rt.free(pitched[0]);
        }
    }

    @Test
    void managedMemoryIsNotSupportedWithoutHostAddressableMemory() {
        bind(false);
        assertEquals(cudaError.cudaErrorNotSupported, error(() -> rt.mallocManaged(64, 1)));
    }

    @Test
    void managedMemoryOnHostAddressableDevices() throws Exception {
        bind(true);
        long p = rt.mallocManaged(16, 1);
        MemorySegment.ofAddress(p).reinterpret(16).setAtIndex(ValueLayout.JAVA_INT, 1, 42);
        rt.memset(p, 1, 4);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment h = arena.allocate(16);
            rt.memcpy(h.address(), p, 16, CudaRuntime.DEFAULT);
            assertEquals(0x01010101, h.getAtIndex(ValueLayout.JAVA_INT, 0));
            assertEquals(42, h.getAtIndex(ValueLayout.JAVA_INT, 1));
        }
        assertTrue(rt.pointerGetAttributes(p).managed());
        rt.free(p);
    }

    @Test
    void functionsOccupancyLaunchesAndLimits() throws Exception {
        bind(false);
        CudaFunction f = rt.currentContext().loadModule("k.ptx", LaunchAndMemoryTest.PTX).function("store");
        FuncAttributes a = rt.funcGetAttributes(f);
        // ptxVersion: the PTX .target sm_86 (CUDA reports the target, not the ISA .version 8.5)
        assertEquals(new FuncAttributes(1024, 0, 48, 256, 16, 86, 86, 0, 16384 - 1024, -1), a);
        rt.funcSetAttribute(f, CUfunction_attribute.CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, 2048);
        assertEquals(2048, rt.funcGetAttributes(f).maxDynamicSharedSizeBytes());
        assertEquals(cudaError.cudaErrorInvalidValue, error(() -> rt.funcSetCacheConfig(f, 9)));
        assertEquals(4, rt.occupancyMaxActiveBlocksPerMultiprocessor(f, 128, 0));
        assertArrayEquals(new int[] {6, 256}, rt.occupancyMaxPotentialBlockSize(f, null, 0, 0));
        // 16384 / 4 - 1024 = 3072 per block fits, but the function now allows only 2048
        assertEquals(2048, rt.occupancyAvailableDynamicSMemPerBlock(f, 4, 128));
        long d = rt.malloc(12);
        rt.launchKernel(f, Dim3.of(2), Dim3.of(8), 16, null, f.newArgs().add(d).add(9));
        int[] out = new int[3];
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment h = arena.allocate(12);
            rt.memcpy(h.address(), d, 12, CudaRuntime.DEVICE_TO_HOST);
            MemorySegment.copy(h, ValueLayout.JAVA_INT, 0, out, 0, 3);
        }
        assertArrayEquals(new int[] {9, 16, 16}, out);
        // CUDA 13 (an H100 with driver 580): configurations beyond the device's limits are invalid values
        assertEquals(cudaError.cudaErrorInvalidValue,
                error(() -> rt.launchKernel(f, Dim3.of(1), Dim3.of(1024), 0, null, f.newArgs().add(d).add(1))));
        assertEquals(cudaError.cudaErrorInvalidValue,
                error(() -> rt.launchKernel(f, Dim3.of(1), Dim3.of(1), 4096, null, f.newArgs().add(d).add(1))));
        assertEquals(cudaError.cudaErrorLaunchOutOfResources,
                error(() -> rt.launchKernel(f, Dim3.of(1), Dim3.of(300), 0, null, f.newArgs().add(d).add(1))));
        assertEquals(cudaError.cudaErrorInvalidValue,
                error(() -> rt.launchKernel(f, Dim3.of(1), Dim3.of(1), 0, null, f.newArgs().add(d))), "missing argument");

        assertEquals(1024, rt.deviceGetLimit(CUlimit.CU_LIMIT_STACK_SIZE));
        rt.deviceSetLimit(CUlimit.CU_LIMIT_PRINTF_FIFO_SIZE, 1 << 22);
        assertEquals(1 << 22, rt.deviceGetLimit(CUlimit.CU_LIMIT_PRINTF_FIFO_SIZE));
        // a driver limit the runtime has no name for can still be read (CUDA 13 on an H100 answers cudaSuccess)
        assertEquals(rt.deviceGetAttribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK,
                rt.getDevice()), rt.deviceGetLimit(CUlimit.CU_LIMIT_SHMEM_SIZE));
        assertEquals(cudaError.cudaErrorUnsupportedLimit,
                error(() -> rt.deviceSetLimit(CUlimit.CU_LIMIT_SHMEM_SIZE, 1)));
        assertEquals(cudaError.cudaErrorInvalidValue,
                error(() -> rt.deviceSetLimit(CUlimit.CU_LIMIT_MAX_L2_FETCH_GRANULARITY, 256)));
    }

    @Test
    void threadsKeepTheirOwnDeviceAndStreams() throws Exception {
        bind(false);
        int threads = 4;
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            workers.add(Thread.ofPlatform().start(() -> {
                try (Arena arena = Arena.ofShared()) {
                    rt.setDevice(id % 2);
                    CudaStream s = id < 2 ? rt.streamCreate(0) : rt.stream(CudaRuntime.STREAM_PER_THREAD);
                    MemorySegment h = arena.allocate(4096);
                    MemorySegment back = arena.allocate(4096);
                    long d = rt.mallocAsync(4096, s);
                    for (int round = 0; round < 50; round++) {
                        for (int i = 0; i < 1024; i++) h.setAtIndex(ValueLayout.JAVA_INT, i, id * 100_000 + round * 1024 + i);
                        rt.memcpyAsync(d, h.address(), 4096, CudaRuntime.HOST_TO_DEVICE, s);
                        rt.memcpyAsync(back.address(), d, 4096, CudaRuntime.DEVICE_TO_HOST, s);
                        rt.streamSynchronize(s);
                        assertEquals(-1L, back.mismatch(h));
                    }
                    assertEquals(id % 2, rt.getDevice());
                    rt.freeAsync(d, s);
                    rt.streamSynchronize(s);
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread w : workers) w.join();
        assertTrue(failures.isEmpty(), failures.toString());
    }

    @Test
    void peersHostRegistrationPitchedMemsetsAndQueries() throws Exception {
        bind(true);
        try (Arena arena = Arena.ofShared()) {
            assertFalse(rt.deviceCanAccessPeer(0, 1));
            assertEquals(cudaError.cudaErrorPeerAccessUnsupported, error(() -> rt.deviceEnablePeerAccess(1, 0)));
            assertEquals(cudaError.cudaErrorPeerAccessNotEnabled, error(() -> rt.deviceDisablePeerAccess(1)));
            assertEquals(0, rt.deviceGetP2PAttribute(1, 0, 1));
            assertEquals(cudaError.cudaErrorInvalidDevice, error(() -> rt.deviceGetP2PAttribute(1, 1, 1)));
            assertEquals("0000:03:00.0", rt.deviceGetPCIBusId(1));
            assertEquals(0, rt.deviceGetByPCIBusId("0000:03:00.0"));
            rt.initDevice(1, 0, 0);
            assertEquals(0, rt.getDevice(), "cudaInitDevice does not change the current device");

            // a peer copy from device 1's primary context to device 0's
            MemorySegment h = arena.allocate(32);
            for (int i = 0; i < 8; i++) h.setAtIndex(ValueLayout.JAVA_INT, i, 40 + i);
            rt.setDevice(1);
            long on1 = rt.malloc(32);
            rt.memcpy(on1, h.address(), 32, CudaRuntime.HOST_TO_DEVICE);
            rt.setDevice(0);
            long on0 = rt.malloc(32);
            rt.memcpyPeer(on0, 0, on1, 1, 32);
            MemorySegment back = arena.allocate(32);
            rt.memcpy(back.address(), on0, 32, CudaRuntime.DEVICE_TO_HOST);
            assertEquals(-1L, back.mismatch(h));
            rt.memset(on0, 0, 32);
            rt.memcpyPeerAsync(on0, 0, on1, 1, 16, null);
            rt.streamSynchronize(null);
            rt.memcpy(back.address(), on0, 32, CudaRuntime.DEVICE_TO_HOST);
            assertEquals(-1L, back.asSlice(0, 16).mismatch(h.asSlice(0, 16)));
            assertEquals(0, back.getAtIndex(ValueLayout.JAVA_INT, 4));

            // pitched memsets: 2 rows of 3 bytes, 8 bytes apart
            long[] p = rt.mallocPitch(8, 2);
            rt.memset(p[0], 0, p[1] * 2);
            rt.memset2D(p[0], p[1], 0x1ab, 3, 2);
            rt.memset2DAsync(p[0] + 4, p[1], 0x22, 1, 2, null);
            rt.streamSynchronize(null);
            MemorySegment rowsHost = arena.allocate(p[1] + 8);
            rt.memcpy(rowsHost.address(), p[0], p[1] + 8, CudaRuntime.DEVICE_TO_HOST);
            for (int row = 0; row < 2; row++) {
                for (int col = 0; col < 8; col++) {
                    byte expected = (byte) (col < 3 ? 0xab : col == 4 ? 0x22 : 0);
                    assertEquals(expected, rowsHost.get(ValueLayout.JAVA_BYTE, row * p[1] + col), "row " + row + " col " + col);
                }
            }

            // host registration and host-allocation flags
            MemorySegment mine = arena.allocate(128);
            rt.hostRegister(mine.address(), 128, 1);
            assertEquals(1, rt.hostGetFlags(mine.address() + 64));
            assertEquals(cudaError.cudaErrorHostMemoryAlreadyRegistered, error(() -> rt.hostRegister(mine.address(), 16, 0)));
            rt.hostUnregister(mine.address());
            assertEquals(cudaError.cudaErrorHostMemoryNotRegistered, error(() -> rt.hostUnregister(mine.address())));
            long mapped = rt.hostAlloc(64, 2);
            assertEquals(2, rt.hostGetFlags(mapped));
            rt.freeHost(mapped);

            // managed hints
            long m = rt.mallocManaged(64, 1);
            rt.memAdvise(m, 64, 1, 0);
            rt.memPrefetchAsync(m, 64, -1, null);
            assertEquals(cudaError.cudaErrorInvalidValue, error(() -> rt.memPrefetchAsync(on0, 32, 0, null)));

            // cache configuration, stream ids, devices and capture status, event record flags
            rt.deviceSetCacheConfig(1);
            assertEquals(1, rt.deviceGetCacheConfig());
            CudaStream s = rt.streamCreate(0);
            assertTrue(rt.streamGetId(s) != rt.streamGetId(null));
            assertEquals(0, rt.streamGetDevice(s));
            assertEquals(0, rt.streamIsCapturing(s));
            CudaEvent e = rt.eventCreate(0);
            rt.eventRecordWithFlags(e, s, 0);
            rt.eventSynchronize(e);
            assertEquals(cudaError.cudaErrorInvalidValue, error(() -> rt.eventRecordWithFlags(e, s, 4)));
        }
    }

    @Test
    void stickyErrorsSurviveGetLastErrorUntilReset() throws Exception {
        bind(false);
        rt.malloc(16);
        rt.launchHostFunc(null, () -> {
            throw new IllegalStateException("simulated device fault");
        });
        assertEquals(cudaError.cudaErrorLaunchFailure, error(() -> rt.streamSynchronize(null)));
        assertEquals(cudaError.cudaErrorLaunchFailure, rt.getLastError());
        assertEquals(cudaError.cudaErrorLaunchFailure, rt.getLastError(), "sticky: not reset");
        assertEquals(cudaError.cudaErrorLaunchFailure, rt.peekAtLastError());
        assertEquals(cudaError.cudaErrorLaunchFailure, error(() -> rt.malloc(16)));
        rt.deviceReset();
        assertEquals(cudaError.cudaErrorLaunchFailure, rt.getLastError(), "the error recorded before the reset");
        assertEquals(cudaError.cudaSuccess, rt.getLastError());
        rt.free(rt.malloc(16));
        // A non-sticky error is reset by cudaGetLastError.
        assertEquals(cudaError.cudaErrorInvalidValue, error(() -> rt.mallocManaged(16, 9)));
        assertEquals(cudaError.cudaErrorInvalidValue, rt.getLastError());
        assertEquals(cudaError.cudaSuccess, rt.getLastError());
    }

    @Test
    void malloc3DAndMemset3D() throws Exception {
        bind(false);
        CudaRuntime.PitchedPtr p = rt.malloc3D(20, 3, 2); // 2 slices of 3 rows of 20 bytes
        assertEquals(512, p.pitch());
        assertEquals(3, p.ysize());
        rt.memset(p.ptr(), 0, p.pitch() * 6);
        rt.memset3D(p, 0x5a, new long[] {10, 2, 2}); // rows 0-1 of each slice, 10 bytes
        rt.memset3DAsync(p, 0x11, new long[] {4, 1, 1}, null); // then row 0 of slice 0, 4 bytes
        rt.streamSynchronize(null);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment h = arena.allocate(p.pitch() * 6);
            rt.memcpy(h.address(), p.ptr(), p.pitch() * 6, CudaRuntime.DEVICE_TO_HOST);
            for (int row = 0; row < 6; row++) {
                for (int col = 0; col < 24; col++) {
                    int rowInSlice = row % 3;
                    byte expected = (byte) (row == 0 && col < 4 ? 0x11 : rowInSlice < 2 && col < 10 ? 0x5a : 0);
                    assertEquals(expected, h.get(ValueLayout.JAVA_BYTE, row * p.pitch() + col), "row " + row + " col " + col);
                }
            }
        }
        assertEquals(cudaError.cudaErrorInvalidValue, error(() -> rt.memset3D(p, 0, new long[] {600, 1, 1})));
        assertEquals(cudaError.cudaErrorInvalidValue, error(() -> rt.malloc3D(0, 1, 1)));
        rt.free(p.ptr());
    }
}
