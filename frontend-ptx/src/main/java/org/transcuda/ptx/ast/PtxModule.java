package org.transcuda.ptx.ast;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A parsed PTX module.
 *
 * @param file  the file name given to the parser
 * @param items every top-level directive, declaration and function, in source order
 */
public record PtxModule(String file, List<ModuleItem> items) {
    public PtxModule {
        Objects.requireNonNull(file, "file");
        items = List.copyOf(items);
    }

    public Optional<VersionDirective> version() {
        return first(VersionDirective.class);
    }

    /** The entries of {@code .target} (architecture first), empty if there is none. */
    public List<String> targets() {
        return first(TargetDirective.class).map(TargetDirective::targets).orElse(List.of());
    }

    public OptionalInt addressSize() {
        return first(AddressSizeDirective.class).map(a -> OptionalInt.of(a.bits())).orElse(OptionalInt.empty());
    }

    /** All functions, definitions and prototypes, in source order. */
    public List<Function> functions() {
        return all(Function.class);
    }

    /** All {@code .entry} functions that have a body. */
    public List<Function> kernels() {
        return functions().stream().filter(f -> f.entry() && f.hasBody()).toList();
    }

    /** The function with this name, preferring a definition over a prototype. */
    public Optional<Function> function(String name) {
        Function proto = null;
        for (ModuleItem item : items) {
            if (item instanceof Function f && f.name().equals(name)) {
                if (f.hasBody()) {
                    return Optional.of(f);
                }
                if (proto == null) {
                    proto = f;
                }
            }
        }
        return Optional.ofNullable(proto);
    }

    /** Module-level variables, in source order. */
    public List<VariableDecl> variables() {
        return all(VariableDecl.class);
    }

    public Optional<VariableDecl> variable(String name) {
        return variables().stream().filter(v -> v.name().equals(name)).findFirst();
    }

    /** The diagnostics of all functions, in source order. */
    public List<Diagnostic> diagnostics() {
        List<Diagnostic> out = new ArrayList<>();
        for (Function f : functions()) {
            out.addAll(f.diagnostics());
        }
        return out;
    }

    private <T extends ModuleItem> Optional<T> first(Class<T> kind) {
        for (ModuleItem item : items) {
            if (kind.isInstance(item)) {
                return Optional.of(kind.cast(item));
            }
        }
        return Optional.empty();
    }

    private <T extends ModuleItem> List<T> all(Class<T> kind) {
        List<T> out = new ArrayList<>();
        for (ModuleItem item : items) {
            if (kind.isInstance(item)) {
                out.add(kind.cast(item));
            }
        }
        return out;
    }

    /** The module as PTX text (see {@link PtxPrinter}). */
    @Override
    public String toString() {
        return PtxPrinter.print(this);
    }
}
