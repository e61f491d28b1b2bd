package org.transcuda.internal;

import java.lang.foreign.MemorySegment;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.CudaContext;
import org.transcuda.cuda.CudaDevice;
import org.transcuda.cuda.CudaEvent;
import org.transcuda.cuda.CudaException;
import org.transcuda.cuda.CudaModule;
import org.transcuda.cuda.CudaStream;
import org.transcuda.ir.Module;
import org.transcuda.spi.BackendContext;
import org.transcuda.spi.BackendStream;

/** A CUDA context over one backend context, under the backend binding's lease. */
final class ContextImpl implements CudaContext {
    final BackendBinding binding;
    final DeviceImpl device;
    private final BackendContext backend;
    private final Set<AutoCloseable> owned = ConcurrentHashMap.newKeySet();
    /** Live device allocations: base -> size (for address ranges and pointer attributes). */
    private final java.util.concurrent.ConcurrentSkipListMap<Long, Long> allocations =
            new java.util.concurrent.ConcurrentSkipListMap<>();
    /** Page-locked host allocations: base -> arena. */
    private final java.util.concurrent.ConcurrentSkipListMap<Long, java.lang.foreign.Arena> hostAllocations =
            new java.util.concurrent.ConcurrentSkipListMap<>();
    private final java.util.concurrent.ConcurrentHashMap<Long, Long> hostSizes = new java.util.concurrent.ConcurrentHashMap<>();
    /** CUDA's pitch granularity for cuMemAllocPitch. */
    static final int PITCH_ALIGNMENT = 512;
    private volatile StreamImpl defaultStream;
    private volatile boolean destroyed;
    /** The first fault that corrupted the context (CUDA's sticky errors), or null. */
    private volatile CudaException sticky;
    /** Set for a device's primary context, which is destroyed through its device, not by close(). */
    volatile boolean primary;

    /** Faults after which a CUDA context is unusable: every later call returns the same error. */
    private static final java.util.Set<CUresult> STICKY = java.util.EnumSet.of(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS,
            CUresult.CUDA_ERROR_LAUNCH_TIMEOUT, CUresult.CUDA_ERROR_ASSERT, CUresult.CUDA_ERROR_HARDWARE_STACK_ERROR,
            CUresult.CUDA_ERROR_ILLEGAL_INSTRUCTION, CUresult.CUDA_ERROR_MISALIGNED_ADDRESS,
            CUresult.CUDA_ERROR_INVALID_ADDRESS_SPACE, CUresult.CUDA_ERROR_INVALID_PC, CUresult.CUDA_ERROR_LAUNCH_FAILED,
            CUresult.CUDA_ERROR_ECC_UNCORRECTABLE, CUresult.CUDA_ERROR_CONTAINED,
            CUresult.CUDA_ERROR_NVLINK_UNCORRECTABLE);

    ContextImpl(BackendBinding binding, DeviceImpl device, BackendContext backend) {
        this.binding = binding;
        this.device = device;
        this.backend = backend;
    }

    /** Runs a call on this context: CUDA_ERROR_INVALID_CONTEXT once destroyed. */
    <T> T call(BackendBinding.Call<T> call) throws CudaException {
        if (binding.isRevoked()) throw binding.unavailable();
        if (destroyed) throw destroyedError();
        CudaException s = sticky;
        if (s != null) throw stickyError(s);
        try {
            return binding.call(() -> {
                if (destroyed) throw destroyedError();
                return call.run();
            });
        } catch (CudaException e) {
            if (STICKY.contains(e.result()) && !binding.isRevoked()) {
                synchronized (this) {
                    if (sticky == null) sticky = e;
                }
            }
            throw e;
        }
    }

    private static CudaException stickyError(CudaException first) {
        return new CudaException(first.result(), "the context is unusable after an earlier fault ("
                + first.getMessage() + "); destroy it and create a new one", first);
    }

    /** The sticky error of this context, if a fault corrupted it. */
    java.util.Optional<CUresult> stickyError() {
        CudaException s = sticky;
        return s == null ? java.util.Optional.empty() : java.util.Optional.of(s.result());
    }

    private static CudaException destroyedError() {
        return new CudaException(CUresult.CUDA_ERROR_INVALID_CONTEXT, "the context has been destroyed");
    }

    @Override
    public CudaDevice device() {
        return device;
    }

