// Launch and allocation errors as CUDA reports them: invalid configurations (too many threads, oversized block
// and grid dimensions, zero dimensions, too much dynamic shared memory), out of memory, an unknown kernel; each
// recorded as the last error and cleared by cudaGetLastError; a correct launch still works afterwards; last, a
// fault in a kernel, reported at synchronization and sticky.
#include <cuda_runtime.h>
#include "check.h"

__global__ void setValue(int *p, int v) {
    if (threadIdx.x == 0 && blockIdx.x == 0) *p = v;
}

static void hostFunction() {
}

int main() {
    std::setvbuf(stdout, nullptr, _IONBF, 0); // a crash still shows how far it got
    int *d;
    OK(cudaMalloc(&d, sizeof(int)));
    cudaDeviceProp prop;
    OK(cudaGetDeviceProperties(&prop, 0));

    // CUDA 13 reports every configuration beyond the device's limits as cudaErrorInvalidValue (an H100 with
    // driver 580 does; older CUDA said cudaErrorInvalidConfiguration).
    setValue<<<1, prop.maxThreadsPerBlock + 1>>>(d, 1);
    EXPECT_RT(cudaErrorInvalidValue, cudaPeekAtLastError());
    EXPECT_RT(cudaErrorInvalidValue, cudaGetLastError());
    EXPECT_RT(cudaSuccess, cudaGetLastError());

    setValue<<<1, dim3(1, 1, prop.maxThreadsDim[2] + 1)>>>(d, 1);
    EXPECT_RT(cudaErrorInvalidValue, cudaGetLastError());
    setValue<<<dim3(1, prop.maxGridSize[1] + 1), 1>>>(d, 1);
    EXPECT_RT(cudaErrorInvalidValue, cudaGetLastError());
    setValue<<<0, 32>>>(d, 1);
    EXPECT_RT(cudaErrorInvalidValue, cudaGetLastError());
    setValue<<<1, 32, prop.sharedMemPerBlockOptin + 1024>>>(d, 1);
    cudaError_t shared = cudaGetLastError();
    std::printf("too much shared memory: %s\n", cudaGetErrorName(shared));
    CHECK(shared == cudaErrorInvalidValue);

    void *args[] = {&d, &shared};
    // A host function is not a kernel handle: CUDA 13 says invalid resource handle.
    EXPECT_RT(cudaErrorInvalidResourceHandle, cudaLaunchKernel((const void *)hostFunction, dim3(1), dim3(1), args, 0, 0));
    EXPECT_RT(cudaErrorInvalidResourceHandle, cudaGetLastError());

    void *huge = nullptr;
    EXPECT_RT(cudaErrorMemoryAllocation, cudaMalloc(&huge, (size_t)1 << 62));
    EXPECT_RT(cudaErrorMemoryAllocation, cudaGetLastError());
    CHECK(huge == nullptr);

    // The context is still fine.
    setValue<<<1, 32>>>(d, 1234);
    OK(cudaGetLastError());
    int v = 0;
    OK(cudaMemcpy(&v, d, sizeof v, cudaMemcpyDeviceToHost));
    CHECK(v == 1234);
    std::printf("after the errors: %d\n", v);
    OK(cudaFree(d));

    // A fault in a kernel is reported when the program synchronizes, and it is sticky: the context is unusable.
    setValue<<<1, 1>>>((int *)8, 1);
    OK(cudaGetLastError());
    cudaError_t fault = cudaDeviceSynchronize();
    std::printf("fault: %s\n", cudaGetErrorName(fault));
    CHECK(fault == cudaErrorIllegalAddress);
    EXPECT_RT(cudaErrorIllegalAddress, cudaMalloc(&d, 4));
    return finish();
}
