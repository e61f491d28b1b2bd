package org.transcuda.internal;

import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.transcuda.cuda.CUdevice_attribute;
import org.transcuda.cuda.CUfunction_attribute;
import org.transcuda.cuda.CUlimit;
import org.transcuda.cuda.CudaEvent;
import org.transcuda.cuda.CudaFunction;
import org.transcuda.cuda.CudaStream;
import org.transcuda.cuda.DeviceProp;
import org.transcuda.cuda.FuncAttributes;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.Cuda;
import org.transcuda.cuda.CudaContext;
import org.transcuda.cuda.CudaDevice;
import org.transcuda.cuda.CudaException;
import org.transcuda.cuda.CudaRuntime;
import org.transcuda.cuda.CudaRuntimeException;
import org.transcuda.cuda.PointerAttributes;
import org.transcuda.cuda.cudaError;

/**
 * The runtime layer over the driver layer: per-thread current device and last error, primary contexts
 * retained on first use of a device (one retain held for the process, released by cudaDeviceReset).
 */
@Component(service = CudaRuntime.class)
public final class RuntimeImpl implements CudaRuntime {
    @Reference
    private Cuda cuda;

    private final ThreadLocal<int[]> currentDevice = ThreadLocal.withInitial(() -> new int[] {0});
    private final ThreadLocal<cudaError[]> lastError = ThreadLocal.withInitial(() -> new cudaError[] {cudaError.cudaSuccess});
    private final Map<Integer, CudaContext> primaries = new ConcurrentHashMap<>();

    /** For tests outside a framework. */
    RuntimeImpl(Cuda cuda) {
        this.cuda = cuda;
    }

    public RuntimeImpl() {
    }

    @FunctionalInterface
    interface Op<T> {
        T run() throws CudaException, CudaRuntimeException;
    }

    private <T> T api(Op<T> op) throws CudaRuntimeException {
        try {
            return op.run();
        } catch (CudaException e) {
            CudaRuntimeException r = new CudaRuntimeException(CudaRuntimeException.map(e.result()), e.getMessage(), e);
            lastError.get()[0] = r.error();
            throw r;
        } catch (CudaRuntimeException e) {
            lastError.get()[0] = e.error();
            throw e;
        }
    }

    private static CudaRuntimeException error(cudaError e, String message) {
        return new CudaRuntimeException(e, message, null);
    }

    /**
     * The context of runtime calls on this thread: the driver context current on the thread, unless it is a
     * primary context destroyed by a reset; else the current device's primary context (retained once for the
     * process on first use), which becomes current on the thread, as in CUDA.
     */
    CudaContext context() throws CudaException, CudaRuntimeException {
        java.util.Optional<CudaContext> current = cuda.currentContext();
        if (current.isPresent() && !(current.get() instanceof ContextImpl c && c.primary && c.isDestroyed())) {
            return current.get();
        }
        CudaContext p = primary(currentDevice.get()[0]);
        cuda.setCurrentContext(p);
        return p;
    }

    private CudaContext primary(int d) throws CudaException, CudaRuntimeException {
        CudaContext c = primaries.get(d);
        if (c == null || c instanceof ContextImpl i && i.isDestroyed()) {
            synchronized (primaries) {
                c = primaries.get(d);
                if (c == null || c instanceof ContextImpl i && i.isDestroyed()) {
                    c = device(d).retainPrimaryContext();
                    primaries.put(d, c);
                }
            }
        }
        return c;
    }

    @Override
    public CudaContext currentContext() throws CudaRuntimeException {
        return api(this::context);
    }

    private CudaDevice device(int ordinal) throws CudaException, CudaRuntimeException {
        int count = cuda.deviceCount();
        if (ordinal < 0 || ordinal >= count) {
            throw error(cudaError.cudaErrorInvalidDevice, "device " + ordinal + " of " + count);
        }
        return cuda.device(ordinal);
    }

    @Override
    public int getDeviceCount() throws CudaRuntimeException {
        return api(cuda::deviceCount);
    }

