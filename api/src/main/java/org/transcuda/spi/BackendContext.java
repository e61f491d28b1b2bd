package org.transcuda.spi;

import org.osgi.annotation.versioning.ConsumerType;
import org.transcuda.ir.Module;

/**
 * A context on one device: device allocations, loaded modules and streams. Device addresses are plain
 * 64-bit values so that they can travel through the C ABI of the drop-in libraries.
 */
@ConsumerType
public interface BackendContext extends AutoCloseable {
    /** Allocates {@code bytes} of device memory (aligned to at least 256 bytes, as CUDA guarantees). */
    long allocate(long bytes) throws BackendException;

    /** Frees an allocation returned by {@link #allocate}; anything else is CUDA_ERROR_INVALID_VALUE. */
    void free(long address) throws BackendException;

    /** Bytes of device memory in use by this context's allocations. */
    long allocatedBytes();

    /** Loads a translated module; compilation to the device's code happens here (or lazily per kernel). */
    BackendModule loadModule(Module module) throws BackendException;

    /** Creates a stream: work enqueued on one stream runs in order. */
    BackendStream createStream() throws BackendException;

    /** Waits until all work on all streams of this context has completed; reports the first failure. */
    void synchronize() throws BackendException;

    /**
     * Releases every resource of the context (allocations, modules, streams, threads, native handles).
     * Work still queued fails; later calls throw. Idempotent.
     */
    @Override
    void close();
}
