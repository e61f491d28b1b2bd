package org.transcuda.internal;

import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.CudaException;
import org.transcuda.cuda.CudaFunction;
import org.transcuda.cuda.CudaModule;
import org.transcuda.spi.BackendModule;

/** A loaded module. */
final class ModuleImpl implements CudaModule {
    final ContextImpl context;
    final BackendModule backend;
    final org.transcuda.ir.Module ir;
    /** The PTX {@code .version} as major*10+minor (CU_FUNC_ATTRIBUTE_PTX_VERSION); 0 for IR modules. */
    final int ptxVersion;
    private final java.util.Map<String, FunctionImpl> functions = new java.util.concurrent.ConcurrentHashMap<>();

    ModuleImpl(ContextImpl context, BackendModule backend, org.transcuda.ir.Module ir, int ptxVersion) {
        this.context = context;
        this.backend = backend;
        this.ir = ir;
        this.ptxVersion = ptxVersion;
    }

    @Override
    public CudaFunction function(String name) throws CudaException {
        var problem = ir.problem(name);
        if (problem.isPresent()) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_PTX, problem.get().message());
        }
        FunctionImpl f = functions.get(name);
        if (f != null) return f;
        FunctionImpl created = new FunctionImpl(this, context.call(() -> backend.function(name)));
        f = functions.putIfAbsent(name, created);
        return f != null ? f : created; // one CUfunction per name: attributes set on it persist

    }

    @Override
    public int functionCount() throws CudaException {
        context.call(() -> null);
        return (int) ir.functions().stream().filter(org.transcuda.ir.Function::kernel).count();
    }

    @Override
    public java.util.List<CudaFunction> functions() throws CudaException {
        java.util.List<CudaFunction> out = new java.util.ArrayList<>();
        for (org.transcuda.ir.Function f : ir.functions()) {
            if (f.kernel()) out.add(function(f.name()));
        }
        return out;
    }

    @Override
    public long[] global(String name) throws CudaException {
        var g = context.call(() -> backend.global(name));
        return new long[] {g.address(), g.size()};
    }

    @Override
    public void close() throws CudaException {
        context.call(() -> {
            backend.close();
            return null;
        });
        context.disown(this);
    }
}
