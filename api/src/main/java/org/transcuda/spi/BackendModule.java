package org.transcuda.spi;

import org.osgi.annotation.versioning.ConsumerType;

/** A module loaded into a context. */
@ConsumerType
public interface BackendModule extends AutoCloseable {
    /** The kernel with this name, or CUDA_ERROR_NOT_FOUND. */
    BackendFunction function(String name) throws BackendException;

    /** Unloads the module. Idempotent. */
    @Override
    void close();
}
