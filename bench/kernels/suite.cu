// The CPU-backend benchmark suite: six classic kernels, written once in CUDA C++ (ours).
// PTX: nvcc -ptx -arch=sm_80 -O3 suite.cu -o suite.ptx   (bench/cpu-suite.sh regenerates it when nvcc exists)
// The same algorithms: suite_omp.c (gcc -O3 -fopenmp), suite.cl (OpenCL C, PoCL), CpuBenchmark.java (serial Java).

#define BLOCK 256
#define TILE 16
#define BINS 256

extern "C" __global__ void saxpy(int n, float a, const float* __restrict__ x, float* __restrict__ y) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) y[i] = a * x[i] + y[i];
}

// Each block sums 2*BLOCK elements with a shared-memory tree; one partial sum per block.
extern "C" __global__ void reduce(int n, const float* __restrict__ in, float* __restrict__ partial) {
    __shared__ float s[BLOCK];
    unsigned t = threadIdx.x;
    unsigned i = blockIdx.x * (2 * BLOCK) + t;
    float v = 0.0f;
    if (i < n) v = in[i];
    if (i + BLOCK < n) v += in[i + BLOCK];
    s[t] = v;
    __syncthreads();
    for (unsigned stride = BLOCK / 2; stride > 0; stride >>= 1) {
        if (t < stride) s[t] += s[t + stride];
        __syncthreads();
    }
    if (t == 0) partial[blockIdx.x] = s[0];
}

// C = A * B, n x n row-major, n a multiple of TILE; TILE x TILE blocks with shared-memory tiles.
extern "C" __global__ void matmul(int n, const float* __restrict__ A, const float* __restrict__ B, float* __restrict__ C) {
    __shared__ float As[TILE][TILE];
    __shared__ float Bs[TILE][TILE];
    int tx = threadIdx.x, ty = threadIdx.y;
    int row = blockIdx.y * TILE + ty, col = blockIdx.x * TILE + tx;
    float acc = 0.0f;
    for (int k0 = 0; k0 < n; k0 += TILE) {
        As[ty][tx] = A[row * n + k0 + tx];
        Bs[ty][tx] = B[(k0 + ty) * n + col];
        __syncthreads();
        for (int k = 0; k < TILE; k++) acc += As[ty][k] * Bs[k][tx];
        __syncthreads();
    }
    C[row * n + col] = acc;
}

// 256-bin histogram of bytes: a per-block histogram in shared memory (shared atomics), merged with global atomics.
// Grid-stride loop so that a block sees many elements.
extern "C" __global__ void histogram(int n, const unsigned char* __restrict__ data, unsigned* __restrict__ bins) {
    __shared__ unsigned h[BINS];
    for (int b = threadIdx.x; b < BINS; b += blockDim.x) h[b] = 0;
    __syncthreads();
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) atomicAdd(&h[data[i]], 1u);
    __syncthreads();
    for (int b = threadIdx.x; b < BINS; b += blockDim.x) atomicAdd(&bins[b], h[b]);
}

// One Jacobi sweep of the 5-point Laplace stencil on an nx x ny grid; border cells copied.
extern "C" __global__ void stencil(int nx, int ny, const float* __restrict__ in, float* __restrict__ out) {
    int x = blockIdx.x * blockDim.x + threadIdx.x;
    int y = blockIdx.y * blockDim.y + threadIdx.y;
    if (x >= nx || y >= ny) return;
    int i = y * nx + x;
    if (x == 0 || y == 0 || x == nx - 1 || y == ny - 1) {
        out[i] = in[i];
    } else {
        out[i] = 0.25f * (in[i - 1] + in[i + 1] + in[i - nx] + in[i + nx]);
    }
}

// Inclusive scan of ints, phase 1: each block of BLOCK threads scans its BLOCK elements with warp shuffles
// (a warp scan, the warp totals scanned by warp 0), writes them and the block's total.
extern "C" __global__ void scan_block(int n, const int* __restrict__ in, int* __restrict__ out, int* __restrict__ sums) {
    __shared__ int warpSums[BLOCK / 32];
    int i = blockIdx.x * BLOCK + threadIdx.x;
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    int v = i < n ? in[i] : 0;
    for (int d = 1; d < 32; d <<= 1) {
        int o = __shfl_up_sync(0xffffffffu, v, d);
        if (lane >= d) v += o;
    }
    if (lane == 31) warpSums[warp] = v;
    __syncthreads();
    if (warp == 0) {
        int w = lane < BLOCK / 32 ? warpSums[lane] : 0;
        for (int d = 1; d < BLOCK / 32; d <<= 1) {
            int o = __shfl_up_sync(0xffffffffu, w, d);
            if (lane >= d) w += o;
        }
        if (lane < BLOCK / 32) warpSums[lane] = w;
    }
    __syncthreads();
    if (warp > 0) v += warpSums[warp - 1];
    if (i < n) out[i] = v;
    if (threadIdx.x == BLOCK - 1) sums[blockIdx.x] = v;
}

// Phase 2 (after the block totals were scanned exclusively into offsets): add each block's offset.
extern "C" __global__ void scan_add(int n, int* __restrict__ out, const int* __restrict__ offsets) {
    int i = blockIdx.x * BLOCK + threadIdx.x;
    if (i < n) out[i] += offsets[blockIdx.x];
}
