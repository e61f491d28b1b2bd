package org.transcuda.ptx.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.transcuda.ir.IrPrinter;
import org.transcuda.ir.Module;
import org.transcuda.ir.StructuredFunction;
import org.transcuda.ptx.PtxTranslator;
import org.transcuda.ptx.pass.StructureVerifier;

/**
 * Golden single-pass tests: every {@code src/test/resources/passes/PASS/CASE.txt} holds input PTX, a separator line
 * of dashes ({@code ----}), and the expected dump after pass PASS ({@code IrPrinter}; the PTX-level dump for
 * {@code resolve} and {@code expand-operands}; for {@code structurize}, each structured function and its
 * constructs). Adding a case is adding a file. The IR verifier runs after every pass of each case.
 *
 * <p>With {@code -Dgoldens.update=true} a mismatching file gets the actual dump written instead (review the diff
 * before committing it).
 */
class PassGoldenTest {
    private static final boolean UPDATE = Boolean.getBoolean("goldens.update");

    static Path goldenRoot() {
        Path src = Path.of("src", "test", "resources", "passes");
        if (Files.isDirectory(src)) return src;
        try {
            return Path.of(PassGoldenTest.class.getResource("/passes").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @TestFactory
    Stream<DynamicTest> goldens() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(goldenRoot())) {
            for (Path dir : dirs.sorted().toList()) {
                if (!Files.isDirectory(dir)) continue;
                String pass = dir.getFileName().toString();
                assertTrue(pass.equals("structurize") || PtxTranslator.allPassNames().contains(pass),
                        "golden folder " + pass + " names no pass");
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path f : files.sorted().toList()) {
                        if (f.toString().endsWith(".txt")) {
                            tests.add(DynamicTest.dynamicTest(pass + "/" + f.getFileName(), () -> check(pass, f)));
                        }
                    }
                }
            }
        }
        assertTrue(tests.size() >= 15, "golden cases found: " + tests.size());
        return tests.stream();
    }

    static void check(String pass, Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        List<String> lines = text.lines().toList();
        int sep = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).trim().matches("-{4,}")) {
                sep = i;
                break;
            }
        }
        assertTrue(sep > 0, file + ": no separator line ----");
        String ptx = String.join("\n", lines.subList(0, sep)) + "\n";
        String expected = normalize(String.join("\n", lines.subList(sep + 1, lines.size())));
        String name = file.getFileName().toString().replace(".txt", ".ptx");
        String actual = normalize(dump(pass, name, ptx));
        if (UPDATE && !expected.equals(actual)) {
            Files.writeString(file, ptx + lines.get(sep) + "\n" + actual + "\n", StandardCharsets.UTF_8);
            return;
        }
        assertEquals(expected, actual, file + ": dump after " + pass + " differs");
    }

    /** The dump after one pass of a translation with the verifier on after every pass. */
    static String dump(String pass, String name, String ptx) {
        StringBuilder out = new StringBuilder();
        boolean predication = pass.equals("predication");
        Module m = PtxTranslator.translate(name, ptx, new PtxTranslator.Options(predication, true),
                new PtxTranslator.PassListener() {
                    @Override
                    public void afterPass(String p, Module after) {
                        if (p.equals(pass)) out.append(IrPrinter.print(after));
                    }

                    @Override
                    public void afterPtxPass(String p, String d) {
                        if (p.equals(pass)) out.append(d);
                    }
                });
        if (pass.equals("structurize")) {
            out.append(IrPrinter.print(new Module(m.name(), m.variables(), List.of(), m.problems())));
            for (StructuredFunction sf : PtxTranslator.structurize(m)) {
                out.append('\n').append(IrPrinter.print(sf.function()));
                for (StructuredFunction.Construct c : sf.constructs()) out.append("  ").append(c).append('\n');
                List<String> problems = StructureVerifier.verify(sf);
                assertEquals(List.of(), problems, "structure of " + sf.function().name());
            }
        }
        return out.toString();
    }

    private static String normalize(String s) {
        StringBuilder sb = new StringBuilder();
        for (String l : s.strip().lines().toList()) sb.append(l.stripTrailing()).append('\n');
        return sb.toString();
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
