package org.transcuda.spi.host;

import java.lang.foreign.MemorySegment;
import org.transcuda.cuda.CUresult;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendStream;

/**
 * A {@link BackendStream} for backends whose device memory is a {@link HostMemory}: copies, fills, host
 * callbacks, synchronization and close run on a {@link HostStream}; a backend adds only its launch.
 * Addresses are resolved when the work is enqueued, so a bad pointer fails the call itself
 * (CUDA_ERROR_INVALID_VALUE), as cuMemcpy does.
 */
public abstract class HostBackendStream implements BackendStream {
    /** The device memory the stream copies in. */
    protected final HostMemory memory;
    /** The in-order queue that runs the stream's work. */
    protected final HostStream queue;

    protected HostBackendStream(HostMemory memory, String threadName) {
        this.memory = memory;
        this.queue = new HostStream(threadName);
    }

    private MemorySegment at(long address, long bytes) throws BackendException {
        return memory.resolve(address, bytes, CUresult.CUDA_ERROR_INVALID_VALUE);
    }

    @Override
    public void copyHostToDevice(long dst, MemorySegment src) throws BackendException {
        MemorySegment d = at(dst, src.byteSize());
        queue.enqueue(() -> d.copyFrom(src));
    }

    @Override
    public void copyDeviceToHost(MemorySegment dst, long src) throws BackendException {
        MemorySegment s = at(src, dst.byteSize());
        queue.enqueue(() -> dst.copyFrom(s));
    }

    @Override
    public void copyDeviceToDevice(long dst, long src, long bytes) throws BackendException {
        MemorySegment d = at(dst, bytes);
        MemorySegment s = at(src, bytes);
        queue.enqueue(() -> d.copyFrom(s));
    }

    @Override
    public void fill(long dst, int value, int elementSize, long count) throws BackendException {
        MemorySegment d = at(dst, count * elementSize);
        queue.enqueue(() -> HostMemory.fill(d, value, elementSize));
    }

    @Override
    public void enqueueHostCallback(Runnable callback) throws BackendException {
        queue.enqueue(callback::run);
    }

    @Override
    public void synchronize() throws BackendException {
        queue.synchronize();
    }

    @Override
    public boolean isIdle() {
        return queue.isIdle();
    }

    @Override
    public BackendException pendingFailure() {
        return queue.pendingFailure();
    }

    /** Drops work that has not started and ends the stream's thread (the context is going away). */
    public void abort() {
        queue.abort();
    }

    @Override
    public void close() {
        queue.close();
    }
}
