package org.transcuda.launcher;

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
              shell     interactive OSGi shell (Gogo) with the transcuda:backends and transcuda:devices commands
              help      this text

            options:
              --backend ID   use backend ID for CUDA devices (also TRANSCUDA_BACKEND or -Dtranscuda.backend)
            environment:
              TRANSCUDA_HOME        distribution folder (bundles/, backends/, etc/)
              TRANSCUDA_BACKENDS    backends folder to watch (default: $TRANSCUDA_HOME/backends)
              TRANSCUDA_LOG_LEVEL   log level (default warn)
            """;

    /** Commands served by {@code transcuda.command} services inside the framework. */
    static final java.util.Set<String> COMMANDS = java.util.Set.of("devices");

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
