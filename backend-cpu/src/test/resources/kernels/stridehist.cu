// Kernels of StrideHistTest: grid-stride byte histograms in shared memory that StrideHist runs as one tight loop
// (the bins' address U + 4*byte with U block-uniform, the atomic's result unread), and loops that it must not take.
// All have barriers, so they run on the lockstep engine.
// PTX: nvcc -ptx -arch=sm_80 -O3 stridehist.cu

// Bins at an offset inside a larger shared array, a second shared array before it, and an operand other than 1:
// h[data[i] + off] += add, then every word of h (and of pad) added to the global bins.
extern "C" __global__ void hist_off(int n, int off, unsigned add, const unsigned char* data, unsigned* bins) {
    __shared__ unsigned pad[48];
    __shared__ unsigned h[512];
    for (int b = threadIdx.x; b < 512; b += blockDim.x) h[b] = 0;
    for (int b = threadIdx.x; b < 48; b += blockDim.x) pad[b] = 0;
    __syncthreads();
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) {
        atomicAdd(&h[data[i] + off], add);
    }
    __syncthreads();
    for (int b = threadIdx.x; b < 512; b += blockDim.x) atomicAdd(&bins[b], h[b]);
    for (int b = threadIdx.x; b < 48; b += blockDim.x) atomicAdd(&bins[512 + b], pad[b]);
}

// Only 64 bins: a byte of 64 or more addresses past the block's shared memory (a fault on the device), so the bins do
// not fit the window and StrideHist leaves the loop to StrideLoop's per-access checks.
extern "C" __global__ void hist_small(int n, const unsigned char* data, unsigned* bins) {
    __shared__ unsigned h[64];
    for (int b = threadIdx.x; b < 64; b += blockDim.x) h[b] = 0;
    __syncthreads();
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) atomicAdd(&h[data[i]], 1u);
    __syncthreads();
    for (int b = threadIdx.x; b < 64; b += blockDim.x) atomicAdd(&bins[b], h[b]);
}

// A per-thread count carried from one iteration to the next besides the histogram: not StrideHist's shape.
extern "C" __global__ void hist_count(int n, const unsigned char* data, unsigned* bins, int* counts) {
    __shared__ unsigned h[256];
    for (int b = threadIdx.x; b < 256; b += blockDim.x) h[b] = 0;
    __syncthreads();
    int c = 0;
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) {
        atomicAdd(&h[data[i]], 1u);
        c += data[i] & 1;
    }
    __syncthreads();
    counts[blockIdx.x * blockDim.x + threadIdx.x] = c;
    for (int b = threadIdx.x; b < 256; b += blockDim.x) atomicAdd(&bins[b], h[b]);
}
