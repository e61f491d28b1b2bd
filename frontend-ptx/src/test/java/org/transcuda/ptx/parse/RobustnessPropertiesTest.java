package org.transcuda.ptx.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
import org.transcuda.ptx.ast.PtxModule;
import org.transcuda.ptx.ast.PtxPrinter;

/**
 * The parser returns a tree or throws {@link PtxParseException}, nothing else, and always finishes: on random bytes,
 * random token soup, truncated real PTX and single-character edits of real PTX. Whatever parses also round-trips.
 */
class RobustnessPropertiesTest {
    /** Only a hang guard; a parse of these inputs takes milliseconds. */
    private static final Duration HANG_GUARD = Duration.ofSeconds(20);
    private static final String HEADER = ".version 9.0\n.target sm_80\n.address_size 64\n";
    private static final Map<String, String> TEXTS = new ConcurrentHashMap<>();

    private static String text(String fixture) {
        return TEXTS.computeIfAbsent(fixture, PtxTestSupport::resource);
    }

    enum Edit { DELETE, INSERT, REPLACE }

    /** Parses, checks the outcome, and returns the tree or null when a PtxParseException was thrown. */
    private static PtxModule check(String text) {
        return assertTimeoutPreemptively(HANG_GUARD, () -> {
            try {
                return PtxParser.parse("in.ptx", text);
            } catch (PtxParseException e) {
                assertEquals("in.ptx", e.file());
                assertTrue(e.line() >= 1 && e.line() <= lineCount(text), "line in range: " + e.getMessage());
                assertTrue(e.column() >= 1, e.getMessage());
                assertTrue(e.getMessage().startsWith("in.ptx:" + e.line() + ":" + e.column() + ": "), e.getMessage());
                assertFalse(e.detail().contains("internal parser error"), e.getMessage());
                assertFalse(e.detail().contains("too deeply for the parser's stack"), e.getMessage());
                return null;
            }
        });
    }

    private static int lineCount(String text) {
        int lines = 1;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                lines++;
            }
        }
        return lines;
    }

    private static void checkRoundTrip(PtxModule m) {
        if (m == null) {
            return;
        }
        String printed = PtxPrinter.print(m);
        PtxModule again = PtxParser.parse("in.ptx", printed);
        assertEquals(PtxTestSupport.stripPositions(m), PtxTestSupport.stripPositions(again), printed);
    }

    @Property(tries = 200)
    void randomBytes(@ForAll @Size(max = 4000) byte[] bytes) {
        check(new String(bytes, StandardCharsets.ISO_8859_1));
    }

    @Property(tries = 100)
    void randomUtf8Decoding(@ForAll @Size(max = 2000) byte[] bytes) {
        check(new String(bytes, StandardCharsets.UTF_8));
    }

    @Property(tries = 300)
    void tokenSoup(@ForAll("soup") String soup) {
        checkRoundTrip(check(soup));
    }

    @Property(tries = 300)
    void tokenSoupInAKernelBody(@ForAll("soup") String soup) {
        checkRoundTrip(check(HEADER + ".entry k()\n{\n" + soup + "\n}\n"));
    }

    @Property(tries = 200)
    void truncatedRealPtx(@ForAll("fixtures") String fixture, @ForAll @DoubleRange(min = 0, max = 1) double at) {
        String text = text(fixture);
        checkRoundTrip(check(text.substring(0, (int) (at * text.length()))));
    }

    @Property(tries = 500)
    void singleCharacterEditsOfRealPtx(@ForAll("fixtures") String fixture,
                                       @ForAll @DoubleRange(min = 0, max = 1) double at,
                                       @ForAll Edit edit, @ForAll("editChars") char c) {
        String text = text(fixture);
        int i = Math.min((int) (at * text.length()), text.length() - 1);
        String mutated = switch (edit) {
            case DELETE -> text.substring(0, i) + text.substring(i + 1);
            case INSERT -> text.substring(0, i) + c + text.substring(i);
            case REPLACE -> text.substring(0, i) + c + text.substring(i + 1);
        };
        checkRoundTrip(check(mutated));
    }

    @Provide
    Arbitrary<String> fixtures() {
        return Arbitraries.of(PtxTestSupport.FIXTURES);
    }

    @Provide
    Arbitrary<Character> editChars() {
        return Arbitraries.of(List.of('{', '}', '[', ']', '(', ')', ';', ',', '.', ':', '%', '@', '!', '|', '<', '>',
                '=', '+', '-', '*', '/', '"', '\n', ' ', '0', '1', '9', 'a', 'f', 'x', 'U', '_', '$', '#', '\0',
                '\u00e9', '?', '~', '&', '^'));
    }

    @Provide
    Arbitrary<String> soup() {
        List<String> tokens = List.of(
                ".version", " 9.0", ".target", " sm_80", ", debug", ".address_size", " 64", ".entry", ".func",
                ".visible", ".extern", ".weak", " k", " f", "(", ")", "{", "}", "[", "]", ",", ";", ":", "@", "!",
                "|", "+", "-", "*", "/", "<", ">", "=", "?", "<<", "&&", "~", " .param", " .reg", " .shared",
                " .local", " .global", " .const", " .b32", " .u64", " .f32", " .pred", " .v4", " .align", " 8",
                " 16", " %r1", " %r<4>", " %p1", " _", " ld", " st", " add", " bra", " call", " ret", " mov",
                ".uni", ".global", ".u32", ".x", "%tid", " %rd1", " (retval0)", " (param0, param1)", ".loc 1 2 3",
                ", inlined_at 1 2 3", ", function_name $L1", " 0f3F800000", " 0d3FF0000000000000", " 1.5",
                " 0x10", " 077", " 0b11", " 42U", " -7", " generic(", " sym", ".section .debug_info",
                " \"str\"", ".pragma", ".callprototype", ".branchtargets", ".maxntid 1, 2, 3", ".noreturn",
                ".file 1 \"a.cu\"", " $L__BB0_1", "// comment\n", "/* c */", " ", "\n", "\t", "{ ret; }",
                "= {1, 2}", "[%rd1+4]", "{%r1, _}", "%p1|%p2", ".ptr.global.align 8", ".attribute(.managed)");
        return Arbitraries.of(tokens).list().ofMaxSize(120).map(list -> String.join("", list));
    }
}
