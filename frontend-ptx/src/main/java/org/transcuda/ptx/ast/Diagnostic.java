package org.transcuda.ptx.ast;

import java.util.Objects;

/**
 * A problem the parser noticed without failing, such as an unknown instruction opcode. A later stage decides
 * whether the function that holds it can be translated.
 */
public record Diagnostic(SourcePos pos, String message) {
    public Diagnostic {
        Objects.requireNonNull(pos, "pos");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return pos + ": " + message;
    }
}
