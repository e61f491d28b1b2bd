package org.transcuda.ir;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A translated module: what a backend receives to load.
 *
 * @param name      a name for diagnostics (file name or "module")
 * @param variables module-scope variables ({@code .global}, {@code .const}, {@code .shared})
 * @param functions kernels and device functions
 * @param problems  functions that failed to translate, by name, with the reason ({@code file:line:col: ...});
 *                  loading one of them fails with that message, the rest of the module stays usable
 */
public record Module(String name, List<Variable> variables, List<Function> functions, List<Problem> problems) {
    public Module {
        Objects.requireNonNull(name, "name");
        variables = List.copyOf(variables);
        functions = List.copyOf(functions);
        problems = List.copyOf(problems);
    }

    public Module(String name, List<Function> functions) {
        this(name, List.of(), functions, List.of());
    }

    /** A function that could not be translated. */
    public record Problem(String function, String message) {
    }

    public Optional<Function> function(String functionName) {
        return functions.stream().filter(f -> f.name().equals(functionName)).findFirst();
    }

    public Optional<Variable> variable(String variableName) {
        return variables.stream().filter(v -> v.name().equals(variableName)).findFirst();
    }

    public List<Function> kernels() {
        return functions.stream().filter(Function::kernel).toList();
    }

    /** Why {@code functionName} could not be translated, if it could not. */
    public Optional<Problem> problem(String functionName) {
        return problems.stream().filter(p -> p.function().equals(functionName)).findFirst();
    }
}
