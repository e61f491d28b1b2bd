package org.transcuda.spi;

import java.util.List;
import java.util.Objects;
import org.osgi.annotation.versioning.ConsumerType;
import org.transcuda.ir.Module;

/**
 * An optional service of a backend bundle: compiles translated IR to the backend's code format outside any
 * device or context (for {@code transcuda translate --target NAME}). Registered as an OSGi service with the
 * property {@value #TARGET_PROPERTY} equal to {@link #target()}.
 */
@ConsumerType
public interface CodeGenerator {
    /** Service property naming the target, e.g. {@code spirv-vulkan}. */
    String TARGET_PROPERTY = "transcuda.codegen.target";

    /** The target name users pass to {@code --target}. */
    String target();

    /** File name extension of one artifact, without the dot (e.g. {@code spv}). */
    String extension();

    /**
     * Compiles every kernel of {@code module}: one artifact per kernel, in the module's order; a kernel the
     * generator cannot compile has {@link Artifact#error()} set and no bytes. Device-dependent choices (module
     * variable addresses, optional features) are the generator's documented defaults.
     */
    List<Artifact> generate(Module module);

    /** A human-readable listing of an artifact's code. */
    String disassemble(Artifact artifact);

    /**
     * One compiled kernel.
     *
     * @param kernel the kernel's name
     * @param bytes  the code, or null when {@code error} is set
     * @param error  why the kernel could not be compiled, or null
     */
    record Artifact(String kernel, byte[] bytes, String error) {
        public Artifact {
            Objects.requireNonNull(kernel, "kernel");
            if ((bytes == null) == (error == null)) throw new IllegalArgumentException("bytes xor error");
        }
    }
}
