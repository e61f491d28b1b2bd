/*
 * libcudart.so.13: the CUDA runtime API for unmodified programs built with `nvcc -cudart shared`. Each
 * function packs its arguments into a block of uint64 and forwards it (functions.txt); the semantics live in
 * Java (org.transcuda.cuda.CudaRuntime, through org.transcuda.launcher.nativeabi.Dispatcher). The C side
 * keeps only what is pure ABI: the launch-configuration stack of <<<...>>>, the cudaDeviceProp layout and
 * the interned error strings.
 */
#include <stdlib.h>
#include <string.h>

#include "tc_types.h"
#include "tc_api.h"
#include "tc_bridge.h"
#include "tc_functions.h"

#define P(x) ((uint64_t)(uintptr_t)(x))
#define I(x) ((uint64_t)(int64_t)(x))
#define U(x) ((uint64_t)(x))
#define XY(d) (U((d).x) | U((d).y) << 32)
/* The _ptsz variants (CUDA_API_PER_THREAD_DEFAULT_STREAM): there the null stream is cudaStreamPerThread. */
#define PER_THREAD(s) ((s) == NULL ? (cudaStream_t)0x2 : (s))
#define PTSZ(s) P(PER_THREAD(s))

static cudaError_t rt(int fn, uint64_t *args) {
    int r = tc_call(fn, args);
    if (r == TC_UNAVAILABLE) return cudaErrorInitializationError;
    if (r == TC_FAILED) return cudaErrorUnknown;
    return (cudaError_t)r;
}

