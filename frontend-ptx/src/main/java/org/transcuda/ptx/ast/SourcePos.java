package org.transcuda.ptx.ast;

import java.util.Objects;

/**
 * A position in PTX source text.
 *
 * @param file   the file name given to the parser
 * @param line   1-based line
 * @param column 1-based column (counted in UTF-16 chars; a tab counts as one)
 */
public record SourcePos(String file, int line, int column) {
    public SourcePos {
        Objects.requireNonNull(file, "file");
    }

    /** {@code file:line:col}, the prefix of diagnostics. */
    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
