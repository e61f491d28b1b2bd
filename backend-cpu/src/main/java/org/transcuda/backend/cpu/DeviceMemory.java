package org.transcuda.backend.cpu;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import org.transcuda.cuda.CUresult;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.host.HostMemory;

/**
 * A context's device memory: {@link HostMemory} allocations (a device pointer is the native address) plus an
 * index from address to the whole allocation's {@link MemorySegment}, which kernels need to check an access
 * against the allocation it falls in and then read through one segment.
 *
 * <p>Kernels look addresses up in an immutable sorted {@link Snapshot} (binary search, no allocation); the
 * snapshot is rebuilt lazily after an allocation or free. Changes to the index and its invalidation happen under
 * this object's monitor, as does the rebuild, so a rebuild never publishes a table that misses an allocation
 * made meanwhile by another thread (streams allocate and free from several host threads). A free takes the address
 * out of the index before it releases the memory: once released, another thread's allocation may get the same
 * address, and its index entry must not be the one removed. Kernels access memory by native address after their
 * own bounds checks ({@link Mem}), so an allocation must not disappear under a running launch: launches hold
 * the read side of a lock ({@link #beginLaunch}), {@link #free} and {@link #close} the write side, as
 * {@code cuMemFree} synchronizes with the device. Device-side {@code free} is deferred to the end of its launch.
 */
final class DeviceMemory implements AutoCloseable {
    private final HostMemory memory;
    private final ConcurrentSkipListMap<Long, MemorySegment> segments = new ConcurrentSkipListMap<>();
    /** Launches hold the read side while they run; frees take the write side (cuMemFree synchronizes too). */
    private final java.util.concurrent.locks.ReentrantReadWriteLock lock =
            new java.util.concurrent.locks.ReentrantReadWriteLock();
    private volatile Snapshot snapshot;

    DeviceMemory(long capacity) {
        this.memory = new HostMemory(capacity);
    }

    HostMemory host() {
        return memory;
    }

    long allocate(long bytes) throws BackendException {
        long address = memory.allocate(bytes);
        MemorySegment whole = memory.resolve(address, bytes, CUresult.CUDA_ERROR_INVALID_VALUE);
        synchronized (this) {
            segments.put(address, whole);
            snapshot = null;
        }
        return address;
    }

    /** Frees an allocation, waiting for running launches first (they access memory by native address). */
    void free(long address) throws BackendException {
        lock.writeLock().lock();
        try {
            // Out of the index first: after memory.free another thread may be handed the same address.
            synchronized (this) {
                if (segments.remove(address) != null) snapshot = null;
            }
            memory.free(address);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Called by a launch before it runs: no allocation is freed until {@link #endLaunch}. */
    void beginLaunch() {
        lock.readLock().lock();
    }

    void endLaunch() {
        lock.readLock().unlock();
    }

    /** True when {@code address} is the start of a live allocation. */
    boolean isAllocation(long address) {
        return segments.containsKey(address);
    }

    long allocatedBytes() {
        return memory.allocatedBytes();
    }

    /** The memory at {@code [address, address + bytes)} for API calls (copies, fills). */
    MemorySegment resolve(long address, long bytes, CUresult error) throws BackendException {
        return memory.resolve(address, bytes, error);
    }

    /** The current lookup table for kernels: it holds every allocation whose {@link #allocate} has returned. */
    Snapshot snapshot() {
        Snapshot s = snapshot;
        if (s == null) {
            synchronized (this) {
                s = snapshot;
                if (s == null) {
                    s = new Snapshot(segments);
                    snapshot = s;
                }
            }
        }
        return s;
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            synchronized (this) {
                segments.clear();
                snapshot = null;
            }
            memory.close();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Sorted allocation bases, sizes and segments. */
    static final class Snapshot {
        final long[] bases;
        final long[] sizes;
        final MemorySegment[] segs;

        Snapshot(Map<Long, MemorySegment> map) {
            int n = map.size();
            long[] b = new long[n];
            long[] z = new long[n];
            MemorySegment[] s = new MemorySegment[n];
            int i = 0;
            for (Map.Entry<Long, MemorySegment> e : map.entrySet()) {
                if (i == n) break;
                b[i] = e.getKey();
                z[i] = e.getValue().byteSize();
                s[i] = e.getValue();
                i++;
            }
            bases = i == n ? b : Arrays.copyOf(b, i);
            sizes = i == n ? z : Arrays.copyOf(z, i);
            segs = i == n ? s : Arrays.copyOf(s, i);
        }

        /** Index of the allocation that holds {@code address}, or -1. */
        int find(long address) {
            int i = Arrays.binarySearch(bases, address);
            if (i < 0) i = -i - 2;
            if (i < 0) return -1;
            return address - bases[i] < sizes[i] ? i : -1;
        }
    }
}
