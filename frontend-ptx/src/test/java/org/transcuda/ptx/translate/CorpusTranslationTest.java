package org.transcuda.ptx.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.transcuda.ir.Block;
import org.transcuda.ir.Function;
import org.transcuda.ir.Inst;
import org.transcuda.ir.IrVerifier;
import org.transcuda.ir.Module;
import org.transcuda.ir.Opcode;
import org.transcuda.ir.Stmt;
import org.transcuda.ir.StructuredFunction;
import org.transcuda.ir.Terminator;
import org.transcuda.ptx.PtxTranslator;
import org.transcuda.ptx.pass.StructureVerifier;

/**
 * Coverage proof: every file of corpus/ptx and of the PTX test fixtures translates with no problem (the fixtures'
 * few instructions the IR has no form for excepted, with their exact message), the IR verifier passes after every
 * pass, the operand-type contract holds, the predication pass leaves no guard, and every function structurizes with
 * the structure verifier passing. Finally, the corpus as a whole exercises every IR instruction kind, every
 * terminator and every Compute opcode family the corpus is said to cover.
 */
class CorpusTranslationTest {
    /** The fixtures' instructions without an IR form: function -> message tail. */
    private static final Map<String, Map<String, String>> KNOWN_GAPS = Map.of(
            "cluster.ptx", Map.of("_Z13clusterKernelPi", "cluster.ptx:28:2: barrier.cluster.arrive: cluster barriers "
                    + "have no IR form"),
            "handwritten_syntax.ptx", Map.of("kern", "handwritten_syntax.ptx:109:2: tex.2d.v4.f32.f32: texture and "
                    + "surface instructions have no IR form"));

    private static final Set<Class<?>> INST_KINDS = new HashSet<>();
    private static final Set<Class<?>> TERMINATORS = new HashSet<>();
    private static final Set<Opcode> OPCODES = EnumSet.noneOf(Opcode.class);
    private static int kernels;

    @TestFactory
    Stream<DynamicTest> corpus() {
        List<DynamicTest> tests = new ArrayList<>();
        List<Path> files = TranslateSupport.corpusFiles();
        assertEquals(22, files.size(), "corpus files");
        for (Path p : files) {
            String name = p.getFileName().toString();
            tests.add(DynamicTest.dynamicTest(name, () -> check(name, TranslateSupport.read(p), Map.of(), true)));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> fixtures() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String r : TranslateSupport.RESOURCES) {
            tests.add(DynamicTest.dynamicTest(r, () -> check(r, TranslateSupport.resource("/ptx/" + r),
                    KNOWN_GAPS.getOrDefault(r, Map.of()), false)));
        }
        return tests.stream();
    }

    private static void check(String name, String text, Map<String, String> gaps, boolean corpus) {
        // verify = true: the IR verifier runs after every IR pass and throws on a problem
        Module m = PtxTranslator.translate(name, text, new PtxTranslator.Options(false, true), null);
        Map<String, String> problems = new TreeMap<>();
        for (Module.Problem pr : m.problems()) problems.put(pr.function(), pr.message());
        assertEquals(new TreeMap<>(gaps), problems, name + ": untranslatable functions");
        assertEquals(List.of(), IrVerifier.verify(m), name);
        assertEquals(List.of(), TypeContract.check(m), name + ": operand types");
        for (Function f : m.functions()) {
            if (!f.isDefined()) continue;
            StructuredFunction sf = org.transcuda.ptx.pass.Structurize.run(f);
            assertEquals(List.of(), StructureVerifier.verify(sf), name + ": structure of " + f.name());
            List<Function> replaced = new ArrayList<>();
            for (Function g : m.functions()) replaced.add(g.name().equals(f.name()) ? sf.function() : g);
            assertEquals(List.of(), IrVerifier.verify(new Module(m.name(), m.variables(), replaced, List.of())),
                    name + ": structured " + f.name());
        }
        Module pred = PtxTranslator.translate(name, text, new PtxTranslator.Options(true, true), null);
        assertEquals(List.of(), IrVerifier.verify(pred, true), name + ": guards left after predication");
        if (corpus) {
            synchronized (INST_KINDS) {
                for (Function f : m.functions()) {
                    if (f.kernel() && f.isDefined()) kernels++;
                    for (Block b : f.blocks()) {
                        TERMINATORS.add(b.terminator().getClass());
                        for (Stmt s : b.stmts()) {
                            INST_KINDS.add(s.inst().getClass());
                            if (s.inst() instanceof Inst.Compute c) OPCODES.add(c.op());
                        }
                    }
                }
            }
        }
    }

    @AfterAll
    static void coverage() {
        if (INST_KINDS.isEmpty()) return; // only the fixtures ran
        assertEquals(130, kernels, "kernels translated from the corpus");
        Set<String> missing = new TreeSet<>();
        for (Class<?> k : Inst.class.getPermittedSubclasses()) {
            if (k != Inst.Unsupported.class && !INST_KINDS.contains(k)) missing.add(k.getSimpleName());
        }
        assertTrue(missing.isEmpty(), "IR instruction kinds the corpus never produced: " + missing);
        for (Class<?> t : List.of(Terminator.Branch.class, Terminator.CondBranch.class, Terminator.Switch.class,
                Terminator.Return.class, Terminator.Trap.class)) {
            assertTrue(TERMINATORS.contains(t), "terminator never produced: " + t.getSimpleName());
        }
        Set<Opcode> expected = EnumSet.of(Opcode.ADD, Opcode.SUB, Opcode.MUL, Opcode.MUL_HI, Opcode.MUL_WIDE,
                Opcode.MAD, Opcode.MAD_WIDE, Opcode.FMA, Opcode.DIV, Opcode.REM, Opcode.MIN, Opcode.MAX, Opcode.ABS,
                Opcode.NEG, Opcode.COPYSIGN, Opcode.SQRT, Opcode.RSQRT, Opcode.RCP, Opcode.SIN, Opcode.COS,
                Opcode.EX2, Opcode.LG2, Opcode.TANH, Opcode.AND, Opcode.OR, Opcode.XOR, Opcode.NOT, Opcode.SHL,
                Opcode.SHR, Opcode.SHF_L_CLAMP, Opcode.SHF_L_WRAP, Opcode.SHF_R_CLAMP, Opcode.SHF_R_WRAP, Opcode.POPC,
                Opcode.CLZ, Opcode.BREV, Opcode.BFIND, Opcode.BFIND_SHIFTAMT, Opcode.BFE, Opcode.BFI, Opcode.PRMT,
                Opcode.PRMT_F4E, Opcode.PRMT_ECR, Opcode.PRMT_RC16, Opcode.SELP, Opcode.SAD);
        expected.removeAll(OPCODES);
        assertTrue(expected.isEmpty(), "Compute opcodes the corpus never produced: " + expected);
    }
}
