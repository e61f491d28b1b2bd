package org.transcuda.cuda;

import java.lang.foreign.MemorySegment;
import org.osgi.annotation.versioning.ProviderType;

/** A stream ({@code CUstream}): work enqueued on it runs in order. */
@ProviderType
public interface CudaStream extends AutoCloseable {
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

    /** cuStreamDestroy. */
    @Override
    @CudaApi({"cuStreamDestroy", "cuStreamDestroy_v2"})
    void close() throws CudaException;
}
