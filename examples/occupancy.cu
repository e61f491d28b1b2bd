// Function attributes and occupancy through the runtime: cudaFuncGetAttributes, cudaFuncSetAttribute,
// cudaFuncSetCacheConfig, cudaOccupancyMaxActiveBlocksPerMultiprocessor(WithFlags),
// cudaOccupancyAvailableDynamicSMemPerBlock and the cuda_runtime.h template cudaOccupancyMaxPotentialBlockSize,
// each checked for consistency with cudaGetDeviceProperties and the kernel's attributes (no device-specific
// numbers), then a launch with the suggested configuration checked on the CPU; limits.
#include <cuda_runtime.h>
#include <vector>
#include "check.h"

#define TILE 256

__global__ void staticShared(const float *in, float *out, int n) {
    __shared__ float tile[TILE];
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (threadIdx.x < TILE) tile[threadIdx.x] = (float)threadIdx.x;
    __syncthreads();
    int t = threadIdx.x % TILE; // any block size works: each thread reads back a slot's known value
    if (i < n) out[i] = 2.0f * in[i] + 1.0f + (tile[t] - (float)t);
}

__global__ void dynamicShared(float *data, int n) {
    extern __shared__ float buffer[];
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    buffer[threadIdx.x] = i < n ? data[i] : 0.0f;
    __syncthreads();
    if (i < n) data[i] = buffer[threadIdx.x] + 3.0f;
}

// The occupancy rules every answer must respect, from the device's properties and the kernel's attributes.
static void checkOccupancy(const cudaDeviceProp &p, const cudaFuncAttributes &a, int blockSize, size_t dynamic,
        int blocks) {
    if (blockSize > a.maxThreadsPerBlock || a.sharedSizeBytes + dynamic > p.sharedMemPerBlockOptin) {
        CHECK(blocks == 0);
        return;
    }
    CHECK(blocks >= 1);
    CHECK((long)blocks * blockSize <= p.maxThreadsPerMultiProcessor);
    CHECK(blocks <= p.maxBlocksPerMultiProcessor);
    CHECK((long)blocks * (a.sharedSizeBytes + dynamic) <= (long)p.sharedMemPerMultiprocessor);
    if (a.numRegs > 0) CHECK((long)blocks * blockSize * a.numRegs <= p.regsPerMultiprocessor);
}

