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
 * @param fmaF32             {@code VK_KHR_shader_fma} with {@code shaderFmaFloat32}: {@code fma.rn.f32} as one
 *                           {@code OpFmaKHR} (else emulated exactly in f64, or {@code GLSL.std.450 Fma}, which need not
 *                           be fused, on a device without f64)
 * @param fmaF64             the same with {@code shaderFmaFloat64} for {@code fma.rn.f64}
 * @param loopLimiter        the driver ends every loop of an invocation after a fixed number of iterations (lavapipe:
 *                           65535 per launch, counted over all loops): loops are watched, and a thread whose loop the
 *                           driver ended fails the launch instead of going on with wrong values
 *                           ({@link SpirvCodegen#FAULT_LOOP_CUT})
 */
public record Target(boolean int8, boolean int16, boolean float64, boolean int64Atomics, boolean float32AtomicAdd,
        int maxPushConstants, boolean shaderClock, boolean fmaF32, boolean fmaF64, boolean loopLimiter) {
    /**
     * A device with every optional feature the generator uses (the {@code translate} command's default), except
     * {@code VK_KHR_shader_fma} (2025): SPIR-V tools and drivers older than that reject {@code OpFmaKHR}, and the
     * exact emulation runs everywhere; and without a loop limiter (no loop watching: that is lavapipe's workaround).
     */
    public static final Target FULL = new Target(true, true, true, true, true, 128, true, false, false,
            false);

    /** This target with {@code VK_KHR_shader_fma} for f32 and f64 as given. */
    public Target withFma(boolean f32, boolean f64) {
        return new Target(int8, int16, float64, int64Atomics, float32AtomicAdd, maxPushConstants, shaderClock, f32, f64,
                loopLimiter);
    }

    /** This target with loops watched for a driver's loop limiter ({@link #loopLimiter()}) or not. */
    public Target withLoopLimiter(boolean watch) {
        return new Target(int8, int16, float64, int64Atomics, float32AtomicAdd, maxPushConstants, shaderClock, fmaF32,
                fmaF64, watch);
    }
}
