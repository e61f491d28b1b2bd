// Kernels of SplitArmsTest: an if-converted triangle after a register-only run (scan's
// `if (lane == 31) warpSums[warp] = v` after its last shuffle step), which the lockstep engine runs as two lane
// loops: the register-only prefix for every thread, then the arm where the predicate selects it.
// PTX: nvcc -ptx -arch=sm_80 -O3 splitarms.cu

// Per warp, the last lane's value w = 5v + (t ^ k) goes to s[t >> 5] (nw slots: warps from nw on store past the
// array); then every thread writes w plus its warp's slot.
extern "C" __global__ void split_store(const int* in, int* out, int k) {
    __shared__ int s[4];
    int t = threadIdx.x, i = blockIdx.x * blockDim.x + t;
    int v = in[i];
    __syncthreads();
    int w = v * 5 + (t ^ k);
    if ((t & 31) == 31 || t == blockDim.x - 1) s[t >> 5] = w;
    __syncthreads();
    out[i] = w + s[t >> 5];
}
