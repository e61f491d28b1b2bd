package org.transcuda.ptx.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.transcuda.ir.Function;
import org.transcuda.ir.Inst;
import org.transcuda.ir.IrVerifier;
import org.transcuda.ir.Module;
import org.transcuda.ir.Stmt;
import org.transcuda.ptx.PtxTranslator;
import org.transcuda.ptx.parse.PtxParseException;

/** The translator's API: pass order and listener, problems with positions, and what stays usable. */
class TranslatorTest {
    private static final String HEAD = ".version 9.0\n.target sm_80\n.address_size 64\n";

    @Test
    void listenerSeesEveryPassInOrder() {
        List<String> seen = new ArrayList<>();
        Module m = PtxTranslator.translate("v.ptx", TranslateSupport.resource("/ptx/vector_add.ptx"),
                new PtxTranslator.Options(true, true), new PtxTranslator.PassListener() {
                    @Override
                    public void afterPass(String pass, Module after) {
                        seen.add(pass);
                        assertEquals(List.of(), IrVerifier.verify(after, false, PtxTranslator.stageAfter(pass)), pass);
                    }

                    @Override
                    public void afterPtxPass(String pass, String dump) {
                        seen.add(pass);
                        assertTrue(dump.contains(".entry"), dump);
                    }
                });
        assertEquals(PtxTranslator.allPassNames(), seen);
        assertEquals(List.of("resolve", "expand-operands", "select", "special-registers", "carry",
                "implicit-conversions", "lower-calls", "address-spaces", "hoist-shared", "dead-code"),
                PtxTranslator.PASSES);
        assertEquals(List.of(), IrVerifier.verify(m, true));
    }

    @Test
    void malformedPtxThrowsWithPosition() {
        PtxParseException e = assertThrows(PtxParseException.class,
                () -> PtxTranslator.translate("bad.ptx", HEAD + ".visible .entry k()\n{\n\tadd.s32 %r1 %r2;\n}\n"));
        assertTrue(e.getMessage().startsWith("bad.ptx:6:"), e.getMessage());
    }

    @Test
    void untranslatableFunctionIsAProblemAndTheRestStaysUsable() {
        String ptx = HEAD
                + ".func (.param .b32 r) bad(.param .b32 x)\n{\n\t.reg .b32 %r<3>;\n\tld.param.u32 %r1, [x];\n"
                + "\tcvt.rna.satfinite.tf32.f32 %r2, %r1;\n\tst.param.b32 [r], %r2;\n\tret;\n}\n"
                + ".visible .entry uses_bad()\n{\n\t.reg .b32 %r<2>;\n\t{\n\t.param .b32 p;\n\tst.param.b32 [p], 1;\n"
                + "\t.param .b32 q;\n\tcall.uni (q), bad, (p);\n\t}\n\tret;\n}\n"
                + ".visible .entry good(.param .u64 out)\n{\n\t.reg .b64 %rd1;\n\tld.param.u64 %rd1, [out];\n"
                + "\tst.global.u32 [%rd1], 7;\n\tret;\n}\n"
                + ".visible .entry tex_user()\n{\n\t.reg .f32 %f<5>;\n\t.reg .b64 %rd1;\n"
                + "\ttex.2d.v4.f32.f32 {%f1, %f2, %f3, %f4}, [%rd1, {%f1, %f2}];\n\tret;\n}\n"
                + ".visible .entry unknown()\n{\n\tfrobnicate.b32 %r1;\n\tret;\n}\n";
        Module m = PtxTranslator.translate("m.ptx", ptx);
        assertEquals(List.of("good"), m.functions().stream().map(Function::name).toList());
        assertEquals(List.of(), IrVerifier.verify(m));
        assertEquals("m.ptx:8:2: cvt.rna.satfinite.tf32.f32: modifier .satfinite is not supported",
                m.problem("bad").orElseThrow().message());
        assertTrue(m.problem("uses_bad").orElseThrow().message().matches("m\\.ptx:19:2: uses bad, which cannot be "
                + "translated \\(m\\.ptx:8:2: .*\\)"), m.problem("uses_bad").orElseThrow().message());
        assertEquals("m.ptx:34:2: tex.2d.v4.f32.f32: texture and surface instructions have no IR form",
                m.problem("tex_user").orElseThrow().message());
        assertEquals("m.ptx:39:2: frobnicate.b32: unknown instruction 'frobnicate'",
                m.problem("unknown").orElseThrow().message());
    }

