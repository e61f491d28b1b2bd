package org.transcuda.ir;

import java.util.List;
import java.util.Objects;

/**
 * A variable in memory: a module global ({@code .global}, {@code .const}, {@code .shared}) or a function's
 * {@code .local}/{@code .shared} variable.
 *
 * @param name        PTX name
 * @param space       its address space
 * @param elementType element type
 * @param count       elements; 0 for an unsized {@code .extern .shared} array (dynamic shared memory)
 * @param alignment   byte alignment
 * @param init        initial bytes (little endian), or null for zero/uninitialized
 * @param relocations addresses of other symbols to store into the initial bytes
 * @param external    declared {@code .extern} (defined elsewhere, or dynamic shared memory)
 */
public record Variable(String name, AddressSpace space, ScalarType elementType, long count, int alignment,
        byte[] init, List<Relocation> relocations, boolean external) {
    public Variable {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(space, "space");
        Objects.requireNonNull(elementType, "elementType");
        relocations = List.copyOf(relocations);
        if (count < 0) throw new IllegalArgumentException("negative count");
    }

    /** Size in bytes. */
    public long size() {
        return count * Math.max(1, elementType.bytes());
    }

    /** At byte {@code offset} of the initializer, store the generic address of {@code symbol} + addend. */
    public record Relocation(long offset, int width, String symbol, long addend) {
    }
}
