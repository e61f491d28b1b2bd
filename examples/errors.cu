// Error handling as CUDA programs see it: error codes, names and strings, the per-thread last error and its
// reset rules, absurd allocations, invalid arguments.
#include <cuda_runtime.h>
#include <thread>
#include "check.h"

int main() {
    int count = 0;
    OK(cudaGetDeviceCount(&count));

    // An invalid device: the code, its name and text, and the last error.
    EXPECT_RT(cudaErrorInvalidDevice, cudaSetDevice(99));
    CHECK(std::strcmp(cudaGetErrorName(cudaErrorInvalidDevice), "cudaErrorInvalidDevice") == 0);
    CHECK(std::strcmp(cudaGetErrorString(cudaErrorInvalidDevice), "invalid device ordinal") == 0);
    std::printf("cudaSetDevice(99): %s\n", cudaGetErrorString(cudaErrorInvalidDevice));
    int device = -1;
    OK(cudaGetDevice(&device));
    CHECK(device == 0); // unchanged by the failed call
    // Peek does not reset; Get returns the error once, then success.
    EXPECT_RT(cudaErrorInvalidDevice, cudaPeekAtLastError());
    EXPECT_RT(cudaErrorInvalidDevice, cudaPeekAtLastError());
    EXPECT_RT(cudaErrorInvalidDevice, cudaGetLastError());
    EXPECT_RT(cudaSuccess, cudaGetLastError());
    EXPECT_RT(cudaSuccess, cudaPeekAtLastError());
    // A successful call does not clear an earlier error; the latest error wins.
    EXPECT_RT(cudaErrorInvalidDevice, cudaSetDevice(-1));
    OK(cudaGetDeviceCount(&count));
    EXPECT_RT(cudaErrorInvalidDevice, cudaPeekAtLastError());

    // An absurd allocation: out of memory, and the pointer is not written.
    void *p = (void *)0x1234;
    EXPECT_RT(cudaErrorMemoryAllocation, cudaMalloc(&p, (size_t)1 << 50));
    EXPECT_RT(cudaErrorMemoryAllocation, cudaMalloc(&p, ~(size_t)0));
    CHECK(std::strcmp(cudaGetErrorString(cudaErrorMemoryAllocation), "out of memory") == 0);
    EXPECT_RT(cudaErrorMemoryAllocation, cudaGetLastError());
    EXPECT_RT(cudaSuccess, cudaGetLastError());

    // Invalid arguments.
    EXPECT_RT(cudaErrorInvalidValue, cudaMalloc(nullptr, 16));
    EXPECT_RT(cudaErrorInvalidValue, cudaGetDeviceCount(nullptr));
    void *d = nullptr;
    OK(cudaMalloc(&d, 64));
    char host[64];
    EXPECT_RT(cudaErrorInvalidMemcpyDirection, cudaMemcpy(host, d, 64, (cudaMemcpyKind)17));
    OK(cudaFree(d));
    cudaGetLastError();

    // Names and strings of every kind of code.
    CHECK(std::strcmp(cudaGetErrorName(cudaSuccess), "cudaSuccess") == 0);
    CHECK(std::strcmp(cudaGetErrorString(cudaSuccess), "no error") == 0);
    CHECK(std::strcmp(cudaGetErrorName(cudaErrorInvalidValue), "cudaErrorInvalidValue") == 0);
    CHECK(std::strcmp(cudaGetErrorString(cudaErrorInvalidValue), "invalid argument") == 0);
    CHECK(std::strcmp(cudaGetErrorName((cudaError_t)12345), "unrecognized error code") == 0);
    CHECK(std::strcmp(cudaGetErrorString((cudaError_t)12345), "unrecognized error code") == 0);
    // The strings are interned: the same pointer every time.
    CHECK(cudaGetErrorString(cudaErrorInvalidDevice) == cudaGetErrorString(cudaErrorInvalidDevice));

    // The last error is per thread: an error on one thread is not another's.
    EXPECT_RT(cudaErrorInvalidDevice, cudaSetDevice(1000));
    cudaError_t seenByOther = cudaErrorUnknown, otherOwn = cudaSuccess;
    std::thread other([&] {
        seenByOther = cudaGetLastError();
        otherOwn = cudaSetDevice(1001);
    });
    other.join();
    CHECK(seenByOther == cudaSuccess);
    CHECK(otherOwn == cudaErrorInvalidDevice);
    EXPECT_RT(cudaErrorInvalidDevice, cudaGetLastError());
    EXPECT_RT(cudaSuccess, cudaGetLastError());

    // A device reset leaves the runtime usable.
    OK(cudaDeviceReset());
    OK(cudaMalloc(&d, 16));
    OK(cudaFree(d));
    return finish();
}
