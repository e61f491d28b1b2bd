// Kernels of NaNZerosTest: f32 results in an if-converted arm over a range of threads (t < m) whose NaN
// canonicalization runs after the loop (LoopNaN), tested by comparing the results' differences x - x with zeros
// (NaNZeros). arm_two has two such results in one arm: a NaN in either must be seen.
// PTX: nvcc -ptx -arch=sm_80 -O3 nanzeros.cu

extern "C" __global__ void arm_one(const float* a, const float* b, float* out, unsigned m) {
    unsigned t = threadIdx.x, i = blockIdx.x * blockDim.x + t;
    float v = a[i];
    __syncthreads();
    if (t < m) v += b[i];
    out[i] = v;
}

extern "C" __global__ void arm_two(const float* a, const float* b, const float* c, float* out, float* out2,
                                   unsigned m) {
    unsigned t = threadIdx.x, i = blockIdx.x * blockDim.x + t;
    float v = a[i], u = c[i];
    __syncthreads();
    if (t < m) {
        float w = b[i];
        v += w;
        u *= w;
    }
    out[i] = v;
    out2[i] = u;
}

// straight-line (the thread engine's vector form): two f32 results per thread stored, NaNs tested after the loop
extern "C" __global__ void vec_two(const float* a, const float* b, const float* c, float* out, float* out2,
                                   unsigned n) {
    unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        float w = b[i];
        out[i] = a[i] + w;
        out2[i] = c[i] * w;
    }
}