    /** cudaSetDevice: the device's primary context is initialized and becomes current on the thread. */
    @Override
    public void setDevice(int device) throws CudaRuntimeException {
        api(() -> {
            device(device);
            currentDevice.get()[0] = device;
            cuda.setCurrentContext(primary(device));
            return null;
        });
    }

    /** cudaGetDevice: the device of the thread's current context, if one is current, else the device last set. */
    @Override
    public int getDevice() throws CudaRuntimeException {
        java.util.Optional<CudaContext> current = cuda.currentContext();
        if (current.isPresent() && !(current.get() instanceof ContextImpl c && c.isDestroyed())) {
            return current.get().device().ordinal();
        }
        return currentDevice.get()[0];
    }

    @Override
    public int deviceGetAttribute(CUdevice_attribute attribute, int device) throws CudaRuntimeException {
        return api(() -> device(device).attribute(attribute));
    }

    @Override
    public void deviceSynchronize() throws CudaRuntimeException {
        api(() -> {
            context().synchronize();
            return null;
        });
    }

    @Override
    public void deviceReset() throws CudaRuntimeException {
        api(() -> {
            int d = getDevice();
            synchronized (primaries) {
                primaries.remove(d);
                device(d).resetPrimaryContext();
            }
            return null;
        });
    }

    @Override
    public long malloc(long size) throws CudaRuntimeException {
        return api(() -> {
            if (size == 0) return 0L;
            return context().malloc(size);
        });
    }

    @Override
    public void free(long devicePointer) throws CudaRuntimeException {
        api(() -> {
            CudaContext c = context();
            if (devicePointer != 0) c.free(devicePointer);
            return null;
        });
    }

    @Override
    public long mallocHost(long size) throws CudaRuntimeException {
        return api(() -> context().mallocHost(size).address());
    }

    @Override
    public void freeHost(long hostPointer) throws CudaRuntimeException {
        api(() -> {
            if (hostPointer != 0) context().freeHost(MemorySegment.ofAddress(hostPointer));
            return null;
        });
    }

    private boolean isDevice(CudaContext c, long pointer) throws CudaException {
        try {
            return c.pointerAttributes(pointer).memoryType() == PointerAttributes.MemoryType.DEVICE;
        } catch (CudaException e) {
            if (e.result() == CUresult.CUDA_ERROR_NOT_FOUND) return false;
            throw e;
        }
    }

    @Override
    public void memcpy(long dst, long src, long count, int kind) throws CudaRuntimeException {
        api(() -> {
            if (count == 0) return null;
            CudaContext c = context();
            int k = kind;
            if (k == DEFAULT) {
                boolean d = isDevice(c, dst);
                boolean s = isDevice(c, src);
                k = s ? (d ? DEVICE_TO_DEVICE : DEVICE_TO_HOST) : (d ? HOST_TO_DEVICE : HOST_TO_HOST);
            }
            switch (k) {
                case HOST_TO_HOST -> MemorySegment.copy(MemorySegment.ofAddress(src).reinterpret(count), 0,
                        MemorySegment.ofAddress(dst).reinterpret(count), 0, count);
                case HOST_TO_DEVICE -> c.memcpyHtoD(dst, MemorySegment.ofAddress(src).reinterpret(count));
                case DEVICE_TO_HOST -> c.memcpyDtoH(MemorySegment.ofAddress(dst).reinterpret(count), src);
                case DEVICE_TO_DEVICE -> c.memcpyDtoD(dst, src, count);
                default -> throw error(cudaError.cudaErrorInvalidMemcpyDirection, "kind " + kind);
            }
            return null;
        });
    }

    @Override
    public void memset(long devicePointer, int value, long count) throws CudaRuntimeException {
        api(() -> {
            context().memsetD8(devicePointer, (byte) value, count);
            return null;
        });
    }

    @Override
    public long[] memGetInfo() throws CudaRuntimeException {
        return api(() -> context().memoryInfo());
    }

    /** The sticky error of the thread's current context (a fault corrupted it), if any. */
    private java.util.Optional<cudaError> sticky() {
        return cuda.currentContext().filter(c -> c instanceof ContextImpl i && !i.isDestroyed())
                .flatMap(c -> ((ContextImpl) c).stickyError()).map(CudaRuntimeException::map);
    }

