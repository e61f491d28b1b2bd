// Kernels of LaneNaNTest: f32 chains in lockstep lane loops, whose NaN canonicalization the CPU backend defers to
// the end of each chain (KernelCompiler.Emitter.lockDeferredNaN). The barrier makes it a lockstep kernel.
// PTX: nvcc -ptx -arch=sm_80 -O3 lanenan.cu

// y feeds only arithmetic (raw NaN allowed), z is also stored (must be canonical where stored), w feeds only
// arithmetic, v is stored.
extern "C" __global__ void chain_f32(const float* a, const float* b, float* out, float* mid) {
    __shared__ float s[256];
    int t = threadIdx.x, i = blockIdx.x * blockDim.x + t;
    s[t] = b[i];
    __syncthreads();
    float x = a[i];
    float y = fmaf(x, s[t], 0.5f);
    float z = fmaf(y, x, -1.0f);
    float w = z / s[t];
    float v = w - y;
    mid[i] = z;
    out[i] = v;
}
