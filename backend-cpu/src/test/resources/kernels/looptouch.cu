// Kernels of LoopTouchTest (backend-cpu's lockstep engine: the cache lines of checked-once global loads touched
// before the lane loop, LoopTouch).
// PTX: nvcc -ptx -arch=sm_80 -O3 looptouch.cu -o looptouch.ptx

// bench/kernels/suite.cu's matmul for T x T tiles: C = A * B, n x n row-major, n a multiple of T, T x T blocks; the
// tile loads go through pointers that the k0 loop advances. Threads t >= live (t = ty * T + tx) return at once
// (live = T * T: every thread runs). The k0 loop is not unrolled, so each of its iterations has the two loads.
#define TOUCH_MM(NAME, T)                                                                                          \
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

// 16 x 16 tiles (the suite's): one touched line per row of 16 threads and load
TOUCH_MM(touch_mm16, 16)
// 5 x 5 tiles: 25 threads, touched at threads 0 and 16
TOUCH_MM(touch_mm5, 5)
