package org.transcuda.backend.vulkan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.transcuda.cuda.CUresult;
import org.transcuda.spi.BackendException;

/** Device allocations, copies and fills, checked against a Java model of the bytes. */
class MemoryTest {
    private VulkanContext ctx;
    private VulkanStream s;

    @BeforeEach
    void open() throws Exception {
        ctx = VulkanTestSupport.context();
        s = ctx.createStream();
    }

    @AfterEach
    void close() {
        if (ctx != null) ctx.close();
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void allocationsAreAlignedDistinctAndCounted() throws Exception {
        long a = ctx.allocate(1);
        long b = ctx.allocate(1000);
        long c = ctx.allocate(3 << 20);
        for (long p : new long[] {a, b, c}) {
            assertNotEquals(0, p);
            assertEquals(0, p % 256, () -> "0x" + Long.toHexString(p));
        }
        assertTrue(b >= a + 1 || a >= b + 1000, "allocations must not overlap");
        assertEquals(1 + 1000 + (3 << 20), ctx.allocatedBytes());
        assertEquals(3, ctx.liveAllocations());
        ctx.free(b);
        assertEquals(1 + (3 << 20), ctx.allocatedBytes());
        assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE, assertThrows(BackendException.class, () -> ctx.free(b)).result());
        assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE,
                assertThrows(BackendException.class, () -> ctx.free(c + 256)).result());
        assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE, assertThrows(BackendException.class, () -> ctx.allocate(0)).result());
        assertEquals(CUresult.CUDA_ERROR_OUT_OF_MEMORY,
                assertThrows(BackendException.class, () -> ctx.allocate(Long.MAX_VALUE / 2)).result());
    }

    @Test
    void roundTripWithOffsetsIntoAllocations() throws Exception {
        int n = 10_000;
        long d = ctx.allocate(n);
        byte[] model = random(n, 1);
        s.copyHostToDevice(d, MemorySegment.ofArray(model.clone()));
        // overwrite odd-sized pieces at odd offsets
        Random r = new Random(2);
        for (int i = 0; i < 50; i++) {
            int off = r.nextInt(n);
            int len = 1 + r.nextInt(n - off);
            byte[] piece = random(len, 100 + i);
            s.copyHostToDevice(d + off, MemorySegment.ofArray(piece));
            System.arraycopy(piece, 0, model, off, len);
        }
        assertArrayEquals(model, Gpu.downloadBytes(s, d, n));
        // read back a window at an odd offset
        byte[] window = new byte[777];
        s.copyDeviceToHost(MemorySegment.ofArray(window), d + 4321);
        s.synchronize();
        assertArrayEquals(Arrays.copyOfRange(model, 4321, 4321 + 777), window);
    }

    @Test
    void copiesLargerThanAStagingChunk() throws Exception {
        int n = (int) (2.5 * StagingPool.CHUNK) + 12345;
        long d = ctx.allocate(n);
        byte[] data = random(n, 3);
        s.copyHostToDevice(d, MemorySegment.ofArray(data));
        long e = ctx.allocate(n);
        s.copyDeviceToDevice(e, d, n);
        assertArrayEquals(data, Gpu.downloadBytes(s, e, n));
    }

    @Test
    void badPointersAreInvalidValue() throws Exception {
        long d = ctx.allocate(1024);
        MemorySegment host = MemorySegment.ofArray(new byte[16]);
        long[] bad = {0, d - 1, d + 1024 - 8, d + 4096, 0x1234};
        for (long p : bad) {
            assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE,
                    assertThrows(BackendException.class, () -> s.copyHostToDevice(p, host)).result(), "0x" + Long.toHexString(p));
            assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE,
                    assertThrows(BackendException.class, () -> s.copyDeviceToHost(host, p)).result());
            assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE,
                    assertThrows(BackendException.class, () -> s.copyDeviceToDevice(p, d, 16)).result());
            assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE,
                    assertThrows(BackendException.class, () -> s.fill(p, 0, 4, 4)).result());
        }
        ctx.free(d);
        assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE,
                assertThrows(BackendException.class, () -> s.copyHostToDevice(d, host)).result(), "freed");
        s.synchronize(); // nothing bad was enqueued
    }

    @Test
    void fillsOfEveryElementSizeAtUnalignedOffsets() throws Exception {
        int n = 4099;
        long d = ctx.allocate(n);
        byte[] model = random(n, 4);
        s.copyHostToDevice(d, MemorySegment.ofArray(model.clone()));
        Random r = new Random(5);
        for (int i = 0; i < 60; i++) {
            int size = new int[] {1, 2, 4}[i % 3];
            int value = r.nextInt();
            int off = r.nextInt(n - 8) / size * size; // element-aligned, often not 4-aligned
            int count = r.nextInt(Math.min(200, (n - off) / size)) + 1;
            if (i % 10 == 0) count = (n - off) / size; // to the end
            s.fill(d + off, value, size, count);
            for (int e = 0; e < count; e++) {
                for (int b = 0; b < size; b++) model[off + e * size + b] = (byte) (value >>> (8 * b));
            }
        }
        assertArrayEquals(model, Gpu.downloadBytes(s, d, n));
    }

    @Test
    void tinyFillsAndMisalignedElementsAreRejected() throws Exception {
        long d = ctx.allocate(64);
        s.fill(d, 0, 4, 16);
        s.fill(d + 1, 0xab, 1, 1);
        s.fill(d + 2, 0x1234, 2, 1);
        s.fill(d + 5, 0xcd, 1, 3);
        byte[] got = Gpu.downloadBytes(s, d, 16);
        assertArrayEquals(new byte[] {0, (byte) 0xab, 0x34, 0x12, 0, (byte) 0xcd, (byte) 0xcd, (byte) 0xcd, 0, 0, 0, 0,
            0, 0, 0, 0}, got);
        assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE,
                assertThrows(BackendException.class, () -> s.fill(d + 2, 0, 4, 1)).result());
        assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE,
                assertThrows(BackendException.class, () -> s.fill(d + 1, 0, 2, 1)).result());
        assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE,
                assertThrows(BackendException.class, () -> s.fill(d, 0, 3, 1)).result());
        assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE,
                assertThrows(BackendException.class, () -> s.fill(d, 0, 4, 17)).result());
    }

    @Test
    void copiesBetweenAllocationsAndOverlappingWithinOne() throws Exception {
        int n = 5000;
        long a = ctx.allocate(n);
        long b = ctx.allocate(n);
        byte[] ma = random(n, 6);
        byte[] mb = random(n, 7);
        s.copyHostToDevice(a, MemorySegment.ofArray(ma.clone()));
        s.copyHostToDevice(b, MemorySegment.ofArray(mb.clone()));
        s.copyDeviceToDevice(b + 100, a + 33, 2000);
        System.arraycopy(ma, 33, mb, 100, 2000);
        // overlapping, both directions (memmove semantics)
        s.copyDeviceToDevice(a + 10, a, 3000);
        System.arraycopy(ma, 0, ma, 10, 3000);
        s.copyDeviceToDevice(a + 1000, a + 1003, 3000);
        System.arraycopy(ma, 1003, ma, 1000, 3000);
        assertArrayEquals(ma, Gpu.downloadBytes(s, a, n));
        assertArrayEquals(mb, Gpu.downloadBytes(s, b, n));
    }

    @Test
    void confinedHostSegmentsWork() throws Exception {
        long d = ctx.allocate(4096);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment src = arena.allocate(4096);
            for (int i = 0; i < 1024; i++) src.setAtIndex(ValueLayout.JAVA_INT, i, i * 31);
            s.copyHostToDevice(d, src);
            MemorySegment dst = arena.allocate(4096);
            s.copyDeviceToHost(dst, d);
            s.synchronize();
            for (int i = 0; i < 1024; i++) assertEquals(i * 31, dst.getAtIndex(ValueLayout.JAVA_INT, i));
        }
    }

    @Test
    void freeWaitsForQueuedWork() throws Exception {
        int n = 1 << 20;
        long a = ctx.allocate(n);
        long b = ctx.allocate(n);
        s.enqueueHostCallback(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        s.fill(a, 7, 1, n);
        s.copyDeviceToDevice(b, a, n);
        ctx.free(a); // must not destroy a under the queued copy
        byte[] got = Gpu.downloadBytes(s, b, n);
        for (int i = 0; i < n; i += 4097) assertEquals(7, got[i]);
        assertEquals(1, ctx.liveAllocations());
    }
}
