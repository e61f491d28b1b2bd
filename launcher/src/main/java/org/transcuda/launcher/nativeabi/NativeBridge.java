package org.transcuda.launcher.nativeabi;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongBinaryOperator;
import java.util.stream.Stream;
import org.transcuda.launcher.Platform;

/**
 * The entry point of the native libraries, in the JVM they start (outside the OSGi framework, on the class
 * path: the launcher jar and Felix). {@link #boot()} starts the platform once; {@link #call(int, long)}
 * forwards every CUDA call to the in-framework {@link Dispatcher}, found as a {@link LongBinaryOperator}
 * service with {@code transcuda.native=dispatcher} (only JDK types cross the framework boundary).
 */
public final class NativeBridge {
    /** cudaErrorInitializationError and CUDA_ERROR_NOT_INITIALIZED: the same number. */
    static final int NOT_INITIALIZED = 3;
    /** cudaErrorUnknown and CUDA_ERROR_UNKNOWN. */
    static final int UNKNOWN = 999;
    private static final long START_TIMEOUT_MS = 30_000;

    private static volatile LongBinaryOperator dispatcher;
    @SuppressWarnings("unused") // held for the life of the process: the JVM never shuts down before it exits
    private static Platform platform;

    private NativeBridge() {
    }

    /**
     * Boots the platform (called once by the native side, before any {@link #call}); 0 when the dispatcher
     * runs, else {@value #NOT_INITIALIZED} after saying why on stderr.
     */
    public static synchronized int boot() {
        if (dispatcher != null) return 0;
        try {
            // Java's System.out writes through the program's C stdout, so that output of the platform (kernel
            // printf, later) and of the program interleave as they do under CUDA.
            System.setOut(new PrintStream(new CStdout(), true, StandardCharsets.UTF_8));
            removeStaleScratch();
            String homeProperty = System.getProperty("transcuda.home");
            if (homeProperty == null || homeProperty.isBlank()) {
                System.err.println("transcuda: transcuda.home is not set");
                return NOT_INITIALIZED;
            }
            Path home = Path.of(homeProperty);
            String backendsEnv = System.getenv("TRANSCUDA_BACKENDS");
            Path backends = backendsEnv != null && !backendsEnv.isBlank() ? Path.of(backendsEnv)
                    : home.resolve("backends");
            Platform p = Platform.start(new Platform.Options(home, backends, launcherJar(), false, Map.of()));
            platform = p;
            LongBinaryOperator d = p.awaitService(LongBinaryOperator.class, "(transcuda.native=dispatcher)",
                    START_TIMEOUT_MS);
            if (d == null) {
                System.err.println("transcuda: the native dispatcher did not start within "
                        + START_TIMEOUT_MS / 1000 + " s (see the log above)");
                return NOT_INITIALIZED;
            }
            dispatcher = d;
            return 0;
        } catch (Exception | LinkageError e) {
            System.err.println("transcuda: the platform did not start: " + e);
            e.printStackTrace();
            return NOT_INITIALIZED;
        }
    }

    /**
     * One CUDA call: {@code function} is an {@link Fn} id, {@code argBlock} the address of its uint64 arguments.
     * Returns the cudaError_t or CUresult the C function returns.
     */
    public static int call(int function, long argBlock) {
        LongBinaryOperator d = dispatcher;
        if (d == null) return NOT_INITIALIZED;
        try {
            return (int) d.applyAsLong(function, argBlock);
        } catch (RuntimeException | Error e) {
            System.err.println("transcuda: internal error in " + Fn.name(function) + ": " + e);
            e.printStackTrace();
            return UNKNOWN;
        }
    }

    private static Optional<Path> launcherJar() {
        String configured = System.getProperty("transcuda.launcher.jar");
        if (configured == null || configured.isBlank()) configured = System.getenv("TRANSCUDA_LAUNCHER_JAR");
        if (configured != null && !configured.isBlank()) return Optional.of(Path.of(configured));
        try {
            Path p = Path.of(NativeBridge.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The native side gives each process a scratch folder ($TMPDIR/transcuda-native-UID/PID, this JVM's
     * java.io.tmpdir) and removes it at exit; folders of processes that died without exiting go here.
     */
    private static void removeStaleScratch() {
        Path own = Path.of(System.getProperty("java.io.tmpdir"));
        Path base = own.getParent();
        if (base == null || !base.getFileName().toString().startsWith("transcuda-native-")) return;
        try (Stream<Path> entries = Files.list(base)) {
            entries.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .filter(p -> !p.equals(own))
                    .filter(p -> ProcessHandle.of(Long.parseLong(p.getFileName().toString())).isEmpty())
                    .forEach(NativeBridge::deleteTree);
        } catch (IOException | RuntimeException ignored) {
            // best effort
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
