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
    @CudaApi({"cuCtxGetDevice", "cuCtxGetDevice_v2"})
    CudaDevice device();

    /** cuCtxGetId: unique among the process's contexts. */
    @CudaApi({"cuCtxGetId"})
    long id() throws CudaException;

    /** cuCtxGetFlags. */
    @CudaApi({"cuCtxGetFlags"})
    int flags() throws CudaException;

    /** cuCtxSetFlags: CU_CTX_* flags as for cuCtxCreate; others are CUDA_ERROR_INVALID_VALUE. */
    @CudaApi({"cuCtxSetFlags"})
    void setFlags(int flags) throws CudaException;

    /** cuCtxGetCacheConfig: the preference last set (CU_FUNC_CACHE_PREFER_NONE by default). */
    @CudaApi({"cuCtxGetCacheConfig"})
    int cacheConfig() throws CudaException;

    /** cuCtxSetCacheConfig: 0..3, recorded; others are CUDA_ERROR_INVALID_VALUE. */
    @CudaApi({"cuCtxSetCacheConfig"})
    void setCacheConfig(int config) throws CudaException;

    /** cuCtxEnablePeerAccess: CUDA_ERROR_PEER_ACCESS_UNSUPPORTED (see {@link CudaDevice#canAccessPeer}). */
    @CudaApi({"cuCtxEnablePeerAccess"})
    void enablePeerAccess(CudaContext peer, int flags) throws CudaException;

    /** cuCtxDisablePeerAccess: CUDA_ERROR_PEER_ACCESS_NOT_ENABLED, as access is never enabled. */
    @CudaApi({"cuCtxDisablePeerAccess"})
    void disablePeerAccess(CudaContext peer) throws CudaException;

    /**
     * cuMemcpy with unified addressing: each pointer is device memory of this context when it lies in one of
     * its allocations, else host memory (a raw address, which must be valid, as in CUDA). Waits for the copy.
     */
    @CudaApi({"cuMemcpy"})
    void memcpy(long dst, long src, long bytes) throws CudaException;

    /**
     * cuMemcpyPeer: from device memory of {@code srcContext} to device memory of this context, staged
     * through host memory; waits for earlier work of both contexts' legacy streams.
     */
    @CudaApi({"cuMemcpyPeer"})
    void memcpyPeer(long dst, long src, CudaContext srcContext, long bytes) throws CudaException;

    /** cuMemsetD2D8 / D2D16 / D2D32: {@code height} rows of {@code width} elements, {@code pitch} bytes apart. */
    @CudaApi({"cuMemsetD2D8", "cuMemsetD2D8_v2", "cuMemsetD2D16", "cuMemsetD2D16_v2", "cuMemsetD2D32",
            "cuMemsetD2D32_v2"})
    void memsetD2D(long dst, long pitch, int value, int elementSize, long width, long height) throws CudaException;

    /**
     * cuMemHostRegister: page-locks existing host memory for this context (reported by
     * {@link #pointerAttributes} as HOST and by {@link #hostFlags}); flags PORTABLE 1, DEVICEMAP 2, IOMEMORY 4,
     * READ_ONLY 8. Overlapping an earlier registration is CUDA_ERROR_HOST_MEMORY_ALREADY_REGISTERED.
     */
    @CudaApi({"cuMemHostRegister", "cuMemHostRegister_v2"})
    void registerHost(MemorySegment host, int flags) throws CudaException;

    /** cuMemHostUnregister: CUDA_ERROR_HOST_MEMORY_NOT_REGISTERED unless {@code host} starts a registration. */
    @CudaApi({"cuMemHostUnregister"})
    void unregisterHost(MemorySegment host) throws CudaException;

    /**
     * cuMemAdvise: advice 1..6 (CU_MEM_ADVISE_*) on a range inside one managed allocation, for a device
     * ordinal or CU_DEVICE_CPU (-1); checked as CUDA checks it. Managed memory is host memory the device
     * addresses directly, so no advice changes where it lives.
     */
    @CudaApi({"cuMemAdvise", "cuMemAdvise_v2"})
    void memAdvise(long pointer, long bytes, int advice, int device) throws CudaException;

    /**
     * cuModuleLoad: a PTX file; CUDA_ERROR_FILE_NOT_FOUND when it cannot be read, CUDA_ERROR_NO_BINARY_FOR_GPU
     * for a binary image (cubin/fatbin/ELF: no GPU code here can run it), CUDA_ERROR_INVALID_PTX for PTX that
     * does not parse, CUDA_ERROR_UNSUPPORTED_PTX_VERSION for a {@code .version} newer than implemented (as
     * {@link #loadModule(String, CharSequence)}).
     */
    @CudaApi({"cuModuleLoad"})
    CudaModule loadModule(java.nio.file.Path file) throws CudaException;

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

    /** cuPointerGetAttributes: the allocation containing {@code pointer}; CUDA_ERROR_NOT_FOUND if none. */
    @CudaApi({"cuPointerGetAttribute", "cuPointerGetAttributes"})
    PointerAttributes pointerAttributes(long pointer) throws CudaException;

    /** cuMemGetInfo: {free, total} bytes of the device as this context sees it. */
    @CudaApi({"cuMemGetInfo", "cuMemGetInfo_v2"})
    long[] memoryInfo() throws CudaException;

    /**
     * cuMemAllocHost: page-locked host memory usable in async copies. Its address is also accepted by
     * {@link #pointerAttributes}. Freed by {@link #freeHost}. On a backend whose device memory the host
     * addresses it is a device allocation (kernels reach it, see {@link #hostDevicePointer}).
     */
    @CudaApi({"cuMemAllocHost", "cuMemAllocHost_v2"})
    MemorySegment mallocHost(long bytes) throws CudaException;

    /**
     * cuMemHostAlloc: as {@link #mallocHost}, with CU_MEMHOSTALLOC_* flags (PORTABLE 1, DEVICEMAP 2,
     * WRITECOMBINED 4; others are CUDA_ERROR_INVALID_VALUE), reported by {@link #hostFlags}.
     */
    @CudaApi({"cuMemHostAlloc"})
    MemorySegment mallocHost(long bytes, int flags) throws CudaException;

    /** cuMemFreeHost. */
    @CudaApi({"cuMemFreeHost"})
    void freeHost(MemorySegment host) throws CudaException;

    /**
     * cuModuleLoadData of PTX text: translates it (once) and loads it. Malformed PTX is
     * CUDA_ERROR_INVALID_PTX with the parser's {@code file:line:col} message, a {@code .version} newer than the newest
     * PTX ISA implemented (9.0, CUDA 13.0's) CUDA_ERROR_UNSUPPORTED_PTX_VERSION with such a message, as NVIDIA's driver
     * refuses a PTX ISA newer than it supports; a function that could not be
     * translated fails when it is looked up, with its reason, and the rest of the module stays usable.
     */
    @CudaApi({"cuModuleLoadData", "cuModuleLoadDataEx"})
    CudaModule loadModule(String fileName, CharSequence ptx) throws CudaException;

    /** Loads a module already translated to the IR. */
    CudaModule loadModule(Module module) throws CudaException;

    /** A blocking stream of the lowest priority (cuStreamCreate with CU_STREAM_DEFAULT). */
    CudaStream createStream() throws CudaException;

    /**
     * cuStreamCreate: {@code flags} is {@link CudaStream#DEFAULT_FLAGS} or {@link CudaStream#NON_BLOCKING}
     * (anything else is CUDA_ERROR_INVALID_VALUE).
     */
    @CudaApi({"cuStreamCreate"})
    CudaStream createStream(int flags) throws CudaException;

    /**
     * cuStreamCreateWithPriority: as {@link #createStream(int)}; a priority outside
     * {@link #streamPriorityRange()} is clamped to it, as CUDA does. Priorities are recorded and reported;
     * backends may schedule without them (CUDA treats them as a hint).
     */
    @CudaApi({"cuStreamCreateWithPriority"})
    CudaStream createStream(int flags, int priority) throws CudaException;

    /** cuCtxGetStreamPriorityRange: {least, greatest}; lower numbers are higher priorities. */
    @CudaApi({"cuCtxGetStreamPriorityRange"})
    int[] streamPriorityRange() throws CudaException;

    /** The context's legacy default stream (the NULL stream, CU_STREAM_LEGACY). */
    CudaStream defaultStream() throws CudaException;

    /**
     * The calling host thread's per-thread default stream (CU_STREAM_PER_THREAD): created on first use, a
     * blocking stream (it synchronizes with the legacy default stream, not with other streams), never
     * destroyed by the program; it goes away with the context.
     */
    CudaStream perThreadStream() throws CudaException;

    /**
     * The stream a special handle names: 0 and {@link CudaStream#LEGACY_HANDLE} the legacy default stream,
     * {@link CudaStream#PER_THREAD_HANDLE} the calling thread's per-thread stream; anything else is
     * CUDA_ERROR_INVALID_HANDLE (created streams are objects, not handles, in this API).
     */
    CudaStream specialStream(long handle) throws CudaException;

    /** cuEventCreate with CU_EVENT_DEFAULT. */
    CudaEvent createEvent() throws CudaException;

    /**
     * cuEventCreate: {@code flags} a combination of {@link CudaEvent#BLOCKING_SYNC} and
     * {@link CudaEvent#DISABLE_TIMING}; others (CU_EVENT_INTERPROCESS) are CUDA_ERROR_INVALID_VALUE here.
     */
    @CudaApi({"cuEventCreate"})
    CudaEvent createEvent(int flags) throws CudaException;

    /**
     * cuMemcpy3D: copies {@code depth} slices of {@code height} rows of {@code widthInBytes} between host
     * segments and device memory (see {@link Memcpy3D}); waits for the copy, as cuMemcpy3D does.
     */
    @CudaApi({"cuMemcpy3D", "cuMemcpy3D_v2"})
    void memcpy3D(Memcpy3D copy) throws CudaException;

    /**
     * cuMemAllocManaged: memory usable by the device and, at the same address, by the host
     * ({@code MemorySegment.ofAddress(p).reinterpret(bytes)}). {@code flags} is CU_MEM_ATTACH_GLOBAL (1) or
     * CU_MEM_ATTACH_HOST (2). CUDA_ERROR_NOT_SUPPORTED on a backend whose device memory the host cannot address.
     */
    @CudaApi({"cuMemAllocManaged"})
    long mallocManaged(long bytes, int flags) throws CudaException;

    /** cuMemGetAddressRange: {base, size} of the device allocation containing {@code pointer}. */
    @CudaApi({"cuMemGetAddressRange", "cuMemGetAddressRange_v2"})
    long[] addressRange(long pointer) throws CudaException;

    /**
     * cuMemHostGetDevicePointer: the device address of page-locked memory from {@link #mallocHost}. On a
     * backend whose device memory the host addresses, page-locked memory is device memory mapped at its own
     * address, so this is {@code hostPointer} itself; elsewhere, and for registered memory, kernels cannot reach
     * host memory: CUDA_ERROR_NOT_SUPPORTED. Other pointers, or flags other than 0, are CUDA_ERROR_INVALID_VALUE.
     */
    @CudaApi({"cuMemHostGetDevicePointer", "cuMemHostGetDevicePointer_v2"})
    long hostDevicePointer(long hostPointer, int flags) throws CudaException;

    /** cuMemHostGetFlags: the flags page-locked memory from {@link #mallocHost} was allocated with. */
    @CudaApi({"cuMemHostGetFlags"})
    int hostFlags(long hostPointer) throws CudaException;

    /** cuCtxGetLimit. */
    @CudaApi({"cuCtxGetLimit"})
    long limit(CUlimit limit) throws CudaException;

    /**
     * cuCtxSetLimit: stack size, printf FIFO size, malloc heap size and the device-runtime limits are
     * recorded and reported back; CU_LIMIT_MAX_L2_FETCH_GRANULARITY takes 0..128; the CIG limits cannot be set
     * (CUDA_ERROR_INVALID_VALUE), and neither can negative values.
     */
    @CudaApi({"cuCtxSetLimit"})
    void setLimit(CUlimit limit, long value) throws CudaException;

    /**
     * cuCtxRecordEvent: {@code event} completes once all work enqueued on every stream of this context at
     * the time of the call has completed. CUDA_ERROR_INVALID_HANDLE for an event of another context.
     */
    @CudaApi({"cuCtxRecordEvent"})
    void recordEvent(CudaEvent event) throws CudaException;

    /** cuCtxWaitEvent: all work enqueued on this context from now on waits for the work {@code event} captured. */
    @CudaApi({"cuCtxWaitEvent"})
    void waitEvent(CudaEvent event) throws CudaException;

    /** cuCtxSynchronize. */
    @CudaApi({"cuCtxSynchronize", "cuCtxSynchronize_v2"})
    void synchronize() throws CudaException;

    /** cuCtxDestroy: frees everything the context owns. Idempotent. */
    @Override
    @CudaApi({"cuCtxDestroy", "cuCtxDestroy_v2"})
    void close() throws CudaException;
}
