/*
 * The parts of CUDA 13's ABI that the drop-in libraries define themselves, as X-macro lists, so that one list
 * both declares them (tc_types.h, which stands in for the CUDA headers: the build needs no CUDA toolkit) and
 * is checked against NVIDIA's headers (check/header_check.c, run by `make check` where CUDA is installed).
 */
#ifndef TC_LISTS_H
#define TC_LISTS_H

/* Enumerators the C side uses, X(name, value), one list per CUDA enum type. */
#define TC_CUDA_ERRORS(X) \
    X(cudaSuccess, 0) \
    X(cudaErrorInvalidValue, 1) \
    X(cudaErrorInitializationError, 3) \
    X(cudaErrorMissingConfiguration, 52) \
    X(cudaErrorInvalidDeviceFunction, 98) \
    X(cudaErrorUnknown, 999)
#define TC_CU_RESULTS(X) \
    X(CUDA_SUCCESS, 0) \
    X(CUDA_ERROR_INVALID_VALUE, 1) \
    X(CUDA_ERROR_NOT_INITIALIZED, 3) \
    X(CUDA_ERROR_NOT_FOUND, 500) \
    X(CUDA_ERROR_UNKNOWN, 999)
#define TC_MEMCPY_KINDS(X) \
    X(cudaMemcpyHostToHost, 0) \
    X(cudaMemcpyHostToDevice, 1) \
    X(cudaMemcpyDeviceToHost, 2) \
    X(cudaMemcpyDeviceToDevice, 3) \
    X(cudaMemcpyDefault, 4)
#define TC_DEVICE_ATTRS(X) \
    X(cudaDevAttrMaxThreadsPerBlock, 1)
#define TC_PROC_ADDRESS_FLAGS(X) \
    X(CU_GET_PROC_ADDRESS_DEFAULT, 0) \
    X(CU_GET_PROC_ADDRESS_LEGACY_STREAM, 1) \
    X(CU_GET_PROC_ADDRESS_PER_THREAD_DEFAULT_STREAM, 2)
#define TC_PROC_ADDRESS_RESULTS(X) \
    X(CU_GET_PROC_ADDRESS_SUCCESS, 0) \
    X(CU_GET_PROC_ADDRESS_SYMBOL_NOT_FOUND, 1) \
    X(CU_GET_PROC_ADDRESS_VERSION_NOT_SUFFICIENT, 2)
/* Enum types that only appear in prototypes: one enumerator each declares the type (values pass through). */
#define TC_CUDA_LIMITS(X) \
    X(cudaLimitStackSize, 0)
#define TC_CU_LIMITS(X) \
    X(CU_LIMIT_STACK_SIZE, 0)
#define TC_CUDA_FUNC_ATTRIBUTES(X) \
    X(cudaFuncAttributeMaxDynamicSharedMemorySize, 8)
#define TC_CU_FUNCTION_ATTRIBUTES(X) \
    X(CU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK, 0)
#define TC_CUDA_FUNC_CACHES(X) \
    X(cudaFuncCachePreferNone, 0)
#define TC_CU_FUNC_CACHES(X) \
    X(CU_FUNC_CACHE_PREFER_NONE, 0)
#define TC_CONSTANTS(X) \
    TC_CUDA_LIMITS(X) \
    TC_CU_LIMITS(X) \
    TC_CUDA_FUNC_ATTRIBUTES(X) \
    TC_CU_FUNCTION_ATTRIBUTES(X) \
    TC_CUDA_FUNC_CACHES(X) \
    TC_CU_FUNC_CACHES(X) \
    TC_CUDA_ERRORS(X) \
    TC_CU_RESULTS(X) \
    TC_MEMCPY_KINDS(X) \
    TC_DEVICE_ATTRS(X) \
    TC_PROC_ADDRESS_FLAGS(X) \
    TC_PROC_ADDRESS_RESULTS(X) \
    TC_DEVICE_ATTRIBUTES(X)

