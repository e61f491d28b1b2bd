/*
 * Every function the drop-in libraries export, with CUDA 13's prototypes. check/header_check.c includes this
 * file after NVIDIA's cuda.h and cuda_runtime_api.h, so the compiler rejects any prototype that differs from
 * NVIDIA's. The registration and launch entry points of nvcc-generated code are declared only in
 * crt/host_runtime.h and crt/device_functions.h (C++ with nvcc internals); these copies follow them.
 */
#ifndef TC_API_H
#define TC_API_H

#ifndef TC_EXPORT
#define TC_EXPORT __attribute__((visibility("default")))
#endif

/* libcudart.so.13: runtime API. */
TC_EXPORT cudaError_t CUDARTAPI cudaGetDeviceCount(int *count);
TC_EXPORT cudaError_t CUDARTAPI cudaSetDevice(int device);
TC_EXPORT cudaError_t CUDARTAPI cudaGetDevice(int *device);
TC_EXPORT cudaError_t CUDARTAPI cudaGetDeviceProperties(struct cudaDeviceProp *prop, int device);
TC_EXPORT cudaError_t CUDARTAPI cudaDeviceGetAttribute(int *value, enum cudaDeviceAttr attr, int device);
TC_EXPORT cudaError_t CUDARTAPI cudaSetDeviceFlags(unsigned int flags);
TC_EXPORT cudaError_t CUDARTAPI cudaGetDeviceFlags(unsigned int *flags);
TC_EXPORT cudaError_t CUDARTAPI cudaMalloc(void **devPtr, size_t size);
TC_EXPORT cudaError_t CUDARTAPI cudaFree(void *devPtr);
TC_EXPORT cudaError_t CUDARTAPI cudaMallocHost(void **ptr, size_t size);
TC_EXPORT cudaError_t CUDARTAPI cudaHostAlloc(void **pHost, size_t size, unsigned int flags);
TC_EXPORT cudaError_t CUDARTAPI cudaFreeHost(void *ptr);
TC_EXPORT cudaError_t CUDARTAPI cudaMemcpy(void *dst, const void *src, size_t count, enum cudaMemcpyKind kind);
TC_EXPORT cudaError_t CUDARTAPI cudaMemset(void *devPtr, int value, size_t count);
TC_EXPORT cudaError_t CUDARTAPI cudaMemGetInfo(size_t *free, size_t *total);
TC_EXPORT cudaError_t CUDARTAPI cudaDeviceSynchronize(void);
TC_EXPORT cudaError_t CUDARTAPI cudaDeviceReset(void);
TC_EXPORT cudaError_t CUDARTAPI cudaGetLastError(void);
TC_EXPORT cudaError_t CUDARTAPI cudaPeekAtLastError(void);
TC_EXPORT const char *CUDARTAPI cudaGetErrorName(cudaError_t error);
TC_EXPORT const char *CUDARTAPI cudaGetErrorString(cudaError_t error);
TC_EXPORT cudaError_t CUDARTAPI cudaRuntimeGetVersion(int *runtimeVersion);
TC_EXPORT cudaError_t CUDARTAPI cudaDriverGetVersion(int *driverVersion);
TC_EXPORT cudaError_t CUDARTAPI cudaLaunchKernel(const void *func, dim3 gridDim, dim3 blockDim, void **args,
        size_t sharedMem, cudaStream_t stream);
TC_EXPORT cudaError_t CUDARTAPI cudaLaunchKernelExC(const cudaLaunchConfig_t *config, const void *func, void **args);
TC_EXPORT cudaError_t CUDARTAPI cudaLaunchKernelExC_ptsz(const cudaLaunchConfig_t *config, const void *func,
        void **args);
/* Per-thread default stream variants (nvcc --default-stream per-thread); the default stream is per thread here
   in any case until streams are wired. */
TC_EXPORT cudaError_t CUDARTAPI cudaMemcpy_ptds(void *dst, const void *src, size_t count, enum cudaMemcpyKind kind);
TC_EXPORT cudaError_t CUDARTAPI cudaMemset_ptds(void *devPtr, int value, size_t count);
TC_EXPORT cudaError_t CUDARTAPI cudaLaunchKernel_ptsz(const void *func, dim3 gridDim, dim3 blockDim, void **args,
        size_t sharedMem, cudaStream_t stream);
