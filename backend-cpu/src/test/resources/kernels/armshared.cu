// Kernels of ArmSharedTest: scan's `if (warp != 0) v += warpSums[warp - 1]`, an if-converted arm whose 32-bit
// shared load has an address that is not affine in the thread index and is outside the array for the threads that
// the predicate keeps off (warp 0), which the lockstep engine checks once per lane loop for the arm's threads
// (address and predicate computed before the barrier, as in scan_block).
// PTX: nvcc -ptx -arch=sm_80 -O3 armshared.cu

// Lane 0 of each warp w < 8 stores 3v + w into s[w]; then every thread of a warp w != 0 adds s[w - 1] (warp 9 of a
// block of 10 warps reads past the 8 slots).
extern "C" __global__ void arm_prev(const int* in, int* out) {
    __shared__ int s[8];
    int t = threadIdx.x, i = blockIdx.x * blockDim.x + t;
    int lane = t & 31, warp = t >> 5;
    int v = in[i];
    if (lane == 0 && warp < 8) s[warp] = v * 3 + warp;
    __syncthreads();
    if (warp != 0) v += s[warp - 1];
    out[i] = v;
}

// The arm's address from a per-thread byte offset (any 32-bit value, so negative offsets give addresses with the
// top bit set): every thread computes p = s + off[i] before the barrier (its store there never runs: in[i] is never
// 0x7fffffff in the tests), then the odd threads add *p. Offsets of the even threads, which the predicate keeps off
// the arm, may be anything; an odd thread's bad offset (misaligned, negative, past the 8 slots) faults there.
extern "C" __global__ void arm_byte(const int* in, const int* off, int* out) {
    __shared__ int s[8];
    int t = threadIdx.x, i = blockIdx.x * blockDim.x + t;
    int v = in[i];
    int* p = (int*) ((char*) s + off[i]);
    if (v == 0x7fffffff) *p = 0;
    if (t < 8) s[t] = v * 5 + t;
    __syncthreads();
    if (t & 1) v += *p;
    out[i] = v;
}
