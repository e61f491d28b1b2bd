package org.transcuda.ptx.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Malformed input: exactly one PtxParseException, with file:line:col and what was expected and found. */
class ParseErrorTest {
    private static final String HEADER = ".version 9.0\n.target sm_80\n.address_size 64\n";

    private static PtxParseException fail(String text) {
        return assertThrows(PtxParseException.class, () -> PtxParser.parse("kernel.ptx", text));
    }

    /** A kernel whose body starts on line 5. */
    private static PtxParseException failBody(String body) {
        return fail(HEADER + ".entry k()\n{\n" + body + "\n}\n");
    }

    @Test
    void missingSemicolonAfterInstruction() {
        PtxParseException e = failBody("""
                \tadd.s32 %r1, %r2, %r3
                \tadd.s32 %r4, %r1, 1;
                """);
        assertEquals("kernel.ptx:7:2: expected ';' after instruction, found 'add'", e.getMessage());
        assertEquals("kernel.ptx", e.file());
        assertEquals(7, e.line());
        assertEquals(2, e.column());
        assertEquals("expected ';' after instruction, found 'add'", e.detail());
    }

    @Test
    void truncatedFunctionBody() {
        PtxParseException e = fail(HEADER + ".entry k()\n{\n  ret;\n");
        assertEquals("kernel.ptx:7:1: expected '}' to close the function body, found end of input", e.getMessage());
    }