TC_EXPORT cudaError_t CUDARTAPI cudaStreamCreate(cudaStream_t *pStream);
TC_EXPORT cudaError_t CUDARTAPI cudaStreamCreateWithFlags(cudaStream_t *pStream, unsigned int flags);
TC_EXPORT cudaError_t CUDARTAPI cudaStreamCreateWithPriority(cudaStream_t *pStream, unsigned int flags, int priority);
TC_EXPORT cudaError_t CUDARTAPI cudaStreamDestroy(cudaStream_t stream);
TC_EXPORT cudaError_t CUDARTAPI cudaStreamSynchronize(cudaStream_t stream);
TC_EXPORT cudaError_t CUDARTAPI cudaStreamSynchronize_ptsz(cudaStream_t stream);
TC_EXPORT cudaError_t CUDARTAPI cudaStreamQuery(cudaStream_t stream);
TC_EXPORT cudaError_t CUDARTAPI cudaStreamQuery_ptsz(cudaStream_t stream);
TC_EXPORT cudaError_t CUDARTAPI cudaStreamWaitEvent(cudaStream_t stream, cudaEvent_t event, unsigned int flags);
TC_EXPORT cudaError_t CUDARTAPI cudaStreamWaitEvent_ptsz(cudaStream_t stream, cudaEvent_t event, unsigned int flags);
TC_EXPORT cudaError_t CUDARTAPI cudaEventCreate(cudaEvent_t *event);
TC_EXPORT cudaError_t CUDARTAPI cudaEventCreateWithFlags(cudaEvent_t *event, unsigned int flags);
TC_EXPORT cudaError_t CUDARTAPI cudaEventDestroy(cudaEvent_t event);
TC_EXPORT cudaError_t CUDARTAPI cudaEventRecord(cudaEvent_t event, cudaStream_t stream);
TC_EXPORT cudaError_t CUDARTAPI cudaEventRecord_ptsz(cudaEvent_t event, cudaStream_t stream);
TC_EXPORT cudaError_t CUDARTAPI cudaEventSynchronize(cudaEvent_t event);
TC_EXPORT cudaError_t CUDARTAPI cudaEventQuery(cudaEvent_t event);
TC_EXPORT cudaError_t CUDARTAPI cudaEventElapsedTime(float *ms, cudaEvent_t start, cudaEvent_t end);
TC_EXPORT cudaError_t CUDARTAPI cudaMemcpyAsync(void *dst, const void *src, size_t count, enum cudaMemcpyKind kind,
        cudaStream_t stream);
TC_EXPORT cudaError_t CUDARTAPI cudaMemcpyAsync_ptsz(void *dst, const void *src, size_t count,
        enum cudaMemcpyKind kind, cudaStream_t stream);
TC_EXPORT cudaError_t CUDARTAPI cudaMemsetAsync(void *devPtr, int value, size_t count, cudaStream_t stream);
TC_EXPORT cudaError_t CUDARTAPI cudaMemsetAsync_ptsz(void *devPtr, int value, size_t count, cudaStream_t stream);
TC_EXPORT cudaError_t CUDARTAPI cudaMemcpyToSymbol(const void *symbol, const void *src, size_t count, size_t offset,
        enum cudaMemcpyKind kind);
TC_EXPORT cudaError_t CUDARTAPI cudaMemcpyToSymbol_ptds(const void *symbol, const void *src, size_t count,
        size_t offset, enum cudaMemcpyKind kind);
TC_EXPORT cudaError_t CUDARTAPI cudaMemcpyFromSymbol(void *dst, const void *symbol, size_t count, size_t offset,
        enum cudaMemcpyKind kind);
TC_EXPORT cudaError_t CUDARTAPI cudaMemcpyFromSymbol_ptds(void *dst, const void *symbol, size_t count,
        size_t offset, enum cudaMemcpyKind kind);
TC_EXPORT cudaError_t CUDARTAPI cudaMemcpyToSymbolAsync(const void *symbol, const void *src, size_t count,
        size_t offset, enum cudaMemcpyKind kind, cudaStream_t stream);
TC_EXPORT cudaError_t CUDARTAPI cudaMemcpyToSymbolAsync_ptsz(const void *symbol, const void *src, size_t count,
        size_t offset, enum cudaMemcpyKind kind, cudaStream_t stream);
