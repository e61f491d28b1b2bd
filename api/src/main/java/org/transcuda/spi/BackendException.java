package org.transcuda.spi;

import java.util.Objects;
import org.transcuda.cuda.CUresult;

/** A backend failure with the CUDA result code the front end reports for it. */
public class BackendException extends Exception {
    private static final long serialVersionUID = 1L;
    private final CUresult result;

    public BackendException(CUresult result, String message) {
        super(message);
        this.result = Objects.requireNonNull(result, "result");
    }

    public BackendException(CUresult result, String message, Throwable cause) {
        super(message, cause);
        this.result = Objects.requireNonNull(result, "result");
    }

    public CUresult result() {
        return result;
    }
}