    /**
     * Returns the calling thread's last error and resets it, except a sticky error: after a fault the
     * context's error is returned by every call, this one included, until cudaDeviceReset.
     */
    @Override
    public cudaError getLastError() {
        cudaError[] e = lastError.get();
        java.util.Optional<cudaError> s = sticky();
        if (s.isPresent()) {
            e[0] = s.get();
            return s.get();
        }
        cudaError r = e[0];
        e[0] = cudaError.cudaSuccess;
        return r;
    }

    @Override
    public cudaError peekAtLastError() {
        return sticky().orElse(lastError.get()[0]);
    }

    @Override
    public String getErrorName(int code) {
        return cudaError.of(code).map(Enum::name).orElse("unrecognized error code");
    }

    @Override
    public String getErrorString(int code) {
        return cudaError.of(code).map(cudaError::message).orElse("unrecognized error code");
    }

    @Override
    public int runtimeGetVersion() {
        return 13000;
    }

    @Override
    public int driverGetVersion() {
        return cuda.driverVersion();
    }

    // ---- more memory, peers and devices ----

    @Override
    public long hostAlloc(long size, int flags) throws CudaRuntimeException {
        return api(() -> context().mallocHost(size, flags).address());
    }

    @Override
    public long hostGetDevicePointer(long hostPointer, int flags) throws CudaRuntimeException {
        return api(() -> context().hostDevicePointer(hostPointer, flags));
    }

    @Override
    public int hostGetFlags(long hostPointer) throws CudaRuntimeException {
        return api(() -> context().hostFlags(hostPointer));
    }

    @Override
    public void hostRegister(long hostPointer, long size, int flags) throws CudaRuntimeException {
        api(() -> {
            if (hostPointer == 0 || size <= 0) throw error(cudaError.cudaErrorInvalidValue, "null or empty range");
            context().registerHost(MemorySegment.ofAddress(hostPointer).reinterpret(size), flags);
            return null;
        });
    }

    @Override
    public void hostUnregister(long hostPointer) throws CudaRuntimeException {
        api(() -> {
            context().unregisterHost(MemorySegment.ofAddress(hostPointer));
            return null;
        });
    }

    @Override
    public void memset2D(long devicePointer, long pitch, int value, long widthBytes, long height)
            throws CudaRuntimeException {
        api(() -> {
            context().memsetD2D(devicePointer, pitch, value & 0xff, 1, widthBytes, height);
            return null;
        });
    }

    @Override
    public void memset2DAsync(long devicePointer, long pitch, int value, long widthBytes, long height,
            CudaStream stream) throws CudaRuntimeException {
        api(() -> {
            orDefault(stream).memsetD2DAsync(devicePointer, pitch, value & 0xff, 1, widthBytes, height);
            return null;
        });
    }

    @Override
    public void memcpyPeer(long dst, int dstDevice, long src, int srcDevice, long count) throws CudaRuntimeException {
        api(() -> {
            primary(dstDevice).memcpyPeer(dst, src, primary(srcDevice), count);
            return null;
        });
    }

    @Override
    public void memcpyPeerAsync(long dst, int dstDevice, long src, int srcDevice, long count, CudaStream stream)
            throws CudaRuntimeException {
        api(() -> {
            CudaStream s = stream != null ? stream : primary(dstDevice).defaultStream();
            s.memcpyPeerAsync(dst, src, primary(srcDevice), count);
            return null;
        });
    }

    @Override
    public void memAdvise(long devicePointer, long count, int advice, int device) throws CudaRuntimeException {
        api(() -> {
            context().memAdvise(devicePointer, count, advice, device);
            return null;
        });
    }

    @Override
    public void memPrefetchAsync(long devicePointer, long count, int device, CudaStream stream)
            throws CudaRuntimeException {
        api(() -> {
            orDefault(stream).prefetchAsync(devicePointer, count, device);
            return null;
        });
    }

    @Override
    public boolean deviceCanAccessPeer(int device, int peerDevice) throws CudaRuntimeException {
        return api(() -> device(device).canAccessPeer(device(peerDevice)));
    }

