package org.transcuda.ir;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A translated module: what a backend receives to load.
 *
 * @param name      a name for diagnostics (file name or "module")
 * @param functions kernels and device functions
 */
public record Module(String name, List<Function> functions) {
    public Module {
        Objects.requireNonNull(name, "name");
        functions = List.copyOf(functions);
    }

    public Optional<Function> function(String functionName) {
        return functions.stream().filter(f -> f.name().equals(functionName)).findFirst();
    }

    public List<Function> kernels() {
        return functions.stream().filter(Function::kernel).toList();
    }
}
