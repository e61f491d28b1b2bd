package org.transcuda.spi;

import java.lang.foreign.MemorySegment;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * An in-order queue of device work. Enqueue methods return at once; the work runs later in order, and a
 * failure is reported by the next {@link #synchronize()} (and, as CUDA does, by later calls on the same
 * context for faults that corrupt it). Host memory handed to an enqueue method must stay valid until the
 * operation has completed: the front end guarantees that by synchronizing for pageable memory.
 */
@ConsumerType
public interface BackendStream extends AutoCloseable {
    /** Copies {@code src.byteSize()} bytes from host memory to device address {@code dst}. */
    void copyHostToDevice(long dst, MemorySegment src) throws BackendException;

    /** Copies {@code dst.byteSize()} bytes from device address {@code src} into host memory. */
    void copyDeviceToHost(MemorySegment dst, long src) throws BackendException;

    /** Copies between device addresses of the same context. */
    void copyDeviceToDevice(long dst, long src, long bytes) throws BackendException;

    /** Writes {@code count} elements of {@code elementSize} (1, 2 or 4) bytes, each equal to {@code value}. */
    void fill(long dst, int value, int elementSize, long count) throws BackendException;

    /**
     * Launches a kernel. {@code args} holds the packed argument buffer laid out as
     * {@link org.transcuda.ir.Function#params()} describes; the stream copies it before returning.
     */
    void launch(BackendFunction function, LaunchConfig config, MemorySegment args) throws BackendException;

    /** Runs {@code callback} on a host thread once all earlier work on this stream has completed. */
    void enqueueHostCallback(Runnable callback) throws BackendException;

    /** Blocks until all enqueued work has completed; throws the first failure of that work. */
    void synchronize() throws BackendException;

    /** True when all enqueued work has completed. */
    boolean isIdle();

    /**
     * The failure of completed work that the next {@link #synchronize()} will report, or the fault that made the
     * context unusable; null when there is none. Does not clear it. Called from a host callback of this stream, it
     * covers all work enqueued before the callback: the front end uses it so that an event recorded after a
     * faulting kernel reports the fault (CUDA's cuEventSynchronize). The default knows of none.
     */
    default BackendException pendingFailure() {
        return null;
    }

    /** Waits for queued work to finish (or fail), then releases the stream. Idempotent. */
    @Override
    void close();
}
