// Kernels of LaneBulkTest: global loads of the lockstep engine's lane loops whose per-block check passed and whose
// addresses are consecutive in thread order, read with one copy per loop (LaneBulk).
// PTX: nvcc -ptx -arch=sm_80 -O3 lanebulk.cu

// reduce of bench/kernels/suite.cu for any block size up to 256 that is a power of two: the two loads behind
// i < n arms (whole blocks: one copy each), the last block partial (per-thread loads).
extern "C" __global__ void bsum(int n, const float* __restrict__ in, float* __restrict__ partial) {
    __shared__ float s[256];
    unsigned t = threadIdx.x;
    unsigned i = blockIdx.x * (2 * blockDim.x) + t;
    float v = 0.0f;
    if (i < n) v = in[i];
    if (i + blockDim.x < n) v += in[i + blockDim.x];
    s[t] = v;
    __syncthreads();
    for (unsigned stride = blockDim.x / 2; stride > 0; stride >>= 1) {
        if (t < stride) s[t] += s[t + stride];
        __syncthreads();
    }
    if (t == 0) partial[blockIdx.x] = s[0];
}

// The same with the block size a constant (as bench/kernels/suite.cu): i = (blockIdx.x << 9) + t, whose i < n arms
// the engine runs over thread ranges; the first arm (the load alone) copies straight into v's array.
extern "C" __global__ void bsum256(int n, const float* __restrict__ in, float* __restrict__ partial) {
    __shared__ float s[256];
    unsigned t = threadIdx.x;
    unsigned i = blockIdx.x * 512 + t;
    float v = 0.0f;
    if (i < n) v = in[i];
    if (i + 256 < n) v += in[i + 256];
    s[t] = v;
    __syncthreads();
    for (unsigned stride = 128; stride > 0; stride >>= 1) {
        if (t < stride) s[t] += s[t + stride];
        __syncthreads();
    }
    if (t == 0) partial[blockIdx.x] = s[0];
}

// 2-D blocks: row-major thread order, loads of 32-bit ints, 64-bit ints and doubles at consecutive addresses (one
// copy each per block) and one at a stride of two elements (per-thread loads); a barrier keeps the lockstep engine.
extern "C" __global__ void mixed(const int* a, const long long* b, const double* c, const int* d, long long* out,
                                 double* outd) {
    __shared__ int s[1024];
    int t = threadIdx.y * blockDim.x + threadIdx.x;
    int nt = blockDim.x * blockDim.y;
    int i = blockIdx.x * nt + t;
    int x = a[i];
    long long y = b[i];
    double z = c[i];
    int w = d[2 * i];
    s[t] = x ^ w;
    __syncthreads();
    out[i] = y * 3 + s[(t + 1) % nt];
    outd[i] = z * 0.5 + w;
}

// A store before the load in the same run (p[i + 1] = i, then p[i]): the engine runs a thread's statements before
// the next thread's, so thread t + 1 reads what thread t stored; no copy may read ahead.
extern "C" __global__ void ahead(int* p, int* q) {
    __shared__ int s[256];
    int t = threadIdx.x, i = blockIdx.x * blockDim.x + t;
    p[i + 1] = -i;
    int v = p[i];
    s[t] = v;
    __syncthreads();
    q[i] = s[t] + s[(t + 1) % blockDim.x];
}

// A load past the end of `in` for the threads with i + extra >= n in an i < n arm: the block's check fails and the
// per-thread load faults at the first such thread.
extern "C" __global__ void past(int n, int extra, const float* in, float* out) {
    __shared__ float s[256];
    unsigned t = threadIdx.x, i = blockIdx.x * blockDim.x + t;
    float v = 0.0f;
    if (i < n) v = in[i + extra];
    s[t] = v;
    __syncthreads();
    out[i] = s[t] + s[blockDim.x - 1 - t];
}

// An i < n arm that loads and also computes a value used after it: the arm's loop must still run for that value
// when its load is copied (or the copy must not replace the loop).
extern "C" __global__ void armtwo(int n, const int* in, int* out) {
    __shared__ int s[256];
    unsigned t = threadIdx.x, i = blockIdx.x * blockDim.x + t;
    int v = -1, w = -2;
    if (i < n) {
        v = in[i];
        w = in[i] * 3 + (int) i;
    }
    s[t] = v;
    __syncthreads();
    out[i] = s[blockDim.x - 1 - t] + w;
}