    @Test
    void wrongOperandsAreProblemsNotExceptions() {
        String[] bodies = {
            "add.s32 %r1, %rd1, 1;", // 64-bit register in a 32-bit add
            "add.f32 %f1, %f1, 1;", // integer literal as a float operand
            "ld.global.u32 %r1, %r2;", // not an address
            "bra nowhere;", // unknown label
            "mov.u32 %r1, %pm0;", // special register without an IR form
            "setp.lt.s32 %r1, %r1, 2;", // not a predicate destination
            "shfl.sync.idx.b32 %r1, %r1, 1;", // too few operands
            "fma.f32 %f1, %f1, %f1, %f1;", // fma without rounding
            "cvt.u32.b32 %r1, %r1;", // cvt takes no bit-size types
        };
        for (String body : bodies) {
            String ptx = HEAD + ".visible .entry k()\n{\n\t.reg .b32 %r<3>;\n\t.reg .b64 %rd<2>;\n\t.reg .f32 %f<2>;\n\t"
                    + body + "\n\tret;\n}\n";
            Module m = PtxTranslator.translate("w.ptx", ptx);
            assertEquals(1, m.problems().size(), body);
            assertTrue(m.problems().getFirst().message().startsWith("w.ptx:9:2: "), body + " -> " + m.problems());
        }
    }

    @Test
    void kernelParametersStayLoadsOfTheParamSpace() {
        Module m = PtxTranslator.translate("v.ptx", TranslateSupport.resource("/ptx/vector_add.ptx"));
        Function k = m.kernels().getFirst();
        assertTrue(k.paramRegs().isEmpty());
        long paramLoads = k.blocks().stream().flatMap(b -> b.stmts().stream()).map(Stmt::inst)
                .filter(i -> i instanceof Inst.Load l && l.space() == org.transcuda.ir.AddressSpace.PARAM).count();
        assertEquals(k.params().size(), paramLoads);
    }

    @Test
    void bigFunctionsStructurize() {
        // 3000 joins in a row: the structurizer's recursion runs on a thread with a stack to match
        StringBuilder sb = new StringBuilder(HEAD + ".visible .entry k(.param .u32 x)\n{\n.reg .pred %p1;\n"
                + ".reg .b32 %r<3>;\nld.param.u32 %r1, [x];\n");
        for (int i = 0; i < 3000; i++) {
            sb.append("setp.eq.u32 %p1, %r1, ").append(i).append(";\n@%p1 bra L").append(i)
                    .append(";\nadd.u32 %r2, %r2, 1;\nL").append(i).append(":\n");
        }
        sb.append("ret;\n}\n");
        Module m = PtxTranslator.translate("big.ptx", sb);
        var sfs = PtxTranslator.structurize(m);
        assertEquals(List.of(), PtxTranslator.verifyStructure(sfs.getFirst()));
    }

    @Test
    void structurizeEveryFunctionOfAModule() {
        Module m = PtxTranslator.translate("sw.ptx", TranslateSupport.resource("/ptx/switch.ptx"));
        var sfs = PtxTranslator.structurize(m);
        assertEquals(m.functions().stream().filter(Function::isDefined).count(), sfs.size());
        for (var sf : sfs) assertEquals(List.of(), org.transcuda.ptx.pass.StructureVerifier.verify(sf));
    }
}
