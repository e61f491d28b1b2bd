package org.transcuda.cuda;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The CUDA runtime API's semantics, as the drop-in libcudart forwards them: a current device per host
 * thread, the device's primary context initialized implicitly on first use, and each thread's last error
 * (cudaGetLastError resets it; a sticky error, after a fault, persists in every later call). Pointers are
 * raw 64-bit addresses, host ones included, as in C. Every method records its error as the calling
 * thread's last error before throwing it. Registered as an OSGi service.
 */
@ProviderType
public interface CudaRuntime {
    /** cudaMemcpyKind values. */
    int HOST_TO_HOST = 0;
    int HOST_TO_DEVICE = 1;
    int DEVICE_TO_HOST = 2;
    int DEVICE_TO_DEVICE = 3;
    int DEFAULT = 4;

    @CudaApi("cudaGetDeviceCount")
    int getDeviceCount() throws CudaRuntimeException;

    @CudaApi("cudaSetDevice")
    void setDevice(int device) throws CudaRuntimeException;

    @CudaApi("cudaGetDevice")
    int getDevice() throws CudaRuntimeException;

    @CudaApi("cudaDeviceGetAttribute")
    int deviceGetAttribute(CUdevice_attribute attribute, int device) throws CudaRuntimeException;

    @CudaApi("cudaDeviceSynchronize")
    void deviceSynchronize() throws CudaRuntimeException;

    /** Destroys the current device's primary context; the next call creates a fresh one. */
    @CudaApi("cudaDeviceReset")
    void deviceReset() throws CudaRuntimeException;

    @CudaApi("cudaMalloc")
    long malloc(long size) throws CudaRuntimeException;

    /** {@code cudaFree(0)} succeeds (and initializes the context), as in CUDA. */
    @CudaApi("cudaFree")
    void free(long devicePointer) throws CudaRuntimeException;

    /** Page-locked host memory: its address. */
    @CudaApi({"cudaMallocHost"})
    long mallocHost(long size) throws CudaRuntimeException;

    /** cudaHostAlloc: flags cudaHostAllocPortable 1, Mapped 2, WriteCombined 4 (reported by {@link #hostGetFlags}). */
    @CudaApi({"cudaHostAlloc"})
    long hostAlloc(long size, int flags) throws CudaRuntimeException;

    /** cudaHostGetDevicePointer (see {@link CudaContext#hostDevicePointer}). */
    @CudaApi({"cudaHostGetDevicePointer"})
    long hostGetDevicePointer(long hostPointer, int flags) throws CudaRuntimeException;

    @CudaApi({"cudaHostGetFlags"})
    int hostGetFlags(long hostPointer) throws CudaRuntimeException;

    /** cudaHostRegister: flags Portable 1, Mapped 2, IoMemory 4, ReadOnly 8. */
    @CudaApi({"cudaHostRegister"})
    void hostRegister(long hostPointer, long size, int flags) throws CudaRuntimeException;

    @CudaApi({"cudaHostUnregister"})
    void hostUnregister(long hostPointer) throws CudaRuntimeException;

    @CudaApi({"cudaMemset2D"})
    void memset2D(long devicePointer, long pitch, int value, long widthBytes, long height) throws CudaRuntimeException;

    @CudaApi({"cudaMemset2DAsync"})
    void memset2DAsync(long devicePointer, long pitch, int value, long widthBytes, long height, CudaStream stream)
            throws CudaRuntimeException;

    /** cudaMemcpyPeer: from {@code src} on device {@code srcDevice} to {@code dst} on {@code dstDevice} (primary contexts). */
    @CudaApi({"cudaMemcpyPeer"})
    void memcpyPeer(long dst, int dstDevice, long src, int srcDevice, long count) throws CudaRuntimeException;

    /** cudaMemcpyPeerAsync: ordered on {@code stream} (a stream of the destination device's context). */
    @CudaApi({"cudaMemcpyPeerAsync"})
    void memcpyPeerAsync(long dst, int dstDevice, long src, int srcDevice, long count, CudaStream stream)
            throws CudaRuntimeException;

    @CudaApi({"cudaMemAdvise"})
    void memAdvise(long devicePointer, long count, int advice, int device) throws CudaRuntimeException;

    @CudaApi({"cudaMemPrefetchAsync"})
    void memPrefetchAsync(long devicePointer, long count, int device, CudaStream stream) throws CudaRuntimeException;

