package org.transcuda.backend.vulkan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.transcuda.backend.vulkan.spirv.Op;
import org.transcuda.backend.vulkan.spirv.SpirvFunction;
import org.transcuda.backend.vulkan.spirv.SpirvModule;
import org.transcuda.backend.vulkan.spirv.Spv;

/** The module writer's encoding, without external tools. */
class SpirvWriterTest {
    /** Opcodes of the instructions in a module, walking the word counts (which must end exactly at the end). */
    static List<Integer> opcodes(int[] words) {
        List<Integer> ops = new ArrayList<>();
        int i = 5;
        while (i < words.length) {
            int count = words[i] >>> 16;
            assertTrue(count >= 1, "word count 0 at word " + i);
            ops.add(words[i] & 0xffff);
            i += count;
        }
        assertEquals(words.length, i, "the last instruction's word count runs past the end");
        return ops;
    }

    private static SpirvModule minimal() {
        SpirvModule m = new SpirvModule(Spv.VERSION_1_5);
        m.capability(Spv.Capability.Shader);
        m.memoryModel(Spv.AddressingModel.Logical, Spv.MemoryModel.GLSL450);
        return m;
    }

    private static int[] stringOperand(SpirvModule m, String s) {
        int target = m.id();
        m.name(target, s);
        m.memoryModel(Spv.AddressingModel.Logical, Spv.MemoryModel.GLSL450);
        int[] w = m.words();
        // header 5, OpMemoryModel 3, then OpName: [count|5, target, string...]
        int at = 5 + 3;
        assertEquals(Op.Name, w[at] & 0xffff);
        int count = w[at] >>> 16;
        int[] str = new int[count - 2];
        System.arraycopy(w, at + 2, str, 0, str.length);
        return str;
    }

    @Test
    void header() {
        SpirvModule m = minimal();
        int a = m.id();
        int b = m.id();
        int[] w = m.words();
        assertEquals(Spv.MAGIC, w[0]);
        assertEquals(0x00010500, w[1]);
        assertEquals(0, w[2]);
        assertEquals(b + 1, w[3], "bound");
        assertEquals(0, w[4], "schema");
        assertEquals(a + 1, b);
        assertEquals(List.of(Op.Capability, Op.MemoryModel), opcodes(w));
    }

    @Test
    void literalStringsAreNulTerminatedAndPadded() {
        assertArrayEquals(new int[] {0}, stringOperand(new SpirvModule(Spv.VERSION_1_5), ""));
        assertArrayEquals(new int[] {0x00636261}, stringOperand(new SpirvModule(Spv.VERSION_1_5), "abc"));
        assertArrayEquals(new int[] {0x64636261, 0}, stringOperand(new SpirvModule(Spv.VERSION_1_5), "abcd"));
        assertArrayEquals(new int[] {0x64636261, 0x65}, stringOperand(new SpirvModule(Spv.VERSION_1_5), "abcde"));
        assertArrayEquals(new int[] {0x0000a9c3}, stringOperand(new SpirvModule(Spv.VERSION_1_5), "\u00e9"));
        assertThrows(IllegalArgumentException.class, () -> new SpirvModule(Spv.VERSION_1_5).name(1, "a\0b"));
    }

    @Test
    void typesAndConstantsAreDeduplicatedButAggregatesAreNot() {
        SpirvModule m = minimal();
        int u32 = m.typeInt(32, false);
        assertEquals(u32, m.typeInt(32, false));
        assertNotEquals(u32, m.typeInt(32, true));
        assertEquals(m.typePointer(Spv.StorageClass.Function, u32), m.typePointer(Spv.StorageClass.Function, u32));
        assertEquals(m.constantU32(5), m.constantU32(5));
        assertNotEquals(m.constantU32(5), m.constantI32(5));
        assertNotEquals(m.constantU32(5), m.constantU32(6));
        assertEquals(m.constantU64(1L << 40), m.constantU64(1L << 40));
        assertEquals(m.constantBool(true), m.constantBool(true));
        assertNotEquals(m.typeStruct(u32), m.typeStruct(u32));
        assertNotEquals(m.typeArray(u32, m.constantU32(4)), m.typeArray(u32, m.constantU32(4)));
        assertNotEquals(m.specConstant(u32, 1), m.specConstant(u32, 1));
    }

