package org.transcuda.ptx.parse;

/**
 * A {@code .version major.minor} newer than the newest PTX ISA version the front end implements
 * ({@link PtxParser#NEWEST_ISA_MAJOR}.{@link PtxParser#NEWEST_ISA_MINOR}, the version CUDA 13.0 ships). NVIDIA's
 * driver refuses such a module with {@code CUDA_ERROR_UNSUPPORTED_PTX_VERSION} (222), and so does the CUDA API here.
 * The position is the version number's.
 */
public final class UnsupportedPtxVersionException extends PtxParseException {
    private static final long serialVersionUID = 1L;

    private final int major;
    private final int minor;

    public UnsupportedPtxVersionException(String file, int line, int column, int major, int minor) {
        super(file, line, column, "PTX ISA version " + major + "." + minor + " is newer than the newest this "
                + "translator implements (" + PtxParser.NEWEST_ISA_MAJOR + "." + PtxParser.NEWEST_ISA_MINOR
                + ", CUDA 13.0)");
        this.major = major;
        this.minor = minor;
    }

    /** The major version the text asked for. */
    public int major() {
        return major;
    }

    /** The minor version the text asked for. */
    public int minor() {
        return minor;
    }
}
