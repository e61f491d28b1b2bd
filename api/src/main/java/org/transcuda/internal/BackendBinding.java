package org.transcuda.internal;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.CudaException;
import org.transcuda.spi.Backend;
import org.transcuda.spi.BackendException;

/**
 * One registered backend service as the front end sees it, and the lease every call into it takes.
 *
 * <p>Calls run under the read side of a lock; {@link #revoke} (the backend service is going away) first
 * marks the binding revoked so that no new call enters, waits for in-flight calls to drain (bounded), then
 * closes every context created through it, which releases the backend's resources. Calls after that fail
 * with CUDA_ERROR_DEVICE_UNAVAILABLE.
 */
final class BackendBinding {
    private static final Logger LOG = LogManager.getLogger(BackendBinding.class);

    /** One operation on the backend. */
    @FunctionalInterface
    interface Call<T> {
        T run() throws BackendException, CudaException;
    }

    final Backend backend;
    final String id;
    final int ranking;
    final long serviceId;
    final String bundle;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock(true);
    private final Set<ContextImpl> contexts = ConcurrentHashMap.newKeySet();
    private volatile boolean revoked;

    BackendBinding(Backend backend, Map<String, ?> properties, String bundle) {
        this.backend = backend;
        this.id = backend.info().id();
        Object r = properties.get("service.ranking");
        this.ranking = r instanceof Integer i ? i : 0;
        Object sid = properties.get("service.id");
        this.serviceId = sid instanceof Long l ? l : -1L;
        this.bundle = bundle;
    }

    boolean isRevoked() {
        return revoked;
    }

    CudaException unavailable() {
        return new CudaException(CUresult.CUDA_ERROR_DEVICE_UNAVAILABLE,
                "backend '" + id + "' (" + bundle + ") was removed from the platform");
    }

    /** Runs {@code call} under the lease, translating backend failures into CUDA errors. */
    <T> T call(Call<T> call) throws CudaException {
        if (revoked) throw unavailable();
        Lock read = lock.readLock();
        read.lock();
        try {
            if (revoked) throw unavailable();
            return call.run();
        } catch (BackendException e) {
            if (revoked) throw unavailable();
            throw new CudaException(e.result(), e.getMessage(), e);
        } catch (RuntimeException | LinkageError e) {
            // A backend bug or a bundle torn down under us: never crash the caller.
            if (revoked) throw unavailable();
            LOG.error("backend '{}' failed unexpectedly", id, e);
            throw new CudaException(CUresult.CUDA_ERROR_UNKNOWN, "backend '" + id + "' failed: " + e, e);
        } finally {
            read.unlock();
        }
    }

    void register(ContextImpl context) throws CudaException {
        contexts.add(context);
        if (revoked) {
            contexts.remove(context);
            throw unavailable();
        }
    }

    void unregister(ContextImpl context) {
        contexts.remove(context);
    }

    int liveContexts() {
        return contexts.size();
    }

    /**
     * The backend service is going away: refuse new calls, let in-flight ones finish for up to
     * {@code drainMillis}, then release every context's backend resources.
     */
    void revoke(long drainMillis) {
        revoked = true;
        Lock write = lock.writeLock();
        boolean drained = false;
        try {
            drained = write.tryLock(drainMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (!drained) {
                LOG.warn("backend '{}' is going away with calls still running after {} ms; closing its contexts",
                        id, drainMillis);
            }
            for (ContextImpl c : contexts) {
                c.releaseBackend();
            }
            contexts.clear();
        } finally {
            if (drained) write.unlock();
        }
    }
}
