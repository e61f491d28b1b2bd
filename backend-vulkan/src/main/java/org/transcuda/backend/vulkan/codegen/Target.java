package org.transcuda.backend.vulkan.codegen;

/**
 * What the device offers that the generated code depends on. Required by every module: {@code Int64},
 * {@code PhysicalStorageBufferAddresses}, 8- and 16-bit integers ({@code shaderInt8}, {@code shaderInt16},
 * {@code storageBuffer8BitAccess}, {@code storageBuffer16BitAccess}): a kernel that needs a missing one fails to
 * compile with the reason.
 *
 * @param int8               {@code shaderInt8} and {@code storageBuffer8BitAccess}
 * @param int16              {@code shaderInt16} and {@code storageBuffer16BitAccess}
 * @param float64            {@code shaderFloat64}
 * @param int64Atomics       {@code shaderBufferInt64Atomics} (64-bit atomics on global memory)
 * @param float32AtomicAdd   {@code shaderBufferFloat32AtomicAdd} (else a compare-and-swap loop)
 * @param maxPushConstants   {@code maxPushConstantsSize}: arguments go inline when they fit
 * @param shaderClock        {@code VK_KHR_shader_clock} with {@code shaderSubgroupClock} and {@code shaderDeviceClock}
 *                           ({@code %clock}, {@code %clock64}, {@code %globaltimer}; else they fail to compile)
 */
public record Target(boolean int8, boolean int16, boolean float64, boolean int64Atomics, boolean float32AtomicAdd,
        int maxPushConstants, boolean shaderClock) {
    /** A device with every optional feature the generator uses (the {@code translate} command's default). */
    public static final Target FULL = new Target(true, true, true, true, true, 128, true);
}
