package org.transcuda.backend.vulkan;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.transcuda.backend.vulkan.vk.Struct;
import org.transcuda.backend.vulkan.vk.Vk;
import org.transcuda.backend.vulkan.vk.VkException;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.Dim3;
import org.transcuda.ir.Function;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;
import org.transcuda.spi.LaunchConfig;

/**
 * A kernel loaded into one context: its {@code VkShaderModule}, its pipeline layout (push constants only:
 * every buffer is reached by device address, so there are no descriptor sets) and its compute pipelines,
 * one per (block size, dynamic shared bytes), created on first launch with that shape.
 */
final class VulkanFunction implements BackendFunction {
    /** The specialization a pipeline is compiled for. */
    record Shape(int x, int y, int z, int dynamicShared) {
    }

    private final VulkanContext ctx;
    private final VulkanKernel kernel;
    private final Function ir;
    private final long shaderModule;
    private final long layout;
    private final Map<Shape, Long> pipelines = new ConcurrentHashMap<>();
    private volatile boolean destroyed;
    private volatile boolean retired;

    /** Decodes a failed assert's recorded addresses into CUDA's message. */
    interface FaultDecoder {
        String describe(long message, long file, int line, long function);
    }

    /** Set for kernels that can trap or assert: the stream checks the fault record after their launches. */
    volatile FaultDecoder faultDecoder;

    /**
     * Set for kernels that call printf: reads the format and {@code %s} strings at the generic addresses the records
     * hold; the stream prints the printf buffer after their launches.
     */
    volatile java.util.function.LongFunction<String> strings;

    VulkanFunction(VulkanContext ctx, VulkanKernel kernel) throws BackendException {
        this.ctx = ctx;
        this.kernel = kernel;
        this.ir = kernel.ir();
        PhysicalDeviceInfo info = ctx.info;
        if (kernel.argBytes() > KernelAbi.MAX_ARGS_BYTES) {
            throw new BackendException(CUresult.CUDA_ERROR_INVALID_IMAGE, kernel.name() + ": " + kernel.argBytes()
                    + " bytes of arguments, CUDA allows " + KernelAbi.MAX_ARGS_BYTES);
        }
        if (kernel.pushConstantBytes() > info.maxPushConstantsSize) {
            throw new BackendException(CUresult.CUDA_ERROR_INVALID_IMAGE, kernel.name() + ": "
                    + kernel.pushConstantBytes() + " bytes of push constants, " + info.name + " allows "
                    + info.maxPushConstantsSize + " (use ArgsMode.BUFFER)");
        }
        if (kernel.staticSharedBytes() > info.maxComputeSharedMemorySize) {
            throw new BackendException(CUresult.CUDA_ERROR_INVALID_IMAGE, kernel.name() + ": "
                    + kernel.staticSharedBytes() + " bytes of static shared memory, " + info.name + " has "
                    + info.maxComputeSharedMemorySize);
        }
        int sg = kernel.requiredSubgroupSize();
        if (sg != 0 && !(info.has("subgroupSizeControl") && sg >= info.minSubgroupSize && sg <= info.maxSubgroupSize
                && (info.requiredSubgroupSizeStages & Vk.SHADER_STAGE_COMPUTE_BIT) != 0)) {
            throw new BackendException(CUresult.CUDA_ERROR_NOT_SUPPORTED, kernel.name() + " needs subgroups of " + sg
                    + "; " + info.name + " has " + info.minSubgroupSize + ".." + info.maxSubgroupSize
                    + (info.has("subgroupSizeControl") ? "" : " without subgroupSizeControl"));
        }
        long module = ctx.dev.createShaderModule(kernel.spirv());
        ctx.ledger.created(Ledger.Kind.SHADER_MODULE);
        long l;
        try {
            l = ctx.dev.createPipelineLayout(kernel.pushConstantBytes());
        } catch (VkException e) {
            ctx.dev.destroyShaderModule(module);
            ctx.ledger.destroyed(Ledger.Kind.SHADER_MODULE);
            throw e;
        }
        ctx.ledger.created(Ledger.Kind.PIPELINE_LAYOUT);
        this.shaderModule = module;
        this.layout = l;
    }

    VulkanContext context() {
        return ctx;
    }

    VulkanKernel kernel() {
        return kernel;
    }

    long layout() {
        return layout;
    }

    /** True once its module is closing: no new launches. */
    boolean isRetired() {
        return retired || destroyed;
    }

    void retire() {
        retired = true;
    }

    @Override
    public Function ir() {
        return ir;
    }

    @Override
    public int maxThreadsPerBlock() {
        int max = Math.min(1024, ctx.info.maxComputeWorkGroupInvocations);
        return kernel.maxThreadsPerBlock() > 0 ? Math.min(max, kernel.maxThreadsPerBlock()) : max;
    }

    @Override
    public int staticSharedBytes() {
        return kernel.staticSharedBytes();
    }

