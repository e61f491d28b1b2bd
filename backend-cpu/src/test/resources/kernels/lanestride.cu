// Kernels of LaneStrideTest (backend-cpu): one-arm branches taken where (tid.x & m) == c (LaneStride). The barrier
// after each branch keeps its join a block of its own (an arm that ends the kernel is not if-converted).
// nvcc -ptx -arch=sm_80 -O3 lanestride.cu -o lanestride.ptx

// One thread per warp row (tid.x & 31 == 31, as scan's warp totals) stores through an index array.
extern "C" __global__ void stride31(const int* __restrict__ in, int* __restrict__ out, const int* __restrict__ idx) {
    int t = threadIdx.x;
    int nt = blockDim.x * blockDim.y;
    int lin = threadIdx.y * blockDim.x + t;
    int i = blockIdx.x * nt + lin;
    int v = in[i] * 3 + lin;
    if ((t & 31) == 31) out[idx[i]] = v;
    __syncthreads();
}

// Every eighth thread from 3.
extern "C" __global__ void stride7(const int* __restrict__ in, int* __restrict__ out, const int* __restrict__ idx) {
    int t = threadIdx.x;
    int nt = blockDim.x * blockDim.y;
    int lin = threadIdx.y * blockDim.x + t;
    int i = blockIdx.x * nt + lin;
    int v = in[i] * 3 + lin;
    if ((t & 7) == 3) out[idx[i]] = v;
    __syncthreads();
}

// The complement, (tid.x & 31) != 5: not one stride, the general loop.
extern "C" __global__ void stride_ne(const int* __restrict__ in, int* __restrict__ out, const int* __restrict__ idx) {
    int t = threadIdx.x;
    int nt = blockDim.x * blockDim.y;
    int lin = threadIdx.y * blockDim.x + t;
    int i = blockIdx.x * nt + lin;
    int v = in[i] * 3 + lin;
    if ((t & 31) != 5) out[idx[i]] = v;
    __syncthreads();
}