    @Override
    public void deviceEnablePeerAccess(int peerDevice, int flags) throws CudaRuntimeException {
        api(() -> {
            context().enablePeerAccess(primary(peerDevice), flags);
            return null;
        });
    }

    @Override
    public void deviceDisablePeerAccess(int peerDevice) throws CudaRuntimeException {
        api(() -> {
            context().disablePeerAccess(primary(peerDevice));
            return null;
        });
    }

    @Override
    public int deviceGetP2PAttribute(int attribute, int srcDevice, int dstDevice) throws CudaRuntimeException {
        return api(() -> device(srcDevice).p2pAttribute(attribute, device(dstDevice)));
    }

    @Override
    public String deviceGetPCIBusId(int device) throws CudaRuntimeException {
        return api(() -> device(device).pciBusId());
    }

    @Override
    public int deviceGetByPCIBusId(String busId) throws CudaRuntimeException {
        return api(() -> cuda.deviceByPciBusId(busId).ordinal());
    }

    @Override
    public void initDevice(int device, int deviceFlags, int flags) throws CudaRuntimeException {
        api(() -> {
            if (flags != 0) throw error(cudaError.cudaErrorInvalidValue, "cudaInitDevice flags must be 0");
            primary(device);
            return null;
        });
    }

    @Override
    public int deviceGetCacheConfig() throws CudaRuntimeException {
        return api(() -> context().cacheConfig());
    }

    @Override
    public void deviceSetCacheConfig(int config) throws CudaRuntimeException {
        api(() -> {
            context().setCacheConfig(config);
            return null;
        });
    }

    @Override
    public long streamGetId(CudaStream stream) throws CudaRuntimeException {
        return api(() -> orDefault(stream).id());
    }

    @Override
    public int streamGetDevice(CudaStream stream) throws CudaRuntimeException {
        return api(() -> orDefault(stream).device().ordinal());
    }

    @Override
    public int streamIsCapturing(CudaStream stream) throws CudaRuntimeException {
        return api(() -> orDefault(stream).captureStatus());
    }

    @Override
    public void eventRecordWithFlags(CudaEvent event, CudaStream stream, int flags) throws CudaRuntimeException {
        api(() -> {
            if (event == null) throw error(cudaError.cudaErrorInvalidResourceHandle, "no event");
            event.record(orDefault(stream), flags);
            return null;
        });
    }

    // ---- devices and contexts ----

    @Override
    public DeviceProp getDeviceProperties(int device) throws CudaRuntimeException {
        return api(() -> {
            CudaDevice d = device(device);
            java.util.Map<CUdevice_attribute, Integer> values = new java.util.EnumMap<>(CUdevice_attribute.class);
            for (CUdevice_attribute a : CUdevice_attribute.values()) values.put(a, d.attribute(a));
            return new DeviceProp(d.name(), d.uuid(), d.totalMemory(), values);
        });
    }

    @Override
    public long deviceGetLimit(CUlimit limit) throws CudaRuntimeException {
        return api(() -> {
            // CUDA 13 (an H100 with driver 580) reads driver limits beyond cudaLimit's names too
            if (limit == null) throw error(cudaError.cudaErrorInvalidValue, "no limit");
            return context().limit(limit);
        });
    }

    @Override
    public void deviceSetLimit(CUlimit limit, long value) throws CudaRuntimeException {
        api(() -> {
            if (limit == null || limit.code() > CUlimit.CU_LIMIT_PERSISTING_L2_CACHE_SIZE.code()) {
                throw error(cudaError.cudaErrorUnsupportedLimit, "limit " + limit);
            }
            context().setLimit(limit, value);
            return null;
        });
    }

    // ---- streams and events ----

    private CudaStream orDefault(CudaStream stream) throws CudaException, CudaRuntimeException {
        return stream != null ? stream : context().defaultStream();
    }

    @Override
    public CudaStream stream(long handle) throws CudaRuntimeException {
        return api(() -> context().specialStream(handle));
    }

    @Override
    public CudaStream streamCreate(int flags) throws CudaRuntimeException {
        return api(() -> context().createStream(flags));
    }

