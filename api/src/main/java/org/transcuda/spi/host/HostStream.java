package org.transcuda.spi.host;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;
import org.transcuda.cuda.CUresult;
import org.transcuda.spi.BackendException;

/**
 * An in-order work queue run by one thread, started on first use and ended by {@link #close()}. The
 * first failure of queued work is reported by the next {@link #synchronize()}; work queued after a failure
 * still runs, as on a CUDA stream.
 */
public final class HostStream implements AutoCloseable {
    /** One unit of queued work. */
    @FunctionalInterface
    public interface Work {
        void run() throws BackendException;
    }

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final String name;
    private final ArrayDeque<Work> queue = new ArrayDeque<>();
    private Thread thread;
    private boolean running;
    private boolean closed;
    private BackendException failure;

    public HostStream(String name) {
        this.name = name + "-" + COUNTER.incrementAndGet();
    }

    /** Queues {@code work}; CUDA_ERROR_INVALID_HANDLE after close. */
    public synchronized void enqueue(Work work) throws BackendException {
        if (closed) throw new BackendException(CUresult.CUDA_ERROR_INVALID_HANDLE, "stream " + name + " is closed");
        queue.addLast(work);
        if (thread == null) {
            thread = Thread.ofPlatform().daemon().name(name).start(this::loop);
        }
        notifyAll();
    }

    private void loop() {
        while (true) {
            Work work;
            synchronized (this) {
                while (queue.isEmpty() && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        // close() interrupts only to end the loop
                    }
                }
                if (queue.isEmpty()) return;
                work = queue.pollFirst();
                running = true;
            }
            BackendException error = null;
            try {
                work.run();
            } catch (BackendException e) {
                error = e;
            } catch (RuntimeException | Error e) {
                error = new BackendException(CUresult.CUDA_ERROR_LAUNCH_FAILED, "queued work failed: " + e, e);
            }
            synchronized (this) {
                running = false;
                if (error != null && failure == null) failure = error;
                notifyAll();
            }
        }
    }

    /** Waits until the queue is empty; throws (and clears) the first failure since the last call. */
    public synchronized void synchronize() throws BackendException {
        boolean interrupted = false;
        while (!queue.isEmpty() || running) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        BackendException f = failure;
        failure = null;
        if (f != null) throw f;
    }

    public synchronized boolean isIdle() {
        return queue.isEmpty() && !running;
    }

    /** Drops work that has not started, waits for the running item, and ends the thread. Idempotent. */
    public void abort() {
        synchronized (this) {
            queue.clear();
        }
        close();
    }

    /** Lets queued work finish, then ends the thread. Idempotent. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            closed = true;
            t = thread;
            notifyAll();
        }
        if (t != null && t != Thread.currentThread()) {
            boolean interrupted = false;
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) Thread.currentThread().interrupt();
        }
    }
}
