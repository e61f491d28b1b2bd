package org.transcuda.ptx.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.transcuda.ptx.parse.PtxTestSupport.function;
import static org.transcuda.ptx.parse.PtxTestSupport.instructions;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.transcuda.ptx.ast.AddressSizeDirective;
import org.transcuda.ptx.ast.AliasDirective;
import org.transcuda.ptx.ast.Block;
import org.transcuda.ptx.ast.BranchTargets;
import org.transcuda.ptx.ast.CallPrototype;
import org.transcuda.ptx.ast.Diagnostic;
import org.transcuda.ptx.ast.FileDirective;
import org.transcuda.ptx.ast.Function;
import org.transcuda.ptx.ast.Guard;
import org.transcuda.ptx.ast.Initializer;
import org.transcuda.ptx.ast.Instruction;
import org.transcuda.ptx.ast.Label;
import org.transcuda.ptx.ast.Linkage;
import org.transcuda.ptx.ast.Loc;
import org.transcuda.ptx.ast.Operand;
import org.transcuda.ptx.ast.PerformanceDirective;
import org.transcuda.ptx.ast.Pragma;
import org.transcuda.ptx.ast.PtxModule;
import org.transcuda.ptx.ast.PtxType;
import org.transcuda.ptx.ast.SectionDirective;
import org.transcuda.ptx.ast.SourcePos;
import org.transcuda.ptx.ast.StateSpace;
import org.transcuda.ptx.ast.Statement;
import org.transcuda.ptx.ast.TargetDirective;
import org.transcuda.ptx.ast.VariableDecl;
import org.transcuda.ptx.ast.VersionDirective;

/** Hand-written PTX snippets, one syntax item at a time, with assertions on the tree. */
class SyntaxTest {
    private static final String HEADER = ".version 8.5\n.target sm_90\n.address_size 64\n";

    static PtxModule parse(String text) {
        return PtxParser.parse("t.ptx", text);
    }

    /** Parses statements as the body of kernel {@code k}. */
    static Function body(String statements) {
        return parse(HEADER + ".entry k()\n{\n" + statements + "\n}\n").kernels().getFirst();
    }

    /** Parses one instruction in a kernel body. */
    static Instruction insn(String instruction) {
        List<Instruction> all = body(instruction).instructions();
        assertEquals(1, all.size(), all.toString());
        return all.getFirst();
    }

    /** The last operand of one instruction. */
    static Operand operand(String instruction) {
        return insn(instruction).operands().getLast();
    }

    static VariableDecl global(String declaration) {
        List<VariableDecl> vars = parse(HEADER + declaration + "\n").variables();
        assertEquals(1, vars.size());
        return vars.getFirst();
    }

    static Operand.Ident id(String name) {
        return new Operand.Ident(name);
    }

    static Operand.IntImm imm(long v) {
        return new Operand.IntImm(v, false);
    }

    @Nested
    class ModuleDirectives {
        @Test
        void headerDirectives() {
            PtxModule m = parse("""
                    .version 7.8
                    .target sm_80, debug, texmode_independent
                    .address_size 32
                    .file 1 "a/b.cu", 1700000000, 4096
                    .file 2 "c \\"quoted\\".h"
                    .pragma "nounroll";
                    .alias fAlias, fTarget;
                    """);
            assertEquals(new VersionDirective(new SourcePos("t.ptx", 1, 1), 7, 8), m.version().orElseThrow());
            assertEquals(List.of("sm_80", "debug", "texmode_independent"), m.targets());
            assertEquals("sm_80", ((TargetDirective) m.items().get(1)).architecture());
            assertEquals(new AddressSizeDirective(new SourcePos("t.ptx", 3, 1), 32), m.items().get(2));
            assertEquals(new FileDirective(new SourcePos("t.ptx", 4, 1), 1, "a/b.cu", List.of(1700000000L, 4096L)),
                    m.items().get(3));
            assertEquals("c \\\"quoted\\\".h", ((FileDirective) m.items().get(4)).path());
            assertEquals(List.of("nounroll"), ((Pragma) m.items().get(5)).values());
            assertEquals(new AliasDirective(new SourcePos("t.ptx", 7, 1), "fAlias", "fTarget"), m.items().get(6));
        }

