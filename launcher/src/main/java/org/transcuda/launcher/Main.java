package org.transcuda.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The {@code transcuda} command line. It embeds the OSGi platform ({@link Platform}), then hands the
 * command to a service that runs inside it: services with the property {@code transcuda.command=NAME}
 * and the JDK type {@code Function<String[], Integer>} (only JDK types cross the framework boundary).
 */
public final class Main {
    private Main() {
    }

    static final String USAGE = """
            usage: transcuda [--backend ID] COMMAND [ARGS]

            commands:
              devices   list every backend and its devices (like CUDA's deviceQuery)
              demo [N]  run nvcc-compiled kernels (reduction, warp scan, transpose) checked against Java
              run FILE.ptx --kernel NAME --grid X[,Y,Z] --block X[,Y,Z] [--shared BYTES] [--dump DIR] ARG...
                        run one kernel; ARG: u32:7, f32:1.5, f32[1,2,3], f32*1024, [TYPE]@FILE
              translate FILE.ptx [--dump-after PASS|all] [-o OUT]
                        translate PTX to the IR and print it
              translate FILE.ptx --target spirv-vulkan [--kernel K] [-o OUT] [--disassemble]
                        compile the kernels for a backend's target (SPIR-V for Vulkan)
              shell     interactive OSGi shell (Gogo) with the transcuda:backends and transcuda:devices commands
              exec [--backend ID] [--trace FILE] [--] PROGRAM [ARGS...]
                        run an unmodified CUDA program (built with nvcc -cudart shared, or linked with -lcuda)
                        on Transcuda's libcudart.so.13 and libcuda.so.1; exits with the program's exit code.
                        --trace FILE writes every CUDA call (arguments, result, duration) as Chrome trace-event
                        JSON (open it in Perfetto or chrome://tracing)
              help      this text

            options:
              --backend ID   use backend ID for CUDA devices (also TRANSCUDA_BACKEND or -Dtranscuda.backend)
            environment:
              TRANSCUDA_HOME        distribution folder (bundles/, backends/, etc/)
              TRANSCUDA_BACKENDS    backends folder to watch (default: $TRANSCUDA_HOME/backends)
              TRANSCUDA_LOG_LEVEL   log level (default warn)
            """;

