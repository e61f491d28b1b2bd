package org.transcuda.backend.vulkan;

import java.lang.foreign.MemorySegment;

/**
 * A {@code VkBuffer} bound to its own {@code VkDeviceMemory}, with its buffer device address. For CUDA
 * allocations {@link #address} is the CUDA device pointer (the buffer's address rounded up to 256 bytes)
 * and {@link #bytes} the size asked for; staging and upload buffers are mapped ({@link #mapped}).
 */
final class GpuBuffer {
    final long buffer;
    final long memory;
    final long deviceAddress;
    final long capacity;
    final MemorySegment mapped;
    final long address;
    final long bytes;

    GpuBuffer(long buffer, long memory, long deviceAddress, long capacity, MemorySegment mapped, long address,
            long bytes) {
        this.buffer = buffer;
        this.memory = memory;
        this.deviceAddress = deviceAddress;
        this.capacity = capacity;
        this.mapped = mapped;
        this.address = address;
        this.bytes = bytes;
    }

    /** Offset inside the {@code VkBuffer} of a device address inside this allocation. */
    long offsetOf(long deviceAddr) {
        return deviceAddr - deviceAddress;
    }

    @Override
    public String toString() {
        return "[0x" + Long.toHexString(address) + ", +" + bytes + ")";
    }
}