        @Test
        void versionWithTwoDigitMinor() {
            assertEquals(10, parse(".version 8.10\n").version().orElseThrow().minor());
        }

        @Test
        void debugSectionsAreSkippedButKept() {
            PtxModule m = parse(HEADER + """
                    .section .debug_info
                    {
                    .b32 573
                    .b8 2, 0 // { a brace in a comment
                    $L__info_string0:
                    .b64 $L__func_begin0
                    .b8 "}" /* } */
                    }
                    .section .debug_loc { }
                    .entry k() { ret; }
                    """);
            List<SectionDirective> sections = m.items().stream().filter(SectionDirective.class::isInstance)
                    .map(SectionDirective.class::cast).toList();
            assertEquals(List.of(".debug_info", ".debug_loc"), sections.stream().map(SectionDirective::name).toList());
            assertTrue(sections.getFirst().contents().contains(".b64 $L__func_begin0"));
            assertEquals(" ", sections.get(1).contents());
            assertEquals(new SourcePos("t.ptx", 13, 1), m.kernels().getFirst().pos(), "lines counted inside sections");
        }

        @Test
        void linkages() {
            PtxModule m = parse(HEADER + """
                    .extern .func ext(.param .b32 a);
                    .visible .func vis() { ret; }
                    .weak .func weak() { ret; }
                    .func priv() { ret; }
                    .common .global .u32 common;
                    .weak .global .u32 weakVar = 1;
                    .visible .entry k() { ret; }
                    """);
            assertEquals(List.of(Linkage.EXTERN, Linkage.VISIBLE, Linkage.WEAK, Linkage.NONE, Linkage.VISIBLE),
                    m.functions().stream().map(Function::linkage).toList());
            assertEquals(List.of(Linkage.COMMON, Linkage.WEAK),
                    m.variables().stream().map(VariableDecl::linkage).toList());
            assertEquals(new SourcePos("t.ptx", 4, 1), m.functions().getFirst().pos(), "position of the linkage");
        }

        @Test
        void emptyAndCommentOnlyInputsAreEmptyModules() {
            assertEquals(List.of(), parse("").items());
            assertEquals(List.of(), parse("// nothing\n/* at\n all */\n\t \r\n").items());
            assertTrue(parse("").version().isEmpty());
        }
    }

    @Nested
    class Functions {
        @Test
        void returnValuesParametersAndPrototypes() {
            PtxModule m = parse(HEADER + """
                    .func (.param .b32 r) f(.param .b32 a, .param .align 8 .b8 s[24])
                    ;
                    .func (.param .b64 lo, .param .b64 hi) pair() { ret; }
                    .func (.reg .b32 out) g(.reg .b32 in) { mov.b32 out, in; ret; }
                    .func noArgs { ret; }
                    .entry k() { ret; }
                    """);
            Function f = function(m, "f");
            assertFalse(f.hasBody());
            assertEquals(List.of(), f.body());
            assertEquals("r", f.returns().getFirst().name());
            assertEquals(List.of("a", "s"), f.params().stream().map(VariableDecl::name).toList());
            assertEquals(8, f.params().get(1).align());
            assertEquals(List.of(24L), f.params().get(1).dims());
            assertEquals(2, function(m, "pair").returns().size());
            Function g = function(m, "g");
            assertEquals(StateSpace.REG, g.returns().getFirst().space());
            assertEquals(StateSpace.REG, g.params().getFirst().space());
            assertEquals(List.of(), function(m, "noArgs").params());
        }

