// Kernels of PtrStepTest (backend-cpu's lockstep engine: a LoopChecks prescan of a pointer register kept across a
// block-uniform advance of every thread's pointer, PtrStep).
// PTX: nvcc -ptx -arch=sm_80 -O3 ptrstep.cu -o ptrstep.ptx

// bench/kernels/suite.cu's matmul for T x T tiles (as looptouch.cu's): C = A * B, n x n row-major, n a multiple of
// T, T x T blocks; the tile loads go through pointers that the k0 loop advances by 64 bytes and 4 * T * n bytes.
// Threads t >= live (t = ty * T + tx) return at once.
#define STEP_MM(NAME, T)                                                                                           \
extern "C" __global__ void NAME(int n, const float* __restrict__ A, const float* __restrict__ B,                   \
                                float* __restrict__ C, int live) {                                                  \
    __shared__ float As[T][T];                                                                                      \
    __shared__ float Bs[T][T];                                                                                      \
    int tx = threadIdx.x, ty = threadIdx.y;                                                                         \
    if (ty * T + tx >= live) return;                                                                                \
    int row = blockIdx.y * T + ty, col = blockIdx.x * T + tx;                                                       \
    float acc = 0.0f;                                                                                               \
    _Pragma("unroll 1")                                                                                             \
    for (int k0 = 0; k0 < n; k0 += T) {                                                                             \
        As[ty][tx] = A[row * n + k0 + tx];                                                                          \
        Bs[ty][tx] = B[(k0 + ty) * n + col];                                                                        \
        __syncthreads();                                                                                            \
        for (int k = 0; k < T; k++) acc += As[ty][k] * Bs[k][tx];                                                   \
        __syncthreads();                                                                                            \
    }                                                                                                               \
    C[row * n + col] = acc;                                                                                         \
}

STEP_MM(step_mm16, 16)
STEP_MM(step_mm5, 5)

// The pointer set again in each outer iteration r to A + 256 * blockIdx.x + r * rewind + t (a definition that is not
// a step, in another segment than the step), advanced by `stride` floats (a parameter: block-uniform, any sign) in
// the inner loop; each inner iteration loads through it into shared memory, and every thread adds its right
// neighbour's word.
extern "C" __global__ void step_rewind(const float* __restrict__ A, float* __restrict__ out, int reps, int steps,
                                       long long stride, int rewind) {
    __shared__ float s[256];
    int t = threadIdx.x, n = blockDim.x;
    float acc = 0.0f;
#pragma unroll 1
    for (int r = 0; r < reps; r++) {
        const float* p = A + 256 * blockIdx.x + r * rewind + t;
#pragma unroll 1
        for (int k = 0; k < steps; k++) {
            s[t] = *p;
            __syncthreads();
            acc += s[(t + 1) % n];
            __syncthreads();
            p += stride;
        }
    }
    out[blockIdx.x * n + t] = acc;
}

// The pointer advanced by `strideBytes` bytes (a parameter): a stride that is not a multiple of 4 makes the next
// iteration's loads misaligned.
extern "C" __global__ void step_bytes(const float* __restrict__ A, float* __restrict__ out, int steps,
                                      long long strideBytes) {
    __shared__ float s[256];
    int t = threadIdx.x, n = blockDim.x;
    const char* p = (const char*) (A + 256 * blockIdx.x + t);
    float acc = 0.0f;
#pragma unroll 1
    for (int k = 0; k < steps; k++) {
        s[t] = *(const float*) p;
        __syncthreads();
        acc += s[(t + 1) % n];
        __syncthreads();
        p += strideBytes;
    }
    out[blockIdx.x * n + t] = acc;
}