    /** Commands served by {@code transcuda.command} services inside the framework. */
    static final java.util.Set<String> COMMANDS = java.util.Set.of("devices", "demo", "run", "translate");

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] argv, PrintStream out, PrintStream err) {
        List<String> args = new ArrayList<>(Arrays.asList(argv));
        while (!args.isEmpty() && args.get(0).startsWith("--")) {
            String opt = args.remove(0);
            if (opt.equals("--backend") && !args.isEmpty()) {
                System.setProperty("transcuda.backend", args.remove(0));
            } else if (opt.startsWith("--backend=")) {
                System.setProperty("transcuda.backend", opt.substring("--backend=".length()));
            } else if (opt.equals("--help")) {
                out.print(USAGE);
                return 0;
            } else {
                err.println("transcuda: unknown option " + opt);
                err.print(USAGE);
                return 2;
            }
        }
        if (args.isEmpty() || args.get(0).equals("help")) {
            (args.isEmpty() ? err : out).print(USAGE);
            return args.isEmpty() ? 2 : 0;
        }
        String command = args.remove(0);
        if (command.equals("exec")) return exec(args, err);
        boolean shell = command.equals("shell");
        if (!shell && !COMMANDS.contains(command)) {
            err.println("transcuda: unknown command '" + command + "'");
            err.print(USAGE);
            return 2;
        }
        Path home = home();
        if (!Files.isDirectory(home.resolve("bundles"))) {
            err.println("transcuda: no distribution at " + home + " (set TRANSCUDA_HOME or build with ./transcuda)");
            return 1;
        }
        String backendsEnv = System.getenv("TRANSCUDA_BACKENDS");
        Path backends = backendsEnv != null && !backendsEnv.isBlank() ? Path.of(backendsEnv) : home.resolve("backends");
        Platform.Options options = new Platform.Options(home, backends, ownJar(), shell, Map.of());
        try (Platform platform = Platform.start(options)) {
            if (shell) {
                platform.watcher().watch(1000);
                platform.waitForStop();
                return 0;
            }
            @SuppressWarnings("unchecked")
            Function<String[], Integer> cmd = platform.awaitService(Function.class,
                    "(transcuda.command=" + command + ")", 10_000);
            if (cmd == null) {
                err.println("transcuda: the '" + command + "' command did not start within 10 s (see the log)");
                return 1;
            }
            return cmd.apply(args.toArray(String[]::new));
        } catch (Exception e) {
            err.println("transcuda: " + e);
            return 1;
        }
    }

    /**
     * {@code transcuda exec}: runs PROGRAM with the native libraries of the distribution ({@code native/}) first
     * on its library path and what they need to find the platform in its environment. The framework starts in
     * the program's own process, on its first CUDA call; this JVM only waits and passes the exit code on.
     */
    static int exec(List<String> args, PrintStream err) {
        String trace = null;
        while (!args.isEmpty() && args.get(0).startsWith("-")) {
            String opt = args.remove(0);
            if (opt.equals("--")) break;
            if (opt.equals("--backend") && !args.isEmpty()) {
                System.setProperty("transcuda.backend", args.remove(0));
            } else if (opt.startsWith("--backend=")) {
                System.setProperty("transcuda.backend", opt.substring("--backend=".length()));
            } else if (opt.equals("--trace") && !args.isEmpty()) {
                trace = args.remove(0);
            } else if (opt.startsWith("--trace=")) {
                trace = opt.substring("--trace=".length());
            } else {
                err.println("transcuda exec: unknown option " + opt);
                err.print(USAGE);
                return 2;
            }
        }
        if (args.isEmpty()) {
            err.println("transcuda exec: no program given");
            err.print(USAGE);
            return 2;
        }
        Path home = home().toAbsolutePath();
        Path nativeDir = home.resolve("native");
        if (!Files.isRegularFile(nativeDir.resolve("libcudart.so.13"))) {
            err.println("transcuda exec: no native libraries in " + nativeDir
                    + " (build with ./transcuda, mvn package, or make -C native install DESTDIR=" + nativeDir + ")");
            return 1;
        }
        ProcessBuilder pb = new ProcessBuilder(args).inheritIO();
        Map<String, String> env = pb.environment();
        String ld = env.get("LD_LIBRARY_PATH");
        env.put("LD_LIBRARY_PATH", nativeDir + (ld == null || ld.isEmpty() ? "" : ":" + ld));
        env.put("TRANSCUDA_HOME", home.toString());
        ownJar().ifPresent(j -> env.put("TRANSCUDA_LAUNCHER_JAR", j.toAbsolutePath().toString()));
        env.put("TRANSCUDA_JAVA_HOME", System.getProperty("java.home"));
        String backend = System.getProperty("transcuda.backend");
        if (backend != null && !backend.isBlank()) env.put("TRANSCUDA_BACKEND", backend);
        if (trace != null) env.put("TRANSCUDA_TRACE", Path.of(trace).toAbsolutePath().toString());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            err.println("transcuda exec: cannot run " + args.get(0) + ": " + e.getMessage());
            return 127;
        }
        // A signal that ends this JVM (Ctrl-C reaches the program too) must not orphan the program or lose its
        // exit code: wait for it, ask it to stop if it does not within 2 s, and exit with its code.
        Thread hook = new Thread(() -> {
            try {
                if (!p.waitFor(2, java.util.concurrent.TimeUnit.SECONDS)) p.destroy();
                Runtime.getRuntime().halt(p.waitFor());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "transcuda-exec-wait");
        Runtime.getRuntime().addShutdownHook(hook);
        while (true) {
            try {
                int code = p.waitFor();
                Runtime.getRuntime().removeShutdownHook(hook);
                return code;
            } catch (InterruptedException e) {
                // keep waiting: the program decides when it ends
            } catch (IllegalStateException e) {
                return p.exitValue(); // the JVM is shutting down: the hook exits with the code
            }
        }
    }

    static Path home() {
        String h = System.getProperty("transcuda.home");
        if (h == null || h.isBlank()) h = System.getenv("TRANSCUDA_HOME");
        if (h != null && !h.isBlank()) return Path.of(h);
        // Default: the folder next to the launcher jar (target/dist beside target/<launcher>.jar).
        return ownJar().map(j -> j.getParent().resolve("dist")).orElse(Path.of("dist"));
    }

    /** The launcher jar, which is also the bundle that carries the commands. */
    static Optional<Path> ownJar() {
        String configured = System.getProperty("transcuda.launcher.jar");
        if (configured != null && !configured.isBlank()) return Optional.of(Path.of(configured));
        try {
            Path p = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
