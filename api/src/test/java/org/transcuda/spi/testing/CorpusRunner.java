package org.transcuda.spi.testing;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.transcuda.corpus.Arg;
import org.transcuda.corpus.CorpusCases;
import org.transcuda.corpus.KernelCase;
import org.transcuda.corpus.Launch;
import org.transcuda.corpus.SymbolInit;
import org.transcuda.cuda.Dim3;
import org.transcuda.ir.Module;
import org.transcuda.ir.Param;
import org.transcuda.ptx.PtxTranslator;
import org.transcuda.spi.BackendContext;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;
import org.transcuda.spi.BackendModule;
import org.transcuda.spi.BackendStream;
import org.transcuda.spi.GlobalSymbol;
import org.transcuda.spi.LaunchConfig;

/**
 * Runs every corpus case (kernel, inputs, expected outputs computed by Java references in frontend-ptx's test-jar)
 * on a backend through the SPI only, so that every backend is held to the same cases and expectations. Each case
 * runs in a context of its own (a fault makes a context unusable).
 *
 * <p>Cases a backend does not pass yet are listed, each with its reason, in a resource of the backend's tests
 * ({@code id reason} per line, {@code #} comments); such a case must still fail: a pending case that passes fails
 * the test, so the list only shrinks.
 */
public final class CorpusRunner {
    /** The backend under test. */
    public interface Target {
        /** A fresh context; the runner closes it after the case. */
        BackendContext newContext() throws BackendException;

        /**
         * Starts collecting what kernels of {@code context} print ({@code printf}) and returns what was printed so
         * far when called; null when the backend has no device printf (cases that print then fail).
         */
        Supplier<String> capturePrintf(BackendContext context);
    }

    private static final Map<String, Module> MODULES = new ConcurrentHashMap<>();

    private CorpusRunner() {
    }

    /** One dynamic test per corpus case, checked against the pending list {@code pendingResource} of {@code owner}. */
    public static Stream<DynamicTest> tests(Target target, Class<?> owner, String pendingResource) throws IOException {
        Map<String, String> pending = pending(owner, pendingResource);
        return CorpusCases.all().stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> {
            String failure = runCase(target, c);
            if (pending.containsKey(c.id())) {
                assertNotNull(failure, c.id() + " passes now: remove it from " + pendingResource);
            } else {
                assertNull(failure, c.id() + ": " + failure);
            }
        }));
    }

    /** The pending list: case id to reason. A missing resource is an empty list. */
    public static Map<String, String> pending(Class<?> owner, String resource) throws IOException {
        Map<String, String> out = new ConcurrentHashMap<>();
        try (var in = owner.getResourceAsStream(resource)) {
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

    /** The translated module of a case's PTX file, translated once per file. */
    public static Module module(KernelCase c) {
        return MODULES.computeIfAbsent(c.ptxFile(), f -> {
            try {
                return PtxTranslator.translate(f, Files.readString(CorpusCases.ptx(c), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Runs one case in a fresh context; returns why it failed, or null when it passed. */
    public static String runCase(Target target, KernelCase c) {
        BackendContext ctx = null;
        try {
            ctx = target.newContext();
            return run(target, ctx, c);
        } catch (BackendException | RuntimeException e) {
            return "threw " + e;
        } finally {
            if (ctx != null) ctx.close();
        }
    }

    private static String run(Target target, BackendContext ctx, KernelCase c) throws BackendException {
        Supplier<String> printed = target.capturePrintf(ctx);
        if (c.stdout() != null && printed == null) return "the backend has no device printf";
        BackendModule module = ctx.loadModule(module(c));
        BackendStream stream = ctx.createStream();
        try (Arena arena = Arena.ofConfined()) {
            for (SymbolInit s : c.symbols()) {
                GlobalSymbol g = module.global(s.name());
                if (g.size() < s.bytes().length) return "symbol " + s.name() + " is smaller than its initializer";
                stream.copyHostToDevice(g.address(), MemorySegment.ofArray(s.bytes().clone()));
            }
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
            if (c.stdout() != null) {
                String m = c.stdout().mismatch(printed.get());
                if (m != null) return "printf: " + m;
            }
            return null;
        } finally {
            stream.close();
            module.close();
        }
    }
}
