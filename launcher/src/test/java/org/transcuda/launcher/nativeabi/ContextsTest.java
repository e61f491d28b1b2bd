package org.transcuda.launcher.nativeabi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.CudaContext;
import org.transcuda.cuda.CudaException;
import org.transcuda.cuda.cudaError;

/**
 * CUcontext handles: a destroyed context's handle is CUDA_ERROR_CONTEXT_IS_DESTROYED (as CUDA 13 answered a second
 * cuCtxDestroy on an H100), a handle that never was one CUDA_ERROR_INVALID_CONTEXT; handles are not reused.
 */
class ContextsTest {
    private static CudaContext context() {
        return (CudaContext) Proxy.newProxyInstance(ContextsTest.class.getClassLoader(),
                new Class<?>[] {CudaContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "context";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void destroyedHandlesAreReportedAsDestroyed() throws Exception {
        Contexts contexts = new Contexts();
        CudaContext a = context();
        long h = contexts.handle(a);
        assertEquals(h, contexts.handle(a));
        assertSame(a, contexts.context(h));
        contexts.forget(h);
        assertEquals(CUresult.CUDA_ERROR_CONTEXT_IS_DESTROYED,
                assertThrows(CudaException.class, () -> contexts.context(h)).result());
        assertEquals(CUresult.CUDA_ERROR_INVALID_CONTEXT,
                assertThrows(CudaException.class, () -> contexts.context(h + 8)).result());
        assertEquals(CUresult.CUDA_ERROR_INVALID_CONTEXT,
                assertThrows(CudaException.class, () -> contexts.context(0)).result());
        assertNotEquals(h, contexts.handle(context()), "a new context gets a new handle");
    }

    @Test
    void kernelPointersThatAreNoKernel() {
        // CUDA 13 on an H100: cudaLaunchKernel/cudaFuncGetAttributes of NULL and of a host function
        assertEquals(cudaError.cudaErrorInvalidDeviceFunction, Dispatcher.notAKernel(0));
        assertEquals(cudaError.cudaErrorInvalidResourceHandle, Dispatcher.notAKernel(0x401000));
    }
}
