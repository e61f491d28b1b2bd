// Dynamic shared memory (extern __shared__ sized at launch), launched with <<<>>>, cudaLaunchKernel and
// cudaLaunchKernelEx: each
// block reverses its chunk through shared memory; checked on the CPU.
#include <cuda_runtime.h>
#include <vector>
#include "check.h"

__global__ void reverseChunks(const int *in, int *out, int n) {
    extern __shared__ int chunk[];
    int base = blockIdx.x * blockDim.x;
    int i = base + threadIdx.x;
    chunk[threadIdx.x] = i < n ? in[i] : -1;
    __syncthreads();
    int j = blockDim.x - 1 - threadIdx.x;
    if (i < n) out[i] = chunk[j];
}

static int check(const std::vector<int> &in, const std::vector<int> &out, int block) {
    int n = (int)in.size(), wrong = 0;
    for (int i = 0; i < n; i++) {
        int base = i / block * block, j = base + block - 1 - (i - base);
        int e = j < n ? in[j] : -1;
        if (out[i] != e && wrong++ < 3) std::printf("out[%d] = %d, expected %d\n", i, out[i], e);
    }
    return wrong;
}

int main() {
    const int n = 5000;
    std::vector<int> in(n), out(n);
    for (int i = 0; i < n; i++) in[i] = i * 3 + 1;
    int *din, *dout;
    OK(cudaMalloc(&din, n * sizeof(int)));
    OK(cudaMalloc(&dout, n * sizeof(int)));
    OK(cudaMemcpy(din, in.data(), n * sizeof(int), cudaMemcpyHostToDevice));

    for (int block : {64, 200, 512}) {
        reverseChunks<<<(n + block - 1) / block, block, block * sizeof(int)>>>(din, dout, n);
        OK(cudaGetLastError());
        OK(cudaMemcpy(out.data(), dout, n * sizeof(int), cudaMemcpyDeviceToHost));
        int wrong = check(in, out, block);
        std::printf("block %d: %d wrong\n", block, wrong);
        CHECK(wrong == 0);
    }

    int nn = n;
    void *args[] = {&din, &dout, &nn};
    const int block = 128;
    OK(cudaMemset(dout, 0, n * sizeof(int)));
    OK(cudaLaunchKernel((const void *)reverseChunks, dim3((n + block - 1) / block), dim3(block), args,
            block * sizeof(int), 0));
    OK(cudaMemcpy(out.data(), dout, n * sizeof(int), cudaMemcpyDeviceToHost));
    int wrong = check(in, out, block);
    std::printf("cudaLaunchKernel, block %d: %d wrong\n", block, wrong);
    CHECK(wrong == 0);

    // cudaLaunchKernelEx (its C entry cudaLaunchKernelExC takes the configuration as a struct).
    cudaLaunchConfig_t config = {};
    const int exBlock = 96;
    config.gridDim = dim3((n + exBlock - 1) / exBlock);
    config.blockDim = dim3(exBlock);
    config.dynamicSmemBytes = exBlock * sizeof(int);
    config.stream = 0;
    OK(cudaMemset(dout, 0, n * sizeof(int)));
    OK(cudaLaunchKernelEx(&config, reverseChunks, (const int *)din, dout, nn));
    OK(cudaMemcpy(out.data(), dout, n * sizeof(int), cudaMemcpyDeviceToHost));
    wrong = check(in, out, exBlock);
    std::printf("cudaLaunchKernelEx, block %d: %d wrong\n", exBlock, wrong);
    CHECK(wrong == 0);
    OK(cudaFree(din));
    OK(cudaFree(dout));
    return finish();
}
