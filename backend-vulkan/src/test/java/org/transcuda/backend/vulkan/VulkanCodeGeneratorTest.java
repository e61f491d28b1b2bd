package org.transcuda.backend.vulkan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.transcuda.corpus.CorpusCases;
import org.transcuda.ir.Module;
import org.transcuda.ptx.PtxTranslator;
import org.transcuda.spi.CodeGenerator;

/** The {@code spirv-vulkan} code generator service: artifacts per kernel, errors named, listings. */
class VulkanCodeGeneratorTest {
    private final VulkanCodeGenerator gen = new VulkanCodeGenerator();

    private static Module corpus(String file) throws Exception {
        return PtxTranslator.translate(file, Files.readString(CorpusCases.ptxDir().resolve(file), StandardCharsets.UTF_8));
    }

    @Test
    void everyKernelGetsAnArtifactOrAReason() throws Exception {
        Module fm = corpus("functions.ptx");
        List<CodeGenerator.Artifact> fas = gen.generate(fm);
        assertEquals(fm.kernels().size(), fas.size());
        CodeGenerator.Artifact rec = fas.stream().filter(a -> a.kernel().equals("func_recursive")).findFirst()
                .orElseThrow();
        // recursion runs on an explicit stack (the front end's explicit-stack pass)
        assertNotNull(rec.bytes(), rec.error());
        Module m = corpus("sync.ptx");
        List<CodeGenerator.Artifact> as = gen.generate(m);
        assertEquals(m.kernels().size(), as.size());
        CodeGenerator.Artifact sum = as.stream().filter(a -> a.kernel().equals("sync_block_sum")).findFirst()
                .orElseThrow();
        assertNotNull(sum.bytes());
        int[] words = new int[sum.bytes().length / 4];
        java.nio.ByteBuffer.wrap(sum.bytes()).order(java.nio.ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(words);
        if (SpirvTools.available("spirv-val")) {
            SpirvTools.Result r = SpirvTools.validate13(words);
            assertTrue(r.ok(), r.output());
        }
    }

    /** Kernels that need the runtime's buffers (printf, indirect calls, trap/assert) translate to complete modules. */
    @Test
    void kernelsNeedingTheRuntimeTranslateAndValidate() throws Exception {
        for (String[] c : new String[][] {{"printf.ptx", "printf_int"}, {"printf.ptx", "printf_mixed"},
                {"functions.ptx", "func_pointer_call"}, {"functions.ptx", "func_nested_ptr"},
                {"assert.ptx", null}}) {
            List<CodeGenerator.Artifact> as = gen.generate(corpus(c[0]));
            for (CodeGenerator.Artifact a : as) {
                if (c[1] != null && !a.kernel().equals(c[1])) continue;
                assertNotNull(a.bytes(), c[0] + " " + a.kernel() + ": " + a.error());
                int[] words = new int[a.bytes().length / 4];
                java.nio.ByteBuffer.wrap(a.bytes()).order(java.nio.ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(words);
                if (SpirvTools.available("spirv-val")) {
                    SpirvTools.Result r = SpirvTools.validate13(words);
                    assertTrue(r.ok(), a.kernel() + ": " + r.output());
                }
                assertTrue(gen.disassemble(a).contains("EntryPoint"), a.kernel());
            }
        }
    }

    @Test
    void rawListingNamesOpcodes() throws Exception {
        CodeGenerator.Artifact a = gen.generate(corpus("sync.ptx")).stream()
                .filter(x -> x.kernel().equals("sync_block_sum")).findFirst().orElseThrow();
        String listing = VulkanCodeGenerator.rawListing(a.bytes());
        assertTrue(listing.contains("\nOpEntryPoint 5 "), listing);
        assertTrue(listing.contains("\nOpControlBarrier "), listing);
        assertTrue(gen.disassemble(a).contains("EntryPoint"));
    }
}
