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
    @CudaApi({"cudaMallocHost", "cudaHostAlloc"})
    long mallocHost(long size) throws CudaRuntimeException;

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

    @CudaApi("cudaDriverGetVersion")
    int driverGetVersion();
}
