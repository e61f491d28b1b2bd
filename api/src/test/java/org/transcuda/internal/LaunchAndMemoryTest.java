package org.transcuda.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceReference;
import org.transcuda.cuda.CUfunction_attribute;
import org.transcuda.cuda.CUlimit;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.CudaContext;
import org.transcuda.cuda.CudaException;
import org.transcuda.cuda.CudaFunction;
import org.transcuda.cuda.CudaStream;
import org.transcuda.cuda.Dim3;
import org.transcuda.cuda.Memcpy3D;
import org.transcuda.spi.Backend;

/**
 * Launch configuration checks, kernel arguments (kernelParams and the packed {@code extra} form),
 * function attributes, occupancy, managed and stream-ordered memory, 3D copies and limits, on the fake
 * backend of {@link CudaPlatformTest} (device: 512 threads per block, blocks (512,256,64), grids
 * (1000,100,10), 16 KiB shared memory, 32768 registers, 3 multiprocessors, compute 8.6; kernel
 * {@code store}: 256 threads, 1 KiB static shared memory, 16 registers, 48 bytes of local memory).
 */
class LaunchAndMemoryTest {
    static final String PTX = """
            .version 8.5
            .target sm_86
            .address_size 64
            .visible .entry store(.param .u64 dst, .param .u32 v) { ret; }
            """;

    private final CudaPlatform platform = new CudaPlatform();
    private CudaContext ctx;

    @SuppressWarnings("unchecked")
    private CudaContext context(boolean hostAddressable) throws CudaException {
        platform.bindBackend(new CudaPlatformTest.Fake("x", 1, 1, hostAddressable),
                Map.of("service.ranking", 0, "service.id", 1L),
                (ServiceReference<Backend>) Proxy.newProxyInstance(getClass().getClassLoader(),
                        new Class<?>[] {ServiceReference.class}, (p, m, a) -> null));
        ctx = platform.device(0).createContext();
        return ctx;
    }

    @AfterEach
    void tearDown() throws Exception {
        if (ctx != null) ctx.close();
    }

    private static int[] ints(CudaContext c, long d, int n) throws CudaException {
        int[] out = new int[n];
        c.memcpyDtoH(MemorySegment.ofArray(out), d);
        return out;
    }

