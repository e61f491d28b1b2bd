package org.transcuda.ir;

/** A source position: the PTX file position and, when {@code .loc} gave one, the CUDA source line. */
public record SrcLoc(String file, int line, int column, String sourceFile, int sourceLine) {
    public static SrcLoc ptx(String file, int line, int column) {
        return new SrcLoc(file, line, column, null, 0);
    }

    @Override
    public String toString() {
        String s = file + ":" + line + ":" + column;
        return sourceFile == null ? s : s + " (" + sourceFile + ":" + sourceLine + ")";
    }
}
