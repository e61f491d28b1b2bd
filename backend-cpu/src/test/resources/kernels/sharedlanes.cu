// Kernels of SharedLanesTest: lockstep lane loops whose shared accesses have addresses affine in the thread index,
// which the CPU backend checks once per run while every thread is active (SharedAffine).
// PTX: nvcc -ptx -arch=sm_80 -O3 sharedlanes.cu
#define TILE 16

// C = A * B (n x n, n a multiple of TILE), TILE x TILE shared tiles: As[ty][k] (a row's broadcast), Bs[k][tx].
extern "C" __global__ void tile_f32(int n, const float* A, const float* B, float* C) {
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

extern "C" __global__ void tile_f64(int n, const double* A, const double* B, double* C) {
    __shared__ double As[TILE][TILE];
    __shared__ double Bs[TILE][TILE];
    int tx = threadIdx.x, ty = threadIdx.y;
    int row = blockIdx.y * TILE + ty, col = blockIdx.x * TILE + tx;
    double acc = 0.0;
    for (int k0 = 0; k0 < n; k0 += TILE) {
        As[ty][tx] = A[row * n + k0 + tx];
        Bs[ty][tx] = B[(k0 + ty) * n + col];
        __syncthreads();
        for (int k = 0; k < TILE; k++) acc += As[ty][k] * Bs[k][tx];
        __syncthreads();
    }
    C[row * n + col] = acc;
}

// out[i] = 3 * s[nt - 1 - t] + s[t] ^ s[0], with 1-D blocks of any size up to 256 (a negative coefficient, a
// constant address, a partial last warp).
extern "C" __global__ void reverse_int(const int* in, int* out) {
    __shared__ int s[256];
    int t = threadIdx.x, i = blockIdx.x * blockDim.x + t;
    s[t] = in[i];
    __syncthreads();
    out[i] = 3 * s[blockDim.x - 1 - t] + (s[t] ^ s[0]);
}

// Byte and 16-bit shared accesses: out[i] = (b[t] + b[t + 1]) | (h[t] << 8), with b and h filled by each thread.
extern "C" __global__ void narrow(const unsigned char* in, unsigned* out) {
    __shared__ unsigned char b[257];
    __shared__ unsigned short h[256];
    int t = threadIdx.x, i = blockIdx.x * blockDim.x + t;
    b[t] = in[i];
    h[t] = (unsigned short) (in[i] * 257 + t);
    if (t == 0) b[blockDim.x] = 7;
    __syncthreads();
    out[i] = (unsigned) (b[t] + b[t + 1]) | ((unsigned) h[t] << 8);
}

// s[t + off]: off is a kernel parameter (a block-uniform register in the address): past the array for the last
// threads when off > 0.
extern "C" __global__ void shifted(const float* in, float* out, int off) {
    __shared__ float s[256];
    int t = threadIdx.x, i = blockIdx.x * blockDim.x + t;
    s[t] = in[i];
    __syncthreads();
    out[i] = s[t + off] * 2.0f;
}

// A shared run while every thread is active, a divergent loop on shared memory (only odd threads: scalar, checked),
// then every thread again.
extern "C" __global__ void diverge(const int* in, int* out, int reps) {
    __shared__ int s[256];
    int t = threadIdx.x, i = blockIdx.x * blockDim.x + t;
    s[t] = in[i];
    if (t & 1) {
        for (int k = 0; k < reps; k++) s[t] = s[t] * 3 + k;
    }
    __syncthreads();
    out[i] = s[t] - s[t ^ 1];
}

// The reduce tree: if-converted arms whose threads are a range of tid.x (t < stride), blocks of 256 threads.
extern "C" __global__ void tree(const float* in, float* out) {
    __shared__ float s[256];
    unsigned t = threadIdx.x;
    s[t] = in[blockIdx.x * 256 + t];
    __syncthreads();
    for (unsigned stride = 128; stride > 0; stride >>= 1) {
        if (t < stride) s[t] += s[t + stride];
        __syncthreads();
    }
    if (t == 0) out[blockIdx.x] = s[0];
}

// An arm for the threads lo <= t (a signed bound from a parameter) reading s[t + extra]: past the array for the
// threads t >= blockDim.x - extra when extra > 0.
extern "C" __global__ void arm_from(const int* in, int* out, int lo, int extra) {
    __shared__ int s[256];
    int t = threadIdx.x, i = blockIdx.x * blockDim.x + t;
    s[t] = in[i];
    __syncthreads();
    if (t >= lo) out[i] = s[t + extra] + 1;
}
