package org.transcuda.backend.cpu;

import org.transcuda.ir.Function;
import org.transcuda.spi.BackendFunction;

/** A compiled kernel of a {@link CpuModule}. */
final class CpuFunction implements BackendFunction {
    final CpuModule module;
    final Function ir;
    final CompiledKernel kernel;

    CpuFunction(CpuModule module, Function ir, CompiledKernel kernel) {
        this.module = module;
        this.ir = ir;
        this.kernel = kernel;
    }

    @Override
    public Function ir() {
        return ir;
    }

    @Override
    public int maxThreadsPerBlock() {
        return kernel.maxThreads;
    }

    @Override
    public int staticSharedBytes() {
        return (int) kernel.staticSharedBytes;
    }
}
