package org.transcuda.backend.cpu;

import org.transcuda.cuda.CUresult;
import org.transcuda.spi.BackendException;

/** A kernel that cannot be compiled; becomes a {@link BackendException} at function lookup. */
final class CompileError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient CUresult result;

    CompileError(CUresult result, String message) {
        super(message);
        this.result = result;
    }

    static CompileError unsupported(String message) {
        return new CompileError(CUresult.CUDA_ERROR_NOT_SUPPORTED, message);
    }

    static CompileError invalid(String message) {
        return new CompileError(CUresult.CUDA_ERROR_INVALID_PTX, message);
    }

    BackendException toBackendException() {
        return new BackendException(result, getMessage(), this);
    }
}
