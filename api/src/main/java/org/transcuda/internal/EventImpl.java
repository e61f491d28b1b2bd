package org.transcuda.internal;

import java.util.concurrent.CountDownLatch;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.CudaEvent;
import org.transcuda.cuda.CudaException;
import org.transcuda.cuda.CudaStream;

/**
 * An event built on the SPI's host callbacks: recording enqueues a mark that takes a timestamp when the
 * stream reaches it. Works on every backend; a backend with device timestamps can refine timing later.
 */
final class EventImpl implements CudaEvent {
    /** One recording of the event. */
    static final class Mark {
        private final CountDownLatch done = new CountDownLatch(1);
        private volatile long nanos;
        private final java.util.List<Runnable> listeners = new java.util.ArrayList<>();

        void complete() {
            nanos = System.nanoTime();
            java.util.List<Runnable> run;
            synchronized (listeners) {
                done.countDown();
                run = java.util.List.copyOf(listeners);
                listeners.clear();
            }
            run.forEach(Runnable::run);
        }

        /** Runs {@code r} when the mark completes (at once if it has). */
        void onComplete(Runnable r) {
            synchronized (listeners) {
                if (done.getCount() > 0) {
                    listeners.add(r);
                    return;
                }
            }
            r.run();
        }

        boolean isDone() {
            return done.getCount() == 0;
        }

        void await() throws InterruptedException {
            done.await();
        }

        /**
         * Waits on a stream thread until the mark completes, or until {@code context} is destroyed (its
         * queued work is then dropped, so the mark may never complete).
         */
        void awaitWhileAlive(ContextImpl context) {
            boolean interrupted = false;
            while (!context.isDestroyed()) {
                try {
                    if (done.await(20, java.util.concurrent.TimeUnit.MILLISECONDS)) break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    final ContextImpl context;
    private final int flags;
    private volatile Mark mark;
    private volatile boolean destroyed;

    EventImpl(ContextImpl context, int flags) {
        this.context = context;
        this.flags = flags;
    }

    @Override
    public int flags() {
        return flags;
    }

    Mark currentMark() {
        return mark;
    }

    void setMark(Mark m) {
        mark = m;
    }

    void checkAlive() throws CudaException {
        if (destroyed) throw new CudaException(CUresult.CUDA_ERROR_INVALID_HANDLE, "the event was destroyed");
    }

    @Override
    public void record(CudaStream stream) throws CudaException {
        checkAlive();
        StreamImpl s = context.streamOf(stream);
        Mark m = new Mark();
        s.submit(b -> b.enqueueHostCallback(() -> {
            context.noteFault(b); // first: a waiter woken by the mark must find the fault of the work before it
            m.complete();
        }));
        mark = m;
    }

    @Override
    public boolean query() throws CudaException {
        checkAlive();
        context.checkSticky();
        Mark m = mark;
        return m == null || m.isDone();
    }

    @Override
    public void synchronize() throws CudaException {
        checkAlive();
        Mark m = mark;
        if (m == null) return;
        try {
            m.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CudaException(CUresult.CUDA_ERROR_UNKNOWN, "interrupted while waiting for an event");
        }
        context.call(() -> null); // a backend that went away, or a fault of the work before the mark, is reported
    }

    @Override
    public float elapsedTimeSince(CudaEvent start) throws CudaException {
        checkAlive();
        context.checkSticky();
        if (!(start instanceof EventImpl s) || s.context != context) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_HANDLE, "the start event belongs to another context");
        }
        if ((flags & DISABLE_TIMING) != 0 || (s.flags & DISABLE_TIMING) != 0) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_HANDLE, "an event was created with DISABLE_TIMING");
        }
        Mark a = s.mark;
        Mark b = mark;
        if (a == null || b == null) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_HANDLE, "an event has not been recorded");
        }
        if (!a.isDone() || !b.isDone()) {
            throw new CudaException(CUresult.CUDA_ERROR_NOT_READY, "an event has not completed");
        }
        return (b.nanos - a.nanos) / 1e6f;
    }

    @Override
    public void close() {
        destroyed = true;
    }
}