    @Test
    void launchChecksUseCudasErrorCodes() throws Exception {
        CudaContext c = context(false);
        CudaFunction f = c.loadModule("k.ptx", PTX).function("store");
        CudaStream s = c.defaultStream();
        long d = c.malloc(12);
        var ok = f.newArgs().add(d).add(77);
        s.launch(f, new Dim3(2, 3, 1), new Dim3(4, 5, 1), 100, ok);
        assertArrayEquals(new int[] {77, 120, 100}, ints(c, d, 3));
        record Case(Dim3 grid, Dim3 block, int shared, CUresult expected) {
        }
        for (Case k : new Case[] {
                new Case(Dim3.of(1), Dim3.of(513), 0, CUresult.CUDA_ERROR_INVALID_VALUE), // block x over 512
                new Case(Dim3.of(1), new Dim3(1, 257, 1), 0, CUresult.CUDA_ERROR_INVALID_VALUE), // block y over 256
                new Case(Dim3.of(1), new Dim3(16, 16, 4), 0, CUresult.CUDA_ERROR_INVALID_VALUE), // 1024 > 512 threads
                new Case(Dim3.of(1001), Dim3.of(1), 0, CUresult.CUDA_ERROR_INVALID_VALUE), // grid x over 1000
                new Case(new Dim3(1, 1, 11), Dim3.of(1), 0, CUresult.CUDA_ERROR_INVALID_VALUE), // grid z over 10
                new Case(Dim3.of(1), Dim3.of(1), 15361, CUresult.CUDA_ERROR_INVALID_VALUE), // 1024 + 15361 > 16384
                new Case(Dim3.of(1), Dim3.of(300), 0, CUresult.CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES)}) { // kernel: 256
            CudaException e = assertThrows(CudaException.class,
                    () -> s.launch(f, k.grid(), k.block(), k.shared(), ok), k.toString());
            assertEquals(k.expected(), e.result(), k.toString());
        }
        s.launch(f, Dim3.of(1), Dim3.of(256), 15360, f.newArgs().add(d).add(5)); // exactly at the limits
        assertArrayEquals(new int[] {5, 256, 15360}, ints(c, d, 3));
        assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE, assertThrows(CudaException.class,
                () -> s.launch(f, Dim3.of(1), Dim3.of(1), 0, f.newArgs().add(d))).result(), "missing argument");
    }

    @Test
    void extraParameterBufferLaunches() throws Exception {
        CudaContext c = context(false);
        CudaFunction f = c.loadModule("k.ptx", PTX).function("store");
        long d = c.malloc(12);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(16, 8);
            buffer.set(ValueLayout.JAVA_LONG, 0, d);
            buffer.set(ValueLayout.JAVA_INT, 8, -9);
            var args = f.argsFromBuffer(buffer.asSlice(0, 12));
            buffer.set(ValueLayout.JAVA_INT, 8, 1234); // the buffer was copied at the call
            c.defaultStream().launch(f, Dim3.of(3), Dim3.of(7), 0, args);
            assertArrayEquals(new int[] {-9, 21, 0}, ints(c, d, 3));
            assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE,
                    assertThrows(CudaException.class, () -> f.argsFromBuffer(buffer.asSlice(0, 8))).result());
        }
        assertArrayEquals(new long[] {8, 4}, f.paramInfo(1));
        assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE, assertThrows(CudaException.class, () -> f.paramInfo(2)).result());
    }

    @Test
    void functionAttributesAndSettings() throws Exception {
        CudaContext c = context(false);
        var module = c.loadModule("k.ptx", PTX);
        CudaFunction f = module.function("store");
        assertSame(f, module.function("store"), "one CUfunction per name");
        assertSame(module, f.module());
        assertEquals(256, f.attribute(CUfunction_attribute.CU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK));
        assertEquals(1024, f.attribute(CUfunction_attribute.CU_FUNC_ATTRIBUTE_SHARED_SIZE_BYTES));
        assertEquals(48, f.attribute(CUfunction_attribute.CU_FUNC_ATTRIBUTE_LOCAL_SIZE_BYTES));
        assertEquals(16, f.attribute(CUfunction_attribute.CU_FUNC_ATTRIBUTE_NUM_REGS));
        assertEquals(0, f.attribute(CUfunction_attribute.CU_FUNC_ATTRIBUTE_CONST_SIZE_BYTES));
        // the PTX target (.target sm_86), not its ISA .version 8.5: CUDA 13 on an H100 reports sm_75 PTX as 75
        assertEquals(86, f.attribute(CUfunction_attribute.CU_FUNC_ATTRIBUTE_PTX_VERSION));
        assertEquals(86, f.attribute(CUfunction_attribute.CU_FUNC_ATTRIBUTE_BINARY_VERSION));
        assertEquals(16384 - 1024, f.attribute(CUfunction_attribute.CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES));
        assertEquals(-1, f.attribute(CUfunction_attribute.CU_FUNC_ATTRIBUTE_PREFERRED_SHARED_MEMORY_CARVEOUT));

        f.setAttribute(CUfunction_attribute.CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, 4096);
        assertEquals(4096, f.attribute(CUfunction_attribute.CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES));
        long d = c.malloc(12);
        assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE, assertThrows(CudaException.class,
                () -> c.defaultStream().launch(f, Dim3.of(1), Dim3.of(1), 4097, f.newArgs().add(d).add(1))).result());
        c.defaultStream().launch(f, Dim3.of(1), Dim3.of(1), 4096, f.newArgs().add(d).add(1));
        assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE, assertThrows(CudaException.class, () -> f.setAttribute(
                CUfunction_attribute.CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, 16384 - 1024 + 1)).result());
        f.setAttribute(CUfunction_attribute.CU_FUNC_ATTRIBUTE_PREFERRED_SHARED_MEMORY_CARVEOUT, 50);
        assertEquals(50, f.attribute(CUfunction_attribute.CU_FUNC_ATTRIBUTE_PREFERRED_SHARED_MEMORY_CARVEOUT));
        assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE, assertThrows(CudaException.class, () -> f.setAttribute(
                CUfunction_attribute.CU_FUNC_ATTRIBUTE_PREFERRED_SHARED_MEMORY_CARVEOUT, 101)).result());
        assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE, assertThrows(CudaException.class,
                () -> f.setAttribute(CUfunction_attribute.CU_FUNC_ATTRIBUTE_NUM_REGS, 8)).result());
        f.setCacheConfig(CudaFunction.CACHE_PREFER_SHARED);
        assertEquals(CudaFunction.CACHE_PREFER_SHARED, f.cacheConfig());
        assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE, assertThrows(CudaException.class, () -> f.setCacheConfig(4)).result());
    }

    @Test
    void occupancyFollowsTheDeviceAttributes() throws Exception {
        CudaContext c = context(false);
        CudaFunction f = c.loadModule("k.ptx", PTX).function("store");
        // Per multiprocessor: 32 blocks, 512 threads, 32768 registers, 16384 bytes of shared memory.
        assertEquals(4, f.maxActiveBlocksPerMultiprocessor(128, 0)); // threads: 512/128
        assertEquals(8, f.maxActiveBlocksPerMultiprocessor(64, 0)); // threads 8, registers 32, shared 16
        assertEquals(3, f.maxActiveBlocksPerMultiprocessor(32, 4096)); // shared: 16384 / (1024 + 4096)
        assertEquals(8, f.maxActiveBlocksPerMultiprocessor(50, 0), "rounded up to 64 threads (2 warps)");
        assertEquals(0, f.maxActiveBlocksPerMultiprocessor(300, 0), "more than the kernel can run");
        assertEquals(0, f.maxActiveBlocksPerMultiprocessor(32, 15361), "more dynamic shared memory than allowed");
        assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE,
                assertThrows(CudaException.class, () -> f.maxActiveBlocksPerMultiprocessor(0, 0)).result());
        // 256 threads: 2 blocks = 512 threads per SM, the best; the larger block wins ties.
        assertArrayEquals(new int[] {2 * 3, 256}, f.maxPotentialBlockSize(null, 0, 0));
        // 8 KiB of dynamic shared memory for every size: one block per SM, so the largest block.
        assertArrayEquals(new int[] {3, 256}, f.maxPotentialBlockSize(b -> 8192, 0, 0));
        // limit 100: 100 -> 4 blocks (400 threads), 96 -> 5 (480), 64 -> 8 (512), 32 -> 16 (512)
        assertArrayEquals(new int[] {8 * 3, 64}, f.maxPotentialBlockSize(null, 0, 100));
        assertEquals(16384 / 2 - 1024, f.availableDynamicSharedMemoryPerBlock(2, 128));
        assertEquals(0, f.availableDynamicSharedMemoryPerBlock(5, 128), "only 4 such blocks fit");
    }

    @Test
    void managedMemoryNeedsHostAddressableDeviceMemory() throws Exception {
        CudaContext plain = context(false);
        assertEquals(CUresult.CUDA_ERROR_NOT_SUPPORTED,
                assertThrows(CudaException.class, () -> plain.mallocManaged(64, 1)).result());
    }

    @Test
    void managedMemoryIsSharedByHostAndDevice() throws Exception {
        CudaContext c = context(true);
        long p = c.mallocManaged(64, 1);
        MemorySegment host = MemorySegment.ofAddress(p).reinterpret(64);
        for (int i = 0; i < 16; i++) host.setAtIndex(ValueLayout.JAVA_INT, i, i * 7);
        int[] expected = new int[16];
        for (int i = 0; i < 16; i++) expected[i] = i * 7;
        assertArrayEquals(expected, ints(c, p, 16), "the device sees what the host wrote");
        c.memsetD32(p + 4, -1, 2);
        assertEquals(-1, host.getAtIndex(ValueLayout.JAVA_INT, 1), "the host sees what the device wrote");
        assertEquals(-1, host.getAtIndex(ValueLayout.JAVA_INT, 2));
        assertEquals(21, host.getAtIndex(ValueLayout.JAVA_INT, 3));
        assertTrue(c.pointerAttributes(p + 10).managed());
        assertFalse(c.pointerAttributes(c.malloc(16)).managed());
        assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE,
                assertThrows(CudaException.class, () -> c.mallocManaged(64, 3)).result());
        assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE,
                assertThrows(CudaException.class, () -> c.mallocManaged(0, 1)).result());
        c.free(p);
    }

    @Test
    void streamOrderedAllocation() throws Exception {
        CudaContext c = context(false);
        long full = c.memoryInfo()[0];
        CudaStream s = c.createStream(CudaStream.NON_BLOCKING);
        long p = s.mallocAsync(1024);
        CountDownLatch gate = new CountDownLatch(1);
        s.launchHostFunc(() -> {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        s.memsetAsync(p, 3, 1, 1024);
        s.freeAsync(p);
        assertArrayEquals(new long[] {p, 1024}, c.addressRange(p + 5), "not freed before the stream gets there");
        assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE, assertThrows(CudaException.class, () -> s.freeAsync(p)).result());
        assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE, assertThrows(CudaException.class, () -> c.free(p)).result());
        assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE,
                assertThrows(CudaException.class, () -> s.freeAsync(p + 8)).result(), "not an allocation start");
        gate.countDown();
        s.synchronize();
        assertEquals(CUresult.CUDA_ERROR_NOT_FOUND, assertThrows(CudaException.class, () -> c.addressRange(p)).result());
        assertEquals(full, c.memoryInfo()[0]);
        s.close();
    }

    @Test
    void threeDimensionalCopiesWithOffsetsAndPitches() throws Exception {
        CudaContext c = context(false);
        int w = 10, h = 4, depth = 3;
        int pitch = 64, sliceRows = 5;
        int[] src = new int[w * h * depth];
        for (int i = 0; i < src.length; i++) src[i] = 1000 + i;
        long dev = c.malloc((long) pitch * sliceRows * depth);
        c.memsetD8(dev, (byte) 0, (long) pitch * sliceRows * depth);
        // host volume (pitch 40, 4 rows per slice) -> device at x = 8 bytes, y = 1 (pitch 64, 5 rows per slice)
        c.memcpy3D(new Memcpy3D(0, 0, 0, MemorySegment.ofArray(src), 0, w * 4, h,
                8, 1, 0, null, dev, pitch, sliceRows, w * 4, h, depth));
        int[] whole = ints(c, dev, pitch * sliceRows * depth / 4);
        int[] expected = new int[whole.length];
        for (int z = 0; z < depth; z++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    expected[((z * sliceRows + 1 + y) * pitch + 8) / 4 + x] = src[(z * h + y) * w + x];
                }
            }
        }
        assertArrayEquals(expected, whole);
        // and back, asynchronously, into a tightly packed volume
        int[] back = new int[src.length];
        CudaStream s = c.createStream();
        s.memcpy3DAsync(new Memcpy3D(8, 1, 0, null, dev, pitch, sliceRows, 0, 0, 0, MemorySegment.ofArray(back), 0,
                w * 4, h, w * 4, h, depth));
        s.synchronize();
        assertArrayEquals(src, back);
        // 2D async: the middle slice's rows only
        int[] rows = new int[w * h];
        s.memcpy2DAsync(MemorySegment.ofArray(rows), 0, w * 4, null, dev + (long) (sliceRows + 1) * pitch + 8, pitch,
                w * 4, h);
        s.synchronize();
        assertArrayEquals(java.util.Arrays.copyOfRange(src, w * h, 2 * w * h), rows);

        MemorySegment host = MemorySegment.ofArray(src);
        assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE, assertThrows(CudaException.class, () -> c.memcpy3D(
                new Memcpy3D(0, 0, 0, host, 0, w * 4, h, 32, 0, 0, null, dev, pitch, sliceRows, w * 4, h, depth)))
                .result(), "pitch 64 < x 32 + width 40");
        assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE, assertThrows(CudaException.class, () -> c.memcpy3D(
                new Memcpy3D(0, 0, 0, host, 0, w * 4, h, 0, 2, 0, null, dev, pitch, sliceRows, w * 4, h, depth)))
                .result(), "slice height 5 < y 2 + height 4");
        assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE, assertThrows(CudaException.class, () -> c.memcpy3D(
                new Memcpy3D(0, 0, 0, host, 0, w * 4, 13, 0, 0, 0, null, dev, pitch, 13, w * 4, 13, 1)))
                .result(), "the host source holds 12 rows of 40 bytes, not 13");
        s.close();
    }

    @Test
    void hostAllocationFlagsAddressRangesAndLimits() throws Exception {
        CudaContext c = context(false);
        MemorySegment mapped = c.mallocHost(100, 2);
        assertEquals(2, c.hostFlags(mapped.address() + 50));
        assertEquals(0, c.hostFlags(c.mallocHost(10).address()));
        assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE, assertThrows(CudaException.class, () -> c.mallocHost(8, 8)).result());
        assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE,
                assertThrows(CudaException.class, () -> c.hostFlags(mapped.address() + 100)).result());
        long d = c.malloc(300);
        assertArrayEquals(new long[] {d, 300}, c.addressRange(d + 299));
        assertEquals(CUresult.CUDA_ERROR_NOT_FOUND, assertThrows(CudaException.class, () -> c.addressRange(d + 300)).result());

        assertEquals(1024, c.limit(CUlimit.CU_LIMIT_STACK_SIZE));
        c.setLimit(CUlimit.CU_LIMIT_STACK_SIZE, 8192);
        assertEquals(8192, c.limit(CUlimit.CU_LIMIT_STACK_SIZE));
        c.setLimit(CUlimit.CU_LIMIT_MALLOC_HEAP_SIZE, 1 << 24);
        assertEquals(1 << 24, c.limit(CUlimit.CU_LIMIT_MALLOC_HEAP_SIZE));
        assertEquals(16384, c.limit(CUlimit.CU_LIMIT_SHMEM_SIZE));
        assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE,
                assertThrows(CudaException.class, () -> c.setLimit(CUlimit.CU_LIMIT_SHMEM_SIZE, 1)).result());
        assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE,
                assertThrows(CudaException.class, () -> c.setLimit(CUlimit.CU_LIMIT_MAX_L2_FETCH_GRANULARITY, 129)).result());
        assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE,
                assertThrows(CudaException.class, () -> c.setLimit(CUlimit.CU_LIMIT_STACK_SIZE, -1)).result());
    }
}
