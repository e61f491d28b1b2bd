package org.transcuda.ptx.lower;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.transcuda.ir.AddressSpace;
import org.transcuda.ir.ScalarType;
import org.transcuda.ir.Variable;

/**
 * A PTX module after name resolution: module variables in IR form, and every function as a {@link FunctionUnit}.
 * The PTX-level passes (name resolution, operand expansion) produce it; instruction selection turns it into an
 * {@link org.transcuda.ir.Module}.
 */
public final class PtxUnit {
    public final String file;
    /** 64, or 32 for {@code .address_size 32}. */
    public final int addressBits;
    public final List<Variable> variables = new ArrayList<>();
    /** Functions in source order, one per name (a definition replaces its prototype). */
    public final Map<String, FunctionUnit> functions = new LinkedHashMap<>();
    /** Problems that belong to no function (module variables that have no IR form), {@code file:line:col: ...}. */
    public final List<String> notes = new ArrayList<>();

    public PtxUnit(String file, int addressBits) {
        this.file = file;
        this.addressBits = addressBits;
    }

    /** The type of an address: u64, or u32 with 32-bit addressing. */
    public ScalarType addressType() {
        return addressBits == 32 ? ScalarType.U32 : ScalarType.U64;
    }

    private final Map<String, Variable> byName = new java.util.HashMap<>();

    /** Adds a module variable (kept findable by name). */
    public void addVariable(Variable v) {
        variables.add(v);
        byName.putIfAbsent(v.name(), v);
    }

    public Variable variable(String name) {
        return byName.get(name);
    }

    /** The space of a module variable, or null. */
    public AddressSpace spaceOf(String name) {
        Variable v = variable(name);
        return v == null ? null : v.space();
    }
}
