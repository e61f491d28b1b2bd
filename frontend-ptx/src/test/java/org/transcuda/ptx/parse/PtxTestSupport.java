package org.transcuda.ptx.parse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.transcuda.ptx.ast.Function;
import org.transcuda.ptx.ast.Instruction;
import org.transcuda.ptx.ast.PtxModule;
import org.transcuda.ptx.ast.SourcePos;

/** Shared helpers for the parser tests. */
final class PtxTestSupport {

    /** The nvcc-generated fixtures (see generate.sh next to them) plus the hand-written syntax file. */
    static final List<String> FIXTURES = List.of(
            "vector_add.ptx", "vector_add_lineinfo.ptx", "reduce_shared.ptx", "device_func.ptx",
            "device_func_debug.ptx", "atomics.ptx", "warp_shuffle.ptx", "printf.ptx", "local_array.ptx",
            "switch.ptx", "constant_mem.ptx", "dynamic_shared.ptx", "func_pointer.ptx", "cluster.ptx",
            "inline_lineinfo.ptx", "handwritten_syntax.ptx");

    private static final SourcePos NO_POS = new SourcePos("", 0, 0);

    private PtxTestSupport() {
    }

    static String resource(String name) {
        try (InputStream in = PtxTestSupport.class.getResourceAsStream("/ptx/" + name)) {
            Objects.requireNonNull(in, "missing test resource /ptx/" + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static PtxModule parseResource(String name) {
        return PtxParser.parse(name, resource(name));
    }

    static Function function(PtxModule module, String name) {
        return module.function(name).orElseThrow(() -> new AssertionError("no function " + name));
    }

    static List<Instruction> instructions(Function f, String opcode) {
        return f.instructions().stream().filter(i -> i.opcode().equals(opcode)).toList();
    }

    static List<Instruction> instructions(Function f, String opcode, String... modifiers) {
        return f.instructions().stream()
                .filter(i -> i.opcode().equals(opcode) && i.modifiers().equals(List.of(modifiers)))
                .toList();
    }

    /**
     * A copy of a syntax tree with every {@link SourcePos} replaced by one constant, so trees from differently laid
     * out text compare equal when their structure is equal. Works on any record-based node generically.
     */
    @SuppressWarnings("unchecked")
    static <T> T stripPositions(T node) {
        return (T) strip(node);
    }

    private static Object strip(Object o) {
        if (o == null) {
            return null;
        }
        if (o instanceof SourcePos) {
            return NO_POS;
        }
        if (o instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object x : list) {
                out.add(strip(x));
            }
            return out;
        }
        if (o instanceof Record r) {
            RecordComponent[] components = r.getClass().getRecordComponents();
            Object[] args = new Object[components.length];
            Class<?>[] types = new Class<?>[components.length];
            try {
                for (int i = 0; i < components.length; i++) {
                    args[i] = strip(components[i].getAccessor().invoke(r));
                    types[i] = components[i].getType();
                }
                var ctor = r.getClass().getDeclaredConstructor(types);
                ctor.setAccessible(true);
                return ctor.newInstance(args);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError("cannot copy " + r.getClass(), e);
            }
        }
        return o;
    }
}
