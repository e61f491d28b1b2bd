package org.transcuda.backend.vulkan;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
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
import org.transcuda.corpus.Arg;
import org.transcuda.corpus.CorpusCases;
import org.transcuda.corpus.KernelCase;
import org.transcuda.corpus.Launch;
import org.transcuda.corpus.SymbolInit;
import org.transcuda.cuda.Dim3;
import org.transcuda.ir.Module;
import org.transcuda.ir.Param;
import org.transcuda.ptx.PtxTranslator;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;
import org.transcuda.spi.BackendModule;
import org.transcuda.spi.GlobalSymbol;
import org.transcuda.spi.LaunchConfig;

/**
 * Every corpus case (kernel, inputs, expected outputs computed by Java references in frontend-ptx's test-jar)
 * translated from nvcc's PTX, compiled to SPIR-V and run on the first usable Vulkan device (lavapipe in CI)
 * through the SPI, with the same expected outputs as {@code CorpusOnCpuTest}. Skips only when there is no
 * usable Vulkan device.
 *
 * <p>Cases the backend does not pass yet are listed, each with its reason, in
 * {@code src/test/resources/corpus-pending-vulkan.txt}; such a case must still fail (a pending case that passes
 * fails the test, so the list only shrinks).
 */
class CorpusOnVulkanTest {
    private static final Map<String, Module> MODULES = new HashMap<>();

    static Map<String, String> pending() throws IOException {
        Map<String, String> out = new HashMap<>();
        try (var in = CorpusOnVulkanTest.class.getResourceAsStream("/corpus-pending-vulkan.txt")) {
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
    Stream<DynamicTest> corpusCases() throws Exception {
        Map<String, String> pending = pending();
        VulkanDevice device = VulkanTestSupport.device();
        return CorpusCases.all().stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> {
            String failure = runCase(device, c);
            if (pending.containsKey(c.id())) {
                assertNotNull(failure, c.id() + " passes now: remove it from corpus-pending-vulkan.txt");
            } else {
                assertNull(failure, c.id() + ": " + failure);
            }
        }));
    }

    static synchronized Module module(KernelCase c) throws IOException {
        Module m = MODULES.get(c.ptxFile());
        if (m == null) {
            Path file = CorpusCases.ptx(c);
            m = PtxTranslator.translate(c.ptxFile(), Files.readString(file, StandardCharsets.UTF_8));
            MODULES.put(c.ptxFile(), m);
        }
        return m;
    }

    /** Runs one case in a context of its own (a fault makes a context unusable); returns why it failed, or null. */
    static String runCase(VulkanDevice device, KernelCase c) {
        VulkanContext ctx = null;
        try {
            ctx = device.createContext();
            return run(ctx, c);
        } catch (BackendException | RuntimeException | IOException e) {
            return "threw " + e;
        } finally {
            if (ctx != null) ctx.close();
        }
    }

    private static String run(VulkanContext ctx, KernelCase c) throws BackendException, IOException {
        Module ir = module(c);
        BackendModule module = ctx.loadModule(ir);
        VulkanStream stream = ctx.createStream();
        try (Arena arena = Arena.ofConfined()) {
            for (SymbolInit s : c.symbols()) {
                GlobalSymbol g = module.global(s.name());
                if (g.size() < s.bytes().length) return "symbol " + s.name() + " is smaller than its initializer";
                stream.copyHostToDevice(g.address(), MemorySegment.ofArray(s.bytes().clone()));
            }
            if (c.stdout() != null) return "printf is not supported on the Vulkan backend";
            List<List<byte[]>> results = new ArrayList<>();
            for (Launch l : c.launches()) {
                BackendFunction f;
                try {
                    f = module.function(l.kernel());
                } catch (BackendException e) {
                    if (c.error() != null && l.kernel().equals(c.kernel())) {
                        return "expected " + c.error() + ", but the kernel does not load: " + e.getMessage();
                    }
                    return l.kernel() + " does not load: " + e.result() + " " + e.getMessage();
                }
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
                            if (b.size() > 0) stream.copyHostToDevice(d, MemorySegment.ofArray(b.initial().clone()));
                            buffers.add(d);
                            args.set(ValueLayout.JAVA_LONG_UNALIGNED, p.offset(), d);
                        }
                    }
                }
                LaunchConfig cfg = new LaunchConfig(new Dim3(l.grid().x(), l.grid().y(), l.grid().z()),
                        new Dim3(l.block().x(), l.block().y(), l.block().z()), l.sharedBytes());
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
                    if (back.length > 0) stream.copyDeviceToHost(MemorySegment.ofArray(back), buffers.get(b));
                    out.add(back);
                }
                stream.synchronize();
                results.add(out);
            }
            if (c.error() != null) return "expected " + c.error() + ", but the launch succeeded";
            List<String> mismatches = c.mismatches(results);
            if (!mismatches.isEmpty()) return String.join("; ", mismatches.subList(0, Math.min(3, mismatches.size())));
            return null;
        } finally {
            stream.close();
            module.close(); // allocations go with the context
        }
    }
}
