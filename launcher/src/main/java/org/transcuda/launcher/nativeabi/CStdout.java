package org.transcuda.launcher.nativeabi;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * An output stream into the host program's C {@code stdout} ({@code fwrite}), buffered as the program's own
 * output is, so that what Java prints and what the program prints keep their order. Flushing is left to C
 * (line-buffered on a terminal, flushed at exit), as for the program's own printf.
 */
final class CStdout extends OutputStream {
    private final MethodHandle fwrite;
    private final MemorySegment stdoutVariable;

    CStdout() {
        Linker linker = Linker.nativeLinker();
        SymbolLookup libc = linker.defaultLookup();
        fwrite = linker.downcallHandle(libc.find("fwrite").orElseThrow(), FunctionDescriptor.of(ValueLayout.JAVA_LONG,
                ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
        stdoutVariable = libc.find("stdout").orElseThrow().reinterpret(ValueLayout.ADDRESS.byteSize());
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (len == 0) return;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(len);
            MemorySegment.copy(b, off, buffer, ValueLayout.JAVA_BYTE, 0, len);
            // `stdout` is a variable: read it each time, as C code does.
            MemorySegment file = stdoutVariable.get(ValueLayout.ADDRESS, 0);
            long written = (long) fwrite.invokeExact(buffer, 1L, (long) len, file);
            if (written != len) throw new IOException("fwrite to stdout wrote " + written + " of " + len + " bytes");
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(t);
        }
    }
}
