package org.transcuda.spi;

import org.osgi.annotation.versioning.ConsumerType;

/** A module loaded into a context. */
@ConsumerType
public interface BackendModule extends AutoCloseable {
    /** The kernel with this name, or CUDA_ERROR_NOT_FOUND. */
    BackendFunction function(String name) throws BackendException;

    /**
     * The device address and size of a module variable ({@code .global} or {@code .const}), for
     * cuModuleGetGlobal and the runtime's symbol copies; CUDA_ERROR_NOT_FOUND when there is none.
     */
    default GlobalSymbol global(String name) throws BackendException {
        throw new BackendException(org.transcuda.cuda.CUresult.CUDA_ERROR_NOT_FOUND,
                "this backend does not expose module variables (" + name + ")");
    }

    /** Unloads the module. Idempotent. */
    @Override
    void close();
}
