package org.transcuda.spi;

import java.util.Objects;
import java.util.UUID;
import org.transcuda.cuda.Dim3;

/**
 * Properties of a device, from which the front end answers CUDA's device attribute queries consistently.
 *
 * @param name                 device name
 * @param uuid                 stable device UUID
 * @param totalMemory          bytes of device memory
 * @param computeMajor         CUDA compute capability reported for PTX feature checks (major)
 * @param computeMinor         compute capability (minor)
 * @param multiprocessorCount  parallel units (SMs, compute units, CPU cores)
 * @param maxThreadsPerBlock   largest block
 * @param maxBlockDim          per-dimension block limits
 * @param maxGridDim           per-dimension grid limits
 * @param sharedMemoryPerBlock bytes of shared memory a block may use
 * @param totalConstantMemory  bytes of constant memory
 * @param warpSize             always 32: CUDA semantics are emulated where the hardware differs
 * @param maxRegistersPerBlock 32-bit registers per block
 * @param clockRateKHz         core clock
 * @param memoryClockRateKHz   memory clock
 * @param memoryBusWidthBits   memory bus width
 * @param l2CacheBytes         L2 cache size
 * @param integrated           whether the device shares memory with the host
 * @param pciBusId             PCI bus id or -1 when it has none
 */
public record DeviceProperties(
        String name,
        UUID uuid,
        long totalMemory,
        int computeMajor,
        int computeMinor,
        int multiprocessorCount,
        int maxThreadsPerBlock,
        Dim3 maxBlockDim,
        Dim3 maxGridDim,
        int sharedMemoryPerBlock,
        int totalConstantMemory,
        int warpSize,
        int maxRegistersPerBlock,
        int clockRateKHz,
        int memoryClockRateKHz,
        int memoryBusWidthBits,
        int l2CacheBytes,
        boolean integrated,
        int pciBusId) {
    public DeviceProperties {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(maxBlockDim, "maxBlockDim");
        Objects.requireNonNull(maxGridDim, "maxGridDim");
        if (warpSize != 32) throw new IllegalArgumentException("CUDA's warp size is 32, not " + warpSize);
        if (totalMemory < 0 || multiprocessorCount < 1 || maxThreadsPerBlock < 1) {
            throw new IllegalArgumentException("implausible device properties: " + name);
        }
    }
}
