package org.transcuda.ptx.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.transcuda.ptx.parse.PtxTestSupport.function;
import static org.transcuda.ptx.parse.PtxTestSupport.instructions;
import static org.transcuda.ptx.parse.PtxTestSupport.parseResource;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.transcuda.ptx.ast.Block;
import org.transcuda.ptx.ast.CallPrototype;
import org.transcuda.ptx.ast.FileDirective;
import org.transcuda.ptx.ast.Function;
import org.transcuda.ptx.ast.Initializer;
import org.transcuda.ptx.ast.Instruction;
import org.transcuda.ptx.ast.Label;
import org.transcuda.ptx.ast.Linkage;
import org.transcuda.ptx.ast.Loc;
import org.transcuda.ptx.ast.Operand;
import org.transcuda.ptx.ast.PtxModule;
import org.transcuda.ptx.ast.PtxType;
import org.transcuda.ptx.ast.SectionDirective;
import org.transcuda.ptx.ast.SourcePos;
import org.transcuda.ptx.ast.StateSpace;
import org.transcuda.ptx.ast.Statement;
import org.transcuda.ptx.ast.VariableDecl;

/** Parses PTX that nvcc 13 generated from the .cu files in src/test/resources/ptx and checks its structure. */
class NvccFixturesTest {

    static final List<String> FIXTURES = PtxTestSupport.FIXTURES;

    private static Operand.Ident id(String name) {
        return new Operand.Ident(name);
    }

    @ParameterizedTest
    @FieldSource("FIXTURES")
    void everyFixtureParsesWithHeaderAndWithoutDiagnostics(String name) {
        PtxModule m = parseResource(name);
        assertEquals(name, m.file());
        assertTrue(m.version().isPresent(), "version");
        assertEquals(64, m.addressSize().orElseThrow());
        assertTrue(m.targets().getFirst().startsWith("sm_"), m.targets().toString());
        assertFalse(m.kernels().isEmpty(), "kernels");
        assertEquals(List.of(), m.diagnostics());
        for (Function f : m.functions()) {
            if (f.hasBody()) {
                assertFalse(f.instructions().isEmpty(), f.name());
                Instruction last = f.instructions().getLast();
                assertTrue(List.of("ret", "exit", "trap").contains(last.opcode()), f.name() + " ends with " + last);
            }
        }
    }

    @Test
    void vectorAdd() {
        PtxModule m = parseResource("vector_add.ptx");
        assertEquals(9, m.version().orElseThrow().major());
        assertEquals(0, m.version().orElseThrow().minor());
        assertEquals(List.of("sm_80"), m.targets());
        assertEquals(1, m.kernels().size());
        Function k = m.kernels().getFirst();
        assertEquals("_Z6vecAddPKfS0_Pfi", k.name());
        assertTrue(k.entry());
        assertEquals(Linkage.VISIBLE, k.linkage());
        assertEquals(new SourcePos("vector_add.ptx", 15, 1), k.pos());
        assertEquals(List.of(PtxType.U64, PtxType.U64, PtxType.U64, PtxType.U32),
                k.params().stream().map(VariableDecl::type).toList());
        assertTrue(k.params().stream().allMatch(p -> p.space() == StateSpace.PARAM));
        assertEquals("_Z6vecAddPKfS0_Pfi_param_3", k.params().get(3).name());

        List<VariableDecl> regs = k.body().stream().filter(VariableDecl.class::isInstance)
                .map(VariableDecl.class::cast).toList();
        assertEquals(List.of("%p", "%f", "%r", "%rd"), regs.stream().map(VariableDecl::name).toList());
        assertEquals(List.of(2, 4, 6, 11), regs.stream().map(VariableDecl::rangeCount).toList());
        assertEquals(PtxType.PRED, regs.getFirst().type());

        assertEquals(22, k.instructions().size());
        assertEquals(2, instructions(k, "ld", ".global", ".f32").size());
        assertEquals(4, instructions(k, "ld", ".param", ".u64").size() + instructions(k, "ld", ".param", ".u32").size());
        assertEquals(3, instructions(k, "cvta").size());
        assertEquals(1, instructions(k, "st").size());

        Instruction first = k.instructions().getFirst();
        assertEquals(new SourcePos("vector_add.ptx", 28, 2), first.pos());
        assertEquals(List.of(id("%rd1"), new Operand.Address(id("_Z6vecAddPKfS0_Pfi_param_0"), 0)), first.operands());

        Instruction mad = instructions(k, "mad").getFirst();
        assertEquals(List.of(".lo", ".s32"), mad.modifiers());
        assertEquals(List.of(id("%r1"), id("%r3"), id("%r4"), id("%r5")), mad.operands());
        assertEquals(id("%ctaid.x"), instructions(k, "mov").getFirst().operands().get(1));

        Instruction bra = instructions(k, "bra").getFirst();
        assertEquals("%p1", bra.guard().predicate());
        assertFalse(bra.guard().negated());
        assertEquals(List.of(id("$L__BB0_2")), bra.operands());
        assertTrue(k.body().contains(new Label(new SourcePos("vector_add.ptx", 51, 1), "$L__BB0_2")));
        assertNull(first.loc(), "no .loc without -lineinfo");
    }

