// Kernels of StrideLoopTest: grid-stride loops whose index the lockstep engine keeps as one number per block while
// every thread stays in the loop (StrideLoop), with the iteration's loads checked and copied once (LoopBulk). All have
// barriers, so they run on the lockstep engine.
// PTX: nvcc -ptx -arch=sm_80 -O3 strideloop.cu

// The suite's histogram: shared atomics whose result is unused.
extern "C" __global__ void hist(int n, const unsigned char* data, unsigned* bins) {
    __shared__ unsigned h[256];
    for (int b = threadIdx.x; b < 256; b += blockDim.x) h[b] = 0;
    __syncthreads();
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) atomicAdd(&h[data[i]], 1u);
    __syncthreads();
    for (int b = threadIdx.x; b < 256; b += blockDim.x) atomicAdd(&bins[b], h[b]);
}

// The shared atomic's old value used: each thread sums the old values it saw (they depend on the order in which the
// block's threads run their atomics) and counts its iterations; after the loop it writes both and its final index.
extern "C" __global__ void hist_old(int n, const unsigned char* data, unsigned* bins, unsigned* sums, int* last) {
    __shared__ unsigned h[256];
    for (int b = threadIdx.x; b < 256; b += blockDim.x) h[b] = 0;
    __syncthreads();
    unsigned s = 0;
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    for (; i < n; i += gridDim.x * blockDim.x) s = s * 31u + atomicAdd(&h[data[i]], 1u);
    __syncthreads();
    int g = blockIdx.x * blockDim.x + threadIdx.x;
    sums[g] = s;
    last[g] = i;
    for (int b = threadIdx.x; b < 256; b += blockDim.x) atomicAdd(&bins[b], h[b]);
}
