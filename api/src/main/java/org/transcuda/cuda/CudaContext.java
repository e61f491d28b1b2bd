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
    @CudaApi({"cuCtxGetDevice"})
    CudaDevice device();

    /** cuMemAlloc: a device pointer. */
    @CudaApi({"cuMemAlloc", "cuMemAlloc_v2"})
    long malloc(long bytes) throws CudaException;

    /** cuMemFree. */
    @CudaApi({"cuMemFree", "cuMemFree_v2"})
    void free(long devicePointer) throws CudaException;

    /** cuMemcpyHtoD from a host segment (heap or native). */
    @CudaApi({"cuMemcpyHtoD", "cuMemcpyHtoD_v2"})
    void memcpyHtoD(long dst, MemorySegment src) throws CudaException;

    /** cuMemcpyDtoH into a host segment. */
    @CudaApi({"cuMemcpyDtoH", "cuMemcpyDtoH_v2"})
    void memcpyDtoH(MemorySegment dst, long src) throws CudaException;

    /** cuMemcpyDtoD. */
    @CudaApi({"cuMemcpyDtoD", "cuMemcpyDtoD_v2"})
    void memcpyDtoD(long dst, long src, long bytes) throws CudaException;

    /** cuMemsetD8. */
    @CudaApi({"cuMemsetD8", "cuMemsetD8_v2"})
    void memsetD8(long dst, byte value, long count) throws CudaException;

    /** cuMemsetD16. */
    @CudaApi({"cuMemsetD16", "cuMemsetD16_v2"})
    void memsetD16(long dst, short value, long count) throws CudaException;

    /** cuMemsetD32. */
    @CudaApi({"cuMemsetD32", "cuMemsetD32_v2"})
    void memsetD32(long dst, int value, long count) throws CudaException;

    /**
     * cuMemAllocPitch: {@code height} rows of at least {@code widthBytes}, each row aligned so that an element
     * of {@code elementSize} (4, 8 or 16) bytes starts aligned; the pitch is a multiple of 512 bytes.
     */
    @CudaApi({"cuMemAllocPitch", "cuMemAllocPitch_v2"})
    Pitched mallocPitch(long widthBytes, long height, int elementSize) throws CudaException;

    /**
     * cuMemcpy2D between device memory ({@code dst}/{@code src} device pointers) and host segments:
     * copies {@code height} rows of {@code widthBytes}; exactly one of {@code dstHost}/{@code dst} and one of
     * {@code srcHost}/{@code src} is used (a non-null segment wins).
     */
    @CudaApi({"cuMemcpy2D", "cuMemcpy2D_v2", "cuMemcpy2DUnaligned", "cuMemcpy2DUnaligned_v2"})
    void memcpy2D(MemorySegment dstHost, long dst, long dstPitch, MemorySegment srcHost, long src, long srcPitch,
            long widthBytes, long height) throws CudaException;

    /** cuMemGetAddressRange: the allocation containing {@code pointer}; CUDA_ERROR_NOT_FOUND if none. */
    @CudaApi({"cuMemGetAddressRange", "cuMemGetAddressRange_v2", "cuPointerGetAttribute", "cuPointerGetAttributes"})
    PointerAttributes pointerAttributes(long pointer) throws CudaException;

    /** cuMemGetInfo: {free, total} bytes of the device as this context sees it. */
    @CudaApi({"cuMemGetInfo", "cuMemGetInfo_v2"})
    long[] memoryInfo() throws CudaException;

    /**
     * cuMemAllocHost: page-locked host memory usable in async copies. Its address is also accepted by
     * {@link #pointerAttributes}. Freed by {@link #freeHost}.
     */
    @CudaApi({"cuMemAllocHost", "cuMemAllocHost_v2", "cuMemHostAlloc"})
    MemorySegment mallocHost(long bytes) throws CudaException;

    /** cuMemFreeHost. */
    @CudaApi({"cuMemFreeHost"})
    void freeHost(MemorySegment host) throws CudaException;

    /**
     * cuModuleLoadData of PTX text: translates it (once) and loads it. Malformed PTX is
     * CUDA_ERROR_INVALID_PTX with the parser's {@code file:line:col} message; a function that could not be
     * translated fails when it is looked up, with its reason, and the rest of the module stays usable.
     */
    @CudaApi({"cuModuleLoadData", "cuModuleLoadDataEx"})
    CudaModule loadModule(String fileName, CharSequence ptx) throws CudaException;

    /** Loads a module already translated to the IR. */
    CudaModule loadModule(Module module) throws CudaException;

    /** cuStreamCreate. */
    @CudaApi({"cuStreamCreate"})
    CudaStream createStream() throws CudaException;

    /** The context's default (NULL) stream. */
    CudaStream defaultStream() throws CudaException;

    /** cuEventCreate. */
    @CudaApi({"cuEventCreate"})
    CudaEvent createEvent() throws CudaException;

    /** cuCtxSynchronize. */
    @CudaApi({"cuCtxSynchronize"})
    void synchronize() throws CudaException;

    /** cuCtxDestroy: frees everything the context owns. Idempotent. */
    @Override
    @CudaApi({"cuCtxDestroy", "cuCtxDestroy_v2"})
    void close() throws CudaException;
}
