/*
 * libcuda.so.1: the CUDA driver API, forwarded like the runtime's (functions.txt) to the Java API
 * (org.transcuda.cuda.Cuda, CudaContext, CudaDevice). Contexts are opaque handles the Java side hands out.
 * cuGetProcAddress answers from the table at the end of this file.
 */
#include <stdio.h>
#include <string.h>

#include "tc_types.h"
#include "tc_api.h"
#include "tc_bridge.h"
#include "tc_functions.h"

#define P(x) ((uint64_t)(uintptr_t)(x))
#define I(x) ((uint64_t)(int64_t)(x))
#define U(x) ((uint64_t)(x))
/* The _ptsz variants: there the null stream is CU_STREAM_PER_THREAD. */
#define PTSZ(s) P((s) == NULL ? (CUstream)0x2 : (s))

static CUresult drv(int fn, uint64_t *args) {
    int r = tc_call(fn, args);
    if (r == TC_UNAVAILABLE) return CUDA_ERROR_NOT_INITIALIZED;
    if (r == TC_FAILED) return CUDA_ERROR_UNKNOWN;
    return (CUresult)r;
}

#define DRV(fn, ...)                                      \
    do {                                                  \
        uint64_t args_[TC_MAX_ARGS] = {__VA_ARGS__};      \
        return drv(TC_FN_##fn, args_);                    \
    } while (0)

CUresult cuInit(unsigned int Flags) {
    DRV(cuInit, U(Flags));
}

CUresult cuDriverGetVersion(int *driverVersion) {
    DRV(cuDriverGetVersion, P(driverVersion));
}

CUresult cuDeviceGetCount(int *count) {
    DRV(cuDeviceGetCount, P(count));
}

CUresult cuDeviceGet(CUdevice *device, int ordinal) {
    DRV(cuDeviceGet, P(device), I(ordinal));
}

CUresult cuDeviceGetName(char *name, int len, CUdevice dev) {
    DRV(cuDeviceGetName, P(name), I(len), I(dev));
}

CUresult cuDeviceTotalMem_v2(size_t *bytes, CUdevice dev) {
    DRV(cuDeviceTotalMem, P(bytes), I(dev));
}

CUresult cuDeviceGetAttribute(int *pi, CUdevice_attribute attrib, CUdevice dev) {
    DRV(cuDeviceGetAttribute, P(pi), I(attrib), I(dev));
}

CUresult cuDeviceGetUuid(CUuuid *uuid, CUdevice dev) {
    DRV(cuDeviceGetUuid, P(uuid), I(dev));
}

CUresult cuDeviceGetUuid_v2(CUuuid *uuid, CUdevice dev) {
    DRV(cuDeviceGetUuid, P(uuid), I(dev));
}

CUresult cuDeviceComputeCapability(int *major, int *minor, CUdevice dev) {
    if (major == NULL || minor == NULL) return CUDA_ERROR_INVALID_VALUE;
    CUresult r = cuDeviceGetAttribute(major, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, dev);
    return r != CUDA_SUCCESS ? r : cuDeviceGetAttribute(minor, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, dev);
}

CUresult cuCtxCreate(CUcontext *pctx, unsigned int flags, CUdevice dev) {
    DRV(cuCtxCreate, P(pctx), U(flags), I(dev));
}

CUresult cuCtxCreate_v2(CUcontext *pctx, unsigned int flags, CUdevice dev) {
    DRV(cuCtxCreate, P(pctx), U(flags), I(dev));
}

/* Execution affinity and CIG parameters are not supported: the context is an ordinary one. */
CUresult cuCtxCreate_v3(CUcontext *pctx, CUexecAffinityParam *paramsArray, int numParams, unsigned int flags,
        CUdevice dev) {
    (void)paramsArray, (void)numParams;
    DRV(cuCtxCreate, P(pctx), U(flags), I(dev));
}

CUresult cuCtxCreate_v4(CUcontext *pctx, CUctxCreateParams *ctxCreateParams, unsigned int flags, CUdevice dev) {
    (void)ctxCreateParams;
    DRV(cuCtxCreate, P(pctx), U(flags), I(dev));
}

CUresult cuCtxDestroy(CUcontext ctx) {
    DRV(cuCtxDestroy, P(ctx));
}

CUresult cuCtxDestroy_v2(CUcontext ctx) {
    DRV(cuCtxDestroy, P(ctx));
}

CUresult cuCtxGetCurrent(CUcontext *pctx) {
    DRV(cuCtxGetCurrent, P(pctx));
}

CUresult cuCtxSetCurrent(CUcontext ctx) {
    DRV(cuCtxSetCurrent, P(ctx));
}

CUresult cuCtxPushCurrent(CUcontext ctx) {
    DRV(cuCtxPushCurrent, P(ctx));
}

CUresult cuCtxPushCurrent_v2(CUcontext ctx) {
    DRV(cuCtxPushCurrent, P(ctx));
}

CUresult cuCtxPopCurrent(CUcontext *pctx) {
    DRV(cuCtxPopCurrent, P(pctx));
}

CUresult cuCtxPopCurrent_v2(CUcontext *pctx) {
    DRV(cuCtxPopCurrent, P(pctx));
}

CUresult cuCtxGetDevice(CUdevice *device) {
    DRV(cuCtxGetDevice, P(device));
}

CUresult cuCtxSynchronize(void) {
    DRV(cuCtxSynchronize, 0);
}

CUresult cuCtxGetApiVersion(CUcontext ctx, unsigned int *version) {
    DRV(cuCtxGetApiVersion, P(ctx), P(version));
}

CUresult cuMemAlloc_v2(CUdeviceptr *dptr, size_t bytesize) {
    DRV(cuMemAlloc, P(dptr), U(bytesize));
}

CUresult cuMemFree_v2(CUdeviceptr dptr) {
    DRV(cuMemFree, U(dptr));
}

CUresult cuMemcpyHtoD_v2(CUdeviceptr dstDevice, const void *srcHost, size_t ByteCount) {
    DRV(cuMemcpyHtoD, U(dstDevice), P(srcHost), U(ByteCount));
}

CUresult cuMemcpyDtoH_v2(void *dstHost, CUdeviceptr srcDevice, size_t ByteCount) {
    DRV(cuMemcpyDtoH, P(dstHost), U(srcDevice), U(ByteCount));
}

CUresult cuMemcpyDtoD_v2(CUdeviceptr dstDevice, CUdeviceptr srcDevice, size_t ByteCount) {
    DRV(cuMemcpyDtoD, U(dstDevice), U(srcDevice), U(ByteCount));
}

CUresult cuMemsetD8_v2(CUdeviceptr dstDevice, unsigned char uc, size_t N) {
    DRV(cuMemsetD8, U(dstDevice), U(uc), U(N));
}

CUresult cuMemsetD16_v2(CUdeviceptr dstDevice, unsigned short us, size_t N) {
    DRV(cuMemsetD16, U(dstDevice), U(us), U(N));
}

CUresult cuMemsetD32_v2(CUdeviceptr dstDevice, unsigned int ui, size_t N) {
    DRV(cuMemsetD32, U(dstDevice), U(ui), U(N));
}

/* Per-thread default stream variants (--default-stream per-thread): the same synchronous operations. */
CUresult cuMemcpyHtoD_v2_ptds(CUdeviceptr dstDevice, const void *srcHost, size_t ByteCount) {
    return cuMemcpyHtoD_v2(dstDevice, srcHost, ByteCount);
}

CUresult cuMemcpyDtoH_v2_ptds(void *dstHost, CUdeviceptr srcDevice, size_t ByteCount) {
    return cuMemcpyDtoH_v2(dstHost, srcDevice, ByteCount);
}

CUresult cuMemcpyDtoD_v2_ptds(CUdeviceptr dstDevice, CUdeviceptr srcDevice, size_t ByteCount) {
    return cuMemcpyDtoD_v2(dstDevice, srcDevice, ByteCount);
}

CUresult cuMemsetD8_v2_ptds(CUdeviceptr dstDevice, unsigned char uc, size_t N) {
    return cuMemsetD8_v2(dstDevice, uc, N);
}

CUresult cuMemsetD16_v2_ptds(CUdeviceptr dstDevice, unsigned short us, size_t N) {
    return cuMemsetD16_v2(dstDevice, us, N);
}

CUresult cuMemsetD32_v2_ptds(CUdeviceptr dstDevice, unsigned int ui, size_t N) {
    return cuMemsetD32_v2(dstDevice, ui, N);
}

CUresult cuMemGetInfo_v2(size_t *free, size_t *total) {
    DRV(cuMemGetInfo, P(free), P(total));
}

CUresult cuMemAllocHost_v2(void **pp, size_t bytesize) {
    DRV(cuMemAllocHost, P(pp), U(bytesize));
}

/* Every page-locked allocation is portable and mapped already (host memory backs the device). */
CUresult cuMemHostAlloc(void **pp, size_t bytesize, unsigned int Flags) {
    (void)Flags;
    DRV(cuMemAllocHost, P(pp), U(bytesize));
}

CUresult cuMemFreeHost(void *p) {
    DRV(cuMemFreeHost, P(p));
}

CUresult cuDevicePrimaryCtxRetain(CUcontext *pctx, CUdevice dev) {
    DRV(cuDevicePrimaryCtxRetain, P(pctx), I(dev));
}

CUresult cuDevicePrimaryCtxRelease(CUdevice dev) {
    DRV(cuDevicePrimaryCtxRelease, I(dev));
}

CUresult cuDevicePrimaryCtxRelease_v2(CUdevice dev) {
    DRV(cuDevicePrimaryCtxRelease, I(dev));
}

CUresult cuDevicePrimaryCtxReset(CUdevice dev) {
    DRV(cuDevicePrimaryCtxReset, I(dev));
}

CUresult cuDevicePrimaryCtxReset_v2(CUdevice dev) {
    DRV(cuDevicePrimaryCtxReset, I(dev));
}

CUresult cuDevicePrimaryCtxGetState(CUdevice dev, unsigned int *flags, int *active) {
    DRV(cuDevicePrimaryCtxGetState, I(dev), P(flags), P(active));
}

/* Modules: PTX text or a fat binary (its PTX is selected for the device); functions and globals by name. */
CUresult cuModuleLoadData(CUmodule *module, const void *image) {
    DRV(cuModuleLoadData, P(module), P(image));
}

CUresult cuModuleLoadDataEx(CUmodule *module, const void *image, unsigned int numOptions, CUjit_option *options,
        void **optionValues) {
    (void)numOptions, (void)options, (void)optionValues;
    DRV(cuModuleLoadData, P(module), P(image));
}

CUresult cuModuleUnload(CUmodule hmod) {
    DRV(cuModuleUnload, P(hmod));
}

CUresult cuModuleGetFunction(CUfunction *hfunc, CUmodule hmod, const char *name) {
    DRV(cuModuleGetFunction, P(hfunc), P(hmod), P(name));
}

CUresult cuModuleGetGlobal_v2(CUdeviceptr *dptr, size_t *bytes, CUmodule hmod, const char *name) {
    DRV(cuModuleGetGlobal, P(dptr), P(bytes), P(hmod), P(name));
}

CUresult cuLaunchKernel(CUfunction f, unsigned int gridDimX, unsigned int gridDimY, unsigned int gridDimZ,
        unsigned int blockDimX, unsigned int blockDimY, unsigned int blockDimZ, unsigned int sharedMemBytes,
        CUstream hStream, void **kernelParams, void **extra) {
    DRV(cuLaunchKernel, P(f), U(gridDimX) | U(gridDimY) << 32, U(blockDimX) | U(blockDimY) << 32,
            U(gridDimZ) | U(blockDimZ) << 32, U(sharedMemBytes), P(hStream), P(kernelParams), P(extra));
}

CUresult cuLaunchKernel_ptsz(CUfunction f, unsigned int gridDimX, unsigned int gridDimY, unsigned int gridDimZ,
        unsigned int blockDimX, unsigned int blockDimY, unsigned int blockDimZ, unsigned int sharedMemBytes,
        CUstream hStream, void **kernelParams, void **extra) {
    return cuLaunchKernel(f, gridDimX, gridDimY, gridDimZ, blockDimX, blockDimY, blockDimZ, sharedMemBytes,
            hStream == NULL ? (CUstream)0x2 : hStream, kernelParams, extra);
}

/* Streams: opaque handles (NULL and CU_STREAM_LEGACY name the context's legacy default stream,
   CU_STREAM_PER_THREAD the calling thread's per-thread default stream). */
CUresult cuStreamCreate(CUstream *phStream, unsigned int Flags) {
    DRV(cuStreamCreate, P(phStream), U(Flags));
}

CUresult cuStreamDestroy_v2(CUstream hStream) {
    DRV(cuStreamDestroy, P(hStream));
}

CUresult cuStreamSynchronize(CUstream hStream) {
    DRV(cuStreamSynchronize, P(hStream));
}

CUresult cuStreamSynchronize_ptsz(CUstream hStream) {
    DRV(cuStreamSynchronize, PTSZ(hStream));
}

CUresult cuMemcpyHtoDAsync_v2(CUdeviceptr dstDevice, const void *srcHost, size_t ByteCount, CUstream hStream) {
    DRV(cuMemcpyHtoDAsync, U(dstDevice), P(srcHost), U(ByteCount), P(hStream));
}

CUresult cuMemcpyHtoDAsync_v2_ptsz(CUdeviceptr dstDevice, const void *srcHost, size_t ByteCount, CUstream hStream) {
    DRV(cuMemcpyHtoDAsync, U(dstDevice), P(srcHost), U(ByteCount), PTSZ(hStream));
}

CUresult cuMemcpyDtoHAsync_v2(void *dstHost, CUdeviceptr srcDevice, size_t ByteCount, CUstream hStream) {
    DRV(cuMemcpyDtoHAsync, P(dstHost), U(srcDevice), U(ByteCount), P(hStream));
}

CUresult cuMemcpyDtoHAsync_v2_ptsz(void *dstHost, CUdeviceptr srcDevice, size_t ByteCount, CUstream hStream) {
    DRV(cuMemcpyDtoHAsync, P(dstHost), U(srcDevice), U(ByteCount), PTSZ(hStream));
}

CUresult cuGetErrorName(CUresult error, const char **pStr) {
    if (pStr == NULL) return CUDA_ERROR_INVALID_VALUE;
    *pStr = tc_error_text(2, (int)error);
    return *pStr ? CUDA_SUCCESS : CUDA_ERROR_INVALID_VALUE;
}

CUresult cuGetErrorString(CUresult error, const char **pStr) {
    if (pStr == NULL) return CUDA_ERROR_INVALID_VALUE;
    *pStr = tc_error_text(3, (int)error);
    return *pStr ? CUDA_SUCCESS : CUDA_ERROR_INVALID_VALUE;
}

/* Function attributes and occupancy. */
CUresult cuFuncGetAttribute(int *pi, CUfunction_attribute attrib, CUfunction hfunc) {
    DRV(cuFuncGetAttribute, P(pi), I(attrib), P(hfunc));
}

CUresult cuFuncSetAttribute(CUfunction hfunc, CUfunction_attribute attrib, int value) {
    DRV(cuFuncSetAttribute, P(hfunc), I(attrib), I(value));
}

CUresult cuFuncSetCacheConfig(CUfunction hfunc, CUfunc_cache config) {
    DRV(cuFuncSetCacheConfig, P(hfunc), I(config));
}

CUresult cuOccupancyMaxActiveBlocksPerMultiprocessor(int *numBlocks, CUfunction func, int blockSize,
        size_t dynamicSMemSize) {
    DRV(cuOccupancyMaxActiveBlocksPerMultiprocessor, P(numBlocks), P(func), I(blockSize), U(dynamicSMemSize), 0);
}

CUresult cuOccupancyMaxActiveBlocksPerMultiprocessorWithFlags(int *numBlocks, CUfunction func, int blockSize,
        size_t dynamicSMemSize, unsigned int flags) {
    DRV(cuOccupancyMaxActiveBlocksPerMultiprocessor, P(numBlocks), P(func), I(blockSize), U(dynamicSMemSize),
            U(flags));
}

/* Managed and stream-ordered memory, address ranges. */
CUresult cuMemAllocManaged(CUdeviceptr *dptr, size_t bytesize, unsigned int flags) {
    DRV(cuMemAllocManaged, P(dptr), U(bytesize), U(flags));
}

CUresult cuMemAllocAsync(CUdeviceptr *dptr, size_t bytesize, CUstream hStream) {
    DRV(cuMemAllocAsync, P(dptr), U(bytesize), P(hStream));
}

CUresult cuMemAllocAsync_ptsz(CUdeviceptr *dptr, size_t bytesize, CUstream hStream) {
    DRV(cuMemAllocAsync, P(dptr), U(bytesize), PTSZ(hStream));
}

CUresult cuMemFreeAsync(CUdeviceptr dptr, CUstream hStream) {
    DRV(cuMemFreeAsync, U(dptr), P(hStream));
}

CUresult cuMemFreeAsync_ptsz(CUdeviceptr dptr, CUstream hStream) {
    DRV(cuMemFreeAsync, U(dptr), PTSZ(hStream));
}

CUresult cuMemGetAddressRange_v2(CUdeviceptr *pbase, size_t *psize, CUdeviceptr dptr) {
    DRV(cuMemGetAddressRange, P(pbase), P(psize), U(dptr));
}

/* 3D copies: the CUDA_MEMCPY3D struct is read on the Java side. */
CUresult cuMemcpy3D_v2(const CUDA_MEMCPY3D *pCopy) {
    DRV(cuMemcpy3D, P(pCopy), 0, 0);
}

CUresult cuMemcpy3D_v2_ptds(const CUDA_MEMCPY3D *pCopy) {
    DRV(cuMemcpy3D, P(pCopy), 0, 0);
}

CUresult cuMemcpy3DAsync_v2(const CUDA_MEMCPY3D *pCopy, CUstream hStream) {
    DRV(cuMemcpy3D, P(pCopy), P(hStream), 1);
}

CUresult cuMemcpy3DAsync_v2_ptsz(const CUDA_MEMCPY3D *pCopy, CUstream hStream) {
    DRV(cuMemcpy3D, P(pCopy), PTSZ(hStream), 1);
}

/* Limits and stream priorities. */
CUresult cuCtxGetLimit(size_t *pvalue, CUlimit limit) {
    DRV(cuCtxGetLimit, P(pvalue), I(limit));
}

CUresult cuCtxSetLimit(CUlimit limit, size_t value) {
    DRV(cuCtxSetLimit, I(limit), U(value));
}

CUresult cuCtxGetStreamPriorityRange(int *leastPriority, int *greatestPriority) {
    DRV(cuCtxGetStreamPriorityRange, P(leastPriority), P(greatestPriority));
}

CUresult cuStreamCreateWithPriority(CUstream *phStream, unsigned int flags, int priority) {
    DRV(cuStreamCreateWithPriority, P(phStream), U(flags), I(priority));
}

CUresult cuStreamGetPriority(CUstream hStream, int *priority) {
    DRV(cuStreamGetPriority, P(hStream), P(priority));
}

CUresult cuStreamGetPriority_ptsz(CUstream hStream, int *priority) {
    DRV(cuStreamGetPriority, PTSZ(hStream), P(priority));
}

CUresult cuStreamGetFlags(CUstream hStream, unsigned int *flags) {
    DRV(cuStreamGetFlags, P(hStream), P(flags));
}

CUresult cuStreamGetFlags_ptsz(CUstream hStream, unsigned int *flags) {
    DRV(cuStreamGetFlags, PTSZ(hStream), P(flags));
}

/* Host functions and callbacks on a stream (the callback gets the stream's status). */
CUresult cuLaunchHostFunc(CUstream hStream, CUhostFn fn, void *userData) {
    DRV(cuLaunchHostFunc, P(hStream), P(fn), P(userData), 0);
}

CUresult cuLaunchHostFunc_ptsz(CUstream hStream, CUhostFn fn, void *userData) {
    DRV(cuLaunchHostFunc, PTSZ(hStream), P(fn), P(userData), 0);
}

CUresult cuStreamAddCallback(CUstream hStream, CUstreamCallback callback, void *userData, unsigned int flags) {
    DRV(cuLaunchHostFunc, P(hStream), P(callback), P(userData), 1 | U(flags) << 32);
}

CUresult cuStreamAddCallback_ptsz(CUstream hStream, CUstreamCallback callback, void *userData, unsigned int flags) {
    DRV(cuLaunchHostFunc, PTSZ(hStream), P(callback), P(userData), 1 | U(flags) << 32);
}

/*
 * Private tables of NVIDIA's runtime and tools: none is offered. NVIDIA's runtime asks for them at start-up,
 * so a program that carries it (nvcc's default, -cudart static) cannot run here: say so, once.
 */
CUresult cuGetExportTable(const void **ppExportTable, const CUuuid *pExportTableId) {
    static int told;
    (void)pExportTableId;
    if (ppExportTable) *ppExportTable = NULL;
    if (!__atomic_exchange_n(&told, 1, __ATOMIC_RELAXED)) {
        fputs("transcuda: this program asks libcuda.so.1 for NVIDIA-private tables (cuGetExportTable), as NVIDIA's "
              "own CUDA runtime does: if it was built with nvcc's default -cudart static, rebuild it with "
              "-cudart shared to run it on Transcuda\n", stderr);
    }
    return CUDA_ERROR_INVALID_VALUE;
}

/*
 * cuGetProcAddress: each driver function by its base name, in every ABI version this library has, with the
 * CUDA version that introduced it; a request gets the newest version not newer than its cudaVersion. As
 * cuda.h documents it (and CUDA 13 on an H100 does), a symbol not found or without a version for cudaVersion is
 * CUDA_SUCCESS with *pfn NULL and symbolStatus saying which; a cudaVersion newer than the driver's is invalid.
 */
struct proc {
    const char *name;
    void *fn;
    int version;
    void *per_thread; /* the variant CU_GET_PROC_ADDRESS_PER_THREAD_DEFAULT_STREAM asks for, if different */
};
#define PROC(name, fn, version) {name, (void *)(fn), version, NULL}
#define PROC_PTDS(name, fn, version) {name, (void *)(fn), version, (void *)(fn##_ptds)}
#define PROC_PTSZ(name, fn, version) {name, (void *)(fn), version, (void *)(fn##_ptsz)}
static const struct proc procs[] = {
    PROC("cuInit", cuInit, 2000),
    PROC("cuDriverGetVersion", cuDriverGetVersion, 2020),
    PROC("cuDeviceGetCount", cuDeviceGetCount, 2000),
    PROC("cuDeviceGet", cuDeviceGet, 2000),
    PROC("cuDeviceGetName", cuDeviceGetName, 2000),
    PROC("cuDeviceTotalMem", cuDeviceTotalMem_v2, 3020),
    PROC("cuDeviceGetAttribute", cuDeviceGetAttribute, 2000),
    PROC("cuDeviceGetUuid", cuDeviceGetUuid, 9020),
    PROC("cuDeviceGetUuid", cuDeviceGetUuid_v2, 11040),
    PROC("cuDeviceComputeCapability", cuDeviceComputeCapability, 2000),
    PROC("cuCtxCreate", cuCtxCreate, 2000),
    PROC("cuCtxCreate", cuCtxCreate_v2, 3020),
    PROC("cuCtxCreate", cuCtxCreate_v3, 11040),
    PROC("cuCtxCreate", cuCtxCreate_v4, 12050),
    PROC("cuCtxDestroy", cuCtxDestroy, 2000),
    PROC("cuCtxDestroy", cuCtxDestroy_v2, 4000),
    PROC("cuCtxGetCurrent", cuCtxGetCurrent, 4000),
    PROC("cuCtxSetCurrent", cuCtxSetCurrent, 4000),
    PROC("cuCtxPushCurrent", cuCtxPushCurrent, 2000),
    PROC("cuCtxPushCurrent", cuCtxPushCurrent_v2, 4000),
    PROC("cuCtxPopCurrent", cuCtxPopCurrent, 2000),
    PROC("cuCtxPopCurrent", cuCtxPopCurrent_v2, 4000),
    PROC("cuCtxGetDevice", cuCtxGetDevice, 2000),
    PROC("cuCtxSynchronize", cuCtxSynchronize, 2000),
    PROC("cuCtxGetApiVersion", cuCtxGetApiVersion, 3020),
    PROC("cuMemAlloc", cuMemAlloc_v2, 3020),
    PROC("cuMemFree", cuMemFree_v2, 3020),
    PROC_PTDS("cuMemcpyHtoD", cuMemcpyHtoD_v2, 3020),
    PROC_PTDS("cuMemcpyDtoH", cuMemcpyDtoH_v2, 3020),
    PROC_PTDS("cuMemcpyDtoD", cuMemcpyDtoD_v2, 3020),
    PROC_PTDS("cuMemsetD8", cuMemsetD8_v2, 3020),
    PROC_PTDS("cuMemsetD16", cuMemsetD16_v2, 3020),
    PROC_PTDS("cuMemsetD32", cuMemsetD32_v2, 3020),
    PROC("cuMemGetInfo", cuMemGetInfo_v2, 3020),
    PROC("cuMemAllocHost", cuMemAllocHost_v2, 3020),
    PROC("cuMemHostAlloc", cuMemHostAlloc, 2020),
    PROC("cuMemFreeHost", cuMemFreeHost, 2000),
    PROC("cuDevicePrimaryCtxRetain", cuDevicePrimaryCtxRetain, 7000),
    PROC("cuDevicePrimaryCtxRelease", cuDevicePrimaryCtxRelease, 7000),
    PROC("cuDevicePrimaryCtxRelease", cuDevicePrimaryCtxRelease_v2, 11000),
    PROC("cuDevicePrimaryCtxReset", cuDevicePrimaryCtxReset, 7000),
    PROC("cuDevicePrimaryCtxReset", cuDevicePrimaryCtxReset_v2, 11000),
    PROC("cuDevicePrimaryCtxGetState", cuDevicePrimaryCtxGetState, 7000),
    PROC("cuModuleLoadData", cuModuleLoadData, 2000),
    PROC("cuModuleLoadDataEx", cuModuleLoadDataEx, 2010),
    PROC("cuModuleUnload", cuModuleUnload, 2000),
    PROC("cuModuleGetFunction", cuModuleGetFunction, 2000),
    PROC("cuModuleGetGlobal", cuModuleGetGlobal_v2, 3020),
    PROC_PTSZ("cuLaunchKernel", cuLaunchKernel, 4000),
    PROC("cuStreamCreate", cuStreamCreate, 2000),
    PROC("cuStreamDestroy", cuStreamDestroy_v2, 4000),
    PROC_PTSZ("cuStreamSynchronize", cuStreamSynchronize, 2000),
    PROC_PTSZ("cuMemcpyHtoDAsync", cuMemcpyHtoDAsync_v2, 3020),
    PROC_PTSZ("cuMemcpyDtoHAsync", cuMemcpyDtoHAsync_v2, 3020),
    PROC("cuFuncGetAttribute", cuFuncGetAttribute, 2020),
    PROC("cuFuncSetAttribute", cuFuncSetAttribute, 9000),
    PROC("cuFuncSetCacheConfig", cuFuncSetCacheConfig, 3000),
    PROC("cuOccupancyMaxActiveBlocksPerMultiprocessor", cuOccupancyMaxActiveBlocksPerMultiprocessor, 6050),
    PROC("cuOccupancyMaxActiveBlocksPerMultiprocessorWithFlags", cuOccupancyMaxActiveBlocksPerMultiprocessorWithFlags,
            7000),
    PROC("cuMemAllocManaged", cuMemAllocManaged, 6000),
    PROC_PTSZ("cuMemAllocAsync", cuMemAllocAsync, 11020),
    PROC_PTSZ("cuMemFreeAsync", cuMemFreeAsync, 11020),
    PROC("cuMemGetAddressRange", cuMemGetAddressRange_v2, 3020),
    PROC_PTDS("cuMemcpy3D", cuMemcpy3D_v2, 3020),
    PROC_PTSZ("cuMemcpy3DAsync", cuMemcpy3DAsync_v2, 3020),
    PROC("cuCtxGetLimit", cuCtxGetLimit, 3010),
    PROC("cuCtxSetLimit", cuCtxSetLimit, 3010),
    PROC("cuCtxGetStreamPriorityRange", cuCtxGetStreamPriorityRange, 5050),
    PROC("cuStreamCreateWithPriority", cuStreamCreateWithPriority, 5050),
    PROC_PTSZ("cuStreamGetPriority", cuStreamGetPriority, 5050),
    PROC_PTSZ("cuStreamGetFlags", cuStreamGetFlags, 5050),
    PROC_PTSZ("cuLaunchHostFunc", cuLaunchHostFunc, 10000),
    PROC_PTSZ("cuStreamAddCallback", cuStreamAddCallback, 5000),
    PROC("cuGetErrorName", cuGetErrorName, 6000),
    PROC("cuGetErrorString", cuGetErrorString, 6000),
    PROC("cuGetProcAddress", cuGetProcAddress, 11030),
    PROC("cuGetProcAddress", cuGetProcAddress_v2, 12000),
    PROC("cuGetExportTable", cuGetExportTable, 3000),
};

CUresult cuGetProcAddress_v2(const char *symbol, void **pfn, int cudaVersion, cuuint64_t flags,
        CUdriverProcAddressQueryResult *symbolStatus) {
    if (symbol == NULL || pfn == NULL) return CUDA_ERROR_INVALID_VALUE;
    /* cuda.h: a cudaVersion newer than the driver's is CUDA_ERROR_INVALID_VALUE. */
    int driverVersion = 0;
    CUresult r = cuDriverGetVersion(&driverVersion);
    if (r != CUDA_SUCCESS) return r;
    if (cudaVersion > driverVersion) return CUDA_ERROR_INVALID_VALUE;
    const struct proc *best = NULL;
    int known = 0;
    for (size_t i = 0; i < sizeof procs / sizeof procs[0]; i++) {
        if (strcmp(procs[i].name, symbol) != 0) continue;
        known = 1;
        if (procs[i].version <= cudaVersion && (best == NULL || procs[i].version > best->version)) best = &procs[i];
    }
    int per_thread = (flags & CU_GET_PROC_ADDRESS_PER_THREAD_DEFAULT_STREAM) != 0;
    *pfn = best ? (per_thread && best->per_thread ? best->per_thread : best->fn) : NULL;
    if (symbolStatus) {
        *symbolStatus = best ? CU_GET_PROC_ADDRESS_SUCCESS
                : known ? CU_GET_PROC_ADDRESS_VERSION_NOT_SUFFICIENT : CU_GET_PROC_ADDRESS_SYMBOL_NOT_FOUND;
    }
    /* cuda.h: an unknown symbol, or one without a version for cudaVersion, is CUDA_SUCCESS with *pfn NULL. */
    return CUDA_SUCCESS;
}

CUresult cuGetProcAddress(const char *symbol, void **pfn, int cudaVersion, cuuint64_t flags) {
    return cuGetProcAddress_v2(symbol, pfn, cudaVersion, flags, NULL);
}
