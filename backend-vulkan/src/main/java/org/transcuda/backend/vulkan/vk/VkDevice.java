package org.transcuda.backend.vulkan.vk;

import static org.transcuda.backend.vulkan.vk.Native.I;
import static org.transcuda.backend.vulkan.vk.Native.L;
import static org.transcuda.backend.vulkan.vk.Native.P;
import static org.transcuda.backend.vulkan.vk.Native.fn;
import static org.transcuda.backend.vulkan.vk.Native.proc;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * A {@code VkDevice} with the device-level functions the backend calls, resolved through
 * {@code vkGetDeviceProcAddr} (no loader trampoline on the hot path). Non-dispatchable handles
 * ({@code VkBuffer}, {@code VkDeviceMemory}, ...) are {@code long}s; dispatchable ones
 * ({@code VkQueue}, {@code VkCommandBuffer}) are {@link MemorySegment}s. Thread-safety is Vulkan's: the
 * caller provides the external synchronization that the specification asks for (queues, command pools).
 */
public final class VkDevice implements AutoCloseable {
    private final VkInstance instance;
    private final MemorySegment handle;
    private final MethodHandle destroyDevice;
    private final MethodHandle getDeviceQueue;
    private final MethodHandle deviceWaitIdle;
    private final MethodHandle createBuffer;
    private final MethodHandle destroyBuffer;
    private final MethodHandle getBufferMemoryRequirements;
    private final MethodHandle allocateMemory;
    private final MethodHandle freeMemory;
    private final MethodHandle bindBufferMemory;
    private final MethodHandle mapMemory;
    private final MethodHandle unmapMemory;
    private final MethodHandle getBufferDeviceAddress;
    private final MethodHandle createCommandPool;
    private final MethodHandle destroyCommandPool;
    private final MethodHandle allocateCommandBuffers;
    private final MethodHandle freeCommandBuffers;
    private final MethodHandle resetCommandBuffer;
    private final MethodHandle beginCommandBuffer;
    private final MethodHandle endCommandBuffer;
    private final MethodHandle cmdCopyBuffer;
    private final MethodHandle cmdFillBuffer;
    private final MethodHandle cmdPipelineBarrier;
    private final MethodHandle cmdBindPipeline;
    private final MethodHandle cmdPushConstants;
    private final MethodHandle cmdDispatch;
    private final MethodHandle queueSubmit;
    private final MethodHandle createSemaphore;
    private final MethodHandle destroySemaphore;
    private final MethodHandle waitSemaphores;
    private final MethodHandle getSemaphoreCounterValue;
    private final MethodHandle createShaderModule;
    private final MethodHandle destroyShaderModule;
    private final MethodHandle createPipelineLayout;
    private final MethodHandle destroyPipelineLayout;
    private final MethodHandle createComputePipelines;
    private final MethodHandle destroyPipeline;
    private boolean closed;

    VkDevice(VkInstance instance, MemorySegment handle) {
        this.instance = instance;
        this.handle = handle;
        destroyDevice = f("vkDestroyDevice", proc(P, P));
        getDeviceQueue = f("vkGetDeviceQueue", proc(P, I, I, P));
        deviceWaitIdle = f("vkDeviceWaitIdle", fn(I, P));
        createBuffer = f("vkCreateBuffer", fn(I, P, P, P, P));
        destroyBuffer = f("vkDestroyBuffer", proc(P, L, P));
        getBufferMemoryRequirements = f("vkGetBufferMemoryRequirements", proc(P, L, P));
        allocateMemory = f("vkAllocateMemory", fn(I, P, P, P, P));
        freeMemory = f("vkFreeMemory", proc(P, L, P));
        bindBufferMemory = f("vkBindBufferMemory", fn(I, P, L, L, L));
        mapMemory = f("vkMapMemory", fn(I, P, L, L, L, I, P));
        unmapMemory = f("vkUnmapMemory", proc(P, L));
        getBufferDeviceAddress = f("vkGetBufferDeviceAddress", fn(L, P, P));
        createCommandPool = f("vkCreateCommandPool", fn(I, P, P, P, P));
        destroyCommandPool = f("vkDestroyCommandPool", proc(P, L, P));
        allocateCommandBuffers = f("vkAllocateCommandBuffers", fn(I, P, P, P));
        freeCommandBuffers = f("vkFreeCommandBuffers", proc(P, L, I, P));
        resetCommandBuffer = f("vkResetCommandBuffer", fn(I, P, I));
        beginCommandBuffer = f("vkBeginCommandBuffer", fn(I, P, P));
        endCommandBuffer = f("vkEndCommandBuffer", fn(I, P));
        cmdCopyBuffer = f("vkCmdCopyBuffer", proc(P, L, L, I, P));
        cmdFillBuffer = f("vkCmdFillBuffer", proc(P, L, L, L, I));
        cmdPipelineBarrier = f("vkCmdPipelineBarrier", proc(P, I, I, I, I, P, I, P, I, P));
        cmdBindPipeline = f("vkCmdBindPipeline", proc(P, I, L));
        cmdPushConstants = f("vkCmdPushConstants", proc(P, L, I, I, I, P));
        cmdDispatch = f("vkCmdDispatch", proc(P, I, I, I));
        queueSubmit = f("vkQueueSubmit", fn(I, P, I, P, L));
        createSemaphore = f("vkCreateSemaphore", fn(I, P, P, P, P));
        destroySemaphore = f("vkDestroySemaphore", proc(P, L, P));
        waitSemaphores = f("vkWaitSemaphores", fn(I, P, P, L));
        getSemaphoreCounterValue = f("vkGetSemaphoreCounterValue", fn(I, P, L, P));
        createShaderModule = f("vkCreateShaderModule", fn(I, P, P, P, P));
        destroyShaderModule = f("vkDestroyShaderModule", proc(P, L, P));
        createPipelineLayout = f("vkCreatePipelineLayout", fn(I, P, P, P, P));
        destroyPipelineLayout = f("vkDestroyPipelineLayout", proc(P, L, P));
        createComputePipelines = f("vkCreateComputePipelines", fn(I, P, L, I, P, P, P));
        destroyPipeline = f("vkDestroyPipeline", proc(P, L, P));
    }

