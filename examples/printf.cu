// Device printf: integers, floats, strings, pointers' absence, several threads; the test checks the text. The
// output of a kernel appears once the host synchronizes, before what the host prints afterwards.
#include <cuda_runtime.h>
#include "check.h"

__global__ void hello(int base, float x, double y) {
    if (threadIdx.x == 0) printf("block %d: base %d, x %.2f, y %g, text %s, hex %#x, char %c\n", blockIdx.x, base, x, y,
            "ok", 255, 'Z');
}

__global__ void lines() {
    printf("thread %d of %d\n", threadIdx.x, blockDim.x);
}

int main() {
    std::printf("host: before\n");
    std::fflush(stdout);
    hello<<<1, 32>>>(42, 3.14159f, 2.5e-3);
    OK(cudaGetLastError());
    OK(cudaDeviceSynchronize());
    lines<<<1, 4>>>();
    OK(cudaDeviceSynchronize());
    std::printf("host: after\n");
    return finish();
}
