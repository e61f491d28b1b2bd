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

    /** The kernel's local frame plus the call stack of the device functions it calls. */
    @Override
    public int localBytesPerThread() {
        return (int) Math.min(Integer.MAX_VALUE, kernel.localWindow);
    }

    /** The module's {@code .const} variables, which every kernel of the module may read. */
    @Override
    public int constBytes() {
        long total = 0;
        for (org.transcuda.ir.Variable v : module.ir.variables()) {
            if (v.space() == org.transcuda.ir.AddressSpace.CONST) total += v.size();
        }
        return (int) Math.min(Integer.MAX_VALUE, total);
    }
}
