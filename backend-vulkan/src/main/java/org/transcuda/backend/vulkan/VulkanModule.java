package org.transcuda.backend.vulkan;

import java.util.LinkedHashMap;
import java.util.Map;
import org.transcuda.cuda.CUresult;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendModule;

/** Kernels loaded together; closing the module waits for the context's streams, then frees its pipelines. */
final class VulkanModule implements BackendModule {
    private final VulkanContext ctx;
    private final String name;
    private final Map<String, VulkanFunction> functions = new LinkedHashMap<>();
    private volatile boolean closed;

    VulkanModule(VulkanContext ctx, String name) {
        this.ctx = ctx;
        this.name = name;
    }

    void add(VulkanFunction f) {
        functions.put(f.kernel().name(), f);
    }

    String name() {
        return name;
    }

    @Override
    public VulkanFunction function(String functionName) throws BackendException {
        if (closed) throw new BackendException(CUresult.CUDA_ERROR_INVALID_HANDLE, "module " + name + " is unloaded");
        VulkanFunction f = functions.get(functionName);
        if (f == null) {
            throw new BackendException(CUresult.CUDA_ERROR_NOT_FOUND, "module " + name + " has no kernel " + functionName);
        }
        return f;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        for (VulkanFunction f : functions.values()) f.retire();
        ctx.unload(this);
    }

    /** Destroys the Vulkan objects of every function (the caller made sure the GPU is done with them). */
    void destroy() {
        closed = true;
        for (VulkanFunction f : functions.values()) f.destroy();
    }
}
