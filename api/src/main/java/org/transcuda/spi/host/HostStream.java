package org.transcuda.spi.host;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.transcuda.cuda.CUresult;
import org.transcuda.spi.BackendException;

/**
 * An in-order work queue run by one thread, started on first use and ended by {@link #close()}. The
 * first failure of queued work is reported by the next {@link #synchronize()}; work queued after a failure
 * still runs, as on a CUDA stream.
 *
 * <p>The hand-off is cheap: producers append to a lock-free queue and wake the worker only when it has parked;
 * the worker and {@link #synchronize()} spin briefly before parking, so a stream fed at a steady rate (a launch
 * loop) rarely pays a thread wake-up.
 *
 * <p><b>Synchronous work on the calling thread.</b> The front end brackets the enqueue of a synchronous call
 * (cuMemcpy, cuMemset: work it waits for at once) with {@link #armInline()} and {@link #disarmInline()}. While
 * armed, the first {@link #enqueue} of the calling thread onto a stream that has nothing pending (nothing queued,
 * nothing running) does not hand the work to the stream's thread: the work is reserved for the caller, and the
 * stream holds back everything enqueued after it, so order is kept. The caller runs it in its next
 * {@link #synchronize()} of that stream, or in {@link #runClaimed()}, which the front end calls when its
 * synchronous call ends (so reserved work always runs, also when the call failed half-way). Failures of such
 * work are recorded and reported exactly as if the stream's thread had run it. Work enqueued onto a stream with
 * pending work (a kernel still running, a cross-stream wait) is queued as usual.
 */
public final class HostStream implements AutoCloseable {
    /** One unit of queued work. */
    @FunctionalInterface
    public interface Work {
        void run() throws BackendException;
    }

    /** Spins before parking: long enough to catch the next item of a steady producer, short on a busy machine. */
    private static final int SPINS = 256;
    private static final int YIELDS = 16;

    private static final AtomicInteger COUNTER = new AtomicInteger();

    /** The calling thread's synchronous call: armed, and the work reserved for it. */
    private static final class Claim {
        boolean armed;
        HostStream stream;
        Work work;
    }

    private static final ThreadLocal<Claim> CLAIM = ThreadLocal.withInitial(Claim::new);

    private final String name;
    private final ConcurrentLinkedQueue<Work> queue = new ConcurrentLinkedQueue<>();
    /** Serializes producers against each other and against close (not taken by the worker). */
    private final Object producers = new Object();
    /** Blocked synchronizers wait on this; also guards {@link #failure}. */
    private final Object lock = new Object();
    /** Work items accepted (queued or reserved), written under {@link #producers}. */
    private volatile long submitted;
    /** Work items finished; written by the worker, or by the caller running reserved work (never both at once). */
    private volatile long completed;
    /** Reserved work has not finished yet: the worker holds back. */
    private volatile boolean inline;
    private volatile boolean parked;
    private volatile int waiters;
    private volatile Thread thread;
    private volatile boolean closed;
    private volatile boolean aborted;
    private volatile BackendException failure;

    public HostStream(String name) {
        this.name = name + "-" + COUNTER.incrementAndGet();
    }

    /** The calling thread's next enqueue onto an idle stream may be reserved for it (see the class comment). */
    public static void armInline() {
        CLAIM.get().armed = true;
    }

    /** Ends {@link #armInline()}; a reservation already made stays until it runs. */
    public static void disarmInline() {
        CLAIM.get().armed = false;
    }

    /** Runs the work reserved for the calling thread, if any (its failure is reported by the next synchronize). */
    public static void runClaimed() {
        Claim c = CLAIM.get();
        c.armed = false;
        if (c.stream != null) c.stream.runReserved(c);
    }

