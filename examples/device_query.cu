// deviceQuery-like: prints every CUDA device's main properties (one "key: value" per line, which the test
// compares with `transcuda devices`) and checks that cudaGetDeviceProperties agrees with cudaDeviceGetAttribute.
#include <cuda_runtime.h>
#include "check.h"

int main() {
    std::setvbuf(stdout, nullptr, _IONBF, 0); // a crash still shows how far it got
    int count = -1;
    OK(cudaGetDeviceCount(&count));
    CHECK(count >= 1);
    std::printf("devices: %d\n", count);
    int runtime = 0, driver = 0;
    OK(cudaRuntimeGetVersion(&runtime));
    OK(cudaDriverGetVersion(&driver));
    std::printf("runtime version: %d\ndriver version: %d\n", runtime, driver);
    CHECK(runtime == 13000);
    CHECK(driver >= 13000);
    for (int d = 0; d < count; d++) {
        cudaDeviceProp p;
        std::memset(&p, 0x5a, sizeof p);
        OK(cudaGetDeviceProperties(&p, d));
        std::printf("device %d\n", d);
        std::printf("name: %s\n", p.name);
        std::printf("compute capability: %d.%d\n", p.major, p.minor);
        std::printf("multiProcessorCount: %d\n", p.multiProcessorCount);
        std::printf("totalGlobalMem: %zu\n", p.totalGlobalMem);
        std::printf("sharedMemPerBlock: %zu\n", p.sharedMemPerBlock);
        std::printf("maxThreadsPerBlock: %d\n", p.maxThreadsPerBlock);
        std::printf("maxThreadsDim: %d %d %d\n", p.maxThreadsDim[0], p.maxThreadsDim[1], p.maxThreadsDim[2]);
        std::printf("maxGridSize: %d %d %d\n", p.maxGridSize[0], p.maxGridSize[1], p.maxGridSize[2]);
        std::printf("warpSize: %d\n", p.warpSize);
        std::printf("regsPerBlock: %d\n", p.regsPerBlock);
        std::printf("totalConstMem: %zu\n", p.totalConstMem);
        std::printf("l2CacheSize: %d\n", p.l2CacheSize);
        std::printf("memoryBusWidth: %d\n", p.memoryBusWidth);

        CHECK(std::strlen(p.name) > 0 && std::strlen(p.name) < sizeof p.name);
        CHECK(p.totalGlobalMem > 0);
        CHECK(p.warpSize > 0);
        CHECK(p.maxThreadsPerBlock > 0);
        CHECK(p.luidDeviceNodeMask == 0); // fields without an attribute are zero, not garbage
        struct { cudaDeviceAttr attr; long long field; const char *name; } pairs[] = {
            {cudaDevAttrMaxThreadsPerBlock, p.maxThreadsPerBlock, "maxThreadsPerBlock"},
            {cudaDevAttrMaxBlockDimX, p.maxThreadsDim[0], "maxThreadsDim[0]"},
            {cudaDevAttrMaxBlockDimY, p.maxThreadsDim[1], "maxThreadsDim[1]"},
            {cudaDevAttrMaxBlockDimZ, p.maxThreadsDim[2], "maxThreadsDim[2]"},
            {cudaDevAttrMaxGridDimX, p.maxGridSize[0], "maxGridSize[0]"},
            {cudaDevAttrMaxGridDimY, p.maxGridSize[1], "maxGridSize[1]"},
            {cudaDevAttrMaxGridDimZ, p.maxGridSize[2], "maxGridSize[2]"},
            {cudaDevAttrMaxSharedMemoryPerBlock, (long long)p.sharedMemPerBlock, "sharedMemPerBlock"},
            {cudaDevAttrTotalConstantMemory, (long long)p.totalConstMem, "totalConstMem"},
            {cudaDevAttrWarpSize, p.warpSize, "warpSize"},
            {cudaDevAttrMaxRegistersPerBlock, p.regsPerBlock, "regsPerBlock"},
            {cudaDevAttrMultiProcessorCount, p.multiProcessorCount, "multiProcessorCount"},
            {cudaDevAttrComputeCapabilityMajor, p.major, "major"},
            {cudaDevAttrComputeCapabilityMinor, p.minor, "minor"},
            {cudaDevAttrL2CacheSize, p.l2CacheSize, "l2CacheSize"},
            {cudaDevAttrGlobalMemoryBusWidth, p.memoryBusWidth, "memoryBusWidth"},
            {cudaDevAttrMaxThreadsPerMultiProcessor, p.maxThreadsPerMultiProcessor, "maxThreadsPerMultiProcessor"},
            {cudaDevAttrUnifiedAddressing, p.unifiedAddressing, "unifiedAddressing"},
            {cudaDevAttrConcurrentKernels, p.concurrentKernels, "concurrentKernels"},
            {cudaDevAttrIntegrated, p.integrated, "integrated"},
            {cudaDevAttrMaxSharedMemoryPerMultiprocessor, (long long)p.sharedMemPerMultiprocessor,
                    "sharedMemPerMultiprocessor"},
        };
        for (auto &pair : pairs) {
            int value = -12345;
            OK(cudaDeviceGetAttribute(&value, pair.attr, d));
            if (value != pair.field) {
                std::printf("%s: cudaGetDeviceProperties says %lld, cudaDeviceGetAttribute %d\n", pair.name,
                        pair.field, value);
                failures++;
            }
        }
    }
    int current = -1;
    OK(cudaGetDevice(&current));
    CHECK(current == 0);
    cudaDeviceProp beyond;
    EXPECT_RT(cudaErrorInvalidDevice, cudaGetDeviceProperties(&beyond, count));
    EXPECT_RT(cudaErrorInvalidValue, cudaGetDeviceProperties(nullptr, 0));
    cudaGetLastError();
    return finish();
}
