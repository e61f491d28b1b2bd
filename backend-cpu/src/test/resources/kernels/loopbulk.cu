// Kernels of LoopBulkTest: grid-stride loops whose global loads are checked once per lane loop (LoopChecks) and,
// where thread t reads element i0 + t of a block whose threads are all active, read with one copy per lane loop
// (LoopBulk). All have barriers, so they run on the lockstep engine.
// PTX: nvcc -ptx -arch=sm_80 -O3 loopbulk.cu

// Two loads per iteration, 1 and 2 bytes: signed bytes (sign extension) into bins 0..255, bits 7..14 of unsigned
// shorts into bins 256..511.
extern "C" __global__ void hist_s8_u16(int n, const signed char* a, const unsigned short* b, unsigned* bins) {
    __shared__ unsigned h[512];
    for (int k = threadIdx.x; k < 512; k += blockDim.x) h[k] = 0;
    __syncthreads();
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) {
        atomicAdd(&h[a[i] + 128], 1u);
        atomicAdd(&h[256 + ((b[i] >> 7) & 255)], 1u);
    }
    __syncthreads();
    for (int k = threadIdx.x; k < 512; k += blockDim.x) atomicAdd(&bins[k], h[k]);
}

// A byte histogram whose threads visit each block's elements in reverse order (thread t reads i0 + nt - 1 - t):
// consecutive addresses, but not in thread order, so no copy.
extern "C" __global__ void hist_reverse(int n, const unsigned char* data, unsigned* bins) {
    __shared__ unsigned h[256];
    for (int k = threadIdx.x; k < 256; k += blockDim.x) h[k] = 0;
    __syncthreads();
    for (int i = blockIdx.x * blockDim.x + (blockDim.x - 1 - threadIdx.x); i < n; i += gridDim.x * blockDim.x) {
        atomicAdd(&h[data[i]], 1u);
    }
    __syncthreads();
    for (int k = threadIdx.x; k < 256; k += blockDim.x) atomicAdd(&bins[k], h[k]);
}

// Sums of 32-bit words per thread slot in shared memory, then a global store after the loop: the loop itself writes
// only shared memory, so its load is copied; the store outside the loop does not matter.
extern "C" __global__ void slot_sums(int n, const int* in, int* out) {
    __shared__ int s[1024];
    s[threadIdx.x] = 0;
    __syncthreads();
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) {
        s[threadIdx.x] += in[i];
    }
    __syncthreads();
    out[blockIdx.x * blockDim.x + threadIdx.x] = s[threadIdx.x];
}
