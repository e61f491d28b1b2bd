package org.transcuda.backend.vulkan.vk;

import org.transcuda.cuda.CUresult;
import org.transcuda.spi.BackendException;

/** A Vulkan call that returned an error {@code VkResult}, with the CUDA result the front end reports for it. */
public final class VkException extends BackendException {
    private static final long serialVersionUID = 1L;
    private final int vkResult;

    public VkException(String call, int vkResult) {
        super(cudaResult(vkResult), call + " failed: " + Vk.resultName(vkResult));
        this.vkResult = vkResult;
    }

    public int vkResult() {
        return vkResult;
    }

    /** True for {@code VK_ERROR_DEVICE_LOST}: the device (our context) is unusable from now on. */
    public boolean deviceLost() {
        return vkResult == Vk.ERROR_DEVICE_LOST;
    }

    /** The CUDA result for a failed Vulkan call. */
    public static CUresult cudaResult(int vkResult) {
        return switch (vkResult) {
            case Vk.ERROR_OUT_OF_HOST_MEMORY, Vk.ERROR_OUT_OF_DEVICE_MEMORY, Vk.ERROR_TOO_MANY_OBJECTS,
                    Vk.ERROR_OUT_OF_POOL_MEMORY, Vk.ERROR_FRAGMENTATION, Vk.ERROR_FRAGMENTED_POOL ->
                CUresult.CUDA_ERROR_OUT_OF_MEMORY;
            case Vk.ERROR_DEVICE_LOST -> CUresult.CUDA_ERROR_LAUNCH_FAILED;
            case Vk.ERROR_INITIALIZATION_FAILED, Vk.ERROR_INCOMPATIBLE_DRIVER -> CUresult.CUDA_ERROR_NOT_INITIALIZED;
            case Vk.ERROR_EXTENSION_NOT_PRESENT, Vk.ERROR_FEATURE_NOT_PRESENT, Vk.ERROR_LAYER_NOT_PRESENT ->
                CUresult.CUDA_ERROR_NOT_SUPPORTED;
            case Vk.ERROR_MEMORY_MAP_FAILED -> CUresult.CUDA_ERROR_MAP_FAILED;
            default -> CUresult.CUDA_ERROR_UNKNOWN;
        };
    }

    /** Throws for a negative (error) result; positive status codes are returned for the caller to judge. */
    public static int check(String call, int vkResult) throws VkException {
        if (vkResult < 0) throw new VkException(call, vkResult);
        return vkResult;
    }
}
