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
import org.transcuda.spi.BackendException;
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
    /** Streams that synchronize with the legacy default stream (created blocking ones, per-thread ones). */
    private final Set<StreamImpl> blockingStreams = ConcurrentHashMap.newKeySet();
    /** Per-thread default streams by host thread. */
    private final java.util.Map<Thread, StreamImpl> perThread = new ConcurrentHashMap<>();
    /** Serializes enqueues so that the implicit dependencies between streams stay acyclic. */
    private final Object ordering = new Object();
    /** Managed allocations (cuMemAllocManaged). */
    private final Set<Long> managed = ConcurrentHashMap.newKeySet();
    /** Allocations with a cuMemFreeAsync queued. */
    private final Set<Long> freeing = ConcurrentHashMap.newKeySet();
    /** Page-locked host allocations' flags. */
    private final java.util.Map<Long, Integer> hostFlags = new ConcurrentHashMap<>();
    /** cuCtxSetLimit values (defaults as CUDA documents them for a fresh context). */
    private final java.util.Map<org.transcuda.cuda.CUlimit, Long> limits = new ConcurrentHashMap<>(java.util.Map.of(
            org.transcuda.cuda.CUlimit.CU_LIMIT_STACK_SIZE, 1024L,
            org.transcuda.cuda.CUlimit.CU_LIMIT_PRINTF_FIFO_SIZE, 1L << 20,
            org.transcuda.cuda.CUlimit.CU_LIMIT_MALLOC_HEAP_SIZE, 8L << 20,
            org.transcuda.cuda.CUlimit.CU_LIMIT_DEV_RUNTIME_SYNC_DEPTH, 2L,
            org.transcuda.cuda.CUlimit.CU_LIMIT_DEV_RUNTIME_PENDING_LAUNCH_COUNT, 2048L,
            org.transcuda.cuda.CUlimit.CU_LIMIT_MAX_L2_FETCH_GRANULARITY, 64L,
            org.transcuda.cuda.CUlimit.CU_LIMIT_PERSISTING_L2_CACHE_SIZE, 0L));
    /** Stream priorities: {least, greatest}; lower numbers are higher priorities. */
    static final int LEAST_PRIORITY = 0;
    static final int GREATEST_PRIORITY = -5;
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

    /**
     * Called from a host callback of {@code stream} before it completes an event mark or runs a stream callback: a
     * fault of the work enqueued before the callback becomes the context's sticky error now (the rule of
     * {@link #call}), so whoever waits for the mark learns of it, as cuEventSynchronize returns a kernel fault.
     */
    void noteFault(BackendStream stream) {
        if (sticky != null || binding.isRevoked()) return;
        BackendException f;
        try {
            f = stream.pendingFailure();
        } catch (RuntimeException e) {
            return; // a backend that cannot tell: its next synchronize reports the fault
        }
        if (f != null && STICKY.contains(f.result())) {
            synchronized (this) {
                if (sticky == null) sticky = new CudaException(f.result(), f.getMessage(), f);
            }
        }
    }

    /** Throws the sticky error, if a fault corrupted the context (every call returns it, as in {@link #call}). */
    void checkSticky() throws CudaException {
        CudaException s = sticky;
        if (s != null) throw stickyError(s);
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

    boolean isDestroyed() {
        return destroyed;
    }

    private static final java.util.concurrent.atomic.AtomicLong IDS = new java.util.concurrent.atomic.AtomicLong();
    private final long id = IDS.incrementAndGet();
    private volatile int flags;
    private volatile int cacheConfig;
    /**
     * Page-locked allocations that are device allocations of a host-addressable backend (kernels reach them at
     * the same address: cuMemHostGetDevicePointer); their hostAllocations entry holds {@link #MAPPED}.
     */
    private final Set<Long> mapped = ConcurrentHashMap.newKeySet();
    private static final java.lang.foreign.Arena MAPPED = java.lang.foreign.Arena.global();
    /** Host memory registered with cuMemHostRegister: base -> size (flags in hostFlags). */
    private final java.util.concurrent.ConcurrentSkipListMap<Long, Long> registered =
            new java.util.concurrent.ConcurrentSkipListMap<>();

    /** CU_CTX_* flags: a scheduling mode 0..4 (not two of them) and the bits up to CU_CTX_SYNC_MEMOPS. */
    static void checkFlags(int flags) throws CudaException {
        int sched = flags & 0x7;
        if ((flags & ~0xFF) != 0 || sched == 3 || sched > 4) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE, "context flags 0x" + Integer.toHexString(flags));
        }
    }

    void setFlagsUnchecked(int flags) {
        this.flags = flags;
    }

    @Override
    public long id() throws CudaException {
        call(() -> null);
        return id;
    }

    @Override
    public int flags() throws CudaException {
        call(() -> null);
        return flags;
    }

    @Override
    public void setFlags(int flags) throws CudaException {
        call(() -> null);
        checkFlags(flags);
        this.flags = flags;
    }

    @Override
    public int cacheConfig() throws CudaException {
        call(() -> null);
        return cacheConfig;
    }

    @Override
    public void setCacheConfig(int config) throws CudaException {
        call(() -> null);
        if (config < 0 || config > 3) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE, "cache configuration " + config + " (0..3)");
        }
        cacheConfig = config;
    }

    ContextImpl peer(CudaContext other) throws CudaException {
        if (!(other instanceof ContextImpl c)) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_CONTEXT, "not a context of this platform");
        }
        c.call(() -> null);
        call(() -> null);
        return c;
    }

    @Override
    public void enablePeerAccess(CudaContext peer, int flags) throws CudaException {
        ContextImpl p = peer(peer);
        if (flags != 0) throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE, "peer access flags must be 0");
        throw new CudaException(CUresult.CUDA_ERROR_PEER_ACCESS_UNSUPPORTED, "device " + device.ordinal()
                + " cannot map the memory of " + p.device + " into its kernels");
    }

    @Override
    public void disablePeerAccess(CudaContext peer) throws CudaException {
        peer(peer);
        throw new CudaException(CUresult.CUDA_ERROR_PEER_ACCESS_NOT_ENABLED, "peer access was never enabled");
    }

    StreamImpl legacy() throws CudaException {
        return nullStream();
    }

    void checkCount(long bytes) throws CudaException {
        if (bytes < 0) throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE, "negative byte count " + bytes);
    }

    private boolean isDeviceMemory(long pointer) {
        var d = allocations.floorEntry(pointer);
        return d != null && pointer < d.getKey() + d.getValue();
    }

    /** A unified-addressing copy: each side is device memory of this context or, otherwise, host memory. */
    void enqueueUnified(BackendStream b, long dst, long src, long bytes) throws org.transcuda.spi.BackendException {
        boolean d = isDeviceMemory(dst);
        boolean s = isDeviceMemory(src);
        if (d && s) b.copyDeviceToDevice(dst, src, bytes);
        else if (d) b.copyHostToDevice(dst, MemorySegment.ofAddress(src).reinterpret(bytes));
        else if (s) b.copyDeviceToHost(MemorySegment.ofAddress(dst).reinterpret(bytes), src);
        else {
            MemorySegment to = MemorySegment.ofAddress(dst).reinterpret(bytes);
            MemorySegment from = MemorySegment.ofAddress(src).reinterpret(bytes);
            b.enqueueHostCallback(() -> to.copyFrom(from));
        }
    }

    @Override
    public void memcpy(long dst, long src, long bytes) throws CudaException {
        checkCount(bytes);
        if (bytes == 0) return;
        nullStream().submitAndWait(b -> enqueueUnified(b, dst, src, bytes));
    }

    @Override
    public void memcpyPeer(long dst, long src, CudaContext srcContext, long bytes) throws CudaException {
        ContextImpl from = peer(srcContext);
        checkCount(bytes);
        if (bytes == 0) return;
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofShared()) { // stream threads copy
            MemorySegment staging = arena.allocate(bytes, 16);
            from.nullStream().submitAndWait(b -> b.copyDeviceToHost(staging, src));
            nullStream().submitAndWait(b -> b.copyHostToDevice(dst, staging));
        }
    }

    static void checkD2D(long dst, long pitch, int elementSize, long width, long height) throws CudaException {
        if ((elementSize != 1 && elementSize != 2 && elementSize != 4) || dst % elementSize != 0 || width < 0
                || height < 0 || (height > 1 && pitch < width * elementSize) || pitch % elementSize != 0) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE, "memset of " + height + " rows of " + width
                    + " " + elementSize + "-byte elements with pitch " + pitch + " at 0x" + Long.toHexString(dst));
        }
    }

    @Override
    public void memsetD2D(long dst, long pitch, int value, int elementSize, long width, long height)
            throws CudaException {
        checkD2D(dst, pitch, elementSize, width, height);
        int masked = elementSize == 4 ? value : value & ((1 << (8 * elementSize)) - 1);
        nullStream().submitAndWait(b -> {
            for (long row = 0; row < height; row++) b.fill(dst + row * pitch, masked, elementSize, width);
        });
    }

    @Override
    public void registerHost(MemorySegment host, int flags) throws CudaException {
        call(() -> null);
        if (host == null || host.byteSize() <= 0 || (flags & ~0xF) != 0) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE, "cannot register "
                    + (host == null ? "nothing" : host.byteSize() + " bytes") + " with flags " + flags);
        }
        long base = host.address();
        long end = base + host.byteSize();
        synchronized (registered) {
            var below = registered.floorEntry(end - 1);
            var pinned = hostAllocations.floorEntry(end - 1);
            if (below != null && below.getKey() + below.getValue() > base
                    || pinned != null && pinned.getKey() + hostSizes.getOrDefault(pinned.getKey(), 0L) > base) {
                throw new CudaException(CUresult.CUDA_ERROR_HOST_MEMORY_ALREADY_REGISTERED,
                        "[0x" + Long.toHexString(base) + ", +" + host.byteSize() + ") overlaps page-locked memory");
            }
            registered.put(base, host.byteSize());
            hostFlags.put(base, flags);
        }
    }

    @Override
    public void unregisterHost(MemorySegment host) throws CudaException {
        call(() -> null);
        synchronized (registered) {
            if (host == null || registered.remove(host.address()) == null) {
                throw new CudaException(CUresult.CUDA_ERROR_HOST_MEMORY_NOT_REGISTERED,
                        "not the start of memory registered with cuMemHostRegister");
            }
            hostFlags.remove(host.address());
        }
        synchronize(); // queued copies may still read it; the program may free it once this returns
    }

    /** The range must be inside one managed allocation, {@code device} a device ordinal or CU_DEVICE_CPU (-1). */
    void checkManagedRange(long pointer, long bytes, int deviceOrdinal) throws CudaException {
        call(() -> null);
        var d = allocations.floorEntry(pointer);
        if (bytes <= 0 || d == null || !managed.contains(d.getKey()) || pointer + bytes > d.getKey() + d.getValue()) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE, "[0x" + Long.toHexString(pointer) + ", +" + bytes
                    + ") is not inside one managed allocation");
        }
        if (deviceOrdinal != -1 && deviceOrdinal != device.ordinal()) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_DEVICE,
                    "device " + deviceOrdinal + " (this context's device is " + device.ordinal() + ", the CPU -1)");
        }
    }

    @Override
    public void memAdvise(long pointer, long bytes, int advice, int deviceOrdinal) throws CudaException {
        if (advice < 1 || advice > 6) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE, "memory advice " + advice + " (1..6)");
        }
        checkManagedRange(pointer, bytes, deviceOrdinal);
    }

    @Override
    public CudaModule loadModule(java.nio.file.Path file) throws CudaException {
        call(() -> null);
        byte[] bytes;
        try {
            bytes = java.nio.file.Files.readAllBytes(file);
        } catch (java.io.IOException | RuntimeException e) {
            throw new CudaException(CUresult.CUDA_ERROR_FILE_NOT_FOUND, "cannot read " + file + ": " + e, e);
        }
        for (byte b : bytes) {
            if (b == 0) {
                throw new CudaException(CUresult.CUDA_ERROR_NO_BINARY_FOR_GPU, file
                        + " is a binary image (cubin, fatbin or ELF), not PTX: only PTX can be translated");
            }
        }
        return loadModule(file.getFileName().toString(),
                new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public long mallocManaged(long bytes, int flags) throws CudaException {
        if (bytes <= 0 || (flags != 1 && flags != 2)) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE, "cannot allocate " + bytes
                    + " managed bytes with flags " + flags + " (CU_MEM_ATTACH_GLOBAL 1 or CU_MEM_ATTACH_HOST 2)");
        }
        if (!binding.call(device.device::hostAddressableMemory)) {
            throw new CudaException(CUresult.CUDA_ERROR_NOT_SUPPORTED, "backend '" + binding.id
                    + "' has no managed memory: the host cannot address its device memory");
        }
        long p = malloc(bytes);
        managed.add(p);
        return p;
    }

    @Override
    public long[] addressRange(long pointer) throws CudaException {
        call(() -> null);
        var d = allocations.floorEntry(pointer);
        if (d != null && pointer < d.getKey() + d.getValue()) return new long[] {d.getKey(), d.getValue()};
        throw new CudaException(CUresult.CUDA_ERROR_NOT_FOUND,
                "0x" + Long.toHexString(pointer) + " is not in a device allocation of this context");
    }

    @Override
    public long hostDevicePointer(long hostPointer, int flags) throws CudaException {
        call(() -> null);
        if (flags != 0) throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE, "flags must be 0, not " + flags);
        var h = hostAllocations.floorEntry(hostPointer);
        if (h != null && hostPointer < h.getKey() + hostSizes.get(h.getKey())) {
            if (mapped.contains(h.getKey())) return hostPointer;
            throw new CudaException(CUresult.CUDA_ERROR_NOT_SUPPORTED, "backend '" + binding.id
                    + "' cannot map page-locked host memory into kernels");
        }
        var r = registered.floorEntry(hostPointer);
        if (r != null && hostPointer < r.getKey() + r.getValue()) {
            throw new CudaException(CUresult.CUDA_ERROR_NOT_SUPPORTED, "backend '" + binding.id
                    + "' cannot map registered host memory into kernels");
        }
        throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE,
                "0x" + Long.toHexString(hostPointer) + " is not page-locked memory of this context");
    }

    @Override
    public int hostFlags(long hostPointer) throws CudaException {
        call(() -> null);
        var h = hostAllocations.floorEntry(hostPointer);
        if (h != null && hostPointer < h.getKey() + hostSizes.get(h.getKey())) return hostFlags.get(h.getKey());
        var r = registered.floorEntry(hostPointer);
        if (r != null && hostPointer < r.getKey() + r.getValue()) return hostFlags.get(r.getKey());
        throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE,
                "0x" + Long.toHexString(hostPointer) + " is not page-locked memory of this context");
    }

    /**
     * CUDA_ERROR_UNSUPPORTED_LIMIT for a limit this device's compute capability does not have: the device runtime's
     * synchronization depth from compute capability 9.0 on (CUDA 13's cudaDeviceSetLimit documentation; an H100 with
     * driver 580 answers the get with 215 too, corpus/gpucheck/RESULTS.md).
     */
    private void unsupportedHere(org.transcuda.cuda.CUlimit limit) throws CudaException {
        if (limit == org.transcuda.cuda.CUlimit.CU_LIMIT_DEV_RUNTIME_SYNC_DEPTH && device.properties().computeMajor() >= 9) {
            throw new CudaException(CUresult.CUDA_ERROR_UNSUPPORTED_LIMIT, limit + " is not supported on compute capability "
                    + device.properties().computeMajor() + "." + device.properties().computeMinor());
        }
    }

    @Override
    public long limit(org.transcuda.cuda.CUlimit limit) throws CudaException {
        call(() -> null);
        if (limit == null) throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE, "no limit");
        unsupportedHere(limit);
        return switch (limit) {
            case CU_LIMIT_SHMEM_SIZE -> device.properties().sharedMemoryPerBlock();
            case CU_LIMIT_CIG_ENABLED, CU_LIMIT_CIG_SHMEM_FALLBACK_ENABLED -> 0;
            default -> limits.get(limit);
        };
    }

    @Override
    public void setLimit(org.transcuda.cuda.CUlimit limit, long value) throws CudaException {
        call(() -> null);
        if (limit == null || value < 0) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE, "limit " + limit + " = " + value);
        }
        unsupportedHere(limit);
        switch (limit) {
            case CU_LIMIT_SHMEM_SIZE, CU_LIMIT_CIG_ENABLED, CU_LIMIT_CIG_SHMEM_FALLBACK_ENABLED ->
                    throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE, limit + " can only be queried");
            case CU_LIMIT_MAX_L2_FETCH_GRANULARITY -> {
                if (value > 128) {
                    throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE, limit + " takes 0..128, not " + value);
                }
                limits.put(limit, value);
            }
            case CU_LIMIT_PERSISTING_L2_CACHE_SIZE -> {
                if (value > device.properties().l2CacheBytes()) {
                    throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE, limit + " of " + value
                            + " bytes exceeds the L2 cache (" + device.properties().l2CacheBytes() + ")");
                }
                limits.put(limit, value);
            }
            default -> limits.put(limit, value);
        }
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
        memcpy3D(Copies.from2D(dstHost, dst, dstPitch, srcHost, src, srcPitch, widthBytes, height));
    }

    @Override
    public void memcpy3D(org.transcuda.cuda.Memcpy3D copy) throws CudaException {
        Copies.check(copy);
        nullStream().submitAndWait(b -> Copies.enqueue(this, b, copy));
    }

    @Override
    public org.transcuda.cuda.PointerAttributes pointerAttributes(long pointer) throws CudaException {
        call(() -> null);
        var d = allocations.floorEntry(pointer);
        if (d != null && pointer < d.getKey() + d.getValue()) {
            return new org.transcuda.cuda.PointerAttributes(org.transcuda.cuda.PointerAttributes.MemoryType.DEVICE,
                    device.ordinal(), d.getKey(), d.getValue(), pointer, managed.contains(d.getKey()));
        }
        var h = hostAllocations.floorEntry(pointer);
        if (h != null && pointer < h.getKey() + hostSizes.get(h.getKey())) {
            return new org.transcuda.cuda.PointerAttributes(org.transcuda.cuda.PointerAttributes.MemoryType.HOST,
                    device.ordinal(), h.getKey(), hostSizes.get(h.getKey()), pointer);
        }
        var r = registered.floorEntry(pointer);
        if (r != null && pointer < r.getKey() + r.getValue()) {
            return new org.transcuda.cuda.PointerAttributes(org.transcuda.cuda.PointerAttributes.MemoryType.HOST,
                    device.ordinal(), r.getKey(), r.getValue(), pointer);
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
        return mallocHost(bytes, 0);
    }

    @Override
    public MemorySegment mallocHost(long bytes, int flags) throws CudaException {
        if (bytes <= 0) throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE, "cannot allocate " + bytes);
        if ((flags & ~0x7) != 0) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE, "unknown CU_MEMHOSTALLOC flags 0x"
                    + Integer.toHexString(flags));
        }
        call(() -> null);
        if (binding.call(device.device::hostAddressableMemory)) {
            // Device memory is host memory here: pinned memory is a device allocation, mapped at its own address.
            long p = call(() -> backend.allocate(bytes));
            mapped.add(p);
            hostSizes.put(p, bytes);
            hostFlags.put(p, flags);
            hostAllocations.put(p, MAPPED);
            return MemorySegment.ofAddress(p).reinterpret(bytes);
        }
        java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofShared();
        MemorySegment m;
        try {
            m = arena.allocate(bytes, 4096);
        } catch (OutOfMemoryError e) {
            arena.close();
            throw new CudaException(CUresult.CUDA_ERROR_OUT_OF_MEMORY, "cannot allocate " + bytes + " host bytes");
        }
        hostSizes.put(m.address(), bytes);
        hostFlags.put(m.address(), flags);
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
        hostFlags.remove(host.address());
        synchronize(); // queued copies may still read it
        if (mapped.remove(host.address())) {
            call(() -> {
                backend.free(host.address());
                return null;
            });
        } else {
            arena.close();
        }
    }

    @Override
    public void free(long devicePointer) throws CudaException {
        if (freeing.contains(devicePointer)) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE,
                    "0x" + Long.toHexString(devicePointer) + " is already being freed by cuMemFreeAsync");
        }
        call(() -> {
            // CUDA's cuMemFree synchronizes: the memory may still be in use by queued work.
            backend.synchronize();
            // Forget the allocation before the backend releases it: from then on another thread's malloc may be
            // handed the same address, and its entry must not be the one removed here.
            Long size = allocations.remove(devicePointer);
            boolean wasManaged = managed.remove(devicePointer);
            try {
                backend.free(devicePointer);
            } catch (BackendException | RuntimeException e) {
                // Not released (a bad pointer, a context after a fault): nobody can have been given the address.
                if (size != null) allocations.put(devicePointer, size);
                if (wasManaged) managed.add(devicePointer);
                throw e;
            }
            return null;
        });
    }

    /** cuMemFreeAsync, at the call: the pointer must be a live allocation not already being freed. */
    void beginFreeAsync(long devicePointer) throws CudaException {
        call(() -> null);
        if (!allocations.containsKey(devicePointer) || !freeing.add(devicePointer)) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE, "0x" + Long.toHexString(devicePointer)
                    + " is not the start of a live allocation of this context");
        }
    }

    void cancelFreeAsync(long devicePointer) {
        freeing.remove(devicePointer);
    }

    /** cuMemFreeAsync, when the stream reaches it (on the stream's thread: no synchronization here). */
    void finishFreeAsync(long devicePointer) {
        // Forgotten before the backend releases the address, which another thread's malloc may then get at once
        // (and free again with cuMemFreeAsync): its entries must not be the ones removed here.
        allocations.remove(devicePointer);
        managed.remove(devicePointer);
        freeing.remove(devicePointer);
        try {
            binding.call(() -> {
                if (!destroyed) backend.free(devicePointer);
                return null;
            });
        } catch (CudaException e) {
            throw new IllegalStateException("cuMemFreeAsync of 0x" + Long.toHexString(devicePointer) + " failed: "
                    + e.getMessage(), e);
        }
    }

    private StreamImpl nullStream() throws CudaException {
        StreamImpl s = defaultStream;
        if (s == null) {
            synchronized (this) {
                s = defaultStream;
                if (s == null) {
                    s = new StreamImpl(this, call(backend::createStream), StreamImpl.Kind.LEGACY,
                            CudaStream.DEFAULT_FLAGS, LEAST_PRIORITY);
                    defaultStream = s;
                }
            }
        }
        return s;
    }

    @Override
    public void memcpyHtoD(long dst, MemorySegment src) throws CudaException {
        nullStream().submitAndWait(b -> b.copyHostToDevice(dst, src));
    }

    @Override
    public void memcpyDtoH(MemorySegment dst, long src) throws CudaException {
        nullStream().submitAndWait(b -> b.copyDeviceToHost(dst, src));
    }

    @Override
    public void memcpyDtoD(long dst, long src, long bytes) throws CudaException {
        nullStream().submitAndWait(b -> b.copyDeviceToDevice(dst, src, bytes));
    }

    private void fill(long dst, int value, int elementSize, long count) throws CudaException {
        nullStream().submitAndWait(b -> b.fill(dst, value, elementSize, count));
    }

    /**
     * Enqueues {@code op} on {@code s} with the legacy default stream's implicit synchronization: on the
     * legacy stream it first waits for the work enqueued so far on every blocking stream; on a blocking stream
     * it first waits for the legacy stream's work enqueued so far. "So far" is a completion mark enqueued on
     * the other stream at this moment (reused while that stream gets no new work; none when it is idle), so a
     * program that uses one stream pays nothing. Enqueues are serialized per context, so every dependency
     * points at earlier work and no cycle can form. {@code synchronous}: the caller waits for the op at once
     * (see {@link StreamImpl#submitAndWait}).
     */
    void enqueueOrdered(StreamImpl s, StreamImpl.Op op, boolean synchronous)
            throws org.transcuda.spi.BackendException, CudaException {
        synchronized (ordering) {
            if (s.kind == StreamImpl.Kind.LEGACY) {
                for (StreamImpl other : blockingStreams) waitFor(s, markNow(other));
                retiring.removeIf(EventImpl.Mark::isDone);
                for (EventImpl.Mark m : retiring) waitFor(s, m);
            } else if (s.blocking()) {
                StreamImpl legacy = defaultStream;
                if (legacy != null) waitFor(s, markNow(legacy));
            }
            if (!contextWaits.isEmpty()) {
                contextWaits.removeIf(EventImpl.Mark::isDone);
                for (EventImpl.Mark m : contextWaits) waitFor(s, m);
            }
            s.dirty = true; // before the op: one that fails half-way may have enqueued part of its work
            if (!synchronous) {
                op.run(s.backend);
                return;
            }
            // Only the op's own first enqueue may run on this thread (HostStream), never the waits above.
            org.transcuda.spi.host.HostStream.armInline();
            try {
                op.run(s.backend);
            } finally {
                org.transcuda.spi.host.HostStream.disarmInline();
            }
        }
    }

    /** cuCtxWaitEvent marks every later enqueue waits for (guarded by the ordering lock). */
    private final java.util.List<EventImpl.Mark> contextWaits = new java.util.ArrayList<>();

    private java.util.List<StreamImpl> allStreams() {
        java.util.List<StreamImpl> all = new java.util.ArrayList<>();
        StreamImpl legacy = defaultStream;
        if (legacy != null) all.add(legacy);
        all.addAll(perThread.values());
        for (AutoCloseable r : owned) {
            if (r instanceof StreamImpl s) all.add(s);
        }
        return all;
    }

    @Override
    public void recordEvent(CudaEvent event) throws CudaException {
        if (!(event instanceof EventImpl e) || e.context != this) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_HANDLE, "the event belongs to another context");
        }
        e.checkAlive();
        EventImpl.Mark all = new EventImpl.Mark();
        call(() -> {
            synchronized (ordering) {
                java.util.List<EventImpl.Mark> pending = new java.util.ArrayList<>();
                for (StreamImpl s : allStreams()) {
                    if (!s.backend.isIdle()) {
                        EventImpl.Mark m = new EventImpl.Mark();
                        s.backend.enqueueHostCallback(() -> {
                            noteFault(s.backend);
                            m.complete();
                        });
                        pending.add(m);
                    }
                }
                java.util.concurrent.atomic.AtomicInteger left = new java.util.concurrent.atomic.AtomicInteger(
                        pending.size());
                if (pending.isEmpty()) all.complete();
                // Whichever stream finishes last completes the event; no extra thread waits.
                for (EventImpl.Mark m : pending) m.onComplete(() -> {
                    if (left.decrementAndGet() == 0) all.complete();
                });
            }
            return null;
        });
        e.setMark(all);
    }

    @Override
    public void waitEvent(CudaEvent event) throws CudaException {
        if (!(event instanceof EventImpl e) || e.context != this) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_HANDLE, "the event belongs to another context");
        }
        e.checkAlive();
        EventImpl.Mark m = e.currentMark();
        if (m == null || m.isDone()) {
            checkSticky();
            return;
        }
        call(() -> {
            synchronized (ordering) {
                contextWaits.add(m);
            }
            return null;
        });
    }

    /** Final marks of blocking streams being destroyed: the legacy stream still waits for their work. */
    private final java.util.List<EventImpl.Mark> retiring = new java.util.ArrayList<>();

    /** A blocking stream is being destroyed: later legacy work still waits for the work queued on it. */
    void retire(StreamImpl s) throws org.transcuda.spi.BackendException {
        synchronized (ordering) {
            if (blockingStreams.remove(s)) {
                EventImpl.Mark m = markNow(s);
                if (m != null) retiring.add(m);
            }
        }
    }

    /** A mark that completes once the work enqueued on {@code s} so far has run; null when there is none. */
    private EventImpl.Mark markNow(StreamImpl s) throws org.transcuda.spi.BackendException {
        if (!s.dirty) return s.tail;
        s.dirty = false;
        if (s.backend.isIdle()) {
            s.tail = null;
            return null;
        }
        EventImpl.Mark m = new EventImpl.Mark();
        s.backend.enqueueHostCallback(m::complete);
        s.tail = m;
        return m;
    }

    private void waitFor(StreamImpl s, EventImpl.Mark m) throws org.transcuda.spi.BackendException {
        if (m != null && !m.isDone()) s.backend.enqueueHostCallback(() -> m.awaitWhileAlive(this));
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
        } catch (org.transcuda.ptx.parse.UnsupportedPtxVersionException e) {
            // a .version newer than implemented: what NVIDIA's driver answers for a PTX ISA newer than it knows
            throw new CudaException(CUresult.CUDA_ERROR_UNSUPPORTED_PTX_VERSION, e.getMessage(), e);
        } catch (org.transcuda.ptx.parse.PtxParseException e) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_PTX, e.getMessage(), e);
        }
        return load(module, ptxTarget(ptx));
    }

    /**
     * CU_FUNC_ATTRIBUTE_PTX_VERSION: the virtual architecture the PTX was written for, as major * 10 + minor
     * ({@code .target sm_75} is 75, {@code sm_90a} 90), not the PTX ISA {@code .version}: CUDA 13 on an H100
     * reports 75 for {@code .version 9.0 .target sm_75}. 0 when the text names no target.
     */
    static int ptxTarget(CharSequence ptx) {
        java.util.regex.Matcher t = java.util.regex.Pattern.compile("\\.target\\s+(?:[^\\n]*?\\b)?(?:sm|compute)_(\\d+)")
                .matcher(ptx);
        return t.find() ? Integer.parseInt(t.group(1)) : 0;
    }

    @Override
    public CudaModule loadModule(Module module) throws CudaException {
        return load(module, 0);
    }

    private CudaModule load(Module module, int ptxVersion) throws CudaException {
        ModuleImpl m = new ModuleImpl(this, call(() -> backend.loadModule(module)), module, ptxVersion);
        owned.add(m);
        return m;
    }

    @Override
    public CudaStream createStream() throws CudaException {
        return createStream(CudaStream.DEFAULT_FLAGS, LEAST_PRIORITY);
    }

    @Override
    public CudaStream createStream(int flags) throws CudaException {
        return createStream(flags, LEAST_PRIORITY);
    }

    @Override
    public CudaStream createStream(int flags, int priority) throws CudaException {
        if (flags != CudaStream.DEFAULT_FLAGS && flags != CudaStream.NON_BLOCKING) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE, "stream flags 0x" + Integer.toHexString(flags)
                    + " (CU_STREAM_DEFAULT 0 or CU_STREAM_NON_BLOCKING 1)");
        }
        int clamped = Math.max(GREATEST_PRIORITY, Math.min(LEAST_PRIORITY, priority));
        StreamImpl s = new StreamImpl(this, call(backend::createStream), StreamImpl.Kind.CREATED, flags, clamped);
        owned.add(s);
        if (s.blocking()) blockingStreams.add(s);
        return s;
    }

    @Override
    public int[] streamPriorityRange() throws CudaException {
        call(() -> null);
        return new int[] {LEAST_PRIORITY, GREATEST_PRIORITY};
    }

    @Override
    public CudaStream defaultStream() throws CudaException {
        return nullStream();
    }

    @Override
    public CudaStream perThreadStream() throws CudaException {
        Thread t = Thread.currentThread();
        StreamImpl s = perThread.get(t);
        if (s != null) return s;
        call(() -> null);
        // Streams of threads that have ended are released here (their work has been enqueued long ago).
        for (var e : perThread.entrySet()) {
            if (!e.getKey().isAlive() && perThread.remove(e.getKey(), e.getValue())) {
                blockingStreams.remove(e.getValue());
                e.getValue().backend.close();
            }
        }
        s = new StreamImpl(this, call(backend::createStream), StreamImpl.Kind.PER_THREAD, CudaStream.DEFAULT_FLAGS,
                LEAST_PRIORITY);
        perThread.put(t, s);
        blockingStreams.add(s);
        return s;
    }

    @Override
    public CudaStream specialStream(long handle) throws CudaException {
        if (handle == 0 || handle == CudaStream.LEGACY_HANDLE) return nullStream();
        if (handle == CudaStream.PER_THREAD_HANDLE) return perThreadStream();
        throw new CudaException(CUresult.CUDA_ERROR_INVALID_HANDLE,
                "0x" + Long.toHexString(handle) + " is not a special stream handle");
    }

    @Override
    public CudaEvent createEvent() throws CudaException {
        return createEvent(CudaEvent.DEFAULT_FLAGS);
    }

    @Override
    public CudaEvent createEvent(int flags) throws CudaException {
        if ((flags & ~(CudaEvent.BLOCKING_SYNC | CudaEvent.DISABLE_TIMING)) != 0) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE, "event flags 0x" + Integer.toHexString(flags)
                    + ((flags & CudaEvent.INTERPROCESS) != 0 ? " (interprocess events are not supported)" : ""));
        }
        call(() -> null); // validates the context
        return new EventImpl(this, flags);
    }

    @Override
    public void synchronize() throws CudaException {
        call(() -> {
            backend.synchronize();
            checkSticky(); // a fault an event's completion recorded while we waited
            return null;
        });
    }

    void disown(AutoCloseable resource) {
        owned.remove(resource);
        if (resource instanceof StreamImpl s) blockingStreams.remove(s);
    }

    StreamImpl streamOf(CudaStream stream) throws CudaException {
        if (!(stream instanceof StreamImpl s) || s.context != this) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_HANDLE, "the stream belongs to another context");
        }
        return s;
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
        hostSizes.clear();
        hostFlags.clear();
        registered.clear();
        allocations.clear();
        managed.clear();
        freeing.clear();
        for (AutoCloseable r : owned) {
            try {
                if (r instanceof ModuleImpl m) m.backend.close();
                else if (r instanceof StreamImpl s) s.backend.close();
            } catch (RuntimeException ignored) {
                // the context goes away below in any case
            }
        }
        owned.clear();
        for (StreamImpl p : perThread.values()) p.backend.close();
        perThread.clear();
        blockingStreams.clear();
        StreamImpl s = defaultStream;
        if (s != null) s.backend.close();
        backend.close();
        // Page-locked memory last: queued copies may have read it until the streams were closed.
        for (Long base : hostAllocations.keySet()) {
            java.lang.foreign.Arena a = hostAllocations.remove(base);
            if (a != null && a != MAPPED) a.close(); // mapped ones went with the backend context
        }
        mapped.clear();
    }

    /** The backend is going away (called by the binding after draining): release everything. */
    void releaseBackend() {
        destroyed = true;
        closeBackend();
    }
}