        @Test
        void noreturnAndPerformanceDirectives() {
            PtxModule m = parse(HEADER + """
                    .func die() .noreturn { trap; }
                    .entry a() .maxntid 256, 1, 1 .minnctapersm 4 .maxnreg 32 { ret; }
                    .entry b()
                    .reqntid 128
                    .explicitcluster
                    .reqnctapercluster 2, 2, 1
                    .pragma "nounroll";
                    { ret; }
                    .entry c() .maxclusterrank 8 { ret; }
                    """);
            assertTrue(function(m, "die").noreturn());
            Function a = function(m, "a");
            assertFalse(a.noreturn());
            assertEquals(List.of(".maxntid", ".minnctapersm", ".maxnreg"),
                    a.directives().stream().map(d -> ((PerformanceDirective) d).name()).toList());
            assertEquals(List.of(32L), a.directive(".maxnreg").orElseThrow().values());
            Function b = function(m, "b");
            assertEquals(List.of(128L), b.directive(".reqntid").orElseThrow().values());
            assertEquals(List.of(), b.directive(".explicitcluster").orElseThrow().values());
            assertEquals(List.of(2L, 2L, 1L), b.directive(".reqnctapercluster").orElseThrow().values());
            assertEquals(new Pragma(new SourcePos("t.ptx", 10, 1), List.of("nounroll")), b.directives().getLast());
            assertEquals(List.of(8L), function(m, "c").directive(".maxclusterrank").orElseThrow().values());
        }

        @Test
        void kernelParameterAttributes() {
            Function k = parse(HEADER + """
                    .entry k(.param .u64 .ptr.global.align 8 p0,
                             .param .u64 .ptr .shared .align 16 p1,
                             .param .u64 .ptr.align 4 p2,
                             .param .u64 p3,
                             .param .texref t)
                    { ret; }
                    """).kernels().getFirst();
            List<VariableDecl> p = k.params();
            assertEquals(new VariableDecl.PtrAttribute(StateSpace.GLOBAL, 8), p.get(0).ptr());
            assertEquals(new VariableDecl.PtrAttribute(StateSpace.SHARED, 16), p.get(1).ptr());
            assertEquals(new VariableDecl.PtrAttribute(null, 4), p.get(2).ptr());
            assertNull(p.get(3).ptr());
            assertEquals(0, p.get(0).align(), ".align after .ptr belongs to the pointer");
            assertEquals(PtxType.TEXREF, p.get(4).type());
        }
    }

    @Nested
    class Declarations {
        @Test
        void vectorTypesArraysAndAlignment() {
            VariableDecl v = global(".global .align 16 .v4 .f32 v[2][3][4];");
            assertEquals(StateSpace.GLOBAL, v.space());
            assertEquals(16, v.align());
            assertEquals(4, v.vectorWidth());
            assertEquals(PtxType.F32, v.type());
            assertEquals(List.of(2L, 3L, 4L), v.dims());
            assertEquals(2, global(".shared .v2 .u64 w;").vectorWidth());
            assertEquals(8, global(".const .v8 .f16x2 h;").vectorWidth());
            assertEquals(PtxType.F16X2, global(".const .v8 .f16x2 h;").type());
            assertEquals(1, global(".global .b32 s;").vectorWidth());
            assertEquals(List.of(VariableDecl.UNSIZED), global(".extern .shared .align 16 .b8 smem[];").dims());
            assertEquals(List.of(12L), global(".global .b8 arr[3 * 4];").dims(), "constant expression dimension");
        }

        @Test
        void initializers() {
            assertEquals(new Initializer.Braced(List.of(
                            new Initializer.Braced(List.of(new Initializer.Value(imm(1)), new Initializer.Value(imm(2)))),
                            new Initializer.Braced(List.of(new Initializer.Value(imm(-3)), new Initializer.Value(imm(4)))))),
                    global(".global .s32 a[2][2] = {{1, 2}, {-3, 4}};").init());
            assertEquals(new Initializer.Value(Operand.FloatImm.ofFloat(1.0f)),
                    global(".global .f32 f = 0f3F800000;").init());
            assertEquals(new Initializer.Value(Operand.FloatImm.ofDouble(1.0)),
                    global(".global .f64 d = 0d3FF0000000000000;").init());
            assertEquals(new Initializer.Value(Operand.FloatImm.ofDouble(-2.5)),
                    global(".global .f64 d = -2.5;").init());
            assertEquals(new Initializer.Braced(List.of(
                            new Initializer.Value(id("foo")),
                            new Initializer.Value(new Operand.SymbolRef("bar", 4, true)),
                            new Initializer.Value(new Operand.SymbolRef("baz", -8, false)),
                            new Initializer.Value(new Operand.SymbolRef("qux", 0, true)))),
                    global(".global .u64 p[4] = {foo, generic(bar)+4, baz-8, generic(qux)};").init());
        }

