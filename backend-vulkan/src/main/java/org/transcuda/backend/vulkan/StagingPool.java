package org.transcuda.backend.vulkan;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.transcuda.spi.BackendException;

/**
 * Host-visible, coherent, persistently mapped, device-addressable buffers for copies (staging) and kernel
 * arguments (upload), shared by the streams of one context. Sizes are powers of two from {@link #MIN} to
 * {@link #CHUNK}; larger copies are split into chunks by the caller. Up to {@link #RETAIN} idle bytes are
 * kept for reuse, the rest destroyed.
 */
final class StagingPool {
    static final long MIN = 64 * 1024;
    static final long CHUNK = 16 * 1024 * 1024;
    static final long RETAIN = 64L * 1024 * 1024;

    /** Creates and destroys host buffers; implemented by the context. */
    interface Allocator {
        GpuBuffer createHostBuffer(long bytes) throws BackendException;

        void destroyBuffer(GpuBuffer b);
    }

    private final Allocator allocator;
    private final List<ArrayDeque<GpuBuffer>> free = new ArrayList<>();
    private long idleBytes;
    private boolean closed;

    StagingPool(Allocator allocator) {
        this.allocator = allocator;
        for (long s = MIN; s <= CHUNK; s <<= 1) free.add(new ArrayDeque<>());
    }

    private static int sizeClass(long bytes) {
        int c = 0;
        for (long s = MIN; s < bytes; s <<= 1) c++;
        return c;
    }

    /** A buffer of at least {@code bytes} (at most {@link #CHUNK}). */
    GpuBuffer acquire(long bytes) throws BackendException {
        if (bytes > CHUNK) throw new IllegalArgumentException("staging request over a chunk: " + bytes);
        int c = sizeClass(Math.max(1, bytes));
        synchronized (this) {
            GpuBuffer b = free.get(c).pollLast();
            if (b != null) {
                idleBytes -= b.capacity;
                return b;
            }
        }
        return allocator.createHostBuffer(MIN << c);
    }

    /** Returns a buffer whose GPU work has completed. */
    void release(GpuBuffer b) {
        synchronized (this) {
            if (!closed && idleBytes + b.capacity <= RETAIN) {
                free.get(sizeClass(b.capacity)).addLast(b);
                idleBytes += b.capacity;
                return;
            }
        }
        allocator.destroyBuffer(b);
    }

    /** Destroys every idle buffer; later releases destroy at once. */
    void close() {
        List<GpuBuffer> all = new ArrayList<>();
        synchronized (this) {
            closed = true;
            for (ArrayDeque<GpuBuffer> q : free) {
                all.addAll(q);
                q.clear();
            }
            idleBytes = 0;
        }
        for (GpuBuffer b : all) allocator.destroyBuffer(b);
    }
}