    @CudaApi({"cudaDeviceCanAccessPeer"})
    boolean deviceCanAccessPeer(int device, int peerDevice) throws CudaRuntimeException;

    /** cudaDeviceEnablePeerAccess: cudaErrorPeerAccessUnsupported (see {@link CudaDevice#canAccessPeer}). */
    @CudaApi({"cudaDeviceEnablePeerAccess"})
    void deviceEnablePeerAccess(int peerDevice, int flags) throws CudaRuntimeException;

    @CudaApi({"cudaDeviceDisablePeerAccess"})
    void deviceDisablePeerAccess(int peerDevice) throws CudaRuntimeException;

    @CudaApi({"cudaDeviceGetP2PAttribute"})
    int deviceGetP2PAttribute(int attribute, int srcDevice, int dstDevice) throws CudaRuntimeException;

    @CudaApi({"cudaDeviceGetPCIBusId"})
    String deviceGetPCIBusId(int device) throws CudaRuntimeException;

    @CudaApi({"cudaDeviceGetByPCIBusId"})
    int deviceGetByPCIBusId(String busId) throws CudaRuntimeException;

    /** cudaInitDevice: initializes the device's primary context without making it current ({@code flags} 0). */
    @CudaApi({"cudaInitDevice"})
    void initDevice(int device, int deviceFlags, int flags) throws CudaRuntimeException;

    @CudaApi({"cudaDeviceGetCacheConfig"})
    int deviceGetCacheConfig() throws CudaRuntimeException;

    @CudaApi({"cudaDeviceSetCacheConfig"})
    void deviceSetCacheConfig(int config) throws CudaRuntimeException;

    @CudaApi({"cudaStreamGetId"})
    long streamGetId(CudaStream stream) throws CudaRuntimeException;

    @CudaApi({"cudaStreamGetDevice"})
    int streamGetDevice(CudaStream stream) throws CudaRuntimeException;

    /** cudaStreamIsCapturing: cudaStreamCaptureStatusNone (0): capture is not offered. */
    @CudaApi({"cudaStreamIsCapturing"})
    int streamIsCapturing(CudaStream stream) throws CudaRuntimeException;

    @CudaApi({"cudaEventRecordWithFlags"})
    void eventRecordWithFlags(CudaEvent event, CudaStream stream, int flags) throws CudaRuntimeException;

    @CudaApi("cudaFreeHost")
    void freeHost(long hostPointer) throws CudaRuntimeException;

    /** cudaMemcpy with a cudaMemcpyKind; {@link #DEFAULT} infers the direction from the pointers. */
    @CudaApi("cudaMemcpy")
    void memcpy(long dst, long src, long count, int kind) throws CudaRuntimeException;

    @CudaApi("cudaMemset")
    void memset(long devicePointer, int value, long count) throws CudaRuntimeException;

    /** {free, total}. */
    @CudaApi("cudaMemGetInfo")
    long[] memGetInfo() throws CudaRuntimeException;

    /** Returns the calling thread's last error and resets it (unless it is sticky). */
    @CudaApi("cudaGetLastError")
    cudaError getLastError();

    /** Returns the calling thread's last error without resetting it. */
    @CudaApi("cudaPeekAtLastError")
    cudaError peekAtLastError();

    /** cudaGetErrorName ("unrecognized error code" for unknown codes, as CUDA does). */
    @CudaApi("cudaGetErrorName")
    String getErrorName(int code);

    @CudaApi("cudaGetErrorString")
    String getErrorString(int code);

    @CudaApi("cudaRuntimeGetVersion")
    int runtimeGetVersion();

    // ---- devices and contexts ----

    /** cudaGetDeviceProperties: consistent with {@link #deviceGetAttribute} by construction. */
    @CudaApi("cudaGetDeviceProperties")
    DeviceProp getDeviceProperties(int device) throws CudaRuntimeException;

    /**
     * The context runtime calls on this thread use: the driver context current on the thread if there is one
     * (as CUDA does when a program mixes the APIs), else the current device's primary context, which is
     * initialized on first use and made current on the thread.
     */
    CudaContext currentContext() throws CudaRuntimeException;

    @CudaApi("cudaDeviceGetLimit")
    long deviceGetLimit(CUlimit limit) throws CudaRuntimeException;

    @CudaApi("cudaDeviceSetLimit")
    void deviceSetLimit(CUlimit limit, long value) throws CudaRuntimeException;

    // ---- streams and events (a null stream is the legacy default stream) ----

