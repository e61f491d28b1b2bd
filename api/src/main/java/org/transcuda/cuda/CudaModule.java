package org.transcuda.cuda;

import org.osgi.annotation.versioning.ProviderType;

/** A loaded module ({@code CUmodule}). */
@ProviderType
public interface CudaModule extends AutoCloseable {
    /** cuModuleGetFunction; CUDA_ERROR_NOT_FOUND for an unknown name. */
    @CudaApi({"cuModuleGetFunction"})
    CudaFunction function(String name) throws CudaException;

    /** cuModuleGetGlobal: {device pointer, size in bytes} of a module variable; CUDA_ERROR_NOT_FOUND if none. */
    @CudaApi({"cuModuleGetGlobal", "cuModuleGetGlobal_v2"})
    long[] global(String name) throws CudaException;

    /** cuModuleGetFunctionCount: the module's kernels. */
    @CudaApi({"cuModuleGetFunctionCount"})
    int functionCount() throws CudaException;

    /** cuModuleEnumerateFunctions: every kernel of the module. */
    @CudaApi({"cuModuleEnumerateFunctions"})
    java.util.List<CudaFunction> functions() throws CudaException;

    /** cuModuleUnload. */
    @Override
    @CudaApi({"cuModuleUnload"})
    void close() throws CudaException;
}