TC_EXPORT cudaError_t CUDARTAPI cudaMemcpyFromSymbolAsync(void *dst, const void *symbol, size_t count,
        size_t offset, enum cudaMemcpyKind kind, cudaStream_t stream);
TC_EXPORT cudaError_t CUDARTAPI cudaMemcpyFromSymbolAsync_ptsz(void *dst, const void *symbol, size_t count,
        size_t offset, enum cudaMemcpyKind kind, cudaStream_t stream);
TC_EXPORT cudaError_t CUDARTAPI cudaGetSymbolAddress(void **devPtr, const void *symbol);
TC_EXPORT cudaError_t CUDARTAPI cudaGetSymbolSize(size_t *size, const void *symbol);
TC_EXPORT cudaError_t CUDARTAPI cudaLaunchHostFunc(cudaStream_t stream, cudaHostFn_t fn, void *userData);
TC_EXPORT cudaError_t CUDARTAPI cudaLaunchHostFunc_ptsz(cudaStream_t stream, cudaHostFn_t fn, void *userData);
TC_EXPORT cudaError_t CUDARTAPI cudaStreamAddCallback(cudaStream_t stream, cudaStreamCallback_t callback,
        void *userData, unsigned int flags);
TC_EXPORT cudaError_t CUDARTAPI cudaStreamAddCallback_ptsz(cudaStream_t stream, cudaStreamCallback_t callback,
        void *userData, unsigned int flags);

/* Stream priorities and flags, function attributes, occupancy, managed and stream-ordered memory, 3D copies,
   limits. */
TC_EXPORT cudaError_t CUDARTAPI cudaDeviceGetStreamPriorityRange(int *leastPriority, int *greatestPriority);
TC_EXPORT cudaError_t CUDARTAPI cudaStreamGetPriority(cudaStream_t hStream, int *priority);
TC_EXPORT cudaError_t CUDARTAPI cudaStreamGetPriority_ptsz(cudaStream_t hStream, int *priority);
TC_EXPORT cudaError_t CUDARTAPI cudaStreamGetFlags(cudaStream_t hStream, unsigned int *flags);
TC_EXPORT cudaError_t CUDARTAPI cudaStreamGetFlags_ptsz(cudaStream_t hStream, unsigned int *flags);
TC_EXPORT cudaError_t CUDARTAPI cudaFuncGetAttributes(struct cudaFuncAttributes *attr, const void *func);
TC_EXPORT cudaError_t CUDARTAPI cudaFuncSetAttribute(const void *func, enum cudaFuncAttribute attr, int value);
TC_EXPORT cudaError_t CUDARTAPI cudaFuncSetCacheConfig(const void *func, enum cudaFuncCache cacheConfig);
TC_EXPORT cudaError_t CUDARTAPI cudaOccupancyMaxActiveBlocksPerMultiprocessor(int *numBlocks, const void *func,
        int blockSize, size_t dynamicSMemSize);
TC_EXPORT cudaError_t CUDARTAPI cudaOccupancyMaxActiveBlocksPerMultiprocessorWithFlags(int *numBlocks,
        const void *func, int blockSize, size_t dynamicSMemSize, unsigned int flags);
TC_EXPORT cudaError_t CUDARTAPI cudaOccupancyAvailableDynamicSMemPerBlock(size_t *dynamicSmemSize, const void *func,
        int numBlocks, int blockSize);
TC_EXPORT cudaError_t CUDARTAPI cudaMallocManaged(void **devPtr, size_t size, unsigned int flags);
TC_EXPORT cudaError_t CUDARTAPI cudaMallocPitch(void **devPtr, size_t *pitch, size_t width, size_t height);
TC_EXPORT cudaError_t CUDARTAPI cudaMallocAsync(void **devPtr, size_t size, cudaStream_t hStream);
TC_EXPORT cudaError_t CUDARTAPI cudaMallocAsync_ptsz(void **devPtr, size_t size, cudaStream_t hStream);
TC_EXPORT cudaError_t CUDARTAPI cudaFreeAsync(void *devPtr, cudaStream_t hStream);
TC_EXPORT cudaError_t CUDARTAPI cudaFreeAsync_ptsz(void *devPtr, cudaStream_t hStream);
TC_EXPORT cudaError_t CUDARTAPI cudaMemcpy3D(const struct cudaMemcpy3DParms *p);
TC_EXPORT cudaError_t CUDARTAPI cudaMemcpy3D_ptds(const struct cudaMemcpy3DParms *p);
TC_EXPORT cudaError_t CUDARTAPI cudaMemcpy3DAsync(const struct cudaMemcpy3DParms *p, cudaStream_t stream);
TC_EXPORT cudaError_t CUDARTAPI cudaMemcpy3DAsync_ptsz(const struct cudaMemcpy3DParms *p, cudaStream_t stream);
TC_EXPORT cudaError_t CUDARTAPI cudaDeviceGetLimit(size_t *pValue, enum cudaLimit limit);
TC_EXPORT cudaError_t CUDARTAPI cudaDeviceSetLimit(enum cudaLimit limit, size_t value);