    /** cudaStreamLegacy's handle value; 0 names the same stream. */
    long STREAM_LEGACY = 0x1;
    /** cudaStreamPerThread's handle value. */
    long STREAM_PER_THREAD = 0x2;

    /** The stream a special handle names (0, {@link #STREAM_LEGACY}, {@link #STREAM_PER_THREAD}) in the current context. */
    CudaStream stream(long handle) throws CudaRuntimeException;

    @CudaApi({"cudaStreamCreate", "cudaStreamCreateWithFlags"})
    CudaStream streamCreate(int flags) throws CudaRuntimeException;

    @CudaApi("cudaStreamCreateWithPriority")
    CudaStream streamCreateWithPriority(int flags, int priority) throws CudaRuntimeException;

    /** {least, greatest}. */
    @CudaApi("cudaDeviceGetStreamPriorityRange")
    int[] deviceGetStreamPriorityRange() throws CudaRuntimeException;

    @CudaApi("cudaStreamGetPriority")
    int streamGetPriority(CudaStream stream) throws CudaRuntimeException;

    @CudaApi("cudaStreamGetFlags")
    int streamGetFlags(CudaStream stream) throws CudaRuntimeException;

    @CudaApi("cudaStreamDestroy")
    void streamDestroy(CudaStream stream) throws CudaRuntimeException;

    @CudaApi("cudaStreamSynchronize")
    void streamSynchronize(CudaStream stream) throws CudaRuntimeException;

    /** True for cudaSuccess, false for cudaErrorNotReady (which, as in CUDA, is not recorded as the last error). */
    @CudaApi("cudaStreamQuery")
    boolean streamQuery(CudaStream stream) throws CudaRuntimeException;

    @CudaApi("cudaStreamWaitEvent")
    void streamWaitEvent(CudaStream stream, CudaEvent event) throws CudaRuntimeException;

    @CudaApi("cudaLaunchHostFunc")
    void launchHostFunc(CudaStream stream, Runnable function) throws CudaRuntimeException;

    @CudaApi("cudaStreamAddCallback")
    void streamAddCallback(CudaStream stream, CudaStream.Callback callback) throws CudaRuntimeException;

    @CudaApi({"cudaEventCreate", "cudaEventCreateWithFlags"})
    CudaEvent eventCreate(int flags) throws CudaRuntimeException;

    @CudaApi("cudaEventRecord")
    void eventRecord(CudaEvent event, CudaStream stream) throws CudaRuntimeException;

    @CudaApi("cudaEventSynchronize")
    void eventSynchronize(CudaEvent event) throws CudaRuntimeException;

    /** True when complete; false for cudaErrorNotReady (not recorded as the last error). */
    @CudaApi("cudaEventQuery")
    boolean eventQuery(CudaEvent event) throws CudaRuntimeException;

    @CudaApi("cudaEventElapsedTime")
    float eventElapsedTime(CudaEvent start, CudaEvent end) throws CudaRuntimeException;

    @CudaApi("cudaEventDestroy")
    void eventDestroy(CudaEvent event) throws CudaRuntimeException;

    // ---- memory ----

    /** cudaMemcpyAsync: as {@link #memcpy}, in stream order (host memory must stay valid until it has run). */
    @CudaApi("cudaMemcpyAsync")
    void memcpyAsync(long dst, long src, long count, int kind, CudaStream stream) throws CudaRuntimeException;

    @CudaApi("cudaMemsetAsync")
    void memsetAsync(long devicePointer, int value, long count, CudaStream stream) throws CudaRuntimeException;

    /** {pointer, pitch}. */
    @CudaApi("cudaMallocPitch")
    long[] mallocPitch(long widthBytes, long height) throws CudaRuntimeException;

    /** cudaMemcpy2D with raw pointers; the kind as for {@link #memcpy}. */
    @CudaApi("cudaMemcpy2D")
    void memcpy2D(long dst, long dpitch, long src, long spitch, long widthBytes, long height, int kind)
            throws CudaRuntimeException;

    @CudaApi("cudaMemcpy2DAsync")
    void memcpy2DAsync(long dst, long dpitch, long src, long spitch, long widthBytes, long height, int kind,
            CudaStream stream) throws CudaRuntimeException;