        @Test
        void registerDeclarations() {
            Function k = body("""
                    .reg .b32 %r<12>;
                    .reg .pred p, q;
                    .reg .v4 .b32 %v<2>;
                    .local .align 8 .b8 __local_depot0[40];
                    .shared .align 4 .b8 tile[16][16];
                    .param .b32 param0;
                    """);
            List<VariableDecl> d = k.body().stream().map(VariableDecl.class::cast).toList();
            assertEquals(List.of("%r", "p", "q", "%v", "__local_depot0", "tile", "param0"),
                    d.stream().map(VariableDecl::name).toList());
            assertEquals(12, d.getFirst().rangeCount());
            assertTrue(d.getFirst().isRange());
            assertEquals(-1, d.get(1).rangeCount());
            assertEquals(d.get(1).pos(), d.get(2).pos(), "one declaration, two names");
            assertEquals(PtxType.PRED, d.get(2).type());
            assertEquals(4, d.get(3).vectorWidth());
            assertEquals(List.of(StateSpace.REG, StateSpace.REG, StateSpace.REG, StateSpace.REG, StateSpace.LOCAL,
                    StateSpace.SHARED, StateSpace.PARAM), d.stream().map(VariableDecl::space).toList());
        }

        @Test
        void textureAndAttributeDeclarations() {
            assertEquals(PtxType.TEXREF, global(".global .texref tex1;").type());
            assertEquals(PtxType.SAMPLERREF, global(".global .samplerref s1;").type());
            assertEquals(StateSpace.TEX, global(".tex .u32 oldTex;").space());
            assertEquals(List.of(".managed"), global(".global .attribute(.managed) .s32 g;").attributes());
            assertEquals(List.of(".unified(1,2)"),
                    global(".global .attribute(.unified(0x1, 2)) .s32 g;").attributes());
        }
    }

    @Nested
    class Statements {
        @Test
        void labelsAndGuards() {
            Function k = body("""
                    $L__BB0_1:
                    @%p1 bra $L__BB0_1;
                    @!%p2 bra.uni done;
                    done: ret;
                    """);
            assertEquals(new Label(new SourcePos("t.ptx", 6, 1), "$L__BB0_1"), k.body().getFirst());
            List<Instruction> bras = instructions(k, "bra");
            assertEquals(new Guard("%p1", false), bras.get(0).guard());
            assertEquals(new Guard("%p2", true), bras.get(1).guard());
            assertEquals(List.of(".uni"), bras.get(1).modifiers());
            assertEquals(new SourcePos("t.ptx", 8, 1), bras.get(1).pos(), "position of the guard");
            assertInstanceOf(Label.class, k.body().get(3));
            assertEquals(new SourcePos("t.ptx", 9, 7), k.body().get(4).pos());
        }

        @Test
        void nestedBlocks() {
            Function k = body("{ .reg .b32 t; { mov.b32 t, 1; } }\nret;");
            Block outer = (Block) k.body().getFirst();
            assertInstanceOf(VariableDecl.class, outer.statements().getFirst());
            Block inner = (Block) outer.statements().get(1);
            assertEquals("mov", ((Instruction) inner.statements().getFirst()).opcode());
            assertEquals(2, k.instructions().size());
            assertEquals(5, k.allStatements().size());
        }

        @Test
        void pragmaInBody() {
            Function k = body(".pragma \"nounroll\";\nret;");
            assertEquals(List.of("nounroll"), ((Pragma) k.body().getFirst()).values());
        }

        @Test
        void locAppliesToFollowingInstructionsIncludingBlocks() {
            Function k = body("""
                    mov.b32 %r0, 0;
                    .loc 1 10 3
                    mov.b32 %r1, 1;
                    $L1:
                    { mov.b32 %r2, 2; }
                    .loc 2 20 0
                    ret;
                    """);
            List<Instruction> in = k.instructions();
            assertNull(in.get(0).loc());
            assertEquals(new Loc(1, 10, 3), in.get(1).loc());
            assertEquals(new Loc(1, 10, 3), in.get(2).loc());
            assertEquals(new Loc(2, 20, 0), in.get(3).loc());
        }

