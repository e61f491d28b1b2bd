package org.transcuda.cuda;

import java.lang.foreign.MemorySegment;
import org.osgi.annotation.versioning.ProviderType;
import org.transcuda.ir.Module;

/**
 * A CUDA context ({@code CUcontext}). Safe to use from several threads. When the backend it runs on is
 * removed from the platform, every call fails with {@link CUresult#CUDA_ERROR_DEVICE_UNAVAILABLE}.
 */
@ProviderType
public interface CudaContext extends AutoCloseable {
    CudaDevice device();

    /** cuMemAlloc: a device pointer. */
    long malloc(long bytes) throws CudaException;

    /** cuMemFree. */
    void free(long devicePointer) throws CudaException;

    /** cuMemcpyHtoD from a host segment (heap or native). */
    void memcpyHtoD(long dst, MemorySegment src) throws CudaException;

    /** cuMemcpyDtoH into a host segment. */
    void memcpyDtoH(MemorySegment dst, long src) throws CudaException;

    /** cuMemcpyDtoD. */
    void memcpyDtoD(long dst, long src, long bytes) throws CudaException;

    /** cuMemsetD8. */
    void memsetD8(long dst, byte value, long count) throws CudaException;

    /** cuMemsetD16. */
    void memsetD16(long dst, short value, long count) throws CudaException;

    /** cuMemsetD32. */
    void memsetD32(long dst, int value, long count) throws CudaException;

    /**
     * cuMemAllocPitch: {@code height} rows of at least {@code widthBytes}, each row aligned so that an element
     * of {@code elementSize} (4, 8 or 16) bytes starts aligned; the pitch is a multiple of 512 bytes.
     */
    Pitched mallocPitch(long widthBytes, long height, int elementSize) throws CudaException;

    /**
     * cuMemcpy2D between device memory ({@code dst}/{@code src} device pointers) and host segments:
     * copies {@code height} rows of {@code widthBytes}; exactly one of {@code dstHost}/{@code dst} and one of
     * {@code srcHost}/{@code src} is used (a non-null segment wins).
     */
    void memcpy2D(MemorySegment dstHost, long dst, long dstPitch, MemorySegment srcHost, long src, long srcPitch,
            long widthBytes, long height) throws CudaException;

    /** cuMemGetAddressRange: the allocation containing {@code pointer}; CUDA_ERROR_NOT_FOUND if none. */
    PointerAttributes pointerAttributes(long pointer) throws CudaException;

    /** cuMemGetInfo: {free, total} bytes of the device as this context sees it. */
    long[] memoryInfo() throws CudaException;

    /**
     * cuMemAllocHost: page-locked host memory usable in async copies. Its address is also accepted by
     * {@link #pointerAttributes}. Freed by {@link #freeHost}.
     */
    MemorySegment mallocHost(long bytes) throws CudaException;

    /** cuMemFreeHost. */
    void freeHost(MemorySegment host) throws CudaException;

    /** Loads a module already translated to the IR. */
    CudaModule loadModule(Module module) throws CudaException;

    /** cuStreamCreate. */
    CudaStream createStream() throws CudaException;

    /** The context's default (NULL) stream. */
    CudaStream defaultStream() throws CudaException;

    /** cuEventCreate. */
    CudaEvent createEvent() throws CudaException;

    /** cuCtxSynchronize. */
    void synchronize() throws CudaException;

    /** cuCtxDestroy: frees everything the context owns. Idempotent. */
    @Override
    void close() throws CudaException;
}
