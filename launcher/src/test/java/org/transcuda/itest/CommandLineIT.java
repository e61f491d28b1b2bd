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

    static Path corpus(String file) {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("corpus/ptx"))) p = p.getParent();
        return p.resolve("corpus/ptx").resolve(file);
    }

    @Test
    void translatePrintsTheIrAndDumpsPasses() throws Exception {
        Result r = run("", "translate", corpus("arith_int.ptx").toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains(".entry int_arith_u32("), r.out());
        assertTrue(r.out().contains("= special tid_x"), r.out());
        Result all = run("", "translate", corpus("arith_int.ptx").toString(), "--dump-after", "all");
        assertTrue(all.out().contains("// ---- after resolve ----"), all.out());
        assertTrue(all.out().contains("// ---- after dead-code ----"), all.out());
        Result bad = run("", "translate", corpus("arith_int.ptx").toString(), "--dump-after", "nonsense");
        assertEquals(2, bad.exit());
    }

    @Test
    void translateToSpirvWritesOneModulePerKernel() throws Exception {
        Path dir = Files.createTempDirectory("spv");
        Path out = dir.resolve("arith.spv");
        Result r = run("", "translate", corpus("arith_int.ptx").toString(), "--target", "spirv-vulkan", "-o",
                out.toString());
        assertEquals(0, r.exit(), r.err());
        byte[] spv = Files.readAllBytes(dir.resolve("arith.int_arith_u32.spv"));
        assertEquals(0x07230203, (spv[0] & 0xff) | (spv[1] & 0xff) << 8 | (spv[2] & 0xff) << 16 | (spv[3] & 0xff) << 24);
        Result dis = run("", "translate", corpus("arith_int.ptx").toString(), "--target", "spirv-vulkan", "--kernel",
                "int_arith_u32", "--disassemble");
        assertEquals(0, dis.exit(), dis.err());
        assertTrue(dis.out().contains("OpEntryPoint GLCompute"), dis.out());
        Result none = run("", "translate", corpus("arith_int.ptx").toString(), "--target", "no-such-target");
        assertEquals(2, none.exit());
        assertTrue(none.err().contains("spirv-vulkan"), none.err());
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) Files.delete(f);
        }
        Files.delete(dir);
    }

    @Test
    void runOnTheVulkanBackendCompilesThePtxToSpirv() throws Exception {
        Result devices = run("", "--backend", "vulkan", "devices");
        String out = devices.out();
        int at = out.indexOf("Backend vulkan");
        int next = at < 0 ? -1 : out.indexOf("\nBackend ", at + 1);
        String vulkan = at < 0 ? "" : out.substring(at, next < 0 ? out.length() : next);
        org.junit.jupiter.api.Assumptions.assumeTrue(vulkan.contains("Device (CUDA device 0)"),
                "no usable Vulkan device: " + out);
        Result r = run("", "--backend", "vulkan", "run", corpus("arith_int.ptx").toString(), "--kernel",
                "int_arith_u32", "--grid", "1", "--block", "4", "u32[1,2,3,4294967295]", "u32[5,6,7,8]",
                "u32[1,1,1,1]", "u32*16", "s32:4");
        assertEquals(0, r.exit(), r.err());
        // a+b, a-b, a*b, a*b+c (mod 2^32), computed here
        long[] a = {1, 2, 3, 4294967295L};
        long[] b = {5, 6, 7, 8};
        StringBuilder expected = new StringBuilder("arg3 = u32[");
        for (int k = 0; k < 4; k++) {
            for (int i = 0; i < 4; i++) {
                long v = switch (k) {
                    case 0 -> a[i] + b[i];
                    case 1 -> a[i] - b[i];
                    case 2 -> a[i] * b[i];
                    default -> a[i] * b[i] + 1;
                };
                expected.append(k + i == 0 ? "" : ",").append(v & 0xffffffffL);
            }
        }
        expected.append(']');
        assertTrue(r.out().contains(expected.toString()), r.out() + "\nexpected " + expected);
        assertTrue(r.out().contains("on vulkan"), r.out());
    }

    @Test
    void malformedPtxIsReportedWithItsPosition() throws Exception {
        Path bad = Files.createTempFile("bad", ".ptx");
        Files.writeString(bad, ".version 9.0\n.target sm_80\n.address_size 64\n.visible .entry k()\n{\n  add.s32 %r1 %r2;\n}\n");
        Result r = run("", "translate", bad.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().matches("(?s).*" + java.util.regex.Pattern.quote(bad.getFileName().toString()) + ":6:\\d+: .*"),
                r.err());
        Files.delete(bad);
    }

    @Test
    void runExecutesAKernelAndPrintsItsBuffers() throws Exception {
        // int_arith_u32: out[k*n+i] = a+b, a-b, a*b, a*b+c (mod 2^32) for k = 0..3
        long[] a = {1, 2, 3, 4294967295L};
        long[] b = {5, 6, 7, 8};
        long[] c = {1, 1, 1, 1};
        StringBuilder expected = new StringBuilder("arg3 = u32[");
        for (int k = 0; k < 4; k++) {
            for (int i = 0; i < 4; i++) {
                long v = switch (k) {
                    case 0 -> a[i] + b[i];
                    case 1 -> a[i] - b[i];
                    case 2 -> a[i] * b[i];
                    default -> a[i] * b[i] + c[i];
                };
                expected.append(k + i == 0 ? "" : ",").append(v & 0xffffffffL);
            }
        }
        expected.append(']');
        Path dump = Files.createTempDirectory("dump");
        Result r = run("", "run", corpus("arith_int.ptx").toString(), "--kernel", "int_arith_u32", "--grid", "1",
                "--block", "4", "--dump", dump.toString(), "u32[1,2,3,4294967295]", "u32[5,6,7,8]", "u32[1,1,1,1]",
                "u32*16", "s32:4");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains(expected.toString()), r.out() + "\nexpected " + expected);
        assertEquals(64, Files.size(dump.resolve("arg3.bin")));
        Result wrong = run("", "run", corpus("arith_int.ptx").toString(), "--kernel", "int_arith_u32", "--grid", "1",
                "--block", "4", "u32[1]", "u32[1]", "u32[1]", "u32*4", "f64:1");
        assertEquals(1, wrong.exit());
        assertTrue(wrong.err().contains("argument 4"), wrong.err());
    }

    @Test
    void demoRunsNvccKernelsAndChecksThem() throws Exception {
        Result r = run("", "demo", "20000");
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("block sums (shared memory, bar.sync in a loop)"), r.out());
        assertEquals(3, r.out().lines().filter(l -> l.trim().endsWith(" ok")).count(), r.out());
        assertTrue(r.out().strip().endsWith("PASS"), r.out());
    }
}
