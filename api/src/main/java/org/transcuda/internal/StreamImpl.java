package org.transcuda.internal;

import java.lang.foreign.MemorySegment;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.CudaContext;
import org.transcuda.cuda.CudaEvent;
import org.transcuda.cuda.CudaException;
import org.transcuda.cuda.CudaFunction;
import org.transcuda.cuda.CudaStream;
import org.transcuda.cuda.Dim3;
import org.transcuda.cuda.KernelArgs;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendStream;
import org.transcuda.spi.LaunchConfig;

/**
 * A stream of a context: the legacy default (NULL) stream, a thread's per-thread default stream, or a
 * created stream. Every enqueue goes through {@link ContextImpl#enqueueOrdered}, which adds the legacy
 * default stream's implicit synchronization with blocking streams.
 */
final class StreamImpl implements CudaStream {
    /** What kind of stream this is. */
    enum Kind {
        /** The context's legacy default stream (handle 0 / CU_STREAM_LEGACY). */
        LEGACY,
        /** A host thread's per-thread default stream (CU_STREAM_PER_THREAD): blocking, never destroyed by the user. */
        PER_THREAD,
        /** cuStreamCreate / cuStreamCreateWithPriority. */
        CREATED
    }

    /** One piece of work for the backend stream. */
    @FunctionalInterface
    interface Op {
        void run(BackendStream stream) throws BackendException, CudaException;
    }

    final ContextImpl context;
    final BackendStream backend;
    final Kind kind;
    private final int flags;
    private final int priority;
    /** The last completion mark enqueued for cross-stream waits, or null (guarded by the context's ordering lock). */
    EventImpl.Mark tail;
    /** Whether work was enqueued after {@link #tail} (guarded by the context's ordering lock). */
    boolean dirty;
    private volatile boolean destroyed;
    private static final java.util.concurrent.atomic.AtomicLong IDS = new java.util.concurrent.atomic.AtomicLong();
    private final long id = IDS.incrementAndGet();

    StreamImpl(ContextImpl context, BackendStream backend, Kind kind, int flags, int priority) {
        this.context = context;
        this.backend = backend;
        this.kind = kind;
        this.flags = flags;
        this.priority = priority;
    }

    /** Whether the stream synchronizes with the legacy default stream (all but CU_STREAM_NON_BLOCKING ones). */
    boolean blocking() {
        return (flags & NON_BLOCKING) == 0;
    }

    private void checkAlive() throws CudaException {
        if (destroyed) throw new CudaException(CUresult.CUDA_ERROR_INVALID_HANDLE, "the stream was destroyed");
    }

    /** Enqueues {@code op} in stream order, with the legacy stream's implicit synchronization. */
    void submit(Op op) throws CudaException {
        checkAlive();
        context.call(() -> {
            context.enqueueOrdered(this, op, false);
            return null;
        });
    }

    /**
     * Enqueues {@code op} and waits for this stream to drain (the synchronous API calls). On a backend built on
     * {@link org.transcuda.spi.host.HostStream}, work that finds the stream with nothing pending (after the legacy
     * stream's implicit waits, which are pending work) runs on this thread: no hand-off to the stream's thread.
     */
    void submitAndWait(Op op) throws CudaException {
        checkAlive();
        context.call(() -> {
            try {
                context.enqueueOrdered(this, op, true);
                backend.synchronize();
            } finally {
                org.transcuda.spi.host.HostStream.runClaimed(); // work reserved for this thread always runs
            }
            return null;
        });
    }

    @Override
    public CudaContext context() {
        return context;
    }

    @Override
    public long id() throws CudaException {
        checkAlive();
        return id;
    }

    @Override
    public void memcpyAsync(long dst, long src, long bytes) throws CudaException {
        context.checkCount(bytes);
        if (bytes == 0) return;
        submit(b -> context.enqueueUnified(b, dst, src, bytes));
    }

    @Override
    public void memcpyPeerAsync(long dst, long src, org.transcuda.cuda.CudaContext srcContext, long bytes)
            throws CudaException {
        ContextImpl from = context.peer(srcContext);
        context.checkCount(bytes);
        if (bytes == 0) return;
        MemorySegment staging = java.lang.foreign.Arena.ofAuto().allocate(bytes, 16);
        // The source context reads into the staging buffer first; this stream waits for that, then uploads.
        EventImpl.Mark read = new EventImpl.Mark();
        StreamImpl source = from.legacy();
        source.submit(b -> {
            b.copyDeviceToHost(staging, src);
            b.enqueueHostCallback(read::complete);
        });
        submit(b -> {
            b.enqueueHostCallback(() -> read.awaitWhileAlive(from));
            b.copyHostToDevice(dst, staging);
        });
    }

    @Override
    public void memsetD2DAsync(long dst, long pitch, int value, int elementSize, long width, long height)
            throws CudaException {
        ContextImpl.checkD2D(dst, pitch, elementSize, width, height);
        int masked = elementSize == 4 ? value : value & ((1 << (8 * elementSize)) - 1);
        submit(b -> {
            for (long row = 0; row < height; row++) b.fill(dst + row * pitch, masked, elementSize, width);
        });
    }

    @Override
    public void prefetchAsync(long pointer, long bytes, int device) throws CudaException {
        checkAlive();
        context.checkManagedRange(pointer, bytes, device);
        // Nothing to move: the host and the device reach managed memory where it is.
    }