    @Test
    void truncatedParameterList() {
        assertEquals("kernel.ptx:4:23: expected ',' or ')' in parameter list, found end of input",
                fail(HEADER + ".entry k(.param .u64 p").getMessage());
        assertEquals("kernel.ptx:4:10: expected parameter declaration (.param or .reg), found 'u64'",
                fail(HEADER + ".entry k(u64 p) {}").getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiterString = " => ", value = {
            // body text (line 6)                 => column => message
            "mov.u32 %r1 %r2;                     => 13 => expected ';' after instruction, found '%r2'",
            "ld.global.f32 %f1, [%rd1;            => 25 => expected ']' to close address, found ';'",
            "ld.global.f32 %f1, [%rd1+];          => 26 => expected an integer constant, found ']'",
            "mov.u32 %r1, ;                       => 14 => expected an operand, found ';'",
            "st.v2.f32 [%rd1], {%f1 %f2};         => 24 => expected ',' or '}' in vector operand, found '%f2'",
            "@ 1 bra L;                           => 3 => expected predicate after '@', found '1'",
            "@%p1 ;                               => 6 => expected instruction opcode, found ';'",
            ".reg .b33 %r<4>;                     => 6 => expected a type in declaration (.b32, .u64, .f32, .pred, ...), found '.b33'",
            ".reg .b32 %r<x>;                     => 14 => expected register count in '<>', found 'x'",
            ".reg .b32 %r<4;                      => 15 => expected '>' after register count, found ';'",
            ".shared .align 3 .b8 s[4];           => 16 => alignment must be a power of two, found 3",
            ".local .b8 d[-1];                    => 14 => array dimension must not be negative, found -1",
            ".frob .b32 x;                        => 1 => expected an instruction, label, declaration or '}', found '.frob'",
            "call.uni (r0), fn, (p0;              => 23 => expected ',' or ')' in call argument list, found ';'",
            "mov.u32 %r1, 1 / 0;                  => 16 => division by zero in constant expression",
            "mov.u32 %r1, 0x;                     => 14 => malformed integer literal '0x': expected hex digits after '0x'",
            "mov.f32 %f1, 0f3F80;                 => 14 => malformed floating-point literal '0f3F80': expected exactly 8 hex digits after '0f'",
            "mov.f64 %fd1, 0d3FF0;                => 15 => malformed floating-point literal '0d3FF0': expected exactly 16 hex digits after '0d'",
            "mov.u32 %r1, 0x1FFFFFFFFFFFFFFFF;    => 14 => integer literal '0x1FFFFFFFFFFFFFFFF' does not fit in 64 bits",
            "mov.u32 %r1, 18446744073709551616;   => 14 => integer literal '18446744073709551616' does not fit in 64 bits",
            "mov.u32 %r1, 089;                    => 14 => malformed octal literal '089': digit 8 is not octal",
            "mov.u32 %r1, 12abc;                  => 14 => malformed number '12abc'",
            "mov.u32 %r1, 1.5;#                   => 18 => unexpected character '#'",
            "mov.f32 %f1, 1.5 + 1;                => 18 => expected ';' after instruction, found '+'",
            "mov.u32 %r1, 2 + 1.5;                => 18 => expected an integer constant, found floating-point literal '1.5'",
            "mov.u32 %r1, (1 + 2;                 => 20 => expected ')' in constant expression, found ';'",
            "mov.u32 %r1, 1 ? 2 ;                 => 20 => expected ':' in conditional expression, found ';'",
            "L1: .branchtargets A, ;              => 23 => expected label in .branchtargets, found ';'",
            "p: .callprototype (.param .b32 _) (.param .b32 _); => 35 => expected '_' (function name placeholder) in .callprototype, found '('",
            ".loc 1 x 3                           => 8 => expected line number in .loc, found 'x'",
            ".pragma nounroll;                    => 9 => expected quoted string in .pragma, found 'nounroll'"})
    void malformedStatements(String body, int column, String message) {
        PtxParseException e = failBody(body);
        assertEquals("kernel.ptx:6:" + column + ": " + message, e.getMessage());
        assertEquals(6, e.line());
        assertEquals(column, e.column());
    }

    @ParameterizedTest
    @CsvSource(delimiterString = " => ", value = {
            "add.s32 %r1, %r2, %r3;          => 4:1 => expected a directive (.version, .target, .entry, .func, a variable declaration, ...), found 'add'",
            ".version x                      => 4:10 => expected version number (major.minor) after .version, found 'x'",
            ".version 9.0.1                  => 4:13 => expected a directive (.version, .target, .entry, .func, a variable declaration, ...), found '.1'",
            ".version 1e5                    => 4:10 => expected version number (major.minor) after .version, found '1e5'",
            ".target                         => 5:1 => expected target architecture after .target, found end of input",
            ".target sm_80,                  => 5:1 => expected target option after ',', found end of input",
            ".file x                         => 4:7 => expected file index after .file, found 'x'",
            ".file 1 name.cu                 => 4:9 => expected quoted file name after .file index, found 'name'",
            ".section .debug_info {          => 5:1 => expected '}' to close section .debug_info, found end of input",
            ".section .debug_info .b8 1      => 4:22 => expected '{' to open section .debug_info, found '.b8'",
            ".visible .u32 x;                => 4:10 => expected .entry, .func or a state space after .visible, found '.u32'",
            ".global .u32 x = ;              => 4:18 => expected an initializer value, found ';'",
            ".global .u32 x[2] = {1, 2;      => 4:26 => expected ',' or '}' in initializer, found ';'",
            ".global .u32 p = generic(1);    => 4:26 => expected variable name in generic(), found '1'",
            ".global .u32 x                  => 5:1 => expected ';' after declaration, found end of input",
            ".entry {}                       => 4:8 => expected kernel name after .entry, found '{'",
            ".func (.param .b32 r) ;         => 4:23 => expected function name after .func, found ';'",
            ".entry k() .visible .entry j    => 4:12 => expected '{' or ';' after function header, found '.visible'",
            ".entry k() .maxntid 1, x {}     => 4:24 => expected integer in .maxntid, found 'x'",
            ".entry k() ret;                 => 4:12 => expected '{' or ';' after function header, found 'ret'",
            ".entry k() { ret; } }           => 4:21 => expected a directive (.version, .target, .entry, .func, a variable declaration, ...), found '}'",
            ".alias a b;                     => 4:10 => expected ',' after alias name, found 'b'",
            ".address_size 99999999999       => 4:15 => address size after .address_size out of range: 99999999999",
            "\"unterminated                  => 4:1 => unterminated string literal: expected '\"', found end of line",
            "/* never closed                 => 4:1 => unterminated block comment: expected '*/', found end of input"})
    void malformedModuleLevelInput(String text, String lineColumn, String message) {
        PtxParseException e = fail(HEADER + text + "\n");
        assertEquals("kernel.ptx:" + lineColumn + ": " + message, e.getMessage());
    }

    @Test
    void deepNestingIsRejectedNotOverflowed() {
        int n = 100_000;
        String blocks = "{".repeat(n) + "}".repeat(n);
        PtxParseException e = failBody(blocks);
        assertEquals("kernel.ptx:6:201: nesting deeper than " + PtxParser.MAX_DEPTH + " levels", e.getMessage());
        assertEquals("kernel.ptx:6:113: nesting deeper than 200 levels",
                failBody("mov.u32 %r1, " + "(".repeat(n) + "1" + ")".repeat(n) + ";").getMessage());
        assertEquals("kernel.ptx:6:311: nesting deeper than 200 levels",
                failBody("mov.u32 %r1, " + "1+(".repeat(n) + "1" + ")".repeat(n) + ";").getMessage());
        assertEquals("kernel.ptx:6:410: nesting deeper than 200 levels",
                failBody("mov.u32 %r1, " + "1?".repeat(n) + "1" + ":1".repeat(n) + ";").getMessage());
        assertEquals("kernel.ptx:6:212: nesting deeper than 200 levels",
                failBody("mov.u32 %r1, " + "-".repeat(n) + "1;").getMessage());
        assertEquals("kernel.ptx:6:216: nesting deeper than 200 levels",
                failBody("st.u32 [%rd1], " + "{".repeat(n) + "%r1" + "}".repeat(n) + ";").getMessage());
        assertEquals("kernel.ptx:4:218: nesting deeper than 200 levels",
                fail(HEADER + ".global .u32 x = " + "{".repeat(n) + "1" + "}".repeat(n) + ";").getMessage());
        assertEquals("kernel.ptx:6:113: nesting deeper than 200 levels",
                failBody("ld.u32 %r1, " + "[".repeat(n) + "%rd1" + "]".repeat(n) + ";").getMessage());
        assertEquals("kernel.ptx:6:109: nesting deeper than 200 levels",
                failBody("call f, " + "(".repeat(n) + "a" + ")".repeat(n) + ";").getMessage());
    }

    @Test
    void deepNestingIsRejectedEvenOnASmallStack() throws InterruptedException {
        String text = HEADER + ".entry k()\n{\nmov.u32 %r1, " + "1+(".repeat(100_000) + "1;\n}\n";
        Throwable[] thrown = new Throwable[1];
        Thread t = new Thread(null, () -> {
            try {
                PtxParser.parse("kernel.ptx", text);
            } catch (Throwable e) {
                thrown[0] = e;
            }
        }, "small-stack", 128 * 1024);
        t.start();
        t.join();
        PtxParseException e = assertInstanceOf(PtxParseException.class, thrown[0]);
        assertEquals(6, e.line());
    }

    @Test
    void nestingJustBelowTheLimitIsAccepted() {
        String ok = HEADER + ".entry k()\n{\n" + "{".repeat(150) + "ret;" + "}".repeat(150) + "\n}\n";
        assertEquals(1, PtxParser.parse("kernel.ptx", ok).kernels().getFirst().instructions().size());
    }

    /**
     * A .version newer than 9.0 (the PTX ISA of CUDA 13.0) is an UnsupportedPtxVersionException at the version number,
     * with the version asked for; 9.0 and older versions parse; a malformed .version stays a plain syntax error.
     */
    @ParameterizedTest
    @CsvSource(delimiterString = " => ", value = {
            ".version 9.1      => 9 => 1 => 10",
            ".version 9.10     => 9 => 10 => 10",
            ".version 10.0     => 10 => 0 => 10",
            ".version 99.0     => 99 => 0 => 10",
            "'\t.version   12' => 12 => 0 => 13",
            ".version 999999.0 => 999999 => 0 => 10"})
    void versionNewerThanImplementedIsUnsupported(String directive, int major, int minor, int column) {
        UnsupportedPtxVersionException e = assertThrows(UnsupportedPtxVersionException.class,
                () -> PtxParser.parse("v.ptx", "// PTX\n" + directive + "\n.target sm_90\n.address_size 64\n"));
        assertEquals(major, e.major());
        assertEquals(minor, e.minor());
        assertEquals("v.ptx", e.file());
        assertEquals(2, e.line());
        assertEquals(column, e.column());
        assertEquals("v.ptx:2:" + column + ": PTX ISA version " + major + "." + minor
                + " is newer than the newest this translator implements (9.0, CUDA 13.0)", e.getMessage());
    }

    @Test
    void versionsUpToTheNewestImplementedParse() {
        assertEquals(9, PtxParser.NEWEST_ISA_MAJOR);
        assertEquals(0, PtxParser.NEWEST_ISA_MINOR);
        for (String v : new String[] {"9.0", "9.00", "8.8", "8.10", "7.8", "1.0", "9"}) {
            var d = PtxParser.parse("v.ptx", ".version " + v + "\n.target sm_90\n").version().orElseThrow();
            assertTrue(d.major() < 9 || (d.major() == 9 && d.minor() == 0), v);
        }
        PtxParseException malformed = fail(".version 9.x\n");
        assertFalse(malformed instanceof UnsupportedPtxVersionException, malformed.getMessage());
    }

    @Test
    void errorsOnTheFirstLineAndWithTabs() {
        assertEquals("a.ptx:1:1: expected a directive (.version, .target, .entry, .func, a variable declaration, ...), "
                + "found 'garbage'", assertThrows(PtxParseException.class,
                        () -> PtxParser.parse("a.ptx", "garbage")).getMessage());
        assertEquals("a.ptx:1:3: unexpected character U+0000",
                assertThrows(PtxParseException.class, () -> PtxParser.parse("a.ptx", "\t\t\0")).getMessage());
    }

    @Test
    void longTokensAreClippedInMessages() {
        String longName = "x".repeat(100);
        PtxParseException e = failBody("mov.u32 %r1 " + longName + ";");
        assertEquals("kernel.ptx:6:13: expected ';' after instruction, found '" + "x".repeat(40) + "...'", e.getMessage());
    }
}
