// Kernels of LoopChecksTest: lockstep lane loops whose global accesses go through addresses that a loop advances
// (grid-stride indices, pointers incremented per iteration), checked once per lane loop by the CPU backend
// (LoopChecks). All have barriers, so they run on the lockstep engine.
// PTX: nvcc -ptx -arch=sm_80 -O3 loopchecks.cu

// A byte histogram: per-block bins in shared memory (atomics), a grid-stride loop over data[i], then the block's
// bins added to the global ones.
extern "C" __global__ void hist_stride(int n, const unsigned char* data, unsigned* bins) {
    __shared__ unsigned h[256];
    for (int b = threadIdx.x; b < 256; b += blockDim.x) h[b] = 0;
    __syncthreads();
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) {
        atomicAdd(&h[data[i]], 1u);
    }
    __syncthreads();
    for (int b = threadIdx.x; b < 256; b += blockDim.x) atomicAdd(&bins[b], h[b]);
}

// out[i] = in[i] * s + t[i % 7] over a grid-stride loop (a load and a store per iteration, and a load whose index is
// not affine), after a barrier; f32 results with NaN and -0.0 inputs go through unchanged arithmetic.
extern "C" __global__ void scale_stride(int n, float s, const float* in, const float* t, float* out) {
    __shared__ float first;
    if (threadIdx.x == 0) first = s;
    __syncthreads();
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) {
        out[i] = in[i] * first + t[i % 7];
    }
}

// out[i] = in[i + d] + z over an unsigned grid-stride index (zero-extended: mul.wide.u32); i + d wraps for d < 0.
extern "C" __global__ void shift_u32(unsigned n, int d, const int* in, int* out) {
    __shared__ int z;
    if (threadIdx.x == 0) z = 5;
    __syncthreads();
    for (unsigned i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) {
        out[i] = in[i + d] + z;
    }
}
