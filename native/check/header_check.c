/*
 * Compiled (never run) against NVIDIA's CUDA 13 headers by `make check`: the compiler proves that the
 * prototypes in tc_api.h, the enumerator values in tc_lists.h and the cudaDeviceProp layout that tc_types.h
 * declares are CUDA's own. The build itself never needs these headers.
 */
#include <stddef.h>
#include <cuda.h>
#include <cuda_runtime_api.h>
#include "tc_lists.h"

#if CUDART_VERSION < 13000 || CUDA_VERSION < 13000
#error "the check needs the headers of CUDA 13 or newer"
#endif

/* Enumerators: each name exists in NVIDIA's headers, with our value. */
#define TC_CHECK_CONSTANT(name, value) _Static_assert((name) == (value), #name " differs from CUDA's");
TC_CONSTANTS(TC_CHECK_CONSTANT)

/* cudaDeviceProp: our copy, field by field, has NVIDIA's offsets and sizes, and the same total size. */
#define TC_FIELD(type, name, dims) type name dims;
struct tc_device_prop {
    TC_DEVICE_PROP_FIELDS(TC_FIELD)
};
#define TC_CHECK_FIELD(type, name, dims) \
    _Static_assert(offsetof(struct tc_device_prop, name) == offsetof(struct cudaDeviceProp, name), \
            "offset of cudaDeviceProp." #name); \
    _Static_assert(sizeof(((struct tc_device_prop *)0)->name) == sizeof(((struct cudaDeviceProp *)0)->name), \
            "size of cudaDeviceProp." #name);
TC_DEVICE_PROP_FIELDS(TC_CHECK_FIELD)
_Static_assert(sizeof(struct tc_device_prop) == sizeof(struct cudaDeviceProp), "size of cudaDeviceProp");

/* Types whose sizes the C side relies on when it packs arguments. */
_Static_assert(sizeof(dim3) == 12 && sizeof(uint3) == 12, "dim3");
_Static_assert(sizeof(CUdeviceptr) == 8 && sizeof(CUdevice) == 4 && sizeof(CUuuid) == 16, "driver types");
_Static_assert(sizeof(cudaError_t) == 4 && sizeof(CUresult) == 4, "result types");

/* cudaLaunchConfig_t as Dispatcher reads it (cudaLaunchKernelExC): offsets 0, 12, 24, 32, 40, 48. */
_Static_assert(offsetof(cudaLaunchConfig_t, gridDim) == 0, "cudaLaunchConfig_t.gridDim");
_Static_assert(offsetof(cudaLaunchConfig_t, blockDim) == 12, "cudaLaunchConfig_t.blockDim");
_Static_assert(offsetof(cudaLaunchConfig_t, dynamicSmemBytes) == 24, "cudaLaunchConfig_t.dynamicSmemBytes");
_Static_assert(offsetof(cudaLaunchConfig_t, stream) == 32, "cudaLaunchConfig_t.stream");
_Static_assert(offsetof(cudaLaunchConfig_t, attrs) == 40, "cudaLaunchConfig_t.attrs");
_Static_assert(offsetof(cudaLaunchConfig_t, numAttrs) == 48, "cudaLaunchConfig_t.numAttrs");

/* cudaFuncAttributes as Dispatcher writes it (cudaFuncGetAttributes). */
_Static_assert(sizeof(struct cudaFuncAttributes) == 144, "cudaFuncAttributes size");
_Static_assert(offsetof(struct cudaFuncAttributes, sharedSizeBytes) == 0, "cudaFuncAttributes.sharedSizeBytes");
_Static_assert(offsetof(struct cudaFuncAttributes, constSizeBytes) == 8, "cudaFuncAttributes.constSizeBytes");
_Static_assert(offsetof(struct cudaFuncAttributes, localSizeBytes) == 16, "cudaFuncAttributes.localSizeBytes");
_Static_assert(offsetof(struct cudaFuncAttributes, maxThreadsPerBlock) == 24, "cudaFuncAttributes.maxThreadsPerBlock");
_Static_assert(offsetof(struct cudaFuncAttributes, numRegs) == 28, "cudaFuncAttributes.numRegs");
_Static_assert(offsetof(struct cudaFuncAttributes, ptxVersion) == 32, "cudaFuncAttributes.ptxVersion");
_Static_assert(offsetof(struct cudaFuncAttributes, binaryVersion) == 36, "cudaFuncAttributes.binaryVersion");
_Static_assert(offsetof(struct cudaFuncAttributes, cacheModeCA) == 40, "cudaFuncAttributes.cacheModeCA");
_Static_assert(offsetof(struct cudaFuncAttributes, maxDynamicSharedSizeBytes) == 44,
        "cudaFuncAttributes.maxDynamicSharedSizeBytes");
_Static_assert(offsetof(struct cudaFuncAttributes, preferredShmemCarveout) == 48,
        "cudaFuncAttributes.preferredShmemCarveout");

/* cudaMemcpy3DParms as Dispatcher reads it: arrays at 0/64, cudaPos (3 size_t) at 8/72, cudaPitchedPtr (ptr,
   pitch, xsize, ysize) at 32/96, cudaExtent (width, height, depth) at 128, kind at 152. */
_Static_assert(sizeof(struct cudaMemcpy3DParms) == 160, "cudaMemcpy3DParms size");
_Static_assert(offsetof(struct cudaMemcpy3DParms, srcArray) == 0, "cudaMemcpy3DParms.srcArray");
_Static_assert(offsetof(struct cudaMemcpy3DParms, srcPos) == 8, "cudaMemcpy3DParms.srcPos");
_Static_assert(offsetof(struct cudaMemcpy3DParms, srcPtr) == 32, "cudaMemcpy3DParms.srcPtr");
_Static_assert(offsetof(struct cudaMemcpy3DParms, dstArray) == 64, "cudaMemcpy3DParms.dstArray");
_Static_assert(offsetof(struct cudaMemcpy3DParms, dstPos) == 72, "cudaMemcpy3DParms.dstPos");
_Static_assert(offsetof(struct cudaMemcpy3DParms, dstPtr) == 96, "cudaMemcpy3DParms.dstPtr");
_Static_assert(offsetof(struct cudaMemcpy3DParms, extent) == 128, "cudaMemcpy3DParms.extent");
_Static_assert(offsetof(struct cudaMemcpy3DParms, kind) == 152, "cudaMemcpy3DParms.kind");
_Static_assert(offsetof(struct cudaPos, x) == 0 && offsetof(struct cudaPos, y) == 8 && offsetof(struct cudaPos, z) == 16,
        "cudaPos");
_Static_assert(offsetof(struct cudaPitchedPtr, ptr) == 0 && offsetof(struct cudaPitchedPtr, pitch) == 8
        && offsetof(struct cudaPitchedPtr, xsize) == 16 && offsetof(struct cudaPitchedPtr, ysize) == 24, "cudaPitchedPtr");
_Static_assert(offsetof(struct cudaExtent, width) == 0 && offsetof(struct cudaExtent, height) == 8
        && offsetof(struct cudaExtent, depth) == 16, "cudaExtent");

/* CUDA_MEMCPY3D (v2) as Dispatcher reads it. */
#define TC_CHECK_MEMCPY3D(field, offset) \
    _Static_assert(offsetof(CUDA_MEMCPY3D, field) == (offset), "CUDA_MEMCPY3D." #field);
TC_CHECK_MEMCPY3D(srcXInBytes, 0) TC_CHECK_MEMCPY3D(srcY, 8) TC_CHECK_MEMCPY3D(srcZ, 16)
TC_CHECK_MEMCPY3D(srcMemoryType, 32) TC_CHECK_MEMCPY3D(srcHost, 40) TC_CHECK_MEMCPY3D(srcDevice, 48)
TC_CHECK_MEMCPY3D(srcArray, 56) TC_CHECK_MEMCPY3D(srcPitch, 72) TC_CHECK_MEMCPY3D(srcHeight, 80)
TC_CHECK_MEMCPY3D(dstXInBytes, 88) TC_CHECK_MEMCPY3D(dstY, 96) TC_CHECK_MEMCPY3D(dstZ, 104)
TC_CHECK_MEMCPY3D(dstMemoryType, 120) TC_CHECK_MEMCPY3D(dstHost, 128) TC_CHECK_MEMCPY3D(dstDevice, 136)
TC_CHECK_MEMCPY3D(dstArray, 144) TC_CHECK_MEMCPY3D(dstPitch, 160) TC_CHECK_MEMCPY3D(dstHeight, 168)
TC_CHECK_MEMCPY3D(WidthInBytes, 176) TC_CHECK_MEMCPY3D(Height, 184) TC_CHECK_MEMCPY3D(Depth, 192)
_Static_assert(sizeof(CUDA_MEMCPY3D) == 200 && sizeof(CUmemorytype) == 4, "CUDA_MEMCPY3D size");
_Static_assert(CU_MEMORYTYPE_HOST == 1 && CU_MEMORYTYPE_DEVICE == 2 && CU_MEMORYTYPE_ARRAY == 3
        && CU_MEMORYTYPE_UNIFIED == 4, "CUmemorytype values");

/* Legacy names that cuda.h maps to versioned ones: ours are separate exports, so unmap them here. */
#undef cuCtxCreate
#undef cuCtxDestroy
#undef cuCtxPushCurrent
#undef cuCtxPopCurrent
#undef cuDeviceGetUuid
#undef cuDevicePrimaryCtxRelease
#undef cuDevicePrimaryCtxReset
#undef cuGetProcAddress
#define TC_EXPORT
#include "tc_api.h"