    /**
     * cudaMemcpy3D between pitched pointers ({@code cudaPitchedPtr}: pointer, pitch, xsize, ysize) with
     * positions in bytes/rows/slices and an extent (width in bytes, height, depth); the kind as for
     * {@link #memcpy}. Host sides are raw host addresses.
     */
    @CudaApi("cudaMemcpy3D")
    void memcpy3D(PitchedPtr dst, long[] dstPos, PitchedPtr src, long[] srcPos, long[] extent, int kind)
            throws CudaRuntimeException;

    @CudaApi("cudaMemcpy3DAsync")
    void memcpy3DAsync(PitchedPtr dst, long[] dstPos, PitchedPtr src, long[] srcPos, long[] extent, int kind,
            CudaStream stream) throws CudaRuntimeException;

    /**
     * cudaMalloc3D: {@code depth} slices of {@code height} rows of {@code widthBytes}, rows pitched as
     * {@link #mallocPitch}; returns {ptr, pitch, xsize = widthBytes, ysize = height}.
     */
    @CudaApi("cudaMalloc3D")
    PitchedPtr malloc3D(long widthBytes, long height, long depth) throws CudaRuntimeException;

    /** cudaMemset3D: sets the bytes of an extent {width in bytes, height, depth} of a pitched allocation. */
    @CudaApi("cudaMemset3D")
    void memset3D(PitchedPtr ptr, int value, long[] extent) throws CudaRuntimeException;

    @CudaApi("cudaMemset3DAsync")
    void memset3DAsync(PitchedPtr ptr, int value, long[] extent, CudaStream stream) throws CudaRuntimeException;

    /** cudaPitchedPtr. */
    record PitchedPtr(long ptr, long pitch, long xsize, long ysize) {
    }

    /** cudaMallocManaged: flags cudaMemAttachGlobal (1) or cudaMemAttachHost (2); cudaErrorNotSupported where a backend cannot. */
    @CudaApi("cudaMallocManaged")
    long mallocManaged(long size, int flags) throws CudaRuntimeException;

    @CudaApi("cudaMallocAsync")
    long mallocAsync(long size, CudaStream stream) throws CudaRuntimeException;

    @CudaApi("cudaFreeAsync")
    void freeAsync(long devicePointer, CudaStream stream) throws CudaRuntimeException;

    @CudaApi("cudaPointerGetAttributes")
    PointerAttributes pointerGetAttributes(long pointer) throws CudaRuntimeException;

    // ---- functions and launches ----

    @CudaApi("cudaFuncGetAttributes")
    FuncAttributes funcGetAttributes(CudaFunction function) throws CudaRuntimeException;

    @CudaApi("cudaFuncSetAttribute")
    void funcSetAttribute(CudaFunction function, CUfunction_attribute attribute, int value) throws CudaRuntimeException;

    @CudaApi("cudaFuncSetCacheConfig")
    void funcSetCacheConfig(CudaFunction function, int config) throws CudaRuntimeException;

    @CudaApi({"cudaOccupancyMaxActiveBlocksPerMultiprocessor", "cudaOccupancyMaxActiveBlocksPerMultiprocessorWithFlags"})
    int occupancyMaxActiveBlocksPerMultiprocessor(CudaFunction function, int blockSize, long dynamicSharedBytes)
            throws CudaRuntimeException;

    @CudaApi("cudaOccupancyAvailableDynamicSMemPerBlock")
    long occupancyAvailableDynamicSMemPerBlock(CudaFunction function, int numBlocks, int blockSize)
            throws CudaRuntimeException;

    /**
     * cudaOccupancyMaxPotentialBlockSize (a template in cuda_runtime.h, over the same occupancy rules):
     * {minGridSize, blockSize}.
     */
    int[] occupancyMaxPotentialBlockSize(CudaFunction function, java.util.function.IntToLongFunction dynamicShared,
            long dynamicSharedBytes, int blockSizeLimit) throws CudaRuntimeException;

    /**
     * A kernel launch with the runtime's error rules: a configuration beyond the device's limits (block or grid
     * too large or zero, too much shared memory) is cudaErrorInvalidValue, as CUDA 13 reports it for
     * {@code <<<...>>>} and cudaLaunchKernel (older runtimes said cudaErrorInvalidConfiguration); more threads than
     * the kernel's resources allow are cudaErrorLaunchOutOfResources.
     */
    @CudaApi("cudaLaunchKernel")
    void launchKernel(CudaFunction function, Dim3 grid, Dim3 block, int dynamicSharedBytes, CudaStream stream,
            KernelArgs args) throws CudaRuntimeException;

    @CudaApi("cudaDriverGetVersion")
    int driverGetVersion();
}
