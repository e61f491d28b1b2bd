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

/**
 * A context on the CPU: off-heap device memory ({@link DeviceMemory}), loaded modules, and streams run by
 * host threads. Launches are queued on the stream and run there, their blocks spread over the device's worker
 * pool ({@link Launch}).
 *
 * <p>A kernel fault (illegal or misaligned address, trap, assertion, deadlock) fails the launch at the next
 * synchronize and makes the context's error sticky, as CUDA does: every later call on the context, and every
 * piece of work still queued, fails with the same result code. Closing the context still works.
 */
final class CpuContext implements BackendContext {
    private final CpuDevice device;
    private final DeviceMemory memory;
    private final Consumer<CpuContext> onClose;
    private final Set<CpuStream> streams = ConcurrentHashMap.newKeySet();
    private final Set<CpuModule> modules = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    private volatile BackendException sticky;
    /** Where printf output goes (System.out unless a test redirects it). */
    volatile Consumer<String> printer = s -> {
        System.out.print(s);
        System.out.flush();
    };

    CpuContext(CpuDevice device, long capacity, Consumer<CpuContext> onClose) {
        this.device = device;
        this.memory = new DeviceMemory(capacity);
        this.onClose = onClose;
    }

    DeviceMemory memory() {
        return memory;
    }

    void check() throws BackendException {
        if (closed) throw new BackendException(CUresult.CUDA_ERROR_CONTEXT_IS_DESTROYED, "context is closed");
        BackendException s = sticky;
        if (s != null) throw new BackendException(s.result(), "the context is unusable after an earlier kernel fault: "
                + s.getMessage(), s);
    }

    /** The sticky error, if a kernel faulted. */
    BackendException stickyError() {
        return sticky;
    }

    private void makeSticky(BackendException e) {
        switch (e.result()) {
            case CUDA_ERROR_ILLEGAL_ADDRESS, CUDA_ERROR_MISALIGNED_ADDRESS, CUDA_ERROR_ASSERT,
                    CUDA_ERROR_ILLEGAL_INSTRUCTION, CUDA_ERROR_LAUNCH_FAILED, CUDA_ERROR_HARDWARE_STACK_ERROR,
                    CUDA_ERROR_INVALID_PC -> {
                synchronized (this) {
                    if (sticky == null) sticky = e;
                }
            }
            default -> {
            }
        }
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
        CpuModule m = new CpuModule(this, module);
        modules.add(m);
        return m;
    }

    void forget(CpuModule m) {
        modules.remove(m);
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
        for (CpuModule m : modules) m.close();
        modules.clear();
        memory.close();
        onClose.accept(this);
    }

    /** Runs a launch on the calling (stream) thread. */
    private void execute(CpuFunction f, LaunchConfig config, long[] args) throws BackendException {
        BackendException s = sticky;
        if (s != null) throw new BackendException(s.result(), "launch skipped after an earlier kernel fault: "
                + s.getMessage(), s);
        if (closed) throw new BackendException(CUresult.CUDA_ERROR_CONTEXT_IS_DESTROYED, "context is closed");
        Launch launch = new Launch(f.kernel, config, args, f.ir.paramBufferSize(), memory, device.workers(),
                device.engine());
        launch.gridRows = device.gridRows;
        launch.rowChunk = device.rowChunk;
        launch.rowClaims = device.rowClaims;
        launch.rowVec = device.rowVec;
        launch.rowVecInt = device.rowVecInt;
        launch.rowVecTail = device.rowVecTail;
        launch.rowRect = device.rowRect;
        launch.rowLean = device.rowLean;
        (launch.lockstep ? device.lockstepLaunches : device.threadLaunches).increment();
        if (!launch.lockstep && f.kernel.lockRefusal != null) device.threadOnly.put(f.kernel.name, f.kernel.lockRefusal);
        try {
            launch.run(device.pool(), printer);
        } catch (BackendException e) {
            makeSticky(e);
            throw e;
        } finally {
            launch.rollUp(device);
            device.sharedInWindow.add(f.kernel.sharedInWindow);
        }
    }