        @Test
        void locWithInlinedAtResolvesTheCallSite() {
            Function k = body("""
                    .loc 1 16 9
                    .loc 1 9 5, function_name $L__info_string0, inlined_at 1 16 9
                    .loc 1 4 5, function_name $L__info_string1, inlined_at 1 9 5
                    mul.f32 %f1, %f2, %f2;
                    .loc 1 30 1, inlined_at 1 99 9
                    ret;
                    """);
            Loc outer = new Loc(1, 9, 5, "$L__info_string0", new Loc(1, 16, 9));
            assertEquals(new Loc(1, 4, 5, "$L__info_string1", outer), k.instructions().getFirst().loc());
            assertEquals(new Loc(1, 30, 1, null, new Loc(1, 99, 9)), k.instructions().get(1).loc(),
                    "an unseen call site stays a bare position");
        }

        @Test
        void branchTargetsAndBrx() {
            Function k = body("""
                    ts: .branchtargets L0, L1, L2;
                    brx.idx %r1, ts;
                    L0: L1: L2: ret;
                    """);
            assertEquals(List.of("L0", "L1", "L2"), ((BranchTargets) k.body().getFirst()).targets());
            assertEquals("ts", ((BranchTargets) k.body().getFirst()).name());
            assertEquals(List.of(id("%r1"), id("ts")), instructions(k, "brx").getFirst().operands());
            assertEquals(3, k.body().stream().filter(Label.class::isInstance).count());
        }

        @Test
        void callForms() {
            Function k = body("""
                    proto: .callprototype (.param .b32 _) _ (.param .b64 _, .param .b32 _);
                    noret: .callprototype _ () .noreturn;
                    call.uni (retval0), fname, (param0, param1);
                    call (ret), %rd5, (a0), proto;
                    call fname;
                    call.uni g, ();
                    """);
            CallPrototype proto = (CallPrototype) k.body().getFirst();
            assertEquals("proto", proto.name());
            assertEquals(List.of(PtxType.B32), proto.returns().stream().map(VariableDecl::type).toList());
            assertEquals(List.of(PtxType.B64, PtxType.B32), proto.params().stream().map(VariableDecl::type).toList());
            assertFalse(proto.noreturn());
            CallPrototype noret = (CallPrototype) k.body().get(1);
            assertTrue(noret.noreturn());
            assertEquals(List.of(), noret.returns());
            assertEquals(List.of(), noret.params());
            List<Instruction> calls = instructions(k, "call");
            assertEquals(List.of(new Operand.ParenList(List.of(id("retval0"))), id("fname"),
                    new Operand.ParenList(List.of(id("param0"), id("param1")))), calls.get(0).operands());
            assertEquals(List.of(new Operand.ParenList(List.of(id("ret"))), id("%rd5"),
                    new Operand.ParenList(List.of(id("a0"))), id("proto")), calls.get(1).operands());
            assertEquals(List.of(id("fname")), calls.get(2).operands());
            assertEquals(List.of(id("g"), new Operand.ParenList(List.of())), calls.get(3).operands());
        }

        @Test
        void commentsAndWhitespaceAnywhere() {
            Instruction in = insn("add/*x*/.s32 /* dst */ %r1 // first\n , %r2,\n\n\t%r3 /* last */ ;");
            assertEquals("add", in.opcode());
            assertEquals(List.of(".s32"), in.modifiers());
            assertEquals(List.of(id("%r1"), id("%r2"), id("%r3")), in.operands());
        }

        @Test
        void windowsLineEndingsCountLinesOnce() {
            PtxModule m = parse(".version 8.5\r\n.target sm_90\r\n.address_size 64\r\n.entry k()\r\n{\r\n  ret;\r\n}\r\n");
            assertEquals(new SourcePos("t.ptx", 6, 3), m.kernels().getFirst().instructions().getFirst().pos());
        }
    }

