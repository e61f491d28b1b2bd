// Kernels of LaneVecTest (backend-cpu's lockstep engine, lane loops as vectors of a row's threads: LaneVec).
// PTX: nvcc -ptx -arch=sm_80 -O3 lanevec.cu -o lanevec.ptx

#define T 16

// matmul's segment between its barriers and more f32 arithmetic in the same run, for blocks of up to 16 x 16 (x any
// z) threads: per tile pair, each thread's 16 chained fmaf over As[ty][k] (one value per row of threads) and
// Bs[k][tx] (consecutive along tid.x), every fourth k a second chain of add/sub/mul (rounded as written: no contraction) that reads
// `bias`, a per-thread value from before the loop, the uniform `scale` and constants, and `last`, a shared value
// kept as loaded (NaN payloads stay); `iters` tile pairs per block, each read from the next T*T elements of A and B;
// threads t >= live exit at once (not every thread active: no vectors).
extern "C" __global__ void vec_ops(int iters, const float* __restrict__ A, const float* __restrict__ B,
                                   const float* __restrict__ init, float* __restrict__ out, float scale, int live) {
    __shared__ float As[T * T];
    __shared__ float Bs[T * T];
    int tx = threadIdx.x, ty = threadIdx.y;
    int n = blockDim.x * blockDim.y * blockDim.z;
    int t = (threadIdx.z * blockDim.y + ty) * blockDim.x + tx;
    if (t >= live) return;
    int blk = blockIdx.x;
    float acc = init[blk * n + t];
    float bias = init[(blk * n + t + 1) % (gridDim.x * n)];
    float s = 0.0f, last = 0.0f;
    for (int it = 0; it < iters; it++) {
        const float* a = A + (blk * iters + it) * T * T;
        const float* b = B + (blk * iters + it) * T * T;
        for (int i = t; i < T * T; i += live) {
            As[i] = a[i];
            Bs[i] = b[i];
        }
        __syncthreads();
#pragma unroll
        for (int k = 0; k < T; k++) {
            float x = Bs[k * T + tx];
            acc = fmaf(As[ty * T + k], x, acc);
            if (k % 4 == 3) s = __fadd_rn(s, __fmul_rn(__fsub_rn(x, bias), scale));
        }
        last = Bs[(T - 1) * T + tx];
        s = __fadd_rn(s, 0.25f);
        __syncthreads();
    }
    out[3 * (blk * n + t)] = acc;
    out[3 * (blk * n + t) + 1] = s;
    out[3 * (blk * n + t) + 2] = last;
}

// LaneVecCopyTest: a run that only copies global words to shared memory through a per-thread pointer that the loop
// advances (as matmul's tile loads): 16 x 16 threads, per iteration s[t] = *p with p = A + t * stride + it * 256 *
// stride (stride 1: consecutive along tid.x, copied as vectors; stride 2: not), then each thread writes s[255 - t]
// (another thread's word, as loaded: NaN payloads stay).
extern "C" __global__ void vec_copy(int iters, const float* __restrict__ A, int stride, float* __restrict__ out) {
    __shared__ float s[256];
    int t = threadIdx.y * 16 + threadIdx.x;
    const float* p = A + ((size_t) blockIdx.x * iters * 256 + t) * stride;
#pragma unroll 1
    for (int it = 0; it < iters; it++) {
        s[t] = *p;
        __syncthreads();
        out[((size_t) blockIdx.x * iters + it) * 256 + t] = s[255 - t];
        p += 256 * stride;
        __syncthreads();
    }
}

// LaneVecCopyTest: two copies per iteration, both read consecutively along tid.x, whose shared words overlap between
// threads (s[t] = p[0], s[t + 1] = p[256]): thread t's second store and thread t+1's first write the same word, so the
// stores must stay in thread order (no vectors): s[i] = p_i[0] for i < 256, s[256] = p_255[256].
extern "C" __global__ void vec_copy_overlap(int iters, const float* __restrict__ A, float* __restrict__ out) {
    __shared__ float s[257];
    int t = threadIdx.y * 16 + threadIdx.x;
    const float* p = A + t;
#pragma unroll 1
    for (int it = 0; it < iters; it++) {
        s[t] = p[0];
        s[t + 1] = p[256];
        __syncthreads();
        out[it * 257 + t] = s[t];
        out[it * 257 + t + 1] = s[t + 1];
        p += 512;
        __syncthreads();
    }
}