    @Test
    void lineInfoIsAttachedToFollowingInstructions() {
        PtxModule m = parseResource("vector_add_lineinfo.ptx");
        FileDirective file = m.items().stream().filter(FileDirective.class::isInstance)
                .map(FileDirective.class::cast).findFirst().orElseThrow();
        assertEquals(1, file.index());
        assertEquals("vector_add.cu", file.path());
        Function k = m.kernels().getFirst();
        assertTrue(k.instructions().stream().allMatch(i -> i.loc() != null && i.loc().file() == 1),
                "every instruction carries a .loc");
        assertEquals(new Loc(1, 2, 0), k.instructions().getFirst().loc());
        assertEquals(new Loc(1, 4, 5), instructions(k, "mad").getFirst().loc());
        assertEquals(new Loc(1, 5, 5), instructions(k, "setp").getFirst().loc());
        assertEquals(new Loc(1, 8, 1), k.instructions().getLast().loc());
        // same instruction sequence as without -lineinfo
        Function plain = parseResource("vector_add.ptx").kernels().getFirst();
        assertEquals(plain.instructions().stream().map(Instruction::fullOpcode).toList(),
                k.instructions().stream().map(Instruction::fullOpcode).toList());
    }

    @Test
    void inlinedLineInfoKeepsTheInliningChain() {
        PtxModule m = parseResource("inline_lineinfo.ptx");
        Function k = m.kernels().getFirst();
        Instruction mul = instructions(k, "mul", ".f32").getFirst();
        Loc callSite = new Loc(1, 16, 9);
        Loc sumSquares = new Loc(1, 9, 5, "$L__info_string0", callSite);
        assertEquals(new Loc(1, 4, 5, "$L__info_string1", sumSquares), mul.loc());
        assertEquals(sumSquares, instructions(k, "fma").getFirst().loc());
        assertEquals(callSite, instructions(k, "sqrt").getFirst().loc());
        SectionDirective str = m.items().stream().filter(SectionDirective.class::isInstance)
                .map(SectionDirective.class::cast).filter(s -> s.name().equals(".debug_str")).findFirst().orElseThrow();
        assertTrue(str.contents().contains("$L__info_string1:"), str.contents());
        assertEquals(2, instructions(k, "ld", ".global", ".v2", ".f32").getFirst().operands().size());
        assertEquals(new Operand.Vector(List.of(id("%f1"), id("%f2"))),
                instructions(k, "ld", ".global", ".v2", ".f32").getFirst().operands().getFirst());
    }

    @Test
    void sharedMemoryReductionWithLaunchBounds() {
        Function k = parseResource("reduce_shared.ptx").kernels().getFirst();
        assertEquals("_Z9reduceSumPKfPfj", k.name());
        assertEquals(List.of(256L, 1L, 1L), k.directive(".maxntid").orElseThrow().values());
        assertEquals(List.of(2L), k.directive(".minnctapersm").orElseThrow().values());
        VariableDecl partial = k.body().stream().filter(VariableDecl.class::isInstance).map(VariableDecl.class::cast)
                .filter(d -> d.space() == StateSpace.SHARED).findFirst().orElseThrow();
        assertEquals("_ZZ9reduceSumPKfPfjE7partial", partial.name());
        assertEquals(4, partial.align());
        assertEquals(PtxType.B8, partial.type());
        assertEquals(List.of(1024L), partial.dims());
        List<Instruction> barriers = instructions(k, "bar", ".sync");
        assertEquals(2, barriers.size());
        assertEquals(List.of(new Operand.IntImm(0, false)), barriers.getFirst().operands());
        assertEquals(3, instructions(k, "ld").stream().filter(i -> i.hasModifier(".shared")).count());
        assertEquals(2, instructions(k, "st").stream().filter(i -> i.hasModifier(".shared")).count());
        assertEquals(new Operand.Address(id("_ZZ9reduceSumPKfPfjE7partial"), 0),
                instructions(k, "ld", ".shared", ".f32").getLast().operands().get(1));
        assertEquals(5, k.body().stream().filter(Label.class::isInstance).count());
    }