    @Nested
    class Operands {
        @Test
        void vectorOperandsWithSink() {
            assertEquals(new Operand.Vector(List.of(id("%r1"), id("%r2"), new Operand.Sink(), id("%r4"))),
                    insn("ld.global.v4.u32 {%r1, %r2, _, %r4}, [%rd1];").operands().getFirst());
        }

        @Test
        void addressForms() {
            assertEquals(new Operand.Address(id("%rd1"), 0), operand("ld.u32 %r1, [%rd1];"));
            assertEquals(new Operand.Address(id("%rd1"), 16), operand("ld.u32 %r1, [%rd1+16];"));
            assertEquals(new Operand.Address(id("%rd1"), -4), operand("ld.u32 %r1, [%rd1+-4];"));
            assertEquals(new Operand.Address(id("%rd1"), -4), operand("ld.u32 %r1, [%rd1-4];"));
            assertEquals(new Operand.Address(id("%rd1"), 2), operand("ld.u32 %r1, [%rd1-4+6];"));
            assertEquals(new Operand.Address(id("var"), 0), operand("ld.u32 %r1, [var];"));
            assertEquals(new Operand.Address(id("var"), 8), operand("ld.u32 %r1, [var+8];"));
            assertEquals(new Operand.Address(id("%r1"), 0), operand("ld.shared.u32 %r2, [%r1];"));
            assertEquals(new Operand.Address(imm(256), 0), operand("ld.u32 %r1, [0x100];"));
            assertEquals(new Operand.Address(id("%rd1"), 8),
                    insn("st.global.u32 [%rd1+8], 5;").operands().getFirst());
        }

        @Test
        void bracketListsForTexturesAndTensors() {
            assertEquals(new Operand.AddressList(List.of(id("tex_a"),
                            new Operand.Vector(List.of(id("%f1"), id("%f2"))))),
                    operand("tex.2d.v4.f32.f32 {%f1, %f2, %f3, %f4}, [tex_a, {%f1, %f2}];"));
            assertEquals(new Operand.AddressList(List.of(id("tex_a"), id("samp"), new Operand.Vector(List.of(id("%f1"))))),
                    operand("tex.1d.v4.f32.f32 {%f1, %f2, %f3, %f4}, [tex_a, samp, {%f1}];"));
        }

        @ParameterizedTest
        @CsvSource(delimiterString = " => ", value = {
                "42 => 42 => false",
                "0x2A => 42 => false",
                "0X2a => 42 => false",
                "052 => 42 => false",
                "0b101010 => 42 => false",
                "0B101010 => 42 => false",
                "42U => 42 => true",
                "0xFFFFFFFFU => 4294967295 => true",
                "-42 => -42 => false",
                "0 => 0 => false",
                "0xFFFFFFFFFFFFFFFF => -1 => false",
                "18446744073709551615U => -1 => true",
                "(1 << 4) + 2 => 18 => false",
                "10 - 2 * 3 => 4 => false",
                "~0 & 0xFF => 255 => false",
                "7 / 2 => 3 => false",
                "-7 % 3 => -1 => false",
                "1 ? 5 : 6 => 5 => false",
                "3 > 2 && 2 >= 2 => 1 => false",
                "1 == 2 || 0 != 0 => 0 => false",
                "0xF0 | 0x0F ^ 0x3 => 252 => false",
                "!0 + !5 => 1 => false",
                "(.u64) 5 => 5 => true",
                "0xFFFFFFFFFFFFFFFFU >> 60 => 15 => true",
                "-1 >> 60 => -1 => false"})
        void integerImmediates(String text, long value, boolean unsigned) {
            assertEquals(new Operand.IntImm(value, unsigned), operand("mov.u32 %r1, " + text + ";"));
        }

