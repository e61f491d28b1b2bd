// Kernels of ArmEqualityTest: if-converted arms whose predicate is an equality of a value affine in tid.x with a
// block-uniform one (`if (t == 0)` of a reduce's last step), which the lockstep engine runs over one thread, or
// over the other threads when they are one range (SharedAffine.predRange).
// PTX: nvcc -ptx -arch=sm_80 -O3 armeq.cu

// out[i] = s[t + extra] + 1000 for the thread with 3t + 5 == k (if any); then out[i] += 7 * s[t] for t != j.
extern "C" __global__ void arm_eq(const int* in, int* out, int k, int j, int extra) {
    __shared__ int s[256];
    int t = threadIdx.x, i = blockIdx.x * blockDim.x + t;
    s[t] = in[i];
    __syncthreads();
    if (3 * t + 5 == k) out[i] = s[t + extra] + 1000;
    __syncthreads();
    if (t != j) out[i] += 7 * s[t];
}

// A block's sum in shared memory, ending with thread 0 alone (the reduce of bench/kernels/suite.cu, any block size
// that is a power of two up to 256): f32, so NaN and rounding must come out as the tree adds them.
extern "C" __global__ void sum_tail(const float* in, float* out) {
    __shared__ float s[256];
    unsigned t = threadIdx.x;
    s[t] = in[blockIdx.x * blockDim.x + t];
    __syncthreads();
    for (unsigned stride = blockDim.x / 2; stride > 1; stride >>= 1) {
        if (t < stride) s[t] += s[t + stride];
        __syncthreads();
    }
    if (t == 0) s[0] += s[1];
    __syncthreads();
    if (t == 0) out[blockIdx.x] = s[0];
}

// Arms bounded per block (i = blockIdx.x * 64 + t against n, and the one thread with i == m; blocks of 64): blocks
// wholly inside, one partial, the rest empty; the compared value's base differs in every block.
extern "C" __global__ void bounded(const int* in, int* out, unsigned n, unsigned m) {
    __shared__ int s[64];
    unsigned t = threadIdx.x, i = blockIdx.x * 64u + t;
    s[t] = in[i];
    __syncthreads();
    if (i < n) out[i] = s[t] * 2 + (int) blockIdx.x;
    __syncthreads();
    if (i == m) out[i] += s[0];
}
