// Histogram with atomics: per-block histograms in shared memory (atomicAdd on shared), merged into the global one
// (atomicAdd on global), and a global atomicMax/atomicCAS check, against the CPU's counts.
#include <cuda_runtime.h>
#include <vector>
#include "check.h"

#define BINS 64

__global__ void histogram(const unsigned char *data, int n, unsigned int *bins, int *maxValue) {
    __shared__ unsigned int local[BINS];
    for (int i = threadIdx.x; i < BINS; i += blockDim.x) local[i] = 0;
    __syncthreads();
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x) {
        atomicAdd(&local[data[i] % BINS], 1u);
        atomicMax(maxValue, (int)data[i]);
    }
    __syncthreads();
    for (int i = threadIdx.x; i < BINS; i += blockDim.x) atomicAdd(&bins[i], local[i]);
}

__global__ void countWithCas(const unsigned char *data, int n, int *count) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n && data[i] == 7) {
        int old = *count, assumed;
        do {
            assumed = old;
            old = atomicCAS(count, assumed, assumed + 1);
        } while (old != assumed);
    }
}

int main() {
    const int n = 200003;
    std::vector<unsigned char> data(n);
    unsigned int seed = 12345;
    for (int i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        data[i] = (unsigned char)(seed >> 16);
    }
    std::vector<unsigned int> expected(BINS, 0);
    int expectedMax = 0, sevens = 0;
    for (int i = 0; i < n; i++) {
        expected[data[i] % BINS]++;
        if (data[i] > expectedMax) expectedMax = data[i];
        if (data[i] == 7) sevens++;
    }
    unsigned char *ddata;
    unsigned int *dbins;
    int *dmax, *dcount;
    OK(cudaMalloc(&ddata, n));
    OK(cudaMalloc(&dbins, BINS * sizeof(unsigned int)));
    OK(cudaMalloc(&dmax, sizeof(int)));
    OK(cudaMalloc(&dcount, sizeof(int)));
    OK(cudaMemcpy(ddata, data.data(), n, cudaMemcpyHostToDevice));
    OK(cudaMemset(dbins, 0, BINS * sizeof(unsigned int)));
    OK(cudaMemset(dmax, 0, sizeof(int)));
    OK(cudaMemset(dcount, 0, sizeof(int)));
    histogram<<<24, 128>>>(ddata, n, dbins, dmax);
    OK(cudaGetLastError());
    countWithCas<<<(n + 255) / 256, 256>>>(ddata, n, dcount);
    OK(cudaGetLastError());
    std::vector<unsigned int> bins(BINS);
    int maxValue = -1, count = -1;
    OK(cudaMemcpy(bins.data(), dbins, BINS * sizeof(unsigned int), cudaMemcpyDeviceToHost));
    OK(cudaMemcpy(&maxValue, dmax, sizeof(int), cudaMemcpyDeviceToHost));
    OK(cudaMemcpy(&count, dcount, sizeof(int), cudaMemcpyDeviceToHost));
    for (int b = 0; b < BINS; b++) {
        if (bins[b] != expected[b]) {
            std::printf("bin %d: %u, expected %u\n", b, bins[b], expected[b]);
            failures++;
        }
    }
    std::printf("max %d (expected %d), sevens %d (expected %d)\n", maxValue, expectedMax, count, sevens);
    CHECK(maxValue == expectedMax);
    CHECK(count == sevens);
    OK(cudaFree(ddata));
    OK(cudaFree(dbins));
    OK(cudaFree(dmax));
    OK(cudaFree(dcount));
    return finish();
}
