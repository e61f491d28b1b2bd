package org.transcuda.backend.vulkan;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.transcuda.backend.vulkan.spirv.SpirvModule;

/** Runs the SPIRV-Tools command-line tools (spirv-val, spirv-dis) on modules; tests skip where absent. */
final class SpirvTools {
    private static final Map<String, Boolean> AVAILABLE = new ConcurrentHashMap<>();

    private SpirvTools() {
    }

    /** Exit code and combined output of a tool run. */
    record Result(int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    static boolean available(String tool) {
        return AVAILABLE.computeIfAbsent(tool, t -> {
            try {
                return run(List.of(t, "--version"), null).exitCode == 0;
            } catch (IOException e) {
                return false;
            }
        });
    }

    static void assumeAvailable(String tool) {
        assumeTrue(available(tool), tool + " is not installed (apt-get install spirv-tools)");
    }

    static Result run(List<String> command, byte[] stdin) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Process p = pb.start();
        if (stdin != null) p.getOutputStream().write(stdin);
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(command + " timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    private static Result onFile(List<String> command, int[] words) throws IOException {
        Path f = Files.createTempFile("transcuda", ".spv");
        try {
            Files.write(f, SpirvModule.toBytes(words));
            List<String> c = new ArrayList<>(command);
            c.add(f.toString());
            return run(c, null);
        } finally {
            Files.deleteIfExists(f);
        }
    }

    /** {@code spirv-val --target-env vulkan1.2}. */
    static Result validate(int[] words) throws IOException {
        return onFile(List.of("spirv-val", "--target-env", "vulkan1.2"), words);
    }

    /** {@code spirv-val --target-env vulkan1.3}: the environment of generated kernels. */
    static Result validate13(int[] words) throws IOException {
        return onFile(List.of("spirv-val", "--target-env", "vulkan1.3"), words);
    }

    /** {@code spirv-dis --raw-id} (ids as numbers, so tests can match them). */
    static Result disassemble(int[] words) throws IOException {
        return onFile(List.of("spirv-dis", "--raw-id", "--no-color"), words);
    }
}