/* CUdevice_attribute: the attributes cudaGetDeviceProperties reads. */
#define TC_DEVICE_ATTRIBUTES(X) \
    X(CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK, 1) \
    X(CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_X, 2) \
    X(CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_Y, 3) \
    X(CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_Z, 4) \
    X(CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_X, 5) \
    X(CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Y, 6) \
    X(CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Z, 7) \
    X(CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK, 8) \
    X(CU_DEVICE_ATTRIBUTE_TOTAL_CONSTANT_MEMORY, 9) \
    X(CU_DEVICE_ATTRIBUTE_WARP_SIZE, 10) \
    X(CU_DEVICE_ATTRIBUTE_MAX_PITCH, 11) \
    X(CU_DEVICE_ATTRIBUTE_MAX_REGISTERS_PER_BLOCK, 12) \
    X(CU_DEVICE_ATTRIBUTE_TEXTURE_ALIGNMENT, 14) \
    X(CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT, 16) \
    X(CU_DEVICE_ATTRIBUTE_INTEGRATED, 18) \
    X(CU_DEVICE_ATTRIBUTE_CAN_MAP_HOST_MEMORY, 19) \
    X(CU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE1D_WIDTH, 21) \
    X(CU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE2D_WIDTH, 22) \
    X(CU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE2D_HEIGHT, 23) \
    X(CU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE3D_WIDTH, 24) \
    X(CU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE3D_HEIGHT, 25) \
    X(CU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE3D_DEPTH, 26) \
    X(CU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE2D_LAYERED_WIDTH, 27) \
    X(CU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE2D_LAYERED_HEIGHT, 28) \
    X(CU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE2D_LAYERED_LAYERS, 29) \
    X(CU_DEVICE_ATTRIBUTE_SURFACE_ALIGNMENT, 30) \
    X(CU_DEVICE_ATTRIBUTE_CONCURRENT_KERNELS, 31) \
    X(CU_DEVICE_ATTRIBUTE_ECC_ENABLED, 32) \
    X(CU_DEVICE_ATTRIBUTE_PCI_BUS_ID, 33) \
    X(CU_DEVICE_ATTRIBUTE_PCI_DEVICE_ID, 34) \
    X(CU_DEVICE_ATTRIBUTE_TCC_DRIVER, 35) \
    X(CU_DEVICE_ATTRIBUTE_GLOBAL_MEMORY_BUS_WIDTH, 37) \
    X(CU_DEVICE_ATTRIBUTE_L2_CACHE_SIZE, 38) \
    X(CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_MULTIPROCESSOR, 39) \
    X(CU_DEVICE_ATTRIBUTE_ASYNC_ENGINE_COUNT, 40) \
    X(CU_DEVICE_ATTRIBUTE_UNIFIED_ADDRESSING, 41) \
    X(CU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE1D_LAYERED_WIDTH, 42) \
    X(CU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE1D_LAYERED_LAYERS, 43) \
    X(CU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE2D_GATHER_WIDTH, 45) \
    X(CU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE2D_GATHER_HEIGHT, 46) \
    X(CU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE3D_WIDTH_ALTERNATE, 47) \
    X(CU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE3D_HEIGHT_ALTERNATE, 48) \
    X(CU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE3D_DEPTH_ALTERNATE, 49) \
    X(CU_DEVICE_ATTRIBUTE_PCI_DOMAIN_ID, 50) \
    X(CU_DEVICE_ATTRIBUTE_TEXTURE_PITCH_ALIGNMENT, 51) \
    X(CU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURECUBEMAP_WIDTH, 52) \
    X(CU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURECUBEMAP_LAYERED_WIDTH, 53) \
    X(CU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURECUBEMAP_LAYERED_LAYERS, 54) \
    X(CU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACE1D_WIDTH, 55) \
    X(CU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACE2D_WIDTH, 56) \
    X(CU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACE2D_HEIGHT, 57) \
    X(CU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACE3D_WIDTH, 58) \
    X(CU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACE3D_HEIGHT, 59) \
    X(CU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACE3D_DEPTH, 60) \
    X(CU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACE1D_LAYERED_WIDTH, 61) \
    X(CU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACE1D_LAYERED_LAYERS, 62) \
    X(CU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACE2D_LAYERED_WIDTH, 63) \
    X(CU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACE2D_LAYERED_HEIGHT, 64) \
    X(CU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACE2D_LAYERED_LAYERS, 65) \
    X(CU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACECUBEMAP_WIDTH, 66) \
    X(CU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACECUBEMAP_LAYERED_WIDTH, 67) \
    X(CU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACECUBEMAP_LAYERED_LAYERS, 68) \
    X(CU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE2D_LINEAR_WIDTH, 70) \
    X(CU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE2D_LINEAR_HEIGHT, 71) \
    X(CU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE2D_LINEAR_PITCH, 72) \
    X(CU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE2D_MIPMAPPED_WIDTH, 73) \
    X(CU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE2D_MIPMAPPED_HEIGHT, 74) \
    X(CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, 75) \
    X(CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, 76) \
    X(CU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE1D_MIPMAPPED_WIDTH, 77) \
    X(CU_DEVICE_ATTRIBUTE_STREAM_PRIORITIES_SUPPORTED, 78) \
    X(CU_DEVICE_ATTRIBUTE_GLOBAL_L1_CACHE_SUPPORTED, 79) \
    X(CU_DEVICE_ATTRIBUTE_LOCAL_L1_CACHE_SUPPORTED, 80) \
    X(CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_MULTIPROCESSOR, 81) \
    X(CU_DEVICE_ATTRIBUTE_MAX_REGISTERS_PER_MULTIPROCESSOR, 82) \
    X(CU_DEVICE_ATTRIBUTE_MANAGED_MEMORY, 83) \
    X(CU_DEVICE_ATTRIBUTE_MULTI_GPU_BOARD, 84) \
    X(CU_DEVICE_ATTRIBUTE_MULTI_GPU_BOARD_GROUP_ID, 85) \
    X(CU_DEVICE_ATTRIBUTE_HOST_NATIVE_ATOMIC_SUPPORTED, 86) \
    X(CU_DEVICE_ATTRIBUTE_PAGEABLE_MEMORY_ACCESS, 88) \
    X(CU_DEVICE_ATTRIBUTE_CONCURRENT_MANAGED_ACCESS, 89) \
    X(CU_DEVICE_ATTRIBUTE_COMPUTE_PREEMPTION_SUPPORTED, 90) \
    X(CU_DEVICE_ATTRIBUTE_CAN_USE_HOST_POINTER_FOR_REGISTERED_MEM, 91) \
    X(CU_DEVICE_ATTRIBUTE_COOPERATIVE_LAUNCH, 95) \
    X(CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN, 97) \
    X(CU_DEVICE_ATTRIBUTE_HOST_REGISTER_SUPPORTED, 99) \
    X(CU_DEVICE_ATTRIBUTE_PAGEABLE_MEMORY_ACCESS_USES_HOST_PAGE_TABLES, 100) \
    X(CU_DEVICE_ATTRIBUTE_DIRECT_MANAGED_MEM_ACCESS_FROM_HOST, 101) \
    X(CU_DEVICE_ATTRIBUTE_MAX_BLOCKS_PER_MULTIPROCESSOR, 106) \
    X(CU_DEVICE_ATTRIBUTE_MAX_PERSISTING_L2_CACHE_SIZE, 108) \
    X(CU_DEVICE_ATTRIBUTE_MAX_ACCESS_POLICY_WINDOW_SIZE, 109) \
    X(CU_DEVICE_ATTRIBUTE_RESERVED_SHARED_MEMORY_PER_BLOCK, 111) \
    X(CU_DEVICE_ATTRIBUTE_SPARSE_CUDA_ARRAY_SUPPORTED, 112) \
    X(CU_DEVICE_ATTRIBUTE_READ_ONLY_HOST_REGISTER_SUPPORTED, 113) \
    X(CU_DEVICE_ATTRIBUTE_TIMELINE_SEMAPHORE_INTEROP_SUPPORTED, 114) \
    X(CU_DEVICE_ATTRIBUTE_MEMORY_POOLS_SUPPORTED, 115) \
    X(CU_DEVICE_ATTRIBUTE_GPU_DIRECT_RDMA_SUPPORTED, 116) \
    X(CU_DEVICE_ATTRIBUTE_GPU_DIRECT_RDMA_FLUSH_WRITES_OPTIONS, 117) \
    X(CU_DEVICE_ATTRIBUTE_GPU_DIRECT_RDMA_WRITES_ORDERING, 118) \
    X(CU_DEVICE_ATTRIBUTE_MEMPOOL_SUPPORTED_HANDLE_TYPES, 119) \
    X(CU_DEVICE_ATTRIBUTE_CLUSTER_LAUNCH, 120) \
    X(CU_DEVICE_ATTRIBUTE_DEFERRED_MAPPING_CUDA_ARRAY_SUPPORTED, 121) \
    X(CU_DEVICE_ATTRIBUTE_IPC_EVENT_SUPPORTED, 125) \
    X(CU_DEVICE_ATTRIBUTE_UNIFIED_FUNCTION_POINTERS, 129) \
    X(CU_DEVICE_ATTRIBUTE_NUMA_CONFIG, 130) \
    X(CU_DEVICE_ATTRIBUTE_NUMA_ID, 131) \
    X(CU_DEVICE_ATTRIBUTE_MPS_ENABLED, 133) \
    X(CU_DEVICE_ATTRIBUTE_HOST_NUMA_ID, 134) \
    X(CU_DEVICE_ATTRIBUTE_GPU_PCI_DEVICE_ID, 139) \
    X(CU_DEVICE_ATTRIBUTE_GPU_PCI_SUBSYSTEM_ID, 140) \
    X(CU_DEVICE_ATTRIBUTE_HOST_NUMA_MULTINODE_IPC_SUPPORTED, 143)

