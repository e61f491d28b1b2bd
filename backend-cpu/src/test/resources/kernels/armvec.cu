// Kernels of ArmVecTest: if-converted arms over a thread range whose lane loop is f32 arithmetic between shared
// loads and shared stores at consecutive words (ArmVec), run as vectors of threads.
// PTX: nvcc -ptx -arch=sm_80 -O3 armvec.cu

// Blocks of 256 threads, 512 words of shared memory per block loaded from in, then arms over thread ranges: a mul
// (t < r1, the store window one of the load windows), a sub storing above its other load window (t < r2), reduce's
// tree steps s[t] += s[t + stride] for stride 128 .. 1, an arm whose store is 3 words above a load of another
// thread (t < r3: the vector form would change the result, so it stays scalar); then all 512 words out.
extern "C" __global__ void arms(const float* __restrict__ in, float* __restrict__ out, unsigned r1, unsigned r2,
        unsigned r3) {
    __shared__ float s[512];
    unsigned t = threadIdx.x;
    const float* b = in + blockIdx.x * 512;
    s[t] = b[t];
    s[t + 256] = b[t + 256];
    __syncthreads();
    if (t < r1) s[t] = s[t + 256] * s[t];
    __syncthreads();
    if (t < r2) s[t + 300] = s[t + 300] - s[t + 150];
    __syncthreads();
#pragma unroll
    for (unsigned stride = 128; stride > 0; stride >>= 1) {
        if (t < stride) s[t] += s[t + stride];
        __syncthreads();
    }
    if (t < r3) s[t + 3] = s[t] + s[t + 3];
    __syncthreads();
    out[blockIdx.x * 512 + t] = s[t];
    out[blockIdx.x * 512 + t + 256] = s[t + 256];
}
