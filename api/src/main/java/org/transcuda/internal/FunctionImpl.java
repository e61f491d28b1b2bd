package org.transcuda.internal;

import org.transcuda.cuda.CudaException;
import org.transcuda.cuda.CudaFunction;
import org.transcuda.cuda.KernelArgs;
import org.transcuda.spi.BackendFunction;

/** A kernel of a loaded module. */
final class FunctionImpl implements CudaFunction {
    final ModuleImpl module;
    final BackendFunction backend;

    FunctionImpl(ModuleImpl module, BackendFunction backend) {
        this.module = module;
        this.backend = backend;
    }

    @Override
    public String name() {
        return backend.ir().name();
    }

    @Override
    public KernelArgs newArgs() {
        return new KernelArgs(backend.ir());
    }

    @Override
    public int maxThreadsPerBlock() throws CudaException {
        return module.context.call(backend::maxThreadsPerBlock);
    }
}
