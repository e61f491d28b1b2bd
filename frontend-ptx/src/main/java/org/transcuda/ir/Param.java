package org.transcuda.ir;

import java.util.Objects;

/**
 * A kernel or function parameter with its byte layout. For kernels, {@code offset} is the parameter's
 * position in the packed argument buffer a launch passes (CUDA's {@code kernelParams} layout).
 *
 * @param name      the PTX name
 * @param type      element type (for arrays and vectors, the element)
 * @param count     number of elements ({@code .param .b8 p[16]} has count 16; scalars have 1)
 * @param alignment byte alignment in the argument buffer
 * @param offset    byte offset in the argument buffer
 */
public record Param(String name, ScalarType type, int count, int alignment, int offset) {
    public Param {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (count < 1) throw new IllegalArgumentException("count must be >= 1: " + count);
        if (alignment < 1 || Integer.bitCount(alignment) != 1) {
            throw new IllegalArgumentException("alignment must be a power of two: " + alignment);
        }
        if (offset < 0 || offset % alignment != 0) {
            throw new IllegalArgumentException("offset " + offset + " not aligned to " + alignment);
        }
    }

    /** Size of this parameter in bytes. */
    public int size() {
        return Math.max(1, type.bytes()) * count;
    }
}
