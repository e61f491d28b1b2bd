package org.transcuda.cuda;

import org.osgi.annotation.versioning.ProviderType;

/** An event ({@code CUevent}). */
@ProviderType
public interface CudaEvent extends AutoCloseable {
    /** cuEventRecord. */
    void record(CudaStream stream) throws CudaException;

    /** cuEventQuery: true when the recorded work has completed. */
    boolean query() throws CudaException;

    /** cuEventSynchronize. */
    void synchronize() throws CudaException;

    /**
     * cuEventElapsedTime in milliseconds from {@code start} to this event; CUDA_ERROR_NOT_READY when
     * either has not completed, CUDA_ERROR_INVALID_HANDLE when either was never recorded.
     */
    float elapsedTimeSince(CudaEvent start) throws CudaException;

    /** cuEventDestroy. */
    @Override
    void close() throws CudaException;
}
