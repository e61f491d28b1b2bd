/*
 * The CUDA 13 types and constants the drop-in libraries need, under CUDA's own names, so that they build
 * without a CUDA toolkit. check/header_check.c verifies them against NVIDIA's headers (`make check`).
 */
#ifndef TC_TYPES_H
#define TC_TYPES_H

#include <stddef.h>
#include <stdint.h>
#include "tc_lists.h"

#define CUDARTAPI
#define CUDAAPI

/* CUDA's enum types, with CUDA's tags (prototypes must match NVIDIA's) and the enumerators in use. */
#define TC_ENUMERATOR(name, value) name = value,
enum cudaError { TC_CUDA_ERRORS(TC_ENUMERATOR) };
typedef enum cudaError cudaError_t;
enum cudaError_enum { TC_CU_RESULTS(TC_ENUMERATOR) };
typedef enum cudaError_enum CUresult;
enum cudaMemcpyKind { TC_MEMCPY_KINDS(TC_ENUMERATOR) };
enum cudaDeviceAttr { TC_DEVICE_ATTRS(TC_ENUMERATOR) };
typedef enum CUdevice_attribute_enum { TC_DEVICE_ATTRIBUTES(TC_ENUMERATOR) } CUdevice_attribute;
typedef enum CUdriverProcAddress_flags_enum { TC_PROC_ADDRESS_FLAGS(TC_ENUMERATOR) } CUdriverProcAddress_flags;
typedef enum CUdriverProcAddressQueryResult_enum {
    TC_PROC_ADDRESS_RESULTS(TC_ENUMERATOR)
} CUdriverProcAddressQueryResult;
enum cudaLimit { TC_CUDA_LIMITS(TC_ENUMERATOR) };
enum cudaFuncAttribute { TC_CUDA_FUNC_ATTRIBUTES(TC_ENUMERATOR) };
enum cudaFuncCache { TC_CUDA_FUNC_CACHES(TC_ENUMERATOR) };
typedef enum CUlimit_enum { TC_CU_LIMITS(TC_ENUMERATOR) } CUlimit;
typedef enum CUfunction_attribute_enum { TC_CU_FUNCTION_ATTRIBUTES(TC_ENUMERATOR) } CUfunction_attribute;
typedef enum CUfunc_cache_enum { TC_CU_FUNC_CACHES(TC_ENUMERATOR) } CUfunc_cache;
#undef TC_ENUMERATOR

/* Structs only Java reads or writes, at the offsets check/header_check.c verifies: incomplete types here. */
struct cudaFuncAttributes;
struct cudaMemcpy3DParms;
typedef struct CUDA_MEMCPY3D_st CUDA_MEMCPY3D;

typedef struct CUuuid_st {
    char bytes[16];
} CUuuid;
typedef CUuuid cudaUUID_t;
typedef struct uint3 {
    unsigned int x, y, z;
} uint3;
typedef struct dim3 {
    unsigned int x, y, z;
} dim3;
typedef struct CUstream_st *cudaStream_t;
typedef struct CUkern_st *cudaKernel_t;
typedef struct CUevent_st *cudaEvent_t;
typedef void (*cudaHostFn_t)(void *userData);
typedef struct cudaLaunchAttribute_st cudaLaunchAttribute; /* never read here: launches with attributes fail */
typedef struct cudaLaunchConfig_st {
    dim3 gridDim;
    dim3 blockDim;
    size_t dynamicSmemBytes;
    struct CUstream_st *stream;
    cudaLaunchAttribute *attrs;
    unsigned int numAttrs;
} cudaLaunchConfig_t;
typedef void (*cudaStreamCallback_t)(struct CUstream_st *stream, enum cudaError status, void *userData);
typedef struct CUevent_st *CUevent;
typedef void (*CUhostFn)(void *userData);
typedef void (*CUstreamCallback)(struct CUstream_st *hStream, CUresult status, void *userData);
typedef struct CUstream_st *CUstream;
typedef struct CUmod_st *CUmodule;
typedef struct CUfunc_st *CUfunction;
/* JIT options are accepted and ignored (PTX is translated the same way whatever they say). */
typedef enum CUjit_option_enum { TC_CU_JIT_OPTION_UNUSED = -1 } CUjit_option;
typedef int CUdevice;
typedef unsigned long long CUdeviceptr;
typedef struct CUctx_st *CUcontext;
typedef uint64_t cuuint64_t;
typedef struct CUexecAffinityParam_st CUexecAffinityParam;
typedef struct CUctxCreateParams_st CUctxCreateParams;

#define TC_FIELD(type, name, dims) type name dims;
struct cudaDeviceProp {
    TC_DEVICE_PROP_FIELDS(TC_FIELD)
};
#undef TC_FIELD

#endif