/* libcudart.so.13: what nvcc-generated host code calls (crt/host_runtime.h, crt/device_functions.h). */
struct textureReference;
struct surfaceReference;
TC_EXPORT void **CUDARTAPI __cudaRegisterFatBinary(void *fatCubin);
TC_EXPORT void CUDARTAPI __cudaRegisterFatBinaryEnd(void **fatCubinHandle);
TC_EXPORT void CUDARTAPI __cudaUnregisterFatBinary(void **fatCubinHandle);
TC_EXPORT void CUDARTAPI __cudaRegisterVar(void **fatCubinHandle, char *hostVar, char *deviceAddress,
        const char *deviceName, int ext, size_t size, int constant, int global);
TC_EXPORT void CUDARTAPI __cudaRegisterManagedVar(void **fatCubinHandle, void **hostVarPtrAddress,
        char *deviceAddress, const char *deviceName, int ext, size_t size, int constant, int global);
TC_EXPORT char CUDARTAPI __cudaInitModule(void **fatCubinHandle);
TC_EXPORT void CUDARTAPI __cudaRegisterTexture(void **fatCubinHandle, const struct textureReference *hostVar,
        const void **deviceAddress, const char *deviceName, int dim, int norm, int ext);
TC_EXPORT void CUDARTAPI __cudaRegisterSurface(void **fatCubinHandle, const struct surfaceReference *hostVar,
        const void **deviceAddress, const char *deviceName, int dim, int ext);
TC_EXPORT void CUDARTAPI __cudaRegisterFunction(void **fatCubinHandle, const char *hostFun, char *deviceFun,
        const char *deviceName, int thread_limit, uint3 *tid, uint3 *bid, dim3 *bDim, dim3 *gDim, int *wSize);
TC_EXPORT unsigned CUDARTAPI __cudaPushCallConfiguration(dim3 gridDim, dim3 blockDim, size_t sharedMem,
        struct CUstream_st *stream);
TC_EXPORT cudaError_t CUDARTAPI __cudaPopCallConfiguration(dim3 *gridDim, dim3 *blockDim, size_t *sharedMem,
        void *stream);
TC_EXPORT cudaError_t CUDARTAPI __cudaGetKernel(cudaKernel_t *kernel, const void *hostFun);
TC_EXPORT cudaError_t CUDARTAPI __cudaLaunchKernel(cudaKernel_t kernel, dim3 gridDim, dim3 blockDim, void **args,
        size_t sharedMem, cudaStream_t stream);
TC_EXPORT cudaError_t CUDARTAPI __cudaLaunchKernel_ptsz(cudaKernel_t kernel, dim3 gridDim, dim3 blockDim,
        void **args, size_t sharedMem, cudaStream_t stream);

/* libcuda.so.1: driver API, under the versioned names cuda.h maps to, plus the legacy unversioned names. */
TC_EXPORT CUresult CUDAAPI cuInit(unsigned int Flags);
TC_EXPORT CUresult CUDAAPI cuDriverGetVersion(int *driverVersion);
TC_EXPORT CUresult CUDAAPI cuDeviceGetCount(int *count);
TC_EXPORT CUresult CUDAAPI cuDeviceGet(CUdevice *device, int ordinal);
TC_EXPORT CUresult CUDAAPI cuDeviceGetName(char *name, int len, CUdevice dev);
TC_EXPORT CUresult CUDAAPI cuDeviceTotalMem_v2(size_t *bytes, CUdevice dev);
TC_EXPORT CUresult CUDAAPI cuDeviceGetAttribute(int *pi, CUdevice_attribute attrib, CUdevice dev);
TC_EXPORT CUresult CUDAAPI cuDeviceGetUuid(CUuuid *uuid, CUdevice dev);
TC_EXPORT CUresult CUDAAPI cuDeviceGetUuid_v2(CUuuid *uuid, CUdevice dev);
TC_EXPORT CUresult CUDAAPI cuDeviceComputeCapability(int *major, int *minor, CUdevice dev);
TC_EXPORT CUresult CUDAAPI cuCtxCreate(CUcontext *pctx, unsigned int flags, CUdevice dev);
TC_EXPORT CUresult CUDAAPI cuCtxCreate_v2(CUcontext *pctx, unsigned int flags, CUdevice dev);
TC_EXPORT CUresult CUDAAPI cuCtxCreate_v3(CUcontext *pctx, CUexecAffinityParam *paramsArray, int numParams,
        unsigned int flags, CUdevice dev);
