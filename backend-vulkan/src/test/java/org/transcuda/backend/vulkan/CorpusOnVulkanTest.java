package org.transcuda.backend.vulkan;

import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.transcuda.spi.BackendContext;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.testing.CorpusRunner;

/**
 * Every corpus case translated from nvcc's PTX, compiled to SPIR-V and run on the first usable Vulkan device
 * (lavapipe in CI) through the SPI ({@link CorpusRunner}), with the same expected outputs as
 * {@code CorpusOnCpuTest}. Skips only when there is no usable Vulkan device.
 *
 * <p>Cases the backend does not pass yet are listed, each with its reason, in
 * {@code src/test/resources/corpus-pending-vulkan.txt}; such a case must still fail (a pending case that passes
 * fails the test, so the list only shrinks).
 */
class CorpusOnVulkanTest {
    @TestFactory
    Stream<DynamicTest> corpusCases() throws Exception {
        VulkanDevice device = VulkanTestSupport.device();
        return CorpusRunner.tests(new CorpusRunner.Target() {
            @Override
            public BackendContext newContext() throws BackendException {
                return device.createContext();
            }

            @Override
            public Supplier<String> capturePrintf(BackendContext context) {
                StringBuilder printed = new StringBuilder();
                ((VulkanContext) context).setPrinter(s -> {
                    synchronized (printed) {
                        printed.append(s);
                    }
                });
                return () -> {
                    synchronized (printed) {
                        return printed.toString();
                    }
                };
            }
        }, CorpusOnVulkanTest.class, "/corpus-pending-vulkan.txt");
    }
}
