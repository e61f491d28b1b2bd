package org.transcuda.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The embedded OSGi platform: starts Felix with the core bundles of a distribution folder
 * ({@code bundles/}: the API, the PTX front end, SCR, Configuration Admin, Log4j), installs the launcher's
 * own bundle (shell and CLI commands), and installs every backend found in {@code backends/}, which a
 * {@link BackendsWatcher} then keeps in sync with the folder.
 */
public final class Platform implements AutoCloseable {
    private final Framework framework;
    private final Path storage;
    private final BackendsWatcher watcher;

    private Platform(Framework framework, Path storage, BackendsWatcher watcher) {
        this.framework = framework;
        this.storage = storage;
        this.watcher = watcher;
    }

    /** What to start. */
    public record Options(Path home, Path backendsDir, Optional<Path> launcherBundle, boolean shell,
            Map<String, String> frameworkProperties) {
    }

    /** Starts the framework and every bundle; returns once all are started (backends included). */
    public static Platform start(Options options) throws IOException, BundleException {
        Path home = options.home();
        Path log4j = home.resolve("etc/log4j2.xml");
        if (System.getProperty("log4j2.configurationFile") == null && Files.isRegularFile(log4j)) {
            System.setProperty("log4j2.configurationFile", log4j.toString());
        }
        Path storage = Files.createTempDirectory("transcuda-osgi-");
        Map<String, String> props = new HashMap<>();
        props.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        props.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        props.put("felix.log.level", "1");
        // Gogo's bundles are only installed for `transcuda shell`; it reads stdin until `exit` or end of input.
        props.putAll(options.frameworkProperties());
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class, Platform.class.getClassLoader())
                .findFirst().orElseThrow(() -> new IllegalStateException("no OSGi framework on the class path"));
        Framework framework = factory.newFramework(props);
        framework.start();
        BundleContext ctx = framework.getBundleContext();
        List<Bundle> started = new ArrayList<>();
        BackendsWatcher watcher = new BackendsWatcher(ctx, options.backendsDir());
        try {
            for (Path jar : jars(home.resolve("bundles"))) started.add(install(ctx, jar));
            if (options.launcherBundle().isPresent()) started.add(install(ctx, options.launcherBundle().get()));
            startAll(started);
            watcher.scan(); // backends present at start are installed and started before anything runs
            if (options.shell()) {
                // Last: the shell reads commands as soon as it starts.
                List<Bundle> shell = new ArrayList<>();
                for (Path jar : jars(home.resolve("shell"))) shell.add(install(ctx, jar));
                startAll(shell);
            }
        } catch (IOException | BundleException | RuntimeException e) {
            stop(framework, storage);
            throw e;
        }
        return new Platform(framework, storage, watcher);
    }

    private static void startAll(List<Bundle> bundles) throws BundleException {
        for (Bundle b : bundles) {
            if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) b.start();
        }
    }

    private static Bundle install(BundleContext ctx, Path jar) throws IOException, BundleException {
        try (InputStream in = Files.newInputStream(jar)) {
            return ctx.installBundle(jar.toUri().toString(), in);
        }
    }

    static List<Path> jars(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.jar")) {
            s.forEach(out::add);
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    public Framework framework() {
        return framework;
    }

    public BundleContext context() {
        return framework.getBundleContext();
    }

    public BackendsWatcher watcher() {
        return watcher;
    }

    /**
     * Waits up to {@code timeoutMillis} for a service of {@code type} matching {@code filter} (may be null).
     * Only JDK types cross the framework boundary, so callers outside it use JDK interfaces.
     */
    public <T> T awaitService(Class<T> type, String filter, long timeoutMillis) throws InterruptedException {
        BundleContext ctx = context();
        String f = "(" + Constants.OBJECTCLASS + "=" + type.getName() + ")";
        if (filter != null) f = "(&" + f + filter + ")";
        Filter parsed;
        try {
            parsed = FrameworkUtil.createFilter(f);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
        ServiceTracker<T, T> tracker = new ServiceTracker<>(ctx, parsed, null);
        tracker.open(true);
        T service = tracker.waitForService(timeoutMillis);
        // The tracker is left open for the caller's lifetime of the service; it is closed with the framework.
        if (service == null) tracker.close();
        return service;
    }

    /** Blocks until the framework stops (the shell's {@code exit} stops it). */
    public void waitForStop() throws InterruptedException {
        framework.waitForStop(0);
    }

    @Override
    public void close() {
        watcher.close();
        stop(framework, storage);
    }

    private static void stop(Framework framework, Path storage) {
        try {
            framework.stop();
            framework.waitForStop(TimeUnit.SECONDS.toMillis(30));
        } catch (BundleException | InterruptedException e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
        }
        deleteTree(storage);
    }

    private static void deleteTree(Path root) {
        try (var walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: a temp folder
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
