package org.transcuda.cuda;

import java.lang.foreign.MemorySegment;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A stream ({@code CUstream}): work enqueued on it runs in order. As in CUDA, the context's legacy default
 * stream ({@link CudaContext#defaultStream()}) synchronizes implicitly with every blocking stream: work
 * enqueued on a blocking stream (created with {@link #DEFAULT_FLAGS}, or a per-thread default stream) waits
 * for the legacy stream's earlier work, and work on the legacy stream waits for the earlier work of every
 * blocking stream. {@link #NON_BLOCKING} streams take part in neither.
 */
@ProviderType
public interface CudaStream extends AutoCloseable {
    /** CU_STREAM_DEFAULT: a blocking stream. */
    int DEFAULT_FLAGS = 0x0;
    /** CU_STREAM_NON_BLOCKING: no implicit synchronization with the legacy default stream. */
    int NON_BLOCKING = 0x1;
    /** The handle value CU_STREAM_LEGACY ({@code (CUstream)0x1}); 0 names the same stream. */
    long LEGACY_HANDLE = 0x1;
    /** The handle value CU_STREAM_PER_THREAD ({@code (CUstream)0x2}): the calling thread's default stream. */
    long PER_THREAD_HANDLE = 0x2;

    /** cuStreamAddCallback's callback: runs on a host thread after earlier work, with the stream's status. */
    @FunctionalInterface
    interface Callback {
        /** {@code status} is CUDA_SUCCESS or the context's persistent (sticky) error. */
        void onComplete(CudaStream stream, CUresult status);
    }

    /** cuStreamGetId: unique among the process's streams (the legacy stream's id is fixed per context). */
    @CudaApi({"cuStreamGetId"})
    long id() throws CudaException;

    /** cuStreamGetDevice. */
    @CudaApi({"cuStreamGetDevice"})
    default CudaDevice device() throws CudaException {
        return context().device();
    }

    /** cuStreamIsCapturing: CU_STREAM_CAPTURE_STATUS_NONE (0): stream capture is not offered. */
    @CudaApi({"cuStreamIsCapturing"})
    default int captureStatus() throws CudaException {
        flags(); // a destroyed stream is CUDA_ERROR_INVALID_HANDLE
        return 0;
    }

    /** cuMemcpyAsync: as {@link CudaContext#memcpy}, in stream order. */
    @CudaApi({"cuMemcpyAsync"})
    void memcpyAsync(long dst, long src, long bytes) throws CudaException;

    /** cuMemcpyPeerAsync: as {@link CudaContext#memcpyPeer}, ordered on this stream (of the destination context). */
    @CudaApi({"cuMemcpyPeerAsync"})
    void memcpyPeerAsync(long dst, long src, CudaContext srcContext, long bytes) throws CudaException;

    /** cuMemsetD2D8Async / D2D16Async / D2D32Async. */
    @CudaApi({"cuMemsetD2D8Async", "cuMemsetD2D16Async", "cuMemsetD2D32Async"})
    void memsetD2DAsync(long dst, long pitch, int value, int elementSize, long width, long height) throws CudaException;

    /**
     * cuMemPrefetchAsync: the range must lie in one managed allocation (CUDA_ERROR_INVALID_VALUE) and
     * {@code device} be a device ordinal or CU_DEVICE_CPU (-1) (CUDA_ERROR_INVALID_DEVICE). Managed memory is
     * host memory that the device addresses directly, so there is nothing to move.
     */
    @CudaApi({"cuMemPrefetchAsync", "cuMemPrefetchAsync_v2"})
    void prefetchAsync(long pointer, long bytes, int device) throws CudaException;

    /** cuStreamGetCtx. */
    @CudaApi({"cuStreamGetCtx", "cuStreamGetCtx_v2"})
    CudaContext context();

    /** cuStreamGetFlags: {@link #DEFAULT_FLAGS} or {@link #NON_BLOCKING}. */
    @CudaApi({"cuStreamGetFlags"})
    int flags() throws CudaException;

    /** cuStreamGetPriority: the priority, clamped to {@link CudaContext#streamPriorityRange()} at creation. */
    @CudaApi({"cuStreamGetPriority"})
    int priority() throws CudaException;
    /**
     * cuLaunchKernel. Checks the geometry against the device's limits (CUDA_ERROR_INVALID_VALUE) and the
     * arguments against the kernel's parameters; returns once the launch is enqueued.
     */
    @CudaApi({"cuLaunchKernel"})
    void launch(CudaFunction function, Dim3 grid, Dim3 block, int dynamicSharedBytes, KernelArgs args)
            throws CudaException;

    /**
     * cuMemcpyHtoDAsync. The source must stay unchanged until the copy has completed (as with pinned
     * memory in CUDA).
     */
    @CudaApi({"cuMemcpyHtoDAsync", "cuMemcpyHtoDAsync_v2"})
    void memcpyHtoDAsync(long dst, MemorySegment src) throws CudaException;

    /** cuMemcpyDtoHAsync; {@code dst} is written when the stream reaches the copy. */
    @CudaApi({"cuMemcpyDtoHAsync", "cuMemcpyDtoHAsync_v2"})
    void memcpyDtoHAsync(MemorySegment dst, long src) throws CudaException;

    /** cuMemcpyDtoDAsync. */
    @CudaApi({"cuMemcpyDtoDAsync", "cuMemcpyDtoDAsync_v2"})
    void memcpyDtoDAsync(long dst, long src, long bytes) throws CudaException;

    /** cuMemsetD8Async / D16Async / D32Async: {@code elementSize} 1, 2 or 4. */
    @CudaApi({"cuMemsetD8Async", "cuMemsetD16Async", "cuMemsetD32Async"})
    void memsetAsync(long dst, int value, int elementSize, long count) throws CudaException;

    /**
     * cuMemcpy2DAsync: as {@link CudaContext#memcpy2D}, in stream order. Host memory must stay unchanged
     * (and alive) until the copy has run.
     */
    @CudaApi({"cuMemcpy2DAsync", "cuMemcpy2DAsync_v2"})
    void memcpy2DAsync(MemorySegment dstHost, long dst, long dstPitch, MemorySegment srcHost, long src, long srcPitch,
            long widthBytes, long height) throws CudaException;

    /** cuMemcpy3DAsync: as {@link CudaContext#memcpy3D}, in stream order. */
    @CudaApi({"cuMemcpy3DAsync", "cuMemcpy3DAsync_v2"})
    void memcpy3DAsync(Memcpy3D copy) throws CudaException;

    /**
     * cuMemAllocAsync: device memory for work enqueued on this stream from now on (the memory is reserved at
     * once). Freed by {@link #freeAsync} or {@link CudaContext#free}.
     */
    @CudaApi({"cuMemAllocAsync"})
    long mallocAsync(long bytes) throws CudaException;

    /**
     * cuMemFreeAsync: frees the allocation once the stream reaches this point; CUDA_ERROR_INVALID_VALUE for a
     * pointer that is not a live allocation of this context (or already being freed).
     */
    @CudaApi({"cuMemFreeAsync"})
    void freeAsync(long devicePointer) throws CudaException;

    /**
     * cuStreamAddCallback: {@code callback} runs on a host thread after all earlier work, in order with
     * the stream's other work.
     */
    @CudaApi({"cuStreamAddCallback"})
    void addCallback(Callback callback) throws CudaException;

    /** cuLaunchHostFunc. */
    @CudaApi({"cuLaunchHostFunc"})
    void launchHostFunc(Runnable function) throws CudaException;

    /** cuStreamWaitEvent: later work on this stream waits for the event's recorded work. */
    @CudaApi({"cuStreamWaitEvent"})
    void waitEvent(CudaEvent event) throws CudaException;

    /** cuStreamSynchronize. */
    @CudaApi({"cuStreamSynchronize"})
    void synchronize() throws CudaException;

    /** cuStreamQuery: true when idle (CUDA_SUCCESS), false for CUDA_ERROR_NOT_READY. */
    @CudaApi({"cuStreamQuery"})
    boolean query() throws CudaException;

    /** cuStreamDestroy; CUDA_ERROR_INVALID_HANDLE for the legacy and per-thread default streams. */
    @Override
    @CudaApi({"cuStreamDestroy", "cuStreamDestroy_v2"})
    void close() throws CudaException;
}