    @Test
    void deviceFunctionsWithReturnValuesAndCallSequences() {
        PtxModule m = parseResource("device_func.ptx");
        assertEquals(3, m.functions().size());
        Function scaleAdd = function(m, "_Z8scaleAddffi");
        assertFalse(scaleAdd.entry());
        assertEquals(Linkage.NONE, scaleAdd.linkage());
        assertEquals(1, scaleAdd.returns().size());
        assertEquals("func_retval0", scaleAdd.returns().getFirst().name());
        assertEquals(PtxType.B32, scaleAdd.returns().getFirst().type());
        assertEquals(3, scaleAdd.params().size());
        assertEquals(new Operand.Address(id("func_retval0"), 0),
                instructions(scaleAdd, "st").getFirst().operands().getFirst());

        Function swap = function(m, "_Z8swapPair4Pair");
        VariableDecl ret = swap.returns().getFirst();
        assertEquals(4, ret.align());
        assertEquals(List.of(8L), ret.dims());
        assertEquals(new Operand.Address(id("_Z8swapPair4Pair_param_0"), 4),
                instructions(swap, "ld").get(1).operands().get(1));

        Function k = function(m, "_Z8useFuncsPfPKf4Pair");
        assertEquals(List.of(8L), k.params().get(2).dims());
        List<Block> blocks = k.body().stream().filter(Block.class::isInstance).map(Block.class::cast).toList();
        assertEquals(2, blocks.size());
        List<Instruction> calls = instructions(k, "call", ".uni");
        assertEquals(2, calls.size());
        Instruction call = calls.getFirst();
        assertEquals(List.of(new Operand.ParenList(List.of(id("retval0"))), id("_Z8swapPair4Pair"),
                new Operand.ParenList(List.of(id("param0")))), call.operands());
        assertEquals(new Operand.ParenList(List.of(id("param0"), id("param1"), id("param2"))),
                calls.get(1).operands().get(2));
        assertTrue(blocks.getFirst().statements().contains(call), "the call sits in its callseq block");
        for (Instruction c : calls) {
            String callee = ((Operand.Ident) c.operands().get(1)).name();
            assertTrue(m.function(callee).orElseThrow().hasBody(), callee);
        }
    }

    @Test
    void debugBuildWithSections() {
        PtxModule m = parseResource("device_func_debug.ptx");
        assertEquals(List.of("sm_80", "debug"), m.targets());
        List<String> sections = m.items().stream().filter(SectionDirective.class::isInstance)
                .map(i -> ((SectionDirective) i).name()).toList();
        assertEquals(List.of(".debug_abbrev", ".debug_info", ".debug_macinfo"), sections);
        assertEquals(3, m.functions().size());
        assertTrue(m.functions().stream().allMatch(f -> f.linkage() == Linkage.VISIBLE));
        Function scaleAdd = function(m, "_Z8scaleAddffi");
        assertTrue(scaleAdd.body().stream().anyMatch(s -> s instanceof Label l && l.name().equals("$L__func_begin0")));
        assertEquals(new Loc(1, 6, 5), instructions(scaleAdd, "cvt").getFirst().loc());
    }

    @Test
    void atomics() {
        Function k = parseResource("atomics.ptx").kernels().getFirst();
        List<Instruction> atoms = instructions(k, "atom");
        assertEquals(6, atoms.size());
        assertEquals(List.of(".shared", ".add", ".u32"), atoms.getFirst().modifiers());
        assertEquals(List.of(id("%r14"), new Operand.Address(id("%r13"), 0), new Operand.IntImm(1, false)),
                atoms.getFirst().operands());
        Instruction cas = instructions(k, "atom", ".global", ".cas", ".b32").getFirst();
        assertEquals(4, cas.operands().size());
        assertEquals(1, instructions(k, "atom", ".global", ".add", ".u64").size());
        assertEquals(1, instructions(k, "atom", ".global", ".exch", ".b32").size());
    }

