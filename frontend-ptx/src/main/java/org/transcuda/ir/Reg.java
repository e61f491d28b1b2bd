package org.transcuda.ir;

import java.util.Objects;

/**
 * A virtual register: a typed, mutable variable of one function (PTX registers are not SSA). Identity is
 * the id, unique within the function.
 *
 * @param id   index in {@link Function#regs()}
 * @param type its type; predicates are {@link ScalarType#PRED}
 * @param name the PTX name for dumps and diagnostics
 */
public record Reg(int id, ScalarType type, String name) implements Value {
    public Reg {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        if (id < 0) throw new IllegalArgumentException("negative register id");
    }

    @Override
    public String toString() {
        return "%" + name;
    }
}
