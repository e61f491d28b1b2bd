package org.transcuda.cuda;

import java.util.Objects;

/** A CUDA runtime API error: the {@link cudaError} a CUDA program would see. */
public class CudaRuntimeException extends Exception {
    private static final long serialVersionUID = 1L;
    private final cudaError error;

    public CudaRuntimeException(cudaError error, String message, Throwable cause) {
        super(error.name() + " (" + error.code() + "): " + message, cause);
        this.error = Objects.requireNonNull(error, "error");
    }

    public cudaError error() {
        return error;
    }

    /** The runtime error for a driver result: CUDA numbers them alike; anything else is cudaErrorUnknown. */
    public static cudaError map(CUresult result) {
        return cudaError.of(result.code()).orElse(cudaError.cudaErrorUnknown);
    }
}