    @Override
    public CudaStream streamCreateWithPriority(int flags, int priority) throws CudaRuntimeException {
        return api(() -> context().createStream(flags, priority));
    }

    @Override
    public int[] deviceGetStreamPriorityRange() throws CudaRuntimeException {
        return api(() -> context().streamPriorityRange());
    }

    @Override
    public int streamGetPriority(CudaStream stream) throws CudaRuntimeException {
        return api(() -> orDefault(stream).priority());
    }

    @Override
    public int streamGetFlags(CudaStream stream) throws CudaRuntimeException {
        return api(() -> orDefault(stream).flags());
    }

    @Override
    public void streamDestroy(CudaStream stream) throws CudaRuntimeException {
        api(() -> {
            if (stream == null) throw error(cudaError.cudaErrorInvalidResourceHandle, "the default stream");
            stream.close();
            return null;
        });
    }

    @Override
    public void streamSynchronize(CudaStream stream) throws CudaRuntimeException {
        api(() -> {
            orDefault(stream).synchronize();
            return null;
        });
    }

    @Override
    public boolean streamQuery(CudaStream stream) throws CudaRuntimeException {
        return api(() -> orDefault(stream).query());
    }

    @Override
    public void streamWaitEvent(CudaStream stream, CudaEvent event) throws CudaRuntimeException {
        api(() -> {
            if (event == null) throw error(cudaError.cudaErrorInvalidResourceHandle, "no event");
            orDefault(stream).waitEvent(event);
            return null;
        });
    }

    @Override
    public void launchHostFunc(CudaStream stream, Runnable function) throws CudaRuntimeException {
        api(() -> {
            orDefault(stream).launchHostFunc(function);
            return null;
        });
    }

    @Override
    public void streamAddCallback(CudaStream stream, CudaStream.Callback callback) throws CudaRuntimeException {
        api(() -> {
            orDefault(stream).addCallback(callback);
            return null;
        });
    }

    @Override
    public CudaEvent eventCreate(int flags) throws CudaRuntimeException {
        return api(() -> context().createEvent(flags));
    }

    @Override
    public void eventRecord(CudaEvent event, CudaStream stream) throws CudaRuntimeException {
        api(() -> {
            if (event == null) throw error(cudaError.cudaErrorInvalidResourceHandle, "no event");
            event.record(orDefault(stream));
            return null;
        });
    }

    @Override
    public void eventSynchronize(CudaEvent event) throws CudaRuntimeException {
        api(() -> {
            if (event == null) throw error(cudaError.cudaErrorInvalidResourceHandle, "no event");
            event.synchronize();
            return null;
        });
    }

    @Override
    public boolean eventQuery(CudaEvent event) throws CudaRuntimeException {
        return api(() -> {
            if (event == null) throw error(cudaError.cudaErrorInvalidResourceHandle, "no event");
            return event.query();
        });
    }

    @Override
    public float eventElapsedTime(CudaEvent start, CudaEvent end) throws CudaRuntimeException {
        return api(() -> {
            if (start == null || end == null) throw error(cudaError.cudaErrorInvalidResourceHandle, "no event");
            return end.elapsedTimeSince(start);
        });
    }

    @Override
    public void eventDestroy(CudaEvent event) throws CudaRuntimeException {
        api(() -> {
            if (event == null) throw error(cudaError.cudaErrorInvalidResourceHandle, "no event");
            event.close();
            return null;
        });
    }

    // ---- memory ----

    /** The direction of a copy: {@code kind}, or inferred from the pointers for cudaMemcpyDefault. */
    private int direction(CudaContext c, long dst, long src, int kind) throws CudaException, CudaRuntimeException {
        if (kind == DEFAULT) {
            boolean d = isDevice(c, dst);
            boolean s = isDevice(c, src);
            return s ? (d ? DEVICE_TO_DEVICE : DEVICE_TO_HOST) : (d ? HOST_TO_DEVICE : HOST_TO_HOST);
        }
        if (kind < HOST_TO_HOST || kind > DEFAULT) {
            throw error(cudaError.cudaErrorInvalidMemcpyDirection, "kind " + kind);
        }
        return kind;
    }

