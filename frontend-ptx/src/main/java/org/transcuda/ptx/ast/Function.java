package org.transcuda.ptx.ast;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A kernel ({@code .entry}) or device function ({@code .func}), defined or only declared.
 *
 * @param pos         position of the first token (the linkage directive, if any)
 * @param linkage     the linkage
 * @param entry       {@code true} for {@code .entry}, {@code false} for {@code .func}
 * @param name        the function name
 * @param returns     the return parameters of a {@code .func} ({@code (.param .b32 r)}), in order
 * @param params      the parameters, in order
 * @param noreturn    whether {@code .noreturn} was given
 * @param directives  performance directives and pragmas between the parameters and the body, in order
 * @param hasBody     {@code false} for a prototype ending in {@code ;}
 * @param body        the body statements (empty for a prototype)
 * @param diagnostics problems found in the body that did not stop parsing (unknown opcodes)
 */
public record Function(SourcePos pos, Linkage linkage, boolean entry, String name, List<VariableDecl> returns,
                       List<VariableDecl> params, boolean noreturn, List<FunctionDirective> directives,
                       boolean hasBody, List<Statement> body, List<Diagnostic> diagnostics) implements ModuleItem {
    public Function {
        Objects.requireNonNull(pos, "pos");
        Objects.requireNonNull(linkage, "linkage");
        Objects.requireNonNull(name, "name");
        returns = List.copyOf(returns);
        params = List.copyOf(params);
        directives = List.copyOf(directives);
        body = List.copyOf(body);
        diagnostics = List.copyOf(diagnostics);
    }

    /** Every instruction of the body in order, including those in nested blocks. */
    public List<Instruction> instructions() {
        List<Instruction> out = new ArrayList<>();
        collect(body, out, Instruction.class);
        return out;
    }

    /** Every statement of the body in order, nested blocks flattened (the blocks themselves are included). */
    public List<Statement> allStatements() {
        List<Statement> out = new ArrayList<>();
        collect(body, out, Statement.class);
        return out;
    }

    /** The first performance directive with the given name ({@code ".maxntid"}). */
    public Optional<PerformanceDirective> directive(String directiveName) {
        for (FunctionDirective d : directives) {
            if (d instanceof PerformanceDirective p && p.name().equals(directiveName)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static <T extends Statement> void collect(List<Statement> statements, List<T> out, Class<T> kind) {
        // Iterative walk, so deep block nesting cannot overflow the stack.
        ArrayList<java.util.Iterator<Statement>> stack = new ArrayList<>();
        stack.add(statements.iterator());
        while (!stack.isEmpty()) {
            java.util.Iterator<Statement> it = stack.getLast();
            if (!it.hasNext()) {
                stack.removeLast();
                continue;
            }
            Statement s = it.next();
            if (kind.isInstance(s)) {
                out.add(kind.cast(s));
            }
            if (s instanceof Block b) {
                stack.add(b.statements().iterator());
            }
        }
    }
}
