package org.transcuda.cuda;

import java.lang.foreign.MemorySegment;
import java.util.function.IntToLongFunction;
import org.osgi.annotation.versioning.ProviderType;

/** A kernel ({@code CUfunction}). */
@ProviderType
public interface CudaFunction {
    /** CU_FUNC_CACHE_PREFER_NONE .. CU_FUNC_CACHE_PREFER_EQUAL (0..3), for {@link #setCacheConfig}. */
    int CACHE_PREFER_NONE = 0;
    int CACHE_PREFER_SHARED = 1;
    int CACHE_PREFER_L1 = 2;
    int CACHE_PREFER_EQUAL = 3;

    @CudaApi({"cuFuncGetName"})
    String name();

    /** cuFuncGetModule. */
    @CudaApi({"cuFuncGetModule"})
    CudaModule module();

    /** cuFuncGetParamInfo: {offset, size} in bytes of parameter {@code index}; CUDA_ERROR_INVALID_VALUE past the end. */
    @CudaApi({"cuFuncGetParamInfo"})
    long[] paramInfo(int index) throws CudaException;

    /** A fresh argument list laid out for this kernel's parameters. */
    KernelArgs newArgs();

    /**
     * Arguments from a packed parameter buffer, as cuLaunchKernel's {@code extra} passes them
     * (CU_LAUNCH_PARAM_BUFFER_POINTER with CU_LAUNCH_PARAM_BUFFER_SIZE): {@code buffer} holds the parameters
     * at their offsets; a buffer shorter than the kernel's parameter buffer is CUDA_ERROR_INVALID_VALUE.
     */
    KernelArgs argsFromBuffer(MemorySegment buffer) throws CudaException;

    /** cuFuncIsLoaded: functions are loaded when they are looked up, so always true for a live module. */
    @CudaApi({"cuFuncIsLoaded"})
    boolean isLoaded() throws CudaException;

    /** cuFuncLoad: nothing left to load (see {@link #isLoaded()}); fails only for an unusable context. */
    @CudaApi({"cuFuncLoad"})
    void load() throws CudaException;

    /** CU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK. */
    int maxThreadsPerBlock() throws CudaException;

    /**
     * cuFuncGetAttribute: MAX_THREADS_PER_BLOCK, SHARED/CONST/LOCAL_SIZE_BYTES and NUM_REGS as the backend
     * reports them, PTX_VERSION (from the module's {@code .version}, major*10+minor; 0 for IR modules),
     * BINARY_VERSION (the device's compute capability, major*10+minor), MAX_DYNAMIC_SHARED_SIZE_BYTES and
     * PREFERRED_SHARED_MEMORY_CARVEOUT as set by {@link #setAttribute} (defaults: what the device's shared
     * memory per block leaves after static shared memory, and -1); cluster attributes 0.
     */
    @CudaApi({"cuFuncGetAttribute"})
    int attribute(CUfunction_attribute attribute) throws CudaException;

    /**
     * cuFuncSetAttribute: MAX_DYNAMIC_SHARED_SIZE_BYTES (0 up to the device's opt-in shared memory per block
     * minus static shared memory) and PREFERRED_SHARED_MEMORY_CARVEOUT (-1..100); other attributes, or values
     * out of range, are CUDA_ERROR_INVALID_VALUE.
     */
    @CudaApi({"cuFuncSetAttribute"})
    void setAttribute(CUfunction_attribute attribute, int value) throws CudaException;

    /** cuFuncSetCacheConfig: a preference (0..3), recorded; anything else is CUDA_ERROR_INVALID_VALUE. */
    @CudaApi({"cuFuncSetCacheConfig"})
    void setCacheConfig(int config) throws CudaException;

    /** The cache preference last set (CU_FUNC_CACHE_PREFER_NONE by default). */
    int cacheConfig();

    /**
     * cuOccupancyMaxActiveBlocksPerMultiprocessor: how many blocks of {@code blockSize} threads using
     * {@code dynamicSharedBytes} fit on one multiprocessor, from the device attributes (threads, blocks,
     * registers and shared memory per multiprocessor) and the kernel's own limits; 0 when such a block cannot
     * be launched at all.
     */
    @CudaApi({"cuOccupancyMaxActiveBlocksPerMultiprocessor", "cuOccupancyMaxActiveBlocksPerMultiprocessorWithFlags"})
    int maxActiveBlocksPerMultiprocessor(int blockSize, long dynamicSharedBytes) throws CudaException;

    /**
     * cuOccupancyMaxPotentialBlockSize: {minGridSize, blockSize}: the block size (a multiple of the warp
     * size, at most {@code blockSizeLimit} when it is positive) that maximizes occupancy, and the grid size that
     * fills the device at that occupancy. {@code dynamicSharedForBlock} gives the dynamic shared memory a block
     * size needs; when null, {@code dynamicSharedBytes} is used for every size.
     */
    @CudaApi({"cuOccupancyMaxPotentialBlockSize", "cuOccupancyMaxPotentialBlockSizeWithFlags"})
    int[] maxPotentialBlockSize(IntToLongFunction dynamicSharedForBlock, long dynamicSharedBytes, int blockSizeLimit)
            throws CudaException;

    /** cuOccupancyAvailableDynamicSMemPerBlock: dynamic shared memory left for {@code numBlocks} blocks per SM. */
    @CudaApi({"cuOccupancyAvailableDynamicSMemPerBlock"})
    long availableDynamicSharedMemoryPerBlock(int numBlocks, int blockSize) throws CudaException;
}
