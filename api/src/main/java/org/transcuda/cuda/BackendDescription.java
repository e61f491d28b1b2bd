package org.transcuda.cuda;

import java.util.List;
import java.util.Optional;

/**
 * What {@code transcuda devices} reports about one installed backend.
 *
 * @param id          backend id
 * @param name        backend name
 * @param vendor      who ships it
 * @param version     its version
 * @param bundle      the OSGi bundle that provides it ({@code symbolicName version})
 * @param ranking     service ranking
 * @param selected    whether new contexts use it
 * @param diagnostics why devices are missing or unusable
 * @param devices     its devices
 */
public record BackendDescription(String id, String name, String vendor, String version, String bundle,
        int ranking, boolean selected, List<String> diagnostics, List<Device> devices) {

    /**
     * One device of a backend.
     *
     * @param name                 device name
     * @param totalMemory          bytes
     * @param computeCapability    e.g. "8.0"
     * @param multiprocessors      parallel units
     * @param maxThreadsPerBlock   largest block
     * @param sharedMemoryPerBlock bytes
     * @param unusableReason       why it is not a CUDA device, if it is not
     */
    public record Device(String name, long totalMemory, String computeCapability, int multiprocessors,
            int maxThreadsPerBlock, int sharedMemoryPerBlock, Optional<String> unusableReason) {
    }
}
