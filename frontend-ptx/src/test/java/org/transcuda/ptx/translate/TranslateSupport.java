package org.transcuda.ptx.translate;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/** Shared helpers for the translation tests: corpus files and test resources. */
final class TranslateSupport {
    /** The PTX fixtures under src/test/resources/ptx. */
    static final List<String> RESOURCES = List.of(
            "vector_add.ptx", "vector_add_lineinfo.ptx", "reduce_shared.ptx", "device_func.ptx",
            "device_func_debug.ptx", "atomics.ptx", "warp_shuffle.ptx", "printf.ptx", "local_array.ptx",
            "switch.ptx", "constant_mem.ptx", "dynamic_shared.ptx", "func_pointer.ptx", "cluster.ptx",
            "inline_lineinfo.ptx", "handwritten_syntax.ptx");

    private TranslateSupport() {
    }

    static String resource(String path) {
        try (InputStream in = TranslateSupport.class.getResourceAsStream(path)) {
            Objects.requireNonNull(in, "missing test resource " + path);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The repository root: the nearest folder above the working directory that holds corpus/. */
    static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("corpus").resolve("ptx"))) p = p.getParent();
        if (p == null) throw new IllegalStateException("no corpus/ptx above " + Path.of("").toAbsolutePath());
        return p;
    }

    /** corpus/ptx/*.ptx, sorted. */
    static List<Path> corpusFiles() {
        try (Stream<Path> s = Files.list(repoRoot().resolve("corpus").resolve("ptx"))) {
            List<Path> out = new ArrayList<>(s.filter(x -> x.toString().endsWith(".ptx")).sorted().toList());
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
