package org.transcuda.backend.vulkan;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.transcuda.backend.vulkan.vk.Struct;
import org.transcuda.backend.vulkan.vk.Vk;
import org.transcuda.backend.vulkan.vk.VkDevice;
import org.transcuda.backend.vulkan.vk.VkException;
import org.transcuda.cuda.CUresult;
import java.util.HashMap;
import org.transcuda.backend.vulkan.codegen.SpirvCodegen;
import org.transcuda.backend.vulkan.codegen.Target;
import org.transcuda.ir.AddressSpace;
import org.transcuda.ir.IrVerifier;
import org.transcuda.ir.Module;
import org.transcuda.ir.Variable;
import org.transcuda.spi.BackendContext;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;
import org.transcuda.spi.BackendModule;

/**
 * A CUDA context on a Vulkan device: its own {@code VkDevice} (so that closing the context releases every
 * Vulkan object of it in one place, and device addresses of different contexts never mix), one compute
 * queue shared by its streams, device allocations addressed by buffer device address, and the compiled
 * kernels with their pipelines.
 *
 * <p>Locking: {@link #lifecycle} is read-held by every API call and write-held by {@link #close()}, so
 * close never races a call; the queue has its own lock because {@code vkQueueSubmit} needs external
 * synchronization; everything else is concurrent collections or per-stream state.
 */
public final class VulkanContext implements BackendContext {
    private static final Logger LOG = LogManager.getLogger(VulkanContext.class);

    /** CUDA's allocation alignment. */
    static final int ALIGNMENT = 256;
    static final int DEVICE_BUFFER_USAGE = Vk.BUFFER_USAGE_TRANSFER_SRC_BIT | Vk.BUFFER_USAGE_TRANSFER_DST_BIT
            | Vk.BUFFER_USAGE_STORAGE_BUFFER_BIT | Vk.BUFFER_USAGE_SHADER_DEVICE_ADDRESS_BIT;

    final VulkanDevice device;
    final PhysicalDeviceInfo info;
    final VkDevice dev;
    final MemorySegment queue;
    final ReentrantLock queueLock = new ReentrantLock();
    final Ledger ledger = new Ledger(Ledger.GLOBAL);
    final StagingPool staging;
    /** Largest dispatch per dimension; tests lower it to exercise grid splitting. */
    final int[] maxDispatch;

    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private final ConcurrentSkipListMap<Long, GpuBuffer> allocations = new ConcurrentSkipListMap<>();
    private final AtomicLong allocatedBytes = new AtomicLong();
    private final Set<VulkanStream> streams = ConcurrentHashMap.newKeySet();
    private final Set<VulkanModule> modules = ConcurrentHashMap.newKeySet();
    private final List<GpuBuffer> deferredFrees = new ArrayList<>();
    private volatile boolean closed;
    private volatile BackendException sticky;
    private volatile GpuBuffer faultRecord;
    private GpuBuffer printfBuffer;
    /** Held from the launch of a printing kernel until its records are printed (one printf buffer). */
    final java.util.concurrent.locks.ReentrantLock printfLock = new java.util.concurrent.locks.ReentrantLock();
    /** Where device printf output goes, one formatted call at a time (standard output unless a test redirects it). */
    volatile java.util.function.Consumer<String> printer = s -> {
        System.out.print(s);
        System.out.flush();
    };

    private VulkanContext(VulkanDevice device, VkDevice dev) {
        this.device = device;
        this.info = device.info();
        this.dev = dev;
        this.queue = dev.queue(info.computeQueueFamily, 0);
        this.maxDispatch = info.maxComputeWorkGroupCount.clone();
        this.staging = new StagingPool(new StagingPool.Allocator() {
            @Override
            public GpuBuffer createHostBuffer(long bytes) throws BackendException {
                return VulkanContext.this.createHostBuffer(bytes);
            }

            @Override
            public void destroyBuffer(GpuBuffer b) {
                VulkanContext.this.destroyBuffer(b);
            }
        });
        ledger.created(Ledger.Kind.DEVICE);
    }

