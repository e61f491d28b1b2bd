package org.transcuda.backend.cpu;

import java.io.IOException;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.transcuda.spi.BackendContext;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.testing.CorpusRunner;

/**
 * Every corpus case translated from nvcc's PTX and run on the CPU backend through the SPI
 * ({@link CorpusRunner}: expected outputs computed by Java references in frontend-ptx's test-jar).
 * Pending cases, each with its reason: {@code src/test/resources/corpus-pending.txt} (empty: all pass).
 */
class CorpusOnCpuTest {
    private static CpuDevice device;

    @TestFactory
    Stream<DynamicTest> corpusCases() throws IOException {
        device = new CpuDevice(CpuBackend.describeHost(), Runtime.getRuntime().availableProcessors());
        return CorpusRunner.tests(new CorpusRunner.Target() {
            @Override
            public BackendContext newContext() throws BackendException {
                return device.createContext();
            }

            @Override
            public Supplier<String> capturePrintf(BackendContext context) {
                StringBuilder printed = new StringBuilder();
                ((CpuContext) context).printer = s -> {
                    synchronized (printed) {
                        printed.append(s);
                    }
                };
                return () -> {
                    synchronized (printed) {
                        return printed.toString();
                    }
                };
            }
        }, CorpusOnCpuTest.class, "/corpus-pending.txt");
    }

    @AfterAll
    static void close() {
        if (device != null) device.closeAll();
    }
}
