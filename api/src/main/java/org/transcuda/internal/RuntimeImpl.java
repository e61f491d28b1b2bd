package org.transcuda.internal;

import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.transcuda.cuda.CUdevice_attribute;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.Cuda;
import org.transcuda.cuda.CudaContext;
import org.transcuda.cuda.CudaDevice;
import org.transcuda.cuda.CudaException;
import org.transcuda.cuda.CudaRuntime;
import org.transcuda.cuda.CudaRuntimeException;
import org.transcuda.cuda.PointerAttributes;
import org.transcuda.cuda.cudaError;

/**
 * The runtime layer over the driver layer: per-thread current device and last error, primary contexts
 * retained on first use of a device (one retain held for the process, released by cudaDeviceReset).
 */
@Component(service = CudaRuntime.class)
public final class RuntimeImpl implements CudaRuntime {
    @Reference
    private Cuda cuda;

    private final ThreadLocal<int[]> currentDevice = ThreadLocal.withInitial(() -> new int[] {0});
    private final ThreadLocal<cudaError[]> lastError = ThreadLocal.withInitial(() -> new cudaError[] {cudaError.cudaSuccess});
    private final Map<Integer, CudaContext> primaries = new ConcurrentHashMap<>();

    /** For tests outside a framework. */
    RuntimeImpl(Cuda cuda) {
        this.cuda = cuda;
    }

    public RuntimeImpl() {
    }

    @FunctionalInterface
    interface Op<T> {
        T run() throws CudaException, CudaRuntimeException;
    }

    private <T> T api(Op<T> op) throws CudaRuntimeException {
        try {
            return op.run();
        } catch (CudaException e) {
            CudaRuntimeException r = new CudaRuntimeException(CudaRuntimeException.map(e.result()), e.getMessage(), e);
            lastError.get()[0] = r.error();
            throw r;
        } catch (CudaRuntimeException e) {
            lastError.get()[0] = e.error();
            throw e;
        }
    }

    private static CudaRuntimeException error(cudaError e, String message) {
        return new CudaRuntimeException(e, message, null);
    }

    /** The current device's primary context, created and retained on first use. */
    CudaContext context() throws CudaException, CudaRuntimeException {
        int d = currentDevice.get()[0];
        CudaContext c = primaries.get(d);
        if (c == null) {
            synchronized (primaries) {
                c = primaries.get(d);
                if (c == null) {
                    c = device(d).retainPrimaryContext();
                    primaries.put(d, c);
                }
            }
        }
        return c;
    }

    private CudaDevice device(int ordinal) throws CudaException, CudaRuntimeException {
        int count = cuda.deviceCount();
        if (ordinal < 0 || ordinal >= count) {
            throw error(cudaError.cudaErrorInvalidDevice, "device " + ordinal + " of " + count);
        }
        return cuda.device(ordinal);
    }

    @Override
    public int getDeviceCount() throws CudaRuntimeException {
        return api(cuda::deviceCount);
    }

    @Override
    public void setDevice(int device) throws CudaRuntimeException {
        api(() -> {
            device(device);
            currentDevice.get()[0] = device;
            return null;
        });
    }

    @Override
    public int getDevice() throws CudaRuntimeException {
        return currentDevice.get()[0];
    }

    @Override
    public int deviceGetAttribute(CUdevice_attribute attribute, int device) throws CudaRuntimeException {
        return api(() -> device(device).attribute(attribute));
    }

    @Override
    public void deviceSynchronize() throws CudaRuntimeException {
        api(() -> {
            context().synchronize();
            return null;
        });
    }

    @Override
    public void deviceReset() throws CudaRuntimeException {
        api(() -> {
            int d = currentDevice.get()[0];
            synchronized (primaries) {
                if (primaries.remove(d) != null) device(d).resetPrimaryContext();
            }
            return null;
        });
    }

    @Override
    public long malloc(long size) throws CudaRuntimeException {
        return api(() -> {
            if (size == 0) return 0L;
            return context().malloc(size);
        });
    }

    @Override
    public void free(long devicePointer) throws CudaRuntimeException {
        api(() -> {
            CudaContext c = context();
            if (devicePointer != 0) c.free(devicePointer);
            return null;
        });
    }

    @Override
    public long mallocHost(long size) throws CudaRuntimeException {
        return api(() -> context().mallocHost(size).address());
    }

    @Override
    public void freeHost(long hostPointer) throws CudaRuntimeException {
        api(() -> {
            if (hostPointer != 0) context().freeHost(MemorySegment.ofAddress(hostPointer));
            return null;
        });
    }

    private boolean isDevice(CudaContext c, long pointer) throws CudaException {
        try {
            return c.pointerAttributes(pointer).memoryType() == PointerAttributes.MemoryType.DEVICE;
        } catch (CudaException e) {
            if (e.result() == CUresult.CUDA_ERROR_NOT_FOUND) return false;
            throw e;
        }
    }

    @Override
    public void memcpy(long dst, long src, long count, int kind) throws CudaRuntimeException {
        api(() -> {
            if (count == 0) return null;
            CudaContext c = context();
            int k = kind;
            if (k == DEFAULT) {
                boolean d = isDevice(c, dst);
                boolean s = isDevice(c, src);
                k = s ? (d ? DEVICE_TO_DEVICE : DEVICE_TO_HOST) : (d ? HOST_TO_DEVICE : HOST_TO_HOST);
            }
            switch (k) {
                case HOST_TO_HOST -> MemorySegment.copy(MemorySegment.ofAddress(src).reinterpret(count), 0,
                        MemorySegment.ofAddress(dst).reinterpret(count), 0, count);
                case HOST_TO_DEVICE -> c.memcpyHtoD(dst, MemorySegment.ofAddress(src).reinterpret(count));
                case DEVICE_TO_HOST -> c.memcpyDtoH(MemorySegment.ofAddress(dst).reinterpret(count), src);
                case DEVICE_TO_DEVICE -> c.memcpyDtoD(dst, src, count);
                default -> throw error(cudaError.cudaErrorInvalidMemcpyDirection, "kind " + kind);
            }
            return null;
        });
    }

    @Override
    public void memset(long devicePointer, int value, long count) throws CudaRuntimeException {
        api(() -> {
            context().memsetD8(devicePointer, (byte) value, count);
            return null;
        });
    }

    @Override
    public long[] memGetInfo() throws CudaRuntimeException {
        return api(() -> context().memoryInfo());
    }

    @Override
    public cudaError getLastError() {
        cudaError[] e = lastError.get();
        cudaError r = e[0];
        e[0] = cudaError.cudaSuccess;
        // A sticky error is reported again by the next call on the context itself.
        return r;
    }

    @Override
    public cudaError peekAtLastError() {
        return lastError.get()[0];
    }

    @Override
    public String getErrorName(int code) {
        return cudaError.of(code).map(Enum::name).orElse("unrecognized error code");
    }

    @Override
    public String getErrorString(int code) {
        return cudaError.of(code).map(cudaError::message).orElse("unrecognized error code");
    }

    @Override
    public int runtimeGetVersion() {
        return 13000;
    }

    @Override
    public int driverGetVersion() {
        return cuda.driverVersion();
    }
}