        @Test
        void floatImmediates() {
            assertEquals(Operand.FloatImm.ofFloat(1.0f), operand("mov.f32 %f1, 0f3F800000;"));
            assertEquals(Operand.FloatImm.ofFloat(1.0f), operand("mov.f32 %f1, 0F3f800000;"));
            assertEquals(Operand.FloatImm.ofFloat(-1.0f), operand("mov.f32 %f1, -0f3F800000;"));
            assertEquals(Operand.FloatImm.ofDouble(1.0), operand("mov.f64 %fd1, 0d3FF0000000000000;"));
            assertEquals(Operand.FloatImm.ofDouble(1.0), operand("mov.f64 %fd1, 0D3ff0000000000000;"));
            assertEquals(Operand.FloatImm.ofDouble(1.5), operand("mov.f64 %fd1, 1.5;"));
            assertEquals(Operand.FloatImm.ofDouble(-0.25), operand("mov.f64 %fd1, -0.25;"));
            assertEquals(Operand.FloatImm.ofDouble(1e10), operand("mov.f64 %fd1, 1e10;"));
            assertEquals(Operand.FloatImm.ofDouble(2.5e-3), operand("mov.f64 %fd1, 2.5E-3;"));
            assertEquals(1.5, ((Operand.FloatImm) operand("mov.f64 %fd1, 1.5;")).doubleValue());
            assertEquals(Float.NaN, (float) ((Operand.FloatImm) operand("mov.f32 %f1, 0f7FC00000;")).doubleValue());
        }

        @Test
        void specialRegisters() {
            Function k = body("""
                    mov.u32 %r1, %tid.x;
                    mov.u32 %r2, %ctaid.y;
                    mov.u32 %r3, %ntid.z;
                    mov.u32 %r4, %laneid;
                    mov.u32 %r5, %lanemask_lt;
                    mov.u64 %rd1, %clock64;
                    mov.u64 %rd2, %globaltimer;
                    mov.u32 %r6, WARP_SZ;
                    mov.f32 %f1, %v.w;
                    """);
            assertEquals(List.of("%tid.x", "%ctaid.y", "%ntid.z", "%laneid", "%lanemask_lt", "%clock64",
                            "%globaltimer", "WARP_SZ", "%v.w"),
                    k.instructions().stream().map(i -> ((Operand.Ident) i.operands().get(1)).name()).toList());
            assertTrue(id("%tid.x").isPercent());
            assertFalse(id("WARP_SZ").isPercent());
        }

        @Test
        void dualPredicateDestinationsAndNegatedSources() {
            Instruction setp = insn("setp.lt.and.s32 %p1|%p2, %r1, %r2, !%p3;");
            assertEquals(List.of(".lt", ".and", ".s32"), setp.modifiers());
            assertEquals(new Operand.Pair(id("%p1"), id("%p2")), setp.operands().getFirst());
            assertEquals(new Operand.Not(id("%p3")), setp.operands().getLast());
            assertEquals(new Operand.Pair(id("%r1"), id("%p1")),
                    insn("shfl.sync.idx.b32 %r1|%p1, %r2, 0, 31, 0xffffffff;").operands().getFirst());
        }

        @Test
        void maskOperandsInWarpInstructions() {
            Instruction shfl = insn("shfl.sync.bfly.b32 %r1, %r2, 1, 0x1f, -1;");
            assertEquals(List.of(id("%r1"), id("%r2"), imm(1), imm(31), imm(-1)), shfl.operands());
            Instruction vote = insn("vote.sync.all.pred %p1, %p2, %r5;");
            assertEquals(List.of(".sync", ".all", ".pred"), vote.modifiers());
            assertEquals(id("%r5"), vote.operands().get(2));
            assertEquals(List.of(id("%r1"), id("%r2"), imm(0xffffffffL)),
                    insn("match.any.sync.b32 %r1, %r2, 0xffffffff;").operands());
        }

        @Test
        void modifiersWithDoubleColonsAndDigits() {
            assertEquals(List.of(".shared::cluster", ".global", ".mbarrier::complete_tx::bytes"),
                    insn("cp.async.bulk.shared::cluster.global.mbarrier::complete_tx::bytes [%r1], [%rd1], 64, [%r2];")
                            .modifiers().subList(2, 5));
            assertEquals(List.of(".global", ".L1::evict_last", ".L2::cache_hint", ".v2", ".u32"),
                    insn("ld.global.L1::evict_last.L2::cache_hint.v2.u32 {%r1, %r2}, [%rd1], %rd2;").modifiers());
            assertEquals(List.of(".3d", ".v4", ".s32", ".f32"),
                    insn("tex.3d.v4.s32.f32 {%r1, %r2, %r3, %r4}, [t, {%f1, %f2, %f3, %f4}];").modifiers());
        }

