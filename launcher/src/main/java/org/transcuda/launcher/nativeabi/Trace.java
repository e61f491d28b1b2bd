package org.transcuda.launcher.nativeabi;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * {@code transcuda exec --trace FILE} (environment {@code TRANSCUDA_TRACE}): one line per native call, with its
 * raw arguments (hex) and result, in call order across threads.
 */
final class Trace {
    private final PrintStream out;

    private Trace(PrintStream out) {
        this.out = out;
    }

    /** The trace the environment asks for, or null. */
    static Trace fromEnvironment() {
        String file = System.getenv("TRANSCUDA_TRACE");
        if (file == null || file.isBlank()) return null;
        try {
            return new Trace(new PrintStream(Files.newOutputStream(Path.of(file), StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE), true, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the trace " + file, e);
        }
    }

    synchronized void log(int fn, Args args, int result) {
        StringBuilder sb = new StringBuilder(Fn.name(fn)).append('(');
        int n = Math.max(0, Fn.argumentCount(fn));
        for (int i = 0; i < n; i++) {
            if (i > 0) sb.append(", ");
            sb.append("0x").append(Long.toHexString(args.get(i)));
        }
        sb.append(") = ").append(result).append(" [").append(Thread.currentThread().getName()).append(']');
        out.println(sb);
    }
}
