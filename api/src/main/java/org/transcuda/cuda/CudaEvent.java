package org.transcuda.cuda;

import org.osgi.annotation.versioning.ProviderType;

/** An event ({@code CUevent}). */
@ProviderType
public interface CudaEvent extends AutoCloseable {
    /** CU_EVENT_DEFAULT. */
    int DEFAULT_FLAGS = 0x0;
    /** CU_EVENT_BLOCKING_SYNC: synchronize blocks the thread (the only way waiting works here). */
    int BLOCKING_SYNC = 0x1;
    /** CU_EVENT_DISABLE_TIMING: the event records no time; elapsed time is CUDA_ERROR_INVALID_HANDLE. */
    int DISABLE_TIMING = 0x2;
    /** CU_EVENT_INTERPROCESS (with DISABLE_TIMING): not supported here. */
    int INTERPROCESS = 0x4;

    /** The flags the event was created with. */
    int flags();
    /** cuEventRecord. */
    @CudaApi({"cuEventRecord"})
    void record(CudaStream stream) throws CudaException;

    /**
     * cuEventRecordWithFlags: CU_EVENT_RECORD_DEFAULT (0) or CU_EVENT_RECORD_EXTERNAL (1, which differs only
     * inside stream capture, not offered here: both record); others are CUDA_ERROR_INVALID_VALUE.
     */
    @CudaApi({"cuEventRecordWithFlags"})
    default void record(CudaStream stream, int flags) throws CudaException {
        if (flags != 0 && flags != 1) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE, "event record flags " + flags);
        }
        record(stream);
    }

    /** cuEventQuery: true when the recorded work has completed. */
    @CudaApi({"cuEventQuery"})
    boolean query() throws CudaException;

    /** cuEventSynchronize. */
    @CudaApi({"cuEventSynchronize"})
    void synchronize() throws CudaException;

    /**
     * cuEventElapsedTime in milliseconds from {@code start} to this event; CUDA_ERROR_NOT_READY when
     * either has not completed, CUDA_ERROR_INVALID_HANDLE when either was never recorded or was created with
     * {@link #DISABLE_TIMING}.
     */
    @CudaApi({"cuEventElapsedTime", "cuEventElapsedTime_v2"})
    float elapsedTimeSince(CudaEvent start) throws CudaException;

    /** cuEventDestroy. */
    @Override
    @CudaApi({"cuEventDestroy", "cuEventDestroy_v2"})
    void close() throws CudaException;
}
