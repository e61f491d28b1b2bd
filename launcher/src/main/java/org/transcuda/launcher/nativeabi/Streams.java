package org.transcuda.launcher.nativeabi;

import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.CudaContext;
import org.transcuda.cuda.CudaEvent;
import org.transcuda.cuda.CudaException;
import org.transcuda.cuda.CudaStream;

/**
 * The {@code cudaStream_t}/{@code CUstream} and {@code cudaEvent_t}/{@code CUevent} handles of native programs
 * (one table for both APIs, as the runtime's and the driver's handles are the same objects in CUDA). The null
 * stream, {@code cudaStreamLegacy} (1) and {@code cudaStreamPerThread} (2) are the context's special streams
 * ({@link CudaContext#specialStream}: the legacy default stream with its implicit synchronization, and the calling
 * thread's per-thread default stream).
 */
final class Streams {
    record Stream(CudaContext context, CudaStream stream) {
    }

    record Event(CudaContext context, CudaEvent event) {
    }

    private final Handles<Stream> streams = new Handles<>(0x7c0de1000000L);
    private final Handles<Event> events = new Handles<>(0x7c0de2000000L);

    static boolean isDefault(long handle) {
        return handle == 0 || handle == 1 || handle == 2;
    }

    long add(CudaContext context, CudaStream stream) {
        return streams.add(new Stream(context, stream));
    }

    /** The stream a handle names in {@code context}; CUDA_ERROR_INVALID_HANDLE for unknown handles. */
    CudaStream stream(CudaContext context, long handle) throws CudaException {
        if (isDefault(handle)) return context.specialStream(handle);
        Stream s = streams.get(handle);
        if (s == null) throw invalidHandle("stream", handle);
        if (s.context() != context) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_HANDLE,
                    "stream 0x" + Long.toHexString(handle) + " belongs to another context");
        }
        return s.stream();
    }

    /** The stream entry of a non-default handle (for operations that take its own context). */
    Stream entry(long handle) throws CudaException {
        Stream s = streams.get(handle);
        if (s == null) throw invalidHandle("stream", handle);
        return s;
    }

    void destroy(long handle) throws CudaException {
        if (isDefault(handle)) throw invalidHandle("stream", handle);
        Stream s = streams.remove(handle);
        if (s == null) throw invalidHandle("stream", handle);
        s.stream().close();
    }

    long addEvent(CudaContext context, CudaEvent event) {
        return events.add(new Event(context, event));
    }

    Event event(long handle) throws CudaException {
        Event e = events.get(handle);
        if (e == null) throw invalidHandle("event", handle);
        return e;
    }

    void destroyEvent(long handle) throws CudaException {
        Event e = events.remove(handle);
        if (e == null) throw invalidHandle("event", handle);
        e.event().close();
    }

    static CudaException invalidHandle(String what, long handle) {
        return new CudaException(CUresult.CUDA_ERROR_INVALID_HANDLE,
                "0x" + Long.toHexString(handle) + " is not a live " + what);
    }
}
