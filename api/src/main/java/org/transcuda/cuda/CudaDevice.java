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

    /** cuCtxCreate. */
    CudaContext createContext() throws CudaException;
}
