package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
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
 * ({@link CorpusRunner}: expected outputs computed by Java references in frontend-ptx's test-jar), once on each
 * engine: the thread engine for every kernel, and the lockstep engine for every kernel that has lockstep code
 * (the others run on the thread engine there too). A case that gives a different answer on the lockstep engine
 * fails like any wrong answer. Pending cases, each with its reason: {@code src/test/resources/corpus-pending.txt}
 * (empty: all pass).
 */
class CorpusOnCpuTest {
    private static final List<CpuDevice> DEVICES = new ArrayList<>();

    @TestFactory
    Stream<DynamicTest> threadEngine() throws IOException {
        return cases(CpuDevice.Engine.THREAD);
    }

    @TestFactory
    Stream<DynamicTest> lockstepEngine() throws IOException {
        CpuDevice device = new CpuDevice(CpuBackend.describeHost(), Runtime.getRuntime().availableProcessors());
        device.engine(CpuDevice.Engine.LOCKSTEP);
        synchronized (DEVICES) {
            DEVICES.add(device);
        }
        Stream<DynamicTest> cases = CorpusRunner.tests(target(device), CorpusOnCpuTest.class, "/corpus-pending.txt");
        // not vacuous: most corpus launches really ran in lockstep
        return Stream.concat(cases, Stream.of(DynamicTest.dynamicTest("most launches ran on the lockstep engine", () -> {
            long lock = device.lockstepLaunches.sum();
            long thread = device.threadLaunches.sum();
            System.out.println("corpus on the lockstep engine: " + lock + " lockstep launches, " + thread
                    + " thread-engine launches; kernels without lockstep code:");
            new java.util.TreeMap<>(device.threadOnly).forEach((k, v) -> System.out.println("  " + k + ": " + v));
            assertTrue(lock > thread, "lockstep launches " + lock + ", thread-engine launches " + thread);
        })));
    }

    private Stream<DynamicTest> cases(CpuDevice.Engine engine) throws IOException {
        CpuDevice device = new CpuDevice(CpuBackend.describeHost(), Runtime.getRuntime().availableProcessors());
        device.engine(engine);
        synchronized (DEVICES) {
            DEVICES.add(device);
        }
        return CorpusRunner.tests(target(device), CorpusOnCpuTest.class, "/corpus-pending.txt");
    }

    private static CorpusRunner.Target target(CpuDevice device) {
        return new CorpusRunner.Target() {
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
        };
    }

    @AfterAll
    static void close() {
        synchronized (DEVICES) {
            for (CpuDevice d : DEVICES) d.closeAll();
        }
    }
}