    @Test
    void warpShufflesAndVotes() {
        Function k = parseResource("warp_shuffle.ptx").kernels().getFirst();
        List<Instruction> shfl = instructions(k, "shfl");
        assertEquals(7, shfl.size());
        for (Instruction s : shfl) {
            assertEquals(".sync", s.modifiers().getFirst());
            Operand.Pair dst = assertInstanceOf(Operand.Pair.class, s.operands().getFirst());
            assertTrue(((Operand.Ident) dst.second()).name().startsWith("%p"), s.toString());
            assertEquals(5, s.operands().size());
            assertEquals(id("%r11"), s.operands().get(4), "membermask operand");
        }
        assertEquals(5, instructions(k, "shfl", ".sync", ".down", ".b32").size());
        assertEquals(List.of(id("%r3"), id("%p9"), id("%r11")),
                instructions(k, "vote", ".sync", ".ballot", ".b32").getFirst().operands());
        assertEquals(1, instructions(k, "vote", ".sync", ".any", ".pred").size());
        assertTrue(instructions(k, "mov").stream()
                .anyMatch(i -> i.operands().get(1).equals(new Operand.IntImm(-1, false))));
    }

    @Test
    void printfCallsAnExternPrototype() {
        PtxModule m = parseResource("printf.ptx");
        Function vprintf = function(m, "vprintf");
        assertFalse(vprintf.hasBody());
        assertEquals(Linkage.EXTERN, vprintf.linkage());
        assertEquals(List.of(PtxType.B64, PtxType.B64), vprintf.params().stream().map(VariableDecl::type).toList());
        VariableDecl str = m.variable("$str").orElseThrow();
        assertEquals(List.of(28L), str.dims());
        Initializer.Braced init = assertInstanceOf(Initializer.Braced.class, str.init());
        assertEquals(27, init.items().size());
        StringBuilder text = new StringBuilder();
        for (Initializer i : init.items()) {
            text.append((char) ((Operand.IntImm) ((Initializer.Value) i).value()).value());
        }
        assertEquals("thread %d of %d: n=%d f=%f\n", text.toString());

        Function k = m.kernels().getFirst();
        VariableDecl depot = (VariableDecl) k.body().getFirst();
        assertEquals(StateSpace.LOCAL, depot.space());
        assertEquals("__local_depot0", depot.name());
        assertEquals(List.of(24L), depot.dims());
        assertEquals(List.of(new Operand.Address(id("%rd2"), 0), new Operand.Vector(List.of(id("%r3"), id("%r2")))),
                instructions(k, "st", ".local", ".v2", ".u32").getFirst().operands());
        assertEquals(id("vprintf"), instructions(k, "call").getFirst().operands().get(1));
    }

    @Test
    void localArray() {
        Function k = parseResource("local_array.ptx").kernels().getFirst();
        VariableDecl depot = (VariableDecl) k.body().getFirst();
        assertEquals(StateSpace.LOCAL, depot.space());
        assertEquals(16, depot.align());
        assertEquals(List.of(128L), depot.dims());
        List<Instruction> stores = instructions(k, "st", ".local", ".v4", ".u32");
        assertEquals(8, stores.size());
        for (int i = 0; i < stores.size(); i++) {
            Operand.Address a = assertInstanceOf(Operand.Address.class, stores.get(i).operands().getFirst());
            assertEquals(16L * i, a.offset());
            assertEquals(4, ((Operand.Vector) stores.get(i).operands().get(1)).elements().size());
        }
    }

    @Test
    void switchStatement() {
        Function k = parseResource("switch.ptx").kernels().getFirst();
        assertEquals(21, instructions(k, "bra").size());
        assertEquals(11, instructions(k, "setp").size());
        assertEquals(11, k.body().stream().filter(Label.class::isInstance).count());
        assertEquals(Operand.FloatImm.ofFloat(1.0f), instructions(k, "mov", ".f32").getFirst().operands().get(1));
        assertTrue(instructions(k, "add", ".f32").stream()
                .anyMatch(i -> i.operands().get(2).equals(Operand.FloatImm.ofFloat(-7.0f))));
        long guarded = k.instructions().stream().filter(i -> i.guard() != null).count();
        assertEquals(11, guarded);
    }