    private static MemorySegment host(long address, long bytes) {
        return MemorySegment.ofAddress(address).reinterpret(bytes);
    }

    @Override
    public void memcpyAsync(long dst, long src, long count, int kind, CudaStream stream) throws CudaRuntimeException {
        api(() -> {
            CudaContext c = context();
            int k = direction(c, dst, src, kind);
            if (count == 0) return null;
            CudaStream s = orDefault(stream);
            switch (k) {
                case HOST_TO_HOST -> s.memcpy2DAsync(host(dst, count), 0, count, host(src, count), 0, count, count, 1);
                case HOST_TO_DEVICE -> s.memcpyHtoDAsync(dst, host(src, count));
                case DEVICE_TO_HOST -> s.memcpyDtoHAsync(host(dst, count), src);
                default -> s.memcpyDtoDAsync(dst, src, count);
            }
            return null;
        });
    }

    @Override
    public void memsetAsync(long devicePointer, int value, long count, CudaStream stream) throws CudaRuntimeException {
        api(() -> {
            orDefault(stream).memsetAsync(devicePointer, value & 0xff, 1, count);
            return null;
        });
    }

    @Override
    public long[] mallocPitch(long widthBytes, long height) throws CudaRuntimeException {
        return api(() -> {
            org.transcuda.cuda.Pitched p = context().mallocPitch(widthBytes, height, 4);
            return new long[] {p.pointer(), p.pitch()};
        });
    }

    private org.transcuda.cuda.Memcpy3D copy3D(CudaContext c, PitchedPtr dst, long[] dstPos, PitchedPtr src,
            long[] srcPos, long[] extent, int kind) throws CudaException, CudaRuntimeException {
        if (dst == null || src == null || dstPos == null || srcPos == null || extent == null || dstPos.length != 3
                || srcPos.length != 3 || extent.length != 3) {
            throw error(cudaError.cudaErrorInvalidValue, "a pitched pointer, position or extent is missing");
        }
        if (Long.compareUnsigned(src.pitch(), extent[0]) < 0 || Long.compareUnsigned(dst.pitch(), extent[0]) < 0) {
            // CUDA 13 reports a pitch shorter than the rows copied as an invalid pitch, not an invalid value.
            throw error(cudaError.cudaErrorInvalidPitchValue, "pitch " + Long.toUnsignedString(src.pitch()) + " -> "
                    + Long.toUnsignedString(dst.pitch()) + " for rows of " + Long.toUnsignedString(extent[0])
                    + " bytes");
        }
        int k = direction(c, dst.ptr(), src.ptr(), kind);
        boolean hostSrc = k == HOST_TO_HOST || k == HOST_TO_DEVICE;
        boolean hostDst = k == HOST_TO_HOST || k == DEVICE_TO_HOST;
        long w = extent[0], h = extent[1], d = extent[2];
        // Host sides: the segment spans exactly the rows the copy touches.
        long srcEnd = ((srcPos[2] + Math.max(d, 1) - 1) * src.ysize() + srcPos[1] + Math.max(h, 1) - 1) * src.pitch()
                + srcPos[0] + w;
        long dstEnd = ((dstPos[2] + Math.max(d, 1) - 1) * dst.ysize() + dstPos[1] + Math.max(h, 1) - 1) * dst.pitch()
                + dstPos[0] + w;
        return new org.transcuda.cuda.Memcpy3D(srcPos[0], srcPos[1], srcPos[2],
                hostSrc ? host(src.ptr(), Math.max(0, srcEnd)) : null, src.ptr(), src.pitch(), src.ysize(),
                dstPos[0], dstPos[1], dstPos[2], hostDst ? host(dst.ptr(), Math.max(0, dstEnd)) : null, dst.ptr(),
                dst.pitch(), dst.ysize(), w, h, d);
    }

    @Override
    public void memcpy3D(PitchedPtr dst, long[] dstPos, PitchedPtr src, long[] srcPos, long[] extent, int kind)
            throws CudaRuntimeException {
        api(() -> {
            CudaContext c = context();
            c.memcpy3D(copy3D(c, dst, dstPos, src, srcPos, extent, kind));
            return null;
        });
    }