        @Test
        void instructionWithoutOperandsAndFullOpcode() {
            Instruction in = insn("bar.warp.sync -1;");
            assertEquals("bar.warp.sync", in.fullOpcode());
            assertTrue(in.hasModifier(".sync"));
            assertEquals(List.of(), insn("exit;").operands());
            assertEquals("@!%p1 st.global.v2.f32 [%rd1+8], {%f1, %f2};",
                    insn("@!%p1 st.global.v2.f32 [%rd1+8], {%f1,%f2};").toString());
        }
    }

    @Nested
    class UnknownInstructions {
        @Test
        void unknownOpcodeParsesWithADiagnostic() {
            PtxModule m = parse(HEADER + """
                    .entry good() { ret; }
                    .entry bad()
                    {
                        frobnicate.sync.b32 %r1, [%rd1+4], {%r2, %r3};
                        ret;
                    }
                    """);
            assertEquals(List.of(), function(m, "good").diagnostics());
            Function bad = function(m, "bad");
            assertEquals(List.of(new Diagnostic(new SourcePos("t.ptx", 7, 5), "unknown instruction 'frobnicate'")),
                    bad.diagnostics());
            assertEquals(bad.diagnostics(), m.diagnostics());
            Instruction in = bad.instructions().getFirst();
            assertEquals(List.of(".sync", ".b32"), in.modifiers());
            assertEquals(3, in.operands().size());
            assertEquals("t.ptx:7:5: unknown instruction 'frobnicate'", bad.diagnostics().getFirst().toString());
        }

        @Test
        void everyKnownOpcodeParsesWithoutDiagnostics() {
            StringBuilder sb = new StringBuilder();
            for (String op : Opcodes.known()) {
                sb.append(op).append(".x %r1, %r2;\n");
            }
            Function k = body(sb.toString());
            assertEquals(Opcodes.known().size(), k.instructions().size());
            assertEquals(List.of(), k.diagnostics());
            assertTrue(Opcodes.isKnown("wgmma"));
            assertFalse(Opcodes.isKnown("frobnicate"));
        }
    }

    @Test
    void parsesAFileNamedByItsFileName(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        java.nio.file.Path file = dir.resolve("k.ptx");
        java.nio.file.Files.writeString(file, HEADER + ".entry k() { ret; }\n");
        PtxModule m = PtxParser.parse(file);
        assertEquals("k.ptx", m.file());
        assertEquals(new SourcePos("k.ptx", 4, 1), m.kernels().getFirst().pos());
        java.nio.file.Files.writeString(file, HEADER + ".entry k() { ret }\n");
        PtxParseException e = org.junit.jupiter.api.Assertions.assertThrows(PtxParseException.class,
                () -> PtxParser.parse(file));
        assertEquals("k.ptx:4:18: expected ';' after instruction, found '}'", e.getMessage());
    }

    @Test
    void handwrittenSyntaxFileCoversTheWholeList() {
        PtxModule m = PtxTestSupport.parseResource("handwritten_syntax.ptx");
        assertEquals(List.of(), m.diagnostics());
        Function k = function(m, "kern");
        List<Statement> all = k.allStatements();
        assertTrue(all.stream().anyMatch(CallPrototype.class::isInstance));
        assertTrue(all.stream().anyMatch(BranchTargets.class::isInstance));
        assertTrue(all.stream().anyMatch(Block.class::isInstance));
        assertTrue(all.stream().anyMatch(Pragma.class::isInstance));
        assertEquals(new Loc(2, 4, 1), instructions(k, "mov", ".u32").get(5).loc());
        assertEquals(new Operand.Address(id("smem"), 64), instructions(k, "ld", ".shared", ".u32").get(1).operands().get(1));
        assertEquals(7, m.functions().size());
        assertEquals(14, m.variables().size());
        assertEquals(new Initializer.Braced(List.of(new Initializer.Value(id("counter")),
                        new Initializer.Value(new Operand.SymbolRef("words", 8, true)))),
                m.variable("ptrs").orElseThrow().init());
    }
}
