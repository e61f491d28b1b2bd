// Kernels of LaneJamTest (backend-cpu's lockstep engine, interleaved lane loops: LaneJam).
// PTX: nvcc -ptx -arch=sm_80 -O3 lanejam.cu -o lanejam.ptx

// matmul's segment between its barriers, for any block of up to T x T (x any z) threads: per tile pair, each
// thread's T chained fmaf over As[ty][k + shift] and Bs[k][tx]; `iters` tile pairs per block, each read from the
// next T*T elements of A and B; threads t >= live exit at once (not every thread active: no interleaving).
#define JAM_TILES(NAME, T)                                                                                          \
extern "C" __global__ void NAME(int iters, const float* __restrict__ A, const float* __restrict__ B,                \
                                const float* __restrict__ init, float* __restrict__ out, int shift, int live) {     \
    __shared__ float As[T * T];                                                                                     \
    __shared__ float Bs[T * T];                                                                                     \
    int tx = threadIdx.x, ty = threadIdx.y;                                                                         \
    int n = blockDim.x * blockDim.y * blockDim.z;                                                                   \
    int t = (threadIdx.z * blockDim.y + ty) * blockDim.x + tx;                                                      \
    if (t >= live) return;                                                                                          \
    int blk = blockIdx.x;                                                                                           \
    float acc = init[blk * n + t];                                                                                  \
    for (int it = 0; it < iters; it++) {                                                                            \
        const float* a = A + (blk * iters + it) * T * T;                                                            \
        const float* b = B + (blk * iters + it) * T * T;                                                            \
        for (int i = t; i < T * T; i += live) {                                                                     \
            As[i] = a[i];                                                                                           \
            Bs[i] = b[i];                                                                                           \
        }                                                                                                           \
        __syncthreads();                                                                                            \
        _Pragma("unroll")                                                                                           \
        for (int k = 0; k < T; k++) acc = fmaf(As[ty * T + k + shift], Bs[k * T + tx], acc);                        \
        __syncthreads();                                                                                            \
    }                                                                                                               \
    out[blk * n + t] = acc;                                                                                         \
}

// 16 x 16 tiles: 4 threads per interleaved step
JAM_TILES(jam_tiles, 16)
// 20 x 20 tiles: with 4 threads per step the segment's method passes 8000 bytes, with 2 it fits
JAM_TILES(jam_tiles20, 20)
// 24 x 24 tiles: even with 2 threads per step the segment's method passes 8000 bytes (lean segment entries or not)
JAM_TILES(jam_tiles24, 24)