int main() {
    std::setvbuf(stdout, nullptr, _IONBF, 0); // a crash still shows how far it got
    cudaDeviceProp p;
    OK(cudaGetDeviceProperties(&p, 0));

    cudaFuncAttributes a;
    std::memset(&a, 0xff, sizeof a);
    OK(cudaFuncGetAttributes(&a, staticShared));
    std::printf("staticShared: maxThreadsPerBlock %d, sharedSizeBytes %zu, numRegs %d, ptxVersion %d, "
            "binaryVersion %d, maxDynamicSharedSizeBytes %d\n", a.maxThreadsPerBlock, a.sharedSizeBytes, a.numRegs,
            a.ptxVersion, a.binaryVersion, a.maxDynamicSharedSizeBytes);
    CHECK(a.maxThreadsPerBlock >= 1 && a.maxThreadsPerBlock <= p.maxThreadsPerBlock);
    CHECK(a.sharedSizeBytes == TILE * sizeof(float));
    CHECK(a.numRegs >= 0 && a.localSizeBytes < (1u << 31) && a.constSizeBytes < (1u << 31));
    CHECK(a.binaryVersion == p.major * 10 + p.minor);
    CHECK(a.ptxVersion > 0);
    CHECK(a.maxDynamicSharedSizeBytes >= 0
            && a.sharedSizeBytes + (size_t)a.maxDynamicSharedSizeBytes <= p.sharedMemPerBlockOptin);
    CHECK(a.clusterDimMustBeSet == 0 && a.requiredClusterWidth == 0);

    cudaFuncAttributes d;
    OK(cudaFuncGetAttributes(&d, dynamicShared));
    CHECK(d.sharedSizeBytes == 0);
    CHECK(d.maxDynamicSharedSizeBytes >= 0 && (size_t)d.maxDynamicSharedSizeBytes <= p.sharedMemPerBlockOptin);
    OK(cudaFuncSetAttribute(dynamicShared, cudaFuncAttributeMaxDynamicSharedMemorySize, 1024));
    OK(cudaFuncGetAttributes(&d, dynamicShared));
    CHECK(d.maxDynamicSharedSizeBytes == 1024);
    EXPECT_RT(cudaErrorInvalidValue,
            cudaFuncSetAttribute(dynamicShared, cudaFuncAttributeMaxDynamicSharedMemorySize,
                    (int)p.sharedMemPerBlockOptin + 1));
    OK(cudaFuncSetAttribute(dynamicShared, cudaFuncAttributePreferredSharedMemoryCarveout, 50));
    OK(cudaFuncGetAttributes(&d, dynamicShared));
    CHECK(d.preferredShmemCarveout == 50);
    OK(cudaFuncSetCacheConfig(staticShared, cudaFuncCachePreferShared));
    // A host function is not a kernel handle: CUDA 13 says invalid resource handle.
    EXPECT_RT(cudaErrorInvalidResourceHandle, cudaFuncGetAttributes(&d, (const void *)&checkOccupancy));
    (void)cudaGetLastError();

    // Blocks per multiprocessor, for every warp multiple up to the limit and one block size beyond it.
    for (int bs = p.warpSize; bs <= p.maxThreadsPerBlock + p.warpSize; bs += p.warpSize) {
        int blocks = -1;
        OK(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&blocks, staticShared, bs, 0));
        checkOccupancy(p, a, bs, 0, blocks);
        int flagged = -1;
        OK(cudaOccupancyMaxActiveBlocksPerMultiprocessorWithFlags(&flagged, staticShared, bs, 0,
                cudaOccupancyDisableCachingOverride));
        CHECK(flagged == blocks);
    }
    // More dynamic shared memory never allows more blocks.
    int withoutShared = 0, withShared = 0;
    size_t half = p.sharedMemPerMultiprocessor / 2;
    OK(cudaFuncSetAttribute(dynamicShared, cudaFuncAttributeMaxDynamicSharedMemorySize,
            (int)(p.sharedMemPerBlockOptin)));
    OK(cudaFuncGetAttributes(&d, dynamicShared));
    OK(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&withoutShared, dynamicShared, 128, 0));
    OK(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&withShared, dynamicShared, 128, half));
    checkOccupancy(p, d, 128, 0, withoutShared);
    checkOccupancy(p, d, 128, half, withShared);
    CHECK(withShared <= withoutShared);
    size_t available = 0;
    OK(cudaOccupancyAvailableDynamicSMemPerBlock(&available, dynamicShared, 1, 128));
    CHECK(available <= p.sharedMemPerBlockOptin);
    EXPECT_RT(cudaErrorInvalidValue, cudaOccupancyMaxActiveBlocksPerMultiprocessorWithFlags(&withShared,
            dynamicShared, 128, 0, 0x10));
    (void)cudaGetLastError();

    // The template in cuda_runtime.h, over the entry points above: the block size maximizes the active warps.
    int minGrid = 0, best = 0;
    OK(cudaOccupancyMaxPotentialBlockSize(&minGrid, &best, staticShared, 0, 0));
    std::printf("cudaOccupancyMaxPotentialBlockSize: block %d, grid %d\n", best, minGrid);
    CHECK(best >= 1 && best <= a.maxThreadsPerBlock && best % p.warpSize == 0);
    int bestBlocks = 0;
    OK(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&bestBlocks, staticShared, best, 0));
    CHECK(minGrid == bestBlocks * p.multiProcessorCount);
    for (int bs = p.warpSize; bs <= a.maxThreadsPerBlock; bs += p.warpSize) {
        int blocks = 0;
        OK(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&blocks, staticShared, bs, 0));
        CHECK((long)blocks * bs <= (long)bestBlocks * best);
    }

    // The suggested configuration runs.
    int n = 3 * best * minGrid / 2 + 7;
    std::vector<float> in(n), out(n, 0.0f);
    for (int i = 0; i < n; i++) in[i] = 0.25f * (i % 1000) - 3.0f;
    float *dIn = nullptr, *dOut = nullptr;
    OK(cudaMalloc(&dIn, n * sizeof(float)));
    OK(cudaMalloc(&dOut, n * sizeof(float)));
    OK(cudaMemcpy(dIn, in.data(), n * sizeof(float), cudaMemcpyHostToDevice));
    int grid = (n + best - 1) / best;
    staticShared<<<grid, best>>>(dIn, dOut, n);
    OK(cudaGetLastError());
    OK(cudaMemcpy(out.data(), dOut, n * sizeof(float), cudaMemcpyDeviceToHost));
    int wrong = 0;
    for (int i = 0; i < n; i++) wrong += out[i] != 2.0f * in[i] + 1.0f;
    CHECK(wrong == 0);

    // Dynamic shared memory up to the attribute set above.
    OK(cudaMemcpy(dOut, in.data(), n * sizeof(float), cudaMemcpyHostToDevice));
    dynamicShared<<<(n + 127) / 128, 128, 128 * sizeof(float)>>>(dOut, n);
    OK(cudaGetLastError());
    OK(cudaMemcpy(out.data(), dOut, n * sizeof(float), cudaMemcpyDeviceToHost));
    wrong = 0;
    for (int i = 0; i < n; i++) wrong += out[i] != in[i] + 3.0f;
    CHECK(wrong == 0);
    OK(cudaFree(dIn));
    OK(cudaFree(dOut));

    // Limits: set and read back; an unknown limit is unsupported.
    size_t stack = 0;
    OK(cudaDeviceSetLimit(cudaLimitStackSize, 4096));
    OK(cudaDeviceGetLimit(&stack, cudaLimitStackSize));
    CHECK(stack == 4096);
    size_t fifo = 0;
    OK(cudaDeviceSetLimit(cudaLimitPrintfFifoSize, 1 << 20));
    OK(cudaDeviceGetLimit(&fifo, cudaLimitPrintfFifoSize));
    CHECK(fifo == (1 << 20));
    EXPECT_RT(cudaErrorInvalidValue, cudaDeviceGetLimit(&stack, (cudaLimit)0x7777)); // not a cudaLimit at all
    (void)cudaGetLastError();
    return finish();
}
