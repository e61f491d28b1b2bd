package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.transcuda.corpus.Arg;
import org.transcuda.corpus.CorpusCases;
import org.transcuda.corpus.KernelCase;
import org.transcuda.corpus.Launch;
import org.transcuda.corpus.SymbolInit;
import org.transcuda.ir.Module;
import org.transcuda.ir.Param;
import org.transcuda.ptx.PtxTranslator;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;
import org.transcuda.spi.BackendModule;
import org.transcuda.spi.BackendStream;
import org.transcuda.spi.GlobalSymbol;
import org.transcuda.spi.LaunchConfig;

/**
 * Every corpus case (kernel, inputs, expected outputs computed by Java references in frontend-ptx's
 * test-jar) translated from nvcc's PTX and run on the CPU backend through the SPI.
 *
 * <p>Cases the backend does not pass yet are listed, each with its reason, in
 * {@code src/test/resources/corpus-pending.txt}; such a case must still fail (a pending case that passes
 * fails the test, so the list only shrinks).
 */
class CorpusOnCpuTest {
    private static final Map<String, Module> MODULES = new HashMap<>();
    private static CpuDevice device;

    static Map<String, String> pending() throws IOException {
        Map<String, String> out = new HashMap<>();
        try (var in = CorpusOnCpuTest.class.getResourceAsStream("/corpus-pending.txt")) {
            if (in == null) return out;
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) continue;
                int sp = line.indexOf(' ');
                out.put(sp < 0 ? line : line.substring(0, sp), sp < 0 ? "" : line.substring(sp + 1).strip());
            }
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> corpusCases() throws IOException {
        Map<String, String> pending = pending();
        device = new CpuDevice(CpuBackend.describeHost(), Runtime.getRuntime().availableProcessors());
        return CorpusCases.all().stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> {
            String failure;
            try {
                failure = run(c);
            } catch (BackendException | RuntimeException e) {
                failure = "threw " + e;
            }
            if (pending.containsKey(c.id())) {
                assertNotNull(failure, c.id() + " passes now: remove it from corpus-pending.txt");
            } else {
                assertNull(failure, c.id() + ": " + failure);
            }
        }));
    }

    @AfterAll
    static void close() {
        if (device != null) device.closeAll();
    }

    private static synchronized Module module(KernelCase c) throws IOException {
        Module m = MODULES.get(c.ptxFile());
        if (m == null) {
            Path file = CorpusCases.ptx(c);
            m = PtxTranslator.translate(c.ptxFile(), Files.readString(file, StandardCharsets.UTF_8));
            MODULES.put(c.ptxFile(), m);
        }
        return m;
    }

    /** Runs one case; returns why it failed, or null. */
    static String run(KernelCase c) throws Exception {
        Module ir = module(c);
        CpuContext ctx = (CpuContext) device.createContext();
        StringBuilder printed = new StringBuilder();
        ctx.printer = s -> {
            synchronized (printed) {
                printed.append(s);
            }
        };
        try (Arena arena = Arena.ofConfined()) {
            BackendModule module = ctx.loadModule(ir);
            for (SymbolInit s : c.symbols()) {
                GlobalSymbol g = module.global(s.name());
                ctx.memory().resolve(g.address(), s.bytes().length, org.transcuda.cuda.CUresult.CUDA_ERROR_INVALID_VALUE)
                        .copyFrom(MemorySegment.ofArray(s.bytes()));
            }
            BackendStream stream = ctx.createStream();
            List<List<byte[]>> results = new ArrayList<>();
            for (Launch l : c.launches()) {
                BackendFunction f = module.function(l.kernel());
                MemorySegment args = arena.allocate(Math.max(8, f.ir().paramBufferSize()), 16);
                List<Param> params = f.ir().params();
                if (params.size() != l.args().size()) {
                    return l.kernel() + " has " + params.size() + " parameters, the case gives " + l.args().size();
                }
                List<Long> buffers = new ArrayList<>();
                for (int i = 0; i < params.size(); i++) {
                    Param p = params.get(i);
                    switch (l.args().get(i)) {
                        case Arg.Scalar s -> MemorySegment.copy(MemorySegment.ofArray(s.value()), 0, args, p.offset(),
                                s.size());
                        case Arg.Buffer b -> {
                            long d = ctx.allocate(Math.max(1, b.size()));
                            ctx.memory().resolve(d, b.size(), org.transcuda.cuda.CUresult.CUDA_ERROR_INVALID_VALUE)
                                    .copyFrom(MemorySegment.ofArray(b.initial()));
                            buffers.add(d);
                            args.set(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, p.offset(), d);
                        }
                    }
                }
                LaunchConfig cfg = new LaunchConfig(new org.transcuda.cuda.Dim3(l.grid().x(), l.grid().y(), l.grid().z()),
                        new org.transcuda.cuda.Dim3(l.block().x(), l.block().y(), l.block().z()), l.sharedBytes());
                try {
                    stream.launch(f, cfg, args);
                    stream.synchronize();
                } catch (BackendException e) {
                    if (c.error() != null && l.kernel().equals(c.kernel())) {
                        if (!e.result().name().equals(c.error().cuResult())) {
                            return "failed with " + e.result() + " (" + e.getMessage() + "), expected " + c.error();
                        }
                        String fragment = c.error().messageFragment();
                        if (fragment != null && !String.valueOf(e.getMessage()).contains(fragment)) {
                            return "message '" + e.getMessage() + "' lacks '" + fragment + "'";
                        }
                        return null;
                    }
                    return l.kernel() + " failed: " + e.result() + " " + e.getMessage();
                }
                List<byte[]> out = new ArrayList<>();
                List<Arg.Buffer> bs = l.buffers();
                for (int b = 0; b < bs.size(); b++) {
                    byte[] back = new byte[bs.get(b).size()];
                    MemorySegment.ofArray(back).copyFrom(ctx.memory().resolve(buffers.get(b), back.length,
                            org.transcuda.cuda.CUresult.CUDA_ERROR_INVALID_VALUE));
                    out.add(back);
                }
                results.add(out);
            }
            if (c.error() != null) return "expected " + c.error() + ", but the launch succeeded";
            List<String> mismatches = c.mismatches(results);
            if (!mismatches.isEmpty()) return String.join("; ", mismatches.subList(0, Math.min(3, mismatches.size())));
            if (c.stdout() != null) {
                String m = c.stdout().mismatch(printed.toString());
                if (m != null) return "printf: " + m;
            }
            return null;
        } finally {
            ctx.close();
        }
    }
}