TC_EXPORT CUresult CUDAAPI cuCtxCreate_v4(CUcontext *pctx, CUctxCreateParams *ctxCreateParams, unsigned int flags,
        CUdevice dev);
TC_EXPORT CUresult CUDAAPI cuCtxDestroy(CUcontext ctx);
TC_EXPORT CUresult CUDAAPI cuCtxDestroy_v2(CUcontext ctx);
TC_EXPORT CUresult CUDAAPI cuCtxGetCurrent(CUcontext *pctx);
TC_EXPORT CUresult CUDAAPI cuCtxSetCurrent(CUcontext ctx);
TC_EXPORT CUresult CUDAAPI cuCtxPushCurrent(CUcontext ctx);
TC_EXPORT CUresult CUDAAPI cuCtxPushCurrent_v2(CUcontext ctx);
TC_EXPORT CUresult CUDAAPI cuCtxPopCurrent(CUcontext *pctx);
TC_EXPORT CUresult CUDAAPI cuCtxPopCurrent_v2(CUcontext *pctx);
TC_EXPORT CUresult CUDAAPI cuCtxGetDevice(CUdevice *device);
TC_EXPORT CUresult CUDAAPI cuCtxSynchronize(void);
TC_EXPORT CUresult CUDAAPI cuCtxGetApiVersion(CUcontext ctx, unsigned int *version);
TC_EXPORT CUresult CUDAAPI cuMemAlloc_v2(CUdeviceptr *dptr, size_t bytesize);
TC_EXPORT CUresult CUDAAPI cuMemFree_v2(CUdeviceptr dptr);
TC_EXPORT CUresult CUDAAPI cuMemcpyHtoD_v2(CUdeviceptr dstDevice, const void *srcHost, size_t ByteCount);
TC_EXPORT CUresult CUDAAPI cuMemcpyDtoH_v2(void *dstHost, CUdeviceptr srcDevice, size_t ByteCount);
TC_EXPORT CUresult CUDAAPI cuMemcpyDtoD_v2(CUdeviceptr dstDevice, CUdeviceptr srcDevice, size_t ByteCount);
TC_EXPORT CUresult CUDAAPI cuMemsetD8_v2(CUdeviceptr dstDevice, unsigned char uc, size_t N);
TC_EXPORT CUresult CUDAAPI cuMemsetD16_v2(CUdeviceptr dstDevice, unsigned short us, size_t N);
TC_EXPORT CUresult CUDAAPI cuMemsetD32_v2(CUdeviceptr dstDevice, unsigned int ui, size_t N);
TC_EXPORT CUresult CUDAAPI cuMemcpyHtoD_v2_ptds(CUdeviceptr dstDevice, const void *srcHost, size_t ByteCount);
TC_EXPORT CUresult CUDAAPI cuMemcpyDtoH_v2_ptds(void *dstHost, CUdeviceptr srcDevice, size_t ByteCount);
TC_EXPORT CUresult CUDAAPI cuMemcpyDtoD_v2_ptds(CUdeviceptr dstDevice, CUdeviceptr srcDevice, size_t ByteCount);
TC_EXPORT CUresult CUDAAPI cuMemsetD8_v2_ptds(CUdeviceptr dstDevice, unsigned char uc, size_t N);
TC_EXPORT CUresult CUDAAPI cuMemsetD16_v2_ptds(CUdeviceptr dstDevice, unsigned short us, size_t N);
TC_EXPORT CUresult CUDAAPI cuMemsetD32_v2_ptds(CUdeviceptr dstDevice, unsigned int ui, size_t N);
TC_EXPORT CUresult CUDAAPI cuMemGetInfo_v2(size_t *free, size_t *total);
TC_EXPORT CUresult CUDAAPI cuMemAllocHost_v2(void **pp, size_t bytesize);
TC_EXPORT CUresult CUDAAPI cuMemHostAlloc(void **pp, size_t bytesize, unsigned int Flags);
TC_EXPORT CUresult CUDAAPI cuMemFreeHost(void *p);
TC_EXPORT CUresult CUDAAPI cuDevicePrimaryCtxRetain(CUcontext *pctx, CUdevice dev);
TC_EXPORT CUresult CUDAAPI cuDevicePrimaryCtxRelease(CUdevice dev);
TC_EXPORT CUresult CUDAAPI cuDevicePrimaryCtxRelease_v2(CUdevice dev);
TC_EXPORT CUresult CUDAAPI cuDevicePrimaryCtxReset(CUdevice dev);
TC_EXPORT CUresult CUDAAPI cuDevicePrimaryCtxReset_v2(CUdevice dev);
TC_EXPORT CUresult CUDAAPI cuDevicePrimaryCtxGetState(CUdevice dev, unsigned int *flags, int *active);
TC_EXPORT CUresult CUDAAPI cuModuleLoadData(CUmodule *module, const void *image);
TC_EXPORT CUresult CUDAAPI cuModuleLoadDataEx(CUmodule *module, const void *image, unsigned int numOptions,
        CUjit_option *options, void **optionValues);
