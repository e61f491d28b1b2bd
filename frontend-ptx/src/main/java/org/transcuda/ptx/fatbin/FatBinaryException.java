package org.transcuda.ptx.fatbin;

import java.util.Locale;

/**
 * Thrown for an image the fat binary reader cannot use. The {@link #kind()} tells callers which CUDA error to
 * report; the message names the byte offset (relative to the start of the fat binary container or image; for
 * images read from memory it is prefixed with the address they were read at) and what was wrong there, e.g.
 * {@code offset 0x10: entry 0: payload size 0x398 runs past the end of the fat binary (0x200 bytes)}.
 */
public final class FatBinaryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What went wrong, and so which CUDA error a caller reports. */
    public enum Kind {
        /**
         * The image is corrupt or not an image at all: bad magic, truncated header, a size that runs past the end,
         * undecodable compressed data. Callers report {@code CUDA_ERROR_INVALID_IMAGE}.
         */
        MALFORMED,
        /**
         * The image is well formed but holds no PTX (only SASS, LTO IR, or nothing); Transcuda can only use PTX.
         * Callers report {@code CUDA_ERROR_NO_BINARY_FOR_GPU}.
         */
        NO_PTX,
        /**
         * A well-formed header of a kind this reader does not know, e.g. a fat binary version other than 1.
         * Callers report {@code CUDA_ERROR_INVALID_IMAGE} (there is no closer CUDA error).
         */
        UNSUPPORTED
    }

    private final String context;
    private final Kind kind;
    private final long offset;
    private final String detail;

    /**
     * @param kind   what went wrong
     * @param offset the byte offset the problem is at, or -1 when it is not about one place
     * @param detail what was wrong there
     */
    public FatBinaryException(Kind kind, long offset, String detail) {
        this(kind, offset, detail, null);
    }

    FatBinaryException(Kind kind, long offset, String detail, Throwable cause) {
        this(null, kind, offset, detail, cause);
    }

    private FatBinaryException(String context, Kind kind, long offset, String detail, Throwable cause) {
        super((context == null ? "" : context + ": ")
                + (offset >= 0 ? String.format(Locale.ROOT, "offset 0x%x: ", offset) : "") + detail, cause);
        this.context = context;
        this.kind = kind;
        this.offset = offset;
        this.detail = detail;
    }

    /** What went wrong. */
    public Kind kind() {
        return kind;
    }

    /** The byte offset the problem is at (relative to the start of the image or container), or -1. */
    public long offset() {
        return offset;
    }

    /** The message without the context and offset prefixes. */
    public String detail() {
        return detail;
    }

    /** The same problem with {@code context} (e.g. where the container was read from) put before the message. */
    FatBinaryException within(String outer) {
        return new FatBinaryException(this.context == null ? outer : outer + ": " + this.context, kind, offset,
                detail, this);
    }

    static FatBinaryException malformed(long offset, String format, Object... args) {
        return new FatBinaryException(Kind.MALFORMED, offset, String.format(Locale.ROOT, format, args));
    }
}
