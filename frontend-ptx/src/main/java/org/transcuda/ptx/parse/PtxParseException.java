package org.transcuda.ptx.parse;

/**
 * Thrown for PTX text that cannot be parsed. The message is {@code file:line:col: detail}, where the detail names
 * what was expected and what was found, e.g. {@code kernel.ptx:12:5: expected ';' after instruction, found 'add'}.
 * A well-formed {@code .version} newer than the front end implements is the subclass
 * {@link UnsupportedPtxVersionException} (CUDA's {@code CUDA_ERROR_UNSUPPORTED_PTX_VERSION}, not an invalid PTX).
 */
public sealed class PtxParseException extends RuntimeException permits UnsupportedPtxVersionException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;
    private final int column;
    private final String detail;

    public PtxParseException(String file, int line, int column, String detail) {
        super(file + ":" + line + ":" + column + ": " + detail);
        this.file = file;
        this.line = line;
        this.column = column;
        this.detail = detail;
    }

    /** The file name given to the parser. */
    public String file() {
        return file;
    }

    /** 1-based line of the offending token. */
    public int line() {
        return line;
    }

    /** 1-based column of the offending token. */
    public int column() {
        return column;
    }

    /** The message without the {@code file:line:col: } prefix. */
    public String detail() {
        return detail;
    }
}