    @Test
    void constantMemoryAndInitializers() {
        PtxModule m = parseResource("constant_mem.ptx");
        VariableDecl coeffs = m.variable("coeffs").orElseThrow();
        assertEquals(StateSpace.CONST, coeffs.space());
        assertEquals(16, ((Initializer.Braced) coeffs.init()).items().size());
        VariableDecl scale = m.variable("scale").orElseThrow();
        assertEquals(PtxType.F64, scale.type());
        assertEquals(new Initializer.Value(Operand.FloatImm.ofDouble(2.0)), scale.init());
        assertEquals(new Initializer.Value(new Operand.IntImm(42, false)), m.variable("counter").orElseThrow().init());
        assertEquals(new Initializer.Value(new Operand.SymbolRef("counter", 0, true)),
                m.variable("counterPtr").orElseThrow().init());
        assertEquals(new Initializer.Value(new Operand.SymbolRef("table", 16, true)),
                m.variable("tailPtr").orElseThrow().init());
        Function k = m.kernels().getFirst();
        assertEquals(new Operand.Address(id("coeffs"), 4), instructions(k, "ld", ".const", ".f32").get(1).operands().get(1));
        assertEquals(new Operand.Address(id("%rd5"), 12), instructions(k, "ld", ".global", ".f32").get(3).operands().get(1));
        assertEquals(Operand.FloatImm.ofFloat(0f), instructions(k, "fma").getFirst().operands().get(3));
    }

    @Test
    void dynamicSharedMemory() {
        PtxModule m = parseResource("dynamic_shared.ptx");
        VariableDecl smem = m.variable("smem").orElseThrow();
        assertEquals(Linkage.EXTERN, smem.linkage());
        assertEquals(StateSpace.SHARED, smem.space());
        assertEquals(16, smem.align());
        assertEquals(List.of(VariableDecl.UNSIZED), smem.dims());
        Function k = m.kernels().getFirst();
        assertEquals(List.of(id("%r6"), id("smem")), instructions(k, "mov", ".u32").get(2).operands());
        assertEquals(1, instructions(k, "bar", ".sync").size());
    }

    @Test
    void functionPointersUseCallPrototypes() {
        PtxModule m = parseResource("func_pointer.ptx");
        assertEquals(5, m.functions().size());
        assertEquals(2, m.functions().stream().filter(f -> !f.hasBody()).count());
        assertTrue(function(m, "_Z5opAddff").hasBody(), "definition preferred over prototype");
        assertEquals(new Initializer.Braced(List.of(new Initializer.Value(id("_Z5opAddff")),
                new Initializer.Value(id("_Z5opMulff")))), m.variable("ops").orElseThrow().init());
        Function k = m.kernels().getFirst();
        CallPrototype proto = k.allStatements().stream().filter(CallPrototype.class::isInstance)
                .map(CallPrototype.class::cast).findFirst().orElseThrow();
        assertEquals("prototype_0", proto.name());
        assertEquals(1, proto.returns().size());
        assertEquals("_", proto.returns().getFirst().name());
        assertEquals(2, proto.params().size());
        Instruction call = instructions(k, "call").getFirst();
        assertEquals(List.of(), call.modifiers());
        assertEquals(List.of(new Operand.ParenList(List.of(id("retval0"))), id("%rd12"),
                new Operand.ParenList(List.of(id("param0"), id("param1"))), id("prototype_0")), call.operands());
    }

    @Test
    void clusterDirectives() {
        PtxModule m = parseResource("cluster.ptx");
        assertEquals(List.of("sm_90"), m.targets());
        Function k = m.kernels().getFirst();
        assertEquals(List.of(), k.directive(".explicitcluster").orElseThrow().values());
        assertEquals(List.of(2L, 1L, 1L), k.directive(".reqnctapercluster").orElseThrow().values());
        assertEquals(id("%cluster_ctarank"), instructions(k, "mov", ".b32").getFirst().operands().get(1));
        assertEquals(1, instructions(k, "barrier", ".cluster", ".arrive").size());
        assertEquals(1, instructions(k, "barrier", ".cluster", ".wait").size());
    }

    @Test
    void statementsKeepSourceOrder() {
        Function k = parseResource("device_func.ptx").kernels().getFirst();
        List<Statement> all = k.allStatements();
        for (int i = 1; i < all.size(); i++) {
            SourcePos a = all.get(i - 1).pos();
            SourcePos b = all.get(i).pos();
            assertTrue(a.line() < b.line() || (a.line() == b.line() && a.column() < b.column()), a + " before " + b);
        }
        assertNotNull(k.body());
    }
}
