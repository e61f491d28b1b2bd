package org.transcuda.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.transcuda.launcher.Platform;

/**
 * Hot swap of backends inside a real Felix framework booted from the distribution (target/dist): a
 * test-only backend bundle is installed, used from several threads, uninstalled mid-use and reinstalled,
 * many times. The CUDA API work runs inside the framework in a probe bundle.
 */
class HotSwapIT {
    private static final Set<String> ALLOWED_ERRORS =
            Set.of("CUDA_ERROR_DEVICE_UNAVAILABLE", "CUDA_ERROR_NO_DEVICE");

    @TempDir
    Path tmp;
    private Platform platform;
    private Function<Map<String, Object>, Map<String, Object>> probe;
    private final Map<String, AtomicLong> ledger = new ConcurrentHashMap<>();
    private Path backendJar;

    @BeforeEach
    @SuppressWarnings("unchecked")
    void boot() throws Exception {
        Path home = Path.of(System.getProperty("transcuda.home", "target/dist"));
        assertTrue(Files.isDirectory(home.resolve("bundles")), "distribution missing at " + home);
        Path backends = Files.createDirectories(tmp.resolve("backends"));
        try (var shipped = Files.list(home.resolve("backends"))) { // the CPU backend, as shipped
            for (Path jar : shipped.toList()) Files.copy(jar, backends.resolve(jar.getFileName()));
        }
        platform = Platform.start(new Platform.Options(home, backends, Optional.empty(), false, Map.of()));
        ledger.put("allocations", new AtomicLong());
        ledger.put("contexts", new AtomicLong());
        BundleContext ctx = platform.context();
        var props = new java.util.Hashtable<String, Object>();
        props.put("transcuda.ledger", "true");
        ctx.registerService(Map.class, ledger, props);
        Path probeJar = TestBundles.probe(tmp.resolve("probe.jar"));
        try (InputStream in = Files.newInputStream(probeJar)) {
            ctx.installBundle("test:probe", in).start();
        }
        probe = platform.awaitService(Function.class, "(transcuda.probe=true)", 10_000);
        assertNotNull(probe, "probe service");
        backendJar = TestBundles.testBackend(tmp.resolve("testbe-1.0.0.jar"), "1.0.0");
    }

    @AfterEach
    void shutdown() {
        if (platform != null) platform.close();
    }

    private Map<String, Object> call(String op, Object... kv) {
        Map<String, Object> req = new HashMap<>();
        req.put("op", op);
        for (int i = 0; i < kv.length; i += 2) req.put((String) kv[i], kv[i + 1]);
        Map<String, Object> res = probe.apply(req);
        assertTrue(!res.containsKey("exception"), () -> op + " threw " + res.get("exception"));
        return res;
    }

    private Bundle installBackend(Path jar) throws Exception {
        try (InputStream in = Files.newInputStream(jar)) {
            Bundle b = platform.context().installBundle("test:testbe", in);
            b.start();
            return b;
        }
    }

    private static long streamThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("transcuda-testbe-stream") && t.isAlive()).count();
    }

    @Test
    void backendUninstalledMidUseFailsCleanlyAndReinstallServesAtOnce() throws Exception {
        call("configure", "backend", "testbe");
        long baselineThreads = streamThreads();
        long totalOk = 0;
        Map<String, Long> allErrors = new HashMap<>();
        for (int round = 0; round < 25; round++) {
            Bundle backend = installBackend(backendJar);
            assertEquals("testbe", call("selected").get("backend"), "round " + round);
            call("startWorkers", "threads", 4);
            Thread.sleep(60 + 10 * (round % 5));
            backend.uninstall(); // mid-use
            Thread.sleep(20); // workers now meet the missing backend
            Map<String, Object> stats = call("stopWorkers");

            assertEquals(List.of(), stats.get("unexpected"), "round " + round + ": unexpected failures");
            assertEquals(0L, stats.get("wrong"), "round " + round + ": wrong results");
            @SuppressWarnings("unchecked")
            Map<String, Long> errors = (Map<String, Long>) stats.get("errors");
            assertTrue(ALLOWED_ERRORS.containsAll(errors.keySet()), "round " + round + ": errors " + errors);
            errors.forEach((k, v) -> allErrors.merge(k, v, Long::sum));
            totalOk += (Long) stats.get("ok");

            // Nothing leaks: every context closed, every allocation freed, every stream thread ended.
            assertEquals(0, ledger.get("contexts").get(), "round " + round + ": live contexts");
            assertEquals(0, ledger.get("allocations").get(), "round " + round + ": live allocations");
            assertEquals(baselineThreads, streamThreads(), "round " + round + ": stream threads");

            // The configured backend is gone: no silent fallback to another backend.
            Map<String, Object> absent = call("selected");
            assertEquals("CUDA_ERROR_NO_DEVICE", absent.get("error"));
            assertTrue(((String) absent.get("message")).contains("not installed"), absent.toString());
        }
        assertTrue(totalOk > 0, "work succeeded before uninstalls");
        assertTrue(allErrors.getOrDefault("CUDA_ERROR_DEVICE_UNAVAILABLE", 0L) > 0,
                "contexts in use when the backend went away failed with CUDA_ERROR_DEVICE_UNAVAILABLE: " + allErrors);

        // Reinstalled: serves new contexts at once, with correct results.
        installBackend(backendJar);
        Map<String, Object> result = call("compute", "n", 10_000, "mul", 7);
        assertEquals("testbe", result.get("backend"), result.toString());
        assertEquals(0L, result.get("wrong"));
    }

    @Test
    void withoutConfigurationTheHighestRankedBackendServes() throws Exception {
        assertEquals("cpu", call("selected").get("backend"));
        Bundle b = installBackend(backendJar);
        assertEquals("testbe", call("selected").get("backend"), "ranking 1000 beats the CPU backend's 100");
        b.uninstall();
        assertEquals("cpu", call("selected").get("backend"));
    }

    @Test
    void backendsFolderInstallsUpdatesAndUninstalls() throws Exception {
        Path dir = platform.watcher().directory();
        Path deployed = dir.resolve("testbe.jar");
        Files.copy(backendJar, deployed);
        platform.watcher().scan();
        assertEquals("testbe", call("selected").get("backend"));
        Map<String, Object> r = call("compute", "n", 3000, "mul", 3);
        assertEquals(0L, r.get("wrong"), r.toString());

        Path v2 = TestBundles.testBackend(tmp.resolve("testbe-2.0.0.jar"), "2.0.0");
        Files.copy(v2, deployed, StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(deployed, FileTime.fromMillis(System.currentTimeMillis() + 5000));
        platform.watcher().scan();
        Bundle updated = findBundle("org.transcuda.itest.testbackend");
        assertEquals("2.0.0", updated.getVersion().toString());
        assertEquals(Bundle.ACTIVE, updated.getState());
        r = call("compute", "n", 3000, "mul", 5);
        assertEquals("testbe", r.get("backend"));
        assertEquals(0L, r.get("wrong"), r.toString());

        Files.delete(deployed);
        platform.watcher().scan();
        assertEquals(null, findBundle("org.transcuda.itest.testbackend"));
        assertEquals("cpu", call("selected").get("backend"));
        assertEquals(List.of(), platform.watcher().problems());
    }

    private Bundle findBundle(String symbolicName) {
        for (Bundle b : platform.context().getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) return b;
        }
        return null;
    }
}
