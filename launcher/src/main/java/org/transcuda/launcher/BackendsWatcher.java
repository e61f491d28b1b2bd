package org.transcuda.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * Keeps the installed backends in sync with a folder: a bundle jar dropped there is installed and
 * started, a replaced jar updates its bundle, a deleted jar uninstalls it (then wirings are refreshed).
 * {@link #scan()} runs one pass; {@link #watch(long)} polls in a daemon thread.
 */
public final class BackendsWatcher implements AutoCloseable {
    private record Stamp(long modified, long size) {
    }

    private final BundleContext context;
    private final Path dir;
    private final Map<Path, Stamp> known = new HashMap<>();
    private final Map<Path, Bundle> bundles = new HashMap<>();
    private volatile Thread thread;
    private final List<String> problems = new ArrayList<>();

    BackendsWatcher(BundleContext context, Path dir) {
        this.context = context;
        this.dir = dir;
    }

    public Path directory() {
        return dir;
    }

    /** One pass over the folder. Problems with one jar are logged and do not stop the others. */
    public synchronized void scan() {
        Map<Path, Stamp> now = new HashMap<>();
        try {
            for (Path jar : Platform.jars(dir)) {
                BasicFileAttributes a = Files.readAttributes(jar, BasicFileAttributes.class);
                now.put(jar, new Stamp(a.lastModifiedTime().toMillis(), a.size()));
            }
        } catch (IOException e) {
            report("cannot list " + dir + ": " + e);
            return;
        }
        boolean refresh = false;
        for (Path gone : new ArrayList<>(known.keySet())) {
            if (!now.containsKey(gone)) {
                known.remove(gone);
                Bundle b = bundles.remove(gone);
                if (b != null && b.getState() != Bundle.UNINSTALLED) {
                    try {
                        b.uninstall();
                        refresh = true;
                    } catch (BundleException | IllegalStateException e) {
                        report("cannot uninstall " + gone + ": " + e);
                    }
                }
            }
        }
        for (Map.Entry<Path, Stamp> e : now.entrySet()) {
            Path jar = e.getKey();
            Stamp old = known.get(jar);
            if (e.getValue().equals(old)) continue;
            known.put(jar, e.getValue());
            try (InputStream in = Files.newInputStream(jar)) {
                Bundle b = bundles.get(jar);
                if (b == null || b.getState() == Bundle.UNINSTALLED) {
                    b = context.installBundle(jar.toUri().toString(), in);
                    bundles.put(jar, b);
                } else {
                    b.update(in);
                    refresh = true;
                }
                if (b.getHeaders().get("Fragment-Host") == null) b.start();
            } catch (IOException | BundleException | RuntimeException ex) {
                report("cannot deploy backend " + jar + ": " + ex);
            }
        }
        if (refresh) refreshAndWait();
    }

    private void refreshAndWait() {
        FrameworkWiring wiring = context.getBundle(0).adapt(FrameworkWiring.class);
        CountDownLatch done = new CountDownLatch(1);
        wiring.refreshBundles(null, event -> {
            if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED) done.countDown();
        });
        try {
            done.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void report(String problem) {
        synchronized (problems) {
            problems.add(problem);
        }
        System.err.println("transcuda: " + problem);
    }

    /** Problems met so far (unreadable jars, bundles that do not resolve). */
    public List<String> problems() {
        synchronized (problems) {
            return List.copyOf(problems);
        }
    }

    /** Polls the folder every {@code periodMillis} in a daemon thread until {@link #close()}. */
    public void watch(long periodMillis) {
        Thread t = Thread.ofPlatform().daemon().name("transcuda-backends-watcher").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(periodMillis);
                } catch (InterruptedException e) {
                    return;
                }
                try {
                    scan();
                } catch (RuntimeException e) {
                    report("backends watcher: " + e);
                }
            }
        });
        thread = t;
    }

    @Override
    public void close() {
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
