package org.transcuda.internal;

import java.lang.foreign.MemorySegment;
import java.util.function.IntToLongFunction;
import org.transcuda.cuda.CUfunction_attribute;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.CudaException;
import org.transcuda.cuda.CudaFunction;
import org.transcuda.cuda.CudaModule;
import org.transcuda.cuda.Dim3;
import org.transcuda.cuda.KernelArgs;
import org.transcuda.ir.Param;
import org.transcuda.spi.BackendFunction;
import org.transcuda.spi.DeviceProperties;

/**
 * A kernel of a loaded module: its attributes, launch checks and occupancy, all derived from the device's
 * properties (the same values cuDeviceGetAttribute reports) and the backend's figures for the kernel.
 */
final class FunctionImpl implements CudaFunction {
    final ModuleImpl module;
    final BackendFunction backend;
    /** CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES as set; -1 until set (then the default applies). */
    private volatile int maxDynamicShared = -1;
    private volatile int carveout = -1;
    private volatile int cacheConfig = CACHE_PREFER_NONE;

    FunctionImpl(ModuleImpl module, BackendFunction backend) {
        this.module = module;
        this.backend = backend;
    }

    @Override
    public String name() {
        return backend.ir().name();
    }

    @Override
    public CudaModule module() {
        return module;
    }

