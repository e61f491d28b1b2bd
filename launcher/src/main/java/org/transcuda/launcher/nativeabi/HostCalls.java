package org.transcuda.launcher.nativeabi;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.CudaRuntimeException;
import org.transcuda.cuda.CudaStream;

/**
 * Calls into the program's C functions from a stream's thread ({@code cudaLaunchHostFunc},
 * {@code cudaStreamAddCallback}, {@code cuLaunchHostFunc}, {@code cuStreamAddCallback}), through the Foreign
 * Function API.
 */
final class HostCalls {
    /** {@code void fn(void *userData)}. */
    private static final MethodHandle HOST_FN = Linker.nativeLinker().downcallHandle(
            FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
    /** {@code void callback(cudaStream_t stream, cudaError_t status, void *userData)}. */
    private static final MethodHandle CALLBACK = Linker.nativeLinker().downcallHandle(
            FunctionDescriptor.ofVoid(ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));

    private HostCalls() {
    }

    static Runnable hostFunction(long fn, long userData) {
        MemorySegment f = MemorySegment.ofAddress(fn);
        MemorySegment u = MemorySegment.ofAddress(userData);
        return () -> {
            try {
                HOST_FN.invokeExact(f, u);
            } catch (Throwable t) {
                throw new IllegalStateException("host function 0x" + Long.toHexString(fn) + " failed", t);
            }
        };
    }

    /**
     * The callback with the stream's status (CUDA_SUCCESS, or the sticky error) as a CUresult ({@code driver}) or
     * as the runtime's cudaError_t.
     */
    static CudaStream.Callback streamCallback(long fn, long stream, long userData, boolean driver) {
        MemorySegment f = MemorySegment.ofAddress(fn);
        MemorySegment s = MemorySegment.ofAddress(stream);
        MemorySegment u = MemorySegment.ofAddress(userData);
        return (st, status) -> {
            int code = driver || status == CUresult.CUDA_SUCCESS ? status.code()
                    : CudaRuntimeException.map(status).code();
            try {
                CALLBACK.invokeExact(f, s, code, u);
            } catch (Throwable t) {
                throw new IllegalStateException("stream callback 0x" + Long.toHexString(fn) + " failed", t);
            }
        };
    }
}
