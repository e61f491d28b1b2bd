// Inclusive prefix sum of an array larger than a block: a Hillis-Steele scan per block in shared memory, a scan of
// the block totals, then the offsets added; checked against the CPU's running sum.
#include <cuda_runtime.h>
#include <vector>
#include "check.h"

#define BLOCK 256

__global__ void scanBlocks(const int *in, int *out, int *totals, int n) {
    __shared__ int buf[2][BLOCK];
    int i = blockIdx.x * BLOCK + threadIdx.x;
    int p = 0;
    buf[p][threadIdx.x] = i < n ? in[i] : 0;
    __syncthreads();
    for (int offset = 1; offset < BLOCK; offset *= 2) {
        int v = buf[p][threadIdx.x];
        if (threadIdx.x >= offset) v += buf[p][threadIdx.x - offset];
        buf[1 - p][threadIdx.x] = v;
        p = 1 - p;
        __syncthreads();
    }
    if (i < n) out[i] = buf[p][threadIdx.x];
    if (threadIdx.x == BLOCK - 1) totals[blockIdx.x] = buf[p][threadIdx.x];
}

__global__ void scanTotals(int *totals, int count) {
    if (threadIdx.x == 0 && blockIdx.x == 0) {
        for (int i = 1; i < count; i++) totals[i] += totals[i - 1];
    }
}

__global__ void addOffsets(int *out, const int *totals, int n) {
    int i = blockIdx.x * BLOCK + threadIdx.x;
    if (blockIdx.x > 0 && i < n) out[i] += totals[blockIdx.x - 1];
}

int main() {
    const int n = 50000, blocks = (n + BLOCK - 1) / BLOCK;
    std::vector<int> in(n), out(n);
    for (int i = 0; i < n; i++) in[i] = (i % 13) - 4;
    int *din, *dout, *dtotals;
    OK(cudaMalloc(&din, n * sizeof(int)));
    OK(cudaMalloc(&dout, n * sizeof(int)));
    OK(cudaMalloc(&dtotals, blocks * sizeof(int)));
    OK(cudaMemcpy(din, in.data(), n * sizeof(int), cudaMemcpyHostToDevice));
    scanBlocks<<<blocks, BLOCK>>>(din, dout, dtotals, n);
    scanTotals<<<1, 1>>>(dtotals, blocks);
    addOffsets<<<blocks, BLOCK>>>(dout, dtotals, n);
    OK(cudaGetLastError());
    OK(cudaMemcpy(out.data(), dout, n * sizeof(int), cudaMemcpyDeviceToHost));
    long long running = 0;
    int wrong = 0;
    for (int i = 0; i < n; i++) {
        running += in[i];
        if (out[i] != running && wrong++ < 3) std::printf("out[%d] = %d, expected %lld\n", i, out[i], running);
    }
    std::printf("scan of %d elements: %d wrong, last %d\n", n, wrong, out[n - 1]);
    CHECK(wrong == 0);
    OK(cudaFree(din));
    OK(cudaFree(dout));
    OK(cudaFree(dtotals));
    return finish();
}
