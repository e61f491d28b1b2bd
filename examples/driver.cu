// The driver API, linked with -lcuda: initialization, devices, a context, a memory round trip, memsets,
// error texts, cuGetProcAddress and cuGetExportTable.
#include <cuda.h>
#include <cstdint>
#include <vector>
#include "check.h"

#define EXPECT_DRV(expected, call)                                                           \
    do {                                                                                     \
        CUresult r_ = (call);                                                                \
        if (r_ != (expected)) {                                                              \
            const char *name_ = "?";                                                         \
            cuGetErrorName(r_, &name_);                                                      \
            std::printf("%s:%d: %s returned %d (%s), expected %d\n", __FILE__, __LINE__, #call, (int)r_, \
                    name_, (int)(expected));                                                 \
            failures++;                                                                      \
        }                                                                                    \
    } while (0)
#define DRV_OK(call) EXPECT_DRV(CUDA_SUCCESS, call)

int main() {
    std::setvbuf(stdout, nullptr, _IONBF, 0); // a crash still shows how far it got
    int count = 0;
    EXPECT_DRV(CUDA_ERROR_NOT_INITIALIZED, cuDeviceGetCount(&count)); // before cuInit
    int version = 0;
    DRV_OK(cuDriverGetVersion(&version)); // allowed before cuInit
    CHECK(version >= 13000);
    EXPECT_DRV(CUDA_ERROR_INVALID_VALUE, cuInit(1));
    DRV_OK(cuInit(0));
    DRV_OK(cuDeviceGetCount(&count));
    CHECK(count >= 1);
    CUdevice dev = -1;
    DRV_OK(cuDeviceGet(&dev, 0));
    EXPECT_DRV(CUDA_ERROR_INVALID_DEVICE, cuDeviceGet(&dev, count));
    DRV_OK(cuDeviceGet(&dev, 0));
    char name[256] = {0};
    DRV_OK(cuDeviceGetName(name, sizeof name, dev));
    CHECK(std::strlen(name) > 0);
    char shortName[4] = {'x', 'x', 'x', 'x'};
    DRV_OK(cuDeviceGetName(shortName, sizeof shortName, dev)); // truncated, still terminated
    CHECK(shortName[3] == 0 && std::strncmp(shortName, name, 3) == 0);
    size_t total = 0;
    DRV_OK(cuDeviceTotalMem(&total, dev));
    CHECK(total > 0);
    int major = 0, minor = -1, threads = 0;
    DRV_OK(cuDeviceGetAttribute(&major, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, dev));
    DRV_OK(cuDeviceGetAttribute(&minor, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, dev));
    DRV_OK(cuDeviceGetAttribute(&threads, CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK, dev));
    CHECK(major >= 1 && minor >= 0 && threads >= 1);
    std::printf("device 0: %s, compute %d.%d, %zu bytes\n", name, major, minor, total);

    // No context yet: context calls fail.
    CUdeviceptr none = 0;
    EXPECT_DRV(CUDA_ERROR_INVALID_CONTEXT, cuMemAlloc(&none, 16));
    CUcontext ctx = nullptr, current = nullptr;
    DRV_OK(cuCtxCreate(&ctx, nullptr, 0, dev));
    CHECK(ctx != nullptr);
    DRV_OK(cuCtxGetCurrent(&current));
    CHECK(current == ctx);
    CUdevice ctxDev = -1;
    DRV_OK(cuCtxGetDevice(&ctxDev));
    CHECK(ctxDev == dev);

    const size_t n = 1 << 16;
    std::vector<uint32_t> host(n), back(n);
    for (size_t i = 0; i < n; i++) host[i] = (uint32_t)(i * 40503u + 7);
    CUdeviceptr a = 0, b = 0;
    DRV_OK(cuMemAlloc(&a, n * 4));
    DRV_OK(cuMemAlloc(&b, n * 4));
    CHECK(a != 0 && b != 0 && a != b);
    DRV_OK(cuMemcpyHtoD(a, host.data(), n * 4));
    DRV_OK(cuMemcpyDtoD(b, a, n * 4));
    DRV_OK(cuMemcpyDtoH(back.data(), b, n * 4));
    CHECK(back == host);
    DRV_OK(cuMemsetD32(b, 0xdeadbeef, n));
    DRV_OK(cuMemsetD16(b, 0x1234, 2));
    DRV_OK(cuMemsetD8(b + 8, 0x77, 3));
    DRV_OK(cuMemcpyDtoH(back.data(), b, n * 4));
    CHECK(back[0] == 0x12341234 && back[2] == 0xde777777 && back[3] == 0xdeadbeef && back[n - 1] == 0xdeadbeef);
    size_t freeMem = 0, totalMem = 0;
    DRV_OK(cuMemGetInfo(&freeMem, &totalMem));
    CHECK(totalMem == total && freeMem <= totalMem - 2 * n * 4);
    DRV_OK(cuMemFree(a));
    DRV_OK(cuMemFree(b));
    DRV_OK(cuCtxSynchronize());

    // Context stack.
    CUcontext popped = nullptr;
    DRV_OK(cuCtxPopCurrent(&popped));
    CHECK(popped == ctx);
    DRV_OK(cuCtxGetCurrent(&current));
    CHECK(current == nullptr);
    DRV_OK(cuCtxPushCurrent(ctx));
    DRV_OK(cuCtxDestroy(ctx));
    DRV_OK(cuCtxGetCurrent(&current));
    CHECK(current == nullptr);
    // A destroyed context's handle: CUDA 13 said CUDA_ERROR_CONTEXT_IS_DESTROYED in one H100 run and
    // CUDA_ERROR_INVALID_CONTEXT in another (it is a stale pointer there); Transcuda says destroyed.
    CUresult again = cuCtxDestroy(ctx);
    if (again != CUDA_ERROR_CONTEXT_IS_DESTROYED) std::printf("cuCtxDestroy of a destroyed context: %d\n", (int)again);
    CHECK(again == CUDA_ERROR_CONTEXT_IS_DESTROYED || again == CUDA_ERROR_INVALID_CONTEXT);

    // Error texts.
    const char *text = nullptr;
    DRV_OK(cuGetErrorName(CUDA_ERROR_INVALID_VALUE, &text));
    CHECK(text && std::strcmp(text, "CUDA_ERROR_INVALID_VALUE") == 0);
    DRV_OK(cuGetErrorString(CUDA_ERROR_OUT_OF_MEMORY, &text));
    CHECK(text && std::strcmp(text, "out of memory") == 0);
    EXPECT_DRV(CUDA_ERROR_INVALID_VALUE, cuGetErrorName((CUresult)12345, &text));
    CHECK(text == nullptr);

    // cuGetProcAddress: entry points by name and version. As cuda.h documents it, a symbol that is not found, or
    // not in the version asked for, is CUDA_SUCCESS with a NULL pointer, and symbolStatus says which.
    void *fn = nullptr;
    CUdriverProcAddressQueryResult status;
    DRV_OK(cuGetProcAddress("cuMemAlloc", &fn, 13000, CU_GET_PROC_ADDRESS_DEFAULT, &status));
    CHECK(status == CU_GET_PROC_ADDRESS_SUCCESS && fn == (void *)&cuMemAlloc_v2);
    DRV_OK(cuGetProcAddress("cuCtxCreate", &fn, 13000, CU_GET_PROC_ADDRESS_DEFAULT, &status));
    CHECK(fn == (void *)&cuCtxCreate_v4);
    fn = (void *)0x1;
    status = (CUdriverProcAddressQueryResult)-1;
    DRV_OK(cuGetProcAddress("cuNoSuchFunction", &fn, 13000, 0, &status));
    std::printf("cuGetProcAddress(cuNoSuchFunction, 13000): fn %p, status %d\n", fn, (int)status);
    CHECK(fn == nullptr && status == CU_GET_PROC_ADDRESS_SYMBOL_NOT_FOUND);
    // cuMemAllocAsync came with CUDA 11.2: CUDA 11.0 has no version of it.
    fn = (void *)0x1;
    status = (CUdriverProcAddressQueryResult)-1;
    DRV_OK(cuGetProcAddress("cuMemAllocAsync", &fn, 11000, 0, &status));
    std::printf("cuGetProcAddress(cuMemAllocAsync, 11000): fn %p, status %d\n", fn, (int)status);
    CHECK(fn == nullptr && status == CU_GET_PROC_ADDRESS_VERSION_NOT_SUFFICIENT);
    // cuMemAlloc of CUDA 2.0 is the 32-bit-pointer ABI: CUDA may have it (status SUCCESS, a pointer) or not
    // (VERSION_NOT_SUFFICIENT, NULL; Transcuda has only cuMemAlloc_v2); either way the answer is consistent.
    fn = (void *)0x1;
    status = (CUdriverProcAddressQueryResult)-1;
    DRV_OK(cuGetProcAddress("cuMemAlloc", &fn, 2000, 0, &status));
    std::printf("cuGetProcAddress(cuMemAlloc, 2000): fn %p, status %d\n", fn, (int)status);
    CHECK((status == CU_GET_PROC_ADDRESS_SUCCESS && fn != nullptr && fn != (void *)&cuMemAlloc_v2)
            || (status == CU_GET_PROC_ADDRESS_VERSION_NOT_SUFFICIENT && fn == nullptr));
    // A version newer than the driver's is invalid.
    EXPECT_DRV(CUDA_ERROR_INVALID_VALUE, cuGetProcAddress("cuMemAlloc", &fn, version + 1000, 0, &status));
    // A function obtained this way works.
    DRV_OK(cuGetProcAddress("cuDeviceGetCount", &fn, 13000, 0, &status));
    int viaProc = 0;
    DRV_OK(((CUresult(*)(int *))fn)(&viaProc));
    CHECK(viaProc == count);

    // Unknown export tables are an error, not a crash.
    const void *table = (const void *)0x1;
    CUuuid id;
    std::memset(&id, 0x42, sizeof id);
    CHECK(cuGetExportTable(&table, &id) != CUDA_SUCCESS);
    CHECK(table == nullptr);
    return finish();
}
