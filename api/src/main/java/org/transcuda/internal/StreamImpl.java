package org.transcuda.internal;

import java.lang.foreign.MemorySegment;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.CudaEvent;
import org.transcuda.cuda.CudaException;
import org.transcuda.cuda.CudaFunction;
import org.transcuda.cuda.CudaStream;
import org.transcuda.cuda.Dim3;
import org.transcuda.cuda.KernelArgs;
import org.transcuda.spi.BackendStream;
import org.transcuda.spi.DeviceProperties;
import org.transcuda.spi.LaunchConfig;

/** A stream of a context. */
final class StreamImpl implements CudaStream {
    final ContextImpl context;
    final BackendStream backend;

    StreamImpl(ContextImpl context, BackendStream backend) {
        this.context = context;
        this.backend = backend;
    }

    @Override
    public void launch(CudaFunction function, Dim3 grid, Dim3 block, int dynamicSharedBytes, KernelArgs args)
            throws CudaException {
        if (!(function instanceof FunctionImpl f) || f.module.context != context) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_HANDLE,
                    "the function does not belong to this stream's context");
        }
        if (args.function() != f.backend.ir()) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE,
                    "the arguments were made for " + args.function().name() + ", not " + f.name());
        }
        MemorySegment packed = args.packed();
        DeviceProperties p = context.device.properties();
        checkLaunch(p, f, grid, block, dynamicSharedBytes);
        LaunchConfig config = new LaunchConfig(grid, block, dynamicSharedBytes);
        context.call(() -> {
            backend.launch(f.backend, config, packed);
            return null;
        });
    }

    /** CUDA's launch checks: block and grid limits, threads per block, shared memory. */
    static void checkLaunch(DeviceProperties p, FunctionImpl f, Dim3 grid, Dim3 block, int shared)
            throws CudaException {
        Dim3 mb = p.maxBlockDim();
        Dim3 mg = p.maxGridDim();
        if (block.x() > mb.x() || block.y() > mb.y() || block.z() > mb.z()) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE,
                    "block " + block + " exceeds the device's maximum block dimensions " + mb);
        }
        int maxThreads = Math.min(p.maxThreadsPerBlock(), f.backend.maxThreadsPerBlock());
        if (block.volume() > maxThreads) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE, "block " + block + " has "
                    + block.volume() + " threads; " + f.name() + " allows at most " + maxThreads);
        }
        if (grid.x() > mg.x() || grid.y() > mg.y() || grid.z() > mg.z()) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE,
                    "grid " + grid + " exceeds the device's maximum grid dimensions " + mg);
        }
        long totalShared = (long) shared + f.backend.staticSharedBytes();
        if (shared < 0 || totalShared > p.sharedMemoryPerBlock()) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE, "kernel needs " + totalShared
                    + " bytes of shared memory; the device offers " + p.sharedMemoryPerBlock() + " per block");
        }
    }

    @Override
    public void memcpyHtoDAsync(long dst, MemorySegment src) throws CudaException {
        context.call(() -> {
            backend.copyHostToDevice(dst, src);
            return null;
        });
    }

    @Override
    public void memcpyDtoHAsync(MemorySegment dst, long src) throws CudaException {
        context.call(() -> {
            backend.copyDeviceToHost(dst, src);
            return null;
        });
    }

    @Override
    public void memcpyDtoDAsync(long dst, long src, long bytes) throws CudaException {
        context.call(() -> {
            backend.copyDeviceToDevice(dst, src, bytes);
            return null;
        });
    }

    @Override
    public void memsetAsync(long dst, int value, int elementSize, long count) throws CudaException {
        if ((elementSize != 1 && elementSize != 2 && elementSize != 4) || dst % elementSize != 0) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE,
                    "element size " + elementSize + " (1, 2 or 4) with dst aligned to it");
        }
        int masked = elementSize == 4 ? value : value & ((1 << (8 * elementSize)) - 1);
        context.call(() -> {
            backend.fill(dst, masked, elementSize, count);
            return null;
        });
    }

    @Override
    public void launchHostFunc(Runnable function) throws CudaException {
        context.call(() -> {
            backend.enqueueHostCallback(function);
            return null;
        });
    }

    @Override
    public void waitEvent(CudaEvent event) throws CudaException {
        if (!(event instanceof EventImpl e) || e.context != context) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_HANDLE, "the event belongs to another context");
        }
        EventImpl.Mark mark = e.currentMark();
        if (mark == null) return; // never recorded: CUDA treats the wait as satisfied
        context.call(() -> {
            backend.enqueueHostCallback(mark::awaitUninterruptibly);
            return null;
        });
    }

    @Override
    public void synchronize() throws CudaException {
        context.call(() -> {
            backend.synchronize();
            return null;
        });
    }

    @Override
    public boolean query() throws CudaException {
        return context.call(backend::isIdle);
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
