package org.transcuda.cuda;

import org.osgi.annotation.versioning.ProviderType;

/** An event ({@code CUevent}). */
@ProviderType
public interface CudaEvent extends AutoCloseable {
    /** cuEventRecord. */
    @CudaApi({"cuEventRecord"})
    void record(CudaStream stream) throws CudaException;

    /** cuEventQuery: true when the recorded work has completed. */
    @CudaApi({"cuEventQuery"})
    boolean query() throws CudaException;

    /** cuEventSynchronize. */
    @CudaApi({"cuEventSynchronize"})
    void synchronize() throws CudaException;

    /**
     * cuEventElapsedTime in milliseconds from {@code start} to this event; CUDA_ERROR_NOT_READY when
     * either has not completed, CUDA_ERROR_INVALID_HANDLE when either was never recorded.
     */
    @CudaApi({"cuEventElapsedTime", "cuEventElapsedTime_v2"})
    float elapsedTimeSince(CudaEvent start) throws CudaException;

    /** cuEventDestroy. */
    @Override
    @CudaApi({"cuEventDestroy", "cuEventDestroy_v2"})
    void close() throws CudaException;
}
