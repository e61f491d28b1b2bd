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

// matmul's tile loads (LoopBulk's rows): square tiles of T = blockDim.x = blockDim.y threads, C (rows x cols) =
// A (rows x n) B (n x cols), every dimension a multiple of T. The loads go through pointers that the k0 loop
// advances (written as pointers, as nvcc makes of suite.cu's matmul); A's addresses are consecutive within a row of
// threads (tx) and jump by n between rows (ty), B's by cols. acc = fma(As[ty][k], Bs[k][tx], acc) for k = 0..n-1.
extern "C" __global__ void tile_mm(int n, int cols, const float* A, const float* B, float* C) {
    __shared__ float As[32][32], Bs[32][32];
    int T = blockDim.x, tx = threadIdx.x, ty = threadIdx.y;
    int row = blockIdx.y * T + ty, col = blockIdx.x * T + tx;
    const float* a = A + (long) row * n + tx;
    const float* b = B + (long) ty * cols + col;
    float acc = 0.0f;
    for (int k0 = 0; k0 < n; k0 += T, a += T, b += (long) T * cols) {
        As[ty][tx] = *a;
        Bs[ty][tx] = *b;
        __syncthreads();
        for (int k = 0; k < T; k++) acc = __fmaf_rn(As[ty][k], Bs[k][tx], acc);
        __syncthreads();
    }
    C[row * cols + col] = acc;
}

// The same with A read two elements apart within a row (A[row*2n + k0*2 + 2*tx]: every other element): addresses
// not consecutive, so A is read thread by thread; B is still copied per row.
extern "C" __global__ void tile_mm_stride2(int n, int cols, const float* A, const float* B, float* C) {
    __shared__ float As[32][32], Bs[32][32];
    int T = blockDim.x, tx = threadIdx.x, ty = threadIdx.y;
    int row = blockIdx.y * T + ty, col = blockIdx.x * T + tx;
    const float* a = A + 2 * ((long) row * n + tx);
    const float* b = B + (long) ty * cols + col;
    float acc = 0.0f;
    for (int k0 = 0; k0 < n; k0 += T, a += 2 * T, b += (long) T * cols) {
        As[ty][tx] = *a;
        Bs[ty][tx] = *b;
        __syncthreads();
        for (int k = 0; k < T; k++) acc = __fmaf_rn(As[ty][k], Bs[k][tx], acc);
        __syncthreads();
    }
    C[row * cols + col] = acc;
}

// Partial tiles: rows, cols and n need not be multiples of T; out-of-range tile elements are 0 (guarded loads).
extern "C" __global__ void tile_mm_partial(int rows, int n, int cols, const float* A, const float* B, float* C) {
    __shared__ float As[32][32], Bs[32][32];
    int T = blockDim.x, tx = threadIdx.x, ty = threadIdx.y;
    int row = blockIdx.y * T + ty, col = blockIdx.x * T + tx;
    float acc = 0.0f;
    for (int k0 = 0; k0 < n; k0 += T) {
        As[ty][tx] = row < rows && k0 + tx < n ? A[row * n + k0 + tx] : 0.0f;
        Bs[ty][tx] = k0 + ty < n && col < cols ? B[(k0 + ty) * cols + col] : 0.0f;
        __syncthreads();
        for (int k = 0; k < T; k++) acc = __fmaf_rn(As[ty][k], Bs[k][tx], acc);
        __syncthreads();
    }
    if (row < rows && col < cols) C[row * cols + col] = acc;
}
