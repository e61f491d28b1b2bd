// Kernels of SharedCopyTest: 32-bit shared stores of the lockstep engine's checked-once lane loops made with one
// copy per row of threads (SharedCopy).
// PTX: nvcc -ptx -arch=sm_80 -O3 sharedcopy.cu

// f32 bits through shared memory (NaN payloads, signalling NaNs, -0.0): loaded before a barrier, stored after it
// (the store's loop does not define v), read back rotated by rot.
extern "C" __global__ void put_f32(const float* in, float* out, unsigned rot) {
    __shared__ float s[256];
    unsigned t = threadIdx.x, n = blockDim.x;
    unsigned b = blockIdx.x * n;
    float v = in[b + t];
    __syncthreads();
    s[t] = v;
    __syncthreads();
    out[b + t] = s[(t + rot) % n];
}

// u32 into a two-dimensional shared array: rows of 32 words, blockDim.x <= 32 (rows with gaps), blockDim.y <= 8;
// the whole array (sentinels where no thread stores) written out per block.
extern "C" __global__ void put_2d(const unsigned* in, unsigned* out) {
    __shared__ unsigned s[8][32];
    unsigned tx = threadIdx.x, ty = threadIdx.y, nt = blockDim.x * blockDim.y;
    unsigned t = ty * blockDim.x + tx, b = blockIdx.x * nt;
    unsigned v = in[b + t];
    unsigned* f = &s[0][0];
    for (unsigned k = t; k < 256; k += nt) f[k] = 0xdeadbeefu;
    __syncthreads();
    s[ty][tx] = v;
    __syncthreads();
    for (unsigned k = t; k < 256; k += nt) out[blockIdx.x * 256 + k] = f[k];
}

// the store in an arm taken by the threads t < m (a range of tid.x), the others keep the sentinel
extern "C" __global__ void put_arm(const float* in, float* out, unsigned m) {
    __shared__ float s[256];
    unsigned t = threadIdx.x, b = blockIdx.x * blockDim.x;
    float v = in[b + t];
    s[t] = -7.0f;
    __syncthreads();
    if (t < m) s[t] = v;
    __syncthreads();
    out[b + t] = s[t];
}

// the store's loop also loads in[b + t + off]: with off past the data the load faults at its thread
extern "C" __global__ void put_fault(const float* in, float* out, int off) {
    __shared__ float s[256];
    unsigned t = threadIdx.x, b = blockIdx.x * blockDim.x;
    float v = in[b + t];
    __syncthreads();
    s[t] = v;
    float w = in[b + t + off];
    __syncthreads();
    out[b + t] = s[(t + 1) % blockDim.x] + w;
}