    private MethodHandle f(String name, FunctionDescriptor d) {
        return Native.bind(name, instance.deviceProcAddr(handle, name), d);
    }

    private static final MemorySegment NULL = MemorySegment.NULL;

    private static long outHandle(MemorySegment out) {
        return out.get(ValueLayout.JAVA_LONG, 0);
    }

    public MemorySegment queue(int family, int index) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ValueLayout.ADDRESS);
            getDeviceQueue.invokeExact(handle, family, index, out);
            return out.get(ValueLayout.ADDRESS, 0);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public void waitIdle() throws VkException {
        int r;
        try {
            r = (int) deviceWaitIdle.invokeExact(handle);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
        VkException.check("vkDeviceWaitIdle", r);
    }

    // Buffers and memory

    public long createBuffer(MemorySegment info) throws VkException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ValueLayout.JAVA_LONG);
            VkException.check("vkCreateBuffer", (int) createBuffer.invokeExact(handle, info, NULL, out));
            return outHandle(out);
        } catch (VkException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public void destroyBuffer(long buffer) {
        try {
            destroyBuffer.invokeExact(handle, buffer, NULL);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public void bufferMemoryRequirements(long buffer, MemorySegment requirements) {
        try {
            getBufferMemoryRequirements.invokeExact(handle, buffer, requirements);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public long allocateMemory(MemorySegment info) throws VkException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ValueLayout.JAVA_LONG);
            VkException.check("vkAllocateMemory", (int) allocateMemory.invokeExact(handle, info, NULL, out));
            return outHandle(out);
        } catch (VkException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public void freeMemory(long memory) {
        try {
            freeMemory.invokeExact(handle, memory, NULL);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public void bindBufferMemory(long buffer, long memory, long offset) throws VkException {
        int r;
        try {
            r = (int) bindBufferMemory.invokeExact(handle, buffer, memory, offset);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
        VkException.check("vkBindBufferMemory", r);
    }

    /** Maps {@code size} bytes of {@code memory}; the segment is valid until {@link #unmapMemory}. */
    public MemorySegment mapMemory(long memory, long offset, long size) throws VkException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ValueLayout.ADDRESS);
            VkException.check("vkMapMemory", (int) mapMemory.invokeExact(handle, memory, offset, size, 0, out));
            return out.get(ValueLayout.ADDRESS, 0).reinterpret(size);
        } catch (VkException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public void unmapMemory(long memory) {
        try {
            unmapMemory.invokeExact(handle, memory);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public long bufferDeviceAddress(long buffer) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment info = Vk.BUFFER_DEVICE_ADDRESS_INFO.allocate(a);
            Vk.BUFFER_DEVICE_ADDRESS_INFO.setLong(info, "buffer", buffer);
            return (long) getBufferDeviceAddress.invokeExact(handle, info);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    // Command pools and buffers (externally synchronized per pool)

    public long createCommandPool(int queueFamily, int flags) throws VkException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment info = Vk.COMMAND_POOL_CREATE_INFO.allocate(a);
            Vk.COMMAND_POOL_CREATE_INFO.setInt(info, "flags", flags);
            Vk.COMMAND_POOL_CREATE_INFO.setInt(info, "queueFamilyIndex", queueFamily);
            MemorySegment out = a.allocate(ValueLayout.JAVA_LONG);
            VkException.check("vkCreateCommandPool", (int) createCommandPool.invokeExact(handle, info, NULL, out));
            return outHandle(out);
        } catch (VkException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public void destroyCommandPool(long pool) {
        try {
            destroyCommandPool.invokeExact(handle, pool, NULL);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public MemorySegment allocateCommandBuffer(long pool) throws VkException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment info = Vk.COMMAND_BUFFER_ALLOCATE_INFO.allocate(a);
            Vk.COMMAND_BUFFER_ALLOCATE_INFO.setLong(info, "commandPool", pool);
            Vk.COMMAND_BUFFER_ALLOCATE_INFO.setInt(info, "level", Vk.COMMAND_BUFFER_LEVEL_PRIMARY);
            Vk.COMMAND_BUFFER_ALLOCATE_INFO.setInt(info, "commandBufferCount", 1);
            MemorySegment out = a.allocate(ValueLayout.ADDRESS);
            VkException.check("vkAllocateCommandBuffers", (int) allocateCommandBuffers.invokeExact(handle, info, out));
            return out.get(ValueLayout.ADDRESS, 0);
        } catch (VkException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public void freeCommandBuffer(long pool, MemorySegment commandBuffer) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment array = a.allocate(ValueLayout.ADDRESS);
            array.set(ValueLayout.ADDRESS, 0, commandBuffer);
            freeCommandBuffers.invokeExact(handle, pool, 1, array);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public void resetCommandBuffer(MemorySegment cmd) throws VkException {
        int r;
        try {
            r = (int) resetCommandBuffer.invokeExact(cmd, 0);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
        VkException.check("vkResetCommandBuffer", r);
    }

    public void beginCommandBuffer(MemorySegment cmd, int flags) throws VkException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment info = Vk.COMMAND_BUFFER_BEGIN_INFO.allocate(a);
            Vk.COMMAND_BUFFER_BEGIN_INFO.setInt(info, "flags", flags);
            VkException.check("vkBeginCommandBuffer", (int) beginCommandBuffer.invokeExact(cmd, info));
        } catch (VkException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public void endCommandBuffer(MemorySegment cmd) throws VkException {
        int r;
        try {
            r = (int) endCommandBuffer.invokeExact(cmd);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
        VkException.check("vkEndCommandBuffer", r);
    }

    /** {@code vkCmdCopyBuffer} with {@code count} {@code VkBufferCopy} regions. */
    public void cmdCopyBuffer(MemorySegment cmd, long src, long dst, MemorySegment regions, int count) {
        try {
            cmdCopyBuffer.invokeExact(cmd, src, dst, count, regions);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public void cmdFillBuffer(MemorySegment cmd, long dst, long offset, long size, int data) {
        try {
            cmdFillBuffer.invokeExact(cmd, dst, offset, size, data);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** A pipeline barrier with one global {@code VkMemoryBarrier} and no buffer or image barriers. */
    public void cmdMemoryBarrier(MemorySegment cmd, int srcStages, int dstStages, MemorySegment memoryBarrier) {
        try {
            cmdPipelineBarrier.invokeExact(cmd, srcStages, dstStages, 0, 1, memoryBarrier, 0, NULL, 0, NULL);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public void cmdBindComputePipeline(MemorySegment cmd, long pipeline) {
        try {
            cmdBindPipeline.invokeExact(cmd, Vk.PIPELINE_BIND_POINT_COMPUTE, pipeline);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public void cmdPushConstants(MemorySegment cmd, long layout, int offset, MemorySegment values) {
        try {
            cmdPushConstants.invokeExact(cmd, layout, Vk.SHADER_STAGE_COMPUTE_BIT, offset, (int) values.byteSize(),
                    values);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public void cmdDispatch(MemorySegment cmd, int x, int y, int z) {
        try {
            cmdDispatch.invokeExact(cmd, x, y, z);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** {@code vkQueueSubmit}; the queue must be externally synchronized by the caller. */
    public void queueSubmit(MemorySegment queue, MemorySegment submitInfos, int count) throws VkException {
        int r;
        try {
            r = (int) queueSubmit.invokeExact(queue, count, submitInfos, 0L);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
        VkException.check("vkQueueSubmit", r);
    }

    // Timeline semaphores

    public long createTimelineSemaphore(long initialValue) throws VkException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment type = Vk.SEMAPHORE_TYPE_CREATE_INFO.allocate(a);
            Vk.SEMAPHORE_TYPE_CREATE_INFO.setInt(type, "semaphoreType", Vk.SEMAPHORE_TYPE_TIMELINE);
            Vk.SEMAPHORE_TYPE_CREATE_INFO.setLong(type, "initialValue", initialValue);
            MemorySegment info = Vk.SEMAPHORE_CREATE_INFO.allocate(a);
            Vk.SEMAPHORE_CREATE_INFO.setPtr(info, "pNext", type);
            MemorySegment out = a.allocate(ValueLayout.JAVA_LONG);
            VkException.check("vkCreateSemaphore", (int) createSemaphore.invokeExact(handle, info, NULL, out));
            return outHandle(out);
        } catch (VkException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public void destroySemaphore(long semaphore) {
        try {
            destroySemaphore.invokeExact(handle, semaphore, NULL);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Waits until the timeline reaches {@code value}; true when it did, false on timeout. */
    public boolean waitSemaphore(long semaphore, long value, long timeoutNanos) throws VkException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment sem = a.allocate(ValueLayout.JAVA_LONG);
            sem.set(ValueLayout.JAVA_LONG, 0, semaphore);
            MemorySegment val = a.allocate(ValueLayout.JAVA_LONG);
            val.set(ValueLayout.JAVA_LONG, 0, value);
            MemorySegment info = Vk.SEMAPHORE_WAIT_INFO.allocate(a);
            Vk.SEMAPHORE_WAIT_INFO.setInt(info, "semaphoreCount", 1);
            Vk.SEMAPHORE_WAIT_INFO.setPtr(info, "pSemaphores", sem);
            Vk.SEMAPHORE_WAIT_INFO.setPtr(info, "pValues", val);
            int r = VkException.check("vkWaitSemaphores", (int) waitSemaphores.invokeExact(handle, info, timeoutNanos));
            return r == Vk.SUCCESS;
        } catch (VkException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public long semaphoreValue(long semaphore) throws VkException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ValueLayout.JAVA_LONG);
            VkException.check("vkGetSemaphoreCounterValue",
                    (int) getSemaphoreCounterValue.invokeExact(handle, semaphore, out));
            return out.get(ValueLayout.JAVA_LONG, 0);
        } catch (VkException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    // Shaders and pipelines

    public long createShaderModule(int[] words) throws VkException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment code = a.allocate(ValueLayout.JAVA_INT, words.length);
            MemorySegment.copy(words, 0, code, ValueLayout.JAVA_INT, 0, words.length);
            MemorySegment info = Vk.SHADER_MODULE_CREATE_INFO.allocate(a);
            Vk.SHADER_MODULE_CREATE_INFO.setLong(info, "codeSize", words.length * 4L);
            Vk.SHADER_MODULE_CREATE_INFO.setPtr(info, "pCode", code);
            MemorySegment out = a.allocate(ValueLayout.JAVA_LONG);
            VkException.check("vkCreateShaderModule", (int) createShaderModule.invokeExact(handle, info, NULL, out));
            return outHandle(out);
        } catch (VkException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public void destroyShaderModule(long module) {
        try {
            destroyShaderModule.invokeExact(handle, module, NULL);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** A layout without descriptor sets and with one compute push-constant range {@code [0, bytes)}. */
    public long createPipelineLayout(int pushConstantBytes) throws VkException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment info = Vk.PIPELINE_LAYOUT_CREATE_INFO.allocate(a);
            if (pushConstantBytes > 0) {
                MemorySegment range = Vk.PUSH_CONSTANT_RANGE.allocate(a);
                Vk.PUSH_CONSTANT_RANGE.setInt(range, "stageFlags", Vk.SHADER_STAGE_COMPUTE_BIT);
                Vk.PUSH_CONSTANT_RANGE.setInt(range, "size", pushConstantBytes);
                Vk.PIPELINE_LAYOUT_CREATE_INFO.setInt(info, "pushConstantRangeCount", 1);
                Vk.PIPELINE_LAYOUT_CREATE_INFO.setPtr(info, "pPushConstantRanges", range);
            }
            MemorySegment out = a.allocate(ValueLayout.JAVA_LONG);
            VkException.check("vkCreatePipelineLayout",
                    (int) createPipelineLayout.invokeExact(handle, info, NULL, out));
            return outHandle(out);
        } catch (VkException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public void destroyPipelineLayout(long layout) {
        try {
            destroyPipelineLayout.invokeExact(handle, layout, NULL);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** {@code vkCreateComputePipelines} for one filled {@code VkComputePipelineCreateInfo}. */
    public long createComputePipeline(MemorySegment info) throws VkException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ValueLayout.JAVA_LONG);
            VkException.check("vkCreateComputePipelines",
                    (int) createComputePipelines.invokeExact(handle, 0L, 1, info, NULL, out));
            return outHandle(out);
        } catch (VkException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public void destroyPipeline(long pipeline) {
        try {
            destroyPipeline.invokeExact(handle, pipeline, NULL);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Destroys the device; every child object must be destroyed first. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            destroyDevice.invokeExact(handle, NULL);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }
}
