package org.transcuda.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The launcher's command line as a user runs it: a separate JVM on the built distribution. */
class CommandLineIT {
    record Result(int exit, String out, String err) {
    }

    static Result run(String stdin, String... args) throws Exception {
        Path home = Path.of(System.getProperty("transcuda.home"));
        Path jar = Path.of(System.getProperty("transcuda.launcher.jar"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED", "-Dtranscuda.home=" + home,
                "-Dtranscuda.launcher.jar=" + jar, "-cp", jar + File.pathSeparator + home.resolve("lib") + "/*",
                "org.transcuda.launcher.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("TRANSCUDA_BACKEND");
        Path out = Files.createTempFile("tc-out", ".txt");
        Path err = Files.createTempFile("tc-err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("transcuda " + String.join(" ", args) + " hangs");
        }
        Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    @Test
    void devicesListsTheCpuBackendAndItsDevice() throws Exception {
        Result r = run("", "devices");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("Backend cpu [selected]"), r.out());
        assertTrue(r.out().contains("Device (CUDA device 0)"), r.out());
        int cores = Runtime.getRuntime().availableProcessors();
        assertTrue(r.out().matches("(?s).*Multiprocessors:\\s+" + cores + "\\R.*"), r.out());
    }

    @Test
    void aConfiguredBackendThatIsAbsentIsAnErrorNotAFallback() throws Exception {
        Result r = run("", "--backend", "hip", "devices");
        assertEquals(1, r.exit(), r.out());
        assertTrue(r.out().contains("CUDA_ERROR_NO_DEVICE (100): backend 'hip'"), r.out());
        assertTrue(r.out().matches("(?s).*is not installed; installed: cpu(, vulkan)?\\R.*"), r.out());
    }

    @Test
    void unknownCommandsAreUsageErrors() throws Exception {
        Result r = run("", "frobnicate");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("unknown command 'frobnicate'"), r.err());
    }

    @Test
    void shellRunsTranscudaCommands() throws Exception {
        Result r = run("transcuda:backends\ntranscuda:devices\n", "shell");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().matches("(?s).*cpu\\s+Host CPU \\(pure Java\\).*selected.*"), r.out());
        assertTrue(r.out().contains("Device (CUDA device 0)"), r.out());
    }
}