    /** Checks a launch's geometry against the device and the kernel; CUDA_ERROR_INVALID_VALUE if it does not fit. */
    void check(LaunchConfig config) throws BackendException {
        Dim3 b = config.block();
        PhysicalDeviceInfo info = ctx.info;
        if (b.x() > info.maxComputeWorkGroupSize[0] || b.y() > info.maxComputeWorkGroupSize[1]
                || b.z() > info.maxComputeWorkGroupSize[2] || b.volume() > maxThreadsPerBlock()) {
            throw new BackendException(CUresult.CUDA_ERROR_INVALID_VALUE, kernel.name() + ": block " + b
                    + " exceeds the limit of " + maxThreadsPerBlock() + " threads, ("
                    + info.maxComputeWorkGroupSize[0] + "," + info.maxComputeWorkGroupSize[1] + ","
                    + info.maxComputeWorkGroupSize[2] + ")");
        }
        long shared = (long) kernel.staticSharedBytes() + config.dynamicSharedBytes();
        if (shared > info.maxComputeSharedMemorySize) {
            throw new BackendException(CUresult.CUDA_ERROR_INVALID_VALUE, kernel.name() + ": " + shared
                    + " bytes of shared memory, " + info.name + " has " + info.maxComputeSharedMemorySize);
        }
        Dim3 g = config.grid();
        if (g.y() > 65535 || g.z() > 65535) {
            throw new BackendException(CUresult.CUDA_ERROR_INVALID_VALUE, kernel.name() + ": grid " + g
                    + " exceeds CUDA's (2^31-1, 65535, 65535)");
        }
    }

    /** The pipeline for a launch shape, compiled on first use. */
    long pipeline(LaunchConfig config) throws BackendException {
        Shape shape = new Shape(config.block().x(), config.block().y(), config.block().z(),
                config.dynamicSharedBytes());
        Long p = pipelines.get(shape);
        if (p != null) return p;
        synchronized (this) {
            if (destroyed) throw new BackendException(CUresult.CUDA_ERROR_INVALID_HANDLE, "module unloaded");
            p = pipelines.get(shape);
            if (p == null) {
                p = createPipeline(shape);
                pipelines.put(shape, p);
            }
            return p;
        }
    }

    private long createPipeline(Shape shape) throws BackendException {
        try (Arena a = Arena.ofConfined()) {
            int[] values = {shape.x, shape.y, shape.z, shape.dynamicShared};
            MemorySegment data = a.allocate(ValueLayout.JAVA_INT, values.length);
            MemorySegment.copy(values, 0, data, ValueLayout.JAVA_INT, 0, values.length);
            Struct me = Vk.SPECIALIZATION_MAP_ENTRY;
            MemorySegment entries = me.allocate(a, KernelAbi.SPEC_COUNT);
            for (int i = 0; i < KernelAbi.SPEC_COUNT; i++) {
                MemorySegment e = me.element(entries, i);
                me.setInt(e, "constantID", i);
                me.setInt(e, "offset", 4 * i);
                me.setLong(e, "size", 4);
            }
            MemorySegment spec = Vk.SPECIALIZATION_INFO.allocate(a);
            Vk.SPECIALIZATION_INFO.setInt(spec, "mapEntryCount", KernelAbi.SPEC_COUNT);
            Vk.SPECIALIZATION_INFO.setPtr(spec, "pMapEntries", entries);
            Vk.SPECIALIZATION_INFO.setLong(spec, "dataSize", data.byteSize());
            Vk.SPECIALIZATION_INFO.setPtr(spec, "pData", data);

            Struct ci = Vk.COMPUTE_PIPELINE_CREATE_INFO;
            Struct st = Vk.PIPELINE_SHADER_STAGE_CREATE_INFO;
            MemorySegment info = ci.allocate(a);
            MemorySegment stage = ci.slice(info, "stage");
            st.setInt(stage, "sType", Vk.STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO);
            st.setInt(stage, "stage", Vk.SHADER_STAGE_COMPUTE_BIT);
            st.setLong(stage, "module", shaderModule);
            st.setPtr(stage, "pName", a.allocateFrom(kernel.name()));
            st.setPtr(stage, "pSpecializationInfo", spec);
            if (kernel.requiredSubgroupSize() != 0) {
                MemorySegment rs = Vk.PIPELINE_SHADER_STAGE_REQUIRED_SUBGROUP_SIZE_CREATE_INFO.allocate(a);
                Vk.PIPELINE_SHADER_STAGE_REQUIRED_SUBGROUP_SIZE_CREATE_INFO.setInt(rs, "requiredSubgroupSize",
                        kernel.requiredSubgroupSize());
                st.setPtr(stage, "pNext", rs);
            }
            ci.setLong(info, "layout", layout);
            ci.setInt(info, "basePipelineIndex", -1);
            long pipeline = ctx.dev.createComputePipeline(info);
            ctx.ledger.created(Ledger.Kind.PIPELINE);
            return pipeline;
        }
    }

    /** Number of pipelines compiled so far. */
    int pipelineCount() {
        return pipelines.size();
    }

    /** Destroys the pipelines, layout and shader module; the GPU must be done with them. */
    synchronized void destroy() {
        if (destroyed) return;
        destroyed = true;
        for (long p : pipelines.values()) {
            ctx.dev.destroyPipeline(p);
            ctx.ledger.destroyed(Ledger.Kind.PIPELINE);
        }
        pipelines.clear();
        ctx.dev.destroyPipelineLayout(layout);
        ctx.ledger.destroyed(Ledger.Kind.PIPELINE_LAYOUT);
        ctx.dev.destroyShaderModule(shaderModule);
        ctx.ledger.destroyed(Ledger.Kind.SHADER_MODULE);
    }
}
