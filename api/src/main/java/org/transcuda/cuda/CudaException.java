package org.transcuda.cuda;

import java.util.Objects;

/** A CUDA error: the numeric {@link CUresult} a CUDA program would see, and a message that explains it. */
public class CudaException extends Exception {
    private static final long serialVersionUID = 1L;
    private final CUresult result;

    public CudaException(CUresult result, String message) {
        super(result.name() + " (" + result.code() + "): " + message);
        this.result = Objects.requireNonNull(result, "result");
    }

    public CudaException(CUresult result, String message, Throwable cause) {
        super(result.name() + " (" + result.code() + "): " + message, cause);
        this.result = Objects.requireNonNull(result, "result");
    }

    /** CUDA's result code. */
    public CUresult result() {
        return result;
    }
}
