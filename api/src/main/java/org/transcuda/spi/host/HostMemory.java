package org.transcuda.spi.host;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import org.transcuda.cuda.CUresult;
import org.transcuda.spi.BackendException;

/**
 * Device memory that lives off-heap in this process. A device pointer is the native address of the
 * allocation, so pointers are unique 64-bit values that can cross a C ABI; every access is resolved through
 * the allocation table and bounds-checked, so a bad pointer is a CUDA error, never a JVM crash.
 */
public final class HostMemory implements AutoCloseable {
    /** CUDA aligns allocations to at least 256 bytes. */
    public static final int ALIGNMENT = 256;

    private record Allocation(Arena arena, MemorySegment segment) {
    }

    private final ConcurrentSkipListMap<Long, Allocation> allocations = new ConcurrentSkipListMap<>();
    private final AtomicLong allocatedBytes = new AtomicLong();
    private final long capacity;
    private volatile boolean closed;

    /** @param capacity total bytes this memory may hand out (the device's total memory) */
    public HostMemory(long capacity) {
        this.capacity = capacity;
    }

    public long allocate(long bytes) throws BackendException {
        if (closed) throw new BackendException(CUresult.CUDA_ERROR_CONTEXT_IS_DESTROYED, "context is closed");
        if (bytes <= 0) throw new BackendException(CUresult.CUDA_ERROR_INVALID_VALUE, "size " + bytes);
        if (allocatedBytes.addAndGet(bytes) > capacity) {
            allocatedBytes.addAndGet(-bytes);
            throw new BackendException(CUresult.CUDA_ERROR_OUT_OF_MEMORY,
                    "cannot allocate " + bytes + " bytes: " + allocatedBytes.get() + " of " + capacity + " in use");
        }
        Arena arena = Arena.ofShared();
        MemorySegment segment;
        try {
            segment = arena.allocate(bytes, ALIGNMENT);
        } catch (OutOfMemoryError | IllegalArgumentException e) {
            arena.close();
            allocatedBytes.addAndGet(-bytes);
            throw new BackendException(CUresult.CUDA_ERROR_OUT_OF_MEMORY, "cannot allocate " + bytes + " bytes", e);
        }
        allocations.put(segment.address(), new Allocation(arena, segment));
        return segment.address();
    }

    public void free(long address) throws BackendException {
        Allocation a = allocations.remove(address);
        if (a == null) {
            throw new BackendException(CUresult.CUDA_ERROR_INVALID_VALUE,
                    "0x" + Long.toHexString(address) + " is not the start of an allocation");
        }
        allocatedBytes.addAndGet(-a.segment.byteSize());
        a.arena.close();
    }

    /**
     * The memory at {@code [address, address + bytes)}, which must lie inside one allocation; else
     * {@code error} (CUDA_ERROR_INVALID_VALUE for API calls, CUDA_ERROR_ILLEGAL_ADDRESS for kernels).
     */
    public MemorySegment resolve(long address, long bytes, CUresult error) throws BackendException {
        Map.Entry<Long, Allocation> e = allocations.floorEntry(address);
        if (e != null && bytes >= 0) {
            MemorySegment s = e.getValue().segment;
            long offset = address - e.getKey();
            if (offset + bytes <= s.byteSize()) {
                return s.asSlice(offset, bytes);
            }
        }
        throw new BackendException(error, "[0x" + Long.toHexString(address) + ", +" + bytes
                + ") is not inside a live device allocation");
    }

    /** Fills {@code target} with {@code value} repeated as elements of 1, 2 or 4 bytes (cuMemsetD8/16/32). */
    public static void fill(MemorySegment target, int value, int elementSize) {
        switch (elementSize) {
            case 1 -> target.fill((byte) value);
            case 2 -> {
                long n = target.byteSize() / 2;
                for (long i = 0; i < n; i++) target.set(ValueLayout.JAVA_SHORT_UNALIGNED, i * 2, (short) value);
            }
            case 4 -> {
                long n = target.byteSize() / 4;
                for (long i = 0; i < n; i++) target.set(ValueLayout.JAVA_INT_UNALIGNED, i * 4, value);
            }
            default -> throw new IllegalArgumentException("element size " + elementSize);
        }
    }

    /** Number of live allocations. */
    public int liveAllocations() {
        return allocations.size();
    }

    /** Bytes in use. */
    public long allocatedBytes() {
        return allocatedBytes.get();
    }

    /** Frees every allocation. */
    @Override
    public void close() {
        closed = true;
        for (Long address : allocations.keySet()) {
            Allocation a = allocations.remove(address);
            if (a != null) {
                allocatedBytes.addAndGet(-a.segment.byteSize());
                a.arena.close();
            }
        }
    }
}
