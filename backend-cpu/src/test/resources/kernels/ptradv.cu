// Kernels of PtrAdvTest (backend-cpu's lockstep engine: a lane loop that only advances per-thread pointers by a
// block-uniform amount, run as one loop per register, PtrAdv). matmul itself: ptrstep.cu's step_mm16/step_mm5.
// PTX: nvcc -ptx -arch=sm_80 -O3 ptradv.cu -o ptradv.ptx

// The pointer p = A + 256 * blockIdx.x + t advanced by `stride` floats (a parameter: block-uniform, any sign) after
// the loop's second barrier; at the loop's start its value is stored (a non-affine use: the pointer's bits) and it
// is read at a thread-dependent, non-affine offset. adv_store: every thread runs (the loop counter block-uniform, the
// advances alone in their run); adv_store_live: threads t >= live return at once (the counter per thread, in the
// advances' run: no loop per register).
#define ADV_STORE(NAME, EXIT)                                                                                      \
extern "C" __global__ void NAME(const float* __restrict__ A, unsigned long long* __restrict__ ptrs,                \
                                float* __restrict__ out, int steps, long long stride, int live) {                 \
    __shared__ float s[256];                                                                                      \
    int t = threadIdx.x, n = blockDim.x;                                                                          \
    if (EXIT && t >= live) return;                                                                                \
    const float* p = A + 256 * blockIdx.x + t;                                                                    \
    float acc = 0.0f;                                                                                             \
    _Pragma("unroll 1")                                                                                           \
    for (int k = 0; k < steps; k++) {                                                                             \
        ptrs[((size_t) blockIdx.x * steps + k) * n + t] = (unsigned long long) p;                                 \
        s[t] = p[(t * t) % 3];                                                                                    \
        __syncthreads();                                                                                          \
        acc += s[(t + 1) % live];                                                                                 \
        __syncthreads();                                                                                          \
        p += stride;                                                                                              \
    }                                                                                                             \
    out[blockIdx.x * n + t] = acc;                                                                                \
}

ADV_STORE(adv_store, 0)
ADV_STORE(adv_store_live, 1)
