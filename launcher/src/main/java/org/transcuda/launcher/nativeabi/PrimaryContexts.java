package org.transcuda.launcher.nativeabi;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.transcuda.cuda.Cuda;
import org.transcuda.cuda.CudaContext;
import org.transcuda.cuda.CudaException;
import org.transcuda.cuda.CudaRuntime;
import org.transcuda.cuda.CudaRuntimeException;

/**
 * The context runtime calls of native programs work in: the primary context of the calling thread's current
 * device, the one {@link CudaRuntime} uses (retained once here; {@code cudaDeviceReset} destroys it, after which
 * {@link #reset} forgets it and the next call retains the fresh one, as the runtime does).
 */
final class PrimaryContexts {
    private final Cuda cuda;
    private final Map<Integer, CudaContext> contexts = new ConcurrentHashMap<>();

    PrimaryContexts(Cuda cuda) {
        this.cuda = cuda;
    }

    CudaContext current(CudaRuntime runtime) throws CudaRuntimeException, CudaException {
        int device = runtime.getDevice();
        CudaContext c = contexts.get(device);
        if (c != null) return c;
        synchronized (this) {
            c = contexts.get(device);
            if (c == null) {
                runtime.free(0); // initializes the runtime's primary context first (cudaFree(0) does that in CUDA)
                c = cuda.device(device).retainPrimaryContext();
                contexts.put(device, c);
            }
            return c;
        }
    }

    /** cudaDeviceReset destroyed the device's primary context. */
    synchronized void reset(int device) {
        contexts.remove(device);
    }
}
