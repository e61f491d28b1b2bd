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
    String name() throws CudaException;

    /** cuDeviceGetUuid. */
    UUID uuid() throws CudaException;

    /** cuDeviceTotalMem, in bytes. */
    long totalMemory() throws CudaException;

    /** cuDeviceGetAttribute. */
    int attribute(CUdevice_attribute attribute) throws CudaException;

    /** cuCtxCreate (without making it current: see {@link Cuda#pushCurrentContext}). */
    CudaContext createContext() throws CudaException;

    /**
     * cuDevicePrimaryCtxRetain: the device's primary context, created on first retain and shared by every
     * retainer; it lives until the last {@link #releasePrimaryContext()} or a {@link #resetPrimaryContext()}.
     */
    CudaContext retainPrimaryContext() throws CudaException;

    /** cuDevicePrimaryCtxRelease; CUDA_ERROR_INVALID_CONTEXT when not retained. */
    void releasePrimaryContext() throws CudaException;

    /** cuDevicePrimaryCtxReset: destroys the primary context and everything in it now. */
    void resetPrimaryContext() throws CudaException;

    /** cuDevicePrimaryCtxGetState's active flag. */
    boolean isPrimaryContextActive() throws CudaException;
}
