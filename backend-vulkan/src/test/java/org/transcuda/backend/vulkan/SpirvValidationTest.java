package org.transcuda.backend.vulkan;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.transcuda.backend.vulkan.spirv.KernelFrame;
import org.transcuda.backend.vulkan.spirv.Op;

/** Every shader the writer builds is valid SPIR-V for Vulkan 1.2, by spirv-val. */
class SpirvValidationTest {
    static Stream<VulkanKernel> kernels() {
        return TestKernels.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void kernelValidates(VulkanKernel k) throws Exception {
        SpirvTools.assumeAvailable("spirv-val");
        SpirvTools.Result r = SpirvTools.validate(k.spirv());
        assertTrue(r.ok(), () -> k.name() + ":\n" + r.output() + disassembly(k.spirv()));
    }

    /** The validator really checks: a store of a float through a uint pointer is rejected. */
    @Test
    void invalidModuleIsRejected() throws Exception {
        SpirvTools.assumeAvailable("spirv-val");
        KernelFrame f = new KernelFrame("bad", true, 8);
        f.storeGlobal(f.tU32, f.argU64(0), f.fn.op(Op.Bitcast, f.tF32, f.tid(0)), 4); // fine
        f.fn.opVoid(Op.Store, f.pointer(f.tU32, f.argU64(0)), f.m.constantF32(1f), 2, 4); // wrong type
        SpirvTools.Result r = SpirvTools.validate(f.finish());
        assertFalse(r.ok(), r.output());
    }

    static String disassembly(int[] words) {
        try {
            return SpirvTools.available("spirv-dis") ? "\n" + SpirvTools.disassemble(words).output() : "";
        } catch (Exception e) {
            return "";
        }
    }
}
