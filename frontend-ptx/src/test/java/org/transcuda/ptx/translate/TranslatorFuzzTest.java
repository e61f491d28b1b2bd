package org.transcuda.ptx.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;
import org.transcuda.ir.IrVerifier;
import org.transcuda.ir.Module;
import org.transcuda.ptx.PtxTranslator;
import org.transcuda.ptx.parse.PtxParseException;

/**
 * The whole translator on malformed PTX (truncated corpus files, random bytes, random single-character edits of
 * corpus files): it throws {@link PtxParseException} or returns a module whose problems say why
 * ({@code file:line:col: ...}) and whose functions verify; never another exception, never a hang (the timeout is
 * only a hang guard: a translation takes milliseconds). What structurizes must verify too.
 */
class TranslatorFuzzTest {
    private static final Duration HANG_GUARD = Duration.ofSeconds(20);
    private static final Map<String, String> TEXTS = new ConcurrentHashMap<>();
    private static final List<String> FILES = new ArrayList<>();

    static {
        for (Path p : TranslateSupport.corpusFiles()) FILES.add(p.getFileName().toString());
    }

    private static String text(String file) {
        return TEXTS.computeIfAbsent(file, f -> TranslateSupport.read(TranslateSupport.repoRoot().resolve("corpus")
                .resolve("ptx").resolve(f)));
    }

    @Provide
    Arbitrary<String> corpusFile() {
        return Arbitraries.of(FILES);
    }

    enum Edit { DELETE, INSERT, REPLACE }

    /** Translates; returns the module or null for a parse error, checking everything else about the outcome. */
    static Module check(String text) {
        return assertTimeoutPreemptively(HANG_GUARD, () -> {
            Module m;
            try {
                m = PtxTranslator.translate("in.ptx", text);
            } catch (PtxParseException e) {
                assertTrue(e.getMessage().startsWith("in.ptx:" + e.line() + ":" + e.column() + ": "), e.getMessage());
                return null;
            }
            for (Module.Problem p : m.problems()) {
                assertTrue(p.message().matches("(?s)in\\.ptx:\\d+:\\d+: .+"), "problem without a position: " + p);
                assertTrue(!p.message().contains("internal error"), "a pass failed: " + p);
            }
            assertEquals(List.of(), IrVerifier.verify(m), "translated IR must verify");
            for (var f : m.functions()) {
                if (!f.isDefined()) continue;
                try {
                    var sf = org.transcuda.ptx.pass.Structurize.run(f);
                    assertEquals(List.of(), org.transcuda.ptx.pass.StructureVerifier.verify(sf));
                } catch (org.transcuda.ptx.pass.Structurize.StructurizeException e) {
                    assertTrue(e.getMessage().contains("irreducible"), e.getMessage());
                }
            }
            return m;
        });
    }

    @Property(tries = 150)
    void truncatedCorpusFiles(@ForAll("corpusFile") String file, @ForAll @DoubleRange(min = 0, max = 1) double at) {
        String t = text(file);
        check(t.substring(0, (int) (t.length() * at)));
    }

    @Property(tries = 300)
    void singleCharacterEdits(@ForAll("corpusFile") String file, @ForAll Edit edit,
            @ForAll @DoubleRange(min = 0, max = 1) double at, @ForAll char c) {
        String t = text(file);
        int i = Math.min(t.length() - 1, (int) (t.length() * at));
        String edited = switch (edit) {
            case DELETE -> t.substring(0, i) + t.substring(i + 1);
            case INSERT -> t.substring(0, i) + c + t.substring(i);
            case REPLACE -> t.substring(0, i) + c + t.substring(i + 1);
        };
        check(edited);
    }

    /** Edits that keep the text lexically PTX-like: swap a token character for one PTX uses. */
    @Property(tries = 300)
    void tokenEdits(@ForAll("corpusFile") String file, @ForAll @DoubleRange(min = 0, max = 1) double at,
            @ForAll("ptxChars") char c) {
        String t = text(file);
        int i = Math.min(t.length() - 1, (int) (t.length() * at));
        check(t.substring(0, i) + c + t.substring(i + 1));
    }

    @Provide
    Arbitrary<Character> ptxChars() {
        return Arbitraries.of('%', '.', ',', ';', '[', ']', '{', '}', '1', '0', 'r', 'd', 'f', 'p', 'x', '_', '@',
                '!', '+', '-', ' ', '\n', '$', 'L', 'u', 's', 'b');
    }

    @Property(tries = 150)
    void randomBytes(@ForAll @Size(max = 600) byte[] bytes) {
        check(new String(bytes, StandardCharsets.ISO_8859_1));
    }

    @Property(tries = 150)
    void randomBytesAfterAHeader(@ForAll @Size(max = 400) byte[] bytes) {
        check(".version 9.0\n.target sm_80\n.address_size 64\n.visible .entry k(.param .u64 p)\n{\n"
                + new String(bytes, StandardCharsets.ISO_8859_1));
    }
}
