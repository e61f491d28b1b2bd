package org.transcuda.backend.vulkan;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.transcuda.backend.vulkan.codegen.CodegenException;
import org.transcuda.backend.vulkan.codegen.SpirvCodegen;
import org.transcuda.backend.vulkan.codegen.Target;
import org.transcuda.corpus.CorpusCases;
import org.transcuda.ir.AddressSpace;
import org.transcuda.ir.Function;
import org.transcuda.ir.Module;
import org.transcuda.ir.Variable;
import org.transcuda.ptx.PtxTranslator;

/**
 * Every kernel of every corpus PTX file (and of {@code divergent/warp_divergent.ptx}) compiled to SPIR-V (for a device
 * with every optional feature, for one without the float atomics, and with loops watched for a loop limiter) must pass {@code spirv-val --target-env vulkan1.3}. Needs no Vulkan device;
 * skips only where SPIRV-Tools are not installed. Kernels the generator rejects must say why, and must be few:
 * the corpus runner lists them as pending.
 */
class CodegenValidationTest {
    private static final Target NO_FLOAT_ATOMICS = new Target(true, true, true, true, false, 128, true, false, false,
            false);
    /** Loops watched for a driver's loop limiter (lavapipe): exit flags, checks at every loop merge. */
    private static final Target LOOP_WATCH = Target.FULL.withLoopLimiter(true);
    private static final long FAULT_RECORD = 0x2_0000_0000L;
    private static final long PRINTF_BUFFER = 0x3_0000_0000L;

    @TestFactory
    Stream<DynamicTest> everyCorpusKernelValidates() throws IOException {
        SpirvTools.assumeAvailable("spirv-val");
        List<DynamicTest> tests = new ArrayList<>();
        List<Path> inputs;
        try (Stream<Path> files = Files.list(CorpusCases.ptxDir())) {
            inputs = new ArrayList<>(files.filter(f -> f.toString().endsWith(".ptx")).sorted().toList());
        }
        try {
            // warp collectives in divergent control flow, rewritten by the uniform-collectives pass
            inputs.add(Path.of(CodegenValidationTest.class.getResource("/divergent/warp_divergent.ptx").toURI()));
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
        {
            for (Path p : inputs) {
                Module m = PtxTranslator.translate(p.getFileName().toString(),
                        Files.readString(p, StandardCharsets.UTF_8));
                SpirvCodegen.Prepared prepared = SpirvCodegen.prepare(m);
                Map<String, Long> globals = new HashMap<>();
                long address = 0x1_0000_0000L;
                for (Variable v : m.variables()) {
                    if (v.space() == AddressSpace.GLOBAL || v.space() == AddressSpace.CONST) {
                        globals.put(v.name(), address);
                        address += (v.size() + 255) & ~255L;
                    }
                }
                for (Function f : m.kernels()) {
                    for (Target t : List.of(Target.FULL, NO_FLOAT_ATOMICS, LOOP_WATCH)) {
                        tests.add(DynamicTest.dynamicTest(f.name() + (t == Target.FULL ? ""
                                : t == LOOP_WATCH ? ".loopWatch" : ".noFloatAtomics"), () -> {
                            VulkanKernel k;
                            try {
                                k = SpirvCodegen.compile(prepared, f.name(), t, globals,
                                        new SpirvCodegen.Runtime(FAULT_RECORD, PRINTF_BUFFER, site -> 7));
                            } catch (CodegenException e) {
                                assertFalse(e.getMessage().isBlank());
                                return;
                            }
                            SpirvTools.Result r = SpirvTools.validate13(k.spirv());
                            assertTrue(r.ok(), f.name() + ": " + r.output());
                        }));
                    }
                }
            }
        }
        return tests.stream();
    }
}