    @Override
    public void memcpy3DAsync(PitchedPtr dst, long[] dstPos, PitchedPtr src, long[] srcPos, long[] extent, int kind,
            CudaStream stream) throws CudaRuntimeException {
        api(() -> {
            CudaContext c = context();
            orDefault(stream).memcpy3DAsync(copy3D(c, dst, dstPos, src, srcPos, extent, kind));
            return null;
        });
    }

    @Override
    public void memcpy2D(long dst, long dpitch, long src, long spitch, long widthBytes, long height, int kind)
            throws CudaRuntimeException {
        memcpy3D(new PitchedPtr(dst, dpitch, widthBytes, height), new long[3], new PitchedPtr(src, spitch, widthBytes,
                height), new long[3], new long[] {widthBytes, height, 1}, kind);
    }

    @Override
    public void memcpy2DAsync(long dst, long dpitch, long src, long spitch, long widthBytes, long height, int kind,
            CudaStream stream) throws CudaRuntimeException {
        memcpy3DAsync(new PitchedPtr(dst, dpitch, widthBytes, height), new long[3], new PitchedPtr(src, spitch,
                widthBytes, height), new long[3], new long[] {widthBytes, height, 1}, kind, stream);
    }

    @Override
    public PitchedPtr malloc3D(long widthBytes, long height, long depth) throws CudaRuntimeException {
        return api(() -> {
            if (widthBytes <= 0 || height <= 0 || depth <= 0) {
                throw error(cudaError.cudaErrorInvalidValue, "extent " + widthBytes + "x" + height + "x" + depth);
            }
            org.transcuda.cuda.Pitched p = context().mallocPitch(widthBytes, Math.multiplyExact(height, depth), 4);
            return new PitchedPtr(p.pointer(), p.pitch(), widthBytes, height);
        });
    }

    private static void checkExtent(PitchedPtr ptr, long[] extent) throws CudaRuntimeException {
        if (ptr == null || extent == null || extent.length != 3 || extent[0] < 0 || extent[1] < 0 || extent[2] < 0
                || extent[0] > ptr.pitch() || (extent[2] > 1 && extent[1] > ptr.ysize())) {
            throw error(cudaError.cudaErrorInvalidValue, "extent does not fit the pitched pointer");
        }
    }

    @Override
    public void memset3D(PitchedPtr ptr, int value, long[] extent) throws CudaRuntimeException {
        api(() -> {
            checkExtent(ptr, extent);
            CudaContext c = context();
            for (long z = 0; z < extent[2]; z++) {
                c.memsetD2D(ptr.ptr() + z * ptr.ysize() * ptr.pitch(), ptr.pitch(), value & 0xff, 1, extent[0], extent[1]);
            }
            return null;
        });
    }

    @Override
    public void memset3DAsync(PitchedPtr ptr, int value, long[] extent, CudaStream stream) throws CudaRuntimeException {
        api(() -> {
            checkExtent(ptr, extent);
            CudaStream s = orDefault(stream);
            for (long z = 0; z < extent[2]; z++) {
                s.memsetD2DAsync(ptr.ptr() + z * ptr.ysize() * ptr.pitch(), ptr.pitch(), value & 0xff, 1, extent[0],
                        extent[1]);
            }
            return null;
        });
    }

    @Override
    public long mallocManaged(long size, int flags) throws CudaRuntimeException {
        return api(() -> context().mallocManaged(size, flags));
    }

    @Override
    public long mallocAsync(long size, CudaStream stream) throws CudaRuntimeException {
        return api(() -> orDefault(stream).mallocAsync(size));
    }

    @Override
    public void freeAsync(long devicePointer, CudaStream stream) throws CudaRuntimeException {
        api(() -> {
            orDefault(stream).freeAsync(devicePointer);
            return null;
        });
    }

    @Override
    public PointerAttributes pointerGetAttributes(long pointer) throws CudaRuntimeException {
        return api(() -> {
            try {
                return context().pointerAttributes(pointer);
            } catch (CudaException e) {
                if (e.result() != CUresult.CUDA_ERROR_NOT_FOUND) throw e;
                // Since CUDA 11, memory the runtime does not know is unregistered host memory, not an error.
                return new PointerAttributes(PointerAttributes.MemoryType.UNREGISTERED, -1, 0, 0, 0);
            }
        });
    }