    /** Queues {@code work}; CUDA_ERROR_INVALID_HANDLE after close. */
    public void enqueue(Work work) throws BackendException {
        Claim c = CLAIM.get();
        Thread t;
        synchronized (producers) {
            if (closed) throw new BackendException(CUresult.CUDA_ERROR_INVALID_HANDLE, "stream " + name + " is closed");
            if (c.armed) {
                c.armed = false; // only the first enqueue of a synchronous call may be reserved
                if (c.stream == null && completed == submitted) {
                    // Nothing pending, and no producer can add work before inline is set: the caller runs it.
                    inline = true;
                    c.stream = this;
                    c.work = work;
                    submitted = submitted + 1;
                    return;
                }
            }
            queue.offer(work);
            submitted = submitted + 1;
            t = thread;
            if (t == null) {
                thread = Thread.ofPlatform().daemon().name(name).start(this::loop);
                return;
            }
        }
        if (parked) LockSupport.unpark(t);
    }

    private void runReserved(Claim c) {
        Work w = c.work;
        c.stream = null;
        c.work = null;
        try {
            execute(w);
        } finally {
            completed = completed + 1;
            inline = false;
            afterCompletion();
            Thread t = thread;
            if (t != null && parked) LockSupport.unpark(t);
        }
    }

    private void execute(Work work) {
        BackendException error = null;
        try {
            work.run();
        } catch (BackendException e) {
            error = e;
        } catch (RuntimeException | Error e) {
            error = new BackendException(CUresult.CUDA_ERROR_LAUNCH_FAILED, "queued work failed: " + e, e);
        }
        if (error != null) {
            synchronized (lock) {
                if (failure == null) failure = error;
            }
        }
    }

    private void afterCompletion() {
        if (waiters > 0) {
            synchronized (lock) {
                lock.notifyAll();
            }
        }
    }

    /** Whether the worker has something it may run now. */
    private boolean runnable() {
        // The queue first: work offered after a reservation is seen only together with its inline flag.
        return !queue.isEmpty() && !inline;
    }

    /** Closed with nothing left to run: the worker ends. */
    private boolean finished() {
        return closed && queue.isEmpty();
    }

    private void loop() {
        while (true) {
            if (!runnable()) {
                if (finished()) return;
                for (int i = 0; i < SPINS && !runnable() && !finished(); i++) Thread.onSpinWait();
                // Then give the core away a few times (the producer may need it) before paying a park and wake-up.
                for (int i = 0; i < YIELDS && !runnable() && !finished(); i++) Thread.yield();
                if (!runnable() && !finished()) {
                    parked = true;
                    Thread.interrupted(); // work that interrupted this thread must not turn parking into spinning
                    if (!runnable() && !finished()) LockSupport.park(this);
                    parked = false;
                }
                continue;
            }
            Work work = queue.poll();
            if (!aborted) execute(work);
            completed = completed + 1;
            afterCompletion();
        }
    }

    /**
     * Waits until the work enqueued before this call has completed; throws (and clears) the first failure since
     * the last call. Work reserved for the calling thread on this stream runs here first.
     */
    public void synchronize() throws BackendException {
        Claim c = CLAIM.get();
        if (c.stream == this) runReserved(c);
        long target = submitted;
        if (completed < target) {
            for (int i = 0; i < SPINS && completed < target; i++) Thread.onSpinWait();
            if (completed < target) {
                boolean interrupted = false;
                synchronized (lock) {
                    waiters++;
                    try {
                        while (completed < target) {
                            try {
                                lock.wait();
                            } catch (InterruptedException e) {
                                interrupted = true;
                            }
                        }
                    } finally {
                        waiters--;
                    }
                }
                if (interrupted) Thread.currentThread().interrupt();
            }
        }
        if (failure != null) {
            BackendException f;
            synchronized (lock) {
                f = failure;
                failure = null;
            }
            if (f != null) throw f;
        }
    }

    public boolean isIdle() {
        return completed == submitted;
    }

    /** The failure the next {@link #synchronize()} will throw, or null; does not clear it. */
    public BackendException pendingFailure() {
        return failure;
    }

    /** Drops work that has not started, waits for the running item, and ends the thread. Idempotent. */
    public void abort() {
        aborted = true;
        close();
    }

    /** Lets queued work finish, then ends the thread. Idempotent. */
    @Override
    public void close() {
        Thread t;
        synchronized (producers) {
            closed = true;
            t = thread;
        }
        if (t != null) LockSupport.unpark(t);
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