    /** Creates the {@code VkDevice} with the features the backend uses and the device's optional ones. */
    static VulkanContext create(VulkanDevice device) throws BackendException {
        PhysicalDeviceInfo info = device.info();
        boolean v13 = Integer.compareUnsigned(info.apiVersion, Vk.apiVersion(1, 3)) >= 0;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment priority = a.allocate(ValueLayout.JAVA_FLOAT);
            priority.set(ValueLayout.JAVA_FLOAT, 0, 1.0f);
            MemorySegment qci = Vk.DEVICE_QUEUE_CREATE_INFO.allocate(a);
            Vk.DEVICE_QUEUE_CREATE_INFO.setInt(qci, "queueFamilyIndex", info.computeQueueFamily);
            Vk.DEVICE_QUEUE_CREATE_INFO.setInt(qci, "queueCount", 1);
            Vk.DEVICE_QUEUE_CREATE_INFO.setPtr(qci, "pQueuePriorities", priority);

            List<Struct> structs = PhysicalDeviceInfo.featureStructs(v13, info.extensions);
            List<MemorySegment> chain = PhysicalDeviceInfo.featureChain(a, structs);
            List<String> wanted = new ArrayList<>(PhysicalDeviceInfo.REQUIRED_FEATURES);
            wanted.addAll(PhysicalDeviceInfo.OPTIONAL_FEATURES);
            for (String f : wanted) {
                if (!info.has(f)) continue;
                for (int i = 0; i < structs.size(); i++) {
                    String path = PhysicalDeviceInfo.fieldPath(structs.get(i), f);
                    if (path != null) structs.get(i).setInt(chain.get(i), path, 1);
                }
            }
            List<String> extensions = new ArrayList<>();
            for (String e : PhysicalDeviceInfo.OPTIONAL_EXTENSIONS) {
                if (info.extensions.contains(e)) extensions.add(e);
            }
            MemorySegment dci = Vk.DEVICE_CREATE_INFO.allocate(a);
            Vk.DEVICE_CREATE_INFO.setPtr(dci, "pNext", chain.get(0));
            Vk.DEVICE_CREATE_INFO.setInt(dci, "queueCreateInfoCount", 1);
            Vk.DEVICE_CREATE_INFO.setPtr(dci, "pQueueCreateInfos", qci);
            Vk.DEVICE_CREATE_INFO.setInt(dci, "enabledExtensionCount", extensions.size());
            if (!extensions.isEmpty()) {
                MemorySegment names = a.allocate(ValueLayout.ADDRESS, extensions.size());
                for (int i = 0; i < extensions.size(); i++) {
                    names.setAtIndex(ValueLayout.ADDRESS, i, a.allocateFrom(extensions.get(i)));
                }
                Vk.DEVICE_CREATE_INFO.setPtr(dci, "ppEnabledExtensionNames", names);
            }
            VkDevice dev = device.backend().instance().createDevice(info.handle, dci);
            return new VulkanContext(device, dev);
        }
    }

    // ---------------------------------------------------------------- guards

    /** Held for the duration of an API call. */
    interface Guard extends AutoCloseable {
        @Override
        void close();
    }

    Guard enter() throws BackendException {
        ReentrantReadWriteLock.ReadLock lock = lifecycle.readLock();
        lock.lock();
        if (closed) {
            lock.unlock();
            throw new BackendException(CUresult.CUDA_ERROR_CONTEXT_IS_DESTROYED, "context is closed");
        }
        BackendException s = sticky;
        if (s != null) {
            lock.unlock();
            throw new BackendException(s.result(), "the context is unusable after an earlier failure: "
                    + s.getMessage(), s);
        }
        return lock::unlock;
    }

    /**
     * Waits until every API call in progress has returned: a call that validated a pointer or a function
     * before it was freed or unloaded has then enqueued its work, which the caller drains next.
     */
    private void quiesceCalls() {
        lifecycle.writeLock().lock();
        lifecycle.writeLock().unlock();
    }

    /**
     * The host-visible record kernels write on {@code trap}/{@code assert} (see
     * {@link SpirvCodegen#FAULT_TRAP}); created on first use, zeroed.
     */
    synchronized GpuBuffer faultRecord() throws BackendException {
        if (faultRecord == null) {
            GpuBuffer b = createHostBuffer(SpirvCodegen.FAULT_BYTES);
            b.mapped.asSlice(0, SpirvCodegen.FAULT_BYTES).fill((byte) 0);
            faultRecord = b;
        }
        return faultRecord;
    }

    /**
     * The bounds of the context's device memory now, {lowest allocation, size of the range to the end of the highest
     * allocation}, which each launch passes to its kernel in the push constants ({@link KernelAbi#boundsOffset}): the
     * kernel checks every global access against them. Taken when a launch is enqueued: every allocation the kernel
     * may use exists by then, and a later free cannot narrow the range under it.
     */
    long[] bounds() {
        GpuBuffer record = faultRecord;
        // with nothing allocated the only "valid" memory is the fault record's sink
        long lo = record == null ? 0 : record.deviceAddress + SpirvCodegen.FAULT_SINK, size = 16;
        var first = allocations.firstEntry();
        var last = allocations.lastEntry();
        if (first != null && last != null && last.getKey() >= first.getKey()) {
            lo = first.getKey();
            // at least 16 bytes (the kernel's check subtracts the access size from it); every buffer has at least
            // 16 bytes from its address (createBuffer), so a short range stays inside the lowest allocation's buffer
            size = Math.max(16, last.getValue().address + last.getValue().bytes - lo);
        }
        return new long[] {lo, size};
    }

    private final Map<String, Integer> siteIds = new HashMap<>();
    private final List<String> siteNames = new ArrayList<>();

    /** The id of a global-access site (kernel and PTX location) for the fault record. */
    synchronized int site(String name) {
        return siteIds.computeIfAbsent(name, n -> {
            siteNames.add(n);
            return siteNames.size() - 1;
        });
    }

    /**
     * The fault of a kernel that accessed global memory outside the context's device memory, or null: reads the
     * fault record; a fault makes the context unusable (sticky, as in CUDA).
     */
    BackendException addressFault() {
        BackendException e;
        synchronized (this) {
            if (faultRecord == null) return null;
            MemorySegment rec = faultRecord.mapped;
            int site1 = rec.get(ValueLayout.JAVA_INT, SpirvCodegen.FAULT_SITE);
            if (rec.get(ValueLayout.JAVA_INT, SpirvCodegen.FAULT_LOOP_CUT) != 0) {
                // first: values after a cut loop are wrong, so a bad access of the same launch may follow from it
                e = new BackendException(CUresult.CUDA_ERROR_LAUNCH_FAILED, "the Vulkan driver ended a loop of a"
                        + " kernel before the loop's own exit (" + info.driverName + " stops the loops of each"
                        + " invocation after 65535 iterations per launch, counted over all its loops); the launch's"
                        + " results would be wrong. Split the work into more threads or launches, or use another"
                        + " backend");
            } else if (site1 == 0) {
                return null;
            } else {
                int site = site1 - 1;
                long address = rec.get(ValueLayout.JAVA_LONG, SpirvCodegen.FAULT_BAD_ADDRESS);
                int check = rec.get(ValueLayout.JAVA_INT, SpirvCodegen.FAULT_CHECK);
                e = new BackendException(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, addressFaultMessage(site, address, check));
            }
        }
        markFaulted(e);
        return sticky != null && sticky.result() == e.result() ? sticky : e;
    }

    /**
     * The message of an address fault from the fault record's site, address and check word: threads that faulted at
     * the same time may have left the site of one and the address of another (the kernels record with plain stores),
     * which the check word shows; then both are still real, but not necessarily of the same access.
     */
    String addressFaultMessage(int site, long address, int check) {
        String where;
        synchronized (this) {
            where = site >= 0 && site < siteNames.size() ? siteNames.get(site) : "site " + site;
        }
        String prefix = "an illegal memory access was encountered: " + where + ": ";
        if (check == SpirvCodegen.faultCheck(site, address)) {
            return prefix + "address 0x" + Long.toHexString(address) + " is outside the context's device memory";
        }
        return prefix + "an address outside the context's device memory (several threads made bad accesses at once;"
                + " one of them was to 0x" + Long.toHexString(address) + ")";
    }

    /**
     * The buffer kernels append their printf records to (see {@link SpirvCodegen#PRINTF_BYTES}); created on first
     * use, zeroed.
     */
    synchronized GpuBuffer printfBuffer() throws BackendException {
        if (printfBuffer == null) {
            GpuBuffer b = createHostBuffer(SpirvCodegen.PRINTF_BYTES);
            b.mapped.asSlice(0, SpirvCodegen.PRINTF_BYTES).fill((byte) 0);
            printfBuffer = b;
        }
        return printfBuffer;
    }

    /** Redirects device printf output of this context (tests). */
    public void setPrinter(java.util.function.Consumer<String> printer) {
        this.printer = java.util.Objects.requireNonNull(printer);
    }

    /** Records a kernel fault (trap, assert): like CUDA, the context is unusable afterwards. */
    void markFaulted(BackendException e) {
        if (sticky == null) sticky = e;
    }

    /** Records a failure that leaves the device unusable (device lost). */
    void markLost(BackendException e) {
        if (sticky == null) {
            sticky = e;
            LOG.error("Vulkan device {} lost; the context is unusable: {}", info.name, e.getMessage());
        }
    }

    boolean isClosed() {
        return closed;
    }

    // ---------------------------------------------------------------- buffers

    /**
     * Creates a buffer with its own memory, bound and addressed. {@code host}: host-visible coherent memory,
     * mapped; else the device's device-local type.
     */
    private GpuBuffer createBuffer(long bytes, boolean host, boolean align) throws BackendException {
        // at least 16 bytes from the address: the kernels' bounds check relies on it (see bounds())
        long need = Math.max(bytes, 16);
        long size = need;
        for (int attempt = 0; attempt < 2; attempt++) {
            long buffer = 0;
            long memory = 0;
            boolean mapped = false;
            try (Arena a = Arena.ofConfined()) {
                MemorySegment bci = Vk.BUFFER_CREATE_INFO.allocate(a);
                Vk.BUFFER_CREATE_INFO.setLong(bci, "size", size);
                Vk.BUFFER_CREATE_INFO.setInt(bci, "usage", DEVICE_BUFFER_USAGE);
                Vk.BUFFER_CREATE_INFO.setInt(bci, "sharingMode", Vk.SHARING_MODE_EXCLUSIVE);
                buffer = dev.createBuffer(bci);
                ledger.created(Ledger.Kind.BUFFER);
                MemorySegment req = Vk.MEMORY_REQUIREMENTS.allocate(a);
                dev.bufferMemoryRequirements(buffer, req);
                int bits = Vk.MEMORY_REQUIREMENTS.getInt(req, "memoryTypeBits");
                int type = host ? info.hostMemoryType(bits) : info.deviceMemoryType(bits);
                if (type < 0) {
                    throw new BackendException(CUresult.CUDA_ERROR_OUT_OF_MEMORY, "no suitable memory type for a "
                            + (host ? "host-visible" : "device") + " buffer on " + info.name);
                }
                MemorySegment flags = Vk.MEMORY_ALLOCATE_FLAGS_INFO.allocate(a);
                Vk.MEMORY_ALLOCATE_FLAGS_INFO.setInt(flags, "flags", Vk.MEMORY_ALLOCATE_DEVICE_ADDRESS_BIT);
                MemorySegment mai = Vk.MEMORY_ALLOCATE_INFO.allocate(a);
                Vk.MEMORY_ALLOCATE_INFO.setPtr(mai, "pNext", flags);
                Vk.MEMORY_ALLOCATE_INFO.setLong(mai, "allocationSize", Vk.MEMORY_REQUIREMENTS.getLong(req, "size"));
                Vk.MEMORY_ALLOCATE_INFO.setInt(mai, "memoryTypeIndex", type);
                memory = dev.allocateMemory(mai);
                ledger.created(Ledger.Kind.MEMORY);
                dev.bindBufferMemory(buffer, memory, 0);
                long addr = dev.bufferDeviceAddress(buffer);
                long aligned = align ? (addr + ALIGNMENT - 1) & -ALIGNMENT : addr;
                if (aligned + need > addr + size) {
                    // The driver's alignment is below CUDA's: retry once with room to align inside.
                    release(buffer, memory, false);
                    size = need + ALIGNMENT;
                    continue;
                }
                MemorySegment map = null;
                if (host) {
                    map = dev.mapMemory(memory, 0, size);
                    mapped = true;
                }
                return new GpuBuffer(buffer, memory, addr, size, map, aligned, bytes);
            } catch (BackendException | RuntimeException e) {
                release(buffer, memory, mapped);
                throw e;
            }
        }
        throw new IllegalStateException("unreachable");
    }

    private void release(long buffer, long memory, boolean mapped) {
        if (buffer != 0) {
            dev.destroyBuffer(buffer);
            ledger.destroyed(Ledger.Kind.BUFFER);
        }
        if (memory != 0) {
            if (mapped) dev.unmapMemory(memory);
            dev.freeMemory(memory);
            ledger.destroyed(Ledger.Kind.MEMORY);
        }
    }

    GpuBuffer createHostBuffer(long bytes) throws BackendException {
        return createBuffer(bytes, true, false);
    }

    void destroyBuffer(GpuBuffer b) {
        release(b.buffer, b.memory, b.mapped != null);
    }

    @Override
    public long allocate(long bytes) throws BackendException {
        try (Guard g = enter()) {
            if (bytes <= 0) throw new BackendException(CUresult.CUDA_ERROR_INVALID_VALUE, "size " + bytes);
            if (bytes > info.maxMemoryAllocationSize - ALIGNMENT) {
                throw new BackendException(CUresult.CUDA_ERROR_OUT_OF_MEMORY, "cannot allocate " + bytes
                        + " bytes: " + info.name + " allows " + info.maxMemoryAllocationSize + " per allocation");
            }
            long total = info.deviceMemoryBytes();
            if (allocatedBytes.addAndGet(bytes) > total) {
                allocatedBytes.addAndGet(-bytes);
                throw new BackendException(CUresult.CUDA_ERROR_OUT_OF_MEMORY, "cannot allocate " + bytes
                        + " bytes: " + allocatedBytes.get() + " of " + total + " in use");
            }
            GpuBuffer b;
            try {
                b = createBuffer(bytes, false, true);
            } catch (BackendException | RuntimeException e) {
                allocatedBytes.addAndGet(-bytes);
                throw e;
            }
            allocations.put(b.address, b);
            return b.address;
        }
    }

    @Override
    public void free(long address) throws BackendException {
        GpuBuffer b;
        try (Guard g = enter()) {
            b = allocations.remove(address);
            if (b == null) {
                throw new BackendException(CUresult.CUDA_ERROR_INVALID_VALUE,
                        "0x" + Long.toHexString(address) + " is not the start of an allocation");
            }
            allocatedBytes.addAndGet(-b.bytes);
        }
        // Like cudaFree, wait for work that may still use it; then destroy. Operations enqueued from now on
        // fail validation, because the allocation left the table before we waited. Until destroyed it is
        // on the deferred list, which close() empties should the context close meanwhile.
        synchronized (deferredFrees) {
            deferredFrees.add(b);
        }
        if (VulkanStream.isWorkerThread(this)) return; // from a host callback: destroyed at close
        quiesceCalls();
        for (VulkanStream s : streams) s.drain();
        lifecycle.readLock().lock();
        try {
            if (!closed) {
                boolean mine;
                synchronized (deferredFrees) {
                    mine = deferredFrees.remove(b);
                }
                if (mine) destroyBuffer(b);
            }
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    @Override
    public long allocatedBytes() {
        return allocatedBytes.get();
    }

    /** The validated range {@code [address, address + bytes)}: inside one live allocation, else {@code error}. */
    Span resolve(long address, long bytes, CUresult error) throws BackendException {
        Map.Entry<Long, GpuBuffer> e = allocations.floorEntry(address);
        if (e != null && bytes >= 0) {
            GpuBuffer b = e.getValue();
            long offset = address - b.address;
            if (offset + bytes <= b.bytes) return new Span(b, b.offsetOf(address), bytes);
        }
        throw new BackendException(error, "[0x" + Long.toHexString(address) + ", +" + bytes
                + ") is not inside a live device allocation");
    }

    /** Number of live allocations. */
    int liveAllocations() {
        return allocations.size();
    }

    // ---------------------------------------------------------------- modules and kernels

    @Override
    public BackendModule loadModule(Module module) throws BackendException {
        try (Guard g = enter()) {
            // only checks that the context is usable: allocating and freeing variables take their own guards
        }
        {
            List<String> problems = IrVerifier.verify(module);
            if (!problems.isEmpty()) {
                throw new BackendException(CUresult.CUDA_ERROR_INVALID_PTX, "module " + module.name()
                        + " is not valid IR:\n  " + String.join("\n  ", problems));
            }
            SpirvCodegen.Prepared prepared;
            try {
                prepared = SpirvCodegen.prepare(module);
            } catch (RuntimeException e) {
                throw new BackendException(CUresult.CUDA_ERROR_INVALID_PTX, "module " + module.name()
                        + ": predication failed: " + e.getMessage());
            }
            Module predicated = prepared.module();
            Map<String, Long> globals = new HashMap<>();
            List<Long> allocs = new ArrayList<>();
            try {
                allocateGlobals(predicated, globals, allocs);
            } catch (BackendException | RuntimeException e) {
                for (long a : allocs) freeQuietly(a);
                throw e;
            }
            VulkanModule m = new VulkanModule(this, module.name(), prepared, globals, allocs, target());
            try (Guard g = enter()) {
                modules.add(m);
            }
            return m;
        }
    }

    /** What the code generator may use on this device. */
    Target target() {
        return new Target(info.has("shaderInt8") && info.has("storageBuffer8BitAccess"),
                info.has("shaderInt16") && info.has("storageBuffer16BitAccess"), info.has("shaderFloat64"),
                info.has("shaderBufferInt64Atomics"), info.has("shaderBufferFloat32AtomicAdd"),
                info.maxPushConstantsSize, info.extensions.contains("VK_KHR_shader_clock")
                        && info.has("shaderSubgroupClock") && info.has("shaderDeviceClock"),
                info.extensions.contains("VK_KHR_shader_fma") && info.has("shaderFmaFloat32"),
                info.extensions.contains("VK_KHR_shader_fma") && info.has("shaderFmaFloat64"),
                info.driverName.toLowerCase(java.util.Locale.ROOT).contains("llvmpipe")
                        && !"false".equals(System.getProperty("transcuda.vulkan.loopWatch")));
    }

    /** Every {@code .global}/{@code .const} variable as an allocation with its initializer and relocations. */
    private void allocateGlobals(Module ir, Map<String, Long> globals, List<Long> allocs) throws BackendException {
        List<Variable> vars = new ArrayList<>();
        for (Variable v : ir.variables()) {
            if (v.space() != AddressSpace.GLOBAL && v.space() != AddressSpace.CONST) continue;
            if (v.external() && v.init() == null && v.count() == 0) continue;
            long a = allocate(Math.max(1, v.size()));
            allocs.add(a);
            globals.put(v.name(), a);
            vars.add(v);
        }
        if (vars.isEmpty()) return;
        VulkanStream s = createStream();
        try {
            for (Variable v : vars) {
                long size = Math.max(1, v.size());
                byte[] bytes = new byte[(int) size];
                if (v.init() != null) System.arraycopy(v.init(), 0, bytes, 0, (int) Math.min(size, v.init().length));
                java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                for (Variable.Relocation r : v.relocations()) {
                    Long target = globals.get(r.symbol());
                    for (int i = 0; target == null && i < ir.functions().size(); i++) {
                        if (ir.functions().get(i).name().equals(r.symbol())) target = (SpirvCodegen.FUNC_TAG << 48) + i;
                    }
                    if (target == null) {
                        throw new BackendException(CUresult.CUDA_ERROR_NOT_SUPPORTED, "initializer of " + v.name()
                                + " refers to " + r.symbol() + ", which has no device address on Vulkan");
                    }
                    long value = target + r.addend();
                    if (r.width() == 8) bb.putLong((int) r.offset(), value);
                    else if (r.width() == 4) bb.putInt((int) r.offset(), (int) value);
                    else throw new BackendException(CUresult.CUDA_ERROR_INVALID_PTX, "relocation of width " + r.width());
                }
                s.copyHostToDevice(globals.get(v.name()), MemorySegment.ofArray(bytes));
            }
            s.synchronize();
        } finally {
            s.close();
        }
    }

    private void freeQuietly(long a) {
        try {
            free(a);
        } catch (BackendException e) {
            LOG.debug("freeing a module variable: {}", e.getMessage());
        }
    }

    /**
     * Loads ready-made SPIR-V kernels as a module (the tests' way to launch hand-written SPIR-V; IR modules go
     * through {@link #loadModule}).
     */
    VulkanModule load(String name, List<VulkanKernel> kernels) throws BackendException {
        try (Guard g = enter()) {
            VulkanModule m = new VulkanModule(this, name);
            try {
                for (VulkanKernel k : kernels) m.add(new VulkanFunction(this, k));
            } catch (BackendException | RuntimeException e) {
                m.destroy();
                throw e;
            }
            modules.add(m);
            return m;
        }
    }

    /** Loads one kernel in a module of its own. */
    VulkanFunction load(VulkanKernel kernel) throws BackendException {
        return load(kernel.name(), List.of(kernel)).function(kernel.name());
    }

    void unload(VulkanModule m) {
        if (!modules.remove(m)) return;
        if (!VulkanStream.isWorkerThread(this)) {
            quiesceCalls();
            for (VulkanStream s : streams) s.drain();
        }
        lifecycle.readLock().lock();
        try {
            if (!closed) m.destroy();
        } finally {
            lifecycle.readLock().unlock();
        }
        if (!closed) for (long a : m.allocations()) freeQuietly(a);
    }

    VulkanFunction function(BackendFunction f) throws BackendException {
        if (f instanceof VulkanFunction vf && vf.context() == this && !vf.isRetired()) return vf;
        throw new BackendException(CUresult.CUDA_ERROR_INVALID_HANDLE, "function " + f.ir().name()
                + " does not belong to a live module of this context");
    }

    // ---------------------------------------------------------------- streams

    @Override
    public VulkanStream createStream() throws BackendException {
        try (Guard g = enter()) {
            VulkanStream s = new VulkanStream(this);
            streams.add(s);
            return s;
        }
    }

    void streamClosed(VulkanStream s) {
        streams.remove(s);
    }

    @Override
    public void synchronize() throws BackendException {
        try (Guard g = enter()) {
            BackendException first = null;
            for (VulkanStream s : streams) {
                try {
                    s.synchronize();
                } catch (BackendException e) {
                    if (first == null) first = e;
                }
            }
            if (first != null) throw first;
        }
    }

    // ---------------------------------------------------------------- close

    @Override
    public void close() {
        ReentrantReadWriteLock.WriteLock lock = lifecycle.writeLock();
        lock.lock();
        try {
            if (closed) return;
            closed = true;
        } finally {
            lock.unlock();
        }
        for (VulkanStream s : streams) s.abort();
        streams.clear();
        try {
            dev.waitIdle();
        } catch (VkException e) {
            LOG.warn("vkDeviceWaitIdle while closing a context on {}: {}", info.name, e.getMessage());
        }
        for (VulkanModule m : modules) m.destroy();
        modules.clear();
        for (GpuBuffer b : allocations.values()) destroyBuffer(b);
        allocations.clear();
        allocatedBytes.set(0);
        synchronized (deferredFrees) {
            for (GpuBuffer b : deferredFrees) destroyBuffer(b);
            deferredFrees.clear();
        }
        staging.close();
        synchronized (this) {
            if (faultRecord != null) destroyBuffer(faultRecord);
            faultRecord = null;
            if (printfBuffer != null) destroyBuffer(printfBuffer);
            printfBuffer = null;
        }
        dev.close();
        ledger.destroyed(Ledger.Kind.DEVICE);
        if (ledger.total() != 0) LOG.warn("context on {} closed with live Vulkan objects: {}", info.name, ledger);
        device.contextClosed(this);
    }
}