    // ---- functions and launches ----

    @Override
    public FuncAttributes funcGetAttributes(CudaFunction f) throws CudaRuntimeException {
        return api(() -> {
            if (f == null) throw error(cudaError.cudaErrorInvalidDeviceFunction, "no function");
            return new FuncAttributes(f.attribute(CUfunction_attribute.CU_FUNC_ATTRIBUTE_SHARED_SIZE_BYTES),
                    f.attribute(CUfunction_attribute.CU_FUNC_ATTRIBUTE_CONST_SIZE_BYTES),
                    f.attribute(CUfunction_attribute.CU_FUNC_ATTRIBUTE_LOCAL_SIZE_BYTES),
                    f.attribute(CUfunction_attribute.CU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK),
                    f.attribute(CUfunction_attribute.CU_FUNC_ATTRIBUTE_NUM_REGS),
                    f.attribute(CUfunction_attribute.CU_FUNC_ATTRIBUTE_PTX_VERSION),
                    f.attribute(CUfunction_attribute.CU_FUNC_ATTRIBUTE_BINARY_VERSION),
                    f.attribute(CUfunction_attribute.CU_FUNC_ATTRIBUTE_CACHE_MODE_CA),
                    f.attribute(CUfunction_attribute.CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES),
                    f.attribute(CUfunction_attribute.CU_FUNC_ATTRIBUTE_PREFERRED_SHARED_MEMORY_CARVEOUT));
        });
    }

    @Override
    public void funcSetAttribute(CudaFunction f, CUfunction_attribute attribute, int value) throws CudaRuntimeException {
        api(() -> {
            if (f == null) throw error(cudaError.cudaErrorInvalidDeviceFunction, "no function");
            f.setAttribute(attribute, value);
            return null;
        });
    }

    @Override
    public void funcSetCacheConfig(CudaFunction f, int config) throws CudaRuntimeException {
        api(() -> {
            if (f == null) throw error(cudaError.cudaErrorInvalidDeviceFunction, "no function");
            f.setCacheConfig(config);
            return null;
        });
    }

    @Override
    public int occupancyMaxActiveBlocksPerMultiprocessor(CudaFunction f, int blockSize, long dynamicSharedBytes)
            throws CudaRuntimeException {
        return api(() -> {
            if (f == null) throw error(cudaError.cudaErrorInvalidDeviceFunction, "no function");
            return f.maxActiveBlocksPerMultiprocessor(blockSize, dynamicSharedBytes);
        });
    }

    @Override
    public long occupancyAvailableDynamicSMemPerBlock(CudaFunction f, int numBlocks, int blockSize)
            throws CudaRuntimeException {
        return api(() -> {
            if (f == null) throw error(cudaError.cudaErrorInvalidDeviceFunction, "no function");
            return f.availableDynamicSharedMemoryPerBlock(numBlocks, blockSize);
        });
    }

    @Override
    public int[] occupancyMaxPotentialBlockSize(CudaFunction f, java.util.function.IntToLongFunction dynamicShared,
            long dynamicSharedBytes, int blockSizeLimit) throws CudaRuntimeException {
        return api(() -> {
            if (f == null) throw error(cudaError.cudaErrorInvalidDeviceFunction, "no function");
            return f.maxPotentialBlockSize(dynamicShared, dynamicSharedBytes, blockSizeLimit);
        });
    }

    @Override
    public void launchKernel(CudaFunction f, org.transcuda.cuda.Dim3 grid, org.transcuda.cuda.Dim3 block,
            int dynamicSharedBytes, CudaStream stream, org.transcuda.cuda.KernelArgs args) throws CudaRuntimeException {
        api(() -> {
            if (f == null) throw error(cudaError.cudaErrorInvalidDeviceFunction, "no function");
            orDefault(stream).launch(f, grid, block, dynamicSharedBytes, args);
            return null;
        });
    }
}