    @Override
    public long[] paramInfo(int index) throws CudaException {
        var params = backend.ir().params();
        if (index < 0 || index >= params.size()) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE,
                    name() + " has " + params.size() + " parameters; no parameter " + index);
        }
        Param p = params.get(index);
        return new long[] {p.offset(), p.size()};
    }

    @Override
    public KernelArgs newArgs() {
        return new KernelArgs(backend.ir());
    }

    @Override
    public KernelArgs argsFromBuffer(MemorySegment buffer) throws CudaException {
        return KernelArgs.fromBuffer(backend.ir(), buffer);
    }

    /*
     * The device's properties and the loaded kernel's own limits do not change while the function lives: read
     * once under the lease, then launch checks take no lease of their own (the launch's enqueue takes it).
     */
    private volatile DeviceProperties properties;
    private volatile int ownStaticShared = -1;
    private volatile int ownMaxThreads = -1;

    private DeviceProperties device() throws CudaException {
        DeviceProperties p = properties;
        if (p == null) properties = p = module.context.device.properties();
        return p;
    }

    private int staticShared() throws CudaException {
        int v = ownStaticShared;
        if (v < 0) ownStaticShared = v = module.context.call(backend::staticSharedBytes);
        return v;
    }

    /** The backend's limit on threads per block for this kernel. */
    private int ownMaxThreads() throws CudaException {
        int v = ownMaxThreads;
        if (v < 0) ownMaxThreads = v = module.context.call(backend::maxThreadsPerBlock);
        return v;
    }

    /** The largest block this kernel runs with: the device's and the backend's limits. */
    int maxThreads() throws CudaException {
        return Math.min(device().maxThreadsPerBlock(), ownMaxThreads());
    }

    @Override
    public boolean isLoaded() throws CudaException {
        module.context.call(() -> null);
        return true;
    }

    @Override
    public void load() throws CudaException {
        module.context.call(() -> null);
    }

    @Override
    public int maxThreadsPerBlock() throws CudaException {
        module.context.call(() -> null); // a destroyed, faulted or revoked context reports its error
        return maxThreads();
    }

    /** Dynamic shared memory a launch may ask for: as set, else what the block's shared memory leaves. */
    int maxDynamicShared() throws CudaException {
        int set = maxDynamicShared;
        if (set >= 0) return set;
        return Math.max(0, device().sharedMemoryPerBlock() - staticShared());
    }

    @Override
    public int attribute(CUfunction_attribute attribute) throws CudaException {
        if (attribute == null) throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE, "no attribute");
        module.context.call(() -> null); // a destroyed or faulted context reports its error
        return switch (attribute) {
            case CU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK -> maxThreads();
            case CU_FUNC_ATTRIBUTE_SHARED_SIZE_BYTES -> staticShared();
            case CU_FUNC_ATTRIBUTE_CONST_SIZE_BYTES -> module.context.call(backend::constBytes);
            case CU_FUNC_ATTRIBUTE_LOCAL_SIZE_BYTES -> module.context.call(backend::localBytesPerThread);
            case CU_FUNC_ATTRIBUTE_NUM_REGS -> module.context.call(backend::registersPerThread);
            case CU_FUNC_ATTRIBUTE_PTX_VERSION -> module.ptxVersion;
            case CU_FUNC_ATTRIBUTE_BINARY_VERSION -> device().computeMajor() * 10 + device().computeMinor();
            case CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES -> maxDynamicShared();
            case CU_FUNC_ATTRIBUTE_PREFERRED_SHARED_MEMORY_CARVEOUT -> carveout;
            default -> 0; // cache mode and cluster attributes: no clusters, no L1 caching mode
        };
    }

    @Override
    public void setAttribute(CUfunction_attribute attribute, int value) throws CudaException {
        module.context.call(() -> null);
        switch (attribute) {
            case CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES -> {
                int limit = DeviceAttributes.value(device(),
                        org.transcuda.cuda.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN)
                        - staticShared();
                if (value < 0 || value > limit) {
                    throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE, "dynamic shared memory of " + value
                            + " bytes: " + name() + " may use 0.." + limit);
                }
                maxDynamicShared = value;
            }
            case CU_FUNC_ATTRIBUTE_PREFERRED_SHARED_MEMORY_CARVEOUT -> {
                if (value < -1 || value > 100) {
                    throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE,
                            "carveout " + value + " is not -1 (default) or a percentage 0..100");
                }
                carveout = value;
            }
            case null -> throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE, "no attribute");
            default -> throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE, attribute + " cannot be set");
        }
    }

    @Override
    public void setCacheConfig(int config) throws CudaException {
        module.context.call(() -> null);
        if (config < CACHE_PREFER_NONE || config > CACHE_PREFER_EQUAL) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE, "cache configuration " + config + " (0..3)");
        }
        cacheConfig = config;
    }

    @Override
    public int cacheConfig() {
        return cacheConfig;
    }

    /**
     * CUDA's launch checks. Block and grid dimensions over the device's limits, more threads than the
     * device allows per block, or more dynamic shared memory than the function's
     * MAX_DYNAMIC_SHARED_SIZE_BYTES: CUDA_ERROR_INVALID_VALUE. A block the device allows but this kernel
     * cannot run (its resources, e.g. registers, limit it): CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES.
     */
    void checkLaunch(Dim3 grid, Dim3 block, int dynamicShared) throws CudaException {
        DeviceProperties p = device();
        Dim3 mb = p.maxBlockDim();
        Dim3 mg = p.maxGridDim();
        if (block.x() > mb.x() || block.y() > mb.y() || block.z() > mb.z()) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE,
                    "block " + block + " exceeds the device's maximum block dimensions " + mb);
        }
        if (block.volume() > p.maxThreadsPerBlock()) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE, "block " + block + " has " + block.volume()
                    + " threads; the device allows at most " + p.maxThreadsPerBlock());
        }
        if (grid.x() > mg.x() || grid.y() > mg.y() || grid.z() > mg.z()) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE,
                    "grid " + grid + " exceeds the device's maximum grid dimensions " + mg);
        }
        int maxDynamic = maxDynamicShared();
        if (dynamicShared < 0 || dynamicShared > maxDynamic) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE, "launch asks for " + dynamicShared
                    + " bytes of dynamic shared memory; " + name() + " may use at most " + maxDynamic
                    + " (cuFuncSetAttribute MAX_DYNAMIC_SHARED_SIZE_BYTES raises it up to the opt-in limit)");
        }
        int own = ownMaxThreads();
        if (block.volume() > own) {
            throw new CudaException(CUresult.CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES, "block " + block + " has "
                    + block.volume() + " threads; " + name() + " can run at most " + own + " per block");
        }
    }

    // ---- occupancy ----

    private static int attr(DeviceProperties p, org.transcuda.cuda.CUdevice_attribute a) {
        return DeviceAttributes.value(p, a);
    }

    /** Blocks of {@code blockSize} threads with {@code dynamicShared} bytes that fit on one multiprocessor. */
    private int activeBlocks(DeviceProperties p, int maxThreads, int staticShared, int regs, int blockSize,
            long dynamicShared) {
        if (blockSize <= 0 || blockSize > maxThreads || dynamicShared < 0) return 0;
        long warps = (blockSize + p.warpSize() - 1) / p.warpSize();
        long threadsRounded = warps * p.warpSize();
        long limit = attr(p, org.transcuda.cuda.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_BLOCKS_PER_MULTIPROCESSOR);
        long threadsPerSm = attr(p,
                org.transcuda.cuda.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_MULTIPROCESSOR);
        limit = Math.min(limit, threadsPerSm / threadsRounded);
        if (regs > 0) {
            long regsPerSm = attr(p,
                    org.transcuda.cuda.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_REGISTERS_PER_MULTIPROCESSOR);
            limit = Math.min(limit, regsPerSm / (threadsRounded * regs));
        }
        long shared = staticShared + dynamicShared;
        if (shared > 0) {
            long sharedPerSm = attr(p,
                    org.transcuda.cuda.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_MULTIPROCESSOR);
            limit = Math.min(limit, sharedPerSm / shared);
        }
        return (int) Math.max(0, limit);
    }

    @Override
    public int maxActiveBlocksPerMultiprocessor(int blockSize, long dynamicSharedBytes) throws CudaException {
        if (blockSize <= 0 || dynamicSharedBytes < 0) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE,
                    "block size " + blockSize + ", dynamic shared memory " + dynamicSharedBytes);
        }
        DeviceProperties p = device();
        if (dynamicSharedBytes > maxDynamicShared()) return 0;
        return activeBlocks(p, maxThreads(), staticShared(), module.context.call(backend::registersPerThread),
                blockSize, dynamicSharedBytes);
    }

    @Override
    public int[] maxPotentialBlockSize(IntToLongFunction dynamicSharedForBlock, long dynamicSharedBytes,
            int blockSizeLimit) throws CudaException {
        if (blockSizeLimit < 0 || dynamicSharedBytes < 0) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE,
                    "block size limit " + blockSizeLimit + ", dynamic shared memory " + dynamicSharedBytes);
        }
        DeviceProperties p = device();
        int maxThreads = maxThreads();
        int limit = blockSizeLimit == 0 ? maxThreads : Math.min(blockSizeLimit, maxThreads);
        int staticShared = staticShared();
        int regs = module.context.call(backend::registersPerThread);
        int maxDynamic = maxDynamicShared();
        int bestSize = 0;
        int bestBlocks = 0;
        long bestThreads = 0;
        int warp = p.warpSize();
        // From the largest candidate down: ties keep the larger block, as CUDA's helper does.
        int start = limit % warp == 0 ? limit : limit - limit % warp + warp;
        for (int size = start; size > 0; size -= warp) {
            int candidate = Math.min(size, limit);
            long dyn = dynamicSharedForBlock == null ? dynamicSharedBytes : dynamicSharedForBlock.applyAsLong(candidate);
            if (dyn < 0 || dyn > maxDynamic) continue;
            int blocks = activeBlocks(p, maxThreads, staticShared, regs, candidate, dyn);
            long threads = (long) blocks * candidate;
            if (threads > bestThreads) {
                bestThreads = threads;
                bestSize = candidate;
                bestBlocks = blocks;
            }
        }
        return new int[] {bestBlocks * p.multiprocessorCount(), bestSize};
    }

    @Override
    public long availableDynamicSharedMemoryPerBlock(int numBlocks, int blockSize) throws CudaException {
        if (numBlocks <= 0 || blockSize <= 0) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE, "blocks " + numBlocks + ", size " + blockSize);
        }
        DeviceProperties p = device();
        int staticShared = staticShared();
        if (activeBlocks(p, maxThreads(), staticShared, module.context.call(backend::registersPerThread), blockSize,
                0) < numBlocks) {
            return 0;
        }
        long perSm = attr(p, org.transcuda.cuda.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_MULTIPROCESSOR);
        long share = perSm / numBlocks - staticShared;
        return Math.max(0, Math.min(share, maxDynamicShared()));
    }
}
