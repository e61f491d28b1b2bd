package org.transcuda.cuda;

import java.util.UUID;
import org.osgi.annotation.versioning.ProviderType;

/** A CUDA device ({@code CUdevice}). */
@ProviderType
public interface CudaDevice {
    /** Ordinal among the CUDA devices of its backend. */
    int ordinal();

    /** Id of the backend that provides the device. */
    String backend();

    /** cuDeviceGetName. */
    @CudaApi({"cuDeviceGetName"})
    String name() throws CudaException;

    /** cuDeviceGetUuid. */
    @CudaApi({"cuDeviceGetUuid", "cuDeviceGetUuid_v2"})
    UUID uuid() throws CudaException;

    /** cuDeviceTotalMem, in bytes. */
    @CudaApi({"cuDeviceTotalMem", "cuDeviceTotalMem_v2"})
    long totalMemory() throws CudaException;

    /** cuDeviceGetAttribute. */
    @CudaApi({"cuDeviceGetAttribute"})
    int attribute(CUdevice_attribute attribute) throws CudaException;

    /** cuCtxCreate (without making it current: see {@link Cuda#pushCurrentContext}). */
    @CudaApi({"cuCtxCreate", "cuCtxCreate_v2", "cuCtxCreate_v4"})
    CudaContext createContext() throws CudaException;

    /**
     * cuDevicePrimaryCtxRetain: the device's primary context, created on first retain and shared by every
     * retainer; it lives until the last {@link #releasePrimaryContext()} or a {@link #resetPrimaryContext()}.
     */
    @CudaApi({"cuDevicePrimaryCtxRetain"})
    CudaContext retainPrimaryContext() throws CudaException;

    /** cuDevicePrimaryCtxRelease; CUDA_ERROR_INVALID_CONTEXT when not retained. */
    @CudaApi({"cuDevicePrimaryCtxRelease", "cuDevicePrimaryCtxRelease_v2"})
    void releasePrimaryContext() throws CudaException;

    /** cuDevicePrimaryCtxReset: destroys the primary context and everything in it now. */
    @CudaApi({"cuDevicePrimaryCtxReset", "cuDevicePrimaryCtxReset_v2"})
    void resetPrimaryContext() throws CudaException;

    /** cuDevicePrimaryCtxGetState's active flag. */
    @CudaApi({"cuDevicePrimaryCtxGetState"})
    boolean isPrimaryContextActive() throws CudaException;
}
