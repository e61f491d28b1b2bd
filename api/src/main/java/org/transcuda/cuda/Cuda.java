package org.transcuda.cuda;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Entry point of the Java CUDA API, registered as an OSGi service. CUDA devices are the usable devices of
 * the selected backend: the one configured (Configuration Admin PID {@value #PID} property
 * {@value #BACKEND_PROPERTY}, else {@code -Dtranscuda.backend}, else {@code TRANSCUDA_BACKEND}), or, when
 * none is configured, the highest-ranked backend that has a usable device. A configured backend that is
 * not installed is an error, never a silent fallback.
 */
@ProviderType
public interface Cuda {
    /** Configuration Admin PID of the front end. */
    String PID = "org.transcuda";
    /** Configuration property naming the backend id to use. */
    String BACKEND_PROPERTY = "backend";

    /** The CUDA version this API implements, encoded as CUDA does (13000 for 13.0). */
    @CudaApi({"cuDriverGetVersion"})
    int driverVersion();

    /** Number of CUDA devices (cuDeviceGetCount); CUDA_ERROR_NO_DEVICE when no backend can serve. */
    @CudaApi({"cuDeviceGetCount"})
    int deviceCount() throws CudaException;

    /** Device by ordinal (cuDeviceGet); CUDA_ERROR_INVALID_DEVICE when out of range. */
    @CudaApi({"cuDeviceGet"})
    CudaDevice device(int ordinal) throws CudaException;

    /**
     * cuInit: {@code flags} must be 0 (CUDA_ERROR_INVALID_VALUE otherwise); CUDA_ERROR_NO_DEVICE, with the
     * reason, when no backend can serve.
     */
    @CudaApi({"cuInit"})
    default void init(int flags) throws CudaException {
        if (flags != 0) throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE, "cuInit flags must be 0, not " + flags);
        deviceCount();
    }

    /**
     * cuDeviceGetByPCIBusId: the device whose {@link CudaDevice#pciBusId()} equals {@code busId} (case does not
     * matter; the short form "bus:device.function" means domain 0); CUDA_ERROR_INVALID_DEVICE when none does.
     */
    @CudaApi({"cuDeviceGetByPCIBusId"})
    default CudaDevice deviceByPciBusId(String busId) throws CudaException {
        if (busId == null) throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE, "no bus id");
        String wanted = busId.trim().toLowerCase(java.util.Locale.ROOT);
        if (wanted.matches("[0-9a-f]+:[0-9a-f]+\\.[0-9a-f]+")) wanted = "0000:" + wanted;
        for (int i = 0, n = deviceCount(); i < n; i++) {
            CudaDevice d = device(i);
            if (d.pciBusId().toLowerCase(java.util.Locale.ROOT).equals(wanted)) return d;
        }
        throw new CudaException(CUresult.CUDA_ERROR_INVALID_DEVICE, "no device has PCI bus id " + busId);
    }

    /** The backend that serves new contexts now; CUDA_ERROR_NO_DEVICE with the reason when none. */
    String selectedBackend() throws CudaException;

    /** cuCtxGetCurrent: the calling thread's current context (top of its context stack). */
    @CudaApi({"cuCtxGetCurrent"})
    java.util.Optional<CudaContext> currentContext();

    /** cuCtxSetCurrent: replaces the top of the calling thread's stack ({@code null} pops it). */
    @CudaApi({"cuCtxSetCurrent"})
    void setCurrentContext(CudaContext context) throws CudaException;

    /** cuCtxPushCurrent. */
    @CudaApi({"cuCtxPushCurrent", "cuCtxPushCurrent_v2"})
    void pushCurrentContext(CudaContext context) throws CudaException;

    /** cuCtxPopCurrent: CUDA_ERROR_INVALID_CONTEXT when the stack is empty. */
    @CudaApi({"cuCtxPopCurrent", "cuCtxPopCurrent_v2"})
    CudaContext popCurrentContext() throws CudaException;

    /**
     * cuGetErrorName: the CUresult's name ("CUDA_ERROR_INVALID_VALUE"); CUDA_ERROR_INVALID_VALUE for a code
     * CUDA does not define, as cuGetErrorName returns (leaving the string NULL).
     */
    @CudaApi({"cuGetErrorName"})
    default String errorName(int code) throws CudaException {
        return CUresult.of(code).map(Enum::name).orElseThrow(() -> new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE,
                code + " is not a CUresult"));
    }

    /** cuGetErrorString: CUDA's description of the code; CUDA_ERROR_INVALID_VALUE for an undefined code. */
    @CudaApi({"cuGetErrorString"})
    default String errorString(int code) throws CudaException {
        return CUresult.of(code).map(CUresult::message).orElseThrow(
                () -> new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE, code + " is not a CUresult"));
    }

    /** Every installed backend and its devices, usable or not, for diagnostics and tools. */
    List<BackendDescription> backends();
}
