package org.transcuda.launcher.nativeabi;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.CudaContext;
import org.transcuda.cuda.CudaException;

/** The opaque {@code CUcontext} handles native programs hold, and the contexts behind them. */
final class Contexts {
    /** Handles look like aligned pointers in a range no allocator uses, which helps when reading traces. */
    private static final long BASE = 0x7c0de0000000L;
    private final Map<Long, CudaContext> byHandle = new ConcurrentHashMap<>();
    private final Map<CudaContext, Long> byContext = new IdentityHashMap<>();
    /** Handles of destroyed contexts (handles are never reused): CUDA reports them as destroyed, not invalid. */
    private final java.util.Set<Long> destroyed = ConcurrentHashMap.newKeySet();
    private long next = 1;

    /** The handle of {@code context}, made on first sight; 0 for null. */
    synchronized long handle(CudaContext context) {
        if (context == null) return 0;
        Long h = byContext.get(context);
        if (h == null) {
            h = BASE + 16 * next++;
            byContext.put(context, h);
            byHandle.put(h, context);
        }
        return h;
    }

    CudaContext context(long handle) throws CudaException {
        CudaContext c = handle == 0 ? null : byHandle.get(handle);
        if (c == null && destroyed.contains(handle)) {
            throw new CudaException(CUresult.CUDA_ERROR_CONTEXT_IS_DESTROYED,
                    "0x" + Long.toHexString(handle) + " is a destroyed context");
        }
        if (c == null) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_CONTEXT,
                    "0x" + Long.toHexString(handle) + " is not a live context");
        }
        return c;
    }

    /** {@code handle}'s context was destroyed: later uses of the handle are CUDA_ERROR_CONTEXT_IS_DESTROYED. */
    synchronized void forget(long handle) {
        CudaContext c = byHandle.remove(handle);
        if (c != null) {
            byContext.remove(c);
            destroyed.add(handle);
        }
    }
}
