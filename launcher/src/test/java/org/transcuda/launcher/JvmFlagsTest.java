package org.transcuda.launcher;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The JIT flags of the JVMs Transcuda starts stay the same in the three places that start one: {@code ./transcuda}
 * (the launcher), the JVM the drop-in native libraries create ({@code native/src/bridge.c}) and the CPU benchmark
 * suite ({@code bench/cpu-suite.sh}). Each passes {@code -XX:-DontCompileHugeMethods} (the CPU backend's generated
 * methods may exceed 8000 bytes of bytecode) and, below 4 CPUs, {@code -XX:CICompilerCount=3}: HotSpot's default
 * there is one C2 thread, and a kernel's generated methods wait seconds in its queue (docs/benchmarks.md, "JIT
 * warm-up"). Each also puts the user's own options after these, so that {@code -XX:CICompilerCount=2} there wins.
 */
class JvmFlagsTest {
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

    private static String read(String file) throws Exception {
        Path p = ROOT.resolve(file);
        assertTrue(Files.isRegularFile(p), p + " is missing");
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    /** Some line of {@code text} (a line of code: the patterns start at its beginning) matches {@code regex}. */
    private static void assertLine(String file, String text, String regex) {
        Pattern p = Pattern.compile(regex, Pattern.MULTILINE);
        assertTrue(p.matcher(text).find(), file + " has no line matching " + regex);
    }

    @Test
    void launcherScriptPassesTheJitFlags() throws Exception {
        String s = read("transcuda");
        assertLine("transcuda", s, "^if \\[ \"\\$\\(nproc[^)]*\\)\" -lt 4 \\]; then jit_threads=\"-XX:CICompilerCount=3\"; fi$");
        assertLine("transcuda", s,
                "^exec \"\\$JAVA_HOME/bin/java\" .*-XX:-DontCompileHugeMethods \\$jit_threads \\$\\{JAVA_OPTS:-\\}");
    }

    @Test
    void nativeBridgePassesTheJitFlags() throws Exception {
        String s = read("native/src/bridge.c");
        assertLine("native/src/bridge.c", s, "^\\s*opts\\[n\\+\\+\\] = \"-XX:-DontCompileHugeMethods\";$");
        assertLine("native/src/bridge.c", s, "^\\s*if \\(cpu_count\\(\\) < 4\\) opts\\[n\\+\\+\\] = \"-XX:CICompilerCount=3\";$");
        // the user's TRANSCUDA_JAVA_OPTIONS come after both
        int flags = s.indexOf("\"-XX:CICompilerCount=3\"");
        int user = s.indexOf("getenv(\"TRANSCUDA_JAVA_OPTIONS\")");
        assertTrue(flags > 0 && user > flags, "TRANSCUDA_JAVA_OPTIONS must follow the JIT flags");
    }

    @Test
    void benchmarkSuitePassesTheJitFlags() throws Exception {
        String s = read("bench/cpu-suite.sh");
        assertLine("bench/cpu-suite.sh", s,
                "^if \\[ \"\\$\\(nproc[^)]*\\)\" -lt 4 \\]; then JIT_THREADS=\"-XX:CICompilerCount=3\"; fi$");
        assertLine("bench/cpu-suite.sh", s,
                "^\"\\$JAVA_HOME/bin/java\" .*-XX:-DontCompileHugeMethods \\$JIT_THREADS \\$CPU_BENCH_JVM_OPTS ");
    }

    /** The vector API module (the CPU backend's LaneVec) at every start point, before the user's options. */
    @Test
    void everyStartPointAddsTheVectorModule() throws Exception {
        String t = read("transcuda");
        assertLine("transcuda", t, "^vector_api=\"--add-modules=jdk.incubator.vector\"$");
        assertLine("transcuda", t, "^exec \"\\$JAVA_HOME/bin/java\" .*\\$vector_api .*\\$\\{JAVA_OPTS:-\\}");
        String c = read("native/src/bridge.c");
        assertLine("native/src/bridge.c", c,
                "^\\s*if \\(!vector_api \\|\\| strcmp\\(vector_api, \"0\"\\) != 0\\) opts\\[n\\+\\+\\] = \"--add-modules=jdk.incubator.vector\";$");
        int module = c.indexOf("\"--add-modules=jdk.incubator.vector\"");
        int user = c.indexOf("getenv(\"TRANSCUDA_JAVA_OPTIONS\")");
        assertTrue(module > 0 && user > module, "TRANSCUDA_JAVA_OPTIONS must follow the vector module");
        String b = read("bench/cpu-suite.sh");
        assertLine("bench/cpu-suite.sh", b, "^\"\\$JAVA_HOME/bin/java\" .*--add-modules=jdk.incubator.vector .*\\$CPU_BENCH_JVM_OPTS ");
    }
}