    @Override
    public int flags() throws CudaException {
        checkAlive();
        return flags;
    }

    @Override
    public int priority() throws CudaException {
        checkAlive();
        return priority;
    }

    @Override
    public void launch(CudaFunction function, Dim3 grid, Dim3 block, int dynamicSharedBytes, KernelArgs args)
            throws CudaException {
        if (!(function instanceof FunctionImpl f) || f.module.context != context) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_HANDLE,
                    "the function does not belong to this stream's context");
        }
        if (args == null) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE, "no kernel arguments");
        }
        if (args.function() != f.backend.ir()) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE,
                    "the arguments were made for " + args.function().name() + ", not " + f.name());
        }
        MemorySegment packed = args.packed();
        f.checkLaunch(grid, block, dynamicSharedBytes);
        LaunchConfig config = new LaunchConfig(grid, block, dynamicSharedBytes);
        submit(b -> b.launch(f.backend, config, packed));
    }

    @Override
    public void memcpyHtoDAsync(long dst, MemorySegment src) throws CudaException {
        submit(b -> b.copyHostToDevice(dst, src));
    }

    @Override
    public void memcpyDtoHAsync(MemorySegment dst, long src) throws CudaException {
        submit(b -> b.copyDeviceToHost(dst, src));
    }

    @Override
    public void memcpyDtoDAsync(long dst, long src, long bytes) throws CudaException {
        submit(b -> b.copyDeviceToDevice(dst, src, bytes));
    }

    @Override
    public void memsetAsync(long dst, int value, int elementSize, long count) throws CudaException {
        if ((elementSize != 1 && elementSize != 2 && elementSize != 4) || dst % elementSize != 0) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE,
                    "element size " + elementSize + " (1, 2 or 4) with dst aligned to it");
        }
        int masked = elementSize == 4 ? value : value & ((1 << (8 * elementSize)) - 1);
        submit(b -> b.fill(dst, masked, elementSize, count));
    }

    @Override
    public void memcpy2DAsync(MemorySegment dstHost, long dst, long dstPitch, MemorySegment srcHost, long src,
            long srcPitch, long widthBytes, long height) throws CudaException {
        memcpy3DAsync(Copies.from2D(dstHost, dst, dstPitch, srcHost, src, srcPitch, widthBytes, height));
    }

    @Override
    public void memcpy3DAsync(org.transcuda.cuda.Memcpy3D copy) throws CudaException {
        Copies.check(copy);
        submit(b -> Copies.enqueue(context, b, copy));
    }

    @Override
    public long mallocAsync(long bytes) throws CudaException {
        checkAlive();
        // The memory is reserved at once; stream order makes it usable by work enqueued after this call.
        return context.malloc(bytes);
    }

    @Override
    public void freeAsync(long devicePointer) throws CudaException {
        checkAlive();
        context.beginFreeAsync(devicePointer);
        try {
            submit(b -> b.enqueueHostCallback(() -> context.finishFreeAsync(devicePointer)));
        } catch (CudaException e) {
            context.cancelFreeAsync(devicePointer);
            throw e;
        }
    }

    @Override
    public void launchHostFunc(Runnable function) throws CudaException {
        if (function == null) throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE, "no host function");
        submit(b -> b.enqueueHostCallback(function));
    }

    @Override
    public void addCallback(Callback callback) throws CudaException {
        if (callback == null) throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE, "no callback");
        submit(b -> b.enqueueHostCallback(() -> {
            context.noteFault(b);
            callback.onComplete(this, context.stickyError().orElse(CUresult.CUDA_SUCCESS));
        }));
    }

    @Override
    public void waitEvent(CudaEvent event) throws CudaException {
        if (!(event instanceof EventImpl e) || e.context != context) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_HANDLE, "the event belongs to another context");
        }
        e.checkAlive();
        EventImpl.Mark mark = e.currentMark();
        if (mark == null || mark.isDone()) {
            checkAlive(); // nothing to wait for: CUDA treats the wait as satisfied
            context.checkSticky();
            return;
        }
        submit(b -> b.enqueueHostCallback(() -> mark.awaitWhileAlive(context)));
    }

    @Override
    public void synchronize() throws CudaException {
        checkAlive();
        context.call(() -> {
            backend.synchronize();
            context.checkSticky(); // a fault an event this stream waited for recorded while we waited
            return null;
        });
    }

    @Override
    public boolean query() throws CudaException {
        checkAlive();
        return context.call(() -> {
            boolean idle = backend.isIdle();
            if (idle) {
                context.noteFault(backend); // the stream's work is done: a fault of it is reported now
                context.checkSticky();
            }
            return idle;
        });
    }

    @Override
    public void close() throws CudaException {
        if (kind != Kind.CREATED) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_HANDLE,
                    "the " + (kind == Kind.LEGACY ? "legacy" : "per-thread") + " default stream cannot be destroyed");
        }
        checkAlive();
        context.call(() -> {
            context.retire(this); // first: no enqueue may reach the stream once it closes
            destroyed = true;
            backend.close();
            return null;
        });
        context.disown(this);
    }

    @Override
    public String toString() {
        return "CudaStream[" + kind + (blocking() ? "" : ", non-blocking") + ", priority " + priority + "]";
    }
}
