package org.transcuda.cuda;

import org.osgi.annotation.versioning.ProviderType;

/** A kernel ({@code CUfunction}). */
@ProviderType
public interface CudaFunction {
    String name();

    /** A fresh argument list laid out for this kernel's parameters. */
    KernelArgs newArgs();

    /** CU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK. */
    @CudaApi({"cuFuncGetAttribute"})
    int maxThreadsPerBlock() throws CudaException;
}
