// Reductions: a shared-memory tree reduction per block and a warp-shuffle reduction (__shfl_down_sync), both
// checked against the sum computed on the CPU (integers: exact).
#include <cuda_runtime.h>
#include <vector>
#include "check.h"

__global__ void reduceShared(const int *in, long long *out, int n) {
    __shared__ long long partial[256];
    int tid = threadIdx.x;
    long long sum = 0;
    for (int i = blockIdx.x * blockDim.x + tid; i < n; i += blockDim.x * gridDim.x) sum += in[i];
    partial[tid] = sum;
    __syncthreads();
    for (int stride = blockDim.x / 2; stride > 0; stride >>= 1) {
        if (tid < stride) partial[tid] += partial[tid + stride];
        __syncthreads();
    }
    if (tid == 0) atomicAdd((unsigned long long *)out, (unsigned long long)partial[0]);
}

__inline__ __device__ int warpSum(int v) {
    for (int offset = warpSize / 2; offset > 0; offset /= 2) v += __shfl_down_sync(0xffffffffu, v, offset);
    return v;
}

__global__ void reduceShuffle(const int *in, int *blockSums, int n) {
    __shared__ int warpTotals[32];
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    int v = i < n ? in[i] : 0;
    v = warpSum(v);
    int lane = threadIdx.x % warpSize, warp = threadIdx.x / warpSize;
    if (lane == 0) warpTotals[warp] = v;
    __syncthreads();
    if (warp == 0) {
        v = threadIdx.x < blockDim.x / warpSize ? warpTotals[lane] : 0;
        v = warpSum(v);
        if (lane == 0) blockSums[blockIdx.x] = v;
    }
}

int main() {
    const int n = 100000;
    std::vector<int> in(n);
    long long expected = 0;
    for (int i = 0; i < n; i++) {
        in[i] = (i * 7919) % 1000 - 500;
        expected += in[i];
    }
    int *din, *dsums;
    long long *dout;
    OK(cudaMalloc(&din, n * sizeof(int)));
    OK(cudaMalloc(&dout, sizeof(long long)));
    OK(cudaMemcpy(din, in.data(), n * sizeof(int), cudaMemcpyHostToDevice));
    OK(cudaMemset(dout, 0, sizeof(long long)));
    reduceShared<<<32, 256>>>(din, dout, n);
    OK(cudaGetLastError());
    long long shared = 0;
    OK(cudaMemcpy(&shared, dout, sizeof shared, cudaMemcpyDeviceToHost));
    std::printf("shared-memory sum: %lld (expected %lld)\n", shared, expected);
    CHECK(shared == expected);

    const int threads = 256, blocks = (n + threads - 1) / threads;
    OK(cudaMalloc(&dsums, blocks * sizeof(int)));
    reduceShuffle<<<blocks, threads>>>(din, dsums, n);
    OK(cudaGetLastError());
    std::vector<int> sums(blocks);
    OK(cudaMemcpy(sums.data(), dsums, blocks * sizeof(int), cudaMemcpyDeviceToHost));
    long long shuffle = 0;
    for (int b = 0; b < blocks; b++) {
        int e = 0;
        for (int i = b * threads; i < n && i < (b + 1) * threads; i++) e += in[i];
        if (sums[b] != e) {
            std::printf("block %d: %d, expected %d\n", b, sums[b], e);
            failures++;
            break;
        }
        shuffle += sums[b];
    }
    std::printf("warp-shuffle sum: %lld (expected %lld)\n", shuffle, expected);
    CHECK(shuffle == expected);
    OK(cudaFree(din));
    OK(cudaFree(dout));
    OK(cudaFree(dsums));
    return finish();
}