#define RT(fn, ...)                                       \
    do {                                                  \
        uint64_t args_[TC_MAX_ARGS] = {__VA_ARGS__};      \
        return rt(TC_FN_##fn, args_);                     \
    } while (0)

cudaError_t cudaGetDeviceCount(int *count) {
    RT(cudaGetDeviceCount, P(count));
}

cudaError_t cudaSetDevice(int device) {
    RT(cudaSetDevice, I(device));
}

cudaError_t cudaGetDevice(int *device) {
    RT(cudaGetDevice, P(device));
}

cudaError_t cudaDeviceGetAttribute(int *value, enum cudaDeviceAttr attr, int device) {
    RT(cudaDeviceGetAttribute, P(value), I(attr), I(device));
}

cudaError_t cudaSetDeviceFlags(unsigned int flags) {
    RT(cudaSetDeviceFlags, U(flags));
}

cudaError_t cudaGetDeviceFlags(unsigned int *flags) {
    RT(cudaGetDeviceFlags, P(flags));
}

/* cudaDeviceProp: each field that has a device attribute, read in one call. */
struct prop_field {
    unsigned short offset;
    unsigned char size;
    int attribute;
};
#define FIELD(f, a) {offsetof(struct cudaDeviceProp, f), sizeof(((struct cudaDeviceProp *)0)->f), a}
#define ELEMENT(f, i, a) {offsetof(struct cudaDeviceProp, f) + (i) * sizeof(int), sizeof(int), a}
static const struct prop_field prop_fields[] = {
    FIELD(sharedMemPerBlock, CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK),
    FIELD(regsPerBlock, CU_DEVICE_ATTRIBUTE_MAX_REGISTERS_PER_BLOCK),
    FIELD(warpSize, CU_DEVICE_ATTRIBUTE_WARP_SIZE),
    FIELD(memPitch, CU_DEVICE_ATTRIBUTE_MAX_PITCH),
    FIELD(maxThreadsPerBlock, CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK),
    ELEMENT(maxThreadsDim, 0, CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_X),
    ELEMENT(maxThreadsDim, 1, CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_Y),
    ELEMENT(maxThreadsDim, 2, CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_Z),
    ELEMENT(maxGridSize, 0, CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_X),
    ELEMENT(maxGridSize, 1, CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Y),
    ELEMENT(maxGridSize, 2, CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Z),
    FIELD(totalConstMem, CU_DEVICE_ATTRIBUTE_TOTAL_CONSTANT_MEMORY),
    FIELD(major, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR),
    FIELD(minor, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR),
    FIELD(textureAlignment, CU_DEVICE_ATTRIBUTE_TEXTURE_ALIGNMENT),
    FIELD(texturePitchAlignment, CU_DEVICE_ATTRIBUTE_TEXTURE_PITCH_ALIGNMENT),
    FIELD(multiProcessorCount, CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT),
    FIELD(integrated, CU_DEVICE_ATTRIBUTE_INTEGRATED),
    FIELD(canMapHostMemory, CU_DEVICE_ATTRIBUTE_CAN_MAP_HOST_MEMORY),
    FIELD(maxTexture1D, CU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE1D_WIDTH),
    FIELD(maxTexture1DMipmap, CU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE1D_MIPMAPPED_WIDTH),
    ELEMENT(maxTexture2D, 0, CU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE2D_WIDTH),
    ELEMENT(maxTexture2D, 1, CU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE2D_HEIGHT),
    ELEMENT(maxTexture2DMipmap, 0, CU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE2D_MIPMAPPED_WIDTH),
    ELEMENT(maxTexture2DMipmap, 1, CU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE2D_MIPMAPPED_HEIGHT),
    ELEMENT(maxTexture2DLinear, 0, CU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE2D_LINEAR_WIDTH),
    ELEMENT(maxTexture2DLinear, 1, CU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE2D_LINEAR_HEIGHT),
    ELEMENT(maxTexture2DLinear, 2, CU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE2D_LINEAR_PITCH),
    ELEMENT(maxTexture2DGather, 0, CU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE2D_GATHER_WIDTH),
    ELEMENT(maxTexture2DGather, 1, CU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE2D_GATHER_HEIGHT),
    ELEMENT(maxTexture3D, 0, CU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE3D_WIDTH),
    ELEMENT(maxTexture3D, 1, CU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE3D_HEIGHT),
    ELEMENT(maxTexture3D, 2, CU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE3D_DEPTH),
    ELEMENT(maxTexture3DAlt, 0, CU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE3D_WIDTH_ALTERNATE),
    ELEMENT(maxTexture3DAlt, 1, CU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE3D_HEIGHT_ALTERNATE),
    ELEMENT(maxTexture3DAlt, 2, CU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE3D_DEPTH_ALTERNATE),
    FIELD(maxTextureCubemap, CU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURECUBEMAP_WIDTH),
    ELEMENT(maxTexture1DLayered, 0, CU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE1D_LAYERED_WIDTH),
    ELEMENT(maxTexture1DLayered, 1, CU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE1D_LAYERED_LAYERS),
    ELEMENT(maxTexture2DLayered, 0, CU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE2D_LAYERED_WIDTH),
    ELEMENT(maxTexture2DLayered, 1, CU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE2D_LAYERED_HEIGHT),
    ELEMENT(maxTexture2DLayered, 2, CU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE2D_LAYERED_LAYERS),
    ELEMENT(maxTextureCubemapLayered, 0, CU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURECUBEMAP_LAYERED_WIDTH),
    ELEMENT(maxTextureCubemapLayered, 1, CU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURECUBEMAP_LAYERED_LAYERS),
    FIELD(maxSurface1D, CU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACE1D_WIDTH),
    ELEMENT(maxSurface2D, 0, CU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACE2D_WIDTH),
    ELEMENT(maxSurface2D, 1, CU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACE2D_HEIGHT),
    ELEMENT(maxSurface3D, 0, CU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACE3D_WIDTH),
    ELEMENT(maxSurface3D, 1, CU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACE3D_HEIGHT),
    ELEMENT(maxSurface3D, 2, CU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACE3D_DEPTH),
    ELEMENT(maxSurface1DLayered, 0, CU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACE1D_LAYERED_WIDTH),
    ELEMENT(maxSurface1DLayered, 1, CU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACE1D_LAYERED_LAYERS),
    ELEMENT(maxSurface2DLayered, 0, CU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACE2D_LAYERED_WIDTH),
    ELEMENT(maxSurface2DLayered, 1, CU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACE2D_LAYERED_HEIGHT),
    ELEMENT(maxSurface2DLayered, 2, CU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACE2D_LAYERED_LAYERS),
    FIELD(maxSurfaceCubemap, CU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACECUBEMAP_WIDTH),
    ELEMENT(maxSurfaceCubemapLayered, 0, CU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACECUBEMAP_LAYERED_WIDTH),
    ELEMENT(maxSurfaceCubemapLayered, 1, CU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACECUBEMAP_LAYERED_LAYERS),
    FIELD(surfaceAlignment, CU_DEVICE_ATTRIBUTE_SURFACE_ALIGNMENT),
    FIELD(concurrentKernels, CU_DEVICE_ATTRIBUTE_CONCURRENT_KERNELS),
    FIELD(ECCEnabled, CU_DEVICE_ATTRIBUTE_ECC_ENABLED),
    FIELD(pciBusID, CU_DEVICE_ATTRIBUTE_PCI_BUS_ID),
    FIELD(pciDeviceID, CU_DEVICE_ATTRIBUTE_PCI_DEVICE_ID),
    FIELD(pciDomainID, CU_DEVICE_ATTRIBUTE_PCI_DOMAIN_ID),
    FIELD(tccDriver, CU_DEVICE_ATTRIBUTE_TCC_DRIVER),
    FIELD(asyncEngineCount, CU_DEVICE_ATTRIBUTE_ASYNC_ENGINE_COUNT),
    FIELD(unifiedAddressing, CU_DEVICE_ATTRIBUTE_UNIFIED_ADDRESSING),
    FIELD(memoryBusWidth, CU_DEVICE_ATTRIBUTE_GLOBAL_MEMORY_BUS_WIDTH),
    FIELD(l2CacheSize, CU_DEVICE_ATTRIBUTE_L2_CACHE_SIZE),
    FIELD(persistingL2CacheMaxSize, CU_DEVICE_ATTRIBUTE_MAX_PERSISTING_L2_CACHE_SIZE),
    FIELD(maxThreadsPerMultiProcessor, CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_MULTIPROCESSOR),
    FIELD(streamPrioritiesSupported, CU_DEVICE_ATTRIBUTE_STREAM_PRIORITIES_SUPPORTED),
    FIELD(globalL1CacheSupported, CU_DEVICE_ATTRIBUTE_GLOBAL_L1_CACHE_SUPPORTED),
    FIELD(localL1CacheSupported, CU_DEVICE_ATTRIBUTE_LOCAL_L1_CACHE_SUPPORTED),
    FIELD(sharedMemPerMultiprocessor, CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_MULTIPROCESSOR),
    FIELD(regsPerMultiprocessor, CU_DEVICE_ATTRIBUTE_MAX_REGISTERS_PER_MULTIPROCESSOR),
    FIELD(managedMemory, CU_DEVICE_ATTRIBUTE_MANAGED_MEMORY),
    FIELD(isMultiGpuBoard, CU_DEVICE_ATTRIBUTE_MULTI_GPU_BOARD),
    FIELD(multiGpuBoardGroupID, CU_DEVICE_ATTRIBUTE_MULTI_GPU_BOARD_GROUP_ID),
    FIELD(hostNativeAtomicSupported, CU_DEVICE_ATTRIBUTE_HOST_NATIVE_ATOMIC_SUPPORTED),
    FIELD(pageableMemoryAccess, CU_DEVICE_ATTRIBUTE_PAGEABLE_MEMORY_ACCESS),
    FIELD(concurrentManagedAccess, CU_DEVICE_ATTRIBUTE_CONCURRENT_MANAGED_ACCESS),
    FIELD(computePreemptionSupported, CU_DEVICE_ATTRIBUTE_COMPUTE_PREEMPTION_SUPPORTED),
    FIELD(canUseHostPointerForRegisteredMem, CU_DEVICE_ATTRIBUTE_CAN_USE_HOST_POINTER_FOR_REGISTERED_MEM),
    FIELD(cooperativeLaunch, CU_DEVICE_ATTRIBUTE_COOPERATIVE_LAUNCH),
    FIELD(sharedMemPerBlockOptin, CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN),
    FIELD(pageableMemoryAccessUsesHostPageTables, CU_DEVICE_ATTRIBUTE_PAGEABLE_MEMORY_ACCESS_USES_HOST_PAGE_TABLES),
    FIELD(directManagedMemAccessFromHost, CU_DEVICE_ATTRIBUTE_DIRECT_MANAGED_MEM_ACCESS_FROM_HOST),
    FIELD(maxBlocksPerMultiProcessor, CU_DEVICE_ATTRIBUTE_MAX_BLOCKS_PER_MULTIPROCESSOR),
    FIELD(accessPolicyMaxWindowSize, CU_DEVICE_ATTRIBUTE_MAX_ACCESS_POLICY_WINDOW_SIZE),
    FIELD(reservedSharedMemPerBlock, CU_DEVICE_ATTRIBUTE_RESERVED_SHARED_MEMORY_PER_BLOCK),
    FIELD(hostRegisterSupported, CU_DEVICE_ATTRIBUTE_HOST_REGISTER_SUPPORTED),
    FIELD(sparseCudaArraySupported, CU_DEVICE_ATTRIBUTE_SPARSE_CUDA_ARRAY_SUPPORTED),
    FIELD(hostRegisterReadOnlySupported, CU_DEVICE_ATTRIBUTE_READ_ONLY_HOST_REGISTER_SUPPORTED),
    FIELD(timelineSemaphoreInteropSupported, CU_DEVICE_ATTRIBUTE_TIMELINE_SEMAPHORE_INTEROP_SUPPORTED),
    FIELD(memoryPoolsSupported, CU_DEVICE_ATTRIBUTE_MEMORY_POOLS_SUPPORTED),
    FIELD(gpuDirectRDMASupported, CU_DEVICE_ATTRIBUTE_GPU_DIRECT_RDMA_SUPPORTED),
    FIELD(gpuDirectRDMAFlushWritesOptions, CU_DEVICE_ATTRIBUTE_GPU_DIRECT_RDMA_FLUSH_WRITES_OPTIONS),
    FIELD(gpuDirectRDMAWritesOrdering, CU_DEVICE_ATTRIBUTE_GPU_DIRECT_RDMA_WRITES_ORDERING),
    FIELD(memoryPoolSupportedHandleTypes, CU_DEVICE_ATTRIBUTE_MEMPOOL_SUPPORTED_HANDLE_TYPES),
    FIELD(deferredMappingCudaArraySupported, CU_DEVICE_ATTRIBUTE_DEFERRED_MAPPING_CUDA_ARRAY_SUPPORTED),
    FIELD(ipcEventSupported, CU_DEVICE_ATTRIBUTE_IPC_EVENT_SUPPORTED),
    FIELD(clusterLaunch, CU_DEVICE_ATTRIBUTE_CLUSTER_LAUNCH),
    FIELD(unifiedFunctionPointers, CU_DEVICE_ATTRIBUTE_UNIFIED_FUNCTION_POINTERS),
    FIELD(deviceNumaConfig, CU_DEVICE_ATTRIBUTE_NUMA_CONFIG),
    FIELD(deviceNumaId, CU_DEVICE_ATTRIBUTE_NUMA_ID),
    FIELD(mpsEnabled, CU_DEVICE_ATTRIBUTE_MPS_ENABLED),
    FIELD(hostNumaId, CU_DEVICE_ATTRIBUTE_HOST_NUMA_ID),
    FIELD(gpuPciDeviceID, CU_DEVICE_ATTRIBUTE_GPU_PCI_DEVICE_ID),
    FIELD(gpuPciSubsystemID, CU_DEVICE_ATTRIBUTE_GPU_PCI_SUBSYSTEM_ID),
    FIELD(hostNumaMultinodeIpcSupported, CU_DEVICE_ATTRIBUTE_HOST_NUMA_MULTINODE_IPC_SUPPORTED),
};
#define PROP_FIELDS ((int)(sizeof prop_fields / sizeof prop_fields[0]))

cudaError_t cudaGetDeviceProperties(struct cudaDeviceProp *prop, int device) {
    if (prop == NULL) return cudaErrorInvalidValue;
    int attributes[PROP_FIELDS], values[PROP_FIELDS];
    for (int i = 0; i < PROP_FIELDS; i++) attributes[i] = prop_fields[i].attribute;
    struct cudaDeviceProp p;
    memset(&p, 0, sizeof p);
    uint64_t args[TC_MAX_ARGS] = {I(device), P(attributes), U(PROP_FIELDS), P(values), P(p.name), sizeof p.name,
            P(&p.uuid), P(&p.totalGlobalMem)};
    cudaError_t r = rt(TC_FN_cudaGetDeviceProperties, args);
    if (r != cudaSuccess) return r;
    for (int i = 0; i < PROP_FIELDS; i++) {
        char *field = (char *)&p + prop_fields[i].offset;
        if (prop_fields[i].size == sizeof(int)) {
            memcpy(field, &values[i], sizeof(int));
        } else {
            size_t v = (size_t)(unsigned int)values[i];
            memcpy(field, &v, sizeof v);
        }
    }
    *prop = p;
    return cudaSuccess;
}

cudaError_t cudaMalloc(void **devPtr, size_t size) {
    RT(cudaMalloc, P(devPtr), U(size));
}

cudaError_t cudaFree(void *devPtr) {
    RT(cudaFree, P(devPtr));
}

cudaError_t cudaMallocHost(void **ptr, size_t size) {
    RT(cudaMallocHost, P(ptr), U(size));
}

cudaError_t cudaHostAlloc(void **pHost, size_t size, unsigned int flags) {
    RT(cudaHostAlloc, P(pHost), U(size), U(flags));
}

cudaError_t cudaFreeHost(void *ptr) {
    RT(cudaFreeHost, P(ptr));
}

cudaError_t cudaMemcpy(void *dst, const void *src, size_t count, enum cudaMemcpyKind kind) {
    RT(cudaMemcpy, P(dst), P(src), U(count), I(kind));
}

cudaError_t cudaMemset(void *devPtr, int value, size_t count) {
    RT(cudaMemset, P(devPtr), I(value), U(count));
}

cudaError_t cudaMemcpy_ptds(void *dst, const void *src, size_t count, enum cudaMemcpyKind kind) {
    RT(cudaMemcpy, P(dst), P(src), U(count), I(kind));
}

cudaError_t cudaMemset_ptds(void *devPtr, int value, size_t count) {
    RT(cudaMemset, P(devPtr), I(value), U(count));
}

cudaError_t cudaMemGetInfo(size_t *free, size_t *total) {
    RT(cudaMemGetInfo, P(free), P(total));
}

cudaError_t cudaDeviceSynchronize(void) {
    RT(cudaDeviceSynchronize, 0);
}

cudaError_t cudaDeviceReset(void) {
    RT(cudaDeviceReset, 0);
}

cudaError_t cudaGetLastError(void) {
    RT(cudaGetLastError, 0);
}

cudaError_t cudaPeekAtLastError(void) {
    RT(cudaPeekAtLastError, 0);
}

const char *cudaGetErrorName(cudaError_t error) {
    return tc_error_text(0, (int)error);
}

const char *cudaGetErrorString(cudaError_t error) {
    return tc_error_text(1, (int)error);
}

cudaError_t cudaRuntimeGetVersion(int *runtimeVersion) {
    RT(cudaRuntimeGetVersion, P(runtimeVersion));
}

cudaError_t cudaDriverGetVersion(int *driverVersion) {
    RT(cudaDriverGetVersion, P(driverVersion));
}

/*
 * Registration. The handle nvcc's code keeps for a fat binary is ours: it starts with the wrapper pointer.
 * Registrations happen before main; the bridge queues them until the JVM runs.
 */
struct fatbin_handle {
    void *wrapper;
};

void **__cudaRegisterFatBinary(void *fatCubin) {
    struct fatbin_handle *h = calloc(1, sizeof *h);
    if (h == NULL) abort();
    h->wrapper = fatCubin;
    uint64_t args[] = {P(h), P(fatCubin)};
    tc_call_or_defer(TC_FN___cudaRegisterFatBinary, args, 2);
    return (void **)h;
}

void __cudaRegisterFatBinaryEnd(void **fatCubinHandle) {
    uint64_t args[] = {P(fatCubinHandle)};
    tc_call_or_defer(TC_FN___cudaRegisterFatBinaryEnd, args, 1);
}

void __cudaUnregisterFatBinary(void **fatCubinHandle) {
    uint64_t args[] = {P(fatCubinHandle)};
    tc_call_or_defer(TC_FN___cudaUnregisterFatBinary, args, 1);
}

void __cudaRegisterFunction(void **fatCubinHandle, const char *hostFun, char *deviceFun, const char *deviceName,
        int thread_limit, uint3 *tid, uint3 *bid, dim3 *bDim, dim3 *gDim, int *wSize) {
    (void)tid, (void)bid, (void)bDim, (void)gDim, (void)wSize; /* always NULL in nvcc's code */
    uint64_t args[] = {P(fatCubinHandle), P(hostFun), P(deviceFun), P(deviceName), I(thread_limit)};
    tc_call_or_defer(TC_FN___cudaRegisterFunction, args, 5);
}

void __cudaRegisterVar(void **fatCubinHandle, char *hostVar, char *deviceAddress, const char *deviceName, int ext,
        size_t size, int constant, int global) {
    uint64_t args[] = {P(fatCubinHandle), P(hostVar), P(deviceAddress), P(deviceName), I(ext), U(size),
            I(constant), I(global)};
    tc_call_or_defer(TC_FN___cudaRegisterVar, args, 8);
}

void __cudaRegisterManagedVar(void **fatCubinHandle, void **hostVarPtrAddress, char *deviceAddress,
        const char *deviceName, int ext, size_t size, int constant, int global) {
    uint64_t args[] = {P(fatCubinHandle), P(hostVarPtrAddress), P(deviceAddress), P(deviceName), I(ext), U(size),
            I(constant), I(global)};
    tc_call_or_defer(TC_FN___cudaRegisterManagedVar, args, 8);
}

/* Managed variables need their module loaded; not yet supported: report that it did not initialize. */
char __cudaInitModule(void **fatCubinHandle) {
    (void)fatCubinHandle;
    return 0;
}

/* Texture and surface references are gone from CUDA 13's API; nvcc no longer emits these calls. */
void __cudaRegisterTexture(void **fatCubinHandle, const struct textureReference *hostVar,
        const void **deviceAddress, const char *deviceName, int dim, int norm, int ext) {
    (void)fatCubinHandle, (void)hostVar, (void)deviceAddress, (void)deviceName, (void)dim, (void)norm, (void)ext;
}

void __cudaRegisterSurface(void **fatCubinHandle, const struct surfaceReference *hostVar,
        const void **deviceAddress, const char *deviceName, int dim, int ext) {
    (void)fatCubinHandle, (void)hostVar, (void)deviceAddress, (void)deviceName, (void)dim, (void)ext;
}

/*
 * kernel<<<grid, block, shared, stream>>>(args) pushes its configuration before the arguments are evaluated
 * (which may launch kernels themselves) and the kernel's stub pops it: a stack per thread.
 */
struct call_configuration {
    dim3 grid, block;
    size_t shared;
    struct CUstream_st *stream;
};
#define MAX_NESTED_CONFIGURATIONS 32
static __thread struct call_configuration configurations[MAX_NESTED_CONFIGURATIONS];
static __thread int configuration_depth;

unsigned __cudaPushCallConfiguration(dim3 gridDim, dim3 blockDim, size_t sharedMem, struct CUstream_st *stream) {
    if (configuration_depth == MAX_NESTED_CONFIGURATIONS) return 1; /* nonzero: the launch is skipped */
    struct call_configuration c = {gridDim, blockDim, sharedMem, stream};
    configurations[configuration_depth++] = c;
    return 0;
}

cudaError_t __cudaPopCallConfiguration(dim3 *gridDim, dim3 *blockDim, size_t *sharedMem, void *stream) {
    if (configuration_depth == 0) return cudaErrorMissingConfiguration;
    struct call_configuration c = configurations[--configuration_depth];
    *gridDim = c.grid;
    *blockDim = c.block;
    *sharedMem = c.shared;
    *(struct CUstream_st **)stream = c.stream;
    return cudaSuccess;
}

cudaError_t __cudaGetKernel(cudaKernel_t *kernel, const void *hostFun) {
    RT(__cudaGetKernel, P(kernel), P(hostFun));
}

cudaError_t __cudaLaunchKernel(cudaKernel_t kernel, dim3 gridDim, dim3 blockDim, void **args, size_t sharedMem,
        cudaStream_t stream) {
    RT(__cudaLaunchKernel, P(kernel), XY(gridDim), U(gridDim.z), XY(blockDim), U(blockDim.z), P(args),
            U(sharedMem), P(stream));
}

cudaError_t __cudaLaunchKernel_ptsz(cudaKernel_t kernel, dim3 gridDim, dim3 blockDim, void **args,
        size_t sharedMem, cudaStream_t stream) {
    return __cudaLaunchKernel(kernel, gridDim, blockDim, args, sharedMem, PER_THREAD(stream));
}

cudaError_t cudaLaunchKernel(const void *func, dim3 gridDim, dim3 blockDim, void **args, size_t sharedMem,
        cudaStream_t stream) {
    RT(cudaLaunchKernel, P(func), XY(gridDim), U(gridDim.z), XY(blockDim), U(blockDim.z), P(args), U(sharedMem),
            P(stream));
}

cudaError_t cudaLaunchKernel_ptsz(const void *func, dim3 gridDim, dim3 blockDim, void **args, size_t sharedMem,
        cudaStream_t stream) {
    return cudaLaunchKernel(func, gridDim, blockDim, args, sharedMem, PER_THREAD(stream));
}

/* Streams and events: opaque handles the Java side hands out (0, cudaStreamLegacy and cudaStreamPerThread
   name the device's default stream). */
cudaError_t cudaStreamCreate(cudaStream_t *pStream) {
    RT(cudaStreamCreate, P(pStream), 0, 0);
}

cudaError_t cudaStreamCreateWithFlags(cudaStream_t *pStream, unsigned int flags) {
    RT(cudaStreamCreate, P(pStream), U(flags), 0);
}

cudaError_t cudaStreamCreateWithPriority(cudaStream_t *pStream, unsigned int flags, int priority) {
    RT(cudaStreamCreate, P(pStream), U(flags), I(priority));
}

cudaError_t cudaStreamDestroy(cudaStream_t stream) {
    RT(cudaStreamDestroy, P(stream));
}

cudaError_t cudaStreamSynchronize(cudaStream_t stream) {
    RT(cudaStreamSynchronize, P(stream));
}

cudaError_t cudaStreamSynchronize_ptsz(cudaStream_t stream) {
    RT(cudaStreamSynchronize, PTSZ(stream));
}

cudaError_t cudaStreamQuery(cudaStream_t stream) {
    RT(cudaStreamQuery, P(stream));
}

cudaError_t cudaStreamQuery_ptsz(cudaStream_t stream) {
    RT(cudaStreamQuery, PTSZ(stream));
}

cudaError_t cudaStreamWaitEvent(cudaStream_t stream, cudaEvent_t event, unsigned int flags) {
    RT(cudaStreamWaitEvent, P(stream), P(event), U(flags));
}

cudaError_t cudaStreamWaitEvent_ptsz(cudaStream_t stream, cudaEvent_t event, unsigned int flags) {
    RT(cudaStreamWaitEvent, PTSZ(stream), P(event), U(flags));
}

cudaError_t cudaEventCreate(cudaEvent_t *event) {
    RT(cudaEventCreate, P(event), 0);
}

cudaError_t cudaEventCreateWithFlags(cudaEvent_t *event, unsigned int flags) {
    RT(cudaEventCreate, P(event), U(flags));
}

cudaError_t cudaEventDestroy(cudaEvent_t event) {
    RT(cudaEventDestroy, P(event));
}

cudaError_t cudaEventRecord(cudaEvent_t event, cudaStream_t stream) {
    RT(cudaEventRecord, P(event), P(stream));
}

cudaError_t cudaEventRecord_ptsz(cudaEvent_t event, cudaStream_t stream) {
    RT(cudaEventRecord, P(event), PTSZ(stream));
}

cudaError_t cudaEventSynchronize(cudaEvent_t event) {
    RT(cudaEventSynchronize, P(event));
}

cudaError_t cudaEventQuery(cudaEvent_t event) {
    RT(cudaEventQuery, P(event));
}

cudaError_t cudaEventElapsedTime(float *ms, cudaEvent_t start, cudaEvent_t end) {
    RT(cudaEventElapsedTime, P(ms), P(start), P(end));
}

/* Asynchronous copies and fills. */
cudaError_t cudaMemcpyAsync(void *dst, const void *src, size_t count, enum cudaMemcpyKind kind,
        cudaStream_t stream) {
    RT(cudaMemcpyAsync, P(dst), P(src), U(count), I(kind), P(stream));
}

cudaError_t cudaMemcpyAsync_ptsz(void *dst, const void *src, size_t count, enum cudaMemcpyKind kind,
        cudaStream_t stream) {
    RT(cudaMemcpyAsync, P(dst), P(src), U(count), I(kind), PTSZ(stream));
}

cudaError_t cudaMemsetAsync(void *devPtr, int value, size_t count, cudaStream_t stream) {
    RT(cudaMemsetAsync, P(devPtr), I(value), U(count), P(stream));
}

cudaError_t cudaMemsetAsync_ptsz(void *devPtr, int value, size_t count, cudaStream_t stream) {
    RT(cudaMemsetAsync, P(devPtr), I(value), U(count), PTSZ(stream));
}

/* Symbols: the host shadow of a __device__/__constant__ variable names the module variable registered for it. */
cudaError_t cudaMemcpyToSymbol(const void *symbol, const void *src, size_t count, size_t offset,
        enum cudaMemcpyKind kind) {
    RT(cudaMemcpyToSymbol, P(symbol), P(src), U(count), U(offset), I(kind), 0, 0);
}

cudaError_t cudaMemcpyToSymbol_ptds(const void *symbol, const void *src, size_t count, size_t offset,
        enum cudaMemcpyKind kind) {
    RT(cudaMemcpyToSymbol, P(symbol), P(src), U(count), U(offset), I(kind), 0, 0);
}

cudaError_t cudaMemcpyFromSymbol(void *dst, const void *symbol, size_t count, size_t offset,
        enum cudaMemcpyKind kind) {
    RT(cudaMemcpyFromSymbol, P(dst), P(symbol), U(count), U(offset), I(kind), 0, 0);
}

cudaError_t cudaMemcpyFromSymbol_ptds(void *dst, const void *symbol, size_t count, size_t offset,
        enum cudaMemcpyKind kind) {
    RT(cudaMemcpyFromSymbol, P(dst), P(symbol), U(count), U(offset), I(kind), 0, 0);
}

cudaError_t cudaMemcpyToSymbolAsync(const void *symbol, const void *src, size_t count, size_t offset,
        enum cudaMemcpyKind kind, cudaStream_t stream) {
    RT(cudaMemcpyToSymbol, P(symbol), P(src), U(count), U(offset), I(kind), P(stream), 1);
}

cudaError_t cudaMemcpyToSymbolAsync_ptsz(const void *symbol, const void *src, size_t count, size_t offset,
        enum cudaMemcpyKind kind, cudaStream_t stream) {
    RT(cudaMemcpyToSymbol, P(symbol), P(src), U(count), U(offset), I(kind), PTSZ(stream), 1);
}

cudaError_t cudaMemcpyFromSymbolAsync(void *dst, const void *symbol, size_t count, size_t offset,
        enum cudaMemcpyKind kind, cudaStream_t stream) {
    RT(cudaMemcpyFromSymbol, P(dst), P(symbol), U(count), U(offset), I(kind), P(stream), 1);
}

cudaError_t cudaMemcpyFromSymbolAsync_ptsz(void *dst, const void *symbol, size_t count, size_t offset,
        enum cudaMemcpyKind kind, cudaStream_t stream) {
    RT(cudaMemcpyFromSymbol, P(dst), P(symbol), U(count), U(offset), I(kind), PTSZ(stream), 1);
}

cudaError_t cudaGetSymbolAddress(void **devPtr, const void *symbol) {
    RT(cudaGetSymbolAddress, P(devPtr), P(symbol));
}

cudaError_t cudaGetSymbolSize(size_t *size, const void *symbol) {
    RT(cudaGetSymbolSize, P(size), P(symbol));
}

/* Host functions on a stream: called on the stream's thread when the stream reaches them. */
cudaError_t cudaLaunchHostFunc(cudaStream_t stream, cudaHostFn_t fn, void *userData) {
    RT(cudaLaunchHostFunc, P(stream), P(fn), P(userData), 0);
}

cudaError_t cudaLaunchHostFunc_ptsz(cudaStream_t stream, cudaHostFn_t fn, void *userData) {
    RT(cudaLaunchHostFunc, PTSZ(stream), P(fn), P(userData), 0);
}

cudaError_t cudaStreamAddCallback(cudaStream_t stream, cudaStreamCallback_t callback, void *userData,
        unsigned int flags) {
    if (flags != 0) return cudaErrorInvalidValue;
    RT(cudaLaunchHostFunc, P(stream), P(callback), P(userData), 1);
}

cudaError_t cudaStreamAddCallback_ptsz(cudaStream_t stream, cudaStreamCallback_t callback, void *userData,
        unsigned int flags) {
    if (flags != 0) return cudaErrorInvalidValue;
    RT(cudaLaunchHostFunc, PTSZ(stream), P(callback), P(userData), 1);
}

/* cudaLaunchKernelEx's C entry: the configuration struct is read on the Java side (launch attributes are not
   supported: such a launch fails with cudaErrorNotSupported). */
cudaError_t cudaLaunchKernelExC(const cudaLaunchConfig_t *config, const void *func, void **args) {
    RT(cudaLaunchKernelExC, P(config), P(func), P(args));
}

cudaError_t cudaLaunchKernelExC_ptsz(const cudaLaunchConfig_t *config, const void *func, void **args) {
    if (config == NULL || config->stream != NULL) RT(cudaLaunchKernelExC, P(config), P(func), P(args));
    cudaLaunchConfig_t c = *config;
    c.stream = PER_THREAD(c.stream);
    RT(cudaLaunchKernelExC, P(&c), P(func), P(args));
}

/* Stream priorities and flags. */
cudaError_t cudaDeviceGetStreamPriorityRange(int *leastPriority, int *greatestPriority) {
    RT(cudaDeviceGetStreamPriorityRange, P(leastPriority), P(greatestPriority));
}

cudaError_t cudaStreamGetPriority(cudaStream_t hStream, int *priority) {
    RT(cudaStreamGetPriority, P(hStream), P(priority));
}

cudaError_t cudaStreamGetPriority_ptsz(cudaStream_t hStream, int *priority) {
    RT(cudaStreamGetPriority, PTSZ(hStream), P(priority));
}

cudaError_t cudaStreamGetFlags(cudaStream_t hStream, unsigned int *flags) {
    RT(cudaStreamGetFlags, P(hStream), P(flags));
}

cudaError_t cudaStreamGetFlags_ptsz(cudaStream_t hStream, unsigned int *flags) {
    RT(cudaStreamGetFlags, PTSZ(hStream), P(flags));
}

/* Function attributes and occupancy of registered kernels (cudaOccupancyMaxPotentialBlockSize is a template in
   cuda_runtime.h over these). */
cudaError_t cudaFuncGetAttributes(struct cudaFuncAttributes *attr, const void *func) {
    RT(cudaFuncGetAttributes, P(attr), P(func));
}

cudaError_t cudaFuncSetAttribute(const void *func, enum cudaFuncAttribute attr, int value) {
    RT(cudaFuncSetAttribute, P(func), I(attr), I(value));
}

cudaError_t cudaFuncSetCacheConfig(const void *func, enum cudaFuncCache cacheConfig) {
    RT(cudaFuncSetCacheConfig, P(func), I(cacheConfig));
}

cudaError_t cudaOccupancyMaxActiveBlocksPerMultiprocessor(int *numBlocks, const void *func, int blockSize,
        size_t dynamicSMemSize) {
    RT(cudaOccupancyMaxActiveBlocksPerMultiprocessor, P(numBlocks), P(func), I(blockSize), U(dynamicSMemSize), 0);
}

cudaError_t cudaOccupancyMaxActiveBlocksPerMultiprocessorWithFlags(int *numBlocks, const void *func, int blockSize,
        size_t dynamicSMemSize, unsigned int flags) {
    RT(cudaOccupancyMaxActiveBlocksPerMultiprocessor, P(numBlocks), P(func), I(blockSize), U(dynamicSMemSize),
            U(flags));
}

cudaError_t cudaOccupancyAvailableDynamicSMemPerBlock(size_t *dynamicSmemSize, const void *func, int numBlocks,
        int blockSize) {
    RT(cudaOccupancyAvailableDynamicSMemPerBlock, P(dynamicSmemSize), P(func), I(numBlocks), I(blockSize));
}

/* Managed, pitched and stream-ordered memory. */
cudaError_t cudaMallocManaged(void **devPtr, size_t size, unsigned int flags) {
    RT(cudaMallocManaged, P(devPtr), U(size), U(flags));
}

cudaError_t cudaMallocPitch(void **devPtr, size_t *pitch, size_t width, size_t height) {
    RT(cudaMallocPitch, P(devPtr), P(pitch), U(width), U(height));
}

cudaError_t cudaMallocAsync(void **devPtr, size_t size, cudaStream_t hStream) {
    RT(cudaMallocAsync, P(devPtr), U(size), P(hStream));
}

cudaError_t cudaMallocAsync_ptsz(void **devPtr, size_t size, cudaStream_t hStream) {
    RT(cudaMallocAsync, P(devPtr), U(size), PTSZ(hStream));
}

cudaError_t cudaFreeAsync(void *devPtr, cudaStream_t hStream) {
    RT(cudaFreeAsync, P(devPtr), P(hStream));
}

cudaError_t cudaFreeAsync_ptsz(void *devPtr, cudaStream_t hStream) {
    RT(cudaFreeAsync, P(devPtr), PTSZ(hStream));
}

/* 3D copies: the cudaMemcpy3DParms struct is read on the Java side. */
cudaError_t cudaMemcpy3D(const struct cudaMemcpy3DParms *p) {
    RT(cudaMemcpy3D, P(p), 0, 0);
}

cudaError_t cudaMemcpy3D_ptds(const struct cudaMemcpy3DParms *p) {
    RT(cudaMemcpy3D, P(p), 0, 0);
}

cudaError_t cudaMemcpy3DAsync(const struct cudaMemcpy3DParms *p, cudaStream_t stream) {
    RT(cudaMemcpy3D, P(p), P(stream), 1);
}

cudaError_t cudaMemcpy3DAsync_ptsz(const struct cudaMemcpy3DParms *p, cudaStream_t stream) {
    RT(cudaMemcpy3D, P(p), PTSZ(stream), 1);
}

/* Limits. */
cudaError_t cudaDeviceGetLimit(size_t *pValue, enum cudaLimit limit) {
    RT(cudaDeviceGetLimit, P(pValue), I(limit));
}

cudaError_t cudaDeviceSetLimit(enum cudaLimit limit, size_t value) {
    RT(cudaDeviceSetLimit, I(limit), U(value));
}
