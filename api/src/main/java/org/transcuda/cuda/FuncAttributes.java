package org.transcuda.cuda;

/**
 * cudaFuncAttributes: what cudaFuncGetAttributes reports, each field equal to the matching
 * {@link CUfunction_attribute} of {@link CudaFunction#attribute}.
 */
public record FuncAttributes(long sharedSizeBytes, long constSizeBytes, long localSizeBytes, int maxThreadsPerBlock,
        int numRegs, int ptxVersion, int binaryVersion, int cacheModeCA, int maxDynamicSharedSizeBytes,
        int preferredShmemCarveout) {
}
