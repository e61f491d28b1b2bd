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
