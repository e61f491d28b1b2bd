package org.transcuda.backend.vulkan.codegen;

/**
 * A kernel the code generator cannot translate to SPIR-V: an IR construct the Vulkan backend does not
 * implement (or that Vulkan cannot express), named in the message. The runtime reports it as
 * {@code CUDA_ERROR_NOT_SUPPORTED} when the kernel is looked up.
 */
public final class CodegenException extends Exception {
    private static final long serialVersionUID = 1L;

    public CodegenException(String message) {
        super(message);
    }
}
