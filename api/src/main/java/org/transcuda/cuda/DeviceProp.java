package org.transcuda.cuda;

import java.util.Map;
import java.util.UUID;

/**
 * What cudaGetDeviceProperties reports: the name, UUID and total memory, and every device attribute, taken in
 * one snapshot from the same source as cudaDeviceGetAttribute, so that the two always agree.
 *
 * @param name           cudaDeviceProp.name
 * @param uuid           cudaDeviceProp.uuid
 * @param totalGlobalMem cudaDeviceProp.totalGlobalMem
 * @param attributes     every {@link CUdevice_attribute}'s value
 */
public record DeviceProp(String name, UUID uuid, long totalGlobalMem, Map<CUdevice_attribute, Integer> attributes) {
    public DeviceProp {
        attributes = Map.copyOf(attributes);
    }

    /** The attribute's value (the cudaDeviceProp field derived from it). */
    public int attribute(CUdevice_attribute a) {
        return attributes.getOrDefault(a, 0);
    }
}
