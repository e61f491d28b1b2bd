package org.transcuda.internal;

import org.transcuda.cuda.CudaException;
import org.transcuda.cuda.CudaFunction;
import org.transcuda.cuda.CudaModule;
import org.transcuda.spi.BackendModule;

/** A loaded module. */
final class ModuleImpl implements CudaModule {
    final ContextImpl context;
    final BackendModule backend;

    ModuleImpl(ContextImpl context, BackendModule backend) {
        this.context = context;
        this.backend = backend;
    }

    @Override
    public CudaFunction function(String name) throws CudaException {
        return new FunctionImpl(this, context.call(() -> backend.function(name)));
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
