package org.transcuda.spi;

import java.util.Optional;
import org.osgi.annotation.versioning.ConsumerType;

/** One device of a backend. */
@ConsumerType
public interface BackendDevice {
    /** What the device reports; the front end derives every CUDA device attribute from it. */
    DeviceProperties properties();

    /**
     * Why this device cannot run kernels (a required feature is missing), or empty if it can. Unusable
     * devices are listed by {@code transcuda devices} but are not CUDA devices.
     */
    default Optional<String> unusableReason() {
        return Optional.empty();
    }

    /**
     * Whether the host can read and write this device's memory at the device address itself (the device
     * memory is host memory): then the front end offers managed memory (cuMemAllocManaged) as ordinary device
     * allocations. False by default: such backends answer CUDA_ERROR_NOT_SUPPORTED for managed memory.
     */
    default boolean hostAddressableMemory() {
        return false;
    }

    /** Creates a context: an address space with its own allocations, modules and streams. */
    BackendContext createContext() throws BackendException;
}