/*
 * struct cudaDeviceProp of CUDA 13 (driver_types.h), field by field: X(type, name, array suffix). The check
 * compares every offset and size, and the struct's size, with NVIDIA's.
 */
#define TC_DEVICE_PROP_FIELDS(X) \
    X(char, name, [256]) \
    X(cudaUUID_t, uuid, ) \
    X(char, luid, [8]) \
    X(unsigned int, luidDeviceNodeMask, ) \
    X(size_t, totalGlobalMem, ) \
    X(size_t, sharedMemPerBlock, ) \
    X(int, regsPerBlock, ) \
    X(int, warpSize, ) \
    X(size_t, memPitch, ) \
    X(int, maxThreadsPerBlock, ) \
    X(int, maxThreadsDim, [3]) \
    X(int, maxGridSize, [3]) \
    X(size_t, totalConstMem, ) \
    X(int, major, ) \
    X(int, minor, ) \
    X(size_t, textureAlignment, ) \
    X(size_t, texturePitchAlignment, ) \
    X(int, multiProcessorCount, ) \
    X(int, integrated, ) \
    X(int, canMapHostMemory, ) \
    X(int, maxTexture1D, ) \
    X(int, maxTexture1DMipmap, ) \
    X(int, maxTexture2D, [2]) \
    X(int, maxTexture2DMipmap, [2]) \
    X(int, maxTexture2DLinear, [3]) \
    X(int, maxTexture2DGather, [2]) \
    X(int, maxTexture3D, [3]) \
    X(int, maxTexture3DAlt, [3]) \
    X(int, maxTextureCubemap, ) \
    X(int, maxTexture1DLayered, [2]) \
    X(int, maxTexture2DLayered, [3]) \
    X(int, maxTextureCubemapLayered, [2]) \
    X(int, maxSurface1D, ) \
    X(int, maxSurface2D, [2]) \
    X(int, maxSurface3D, [3]) \
    X(int, maxSurface1DLayered, [2]) \
    X(int, maxSurface2DLayered, [3]) \
    X(int, maxSurfaceCubemap, ) \
    X(int, maxSurfaceCubemapLayered, [2]) \
    X(size_t, surfaceAlignment, ) \
    X(int, concurrentKernels, ) \
    X(int, ECCEnabled, ) \
    X(int, pciBusID, ) \
    X(int, pciDeviceID, ) \
    X(int, pciDomainID, ) \
    X(int, tccDriver, ) \
    X(int, asyncEngineCount, ) \
    X(int, unifiedAddressing, ) \
    X(int, memoryBusWidth, ) \
    X(int, l2CacheSize, ) \
    X(int, persistingL2CacheMaxSize, ) \
    X(int, maxThreadsPerMultiProcessor, ) \
    X(int, streamPrioritiesSupported, ) \
    X(int, globalL1CacheSupported, ) \
    X(int, localL1CacheSupported, ) \
    X(size_t, sharedMemPerMultiprocessor, ) \
    X(int, regsPerMultiprocessor, ) \
    X(int, managedMemory, ) \
    X(int, isMultiGpuBoard, ) \
    X(int, multiGpuBoardGroupID, ) \
    X(int, hostNativeAtomicSupported, ) \
    X(int, pageableMemoryAccess, ) \
    X(int, concurrentManagedAccess, ) \
    X(int, computePreemptionSupported, ) \
    X(int, canUseHostPointerForRegisteredMem, ) \
    X(int, cooperativeLaunch, ) \
    X(size_t, sharedMemPerBlockOptin, ) \
    X(int, pageableMemoryAccessUsesHostPageTables, ) \
    X(int, directManagedMemAccessFromHost, ) \
    X(int, maxBlocksPerMultiProcessor, ) \
    X(int, accessPolicyMaxWindowSize, ) \
    X(size_t, reservedSharedMemPerBlock, ) \
    X(int, hostRegisterSupported, ) \
    X(int, sparseCudaArraySupported, ) \
    X(int, hostRegisterReadOnlySupported, ) \
    X(int, timelineSemaphoreInteropSupported, ) \
    X(int, memoryPoolsSupported, ) \
    X(int, gpuDirectRDMASupported, ) \
    X(unsigned int, gpuDirectRDMAFlushWritesOptions, ) \
    X(int, gpuDirectRDMAWritesOrdering, ) \
    X(unsigned int, memoryPoolSupportedHandleTypes, ) \
    X(int, deferredMappingCudaArraySupported, ) \
    X(int, ipcEventSupported, ) \
    X(int, clusterLaunch, ) \
    X(int, unifiedFunctionPointers, ) \
    X(int, deviceNumaConfig, ) \
    X(int, deviceNumaId, ) \
    X(int, mpsEnabled, ) \
    X(int, hostNumaId, ) \
    X(unsigned int, gpuPciDeviceID, ) \
    X(unsigned int, gpuPciSubsystemID, ) \
    X(int, hostNumaMultinodeIpcSupported, ) \
    X(int, reserved, [56])

#endif
