package org.transcuda.ptx.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.transcuda.ptx.parse.PtxTestSupport.stripPositions;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.transcuda.ptx.ast.PtxModule;
import org.transcuda.ptx.ast.PtxPrinter;

/** parse -> print -> parse gives an equal tree (source positions aside), and printing is a fixpoint. */
class RoundTripTest {
    static final List<String> FIXTURES = PtxTestSupport.FIXTURES;

    static void assertRoundTrips(String name, String text) {
        PtxModule first = PtxParser.parse(name, text);
        String printed = PtxPrinter.print(first);
        PtxModule second = PtxParser.parse(name, printed);
        assertEquals(stripPositions(first), stripPositions(second), () -> "tree changed; printed:\n" + printed);
        assertEquals(printed, PtxPrinter.print(second), "printing is a fixpoint");
        assertEquals(printed, first.toString());
    }

    @ParameterizedTest
    @FieldSource("FIXTURES")
    void fixturesRoundTrip(String name) {
        assertRoundTrips(name, PtxTestSupport.resource(name));
    }

    @Test
    void trickyValuesRoundTrip() {
        assertRoundTrips("t.ptx", """
                .version 9.0
                .target sm_80
                .address_size 64
                .global .s64 extremes[4] = {-9223372036854775808, 9223372036854775807, 18446744073709551615U, -0};
                .global .u64 refs[3] = {a+-9223372036854775808, generic(b)-4, c+0};
                .global .f32 fl[3] = {0f80000000, 0f7F800000, -0f00000001};
                .global .f64 dl[2] = {1e308, -0.0};
                .global .attribute(.managed, .unified(18446744073709551615,0)) .u32 attrs;
                .entry k(.param .u64 .ptr.align 8 p, .param .u64 .ptr.local q)
                {
                    .loc 1 3 1
                    .loc 1 5 5, inlined_at 1 3 1
                    .loc 1 5 5, function_name f, inlined_at 1 5 5
                    .loc 1 7 7, function_name g, inlined_at 1 5 5
                    ld.u32 %r1, [%rd1+-9223372036854775808];
                    ld.u32 %r1, [sym-8];
                    .loc 2 1 1, inlined_at 9 9 9
                    mov.u32 %r2, 0x7FFFFFFFFFFFFFFFU;
                    p: .callprototype _ () .noreturn;
                    tbl: .branchtargets a, b;
                    {
                    }
                    ret;
                }
                .section .debug_str { "}" /* } */ x: .b8 1 // }
                }
                """);
    }

    @Test
    void treeEqualityIsNotVacuous() {
        String text = PtxTestSupport.resource("vector_add.ptx");
        PtxModule a = PtxParser.parse("v.ptx", text);
        PtxModule b = PtxParser.parse("v.ptx", text.replace("mul.wide.s32 \t%rd5, %r1, 4;", "mul.wide.s32 %rd5, %r1, 8;"));
        assertNotEquals(stripPositions(a), stripPositions(b));
        PtxModule c = PtxParser.parse("v.ptx", "\n\n  " + text.replace("\t", "    "));
        assertEquals(stripPositions(a), stripPositions(c), "layout does not matter");
        assertNotEquals(a, c, "but positions are part of the records");
    }

    /** When ptxas is installed, the printer's output must still assemble. */
    @ParameterizedTest
    @FieldSource("FIXTURES")
    void printedPtxAssemblesWithPtxas(String name, @TempDir Path dir) throws IOException, InterruptedException {
        String ptxas = findOnPath("ptxas");
        assumeTrue(ptxas != null, "ptxas not installed");
        PtxModule m = PtxTestSupport.parseResource(name);
        Path file = dir.resolve(name);
        Files.writeString(file, PtxPrinter.print(m), StandardCharsets.UTF_8);
        String arch = m.targets().getFirst();
        Process p = new ProcessBuilder(ptxas, "-c", "-arch=" + arch, file.toString(), "-o",
                dir.resolve("out.cubin").toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "ptxas timed out");
        assertEquals(0, p.exitValue(), () -> "ptxas rejected the printed PTX:\n" + output);
    }

    private static String findOnPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, tool);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }
}
