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
