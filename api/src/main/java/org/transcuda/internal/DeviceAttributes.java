package org.transcuda.internal;

import org.transcuda.cuda.CUdevice_attribute;
import org.transcuda.spi.DeviceProperties;

/**
 * Answers cuDeviceGetAttribute from a backend's {@link DeviceProperties}, so that every attribute a
 * program queries is consistent with the others (and with the runtime's cudaDeviceProp). Attributes for
 * features Transcuda does not offer (textures, surfaces, IPC, multicast, ...) report 0, as CUDA does for a
 * device without the feature.
 */
final class DeviceAttributes {
    private DeviceAttributes() {
    }

    static int value(DeviceProperties p, CUdevice_attribute a) {
        return switch (a) {
            case CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK -> p.maxThreadsPerBlock();
            case CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_X -> p.maxBlockDim().x();
            case CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_Y -> p.maxBlockDim().y();
            case CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_Z -> p.maxBlockDim().z();
            case CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_X -> p.maxGridDim().x();
            case CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Y -> p.maxGridDim().y();
            case CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Z -> p.maxGridDim().z();
            case CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK, CU_DEVICE_ATTRIBUTE_SHARED_MEMORY_PER_BLOCK,
                    CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN,
                    CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_MULTIPROCESSOR -> p.sharedMemoryPerBlock();
            case CU_DEVICE_ATTRIBUTE_TOTAL_CONSTANT_MEMORY -> p.totalConstantMemory();
            case CU_DEVICE_ATTRIBUTE_WARP_SIZE -> p.warpSize();
            case CU_DEVICE_ATTRIBUTE_MAX_PITCH -> Integer.MAX_VALUE;
            case CU_DEVICE_ATTRIBUTE_MAX_REGISTERS_PER_BLOCK, CU_DEVICE_ATTRIBUTE_REGISTERS_PER_BLOCK,
                    CU_DEVICE_ATTRIBUTE_MAX_REGISTERS_PER_MULTIPROCESSOR -> p.maxRegistersPerBlock();
            case CU_DEVICE_ATTRIBUTE_CLOCK_RATE -> p.clockRateKHz();
            case CU_DEVICE_ATTRIBUTE_TEXTURE_ALIGNMENT -> 512;
            case CU_DEVICE_ATTRIBUTE_TEXTURE_PITCH_ALIGNMENT -> 32;
            case CU_DEVICE_ATTRIBUTE_GPU_OVERLAP, CU_DEVICE_ATTRIBUTE_CONCURRENT_KERNELS,
                    CU_DEVICE_ATTRIBUTE_UNIFIED_ADDRESSING, CU_DEVICE_ATTRIBUTE_GLOBAL_L1_CACHE_SUPPORTED,
                    CU_DEVICE_ATTRIBUTE_LOCAL_L1_CACHE_SUPPORTED -> 1;
            case CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT -> p.multiprocessorCount();
            case CU_DEVICE_ATTRIBUTE_INTEGRATED -> p.integrated() ? 1 : 0;
            case CU_DEVICE_ATTRIBUTE_COMPUTE_MODE -> 0; // CU_COMPUTEMODE_DEFAULT
            case CU_DEVICE_ATTRIBUTE_PCI_BUS_ID -> Math.max(0, p.pciBusId());
            case CU_DEVICE_ATTRIBUTE_MEMORY_CLOCK_RATE -> p.memoryClockRateKHz();
            case CU_DEVICE_ATTRIBUTE_GLOBAL_MEMORY_BUS_WIDTH -> p.memoryBusWidthBits();
            case CU_DEVICE_ATTRIBUTE_L2_CACHE_SIZE -> p.l2CacheBytes();
            case CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_MULTIPROCESSOR -> p.maxThreadsPerBlock();
            // A multiprocessor holds up to 32 blocks, as on CUDA GPUs since Ampere; threads, registers and shared
            // memory per multiprocessor (equal to the per-block limits) bound occupancy below that.
            case CU_DEVICE_ATTRIBUTE_MAX_BLOCKS_PER_MULTIPROCESSOR -> 32;
            case CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR -> p.computeMajor();
            case CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR -> p.computeMinor();
            case CU_DEVICE_ATTRIBUTE_ASYNC_ENGINE_COUNT -> 1;
            case CU_DEVICE_ATTRIBUTE_SINGLE_TO_DOUBLE_PRECISION_PERF_RATIO -> 2;
            default -> 0;
        };
    }
}
