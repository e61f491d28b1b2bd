package org.transcuda.backend.cpu;

import java.lang.foreign.MemorySegment;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.transcuda.cuda.CUresult;
import org.transcuda.ir.Module;
import org.transcuda.spi.BackendContext;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;
import org.transcuda.spi.BackendModule;
import org.transcuda.spi.BackendStream;
import org.transcuda.spi.LaunchConfig;
import org.transcuda.spi.host.HostMemory;
import org.transcuda.spi.host.HostStream;

/** A context on the CPU: off-heap device memory and streams run by host threads. */
final class CpuContext implements BackendContext {
    private final HostMemory memory;
    private final Consumer<CpuContext> onClose;
    private final Set<CpuStream> streams = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    CpuContext(long capacity, Consumer<CpuContext> onClose) {
        this.memory = new HostMemory(capacity);
        this.onClose = onClose;
    }

    private void check() throws BackendException {
        if (closed) throw new BackendException(CUresult.CUDA_ERROR_CONTEXT_IS_DESTROYED, "context is closed");
    }

    @Override
    public long allocate(long bytes) throws BackendException {
        check();
        return memory.allocate(bytes);
    }

    @Override
    public void free(long address) throws BackendException {
        check();
        memory.free(address);
    }

    @Override
    public long allocatedBytes() {
        return memory.allocatedBytes();
    }

    @Override
    public BackendModule loadModule(Module module) throws BackendException {
        check();
        throw new BackendException(CUresult.CUDA_ERROR_NOT_SUPPORTED, "the CPU backend cannot run kernels yet: "
                + "compiling the IR to JVM bytecode is the CPU-backend milestone (module " + module.name() + ")");
    }

    @Override
    public BackendStream createStream() throws BackendException {
        check();
        CpuStream s = new CpuStream();
        streams.add(s);
        return s;
    }

    @Override
    public void synchronize() throws BackendException {
        check();
        BackendException first = null;
        for (CpuStream s : streams) {
            try {
                s.synchronize();
            } catch (BackendException e) {
                if (first == null) first = e;
            }
        }
        if (first != null) throw first;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        for (CpuStream s : streams) s.queue.abort();
        streams.clear();
        memory.close();
        onClose.accept(this);
    }

    /** A stream: copies and fills run on the stream's host thread. */
    final class CpuStream implements BackendStream {
        final HostStream queue = new HostStream("transcuda-cpu-stream");

        @Override
        public void copyHostToDevice(long dst, MemorySegment src) throws BackendException {
            MemorySegment d = memory.resolve(dst, src.byteSize(), CUresult.CUDA_ERROR_INVALID_VALUE);
            queue.enqueue(() -> d.copyFrom(src));
        }

        @Override
        public void copyDeviceToHost(MemorySegment dst, long src) throws BackendException {
            MemorySegment s = memory.resolve(src, dst.byteSize(), CUresult.CUDA_ERROR_INVALID_VALUE);
            queue.enqueue(() -> dst.copyFrom(s));
        }

        @Override
        public void copyDeviceToDevice(long dst, long src, long bytes) throws BackendException {
            MemorySegment d = memory.resolve(dst, bytes, CUresult.CUDA_ERROR_INVALID_VALUE);
            MemorySegment s = memory.resolve(src, bytes, CUresult.CUDA_ERROR_INVALID_VALUE);
            queue.enqueue(() -> d.copyFrom(s));
        }

        @Override
        public void fill(long dst, int value, int elementSize, long count) throws BackendException {
            MemorySegment d = memory.resolve(dst, count * elementSize, CUresult.CUDA_ERROR_INVALID_VALUE);
            queue.enqueue(() -> HostMemory.fill(d, value, elementSize));
        }

        @Override
        public void launch(BackendFunction function, LaunchConfig config, MemorySegment args)
                throws BackendException {
            throw new BackendException(CUresult.CUDA_ERROR_NOT_SUPPORTED, "the CPU backend cannot run kernels yet");
        }

        @Override
        public void enqueueHostCallback(Runnable callback) throws BackendException {
            queue.enqueue(callback::run);
        }

        @Override
        public void synchronize() throws BackendException {
            queue.synchronize();
        }

        @Override
        public boolean isIdle() {
            return queue.isIdle();
        }

        @Override
        public void close() {
            queue.close();
            streams.remove(this);
        }
    }
}