    @Test
    void constantsPutTheResultTypeFirst() {
        SpirvModule m = minimal();
        int u64 = m.typeInt(64, false);
        int c = m.constantU64(0x1_0000_0002L);
        int[] w = m.words();
        int i = 5;
        while ((w[i] & 0xffff) != Op.Constant) i += w[i] >>> 16;
        assertArrayEquals(new int[] {(5 << 16) | Op.Constant, u64, c, 2, 1}, java.util.Arrays.copyOfRange(w, i, i + 5));
    }

    @Test
    void functionVariablesGoToTheTopOfTheFirstBlock() {
        SpirvModule m = minimal();
        int v = m.typeVoid();
        int u32 = m.typeInt(32, false);
        int ptr = m.typePointer(Spv.StorageClass.Function, u32);
        SpirvFunction f = m.function(v, m.typeFunction(v), Spv.FunctionControl.None);
        f.label();
        int next = m.id();
        f.branch(next);
        f.label(next);
        int var = f.variable(ptr); // declared in the second block
        f.store(var, m.constantU32(1));
        f.returnVoid();
        f.end();
        List<Integer> ops = opcodes(m.words());
        int fn = ops.indexOf(Op.Function);
        assertEquals(List.of(Op.Function, Op.Label, Op.Variable, Op.Branch, Op.Label, Op.Store, Op.Return,
                Op.FunctionEnd), ops.subList(fn, ops.size()));
    }

    @Test
    void sectionsFollowTheLogicalLayoutWhateverTheEmissionOrder() {
        SpirvModule m = new SpirvModule(Spv.VERSION_1_5);
        int v = m.typeVoid();
        SpirvFunction f = m.function(v, m.typeFunction(v), Spv.FunctionControl.None);
        f.label();
        f.returnVoid();
        f.end();
        m.decorate(f.id(), Spv.Decoration.RelaxedPrecision);
        m.name(f.id(), "main");
        m.executionMode(f.id(), Spv.ExecutionMode.LocalSize, 1, 1, 1);
        m.entryPoint(Spv.ExecutionModel.GLCompute, f.id(), "main");
        m.memoryModel(Spv.AddressingModel.Logical, Spv.MemoryModel.GLSL450);
        m.extInstImport(Spv.GLSLstd450.NAME);
        m.extension("SPV_KHR_storage_buffer_storage_class");
        m.capability(Spv.Capability.Shader);
        assertEquals(List.of(Op.Capability, Op.Extension, Op.ExtInstImport, Op.MemoryModel, Op.EntryPoint,
                Op.ExecutionMode, Op.Name, Op.Decorate, Op.TypeVoid, Op.TypeFunction, Op.Function, Op.Label, Op.Return,
                Op.FunctionEnd), opcodes(m.words()));
        assertEquals(m.extInstImport(Spv.GLSLstd450.NAME), m.extInstImport(Spv.GLSLstd450.NAME));
    }

    @Test
    void misuseIsCaught() {
        SpirvModule m = minimal();
        int v = m.typeVoid();
        SpirvFunction f = m.function(v, m.typeFunction(v), Spv.FunctionControl.None);
        assertThrows(IllegalStateException.class, () -> f.op(Op.IAdd, v, 1, 2), "outside a block");
        assertThrows(IllegalStateException.class, () -> m.function(v, m.typeFunction(v), Spv.FunctionControl.None));
        assertThrows(IllegalStateException.class, m::words, "function not ended");
        f.label();
        assertThrows(IllegalStateException.class, f::label, "block without terminator");
        assertThrows(IllegalStateException.class, f::end, "last block without terminator");
        f.returnVoid();
        f.end();
        assertThrows(IllegalStateException.class, () -> m.memoryModel(0, 0), "memory model twice");
        assertThrows(IllegalArgumentException.class, () -> {
            SpirvModule big = minimal();
            big.typeStruct(new int[70_000]);
        }, "more than 65535 words");
    }

    @Test
    void kernelFramesWalkCleanly() {
        for (VulkanKernel k : TestKernels.all()) {
            List<Integer> ops = opcodes(k.spirv());
            assertEquals(Op.Capability, ops.get(0));
            assertEquals(1, ops.stream().filter(o -> o == Op.EntryPoint).count());
            assertEquals(Op.FunctionEnd, ops.get(ops.size() - 1));
        }
    }
}
