package org.transcuda.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** cuGetErrorName / cuGetErrorString. */
class DriverErrorStringsTest {
    /** Only the default methods are used. */
    private final Cuda cuda = (Cuda) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {Cuda.class}, (p, m, a) -> java.lang.reflect.InvocationHandler.invokeDefault(p, m, a));

    @Test
    void namesAreTheEnumeratorsOfCudaH() throws Exception {
        assertEquals("CUDA_SUCCESS", cuda.errorName(0));
        assertEquals("CUDA_ERROR_INVALID_VALUE", cuda.errorName(1));
        assertEquals("CUDA_ERROR_ILLEGAL_ADDRESS", cuda.errorName(700));
        assertEquals("CUDA_ERROR_UNKNOWN", cuda.errorName(999));
        assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE, assertThrows(CudaException.class, () -> cuda.errorName(12345)).result());
    }

    @Test
    void stringsAreTheDriversTexts() throws Exception {
        // Texts the driver's cuGetErrorString returns (as printed by programs that call it).
        assertEquals("no error", cuda.errorString(0));
        assertEquals("invalid argument", cuda.errorString(1));
        assertEquals("out of memory", cuda.errorString(2));
        assertEquals("initialization error", cuda.errorString(3));
        assertEquals("driver shutting down", cuda.errorString(4));
        assertEquals("invalid device context", cuda.errorString(201));
        assertEquals("an illegal memory access was encountered", cuda.errorString(700));
        assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE, assertThrows(CudaException.class, () -> cuda.errorString(-1)).result());
        for (CUresult r : CUresult.values()) assertNotNull(r.message(), r.name());
        for (CUresult r : List.of(CUresult.CUDA_ERROR_CONTEXT_ALREADY_CURRENT, CUresult.CUDA_ERROR_KEY_ROTATION)) {
            assertEquals(false, r.message().isBlank(), r.name() + " has its cuda.h documentation");
        }
    }
}
