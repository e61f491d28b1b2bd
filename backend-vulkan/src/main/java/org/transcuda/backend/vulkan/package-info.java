/**
 * The Vulkan backend's runtime (private to the bundle).
 *
 * <ul>
 * <li>{@link org.transcuda.backend.vulkan.VulkanBackend}: the DS component ({@code transcuda.backend.id=vulkan},
 * ranking 50); loads the Vulkan loader through the FFM API, creates an instance, lists physical devices.
 * No loader, no driver, or denied native access: zero devices and the reason in the diagnostics.</li>
 * <li>{@link org.transcuda.backend.vulkan.VulkanDevice}: a physical device with
 * {@link org.transcuda.spi.DeviceProperties} derived from Vulkan limits; devices without Vulkan 1.2,
 * {@code bufferDeviceAddress}, {@code shaderInt64} or {@code timelineSemaphore} are listed as unusable.</li>
 * <li>{@link org.transcuda.backend.vulkan.VulkanContext}: one {@code VkDevice} per CUDA context. A device
 * pointer is a buffer device address: each allocation is a {@code VkBuffer} with its own
 * {@code VkDeviceMemory} ({@code VK_MEMORY_ALLOCATE_DEVICE_ADDRESS_BIT}), the address rounded up to 256
 * bytes; a sorted table maps address ranges back to buffers so that API calls validate pointers
 * (CUDA_ERROR_INVALID_VALUE) and copies find their {@code VkBuffer} and offset.</li>
 * <li>{@link org.transcuda.backend.vulkan.VulkanStream}: an in-order queue run by one worker thread that
 * records operations into command buffers with a full memory barrier between operations, submits to the
 * context's compute queue (under a lock) and tracks completion with a timeline semaphore. Copies go through
 * pooled host-visible staging buffers ({@link org.transcuda.backend.vulkan.StagingPool}); 4-byte fills are
 * {@code vkCmdFillBuffer}, 1- and 2-byte fills too for the aligned middle, with the ragged ends copied from
 * an upload buffer.</li>
 * <li>{@link org.transcuda.backend.vulkan.VulkanKernel} / {@link org.transcuda.backend.vulkan.KernelAbi}:
 * what a compiled kernel is and how it receives its launch (push constants, argument buffer,
 * specialization constants); {@link org.transcuda.backend.vulkan.VulkanFunction} caches one pipeline per
 * (block size, dynamic shared size).</li>
 * <li>{@link org.transcuda.backend.vulkan.Ledger}: live Vulkan object counts, per context and process-wide.</li>
 * </ul>
 * {@code loadModule} compiles the IR with the generator of {@code codegen/} ({@code SpirvCodegen}: mapping and
 * precision guarantees in its javadoc). Recursion is guaranteed to work for direct recursive calls (self or mutual),
 * on an explicit per-thread stack of {@code SpirvCodegen.RECURSION_STACK_BYTES} (16 KiB; CUDA's stack-size limit
 * does not reach backends); a recursion that needs more fails its launch with CUDA_ERROR_LAUNCH_FAILED ("call stack
 * overflow", sticky in the context) without writing past the stack, and recursion through function pointers fails to
 * compile (CUDA_ERROR_NOT_SUPPORTED). On lavapipe, whose loop limiter ends loops after 65535 iterations, a thread
 * gets at most about 32000 recursive calls per launch (docs/ARCHITECTURE.md). Any loop the limiter ends (recursion or
 * not) fails the launch with CUDA_ERROR_LAUNCH_FAILED rather than leaving wrong results: on llvmpipe the generated
 * code watches every loop's exits ({@code SpirvCodegen.FAULT_LOOP_CUT}).
 */
package org.transcuda.backend.vulkan;
