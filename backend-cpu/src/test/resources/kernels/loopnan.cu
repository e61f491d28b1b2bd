// Kernels of LoopNaNTest: f32 arithmetic in an if-converted arm over a range of threads (t < m, as reduce's
// `if (i + 256 < n) v += in[i + 256]`) whose result ends the loop's chain: its NaN canonicalization runs after the
// loop (LoopNaN). The barrier between the load and the arm starts a segment at the arm. Threads outside the arm store a[i] as loaded (NaN payloads kept).
// PTX: nvcc -ptx -arch=sm_80 -O3 loopnan.cu

extern "C" __global__ void arm_add(const float* a, const float* b, float* out, unsigned m) {
    unsigned t = threadIdx.x, i = blockIdx.x * blockDim.x + t;
    float v = a[i];
    __syncthreads();
    if (t < m) v += b[i];
    out[i] = v;
}

extern "C" __global__ void arm_sub(const float* a, const float* b, float* out, unsigned m) {
    unsigned t = threadIdx.x, i = blockIdx.x * blockDim.x + t;
    float v = a[i];
    __syncthreads();
    if (t < m) v -= b[i];
    out[i] = v;
}

extern "C" __global__ void arm_mul(const float* a, const float* b, float* out, unsigned m) {
    unsigned t = threadIdx.x, i = blockIdx.x * blockDim.x + t;
    float v = a[i];
    __syncthreads();
    if (t < m) v *= b[i];
    out[i] = v;
}

// a chain: (v + b) * b, then fma with c; only the last result is read after the arm
extern "C" __global__ void arm_chain(const float* a, const float* b, float* out, unsigned m, float c) {
    unsigned t = threadIdx.x, i = blockIdx.x * blockDim.x + t;
    float v = a[i];
    __syncthreads();
    if (t < m) {
        float w = b[i];
        v = fmaf((v + w) * w, w, c);
    }
    out[i] = v;
}

// the arm's load reads b[i + off]: past the data it faults at its thread
extern "C" __global__ void arm_fault(const float* a, const float* b, float* out, unsigned m, int off) {
    unsigned t = threadIdx.x, i = blockIdx.x * blockDim.x + t;
    float v = a[i];
    __syncthreads();
    if (t < m) v += b[i + off];
    out[i] = v;
}
