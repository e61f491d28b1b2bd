package org.transcuda.backend.vulkan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.transcuda.backend.vulkan.spirv.Op;
import org.transcuda.backend.vulkan.spirv.Spv;

/**
 * Every opcode and enumerant value the writer knows is the one SPIRV-Tools knows by that name: each is
 * written into a module and {@code spirv-dis} must print the same name back.
 */
class OpcodeTableTest {
    @BeforeEach
    void needDisassembler() {
        SpirvTools.assumeAvailable("spirv-dis");
    }

    static Map<String, Integer> constants(Class<?> c) throws IllegalAccessException {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (Field f : c.getFields()) {
            if (f.getType() == int.class && Modifier.isStatic(f.getModifiers()) && Modifier.isFinal(f.getModifiers())) {
                m.put(f.getName(), f.getInt(null));
            }
        }
        return m;
    }

    private static int[] str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int[] w = new int[b.length / 4 + 1];
        for (int i = 0; i < b.length; i++) w[i / 4] |= (b[i] & 0xff) << (8 * (i % 4));
        return w;
    }

    private static int[] inst(int opcode, int... operands) {
        int[] w = new int[operands.length + 1];
        w[0] = ((operands.length + 1) << 16) | opcode;
        System.arraycopy(operands, 0, w, 1, operands.length);
        return w;
    }

    private static int[] cat(int[]... parts) {
        int n = 0;
        for (int[] p : parts) n += p.length;
        int[] r = new int[n];
        int at = 0;
        for (int[] p : parts) {
            System.arraycopy(p, 0, r, at, p.length);
            at += p.length;
        }
        return r;
    }

    /** The disassembly (instructions only) of a module made of a header and {@code body}. */
    private static List<String> disassemble(int[] body) throws IOException {
        int[] words = cat(new int[] {Spv.MAGIC, Spv.VERSION_1_5, 0, 100_000, 0}, body);
        SpirvTools.Result r = SpirvTools.disassemble(words);
        List<String> lines = new ArrayList<>();
        for (String l : r.output().split("\n")) {
            if (!l.startsWith(";") && !l.isBlank()) lines.add(l.trim());
        }
        if (!r.ok()) lines.add(r.output());
        return lines;
    }

    /**
     * Enumerants newer than the SPIRV-Tools of Debian 12 (2023.1), which cannot name them: SPV_KHR_fma (2025; values
     * from the SPIR-V registry's grammar). Skipped only when the installed tools reject them.
     */
    private static final Set<String> NEWER_THAN_TOOLS = Set.of("FmaKHR", "FMAKHR");

    @Test
    void opcodes() throws Exception {
        Map<String, Integer> ops = constants(Op.class);
        assertTrue(ops.size() > 200);
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, Integer> e : ops.entrySet()) {
            // A lone opcode word: spirv-dis prints the instruction, or names it in its "expected more operands" error.
            String out = String.join("\n", disassemble(inst(e.getValue())));
            if (NEWER_THAN_TOOLS.contains(e.getKey()) && out.contains("Invalid opcode")) continue;
            if (!Pattern.compile("\\bOp" + e.getKey() + "\\b").matcher(out).find()) {
                wrong.add("Op" + e.getKey() + " = " + e.getValue() + ": " + out);
            }
        }
        assertEquals(List.of(), wrong);
        assertEquals("OpIAdd", Op.name(Op.IAdd));
    }

    /** Disassembles one instruction per enumerant and checks the printed name. */
    private static void check(Class<?> kind, java.util.function.IntFunction<int[]> instruction, Set<String> skip)
            throws Exception {
        Map<String, Integer> values = constants(kind);
        values.keySet().removeAll(skip);
        int[] body = new int[0];
        for (int v : values.values()) body = cat(body, instruction.apply(v));
        List<String> lines = disassemble(body);
        assertEquals(values.size(), lines.size(), () -> String.join("\n", lines));
        int i = 0;
        for (String name : values.keySet()) {
            String line = lines.get(i++);
            assertTrue(Pattern.compile("\\b" + name + "\\b").matcher(line).find(),
                    kind.getSimpleName() + "." + name + " printed as: " + line);
        }
    }

    @Test
    void capabilities() throws Exception {
        boolean known = String.join("\n", disassemble(inst(Op.Capability, Spv.Capability.FMAKHR))).contains("FMAKHR");
        check(Spv.Capability.class, v -> inst(Op.Capability, v), known ? Set.of() : NEWER_THAN_TOOLS);
    }

    @Test
    void storageClasses() throws Exception {
        int[] id = {10};
        check(Spv.StorageClass.class, v -> inst(Op.TypePointer, id[0]++, v, 1), Set.of());
    }

    @Test
    void builtIns() throws Exception {
        check(Spv.BuiltIn.class, v -> inst(Op.Decorate, 1, Spv.Decoration.BuiltIn, v), Set.of());
    }

    @Test
    void decorations() throws Exception {
        Set<Integer> withLiteral = Set.of(Spv.Decoration.SpecId, Spv.Decoration.ArrayStride, Spv.Decoration.BuiltIn,
                Spv.Decoration.Binding, Spv.Decoration.DescriptorSet, Spv.Decoration.Offset,
                Spv.Decoration.FPRoundingMode, Spv.Decoration.Alignment);
        check(Spv.Decoration.class, v -> withLiteral.contains(v) ? inst(Op.Decorate, 1, v, 0) : inst(Op.Decorate, 1, v),
                Set.of());
    }

    @Test
    void executionModelsAndModes() throws Exception {
        check(Spv.ExecutionModel.class, v -> inst(Op.EntryPoint, cat(new int[] {v, 1}, str("main"))), Set.of());
        check(Spv.ExecutionMode.class, v -> v == Spv.ExecutionMode.LocalSize || v == Spv.ExecutionMode.LocalSizeHint
                || v == Spv.ExecutionMode.LocalSizeId ? inst(Op.ExecutionMode, 1, v, 1, 1, 1)
                        : inst(Op.ExecutionMode, 1, v, 32), Set.of());
    }

    @Test
    void addressingAndMemoryModels() throws Exception {
        check(Spv.AddressingModel.class, v -> inst(Op.MemoryModel, v, Spv.MemoryModel.GLSL450), Set.of());
        check(Spv.MemoryModel.class, v -> inst(Op.MemoryModel, Spv.AddressingModel.Logical, v), Set.of());
    }

    @Test
    void glslStd450() throws Exception {
        int[] id = {10};
        int[] imp = cat(inst(Op.ExtInstImport, cat(new int[] {5}, str(Spv.GLSLstd450.NAME))));
        Map<String, Integer> values = constants(Spv.GLSLstd450.class);
        int[] body = imp;
        Set<String> binary = Set.of("Atan2", "Pow", "FMin", "UMin", "SMin", "FMax", "UMax", "SMax", "Frexp", "Ldexp",
                "NMin", "NMax");
        Set<String> ternary = Set.of("FClamp", "UClamp", "SClamp", "FMix", "Fma", "NClamp");
        for (Map.Entry<String, Integer> e : values.entrySet()) {
            int[] operands = ternary.contains(e.getKey()) ? new int[] {7, 7, 7}
                    : binary.contains(e.getKey()) ? new int[] {7, 7} : new int[] {7};
            body = cat(body, inst(Op.ExtInst, cat(new int[] {2, id[0]++, 5, e.getValue()}, operands)));
        }
        List<String> lines = disassemble(body);
        assertEquals(values.size() + 1, lines.size(), () -> String.join("\n", lines));
        int i = 1;
        for (String name : values.keySet()) {
            String line = lines.get(i++);
            assertTrue(line.contains(" " + name + " "), "GLSLstd450." + name + " printed as: " + line);
        }
    }
}
