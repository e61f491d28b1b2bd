package org.transcuda.backend.cpu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.transcuda.cuda.CUresult;
import org.transcuda.ir.AddressSpace;
import org.transcuda.ir.Function;
import org.transcuda.ir.IrVerifier;
import org.transcuda.ir.Module;
import org.transcuda.ir.Variable;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;
import org.transcuda.spi.BackendModule;
import org.transcuda.spi.GlobalSymbol;

/**
 * A module loaded into a {@link CpuContext}. Loading verifies the IR, allocates every {@code .global} and
 * {@code .const} variable in device memory (so each has a device address), copies initializers and applies
 * relocations (addresses of variables and functions stored in initializers). Kernels are compiled to bytecode
 * on first lookup and cached; a kernel that cannot be compiled fails every lookup with the same error, and a
 * function listed in {@link Module#problems()} fails with CUDA_ERROR_INVALID_PTX and the front end's message.
 * {@link #global} gives a variable's device address and size (cuModuleGetGlobal). Closing frees the variables.
 */
final class CpuModule implements BackendModule {
    final CpuContext context;
    final Module ir;
    private final Map<String, Long> globals = new HashMap<>();
    private final List<Long> allocations = new ArrayList<>();
    private final long[] constRanges;
    private final Map<String, Object> functions = new ConcurrentHashMap<>();
    private volatile boolean closed;

    CpuModule(CpuContext context, Module ir) throws BackendException {
        this.context = context;
        this.ir = ir;
        List<String> problems = IrVerifier.verify(ir);
        if (!problems.isEmpty()) {
            throw new BackendException(CUresult.CUDA_ERROR_INVALID_PTX, "module " + ir.name() + " is not valid IR:\n  "
                    + String.join("\n  ", problems));
        }
        List<Long> consts = new ArrayList<>();
        try {
            for (Variable v : ir.variables()) {
                if (v.space() != AddressSpace.GLOBAL && v.space() != AddressSpace.CONST) continue;
                if (v.external() && v.init() == null && v.count() == 0) continue;
                long size = Math.max(1, v.size());
                long address = context.memory().allocate(size);
                allocations.add(address);
                globals.put(v.name(), address);
                if (v.space() == AddressSpace.CONST) {
                    consts.add(address);
                    consts.add(address + size);
                }
                if (v.init() != null) {
                    MemorySegment seg = context.memory().resolve(address, size, CUresult.CUDA_ERROR_INVALID_VALUE);
                    seg.copyFrom(MemorySegment.ofArray(v.init()).asSlice(0, Math.min(size, v.init().length)));
                }
            }
            for (Variable v : ir.variables()) {
                Long address = globals.get(v.name());
                if (address == null) continue;
                for (Variable.Relocation r : v.relocations()) {
                    long target = symbolAddress(r.symbol()) + r.addend();
                    MemorySegment seg = context.memory().resolve(address + r.offset(), r.width(),
                            CUresult.CUDA_ERROR_INVALID_PTX);
                    if (r.width() == 8) seg.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, target);
                    else if (r.width() == 4) seg.set(ValueLayout.JAVA_INT_UNALIGNED, 0, (int) target);
                    else throw new BackendException(CUresult.CUDA_ERROR_INVALID_PTX, "relocation of width " + r.width());
                }
            }
        } catch (BackendException | RuntimeException e) {
            freeAll();
            throw e;
        }
        constRanges = consts.stream().mapToLong(Long::longValue).toArray();
    }

    private long symbolAddress(String symbol) throws BackendException {
        Long a = globals.get(symbol);
        if (a != null) return a;
        List<Function> fs = ir.functions();
        for (int i = 0; i < fs.size(); i++) {
            if (fs.get(i).name().equals(symbol)) return Windows.FUNC + i;
        }
        throw new BackendException(CUresult.CUDA_ERROR_NOT_SUPPORTED, "initializer refers to " + symbol
                + ", which has no global address on the CPU backend");
    }

    @Override
    public BackendFunction function(String name) throws BackendException {
        context.check();
        if (closed) throw new BackendException(CUresult.CUDA_ERROR_INVALID_HANDLE, "module " + ir.name() + " is unloaded");
        var problem = ir.problem(name);
        if (problem.isPresent()) {
            throw new BackendException(CUresult.CUDA_ERROR_INVALID_PTX, problem.get().message());
        }
        Object o = functions.computeIfAbsent(name, this::compile);
        if (o instanceof BackendException e) throw new BackendException(e.result(), e.getMessage(), e);
        return (CpuFunction) o;
    }

    @Override
    public GlobalSymbol global(String name) throws BackendException {
        context.check();
        if (closed) throw new BackendException(CUresult.CUDA_ERROR_INVALID_HANDLE, "module " + ir.name() + " is unloaded");
        Long address = globals.get(name);
        if (address == null) {
            throw new BackendException(CUresult.CUDA_ERROR_NOT_FOUND, "module " + ir.name()
                    + " has no .global or .const variable " + name);
        }
        Variable v = ir.variable(name).orElseThrow();
        return new GlobalSymbol(address, v.size());
    }

    private Object compile(String name) {
        Function f = ir.functions().stream().filter(g -> g.name().equals(name) && g.kernel() && g.isDefined())
                .findFirst().orElse(null);
        if (f == null) {
            return new BackendException(CUresult.CUDA_ERROR_NOT_FOUND, "module " + ir.name() + " has no kernel " + name);
        }
        try {
            return new CpuFunction(this, f, KernelCompiler.compile(ir, f, globals, constRanges));
        } catch (BackendException e) {
            return e;
        }
    }

    boolean isClosed() {
        return closed;
    }

    private void freeAll() {
        for (long a : allocations) {
            try {
                context.memory().free(a);
            } catch (BackendException e) {
                // already released with the context
            }
        }
        allocations.clear();
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        freeAll();
        context.forget(this);
    }
}
