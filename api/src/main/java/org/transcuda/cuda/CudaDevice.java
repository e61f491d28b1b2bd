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

    /** cuCtxCreate with flags 0 (without making it current: see {@link Cuda#pushCurrentContext}). */
    CudaContext createContext() throws CudaException;

    /**
     * cuCtxCreate with CU_CTX_* flags (scheduling 0-4 and the bits up to CU_CTX_SYNC_MEMOPS 0x80; others are
     * CUDA_ERROR_INVALID_VALUE), reported by {@link CudaContext#flags()}.
     */
    @CudaApi({"cuCtxCreate", "cuCtxCreate_v2", "cuCtxCreate_v3", "cuCtxCreate_v4"})
    CudaContext createContext(int flags) throws CudaException;

    /** cuDeviceComputeCapability: {major, minor}, the same values as the compute capability attributes. */
    @CudaApi({"cuDeviceComputeCapability"})
    default int[] computeCapability() throws CudaException {
        return new int[] {attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR),
                attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR)};
    }

    /**
     * cuDeviceGetPCIBusId: "domain:bus:device.0" in hexadecimal ({@code %04x:%02x:%02x.0}) from the PCI
     * domain, bus and device attributes.
     */
    @CudaApi({"cuDeviceGetPCIBusId"})
    default String pciBusId() throws CudaException {
        return String.format("%04x:%02x:%02x.0", attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_PCI_DOMAIN_ID),
                attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_PCI_BUS_ID),
                attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_PCI_DEVICE_ID));
    }

    /**
     * cuDeviceCanAccessPeer: false: no backend maps one device's memory into another's kernels, so
     * {@link CudaContext#enablePeerAccess} reports CUDA_ERROR_PEER_ACCESS_UNSUPPORTED, as CUDA does for such devices.
     */
    @CudaApi({"cuDeviceCanAccessPeer"})
    default boolean canAccessPeer(CudaDevice peer) throws CudaException {
        if (peer == null) throw new CudaException(CUresult.CUDA_ERROR_INVALID_DEVICE, "no peer device");
        return false;
    }

    /**
     * cuDeviceGetP2PAttribute: 0 for every attribute between two different devices (no peer access, no peer
     * atomics); CUDA_ERROR_INVALID_DEVICE for the same device twice.
     */
    @CudaApi({"cuDeviceGetP2PAttribute"})
    default int p2pAttribute(int attribute, CudaDevice peer) throws CudaException {
        if (peer == null || peer.equals(this) || peer.ordinal() == ordinal() && peer.backend().equals(backend())) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_DEVICE, "peer attributes need two different devices");
        }
        if (attribute < 1 || attribute > 5) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE, "P2P attribute " + attribute);
        }
        return 0;
    }

    /**
     * cuDevicePrimaryCtxSetFlags: the CU_CTX_* flags of the primary context (applied to the live one too, as
     * the _v2 entry point does); invalid flags are CUDA_ERROR_INVALID_VALUE.
     */
    @CudaApi({"cuDevicePrimaryCtxSetFlags", "cuDevicePrimaryCtxSetFlags_v2"})
    void setPrimaryContextFlags(int flags) throws CudaException;

    /** cuDevicePrimaryCtxGetState's flags. */
    int primaryContextFlags() throws CudaException;

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