    private void checkQueued() throws BackendException {
        BackendException s = sticky;
        if (s != null) throw new BackendException(s.result(), "skipped after an earlier kernel fault: "
                + s.getMessage(), s);
    }

    /** A stream: copies, fills and launches run on the stream's host thread. */
    final class CpuStream implements BackendStream {
        final HostStream queue = new HostStream("transcuda-cpu-stream");

        @Override
        public void copyHostToDevice(long dst, MemorySegment src) throws BackendException {
            check();
            MemorySegment d = memory.resolve(dst, src.byteSize(), CUresult.CUDA_ERROR_INVALID_VALUE);
            queue.enqueue(() -> {
                checkQueued();
                d.copyFrom(src);
            });
        }

        @Override
        public void copyDeviceToHost(MemorySegment dst, long src) throws BackendException {
            check();
            MemorySegment s = memory.resolve(src, dst.byteSize(), CUresult.CUDA_ERROR_INVALID_VALUE);
            queue.enqueue(() -> {
                checkQueued();
                dst.copyFrom(s);
            });
        }

        @Override
        public void copyDeviceToDevice(long dst, long src, long bytes) throws BackendException {
            check();
            MemorySegment d = memory.resolve(dst, bytes, CUresult.CUDA_ERROR_INVALID_VALUE);
            MemorySegment s = memory.resolve(src, bytes, CUresult.CUDA_ERROR_INVALID_VALUE);
            queue.enqueue(() -> {
                checkQueued();
                d.copyFrom(s);
            });
        }

        @Override
        public void fill(long dst, int value, int elementSize, long count) throws BackendException {
            check();
            MemorySegment d = memory.resolve(dst, count * elementSize, CUresult.CUDA_ERROR_INVALID_VALUE);
            queue.enqueue(() -> {
                checkQueued();
                HostMemory.fill(d, value, elementSize);
            });
        }

        @Override
        public void launch(BackendFunction function, LaunchConfig config, MemorySegment args)
                throws BackendException {
            check();
            if (!(function instanceof CpuFunction f) || f.module.context != CpuContext.this) {
                throw new BackendException(CUresult.CUDA_ERROR_INVALID_HANDLE,
                        "the function does not belong to this context");
            }
            if (f.module.isClosed()) {
                throw new BackendException(CUresult.CUDA_ERROR_INVALID_HANDLE, "the function's module is unloaded");
            }
            long threads = config.block().volume();
            if (threads > f.kernel.maxThreads) {
                throw new BackendException(CUresult.CUDA_ERROR_INVALID_VALUE, "block " + config.block() + " has "
                        + threads + " threads; " + f.ir.name() + " allows at most " + f.kernel.maxThreads);
            }
            long shared = f.kernel.dynamicSharedOffset + (long) config.dynamicSharedBytes();
            if (shared > device.properties().sharedMemoryPerBlock() && config.dynamicSharedBytes() > 0
                    || f.kernel.staticSharedBytes > device.properties().sharedMemoryPerBlock()) {
                throw new BackendException(CUresult.CUDA_ERROR_INVALID_VALUE, f.ir.name() + " needs " + shared
                        + " bytes of shared memory; the device offers " + device.properties().sharedMemoryPerBlock());
            }
            int size = f.ir.paramBufferSize();
            long[] copy = new long[(size + 7) / 8];
            if (args != null && size > 0) {
                long n = Math.min(size, args.byteSize());
                MemorySegment.copy(args, 0, MemorySegment.ofArray(copy), 0, n);
            }
            queue.enqueue(() -> execute(f, config, copy));
        }

        @Override
        public void enqueueHostCallback(Runnable callback) throws BackendException {
            check();
            queue.enqueue(callback::run);
        }

        @Override
        public void synchronize() throws BackendException {
            queue.synchronize();
            check();
        }

        @Override
        public boolean isIdle() {
            return queue.isIdle();
        }

        @Override
        public BackendException pendingFailure() {
            BackendException s = sticky;
            return s != null ? s : queue.pendingFailure();
        }

        @Override
        public void close() {
            queue.close();
            streams.remove(this);
        }
    }
}
