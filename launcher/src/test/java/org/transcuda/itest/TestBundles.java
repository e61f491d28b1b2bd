package org.transcuda.itest;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/** Builds bundle jars at test time from compiled test classes of one package. Shipped nowhere. */
final class TestBundles {
    private TestBundles() {
    }

    static Path classesRoot() {
        try {
            return Path.of(TestBundles.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes a bundle with every class of {@code pkg} (from the test classes) and the given headers.
     */
    static Path build(Path out, String symbolicName, String version, String pkg, Map<String, String> headers)
            throws IOException {
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", symbolicName);
        a.putValue("Bundle-Version", version);
        headers.forEach(a::putValue);
        Path dir = classesRoot().resolve(pkg.replace('.', '/'));
        List<Path> classes;
        try (Stream<Path> s = Files.list(dir)) {
            classes = s.filter(p -> p.toString().endsWith(".class")).sorted().toList();
        }
        if (classes.isEmpty()) throw new IllegalStateException("no classes in " + dir);
        Files.createDirectories(out.getParent());
        try (OutputStream os = Files.newOutputStream(out); JarOutputStream jar = new JarOutputStream(os, mf)) {
            for (Path c : classes) {
                jar.putNextEntry(new JarEntry(pkg.replace('.', '/') + "/" + c.getFileName()));
                jar.write(Files.readAllBytes(c));
                jar.closeEntry();
            }
        }
        return out;
    }

    static Path testBackend(Path out, String version) throws IOException {
        return build(out, "org.transcuda.itest.testbackend", version, "org.transcuda.itest.testbackend", Map.of(
                "Bundle-Activator", "org.transcuda.itest.testbackend.Activator",
                "Import-Package", "org.osgi.framework,org.transcuda.cuda,org.transcuda.ir,org.transcuda.spi,"
                        + "org.transcuda.spi.host"));
    }

    static Path probe(Path out) throws IOException {
        return build(out, "org.transcuda.itest.probe", "1.0.0", "org.transcuda.itest.probe", Map.of(
                "Bundle-Activator", "org.transcuda.itest.probe.Activator",
                "Import-Package", "org.osgi.framework,org.osgi.util.tracker,org.osgi.service.cm,"
                        + "org.transcuda.cuda,org.transcuda.ir"));
    }
}