TC_EXPORT CUresult CUDAAPI cuModuleUnload(CUmodule hmod);
TC_EXPORT CUresult CUDAAPI cuModuleGetFunction(CUfunction *hfunc, CUmodule hmod, const char *name);
TC_EXPORT CUresult CUDAAPI cuModuleGetGlobal_v2(CUdeviceptr *dptr, size_t *bytes, CUmodule hmod, const char *name);
TC_EXPORT CUresult CUDAAPI cuLaunchKernel(CUfunction f, unsigned int gridDimX, unsigned int gridDimY,
        unsigned int gridDimZ, unsigned int blockDimX, unsigned int blockDimY, unsigned int blockDimZ,
        unsigned int sharedMemBytes, CUstream hStream, void **kernelParams, void **extra);
TC_EXPORT CUresult CUDAAPI cuLaunchKernel_ptsz(CUfunction f, unsigned int gridDimX, unsigned int gridDimY,
        unsigned int gridDimZ, unsigned int blockDimX, unsigned int blockDimY, unsigned int blockDimZ,
        unsigned int sharedMemBytes, CUstream hStream, void **kernelParams, void **extra);
TC_EXPORT CUresult CUDAAPI cuStreamCreate(CUstream *phStream, unsigned int Flags);
TC_EXPORT CUresult CUDAAPI cuStreamDestroy_v2(CUstream hStream);
TC_EXPORT CUresult CUDAAPI cuStreamSynchronize(CUstream hStream);
TC_EXPORT CUresult CUDAAPI cuStreamSynchronize_ptsz(CUstream hStream);
TC_EXPORT CUresult CUDAAPI cuMemcpyHtoDAsync_v2(CUdeviceptr dstDevice, const void *srcHost, size_t ByteCount,
        CUstream hStream);
TC_EXPORT CUresult CUDAAPI cuMemcpyHtoDAsync_v2_ptsz(CUdeviceptr dstDevice, const void *srcHost, size_t ByteCount,
        CUstream hStream);
TC_EXPORT CUresult CUDAAPI cuMemcpyDtoHAsync_v2(void *dstHost, CUdeviceptr srcDevice, size_t ByteCount,
        CUstream hStream);
TC_EXPORT CUresult CUDAAPI cuMemcpyDtoHAsync_v2_ptsz(void *dstHost, CUdeviceptr srcDevice, size_t ByteCount,
        CUstream hStream);
