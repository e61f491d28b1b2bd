// Kernels of StoreBulkTest: scan's `if (i < n) out[i] = v` after a barrier and a one-arm branch (as scan's
// `warp != 0` add), an if-converted arm over a thread range
// whose lane loop does nothing but the address computation and one global store of a per-thread register, which the
// lockstep engine writes with one copy when the store's addresses were checked for the block; then the last
// thread's value stored per block (as scan's block total). Blocks of at most 256 threads, block b's elements from
// b * 256 (scan's layout; a block of fewer threads leaves a gap that no thread stores).
// PTX: nvcc -ptx -arch=sm_80 -O3 storebulk.cu

extern "C" __global__ void store_arm(int n, const int* in, int* out, int* last) {
    __shared__ int s[1024];
    int t = threadIdx.x, i = blockIdx.x * 256 + t;
    int v = i < n ? in[i] : 0;
    s[t] = v;
    __syncthreads();
    if (t != 0) v = v * 3 + s[t - 1];
    if (i < n) out[i] = v;
    if (t == blockDim.x - 1) last[blockIdx.x] = v;
}

extern "C" __global__ void store_arm64(int n, const long long* in, long long* out, long long* last) {
    __shared__ long long s[1024];
    int t = threadIdx.x, i = blockIdx.x * 256 + t;
    long long v = i < n ? in[i] : 0;
    s[t] = v;
    __syncthreads();
    if (t != 0) v = v * 5 - s[t - 1];
    if (i < n) out[i] = v;
    if (t == blockDim.x - 1) last[blockIdx.x] = v;
}