    @Override
    public long malloc(long bytes) throws CudaException {
        if (bytes <= 0) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE, "cannot allocate " + bytes + " bytes");
        }
        long p = call(() -> backend.allocate(bytes));
        allocations.put(p, bytes);
        return p;
    }

    @Override
    public org.transcuda.cuda.Pitched mallocPitch(long widthBytes, long height, int elementSize)
            throws CudaException {
        if (widthBytes <= 0 || height <= 0 || (elementSize != 4 && elementSize != 8 && elementSize != 16)) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE, "width " + widthBytes + ", height " + height
                    + ", element size " + elementSize + " (4, 8 or 16)");
        }
        long pitch = (widthBytes + PITCH_ALIGNMENT - 1) / PITCH_ALIGNMENT * PITCH_ALIGNMENT;
        return new org.transcuda.cuda.Pitched(malloc(Math.multiplyExact(pitch, height)), pitch);
    }

    @Override
    public void memcpy2D(MemorySegment dstHost, long dst, long dstPitch, MemorySegment srcHost, long src,
            long srcPitch, long widthBytes, long height) throws CudaException {
        if (widthBytes < 0 || height < 0 || dstPitch < widthBytes || srcPitch < widthBytes) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE,
                    "pitches must be >= the width (" + widthBytes + "): dst " + dstPitch + ", src " + srcPitch);
        }
        if (widthBytes == 0 || height == 0) return;
        StreamImpl s = nullStream();
        call(() -> {
            for (long row = 0; row < height; row++) {
                if (srcHost != null && dstHost != null) {
                    MemorySegment.copy(srcHost, row * srcPitch, dstHost, row * dstPitch, widthBytes);
                } else if (srcHost != null) {
                    s.backend.copyHostToDevice(dst + row * dstPitch, srcHost.asSlice(row * srcPitch, widthBytes));
                } else if (dstHost != null) {
                    s.backend.copyDeviceToHost(dstHost.asSlice(row * dstPitch, widthBytes), src + row * srcPitch);
                } else {
                    s.backend.copyDeviceToDevice(dst + row * dstPitch, src + row * srcPitch, widthBytes);
                }
            }
            s.backend.synchronize();
            return null;
        });
    }

    @Override
    public org.transcuda.cuda.PointerAttributes pointerAttributes(long pointer) throws CudaException {
        call(() -> null);
        var d = allocations.floorEntry(pointer);
        if (d != null && pointer < d.getKey() + d.getValue()) {
            return new org.transcuda.cuda.PointerAttributes(org.transcuda.cuda.PointerAttributes.MemoryType.DEVICE,
                    device.ordinal(), d.getKey(), d.getValue(), pointer);
        }
        var h = hostAllocations.floorEntry(pointer);
        if (h != null && pointer < h.getKey() + hostSizes.get(h.getKey())) {
            return new org.transcuda.cuda.PointerAttributes(org.transcuda.cuda.PointerAttributes.MemoryType.HOST,
                    device.ordinal(), h.getKey(), hostSizes.get(h.getKey()), pointer);
        }
        throw new CudaException(CUresult.CUDA_ERROR_NOT_FOUND,
                "0x" + Long.toHexString(pointer) + " is not in an allocation of this context");
    }

    @Override
    public long[] memoryInfo() throws CudaException {
        long total = device.totalMemory();
        long used = call(backend::allocatedBytes);
        return new long[] {Math.max(0, total - used), total};
    }

    @Override
    public MemorySegment mallocHost(long bytes) throws CudaException {
        if (bytes <= 0) throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE, "cannot allocate " + bytes);
        call(() -> null);
        java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofShared();
        MemorySegment m;
        try {
            m = arena.allocate(bytes, 4096);
        } catch (OutOfMemoryError e) {
            arena.close();
            throw new CudaException(CUresult.CUDA_ERROR_OUT_OF_MEMORY, "cannot allocate " + bytes + " host bytes");
        }
        hostSizes.put(m.address(), bytes);
        hostAllocations.put(m.address(), arena);
        return m;
    }

    @Override
    public void freeHost(MemorySegment host) throws CudaException {
        java.lang.foreign.Arena arena = hostAllocations.remove(host.address());
        if (arena == null) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE, "not memory from mallocHost");
        }
        hostSizes.remove(host.address());
        synchronize(); // queued copies may still read it
        arena.close();
    }

    @Override
    public void free(long devicePointer) throws CudaException {
        call(() -> {
            // CUDA's cuMemFree synchronizes: the memory may still be in use by queued work.
            backend.synchronize();
            backend.free(devicePointer);
            return null;
        });
        allocations.remove(devicePointer);
    }

    private StreamImpl nullStream() throws CudaException {
        StreamImpl s = defaultStream;
        if (s == null) {
            synchronized (this) {
                s = defaultStream;
                if (s == null) {
                    s = new StreamImpl(this, call(backend::createStream));
                    defaultStream = s;
                }
            }
        }
        return s;
    }

    @Override
    public void memcpyHtoD(long dst, MemorySegment src) throws CudaException {
        StreamImpl s = nullStream();
        call(() -> {
            s.backend.copyHostToDevice(dst, src);
            s.backend.synchronize();
            return null;
        });
    }

    @Override
    public void memcpyDtoH(MemorySegment dst, long src) throws CudaException {
        StreamImpl s = nullStream();
        call(() -> {
            s.backend.copyDeviceToHost(dst, src);
            s.backend.synchronize();
            return null;
        });
    }

    @Override
    public void memcpyDtoD(long dst, long src, long bytes) throws CudaException {
        StreamImpl s = nullStream();
        call(() -> {
            s.backend.copyDeviceToDevice(dst, src, bytes);
            s.backend.synchronize();
            return null;
        });
    }

    private void fill(long dst, int value, int elementSize, long count) throws CudaException {
        StreamImpl s = nullStream();
        call(() -> {
            s.backend.fill(dst, value, elementSize, count);
            s.backend.synchronize();
            return null;
        });
    }

    @Override
    public void memsetD8(long dst, byte value, long count) throws CudaException {
        fill(dst, value & 0xff, 1, count);
    }

    @Override
    public void memsetD16(long dst, short value, long count) throws CudaException {
        if ((dst & 1) != 0) throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE, "dst is not 2-byte aligned");
        fill(dst, value & 0xffff, 2, count);
    }

    @Override
    public void memsetD32(long dst, int value, long count) throws CudaException {
        if ((dst & 3) != 0) throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE, "dst is not 4-byte aligned");
        fill(dst, value, 4, count);
    }

    @Override
    public CudaModule loadModule(String fileName, CharSequence ptx) throws CudaException {
        call(() -> null); // a context that cannot be used fails before the translation work
        Module module;
        try {
            module = org.transcuda.ptx.PtxTranslator.translate(fileName, ptx);
        } catch (org.transcuda.ptx.parse.PtxParseException e) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_PTX, e.getMessage(), e);
        }
        return loadModule(module);
    }

    @Override
    public CudaModule loadModule(Module module) throws CudaException {
        ModuleImpl m = new ModuleImpl(this, call(() -> backend.loadModule(module)), module);
        owned.add(m);
        return m;
    }

    @Override
    public CudaStream createStream() throws CudaException {
        StreamImpl s = new StreamImpl(this, call(backend::createStream));
        owned.add(s);
        return s;
    }

    @Override
    public CudaStream defaultStream() throws CudaException {
        return nullStream();
    }

    @Override
    public CudaEvent createEvent() throws CudaException {
        call(() -> null); // validates the context
        return new EventImpl(this);
    }

    @Override
    public void synchronize() throws CudaException {
        call(() -> {
            backend.synchronize();
            return null;
        });
    }

    void disown(AutoCloseable resource) {
        owned.remove(resource);
    }

    BackendStream backendStreamOf(CudaStream stream) throws CudaException {
        if (!(stream instanceof StreamImpl s) || s.context != this) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_HANDLE, "the stream belongs to another context");
        }
        return s.backend;
    }

    @Override
    public void close() throws CudaException {
        if (primary) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_CONTEXT,
                    "a primary context is released with releasePrimaryContext, not destroyed");
        }
        destroy();
    }

    /** Destroys the context even when it has a sticky error (CUDA allows cuCtxDestroy then). */
    void destroy() throws CudaException {
        if (destroyed) return;
        try {
            binding.call(() -> {
                destroyed = true;
                closeBackend();
                return null;
            });
        } finally {
            destroyed = true;
            binding.unregister(this);
        }
    }

    private void closeBackend() {
        for (Long base : hostAllocations.keySet()) {
            java.lang.foreign.Arena a = hostAllocations.remove(base);
            if (a != null) a.close();
        }
        hostSizes.clear();
        allocations.clear();
        for (AutoCloseable r : owned) {
            try {
                if (r instanceof ModuleImpl m) m.backend.close();
                else if (r instanceof StreamImpl s) s.backend.close();
            } catch (RuntimeException ignored) {
                // the context goes away below in any case
            }
        }
        owned.clear();
        StreamImpl s = defaultStream;
        if (s != null) s.backend.close();
        backend.close();
    }

    /** The backend is going away (called by the binding after draining): release everything. */
    void releaseBackend() {
        destroyed = true;
        closeBackend();
    }
}