TC_EXPORT CUresult CUDAAPI cuGetErrorName(CUresult error, const char **pStr);
TC_EXPORT CUresult CUDAAPI cuGetErrorString(CUresult error, const char **pStr);
TC_EXPORT CUresult CUDAAPI cuFuncGetAttribute(int *pi, CUfunction_attribute attrib, CUfunction hfunc);
TC_EXPORT CUresult CUDAAPI cuFuncSetAttribute(CUfunction hfunc, CUfunction_attribute attrib, int value);
TC_EXPORT CUresult CUDAAPI cuFuncSetCacheConfig(CUfunction hfunc, CUfunc_cache config);
TC_EXPORT CUresult CUDAAPI cuOccupancyMaxActiveBlocksPerMultiprocessor(int *numBlocks, CUfunction func, int blockSize,
        size_t dynamicSMemSize);
TC_EXPORT CUresult CUDAAPI cuOccupancyMaxActiveBlocksPerMultiprocessorWithFlags(int *numBlocks, CUfunction func,
        int blockSize, size_t dynamicSMemSize, unsigned int flags);
TC_EXPORT CUresult CUDAAPI cuMemAllocManaged(CUdeviceptr *dptr, size_t bytesize, unsigned int flags);
TC_EXPORT CUresult CUDAAPI cuMemAllocAsync(CUdeviceptr *dptr, size_t bytesize, CUstream hStream);
TC_EXPORT CUresult CUDAAPI cuMemAllocAsync_ptsz(CUdeviceptr *dptr, size_t bytesize, CUstream hStream);
TC_EXPORT CUresult CUDAAPI cuMemFreeAsync(CUdeviceptr dptr, CUstream hStream);
TC_EXPORT CUresult CUDAAPI cuMemFreeAsync_ptsz(CUdeviceptr dptr, CUstream hStream);
TC_EXPORT CUresult CUDAAPI cuMemcpy3D_v2(const CUDA_MEMCPY3D *pCopy);
TC_EXPORT CUresult CUDAAPI cuMemcpy3D_v2_ptds(const CUDA_MEMCPY3D *pCopy);
TC_EXPORT CUresult CUDAAPI cuMemcpy3DAsync_v2(const CUDA_MEMCPY3D *pCopy, CUstream hStream);
TC_EXPORT CUresult CUDAAPI cuMemcpy3DAsync_v2_ptsz(const CUDA_MEMCPY3D *pCopy, CUstream hStream);
TC_EXPORT CUresult CUDAAPI cuCtxGetLimit(size_t *pvalue, CUlimit limit);
TC_EXPORT CUresult CUDAAPI cuCtxSetLimit(CUlimit limit, size_t value);
TC_EXPORT CUresult CUDAAPI cuStreamCreateWithPriority(CUstream *phStream, unsigned int flags, int priority);
TC_EXPORT CUresult CUDAAPI cuStreamGetPriority(CUstream hStream, int *priority);
TC_EXPORT CUresult CUDAAPI cuStreamGetPriority_ptsz(CUstream hStream, int *priority);
TC_EXPORT CUresult CUDAAPI cuStreamGetFlags(CUstream hStream, unsigned int *flags);
TC_EXPORT CUresult CUDAAPI cuStreamGetFlags_ptsz(CUstream hStream, unsigned int *flags);
TC_EXPORT CUresult CUDAAPI cuCtxGetStreamPriorityRange(int *leastPriority, int *greatestPriority);
TC_EXPORT CUresult CUDAAPI cuLaunchHostFunc(CUstream hStream, CUhostFn fn, void *userData);
TC_EXPORT CUresult CUDAAPI cuLaunchHostFunc_ptsz(CUstream hStream, CUhostFn fn, void *userData);
TC_EXPORT CUresult CUDAAPI cuStreamAddCallback(CUstream hStream, CUstreamCallback callback, void *userData,
        unsigned int flags);
TC_EXPORT CUresult CUDAAPI cuStreamAddCallback_ptsz(CUstream hStream, CUstreamCallback callback, void *userData,
        unsigned int flags);
TC_EXPORT CUresult CUDAAPI cuMemGetAddressRange_v2(CUdeviceptr *pbase, size_t *psize, CUdeviceptr dptr);
TC_EXPORT CUresult CUDAAPI cuGetProcAddress(const char *symbol, void **pfn, int cudaVersion, cuuint64_t flags);
TC_EXPORT CUresult CUDAAPI cuGetProcAddress_v2(const char *symbol, void **pfn, int cudaVersion, cuuint64_t flags,
        CUdriverProcAddressQueryResult *symbolStatus);
TC_EXPORT CUresult CUDAAPI cuGetExportTable(const void **ppExportTable, const CUuuid *pExportTableId);

#endif
