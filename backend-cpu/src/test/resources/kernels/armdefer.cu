// Kernels of ArmDeferTest: an if-converted arm over a thread range whose prefix defines a register that only the
// arm (and the range's compare) reads (ArmDefer): reduce's loads without the tree.
// PTX: nvcc -ptx -arch=sm_80 -O3 armdefer.cu

// Per block of 256 threads: v = in[i] + in[i + 256] where in range (i = 512 * block + t), else the part that is,
// else 0; threads t >= live return first (not every thread active: the general path).
extern "C" __global__ void pair_sum(int n, const float* __restrict__ in, float* __restrict__ out, unsigned live) {
    unsigned t = threadIdx.x;
    if (t >= live) return;
    unsigned i = blockIdx.x * 512 + t;
    float v = 0.0f;
    if (i < n) v = in[i];
    if (i + 256 < n) v += in[i + 256];
    out[blockIdx.x * 256 + t] = v;
}

// The same, with i + 256 also stored: the register is read outside the arm, so it stays in the prefix.
extern "C" __global__ void pair_sum_kept(int n, const float* __restrict__ in, float* __restrict__ out,
        unsigned* __restrict__ idx) {
    unsigned t = threadIdx.x;
    unsigned i = blockIdx.x * 512 + t;
    float v = 0.0f;
    if (i < n) v = in[i];
    unsigned j = i + 256;
    if (j < n) v += in[j];
    out[blockIdx.x * 256 + t] = v;
    idx[blockIdx.x * 256 + t] = j;
}
