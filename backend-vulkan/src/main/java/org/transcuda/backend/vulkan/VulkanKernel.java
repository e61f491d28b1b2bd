package org.transcuda.backend.vulkan;

import java.util.List;
import java.util.Objects;
import org.transcuda.ir.Function;
import org.transcuda.ir.Param;

/**
 * A compiled kernel: a SPIR-V module with one {@code GLCompute} entry point that follows {@link KernelAbi},
 * and what the runtime needs to launch it. Built by the IR-to-SPIR-V code generator
 * ({@link org.transcuda.backend.vulkan.codegen.SpirvCodegen}), and by tests with
 * {@link org.transcuda.backend.vulkan.spirv.SpirvModule}. Independent of any context:
 * {@link VulkanContext#load} turns it into a {@link VulkanFunction} of one context.
 *
 * @param name                 the CUDA name of the kernel (and the entry point's name)
 * @param spirv                the SPIR-V words
 * @param params               the argument-buffer layout (the IR function's parameters)
 * @param argsMode             how the arguments reach the shader
 * @param staticSharedBytes    bytes of static shared memory the shader declares
 * @param maxThreadsPerBlock   the kernel's own limit ({@code .maxntid}/{@code .reqntid}); 0 for none
 * @param requiredSubgroupSize a subgroup size the pipeline must use (needs {@code subgroupSizeControl}); 0 for any
 */
public record VulkanKernel(String name, int[] spirv, List<Param> params, ArgsMode argsMode, int staticSharedBytes,
        int maxThreadsPerBlock, int requiredSubgroupSize) {
    /** Where the packed argument buffer goes; see {@link KernelAbi}. */
    public enum ArgsMode { PUSH_CONSTANTS, BUFFER }

    public VulkanKernel {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(spirv, "spirv");
        params = List.copyOf(params);
        Objects.requireNonNull(argsMode, "argsMode");
        if (spirv.length < 5 || spirv[0] != 0x07230203) throw new IllegalArgumentException(name + ": not SPIR-V");
        if (staticSharedBytes < 0 || maxThreadsPerBlock < 0 || requiredSubgroupSize < 0) {
            throw new IllegalArgumentException(name + ": negative size");
        }
    }

    /** A kernel with no limits of its own. */
    public VulkanKernel(String name, int[] spirv, List<Param> params, ArgsMode argsMode, int staticSharedBytes) {
        this(name, spirv, params, argsMode, staticSharedBytes, 0, 0);
    }

    /** Bytes of the packed argument buffer. */
    public int argBytes() {
        int end = 0;
        for (Param p : params) end = Math.max(end, p.offset() + p.size());
        return end;
    }

    /** Bytes of the push-constant block: the header, the arguments when they go inline, the bounds. */
    public int pushConstantBytes() {
        return boundsOffset() + KernelAbi.BOUNDS_BYTES;
    }

    /** Offset of the bounds in the push constants ({@link KernelAbi#boundsOffset}). */
    public int boundsOffset() {
        return KernelAbi.boundsOffset(argsMode == ArgsMode.PUSH_CONSTANTS, argBytes());
    }

    /** The kernel's signature as IR (no body: the SPIR-V is the body). */
    public Function ir() {
        return new Function(name, true, params);
    }

    // Identity semantics: two kernels with equal words are still two kernels (pipelines are cached per kernel).
    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    @Override
    public String toString() {
        return "VulkanKernel[" + name + ", " + spirv.length + " words, " + argBytes() + " arg bytes via " + argsMode
                + "]";
    }
}
