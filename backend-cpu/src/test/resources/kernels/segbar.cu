#define STEPS(K) \
extern "C" __global__ void bar##K(int *out, unsigned n) { \
    __shared__ int s[256]; \
    unsigned t = threadIdx.x; \
    unsigned i = blockIdx.x * blockDim.x + t; \
    s[t] = (int)t; \
    __syncthreads(); \
    _Pragma("unroll") for (int k = 0; k < K; k++) { s[t] += 1; __syncthreads(); } \
    if (i < n) out[i] = s[t] + s[(t + 1) % blockDim.x]; \
}
STEPS(1)
STEPS(4)
STEPS(8)
STEPS(16)
#define EMPTY(K) \
extern "C" __global__ void nop##K(int *out, unsigned n) { \
    unsigned i = blockIdx.x * blockDim.x + threadIdx.x; \
    _Pragma("unroll") for (int k = 0; k < K; k++) { __syncthreads(); } \
    if (i < n) out[i] = (int)i; \
}
EMPTY(1)
EMPTY(16)
